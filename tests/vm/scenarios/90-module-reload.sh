#!/bin/sh
# 90-module-reload: ksqld follows the module, never the other way round.
#  - ksqld started while ksql.ko is NOT loaded waits (does not exit) and
#    registers as soon as the module is inserted;
#  - with that daemon running, rmmod ksql then insmod ksql.ko: the same
#    process registers again by itself (no restart) and serves queries.
# Leaves ksql and ksql_test loaded and no daemon running, as the next
# scenarios expect.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

# unload_all: remove ksql_test and ksql (no caller is inside ksql).
unload_all() {
	if module_loaded ksql_test; then
		timeout 10 rmmod ksql_test || fail "rmmod ksql_test failed"
	fi
	timeout 10 rmmod ksql || fail "rmmod ksql failed"
	module_loaded ksql && fail "ksql is still loaded after rmmod"
	[ -e "$KT" ] && fail "$KT is left after rmmod ksql_test"
	return 0
}

# load_all: insert ksql.ko and ksql_test.ko again.
load_all() {
	insmod "$KO_DIR/ksql.ko" || fail "insmod ksql.ko failed"
	insmod "$KO_DIR/ksql_test.ko" slow="$KSQL_SLOW" || fail "insmod ksql_test.ko failed"
}

setup
daemon_disconnected || fail "a daemon is registered at the start: $(ksqlctl status 2>&1)"

# --- ksqld first, the module later --------------------------------------
unload_all
# ksqlctl status says so plainly, and exits 1, while the module is absent
st=$(ksqlctl status 2>&1)
rc=$?
assert_eq "$rc" 1 "exit status of ksqlctl status without the module ($st)"
case $st in
"module: not loaded (load it: modprobe ksql)"*) log "ksqlctl status without the module: $st" ;;
*) fail "ksqlctl status without the module said: $st" ;;
esac
mkdir -p /run/ksql
echo "--- $SCENARIO: ksqld --db $KSQL_DB (module not loaded)" >>"$KSQLD_LOG"
lines0=$(wc -l <"$KSQLD_LOG")
ksqld --db "$KSQL_DB" 2>>"$KSQLD_LOG" &
KSQLD_PID=$!
# it must announce that it waits, and keep waiting
waiting() {
	proc_gone "$KSQLD_PID" && fail "ksqld exited while the module is not loaded (it should wait)"
	tail -n +$((lines0 + 1)) "$KSQLD_LOG" | grep -q "waiting for the ksql module"
}
wait_until 10000 "ksqld to say it waits for the module" waiting
sleep 1
proc_gone "$KSQLD_PID" && fail "ksqld exited while the module is not loaded (it should wait)"
log "ksqld $KSQLD_PID runs and waits for the module"

t0=$(now_ms)
load_all
wait_until 5000 "ksqld $KSQLD_PID to register with the new module" daemon_connected "$KSQLD_PID"
log "ksqld registered $(($(now_ms) - t0)) ms after insmod"
assert_eq "$(counter "daemon connects")" 1 "daemon connects of the new module"
kcheck simple
kexec_ok 5000 "SELECT 'first' AS a" 'TEXT(5) "first"'

# --- reload under a running daemon ------------------------------------------
unload_all
sleep 0.5
proc_gone "$KSQLD_PID" && fail "ksqld exited when the module was unloaded (it should wait)"
t0=$(now_ms)
load_all
wait_until 5000 "the same ksqld ($KSQLD_PID) to register again" daemon_connected "$KSQLD_PID"
log "the same ksqld registered again $(($(now_ms) - t0)) ms after insmod"
assert_eq "$(counter "daemon connects")" 1 "daemon connects of the reloaded module"
kcheck simple
kexec_ok 5000 "SELECT 'second' AS a" 'TEXT(6) "second"'
threads_start 4 10000 "SELECT 6 * 7"
wait_until 10000 "4 callers to finish" threads_done 4
bad=$(awk '$3 != 0' "$KT/threads")
[ -z "$bad" ] || fail "callers failed after the reload: $bad"
threads_stop

daemon_stop
module_loaded ksql || fail "ksql must stay loaded"
module_loaded ksql_test || fail "ksql_test must stay loaded"
