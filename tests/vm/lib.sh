# shellcheck shell=sh
# lib.sh - helpers shared by the QEMU scenarios in tests/vm/scenarios/.
#
# Sourced by each scenario (busybox sh):  . /tests/vm/lib.sh
#
# State between scenarios
#   The guest runs every scenario in its own process group and kills what
#   is left of it afterwards. So the daemon lives only inside one scenario:
#   between scenarios ksql.ko and ksql_test.ko are loaded (the first
#   scenario that needs them loads them; 99-unload removes them) and NO
#   ksqld runs. A scenario calls `setup` (loads what is missing, installs
#   the cleanup trap) and `daemon_start` when it needs the daemon; the
#   cleanup trap resumes and stops the daemon and the test threads, also
#   when the scenario fails half-way.
#
# Files
#   $KSQL_DB       the daemon's database (kept across scenarios)
#   $KSQLD_LOG     the daemon's stderr, appended (shown on failure)
#   $KT            the test module's debugfs directory: see the top of
#                  tests/vm/modules/ksql_test_main.c
#
# Conventions
#   fail MSG      print "FAIL: MSG" with context and exit 1
#   Every wait is a bounded poll; times are in milliseconds.

KO_DIR=${KO_DIR:-/lib/ksql}
KT=/sys/kernel/debug/ksql_test
KSQL_DB=${KSQL_DB:-/tmp/ksql-test.db}
KSQLD_LOG=${KSQLD_LOG:-/tmp/ksqld.log}
KSQLD_PID=
SCENARIO=${0##*/}
SCENARIO=${SCENARIO%.sh}

# errno values, for the scenarios
# shellcheck disable=SC2034
ENOTCONN=107 ETIMEDOUT=110 EINTR=4 E2BIG=7 EINVAL=22 ENOBUFS=105 EPERM=1
EOPNOTSUPP=95 ECANCELED=125

# Upper time bounds are multiplied by this: 1 on Debian's kernels, more on
# the KASAN/lockdep debug kernel (tools/vm/run passes ksqlvm.slow=N there).
KSQL_SLOW=$(sed -n 's/.*ksqlvm\.slow=\([0-9][0-9]*\).*/\1/p' /proc/cmdline 2>/dev/null)
KSQL_SLOW=${KSQL_SLOW:-1}

# slack N: the upper bound N (any unit) scaled for this kernel
slack() {
	echo $(($1 * KSQL_SLOW))
}

# module parameters changed by param_set, restored by the cleanup trap
PARAMS_SAVED=
# sample modules a scenario loads (sample_load), unloaded by the cleanup trap
SAMPLES_LOADED=

# --- output and assertions ---------------------------------------------

log() {
	echo "$SCENARIO: $*"
}

# Also from inside $(...): everything goes to stderr, so a caller that
# captures the output gets an empty value and fails on it too.
fail() {
	{
		echo "FAIL: $SCENARIO: $*"
		if [ -n "$KSQLD_PID" ] && [ -f "$KSQLD_LOG" ]; then
			echo "--- last lines of $KSQLD_LOG"
			tail -n 15 "$KSQLD_LOG"
		fi
		echo "--- ksqlctl status"
		# bounded: a stopped ksqld does not answer its control socket
		timeout 5 ksqlctl status 2>&1
		echo "--- kernel log (last 15 lines)"
		dmesg | tail -n 15
	} >&2
	exit 1
}

# assert_eq ACTUAL EXPECTED WHAT
assert_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}

# assert_le A B WHAT: integers, A <= B
assert_le() {
	is_int "$1" || fail "$3: '$1' is not a number"
	[ "$1" -le "$2" ] || fail "$3: $1 > $2"
}

# assert_ge A B WHAT: integers, A >= B
assert_ge() {
	is_int "$1" || fail "$3: '$1' is not a number"
	[ "$1" -ge "$2" ] || fail "$3: $1 < $2"
}

