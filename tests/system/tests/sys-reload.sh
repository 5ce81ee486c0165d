#!/bin/bash
# sys-reload: "systemctl reload ksqld" after a change of /etc/ksql/ksqld.conf
# (synchronous switched to the other of full and normal) applies it without
# a restart: the journal has the reload's line for the key and ksqlctl
# status shows the new value.
# A configuration with a typo is refused by "ksqld --check-config" (exit 1,
# FILE:LINE and the key) and by "systemctl reload" (which fails), and the
# running daemon keeps serving with its configuration. The original file is
# put back (and reloaded) at the end.
# shellcheck source=tests/system/lib.sh
. "$PAYLOAD/lib.sh"

orig=$STATE/ksqld.conf.orig

cleanup() {
	if [[ -f $orig ]]; then
		cp "$orig" "$KSQL_CONF"
		systemctl reload ksqld.service 2>/dev/null
	fi
}
trap cleanup EXIT

# synchronous_is VALUE: ksqlctl status (as root) says so
synchronous_of() {
	timeout 10 ksqlctl status 2>&1 | sed -n 's/^\(ksqld \)\{0,1\}synchronous: //p'
}

wait_running 60000 "before the test"
[[ -f $KSQL_CONF ]] || fail "no $KSQL_CONF (the package ksqld ships it)"
cp "$KSQL_CONF" "$orig"
pid0=$(main_pid)
nr0=$(prop NRestarts)

out=$(ksqld --check-config 2>&1)
assert_eq "$?" 0 "exit status of ksqld --check-config on the packaged file ($out)"
assert_eq "$out" "ksqld: configuration $KSQL_CONF is valid" "ksqld --check-config on the packaged file"
before=$(synchronous_of)
[[ -n $before ]] || fail "ksqlctl status shows no 'synchronous:' line: $(timeout 10 ksqlctl status 2>&1 | head -n 40)"
log "synchronous before: $before"
case $before in
full) target=normal ;;
normal) target=full ;;
*) fail "synchronous before the change is '$before', neither full nor normal" ;;
esac

# --- a valid change ---------------------------------------------------
{ grep -v '^[[:space:]]*synchronous[[:space:]]*=' "$orig"; echo "synchronous = $target"; } >"$KSQL_CONF"
out=$(ksqld --check-config 2>&1) || fail "ksqld --check-config refused 'synchronous = $target': $out"
cursor=$(journal_cursor)
out=$(systemctl reload ksqld.service 2>&1) || fail "systemctl reload ksqld failed after a valid change: $out"
applied() {
	[[ $(synchronous_of) == "$target" ]]
}
wait_until 10000 "ksqlctl status to show 'synchronous: $target' after the reload" applied
j=$(journal_since "$cursor" -u ksqld.service -o cat)
echo "$j" | sed 's/^/journal: /'
echo "$j" | grep -q 'synchronous.*applied' ||
	fail "no journal line of the reload saying synchronous was applied: $(echo "$j" | tail -n 5 | tr '\n' ' ')"
assert_eq "$(main_pid)" "$pid0" "ksqld's pid after the reload (a reload is no restart)"
assert_eq "$(prop NRestarts)" "$nr0" "restarts after the reload"
assert_eq "$(prop ActiveState)" active "state after the reload"
log "reload applied: synchronous $before -> $target"

# --- a typo -------------------------------------------------------------
good=$STATE/ksqld.conf.changed
cp "$KSQL_CONF" "$good"
{ cat "$good"; echo "synchronus = $before"; } >"$KSQL_CONF"
typo_line=$(wc -l <"$KSQL_CONF")
out=$(ksqld --check-config 2>&1)
rc=$?
log "ksqld --check-config on the typo (exit status $rc): $out"
assert_eq "$rc" 1 "exit status of ksqld --check-config on a typo"
assert_contains "$out" "$KSQL_CONF:$typo_line:" "ksqld --check-config names the file and line"
assert_contains "$out" "synchronus" "ksqld --check-config names the key"
cursor=$(journal_cursor)
out=$(systemctl reload ksqld.service 2>&1)
rc=$?
log "systemctl reload on the typo (exit status $rc): $out"
[[ $rc -ne 0 ]] || fail "systemctl reload ksqld succeeded with a typo in $KSQL_CONF"
sleep 1
assert_eq "$(main_pid)" "$pid0" "ksqld's pid after the refused reload"
assert_eq "$(prop ActiveState)" active "state after the refused reload"
assert_eq "$(prop SubState)" running "sub-state after the refused reload"
assert_eq "$(synchronous_of)" "$target" "synchronous after the refused reload (the running configuration is kept)"
assert_eq "$(ctl_value root "SELECT 6 * 7 AS n")" 42 "ksqlctl query after the refused reload"
if module_loaded ksql_test; then
	kexec_ok 5000 "SELECT 6 * 7" "INT 42"
fi
j=$(journal_since "$cursor" -u ksqld.service -o cat)
echo "$j" | sed 's/^/journal: /'
echo "$j" | grep -q 'applied' && fail "the refused reload applied something: $(echo "$j" | grep applied | head -n 1)"
log "the typo was refused; ksqld $pid0 keeps serving with synchronous = $target"
failed=$(systemctl --failed --no-legend --plain)
[[ -z $failed ]] || fail "failed units after the refused reload: $failed"

# --- back to the packaged file ------------------------------------------
cp "$orig" "$KSQL_CONF"
out=$(systemctl reload ksqld.service 2>&1) || fail "systemctl reload ksqld with the packaged file failed: $out"
back() {
	[[ $(synchronous_of) == "$before" ]]
}
wait_until 10000 "synchronous back to $before" back
rm -f "$orig"
state_set KSQLD_PID_PHASE2 "$(main_pid)"
