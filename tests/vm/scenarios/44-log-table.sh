#!/bin/sh
# 44-log-table: ksql_table_open() creates a table with the declared
# columns behind ksql_producer, ksql_seq and ksql_time; opening it again
# with the same columns works; different columns (a renamed column, a
# changed type, one column fewer) are a clear error to the caller, -EEXIST
# with the first differing column named in the kernel log, and the table is
# left as it was; invalid or reserved names, bad column lists and flags are
# -EINVAL; a name already open is -EBUSY; no daemon is -ENOTCONN.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

T=log44
EEXIST=17 EBUSY=16

# tryopen NAME COLUMNS EXPECTED_RC
tryopen() {
	echo "tryopen $1 $2" >"$KT/log" 2>/dev/null
	assert_eq "$(klog_field open_rc)" "$3" "ksql_table_open($1, \"$2\")"
}

setup
daemon_start
tryopen $T "a INTEGER, b text, c REAL, d BLOB, e ANY, f int" 0
assert_eq "$(db_query "SELECT group_concat(name || ' ' || type, ', ') FROM pragma_table_info('$T')")" \
	"ksql_producer INTEGER, ksql_seq INTEGER, ksql_time INTEGER, a INTEGER, b TEXT, c REAL, d BLOB, e ANY, f INTEGER" \
	"the columns ksqld created"
tryopen $T "a INTEGER, b TEXT, c REAL, d BLOB, e ANY, f INTEGER" 0
tryopen $T "A int,b Text , c real, d blob, e any, f INTEGER" 0
log "created, then opened twice with the same columns"

tryopen $T "a INTEGER, x TEXT, c REAL, d BLOB, e ANY, f INTEGER" "-$EEXIST"
msg=$(dmesg | grep "table $T" | tail -n 1)
assert_contains "$msg" "column 2" "the kernel log names the differing column"
assert_contains "$msg" "x TEXT" "the kernel log names the requested column"
log "renamed column: $msg"
tryopen $T "a INTEGER, b INTEGER, c REAL, d BLOB, e ANY, f INTEGER" "-$EEXIST"
tryopen $T "a INTEGER, b TEXT, c REAL, d BLOB, e ANY" "-$EEXIST"
tryopen $T "a INTEGER, b TEXT, c REAL, d BLOB, e ANY, f INTEGER, g TEXT" "-$EEXIST"
assert_eq "$(db_count "SELECT COUNT(*) FROM pragma_table_info('$T')")" 9 "columns of $T after the refusals"

for bad in "ksql_mine" "sqlite_x" "KSQL_x" "1abc" "a-b" \
	"a234567890123456789012345678901234567890123456789012345678901234"; do
	tryopen "$bad" "a INTEGER" "-$EINVAL"
done
for cols in "a" "a FOO" "a INTEGER,, b TEXT" "a INTEGER, a TEXT" "ksql_seq INTEGER" \
	"a INTEGER b TEXT" "a INTEGER; DROP TABLE x"; do
	tryopen "${T}_bad" "$cols" "-$EINVAL"
done
log "invalid names and column lists: -EINVAL"

klog "open ${T}_busy"
tryopen "${T}_busy" "a INTEGER" "-$EBUSY"
klog close
log "a name already open: -EBUSY"

daemon_stop
tryopen "${T}_nd" "a INTEGER" "-$ENOTCONN"
log "no daemon: -ENOTCONN"
