#!/bin/sh
# 00-load: ksql.ko and ksql_test.ko load; with no daemon, ksqlctl status
# reads the module and every counter; module parameters and the test
# module's debugfs files are there.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

setup

assert_eq "$(status_of module)" loaded "ksqlctl status module"
assert_eq "$(status_of daemon)" "not connected" "ksqlctl status daemon"
for c in sent completed failed "timed out" interrupted "late replies" \
	"in flight" rejected "too big" "not connected" "daemon connects"; do
	v=$(counter "$c")
	is_int "$v" || fail "counter '$c' is '$v'"
done
assert_eq "$(counter "in flight")" 0 "in flight with no caller"

for p in default_timeout_ms max_result_bytes max_query_bytes; do
	f=/sys/module/ksql/parameters/$p
	[ -w "$f" ] || fail "module parameter $p is missing or read-only"
	v=$(cat "$f")
	is_int "$v" || fail "module parameter $p is '$v'"
	assert_ge "$v" 1 "module parameter $p"
	log "$p = $v"
done

for f in check checks exec busy threads mark; do
	[ -e "$KT/$f" ] || fail "$KT/$f is missing"
done
for c in types empty sqlerr multistmt big simple notconn timeout; do
	grep -q "^$c " "$KT/checks" || fail "check '$c' is not listed in $KT/checks"
done
assert_eq "$(cat "$KT/busy")" 0 "busy writers"
assert_eq "$(cat "$KT/threads")" "" "thread table before any start"

# an unknown check is refused with EINVAL and a clear outcome
if echo "no-such-check" >"$KT/check" 2>/dev/null; then
	fail "writing an unknown check name succeeded"
fi
assert_contains "$(cat "$KT/check")" "FAIL no-such-check: no such check" "unknown check outcome"
