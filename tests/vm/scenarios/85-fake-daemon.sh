#!/bin/sh
# 85-fake-daemon: a fake daemon (ksql-nltool fake) answers one kernel call
# with a crafted RESULT each time:
#  - chunk out of order, COLUMN count != NCOLS, values not a multiple of
#    NCOLS: the caller gets -EPROTO, the message is refused (-EPROTO, with a
#    reason), counted in `rejected`, and the daemon is sent a CANCEL;
#  - ERRNO 9999: clamped to -EIO, the error message kept;
#  - a result in 3 chunks: reassembled exactly (names, rows, changes, rowid);
#  - a second FINAL for an answered request: counted as one late reply;
#  - LOG_ACKs from the registered (fake) daemon: for an unknown table, for
#    another epoch, and for a sequence never sent: refused, each counted in
#    `rejected`; the valid one after them is accepted (`log acks` +1) and
#    frees the rows (acked = logged, backlog empty).
# Then the module-parameter caps, with the real daemon:
#  - max_result_bytes: a larger result fails with -E2BIG, counted in `too big`;
#  - max_query_bytes: a larger query fails with -E2BIG before it is sent;
#  both restored afterwards (also when the scenario fails).
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

EPROTO=71 EIO=5
PARAMS=/sys/module/ksql/parameters
FAKE_PID=
FAKE_OUT=/tmp/85-fake.out
result_cap0=
query_cap0=

cleanup_85() {
	_rc85=$?
	if [ -n "$FAKE_PID" ]; then
		kill -KILL "$FAKE_PID" 2>/dev/null
		wait "$FAKE_PID" 2>/dev/null
	fi
	[ -n "$result_cap0" ] && echo "$result_cap0" >"$PARAMS/max_result_bytes"
	[ -n "$query_cap0" ] && echo "$query_cap0" >"$PARAMS/max_query_bytes"
	(exit "$_rc85")
	lib_cleanup
}

setup
trap cleanup_85 EXIT
daemon_disconnected || fail "a daemon is registered at the start: $(ksqlctl status 2>&1)"

# fake MODE EXPECTED_RC: run the fake daemon in MODE, make one call through
# it; leaves the call's outcome in $KT/exec and the fake's output in $FAKE_OUT.
fake() {
	ksql-nltool fake "$1" >"$FAKE_OUT" 2>&1 &
	FAKE_PID=$!
	wait_until 10000 "the fake daemon ($1) to register" fake_up
	rc=$(kexec 5000 "SELECT 1")
	wait_until 5000 "the fake daemon ($1) to exit" proc_gone "$FAKE_PID"
	wait "$FAKE_PID"
	_frc=$?
	FAKE_PID=
	[ "$_frc" = 0 ] || fail "ksql-nltool fake $1 exited $_frc: $(cat "$FAKE_OUT")"
	wait_until 5000 "the fake daemon's registration to go" daemon_disconnected
	log "fake $1: rc=$rc; fake: $(tr '\n' ';' <"$FAKE_OUT")"
	assert_eq "$rc" "$2" "rc of a call answered by fake $1 ($(tr '\n' ' ' <"$KT/exec"))"
}

fake_up() {
	proc_gone "$FAKE_PID" && fail "the fake daemon exited early: $(cat "$FAKE_OUT")"
	daemon_connected "$FAKE_PID"
}

# fake_malformed MODE REASON: the RESULT is refused with -EPROTO and REASON,
# the caller gets -EPROTO, the request is CANCELled, `rejected` +1.
fake_malformed() {
	_rej=$(counter rejected)
	_failed=$(counter failed)
	fake "$1" "-$EPROTO"
	_id=$(sed -n 's/^query //p' "$FAKE_OUT")
	is_int "$_id" || fail "fake $1 got no QUERY: $(cat "$FAKE_OUT")"
	assert_contains "$(cat "$FAKE_OUT")" "ack -$EPROTO: $2" "fake $1: the RESULT's ack"
	assert_contains "$(cat "$FAKE_OUT")" "cancel $_id" "fake $1: CANCEL of the failed request"
	assert_eq "$(counter rejected)" $((_rej + 1)) "fake $1: rejected"
	assert_eq "$(counter failed)" $((_failed + 1)) "fake $1: failed"
	assert_eq "$(counter "in flight")" 0 "fake $1: in flight"
}

fake_malformed badchunk "chunk out of order"
fake_malformed ncols "COLUMN count differs from NCOLS"
fake_malformed vals "value count is not a multiple of NCOLS"

rej0=$(counter rejected)
fake errno "-$EIO"
assert_contains "$(cat "$KT/exec")" "errmsg=boom" "fake errno: the error message"
assert_eq "$(grep -c '^ack 0$' "$FAKE_OUT")" 2 "fake errno: HELLO and RESULT accepted"

done0=$(counter completed)
fake multi 0
assert_eq "$(grep -c '^ack 0$' "$FAKE_OUT")" 4 "fake multi: HELLO and 3 chunks accepted"
res=$(cat "$KT/exec")
for line in "rows=3" "cols=2" "col 0: a" "col 1: b" "changes=7" "last_rowid=-3" \
	'row 0: INT 100|TEXT(2) "r0"' 'row 1: INT 101|TEXT(2) "r1"' 'row 2: INT 102|TEXT(2) "r2"'; do
	echo "$res" | grep -qxF "$line" || fail "fake multi: no line '$line' in the result: $res"
done
assert_eq "$(counter completed)" $((done0 + 1)) "fake multi: completed"
log "fake multi: 3 chunks reassembled exactly"

