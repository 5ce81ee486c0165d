// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz_codec.c - libksql's value codec and QUERY parser (lib/src/value.c,
 * query.c, msg.c) on one message: every value attribute must decode, encode
 * and decode again to the same value; a QUERY that parses must rebuild
 * (ksql_query_build) and parse again to the same SQL and parameters.
 */
#include <stdlib.h>
#include <string.h>
#include "codec.h"

static void same_value(const struct ksql_value *a, const struct ksql_value *b)
{
	if (a->type != b->type)
		abort();
	switch (a->type) {
	case KSQL_INT:
		if (a->i != b->i)
			abort();
		break;
	case KSQL_REAL:
		if (a->real != b->real)
			abort();
		break;
	case KSQL_TEXT:
	case KSQL_BLOB:
		if (a->len != b->len || (a->len && memcmp(a->blob, b->blob, a->len)))
			abort();
		break;
	default:
		break;
	}
}

static char scratch[KSQL_MSG_HDRLEN + MNL_ATTR_HDRLEN + 65536 + 16];

static int value_attr(const struct nlattr *a, void *ctx)
{
	struct ksql_msg_hdr h = { .type = KSQL_CTL_MSG_TYPE };
	struct nlmsghdr *nlh;
	struct ksql_value v, w;

	if (!ksql_attr_is_value(mnl_attr_get_type(a)) || ksql_value_get(a, &v) < 0)
		return 0;
	nlh = ksql_msg_start(scratch, sizeof(scratch), &h, KSQL_CMD_RESULT);
	if (!nlh || ksql_value_put(nlh, sizeof(scratch), &v) < 0)
		abort();
	if (ksql_value_get((const struct nlattr *)((char *)nlh + KSQL_MSG_HDRLEN), &w) < 0)
		abort();
	same_value(&v, &w);
	return 0;
}

static void roundtrip(const struct ksql_query *q)
{
	struct ksql_msg_hdr h = { .type = KSQL_CTL_MSG_TYPE, .flags = NLM_F_REQUEST };
	struct ksql_query r;
	const struct nlmsghdr *nlh;
	size_t size = ksql_query_size(q->sql, q->params, q->nparams);
	unsigned int i;
	char *buf;

	if (!size)
		abort();	/* it parsed, so it is within the limits */
	buf = calloc(1, size);
	if (!buf)
		abort();
	if (ksql_query_build(buf, size, &h, q->req_id, q->sql, q->timeout_ms,
			     q->params, q->nparams) < 0 ||
	    ksql_msg_check(buf, ((struct nlmsghdr *)buf)->nlmsg_len, &nlh) < 0 ||
	    ksql_query_parse(nlh, &r) < 0)
		abort();
	if (r.req_id != q->req_id || strcmp(r.sql, q->sql) || r.timeout_ms != q->timeout_ms ||
	    r.nparams != q->nparams)
		abort();
	for (i = 0; i < q->nparams; i++)
		same_value(&q->params[i], &r.params[i]);
	ksql_query_release(&r);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct nlmsghdr *nlh;
	struct ksql_query q;
	void *copy = malloc(size ? size : 1);

	if (!copy)
		abort();
	memcpy(copy, data, size);
	if (ksql_msg_check(copy, size, &nlh) == 0) {
		ksql_attr_walk(nlh, value_attr, NULL);
		if (ksql_query_parse(nlh, &q) == 0) {
			if (q.sql)
				roundtrip(&q);
			ksql_query_release(&q);
		}
	}
	free(copy);
	return 0;
}
