#!/bin/bash
# test-dkms-conf.sh - dkms.conf, sourced by DKMS for a kernel, lists the
# modules that kernel/Kbuild and kernel/samples/Kbuild build for it: all
# four with Debian's kernel configuration, ksql and ksql_hello only for a
# kernel without tracepoints and netfilter. A listed module that Kbuild
# did not build fails the whole DKMS build; a missing one is not installed.
# Usage: test-dkms-conf.sh BUILT_DKMS_CONF
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
conf=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# The modules dkms.conf lists with kernel_config=$1, as DKMS reads them.
modules() {
	kernel_source_dir=/nonexistent kernel_config=$1 bash -c '
		set -eu
		. "$0"
		for i in "${!BUILT_MODULE_NAME[@]}"; do
			[[ ${DEST_MODULE_LOCATION[$i]} == /updates/dkms ]] ||
				{ echo "record $i has DEST_MODULE_LOCATION ${DEST_MODULE_LOCATION[$i]}" >&2; exit 1; }
			echo "${BUILT_MODULE_LOCATION[$i]}${BUILT_MODULE_NAME[$i]}"
		done
		[[ $PACKAGE_NAME == ksql && $AUTOINSTALL == yes ]]
		[[ ${MAKE[0]} == *"KDIR=/nonexistent"* && $CLEAN == *"KDIR=/nonexistent"* ]]' "$conf" |
		LC_ALL=C sort | tr '\n' ' '
}

expect() {	# expect WHAT CONFIG EXPECTED
	local got

	got=$(modules "$2") || { echo "FAIL: $1: $conf does not source cleanly"; failed=1; return; }
	if [[ $got != "$3" ]]; then
		echo "FAIL: $1: dkms.conf lists '$got', expected '$3'"
		failed=1
	fi
}

printf 'CONFIG_TRACEPOINTS=y\nCONFIG_NETFILTER=y\nCONFIG_NF_CONNTRACK=m\n' > "$tmp/debian.config"
printf '# CONFIG_TRACEPOINTS is not set\nCONFIG_NF_CONNTRACK=m\n' > "$tmp/bare.config"
all='kernel/ksql kernel/samples/ksql_exec kernel/samples/ksql_hello kernel/samples/ksql_netflow '
expect "Debian's configuration" "$tmp/debian.config" "$all"
expect "no tracepoints, no netfilter" "$tmp/bare.config" 'kernel/ksql kernel/samples/ksql_hello '
expect "no .config" "$tmp/missing.config" 'kernel/ksql kernel/samples/ksql_hello '

# Every module the Kbuild files can build is one dkms.conf can list.
kbuild=$( (sed -n 's/^obj-m += \(.*\)\.o$/kernel\/\1/p' "$top/kernel/Kbuild"
	sed -n 's/^obj-m += \(.*\)\.o$/kernel\/samples\/\1/p' "$top/kernel/samples/Kbuild") |
	LC_ALL=C sort | tr '\n' ' ')
if [[ $kbuild != "$all" ]]; then
	echo "FAIL: the Kbuild files build '$kbuild' but dkms.conf knows '$all'"
	failed=1
fi

[[ $failed -eq 0 ]] && echo "ok: dkms.conf lists $all for Debian's kernels"
exit $failed
