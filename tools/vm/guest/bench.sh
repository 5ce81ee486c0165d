# shellcheck shell=sh
# bench.sh - the VM benchmarks B1-B5 of `make bench` (docs/PERFORMANCE.md).
#
# Runs in the QEMU guest (busybox sh), from tools/vm/guest/init in
# ksqlvm.mode=bench, or from the scenario 93-bench-smoke with --size smoke.
# Everything that is compared is measured here, in the same boot, side by
# side. Prints one "KSQL-BENCH KEY VALUE" line per raw figure; tools/bench on
# the host turns them into the table. No figure is judged here: a benchmark
# fails only when something does not work (a lost row, a failed query).
#
#   sh bench.sh [--size full|smoke]
#
# full:  1,000,000 rows (B1, B5 RSS), 20,000 point queries and pings (B2),
#        8,000 queries per thread count (B3), 200,000 ksql_log() calls (B4)
# smoke: the same steps with a few rows each (checks that they all work)

. /tests/vm/lib.sh

size=full
while [ $# -gt 0 ]; do
	case $1 in
	--size) size=$2; shift ;;
	*) echo "bench.sh: unknown argument '$1' (expected --size full|smoke)" >&2; exit 2 ;;
	esac
	shift
done
case $size in
full) ROWS=1000000 QUERIES=20000 TQUERIES=8000 CALLS=200000 MEMROWS=20000 BACKLOG=268435456 ROUNDS=3 ;;
smoke) ROWS=3000 QUERIES=200 TQUERIES=80 CALLS=2000 MEMROWS=500 BACKLOG=16777216 ROUNDS=2 ;;
*) fail "unknown size '$size' (expected full or smoke)" ;;
esac

KB=/sys/kernel/debug/ksql_bench/run
KSQL_DB=/tmp/bench.db
INPROC_DB=/tmp/bench-inproc.db
export KSQL_DB

out() {
	echo "KSQL-BENCH $1 $2"
}

# bench CMD...: run a ksql_bench.ko command; its result lines in $BENCH_OUT
bench() {
	echo "$*" >"$KB" || fail "ksql_bench '$*' failed: $(cat "$KB" 2>&1)"
	BENCH_OUT=$(cat "$KB")
}

# field KEY [TEXT]: the value of line "KEY VALUE" in TEXT (default $BENCH_OUT)
field() {
	_v=$(printf '%s\n' "${2-$BENCH_OUT}" | sed -n "s/^$1 //p")
	is_int "$_v" || fail "no number '$1' in: ${2-$BENCH_OUT}"
	echo "$_v"
}

# emit PREFIX KEY...: print the named fields of $BENCH_OUT as PREFIX.KEY
emit() {
	_p=$1
	shift
	for _k; do
		out "$_p.$_k" "$(field "$_k")"
	done
}

ksqld_counter() {
	ksqlctl status 2>/dev/null | sed -n "s/^ksqld $1: //p"
}

# vm_kb PID FIELD: VmRSS / VmHWM of a process, in kB
vm_kb() {
	sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status"
}

cleanup_bench() {
	[ -n "${NLTOOL_PID:-}" ] && kill -CONT "$NLTOOL_PID" 2>/dev/null && kill "$NLTOOL_PID" 2>/dev/null
	module_loaded ksql_bench && rmmod ksql_bench
	rm -f "$KSQL_DB"* "$INPROC_DB"*
}

setup
trap 'cleanup_bench; lib_cleanup' EXIT
rm -f "$KSQL_DB"* "$INPROC_DB"*
module_loaded ksql_bench || insmod "$KO_DIR/ksql_bench.ko" || fail "insmod ksql_bench.ko failed"
# Room for every row of B1 at once: the benchmark measures throughput, and
# a row refused because the producer ran ahead would be a lost row.
param_set log_backlog_bytes "$BACKLOG"
out size "$size"
out cpus "$(grep -c ^processor /proc/cpuinfo)"
out clocksource "$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null || echo unknown)"
out kernel "$(uname -r)"
daemon_start

# --- B1: log throughput, ksql_log() to committed, vs in-process SQLite ---
# $ROUNDS rounds, ksqld and in-process taking turns, and the best of each
# counts: the host is shared and the emulator's speed wanders.
best_ksql=0 best_inproc=0
round=1
while [ "$round" -le "$ROUNDS" ]; do
	log "B1 round $round: $ROWS rows through ksql_log() -> ksqld"
	c0=$(ksqld_counter "log commits")
	bench log bench_log "$ROWS"
	[ "$(field lost)" -eq 0 ] || fail "B1 lost $(field lost) rows"
	ns=$(field total_ns)
	out "b1.r$round.ksql_ns" "$ns"
	if [ "$best_ksql" -eq 0 ] || [ "$ns" -lt "$best_ksql" ]; then
		best_ksql=$ns
		emit b1.ksql rows lost log_ns total_ns
	fi
	commits=$(($(ksqld_counter "log commits") - c0))
	[ "$commits" -gt 0 ] || fail "ksqld counted no log commits"
	n=$(db_query "SELECT count(*) FROM bench_log")
	[ "$n" -eq $((ROWS * round)) ] || fail "bench_log has $n rows, expected $((ROWS * round))"
	if [ "$round" -eq 1 ]; then
		# the in-process program commits as often as ksqld did
		txn=$((ROWS / commits))
		out b1.ksql.commits "$commits"
		out b1.ksql.txn_rows "$txn"
		# B5: the daemon's memory once it has committed them
		out b5.ksqld_rss_kb "$(vm_kb "$KSQLD_PID" VmRSS)"
		out b5.ksqld_hwm_kb "$(vm_kb "$KSQLD_PID" VmHWM)"
	fi

	log "B1 round $round: the same rows by an in-process SQLite program, $txn rows/txn"
	# same pragmas as ksqld: synchronous FULL, its default
	r=$(ksql-bench-sqlite insert --synchronous full "$INPROC_DB" "$ROWS" "$txn") || fail "ksql-bench-sqlite insert failed"
	rm -f "$INPROC_DB"*
	ns=$(field ns "$r")
	out "b1.r$round.inproc_ns" "$ns"
	if [ "$best_inproc" -eq 0 ] || [ "$ns" -lt "$best_inproc" ]; then
		best_inproc=$ns
		out b1.inproc.ns "$ns"
		out b1.inproc.txn_rows "$(field txn_rows "$r")"
	fi
	round=$((round + 1))
