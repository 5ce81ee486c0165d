// SPDX-License-Identifier: GPL-2.0-only
/* check_codec.c - values on attributes, QUERY messages, RESULT chunks. */
#include <errno.h>
#include <stdint.h>
#include <ksql/client.h>
#include "codec.h"
#include "testutil.h"

static const unsigned char blob_bytes[] = { 0, 1, 0, 0xff, 0, 0x7f, 0 };
static const char utf8[] = "grüße, 世界, 🙂";

static struct ksql_value sample[5];

static void init_sample(void)
{
	sample[0] = VNULL;
	sample[1] = VINT(INT64_MIN);
	sample[2] = VREAL(0x7ff8000000000123ULL);	/* a NaN with a payload */
	sample[3] = VTEXT(utf8);
	sample[4] = VBLOB(blob_bytes, sizeof(blob_bytes));
}

static struct nlmsghdr *new_msg(char *buf, size_t len)
{
	struct ksql_msg_hdr h = { .type = KSQL_CTL_MSG_TYPE };

	return ksql_msg_start(buf, len, &h, KSQL_CMD_QUERY);
}

/* Puts v and reads it back from the first attribute. */
static void roundtrip(const struct ksql_value *v)
{
	char buf[512];
	struct nlmsghdr *nlh = new_msg(buf, sizeof(buf));
	const struct nlattr *a;
	struct ksql_value out;

	ck_assert_int_eq(ksql_value_put(nlh, sizeof(buf), v), 0);
	a = (const struct nlattr *)(buf + KSQL_MSG_HDRLEN);
	ck_assert_uint_eq(mnl_attr_get_type(a), KSQL_A_VAL_NULL + v->type);
	ck_assert_uint_eq(KSQL_MSG_HDRLEN + ksql_value_attr_size(v), nlh->nlmsg_len);
	ck_assert_int_eq(ksql_value_get(a, &out), 0);
	assert_value_eq(&out, v);
}

START_TEST(value_roundtrip)
{
	struct ksql_value extra[] = {
		VINT(INT64_MAX), VINT(0), VINT(-1),
		VREAL(0x8000000000000000ULL),		/* -0.0 */
		VREAL(0x7ff0000000000000ULL),		/* +inf */
		VREAL(0xfff8000000000001ULL),		/* negative NaN */
		VREAL(0x3ff0000000000000ULL),		/* 1.0 */
		VTEXT(""),
		VBLOB(blob_bytes, 0),
	};
	unsigned int i;

	init_sample();
	for (i = 0; i < 5; i++)
		roundtrip(&sample[i]);
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		roundtrip(&extra[i]);
}
END_TEST

START_TEST(value_put_limits)
{
	static char big[KSQL_VALUE_MAX + 1];
	char small[KSQL_MSG_HDRLEN + 8];
	static char buf[KSQL_VALUE_MAX + 512];
	struct ksql_value v = VBLOB(big, KSQL_VALUE_MAX + 1);
	struct ksql_value bad = { .type = (enum ksql_type)7 };
	struct nlmsghdr *nlh = new_msg(buf, sizeof(buf));

	ck_assert_int_eq(ksql_value_put(nlh, sizeof(buf), &v), -E2BIG);
	v.len = KSQL_VALUE_MAX;
	ck_assert_int_eq(ksql_value_put(nlh, sizeof(buf), &v), 0);
	ck_assert_int_eq(ksql_value_put(nlh, sizeof(buf), &bad), -EINVAL);
	/* An INT needs 12 bytes; only 8 are left. */
	nlh = new_msg(small, sizeof(small));
	v = VINT(5);
	ck_assert_int_eq(ksql_value_put(nlh, sizeof(small), &v), -EMSGSIZE);
	ck_assert_uint_eq(nlh->nlmsg_len, KSQL_MSG_HDRLEN);
}
END_TEST

