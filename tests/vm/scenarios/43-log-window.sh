#!/bin/sh
# 43-log-window: log_window_bytes bounds what a table has sent and not yet
# had acknowledged, so a burst waits in the kernel's ring, not in ksqld.
#  - with log_window_bytes=65536 and ksqld stopped, 5,000 rows (~300 KiB)
#    are logged: the module sends at most the window plus one batch
#    (log_batch_bytes) and then stops, the rest held unsent;
#  - after SIGCONT every LOG_ACK opens the window again: the flush returns,
#    every row is acked and stored once, and the module's verify passes;
#  - the parameter refuses values outside 64 KiB .. 1 GiB.
# log_resend_ms is raised so that the ack watchdog stays out of it.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

T=log43
N=5000
WINDOW=65536

setup
for bad in 0 65535 1073741825; do
	if echo "$bad" >/sys/module/ksql/parameters/log_window_bytes 2>/dev/null; then
		fail "log_window_bytes accepted $bad"
	fi
done
param_set log_window_bytes $WINDOW
# the ack watchdog must not send the held rows again while ksqld is
# stopped (on a slow kernel logging them takes longer than its 5 s):
# "sent" would count them twice and this test is about the window alone
param_set log_resend_ms 600000
param_set log_backlog_bytes 4194304
daemon_start
klog "open $T"
run=$(klog_field run)
daemon_pause
klog "log $N"

# the sender stops at the window: "sent" settles
sent_settled() {
	_s=$(table_stat $T sent)
	[ "$_s" = "${_last_sent:-x}" ] && return 0
	_last_sent=$_s
	sleep 0.3
	return 1
}
wait_until "$(slack 10000)" "the sender to stop" sent_settled
sent=$(table_stat $T sent)
rows=$(table_stat $T backlog_rows)
bytes=$(table_stat $T backlog_bytes)
assert_eq "$rows" "$N" "rows held while ksqld is stopped"
row_bytes=$((bytes / rows))
batch=$(param log_batch_bytes)
log "sent $sent of $N rows ($row_bytes bytes each) with a $WINDOW-byte window"
assert_ge "$sent" 1 "rows sent before the window closed"
assert_le $((sent * row_bytes)) $((WINDOW + batch)) "bytes in flight (window + one batch)"
assert_le "$sent" $((N / 2)) "rows sent while ksqld is stopped"

daemon_resume
klog "flush $(slack 20000)"
assert_eq "$(table_stat $T acked)" "$N" "rows acked after SIGCONT"
assert_eq "$(table_stat $T backlog_rows)" 0 "rows held after the flush"
assert_eq "$(db_count "SELECT count(*) FROM $T WHERE run = $run")" "$N" "rows in table $T"
klog_verify
klog close
