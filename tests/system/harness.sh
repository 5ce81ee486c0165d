#!/bin/bash
# harness.sh - the guest side of tools/vm/run-system, run at every boot by
# ksql-systest.service (baked into the root filesystem by
# tools/vm/build-rootfs) from the read-only payload disk.
#
# The tests of tests/system/plan run in phases, one phase per boot; the
# phase to run next is kept in /var/lib/ksql-systest/phase on the root disk
# (the per-run qcow2 overlay), so it survives the reboots in between:
#   phase 1: install the packages (DKMS builds the module), reboot
#   phase 2: the booted system and the runtime tests, reboot
#   phase 3: persistence across the reboot, removal, purge; power off
#
# Output goes to the serial console (ttyS0), where tools/vm/run-system reads:
#   KSQL-SYSTEM-BOOT N phase P ...   a boot began
#   === test NAME                    a test began; its lines are "[NAME] ..."
#   KSQL-RESULT NAME PASS            or: KSQL-RESULT NAME FAIL reason
#   KSQL-SYSTEM-TIME WHAT SECONDS    durations worth reporting
#   KSQL-SYSTEM-REBOOT               the phase is over, the guest reboots
#   KSQL-SYSTEM-DONE                 the last phase is over, it powers off
# A test fails when its script exits non-zero, when it runs past its time
# limit, or when the kernel log got a BUG/WARNING/Oops/hung task/KASAN/
# kmemleak line while it ran. Kernel log problems while booting fail the
# pseudo-test kernel-log-boot-N (reported only when it fails).
set -u

PAYLOAD=/run/ksql-payload
STATE=/var/lib/ksql-systest
RUN=/run/ksql-systest
export PAYLOAD STATE
export LC_ALL=C.UTF-8 SYSTEMD_PAGER='' SYSTEMD_COLORS=0 TERM=dumb
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mkdir -p "$STATE" "$RUN"

# Settings written by the host (tools/vm/run-system); defaults here.
KSQL_SYSTEST_TEST_TIMEOUT=600
KSQL_SYSTEST_INSTALL_TIMEOUT=2400
KSQL_SYSTEST_MAX_BOOTS=5
# exported: the tests read them too (KSQL_SYSTEST_WATCHDOG_SEC)
set -a
# shellcheck source=/dev/null
[[ -f $PAYLOAD/run.conf ]] && . "$PAYLOAD/run.conf"
set +a

boot=$(($(cat "$STATE/boots" 2>/dev/null || echo 0) + 1))
echo "$boot" >"$STATE/boots"
phase=$(cat "$STATE/phase" 2>/dev/null || echo 1)
last_phase=$(awk '$1 ~ /^[0-9]+$/ { if ($1 > m) m = $1 } END { print m + 0 }' "$PAYLOAD/plan")

say() {
	echo "$*"
}

finish() {
	sync
	if [[ $1 == reboot ]]; then
		say "KSQL-SYSTEM-REBOOT after phase $phase"
		systemctl reboot
	else
		say "KSQL-SYSTEM-DONE"
		systemctl poweroff
	fi
	sleep 600
	exit 0
}

say "KSQL-SYSTEM-BOOT $boot phase $phase of $last_phase: $(uname -r), $(nproc) CPUs, up $(cut -d' ' -f1 /proc/uptime)s"
if [[ $boot -gt $KSQL_SYSTEST_MAX_BOOTS ]]; then
	say "KSQL-SYSTEM-ERROR boot $boot: more boots than the $last_phase phases need; stopping"
	finish poweroff
fi

# Every kernel log record since the boot, kept by one reader of /dev/kmsg
# ("prio,seq,usec,flags;text" records), restarted if it ever stops.
kmsg=$RUN/kmsg.log
: >"$kmsg"
(while :; do cat /dev/kmsg >>"$kmsg" 2>/dev/null; sleep 0.2; done) &
kmsg_pid=$!
last_seq=-1
bad_re='BUG|WARNING|Oops|INFO: task .* blocked|hung_task|general protection|Call Trace|kernel BUG|KASAN|kmemleak|leak'
# not problems: the kernel command line, kmemleak's banner
ok_re='^(Kernel )?[Cc]ommand line:|kmemleak: Kernel memory leak detector initialized'

kmsg_sync_n=0
kmsg_sync() {
	local i=0
	kmsg_sync_n=$((kmsg_sync_n + 1))
	echo "<7>ksql-systest-kmsg-sync-$kmsg_sync_n" >/dev/kmsg 2>/dev/null || { sleep 0.5; return; }
	while ! grep -q ";ksql-systest-kmsg-sync-$kmsg_sync_n\$" "$kmsg"; do
		[[ $i -ge 100 ]] && { say "ksql-systest: the kernel log reader lags by more than 10 s"; return; }
		sleep 0.1
		i=$((i + 1))
	done
}

