#!/bin/bash
# sys-purge: "apt-get purge" after the removal deletes the database
# (/var/lib/ksql) and the configuration (/etc/ksql), leaves the packages
# unknown to dpkg and no failed unit.
# shellcheck source=tests/system/lib.sh
. "$PAYLOAD/lib.sh"

PKGS=(ksql-dkms ksqld libksql1 libksql-dev)
apt_log=$STATE/apt-purge.log

[[ -f $KSQL_DB ]] || fail "no database before the purge ($KSQL_DB): nothing shows that purge deletes it"
# what dpkg still knows after the removal (config-files: conffiles or a
# postrm to run at purge); apt refuses to purge a package dpkg forgot
known=()
for p in "${PKGS[@]}"; do
	s=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)
	[[ -n $s && $s != un* ]] && known+=("$p")
done
[[ " ${known[*]} " == *" ksqld "* ]] || fail "dpkg no longer knows ksqld after apt-get remove, so purge cannot run its postrm: $(dpkg -l 'ksql*' 2>&1 | tail -n 4 | tr '\n' ' ')"
log "apt-get purge -y ${known[*]}"
apt-get purge -y -o Dpkg::Use-Pty=0 "${known[@]}" >"$apt_log" 2>&1
rc=$?
sed 's/^/apt: /' "$apt_log"
[[ $rc -eq 0 ]] || fail "apt-get purge failed (exit status $rc): $(grep -E '^(E:|dpkg: error)' "$apt_log" | head -n 3 | tr '\n' ' ')"
[[ ! -e /var/lib/ksql ]] || fail "/var/lib/ksql is left after apt-get purge: $(ls -la /var/lib/ksql | tr '\n' ' ')"
[[ ! -e /etc/ksql ]] || fail "/etc/ksql is left after apt-get purge: $(ls -la /etc/ksql | tr '\n' ' ')"
for p in "${PKGS[@]}"; do
	s=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)
	[[ -z $s || $s == un* ]] || fail "package $p is still known to dpkg after the purge ($s)"
done
failed=$(systemctl --failed --no-legend --plain)
[[ -z $failed ]] || fail "failed units after apt-get purge: $failed"
log "purged: /var/lib/ksql and /etc/ksql deleted"
