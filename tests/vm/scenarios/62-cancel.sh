#!/bin/sh
# 62-cancel: a query that would run for hours (counting to 10^12) stops
# using the daemon's CPU soon after its caller gives up:
#  - on the caller's timeout (1 s): -ETIMEDOUT, the daemon interrupts the
#    statement (its deadline or the module's CANCEL), "ksqld running" is
#    back to 0 and ksqld's CPU time (/proc/PID/stat utime + stime) stops
#    growing; the next query is answered normally;
#  - on a fatal signal of a caller with a 60 s timeout: the deadline is far,
#    so only the CANCEL can stop it: "ksqld cancelled running" +1 within
#    2 s of the SIGKILL, same CPU check, next query fine.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

SLOW="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000000) SELECT count(*) FROM c"
# ksqld may use at most this many clock ticks (USER_HZ, 10 ms) in the
# second after the statement stopped: an idle daemon uses ~0, a running
# statement ~100
IDLE_TICKS=10

setup
daemon_start

# daemon_idle WHAT: nothing runs in ksqld and its CPU time does not grow
daemon_idle() {
	wait_until 3000 "ksqld to run no statement ($1)" counter_is "ksqld running" 0
	t0=$(cpu_ticks "$KSQLD_PID")
	sleep 1
	t1=$(cpu_ticks "$KSQLD_PID")
	assert_le $((t1 - t0)) $IDLE_TICKS "ksqld CPU ticks in the second after $1"
	log "$1: ksqld used $((t1 - t0)) ticks in the next second"
}

running_is_1() {
	counter_is "ksqld running" 1
}

# --- the caller's timeout ----------------------------------------------
stopped0=$(($(counter "ksqld deadline interrupts") + $(counter "ksqld cancelled running")))
to0=$(counter "timed out")
rc=$(kexec 1000 "$SLOW")
assert_eq "$rc" "-$ETIMEDOUT" "rc of the slow query with a 1 s timeout"
us=$(sed -n 's/^elapsed_us=//p' "$KT/exec")
assert_le "$us" "$(slack 2000000)" "us until the slow query timed out"
assert_eq "$(counter "timed out")" $((to0 + 1)) "timed out counter"
stopped_ge() {
	[ $(($(counter "ksqld deadline interrupts") + $(counter "ksqld cancelled running"))) -ge "$1" ]
}
wait_until 3000 "ksqld to interrupt the slow statement" stopped_ge $((stopped0 + 1))
daemon_idle "the timeout"
log "timeout: deadline interrupts $(counter "ksqld deadline interrupts"), cancelled running $(counter "ksqld cancelled running"), cancels sent $(counter "cancels sent")"
kexec_ok 5000 "SELECT 'next' AS a" 'TEXT(4) "next"'

# --- SIGKILL of a caller with a 60 s timeout ---------------------------
cr0=$(counter "ksqld cancelled running")
int0=$(counter interrupted)
cs0=$(counter "cancels sent")
sh -c "echo '60000 $SLOW' > $KT/exec" 2>/dev/null &
writer=$!
wait_until 10000 "the slow statement to run in ksqld" running_is_1
sleep 0.5	# it really burns CPU now
t0=$(cpu_ticks "$KSQLD_PID")
sleep 0.5
t1=$(cpu_ticks "$KSQLD_PID")
[ $((t1 - t0)) -gt $IDLE_TICKS ] || fail "the slow statement uses only $((t1 - t0)) ticks in 0.5 s: the CPU check below would prove nothing"
kill -KILL $writer
wait_until 2000 "the killed caller to exit" proc_gone $writer
wait $writer 2>/dev/null
wait_until 2000 "ksqld to stop the statement on the CANCEL" counter_is "ksqld cancelled running" $((cr0 + 1))
assert_eq "$(counter interrupted)" $((int0 + 1)) "interrupted counter"
assert_ge "$(counter "cancels sent")" $((cs0 + 1)) "cancels sent"
daemon_idle "the SIGKILL"
log "SIGKILL: cancelled running +1, cancel latency max $(counter "ksqld cancel latency max us") us"
kexec_ok 5000 "SELECT 'after' AS a" 'TEXT(5) "after"'
assert_eq "$(counter "in flight")" 0 "in flight at the end"
