// SPDX-License-Identifier: GPL-2.0-only
/* core.c - QUERY in, RESULT chunks out; CANCEL acknowledged. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "core.h"
#include "log.h"

struct emit_ctx {
	ksqld_send_fn send;
	void *ctx;
	unsigned int sent;
};

static int emit_chunk(const struct nlmsghdr *nlh, void *p)
{
	struct emit_ctx *ec = p;
	int ret = ec->send(nlh, nlh->nlmsg_len, ec->ctx);

	if (ret == 0)
		ec->sent++;
	return ret;
}

static int reply(struct ksqld_core *c, uint64_t req_id, const struct ksqld_rows *rows,
		 ksqld_send_fn send, void *ctx)
{
	struct ksql_chunk_cfg cfg = {
		.hdr = {
			/* The kernel only processes messages flagged as requests. */
			.type = c->msg_type, .flags = NLM_F_REQUEST, .seq = c->seq,
			.portid = c->reply_portid,
		},
		.req_id = req_id,
		.target = c->chunk_target,
	};
	struct emit_ctx ec = { .send = send, .ctx = ctx };
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
	c->seq += ec.sent;
	return ret;
}

static int reply_error(struct ksqld_core *c, uint64_t req_id, int err, const char *msg,
		       ksqld_send_fn send, void *ctx)
{
	struct ksqld_rows rows;
	int ret;

	ksqld_rows_init(&rows);
	ksqld_rows_fail(&rows, err, 0, "%s", msg);
	ret = reply(c, req_id, &rows, send, ctx);
	ksqld_rows_release(&rows);
	return ret;
}

static int handle_query(struct ksqld_core *c, const struct nlmsghdr *nlh,
			ksqld_send_fn send, void *ctx)
{
	struct ksql_query q;
	struct ksqld_rows rows;
	int ret;

	ret = ksql_query_parse(nlh, &q);
	if (ret < 0) {
		log_warn("%s: malformed QUERY (%s)%s", c->name, strerror(-ret),
			 q.req_id ? "; answered with EINVAL" : "; dropped, it has no request id");
		if (q.req_id)
			return reply_error(c, q.req_id, ret == -E2BIG ? E2BIG : EINVAL,
					   "ksqld could not parse the QUERY message", send, ctx);
		return ret;
	}
	log_debug("%s: query %" PRIu64 ": %s (%u parameter%s)", c->name, q.req_id, q.sql,
		  q.nparams, q.nparams == 1 ? "" : "s");
	ksqld_rows_init(&rows);
	ksqld_exec_set_timeout(c->exec, q.timeout_ms);
	ret = ksqld_exec_run(c->exec, q.sql, q.params, q.nparams, &rows);
	if (ret == 0) {
		if (rows.st.err)
			log_debug("%s: query %" PRIu64 " failed: %s (errno %u, sqlite %d)", c->name,
				  q.req_id, rows.errmsg, rows.st.err, rows.st.sqlite_code);
		else
			log_debug("%s: query %" PRIu64 ": %zu row%s, %" PRIu64 " change%s", c->name,
				  q.req_id, rows.nrows, rows.nrows == 1 ? "" : "s",
				  rows.st.changes, rows.st.changes == 1 ? "" : "s");
		ret = reply(c, q.req_id, &rows, send, ctx);
	} else {
		ret = reply_error(c, q.req_id, -ret, "ksqld ran out of memory", send, ctx);
	}
	ksqld_rows_release(&rows);
	ksql_query_release(&q);
	return ret;
}

static int cancel_attr(const struct nlattr *a, void *p)
{
	if (mnl_attr_get_type(a) == KSQL_A_REQ_ID)
		return ksql_attr_u64(a, p);
	return 0;
}

int ksqld_core_handle(struct ksqld_core *c, const void *buf, size_t len,
		      ksqld_send_fn send, void *ctx)
{
	const struct nlmsghdr *nlh;
	uint64_t req_id = 0;
	int ret;

	ret = ksql_msg_check(buf, len, &nlh);
	if (ret < 0)
		return ret;
	if (nlh->nlmsg_type != c->msg_type)
		return -EINVAL;
	switch (ksql_msg_cmd(nlh)) {
	case KSQL_CMD_QUERY:
		return handle_query(c, nlh, send, ctx);
	case KSQL_CMD_CANCEL:
		/*
		 * Queries run to completion before the next message is read, so
		 * by now the cancelled one has been answered; the kernel drops
		 * that late reply.
		 */
		ksql_attr_walk(nlh, cancel_attr, &req_id);
		log_debug("%s: cancel of query %" PRIu64 " (already answered)", c->name, req_id);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}
