// SPDX-License-Identifier: GPL-2.0
/*
 * result.c - reassembly of RESULT chunks, and the ksql_result_* accessors.
 *
 * A result is a row-major array of struct ksql_value plus blocks holding the
 * copied column names, TEXT and BLOB bytes. A block never moves once
 * allocated (one per chunk), so value pointers stay valid while the value
 * array grows. TEXT values are NUL-terminated in memory (len excludes the
 * NUL) as a convenience for callers.
 *
 * Protocol errors in a RESULT for a pending request (chunk out of order,
 * columns or value count not matching NCOLS, bad lengths) fail that request
 * with -EPROTO at once, reject the message with -EPROTO and an extack
 * message, count it as KSQL_STAT_REJECTED and tell the daemon to CANCEL.
 * Later chunks of that request then count as KSQL_STAT_LATE.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "compat.h"
#include "ksql_internal.h"
#include "ksql_trace.h"

static struct kmem_cache *ksql_result_cache;

int ksql_result_cache_init(void)
{
	ksql_result_cache = KMEM_CACHE(ksql_result, 0);
	return ksql_result_cache ? 0 : -ENOMEM;
}

void ksql_result_cache_exit(void)
{
	kmem_cache_destroy(ksql_result_cache);
}

struct ksql_result *ksql_result_alloc(gfp_t gfp)
{
	return kmem_cache_zalloc(ksql_result_cache, gfp);
}

/* What one chunk adds, counted before anything is allocated. */
struct ksql_chunk_scan {
	unsigned int ncolattrs;
	size_t nvals;
	size_t bytes;		/* names + TEXT/BLOB bytes, with NULs */
};

static int ksql_errno_clamp(u32 e)
{
	switch (e) {
	case 0:
	case EINVAL: case EBUSY: case ENOSPC: case EIO: case EPERM:
	case EACCES: case ENOENT: case ENOMEM: case E2BIG: case EROFS:
	case EEXIST: case ERANGE: case ETIMEDOUT: case EINTR: case ECANCELED:
	case EPROTO: case ENOTCONN:
		return -(int)e;
	default:
		return -EIO;
	}
}

static int ksql_chunk_scan(struct genl_info *info, u32 chunk,
			   struct ksql_chunk_scan *sc)
{
	struct nlattr *head = nlmsg_attrdata(info->nlhdr, GENL_HDRLEN);
	int len = nlmsg_attrlen(info->nlhdr, GENL_HDRLEN);
	const struct nlattr *nla;
	size_t slen;
	int rem;

	memset(sc, 0, sizeof(*sc));
	nla_for_each_attr(nla, head, len, rem) {
		int alen = nla_len(nla);

		switch (nla_type(nla)) {
		case KSQL_A_COLUMN:
			if (chunk != 0) {
				NL_SET_ERR_MSG_ATTR(info->extack, nla,
						    "COLUMN outside chunk 0");
				return -EPROTO;
			}
			slen = alen > 0 ? strnlen(nla_data(nla), alen) : 0;
			if (alen <= 0 || slen >= alen || slen > KSQL_NAME_MAX) {
				NL_SET_ERR_MSG_ATTR(info->extack, nla,
						    "bad COLUMN");
				return -EPROTO;
			}
			sc->ncolattrs++;
			sc->bytes += slen + 1;
			break;
		case KSQL_A_VAL_NULL:
			if (alen != 0)
				goto bad_val;
			sc->nvals++;
			break;
		case KSQL_A_VAL_INT:
		case KSQL_A_VAL_REAL:
			if (alen != sizeof(u64))
				goto bad_val;
			sc->nvals++;
			break;
		case KSQL_A_VAL_TEXT:
			if (alen < 0 || alen > KSQL_VALUE_MAX)
				goto bad_val;
			sc->bytes += alen + 1;
			sc->nvals++;
			break;
		case KSQL_A_VAL_BLOB:
			if (alen < 0 || alen > KSQL_VALUE_MAX)
				goto bad_val;
			sc->bytes += alen;
			sc->nvals++;
			break;
		default:
			/* single attributes: validated by the policy */
			break;
		}
	}
	return 0;

bad_val:
	NL_SET_ERR_MSG_ATTR(info->extack, nla, "bad value length");
	return -EPROTO;
}

