// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * result_reasm.c - putting RESULT chunks back together, checking every rule of
 * proto/ksql_genl.h on the way: request id, chunk order, column count,
 * whole rows per chunk, status attributes on the final chunk only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <ksql/client.h>
#include "codec.h"
#include "reply.h"

#define NCOLS_MAX	65535U	/* far above SQLite's own column limit */
#define ERRNO_MAX	4095U

struct ksql_reasm {
	uint64_t req_id;
	uint32_t next_chunk;
	int state;		/* 0 collecting, 1 complete, <0 failed */
	unsigned int ncols_named;
	struct ksql_reply *reply;
};

struct chunk_walk {
	struct ksql_reasm *r;
	bool have_id, have_chunk, have_ncols, final;
	bool have_status;
	uint32_t chunk;
	size_t vals;
};

int ksql_reasm_new(uint64_t req_id, struct ksql_reasm **out)
{
	struct ksql_reasm *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->req_id = req_id;
	r->reply = calloc(1, sizeof(*r->reply));
	if (!r->reply) {
		free(r);
		return -ENOMEM;
	}
	r->reply->errmsg = "";
	*out = r;
	return 0;
}

static int push_value(struct ksql_reply *rep, const struct nlattr *a)
{
	if (rep->nvals == rep->vals_cap) {
		size_t cap = rep->vals_cap ? rep->vals_cap * 2 : 64;
		struct ksql_value *v = realloc(rep->vals, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		rep->vals = v;
		rep->vals_cap = cap;
	}
	return ksql_value_get(a, &rep->vals[rep->nvals++]);
}

static int chunk_attr(const struct nlattr *a, void *ctx)
{
	struct chunk_walk *w = ctx;
	struct ksql_reasm *r = w->r;
	struct ksql_reply *rep = r->reply;
	uint16_t type = mnl_attr_get_type(a);
	uint64_t u64;
	uint32_t u32;
	int ret;

	if (ksql_attr_is_value(type)) {
		/* Rows may only follow the column list. */
		if (!w->have_chunk || r->ncols_named != rep->ncols)
			return -EPROTO;
		w->vals++;
		return push_value(rep, a);
	}
	switch (type) {
	case KSQL_A_REQ_ID:
		if (w->have_id || ksql_attr_u64(a, &u64) < 0)
			return -EINVAL;
		if (u64 != r->req_id)
			return -EPROTO;
		w->have_id = true;
		return 0;
	case KSQL_A_CHUNK:
		if (w->have_chunk || ksql_attr_u32(a, &w->chunk) < 0)
			return -EINVAL;
		if (w->chunk != r->next_chunk)
			return -EPROTO;
		w->have_chunk = true;
		return 0;
	case KSQL_A_NCOLS:
		if (w->have_ncols || !w->have_chunk || w->chunk != 0 ||
		    ksql_attr_u32(a, &u32) < 0 || u32 > NCOLS_MAX)
			return w->have_chunk && w->chunk != 0 ? -EPROTO : -EINVAL;
		rep->ncols = u32;
		rep->colnames = calloc(u32 ? u32 : 1, sizeof(*rep->colnames));
		if (!rep->colnames)
			return -ENOMEM;
		w->have_ncols = true;
		return 0;
	case KSQL_A_COLUMN:
		if (!w->have_ncols || r->ncols_named >= rep->ncols)
			return -EPROTO;
		ret = ksql_attr_str(a, KSQL_NAME_MAX, &rep->colnames[r->ncols_named]);
		if (ret < 0)
			return ret;
		r->ncols_named++;
		return 0;
	case KSQL_A_FLAGS:
		if (ksql_attr_u32(a, &u32) < 0 || (u32 & ~(uint32_t)__KSQL_F_ALL))
			return -EINVAL;
		w->final = u32 & KSQL_F_FINAL;
		return 0;
	case KSQL_A_CHANGES:
		w->have_status = true;
		return ksql_attr_u64(a, &rep->changes);
	case KSQL_A_LAST_ROWID:
		w->have_status = true;
		if (ksql_attr_u64(a, &u64) < 0)
			return -EINVAL;
		rep->last_rowid = (int64_t)u64;
		return 0;
	case KSQL_A_ERRNO:
		w->have_status = true;
		if (ksql_attr_u32(a, &u32) < 0 || u32 > ERRNO_MAX)
			return -EINVAL;
		rep->err = (int)u32;
		return 0;
	case KSQL_A_SQLITE_CODE:
		w->have_status = true;
		if (ksql_attr_u32(a, &u32) < 0)
			return -EINVAL;
		rep->sqlite_code = (int32_t)u32;
		return 0;
	case KSQL_A_ERRMSG:
		w->have_status = true;
		return ksql_attr_str(a, KSQL_ERRMSG_MAX, &rep->errmsg);
	default:
		return 0;	/* PAD, or appended by a newer daemon */
	}
}

static int feed(struct ksql_reasm *r, const void *buf, size_t len)
{
	struct ksql_reply *rep = r->reply;
	struct chunk_walk w = { .r = r };
	const struct nlmsghdr *nlh;
	void *copy;
	int ret;

	ret = ksql_msg_check(buf, len, &nlh);
	if (ret < 0)
		return ret;
	if (ksql_msg_cmd(nlh) != KSQL_CMD_RESULT)
		return -EPROTO;
	if (rep->nchunks == rep->chunks_cap) {
		size_t cap = rep->chunks_cap ? rep->chunks_cap * 2 : 8;
		void **c = realloc(rep->chunks, cap * sizeof(*c));

		if (!c)
			return -ENOMEM;
		rep->chunks = c;
		rep->chunks_cap = cap;
	}
	copy = malloc(nlh->nlmsg_len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, nlh, nlh->nlmsg_len);
	rep->chunks[rep->nchunks++] = copy;

	ret = ksql_attr_walk(copy, chunk_attr, &w);
	if (ret < 0)
		return ret;
	if (!w.have_id || !w.have_chunk)
		return -EINVAL;
	if (w.chunk == 0 && (!w.have_ncols || r->ncols_named != rep->ncols))
		return -EPROTO;
	if (rep->ncols ? w.vals % rep->ncols : w.vals)
		return -EPROTO;
	if (w.have_status && !w.final)
		return -EPROTO;
	r->next_chunk++;
	return w.final ? 1 : 0;
}

int ksql_reasm_feed(struct ksql_reasm *r, const void *buf, size_t len)
{
	if (r->state != 0)
		return r->state < 0 ? r->state : -EPROTO;
	r->state = feed(r, buf, len);
	return r->state;
}

struct ksql_reply *ksql_reasm_take(struct ksql_reasm *r)
{
	struct ksql_reply *rep;

	if (r->state != 1)
		return NULL;
	rep = r->reply;
	r->reply = NULL;
	return rep;
}

void ksql_reasm_free(struct ksql_reasm *r)
{
	if (!r)
		return;
	ksql_reply_free(r->reply);
	free(r);
}
