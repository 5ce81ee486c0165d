#!/bin/sh
# 89-kernel-limits: limits the kernel enforces itself (issue 12 item 11).
#  - ksql_table_open() refuses names ksqld would refuse with -EINVAL, before
#    asking it (no daemon runs): Latin-1 letters in table and column names,
#    a 64-byte column name (the "names" check);
#  - the module parameters are bounded: max_in_flight > 4096,
#    max_result_bytes and result_budget_bytes outside 4 KiB..1 GiB are
#    refused;
#  - result_budget_bytes bounds the result memory being received for all
#    requests together: with it at 4096, a 5000-row result fails with
#    -ENOMEM (counted in `over budget`, `result bytes` back to 0) while the
#    per-result cap (max_result_bytes) would allow it; restored, it works;
#  - a table open that fails prints a ratelimited line: 40 failed opens
#    (no daemon) in a row give at most 20 "open failed" lines, not 40.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

ENOMEM=12
PARAMS=/sys/module/ksql/parameters

setup
daemon_disconnected || fail "a daemon is registered at the start: $(ksqlctl status 2>&1)"

kcheck names

# 40 opens that fail (no daemon: -ENOTCONN) print at most two bursts of the
# printk ratelimit (10 lines per 5 s), however fast they come.
n0=$(dmesg | grep -c 'ksql: table rl89: open failed')
i=0
while [ $i -lt 40 ]; do
	echo "tryopen rl89 a INTEGER" >"$KT/log" 2>/dev/null &&
		fail "ksql_table_open() worked without a daemon"
	i=$((i + 1))
done
n1=$(dmesg | grep -c 'ksql: table rl89: open failed')
[ $((n1 - n0)) -ge 1 ] || fail "no 'table rl89: open failed' line in the kernel log"
assert_le $((n1 - n0)) 20 "'open failed' lines for 40 failed opens"
log "40 failed table opens: $((n1 - n0)) 'open failed' lines (ratelimited)"

# refused values leave the parameter as it was
refused() {
	_old=$(cat "$PARAMS/$1")
	if echo "$2" >"$PARAMS/$1" 2>/dev/null; then
		echo "$_old" >"$PARAMS/$1"
		fail "module parameter $1 accepted $2"
	fi
	assert_eq "$(cat "$PARAMS/$1")" "$_old" "$1 after refusing $2"
}
refused max_in_flight 4097
refused max_result_bytes 4095
refused max_result_bytes 1073741825
refused result_budget_bytes 4095
refused result_budget_bytes 1073741825
assert_eq "$(cat "$PARAMS/result_budget_bytes")" 67108864 "result_budget_bytes default (64 MiB)"
log "max_in_flight, max_result_bytes and result_budget_bytes refuse values out of bounds"

daemon_start
SQL_BIG="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) SELECT x FROM c"
over0=$(counter "over budget")
param_set result_budget_bytes 4096
kexec_ok 5000 "SELECT 'small' AS s" 'TEXT(5) "small"'
rc=$(kexec 10000 "$SQL_BIG")
assert_eq "$rc" "-$ENOMEM" "a 5000-row result with result_budget_bytes=4096"
assert_eq "$(counter "over budget")" $((over0 + 1)) "over budget"
wait_until 5000 "no request in flight" in_flight_is 0
assert_eq "$(counter "result bytes")" 0 "result bytes once nothing is received"
params_restore
rc=$(kexec 10000 "$SQL_BIG")
assert_eq "$rc" 0 "the same result with the budget restored"
assert_contains "$(cat "$KT/exec")" "rows=5000" "the same result with the budget restored"
assert_eq "$(counter "result bytes")" 0 "result bytes after a result handed to its caller"
log "result_budget_bytes: -ENOMEM over the budget, counted; fine once restored"
daemon_stop