/* Copy the chunk's columns and values; space was reserved by the caller. */
static void ksql_chunk_fill(struct ksql_result *r, struct genl_info *info,
			    char *p, unsigned int *col)
{
	struct nlattr *head = nlmsg_attrdata(info->nlhdr, GENL_HDRLEN);
	int len = nlmsg_attrlen(info->nlhdr, GENL_HDRLEN);
	const struct nlattr *nla;
	struct ksql_value *v;
	size_t n;
	int rem;

	nla_for_each_attr(nla, head, len, rem) {
		int type = nla_type(nla);

		switch (type) {
		case KSQL_A_COLUMN:
			n = strnlen(nla_data(nla), nla_len(nla));
			memcpy(p, nla_data(nla), n);
			p[n] = '\0';
			r->colnames[(*col)++] = p;
			p += n + 1;
			continue;
		case KSQL_A_VAL_NULL:
		case KSQL_A_VAL_INT:
		case KSQL_A_VAL_REAL:
		case KSQL_A_VAL_TEXT:
		case KSQL_A_VAL_BLOB:
			break;
		default:
			continue;
		}

		v = &r->vals[r->nvals++];
		memset(v, 0, sizeof(*v));
		v->type = type - KSQL_A_VAL_NULL;
		switch (type) {
		case KSQL_A_VAL_INT:
			v->i = nla_get_s64(nla);
			break;
		case KSQL_A_VAL_REAL:
			v->real = nla_get_u64(nla);
			break;
		case KSQL_A_VAL_TEXT:
			v->len = nla_len(nla);
			memcpy(p, nla_data(nla), v->len);
			p[v->len] = '\0';
			v->text = p;
			p += v->len + 1;
			break;
		case KSQL_A_VAL_BLOB:
			v->len = nla_len(nla);
			memcpy(p, nla_data(nla), v->len);
			v->blob = p;
			p += v->len;
			break;
		}
	}
}

static int ksql_result_reserve(struct ksql_result *r, size_t nvals)
{
	size_t need, cap;
	void *vals;

	if (check_add_overflow(r->nvals, nvals, &need))
		return -ENOMEM;
	if (need <= r->cap_vals)
		return 0;
	cap = max(need, r->cap_vals * 2);
	cap = max_t(size_t, cap, 16);
	vals = ksql_kvrealloc(r->vals, r->cap_vals * sizeof(*r->vals),
			      array_size(cap, sizeof(*r->vals)), GFP_KERNEL);
	if (!vals)
		return -ENOMEM;
	r->vals = vals;
	r->cap_vals = cap;
	return 0;
}

/*
 * The module-wide budget of result memory being received (the
 * KSQL_STAT_RESULT_BYTES gauge): without it a daemon answering every one of
 * max_in_flight requests with max_result_bytes and no FINAL would pin their
 * product. A result leaves the budget when it is handed to its caller.
 */
static bool ksql_result_charge(struct ksql_result *r, size_t bytes)
{
	u64 budget = READ_ONCE(ksql_result_budget_bytes);

	if (ksql_stat_add(KSQL_STAT_RESULT_BYTES, bytes) > budget) {
		ksql_stat_add(KSQL_STAT_RESULT_BYTES, -(s64)bytes);
		return false;
	}
	r->charged += bytes;
	return true;
}

static void ksql_result_uncharge(struct ksql_result *r)
{
	if (r->charged)
		ksql_stat_add(KSQL_STAT_RESULT_BYTES, -(s64)r->charged);
	r->charged = 0;
}

/* Fail @req with @err from the RESULT path. */
static void ksql_result_fail(struct ksql_req *req, int err)
{
	if (ksql_req_complete(req, err, NULL)) {
		ksql_nl_send_cancel(req, KSQL_CANCEL_ERROR);
	} else {
		ksql_stat_inc(KSQL_STAT_LATE);
		trace_ksql_late(req->id);
	}
}

/**
 * ksql_result_add_chunk() - add one RESULT message to a pending request
 * @req: the request, referenced by the caller
 * @info: the RESULT message, from the registered daemon, policy-validated
 *
 * Completes @req on the final chunk, on a protocol error (-EPROTO), when the
 * result exceeds max_result_bytes (-E2BIG) or on allocation failure.
 *
 * Return: 0, or a negative errno for the netlink ack.
 */
