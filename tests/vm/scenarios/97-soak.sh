#!/bin/sh
# 97-soak: chaos. For ksqlvm.soak=SECS seconds (default 60; make soak
# DURATION=...) the kernel logs, queries, runs transactions and async
# requests while a chaos loop, every 1-3 s, does one of (chosen at random):
# SIGKILL ksqld and start a new one; SIGSTOP it for 0.5-2 s, then SIGCONT;
# SIGTERM and restart; fill the database's filesystem (a tmpfs of its own)
# with a filler file for 1-3 s, then free it; flip the database read-only
# (ksqld killed, the filesystem remounted ro, a ksqld tried on it, then rw
# again and a new ksqld); unload and load the sample module ksql_exec.
# The workload, in parallel:
#  - table soak: 2 kthreads, a hardirq hrtimer and a softirq timer
#    ksql_log() all along (ksql_test "log", ~450 rows/s attempted);
#  - a task running ksql_exec_timeout("SELECT id * 3 + 1"): every answer
#    that returns 0 must be right; errors are counted by errno;
#  - a task running the transaction check "txn" (isolation, rollback)
#    again and again: it may fail while ksqld is away, but must return;
#  - a task firing ksql_exec_async() batches from hardirq, softirq and
#    task context: each batch settles (done() once per accepted request,
#    in process context, every answer right);
#  - kernel threads (ksql_test "threads"), 6 at a time, each one query.
# At the end (ksqld running, the filesystem writable and free):
#  - every worker loop and kernel thread returned within bounds;
#  - table soak: verify passes (per source exactly the accepted rows; per
#    producer rows and ksql_gaps cover 1..last_seq once: every accepted row
#    stored exactly once or inside a gap record), accepted + -ENOBUFS =
#    attempted, acked = logged, backlog empty, no duplicate (producer,
#    seq) per sqlite3, no wrong query answer, no done() twice;
#  - no task in D state (three looks, a second apart);
#  - the kernel log clean (the guest's scan after every scenario).
# Prints "KSQL-SOAK key=value ..." with the figures of the run.
# shellcheck source=tests/vm/lib.sh
SOAK_DIR=/mnt/soak
KSQL_DB=$SOAK_DIR/soak.db
KSQLD_LOG=/tmp/ksqld-soak.log
. /tests/vm/lib.sh

T=soak
W=/tmp/soak	# the workers' files: stop flag, counters, done markers
DURATION=$(sed -n 's/.*ksqlvm\.soak=\([0-9][0-9]*\).*/\1/p' /proc/cmdline)
DURATION=${DURATION:-60}
# room for the rows of the run (~100 bytes each), their WAL and the filler
SIZE_MB=$((48 + DURATION / 6))

rm -rf "$W"
mkdir -p "$W" "$SOAK_DIR"
grep -q " $SOAK_DIR " /proc/mounts && umount "$SOAK_DIR"
mount -t tmpfs -o size=${SIZE_MB}m soak "$SOAK_DIR" || fail "cannot mount a tmpfs on $SOAK_DIR"

# the figures (chaos actions)
kills=0 stops=0 terms=0 term_stuck=0 fills=0 ro_flips=0 reloads=0 reload_fail=0 ro_alive=0 ro_served=0

soak_cleanup() {
	touch "$W/stop"
	rm -f "$SOAK_DIR/filler"
	mount -o remount,rw "$SOAK_DIR" 2>/dev/null
	module_loaded ksql_exec && timeout 20 rmmod ksql_exec
}

# --- the workers -----------------------------------------------------------

stopping() {
	[ -e "$W/stop" ]
}

# counters of a worker: one file per worker, "name value" lines rewritten
put() {
	echo "$2" >"$W/$1.tmp" && mv "$W/$1.tmp" "$W/$1"
}

get() {
	cat "$W/$1" 2>/dev/null || echo 0
}

# ksql_exec_timeout() with a checked answer
query_worker() {
	n=0 ok=0 wrong=0 errs=
	while ! stopping; do
		n=$((n + 1))
		if echo "3000 SELECT $n * 3 + 1" >"$KT/exec" 2>/dev/null; then
			row=$(sed -n 's/^row 0: //p' "$KT/exec")
			if [ "$row" = "INT $((n * 3 + 1))" ]; then
				ok=$((ok + 1))
			else
				wrong=$((wrong + 1))
				echo "wrong answer to query $n: '$row'" >>"$W/wrong.log"
			fi
		else
			rc=$(sed -n 's/^rc=//p' "$KT/exec")
			errs="$errs $rc"
		fi
		put query.n "$n"
		put query.ok "$ok"
		put query.wrong "$wrong"
	done
	echo "$errs" | tr ' ' '\n' | grep -v '^$' | sort | uniq -c | tr '\n' ' ' >"$W/query.errs"
	touch "$W/query.done"
}

