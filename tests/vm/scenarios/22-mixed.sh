#!/bin/sh
# 22-mixed: 8 kernel threads x 1,000 mixed queries (inserts, reads, updates,
# counts and deliberate SQL errors, see ksql_test_mixed.c) get zero wrong
# answers; every error has the right errno and SQLite code; the counters
# add up exactly; sqlite3 on the database file and ksqlctl query see the
# final table the threads built.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

N=8
M=1000
R=$((M / 5))	# rounds: one row, and one deliberate error, each

setup
daemon_start

sent0=$(counter sent)
done0=$(counter completed)
failed0=$(counter failed)

kcheck mixed $N $M

# DROP + CREATE + N * M + the final count; the errors are one per round
assert_eq "$(counter sent)" $((sent0 + 3 + N * M)) "sent after mixed"
assert_eq "$(counter completed)" $((done0 + 3 + N * M)) "completed after mixed"
assert_eq "$(counter failed)" $((failed0 + N * R)) "failed (the deliberate SQL errors)"
assert_eq "$(counter "in flight")" 0 "in flight after mixed"

# the table, as SQLite itself sees it on disk and as ksqld answers it
rows=$((N * R))
sum=$((N * R * (R + 1) / 2))
got=$(sqlite3 "$KSQL_DB" "SELECT count(*) || ' ' || sum(v) FROM ksql_mixed")
assert_eq "$got" "$rows $sum" "sqlite3: rows and sum of ksql_mixed"
bad=$(sqlite3 "$KSQL_DB" "SELECT t, count(*), sum(v), min(id - (t + 1) * 1000000), max(id - (t + 1) * 1000000) FROM ksql_mixed GROUP BY t" |
	awk -F'|' -v r=$R -v s=$((R * (R + 1) / 2)) '$2 != r || $3 != s || $4 != 0 || $5 != r - 1')
[ -z "$bad" ] || fail "threads whose rows are not complete (t|count|sum|min round|max round):
$bad"
assert_eq "$(sqlite3 "$KSQL_DB" "SELECT count(DISTINCT t) FROM ksql_mixed")" $N "threads with rows"
json=$(ksqlctl -j query "SELECT count(*) AS n, sum(v) AS s FROM ksql_mixed" 2>&1) ||
	fail "ksqlctl query failed: $json"
assert_contains "$(echo "$json" | tr -d ' \n')" "\"n\":$rows,\"s\":$sum" "ksqlctl query of ksql_mixed"
log "sqlite3 and ksqlctl: $rows rows, sum $sum, $R per thread"
