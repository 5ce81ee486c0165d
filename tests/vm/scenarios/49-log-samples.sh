#!/bin/sh
# 49-log-samples: the sample subsystems log what happened, once.
#  - ksql_netflow (conntrack): K TCP connections and K UDP datagrams over
#    loopback with known ports (ksql-flowgen), on 127.0.0.1 and on ::1 when
#    the kernel has IPv6: the table netflow has exactly one row per flow
#    with the right protocol, family, addresses and ports and uid 0 (the
#    local root sockets that opened them): a packet that passes
#    POST_ROUTING and then LOCAL_IN over loopback is not logged twice, the
#    reply direction never;
#  - ksql_exec (sched_process_exec): E execs of /tmp/ksql-exec-probe from
#    this shell give exactly E rows with that filename, comm
#    ksql-exec-probe, ppid this shell, uid 0;
#  - unloading both samples flushes their tables: nothing is lost, the
#    counts stay exact, and no row is left in their backlogs.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

K=5
E=7
PROBE=/tmp/ksql-exec-probe
# ports of this run: a base that earlier runs on this database did not use
BASE=$((20000 + ($(date +%s) % 400) * 100))

setup
daemon_start
sample_load ksql_exec
sample_load ksql_netflow
table_line netflow >/dev/null || fail "table netflow is not open"
table_line exec >/dev/null || fail "table exec is not open"

families="4:127.0.0.1"
if [ -e /proc/net/if_inet6 ] && ip -6 addr show dev lo 2>/dev/null | grep -q '::1'; then
	families="$families 6:::1"
else
	log "no IPv6 on lo: IPv4 flows only"
fi

# flow kind i (protocol and family): destination port BASE + i, source
# ports from sport_of i on; destinations in BASE .. BASE + 49, sources in
# BASE + 50 .. BASE + 99
sport_of() {
	echo $((BASE + 50 + $1 * 10))
}
i=0
for fa in $families; do
	addr=${fa#*:}
	for proto in tcp udp; do
		dport=$((BASE + i))
		out=$(ksql-flowgen $proto "$addr" $dport "$(sport_of $i)" $K 2>&1) ||
			fail "ksql-flowgen $proto $addr: $out"
		i=$((i + 1))
	done
done

cp /bin/busybox $PROBE
n=0
while [ $n -lt $E ]; do
	# busybox does not know the applet "ksql-exec-probe": the exec is what counts
	$PROBE >/dev/null 2>&1
	n=$((n + 1))
done

flows_of() {
	db_count "SELECT COUNT(*) FROM netflow WHERE dport BETWEEN $BASE AND $((BASE + 49))"
}
flows_all() {
	[ "$(flows_of)" -ge $((i * K)) ]
}
execs_of() {
	db_count "SELECT COUNT(*) FROM exec WHERE filename = '$PROBE'"
}
execs_all() {
	[ "$(execs_of)" -ge $E ]
}
wait_until 20000 "$((i * K)) flows in table netflow" flows_all
wait_until 20000 "$E execs in table exec" execs_all

check_tables() {
	i=0
	for fa in $families; do
		fam=${fa%%:*} addr=${fa#*:}
		for proto in tcp udp; do
			dport=$((BASE + i))
			sport=$(sport_of $i)
			where="dport = $dport AND proto = '$proto'"
			assert_eq "$(db_count "SELECT COUNT(*) FROM netflow WHERE $where")" $K "$1: rows of $proto flows to $addr port $dport"
			assert_eq "$(db_count "SELECT COUNT(DISTINCT sport) FROM netflow WHERE $where AND sport BETWEEN $sport AND $((sport + K - 1))")" $K \
				"$1: distinct source ports of $proto to $addr port $dport"
			assert_eq "$(db_count "SELECT COUNT(*) FROM netflow WHERE $where AND family = $fam AND saddr = '$addr' AND daddr = '$addr' AND uid = 0")" $K \
				"$1: $proto rows with family $fam, addresses $addr and uid 0"
			i=$((i + 1))
		done
	done
	# nothing else in our port range: no reply-direction or doubled flow
	assert_eq "$(flows_of)" $((i * K)) "$1: rows with a destination port of this run"
	assert_eq "$(db_count "SELECT COUNT(*) FROM netflow WHERE dport BETWEEN $((BASE + 50)) AND $((BASE + 99))")" 0 \
		"$1: rows to a source port of this run (reply direction)"

	assert_eq "$(execs_of)" $E "$1: exec rows of $PROBE"
	assert_eq "$(db_count "SELECT COUNT(*) FROM exec WHERE filename = '$PROBE' AND comm = 'ksql-exec-probe' AND uid = 0 AND ppid = $$")" $E \
		"$1: exec rows with comm ksql-exec-probe, uid 0, ppid $$"
	assert_eq "$(db_count "SELECT COUNT(DISTINCT pid) FROM exec WHERE filename = '$PROBE'")" $E "$1: distinct pids of the execs"
}
check_tables "loaded"
log "netflow: $((i * K)) flows once each; exec: $E execs once each"

for t in netflow exec; do
	assert_eq "$(table_stat $t lost)" 0 "table $t: lost"
done
sample_unload ksql_netflow
sample_unload ksql_exec
[ -z "$(table_line netflow)" ] || fail "table netflow still open after rmmod"
[ -z "$(table_line exec)" ] || fail "table exec still open after rmmod"
check_tables "unloaded"
dmesg | grep -E 'ksql_(netflow|exec): unloaded' | tail -n 2 | while read -r l; do log "$l"; done
if dmesg | grep -E 'ksql_(netflow|exec):' | grep -q 'dropped'; then
	fail "a sample dropped rows on unload: $(dmesg | grep -E 'ksql_(netflow|exec):' | tail -n 3)"
fi
