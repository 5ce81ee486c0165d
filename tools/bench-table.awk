# bench-table.awk - the table of `make bench` from bench.sh's raw figures
# ("KEY VALUE" lines, see tools/vm/guest/bench.sh). Used by tools/bench.
#
# Every ratio divides two figures measured in the same VM boot. Goals are
# the issue's; "met" or "MISSED" is information, never a failure.

{ v[$1] = $2 }

function need(k) {
	if (!(k in v)) {
		printf "bench-table: figure %s is missing\n", k > "/dev/stderr"
		missing = 1
		return 0
	}
	return v[k]
}
function rate(n, ns) { return ns > 0 ? n * 1e9 / ns : 0 }
function us(ns) { return ns / 1000 }
function verdict(ok) { return ok ? "met" : "MISSED" }

END {
	rows = need("b1.ksql.rows")
	ksql = rate(rows, need("b1.ksql.total_ns"))
	inproc = rate(rows, need("b1.inproc.ns"))
	transport = rate(need("b1.transport.rows"), need("b1.transport.total_ns"))
	producer = rate(rows, need("b1.ksql.log_ns"))
	printf "B1 log throughput, %d rows of (ts, pid, comm TEXT, a, b)       rows/s\n", rows
	printf "  ksql_log() until committed by ksqld                %12.0f\n", ksql
	printf "  in-process SQLite, same pragmas, %5d rows/txn    %12.0f\n", need("b1.inproc.txn_rows"), inproc
	printf "  ratio ksql / in-process                            %11.2fx   goal >= 0.8x: %s\n", ksql / inproc, verdict(ksql / inproc >= 0.8)
	printf "  transport only: fake daemon acks, no SQLite        %12.0f   (%.1fx ksqld)\n", transport, transport / ksql
	printf "  ksql_log() calls alone (the producer)              %12.0f\n", producer
	printf "  ksqld commits: %d transactions, %d rows each on average\n", need("b1.ksql.commits"), need("b1.ksql.txn_rows")
	print ""

	ping50 = need("b2.ping.p50_ns"); ping99 = need("b2.ping.p99_ns")
	ex50 = need("b2.exec.p50_ns"); ex99 = need("b2.exec.p99_ns")
	in50 = need("b2.inproc.p50_ns"); in99 = need("b2.inproc.p99_ns")
	printf "B2 point query by rowid, %d each                     p50 us      p99 us\n", need("b2.exec.queries")
	printf "  ksql_exec() SELECT ... WHERE rowid = ?1        %10.1f  %10.1f\n", us(ex50), us(ex99)
	printf "  ksql_ping() (same machinery, no SQL)           %10.1f  %10.1f\n", us(ping50), us(ping99)
	printf "  in-process SQLite, same query                  %10.1f  %10.1f\n", us(in50), us(in99)
	r50 = ex50 / (ping50 + in50); r99 = ex99 / (ping99 + in99)
	printf "  ratio exec / (ping + in-process)               %9.2fx  %9.2fx   goal p50 <= 1.3x: %s\n", r50, r99, verdict(r50 <= 1.3)
	print ""

	printf "B3 point-query throughput, kernel threads     queries/s   vs 1 thread\n"
	base = rate(need("b3.t1.queries"), need("b3.t1.ns"))
	grows = 1; prev = 0
	for (k = 1; k <= 8; k *= 2) {
		q = rate(need("b3.t" k ".queries"), need("b3.t" k ".ns"))
		if (q <= prev)
			grows = 0
		prev = q
		printf "  %d thread%s                                  %10.0f   %9.2fx\n", k, (k > 1 ? "s" : " "), q, (base > 0 ? q / base : 0)
	}
	printf "  grows with the threads: %s\n", grows ? "yes" : "NO"
	print ""

	calls = need("b4.calls")
	lg = need("b4.log_ns") / calls; cp = need("b4.memcpy_ns") / calls
	printf "B4 caller cost, %d calls                             ns/call\n", calls
	printf "  ksql_log() of one row                                %8.1f\n", lg
	printf "  memcpy of its %d bytes into a per-CPU buffer        %8.1f\n", need("b4.bytes"), cp
	printf "  ratio                                               %7.2fx   goal <= 3x: %s\n", lg / cp, verdict(lg / cp <= 3)
	print ""

	printf "B5 memory\n"
	printf "  kernel bytes per queued row (ring entry)             %8.1f   (%d rows queued, ksqld stopped)\n", need("b5.backlog_bytes") / need("b5.rows"), need("b5.rows")
	printf "  ksqld RSS after %d rows                        %8.1f MiB (peak %.1f MiB)\n", rows, need("b5.ksqld_rss_kb") / 1024, need("b5.ksqld_hwm_kb") / 1024
	if (missing)
		exit 1
}
