#!/bin/sh
# 86-senders: nobody but the registered daemon changes anything (issue 12,
# "an adversarial daemon and senders": the senders).
# ksqld registered and SIGSTOPped, holding one kernel query (its id from
# the ksql_query_start event); `ksql-adversary senders` tries every command
# as root (not the daemon) and as uid 65534 (privileges dropped before it
# opens its socket), a well-formed and a garbage form each, and forged
# RESULTs for the held query's id and 32 ids each side: every attempt but a
# plain STATS is refused with its errno; completed, failed, late replies,
# log acks, daemon connects, in flight and the daemon's pid do not move;
# after SIGCONT the held query gets ksqld's own answer.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

SEND_OUT=/tmp/86-senders.out
HELD_PID=
T=/sys/kernel/tracing

cleanup_86() {
	_rc86=$?
	if [ -n "$HELD_PID" ]; then
		kill -KILL "$HELD_PID" 2>/dev/null
		wait "$HELD_PID" 2>/dev/null
	fi
	[ -d "$T/events/ksql" ] && echo 0 >"$T/events/ksql/ksql_query_start/enable" 2>/dev/null
	(exit "$_rc86")
	lib_cleanup
}

setup
trap cleanup_86 EXIT
daemon_disconnected || fail "a daemon is registered at the start: $(kstatus 2>&1)"

if [ ! -d "$T/events" ]; then
	mount -t tracefs tracefs "$T" 2>/dev/null
	[ -d "$T/events" ] || T=/sys/kernel/debug/tracing
fi
[ -d "$T/events/ksql/ksql_query_start" ] || fail "no ksql_query_start trace event in $T/events"

daemon_start
kexec_ok 5000 "SELECT 1" "INT 1"
daemon_pause
echo >"$T/trace"
echo 1 >"$T/events/ksql/ksql_query_start/enable" || fail "cannot enable ksql_query_start"
sh -c "echo '$(slack 60000) SELECT 87' >$KT/exec" 2>/dev/null &
HELD_PID=$!
wait_until 10000 "the held query to be in flight" in_flight_is 1
echo 0 >"$T/events/ksql/ksql_query_start/enable"
held=$(sed -n 's/.* ksql_query_start: .*id=\([0-9][0-9]*\).*/\1/p' "$T/trace" | tail -n 1)
is_int "$held" || fail "no id in the ksql_query_start event: $(cat "$T/trace")"
log "held query: id $held, ksqld $KSQLD_PID stopped"

snap() {
	echo "completed=$(counter completed) failed=$(counter failed)" \
		"late=$(counter "late replies") log_acks=$(counter "log acks")" \
		"connects=$(counter "daemon connects") in_flight=$(counter "in flight")" \
		"daemon=$(status_of daemon)"
}
before=$(snap)
rej0=$(counter rejected)
first=$((held > 32 ? held - 32 : 1))
ksql-adversary senders -f "$first" -i $((held + 32)) >"$SEND_OUT" 2>&1
rc=$?
log "senders: $(grep -c '(ok)' "$SEND_OUT") kinds of attempt refused as expected, exit $rc"
[ "$rc" = 0 ] || fail "ksql-adversary senders exited $rc: $(grep -v '(ok)' "$SEND_OUT")"
grep -q "^root RESULT plain: errno 1 (ok)" "$SEND_OUT" ||
	fail "no refused RESULT from root in: $(cat "$SEND_OUT")"
grep -q "^unprivileged HELLO plain: errno 1 (ok)" "$SEND_OUT" ||
	fail "no refused HELLO from uid 65534 in: $(cat "$SEND_OUT")"
assert_eq "$(snap)" "$before" "counters after the forbidden senders"
assert_ge "$(counter rejected)" "$rej0" "rejected after the forbidden senders"
proc_gone "$HELD_PID" && fail "the held query returned while ksqld was stopped: $(cat "$KT/exec")"
daemon_resume
wait_until 20000 "the held query to return" proc_gone "$HELD_PID"
wait "$HELD_PID" 2>/dev/null
HELD_PID=
assert_eq "$(sed -n 's/^rc=//p' "$KT/exec")" 0 "rc of the held query"
assert_eq "$(sed -n 's/^row 0: //p' "$KT/exec")" "INT 87" "row 0 of the held query (ksqld's answer)"
log "forbidden senders refused, nothing changed; the held query got ksqld's answer"
daemon_stop