# the transaction check, again and again
txn_worker() {
	n=0 ok=0
	while ! stopping; do
		n=$((n + 1))
		echo txn >"$KT/check" 2>/dev/null && ok=$((ok + 1))
		put txn.n "$n"
		put txn.ok "$ok"
		sleep 0.2
	done
	touch "$W/txn.done"
}

# ksql_exec_async() batches from each context; each batch must settle
async_worker() {
	n=0 req=0 ok=0 failed=0
	while ! stopping; do
		for ctx in hard soft task; do
			echo "fire 8 $ctx" >"$KT/async" 2>/dev/null || {
				echo "cannot fire from $ctx" >>"$W/wrong.log"
				continue
			}
			n=$((n + 1))
			# bounded by default_timeout_ms (a stopped ksqld) and daemon death
			i=0
			while ! async_settled 2>/dev/null; do
				i=$((i + 1))
				if [ $i -ge 600 ]; then
					echo "async batch $n ($ctx) not settled after 60 s: $(tr '\n' ' ' <"$KT/async")" >>"$W/wrong.log"
					break
				fi
				sleep 0.1
			done
			req=$((req + $(async_field submitted)))
			ok=$((ok + $(async_field ok)))
			failed=$((failed + $(async_field failed)))
			[ "$(async_field wrong)" = 0 ] || echo "async batch $n ($ctx): wrong answers: $(tr '\n' ' ' <"$KT/async")" >>"$W/wrong.log"
			put async.n "$n"
			put async.req "$req"
			put async.ok "$ok"
			put async.failed "$failed"
		done
	done
	touch "$W/async.done"
}

# kernel threads: 6 at a time, each one query; a new set stops the last
threads_worker() {
	n=0
	while ! stopping; do
		threads_start 6 2000 "SELECT count(*) FROM ksql_producers" 2>/dev/null
		n=$((n + 6))
		put threads.n "$n"
		sleep 1
	done
	threads_stop
	touch "$W/threads.done"
}

workers_done() {
	for w in query txn async threads; do
		[ -e "$W/$w.done" ] || return 1
	done
}

# --- the chaos -------------------------------------------------------------

# a random number in 0..$1-1 (busybox sh has $RANDOM)
rnd() {
	# shellcheck disable=SC3028 # busybox ash has it; od when not
	_r=$RANDOM
	[ -n "$_r" ] || _r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	echo $((_r % $1))
}

# sleep_ms N
sleep_ms() {
	sleep "$(($1 / 1000)).$(printf '%03d' $(($1 % 1000)))"
}

ksqld_restart() {
	daemon_start
}

# ksqld_threads: each thread of ksqld, its state, wchan and syscall
ksqld_threads() {
	for _t in /proc/"$KSQLD_PID"/task/*; do
		read -r _l <"$_t/stat" 2>/dev/null || continue
		_st=${_l##*) }
		echo "  tid ${_t##*/} ($(cat "$_t/comm" 2>/dev/null)) state ${_st%% *} wchan $(cat "$_t/wchan" 2>/dev/null) syscall $(cut -d' ' -f1 "$_t/syscall" 2>/dev/null)"
	done
}

# daemon_gone SIGNAL: signal ksqld and reap it. A SIGKILLed ksqld under TCG
# with the guest this busy may take seconds to exit: 30 s before blaming it.
# A ksqld that has not acted on SIGTERM after 30 s is a daemon problem, not
# the kernel's: its threads are shown, it is counted (term_stuck) and killed.
daemon_gone() {
	kill -"$1" "$KSQLD_PID" 2>/dev/null
	kill -CONT "$KSQLD_PID" 2>/dev/null
	if [ "$1" = TERM ]; then
		_end=$(($(now_ms) + $(slack 30000)))
		while ! proc_gone "$KSQLD_PID" && [ "$(now_ms)" -lt "$_end" ]; do
			sleep 0.1
		done
		if ! proc_gone "$KSQLD_PID"; then
			term_stuck=$((term_stuck + 1))
			log "ksqld $KSQLD_PID still there 30 s after SIGTERM; its threads:"
			ksqld_threads
			kill -KILL "$KSQLD_PID" 2>/dev/null
		fi
	fi
	wait_until 30000 "ksqld $KSQLD_PID to exit after SIG$1" proc_gone "$KSQLD_PID"
	wait "$KSQLD_PID" 2>/dev/null
	KSQLD_PID=
	wait_until 10000 "the module to see ksqld gone" daemon_disconnected
}

