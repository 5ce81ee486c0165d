// SPDX-License-Identifier: GPL-2.0-only
/*
 * check_ping.c - KSQL_CMD_PING through ksqld's message core: the test plays
 * the kernel (and the control socket), sends PINGs as byte buffers and looks
 * at every byte of what comes back. A PING is answered at once by exactly one
 * RESULT (REQ_ID, CHUNK 0, NCOLS 0, FLAGS FINAL, nothing else), counted in
 * KSQLD_STAT_PINGS, without a job, the scheduler or SQLite; a malformed one is
 * answered with EINVAL when it has a request id and dropped otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <ksql/client.h>
#include "batch.h"
#include "codec.h"
#include "core.h"
#include "log.h"
#include "ping.h"
#include "stats.h"
#include "testutil.h"

#define FAMILY 0x2c
#define MAXMSGS 8

/* Every message the core sent, copied. */
struct sent {
	unsigned int calls;		/* send callback calls */
	unsigned int n;			/* messages in them */
	char msg[MAXMSGS][512];
	size_t len[MAXMSGS];
};

static struct sent sent;
static struct ksqld_core core;
static unsigned int done_calls;

static int capture(const void *buf, size_t len, void *ctx)
{
	const struct nlmsghdr *nlh = buf;
	int left = (int)len;

	(void)ctx;
	sent.calls++;
	while (mnl_nlmsg_ok(nlh, left)) {
		ck_assert_uint_lt(sent.n, MAXMSGS);
		ck_assert_uint_le(nlh->nlmsg_len, sizeof(sent.msg[0]));
		memcpy(sent.msg[sent.n], nlh, nlh->nlmsg_len);
		sent.len[sent.n++] = nlh->nlmsg_len;
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	ck_assert_int_eq(left, 0);
	return 0;
}

static void count_done(void *ctx)
{
	(void)ctx;
	done_calls++;
}

static void setup(void)
{
	memset(&sent, 0, sizeof(sent));
	memset(&core, 0, sizeof(core));
	done_calls = 0;
	ksqld_stats_reset();
	/* No scheduler and no executor: nothing could run SQL for a PING. */
	core.msg_type = FAMILY;
	core.name = "test";
	core.from_kernel = true;
	core.done = count_done;
}

/* A PING with the attributes the kernel sends (id 0: none). */
static struct nlmsghdr *ping_msg(char *buf, size_t size, uint16_t type, uint64_t id)
{
	struct ksql_msg_hdr h = { .type = type, .flags = NLM_F_REQUEST, .seq = 7 };
	struct nlmsghdr *nlh;

	memset(buf, 0, size);
	nlh = ksql_msg_start(buf, size, &h, KSQL_CMD_PING);
	ck_assert_ptr_nonnull(nlh);
	if (id)
		mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, id);
	mnl_attr_put_u32(nlh, KSQL_A_TIMEOUT_MS, 300);
	mnl_attr_put_u64(nlh, KSQL_A_DEADLINE_NS, ksqld_now_ns() + 300000000u);
	return nlh;
}

static int handle(const struct nlmsghdr *nlh)
{
	return ksqld_core_handle(&core, nlh, nlh->nlmsg_len, capture, NULL);
}

struct result_attrs {
	unsigned int n;			/* attributes, PAD excluded */
	unsigned int req_id_n, chunk_n, ncols_n, flags_n, other_n;
	uint64_t req_id;
	uint32_t chunk, ncols, flags;
};

static int result_attr(const struct nlattr *a, void *p)
{
	struct result_attrs *r = p;

	switch (mnl_attr_get_type(a)) {
	case KSQL_A_PAD:
		return 0;
	case KSQL_A_REQ_ID:
		r->req_id_n++;
		ck_assert_int_eq(ksql_attr_u64(a, &r->req_id), 0);
		break;
	case KSQL_A_CHUNK:
		r->chunk_n++;
		ck_assert_int_eq(ksql_attr_u32(a, &r->chunk), 0);
		break;
	case KSQL_A_NCOLS:
		r->ncols_n++;
		ck_assert_int_eq(ksql_attr_u32(a, &r->ncols), 0);
		break;
	case KSQL_A_FLAGS:
		r->flags_n++;
		ck_assert_int_eq(ksql_attr_u32(a, &r->flags), 0);
		break;
	default:
		r->other_n++;
		break;
	}
	r->n++;
	return 0;
}

