#!/bin/sh
# 75-tracepoints: the ksql trace events record a daemon's connect (its pid),
# each query's start and end with matching ids (a success with its rows and
# columns, an SQL error with its errno, a timeout on a stopped daemon with
# -ETIMEDOUT after its timeout), and the SIGKILLed daemon's disconnect
# (reason "release", same port). The events are disabled again at the end.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

setup

T=/sys/kernel/tracing
if [ ! -d "$T/events" ]; then
	mount -t tracefs tracefs "$T" 2>/dev/null
	[ -d "$T/events" ] || T=/sys/kernel/debug/tracing
fi
[ -d "$T/events/ksql" ] || fail "no ksql trace events in $T/events"
for e in ksql_query_start ksql_query_end ksql_daemon_connect ksql_daemon_disconnect; do
	[ -d "$T/events/ksql/$e" ] || fail "trace event ksql/$e is missing"
done

# disable the events however the scenario ends, then the usual cleanup
trace_cleanup() {
	_rc75=$?
	echo 0 >"$T/events/ksql/enable" 2>/dev/null
	(exit "$_rc75")
	lib_cleanup
}
trap trace_cleanup EXIT

echo 1 >"$T/events/ksql/enable" || fail "cannot enable events/ksql"
echo >"$T/trace" || fail "cannot clear $T/trace"

daemon_start
pid=$KSQLD_PID

SQL_OK="SELECT 'ok' AS a, 2 AS b"
SQL_ERR="SELECT FROM WHERE"
SQL_TO="SELECT 3"

assert_eq "$(kexec 5000 "$SQL_OK")" 0 "rc of '$SQL_OK'"
rc_err=$(kexec 5000 "$SQL_ERR")
is_int "$rc_err" || fail "no rc from exec: $(cat "$KT/exec")"
assert_le "$rc_err" -1 "rc of a syntax error"
daemon_pause
assert_eq "$(kexec 300 "$SQL_TO")" "-$ETIMEDOUT" "rc of '$SQL_TO' on a stopped daemon"

daemon_kill KILL
wait_until 5000 "the module to see the daemon gone" daemon_disconnected

echo 0 >"$T/events/ksql/enable"
trace=$(cat "$T/trace")
log "trace:
$(echo "$trace" | grep ' ksql_')"

# ev EVENT: the fields of every EVENT line ("a=1 b=2 ..."), in order
ev() {
	echo "$trace" | sed -n "s/.* $1: //p"
}
# field NAME FIELDS: the value of NAME=
field() {
	echo " $2" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"
}
nth() {
	echo "$2" | sed -n "${1}p"
}

# connect: one, with the daemon's pid
conn=$(ev ksql_daemon_connect)
assert_eq "$(echo "$conn" | grep -c .)" 1 "connect events"
assert_eq "$(field pid "$conn")" "$pid" "pid of the connect event"
port=$(field portid "$conn")
is_int "$port" || fail "connect event without a portid: $conn"

# disconnect: one, reason release, same port
disc=$(ev ksql_daemon_disconnect)
assert_eq "$(echo "$disc" | grep -c .)" 1 "disconnect events"
assert_eq "$(field portid "$disc")" "$port" "portid of the disconnect event"
assert_eq "$(field reason "$disc")" release "reason of the disconnect event"

# three queries: start and end pair up by id, in order
starts=$(ev ksql_query_start)
ends=$(ev ksql_query_end)
assert_eq "$(echo "$starts" | grep -c .)" 3 "query_start events"
assert_eq "$(echo "$ends" | grep -c .)" 3 "query_end events"
prev=0
i=1
for sql in "$SQL_OK" "$SQL_ERR" "$SQL_TO"; do
	s=$(nth $i "$starts")
	e=$(nth $i "$ends")
	id=$(field id "$s")
	is_int "$id" || fail "query_start $i without an id: $s"
	assert_eq "$(field id "$e")" "$id" "id of query_end $i"
	[ "$id" -gt "$prev" ] || fail "query ids not increasing: $prev then $id"
	prev=$id
	assert_eq "$(field sql_len "$s")" "${#sql}" "sql_len of '$sql'"
	assert_eq "$(field nargs "$s")" 0 "nargs of '$sql'"
	i=$((i + 1))
done

s=$(nth 1 "$starts")
e=$(nth 1 "$ends")
assert_eq "$(field timeout_ms "$s")" 5000 "timeout_ms of the first query"
assert_eq "$(field result "$e")" 0 "result of the first query"
assert_eq "$(field rows "$e")" 1 "rows of the first query"
assert_eq "$(field cols "$e")" 2 "cols of the first query"
assert_ge "$(field latency_ns "$e")" 1 "latency of the first query"

e=$(nth 2 "$ends")
assert_eq "$(field result "$e")" "$rc_err" "result of the SQL error"
assert_eq "$(field rows "$e")" 0 "rows of the SQL error"

s=$(nth 3 "$starts")
e=$(nth 3 "$ends")
assert_eq "$(field timeout_ms "$s")" 300 "timeout_ms of the timed-out query"
assert_eq "$(field result "$e")" "-$ETIMEDOUT" "result of the timed-out query"
lat=$(field latency_ns "$e")
# A timeout counts whole jiffies from a moment inside the first one, so it
# may end up to a jiffy (10 ms at HZ=100) before 300 ms measured in ns.
assert_ge "$lat" 290000000 "latency of the timed-out query (ns)"
assert_le "$lat" $((300000000 + $(slack 1000000000))) "latency of the timed-out query (ns)"
log "ids $(field id "$(nth 1 "$starts")")..$prev paired; SQL error $rc_err; timeout after $((lat / 1000000)) ms; pid $pid port $port released"

assert_eq "$(cat "$T/events/ksql/enable")" 0 "events/ksql/enable at the end"
assert_eq "$(counter "in flight")" 0 "in flight at the end"