int ksql_result_add_chunk(struct ksql_req *req, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	u32 chunk = nla_get_u32(attrs[KSQL_A_CHUNK]);
	u32 flags = attrs[KSQL_A_FLAGS] ? nla_get_u32(attrs[KSQL_A_FLAGS]) : 0;
	struct ksql_rblock *blk = NULL;
	struct ksql_chunk_scan sc;
	struct ksql_result *r;
	unsigned int col = 0;
	size_t bytes, errlen = 0;
	const char *errmsg = NULL;
	int ret, err = 0;

	mutex_lock(&req->lock);
	if (test_bit(KSQL_REQ_DONE, &req->flags)) {
		ksql_stat_inc(KSQL_STAT_LATE);
		trace_ksql_late(req->id);
		ret = 0;
		goto out_unlock;
	}
	if (chunk != req->next_chunk) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[KSQL_A_CHUNK],
				    "chunk out of order");
		ret = -EPROTO;
		goto proto;
	}
	ret = ksql_chunk_scan(info, chunk, &sc);
	if (ret)
		goto proto;

	if (!req->res) {
		req->res = ksql_result_alloc(GFP_KERNEL);
		if (!req->res) {
			ret = -ENOMEM;
			ksql_result_fail(req, ret);
			goto out_unlock;
		}
	}
	r = req->res;

	if (chunk == 0) {
		u32 ncols = attrs[KSQL_A_NCOLS] ?
			    nla_get_u32(attrs[KSQL_A_NCOLS]) : 0;

		if (sc.ncolattrs != ncols) {
			NL_SET_ERR_MSG(info->extack,
				       "COLUMN count differs from NCOLS");
			ret = -EPROTO;
			goto proto;
		}
		r->ncols = ncols;
	} else if (attrs[KSQL_A_NCOLS] &&
		   nla_get_u32(attrs[KSQL_A_NCOLS]) != r->ncols) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[KSQL_A_NCOLS],
				    "NCOLS changed after chunk 0");
		ret = -EPROTO;
		goto proto;
	}
	if (r->ncols ? sc.nvals % r->ncols : sc.nvals) {
		NL_SET_ERR_MSG(info->extack,
			       "value count is not a multiple of NCOLS");
		ret = -EPROTO;
		goto proto;
	}

	if (flags & KSQL_F_FINAL && attrs[KSQL_A_ERRMSG]) {
		errmsg = nla_data(attrs[KSQL_A_ERRMSG]);
		errlen = strnlen(errmsg, nla_len(attrs[KSQL_A_ERRMSG]));
	}

	/* account everything this chunk adds before allocating it */
	bytes = sc.bytes + errlen + 1 + sc.nvals * sizeof(struct ksql_value);
	if (chunk == 0)
		bytes += sc.ncolattrs * sizeof(char *);
	if (r->bytes + bytes > READ_ONCE(ksql_max_result_bytes)) {
		ksql_stat_inc(KSQL_STAT_TOO_BIG);
		ksql_result_fail(req, -E2BIG);
		ret = 0;
		goto out_unlock;
	}
	if (!ksql_result_charge(r, bytes)) {
		ksql_stat_inc(KSQL_STAT_OVER_BUDGET);
		ksql_result_fail(req, -ENOMEM);
		ret = 0;
		goto out_unlock;
	}

	if (sc.bytes) {
		blk = kvmalloc(struct_size(blk, data, sc.bytes), GFP_KERNEL);
		if (!blk)
			goto nomem;
		blk->size = sc.bytes;
	}
	if (chunk == 0 && r->ncols) {
		r->colnames = kvmalloc_array(r->ncols, sizeof(char *),
					     GFP_KERNEL);
		if (!r->colnames)
			goto nomem;
	}
	if (ksql_result_reserve(r, sc.nvals))
		goto nomem;
	if (errlen) {
		r->errmsg = kmemdup_nul(errmsg, errlen, GFP_KERNEL);
		if (!r->errmsg)
			goto nomem;
	}

	ksql_chunk_fill(r, info, blk ? blk->data : NULL, &col);
	if (blk) {
		blk->next = r->blocks;
		r->blocks = blk;
	}
	if (r->ncols)
		r->nrows += sc.nvals / r->ncols;
	r->bytes += bytes;
	req->next_chunk++;

	if (flags & KSQL_F_FINAL) {
		if (attrs[KSQL_A_CHANGES])
			r->changes = nla_get_u64(attrs[KSQL_A_CHANGES]);
		if (attrs[KSQL_A_LAST_ROWID])
			r->last_rowid = nla_get_s64(attrs[KSQL_A_LAST_ROWID]);
		if (attrs[KSQL_A_SQLITE_CODE])
			r->errcode = nla_get_s32(attrs[KSQL_A_SQLITE_CODE]);
		if (attrs[KSQL_A_ERRNO])
			err = ksql_errno_clamp(nla_get_u32(attrs[KSQL_A_ERRNO]));
		/* the caller's memory now, no longer the daemon's doing */
		ksql_result_uncharge(r);
		req->res = NULL;
		if (ksql_req_complete(req, err, r)) {
			ksql_stat_inc(KSQL_STAT_COMPLETED);
		} else {
			req->res = r;
			ksql_stat_inc(KSQL_STAT_LATE);
			trace_ksql_late(req->id);
		}
	}
	ret = 0;
	goto out_unlock;

