#!/bin/bash
# test-version.sh - one version everywhere: the top-level VERSION file,
# debian/changelog's upstream version and the configured dkms.conf's
# PACKAGE_VERSION agree (debian/rules refuses to build otherwise too).
# Usage: test-version.sh BUILT_DKMS_CONF
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
dkms_conf=$1
failed=0

version=$(cat "$top/VERSION")
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
	{ echo "FAIL: VERSION holds '$version', not MAJOR.MINOR.PATCH"; exit 1; }

# The first line of debian/changelog: "ksql (0.1.0-1) unstable; ..."
changelog=$(sed -n '1s/^ksql (\([^)]*\)).*/\1/p' "$top/debian/changelog")
if [[ ${changelog%-*} != "$version" ]]; then
	echo "FAIL: debian/changelog's newest entry is $changelog but VERSION is $version;"
	echo "      add an entry: dch -v $version-1 (or fix VERSION)"
	failed=1
fi

dkms=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$dkms_conf")
if [[ $dkms != "$version" ]]; then
	echo "FAIL: $dkms_conf has PACKAGE_VERSION '$dkms', VERSION is $version"
	failed=1
fi

[[ $failed -eq 0 ]] && echo "ok: VERSION, debian/changelog ($changelog) and dkms.conf say $version"
exit $failed
