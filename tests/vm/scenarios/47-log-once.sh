#!/bin/sh
# 47-log-once: exactly once, through two daemon crashes. Four kthreads, a
# hardirq hrtimer and a softirq timer_list log 200,000 rows (attempted) into
# table log47 while ksqld is SIGKILLed and restarted twice (after 25,000
# and 60,000 accepted rows, if the sources get that far first). Under TCG
# many rows may be refused with -ENOBUFS while the daemon is down: they
# must then be gaps. After a flush:
#  - the test module's verify: per source the table holds exactly the
#    accepted n (count, distinct, sums, min/max, payload bytes, ctx), and
#    per producer rows and ksql_gaps cover 1..last_seq once, last_seq being
#    the number of ksql_log() calls;
#  - every ksql_log() ran in the context it claims (hardirq, softirq, task);
#  - counters add up: logged + lost = attempted, lost = -ENOBUFS returns,
#    acked = logged, backlog empty;
#  - sqlite3 on the database file agrees: rows, no duplicate (src, n), gap
#    counts.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

T=log47
ROWS=200000

accepted_ge() {
	[ "$(klog_field accepted)" -ge "$1" ] || klog_sources_done
}

# kill_after N: once N rows were accepted (or the sources are done),
# SIGKILL the daemon, leave it down a moment, start a new one.
kill_after() {
	wait_until 120000 "$1 accepted rows" accepted_ge "$1"
	acc=$(klog_field accepted)
	daemon_kill KILL
	log "ksqld killed at $acc accepted of $(klog_field attempted) attempted"
	sleep 0.5
	daemon_start
}

setup
daemon_start
klog "open $T"
run=$(klog_field run)
# paced (threads: 16 rows per 4 ms each; hrtimer 4 rows per ms; timer 16
# per jiffy or two): the daemon dies and returns while rows still flow
klog "start 4 1000 2000 $ROWS 4000"
kill_after 25000
kill_after 60000
wait_until 150000 "$ROWS attempted rows" klog_sources_done

attempted=$(klog_field attempted)
accepted=$(klog_field accepted)
enobufs=$(klog_field enobufs)
assert_eq "$attempted" $ROWS "rows attempted by the sources"
assert_eq "$(klog_field bad_context)" 0 "ksql_log() calls outside their context"
assert_eq "$(klog_field other_err)" 0 "ksql_log() errors other than -ENOBUFS (first: $(klog_field first_err))"
assert_eq "$(klog_field e2big)" 0 "-E2BIG returns"
assert_eq $((accepted + enobufs)) "$attempted" "accepted + refused"
for ctx in hard soft thread; do
	n=$(sed -n "s/^src [0-9]* $ctx attempted \\([0-9]*\\) .*/\\1/p" "$KT/log" | head -n 1)
	is_int "$n" || fail "no $ctx source in $KT/log: $(cat "$KT/log")"
	assert_ge "$n" 1 "rows attempted from $ctx context"
done
log "$accepted of $attempted rows accepted, $enobufs refused (-ENOBUFS)"

klog_verify
assert_eq "$(klog_field verify_rows)" "$accepted" "rows of the run in the table (verify)"

# the module's counters of the table
assert_eq "$(table_stat $T logged)" "$accepted" "table $T: logged"
assert_eq "$(table_stat $T lost)" "$enobufs" "table $T: lost"
assert_eq "$(table_stat $T lost_backlog)" "$enobufs" "table $T: lost (backlog)"
assert_eq "$(table_stat $T lost_too_big)" 0 "table $T: lost (too big)"
assert_eq "$(table_stat $T acked)" "$accepted" "table $T: acked after the flush"
assert_eq "$(table_stat $T backlog_rows)" 0 "table $T: backlog rows after the flush"
assert_eq "$(table_stat $T backlog_bytes)" 0 "table $T: backlog bytes after the flush"
assert_ge "$(table_stat $T sent)" "$accepted" "table $T: sent"
assert_ge "$(counter "log rows")" "$accepted" "log rows (all tables)"
assert_ge "$(counter "log lost")" "$enobufs" "log lost (all tables)"
log "ksqld log duplicates: $(counter "ksqld log duplicates"), resent: $(table_stat $T resent)"

# an independent reader: sqlite3 on the database file
assert_eq "$(db_count "SELECT COUNT(*) FROM $T WHERE run = $run")" "$accepted" "sqlite3: rows of the run"
assert_eq "$(db_count "SELECT COUNT(*) FROM (SELECT src, n FROM $T WHERE run = $run GROUP BY src, n HAVING COUNT(*) > 1)")" 0 \
	"sqlite3: duplicate (src, n)"
assert_eq "$(db_count "SELECT COUNT(*) FROM (SELECT ksql_producer, ksql_seq FROM $T GROUP BY 1, 2 HAVING COUNT(*) > 1)")" 0 \
	"sqlite3: duplicate (producer, seq)"
prod=$(db_count "SELECT MAX(ksql_producer) FROM $T WHERE run = $run")
assert_eq "$(db_count "SELECT IFNULL(SUM(count), 0) FROM ksql_gaps WHERE tbl = '$T' AND producer = $prod")" "$enobufs" \
	"sqlite3: rows in gaps"
assert_eq "$(db_count "SELECT last_seq FROM ksql_producers WHERE id = $prod")" "$attempted" "sqlite3: last_seq"
klog close