/* Writes a raw attribute of type/len at the start of the payload. */
static const struct nlattr *raw_attr(char *buf, uint16_t type, uint16_t len)
{
	struct nlattr *a = (struct nlattr *)(buf + KSQL_MSG_HDRLEN);

	memset(a, 0, MNL_ATTR_HDRLEN + 16);
	a->nla_type = type;
	a->nla_len = (uint16_t)(MNL_ATTR_HDRLEN + len);
	return a;
}

START_TEST(value_get_refuses)
{
	char buf[256];
	struct ksql_value v;

	new_msg(buf, sizeof(buf));
	ck_assert_int_eq(ksql_value_get(raw_attr(buf, KSQL_A_VAL_INT, 4), &v), -EINVAL);
	ck_assert_int_eq(ksql_value_get(raw_attr(buf, KSQL_A_VAL_INT, 9), &v), -EINVAL);
	ck_assert_int_eq(ksql_value_get(raw_attr(buf, KSQL_A_VAL_REAL, 7), &v), -EINVAL);
	ck_assert_int_eq(ksql_value_get(raw_attr(buf, KSQL_A_VAL_NULL, 1), &v), -EINVAL);
	ck_assert_int_eq(ksql_value_get(raw_attr(buf, KSQL_A_SQL, 0), &v), -EINVAL);
	ck_assert_int_eq(ksql_value_get(raw_attr(buf, KSQL_A_VAL_BLOB + 1, 0), &v), -EINVAL);
	ck_assert_int_eq(ksql_value_get(raw_attr(buf, KSQL_A_VAL_INT, 8), &v), 0);
	ck_assert_int_eq(v.type, KSQL_INT);
}
END_TEST

static int count_attr(const struct nlattr *a, void *ctx)
{
	(*(int *)ctx)++;
	return 0;
}

START_TEST(attr_walk_strict)
{
	char buf[256];
	struct nlmsghdr *nlh = new_msg(buf, sizeof(buf));
	struct nlattr *a;
	int n = 0;

	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 7);
	mnl_attr_put_u32(nlh, KSQL_A_CHUNK, 0);
	ck_assert_int_eq(ksql_attr_walk(nlh, count_attr, &n), 0);
	ck_assert_int_eq(n, 2);
	/* The second attribute claims more bytes than the message holds. */
	a = (struct nlattr *)(buf + KSQL_MSG_HDRLEN + 12);
	a->nla_len = 64;
	ck_assert_int_eq(ksql_attr_walk(nlh, count_attr, &n), -EINVAL);
	/* A message cut inside an attribute header. */
	a->nla_len = 8;
	nlh->nlmsg_len = KSQL_MSG_HDRLEN + 12 + 2;
	ck_assert_int_eq(ksql_attr_walk(nlh, count_attr, &n), -EINVAL);
	/* An attribute shorter than its own header. */
	nlh->nlmsg_len = KSQL_MSG_HDRLEN + 12 + 8;
	a->nla_len = 2;
	ck_assert_int_eq(ksql_attr_walk(nlh, count_attr, &n), -EINVAL);
}
END_TEST

START_TEST(query_build_parse)
{
	struct ksql_msg_hdr h = { .type = KSQL_CTL_MSG_TYPE, .flags = NLM_F_REQUEST, .seq = 3 };
	const char *sql = "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)";
	size_t size;
	char *buf;
	struct ksql_query q;
	const struct nlmsghdr *nlh;
	unsigned int i;

	init_sample();
	size = ksql_query_size(sql, sample, 5);
	ck_assert_uint_gt(size, 0);
	buf = calloc(1, size);
	ck_assert_int_eq(ksql_query_build(buf, size, &h, 42, sql, 250, sample, 5), 0);
	ck_assert_int_eq(ksql_msg_check(buf, size, &nlh), 0);
	ck_assert_uint_le(nlh->nlmsg_len, size);
	ck_assert_int_eq(ksql_query_parse(nlh, &q), 0);
	ck_assert_uint_eq(q.req_id, 42);
	ck_assert_str_eq(q.sql, sql);
	ck_assert_uint_eq(q.timeout_ms, 250);
	ck_assert_uint_eq(q.nparams, 5);
	for (i = 0; i < 5; i++)
		assert_value_eq(&q.params[i], &sample[i]);
	ksql_query_release(&q);
	/* Too small a buffer fails cleanly. */
	ck_assert_int_eq(ksql_query_build(buf, size - 8, &h, 42, sql, 250, sample, 5), -EMSGSIZE);
	free(buf);
}
END_TEST

