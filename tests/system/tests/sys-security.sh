#!/bin/bash
# sys-security: systemd-analyze security ksqld.service, printed whole; its
# overall exposure line is parsed and reported to the host
# (KSQL-SYSTEM-SECURITY), which shows it in the summary.
# shellcheck source=tests/system/lib.sh
. "$PAYLOAD/lib.sh"

out=$(systemd-analyze security --no-pager ksqld.service 2>&1)
rc=$?
echo "$out" | sed 's/^/security: /'
line=$(echo "$out" | grep -m1 'Overall exposure level for ksqld.service')
[[ -n $line ]] || fail "systemd-analyze security ksqld.service printed no overall exposure level (exit status $rc)"
score=$(echo "$line" | sed -n 's/.*ksqld\.service: *\([0-9][0-9.]*\) \([A-Z]*\).*/\1 \2/p')
[[ -n $score ]] || fail "cannot parse the exposure line: $line"
echo "KSQL-SYSTEM-SECURITY $score"
log "overall exposure level: $score"
