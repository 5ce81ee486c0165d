#!/bin/sh
# 77-tracepoints-flow: the trace events of flow control, cancellation,
# transactions and refusals fire with the right fields (docs/TRACING.md):
#  - ksql_late: the duplicate FINAL of a fake daemon, with the query's id;
#  - ksql_reject: a forged RESULT (cmd 4) and BYE (cmd 2) from a process
#    that is not the daemon, with that process's port;
#  - ksql_query_start: async=1 for ksql_exec_async(), async=0 otherwise;
#  - ksql_cancel: reason=timeout for a caller that timed out, reason=signal
#    for one SIGKILLed, each with its query's id and txn_id=0;
#  - ksql_throttle: one per caller that waited for a slot (max_in_flight=1,
#    3 callers on a stopped daemon), ids of real queries, waiting >= 1;
#  - ksql_send_retry: sends to a daemon with a full receive queue
#    (ksqld --rcvbuf 4096, stopped), attempt >= 1, ids of real queries;
#  - ksql_txn: begin then commit (err 0) with one txn_id; begin then
#    rollback with another;
#  - ksql_log, ksql_log_lost, ksql_log_batch, ksql_log_ack: 3 rows, one too
#    big (seq 4, -E2BIG, reason too_big), 2 rows, a flush: six enqueues with
#    sequences 1..6, batches covering 1..6 with 5 rows, acks up to 6 freeing
#    5 rows;
#  - batching: with log_batch_rows=7 and log_flush_ms=10000, 3 rows wait
#    (none sent after 0.3 s), 70 rows go in at least 10 batches of at most
#    7; with log_flush_ms=100, 2 rows are sent by the timer alone.
# The events are disabled again at the end.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

T=/sys/kernel/tracing
if [ ! -d "$T/events" ]; then
	mount -t tracefs tracefs "$T" 2>/dev/null
	[ -d "$T/events" ] || T=/sys/kernel/debug/tracing
fi
for e in ksql_throttle ksql_send_retry ksql_cancel ksql_txn ksql_reject ksql_late \
	ksql_log ksql_log_batch ksql_log_ack ksql_log_lost; do
	[ -d "$T/events/ksql/$e" ] || fail "trace event ksql/$e is missing"
done

FAKE_PID=
trace_cleanup() {
	_rc77=$?
	echo 0 >"$T/events/ksql/enable" 2>/dev/null
	if [ -n "$FAKE_PID" ]; then
		kill -KILL "$FAKE_PID" 2>/dev/null
		wait "$FAKE_PID" 2>/dev/null
	fi
	(exit "$_rc77")
	lib_cleanup
}

setup
trap trace_cleanup EXIT
daemon_disconnected || fail "a daemon is registered at the start"

# ev EVENT: the fields of every EVENT line ("a=1 b=2 ..."), in order
ev() {
	echo "$trace" | sed -n "s/.* $1: //p"
}
# field NAME FIELDS: the value of NAME= (of the first line)
field() {
	echo " $2" | sed -n "s/.* $1=\([^ ]*\).*/\1/p" | head -n 1
}
# fields NAME FIELDS: the values of NAME=, one per line
fields() {
	echo "$2" | sed -n "s/^/ /; s/.* $1=\([^ ]*\).*/\1/p"
}
count() {
	echo "$1" | grep -c .
}
# take: the trace so far, then clear it
take() {
	trace=$(cat "$T/trace")
	echo >"$T/trace"
}
# start_ids: the ids of all query_start events of $trace
start_ids() {
	fields id "$(ev ksql_query_start)"
}
# is_start_id ID: ID is the id of a query_start event of $trace
is_start_id() {
	start_ids | grep -qx "$1"
}

echo 1 >"$T/events/ksql/enable" || fail "cannot enable events/ksql"
echo >"$T/trace" || fail "cannot clear $T/trace"

# --- late: a fake daemon's duplicate FINAL -------------------------------
ksql-nltool fake late >/tmp/77-fake.out 2>&1 &
FAKE_PID=$!
fake_up() {
	proc_gone "$FAKE_PID" && fail "the fake daemon exited early: $(cat /tmp/77-fake.out)"
	daemon_connected "$FAKE_PID"
}
wait_until 10000 "the fake daemon to register" fake_up
assert_eq "$(kexec 5000 "SELECT 1")" 0 "rc of the call answered by the fake daemon"
wait_until 5000 "the fake daemon to exit" proc_gone "$FAKE_PID"
wait "$FAKE_PID"
FAKE_PID=
qid=$(sed -n 's/^query //p' /tmp/77-fake.out)
is_int "$qid" || fail "the fake daemon got no QUERY: $(cat /tmp/77-fake.out)"
wait_until 5000 "the fake daemon's registration to go" daemon_disconnected
take
late=$(ev ksql_late)
assert_eq "$(count "$late")" 1 "ksql_late events"
assert_eq "$(field id "$late")" "$qid" "id of the late event"
log "late: id=$qid"