done
out b1.rounds "$ROUNDS"

# --- B5: kernel bytes per queued row -------------------------------------
log "B5: $MEMROWS rows queued while ksqld is stopped"
bench open bench_mem
daemon_pause
bench fill "$MEMROWS"
[ "$(field lost)" -eq 0 ] || { daemon_resume; fail "B5 lost $(field lost) rows"; }
qrows=$(table_stat bench_mem backlog_rows)
qbytes=$(table_stat bench_mem backlog_bytes)
daemon_resume
bench drain
[ "$qrows" -eq "$MEMROWS" ] || fail "B5: $qrows rows queued, expected $MEMROWS"
out b5.rows "$qrows"
out b5.backlog_bytes "$qbytes"
out b5.limit_bytes "$(param log_backlog_bytes)"
# B4 copies exactly the bytes a queued row takes
ROW_BYTES=$(((qbytes + qrows / 2) / qrows))

# --- B2: point query vs ping + in-process query --------------------------
log "B2: $QUERIES pings, point queries through ksql_exec(), in-process queries"
bench ping "$QUERIES"
emit b2.ping queries errors p50_ns p99_ns mean_ns
[ "$(field errors)" -eq 0 ] || fail "B2: $(field errors) pings failed"
bench query bench_log "$QUERIES"
emit b2.exec queries errors p50_ns p99_ns mean_ns
[ "$(field errors)" -eq 0 ] || fail "B2: $(field errors) queries failed"
bench query - "$QUERIES"
emit b2.select1 p50_ns p99_ns
# The same with all of ksqld's threads on one CPU: the difference is what
# waking a thread on the other CPU costs (under emulation, a lot).
taskset -a -p -c 0 "$KSQLD_PID" >/dev/null || fail "taskset ksqld failed"
bench query bench_log "$QUERIES"
emit b2.exec1cpu p50_ns p99_ns
taskset -a -p -c 0-$(($(grep -c ^processor /proc/cpuinfo) - 1)) "$KSQLD_PID" >/dev/null || fail "taskset ksqld failed"
r=$(ksql-bench-sqlite query "$KSQL_DB" bench_log "$QUERIES") || fail "ksql-bench-sqlite query failed"
for k in p50_ns p99_ns mean_ns; do
	out "b2.inproc.$k" "$(field "$k" "$r")"
done

# --- B3: point-query throughput with 1, 2, 4, 8 kernel threads -----------
for k in 1 2 4 8; do
	log "B3: $k threads, $((TQUERIES / k)) queries each"
	bench threads "$k" bench_log "$((TQUERIES / k))"
	[ "$(field errors)" -eq 0 ] || fail "B3: $(field errors) queries failed with $k threads"
	emit "b3.t$k" queries ns
done

# --- B4: the caller's cost of ksql_log() vs a per-CPU memcpy -------------
log "B4: $CALLS ksql_log() calls against memcpy of $ROW_BYTES bytes"
# ksqld stopped: the daemon's and the sender's work on the other CPU is
# not the caller's cost (the rows wait in the ring, drained afterwards)
bench open bench_cost
daemon_pause
bench logcost "$CALLS" "$ROW_BYTES"
daemon_resume
r=$BENCH_OUT
bench drain
BENCH_OUT=$r
[ "$(field lost)" -eq 0 ] || fail "B4 lost $(field lost) rows"
emit b4 calls bytes log_ns memcpy_ns clock_ns lock_ns

# --- B1 transport ceiling: a fake daemon that acks without SQLite --------
# The rows are queued while the fake daemon is stopped, so its clock (first
# LOG read to last LOG_ACK sent) times the transport alone, not the producer.
log "B1: $ROWS rows to a fake daemon that acks at once (no SQLite)"
daemon_stop
ksql-nltool logack "$ROWS" >/tmp/bench-logack.out 2>&1 &
NLTOOL_PID=$!
wait_until 10000 "ksql-nltool logack to register" daemon_connected "$NLTOOL_PID"
bench open bench_ceiling
kill -STOP "$NLTOOL_PID"
bench fill "$ROWS"
[ "$(field lost)" -eq 0 ] || { kill -CONT "$NLTOOL_PID"; fail "transport: lost $(field lost) rows"; }
kill -CONT "$NLTOOL_PID"
bench drain
wait "$NLTOOL_PID" || fail "ksql-nltool logack failed: $(cat /tmp/bench-logack.out)"
NLTOOL_PID=
r=$(cat /tmp/bench-logack.out)
out b1.transport.rows "$(field rows "$r")"
out b1.transport.total_ns "$(field ns "$r")"
out b1.transport.batches "$(field batches "$r")"

out done 1
log "done"
