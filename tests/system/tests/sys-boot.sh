#!/bin/bash
# sys-boot: after a reboot ksql.ko was loaded at boot and ksqld.service is
# active (running), Type=notify, reached through READY=1 (which ksqld sends
# only once registered with the module), as user ksql, its control socket
# 0660 group ksql; no unit failed. Then the proof that READY=1 waits for the
# registration: with the module made unloadable, a started ksqld stays
# "activating" (STATUS= says what it waits for) and becomes active only
# once the module is loaded.
# shellcheck source=tests/system/lib.sh
. "$PAYLOAD/lib.sh"

override=/run/modprobe.d/ksql-systest-block.conf
cleanup() {
	rm -f "$override"
}
trap cleanup EXIT

module_loaded ksql || fail "ksql.ko was not loaded at boot (modprobe@ksql.service: $(systemctl show -p ActiveState,Result --value modprobe@ksql.service | tr '\n' ' '))"
wait_running 60000 "after the boot"
log "$(show_unit)"
assert_eq "$(prop Type)" notify "Type of ksqld.service"
assert_eq "$(prop NRestarts)" 0 "restarts of ksqld since the boot"
assert_eq "$(prop UnitFileState)" enabled "ksqld.service enabled"
pid=$(main_pid)
assert_eq "$(ps -o user= -p "$pid" | tr -d ' ')" ksql "user of ksqld (pid $pid)"
assert_eq "$(stat -c '%a %U %G' "$KSQL_SOCK" 2>&1)" "660 ksql ksql" "mode, owner and group of $KSQL_SOCK"
failed=$(systemctl --failed --no-legend --plain)
[[ -z $failed ]] || fail "failed units after the boot: $failed"

# READY=1 came after the registration: the journal of this boot has
# ksqld's "registered" line before systemd's "Started ksqld.service"
j=$(journalctl --no-pager -b -u ksqld.service -o short-monotonic)
reg=$(echo "$j" | grep -n -m1 'registered with the ksql module' | cut -d: -f1)
started=$(echo "$j" | grep -n -m1 'Started ksqld.service' | cut -d: -f1)
[[ -n $reg ]] || fail "no 'registered with the ksql module' line from ksqld in this boot's journal: $(echo "$j" | tail -n 8)"
[[ -n $started ]] || fail "no 'Started ksqld.service' line in this boot's journal"
[[ $reg -lt $started ]] || fail "systemd reported ksqld started before ksqld registered with the module (READY=1 too early): $(echo "$j" | sed -n "${started}p;${reg}p")"
log "journal: $(echo "$j" | sed -n "${reg}p")"
log "journal: $(echo "$j" | sed -n "${started}p")"

# --- READY=1 waits for the module -------------------------------------
systemctl stop ksqld.service || fail "systemctl stop ksqld failed"
for m in ksql_netflow ksql_exec ksql_hello ksql_test ksql; do
	module_loaded "$m" && { rmmod "$m" || fail "rmmod $m failed"; }
done
mkdir -p /run/modprobe.d
echo "install ksql /bin/false" >"$override"	# modprobe@ksql cannot load it now
systemctl start --no-block ksqld.service || fail "systemctl start --no-block ksqld failed"
has_pid() {
	[[ $(main_pid) -gt 0 ]]
}
wait_until 30000 "ksqld's process to start" has_pid
sleep 5	# time to register, if it wrongly thought it could
log "without the module: $(show_unit)"
assert_eq "$(prop ActiveState)" activating "state of ksqld.service without the module (READY=1 must wait for the registration)"
assert_eq "$(prop NRestarts)" 0 "restarts while waiting for the module (ksqld must wait, not exit)"
status=$(prop StatusText)
[[ -n $status ]] || fail "ksqld sent no STATUS= while waiting for the module"
log "STATUS= while waiting: $status"
rm -f "$override"
modprobe ksql || fail "modprobe ksql failed"
wait_running 30000 "once the module is loaded"
log "after modprobe ksql: $(show_unit)"
assert_eq "$(prop NRestarts)" 0 "restarts of ksqld"
