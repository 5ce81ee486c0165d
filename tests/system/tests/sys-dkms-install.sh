#!/bin/bash
# sys-dkms-install: "apt-get install ./*.deb" of the freshly built packages,
# offline, under systemd: DKMS builds ksql.ko and the samples for the
# running kernel during the package installation (ksql-dkms's postinst) and
# installs them under /lib/modules/$(uname -r)/updates/dkms.
# shellcheck source=tests/system/lib.sh
. "$PAYLOAD/lib.sh"

kver=$(uname -r)
debs_dir=/var/cache/ksql-systest/debs
apt_log=$STATE/apt-install.log

# the starting point: nothing of ksql on the system
[[ -z $(dkms status ksql 2>/dev/null) ]] || fail "DKMS knows ksql before the install: $(dkms status ksql)"
module_loaded ksql && fail "ksql.ko is loaded before the install"
[[ ! -e /lib/systemd/system/ksqld.service ]] || fail "ksqld.service exists before the install"

# apt's download user _apt must read the files: a copy of our own
rm -rf "$debs_dir"
mkdir -p "$debs_dir"
cp "$PAYLOAD"/debs/*.deb "$debs_dir"/ || fail "no .deb on the payload disk"
chmod 755 "$debs_dir"
chmod 644 "$debs_dir"/*.deb
cd "$debs_dir" || fail "cannot enter $debs_dir"
debs=(./*.deb)
log "apt-get install -y ${debs[*]}"
start=$(date +%s)
apt-get install -y -o Dpkg::Use-Pty=0 "${debs[@]}" >"$apt_log" 2>&1
rc=$?
secs=$(($(date +%s) - start))
sed 's/^/apt: /' "$apt_log"
echo "KSQL-SYSTEM-TIME apt-get-install $secs"
[[ $rc -eq 0 ]] || fail "apt-get install of ${debs[*]} failed (exit status $rc): $(grep -E '^(E:|dpkg: error|Error)' "$apt_log" | head -n 3 | tr '\n' ' ')"
log "apt-get install took ${secs}s"

# DKMS's build log: its duration, the proof it ran now, for this kernel
version=$(dpkg-query -W -f='${Version}' ksql-dkms 2>/dev/null)
upstream=${version%-*}
[[ -n $upstream ]] || fail "package ksql-dkms is not installed after apt-get install"
# dkms keeps it as $kver/$arch/log/make.log once the build tree is gone
make_log=$(find "/var/lib/dkms/ksql/$upstream" -name make.log -path "*$kver*" 2>/dev/null | head -n 1)
if [[ -n $make_log ]]; then
	# its second line is the date the build began; its mtime when it ended
	began=$(date -d "$(sed -n 2p "$make_log")" +%s 2>/dev/null)
	ended=$(stat -c %Y "$make_log")
	log "DKMS $make_log: $(head -n 1 "$make_log"), $((ended - ${began:-ended}))s"
	[[ -n $began ]] && echo "KSQL-SYSTEM-TIME dkms-build $((ended - began))"
else
	log "no DKMS build log (make.log) under /var/lib/dkms/ksql/$upstream"
fi

# the postinst output shows the build for the running kernel
grep -Eq "Building (initial )?module( for $kver|:)" "$apt_log" ||
	fail "the apt-get install output shows no DKMS build for $kver (see the 'apt:' lines)"
grep -q "Installing to /lib/modules/$kver/updates/dkms" "$apt_log" ||
	fail "the apt-get install output shows no DKMS installation into /lib/modules/$kver/updates/dkms"

st=$(dkms status ksql 2>/dev/null)	# (its stderr: a harmless "Broken pipe")
log "dkms status: $st"
echo "$st" | grep -q "^ksql/$upstream, $kver, [^:]*: installed" ||
	fail "dkms status does not show ksql/$upstream installed for $kver: $st"

for m in ksql ksql_hello ksql_exec ksql_netflow; do
	path=$(modinfo -n "$m" 2>&1) || fail "modinfo $m: $path (DKMS installed no $m for $kver)"
	[[ $path == /lib/modules/$kver/updates/dkms/* ]] || fail "$m is $path, not DKMS's /lib/modules/$kver/updates/dkms/"
	[[ $(stat -c %Y "$path") -ge $start ]] || fail "$path is older than the installation: not built by it"
	vermagic=$(modinfo -F vermagic "$m")
	[[ $vermagic == "$kver "* ]] || fail "$m was built for '$vermagic', not for the running kernel $kver"
	log "$m: $path ($vermagic)"
done
assert_eq "$(modinfo -F version ksql)" "$upstream" "MODULE_VERSION of ksql.ko (package ksql-dkms $version)"