START_TEST(query_parse_txn_attrs)
{
	struct ksql_msg_hdr h = { .type = KSQL_CTL_MSG_TYPE, .flags = NLM_F_REQUEST };
	char buf[256];
	struct nlmsghdr *nlh;
	struct ksql_query q;

	/* A transaction verb needs no SQL; the new attributes are read. */
	nlh = ksql_msg_start(buf, sizeof(buf), &h, KSQL_CMD_QUERY);
	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 7);
	mnl_attr_put_u32(nlh, KSQL_A_FLAGS, KSQL_F_TXN_BEGIN);
	mnl_attr_put_u64(nlh, KSQL_A_TXN_ID, 99);
	mnl_attr_put_u64(nlh, KSQL_A_ORDER_KEY, 99);
	mnl_attr_put_u64(nlh, KSQL_A_DEADLINE_NS, 123456789);
	mnl_attr_put_u32(nlh, KSQL_A_TXN_IDLE_MS, 500);
	ck_assert_int_eq(ksql_query_parse(nlh, &q), 0);
	ck_assert_ptr_null(q.sql);
	ck_assert_uint_eq(q.flags, KSQL_F_TXN_BEGIN);
	ck_assert_uint_eq(q.txn_id, 99);
	ck_assert_uint_eq(q.order_key, 99);
	ck_assert_uint_eq(q.deadline_ns, 123456789);
	ck_assert_uint_eq(q.txn_idle_ms, 500);
	ksql_query_release(&q);
	/* Two verbs at once, or an unknown bit, are refused. */
	nlh = ksql_msg_start(buf, sizeof(buf), &h, KSQL_CMD_QUERY);
	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 7);
	mnl_attr_put_u32(nlh, KSQL_A_FLAGS, KSQL_F_TXN_COMMIT | KSQL_F_TXN_ROLLBACK);
	ck_assert_int_eq(ksql_query_parse(nlh, &q), -EINVAL);
	ck_assert_uint_eq(q.req_id, 7);	/* kept, so the sender can be answered */
	nlh = ksql_msg_start(buf, sizeof(buf), &h, KSQL_CMD_QUERY);
	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 7);
	mnl_attr_put_strz(nlh, KSQL_A_SQL, "SELECT 1");
	mnl_attr_put_u32(nlh, KSQL_A_FLAGS, KSQL_F_FINAL);
	ck_assert_int_eq(ksql_query_parse(nlh, &q), -EINVAL);
	/* No verb and no SQL: still refused. */
	nlh = ksql_msg_start(buf, sizeof(buf), &h, KSQL_CMD_QUERY);
	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 7);
	mnl_attr_put_u64(nlh, KSQL_A_TXN_ID, 99);
	ck_assert_int_eq(ksql_query_parse(nlh, &q), -EINVAL);
}
END_TEST

START_TEST(query_parse_refuses)
{
	char buf[256];
	struct nlmsghdr *nlh = new_msg(buf, sizeof(buf));
	struct nlattr *a;
	struct ksql_query q;

	/* No SQL. */
	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 9);
	ck_assert_int_eq(ksql_query_parse(nlh, &q), -EINVAL);
	ck_assert_uint_eq(q.req_id, 9);
	/* SQL without its NUL. */
	a = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put(nlh, KSQL_A_SQL, 3, "abc");
	ck_assert_int_eq(ksql_query_parse(nlh, &q), -EINVAL);
	/* Fixed: now it parses. */
	nlh->nlmsg_len = (uint32_t)((char *)a - buf);
	mnl_attr_put_strz(nlh, KSQL_A_SQL, "SELECT 1");
	ck_assert_int_eq(ksql_query_parse(nlh, &q), 0);
	ck_assert_uint_eq(q.nparams, 0);
	ksql_query_release(&q);
}
END_TEST

