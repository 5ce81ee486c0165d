// SPDX-License-Identifier: LGPL-2.1-or-later
/* query.c - building and parsing KSQL_CMD_QUERY messages. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "codec.h"

size_t ksql_query_size(const char *sql, const struct ksql_value *params,
		       unsigned int nparams)
{
	size_t sqllen = strlen(sql), size;
	unsigned int i;

	if (sqllen > KSQL_SQL_MAX)
		return 0;
	size = KSQL_MSG_HDRLEN + MNL_ATTR_HDRLEN + 8 +		/* REQ_ID */
	       MNL_ATTR_HDRLEN + MNL_ALIGN(sqllen + 1) +	/* SQL */
	       MNL_ATTR_HDRLEN + 4;				/* TIMEOUT_MS */
	for (i = 0; i < nparams; i++) {
		if ((params[i].type == KSQL_TEXT || params[i].type == KSQL_BLOB) &&
		    params[i].len > KSQL_VALUE_MAX)
			return 0;
		size += ksql_value_attr_size(&params[i]);
	}
	return size;
}

int ksql_query_build(void *buf, size_t buflen, const struct ksql_msg_hdr *h,
		     uint64_t req_id, const char *sql, uint32_t timeout_ms,
		     const struct ksql_value *params, unsigned int nparams)
{
	struct nlmsghdr *nlh = ksql_msg_start(buf, buflen, h, KSQL_CMD_QUERY);
	unsigned int i;
	int ret;

	if (!nlh)
		return -EMSGSIZE;
	if (strlen(sql) > KSQL_SQL_MAX)
		return -E2BIG;
	if (!mnl_attr_put_u64_check(nlh, buflen, KSQL_A_REQ_ID, req_id) ||
	    !mnl_attr_put_strz_check(nlh, buflen, KSQL_A_SQL, sql))
		return -EMSGSIZE;
	if (timeout_ms &&
	    !mnl_attr_put_u32_check(nlh, buflen, KSQL_A_TIMEOUT_MS, timeout_ms))
		return -EMSGSIZE;
	for (i = 0; i < nparams; i++) {
		ret = ksql_value_put(nlh, buflen, &params[i]);
		if (ret < 0)
			return ret;
	}
	return 0;
}

struct query_walk {
	struct ksql_query *q;
	bool have_id, have_sql;
	unsigned int cap;
};

static int query_attr(const struct nlattr *a, void *ctx)
{
	struct query_walk *w = ctx;
	struct ksql_query *q = w->q;
	uint16_t type = mnl_attr_get_type(a);

	if (ksql_attr_is_value(type)) {
		if (q->nparams == w->cap) {
			unsigned int cap = w->cap ? w->cap * 2 : 8;
			struct ksql_value *p = realloc(q->params, cap * sizeof(*p));

			if (!p)
				return -ENOMEM;
			q->params = p;
			w->cap = cap;
		}
		return ksql_value_get(a, &q->params[q->nparams++]);
	}
	switch (type) {
	case KSQL_A_REQ_ID:
		w->have_id = true;
		return ksql_attr_u64(a, &q->req_id);
	case KSQL_A_SQL:
		w->have_sql = true;
		return ksql_attr_str(a, KSQL_SQL_MAX, &q->sql);
	case KSQL_A_TIMEOUT_MS:
		return ksql_attr_u32(a, &q->timeout_ms);
	case KSQL_A_DEADLINE_NS:
		return ksql_attr_u64(a, &q->deadline_ns);
	case KSQL_A_ORDER_KEY:
		return ksql_attr_u64(a, &q->order_key);
	case KSQL_A_TXN_ID:
		return ksql_attr_u64(a, &q->txn_id);
	case KSQL_A_TXN_IDLE_MS:
		return ksql_attr_u32(a, &q->txn_idle_ms);
	case KSQL_A_FLAGS:
		return ksql_attr_u32(a, &q->flags);
	default:
		/* PAD and attributes appended by newer senders are skipped. */
		return 0;
	}
}

int ksql_query_parse(const struct nlmsghdr *nlh, struct ksql_query *q)
{
	struct query_walk w = { .q = q };
	uint32_t verbs;
	int ret;

	memset(q, 0, sizeof(*q));
	if (ksql_msg_cmd(nlh) != KSQL_CMD_QUERY)
		return -EINVAL;
	ret = ksql_attr_walk(nlh, query_attr, &w);
	verbs = q->flags & __KSQL_F_QUERY_ALL;
	if (ret == 0 && (!w.have_id || (!w.have_sql && !verbs)))
		ret = -EINVAL;
	/* At most one verb, and no bit this side does not know. */
	if (ret == 0 && ((q->flags & ~(uint32_t)__KSQL_F_QUERY_ALL) || (verbs & (verbs - 1))))
		ret = -EINVAL;
	if (ret < 0)
		ksql_query_release(q);
	return ret;
}

void ksql_query_release(struct ksql_query *q)
{
	free(q->params);
	q->params = NULL;
	q->nparams = 0;
}
