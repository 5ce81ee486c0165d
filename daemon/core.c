// SPDX-License-Identifier: GPL-2.0-only
/* core.c - QUERY in (queued or run), CANCEL to the scheduler, PING and STATS out. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"
#include "info.h"
#include "log.h"
#include "logsink.h"
#include "msgid.h"
#include "ping.h"
#include "ratelimit.h"
#include "reply.h"
#include "stats.h"
#include "worker_log.h"

static void fill_sink(const struct ksqld_core *c, ksqld_send_fn send, void *ctx,
		      struct ksqld_sink *sink)
{
	*sink = (struct ksqld_sink){
		.send = send, .ctx = ctx, .done = c->done, .msg_type = c->msg_type,
		.portid = c->reply_portid, .chunk_target = c->chunk_target,
		.readonly_only = c->readonly_only, .from_kernel = c->from_kernel,
		.name = c->name,
	};
}

/* Without a scheduler: run now on c->exec. */
/*
 * Shutting down, the workers gone (BYE's wait still reads): answer @j with
 * ENOTCONN and @why, or drop it silently when @why is NULL, and free it.
 */
static int refuse_shutting_down(struct ksqld_job *j, const char *why)
{
	int ret = 0;

	if (why)
		ret = ksqld_reply_error(&j->sink, j->q.req_id, ENOTCONN, why);
	j->sink.done = NULL;
	ksqld_job_free(j);
	return ret;
}

/*
 * The control socket runs single read-only statements. Transactions are
 * the kernel's (one connection, the writer, held open between messages): a
 * client must not open, join or end one, and a QUERY without SQL is only
 * ever a transaction verb. Refused here, before a worker sees it (a verb
 * without SQL reached strcmp(NULL) on the writer: issue 12 item 1).
 * Returns 0 (answered) or the send error; 1 when j may be queued.
 */
static int refuse_control_query(struct ksqld_core *c, struct ksqld_job *j)
{
	const char *why = NULL;
	int ret;

	if (j->q.flags || j->q.txn_id || j->q.txn_idle_ms)
		why = "the control socket runs single statements: transaction flags and ids (TXN_BEGIN, TXN_COMMIT, TXN_ROLLBACK, TXN_ID, TXN_IDLE_MS) are only accepted from the ksql kernel module";
	else if (!j->q.sql)
		why = "the QUERY carries no SQL: the control socket needs one SQL statement in KSQL_A_SQL";
	if (!why)
		return 1;
	log_warn("%s: query %" PRIu64 " refused: %s", c->name, j->q.req_id, why);
	ret = ksqld_reply_error(&j->sink, j->q.req_id, EPERM, why);
	j->sink.done = NULL;	/* answered here: nothing to signal */
	ksqld_job_free(j);
	return ret;
}

/* A control statement's deadline: its own, or c->max_timeout_ms if sooner. */
static void cap_deadline(const struct ksqld_core *c, struct ksqld_job *j)
{
	uint64_t cap;

	if (!c->max_timeout_ms)
		return;
	cap = j->recv_ns + (uint64_t)c->max_timeout_ms * 1000000u;
	if (!j->deadline_ns || j->deadline_ns > cap) {
		j->deadline_ns = cap;
		j->capped_ms = c->max_timeout_ms;
	}
}

static int run_now(struct ksqld_core *c, struct ksqld_job *j)
{
	struct ksqld_rows rows;
	int ret;

	ksqld_rows_init(&rows);
	if (!j->q.sql) {
		ksqld_rows_fail(&rows, EINVAL, 0,
				"transactions need ksqld's worker threads; this core runs single statements only");
	} else {
		ksqld_exec_set_limits(c->exec, j->deadline_ns, j->q.timeout_ms, NULL);
		ksqld_exec_run(c->exec, j->q.sql, j->q.params, j->q.nparams, &rows);
	}
	ret = ksqld_reply_rows(&j->sink, j->q.req_id, &rows);
	ksqld_rows_release(&rows);
	j->sink.done = NULL;	/* answered synchronously: nothing to signal */
	ksqld_job_free(j);
	return ret;
}

static int handle_query(struct ksqld_core *c, const void *buf, size_t len,
			ksqld_send_fn send, void *ctx)
{
	struct ksqld_sink sink;
	struct ksqld_job *j;
	uint64_t req_id;
	int ret;

	fill_sink(c, send, ctx, &sink);
	if (c->from_kernel)
		ksqld_stat_add(KSQLD_STAT_RECEIVED, 1);
	ret = ksqld_job_new(buf, len, &sink, &j, &req_id);
	if (ret < 0) {
		log_warn("%s: malformed QUERY (%s)%s", c->name, strerror(-ret),
			 req_id ? "; answered with EINVAL" : "; dropped, it has no request id");
		if (!req_id)
			return ret;
		return ksqld_reply_error(&sink, req_id, ret == -E2BIG ? E2BIG : EINVAL,
					 "ksqld could not parse the QUERY message");
	}
	log_debug("%s: query %" PRIu64 ": %s (%u parameter%s)", c->name, j->q.req_id,
		  j->q.sql ? j->q.sql : "(transaction verb)", j->q.nparams,
		  j->q.nparams == 1 ? "" : "s");
	if (!c->from_kernel) {
		ret = refuse_control_query(c, j);
		if (ret != 1)
			return ret;
		cap_deadline(c, j);
	}
	if (!c->sched && !c->exec)
		return refuse_shutting_down(j, "ksqld is shutting down; the query did not run");
	if (!c->sched)
		return run_now(c, j);
	ksqld_sched_submit(c->sched, j);
	c->queued++;
	return 1;
}

