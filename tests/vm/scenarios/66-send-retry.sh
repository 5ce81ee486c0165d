#!/bin/sh
# 66-send-retry: ksqld with a tiny netlink receive buffer (--rcvbuf 4096) is
# stopped while 200 async requests (from softirq) and 16 verifying kernel
# threads ("mixed 16 5") are sent to it: the kernel's sends meet a full
# queue and are retried ("send retries" > 0). After SIGCONT every request
# completes with the right answer, none lost; nothing stays in flight or
# waiting.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

ASYNC=200
THREADS=16

setup
# async requests have no timeout of their own: give them time to wait
param_set default_timeout_ms 30000
daemon_start --rcvbuf 4096

retries0=$(counter "send retries")
kcheck mixed_reset
daemon_pause
async_fire $ASYNC soft
kcheck_bg mixed $THREADS 5 keep
wait_until 20000 "the kernel to retry sends to the full daemon queue" \
	counter_ge "send retries" $((retries0 + 1))
log "send retries while stopped: $(($(counter "send retries") - retries0)), in flight $(counter "in flight"), waiting $(counter waiting)"
daemon_resume

wait_until 60000 "$ASYNC async answers" async_settled
assert_eq "$(async_field in_context)" $ASYNC "submissions really from softirq"
assert_eq "$(async_field accepted)" $ASYNC "async requests accepted"
assert_eq "$(async_field ok)" $ASYNC "async right answers: $(cat "$KT/async")"
assert_eq "$(async_field repeated)" 0 "done() calls repeated"
assert_eq "$(async_field bad_context)" 0 "done() calls outside process context"
kcheck_wait 120000

assert_ge "$(counter "send retries")" $((retries0 + 1)) "send retries"
wait_until 5000 "no request in flight" in_flight_is 0
assert_eq "$(counter waiting)" 0 "waiting at the end"
log "all $ASYNC async and $THREADS x 5 thread queries answered right; send retries +$(($(counter "send retries") - retries0))"
kcheck simple
