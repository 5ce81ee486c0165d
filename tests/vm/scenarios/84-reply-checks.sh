#!/bin/sh
# 84-reply-checks: replies the kernel must not believe, from the registered
# (fake) daemon.
#  - max_in_flight=1: while caller B waits for the slot, RESULTs (one row
#    each) name B's id and the next ones. B was never sent: the reply is
#    refused ("request was not sent to this daemon", -EINVAL, counted in
#    `rejected`) and B, once sent, gets the answer to its own QUERY (ERRNO
#    9999: -EIO, errmsg "boom"), not 0 with a row. Issue 12 item 12.
#  - RESULTs refused by the attribute policy (a 4-byte VAL_INT, a COLUMN
#    without NUL, a QUERY flag): each counted in `rejected`, its caller
#    fails at once with -EPROTO (well before its 20 s timeout) and the daemon
#    is sent a CANCEL. Issue 12 item 13.
#  - HELLO three times from one socket: one "daemon registered" line in the
#    kernel log, not three. Issue 12 item 13.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

EPROTO=71 EIO=5
FAKE_OUT=/tmp/87-fake.out
FAKE_PID=

cleanup_87() {
	_rc87=$?
	for _p in $FAKE_PID; do
		kill -KILL "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	done
	(exit "$_rc87")
	lib_cleanup
}

setup
trap cleanup_87 EXIT
daemon_disconnected || fail "a daemon is registered at the start: $(ksqlctl status 2>&1)"

fake_up() {
	proc_gone "$FAKE_PID" && fail "the fake daemon exited early: $(cat "$FAKE_OUT")"
	daemon_connected "$FAKE_PID"
}

fake_done() {
	wait_until 30000 "the fake daemon to exit" proc_gone "$FAKE_PID"
	wait "$FAKE_PID"
	_frc=$?
	FAKE_PID=
	[ "$_frc" = 0 ] || fail "ksql-nltool fake exited $_frc: $(cat "$FAKE_OUT")"
	wait_until 5000 "the fake daemon's registration to go" daemon_disconnected
}

# --- item 12: a reply for a request that was not sent -------------------
param_set max_in_flight 1
rej0=$(counter rejected)
ksql-nltool fake unsent >"$FAKE_OUT" 2>&1 &
FAKE_PID=$!
wait_until 10000 "the fake daemon to register" fake_up
# A (a kernel thread of the test module, so that "exec" shows B's outcome
# alone) holds the only slot until the fake answers it
threads_start 1 20000 "SELECT 1"
wait_until 10000 "the fake daemon to receive A's QUERY" grep -q '^query ' "$FAKE_OUT"
# B waits for the slot; the fake answers B's id meanwhile, then A, then B
rc=$(kexec 20000 "SELECT 2")
wait_until 10000 "A to return" threads_done 1
assert_eq "$(awk '$2 == "done" { print $3 }' "$KT/threads")" 0 "A's rc"
threads_stop
fake_done
log "fake unsent: B rc=$rc; fake: $(tr '\n' ';' <"$FAKE_OUT")"
a_id=$(sed -n 's/^query //p' "$FAKE_OUT")
b_id=$(sed -n 's/^query2 //p' "$FAKE_OUT")
is_int "$b_id" || fail "fake unsent: B was never sent: $(cat "$FAKE_OUT")"
[ "$b_id" -gt "$a_id" ] && [ "$b_id" -le $((a_id + 4)) ] ||
	fail "fake unsent: B's id $b_id is not among the forged ones ($a_id + 1..4)"
assert_eq "$rc" "-$EIO" "B, answered for before it was sent ($(tr '\n' ' ' <"$KT/exec"))"
assert_contains "$(cat "$KT/exec")" "errmsg=boom" "B's result is the answer to its own QUERY"
assert_eq "$(grep -c "^ack -$EINVAL: request was not sent to this daemon" "$FAKE_OUT")" 1 \
	"forged RESULTs refused (only B's id was pending)"
assert_eq "$(counter rejected)" $((rej0 + 1)) "rejected after one reply for an unsent request"
params_restore
log "a reply for a request still waiting for its slot is refused; B gets its own answer"

# --- item 13: policy refusals are counted and fail the caller -----------
# fake_refused MODE: the RESULT is refused by the policy (-EINVAL); the
# caller gets -EPROTO long before its timeout, `rejected` +1, CANCEL sent.
fake_refused() {
	_rej=$(counter rejected)
	ksql-nltool fake "$1" >"$FAKE_OUT" 2>&1 &
	FAKE_PID=$!
	wait_until 10000 "the fake daemon ($1) to register" fake_up
	rc=$(kexec 20000 "SELECT 1")
	_us=$(sed -n 's/^elapsed_us=//p' "$KT/exec")
	fake_done
	log "fake $1: rc=$rc after ${_us} us; fake: $(tr '\n' ';' <"$FAKE_OUT")"
	assert_eq "$rc" "-$EPROTO" "rc of a call answered by fake $1"
	_id=$(sed -n 's/^query //p' "$FAKE_OUT")
	assert_eq "$(grep -c "^ack -$EINVAL" "$FAKE_OUT")" 1 "fake $1: the RESULT refused by the policy"
	assert_contains "$(cat "$FAKE_OUT")" "cancel $_id" "fake $1: CANCEL of the failed request"
	assert_eq "$(counter rejected)" $((_rej + 1)) "fake $1: rejected"
	assert_eq "$(counter "in flight")" 0 "fake $1: in flight"
}

fake_refused shortint
fake_refused nonul
fake_refused qflag
log "policy refusals: counted, the caller fails with -EPROTO at once"

# --- item 13: HELLO again and again --------------------------------------
n0=$(dmesg | grep -c 'ksql: daemon registered')
ksql-nltool rehello 3 >"$FAKE_OUT" 2>&1 || fail "ksql-nltool rehello: $(cat "$FAKE_OUT")"
assert_eq "$(grep -c '^ack 0$' "$FAKE_OUT")" 3 "three HELLOs accepted"
wait_until 5000 "the rehello socket's registration to go" daemon_disconnected
n1=$(dmesg | grep -c 'ksql: daemon registered')
assert_eq $((n1 - n0)) 1 "'daemon registered' lines for three HELLOs"
log "three HELLOs from one socket: one 'daemon registered' line"