nomem:
	kvfree(blk);
	ret = -ENOMEM;
	ksql_result_fail(req, ret);
	goto out_unlock;
proto:
	ksql_reject(info);
	ksql_result_fail(req, -EPROTO);
out_unlock:
	mutex_unlock(&req->lock);
	return ret;
}

/**
 * ksql_result_rows() - number of rows in a result
 * @r: result, may be NULL
 *
 * Return: the row count, 0 for NULL.
 */
unsigned int ksql_result_rows(const struct ksql_result *r)
{
	return r ? r->nrows : 0;
}
EXPORT_SYMBOL_GPL(ksql_result_rows);

/**
 * ksql_result_cols() - number of columns in a result
 * @r: result, may be NULL
 *
 * Return: the column count, 0 for NULL.
 */
unsigned int ksql_result_cols(const struct ksql_result *r)
{
	return r ? r->ncols : 0;
}
EXPORT_SYMBOL_GPL(ksql_result_cols);

/**
 * ksql_result_colname() - name of a result column
 * @r: result, may be NULL
 * @col: column index, from 0
 *
 * Return: the NUL-terminated name, valid until ksql_result_free(), or NULL
 * if @col is out of range.
 */
const char *ksql_result_colname(const struct ksql_result *r, unsigned int col)
{
	if (!r || col >= r->ncols)
		return NULL;
	return r->colnames[col];
}
EXPORT_SYMBOL_GPL(ksql_result_colname);

/**
 * ksql_result_value() - one cell of a result
 * @r: result, may be NULL
 * @row: row index, from 0
 * @col: column index, from 0
 *
 * TEXT values are NUL-terminated in memory (->len excludes the NUL). The
 * value and its bytes stay valid until ksql_result_free().
 *
 * Return: the value, or NULL if @row or @col is out of range.
 */
const struct ksql_value *ksql_result_value(const struct ksql_result *r,
					   unsigned int row, unsigned int col)
{
	if (!r || row >= r->nrows || col >= r->ncols)
		return NULL;
	return &r->vals[(size_t)row * r->ncols + col];
}
EXPORT_SYMBOL_GPL(ksql_result_value);

/**
 * ksql_result_changes() - rows changed by the statement
 * @r: result, may be NULL
 *
 * Return: sqlite3_changes64() of the statement, 0 for NULL.
 */
u64 ksql_result_changes(const struct ksql_result *r)
{
	return r ? r->changes : 0;
}
EXPORT_SYMBOL_GPL(ksql_result_changes);

/**
 * ksql_result_last_rowid() - rowid of the last inserted row
 * @r: result, may be NULL
 *
 * Return: sqlite3_last_insert_rowid() after the statement, 0 for NULL.
 */
s64 ksql_result_last_rowid(const struct ksql_result *r)
{
	return r ? r->last_rowid : 0;
}
EXPORT_SYMBOL_GPL(ksql_result_last_rowid);

/**
 * ksql_result_errcode() - SQLite's result code for the statement
 * @r: result, may be NULL
 *
 * Return: SQLite's extended result code, 0 if none.
 */
int ksql_result_errcode(const struct ksql_result *r)
{
	return r ? r->errcode : 0;
}
EXPORT_SYMBOL_GPL(ksql_result_errcode);

/**
 * ksql_result_errmsg() - SQLite's error message for the statement
 * @r: result, may be NULL
 *
 * Return: the message, never NULL: "" when there is none.
 */
const char *ksql_result_errmsg(const struct ksql_result *r)
{
	return r && r->errmsg ? r->errmsg : "";
}
EXPORT_SYMBOL_GPL(ksql_result_errmsg);

/**
 * ksql_result_free() - free a result
 * @r: result, may be NULL
 *
 * Sleeps (may vfree). Every pointer obtained from @r becomes invalid.
 */
void ksql_result_free(struct ksql_result *r)
{
	struct ksql_rblock *blk, *next;

	if (!r)
		return;
	ksql_result_uncharge(r);
	for (blk = r->blocks; blk; blk = next) {
		next = blk->next;
		kvfree(blk);
	}
	kvfree(r->vals);
	kvfree(r->colnames);
	kfree(r->errmsg);
	kmem_cache_free(ksql_result_cache, r);
}
EXPORT_SYMBOL_GPL(ksql_result_free);
