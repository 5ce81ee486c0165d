# shellcheck shell=sh
# 93-bench-smoke: every step of `make bench` (tools/vm/guest/bench.sh) works
# and reports every figure the table needs, on a few rows. Timings are
# printed, never judged; what fails here is a step that breaks: a lost row,
# a failed query or ping, a missing figure, a thread that never ends.
. /tests/vm/lib.sh
setup

out=/tmp/bench-smoke.out
sh /tools/vm/guest/bench.sh --size smoke >"$out" 2>&1
rc=$?
cat "$out"
[ "$rc" -eq 0 ] || fail "bench.sh --size smoke exited with status $rc"

# figure KEY: its value, a whole number
figure() {
	_f=$(sed -n "s/^KSQL-BENCH $1 //p" "$out" | tail -n 1)	# the last counts (best round)
	is_int "$_f" || fail "bench.sh reported no number for $1 (got '$_f')"
	echo "$_f"
}

# Everything tools/bench-table.awk reads.
for k in b1.ksql.rows b1.ksql.lost b1.ksql.log_ns b1.ksql.total_ns \
	b1.ksql.commits b1.ksql.txn_rows b1.inproc.ns b1.inproc.txn_rows \
	b1.transport.rows b1.transport.total_ns b1.transport.batches \
	b2.ping.p50_ns b2.ping.p99_ns b2.exec.p50_ns b2.exec.p99_ns \
	b2.inproc.p50_ns b2.inproc.p99_ns b2.exec.queries \
	b3.t1.queries b3.t1.ns b3.t2.queries b3.t2.ns b3.t4.queries b3.t4.ns \
	b3.t8.queries b3.t8.ns b4.calls b4.bytes b4.log_ns b4.memcpy_ns \
	b5.rows b5.backlog_bytes b5.ksqld_rss_kb b5.ksqld_hwm_kb; do
	figure "$k" >/dev/null
done

# The figures mean what they say.
assert_eq "$(figure b1.ksql.lost)" 0 "B1 rows lost"
assert_eq "$(figure b1.transport.rows)" "$(figure b1.ksql.rows)" "rows acked by the fake daemon"
assert_eq "$(figure b1.inproc.txn_rows)" "$(figure b1.ksql.txn_rows)" "in-process transaction size (must be ksqld's)"
assert_eq "$(figure b2.exec.queries)" 200 "B2 queries"
assert_eq "$(figure b3.t8.queries)" 80 "B3 queries with 8 threads"
assert_ge "$(figure b2.exec.p99_ns)" "$(figure b2.exec.p50_ns)" "B2 p99 against p50"
assert_ge "$(figure b5.ksqld_rss_kb)" 1 "ksqld RSS"
# A queued row takes its wire bytes and no more than a few words of framing.
bytes=$(figure b4.bytes)
assert_ge "$bytes" 60 "bytes per queued row"
assert_le "$bytes" 160 "bytes per queued row"
grep -q '^KSQL-BENCH done 1$' "$out" || fail "bench.sh did not report 'done'"
# The benchmark left nothing behind: its module is gone, no daemon runs.
module_loaded ksql_bench && fail "ksql_bench.ko is still loaded"
pidof ksqld >/dev/null && fail "a ksqld is still running: $(pidof ksqld)"
pidof ksql-nltool >/dev/null && fail "ksql-nltool is still running"
exit 0
