#!/bin/sh
# 83-port-reuse: a daemon's port number, freed by its death, is taken by an
# unprivileged process before ksql.ko hears of the death. The test module
# holds the release notification of the daemon's port for 4 s (nlrace), so
# the window that is normally microseconds wide is seconds wide. In it:
#  - a process running as uid 65534 binds the dead daemon's port;
#  - a new ksql_exec() fails with -ENOTCONN at once (not sent anywhere);
#  - a call sent to the daemon before its death times out, and its CANCEL,
#    rows logged meanwhile and the new query go nowhere: the intruder
#    receives no message at all;
#  - once the notification comes, the daemon is unregistered as usual.
# Issue 12 item 3: messages go to the daemon's pinned socket, not its number.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

HOLD_OUT=/tmp/86-hold.out
INTR_OUT=/tmp/86-intrude.out
A_OUT=/tmp/86-a.rc
HOLD_PID= INTR_PID= A_PID=

cleanup_86() {
	_rc86=$?
	for _p in $HOLD_PID $INTR_PID $A_PID; do
		kill -KILL "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	done
	echo "0 0" >"$KT/nlrace" 2>/dev/null
	(exit "$_rc86")
	lib_cleanup
}

setup
trap cleanup_86 EXIT
daemon_disconnected || fail "a daemon is registered at the start: $(ksqlctl status 2>&1)"

# a logged table, opened with the real daemon, left open
daemon_start
klog "open log86"
daemon_stop

hold_up() {
	proc_gone "$HOLD_PID" && fail "ksql-nltool hold exited early: $(cat "$HOLD_OUT")"
	daemon_connected "$HOLD_PID"
}

ksql-nltool hold >"$HOLD_OUT" 2>&1 &
HOLD_PID=$!
wait_until 10000 "ksql-nltool hold to register" hold_up
port=$(sed -n 's/^port //p' "$HOLD_OUT")
is_int "$port" || fail "no port from ksql-nltool hold: $(cat "$HOLD_OUT")"
log "the fake daemon $HOLD_PID is registered on port $port"

# A: sent to the fake daemon, which never answers; it times out in the window
(echo "2000 SELECT 86" >"$KT/exec") 2>/dev/null &
A_PID=$!
wait_until 10000 "the fake daemon to receive A's QUERY" grep -q '^query ' "$HOLD_OUT"

echo "$port 4000" >"$KT/nlrace" || fail "cannot arm nlrace"
cancels0=$(counter "cancels sent")
kill -KILL "$HOLD_PID"
# uid 65534, dropped by the tool itself; it binds the port once it is free
ksql-nltool intrude "$port" 6000 >"$INTR_OUT" 2>&1 &
INTR_PID=$!
wait_until 5000 "the intruder to bind port $port" grep -q "bound $port" "$INTR_OUT"
assert_contains "$(cat "$INTR_OUT")" "uid 65534 bound $port" "the intruder"
case $(kstatus 2>/dev/null) in
*"daemon: connected"*) ;;
*) fail "the daemon was unregistered before the held notification: $(kstatus 2>&1)" ;;
esac
log "port $port taken by uid 65534 while ksql.ko still has the daemon registered"

# in the window: a new query, logged rows, A's timeout and CANCEL
rc=$(kexec 3000 "SELECT 2")
assert_eq "$rc" "-$ENOTCONN" "a query while the daemon's socket is dead"
klog "log 5"
wait "$A_PID"
A_PID=
wait_until 10000 "A's CANCEL" counter_ge "cancels sent" $((cancels0 + 1))

wait_until 10000 "the held release to reach ksql.ko" daemon_disconnected
assert_eq "$(sed -n 's/.* held \([0-9]*\)$/\1/p' "$KT/nlrace")" 1 "releases held by nlrace"
wait_until 10000 "the intruder to exit" proc_gone "$INTR_PID"
wait "$INTR_PID"
_irc=$?
INTR_PID=
wait "$HOLD_PID" 2>/dev/null
HOLD_PID=
[ "$_irc" = 0 ] || fail "ksql-nltool intrude exited $_irc: $(cat "$INTR_OUT")"
log "intruder: $(tr '\n' ';' <"$INTR_OUT")"
got=$(grep -c '^got ' "$INTR_OUT")
assert_eq "$got" 0 "messages the intruder received ($(grep '^got ' "$INTR_OUT" | tr '\n' ';'))"
log "the intruder received nothing: no QUERY, no LOG, no CANCEL"

# the rows stay in the backlog for the next daemon
daemon_start
wait_until 15000 "table log86 to be acked" table_acked_all log86
klog close
daemon_stop
