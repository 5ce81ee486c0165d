#!/bin/sh
# 30-big: a 20,000-row result arrives complete and correct (every row
# checked in the kernel); a result over max_result_bytes fails with -E2BIG,
# is counted, and harms nothing.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

setup
daemon_start

kcheck big 20000

param=/sys/module/ksql/parameters/max_result_bytes
cap=$(cat "$param")
big0=$(counter "too big")
echo 4096 >"$param" || fail "cannot write $param"
rc=$(kexec 30000 "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) SELECT x, 'row-' || x AS t FROM c")
echo "$cap" >"$param"
assert_eq "$rc" "-$E2BIG" "rc of a result over 4096 bytes"
assert_eq "$(counter "too big")" $((big0 + 1)) "too big counter"
log "a result over the cap: -E2BIG, counted"

wait_until 5000 "no request in flight" in_flight_is 0
kcheck simple
kcheck big 2000
