#!/bin/sh
# demo.sh - a guided tour of ksql inside the QEMU VM (busybox sh).
#
# Run by the guest init for `tools/vm/run --demo`: starts ksqld, loads
# ksql.ko, shows `ksqlctl status`, loads the sample module ksql_hello.ko
# (kernel code that creates, fills and reads a table) and shows the same
# table from user space with ksqlctl.

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

step "6. The module's counters after the demo"
run ksqlctl status

step "7. Clean up"
run rmmod ksql_hello
kill $daemon
wait $daemon 2>/dev/null
run rmmod ksql
echo
echo "demo finished"
