#!/bin/bash
# sys-access: the sample module ksql_exec (built by DKMS) logs execs into
# table "exec"; after its flush (rmmod) ksqlctl reads exactly those rows as
# root and as an unprivileged member of group ksql (with a plain user's
# PATH: ksqlctl is in /usr/bin); a user outside the group is refused with
# the message naming the socket's group and how to join it; a write
# through the control socket is refused, as root and as a member, and
# changes nothing.
# shellcheck source=tests/system/lib.sh
. "$PAYLOAD/lib.sh"

E=7	# execs as root
probe=/usr/local/bin/ksql-systest-probe

wait_running 60000 "before the test"
for u in "$MEMBER" "$OUTSIDER"; do
	getent passwd "$u" >/dev/null || useradd -M -N -s /bin/bash "$u" || fail "useradd $u failed"
done
usermod -aG ksql "$MEMBER" || fail "usermod -aG ksql $MEMBER failed"
id "$MEMBER" | grep -q '(ksql)' || fail "$MEMBER is not in group ksql: $(id "$MEMBER")"
id "$OUTSIDER" | grep -q '(ksql)' && fail "$OUTSIDER is in group ksql: $(id "$OUTSIDER")"
member_uid=$(id -u "$MEMBER")

# --- a sample module logs rows ------------------------------------------
module_loaded ksql_exec && { rmmod ksql_exec || fail "rmmod ksql_exec failed"; }
modprobe ksql_exec || fail "modprobe ksql_exec failed: $(dmesg | tail -n 3)"
install -m 755 /bin/true "$probe"
for _ in $(seq "$E"); do
	"$probe" || fail "$probe failed"
done
runuser -u "$MEMBER" -- "$probe" || fail "$probe as $MEMBER failed"
# rmmod flushes the table (ksql_table_flush, 2 s) before it returns
timeout 30 modprobe -r ksql_exec || fail "modprobe -r ksql_exec failed or hung"
dmesg | tail -n 20 | grep -q 'ksql_exec: execs logged but not yet stored are dropped' &&
	fail "ksql_exec dropped rows on unload: $(dmesg | grep 'ksql_exec:' | tail -n 1)"
log "$E execs of $probe as root and 1 as $MEMBER (uid $member_uid), ksql_exec unloaded (flushed)"

# --- ksqlctl as root and as a member of group ksql -----------------------
q_root="SELECT COUNT(*) AS n FROM exec WHERE filename = '$probe' AND uid = 0"
q_member="SELECT COUNT(*) AS n FROM exec WHERE filename = '$probe' AND uid = $member_uid"
assert_eq "$(ctl_value root "$q_root")" "$E" "rows of root's execs, read by ksqlctl as root"
assert_eq "$(ctl_value root "$q_member")" 1 "rows of $MEMBER's exec, read by ksqlctl as root"
assert_eq "$(ctl_value "$MEMBER" "$q_root")" "$E" "rows of root's execs, read by ksqlctl as $MEMBER (group ksql)"
assert_eq "$(ctl_value "$MEMBER" "$q_member")" 1 "rows of $MEMBER's exec, read by ksqlctl as $MEMBER"
assert_eq "$(db_count "SELECT COUNT(*) FROM exec WHERE filename = '$probe'")" $((E + 1)) "rows in the database file (sqlite3)"
out=$(as_user "$MEMBER" ksqlctl query "SELECT comm, uid FROM exec WHERE filename = '$probe' ORDER BY ksql_seq DESC LIMIT 2" 2>&1) ||
	fail "ksqlctl query as $MEMBER failed: $out"
echo "$out"
out=$(as_user "$MEMBER" ksqlctl status 2>&1) || fail "ksqlctl status as $MEMBER failed (exit status $?): $out"
assert_contains "$out" "daemon: connected (pid $(main_pid))" "ksqlctl status as $MEMBER"
state_set EXEC_PROBE "$probe"
state_set EXEC_ROWS $((E + 1))

# --- a user outside the group -----------------------------------------
out=$(as_user "$OUTSIDER" ksqlctl query "SELECT 1 AS n" 2>&1)
rc=$?
log "as $OUTSIDER (exit status $rc): $out"
[[ $rc -ne 0 ]] || fail "ksqlctl query as $OUTSIDER (not in group ksql) succeeded: $out"
assert_contains "$out" "permission denied on ksqld's control socket $KSQL_SOCK (group ksql, mode 0660)" \
	"ksqlctl's refusal for $OUTSIDER"
assert_contains "$out" "usermod -aG ksql $OUTSIDER" "ksqlctl's refusal for $OUTSIDER (how to join)"

# --- writes through the control socket are refused ----------------------
for u in root "$MEMBER"; do
	for sql in "DELETE FROM exec" "INSERT INTO exec (pid) VALUES (1)" "CREATE TABLE systest_w (a)"; do
		out=$(as_user "$u" ksqlctl query "$sql" 2>&1)
		rc=$?
		[[ $rc -ne 0 ]] || fail "ksqlctl query '$sql' as $u was accepted: $out"
		assert_contains "$out" "read-only" "refusal of '$sql' as $u"
	done
done
log "writes refused: $out"
assert_eq "$(db_count "SELECT COUNT(*) FROM exec WHERE filename = '$probe'")" $((E + 1)) "rows after the refused writes"
assert_eq "$(db_count "SELECT COUNT(*) FROM sqlite_master WHERE name = 'systest_w'")" 0 "tables made by a refused CREATE"
