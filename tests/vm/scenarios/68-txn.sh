#!/bin/sh
# 68-txn: transactions (ksql_txn_*):
#  - a transaction's rows are invisible to another kernel caller until the
#    commit, then all there; a rollback leaves nothing (check "txn");
#  - a caller SIGKILLed while blocked in ksql_txn_exec() on a slow statement
#    (then ksql_txn_rollback(), as real code does) leaves no trace, and the
#    next writer proceeds at once;
#  - a caller that keeps its transaction idle past txn_idle_ms (1000) is
#    rolled back by the daemon: a writer started meanwhile completes within
#    the idle limit + 1.5 s, and the idle holder's later statement and
#    commit get -ETIMEDOUT; none of its rows is left.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

IDLE_MS=1000
MARGIN_MS=1500

setup
param_set txn_idle_ms $IDLE_MS
daemon_start

begun0=$(counter "txn begun")
commit0=$(counter "txn committed")
abort0=$(counter "txn aborted")
kcheck txn
assert_eq "$(counter "txn begun")" $((begun0 + 2)) "txn begun after the check"
assert_eq "$(counter "txn committed")" $((commit0 + 1)) "txn committed after the check"
assert_eq "$(counter "txn aborted")" $((abort0 + 1)) "txn aborted after the check (its rollback)"
assert_eq "$(sqlite3 "$KSQL_DB" "SELECT group_concat(k) FROM ksql_txn")" "1,2,3" "sqlite3: rows of ksql_txn"

stage_is() {
	[ "$(sed -n 's/^stage //p' "$KT/txn")" = "$1" ]
}
txn_field() {
	sed -n "s/^$1 //p" "$KT/txn"
}
count_k() {
	sqlite3 "$KSQL_DB" "SELECT count(*) FROM ksql_txn WHERE k = $1"
}

# --- a caller killed inside a transaction --------------------------------
cr0=$(counter "ksqld cancelled running")
sh -c "echo 'slow 60000' > $KT/txn" 2>/dev/null &
victim=$!
wait_until 10000 "the transaction's slow statement to start" stage_is slow
wait_until 10000 "the slow statement to run in ksqld" counter_is "ksqld running" 1
kill -KILL $victim
wait_until 2000 "the killed transaction caller to exit" proc_gone $victim
wait $victim 2>/dev/null
stage_is "done" || fail "the killed caller did not finish its case: $(cat "$KT/txn")"
assert_eq "$(txn_field insert)" 0 "insert before the slow statement"
assert_eq "$(txn_field slow)" "-$EINTR" "rc of the killed slow statement"
wait_until 2000 "ksqld to stop the slow statement" counter_is "ksqld cancelled running" $((cr0 + 1))
# the next writer is not held up by the dead transaction
rc=$(kexec 5000 "INSERT INTO ksql_txn(k, v) VALUES (101, 'next writer')")
us=$(sed -n 's/^elapsed_us=//p' "$KT/exec")
assert_eq "$rc" 0 "rc of the next writer: $(cat "$KT/exec")"
assert_le "$us" "$(slack 1000000)" "us the next writer took"
assert_eq "$(count_k 100)" 0 "rows of the killed transaction"
assert_eq "$(count_k 101)" 1 "rows of the next writer"
log "killed in a transaction: no trace, the next writer took $((us / 1000)) ms"

# --- an idle transaction is rolled back by the daemon --------------------
ab0=$(counter "ksqld txn aborted")
sh -c "echo 'idle 3000' > $KT/txn" 2>/dev/null &
holder=$!
wait_until 10000 "the transaction to be held idle" stage_is holding
rc=$(kexec 10000 "INSERT INTO ksql_txn(k, v) VALUES (300, 'concurrent writer')")
us=$(sed -n 's/^elapsed_us=//p' "$KT/exec")
assert_eq "$rc" 0 "rc of the concurrent writer: $(cat "$KT/exec")"
assert_le "$us" $(((IDLE_MS + $(slack $MARGIN_MS)) * 1000)) "us the concurrent writer waited (idle limit $IDLE_MS ms + $MARGIN_MS ms)"
wait_until 10000 "the idle holder to finish" proc_gone $holder
wait $holder 2>/dev/null
stage_is "done" || fail "the idle holder did not finish: $(cat "$KT/txn")"
assert_eq "$(txn_field insert)" 0 "the idle holder's first insert"
assert_eq "$(txn_field late_insert)" "-$ETIMEDOUT" "the idle holder's insert after the idle limit"
assert_eq "$(txn_field commit)" "-$ETIMEDOUT" "the idle holder's commit after the idle limit"
assert_eq "$(count_k 200)$(count_k 201)" 00 "rows of the idle transaction"
assert_eq "$(count_k 300)" 1 "rows of the concurrent writer"
assert_eq "$(counter "ksqld txn aborted")" $((ab0 + 1)) "ksqld txn aborted after the idle rollback"
log "idle transaction rolled back: the concurrent writer waited $((us / 1000)) ms; the holder got -ETIMEDOUT"

assert_eq "$(counter "in flight")" 0 "in flight at the end"
kcheck simple
