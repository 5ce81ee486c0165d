#!/bin/sh
# 45-async-nmi: ksql_log() and ksql_exec_async() called from a real NMI
# (a self-NMI sent through the local APIC, handled by an NMI_LOCAL handler
# of the test module) are refused with -EPERM and counted in "refused
# context". The handler passes arguments that are otherwise refused with
# -EINVAL (the same calls from the task show it), so -EPERM proves the
# context check comes first and nothing else of ksql runs in the NMI.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

setup
daemon_start

nmi_field() {
	_v=$(sed -n "s/^$1 //p" "$KT/nmi")
	is_int "$_v" || fail "$KT/nmi has no number for '$1': $(cat "$KT/nmi")"
	echo "$_v"
}

rc0=$(counter "refused context")
calls0=$(nmi_field calls)
echo fire >"$KT/nmi" || fail "no NMI reached the test module's handler: $(cat "$KT/nmi")"
assert_eq "$(nmi_field calls)" $((calls0 + 1)) "NMI handler calls"
assert_eq "$(nmi_field in_nmi)" "$(nmi_field calls)" "handler calls where in_nmi() held"
assert_eq "$(nmi_field task_log_rc)" "-$EINVAL" "ksql_log(NULL) from the task"
assert_eq "$(nmi_field task_async_rc)" "-$EINVAL" "ksql_exec_async(done NULL) from the task"
assert_eq "$(nmi_field log_rc)" "-$EPERM" "ksql_log() from NMI"
assert_eq "$(nmi_field async_rc)" "-$EPERM" "ksql_exec_async() from NMI"
assert_eq "$(counter "refused context")" $((rc0 + 2)) "refused context counter"
assert_eq "$(counter "in flight")" 0 "in flight after the NMI"
# ksql still works after the NMI
kexec_ok 10000 "SELECT 6 * 7" "INT 42"
log "NMI: ksql_log() and ksql_exec_async() refused with -EPERM, counted"