# assert_contains TEXT WORDS WHAT
assert_contains() {
	case $1 in
	*"$2"*) ;;
	*) fail "$3: '$2' not found in: $1" ;;
	esac
}

is_int() {
	case $1 in
	'' | *[!0-9-]* | ?*-*) return 1 ;;
	esac
	return 0
}

# now_ms: CLOCK_BOOTTIME in milliseconds (10 ms resolution).
now_ms() {
	read -r up _ </proc/uptime
	frac=${up#*.}
	frac=${frac#0}
	echo $((${up%.*} * 1000 + frac * 10))
}

# wait_until MAX_MS DESCRIPTION COMMAND...: poll COMMAND every 50 ms.
wait_until() {
	_max=$(slack "$1") _what=$2
	shift 2
	_end=$(($(now_ms) + _max))
	while ! "$@"; do
		[ "$(now_ms)" -lt "$_end" ] || fail "timed out after ${_max} ms waiting for $_what"
		sleep 0.05
	done
}

# --- modules -----------------------------------------------------------

module_loaded() {
	grep -q "^$1 " /proc/modules
}

load_modules() {
	mountpoint -q /sys/kernel/debug 2>/dev/null ||
		mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	if ! module_loaded ksql; then
		insmod "$KO_DIR/ksql.ko" || fail "insmod ksql.ko failed"
		log "loaded ksql.ko"
	fi
	if ! module_loaded ksql_test; then
		insmod "$KO_DIR/ksql_test.ko" slow="$KSQL_SLOW" || fail "insmod ksql_test.ko failed"
		log "loaded ksql_test.ko"
	fi
	[ -w "$KT/check" ] || fail "$KT/check is missing (debugfs?)"
}

# --- ksqlctl status ----------------------------------------------------

# kstatus: ksqlctl status of the kernel module alone. ksqlctl status also
# asks ksqld's control socket, which a SIGSTOPped ksqld never answers (and
# whose connects block once its backlog is full): pointing --socket nowhere
# makes that part a quick "ksqld: not running" line. Succeeds when the
# module answered: status exits 3 then (module loaded, no ksqld reached),
# 1 without the module.
kstatus() {
	ksqlctl --socket /run/ksql/no-such-control.sock status
	[ $? = 3 ]
}

# status_of NAME: the value of the "NAME: value" line of ksqlctl status;
# names starting with "ksqld ", and database, config and synchronous, are
# ksqld's (the daemon must run and not be stopped), the others the module's.
status_of() {
	case $1 in
	"ksqld "* | database | config | synchronous)
		_out=$(timeout 10 ksqlctl status 2>&1) || fail "ksqlctl status failed: $_out" ;;
	*) _out=$(kstatus 2>&1) || fail "ksqlctl status failed: $_out" ;;
	esac
	_v=$(echo "$_out" | sed -n "s/^$1: //p")
	[ -n "$_v" ] || fail "ksqlctl status has no '$1:' line: $_out"
	echo "$_v"
}

# counter NAME: a numeric counter of ksqlctl status.
counter() {
	_c=$(status_of "$1")
	is_int "$_c" || fail "ksqlctl status '$1' is not a number: '$_c'"
	echo "$_c"
}

daemon_connected() {
	case $(kstatus 2>/dev/null) in
	*"daemon: connected (pid $1)"*) return 0 ;;
	esac
	return 1
}

daemon_disconnected() {
	case $(kstatus 2>/dev/null) in
	*"daemon: not connected"*) return 0 ;;
	esac
	return 1
}

# --- another user ------------------------------------------------------

NOBODY=65534

# as_nobody COMMAND: run a shell command as uid/gid 65534 ("nobody"). busybox
# has no setuidgid/chpst and its setpriv cannot change ids, so this uses su,
# which needs a passwd entry: the initramfs has only root, so one is added.
as_nobody() {
	grep -q '^nobody:' /etc/passwd ||
		echo "nobody:x:$NOBODY:$NOBODY:nobody:/tmp:/bin/sh" >>/etc/passwd
	grep -q '^nogroup:' /etc/group ||
		echo "nogroup:x:$NOBODY:" >>/etc/group
	su -s /bin/sh -c "$1" nobody
}

