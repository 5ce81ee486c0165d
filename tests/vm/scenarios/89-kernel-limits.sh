#!/bin/sh
# 89-kernel-limits: limits the kernel enforces itself (issue 12 item 11).
#  - ksql_table_open() refuses names ksqld would refuse with -EINVAL, before
#    asking it (no daemon runs): Latin-1 letters in table and column names,
#    a 64-byte column name (the "names" check).
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

setup
daemon_disconnected || fail "a daemon is registered at the start: $(ksqlctl status 2>&1)"

kcheck names

