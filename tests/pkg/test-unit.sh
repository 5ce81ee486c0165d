#!/bin/bash
# test-unit.sh - ksqld.service as meson configured it: systemd-analyze
# verify accepts it, it keeps the directives issue 11 relies on, its
# `systemd-analyze security` exposure stays "OK" or better (at most 2.0),
# and the tmpfiles and sysusers snippets agree with it.
# Usage: test-unit.sh BUILT_UNIT BUILT_KSQLD
# Exit 77 (skipped) without systemd-analyze.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
unit=$1
ksqld=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

fail() { echo "FAIL: $*"; failed=1; }

command -v systemd-analyze >/dev/null || { echo "skip: no systemd-analyze"; exit 77; }

# Directives that other parts of ksql depend on (the daemon's notify and
# watchdog code, the control socket's group, the packaging, the VM test).
# shellcheck disable=SC2016 # $MAINPID is systemd's, not ours
for d in Type=notify NotifyAccess=main WatchdogSec=30s Restart=on-failure \
	RestartPreventExitStatus=78 User=ksql Group=ksql StateDirectory=ksql \
	StateDirectoryMode=0700 RuntimeDirectory=ksql RuntimeDirectoryMode=0755 \
	AmbientCapabilities=CAP_NET_ADMIN CapabilityBoundingSet=CAP_NET_ADMIN \
	Wants=modprobe@ksql.service After=modprobe@ksql.service \
	'ExecReload=/bin/kill -HUP $MAINPID' WantedBy=multi-user.target; do
	grep -qxF "$d" "$unit" || fail "$unit has no line '$d'"
done
grep -Eq '^ExecStart=/[^ ]*/ksqld$' "$unit" || fail "$unit: ExecStart= is not an absolute path to ksqld"
grep -Eq '^ExecReload=/[^ ]*/ksqld --check-config$' "$unit" ||
	fail "$unit: no ExecReload= running ksqld --check-config"
for d in PrivateNetwork PrivateUsers; do
	grep -q "^$d=" "$unit" && fail "$unit sets $d=: ksqld's netlink family and CAP_NET_ADMIN check live in the initial namespaces"
done

# verify: the unit as installed, with ExecStart= pointing at the ksqld just
# built (the installed path need not exist here). Documentation= pages are
# not looked up: they are installed with the package, not on this host.
sed -E "s:^(Exec[A-Za-z]*=)/[^ ]*/ksqld:\1$ksqld:" "$unit" > "$tmp/ksqld.service"
# A bad value is only a warning to verify ("Failed to parse ..., ignoring"),
# so any output at all fails the test.
if ! systemd-analyze verify --man=no "$tmp/ksqld.service" > "$tmp/verify" 2>&1 ||
	[[ -s $tmp/verify ]]; then
	fail "systemd-analyze verify complains about $unit:"
	cat "$tmp/verify"
fi

# The exposure score, printed in the test log (docs/SYSTEMD.md records it).
systemd-analyze security --offline=yes "$unit" > "$tmp/security" 2>&1
grep -E '^✗|Overall' "$tmp/security"
score=$(sed -n 's/.*Overall exposure level for ksqld.service: \([0-9.]*\).*/\1/p' "$tmp/security")
if [[ -z $score ]]; then
	fail "systemd-analyze security --offline=yes printed no score:"
	cat "$tmp/security"
elif ! awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
	fail "ksqld.service's exposure is $score, worse than OK (2.0): a sandboxing directive was dropped?"
fi

# tmpfiles.d and the unit create /var/lib/ksql alike; sysusers makes User=.
mode=$(sed -n 's/^StateDirectoryMode=//p' "$unit")
grep -Eq "^d /var/lib/ksql $mode ksql ksql -\$" "$top/daemon/systemd/tmpfiles.conf" ||
	fail "daemon/systemd/tmpfiles.conf does not create /var/lib/ksql $mode ksql ksql (StateDirectoryMode=$mode)"
grep -Eq '^u ksql - "ksql daemon" /var/lib/ksql$' "$top/daemon/systemd/sysusers.conf" ||
	fail "daemon/systemd/sysusers.conf does not create the user ksql"

[[ $failed -eq 0 ]] && echo "ok: $unit verified, exposure $score"
exit $failed
