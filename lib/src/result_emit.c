// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * result_emit.c - cutting a result into RESULT chunks.
 *
 * Chunks stay under a target size so the kernel never has to allocate huge
 * skbs; rows are never split, so a row larger than the target travels alone in
 * an oversized chunk rather than being truncated.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "codec.h"

#define STR_ATTR_SIZE(n)	(MNL_ATTR_HDRLEN + MNL_ALIGN((n) + 1))

struct emitter {
	const struct ksql_chunk_cfg *cfg;
	ksql_emit_fn emit;
	void *ctx;
	char *buf;
	size_t cap;		/* bytes allocated */
	size_t limit;		/* bytes the current chunk may use */
	size_t target;
	uint32_t chunk;
	size_t rows_in_chunk;
};

static struct nlmsghdr *nlh_of(struct emitter *e)
{
	return (struct nlmsghdr *)e->buf;
}

/* Lets the current chunk grow to need bytes (an oversized row or column list). */
static int grow(struct emitter *e, size_t need)
{
	if (need > e->limit)
		e->limit = need;
	if (e->limit > e->cap) {
		char *p = realloc(e->buf, e->limit);

		if (!p)
			return -ENOMEM;
		memset(p + e->cap, 0, e->limit - e->cap);
		e->buf = p;
		e->cap = e->limit;
	}
	return 0;
}

static size_t row_size(const struct ksql_value *row, unsigned int ncols)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < ncols; i++)
		n += ksql_value_attr_size(&row[i]);
	return n;
}

/* Bytes of a chunk before its rows: header, REQ_ID, CHUNK (+ columns in chunk 0). */
static size_t head_size(const char *const *cols, unsigned int ncols, bool first)
{
	size_t need = KSQL_MSG_HDRLEN + 2 * (MNL_ATTR_HDRLEN + 8);
	unsigned int i;

	if (first) {
		need += MNL_ATTR_HDRLEN + 4;
		for (i = 0; i < ncols; i++)
			need += STR_ATTR_SIZE(strlen(cols[i]));
	}
	return need;
}

/* Bytes of the last chunk after its rows: FLAGS, CHANGES ... ERRMSG. */
static size_t trailer_size(const struct ksql_result_status *st, size_t *msglen)
{
	const char *msg = st->errmsg ? st->errmsg : "";

	*msglen = strnlen(msg, KSQL_ERRMSG_MAX);
	return (MNL_ATTR_HDRLEN + 4) * 3 + (MNL_ATTR_HDRLEN + 8) * 2 +
	       (*msglen ? STR_ATTR_SIZE(*msglen) : 0);
}

static int start_chunk(struct emitter *e, const char *const *cols, unsigned int ncols)
{
	struct ksql_msg_hdr h = e->cfg->hdr;
	struct nlmsghdr *nlh;
	size_t need = head_size(cols, ncols, e->chunk == 0);
	unsigned int i;
	int ret;

	e->limit = e->target;
	ret = grow(e, need);
	if (ret < 0)
		return ret;
	/* libmnl before 1.0.5 leaves attribute padding unset: start from zeros. */
	memset(e->buf, 0, e->cap);
	h.seq += e->chunk;
	nlh = ksql_msg_start(e->buf, e->limit, &h, KSQL_CMD_RESULT);
	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, e->cfg->req_id);
	mnl_attr_put_u32(nlh, KSQL_A_CHUNK, e->chunk);
	if (e->chunk == 0) {
		mnl_attr_put_u32(nlh, KSQL_A_NCOLS, ncols);
		for (i = 0; i < ncols; i++)
			mnl_attr_put_strz(nlh, KSQL_A_COLUMN, cols[i]);
	}
	e->rows_in_chunk = 0;
	return 0;
}

static int flush_chunk(struct emitter *e)
{
	int ret = e->emit(nlh_of(e), e->ctx);

	e->chunk++;
	return ret;
}

static int put_row(struct emitter *e, const struct ksql_value *row, unsigned int ncols)
{
	struct nlmsghdr *nlh = nlh_of(e);
	uint32_t save = nlh->nlmsg_len;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ncols && ret == 0; i++)
		ret = ksql_value_put(nlh, e->limit, &row[i]);
	if (ret < 0)
		nlh->nlmsg_len = save;
	return ret;
}

