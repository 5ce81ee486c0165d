#!/bin/bash
# sys-watchdog: ksqld feeds systemd's watchdog while healthy (idle and
# serving: no restart for 2.5 x WatchdogSec), and a SIGSTOPped ksqld is
# restarted by the watchdog within 2 x WatchdogSec; kernel callers blocked
# on it meanwhile all return (answer, timeout or -ENOTCONN), none hangs.
# WatchdogSec is lowered for the test by a runtime drop-in (said in the
# output; the effective value is read back from systemctl show), removed
# afterwards.
# shellcheck source=tests/system/lib.sh
. "$PAYLOAD/lib.sh"

WD=${KSQL_SYSTEST_WATCHDOG_SEC:-10}
N=8
dropin_dir=/run/systemd/system/ksqld.service.d
dropin=$dropin_dir/50-ksql-systest-watchdog.conf
stopped_pid=

cleanup() {
	[[ -n $stopped_pid ]] && kill -CONT "$stopped_pid" 2>/dev/null
	[[ -e $KT/threads ]] && echo stop >"$KT/threads" 2>/dev/null
	if [[ -e $dropin ]]; then
		rm -f "$dropin"
		systemctl daemon-reload
		systemctl restart ksqld.service
	fi
}
trap cleanup EXIT

# timespan_ms TEXT: systemd's "10s", "1min 30s", "500ms" in milliseconds
timespan_ms() {
	local t=$1 ms=0 n u
	while [[ $t =~ ^[[:space:]]*([0-9]+)(min|ms|us|s|h)(.*)$ ]]; do
		n=${BASH_REMATCH[1]} u=${BASH_REMATCH[2]} t=${BASH_REMATCH[3]}
		case $u in
		h) ms=$((ms + n * 3600000)) ;;
		min) ms=$((ms + n * 60000)) ;;
		s) ms=$((ms + n * 1000)) ;;
		ms) ms=$((ms + n)) ;;
		us) ms=$((ms + n / 1000)) ;;
		esac
	done
	[[ -z ${t// /} ]] || { echo "?"; return 1; }
	echo "$ms"
}

wait_running 60000 "before the test"
orig=$(prop WatchdogUSec)
orig_ms=$(timespan_ms "$orig") || fail "cannot read WatchdogUSec '$orig'"
[[ $orig_ms -gt 0 ]] || fail "ksqld.service has no watchdog (WatchdogUSec=$orig)"
mkdir -p "$dropin_dir"
printf '# ksql system test (sys-watchdog): a shorter watchdog, removed afterwards\n[Service]\nWatchdogSec=%ss\n' "$WD" >"$dropin"
systemctl daemon-reload
systemctl restart ksqld.service || fail "systemctl restart ksqld failed"
wait_running 60000 "after the restart with WatchdogSec=${WD}s"
eff=$(prop WatchdogUSec)
wd_ms=$(timespan_ms "$eff") || fail "cannot read WatchdogUSec '$eff'"
assert_eq "$wd_ms" $((WD * 1000)) "effective WatchdogUSec ($eff) after the drop-in"
log "WatchdogSec lowered for this test from $orig (the unit's) to $eff by the drop-in $dropin"
ktest_load

# --- healthy: the watchdog never fires ----------------------------------
pid0=$(main_pid)
nr0=$(prop NRestarts)
end=$(($(now_ms) + wd_ms * 5 / 2))
n=0
while [[ $(now_ms) -lt $end ]]; do
	kexec_ok 5000 "SELECT 6 * 7" "INT 42"
	n=$((n + 1))
	sleep 1
done
assert_eq "$(main_pid)" "$pid0" "ksqld's pid after 2.5 x WatchdogSec of healthy service ($n queries): the watchdog fired on a healthy daemon"
assert_eq "$(prop NRestarts)" "$nr0" "restarts during healthy service"
log "healthy for $((wd_ms * 5 / 2)) ms ($n kernel queries): no watchdog restart"

# --- stopped: the watchdog restarts it ----------------------------------
cursor=$(journal_cursor)
echo >"$KT/mark"
kill -STOP "$pid0" || fail "kill -STOP $pid0 failed"
stopped_pid=$pid0
t0=$(now_ms)
# callers blocked on the stopped daemon: N kthreads with a timeout beyond
# the watchdog (they end when the daemon dies), one task with a short one
threads_start "$N" $((wd_ms * 4)) "SELECT 1"
(kexec 2000 "SELECT 2" >"$STATE/watchdog-short.out") &
short=$!
restarted() {
	[[ $(prop NRestarts) -gt $nr0 && $(main_pid) -gt 0 && $(main_pid) != "$pid0" ]] && service_running
}
wait_until $((wd_ms * 2 + 30000)) "systemd to restart the SIGSTOPped ksqld" restarted
t1=$(now_ms)
stopped_pid=
log "restarted $((t1 - t0)) ms after the SIGSTOP: $(show_unit)"
j=$(journal_since "$cursor" -u ksqld.service -o cat)
echo "$j" | grep -E 'Watchdog|Killing|Main process exited|restart' | sed 's/^/journal: /'
assert_contains "$j" "Watchdog timeout" "systemd's journal after the SIGSTOP (the watchdog must be what restarted ksqld)"
assert_le $((t1 - t0)) $((wd_ms * 2)) "ms from the SIGSTOP to the restart (2 x WatchdogSec)"
wait_running 60000 "after the watchdog restart"

wait_until 30000 "the $N blocked kernel callers to return" threads_done "$N"
bad=$(awk -v max=$((wd_ms * 2 * 1000 + 5000000)) '($3 != 0 && $3 != -107 && $3 != -110) || $4 > max' "$KT/threads")
[[ -z $bad ]] || fail "kernel callers with another outcome than an answer, -ENOTCONN or -ETIMEDOUT within 2 x WatchdogSec + 5 s (idx state rc elapsed_us after_mark_us): $bad"
log "blocked kernel callers (idx state rc elapsed_us after_mark_us):"
cat "$KT/threads"
wait "$short"
read -r src sus <"$STATE/watchdog-short.out"
[[ $src == -110 || $src == -107 || $src == 0 ]] || fail "the caller with a 2 s timeout returned $src"
assert_le "$sus" 4000000 "us the caller with a 2 s timeout waited"
log "the caller with a 2 s timeout: rc $src after $sus us"
kexec_ok 5000 "SELECT 6 * 7" "INT 42"
echo stop >"$KT/threads"

# --- back to the unit's own watchdog ------------------------------------
rm -f "$dropin"
systemctl daemon-reload
systemctl restart ksqld.service || fail "systemctl restart ksqld failed"
wait_running 60000 "after the drop-in was removed"
assert_eq "$(prop WatchdogUSec)" "$orig" "WatchdogUSec after removing the drop-in"