/* Message i is exactly the answer to PING id: one RESULT, four attributes. */
static void assert_pong(unsigned int i, uint16_t type, uint64_t id)
{
	const struct nlmsghdr *nlh = (const void *)sent.msg[i];
	struct result_attrs r = { 0 };
	struct ksql_reasm *ra;
	struct ksql_reply *rep;

	ck_assert_uint_eq(nlh->nlmsg_type, type);
	ck_assert_uint_eq(nlh->nlmsg_pid, 0);
	/* The kernel only processes messages flagged as requests. */
	ck_assert(nlh->nlmsg_flags & NLM_F_REQUEST);
	ck_assert_int_eq(ksql_msg_check(nlh, sent.len[i], &nlh), 0);
	ck_assert_uint_eq(ksql_msg_cmd(nlh), KSQL_CMD_RESULT);
	ck_assert_int_eq(ksql_attr_walk(nlh, result_attr, &r), 0);
	ck_assert_uint_eq(r.other_n, 0);
	ck_assert_uint_eq(r.n, 4);
	ck_assert_uint_eq(r.req_id_n, 1);
	ck_assert_uint_eq(r.chunk_n, 1);
	ck_assert_uint_eq(r.ncols_n, 1);
	ck_assert_uint_eq(r.flags_n, 1);
	ck_assert_uint_eq(r.req_id, id);
	ck_assert_uint_eq(r.chunk, 0);
	ck_assert_uint_eq(r.ncols, 0);
	ck_assert_uint_eq(r.flags, KSQL_F_FINAL);

	/* What a reassembler (ksqlctl's) makes of it: an empty success. */
	ck_assert_int_eq(ksql_reasm_new(id, &ra), 0);
	ck_assert_int_eq(ksql_reasm_feed(ra, nlh, nlh->nlmsg_len), 1);
	rep = ksql_reasm_take(ra);
	ck_assert_ptr_nonnull(rep);
	ck_assert_int_eq(ksql_reply_errno(rep), 0);
	ck_assert_uint_eq(ksql_reply_cols(rep), 0);
	ck_assert_uint_eq(ksql_reply_rows(rep), 0);
	ksql_reply_free(rep);
	ksql_reasm_free(ra);
}

/* Message i is a RESULT for id that fails with err. */
static void assert_error(unsigned int i, uint64_t id, int err)
{
	const struct nlmsghdr *nlh = (const void *)sent.msg[i];
	struct ksql_reasm *ra;
	struct ksql_reply *rep;

	ck_assert_uint_eq(ksql_msg_cmd(nlh), KSQL_CMD_RESULT);
	ck_assert_int_eq(ksql_reasm_new(id, &ra), 0);
	ck_assert_int_eq(ksql_reasm_feed(ra, nlh, nlh->nlmsg_len), 1);
	rep = ksql_reasm_take(ra);
	ck_assert_int_eq(ksql_reply_errno(rep), err);
	ck_assert_ptr_nonnull(strstr(ksql_reply_errmsg(rep), "PING"));
	ksql_reply_free(rep);
	ksql_reasm_free(ra);
}

static void assert_nothing_else_moved(void)
{
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_RECEIVED), 0);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_ANSWERED), 0);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_READS), 0);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_WRITES), 0);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_QUEUED), 0);
	ck_assert_uint_eq(core.queued, 0);
	ck_assert_uint_eq(done_calls, 0);
}

START_TEST(ping_answered)
{
	char buf[256];
	unsigned int i;

	/* No scheduler, no executor: a QUERY would be refused; a PING is answered. */
	for (i = 1; i <= 3; i++) {
		ck_assert_int_eq(handle(ping_msg(buf, sizeof(buf), FAMILY, 1000 + i)), 0);
		ck_assert_uint_eq(sent.calls, i);
		ck_assert_uint_eq(sent.n, i);
		assert_pong(i - 1, FAMILY, 1000 + i);
		ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_PINGS), i);
	}
	assert_nothing_else_moved();
}
END_TEST

START_TEST(ping_only_req_id)
{
	char buf[128] = { 0 };
	struct ksql_msg_hdr h = { .type = FAMILY, .flags = NLM_F_REQUEST };
	struct nlmsghdr *nlh = ksql_msg_start(buf, sizeof(buf), &h, KSQL_CMD_PING);

	/* TIMEOUT_MS and DEADLINE_NS are optional (the control socket). */
	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 77);
	ck_assert_int_eq(handle(nlh), 0);
	ck_assert_uint_eq(sent.n, 1);
	assert_pong(0, FAMILY, 77);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_PINGS), 1);
}
END_TEST

