#!/bin/sh
# powerloss.sh - the guest's half of the power-loss test (tools/vm/run,
# "powerloss"): the database lives on ext4 on the virtio disk /dev/vda, a
# raw image on the host that survives the VM.
#
# ksqlvm.plphase=write   mount the disk, start ksqld on it (its default
#                        synchronous, or ksqlvm.plsync=normal|full), and log
#                        rows into table "pl" from 2 kthreads, a hardirq
#                        hrtimer and a softirq timer (ksql_test's "log"),
#                        printing "KSQL-PL-ACKED <acked> logged <n> end"
#                        every 0.2 s: <acked> is the table's ack counter,
#                        rows the kernel was told are stored. Never ends:
#                        the host SIGKILLs QEMU once enough rows are acked.
# ksqlvm.plphase=verify  mount the disk again (ext4 replays its journal),
#                        and with ksqlvm.placked=N (the last <acked> the host
#                        saw before the kill) check with sqlite3:
#                        PRAGMA integrity_check is "ok"; table pl holds at
#                        least N rows; no (producer, seq) twice; per
#                        producer, rows + gap rows = last_seq (every sequence
#                        accounted for once). With plsync=normal, the
#                        documented weaker mode, acked rows may be missing:
#                        the test then fails, as it should.
# Run by /init as a scenario (its exit status is the verdict).
# shellcheck source=tests/vm/lib.sh
KSQL_DB=/mnt/pl/ksql.db
KSQLD_LOG=/tmp/ksqld-pl.log
. /tests/vm/lib.sh

arg() {
	sed -n "s/.*ksqlvm\\.$1=\\([^ ]*\\).*/\\1/p" /proc/cmdline
}

phase=$(arg plphase)
sync=$(arg plsync)
acked_before=$(arg placked)

disk_up() {
	while read -r m; do
		module_loaded "$m" && continue
		insmod "$KO_DIR/deps/$m.ko" || fail "insmod $m (virtio disk, ext4) failed"
	done <"$KO_DIR/disk.deps"
	wait_until 10000 "/dev/vda" test -b /dev/vda
	mkdir -p /mnt/pl
	mount -t ext4 /dev/vda /mnt/pl || fail "cannot mount /dev/vda (ext4): $(dmesg | tail -n 5)"
	log "$(grep ' /mnt/pl ' /proc/mounts)"
}

case $phase in
write)
	setup
	disk_up
	if [ -n "$sync" ]; then
		daemon_start --synchronous "$sync"
	else
		daemon_start
	fi
	log "ksqld on $KSQL_DB, synchronous: $(status_of synchronous)"
	# The worst case a power cut may meet: nothing written back by the
	# kernel's flusher on its own, so only what ksqld synced is on the disk.
	echo 0 >/proc/sys/vm/dirty_writeback_centisecs
	echo 360000 >/proc/sys/vm/dirty_expire_centisecs
	klog "open pl"
	# ~1,000 rows/s, a pace ksqld keeps up with under TCG: 2 threads of 16
	# rows per 100 ms, 4 rows per 10 ms from the hrtimer, 16 per 50 ms
	# from the timer
	klog "start 2 10000 50000 1000000000 100000"
	while :; do
		# one status call per report: acked and logged from one line
		l=$(table_line pl)
		a=$(echo "$l" | sed -n 's/.* acked \([0-9]*\),.*/\1/p')
		n=$(echo "$l" | sed -n 's/.* logged \([0-9]*\),.*/\1/p')
		echo "KSQL-PL-ACKED ${a:-0} logged ${n:-0} end"
		sleep 0.2
	done
	;;
verify)
	is_int "$acked_before" || fail "no ksqlvm.placked=N on the command line"
	disk_up
	[ -f "$KSQL_DB" ] || fail "$KSQL_DB is missing after the power loss"
	ls -l /mnt/pl
	# read-write: sqlite3 recovers the WAL the dead ksqld left
	ic=$(sqlite3 "$KSQL_DB" "PRAGMA integrity_check" 2>&1)
	assert_eq "$ic" ok "PRAGMA integrity_check after the power loss"
	[ "$(db_count "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'pl'")" = 1 ] ||
		fail "table pl is gone: all $acked_before acknowledged rows lost"
	rows=$(db_count "SELECT COUNT(*) FROM pl")
	dups=$(db_count "SELECT COUNT(*) FROM (SELECT 1 FROM pl GROUP BY ksql_producer, ksql_seq HAVING COUNT(*) > 1)")
	assert_eq "$dups" 0 "rows stored twice (same producer and sequence)"
	# every producer's sequences 1..last_seq: a row or inside a gap, once
	bad=$(db_count "SELECT COUNT(*) FROM ksql_producers p WHERE p.tbl = 'pl' AND p.last_seq !=
		(SELECT COUNT(*) FROM pl WHERE pl.ksql_producer = p.id) +
		(SELECT IFNULL(SUM(g.count), 0) FROM ksql_gaps g WHERE g.tbl = 'pl' AND g.producer = p.id)")
	assert_eq "$bad" 0 "producers whose rows and gaps do not add up to last_seq"
	gaps=$(db_count "SELECT IFNULL(SUM(count), 0) FROM ksql_gaps WHERE tbl = 'pl'")
	log "after the power loss: $rows rows stored (gap rows $gaps), $acked_before acknowledged before the kill"
	echo "KSQL-PL-FIGURES acked $acked_before stored $rows gaps $gaps"
	if [ "$rows" -lt "$acked_before" ]; then
		fail "$((acked_before - rows)) acknowledged rows are gone: $rows stored, $acked_before acknowledged before the power loss"
	fi
	;;
*)
	fail "ksqlvm.plphase must be write or verify, not '$phase'"
	;;
esac
