#!/bin/sh
# 45-async-owner: an async submitter's module is pinned while its requests
# are outstanding, and ksql_async_drain() lets it go.
#  - requests answered normally: the module's refcnt (/sys/module/M/refcnt)
#    goes up while they wait and back to 0 once every done() returned;
#  - requests a stopped daemon does not answer: refcnt = their number and
#    rmmod fails (without the reference the module would go and the
#    callbacks would later run in freed module text); ksql_async_drain()
#    ends each with done(-ECANCELED), refcnt drops to 0, rmmod succeeds;
#    the resumed daemon's answers to the cancelled requests then find
#    nothing: no callback runs after the unload (ksql_test_owner's exit
#    reports "BUG:" if one was still to come, and a callback into the
#    unloaded module would oops).
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

OW=/sys/kernel/debug/ksql_test_owner
N=8

setup
param_set default_timeout_ms 120000
module_loaded ksql_test_owner && rmmod ksql_test_owner
insmod "$KO_DIR/ksql_test_owner.ko" || fail "insmod ksql_test_owner.ko failed"

ow_field() {
	_v=$(sed -n "s/^$1 //p" "$OW/cmd")
	is_int "$_v" || fail "$OW/cmd has no number for '$1': $(cat "$OW/cmd")"
	echo "$_v"
}
ow_called_is() {
	[ "$(ow_field called)" -eq "$1" ]
}
refcnt() {
	cat /sys/module/ksql_test_owner/refcnt
}
refcnt_is() {
	[ "$(refcnt)" -eq "$1" ]
}

assert_eq "$(refcnt)" 0 "ksql_test_owner refcnt after loading"
daemon_start

# --- answered requests: the reference is dropped after done() -----------
echo "fire 4" >"$OW/cmd" || fail "cannot fire 4 requests"
wait_until 10000 "4 answers" ow_called_is 4
assert_eq "$(ow_field ok)" 4 "right answers: $(cat "$OW/cmd")"
wait_until 5000 "the module's references to be dropped" refcnt_is 0
log "4 answered requests: refcnt back to 0"

# --- a stopped daemon: the module is pinned until it drains -------------
ab0=$(abandoned_count)
cs0=$(counter "cancels sent")
sent0=$(counter sent)
daemon_pause
echo "fire $N" >"$OW/cmd" || fail "cannot fire $N requests"
# sent (to the stopped daemon's socket), so each drained one gets a CANCEL
wait_until 10000 "$N requests to be sent" counter_ge sent $((sent0 + N))
assert_eq "$(ow_field accepted)" $((4 + N)) "requests accepted"
assert_eq "$(refcnt)" "$N" "ksql_test_owner refcnt with $N requests outstanding"
if rmmod ksql_test_owner 2>/dev/null; then
	fail "rmmod ksql_test_owner succeeded with $N requests outstanding"
fi
module_loaded ksql_test_owner || fail "ksql_test_owner went away with requests outstanding"
assert_eq "$(ow_field called)" 4 "callbacks before the drain"
log "$N unanswered requests: refcnt $N, rmmod refused"

echo drain >"$OW/cmd" || fail "ksql_async_drain() failed"
assert_eq "$(ow_field called)" $((4 + N)) "callbacks after the drain"
assert_eq "$(ow_field cancelled)" "$N" "done(-ECANCELED) calls: $(cat "$OW/cmd")"
assert_eq "$(ow_field first_err)" "-$ECANCELED" "the drained requests' error"
assert_eq "$(ow_field other_err)" 0 "other errors"
assert_eq "$(ow_field pending)" 0 "callbacks still to come after the drain"
assert_eq "$(refcnt)" 0 "ksql_test_owner refcnt after the drain"
assert_eq "$(counter "cancels sent")" $((cs0 + N)) "CANCELs sent for the drained requests"
rmmod ksql_test_owner || fail "rmmod ksql_test_owner failed after the drain"
log "drained: $N x done(-ECANCELED), refcnt 0, unloaded"

# the daemon wakes up to 8 queries and 8 CANCELs; nothing is called back
daemon_resume
wait_until 10000 "the daemon to dispose of $N cancelled requests" abandoned_is $((ab0 + N))
assert_eq "$(counter "in flight")" 0 "in flight at the end"
kexec_ok 10000 "SELECT 6 * 7" "INT 42"