START_TEST(ping_control_socket)
{
	char buf[256];

	/* The control socket's core: its message type, read-only, not the kernel. */
	core.msg_type = KSQL_CTL_MSG_TYPE;
	core.name = "control";
	core.readonly_only = true;
	core.answers_stats = true;
	core.from_kernel = false;
	ck_assert_int_eq(handle(ping_msg(buf, sizeof(buf), KSQL_CTL_MSG_TYPE, 5)), 0);
	ck_assert_uint_eq(sent.n, 1);
	assert_pong(0, KSQL_CTL_MSG_TYPE, 5);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_PINGS), 1);
	assert_nothing_else_moved();
}
END_TEST

START_TEST(ping_not_queued)
{
	struct ksqld_batch batch;
	struct ksqld_sched *sched = ksqld_sched_new(0);
	struct ksql_msg_hdr h = { .type = FAMILY, .flags = NLM_F_REQUEST };
	char buf[256], qbuf[256] = { 0 };
	struct nlmsghdr *nlh;

	/* A scheduler without workers: whatever is submitted stays queued. */
	ck_assert_ptr_nonnull(sched);
	ck_assert_int_eq(ksqld_batch_init(&batch, 0, capture, NULL), 0);
	core.sched = sched;
	core.flush = ksqld_batch_flush_ctx;

	nlh = ping_msg(buf, sizeof(buf), FAMILY, 41);
	ck_assert_int_eq(ksqld_core_handle(&core, nlh, nlh->nlmsg_len, ksqld_batch_add, &batch), 0);
	ck_assert(!ksqld_sched_has_queued(sched));
	assert_nothing_else_moved();
	/* Sent at once, not left in the batch for its 2 ms tick. */
	ck_assert_uint_eq(sent.calls, 1);
	ck_assert_uint_eq(sent.n, 1);
	assert_pong(0, FAMILY, 41);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_PINGS), 1);

	/* The same core does queue a QUERY: the checks above would see one. */
	ck_assert_int_eq(ksql_query_build(qbuf, sizeof(qbuf), &h, 42, "SELECT 1", 300, NULL, 0), 0);
	nlh = (struct nlmsghdr *)qbuf;
	ck_assert_int_eq(ksqld_core_handle(&core, nlh, nlh->nlmsg_len, ksqld_batch_add, &batch), 1);
	ck_assert(ksqld_sched_has_queued(sched));
	ck_assert_uint_eq(core.queued, 1);
	ck_assert_uint_eq(sent.calls, 1);

	ksqld_sched_free(sched);	/* drops the QUERY: done() once */
	ck_assert_uint_eq(done_calls, 1);
	ksqld_batch_flush(&batch);
	ksqld_batch_destroy(&batch);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_PINGS), 1);
}
END_TEST

/* Malformed PINGs with a request id: one EINVAL RESULT each, not counted. */
START_TEST(ping_malformed_answered)
{
	char buf[256];
	struct nlmsghdr *nlh;
	unsigned int i = 0;

	/* An attribute a PING does not carry (SQL), after the id... */
	nlh = ping_msg(buf, sizeof(buf), FAMILY, 11);
	mnl_attr_put_strz(nlh, KSQL_A_SQL, "SELECT 1");
	ck_assert_int_eq(handle(nlh), 0);
	assert_error(i++, 11, EINVAL);

	/* ... or before it: the id is still found. */
	memset(buf, 0, sizeof(buf));
	nlh = ksql_msg_start(buf, sizeof(buf), &(struct ksql_msg_hdr){ .type = FAMILY },
			     KSQL_CMD_PING);
	mnl_attr_put_u64(nlh, KSQL_A_ORDER_KEY, 3);
	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 12);
	ck_assert_int_eq(handle(nlh), 0);
	assert_error(i++, 12, EINVAL);

	/* An attribute type beyond the protocol's. */
	nlh = ping_msg(buf, sizeof(buf), FAMILY, 13);
	mnl_attr_put_u32(nlh, KSQL_A_MAX + 1, 0);
	ck_assert_int_eq(handle(nlh), 0);
	assert_error(i++, 13, EINVAL);

	/* A repeated attribute. */
	nlh = ping_msg(buf, sizeof(buf), FAMILY, 14);
	mnl_attr_put_u32(nlh, KSQL_A_TIMEOUT_MS, 300);
	ck_assert_int_eq(handle(nlh), 0);
	assert_error(i++, 14, EINVAL);

	/* A repeated REQ_ID: the first one is answered. */
	nlh = ping_msg(buf, sizeof(buf), FAMILY, 15);
	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 16);
	ck_assert_int_eq(handle(nlh), 0);
	assert_error(i++, 15, EINVAL);

	/* A wrong length. */
	memset(buf, 0, sizeof(buf));
	nlh = ksql_msg_start(buf, sizeof(buf), &(struct ksql_msg_hdr){ .type = FAMILY },
			     KSQL_CMD_PING);
	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 17);
	mnl_attr_put_u64(nlh, KSQL_A_TIMEOUT_MS, 300);
	ck_assert_int_eq(handle(nlh), 0);
	assert_error(i++, 17, EINVAL);

	/* A PAD with a payload. */
	nlh = ping_msg(buf, sizeof(buf), FAMILY, 18);
	mnl_attr_put_u32(nlh, KSQL_A_PAD, 0);
	ck_assert_int_eq(handle(nlh), 0);
	assert_error(i++, 18, EINVAL);

	ck_assert_uint_eq(sent.n, i);
	ck_assert_uint_eq(sent.calls, i);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_PINGS), 0);

	/* An empty PAD (the kernel's 64-bit alignment) is fine. */
	memset(buf, 0, sizeof(buf));
	nlh = ksql_msg_start(buf, sizeof(buf), &(struct ksql_msg_hdr){ .type = FAMILY },
			     KSQL_CMD_PING);
	mnl_attr_put(nlh, KSQL_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 19);
	ck_assert_int_eq(handle(nlh), 0);
	assert_pong(i, FAMILY, 19);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_PINGS), 1);
}
END_TEST

