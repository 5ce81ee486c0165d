// SPDX-License-Identifier: GPL-2.0-only
/* reply.c - encode a result into RESULT chunks and hand them to the sink. */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include "reply.h"
#include "stats.h"

/*
 * Reply sequence numbers live in the upper half so an error ack for a reply
 * is never taken for the ack of one of the netlink side's own requests.
 */
static _Atomic uint32_t reply_seq = 0x80000000u;

struct emit_ctx {
	const struct ksqld_sink *sink;
	unsigned int sent;
};

static int emit_chunk(const struct nlmsghdr *nlh, void *p)
{
	struct emit_ctx *ec = p;
	int ret;

	((struct nlmsghdr *)nlh)->nlmsg_seq = atomic_fetch_add(&reply_seq, 1) | 0x80000000u;
	ret = ec->sink->send(nlh, nlh->nlmsg_len, ec->sink->ctx);
	if (ret == 0)
		ec->sent++;
	return ret;
}

int ksqld_reply_rows(const struct ksqld_sink *sink, uint64_t req_id, const struct ksqld_rows *rows)
{
	struct ksql_chunk_cfg cfg = {
		.hdr = {
			/* The kernel only processes messages flagged as requests. */
			.type = sink->msg_type, .flags = NLM_F_REQUEST,
			.portid = sink->portid,
		},
		.req_id = req_id,
		.target = sink->chunk_target,
	};
	struct emit_ctx ec = { .sink = sink };
	struct ksql_result_status st;
	int ret;

	ret = ksql_result_emit(&cfg, (const char *const *)rows->colnames, rows->ncols,
			       rows->vals, rows->nrows, &rows->st, emit_chunk, &ec);
	if (ret < 0 && ret != -EPIPE && ec.sent == 0 && ret != -ECONNRESET) {
		/* Nothing went out yet: the sender still gets an answer. */
		memset(&st, 0, sizeof(st));
		st.err = (uint32_t)-ret;
		st.errmsg = "ksqld could not encode the result";
		ret = ksql_result_emit(&cfg, NULL, 0, NULL, 0, &st, emit_chunk, &ec);
	}
	if (ret == 0 && sink->from_kernel)
		ksqld_stat_add(KSQLD_STAT_ANSWERED, 1);
	return ret;
}

int ksqld_reply_error(const struct ksqld_sink *sink, uint64_t req_id, int err, const char *msg)
{
	struct ksqld_rows rows;
	int ret;

	ksqld_rows_init(&rows);
	ksqld_rows_fail(&rows, err, 0, "%s", msg);
	ret = ksqld_reply_rows(sink, req_id, &rows);
	ksqld_rows_release(&rows);
	return ret;
}

int ksqld_reply_empty(const struct ksqld_sink *sink, uint64_t req_id)
{
	struct ksql_msg_hdr h = {
		/* The kernel only processes messages flagged as requests. */
		.type = sink->msg_type, .flags = NLM_F_REQUEST, .portid = sink->portid,
		.seq = atomic_fetch_add(&reply_seq, 1) | 0x80000000u,
	};
	/* libmnl before 1.0.5 leaves attribute padding unset: start from zeros. */
	char buf[KSQL_MSG_HDRLEN + 64] = { 0 };
	struct nlmsghdr *nlh = ksql_msg_start(buf, sizeof(buf), &h, KSQL_CMD_RESULT);

	if (!nlh || !mnl_attr_put_u64_check(nlh, sizeof(buf), KSQL_A_REQ_ID, req_id) ||
	    !mnl_attr_put_u32_check(nlh, sizeof(buf), KSQL_A_CHUNK, 0) ||
	    !mnl_attr_put_u32_check(nlh, sizeof(buf), KSQL_A_NCOLS, 0) ||
	    !mnl_attr_put_u32_check(nlh, sizeof(buf), KSQL_A_FLAGS, KSQL_F_FINAL))
		return -EMSGSIZE;
	return sink->send(nlh, nlh->nlmsg_len, sink->ctx);
}

int ksqld_reply_log_ack(const struct ksqld_sink *sink, const char *table, uint64_t epoch,
			uint64_t seq)
{
	struct ksql_msg_hdr h = {
		.type = sink->msg_type, .flags = NLM_F_REQUEST, .portid = sink->portid,
		.seq = atomic_fetch_add(&reply_seq, 1) | 0x80000000u,
	};
	char buf[KSQL_MSG_HDRLEN + 256];
	struct nlmsghdr *nlh = ksql_msg_start(buf, sizeof(buf), &h, KSQL_CMD_LOG_ACK);
	int ret;

	if (!nlh || !mnl_attr_put_strz_check(nlh, sizeof(buf), KSQL_A_TABLE, table) ||
	    !mnl_attr_put_u64_check(nlh, sizeof(buf), KSQL_A_EPOCH, epoch) ||
	    !mnl_attr_put_u64_check(nlh, sizeof(buf), KSQL_A_SEQ, seq))
		return -EMSGSIZE;
	ret = sink->send(nlh, nlh->nlmsg_len, sink->ctx);
	if (ret == 0)
		ksqld_stat_add(KSQLD_STAT_LOG_ACKS, 1);
	return ret;
}
