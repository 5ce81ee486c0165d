#!/bin/sh
# 68-txn-busy: a transaction's own statements never wait behind requests
# that wait for that transaction. With max_in_flight 4, a transaction open
# and 8 plain writers queued behind it (ksqld holds plain writes back until
# the transaction ends, so 4 hold every slot and 4 wait for one), the
# owner's 3 inserts, its count and its COMMIT still go through at once;
# then every writer completes. Nothing times out. txn_idle_ms is 20000, long
# enough for the set-up while the owner holds its transaction unused, so an
# owner stuck in the slot queue has its transaction rolled back as "idle"
# 20 s later and gets -ETIMEDOUT.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

SLOTS=4
WRITERS=8

setup
param_set max_in_flight $SLOTS
param_set txn_idle_ms 20000
param_set default_timeout_ms 60000
daemon_start

stage_is() {
	[ "$(sed -n 's/^stage //p' "$KT/txn")" = "$1" ]
}
txn_field() {
	sed -n "s/^$1 //p" "$KT/txn"
}
waiting_is() {
	[ "$(counter waiting)" -eq "$1" ]
}

kexec_ok 10000 "DROP TABLE IF EXISTS ksql_txn" ""
kexec_ok 10000 "CREATE TABLE ksql_txn(k INTEGER PRIMARY KEY, v TEXT)" ""
to0=$(counter "timed out")
commit0=$(counter "txn committed")

sh -c "echo busy > $KT/txn" 2>/dev/null &
owner=$!
wait_until 10000 "the transaction to be open and held" stage_is holding
threads_start $WRITERS 60000 "INSERT INTO ksql_txn(v) VALUES ('plain writer')"
# every slot held by a writer ksqld holds back, the others queued
wait_until 10000 "$SLOTS writers in flight" in_flight_is $SLOTS
wait_until 10000 "$((WRITERS - SLOTS)) writers waiting for a slot" waiting_is $((WRITERS - SLOTS))
assert_eq "$(threads_count done)" 0 "writers done while the transaction is open"
log "transaction open; $SLOTS writers in flight, $((WRITERS - SLOTS)) waiting"

echo go >"$KT/txn" || fail "cannot let the transaction go on"
wait_until 60000 "the transaction's owner to finish" proc_gone $owner
wait $owner 2>/dev/null
stage_is done || fail "the owner did not finish: $(cat "$KT/txn")"
assert_eq "$(txn_field insert)" 0 "the owner's first insert"
assert_eq "$(txn_field go)" 1 "the owner was let go (not its 60 s limit)"
assert_eq "$(txn_field more_inserts)" 0 "the owner's inserts with writers queued: $(cat "$KT/txn")"
assert_eq "$(txn_field count_rc)" 0 "the owner's count"
assert_eq "$(txn_field count)" 4 "rows the owner sees in its transaction"
assert_eq "$(txn_field commit)" 0 "the owner's COMMIT"
assert_eq "$(counter "txn committed")" $((commit0 + 1)) "txn committed"

wait_until 30000 "$WRITERS writers to finish" threads_done $WRITERS
bad=$(awk '$3 != 0' "$KT/threads")
[ -z "$bad" ] || fail "writers that failed: $bad"
assert_eq "$(counter "timed out")" "$to0" "callers timed out"
assert_eq "$(sqlite3 "$KSQL_DB" "SELECT count(*) FROM ksql_txn WHERE k BETWEEN 400 AND 403")" 4 "the transaction's rows"
assert_eq "$(sqlite3 "$KSQL_DB" "SELECT count(*) FROM ksql_txn WHERE v = 'plain writer'")" $WRITERS "the writers' rows"
assert_eq "$(counter "in flight")" 0 "in flight at the end"
assert_eq "$(counter waiting)" 0 "waiting at the end"
threads_stop
log "owner: 3 inserts, count and COMMIT with $WRITERS writers queued; all writers done"