# A RESULT with a QUERY-only flag (refused by the policy) fails its caller
# at once and is counted: 84-reply-checks.

late0=$(counter "late replies")
fake late 0
assert_eq "$(grep -c '^ack 0$' "$FAKE_OUT")" 3 "fake late: HELLO and both FINALs acked"
assert_eq "$(counter "late replies")" $((late0 + 1)) "fake late: late replies"
assert_eq "$(counter rejected)" "$rej0" "rejected after the well-formed fakes"
log "fake late: the duplicate FINAL counted as one late reply"

# --- caps, with the real daemon ------------------------------------------
daemon_start
kcheck simple

result_cap0=$(cat "$PARAMS/max_result_bytes")
big=$(counter "too big")
failed0=$(counter failed)
echo 4096 >"$PARAMS/max_result_bytes" || fail "cannot write $PARAMS/max_result_bytes"
kexec_ok 5000 "SELECT 'small' AS s" 'TEXT(5) "small"'
SQL_BIG="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) SELECT x FROM c"
rc=$(kexec 10000 "$SQL_BIG")
assert_eq "$rc" "-$E2BIG" "a result over max_result_bytes=4096"
assert_eq "$(counter "too big")" $((big + 1)) "too big after a result over the cap"
assert_eq "$(counter failed)" $((failed0 + 1)) "failed after a result over the cap"
wait_until 5000 "no request in flight" in_flight_is 0
echo "$result_cap0" >"$PARAMS/max_result_bytes"
assert_eq "$(cat "$PARAMS/max_result_bytes")" "$result_cap0" "max_result_bytes restored"
rc=$(kexec 10000 "$SQL_BIG")
assert_eq "$rc" 0 "the same result with the cap restored"
assert_contains "$(cat "$KT/exec")" "rows=5000" "the same result with the cap restored"
log "max_result_bytes: -E2BIG over the cap, counted; fine once restored"

query_cap0=$(cat "$PARAMS/max_query_bytes")
long=$(printf '%0300d' 0 | tr 0 x)
SQL_LONG="SELECT '$long' AS l"
sent0=$(counter sent)
big=$(counter "too big")
failed0=$(counter failed)
echo 200 >"$PARAMS/max_query_bytes" || fail "cannot write $PARAMS/max_query_bytes"
kexec_ok 5000 "SELECT 'short' AS s" 'TEXT(5) "short"'
sent0=$((sent0 + 1))
rc=$(kexec 5000 "$SQL_LONG")
assert_eq "$rc" "-$E2BIG" "a 300-byte query over max_query_bytes=200"
assert_eq "$(counter sent)" "$sent0" "sent after a query over the cap (it must not be sent)"
assert_eq "$(counter failed)" $((failed0 + 1)) "failed after a query over the cap"
assert_eq "$(counter "too big")" "$big" "too big (results only) after a query over the cap"
echo "$query_cap0" >"$PARAMS/max_query_bytes"
assert_eq "$(cat "$PARAMS/max_query_bytes")" "$query_cap0" "max_query_bytes restored"
rc=$(kexec 5000 "$SQL_LONG")
assert_eq "$rc" 0 "the 300-byte query with the cap restored"
log "max_query_bytes: -E2BIG over the cap, not sent; fine once restored"

# LOG_ACKs from the daemon that are wrong: the fake receives the backlog of
# table log85 (logged while no daemon ran) and acks it wrongly, then right.
daemon_stop
daemon_start
klog "open log85"
daemon_stop
klog "log 20"
epoch=$(table_epoch log85)
rej0=$(counter rejected)
acks0=$(counter "log acks")
ksql-nltool fake-log log85 >"$FAKE_OUT" 2>&1 &
FAKE_PID=$!
wait_until 40000 "ksql-nltool fake-log to exit" proc_gone "$FAKE_PID"
wait "$FAKE_PID"
_frc=$?
FAKE_PID=
[ "$_frc" = 0 ] || fail "ksql-nltool fake-log exited $_frc: $(cat "$FAKE_OUT")"
log "fake-log: $(tr '\n' ';' <"$FAKE_OUT")"
assert_eq "$(sed -n 's/^log epoch \([0-9]*\) first \([0-9]*\) last \([0-9]*\) rows \([0-9]*\) .*/\1 \2 \3 \4/p' "$FAKE_OUT")" \
	"$epoch 1 20 20" "fake-log: the LOG batches (epoch, first, last, rows)"
acks=$(sed -n 's/^ack \(-*[0-9]*\).*/\1/p' "$FAKE_OUT" | tr '\n' ' ')
# shellcheck disable=SC2086 # one word per ack
set -- $acks
assert_eq "$#" 5 "fake-log: acks (HELLO and 4 LOG_ACKs): $acks"
assert_eq "$1" 0 "fake-log: HELLO"
for what in "unknown table" "wrong epoch" "sequence never sent"; do
	shift
	[ "$1" -lt 0 ] || fail "fake-log: a LOG_ACK for an $what was accepted ($(cat "$FAKE_OUT"))"
done
assert_eq "$2" 0 "fake-log: the valid LOG_ACK"
assert_eq "$(counter rejected)" $((rej0 + 3)) "rejected after 3 wrong LOG_ACKs"
assert_eq "$(counter "log acks")" $((acks0 + 1)) "log acks after the valid one"
assert_eq "$(table_stat log85 acked)" 20 "table log85: acked"
assert_eq "$(table_stat log85 backlog_rows)" 0 "table log85: backlog rows"
klog close
log "LOG_ACKs for an unknown table, another epoch, an unsent sequence: refused; the valid one frees the rows"
