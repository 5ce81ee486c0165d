#!/bin/sh
# 45-async: ksql_exec_async() submitted from a softirq (timer_list) and a
# task, GFP_ATOMIC in softirq: every answer right, done() exactly once per
# request, in process context. No daemon: every request ends with
# -ENOTCONN exactly once. A stopped daemon: done(-ETIMEDOUT) once, after
# default_timeout_ms. The test module counts whether the intended context
# really held at each submission (in_context), so a silent fallback to a
# task would fail here.
# A hardirq submission (HRTIMER_MODE_REL_HARD hrtimer) is refused with
# -EOPNOTSUPP on every kernel, as PREEMPT_RT's allocator sleeps there
# (nothing allocated, done() never called, counted in "refused context");
# before that refusal the debug kernel's lockdep (PROVE_RAW_LOCK_NESTING)
# reported "Invalid wait context" here.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

setup

# async_expect_refused_hard N: N hardirq submissions are all refused with
# -EOPNOTSUPP and counted; done() is never called.
async_expect_refused_hard() {
	_rc0=$(counter "refused context")
	async_fire "$1" hard
	assert_eq "$(async_field in_context)" "$1" "submissions really from hard context"
	assert_eq "$(async_field refused)" "$1" "hardirq submissions refused: $(cat "$KT/async")"
	assert_eq "$(async_field submit_err)" "-$EOPNOTSUPP" "error of a hardirq submission"
	assert_eq "$(async_field accepted)" 0 "hardirq submissions accepted"
	assert_eq "$(counter "refused context")" $((_rc0 + $1)) "refused context counter"
	wait_until 10000 "the refused batch to settle" async_settled
	assert_eq "$(async_field completed)" 0 "done() calls for refused submissions"
	log "hard: $1 submissions refused with -EOPNOTSUPP, no done()"
}

# --- no daemon: -ENOTCONN, once, in any context --------------------------
daemon_disconnected || fail "a daemon is registered at the start"
async_expect_refused_hard 4
for ctx in task soft; do
	async_fire 4 $ctx
	wait_until 10000 "4 async requests ($ctx) to end without a daemon" async_settled
	assert_eq "$(async_field in_context)" 4 "submissions really from $ctx context"
	# accepted (0 returned), then done(-ENOTCONN) exactly once: the
	# module accepts and fails the request rather than refusing it
	assert_eq "$(async_field accepted)" 4 "async requests accepted without a daemon ($ctx): $(cat "$KT/async")"
	assert_eq "$(async_field failed)" 4 "async requests failed without a daemon ($ctx)"
	assert_eq "$(async_field first_err)" "-$ENOTCONN" "done() error without a daemon ($ctx)"
	assert_eq "$(async_field other_err)" 0 "other done() errors ($ctx)"
	assert_eq "$(async_field ok)" 0 "answers without a daemon ($ctx)"
	log "no daemon, $ctx: 4 accepted, done(-ENOTCONN) once each"
done

# --- a daemon: right answers from every context -------------------------
daemon_start
async0=$(counter async)
async_expect_refused_hard 64
async_expect_ok 64 soft
async_expect_ok 64 soft
async_expect_ok 64 task
assert_eq "$(counter async)" $((async0 + 192)) "async counter"
assert_eq "$(counter "in flight")" 0 "in flight after the async requests"

# --- a stopped daemon: done(-ETIMEDOUT) once, after the default timeout --
param_set default_timeout_ms 500
ab0=$(abandoned_count)
daemon_pause
async_fire 4 soft
wait_until 10000 "4 async requests to time out" async_settled
assert_eq "$(async_field accepted)" 4 "async requests accepted on a stopped daemon"
assert_eq "$(async_field failed)" 4 "async requests failed on a stopped daemon"
assert_eq "$(async_field first_err)" "-$ETIMEDOUT" "done() error on a stopped daemon"
assert_eq "$(async_field other_err)" 0 "other done() errors on a stopped daemon"
lat_min=$(async_field latency_min_us)
lat_max=$(async_field latency_max_us)
assert_ge "$lat_min" 490000 "shortest submit-to-done(-ETIMEDOUT) time (us)"
assert_le "$lat_max" "$(slack 1500000)" "longest submit-to-done(-ETIMEDOUT) time (us)"
log "stopped daemon: done(-ETIMEDOUT) after $((lat_min / 1000))..$((lat_max / 1000)) ms"
daemon_resume
# the daemon drops the 4 abandoned requests or answers them late; either
# way done() is not called again
wait_until 10000 "the daemon to dispose of 4 abandoned requests" abandoned_is $((ab0 + 4))
kcheck simple
assert_eq "$(async_field repeated)" 0 "done() calls repeated (after the late replies)"
assert_eq "$(async_field bad_context)" 0 "done() calls outside process context"
assert_eq "$(async_field pending)" 0 "async requests without done()"
assert_eq "$(counter "in flight")" 0 "in flight at the end"
