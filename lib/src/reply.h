/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * reply.h - the layout of a reassembled RESULT. Values and names point into
 * the copied chunk messages the reply owns, so nothing is copied twice.
 */
#ifndef KSQL_REPLY_H
#define KSQL_REPLY_H

#include <stddef.h>
#include <stdint.h>
#include <ksql/value.h>

struct ksql_reply {
	unsigned int ncols;
	const char **colnames;
	struct ksql_value *vals;
	size_t nvals, vals_cap;
	uint64_t changes;
	int64_t last_rowid;
	int err;
	int sqlite_code;
	const char *errmsg;
	void **chunks;
	size_t nchunks, chunks_cap;
};

#endif