static int add_row(struct emitter *e, const struct ksql_value *row, unsigned int ncols)
{
	int ret = put_row(e, row, ncols);

	if (ret == -EMSGSIZE && e->rows_in_chunk > 0) {
		ret = flush_chunk(e);
		if (ret == 0)
			ret = start_chunk(e, NULL, 0);
		if (ret == 0)
			ret = put_row(e, row, ncols);
	}
	if (ret == -EMSGSIZE) {
		/* Alone in its chunk and still too big: this chunk exceeds the target. */
		ret = grow(e, nlh_of(e)->nlmsg_len + row_size(row, ncols));
		if (ret == 0)
			ret = put_row(e, row, ncols);
	}
	if (ret == 0)
		e->rows_in_chunk++;
	return ret;
}

static int finish(struct emitter *e, const struct ksql_result_status *st)
{
	const char *msg = st->errmsg ? st->errmsg : "";
	size_t msglen;
	size_t trailer = trailer_size(st, &msglen);
	struct nlmsghdr *nlh;
	int ret;

	if (nlh_of(e)->nlmsg_len + trailer > e->limit && e->rows_in_chunk > 0) {
		ret = flush_chunk(e);
		if (ret == 0)
			ret = start_chunk(e, NULL, 0);
		if (ret < 0)
			return ret;
	}
	ret = grow(e, nlh_of(e)->nlmsg_len + trailer);
	if (ret < 0)
		return ret;
	nlh = nlh_of(e);
	mnl_attr_put_u32(nlh, KSQL_A_FLAGS, KSQL_F_FINAL);
	mnl_attr_put_u64(nlh, KSQL_A_CHANGES, st->changes);
	mnl_attr_put_u64(nlh, KSQL_A_LAST_ROWID, (uint64_t)st->last_rowid);
	mnl_attr_put_u32(nlh, KSQL_A_ERRNO, st->err);
	mnl_attr_put_u32(nlh, KSQL_A_SQLITE_CODE, (uint32_t)st->sqlite_code);
	if (msglen) {
		/* Error messages are informational; cutting one at the limit is fine. */
		struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);

		a->nla_type = KSQL_A_ERRMSG;
		a->nla_len = (uint16_t)(MNL_ATTR_HDRLEN + msglen + 1);
		memcpy(mnl_attr_get_payload(a), msg, msglen);
		((char *)mnl_attr_get_payload(a))[msglen] = '\0';
		nlh->nlmsg_len += MNL_ALIGN(a->nla_len);
	}
	return flush_chunk(e);
}

int ksql_result_emit(const struct ksql_chunk_cfg *cfg,
		     const char *const *colnames, unsigned int ncols,
		     const struct ksql_value *vals, size_t nrows,
		     const struct ksql_result_status *st,
		     ksql_emit_fn emit, void *ctx)
{
	struct emitter e = {
		.cfg = cfg, .emit = emit, .ctx = ctx,
		.target = cfg->target ? cfg->target : KSQL_CHUNK_TARGET,
	};
	size_t r, total, msglen;
	unsigned int i;
	int ret;

	if (e.target < KSQL_MSG_HDRLEN + 64)
		e.target = KSQL_MSG_HDRLEN + 64;
	if (nrows && !ncols)
		return -EINVAL;
	for (i = 0; i < ncols; i++)
		if (strlen(colnames[i]) > KSQL_NAME_MAX)
			return -E2BIG;
	/*
	 * An answer smaller than the target gets a buffer of its own size: a
	 * point query's reply is a few hundred bytes, and zeroing a whole
	 * target-sized buffer for it (libmnl 1.0.4 leaves attribute padding
	 * unset) cost more than the query itself (docs/PERFORMANCE.md, B2).
	 */
	total = head_size(colnames, ncols, true) + trailer_size(st, &msglen);
	for (r = 0; r < nrows && total < e.target; r++)
		total += row_size(&vals[r * ncols], ncols);
	if (total < e.target)
		e.target = total;
	ret = start_chunk(&e, colnames, ncols);
	for (r = 0; r < nrows && ret == 0; r++)
		ret = add_row(&e, &vals[r * ncols], ncols);
	if (ret == 0)
		ret = finish(&e, st);
	free(e.buf);
	return ret;
}
