/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * exec.h - the SQLite executor: one connection, a statement cache, and
 * ksql's rules for running one statement with typed parameters.
 */
#ifndef KSQLD_EXEC_H
#define KSQLD_EXEC_H

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

int ksqld_exec_run(struct ksqld_exec *e, const char *sql,
		   const struct ksql_value *params, unsigned int nparams,
		   struct ksqld_rows *out);

#endif