/* Malformed PINGs without a usable request id: nobody to answer. */
START_TEST(ping_malformed_dropped)
{
	char buf[256];
	struct nlmsghdr *nlh;

	/* No REQ_ID at all. */
	nlh = ping_msg(buf, sizeof(buf), FAMILY, 0);
	ck_assert_int_eq(handle(nlh), -EINVAL);

	/* REQ_ID 0 (never a kernel id). */
	memset(buf, 0, sizeof(buf));
	nlh = ksql_msg_start(buf, sizeof(buf), &(struct ksql_msg_hdr){ .type = FAMILY },
			     KSQL_CMD_PING);
	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 0);
	ck_assert_int_eq(handle(nlh), -EINVAL);

	/* A REQ_ID of the wrong size. */
	memset(buf, 0, sizeof(buf));
	nlh = ksql_msg_start(buf, sizeof(buf), &(struct ksql_msg_hdr){ .type = FAMILY },
			     KSQL_CMD_PING);
	mnl_attr_put_u32(nlh, KSQL_A_REQ_ID, 20);
	ck_assert_int_eq(handle(nlh), -EINVAL);

	/* An unknown attribute and no id. */
	nlh = ping_msg(buf, sizeof(buf), FAMILY, 0);
	mnl_attr_put_strz(nlh, KSQL_A_SQL, "SELECT 1");
	ck_assert_int_eq(handle(nlh), -EINVAL);

	/* A truncated attribute list. */
	nlh = ping_msg(buf, sizeof(buf), FAMILY, 0);
	nlh->nlmsg_len -= 2;
	ck_assert_int_eq(handle(nlh), -EINVAL);

	ck_assert_uint_eq(sent.calls, 0);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_PINGS), 0);
}
END_TEST

START_TEST(ping_parse)
{
	char buf[256];
	struct ksqld_ping p;
	struct nlmsghdr *nlh = ping_msg(buf, sizeof(buf), FAMILY, 21);

	ck_assert_int_eq(ksqld_ping_parse(nlh, &p), 0);
	ck_assert_uint_eq(p.req_id, 21);
	ck_assert_uint_eq(p.timeout_ms, 300);
	ck_assert_uint_ne(p.deadline_ns, 0);
	/* Another command is not a PING. */
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd = KSQL_CMD_CANCEL;
	ck_assert_int_eq(ksqld_ping_parse(nlh, &p), -EINVAL);
	ck_assert_uint_eq(p.req_id, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ping");
	const struct test_case cases[] = {
		{ "PING answered", ping_answered },
		{ "PING with REQ_ID only", ping_only_req_id },
		{ "PING on the control socket", ping_control_socket },
		{ "PING not queued, sent at once", ping_not_queued },
		{ "PING malformed, answered EINVAL", ping_malformed_answered },
		{ "PING malformed, dropped", ping_malformed_dropped },
		{ "ksqld_ping_parse", ping_parse },
	};

	ksqld_log_init(false);
	add_cases(s, cases, ARRAY_LEN(cases), setup, NULL);
	return run_suite(s);
}
