#!/bin/sh
# 60-timeout: with the daemon stopped, callers get -ETIMEDOUT on time
# (within [timeout, timeout + 1 s]); after SIGCONT the daemon disposes of
# the 5 abandoned queries (drops them on the CANCEL or their deadline, or
# answers late: those replies are counted exactly) and nothing is harmed.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

setup
daemon_start

late0=$(counter "late replies")
ab0=$(abandoned_count)
to0=$(counter "timed out")

daemon_pause
kcheck timeout 300

# four kernel threads at once, 300 ms each
threads_start 4 300 "SELECT 2"
wait_until 10000 "4 callers to time out" threads_done 4
bad=$(awk -v e="-$ETIMEDOUT" -v max=$((300000 + $(slack 1000000))) '$3 != e || $4 < 290000 || $4 > max' "$KT/threads")
[ -z "$bad" ] || fail "callers without -ETIMEDOUT in 300..1300 ms (idx state rc elapsed_us):
$bad"
log "4 threads: -ETIMEDOUT after $(awk '{ printf "%s%d", s, $4 / 1000; s = "," }' "$KT/threads") ms"
threads_stop

assert_eq "$(counter "timed out")" $((to0 + 5)) "timed out counter"
assert_eq "$(counter "in flight")" 0 "in flight after the timeouts"
assert_eq "$(counter "late replies")" "$late0" "late replies while the daemon is stopped"

daemon_resume
wait_until 10000 "the daemon to dispose of the 5 abandoned queries" abandoned_is $((ab0 + 5))
late1=$(counter "late replies")
log "abandoned queries: $((late1 - late0)) answered late, $((5 - late1 + late0)) dropped by ksqld"
kcheck simple
assert_eq "$(counter "late replies")" "$late1" "late replies after the next query"
assert_eq "$(abandoned_count)" $((ab0 + 5)) "abandoned queries disposed of after the next query"
kexec_ok 5000 "SELECT 'after' AS a" 'TEXT(5) "after"'
assert_eq "$(counter "in flight")" 0 "in flight at the end"
