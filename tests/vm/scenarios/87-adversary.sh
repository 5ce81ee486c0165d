#!/bin/sh
# 87-adversary: a bad daemon may make kernel callers fail, never crash,
# corrupt or hang the kernel (issue 12, "an adversarial daemon and
# senders"; the senders are 86-senders).
#  - adversary: `ksql-adversary daemon` registers and sends at least
#    100,000 malformed and random messages (seeded: the seed is logged;
#    boot with ksqlvm.advseed=N to replay it, ksqlvm.advmsgs=N for another
#    count) while 8 storm kthreads keep calling ksql_exec_timeout(),
#    ksql_exec_async(), transactions, ksql_ping() and ksql_log(); then it
#    stays registered without a word and, once stopped, every caller
#    returns on its own timeout within 30 s; no task stays in D state, and
#    when the adversary exits nothing is left in flight;
#  - afterwards a real ksqld registers and answers a query, and rmmod
#    ksql_test and ksql succeed (both are loaded again for what follows).
# dmesg must stay clean, as for every scenario.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

ADV_OUT=/tmp/87-adversary.out
ADV_PID=

cleanup_87() {
	_rc87=$?
	if [ -n "$ADV_PID" ]; then
		kill -KILL "$ADV_PID" 2>/dev/null
		wait "$ADV_PID" 2>/dev/null
	fi
	[ -e "$KT/storm" ] && echo stop >"$KT/storm" 2>/dev/null
	if [ "$_rc87" != 0 ] && [ -e "$KT/storm" ]; then
		# A failed run must not leave the storm's tables (and the rows
		# the adversary acked or not) to the next scenario: reap the
		# callers once they are back, unload; setup() loads again.
		_i=0
		while [ $_i -lt 60 ] && ! echo reap >"$KT/storm" 2>/dev/null; do
			sleep 1
			_i=$((_i + 1))
		done
		timeout 20 rmmod ksql_test 2>/dev/null && timeout 20 rmmod ksql 2>/dev/null
	fi
	(exit "$_rc87")
	lib_cleanup
}

setup
trap cleanup_87 EXIT
daemon_disconnected || fail "a daemon is registered at the start: $(kstatus 2>&1)"
[ -e "$KT/storm" ] || fail "$KT/storm is missing"

# storm_field NAME: a "NAME VALUE" line of $KT/storm
storm_field() {
	_v=$(sed -n "s/^$1 //p" "$KT/storm")
	is_int "$_v" || fail "$KT/storm has no number for '$1': $(cat "$KT/storm")"
	echo "$_v"
}

storm_idle() {
	[ "$(storm_field threads)" -eq 0 ] && [ "$(storm_field inside)" -eq 0 ] &&
		[ "$(storm_field async_pending)" -eq 0 ]
}