# --- the daemon --------------------------------------------------------

# proc_gone PID: no such process, or only a zombie left of it.
proc_gone() {
	[ -r "/proc/$1/stat" ] || return 0
	read -r _stat <"/proc/$1/stat" 2>/dev/null || return 0
	_stat=${_stat##*) }
	[ "${_stat%% *}" = Z ]
}

# daemon_start [OPTION...]: run ksqld on $KSQL_DB (with the extra ksqld
# options given) and wait until the module sees it.
# shellcheck disable=SC2120 # most scenarios give no options
daemon_start() {
	[ -z "$KSQLD_PID" ] || fail "daemon_start: ksqld $KSQLD_PID already runs"
	mkdir -p /run/ksql
	echo "--- $SCENARIO: ksqld --db $KSQL_DB $*" >>"$KSQLD_LOG"
	ksqld --db "$KSQL_DB" "$@" 2>>"$KSQLD_LOG" &
	KSQLD_PID=$!
	wait_until 15000 "ksqld (pid $KSQLD_PID) to connect" daemon_up
	log "ksqld $KSQLD_PID connected"
}

daemon_up() {
	proc_gone "$KSQLD_PID" && fail "ksqld exited during start-up"
	daemon_connected "$KSQLD_PID"
}

# daemon_kill [SIGNAL]: signal the daemon (default KILL) and reap it.
daemon_kill() {
	[ -n "$KSQLD_PID" ] || return 0
	kill -"${1:-KILL}" "$KSQLD_PID" 2>/dev/null
	kill -CONT "$KSQLD_PID" 2>/dev/null
	wait_until 10000 "ksqld $KSQLD_PID to exit" proc_gone "$KSQLD_PID"
	wait "$KSQLD_PID" 2>/dev/null
	KSQLD_PID=
}

# daemon_stop: SIGTERM, wait until it is gone and the module saw it go.
daemon_stop() {
	[ -n "$KSQLD_PID" ] || return 0
	daemon_kill TERM
	if module_loaded ksql; then
		wait_until 5000 "the module to see the daemon gone" daemon_disconnected
	fi
}

daemon_pause() {
	kill -STOP "$KSQLD_PID" || fail "cannot SIGSTOP ksqld $KSQLD_PID"
}

daemon_resume() {
	kill -CONT "$KSQLD_PID" || fail "cannot SIGCONT ksqld $KSQLD_PID"
}

# cpu_ticks PID: user + system time of the whole process, in clock ticks
# (USER_HZ), from /proc/PID/stat (fields 14 and 15).
cpu_ticks() {
	read -r _stat <"/proc/$1/stat" || fail "cannot read /proc/$1/stat"
	# the command name may hold spaces: count fields after its ')'
	# shellcheck disable=SC2086 # split into fields on purpose
	set -- ${_stat##*) }
	# now $1 is field 3 (state): utime is field 14, stime field 15
	shift 11
	echo $(($1 + $2))
}

# --- module parameters -------------------------------------------------

# param NAME: the value of ksql's module parameter NAME.
param() {
	cat "/sys/module/ksql/parameters/$1" 2>/dev/null ||
		fail "module parameter $1 is missing"
}

# param_set NAME VALUE: set a ksql module parameter; the cleanup trap puts
# the value back (the first saved value wins).
param_set() {
	_old=$(param "$1")
	case " $PARAMS_SAVED " in
	*" $1="*) ;;
	*) PARAMS_SAVED="$PARAMS_SAVED $1=$_old" ;;
	esac
	echo "$2" >"/sys/module/ksql/parameters/$1" ||
		fail "cannot set module parameter $1 to $2"
	log "module parameter $1: $_old -> $2"
}

