#!/bin/bash
# sys-reboot: after a clean reboot ("systemctl reboot" at the end of the
# previous phase) the service came back by itself (ksql.ko loaded at boot,
# ksqld.service active (running), a new process, no restart, registered in
# this boot's journal), ksqld had stopped cleanly in the previous boot, the
# root file system needed no journal recovery, and the database still holds
# the rows of the previous boot's tests (the exec sample's rows, the
# exactly-once table of sys-kill), read by sqlite3 and ksqlctl; SQLite's
# integrity check passes.
# shellcheck source=tests/system/lib.sh
. "$PAYLOAD/lib.sh"

module_loaded ksql || fail "ksql.ko was not loaded at boot"
wait_running 120000 "after the reboot"
log "$(show_unit)"
assert_eq "$(prop NRestarts)" 0 "restarts of ksqld since the boot"
before=$(cat "$STATE/ksqld-pid-before-reboot" 2>/dev/null)
prev_boot=$(tr -d '-' <"$STATE/boot-id-before-reboot" 2>/dev/null)
now_boot=$(tr -d '-' </proc/sys/kernel/random/boot_id)
[[ -n $prev_boot && $prev_boot != "$now_boot" ]] || fail "no reboot happened (boot id $now_boot, before: ${prev_boot:-none})"
log "boot $prev_boot -> $now_boot; ksqld pid before the reboot ${before:-?}, now $(main_pid)"
journalctl --no-pager -b -u ksqld.service -o cat | grep -q 'registered with the ksql module' ||
	fail "no 'registered with the ksql module' line from ksqld in this boot's journal"
failed=$(systemctl --failed --no-legend --plain)
[[ -z $failed ]] || fail "failed units after the reboot: $failed"

# the previous boot ended cleanly
# (its last stop: the tests of that boot restarted ksqld on purpose)
prev=$(journalctl --no-pager -b -1 -u ksqld.service -o cat 2>&1)
last_stop=$(echo "$prev" | grep -n 'Stopping ksqld.service' | tail -n 1 | cut -d: -f1)
[[ -n $last_stop ]] || fail "the previous boot's journal has no 'Stopping ksqld.service': was it a clean shutdown? $(echo "$prev" | tail -n 3 | tr '\n' ' ')"
shutdown=$(echo "$prev" | tail -n +"$last_stop")
echo "$shutdown" | sed 's/^/previous boot: /'
echo "$shutdown" | grep -Eq 'Deactivated successfully|Stopped ksqld.service' || fail "ksqld did not stop cleanly at the end of the previous boot: $(echo "$shutdown" | tr '\n' ' ')"
echo "$shutdown" | grep -q 'Failed with result' && fail "ksqld failed while stopping at the end of the previous boot: $(echo "$shutdown" | grep 'Failed with result' | tail -n 1)"
dmesg | grep -E 'EXT4-fs \(vda\): (recovery complete|orphan cleanup)' &&
	fail "the root file system needed a recovery: the reboot was not clean"

# the data survived
[[ -f $KSQL_DB ]] || fail "$KSQL_DB is gone after the reboot"
probe=$(state_get EXEC_PROBE)
exec_rows=$(state_get EXEC_ROWS)
[[ -n $probe && -n $exec_rows ]] || fail "the previous phase recorded no exec rows (sys-access did not get that far)"
assert_eq "$(db_count "SELECT COUNT(*) FROM exec WHERE filename = '$probe'")" "$exec_rows" "exec rows after the reboot (sqlite3)"
assert_eq "$(ctl_value root "SELECT COUNT(*) AS n FROM exec WHERE filename = '$probe'")" "$exec_rows" "exec rows after the reboot (ksqlctl)"
kill_rows=$(state_get KILL_ROWS)
if [[ -n $kill_rows ]]; then
	t=$(state_get KILL_TABLE) run=$(state_get KILL_RUN)
	assert_eq "$(db_count "SELECT COUNT(*) FROM $t WHERE run = $run")" "$kill_rows" "rows of $t (sys-kill) after the reboot"
	assert_eq "$(db_count "SELECT COUNT(*) FROM (SELECT src, n FROM $t WHERE run = $run GROUP BY src, n HAVING COUNT(*) > 1)")" 0 \
		"duplicate rows of $t after the reboot"
	log "$t: $kill_rows rows of run $run still there, no duplicate"
else
	log "no rows of sys-kill to compare (it did not get that far)"
fi
assert_eq "$(sqlite3 -readonly "$KSQL_DB" 'PRAGMA integrity_check' 2>&1)" ok "PRAGMA integrity_check"
log "$exec_rows exec rows still there; integrity check ok"