/* ---- RESULT chunks -------------------------------------------------------- */

struct chunks {
	char **msg;
	size_t *len;
	size_t n, cap, max_len;
};

static int collect(const struct nlmsghdr *nlh, void *ctx)
{
	struct chunks *c = ctx;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->msg = realloc(c->msg, c->cap * sizeof(*c->msg));
		c->len = realloc(c->len, c->cap * sizeof(*c->len));
	}
	c->msg[c->n] = malloc(nlh->nlmsg_len);
	memcpy(c->msg[c->n], nlh, nlh->nlmsg_len);
	c->len[c->n++] = nlh->nlmsg_len;
	if (nlh->nlmsg_len > c->max_len)
		c->max_len = nlh->nlmsg_len;
	return 0;
}

static void chunks_free(struct chunks *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->msg[i]);
	free(c->msg);
	free(c->len);
}

#define NROWS 20000
#define NCOLS 5

static struct ksql_value *big_result(void)
{
	struct ksql_value *v = calloc(NROWS * NCOLS, sizeof(*v));
	size_t r;

	init_sample();
	for (r = 0; r < NROWS; r++) {
		v[r * NCOLS + 0] = VINT((int64_t)r * 7919 - 1000000);
		v[r * NCOLS + 1] = r % 3 ? VTEXT(utf8) : VNULL;
		v[r * NCOLS + 2] = VREAL(r * 0x0101010101ULL);
		v[r * NCOLS + 3] = VBLOB(blob_bytes, (uint32_t)(r % sizeof(blob_bytes)));
		v[r * NCOLS + 4] = sample[r % 5];
	}
	return v;
}

static const char *const colnames[NCOLS] = { "id", "name", "x", "raw", "any" };

static struct ksql_chunk_cfg cfg = {
	.hdr = { .type = KSQL_CTL_MSG_TYPE },
	.req_id = 77,
};

START_TEST(result_emit_big)
{
	struct ksql_value *v = big_result();
	struct ksql_result_status st = { .changes = 3, .last_rowid = -5, .errmsg = "" };
	struct chunks c = { 0 };
	struct ksql_reasm *r;
	struct ksql_reply *rep;
	size_t i;
	int ret = 0;

	ck_assert_int_eq(ksql_result_emit(&cfg, colnames, NCOLS, v, NROWS, &st, collect, &c), 0);
	ck_assert_uint_gt(c.n, 10);
	ck_assert_uint_le(c.max_len, KSQL_CHUNK_TARGET);
	ck_assert_int_eq(ksql_reasm_new(77, &r), 0);
	for (i = 0; i < c.n; i++) {
		ret = ksql_reasm_feed(r, c.msg[i], c.len[i]);
		ck_assert_int_eq(ret, i + 1 == c.n ? 1 : 0);
	}
	rep = ksql_reasm_take(r);
	ck_assert_ptr_nonnull(rep);
	ck_assert_uint_eq(ksql_reply_rows(rep), NROWS);
	ck_assert_uint_eq(ksql_reply_cols(rep), NCOLS);
	for (i = 0; i < NCOLS; i++)
		ck_assert_str_eq(ksql_reply_colname(rep, (unsigned int)i), colnames[i]);
	for (i = 0; i < NROWS * NCOLS; i++)
		assert_value_eq(ksql_reply_value(rep, (unsigned int)(i / NCOLS), (unsigned int)(i % NCOLS)), &v[i]);
	ck_assert_ptr_null(ksql_reply_value(rep, NROWS, 0));
	ck_assert_uint_eq(ksql_reply_changes(rep), 3);
	ck_assert_int_eq(ksql_reply_last_rowid(rep), -5);
	ck_assert_int_eq(ksql_reply_errno(rep), 0);
	ck_assert_str_eq(ksql_reply_errmsg(rep), "");
	ksql_reply_free(rep);
	ksql_reasm_free(r);
	chunks_free(&c);
	free(v);
}
END_TEST

