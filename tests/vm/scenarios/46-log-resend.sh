#!/bin/sh
# 46-log-resend: a batch ksqld does not commit is sent again without a
# daemon restart, and nothing is lost or doubled.
#  - a trigger on the table makes every INSERT fail, so ksqld refuses the
#    batches (no LOG_ACK): the rows stay held in the kernel (acked does not
#    move, "ksqld log refused" grows);
#  - with log_resend_ms=300 the module's ack watchdog sends them again
#    ("ack timeouts" >= 1, resent >= the rows), and again, waiting longer
#    each time;
#  - once the trigger is dropped the next resend is committed: the flush
#    returns 0, every row is in the table once;
#  - 15 rows logged to a SIGSTOPped ksqld are sent again by the watchdog,
#    so two copies wait in its socket: resumed, it commits one and skips
#    the other ("ksqld log duplicates" +15 at least), 45 rows in all;
#  - verify passes (no duplicate, sequences contiguous).
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

T=log46

setup
param_set log_resend_ms 300
daemon_start
klog "open $T"
run=$(klog_field run)
klog "log 10"
klog "flush $(slack 10000)"
assert_eq "$(table_stat $T acked)" 10 "table $T: acked before the trigger"

sqlite3 -cmd ".timeout 5000" "$KSQL_DB" \
	"CREATE TRIGGER ${T}_block BEFORE INSERT ON $T BEGIN SELECT RAISE(ABORT, 'blocked by 46-log-resend'); END;" ||
	fail "cannot create the blocking trigger"
refused0=$(counter "ksqld log refused")
klog "log 20"

refused_more() {
	[ "$(counter "ksqld log refused")" -gt "$refused0" ]
}
timeouts_ge() {
	[ "$(table_stat $T ack_timeouts)" -ge "$1" ]
}
wait_until "$(slack 10000)" "ksqld refusing the blocked batch" refused_more
wait_until "$(slack 10000)" "the ack watchdog sending the rows again (twice)" timeouts_ge 2
assert_eq "$(table_stat $T acked)" 10 "table $T: acked while every insert fails"
assert_eq "$(table_stat $T backlog_rows)" 20 "table $T: rows held while every insert fails"
assert_ge "$(table_stat $T resent)" 20 "table $T: rows sent again"
assert_eq "$(db_count "SELECT COUNT(*) FROM $T WHERE run = $run")" 10 "rows in the table while blocked"
log "blocked: $(table_line $T)"

sqlite3 -cmd ".timeout 5000" "$KSQL_DB" "DROP TRIGGER ${T}_block" ||
	fail "cannot drop the blocking trigger"
klog "flush $(slack 20000)"
assert_eq "$(table_stat $T acked)" 30 "table $T: acked after the trigger is gone"
assert_eq "$(table_stat $T backlog_rows)" 0 "table $T: rows held after the flush"
assert_eq "$(db_count "SELECT COUNT(*) FROM $T WHERE run = $run")" 30 "rows in the table"
assert_eq "$(table_stat $T lost)" 0 "table $T: lost"
log "recovered without a restart: $(table_line $T)"

# duplicates: ksqld is stopped while a batch waits in its socket; the
# watchdog sends the rows again (a second copy queued behind the first);
# resumed, ksqld commits the first copy and skips the second
dups0=$(counter "ksqld log duplicates")
to0=$(table_stat $T ack_timeouts)
daemon_pause
klog "log 15"
wait_until "$(slack 10000)" "the watchdog sending to a stopped daemon" timeouts_ge $((to0 + 1))
daemon_resume
klog "flush $(slack 20000)"
assert_eq "$(table_stat $T acked)" 45 "table $T: acked after the resume"
assert_eq "$(db_count "SELECT COUNT(*) FROM $T WHERE run = $run")" 45 "rows in the table after the resume"
dups=$(($(counter "ksqld log duplicates") - dups0))
assert_ge "$dups" 15 "rows ksqld skipped as already committed"
log "stopped daemon: $dups duplicate rows skipped, $(table_line $T)"
klog_verify
klog close
