#!/bin/sh
# 12-ping: ksql_ping() through the test module's "ping" file.
#  - no daemon: -ENOTCONN at once (well under 100 ms with a 10 s timeout),
#    counted in "not connected", not in "pings";
#  - a timeout of 0: -EINVAL; a bad command is refused and leaves the
#    outcome alone;
#  - with ksqld: N pings in a row return 0; the module's "pings" and
#    ksqld's "ksqld pings" both grow by exactly N, "sent" and "completed"
#    too (the request path of a query), while ksqld's "reads", "writes",
#    "received" and "answered" do not move (ksqld answers a PING from its
#    main loop, without SQLite); nothing is left in flight;
#  - ksqld SIGSTOPped: a ping with a 300 ms timeout gives -ETIMEDOUT within
#    [300 ms, 300 ms + 1 s] and sends a CANCEL; after SIGCONT ksqld's late
#    answer is counted as one late reply and the next ping returns 0.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

N=100

# kping N TIMEOUT_MS: N ksql_ping() calls in this task (the write fails
# when one fails: the outcome is read back with ping_field).
kping() {
	echo "$1 $2" >"$KT/ping" 2>/dev/null
	return 0
}

# ping_field NAME: one number of the "ok N err E last_errno X elapsed_us U
# max_us M" line of the last series.
ping_field() {
	_v=$(awk -v k="$1" '{ for (i = 1; i < NF; i += 2) if ($i == k) print $(i + 1) }' "$KT/ping")
	is_int "$_v" || fail "$KT/ping has no number for '$1': $(cat "$KT/ping")"
	echo "$_v"
}

# ping_expect OK ERR LAST_ERRNO WHAT
ping_expect() {
	assert_eq "$(ping_field ok)" "$1" "$4: pings that returned 0 ($(cat "$KT/ping"))"
	assert_eq "$(ping_field err)" "$2" "$4: pings that failed ($(cat "$KT/ping"))"
	assert_eq "$(ping_field last_errno)" "$3" "$4: errno of the last failed ping ($(cat "$KT/ping"))"
}

setup
[ -w "$KT/ping" ] || fail "$KT/ping is missing"
assert_eq "$(status_of daemon)" "not connected" "daemon state at the start"

# --- no daemon ----------------------------------------------------------
pings0=$(counter pings)
nc0=$(counter "not connected")
kping 1 10000
ping_expect 0 1 "-$ENOTCONN" "no daemon"
us=$(ping_field max_us)
assert_le "$us" "$(slack 99999)" "microseconds to -ENOTCONN"
assert_eq "$(counter "not connected")" $((nc0 + 1)) "not connected counter"
assert_eq "$(counter pings)" "$pings0" "pings without a daemon"
log "no daemon: -ENOTCONN after $us us"

# --- bad arguments --------------------------------------------------------
kping 1 0
ping_expect 0 1 "-$EINVAL" "timeout 0"
for cmd in "0 100" "x 100" "1" "1000001 100"; do
	if echo "$cmd" >"$KT/ping" 2>/dev/null; then
		fail "the ping command '$cmd' was accepted"
	fi
done
ping_expect 0 1 "-$EINVAL" "outcome after refused commands"
assert_eq "$(counter pings)" "$pings0" "pings after bad arguments"

# --- with the daemon -------------------------------------------------------
daemon_start
pings0=$(counter pings)
sent0=$(counter sent)
completed0=$(counter completed)
kp0=$(counter "ksqld pings")
reads0=$(counter "ksqld reads")
writes0=$(counter "ksqld writes")
recv0=$(counter "ksqld received")
answ0=$(counter "ksqld answered")

kping "$N" 5000
ping_expect "$N" 0 0 "$N pings with ksqld"
log "$N pings in $(($(ping_field elapsed_us) / 1000)) ms, $(($(ping_field elapsed_us) / N)) us each on average, $(ping_field max_us) us at most"
assert_eq "$(counter pings)" $((pings0 + N)) "the module's pings counter"
assert_eq "$(counter "ksqld pings")" $((kp0 + N)) "ksqld's pings counter"
assert_eq "$(counter sent)" $((sent0 + N)) "sent counter (pings go the way of queries)"
assert_eq "$(counter completed)" $((completed0 + N)) "completed counter"
assert_eq "$(counter "ksqld reads")" "$reads0" "ksqld reads (no SQLite for a PING)"
assert_eq "$(counter "ksqld writes")" "$writes0" "ksqld writes (no SQLite for a PING)"
assert_eq "$(counter "ksqld received")" "$recv0" "ksqld received (QUERYs only)"
assert_eq "$(counter "ksqld answered")" "$answ0" "ksqld answered (QUERY answers only)"
assert_eq "$(counter "in flight")" 0 "in flight after the pings"

# ksqlctl -j shows both counters too
json=$(ksqlctl -j status 2>&1) || fail "ksqlctl -j status failed: $json"
json=$(echo "$json" | tr -d ' \n')
assert_contains "$json" "\"pings\":$((pings0 + N))," "the module's pings in ksqlctl -j status"
assert_contains "$json" "\"pings\":$((kp0 + N)),\"foreign\":0}" "ksqld's pings (and no foreign messages) in ksqlctl -j status"

# --- a stopped daemon --------------------------------------------------------
late0=$(counter "late replies")
to0=$(counter "timed out")
cancels0=$(counter "cancels sent")
pings1=$(counter pings)
kp1=$(counter "ksqld pings")
daemon_pause
kping 1 300
ping_expect 0 1 "-$ETIMEDOUT" "ping to a stopped ksqld"
us=$(ping_field max_us)
# a jiffy-based timeout may end a jiffy short
assert_ge "$us" 290000 "microseconds to -ETIMEDOUT"
assert_le "$us" $((300000 + $(slack 1000000))) "microseconds to -ETIMEDOUT"
log "stopped ksqld: -ETIMEDOUT after $((us / 1000)) ms"
assert_eq "$(counter "timed out")" $((to0 + 1)) "timed out counter"
assert_eq "$(counter "cancels sent")" $((cancels0 + 1)) "cancels sent for the abandoned ping"
assert_eq "$(counter "in flight")" 0 "in flight after the timeout"
assert_eq "$(counter pings)" "$pings1" "pings after the timeout"
assert_eq "$(counter "late replies")" "$late0" "late replies while ksqld is stopped"

daemon_resume
# ksqld answers every PING it reads, also one whose caller gave up
wait_until 10000 "ksqld's late answer to the abandoned ping" counter_is "late replies" $((late0 + 1))
kping 1 5000
ping_expect 1 0 0 "ping after SIGCONT"
assert_eq "$(counter pings)" $((pings1 + 1)) "pings after SIGCONT"
assert_eq "$(counter "ksqld pings")" $((kp1 + 2)) "ksqld pings after SIGCONT (the late one and the new one)"
assert_eq "$(counter "late replies")" $((late0 + 1)) "late replies at the end"
assert_eq "$(counter "in flight")" 0 "in flight at the end"
