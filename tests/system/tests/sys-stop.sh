#!/bin/bash
# sys-stop: "systemctl stop ksqld" with kernel callers blocked in a long
# query: the stop is clean (Result=success) and the callers return
# -ENOTCONN by the end of the stop + 1 s (ksqld interrupts their statement
# and leaves it unanswered; its BYE fails them); new kernel calls get
# -ENOTCONN at once (< 100 ms); "systemctl start ksqld" serves again.
# shellcheck source=tests/system/lib.sh
. "$PAYLOAD/lib.sh"

N=2
SLOW="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) SELECT COUNT(*) FROM c"

cleanup() {
	[[ -e $KT/threads ]] && echo stop >"$KT/threads" 2>/dev/null
	service_running || systemctl start ksqld.service
}
trap cleanup EXIT

in_flight_is() {
	[[ $(counter "in flight") -eq $1 ]]
}

wait_running 60000 "before the test"
ktest_load
threads_start "$N" 120000 "$SLOW"
wait_until 10000 "$N kernel callers in flight" in_flight_is "$N"
sleep 1
echo >"$KT/mark"
t0=$(now_ms)
systemctl stop ksqld.service || fail "systemctl stop ksqld failed"
t1=$(now_ms)
log "systemctl stop took $((t1 - t0)) ms: $(show_unit)"
assert_eq "$(prop ActiveState)" inactive "state after systemctl stop"
assert_eq "$(prop Result)" success "result of the stop (a clean exit on SIGTERM, not a kill on timeout)"
wait_until 2000 "the module to see the daemon gone" daemon_disconnected
wait_until 2000 "the $N blocked callers to return" threads_done "$N"
cat "$KT/threads"
# -ENOTCONN, by the end of the stop + 1 s
bad=$(awk -v max=$(((t1 - t0) * 1000 + 1000000)) -v want=-"$ENOTCONN" '$3 != want || $5 > max' "$KT/threads")
[[ -z $bad ]] || fail "blocked callers that did not get -ENOTCONN by the end of the stop + 1 s (idx state rc elapsed_us after_mark_us): $bad"
log "the blocked callers returned $(awk '{ print $3 }' "$KT/threads" | sort | uniq -c | awk '{ printf "%s%s x rc %s", s, $1, $2; s = ", " }') by the end of the stop"
echo stop >"$KT/threads"

for i in 1 2 3; do
	read -r rc us < <(kexec 5000 "SELECT $i")
	assert_eq "$rc" -$ENOTCONN "a kernel call with ksqld stopped"
	assert_le "$us" 100000 "us before -ENOTCONN with ksqld stopped"
	log "kernel call with ksqld stopped: -ENOTCONN after $us us"
done

systemctl start ksqld.service || fail "systemctl start ksqld failed"
wait_running 60000 "after systemctl start"
kexec_ok 5000 "SELECT 6 * 7" "INT 42"
assert_eq "$(ctl_value root "SELECT 6 * 7 AS n")" 42 "ksqlctl query after the start"
log "serving again: $(show_unit)"