START_TEST(result_emit_oversized_row)
{
	static char big[KSQL_VALUE_MAX];
	struct ksql_value v[4] = { VINT(1), VBLOB(big, sizeof(big)), VINT(2), VBLOB(big, 10) };
	const char *cols[] = { "n", "b" };
	struct ksql_result_status st = { .errmsg = NULL };
	struct chunks c = { 0 };
	struct ksql_reasm *r;
	struct ksql_reply *rep;
	size_t i;

	ck_assert_int_eq(ksql_result_emit(&cfg, cols, 2, v, 2, &st, collect, &c), 0);
	/* The big row travels whole in a chunk of its own, over the target. */
	ck_assert_uint_gt(c.max_len, KSQL_CHUNK_TARGET);
	ck_assert_int_eq(ksql_reasm_new(77, &r), 0);
	for (i = 0; i < c.n; i++)
		ck_assert_int_ge(ksql_reasm_feed(r, c.msg[i], c.len[i]), 0);
	rep = ksql_reasm_take(r);
	ck_assert_ptr_nonnull(rep);
	ck_assert_uint_eq(ksql_reply_rows(rep), 2);
	assert_value_eq(ksql_reply_value(rep, 0, 1), &v[1]);
	assert_value_eq(ksql_reply_value(rep, 1, 1), &v[3]);
	ksql_reply_free(rep);
	ksql_reasm_free(r);
	chunks_free(&c);
	/* A value over the limit is refused, not truncated. */
	memset(&c, 0, sizeof(c));
	v[1].len = KSQL_VALUE_MAX + 1;
	ck_assert_int_eq(ksql_result_emit(&cfg, cols, 2, v, 2, &st, collect, &c), -E2BIG);
	chunks_free(&c);
}
END_TEST

