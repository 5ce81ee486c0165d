#!/bin/bash
# sys-kill: "systemctl kill -s SIGKILL ksqld" while four kthreads, a
# hardirq hrtimer and a softirq timer log rows (the test module's "log"
# file, as in tests/vm/scenarios/47-log-once.sh): systemd restarts ksqld
# (Restart=on-failure) and, after a flush, every accepted row is stored
# exactly once (the test module's verify; sqlite3 on the file agrees).
# shellcheck source=tests/system/lib.sh
. "$PAYLOAD/lib.sh"

T=syskill
ROWS=60000
KILL_AT=15000

accepted_ge() {
	[[ $(klog_field accepted) -ge $1 ]] || klog_sources_done
}

restarted() {
	[[ $(prop NRestarts) -gt $nr0 && $(main_pid) -gt 0 && $(main_pid) != "$pid0" ]] && service_running
}

wait_running 60000 "before the test"
ktest_load
pid0=$(main_pid)
nr0=$(prop NRestarts)
cursor=$(journal_cursor)
klog "open $T"
run=$(klog_field run)
klog "start 4 1000 2000 $ROWS 4000"
wait_until 120000 "$KILL_AT accepted rows" accepted_ge $KILL_AT
acc=$(klog_field accepted)
systemctl kill -s SIGKILL ksqld.service || fail "systemctl kill -s SIGKILL ksqld failed"
t0=$(now_ms)
log "ksqld $pid0 SIGKILLed at $acc accepted of $(klog_field attempted) attempted rows"
wait_until 60000 "systemd to restart ksqld after the SIGKILL" restarted
wait_running 60000 "after the restart"
log "systemd restarted ksqld in $(($(now_ms) - t0)) ms: $(show_unit)"
j=$(journal_since "$cursor" -u ksqld.service -o cat)
assert_contains "$j" "status=9/KILL" "systemd's journal of the kill"
assert_contains "$j" "Scheduled restart job" "systemd's journal of the restart"

wait_until 300000 "$ROWS attempted rows" klog_sources_done
attempted=$(klog_field attempted)
accepted=$(klog_field accepted)
enobufs=$(klog_field enobufs)
assert_eq "$attempted" $ROWS "rows attempted by the sources"
assert_eq "$(klog_field bad_context)" 0 "ksql_log() calls outside their context"
assert_eq "$(klog_field other_err)" 0 "ksql_log() errors other than -ENOBUFS (first: $(klog_field first_err))"
assert_eq $((accepted + enobufs)) "$attempted" "accepted + refused"
log "$accepted of $attempted rows accepted, $enobufs refused (-ENOBUFS)"

klog_verify
assert_eq "$(klog_field verify_rows)" "$accepted" "rows of the run in the table (verify)"
assert_eq "$(db_count "SELECT COUNT(*) FROM $T WHERE run = $run")" "$accepted" "sqlite3: rows of the run"
assert_eq "$(db_count "SELECT COUNT(*) FROM (SELECT src, n FROM $T WHERE run = $run GROUP BY src, n HAVING COUNT(*) > 1)")" 0 \
	"sqlite3: duplicate (src, n)"
prod=$(db_count "SELECT MAX(ksql_producer) FROM $T WHERE run = $run")
assert_eq "$(db_count "SELECT IFNULL(SUM(count), 0) FROM ksql_gaps WHERE tbl = '$T' AND producer = $prod")" "$enobufs" \
	"sqlite3: rows in gaps"
assert_eq "$(db_count "SELECT last_seq FROM ksql_producers WHERE id = $prod")" "$attempted" "sqlite3: last_seq"
klog close
state_set KILL_TABLE $T
state_set KILL_RUN "$run"
state_set KILL_ROWS "$accepted"
