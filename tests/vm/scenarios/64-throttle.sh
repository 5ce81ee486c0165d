#!/bin/sh
# 64-throttle: with max_in_flight=4,
#  - 64 kernel threads (each verifying its own answers, "mixed 64 5") queued
#    behind a stopped daemon: 4 in flight, 60 waiting, "throttled" +60;
#    after SIGCONT all complete correctly, "waiting" and "in flight" are 0;
#  - the cap full on a stopped daemon: a waiting caller's timeout gives
#    -ETIMEDOUT on time, a waiting caller's SIGKILL ends it within 1 s;
#    no slot is lost: afterwards 4 callers can be in flight again and all
#    complete after SIGCONT.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

CAP=4
N=64

setup
param_set max_in_flight $CAP
daemon_start

waiting_is() {
	counter_is waiting "$1"
}

# --- 64 verifying callers through 4 slots -------------------------------
th0=$(counter throttled)
kcheck mixed_reset	# the table, before the pause: only the threads wait
daemon_pause
kcheck_bg mixed $N 5 keep
wait_until 20000 "$CAP callers in flight" in_flight_is $CAP
wait_until 20000 "$((N - CAP)) callers waiting for a slot" waiting_is $((N - CAP))
assert_ge "$(counter throttled)" $((th0 + N - CAP)) "throttled after $N callers met $CAP slots"
assert_eq "$(counter "in flight")" $CAP "in flight while the daemon is stopped"
daemon_resume
kcheck_wait 120000
assert_eq "$(counter waiting)" 0 "waiting after the $N callers"
assert_eq "$(counter "in flight")" 0 "in flight after the $N callers"
log "$N callers through $CAP slots, all answers right; throttled +$(($(counter throttled) - th0))"

# --- the cap full: waiting callers time out and die cleanly --------------
daemon_pause
threads_start $CAP 30000 "SELECT 1"
wait_until 10000 "$CAP callers holding the slots" in_flight_is $CAP
to0=$(counter "timed out")
rc=$(kexec 500 "SELECT 2")
assert_eq "$rc" "-$ETIMEDOUT" "rc of a caller waiting for a slot with a 500 ms timeout"
us=$(sed -n 's/^elapsed_us=//p' "$KT/exec")
assert_ge "$us" 490000 "us until the waiting caller timed out"
assert_le "$us" "$(slack 1500000)" "us until the waiting caller timed out"
assert_eq "$(counter "timed out")" $((to0 + 1)) "timed out after the waiting caller"
assert_eq "$(counter waiting)" 0 "waiting after the timeout"

int0=$(counter interrupted)
sh -c "echo '30000 SELECT 3' > $KT/exec" 2>/dev/null &
writer=$!
wait_until 10000 "a caller waiting for a slot" waiting_is 1
t0=$(now_ms)
kill -KILL $writer
wait_until 2000 "the killed waiting caller to exit" proc_gone $writer
ms=$(($(now_ms) - t0))
wait $writer 2>/dev/null
assert_le "$ms" "$(slack 1000)" "ms until the killed waiting caller was gone"
assert_eq "$(counter waiting)" 0 "waiting after the kill"
assert_eq "$(counter interrupted)" $((int0 + 1)) "interrupted after the kill"
assert_eq "$(counter "in flight")" $CAP "in flight (the slot holders) after the kill"
log "cap full: waiting caller -ETIMEDOUT after $((us / 1000)) ms; killed waiting caller gone in $ms ms"

daemon_resume
wait_until 10000 "the $CAP slot holders to finish" threads_done $CAP
bad=$(awk '$3 != 0' "$KT/threads")
[ -z "$bad" ] || fail "slot holders failed: $bad"
wait_until 5000 "no request in flight" in_flight_is 0

# no slot lost: all 4 can be taken again at once
daemon_pause
threads_start $CAP 30000 "SELECT 4"
wait_until 10000 "$CAP callers in flight again (a lost slot would leave fewer)" in_flight_is $CAP
daemon_resume
wait_until 10000 "the $CAP callers to finish" threads_done $CAP
bad=$(awk '$3 != 0' "$KT/threads")
[ -z "$bad" ] || fail "callers failed after the timeouts and the kill: $bad"
threads_stop
assert_eq "$(counter waiting)" 0 "waiting at the end"
assert_eq "$(counter "in flight")" 0 "in flight at the end"
kcheck simple