params_restore() {
	for _p in $PARAMS_SAVED; do
		echo "${_p#*=}" >"/sys/module/ksql/parameters/${_p%%=*}" 2>/dev/null
	done
	PARAMS_SAVED=
}

# --- the test module ---------------------------------------------------

# kcheck NAME [ARG]: run a check of ksql_test in this task; fail unless PASS.
kcheck() {
	echo "$*" >"$KT/check" 2>/dev/null
	_out=$(cat "$KT/check")
	case $_out in
	"PASS $1:"*) log "$_out" ;;
	*) fail "kernel check '$*': $_out" ;;
	esac
}

# kexec TIMEOUT_MS SQL: ksql_exec_timeout() in this task; prints the rc.
kexec() {
	echo "$1 $2" >"$KT/exec" 2>/dev/null
	sed -n 's/^rc=//p' "$KT/exec"
}

# kexec_ok TIMEOUT_MS SQL EXPECTED_ROW0: the call succeeds and row 0 is that.
kexec_ok() {
	_rc=$(kexec "$1" "$2")
	[ "$_rc" = 0 ] || fail "'$2' returned rc=$_rc: $(cat "$KT/exec")"
	_row=$(sed -n 's/^row 0: //p' "$KT/exec")
	[ "$_row" = "$3" ] || fail "'$2': row 0 is '$_row', expected '$3'"
}

# threads_start N TIMEOUT_MS SQL
threads_start() {
	echo "start $1 $2 $3" >"$KT/threads" || fail "cannot start $1 threads"
}

threads_stop() {
	echo stop >"$KT/threads" 2>/dev/null
}

# threads_done N: all N threads returned.
threads_done() {
	[ "$(threads_count "done")" -eq "$1" ]
}

threads_running() {
	[ "$(threads_count running)" -eq "$1" ]
}

# threads_count STATE: how many threads are in STATE (new, running, done).
threads_count() {
	awk -v s="$1" '$2 == s { n++ } END { print n + 0 }' "$KT/threads"
}

in_flight_is() {
	[ "$(counter "in flight")" -eq "$1" ]
}

# counter_is NAME VALUE / counter_ge NAME VALUE: for wait_until
counter_is() {
	[ "$(counter "$1")" -eq "$2" ]
}

counter_ge() {
	[ "$(counter "$1")" -ge "$2" ]
}

# abandoned_count: how many abandoned requests (timed out or killed
# callers) the daemon has disposed of, one way or another: answered late
# (the module counts the reply), dropped from its queue past the deadline,
# dropped on the module's CANCEL, or interrupted while running.
abandoned_count() {
	echo $(($(counter "late replies") + $(counter "ksqld expired") + \
		$(counter "ksqld cancelled queued") + $(counter "ksqld cancelled running") + \
		$(counter "ksqld deadline interrupts")))
}

abandoned_is() {
	[ "$(abandoned_count)" -eq "$1" ]
}

# kcheck_bg NAME [ARG]: start a check in a background task; kcheck_wait
# waits for it (MAX_MS) and fails unless it passed. One at a time.
KCHECK_BG_PID=
kcheck_bg() {
	sh -c "echo '$*' > $KT/check" 2>/dev/null &
	KCHECK_BG_PID=$!
	KCHECK_BG_NAME=$1
}

kcheck_wait() {
	wait_until "$1" "the background check $KCHECK_BG_NAME to end" proc_gone "$KCHECK_BG_PID"
	wait "$KCHECK_BG_PID" 2>/dev/null
	KCHECK_BG_PID=
	_out=$(cat "$KT/check")
	case $_out in
	"PASS $KCHECK_BG_NAME:"*) log "$_out" ;;
	*) fail "kernel check '$KCHECK_BG_NAME' (in the background): $_out" ;;
	esac
}

# --- asynchronous requests (the test module's "async" file) ------------