# d_state_pids: tasks in uninterruptible sleep (state D) right now
d_state_pids() {
	for _s in /proc/[0-9]*/stat; do
		{ read -r _line <"$_s"; } 2>/dev/null || continue
		_st=${_line##*) }
		[ "${_st%% *}" = D ] && echo "${_s#/proc/}" | cut -d/ -f1
	done
}

# --- the adversarial daemon -----------------------------------------------
seed=$(sed -n 's/.*ksqlvm\.advseed=\([0-9][0-9]*\).*/\1/p' /proc/cmdline)
msgs=$(sed -n 's/.*ksqlvm\.advmsgs=\([0-9][0-9]*\).*/\1/p' /proc/cmdline)
msgs=${msgs:-100000}
# async requests and transactions end within these, whoever answers
param_set default_timeout_ms 2000
param_set txn_idle_ms 1000

t0=$(now_ms)
if [ -n "$seed" ]; then
	KSQL_ADV_SEED=$seed ksql-adversary daemon -n "$msgs" -q 120000 >"$ADV_OUT" 2>&1 &
else
	ksql-adversary daemon -n "$msgs" -q 120000 >"$ADV_OUT" 2>&1 &
fi
ADV_PID=$!
adv_up() {
	proc_gone "$ADV_PID" && fail "ksql-adversary daemon exited early: $(cat "$ADV_OUT")"
	grep -q '^registered$' "$ADV_OUT"
}
wait_until 10000 "ksql-adversary to register" adv_up
seed=$(sed -n 's/^seed //p' "$ADV_OUT")
log "adversary: pid $ADV_PID, seed $seed (replay: tools/vm/run --append ksqlvm.advseed=$seed), $msgs messages"
echo "start 8 500" >"$KT/storm" || fail "cannot start the storm"

adv_quiet() {
	proc_gone "$ADV_PID" && fail "ksql-adversary daemon (seed $seed) exited early: $(cat "$ADV_OUT")"
	grep -q '^quiet$' "$ADV_OUT"
}
wait_until 300000 "ksql-adversary (seed $seed) to send $msgs messages" adv_quiet
t1=$(now_ms)
daemon_connected "$ADV_PID" || fail "the adversary (seed $seed) is not registered at its quiet time: $(kstatus 2>&1)"
log "adversary (seed $seed) sent its messages in $((t1 - t0)) ms: $(sed '/^seed\|^registered\|^quiet/d' "$ADV_OUT" | tr '\n' ' ')"

# The adversary stays registered and says nothing: every caller must return
# on its own timeout (bounded), a stuck one is named with the D-state tasks.
echo stop >"$KT/storm" || fail "cannot stop the storm"
_end=$(($(now_ms) + $(slack 30000)))
while ! storm_idle; do
	[ "$(now_ms)" -lt "$_end" ] ||
		fail "kernel callers still inside ksql 30 s after the storm was stopped (adversary seed $seed, still registered): $(tr '\n' ' ' <"$KT/storm"); D-state tasks: $(d_state_pids | tr '\n' ' ')"
	sleep 0.1
done
log "every kernel caller returned $(($(now_ms) - t1)) ms after the storm was stopped"
kill -TERM "$ADV_PID"
wait_until 10000 "ksql-adversary to exit on SIGTERM" proc_gone "$ADV_PID"
wait "$ADV_PID"
arc=$?
ADV_PID=
[ "$arc" = 0 ] || fail "ksql-adversary daemon (seed $seed) exited $arc: $(cat "$ADV_OUT")"
log "storm: $(tr '\n' ' ' <"$KT/storm")"
assert_ge "$(storm_field calls)" 100 "kernel calls made during the adversary"
echo reap >"$KT/storm" || fail "cannot reap the storm: $(cat "$KT/storm")"
assert_ge "$(sed -n 's/^messages //p' "$ADV_OUT")" "$msgs" "messages the adversary sent"
assert_ge "$(sed -n 's/^requests //p' "$ADV_OUT")" 50 "kernel requests the adversary received"

# no task stuck in D state: one seen three times, 0.5 s apart, is a failure
d1=$(d_state_pids)
sleep 0.5
d2=$(d_state_pids)
sleep 0.5
d3=$(d_state_pids)
for p in $d1; do
	case " $(echo "$d2" | tr '\n' ' ') " in *" $p "*) ;; *) continue ;; esac
	case " $(echo "$d3" | tr '\n' ' ') " in *" $p "*) ;; *) continue ;; esac
	fail "task $p ($(cat "/proc/$p/comm" 2>/dev/null)) stays in D state after the adversary (seed $seed): $(tr '\n' ' ' <"/proc/$p/stack" 2>/dev/null)"
done
wait_until 10000 "no request in flight" in_flight_is 0
daemon_disconnected || fail "a daemon is still registered after the adversary left: $(kstatus 2>&1)"
params_restore

# --- a real daemon afterwards, then the module unloads --------------------
daemon_start
kexec_ok 5000 "SELECT 'after the adversary'" 'TEXT(19) "after the adversary"'
log "a real ksqld registers and answers after the adversary"
daemon_stop
timeout 20 rmmod ksql_test || fail "rmmod ksql_test failed after the adversary"
timeout 20 rmmod ksql || fail "rmmod ksql failed after the adversary"
module_loaded ksql && fail "ksql is still loaded after rmmod"
load_modules
log "ksql unloads after the adversary (and is loaded again)"