chaos_kill() {
	daemon_gone KILL
	kills=$((kills + 1))
	sleep_ms $((200 + $(rnd 800)))
	ksqld_restart
}

chaos_stop() {
	daemon_pause
	stops=$((stops + 1))
	sleep_ms $((500 + $(rnd 1500)))
	daemon_resume
}

chaos_term() {
	daemon_gone TERM
	terms=$((terms + 1))
	ksqld_restart
}

chaos_fill() {
	# ENOSPC ends dd: the filesystem is full
	dd if=/dev/zero of="$SOAK_DIR/filler" bs=64k 2>/dev/null
	fills=$((fills + 1))
	sleep_ms $((1000 + $(rnd 2000)))
	rm -f "$SOAK_DIR/filler"
}

chaos_readonly() {
	daemon_gone KILL
	if ! mount -o remount,ro "$SOAK_DIR"; then
		ksqld_restart
		return
	fi
	ro_flips=$((ro_flips + 1))
	# a ksqld on the read-only database must refuse to start (EROFS)
	# before it registers with the module; still alive after 1-2 s it is
	# only slow to start (counted), registered it would be serving
	ksqld --db "$KSQL_DB" 2>>"$KSQLD_LOG" &
	ro_pid=$!
	sleep_ms $((1000 + $(rnd 1000)))
	if ! proc_gone "$ro_pid"; then
		ro_alive=$((ro_alive + 1))
		if daemon_connected "$ro_pid"; then
			ro_served=$((ro_served + 1))
			log "ksqld $ro_pid registered on the read-only database: $(tail -n 3 "$KSQLD_LOG")"
		fi
		kill -KILL "$ro_pid" 2>/dev/null
	fi
	wait "$ro_pid" 2>/dev/null
	wait_until 5000 "the module to see the read-only ksqld gone" daemon_disconnected
	mount -o remount,rw "$SOAK_DIR" || fail "cannot remount $SOAK_DIR read-write"
	ksqld_restart
}

chaos_reload() {
	if module_loaded ksql_exec; then
		timeout "$(slack 20)" rmmod ksql_exec || fail "rmmod ksql_exec failed or hung"
	fi
	# its table_open needs ksqld, which is up: it loads
	if insmod "$KO_DIR/ksql_exec.ko" 2>/dev/null; then
		reloads=$((reloads + 1))
	else
		reload_fail=$((reload_fail + 1))
	fi
	# a few execs for it to log
	for _i in 1 2 3; do /bin/true; done
}

# --- the run -----------------------------------------------------------------

setup
trap 'soak_cleanup; lib_cleanup' EXIT
param_set log_resend_ms 2000
daemon_start
klog "open $T"
run=$(klog_field run)
# 2 threads x 16 rows per 200 ms, 4 rows per 20 ms (hardirq), 16 per 200 ms
# (softirq): ~450 rows/s until "stop", a pace ksqld keeps under TCG
klog "start 2 20000 200000 1000000000 200000"
query_worker &
txn_worker &
async_worker &
threads_worker &
log "soak for ${DURATION}s on a ${SIZE_MB} MiB tmpfs"

start=$(now_ms)
end=$((start + DURATION * 1000))
actions=0
while [ "$(now_ms)" -lt "$end" ]; do
	sleep_ms $((1000 + $(rnd 2000)))
	a=$(rnd 6)
	case $a in
	0) chaos_kill ;;
	1) chaos_stop ;;
	2) chaos_term ;;
	3) chaos_fill ;;
	4) chaos_readonly ;;
	5) chaos_reload ;;
	esac
	actions=$((actions + 1))
	[ $((actions % 20)) -ne 0 ] || log "$actions actions after $((($(now_ms) - start) / 1000))s: kills $kills stops $stops terms $terms fills $fills ro $ro_flips reloads $reloads, $(klog_field accepted) rows accepted"