START_TEST(result_emit_error)
{
	struct ksql_result_status st = {
		.err = EINVAL, .sqlite_code = 1, .errmsg = "no such table: nope",
	};
	struct chunks c = { 0 };
	struct ksql_reasm *r;
	struct ksql_reply *rep;
	char longname[KSQL_NAME_MAX + 2];
	const char *cols[1] = { longname };

	ck_assert_int_eq(ksql_result_emit(&cfg, NULL, 0, NULL, 0, &st, collect, &c), 0);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_int_eq(ksql_reasm_new(77, &r), 0);
	ck_assert_int_eq(ksql_reasm_feed(r, c.msg[0], c.len[0]), 1);
	rep = ksql_reasm_take(r);
	ck_assert_int_eq(ksql_reply_errno(rep), EINVAL);
	ck_assert_int_eq(ksql_reply_sqlite_code(rep), 1);
	ck_assert_str_eq(ksql_reply_errmsg(rep), "no such table: nope");
	ck_assert_uint_eq(ksql_reply_rows(rep), 0);
	ksql_reply_free(rep);
	ksql_reasm_free(r);
	chunks_free(&c);
	/* Column names are never cut. */
	memset(longname, 'c', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(ksql_result_emit(&cfg, cols, 1, NULL, 0, &st, collect, &c), -E2BIG);
	ck_assert_uint_eq(c.n, 0);
	chunks_free(&c);
}
END_TEST

/* Emits the 20,000-row result and feeds it through a reassembler with a twist. */
static int feed_with(const size_t *order, size_t n, struct chunks *c, uint64_t id)
{
	struct ksql_reasm *r;
	size_t i;
	int ret = 0;

	ck_assert_int_eq(ksql_reasm_new(id, &r), 0);
	for (i = 0; i < n && ret == 0; i++)
		ret = ksql_reasm_feed(r, c->msg[order[i]], c->len[order[i]]);
	ksql_reasm_free(r);
	return ret;
}

START_TEST(reasm_refuses)
{
	struct ksql_value *v = big_result();
	struct ksql_result_status st = { 0 };
	struct chunks c = { 0 };
	size_t order[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	struct nlmsghdr *nlh;
	struct nlattr *a;

	ck_assert_int_eq(ksql_result_emit(&cfg, colnames, NCOLS, v, 2000, &st, collect, &c), 0);
	ck_assert_uint_ge(c.n, 4);
	/* In order it completes. */
	ck_assert_int_eq(feed_with(order, c.n, &c, 77), 1);
	/* Swapped chunks 1 and 2. */
	order[1] = 2;
	order[2] = 1;
	ck_assert_int_eq(feed_with(order, c.n, &c, 77), -EPROTO);
	/* Chunk 1 missing. */
	order[1] = 2;
	order[2] = 3;
	ck_assert_int_eq(feed_with(order, 3, &c, 77), -EPROTO);
	/* Starting at chunk 1. */
	ck_assert_int_eq(feed_with(&order[2], 1, &c, 77), -EPROTO);
	/* Another request's chunks. */
	order[1] = 1;
	order[2] = 2;
	ck_assert_int_eq(feed_with(order, c.n, &c, 78), -EPROTO);
	/* A truncated message. */
	ck_assert_int_eq(feed_with(order, 1, &(struct chunks){
		.msg = c.msg, .len = (size_t[]){ c.len[0] - 1 } }, 77), -EINVAL);
	/* A chunk whose last row lost its last value: not whole rows. */
	nlh = (struct nlmsghdr *)c.msg[1];
	a = NULL;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if ((char *)a + MNL_ALIGN(a->nla_len) >= (char *)nlh + nlh->nlmsg_len)
			break;
	}
	nlh->nlmsg_len = (uint32_t)((char *)a - (char *)nlh);
	ck_assert_int_eq(feed_with(order, 2, &c, 77), -EPROTO);
	chunks_free(&c);
	free(v);
}
END_TEST

START_TEST(reasm_after_final)
{
	struct ksql_result_status st = { 0 };
	struct chunks c = { 0 };
	struct ksql_reasm *r;

	ck_assert_int_eq(ksql_result_emit(&cfg, NULL, 0, NULL, 0, &st, collect, &c), 0);
	ck_assert_int_eq(ksql_reasm_new(77, &r), 0);
	ck_assert_ptr_null(ksql_reasm_take(r));
	ck_assert_int_eq(ksql_reasm_feed(r, c.msg[0], c.len[0]), 1);
	ck_assert_int_lt(ksql_reasm_feed(r, c.msg[0], c.len[0]), 0);
	ksql_reply_free(ksql_reasm_take(r));
	ksql_reasm_free(r);
	chunks_free(&c);
}
END_TEST

static Suite *codec_suite(void)
{
	Suite *s = suite_create("codec");
	const struct test_case cases[] = {
		{ "ksql_value_put/get", value_roundtrip },
		{ "ksql_value_put", value_put_limits },
		{ "ksql_value_get", value_get_refuses },
		{ "ksql_attr_walk", attr_walk_strict },
		{ "ksql_query_build", query_build_parse },
		{ "ksql_query_parse", query_parse_refuses },
		{ "ksql_query_parse transactions", query_parse_txn_attrs },
		{ "ksql_result_emit", result_emit_big },
		{ "ksql_result_emit oversized", result_emit_oversized_row },
		{ "ksql_result_emit error", result_emit_error },
		{ "ksql_reasm_feed", reasm_refuses },
		{ "ksql_reasm_take", reasm_after_final },
	};

	add_cases(s, cases, ARRAY_LEN(cases), NULL, NULL);
	return s;
}

int main(void)
{
	return run_suite(codec_suite());
}
