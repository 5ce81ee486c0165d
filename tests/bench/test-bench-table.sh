#!/bin/bash
# test-bench-table.sh - tools/bench-table.awk turns bench.sh's raw figures
# into the right ratios, says when a goal is missed, and refuses a run with
# a figure missing. Fixture: tests/bench/data/bench-raw.txt (made-up
# figures whose ratios are easy to check by hand).
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
awkf=$top/tools/bench-table.awk
raw=$top/tests/bench/data/bench-raw.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

check() {	# check WHAT REGEX FILE
	if ! grep -Eq "$2" "$3"; then
		echo "FAIL: $1: no line matching /$2/ in:"
		cat "$3"
		failed=1
	fi
}

awk -f "$awkf" "$raw" >"$tmp/table" 2>&1 || { echo "FAIL: the fixture is refused"; cat "$tmp/table"; exit 1; }
# B1: 1e6 rows in 20 s = 50000/s; in-process 16 s = 62500/s; 0.80x
check "B1 ksql rows/s" '^  ksql_log\(\) until committed by ksqld +50000$' "$tmp/table"
check "B1 in-process rows/s" 'in-process SQLite, same pragmas, 10000 rows/txn +62500$' "$tmp/table"
check "B1 ratio" 'ratio ksql / in-process +0\.80x +goal >= 0\.8x: met$' "$tmp/table"
check "B1 transport" 'transport only.* 200000 +\(4\.0x ksqld\)$' "$tmp/table"
# B2: 150 / (100 + 20) = 1.25; p99 500 / 360 = 1.39
check "B2 ratio" 'ratio exec / \(ping \+ in-process\) +1\.25x +1\.39x +goal p50 <= 1\.3x: met$' "$tmp/table"
check "B3 8 threads" '^  8 threads +20000 +2\.50x$' "$tmp/table"
check "B3 grows" 'grows with the threads: yes$' "$tmp/table"
# B4: 300 ns against 150 ns
check "B4 ratio" '^  ratio +2\.00x +goal <= 3x: met$' "$tmp/table"
check "B5 bytes per row" 'kernel bytes per queued row .* 100\.0 ' "$tmp/table"
check "B5 RSS" 'ksqld RSS after 1000000 rows +10\.0 MiB \(peak 20\.0 MiB\)$' "$tmp/table"

# Missed goals are said as such.
sed -e 's/^b1.inproc.ns .*/b1.inproc.ns 10000000000/' -e 's/^b3.t8.ns .*/b3.t8.ns 600000000/' \
	-e 's/^b4.log_ns .*/b4.log_ns 100000000/' -e 's/^b2.exec.p50_ns .*/b2.exec.p50_ns 200000/' \
	"$raw" >"$tmp/missed.txt"
awk -f "$awkf" "$tmp/missed.txt" >"$tmp/missed" 2>&1 || { echo "FAIL: the missed-goals fixture is refused"; failed=1; }
check "B1 missed" 'ratio ksql / in-process +0\.50x +goal >= 0\.8x: MISSED$' "$tmp/missed"
check "B2 missed" 'goal p50 <= 1\.3x: MISSED$' "$tmp/missed"
check "B3 does not grow" 'grows with the threads: NO$' "$tmp/missed"
check "B4 missed" 'ratio +3\.33x +goal <= 3x: MISSED$' "$tmp/missed"

# A figure missing: exit status 1 and the figure named.
grep -v '^b2.ping.p50_ns ' "$raw" >"$tmp/short.txt"
if awk -f "$awkf" "$tmp/short.txt" >"$tmp/short" 2>&1; then
	echo "FAIL: a run without b2.ping.p50_ns was accepted"
	failed=1
fi
check "missing figure named" 'figure b2.ping.p50_ns is missing' "$tmp/short"

[ $failed -eq 0 ] && echo "bench-table: all checks passed"
exit $failed
