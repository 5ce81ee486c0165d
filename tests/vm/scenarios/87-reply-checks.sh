#!/bin/sh
# 87-reply-checks: replies the kernel must not believe, from the registered
# (fake) daemon.
#  - max_in_flight=1: while caller B waits for the slot, RESULTs (one row
#    each) name B's id and the next ones. B was never sent: the reply is
#    refused ("request was not sent to this daemon", -EINVAL, counted in
#    `rejected`) and B, once sent, gets the answer to its own QUERY (ERRNO
#    9999: -EIO, errmsg "boom"), not 0 with a row. Issue 12 item 12.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

EIO=5
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