# async_fire N task|soft|hard: submit a batch of N ksql_exec_async() calls.
async_fire() {
	echo "fire $1 $2" >"$KT/async" || fail "cannot fire $1 async requests from $2 context"
}

# async_field NAME: a "NAME VALUE" line of $KT/async.
async_field() {
	_v=$(sed -n "s/^$1 //p" "$KT/async")
	is_int "$_v" || fail "$KT/async has no number for '$1': $(cat "$KT/async")"
	echo "$_v"
}

# async_settled: every submitted request of the batch was answered (done()
# ran) or refused at submission.
async_settled() {
	[ $(($(async_field completed) + $(async_field refused))) -eq "$(async_field submitted)" ]
}

# async_expect_ok N CTX: fire N requests from CTX and expect every answer
# right, each done() once, in process context.
async_expect_ok() {
	async_fire "$1" "$2"
	wait_until 30000 "$1 async answers ($2)" async_settled
	assert_eq "$(async_field in_context)" "$1" "submissions from $2 context that really ran there"
	assert_eq "$(async_field accepted)" "$1" "async requests accepted ($2): $(cat "$KT/async")"
	assert_eq "$(async_field ok)" "$1" "async right answers ($2): $(cat "$KT/async")"
	assert_eq "$(async_field wrong)" 0 "async wrong answers ($2)"
	assert_eq "$(async_field repeated)" 0 "done() calls repeated"
	assert_eq "$(async_field bad_context)" 0 "done() calls outside process context"
	log "async from $2: $1 of $1 right, done() once each in process context ($(async_field latency_max_us) us max)"
}

# --- logging tables (ksql_log) ------------------------------------------

# table_line NAME: the "table NAME: ..." line of ksqlctl status (module part),
# empty when the table is not open.
table_line() {
	kstatus 2>/dev/null | grep "^table $1: "
}

# table_stat NAME FIELD: one number of that line. FIELD is one of
# backlog_bytes backlog_rows limit_bytes logged sent acked lost lost_backlog
# lost_too_big resent batches (the names of ksqlctl -j status).
table_stat() {
	_l=$(table_line "$1")
	[ -n "$_l" ] || fail "ksqlctl status has no line for table $1: $(kstatus 2>&1)"
	echo "$_l" | grep -Eq '^table [^:]+: backlog [0-9]+ bytes \([0-9]+ rows\) of [0-9]+, logged [0-9]+, sent [0-9]+, acked [0-9]+, lost [0-9]+ \(backlog [0-9]+, too big [0-9]+\), resent [0-9]+, batches [0-9]+, ack timeouts [0-9]+$' ||
		fail "the status line of table $1 has an unexpected form: $_l"
	# shellcheck disable=SC2046 # the numbers, split on purpose
	set -- "$2" $(echo "$_l" | sed 's/^table [^:]*: //' | tr -c '0-9\n' ' ')
	[ $# -eq 13 ] || fail "cannot parse the status line of table: $_l"
	case $1 in
	backlog_bytes) echo "$2" ;;
	backlog_rows) echo "$3" ;;
	limit_bytes) echo "$4" ;;
	logged) echo "$5" ;;
	sent) echo "$6" ;;
	acked) echo "$7" ;;
	lost) echo "$8" ;;
	lost_backlog) echo "$9" ;;
	lost_too_big) echo "${10}" ;;
	resent) echo "${11}" ;;
	batches) echo "${12}" ;;
	ack_timeouts) echo "${13}" ;;
	*) fail "table_stat: no field '$1'" ;;
	esac
}

# table_acked_all NAME: every row logged so far is acked (for wait_until)
table_acked_all() {
	[ "$(table_stat "$1" acked)" -eq "$(table_stat "$1" logged)" ]
}

