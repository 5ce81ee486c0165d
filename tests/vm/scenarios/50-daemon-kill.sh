#!/bin/sh
# 50-daemon-kill: 16 kernel callers blocked on a stopped daemon all return
# -ENOTCONN within 1 s after the daemon is SIGKILLed; a new daemon then
# serves calls again without reloading the module.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

N=16
setup
daemon_start

sent0=$(counter sent)
conn0=$(counter "daemon connects")

daemon_pause
threads_start $N 30000 "SELECT 1"
wait_until 10000 "$N callers blocked in ksql" in_flight_is $N
threads_running $N || fail "not all $N threads are inside ksql: $(cat "$KT/threads")"
assert_eq "$(counter sent)" $((sent0 + N)) "sent"

echo >"$KT/mark"
kill -KILL "$KSQLD_PID"
wait_until 5000 "all $N callers to return" threads_done $N
daemon_kill KILL	# reap it

bad=$(awk -v e="-$ENOTCONN" -v max="$(slack 1000000)" '$3 != e || $5 < 0 || $5 > max' "$KT/threads")
[ -z "$bad" ] || fail "callers that did not get -ENOTCONN within 1 s of the SIGKILL (idx state rc elapsed_us after_mark_us):
$bad"
max=$(awk 'BEGIN { m = 0 } $5 > m { m = $5 } END { print m }' "$KT/threads")
log "all $N callers got -ENOTCONN, the last $max us after the SIGKILL"
assert_eq "$(counter "in flight")" 0 "in flight after the daemon died"
assert_eq "$(status_of daemon)" "not connected" "daemon state"
threads_stop

# a new daemon takes over, same module
daemon_start
assert_eq "$(counter "daemon connects")" $((conn0 + 1)) "daemon connects"
kcheck simple
threads_start 4 10000 "SELECT 6 * 7"
wait_until 10000 "4 callers to finish" threads_done 4
bad=$(awk '$3 != 0' "$KT/threads")
[ -z "$bad" ] || fail "callers failed after the restart: $bad"
log "after the restart: 4 of 4 callers served"