# --- reject: forged RESULT and BYE from this process ----------------------
daemon_start --rcvbuf 4096
take
dport=$(field portid "$(ev ksql_daemon_connect)")
is_int "$dport" || fail "no daemon_connect event with a portid: $trace"
ksql-nltool result 999999999 >/tmp/77-nlt.out 2>&1 &
forger=$!
wait "$forger"
ksql-nltool bye >>/tmp/77-nlt.out 2>&1
take
rej=$(ev ksql_reject)
assert_eq "$(count "$rej")" 2 "ksql_reject events ($(cat /tmp/77-nlt.out))"
assert_eq "$(fields cmd "$rej" | tr '\n' ' ')" "4 2 " "cmd of the reject events (RESULT, BYE)"
for p in $(fields portid "$rej"); do
	is_int "$p" || fail "reject event without a portid: $rej"
	[ "$p" != "$dport" ] || fail "a reject event names the daemon's port $dport: $rej"
done
# a process's first netlink socket usually gets its pid as port
log "reject: ports $(fields portid "$rej" | tr '\n' ' ')(forger pid $forger), daemon port $dport"

# --- async flag of query_start --------------------------------------------
# softirq: the most atomic context ksql_exec_async() accepts (hardirq is
# refused with -EOPNOTSUPP, 45-async)
async_expect_ok 3 soft
assert_eq "$(kexec 5000 "SELECT 2")" 0 "rc of a plain call"
take
starts=$(ev ksql_query_start)
assert_eq "$(count "$starts")" 4 "query_start events of 3 async and 1 plain call"
assert_eq "$(fields async "$starts" | tr '\n' ' ')" "1 1 1 0 " "async fields of the query_start events"

# --- cancel: timeout and signal -------------------------------------------
daemon_pause
assert_eq "$(kexec 300 "SELECT 3")" "-$ETIMEDOUT" "rc of a call on the stopped daemon"
sh -c "echo '30000 SELECT 4' > $KT/exec" 2>/dev/null &
victim=$!
wait_until 10000 "the victim to be in flight" in_flight_is 1
kill -KILL $victim
wait_until 2000 "the killed caller to exit" proc_gone $victim
wait $victim 2>/dev/null
take
ids=$(start_ids)
assert_eq "$(count "$ids")" 2 "query_start events of the timed-out and the killed call"
can=$(ev ksql_cancel)
assert_eq "$(count "$can")" 2 "ksql_cancel events: $can"
assert_eq "$(fields id "$can")" "$ids" "ids of the cancel events"
assert_eq "$(fields reason "$can" | tr '\n' ' ')" "timeout signal " "reasons of the cancel events"
assert_eq "$(fields txn_id "$can" | tr '\n' ' ')" "0 0 " "txn_id of the cancel events"
log "cancel: $(echo "$can" | tr '\n' ';')"

# --- throttle: 3 callers, 1 slot -------------------------------------------
param_set max_in_flight 1
threads_start 3 20000 "SELECT 5"
waiting_is_2() {
	counter_is waiting 2
}
wait_until 10000 "2 callers waiting for the slot" waiting_is_2
daemon_resume
wait_until 10000 "the 3 callers to finish" threads_done 3
bad=$(awk '$3 != 0' "$KT/threads")
[ -z "$bad" ] || fail "throttled callers failed: $bad"
threads_stop
take
thr=$(ev ksql_throttle)
assert_eq "$(count "$thr")" 2 "ksql_throttle events: $thr"
for id in $(fields id "$thr"); do
	is_start_id "$id" || fail "throttle event for id $id, which no query_start has: $trace"
done
for w in $(fields waiting "$thr"); do
	assert_ge "$w" 1 "waiting field of a throttle event"
done
log "throttle: $(echo "$thr" | tr '\n' ';')"
params_restore

# --- send retry: a full receive queue ---------------------------------------
param_set default_timeout_ms 30000
retries0=$(counter "send retries")
daemon_pause
async_fire 100 soft
wait_until 20000 "a send retry" counter_ge "send retries" $((retries0 + 1))
daemon_resume
wait_until 60000 "100 async answers" async_settled
assert_eq "$(async_field ok)" 100 "async right answers after the retries"
take
ret=$(ev ksql_send_retry)
[ "$(count "$ret")" -ge 1 ] || fail "no ksql_send_retry event, though send retries grew"
for id in $(fields id "$ret"); do
	is_start_id "$id" || fail "send_retry event for id $id, which no query_start has"
