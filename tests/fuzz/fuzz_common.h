/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_common.h - what the libFuzzer targets of tests/fuzz share: a check
 * that every message ksqld sends back is well formed, and a watchdog that
 * interrupts SQLite when one input runs too long (a fuzzed query may ask
 * for an endless recursive CTE and carry no timeout; that is a feature of
 * SQL, not a bug, and must not read as a libFuzzer timeout).
 */
#ifndef KSQL_FUZZ_COMMON_H
#define KSQL_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

struct ksqld_exec;

/* The message type replies must carry (set by the target before use). */
extern uint16_t fuzz_reply_type;

/*
 * A ksqld_send_fn: abort()s unless buf is one complete, well-formed ksql
 * message of fuzz_reply_type whose attributes all walk cleanly.
 */
int fuzz_check_reply(const void *buf, size_t len, void *ctx);

/*
 * Starts the watchdog thread once. Between fuzz_watch_begin(e) and
 * fuzz_watch_end() it interrupts e after FUZZ_SQL_BUDGET_MS.
 */
#define FUZZ_SQL_BUDGET_MS 1000
void fuzz_watch_begin(struct ksqld_exec *e);
void fuzz_watch_end(void);

/*
 * Splits data into messages the way a netlink receive buffer holds them:
 * each takes nlmsg_len bytes (aligned); a header that does not fit, or
 * claims less than a header or more than what is left, makes the rest one
 * last message. Calls cb for each; stops when cb returns non-zero.
 */
void fuzz_split(const uint8_t *data, size_t size,
		int (*cb)(const void *msg, size_t len, void *ctx), void *ctx);

/*
 * Logs every daemon line (debug level): the log code formats fuzzed table
 * names and SQL too. tools/fuzz passes -close_fd_mask=3 so they cost no
 * terminal; libFuzzer keeps its own and the sanitizers' reports.
 */
void fuzz_quiet_logs(void);

#endif