# table_epoch NAME: the table's epoch, from ksqlctl -j status
table_epoch() {
	_e=$(ksqlctl -j --socket /run/ksql/no-such-control.sock status 2>/dev/null | tr -d '\n' |
		sed -n "s/.*\"name\": *\"$1\" *, *\"epoch\": *\([0-9][0-9]*\).*/\1/p")
	is_int "$_e" || fail "no epoch of table $1 in ksqlctl -j status: $(ksqlctl -j --socket /run/ksql/no-such-control.sock status 2>&1)"
	echo "$_e"
}

# klog CMD: a command to the test module's "log" file; fails unless accepted
klog() {
	echo "$*" >"$KT/log" 2>/dev/null || fail "log command '$*' refused: $(cat "$KT/log")"
}

# klog_field NAME: a "NAME VALUE" line of $KT/log (a number)
klog_field() {
	_v=$(sed -n "s/^$1 //p" "$KT/log")
	is_int "$_v" || fail "$KT/log has no number for '$1': $(cat "$KT/log")"
	echo "$_v"
}

# klog_verify: the test module compares its table with its bookkeeping
klog_verify() {
	echo verify >"$KT/log" 2>/dev/null ||
		fail "the logged table differs from what ksql_log() accepted: $(sed -n 's/^verify_msg //p' "$KT/log")"
	log "verify: $(sed -n 's/^verify_msg //p' "$KT/log")"
}

# klog_sources_done: every source of "start" has finished
klog_sources_done() {
	[ "$(klog_field running)" -eq 0 ]
}

# db_count SQL: a number from sqlite3 on the database file, read-only (WAL:
# the daemon may be running)
db_count() {
	_n=$(sqlite3 -readonly "$KSQL_DB" "$1" 2>&1)
	is_int "$_n" || fail "sqlite3 '$1': $_n"
	echo "$_n"
}

# db_query SQL: the output of sqlite3 on the database file, read-only
db_query() {
	sqlite3 -readonly "$KSQL_DB" "$1" || fail "sqlite3 '$1' failed"
}

# sample_load NAME: insmod the kernel modules sample NAME needs (listed in
# /lib/ksql/NAME.deps by make-initramfs, dependencies first), then NAME.
sample_load() {
	if [ -f "$KO_DIR/$1.deps" ]; then
		while read -r _dep; do
			module_loaded "$_dep" && continue
			insmod "$KO_DIR/deps/$_dep.ko" || fail "insmod $_dep (needed by $1) failed"
		done <"$KO_DIR/$1.deps"
	fi
	insmod "$KO_DIR/$1.ko" || fail "insmod $1.ko failed: $(dmesg | tail -n 3)"
	SAMPLES_LOADED="$SAMPLES_LOADED $1"
	log "loaded $1"
}

# sample_unload NAME: rmmod it (it flushes its table for up to 2 s first)
sample_unload() {
	module_loaded "$1" || return 0
	timeout "$(slack 20)" rmmod "$1" || fail "rmmod $1 failed or hung"
}

# --- setup and cleanup -------------------------------------------------

lib_cleanup() {
	_rc=$?
	if [ -n "$KSQLD_PID" ]; then
		# a stopped daemon would keep blocked callers waiting
		kill -CONT "$KSQLD_PID" 2>/dev/null
		daemon_stop
	fi
	[ -e "$KT/threads" ] && threads_stop
	[ -e "$KT/log" ] && echo close >"$KT/log" 2>/dev/null
	for _m in $SAMPLES_LOADED; do
		module_loaded "$_m" && timeout 20 rmmod "$_m"
	done
	if [ -n "$KCHECK_BG_PID" ]; then
		kill -KILL "$KCHECK_BG_PID" 2>/dev/null
		wait "$KCHECK_BG_PID" 2>/dev/null
	fi
	params_restore
	if [ "$_rc" = 0 ]; then
		log "PASS"
	fi
}

# setup: load what is missing, remember to clean up on exit.
setup() {
	trap lib_cleanup EXIT
	load_modules
	kstatus >/dev/null 2>&1 || fail "ksqlctl status fails with the module loaded: $(kstatus 2>&1)"
}