# scan_kmsg OUT: the offending kernel log lines since the last scan into
# OUT; status 0 when there are any
scan_kmsg() {
	kmsg_sync
	awk -v last="$last_seq" -v out="$1" -v re="$bad_re" -v ok="$ok_re" -v seqf="$RUN/seq" '
		/^ / { next }
		{
			i = index($0, ";"); if (i == 0) next
			split(substr($0, 1, i - 1), h, ",")
			seq = h[2] + 0
			if (seq <= last) next
			last = seq
			msg = substr($0, i + 1)
			if (msg ~ re && msg !~ ok) { print msg > out; n++ }
		}
		END { print last > seqf; exit n ? 0 : 1 }' "$kmsg"
	local rc=$?
	last_seq=$(cat "$RUN/seq" 2>/dev/null || echo "$last_seq")
	return $rc
}

# prefix NAME LOG: copy stdin to stdout and LOG, each line as "[NAME] ..."
prefix() {
	local line
	while IFS= read -r line; do
		printf '[%s] %s\n' "$1" "$line"
		printf '%s\n' "$line" >>"$2"
	done
}

# run_test NAME: run tests/NAME.sh in its own process group, bounded
run_test() {
	local name=$1 script=$PAYLOAD/tests/$1.sh limit=$KSQL_SYSTEST_TEST_TIMEOUT
	local out=$RUN/$1.log start pid rc timed_out=0 reason='' first
	[[ $name == sys-dkms-install ]] && limit=$KSQL_SYSTEST_INSTALL_TIMEOUT
	: >"$out"
	say "=== test $name"
	start=$(date +%s)
	if [[ ! -f $script ]]; then
		say "KSQL-RESULT $name FAIL no test script $script on the payload disk"
		return
	fi
	# setsid: the test and everything it starts form one process group,
	# killed afterwards whatever the outcome
	(cd /tmp && TEST=$name exec setsid bash "$script" </dev/null > >(prefix "$name" "$out") 2>&1) &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if [[ $(($(date +%s) - start)) -ge $limit ]]; then
			timed_out=1
			break
		fi
		sleep 0.5
	done
	if [[ $timed_out -eq 1 ]]; then
		say "[$name] timed out after ${limit}s; blocked tasks follow in the kernel log"
		echo w >/proc/sysrq-trigger 2>/dev/null
	fi
	# whatever is left of the test's process group
	pkill -TERM -g "$pid" 2>/dev/null
	sleep 0.5
	pkill -KILL -g "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	sleep 0.2	# the prefixing reader drains
	say "KSQL-SYSTEM-TIME $name $(($(date +%s) - start))"
	if [[ $timed_out -eq 1 ]]; then
		reason="timed out after ${limit}s"
	elif [[ $rc -ne 0 ]]; then
		first=$(grep -m1 '^FAIL: ' "$out" | sed "s/^FAIL: $name: //" | cut -c 1-600)
		reason=${first:-exit status $rc}
	fi
	if scan_kmsg "$RUN/bad"; then
		sed "s/^/[$name] dmesg: /" "$RUN/bad"
		reason="${reason:+$reason; }kernel log: $(head -n 1 "$RUN/bad" | cut -c 1-160)"
	fi
	rm -f "$RUN/bad"
	if [[ -z $reason ]]; then
		say "KSQL-RESULT $name PASS"
	else
		say "KSQL-RESULT $name FAIL $reason"
	fi
}

# The boot must be over (every start job done) before the tests look at it.
t0=$(date +%s)
state=$(timeout 600 systemctl is-system-running --wait 2>&1)
say "ksql-systest: boot $boot finished ($state) after $(cut -d' ' -f1 /proc/uptime)s of uptime (waited $(($(date +%s) - t0))s)"
if [[ $state != running ]]; then
	say "ksql-systest: failed units:"
	systemctl --failed --no-legend --plain 2>&1 | sed 's/^/  /'
fi
if scan_kmsg "$RUN/boot-bad"; then
	sed "s/^/[kernel-log-boot-$boot] dmesg: /" "$RUN/boot-bad"
	say "KSQL-RESULT kernel-log-boot-$boot FAIL kernel log while booting: $(head -n 1 "$RUN/boot-bad" | cut -c 1-160)"
fi

while read -r p name; do
	[[ $p == "$phase" ]] || continue
	run_test "$name"
done < <(grep -E '^[0-9]+[[:space:]]' "$PAYLOAD/plan")

# Before a reboot: what the next phase compares with.
systemctl show -p MainPID --value ksqld.service >"$STATE/ksqld-pid-before-reboot" 2>/dev/null
cat /proc/sys/kernel/random/boot_id >"$STATE/boot-id-before-reboot"
kill "$kmsg_pid" 2>/dev/null
if [[ $phase -lt $last_phase ]]; then
	echo $((phase + 1)) >"$STATE/phase"
	finish reboot
fi
finish poweroff
