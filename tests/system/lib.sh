# shellcheck shell=bash
# lib.sh - helpers of the system tests (tests/system/tests/*.sh), sourced by
# each test. The guest is a real Debian 12 with systemd as PID 1 and the
# packages installed with apt; every test runs as root under bash, from
# ksql-systest.service, in its own process group.
#
# Files and variables
#   $PAYLOAD     the read-only payload disk (harness, tests, .debs, the test
#                module ksql_test.ko built for this kernel)
#   $STATE       /var/lib/ksql-systest: kept across reboots; state_set and
#                state_get keep KEY=VALUE pairs there for later phases
#   $KSQL_DB     the packaged default database, /var/lib/ksql/ksql.db
#   $KT          the test module's debugfs directory (see the top of
#                tests/vm/modules/ksql_test_main.c)
#
# Conventions
#   fail MSG     print "FAIL: MSG" with context (the unit's state, its
#                journal, the kernel log) and exit 1
#   Every wait is a bounded poll; times are in milliseconds.

PAYLOAD=${PAYLOAD:-/run/ksql-payload}
STATE=${STATE:-/var/lib/ksql-systest}
KSQL_DB=/var/lib/ksql/ksql.db
KSQL_SOCK=/run/ksql/ksqld.sock
KSQL_CONF=/etc/ksql/ksqld.conf
KT=/sys/kernel/debug/ksql_test
TEST=${TEST:-${0##*/}}
TEST=${TEST%.sh}
export LC_ALL=C.UTF-8 SYSTEMD_PAGER='' SYSTEMD_COLORS=0 DEBIAN_FRONTEND=noninteractive

# errno values
# shellcheck disable=SC2034
ENOTCONN=107 ETIMEDOUT=110 EINTR=4

# a non-root member of group ksql, and a user outside it (sys-access)
MEMBER=ksqlmember
OUTSIDER=ksqloutsider

# --- output and assertions ---------------------------------------------

log() {
	echo "$TEST: $*"
}

fail() {
	{
		echo "FAIL: $TEST: $*"
		echo "--- systemctl status ksqld"
		timeout 10 systemctl status --no-pager --lines=0 ksqld 2>&1 | head -n 15
		echo "--- journalctl -u ksqld (last 15 lines)"
		timeout 10 journalctl --no-pager -b -u ksqld -n 15 2>&1
		echo "--- kernel log (last 10 lines)"
		dmesg | tail -n 10
	} >&2
	exit 1
}

assert_eq() {
	[[ $1 == "$2" ]] || fail "$3: got '$1', expected '$2'"
}

assert_le() {
	is_int "$1" || fail "$3: '$1' is not a number"
	[[ $1 -le $2 ]] || fail "$3: $1 > $2"
}

assert_ge() {
	is_int "$1" || fail "$3: '$1' is not a number"
	[[ $1 -ge $2 ]] || fail "$3: $1 < $2"
}

# assert_contains TEXT WORDS WHAT
assert_contains() {
	[[ $1 == *"$2"* ]] || fail "$3: '$2' not found in: $1"
}

is_int() {
	[[ $1 =~ ^-?[0-9]+$ ]]
}

# now_ms: CLOCK_MONOTONIC-like milliseconds (from /proc/uptime, 10 ms steps)
now_ms() {
	local up frac
	read -r up _ </proc/uptime
	frac=${up#*.}
	echo $((${up%.*} * 1000 + 10#$frac * 10))
}

# wait_until MAX_MS DESCRIPTION COMMAND...: poll COMMAND every 100 ms
wait_until() {
	local max=$1 what=$2 end
	shift 2
	end=$(($(now_ms) + max))
	until "$@"; do
		[[ $(now_ms) -lt $end ]] || fail "timed out after $max ms waiting for $what"
		sleep 0.1
	done
}

# --- state kept across reboots ----------------------------------------

state_set() {
	mkdir -p "$STATE"
	grep -v "^$1=" "$STATE/values" >"$STATE/values.new" 2>/dev/null
	echo "$1=$2" >>"$STATE/values.new"
	mv "$STATE/values.new" "$STATE/values"
	sync
}

state_get() {
	sed -n "s/^$1=//p" "$STATE/values" 2>/dev/null | tail -n 1
}

# --- the unit ---------------------------------------------------------

# prop NAME [UNIT]: one property of systemctl show (default unit ksqld)
prop() {
	systemctl show -p "$1" --value "${2:-ksqld.service}"
}

main_pid() {
	prop MainPID
}

# service_running: ksqld.service is active (running) with a main process
service_running() {
	[[ $(prop ActiveState) == active && $(prop SubState) == running && $(main_pid) -gt 0 ]]
}

# wait_running MAX_MS WHAT: wait for active (running) and for the module to
# see the daemon registered (ksqlctl status: "daemon: connected (pid N)");
# on a timeout the message says the unit's state and ksqld's last words
wait_running() {
	local end=$(($(now_ms) + $1))
	until service_running; do
		# failed for good (no restart pending): no use waiting
		[[ $(now_ms) -lt $end && $(prop ActiveState) != failed ]] ||
			fail "ksqld.service is not active (running) $2: $(show_unit)- last line of ksqld: $(last_words)"
		sleep 0.1
	done
	until daemon_registered; do
		[[ $(now_ms) -lt $end ]] ||
			fail "ksqld (pid $(main_pid)) did not register with the module $2 within $1 ms: $(kstatus 2>&1 | grep -m1 '^daemon:') - last line of ksqld: $(last_words)"
		sleep 0.1
	done
}

# last_words: ksqld's own last journal line of this boot (not systemd's)
last_words() {
	journalctl --no-pager -b -q -n 1 _COMM=ksqld -o cat 2>/dev/null
}

daemon_registered() {
	local pid
	pid=$(main_pid)
	[[ $pid -gt 0 ]] && kstatus 2>/dev/null | grep -q "^daemon: connected (pid $pid)"
}

daemon_disconnected() {
	kstatus 2>/dev/null | grep -q '^daemon: not connected'
}

# show_unit: the properties the tests judge, on one line
show_unit() {
	systemctl show -p Type,ActiveState,SubState,Result,NRestarts,MainPID,WatchdogUSec,StatusText ksqld.service |
		tr '\n' ' '
}

# journal_cursor: a cursor for "what was logged after now"
journal_cursor() {
	journalctl --no-pager -n 0 --show-cursor 2>/dev/null | sed -n 's/^-- cursor: //p'
}

# journal_since CURSOR [journalctl args...]: entries after CURSOR
journal_since() {
	local c=$1
	shift
	journalctl --no-pager -q --after-cursor="$c" "$@"
}

# --- the module -------------------------------------------------------

module_loaded() {
	grep -q "^$1 " /proc/modules
}

# kstatus: ksqlctl status of the kernel module alone (its daemon part is
# pointed at no socket, so a stopped ksqld cannot block it)
kstatus() {
	timeout 10 ksqlctl --socket /run/ksql/no-such-control.sock status
}

# counter NAME: a numeric counter of the module's ksqlctl status
counter() {
	local v
	v=$(kstatus 2>/dev/null | sed -n "s/^$1: //p")
	is_int "$v" || fail "ksqlctl status has no number for '$1': $(kstatus 2>&1)"
	echo "$v"
}

# ktest_load: the test module of tests/vm/modules, built for this kernel
ktest_load() {
	mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
	module_loaded ksql || fail "ksql.ko is not loaded"
	if ! module_loaded ksql_test; then
		insmod "$PAYLOAD/modules/ksql_test.ko" ||
			fail "insmod ksql_test.ko failed: $(dmesg | tail -n 3)"
		log "loaded ksql_test.ko"
	fi
	[[ -w $KT/exec ]] || fail "$KT/exec is missing (debugfs?)"
}

ktest_unload() {
	module_loaded ksql_test || return 0
	echo stop >"$KT/threads" 2>/dev/null
	echo close >"$KT/log" 2>/dev/null
	timeout 30 rmmod ksql_test || fail "rmmod ksql_test failed or hung"
}

# kexec TIMEOUT_MS SQL: ksql_exec_timeout() in this task; prints rc and
# elapsed_us; the whole outcome stays in $KT/exec
kexec() {
	echo "$1 $2" >"$KT/exec" 2>/dev/null
	echo "$(sed -n 's/^rc=//p' "$KT/exec") $(sed -n 's/^elapsed_us=//p' "$KT/exec")"
}

# kexec_ok TIMEOUT_MS SQL ROW0: the call succeeds and row 0 is ROW0
kexec_ok() {
	local out rc row
	out=$(kexec "$1" "$2")
	rc=${out%% *}
	[[ $rc == 0 ]] || fail "kernel query '$2' returned rc=$rc: $(cat "$KT/exec")"
	row=$(sed -n 's/^row 0: //p' "$KT/exec")
	[[ $row == "$3" ]] || fail "kernel query '$2': row 0 is '$row', expected '$3'"
}

threads_start() {
	echo "start $1 $2 $3" >"$KT/threads" || fail "cannot start $1 kernel threads"
}

threads_count() {
	awk -v s="$1" '$2 == s { n++ } END { print n + 0 }' "$KT/threads"
}

threads_done() {
	[[ $(threads_count "done") -eq $1 ]]
}

# klog CMD: a command to the test module's "log" file
klog() {
	echo "$*" >"$KT/log" 2>/dev/null || fail "log command '$*' refused: $(cat "$KT/log")"
}

klog_field() {
	local v
	v=$(sed -n "s/^$1 //p" "$KT/log")
	is_int "$v" || fail "$KT/log has no number for '$1': $(cat "$KT/log")"
	echo "$v"
}

klog_sources_done() {
	[[ $(klog_field running) -eq 0 ]]
}

klog_verify() {
	echo verify >"$KT/log" 2>/dev/null ||
		fail "the logged table differs from what ksql_log() accepted: $(sed -n 's/^verify_msg //p' "$KT/log")"
	log "verify: $(sed -n 's/^verify_msg //p' "$KT/log")"
}

# --- the database -----------------------------------------------------

# db_count SQL: a number from sqlite3 on the database file, read-only
db_count() {
	local n
	n=$(sqlite3 -readonly "$KSQL_DB" "$1" 2>&1)
	is_int "$n" || fail "sqlite3 $KSQL_DB '$1': $n"
	echo "$n"
}

# as_user USER COMMAND...: run COMMAND as USER (root: as is) with the PATH
# of a plain login (no /usr/sbin), as an administrator's user would
as_user() {
	local user=$1
	shift
	if [[ $user == root ]]; then
		env PATH=/usr/local/bin:/usr/bin:/bin "$@"
	else
		runuser -u "$user" -- env PATH=/usr/local/bin:/usr/bin:/bin "$@"
	fi
}

# ctl_value USER SQL: the value of column "n" of the first row ksqlctl -j
# query prints for SQL (write "SELECT ... AS n"), run as USER (root or
# another) with a plain user's PATH
ctl_value() {
	local user=$1 sql=$2 out n
	out=$(as_user "$user" ksqlctl -j query "$sql" 2>&1) ||
		fail "ksqlctl query as $user failed: $out"
	# [{"n": 5}]
	n=$(echo "$out" | tr -d '\n ' | sed -n 's/^\[{"n":\(-\{0,1\}[0-9][0-9]*\)[,}].*/\1/p')
	is_int "$n" || fail "ksqlctl -j query '$sql' as $user printed no number n: $out"
	echo "$n"
}
