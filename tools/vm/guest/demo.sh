#!/bin/sh
# demo.sh - a guided tour of ksql inside the QEMU VM (busybox sh).
#
# Run by the guest init for `tools/vm/run --demo`: starts ksqld, loads
# ksql.ko, shows `ksqlctl status`, loads the sample module ksql_hello.ko
# (kernel code that creates, fills and reads a table) and shows the same
# table from user space with ksqlctl. Then the logging samples: ksql_netflow
# (every new TCP/UDP flow, from conntrack) and ksql_exec (every exec) log
# rows from any context with ksql_log(); some loopback traffic and a few
# execs later their tables are queried.

KO_DIR=/lib/ksql
DB=/tmp/demo.db
LOG=/tmp/ksqld-demo.log

step() {
	echo
	echo "==== $*"
	sleep 0.2
}

die() {
	echo "demo: ERROR: $*"
	[ -f "$LOG" ] && { echo "---- ksqld log:"; tail -n 20 "$LOG"; }
	exit 1
}

# run CMD...: show a command, then run it
run() {
	echo "# $*"
	"$@"
}

# query [-j] SQL: show and run ksqlctl query, the SQL quoted as typed
query() {
	if [ "$1" = -j ]; then
		echo "# ksqlctl -j query '$2'"
		ksqlctl -j query "$2"
	else
		echo "# ksqlctl query '$1'"
		ksqlctl query "$1"
	fi
}

wait_connected() {
	i=0
	while [ $i -lt 150 ]; do
		case $(ksqlctl status 2>/dev/null) in
		*"daemon: connected"*) return 0 ;;
		esac
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

step "1. Start the daemon ksqld; it owns the SQLite database $DB"
echo "# ksqld --db $DB &"
mkdir -p /run/ksql
ksqld --db "$DB" 2>"$LOG" &
daemon=$!
sleep 0.5
kill -0 $daemon 2>/dev/null || die "ksqld exited at once"
echo "ksqld runs as pid $daemon and waits for the kernel module"

step "2. Load the kernel module ksql.ko; the daemon registers with it"
run insmod $KO_DIR/ksql.ko || die "insmod ksql.ko failed"
wait_connected || die "the daemon did not connect within 15 s"
run ksqlctl status

step "3. Load ksql_hello.ko: kernel code that creates a table and writes typed rows"
dmesg -c >/dev/null 2>&1
run insmod $KO_DIR/ksql_hello.ko || die "insmod ksql_hello.ko failed"
echo "---- what the module printed (dmesg):"
dmesg | grep 'ksql_hello:'

step "4. The same table from user space, through the daemon"
query 'SELECT * FROM ksql_hello ORDER BY id'

step "5. As JSON (ksqlctl -j)"
query -j 'SELECT id, name, count, ratio, hex(data) AS data, note FROM ksql_hello ORDER BY id'

step "6. Logging: load ksql_exec.ko and ksql_netflow.ko (tables exec, netflow)"
# kernel modules the samples need (nf_conntrack, ...): listed dependencies first
for m in ksql_exec ksql_netflow; do
	if [ -f "$KO_DIR/$m.deps" ]; then
		while read -r dep; do
			grep -q "^$dep " /proc/modules || insmod "$KO_DIR/deps/$dep.ko" ||
				die "insmod $dep (for $m) failed"
		done <"$KO_DIR/$m.deps"
	fi
	[ -f "$KO_DIR/$m.ko" ] || die "$m.ko was not built for this kernel"
	run insmod "$KO_DIR/$m.ko" || die "insmod $m.ko failed"
done
dmesg | grep -E 'ksql_(exec|netflow):'

step "7. Some traffic over loopback (TCP to a busybox httpd, UDP to port 53) and some execs"
mkdir -p /tmp/www && echo "hello from the demo" >/tmp/www/index.html
run httpd -p 127.0.0.1:8080 -h /tmp/www
run wget -q -O - http://127.0.0.1:8080/
run wget -q -O - http://127.0.0.1:8080/
if ip -6 addr show dev lo 2>/dev/null | grep -q '::1'; then
	run httpd -p '[::1]:8081' -h /tmp/www
	run wget -q -O - 'http://[::1]:8081/'
fi
# nothing answers DNS here: one UDP datagram (and its retries) per lookup
run timeout 3 nslookup ksql.example 127.0.0.1 >/dev/null 2>&1
run /bin/busybox uname -r
run id

step "8. Wait until the daemon has stored every row logged so far"
i=0
while [ $i -lt 100 ]; do
	ksqlctl status | grep '^table ' >/tmp/demo-tables
	# acked equals logged in every table line (rows logged by this loop's
	# own execs may just be in flight: try again)
	if ! sed -n 's/.* logged \([0-9]*\), sent [0-9]*, acked \([0-9]*\),.*/\1 \2/p' /tmp/demo-tables |
		awk '$1 != $2 { bad = 1 } END { exit bad }'; then
		sleep 0.2
		i=$((i + 1))
		continue
	fi
	break
done
cat /tmp/demo-tables

step "9. The flows, from conntrack in the kernel"
query 'SELECT datetime(ksql_time / 1000000000, '"'unixepoch'"') AS time, proto, family, saddr, sport, daddr, dport, uid FROM netflow ORDER BY ksql_seq'

step "10. The execs (busybox runs its own applets as /proc/self/exe: counted, not listed)"
query 'SELECT filename, COUNT(*) AS execs FROM exec GROUP BY filename ORDER BY execs DESC'
query 'SELECT ksql_seq, pid, ppid, uid, comm, filename FROM exec WHERE filename != '"'/proc/self/exe'"' ORDER BY ksql_seq DESC LIMIT 8'

step "11. Where rows went: producers (one per table open) and loss records"
query 'SELECT id, tbl, last_seq FROM ksql_producers ORDER BY id'
query 'SELECT tbl, first_seq, last_seq, count, reason FROM ksql_gaps'

step "12. Unloading a sample flushes its table first"
run rmmod ksql_netflow
run rmmod ksql_exec
dmesg | grep -E 'ksql_(exec|netflow): unloaded'

step "13. The module's counters after the demo"
run ksqlctl status

step "14. Clean up"
run rmmod ksql_hello
kill $daemon
wait $daemon 2>/dev/null
run rmmod ksql
echo
echo "demo finished"
