#!/bin/bash
# sys-remove: "apt-get remove" of the packages unloads ksql.ko and the
# samples, removes the DKMS tree (/var/lib/dkms/ksql, the ksql*.ko under
# /lib/modules) and the unit, leaves no failed unit and no ksqld process,
# and keeps the database (and the configuration file) until purge.
# shellcheck source=tests/system/lib.sh
. "$PAYLOAD/lib.sh"

PKGS=(ksql-dkms ksqld libksql1 libksql-dev)
apt_log=$STATE/apt-remove.log

ktest_unload	# a test module would keep ksql.ko in use
module_loaded ksql || fail "ksql.ko is not loaded before the removal"
rows=
[[ -f $KSQL_DB ]] && rows=$(db_count "SELECT COUNT(*) FROM sqlite_master")
had_conf=0
[[ -f $KSQL_CONF ]] && had_conf=1
log "apt-get remove -y ${PKGS[*]}"
apt-get remove -y -o Dpkg::Use-Pty=0 "${PKGS[@]}" >"$apt_log" 2>&1
rc=$?
sed 's/^/apt: /' "$apt_log"
[[ $rc -eq 0 ]] || fail "apt-get remove failed (exit status $rc): $(grep -E '^(E:|dpkg: error)' "$apt_log" | head -n 3 | tr '\n' ' ')"
grep -qi 'warning' "$apt_log" && log "note: the removal printed warnings: $(grep -i warning "$apt_log" | head -n 2 | tr '\n' ' ')"

loaded=$(grep -E '^ksql' /proc/modules | cut -d' ' -f1 | tr '\n' ' ')
[[ -z $loaded ]] || fail "modules still loaded after apt-get remove: $loaded"
[[ ! -e /var/lib/dkms/ksql ]] || fail "/var/lib/dkms/ksql is left after apt-get remove: $(ls -R /var/lib/dkms/ksql | head -n 5 | tr '\n' ' ')"
st=$(dkms status ksql 2>/dev/null)	# (its stderr: a harmless "Broken pipe")
[[ -z $st ]] || fail "dkms status still shows ksql: $st"
kos=$(find /lib/modules -name 'ksql*.ko*' 2>/dev/null | tr '\n' ' ')
[[ -z $kos ]] || fail "modules left under /lib/modules: $kos"
ls -d /usr/src/ksql-* 2>/dev/null && fail "the DKMS source tree is left: $(ls -d /usr/src/ksql-*)"
assert_eq "$(prop LoadState)" not-found "LoadState of ksqld.service after the removal"
[[ ! -e /lib/systemd/system/ksqld.service && ! -e /usr/lib/systemd/system/ksqld.service ]] ||
	fail "the unit file is left after apt-get remove"
pgrep -x ksqld >/dev/null && fail "a ksqld process is left: $(pgrep -a -x ksqld)"
failed=$(systemctl --failed --no-legend --plain)
[[ -z $failed ]] || fail "failed units after apt-get remove: $failed"
[[ ! -e $KSQL_SOCK ]] || fail "$KSQL_SOCK is left after the removal"

[[ -n $rows ]] || fail "there was no database $KSQL_DB before the removal (ksqld never made one), so 'kept until purge' cannot be shown"
[[ -f $KSQL_DB ]] || fail "apt-get remove deleted the database $KSQL_DB (only purge may)"
assert_eq "$(db_count "SELECT COUNT(*) FROM sqlite_master")" "$rows" "tables and indexes in the kept database"
exec_rows=$(state_get EXEC_ROWS)
probe=$(state_get EXEC_PROBE)
if [[ -n $exec_rows ]]; then
	assert_eq "$(db_count "SELECT COUNT(*) FROM exec WHERE filename = '$probe'")" "$exec_rows" "exec rows in the kept database"
fi
[[ $had_conf -eq 0 || -f $KSQL_CONF ]] || fail "apt-get remove deleted the configuration file $KSQL_CONF (a conffile, kept until purge)"
for p in "${PKGS[@]}"; do
	s=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)
	[[ $s != ii* ]] || fail "package $p is still installed ($s)"
done
log "removed: modules unloaded, DKMS tree and unit gone, database kept ($rows schema objects), no failed unit"
