/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rows.h - one statement's complete result held in memory: column names,
 * typed values (text and blobs copied out of SQLite into an arena) and the
 * final status. It is collected whole before anything is sent so that an
 * error half-way (a value over the limit, a constraint) turns the whole
 * result into an error instead of a truncated one.
 */
#ifndef KSQLD_ROWS_H
#define KSQLD_ROWS_H

#include <stddef.h>
#include "codec.h"

/* Results above this many bytes of values are refused with E2BIG. */
#define KSQLD_RESULT_MAX_BYTES	(64u << 20)

struct ksqld_arena_block;

struct ksqld_rows {
	unsigned int ncols;
	char **colnames;
	struct ksql_value *vals;
	size_t nvals, cap, nrows;
	size_t bytes;
	struct ksqld_arena_block *arena;
	struct ksql_result_status st;
	char errmsg[KSQL_ERRMSG_MAX + 1];
};

void ksqld_rows_init(struct ksqld_rows *r);
void ksqld_rows_release(struct ksqld_rows *r);
int ksqld_rows_set_columns(struct ksqld_rows *r, unsigned int ncols);
int ksqld_rows_set_colname(struct ksqld_rows *r, unsigned int col, const char *name);
/* Appends one value; text and blob bytes are copied. -ENOMEM or -E2BIG (cap). */
int ksqld_rows_add(struct ksqld_rows *r, const struct ksql_value *v);
/* Drops all rows and columns and records an error status. */
void ksqld_rows_fail(struct ksqld_rows *r, int err, int sqlite_code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
