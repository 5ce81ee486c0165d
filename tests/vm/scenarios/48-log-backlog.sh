#!/bin/sh
# 48-log-backlog: the backlog bound and the loss records, exactly.
#  - too big: with the daemon up, a row larger than any batch makes
#    ksql_log() return -E2BIG; it is counted (lost, too big 1) and stored as
#    a gap of one sequence with reason 'too_big', between the rows around it;
#  - backlog: with log_backlog_bytes=65536 and no daemon, 5,000 rows are
#    logged from a task: M are accepted, 5,000 - M refused with -ENOBUFS
#    (0 < M < 5,000), the table's lost and lost (backlog) counters say the
#    same; once a daemon runs and the table is flushed the M rows are there
#    and ksql_gaps has one 'backlog' record with count 5,000 - M and the
#    right first and last sequence;
#  - the module's verify then passes for the whole run.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

T=log48
N=5000

# gap_of REASON FIELD: FIELD of the only gap with REASON of this run's producer
gap_of() {
	db_query "SELECT $2 FROM ksql_gaps WHERE tbl = '$T' AND producer = $prod AND reason = '$1'"
}

setup
param_set log_backlog_bytes 65536
daemon_start
klog "open $T"
run=$(klog_field run)
assert_eq "$(table_stat $T limit_bytes)" 65536 "table $T: backlog limit"

# too big: seq 11 is lost between rows 1..10 and 12..21
klog "log 10"
if echo big >"$KT/log" 2>/dev/null; then
	fail "a row larger than any batch was accepted"
fi
assert_eq "$(klog_field big_rc)" "-$E2BIG" "ksql_log() of the big row"
klog "log 10"
klog "flush $(slack 10000)"
assert_eq "$(table_stat $T lost_too_big)" 1 "table $T: lost (too big)"
assert_eq "$(table_stat $T lost)" 1 "table $T: lost"
assert_eq "$(table_stat $T logged)" 20 "table $T: logged"
assert_eq "$(table_stat $T acked)" 20 "table $T: acked"
prod=$(db_count "SELECT MAX(ksql_producer) FROM $T WHERE run = $run")
assert_eq "$(gap_of too_big "first_seq || '-' || last_seq || ' ' || count")" "11-11 1" "the too_big gap"
log "too big: -E2BIG, one gap at sequence 11"

# the backlog: no daemon
daemon_stop
klog "log $N"
acc=$(klog_field accepted)
acc=$((acc - 20))
refused=$(klog_field enobufs)
log "daemon down: $acc of $N accepted, $refused refused with -ENOBUFS"
assert_ge "$acc" 1 "rows accepted into an empty 64 KiB backlog"
assert_ge "$refused" 1 "rows refused by a full 64 KiB backlog"
assert_eq $((acc + refused)) $N "accepted + refused"
assert_eq "$(table_stat $T lost_backlog)" "$refused" "table $T: lost (backlog)"
assert_eq "$(table_stat $T lost)" $((refused + 1)) "table $T: lost"
assert_eq "$(table_stat $T logged)" $((20 + acc)) "table $T: logged"
assert_le "$(table_stat $T backlog_bytes)" 65536 "table $T: backlog bytes"
assert_ge "$(table_stat $T backlog_rows)" "$acc" "table $T: backlog rows"

daemon_start
klog "flush $(slack 20000)"
assert_eq "$(table_stat $T acked)" $((20 + acc)) "table $T: acked after the flush"
assert_eq "$(table_stat $T backlog_rows)" 0 "table $T: backlog rows after the flush"
assert_eq "$(db_count "SELECT COUNT(*) FROM $T WHERE run = $run")" $((20 + acc)) "rows in the table"
assert_eq "$(db_count "SELECT COUNT(*) FROM ksql_gaps WHERE tbl = '$T' AND producer = $prod AND reason = 'backlog'")" 1 \
	"backlog gap records"
# sequences: 1-10 rows, 11 too big, 12-21 rows, 22..21+acc rows, then the gap
assert_eq "$(gap_of backlog "first_seq || '-' || last_seq || ' ' || count")" \
	"$((22 + acc))-$((21 + N)) $refused" "the backlog gap"
assert_eq "$(db_count "SELECT last_seq FROM ksql_producers WHERE id = $prod")" $((21 + N)) "the producer's last_seq"
klog_verify
klog close
