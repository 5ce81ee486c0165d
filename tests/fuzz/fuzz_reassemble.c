// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz_reassemble.c - shared by fuzz_reasm and fuzz_ksqlctl: libksql's
 * RESULT reassembly (lib/src/result_reasm.c), what ksqlctl does with the
 * chunks ksqld sends. The input is a sequence of RESULT messages for
 * request FUZZ_REQ_ID (fuzz_split); once the final chunk is in, the reply's
 * accessors must agree with each other.
 */
#include <stdlib.h>
#include <string.h>
#include <ksql/client.h>
#include "codec.h"
#include "fuzz_common.h"
#include "fuzz_reassemble.h"

struct feed {
	struct ksql_reasm *r;
	int ret;
};

static int feed_one(const void *msg, size_t len, void *ctx)
{
	struct feed *f = ctx;

	f->ret = ksql_reasm_feed(f->r, msg, len);
	return f->ret != 0;
}

struct ksql_reply *fuzz_reassemble(const uint8_t *data, size_t size)
{
	struct feed f = { 0 };
	struct ksql_reply *rep;
	unsigned int rows, cols, row, c;
	volatile char sink;

	if (ksql_reasm_new(FUZZ_REQ_ID, &f.r) < 0)
		abort();
	fuzz_split(data, size, feed_one, &f);
	rep = ksql_reasm_take(f.r);
	if ((f.ret == 1) != (rep != NULL))
		abort();
	ksql_reasm_free(f.r);
	if (!rep)
		return NULL;
	rows = ksql_reply_rows(rep);
	cols = ksql_reply_cols(rep);
	for (c = 0; c < cols; c++) {
		const char *name = ksql_reply_colname(rep, c);

		if (!name)
			abort();
		sink = name[strlen(name)];
	}
	for (row = 0; row < rows; row++)
		for (c = 0; c < cols; c++) {
			const struct ksql_value *v = ksql_reply_value(rep, row, c);

			if (!v)
				abort();
			if ((v->type == KSQL_TEXT || v->type == KSQL_BLOB) && v->len)
				sink = ((const char *)v->blob)[v->len - 1];
		}
	if (ksql_reply_value(rep, rows, 0) || ksql_reply_colname(rep, cols) || !ksql_reply_errmsg(rep))
		abort();
	sink = ksql_reply_errmsg(rep)[strlen(ksql_reply_errmsg(rep))];
	(void)sink;
	return rep;
}
