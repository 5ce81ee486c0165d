#!/bin/sh
# 96-log-unload (before 99-unload): a table with rows the daemon never acked
# does not hold up its owner's unload. ksqld is SIGSTOPped with 100 rows of
# table log96 committed and 500 more logged; rmmod ksql_test (which closes
# the table, dropping the 500 with a warning) returns within 5 s, the table
# is gone from ksqlctl status and the open-table gauge is back where it
# was; the warning trips nothing in the kernel log scan; ksql_test loads
# again for 99-unload; after SIGCONT the daemon works on and the table has
# between 100 and 600 rows (what it had received before the stop may still
# be committed, nothing more). kmemleak (debug kernel) sees any leak.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

T=log96

setup
tables0=$(counter "log tables")
daemon_start
klog "open $T"
assert_eq "$(counter "log tables")" $((tables0 + 1)) "log tables with $T open"
klog "log 100"
klog "flush $(slack 10000)"
assert_eq "$(table_stat $T acked)" 100 "table $T: acked"

daemon_pause
klog "log 500"
assert_eq "$(table_stat $T logged)" 600 "table $T: logged"
assert_ge "$(table_stat $T backlog_rows)" 1 "table $T: rows held for the stopped daemon"
log "backlog of $T: $(table_stat $T backlog_rows) rows, $(table_stat $T backlog_bytes) bytes"

t0=$(now_ms)
timeout "$(slack 10)" rmmod ksql_test || fail "rmmod ksql_test failed or hung with an unacked table"
ms=$(($(now_ms) - t0))
log "rmmod ksql_test with 500 unacked rows: $ms ms"
assert_le "$ms" "$(slack 5000)" "rmmod ksql_test time (ms)"
module_loaded ksql_test && fail "ksql_test still loaded"
[ -z "$(table_line $T)" ] || fail "table $T still listed: $(table_line $T)"
assert_eq "$(counter "log tables")" "$tables0" "log tables after the unload"

load_modules
daemon_resume
kcheck simple
rows=$(db_count "SELECT COUNT(*) FROM $T")
log "rows of $T after the unload: $rows"
assert_ge "$rows" 100 "rows of $T"
assert_le "$rows" 600 "rows of $T"
