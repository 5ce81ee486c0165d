// SPDX-License-Identifier: LGPL-2.1-or-later
/* reply.c - read access to a reassembled result (public API of ksql/client.h). */
#include <limits.h>
#include <stdlib.h>
#include <ksql/client.h>
#include "export.h"
#include "reply.h"

KSQL_EXPORT unsigned int ksql_reply_rows(const struct ksql_reply *r)
{
	size_t rows = r->ncols ? r->nvals / r->ncols : 0;

	return rows > UINT_MAX ? UINT_MAX : (unsigned int)rows;
}

KSQL_EXPORT unsigned int ksql_reply_cols(const struct ksql_reply *r)
{
	return r->ncols;
}

KSQL_EXPORT const char *ksql_reply_colname(const struct ksql_reply *r, unsigned int col)
{
	return col < r->ncols ? r->colnames[col] : NULL;
}

KSQL_EXPORT const struct ksql_value *ksql_reply_value(const struct ksql_reply *r,
						      unsigned int row, unsigned int col)
{
	if (col >= r->ncols || row >= ksql_reply_rows(r))
		return NULL;
	return &r->vals[(size_t)row * r->ncols + col];
}

KSQL_EXPORT uint64_t ksql_reply_changes(const struct ksql_reply *r)
{
	return r->changes;
}

KSQL_EXPORT int64_t ksql_reply_last_rowid(const struct ksql_reply *r)
{
	return r->last_rowid;
}

KSQL_EXPORT int ksql_reply_errno(const struct ksql_reply *r)
{
	return r->err;
}

KSQL_EXPORT int ksql_reply_sqlite_code(const struct ksql_reply *r)
{
	return r->sqlite_code;
}

KSQL_EXPORT const char *ksql_reply_errmsg(const struct ksql_reply *r)
{
	return r->errmsg ? r->errmsg : "";
}

KSQL_EXPORT void ksql_reply_free(struct ksql_reply *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nchunks; i++)
		free(r->chunks[i]);
	free(r->chunks);
	free(r->colnames);
	free(r->vals);
	free(r);
}