/* Without a scheduler: a TABLE_OPEN or LOG runs now on c->exec (the writer). */
static int run_log_now(struct ksqld_core *c, struct ksqld_job *j)
{
	struct ksqld_logsink *ls = ksqld_exec_logsink(c->exec);
	struct ksqld_rows rows;
	int ret = 0;

	if (j->kind == KSQLD_JOB_LOG) {
		ksqld_log_commit_jobs(c->exec, &j, 1);
	} else {
		ksqld_rows_init(&rows);
		if (ls)
			ksqld_logsink_open(ls, j->table, j->columns, &rows);
		else
			ksqld_rows_fail(&rows, ENOMEM, 0, "out of memory");
		ret = ksqld_reply_rows(&j->sink, j->q.req_id, &rows);
		ksqld_rows_release(&rows);
	}
	j->sink.done = NULL;
	ksqld_job_free(j);
	return ret;
}

/* TABLE_OPEN and LOG go to the writer, in order of receipt with everything else. */
static int queue_log_job(struct ksqld_core *c, struct ksqld_job *j)
{
	/* Shutting down: a LOG is resent to the next daemon; TABLE_OPEN is refused. */
	if (!c->sched && !c->exec)
		return refuse_shutting_down(j, j->kind == KSQLD_JOB_TABLE_OPEN ?
					    "ksqld is shutting down; the table was not opened" : NULL);
	if (!c->sched)
		return run_log_now(c, j);
	ksqld_sched_submit(c->sched, j);
	return 1;
}

/* A malformed LOG is resent as it is, and refused again: one line a second. */
static void log_malformed_log(struct ksqld_core *c, int err, const char *why)
{
	static struct ksqld_ratelimit rl;
	struct ksqld_log_fields f;
	unsigned int missed;

	if (!ksqld_ratelimit_pass(&rl, ksqld_now_ns(), 1000000000u, &missed))
		return;
	ksqld_log_fields_init(&f);
	ksqld_log_field(&f, "KSQL_ERRNO", "%d", err);
	if (missed)
		ksqld_log_field(&f, "KSQL_SUPPRESSED", "%u", missed);
	ksqld_log_event(LOG_WARNING, KSQLD_MSGID_LOG_REFUSED, f.v, "%s: LOG batch refused: %s%s",
			c->name, why,
			missed ? " (and more refusals not logged in the last second)" : "");
}

static int handle_log(struct ksqld_core *c, const void *buf, size_t len,
		      ksqld_send_fn send, void *ctx)
{
	struct ksqld_sink sink;
	struct ksqld_job *j;
	char err[512];
	int ret;

	fill_sink(c, send, ctx, &sink);
	ksqld_stat_add(KSQLD_STAT_LOG_BATCHES, 1);
	ret = ksqld_job_new_log(buf, len, &sink, &j, err, sizeof(err));
	if (ret < 0) {
		/* No request id to answer: the kernel sees no ack and keeps the rows. */
		ksqld_stat_add(KSQLD_STAT_LOG_REFUSED, 1);
		log_malformed_log(c, -ret, err);
		return 0;
	}
	log_debug("%s: LOG table %s epoch %" PRIu64 ": %u rows, %u gaps", c->name, j->log.table,
		  j->log.epoch, j->log.nrows, j->log.ngaps);
	return queue_log_job(c, j);
}

static int handle_table_open(struct ksqld_core *c, const void *buf, size_t len,
			     ksqld_send_fn send, void *ctx)
{
	struct ksqld_sink sink;
	struct ksqld_job *j;
	uint64_t req_id;
	int ret;

	fill_sink(c, send, ctx, &sink);
	ret = ksqld_job_new_open(buf, len, &sink, &j, &req_id);
	if (ret < 0) {
		log_warn("%s: malformed TABLE_OPEN (%s)%s", c->name, strerror(-ret),
			 req_id ? "; answered with EINVAL" : "; dropped, it has no request id");
		if (!req_id)
			return ret;
		return ksqld_reply_error(&sink, req_id, ret == -ENOMEM ? ENOMEM : EINVAL,
					 "ksqld could not parse the TABLE_OPEN message (it needs REQ_ID, TABLE and COLUMNS, nothing unknown)");
	}
	return queue_log_job(c, j);
}

/*
 * PING: answered here, in the receiving thread, with one empty RESULT; no
 * job, no scheduler, no SQLite. Replies to the kernel normally wait in the
 * batch for company (up to about 2 ms); this one goes out at once, as a
 * worker's would when it runs out of work, so a PING's round trip is the
 * transport's alone.
 */
