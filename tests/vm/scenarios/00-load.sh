#!/bin/sh
# 00-load: ksql.ko and ksql_test.ko load; with no daemon, ksqlctl status
# reads the module and every counter (also the throttling, retry, cancel
# and transaction ones: all 0 or more, the gauges 0; the logging ones too,
# "log tables" 0 and no table line); module parameters (also max_in_flight,
# default 64, txn_idle_ms, default 2000, and the logging ones with their
# defaults: log_backlog_bytes 4194304, log_batch_rows 256, log_batch_bytes
# 32768, log_flush_ms 50, log_resend_ms 5000, log_window_bytes 8388608) and
# the test module's debugfs files and checks are
# there; bad commands to the "log" file are refused.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

setup

assert_eq "$(status_of module)" "loaded (version $(cat /sys/module/ksql/version))" "ksqlctl status module"
assert_eq "$(status_of daemon)" "not connected" "ksqlctl status daemon"
for c in sent completed failed "timed out" interrupted "late replies" \
	"in flight" rejected "too big" "not connected" "daemon connects" \
	async throttled waiting "send retries" "cancels sent" "txn begun" \
	"txn committed" "txn aborted" "log tables" "log rows" "log lost" \
	"log batches" "log acks" "log send retries" pings "refused context"; do
	v=$(counter "$c")
	is_int "$v" || fail "counter '$c' is '$v'"
done
assert_eq "$(counter "in flight")" 0 "in flight with no caller"
assert_eq "$(counter waiting)" 0 "waiting with no caller"
assert_eq "$(counter "log tables")" 0 "log tables with none open"
if kstatus | grep -q '^table '; then
	fail "a table line with no table open: $(kstatus | grep '^table ')"
fi

for p in default_timeout_ms max_result_bytes max_query_bytes max_in_flight txn_idle_ms \
	log_backlog_bytes log_batch_rows log_batch_bytes log_flush_ms log_resend_ms \
	log_window_bytes; do
	f=/sys/module/ksql/parameters/$p
	[ -w "$f" ] || fail "module parameter $p is missing or read-only"
	v=$(cat "$f")
	is_int "$v" || fail "module parameter $p is '$v'"
	assert_ge "$v" 1 "module parameter $p"
	log "$p = $v"
done
# the documented defaults (scenarios that change them restore them)
assert_eq "$(param max_in_flight)" 64 "default max_in_flight"
assert_eq "$(param txn_idle_ms)" 2000 "default txn_idle_ms"
assert_eq "$(param log_backlog_bytes)" 4194304 "default log_backlog_bytes"
assert_eq "$(param log_batch_rows)" 256 "default log_batch_rows"
assert_eq "$(param log_batch_bytes)" 32768 "default log_batch_bytes"
assert_eq "$(param log_flush_ms)" 50 "default log_flush_ms"
assert_eq "$(param log_resend_ms)" 5000 "default log_resend_ms"
assert_eq "$(param log_window_bytes)" 8388608 "default log_window_bytes"

for f in check checks exec busy threads mark async txn log ping; do
	[ -e "$KT/$f" ] || fail "$KT/$f is missing"
done
for c in types empty sqlerr multistmt big simple notconn timeout mixed mixed_reset txn; do
	grep -q "^$c " "$KT/checks" || fail "check '$c' is not listed in $KT/checks"
done
assert_eq "$(cat "$KT/busy")" 0 "busy writers"
assert_eq "$(cat "$KT/threads")" "" "thread table before any start"
assert_eq "$(async_field pending)" 0 "async requests pending before any"
assert_eq "$(sed -n 's/^stage //p' "$KT/txn")" idle "txn stage before any"

# an unknown check is refused with EINVAL and a clear outcome
if echo "no-such-check" >"$KT/check" 2>/dev/null; then
	fail "writing an unknown check name succeeded"
fi
assert_contains "$(cat "$KT/check")" "FAIL no-such-check: no such check" "unknown check outcome"

# bad commands to the new files are refused
if echo "fire 1 nowhere" >"$KT/async" 2>/dev/null; then
	fail "an async batch from an unknown context was accepted"
fi
if echo "dance 5" >"$KT/txn" 2>/dev/null; then
	fail "an unknown txn command was accepted"
fi
for cmd in "dance 5" "start 1 0 0" "log" "open" "start 99 0 0 10"; do
	if echo "$cmd" >"$KT/log" 2>/dev/null; then
		fail "the log command '$cmd' was accepted"
	fi
done
# no table open: logging and flushing are refused
for cmd in "log 1" "flush 10" "big" "verify" "start 1 0 0 10"; do
	if echo "$cmd" >"$KT/log" 2>/dev/null; then
		fail "the log command '$cmd' was accepted with no table open"
	fi
done
assert_eq "$(klog_field open)" 0 "log file: a table open before any"
