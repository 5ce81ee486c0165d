#!/bin/sh
# 99-unload (last): unloading works and leaves nothing behind.
#  - ksql cannot go while ksql_test uses it (refused at once);
#  - ksql can go while the daemon is still connected (the daemon holds no
#    module reference): rmmod returns promptly, the daemon survives and
#    registers again when the module comes back;
#  - finally everything is unloaded; the guest then fails this scenario on
#    any BUG/WARNING/leak in the kernel log (ksql's kmem_caches complain
#    when objects are left).
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

# rmmod_quick MODULE: rmmod that must return within 10 s; prints ms.
rmmod_quick() {
	_t0=$(now_ms)
	timeout 10 rmmod "$1" || fail "rmmod $1 failed or hung"
	_ms=$(($(now_ms) - _t0))
	module_loaded "$1" && fail "$1 is still loaded after rmmod"
	log "rmmod $1: $_ms ms"
}

setup
daemon_start
kcheck simple

if rmmod ksql 2>/dev/null; then
	fail "rmmod ksql succeeded while ksql_test uses it"
fi
module_loaded ksql || fail "ksql vanished after a refused rmmod"

rmmod_quick ksql_test
[ -e "$KT" ] && fail "$KT is left after rmmod ksql_test"

# the daemon is connected and holds no reference on ksql
daemon_connected "$KSQLD_PID" || fail "daemon not connected before rmmod ksql"
rmmod_quick ksql
# without the module, status exits 1 and still shows the whole daemon part
st=$(ksqlctl status 2>&1)
rc=$?
assert_eq "$rc" 1 "exit status of ksqlctl status with the module gone ($st)"
assert_contains "$st" "module: not loaded (load it: modprobe ksql)" "ksqlctl status without the module"
assert_contains "$st" "ksqld: running (pid $KSQLD_PID, version " "ksqlctl status without the module"
assert_contains "$st" "database: $KSQL_DB" "ksqlctl status without the module"
case $st in *"daemon: "*) fail "a module-side daemon line without the module: $st" ;; esac
sleep 0.2
proc_gone "$KSQLD_PID" && fail "ksqld exited when the module went away (it should wait for it)"

insmod "$KO_DIR/ksql.ko" || fail "insmod ksql.ko after rmmod failed"
wait_until 15000 "ksqld to register with the reloaded module" daemon_connected "$KSQLD_PID"
assert_eq "$(counter "daemon connects")" 1 "daemon connects of the new module"
insmod "$KO_DIR/ksql_test.ko" slow="$KSQL_SLOW" || fail "insmod ksql_test.ko again failed"
kcheck simple

# everything out
rmmod_quick ksql_test
daemon_stop
rmmod_quick ksql
grep -q '^ksql' /proc/modules && fail "ksql modules left: $(grep '^ksql' /proc/modules)"
if dmesg | grep -E 'ksql|kmem_cache' | grep -iE 'still has objects|leak'; then
	fail "the kernel log reports objects left behind"
fi
log "all modules unloaded"
