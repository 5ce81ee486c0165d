#!/bin/sh
# 05-status: ksqlctl status and ksqld's control socket, as an administrator
# and a plain user meet them:
#  - no ksqld: the module part, then "ksqld: not running (no control socket
#    at PATH)", exit 3 (JSON: state "not running"), and where the database
#    would be according to ksqld.conf (none in the guest: the built-in
#    default path, "config: none (the built-in defaults apply)");
#  - ksqld running: exit 0; "ksqld: running (pid N, version V)" with the
#    daemon's pid and the project's version (the module's too), "database:
#    $KSQL_DB", "config: none", "synchronous: full" (the default; normal
#    with --synchronous normal), the same in JSON;
#  - the control socket is mode 0660, group root (ksqld's effective group);
#  - uid 65534 outside that group: ksqlctl query exits 1 with the sentence
#    naming the socket, its group and mode and "usermod -aG root nobody";
#    status exits 3 with "ksqld: unreachable (permission denied ...)";
#  - the same user as a member of group root queries fine.
# Exit 1 without the module: 90-module-reload and 99-unload.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

SOCK=/run/ksql/ksqld.sock
version=$(cat /sys/module/ksql/version) || fail "no /sys/module/ksql/version"

setup

# --- no ksqld ------------------------------------------------------------
none=/run/ksql/05-no-such.sock
st=$(ksqlctl --socket $none status 2>&1)
assert_eq "$?" 3 "exit status of status without ksqld ($st)"
assert_contains "$st" "module: loaded (version $version)" "status without ksqld"
assert_contains "$st" "daemon: not connected" "status without ksqld"
assert_contains "$st" "ksqld: not running (no control socket at $none)" "status without ksqld"
dbline=$(echo "$st" | grep '^database: ')
case $dbline in
"database: /"*"/ksql.db (configured; ksqld is not serving it)") ;;
*) fail "status without ksqld: no configured database line: '$dbline' in: $st" ;;
esac
assert_contains "$st" "config: none (the built-in defaults apply)" "status without ksqld"
json=$(ksqlctl -j --socket $none status 2>&1)
assert_contains "$json" "\"ksqld\":{\"reachable\":false,\"state\":\"not running\"" "status -j without ksqld"
log "no ksqld: exit 3, $(echo "$st" | grep '^ksqld: ')"

# --- ksqld ---------------------------------------------------------------
daemon_start
st=$(ksqlctl status 2>&1)
assert_eq "$?" 0 "exit status of status with the module and ksqld ($st)"
assert_contains "$st" "daemon: connected (pid $KSQLD_PID)" "status"
assert_contains "$st" "ksqld: running (pid $KSQLD_PID, version $version)" "status"
assert_eq "$(status_of database)" "$KSQL_DB" "status database"
assert_eq "$(status_of config)" none "status config"
assert_eq "$(status_of synchronous)" full "status synchronous"
json=$(ksqlctl -j status 2>&1) || fail "ksqlctl -j status failed: $json"
assert_contains "$json" "\"ksqld\":{\"reachable\":true,\"state\":\"running\",\"pid\":$KSQLD_PID,\"version\":\"$version\",\"database\":\"$KSQL_DB\",\"config\":\"none\",\"synchronous\":\"full\"," \
	"status -j"
log "ksqld: exit 0, $(echo "$st" | grep '^ksqld: running')"

# the socket: 0660, ksqld's group (root here)
assert_eq "$(stat -c '%F %a %U %G' $SOCK)" "socket 660 root root" "the control socket's type, mode, owner, group"

# a user outside the group: refused, told what to do
out=$(as_nobody "ksqlctl query 'SELECT 1'" 2>&1)
assert_eq "$?" 1 "exit status of ksqlctl query as uid $NOBODY ($out)"
assert_eq "$out" "ksqlctl: permission denied on ksqld's control socket $SOCK (group root, mode 0660): run as root or join the group: usermod -aG root nobody, then log in again" \
	"ksqlctl query as uid $NOBODY"
st=$(as_nobody "ksqlctl status" 2>&1)
assert_eq "$?" 3 "exit status of status as uid $NOBODY ($st)"
assert_contains "$st" "ksqld: unreachable (permission denied on ksqld's control socket $SOCK (group root, mode 0660)" \
	"status as uid $NOBODY"
log "uid $NOBODY: $out"

# the same user in the group: let in (su sets the groups from /etc/group)
cp /etc/group /tmp/05-group
sed -i 's/^root:x:0:$/root:x:0:nobody/' /etc/group
out=$(as_nobody "ksqlctl query 'SELECT 40 + 2'" 2>&1)
rc=$?
cp /tmp/05-group /etc/group
assert_eq "$rc" 0 "ksqlctl query as uid $NOBODY in group root ($out)"
assert_contains "$out" "| 42 " "ksqlctl query as uid $NOBODY in group root"
log "uid $NOBODY in group root: the query ran"

# --synchronous normal shows as such
daemon_stop
daemon_start --synchronous normal
assert_eq "$(status_of synchronous)" normal "status synchronous with --synchronous normal"