done
for a in $(fields attempt "$ret"); do
	assert_ge "$a" 1 "attempt field of a send_retry event"
done
log "send retry: $(count "$ret") events, first: $(echo "$ret" | head -n 1)"
params_restore

# --- transactions -----------------------------------------------------------
kcheck txn
take
tx=$(ev ksql_txn)
assert_eq "$(fields op "$tx" | tr '\n' ' ')" "begin commit begin rollback " "ops of the ksql_txn events: $tx"
assert_eq "$(fields err "$tx" | tr '\n' ' ')" "0 0 0 0 " "err of the ksql_txn events"
t1=$(fields txn_id "$tx" | sed -n 1p)
t2=$(fields txn_id "$tx" | sed -n 2p)
t3=$(fields txn_id "$tx" | sed -n 3p)
t4=$(fields txn_id "$tx" | sed -n 4p)
if ! is_int "$t1" || [ "$t1" = 0 ]; then
	fail "begin event without a txn_id: $tx"
fi
assert_eq "$t2" "$t1" "txn_id of the commit"
assert_eq "$t4" "$t3" "txn_id of the rollback"
[ "$t3" != "$t1" ] || fail "two transactions with one txn_id $t1"
log "txn: $(echo "$tx" | tr '\n' ';')"

# --- logging: enqueue, loss, batch send, ack ---------------------------------
klog "open log77"
take
klog "log 3"
if echo big >"$KT/log" 2>/dev/null; then
	fail "a row larger than any batch was accepted"
fi
klog "log 2"
klog "flush $(slack 10000)"
take
lg=$(ev ksql_log)
assert_eq "$(count "$lg")" 6 "ksql_log events: $lg"
assert_eq "$(fields table "$lg" | sort -u)" log77 "table of the ksql_log events"
assert_eq "$(fields seq "$lg" | tr '\n' ' ')" "1 2 3 4 5 6 " "seq of the ksql_log events"
assert_eq "$(fields ret "$lg" | tr '\n' ' ')" "0 0 0 -$E2BIG 0 0 " "ret of the ksql_log events"
lost=$(ev ksql_log_lost)
assert_eq "$(count "$lost")" 1 "ksql_log_lost events: $lost"
assert_eq "$(field seq "$lost") $(field reason "$lost")" "4 too_big" "the ksql_log_lost event"
bt=$(ev ksql_log_batch)
assert_eq "$(fields first_seq "$bt" | head -n 1)" 1 "first_seq of the first ksql_log_batch: $bt"
assert_eq "$(fields last_seq "$bt" | tail -n 1)" 6 "last_seq of the last ksql_log_batch: $bt"
assert_eq "$(fields rows "$bt" | awk '{ s += $1 } END { print s }')" 5 "rows of the ksql_log_batch events: $bt"
ak=$(ev ksql_log_ack)
assert_eq "$(fields seq "$ak" | tail -n 1)" 6 "seq of the last ksql_log_ack: $ak"
assert_eq "$(fields rows "$ak" | awk '{ s += $1 } END { print s }')" 5 "rows freed by the ksql_log_ack events: $ak"
klog close
log "log: $(echo "$bt" | tr '\n' ';') acks: $(echo "$ak" | tr '\n' ';')"

# --- batching: the row threshold and the time threshold --------------------
param_set log_batch_rows 7
param_set log_flush_ms 10000
klog "open log77b"
take
klog "log 3"
sleep 0.3
assert_eq "$(table_stat log77b sent)" 0 "rows sent while 3 < log_batch_rows wait for log_flush_ms"
klog "log 67"
klog "flush $(slack 10000)"
take
bt=$(ev ksql_log_batch)
assert_eq "$(fields rows "$bt" | awk '{ s += $1 } END { print s }')" 70 "rows of the ksql_log_batch events"
assert_eq "$(fields rows "$bt" | awk '$1 > 7 { n++ } END { print n + 0 }')" 0 "batches over log_batch_rows=7: $bt"
assert_ge "$(count "$bt")" 10 "batches for 70 rows of at most 7"
param_set log_flush_ms 100
klog "log 2"
all_sent() {
	[ "$(table_stat log77b sent)" -ge 72 ]
}
wait_until "$(slack 5000)" "the 2 rows sent by the log_flush_ms timer, without a flush" all_sent
klog close
params_restore
log "batching: $(count "$bt") batches of at most 7 rows for 70, the time threshold sends 2 rows"

echo 0 >"$T/events/ksql/enable"
assert_eq "$(cat "$T/events/ksql/enable")" 0 "events/ksql/enable at the end"
assert_eq "$(counter "in flight")" 0 "in flight at the end"