static int handle_ping(struct ksqld_core *c, const struct nlmsghdr *nlh,
		       ksqld_send_fn send, void *ctx)
{
	struct ksqld_sink sink;
	struct ksqld_ping p;
	int ret;

	fill_sink(c, send, ctx, &sink);
	ret = ksqld_ping_parse(nlh, &p);
	if (ret < 0) {
		log_warn("%s: malformed PING (%s)%s", c->name, strerror(-ret),
			 p.req_id ? "; answered with EINVAL" : "; dropped, it has no request id");
		if (!p.req_id)
			return ret;
		return ksqld_reply_error(&sink, p.req_id, EINVAL,
					 "ksqld could not parse the PING message (it needs REQ_ID, and may carry TIMEOUT_MS and DEADLINE_NS, nothing else)");
	}
	ret = ksqld_reply_empty(&sink, p.req_id);
	if (ret < 0)
		return ret;
	if (c->flush)
		c->flush(ctx);
	ksqld_stat_add(KSQLD_STAT_PINGS, 1);
	log_debug("%s: ping %" PRIu64 " answered", c->name, p.req_id);
	return 0;
}

struct cancel_ids {
	uint64_t req_id, txn_id;
};

static int cancel_attr(const struct nlattr *a, void *p)
{
	struct cancel_ids *ids = p;

	if (mnl_attr_get_type(a) == KSQL_A_REQ_ID)
		return ksql_attr_u64(a, &ids->req_id);
	if (mnl_attr_get_type(a) == KSQL_A_TXN_ID)
		return ksql_attr_u64(a, &ids->txn_id);
	return 0;
}

static int handle_cancel(struct ksqld_core *c, const struct nlmsghdr *nlh)
{
	struct cancel_ids ids = { 0 };
	int ret;

	/*
	 * Only the kernel cancels: a control client has one request at a time
	 * and ends it by closing its socket. Its ids are not the kernel's, and
	 * matching by number alone let it drop kernel work (issue 12 item 8).
	 */
	if (!c->from_kernel) {
		log_warn("%s: CANCEL refused: only the ksql kernel module may cancel requests",
			 c->name);
		return -EPERM;
	}
	ret = ksql_attr_walk(nlh, cancel_attr, &ids);
	if (ret < 0)
		return ret;
	log_debug("%s: cancel of query %" PRIu64 " (transaction %" PRIu64 ")", c->name,
		  ids.req_id, ids.txn_id);
	if (c->sched)
		ksqld_sched_cancel(c->sched, ids.req_id, ids.txn_id);
	else
		ksqld_stat_add(KSQLD_STAT_CANCELS, 1);	/* all ran already */
	return 0;
}

/* The counters and who ksqld is: room for both paths at their longest. */
#define STATS_ANSWER_MAX	(2048 + 2 * (KSQL_PATH_MAX + 1) + 256)

static int handle_stats(struct ksqld_core *c, const struct nlmsghdr *nlh,
			ksqld_send_fn send, void *ctx)
{
	char *buf = malloc(STATS_ANSWER_MAX);
	int len, ret;

	if (!buf)
		return -ENOMEM;
	len = ksqld_stats_build(buf, STATS_ANSWER_MAX, c->msg_type, nlh->nlmsg_seq);
	ret = len < 0 ? len : ksqld_info_put((struct nlmsghdr *)buf, STATS_ANSWER_MAX);
	if (ret == 0)
		ret = send(buf, ((struct nlmsghdr *)buf)->nlmsg_len, ctx);
	free(buf);
	return ret;
}

int ksqld_core_handle(struct ksqld_core *c, const void *buf, size_t len,
		      ksqld_send_fn send, void *ctx)
{
	const struct nlmsghdr *nlh;
	int ret;

	ret = ksql_msg_check(buf, len, &nlh);
	if (ret < 0)
		return ret;
	if (nlh->nlmsg_type != c->msg_type)
		return -EINVAL;
	switch (ksql_msg_cmd(nlh)) {
	case KSQL_CMD_QUERY:
		return handle_query(c, nlh, nlh->nlmsg_len, send, ctx);
	case KSQL_CMD_CANCEL:
		return handle_cancel(c, nlh);
	case KSQL_CMD_TABLE_OPEN:
		/* Only the kernel logs; the control socket is read-only. */
		if (!c->from_kernel)
			return -EOPNOTSUPP;
		return handle_table_open(c, nlh, nlh->nlmsg_len, send, ctx);
	case KSQL_CMD_LOG:
		if (!c->from_kernel)
			return -EOPNOTSUPP;
		return handle_log(c, nlh, nlh->nlmsg_len, send, ctx);
	case KSQL_CMD_PING:
		/* From the kernel and from the control socket alike. */
		return handle_ping(c, nlh, send, ctx);
	case KSQL_CMD_STATS:
		if (c->answers_stats)
			return handle_stats(c, nlh, send, ctx);
		return -EOPNOTSUPP;
	default:
		return -EOPNOTSUPP;
	}
}
