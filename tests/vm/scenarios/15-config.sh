#!/bin/sh
# 15-config: ksqld's configuration file (ksqld.conf(5)).
#  - the guest has no default file: `ksqld --check-config` says so and
#    exits 0 (the built-in defaults apply, as for every other scenario);
#  - --check-config on a good file: exit 0, "configuration FILE is valid";
#    on a typo: exit 1, "FILE:2: unknown key ..." naming the key;
#  - ksqld started on the typo'd file refuses to start: exit 78, never
#    registers;
#  - ksqld started with --config reads it; the control socket is 0660;
#  - SIGHUP with log_level, synchronous, control_group and readers changed:
#    one "applied" line each for the first three (the writer then runs
#    PRAGMA synchronous=FULL: a kernel query sees 2; debug lines appear; the
#    socket changes group), "needs a restart" for readers (still 2), and
#    the summary "(3 changes applied, 1 needs a restart)";
#  - SIGHUP with a broken file: the error with FILE:LINE and the key,
#    "keeping the running configuration", nothing changed, and ksqld keeps
#    answering (ksqlctl query 'select 1', a kernel query).
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

CONF=/tmp/ksqld-15.conf
TYPO=/tmp/ksqld-15-typo.conf
GROUP=ksql15

# log_since N: the daemon's log after its first N lines
log_since() {
	tail -n +$(($1 + 1)) "$KSQLD_LOG"
}

log_lines() {
	wc -l <"$KSQLD_LOG"
}

# log_since_has N TEXT: for wait_until
log_since_has() {
	case $(log_since "$1") in
	*"$2"*) return 0 ;;
	esac
	return 1
}

socket_mode() {
	stat -c '%a %G' /run/ksql/ksqld.sock 2>&1
}

setup

# --- no default file in the guest --------------------------------------
out=$(ksqld --check-config 2>&1)
assert_eq "$?" 0 "exit status of ksqld --check-config without a file"
assert_contains "$out" "is valid (no such file: the built-in defaults apply)" "check of the missing default file"
log "$out"

# --- --check-config ----------------------------------------------------
cat >"$CONF" <<EOF
# $SCENARIO
readers = 2
log_level = info
synchronous = normal
EOF
out=$(ksqld --check-config --config "$CONF" 2>&1)
assert_eq "$?" 0 "exit status of --check-config on a good file ($out)"
assert_eq "$out" "ksqld: configuration $CONF is valid" "--check-config on a good file"

printf 'readers = 2\nsynchronus = full\n' >"$TYPO"
out=$(ksqld --check-config --config "$TYPO" 2>&1)
assert_eq "$?" 1 "exit status of --check-config on a typo ($out)"
assert_contains "$out" "ksqld: $TYPO:2: unknown key \"synchronus\" (did you mean \"synchronous\"?)" \
	"--check-config on a typo"
log "typo: $out"

# --- a typo refuses to start -------------------------------------------
timeout 10 ksqld --config "$TYPO" --db "$KSQL_DB" >/tmp/ksqld-15.out 2>&1
assert_eq "$?" 78 "exit status of ksqld on a typo'd file ($(cat /tmp/ksqld-15.out))"
assert_contains "$(cat /tmp/ksqld-15.out)" "$TYPO:2: unknown key \"synchronus\"" "ksqld's error on a typo"
assert_eq "$(status_of daemon)" "not connected" "daemon state after the refused start"

# --- started with a file -----------------------------------------------
grep -q "^$GROUP:" /etc/group || echo "$GROUP:x:4015:" >>/etc/group
n0=$(log_lines)
daemon_start --config "$CONF"
assert_contains "$(log_since "$n0")" "configuration read from $CONF" "start-up log"
assert_eq "$(socket_mode)" "660 root" "control socket mode and group"
kexec_ok 10000 "PRAGMA synchronous" "INT 1"
assert_eq "$(counter "ksqld readers")" 2 "readers at the start"

# --- SIGHUP: applied and needs a restart -------------------------------
cat >"$CONF" <<EOF
readers = 4
log_level = debug
synchronous = full
control_group = $GROUP
EOF
n0=$(log_lines)
kill -HUP "$KSQLD_PID" || fail "cannot send SIGHUP to ksqld"
wait_until 5000 "the reload summary" log_since_has "$n0" "configuration reloaded from $CONF"
out=$(log_since "$n0")
log "reload log:
$out"
assert_contains "$out" "reload: control_group (empty) -> $GROUP: applied" "control_group line"
assert_contains "$out" "reload: readers 2 -> 4: needs a restart (systemctl restart ksqld)" "readers line"
assert_contains "$out" "reload: synchronous normal -> full: applied" "synchronous line"
assert_contains "$out" "reload: log_level info -> debug: applied" "log_level line"
assert_contains "$out" "configuration reloaded from $CONF (3 changes applied, 1 needs a restart)" "summary"
assert_eq "$(socket_mode)" "660 $GROUP" "control socket group after the reload"
# the writer switches before its next job: this one
n0=$(log_lines)
kexec_ok 10000 "PRAGMA synchronous" "INT 2"
out=$(log_since "$n0")
assert_contains "$out" "writer: PRAGMA synchronous=FULL in force from now on" "the writer's switch"
assert_contains "$out" "query" "a debug line per query at log_level debug"
assert_eq "$(counter "ksqld readers")" 2 "readers after the reload (needs a restart)"

# --- SIGHUP: a broken file changes nothing -----------------------------
printf 'readers = 4\nlog_level = chatty\nsynchronous = normal\n' >"$CONF"
n0=$(log_lines)
kill -HUP "$KSQLD_PID" || fail "cannot send SIGHUP to ksqld"
wait_until 5000 "the reload to be refused" log_since_has "$n0" "keeping the running configuration"
out=$(log_since "$n0")
assert_contains "$out" "$CONF:2: log_level = \"chatty\": expected err, warning, info or debug" "the error"
case $out in
*"reload: "* | *"configuration reloaded"*) fail "a broken file changed something: $out" ;;
esac
proc_gone "$KSQLD_PID" && fail "ksqld exited on a broken file"
out=$(timeout 10 ksqlctl query 'select 1' 2>&1) || fail "ksqlctl query after the broken reload: $out"
assert_contains "$out" "| 1 |" "ksqlctl query 'select 1' after the broken reload"
kexec_ok 10000 "PRAGMA synchronous" "INT 2"
assert_eq "$(socket_mode)" "660 $GROUP" "control socket group after the broken reload"

daemon_stop
rm -f "$CONF" "$TYPO" /tmp/ksqld-15.out
sed -i "/^$GROUP:/d" /etc/group