done
elapsed=$((($(now_ms) - start) / 1000))
log "chaos over after ${elapsed}s and $actions actions; settling"

# --- the end: everything returns, every accepted row is there once ----------

touch "$W/stop"
wait_until 90000 "every worker loop to return" workers_done
# threads_stop (the worker's last act) waited for every kernel thread's
# call; none may still be inside ksql
threads_idle() {
	[ "$(threads_count running)" -eq 0 ] && [ "$(threads_count new)" -eq 0 ]
}
wait_until 30000 "the kernel threads to return" threads_idle
klog stop
wait_until 30000 "the log sources to stop" klog_sources_done
[ ! -s "$W/wrong.log" ] || fail "wrong answers or unsettled requests: $(head -n 5 "$W/wrong.log")"
assert_eq "$(async_field repeated)" 0 "async done() called twice"
assert_eq "$(async_field bad_context)" 0 "async done() outside process context"
assert_eq "$(async_field pending)" 0 "async requests still pending"

attempted=$(klog_field attempted)
accepted=$(klog_field accepted)
enobufs=$(klog_field enobufs)
assert_eq "$(klog_field bad_context)" 0 "ksql_log() calls outside their context"
assert_eq "$(klog_field other_err)" 0 "ksql_log() errors other than -ENOBUFS (first: $(klog_field first_err))"
assert_eq $((accepted + enobufs)) "$attempted" "accepted + refused"
klog "flush $(slack 120000)"
klog_verify
assert_eq "$(klog_field verify_rows)" "$accepted" "rows of the run in the table (verify)"
assert_eq "$(table_stat $T acked)" "$accepted" "table $T: acked after the flush"
assert_eq "$(table_stat $T backlog_rows)" 0 "table $T: backlog rows after the flush"
assert_eq "$(db_count "SELECT COUNT(*) FROM (SELECT ksql_producer, ksql_seq FROM $T GROUP BY 1, 2 HAVING COUNT(*) > 1)")" 0 \
	"sqlite3: duplicate (producer, seq)"
assert_eq "$(db_count "SELECT COUNT(*) FROM $T WHERE run = $run")" "$accepted" "sqlite3: rows of the run"
ic=$(sqlite3 "$KSQL_DB" "PRAGMA integrity_check" 2>&1)
assert_eq "$ic" ok "PRAGMA integrity_check"

# no task stuck in D state: the same task in D in three looks a second apart
d_tasks() {
	for s in /proc/[0-9]*/stat; do
		read -r l <"$s" 2>/dev/null || continue
		st=${l##*) }
		[ "${st%% *}" = D ] && echo "${s%/stat}:$(cat "${s%/stat}/comm" 2>/dev/null)"
	done | sort
}
d_tasks >"$W/d1"
sleep 1
d_tasks >"$W/d2"
sleep 1
d_tasks >"$W/d3"
stuck=$(grep -Fx -f "$W/d2" "$W/d1" | grep -Fx -f "$W/d3")
[ -z "$stuck" ] || fail "tasks in D state for 2 s: $(echo "$stuck" | tr '\n' ' ')"

gaps=$(db_count "SELECT IFNULL(SUM(count), 0) FROM ksql_gaps WHERE tbl = '$T'")
figures="duration_s=$elapsed actions=$actions kills=$kills stops=$stops terms=$terms term_stuck=$term_stuck fills=$fills"
figures="$figures ro_flips=$ro_flips ro_ksqld_alive=$ro_alive ro_ksqld_served=$ro_served sample_reloads=$reloads sample_reload_failed=$reload_fail"
figures="$figures rows_attempted=$attempted rows_stored=$accepted rows_refused=$enobufs gap_rows=$gaps"
figures="$figures resent=$(table_stat $T resent) ksqld_duplicates=$(counter "ksqld log duplicates")"
figures="$figures queries=$(get query.n) queries_ok=$(get query.ok) txn_checks=$(get txn.n) txn_ok=$(get txn.ok)"
figures="$figures async_batches=$(get async.n) async_req=$(get async.req) async_ok=$(get async.ok) threads=$(get threads.n)"
echo "KSQL-SOAK $figures"
assert_eq "$ro_served" 0 "ksqld instances that registered on a read-only database"
log "query errors (count errno): $(cat "$W/query.errs")"
klog close
