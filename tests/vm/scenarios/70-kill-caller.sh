#!/bin/sh
# 70-kill-caller: a task blocked in ksql_exec() (the daemon stopped) that
# receives SIGKILL returns at once: it is gone within 1 s, interrupted
# counts it, and the module stays sane.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

setup
daemon_start
int0=$(counter interrupted)

daemon_pause
sh -c "echo '30000 SELECT 1' > $KT/exec" &
writer=$!
wait_until 10000 "the writer to block in ksql" in_flight_is 1
assert_eq "$(cat "$KT/busy")" 1 "tasks inside exec"
proc_gone $writer && fail "the writer exited before the SIGKILL: $(cat "$KT/exec")"

t0=$(now_ms)
kill -KILL $writer
wait_until 2000 "the killed writer to exit" proc_gone $writer
ms=$(($(now_ms) - t0))
wait $writer 2>/dev/null
assert_le "$ms" "$(slack 1000)" "ms until the killed writer was gone"
log "the SIGKILLed writer was gone after $ms ms"

assert_eq "$(counter interrupted)" $((int0 + 1)) "interrupted counter"
assert_eq "$(counter "in flight")" 0 "in flight after the kill"
assert_eq "$(cat "$KT/busy")" 0 "tasks inside exec"
assert_eq "$(sed -n 's/^rc=//p' "$KT/exec")" "-$EINTR" "rc seen by the killed writer"

daemon_resume
kcheck simple
kexec_ok 5000 "SELECT 'alive' AS a" 'TEXT(5) "alive"'
