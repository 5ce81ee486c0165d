/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * exec.h - the SQLite executor: one connection, a statement cache, and
 * ksql's rules for running one statement with typed parameters.
 */
#ifndef KSQLD_EXEC_H
#define KSQLD_EXEC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rows.h"

struct ksqld_exec;

/*
 * Opens path read-write (created if missing, WAL mode) or read-only. On
 * failure returns -errno and puts a sentence into err.
 */
int ksqld_exec_open(const char *path, bool readonly, struct ksqld_exec **out,
		    char *err, size_t errlen);
void ksqld_exec_close(struct ksqld_exec *e);
/*
 * PRAGMA synchronous=FULL instead of NORMAL on writers: those opened from
 * now on, and open ones at their next ksqld_exec_apply_synchronous(). Any
 * thread.
 */
void ksqld_exec_set_synchronous_full(bool full);
/*
 * On e's own thread, between jobs: a writer outside a transaction switches
 * to the level last set (logged); otherwise nothing happens.
 */
void ksqld_exec_apply_synchronous(struct ksqld_exec *e);
struct ksqld_logsink;
/* The writer's LOG sink (made on first use; NULL read-only or out of memory). */
struct ksqld_logsink *ksqld_exec_logsink(struct ksqld_exec *e);

/*
 * Runs one statement. Always fills out (init'ed by the caller): rows and
 * status, or an error status (errno, SQLite code, message). Returns 0, or
 * -ENOMEM when not even the error could be recorded.
 */
/*
 * Limits the next runs to timeout_ms (0 = no limit): the kernel caller stops
 * waiting after its timeout, so work past it is wasted and holds the database.
 * An overrun statement is interrupted and answered with ETIMEDOUT.
 */
void ksqld_exec_set_timeout(struct ksqld_exec *e, uint32_t timeout_ms);
/*
 * Limits the next runs to the absolute CLOCK_MONOTONIC deadline_ns (0: use
 * timeout_ms from the start of each run; both 0: no limit). timeout_ms also
 * names the limit in the error message. A run also stops, with ECANCELED,
 * once *cancel turns true (cancel may be NULL).
 */
void ksqld_exec_set_limits(struct ksqld_exec *e, uint64_t deadline_ns, uint32_t timeout_ms,
			   const atomic_bool *cancel);
/*
 * sqlite3_interrupt(): safe from another thread while the connection is
 * open. The caller makes sure it stays open meanwhile.
 */
void ksqld_exec_interrupt(struct ksqld_exec *e);
/*
 * For shutdown: interrupts the running statement, also one about to start,
 * and makes every later run stop at its first progress check (SQLITE_INTERRUPT).
 * Thread-safe like ksqld_exec_interrupt(); there is no undo.
 */
void ksqld_exec_halt(struct ksqld_exec *e);

enum ksqld_exec_stop {
	KSQLD_EXEC_RAN,		/* the last run was not stopped */
	KSQLD_EXEC_DEADLINE,	/* interrupted at its deadline (ETIMEDOUT) */
	KSQLD_EXEC_CANCELLED,	/* interrupted by a cancel (ECANCELED) */
};
enum ksqld_exec_stop ksqld_exec_last_stop(const struct ksqld_exec *e);
/* Forgets the last run's stop reason (before a job that may run nothing). */
void ksqld_exec_clear_stop(struct ksqld_exec *e);
/* True while the connection is inside a transaction (not autocommit). */
bool ksqld_exec_in_txn(const struct ksqld_exec *e);
/*
 * Prepares sql (cached) and tells whether it only reads: 1 read-only, 0
 * writes (or is transaction control), or -EINVAL with the error in out.
 */
int ksqld_exec_classify(struct ksqld_exec *e, const char *sql, struct ksqld_rows *out);

int ksqld_exec_run(struct ksqld_exec *e, const char *sql,
		   const struct ksql_value *params, unsigned int nparams,
		   struct ksqld_rows *out);

#endif
