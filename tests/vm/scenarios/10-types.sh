#!/bin/sh
# 10-types: every value type round-trips exactly through ksql_exec() as a
# bound parameter and through a table (blob with zero bytes, multi-byte
# UTF-8, s64 min and max, REAL bit patterns incl. -0.0 and subnormals,
# NULL), with column names, changes and last rowid checked in the kernel;
# sqlite3 then sees exactly those bytes in the database file.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

setup
daemon_start

kcheck types keep
kcheck empty

# What the kernel stored is what user space reads from the file.
got=$(sqlite3 "$KSQL_DB" "SELECT id || '|' || typeof(v) || '|' || CASE typeof(v) WHEN 'integer' THEN v WHEN 'real' THEN '' ELSE ifnull(hex(v), '') END FROM ksql_test_types WHERE id < 114 ORDER BY id") ||
	fail "sqlite3 cannot read $KSQL_DB"
want='100|integer|-9223372036854775808
101|integer|9223372036854775807
102|integer|0
103|integer|-1
104|real|
105|real|
106|real|
107|real|
108|real|
109|real|
110|text|68C3A96C6C6F2C2077C3B6726C6420E29C9320E697A5E69CAC20F09F9880
111|text|69742773202271756F746564223B202D2D206E6F74206120636F6D6D656E74
112|blob|00610000FF00
113|null|'
[ "$got" = "$want" ] || fail "sqlite3 sees other values than the kernel stored:
$got"
all=$(sqlite3 "$KSQL_DB" "SELECT hex(v) = (WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < 255) SELECT group_concat(printf('%02X', x), '') FROM c) FROM ksql_test_types WHERE id = 114")
assert_eq "$all" 1 "the 256-byte blob as sqlite3 reads it"
log "sqlite3 reads the same integers, text and blobs"

# The result printer of the exec path, on literal values.
kexec_ok 10000 "SELECT 1.5 AS r, x'00ff00' AS b, 'kernel' AS t, NULL AS n, 9223372036854775807 AS i" \
	'REAL 0x3ff8000000000000|BLOB(3) 00ff00|TEXT(6) "kernel"|NULL|INT 9223372036854775807'
assert_eq "$(sed -n 's/^col 4: //p' "$KT/exec")" i "name of column 4"

kexec_ok 10000 "DROP TABLE ksql_test_types" ""
