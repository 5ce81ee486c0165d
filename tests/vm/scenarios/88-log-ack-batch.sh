#!/bin/sh
# 88-log-ack-batch: one LOG_ACK covering a backlog of 3000 rows frees them
# all, in steps: `log ack free max` (the most ring entries one LOG_ACK freed
# in one hold of the table's IRQ-off lock, a high-water mark over the boot)
# is exactly 256, the batch size, although 3000 were freed by that one ack;
# the table ends with acked = logged = 3000 and an empty backlog, and dmesg
# stays clean (the suite checks it; lockdep and irqsoff on the debug kernel).
# Issue 12 item 7.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

FAKE_OUT=/tmp/88-fake.out
FAKE_PID=
ROWS=3000

cleanup_88() {
	_rc88=$?
	if [ -n "$FAKE_PID" ]; then
		kill -KILL "$FAKE_PID" 2>/dev/null
		wait "$FAKE_PID" 2>/dev/null
	fi
	(exit "$_rc88")
	lib_cleanup
}

setup
trap cleanup_88 EXIT
daemon_disconnected || fail "a daemon is registered at the start: $(ksqlctl status 2>&1)"

daemon_start
klog "open log88"
daemon_stop
klog "log $ROWS"
assert_eq "$(table_stat log88 backlog_rows)" "$ROWS" "table log88: backlog rows before the ack"
max0=$(counter "log ack free max")
assert_le "$max0" 256 "log ack free max before the big ack"

# the fake daemon gets the whole backlog, then acks all of it at once
ksql-nltool fake-log log88 >"$FAKE_OUT" 2>&1 &
FAKE_PID=$!
wait_until 60000 "ksql-nltool fake-log to exit" proc_gone "$FAKE_PID"
wait "$FAKE_PID"
_frc=$?
FAKE_PID=
[ "$_frc" = 0 ] || fail "ksql-nltool fake-log exited $_frc: $(cat "$FAKE_OUT")"
log "fake-log: $(tr '\n' ';' <"$FAKE_OUT")"
assert_eq "$(sed -n 's/^log epoch [0-9]* first \([0-9]*\) last \([0-9]*\) .*/\1 \2/p' "$FAKE_OUT")" \
	"1 $ROWS" "fake-log: the sequences of the backlog"
assert_eq "$(sed -n 's/^ack \(-*[0-9]*\).*/\1/p' "$FAKE_OUT" | tail -n 1)" 0 "fake-log: the valid LOG_ACK"
assert_eq "$(table_stat log88 acked)" "$ROWS" "table log88: acked"
assert_eq "$(table_stat log88 backlog_rows)" 0 "table log88: backlog rows"
assert_eq "$(counter "log ack free max")" 256 "most entries freed in one lock hold"
log "one LOG_ACK freed $ROWS rows, at most 256 per hold of the lock"

wait_until 5000 "the fake daemon's registration to go" daemon_disconnected
klog close
