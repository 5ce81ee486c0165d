#!/bin/sh
# 40-notconn: with no daemon, calls fail with -ENOTCONN at once (well under
# 100 ms even with a 10 s timeout) and are counted.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

setup
assert_eq "$(status_of daemon)" "not connected" "daemon state"

nc0=$(counter "not connected")
kcheck notconn 10000
assert_eq "$(counter "not connected")" $((nc0 + 2)) "not connected counter"

rc=$(kexec 10000 "SELECT 1")
assert_eq "$rc" "-$ENOTCONN" "rc from the exec path"
us=$(sed -n 's/^elapsed_us=//p' "$KT/exec")
assert_le "$us" "$(slack 99999)" "microseconds to -ENOTCONN"
log "exec path: -ENOTCONN after $us us"
assert_eq "$(counter "in flight")" 0 "in flight"
