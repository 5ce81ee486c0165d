// SPDX-License-Identifier: GPL-2.0-only
/*
 * check_sched.c - ksqld's worker pool driven through the core with byte
 * buffers: ordering per key across the reader and writer pools, forwarding
 * of writes, cancellation, deadlines, transactions and reply batching. The
 * test plays the kernel; replies arrive through a batch, from worker threads.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>
#include <sqlite3.h>
#include <ksql/client.h>
#include "batch.h"
#include "codec.h"
#include "core.h"
#include "log.h"
#include "stats.h"
#include "worker.h"
#include "testutil.h"

#define FAMILY 0x2b
#define MAXREQ 256

static char dir[256], dbpath[300];
static struct ksqld_pool pool;
static struct ksqld_batch batch;
static struct ksqld_core core;
/* The control socket's core on the same pool: read-only, not the kernel. */
static struct ksqld_core ctl;

/* What the "kernel" got back, filled from the batch's send (worker threads). */
static pthread_mutex_t got_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ksql_reasm *reasm[MAXREQ];
static struct ksql_reply *reply[MAXREQ];
static uint64_t done_order[MAXREQ];
static unsigned int ndone, sends, max_msgs_per_send;

static int req_id_attr(const struct nlattr *a, void *p)
{
	if (mnl_attr_get_type(a) == KSQL_A_REQ_ID)
		return ksql_attr_u64(a, p);
	return 0;
}

static int capture(const void *buf, size_t len, void *ctx)
{
	const struct nlmsghdr *nlh = buf;
	int left = (int)len;
	unsigned int msgs = 0;

	(void)ctx;
	pthread_mutex_lock(&got_lock);
	sends++;
	while (mnl_nlmsg_ok(nlh, left)) {
		uint64_t id = 0;
		int ret;

		msgs++;
		ck_assert_int_eq(ksql_attr_walk(nlh, req_id_attr, &id), 0);
		ck_assert_msg(id > 0 && id < MAXREQ && reasm[id], "a reply to unknown request %llu",
			      (unsigned long long)id);
		ret = ksql_reasm_feed(reasm[id], nlh, nlh->nlmsg_len);
		ck_assert_int_ge(ret, 0);
		if (ret == 1) {
			reply[id] = ksql_reasm_take(reasm[id]);
			ksql_reasm_free(reasm[id]);
			reasm[id] = NULL;
			done_order[ndone++] = id;
		}
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	if (msgs > max_msgs_per_send)
		max_msgs_per_send = msgs;
	pthread_mutex_unlock(&got_lock);
	return 0;
}

struct qopt {
	uint32_t flags, timeout_ms, idle_ms;
	uint64_t txn, key, deadline_ns;
};

/* Sends QUERY id through core c; returns what ksqld_core_handle() returned. */
static int submit_to(struct ksqld_core *c, uint64_t id, const char *sql, const struct qopt *o)
{
	struct ksql_msg_hdr h = { .type = FAMILY, .flags = NLM_F_REQUEST };
	size_t size = ksql_query_size(sql ? sql : "", NULL, 0) + 128;
	char *buf = calloc(1, size);
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct qopt none = { 0 };
	int ret;

	if (!o)
		o = &none;
	ck_assert_uint_lt(id, MAXREQ);
	ck_assert_int_eq(ksql_query_build(buf, size, &h, id, sql ? sql : "",
					  o->timeout_ms, NULL, 0), 0);
	if (!sql) {
		/* A transaction verb without SQL: rebuild without the SQL attribute. */
		nlh = ksql_msg_start(buf, size, &h, KSQL_CMD_QUERY);
		mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, id);
	}
	if (o->flags)
		mnl_attr_put_u32(nlh, KSQL_A_FLAGS, o->flags);
	if (o->txn)
		mnl_attr_put_u64(nlh, KSQL_A_TXN_ID, o->txn);
	if (o->key)
		mnl_attr_put_u64(nlh, KSQL_A_ORDER_KEY, o->key);
	if (o->deadline_ns)
		mnl_attr_put_u64(nlh, KSQL_A_DEADLINE_NS, o->deadline_ns);
	if (o->idle_ms)
		mnl_attr_put_u32(nlh, KSQL_A_TXN_IDLE_MS, o->idle_ms);
	pthread_mutex_lock(&got_lock);
	ck_assert_ptr_null(reasm[id]);
	ck_assert_int_eq(ksql_reasm_new(id, &reasm[id]), 0);
	pthread_mutex_unlock(&got_lock);
	ret = ksqld_core_handle(c, buf, nlh->nlmsg_len, ksqld_batch_add, &batch);
	free(buf);
	return ret;
}

/* Sends QUERY id through the kernel's core (queued for the workers). */
static void submit(uint64_t id, const char *sql, const struct qopt *o)
{
	ck_assert_int_eq(submit_to(&core, id, sql, o), 1);
}

static void cancel(uint64_t id, uint64_t txn)
{
	char buf[128];
	struct ksql_msg_hdr h = { .type = FAMILY };
	struct nlmsghdr *nlh = ksql_msg_start(buf, sizeof(buf), &h, KSQL_CMD_CANCEL);

	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, id);
	if (txn)
		mnl_attr_put_u64(nlh, KSQL_A_TXN_ID, txn);
	ck_assert_int_eq(ksqld_core_handle(&core, buf, nlh->nlmsg_len, ksqld_batch_add, &batch), 0);
}

/* Waits (wide bound) until the reply to id arrived; returns it. */
static struct ksql_reply *wait_reply(uint64_t id)
{
	struct ksql_reply *r = NULL;
	int i;

	for (i = 0; i < 3000 && !r; i++) {
		ksqld_batch_flush(&batch);
		pthread_mutex_lock(&got_lock);
		r = reply[id];
		pthread_mutex_unlock(&got_lock);
		if (!r)
			usleep(5000);
	}
	ck_assert_msg(r != NULL, "no reply to request %llu within 15 s", (unsigned long long)id);
	return r;
}

static bool has_reply(uint64_t id)
{
	bool ret;

	ksqld_batch_flush(&batch);
	pthread_mutex_lock(&got_lock);
	ret = reply[id] != NULL;
	pthread_mutex_unlock(&got_lock);
	return ret;
}

/* Waits until n statements run at once (a long one has started). */
static void wait_running(uint64_t n)
{
	int i;

	for (i = 0; i < 3000 && ksqld_stat_get(KSQLD_STAT_RUNNING) != n; i++)
		usleep(5000);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_RUNNING), n);
}

static int64_t int_of(uint64_t id)
{
	struct ksql_reply *r = wait_reply(id);

	ck_assert_msg(ksql_reply_errno(r) == 0, "request %llu failed: %s",
		      (unsigned long long)id, ksql_reply_errmsg(r));
	return ksql_reply_value(r, 0, 0)->i;
}

static void start(unsigned int readers)
{
	char err[256];

	ck_assert_int_eq(ksqld_batch_init(&batch, 0, capture, NULL), 0);
	ck_assert_int_eq(ksqld_pool_start(&pool, dbpath, readers, &batch, err, sizeof(err)), 0);
	memset(&core, 0, sizeof(core));
	core.sched = pool.sched;
	core.msg_type = FAMILY;
	core.name = "test";
	core.from_kernel = true;
	memset(&ctl, 0, sizeof(ctl));
	ctl.sched = pool.sched;
	ctl.msg_type = FAMILY;
	ctl.name = "control";
	ctl.readonly_only = true;
	ctl.answers_stats = true;
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/check_sched.XXXXXX", tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(dbpath, sizeof(dbpath), "%s/test.db", dir);
	ksqld_stats_reset();
	memset(reply, 0, sizeof(reply));
	ndone = sends = max_msgs_per_send = 0;
	start(2);
	submit(1, "CREATE TABLE t (n INTEGER)", NULL);
	ck_assert_int_eq(ksql_reply_errno(wait_reply(1)), 0);
}

static void teardown(void)
{
	char cmd[600];
	unsigned int i;

	ksqld_pool_stop(&pool);
	ksqld_batch_destroy(&batch);
	for (i = 0; i < MAXREQ; i++) {
		ksql_reasm_free(reasm[i]);
		reasm[i] = NULL;
		ksql_reply_free(reply[i]);
		reply[i] = NULL;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

#define LONG_READ "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"

/*
 * ksqld stops while a kernel caller's statement runs: the statement is
 * interrupted and not answered (BYE then fails the caller with -ENOTCONN,
 * not EINTR, which kernel code reads as a signal); a control client is
 * answered EINTR, as it has no BYE to wait for.
 */
static void stop_during(bool from_kernel)
{
	core.from_kernel = from_kernel;
	submit(10, LONG_READ, NULL);
	wait_running(1);
	ksqld_pool_stop(&pool);
	if (from_kernel) {
		ck_assert_msg(!has_reply(10), "a kernel query interrupted by the shutdown was answered");
	} else {
		ck_assert(has_reply(10));
		ck_assert_int_eq(ksql_reply_errno(reply[10]), EINTR);
	}
	/* teardown stops a pool of its own */
	ksqld_batch_destroy(&batch);
	start(2);
}

START_TEST(shutdown_kernel_query_unanswered)
{
	stop_during(true);
}
END_TEST

START_TEST(shutdown_control_query_eintr)
{
	stop_during(false);
}
END_TEST

START_TEST(order_per_key_across_pools)
{
	struct qopt k = { .key = 42 };
	uint64_t id = 10, i;
	char sql[64];

	/* Writes and reads of one key alternate: each read sees exactly the writes before it. */
	for (i = 1; i <= 20; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO t VALUES (%llu)", (unsigned long long)i);
		submit(id++, sql, &k);
		submit(id++, "SELECT count(*) FROM t", &k);
	}
	for (i = 1; i <= 20; i++)
		ck_assert_int_eq(int_of(10 + 2 * i - 1), (int64_t)i);
	/* Answered in order of receipt. */
	for (i = 1; i < ndone; i++)
		if (done_order[i] >= 10 && done_order[i - 1] >= 10)
			ck_assert_uint_lt(done_order[i - 1], done_order[i]);
	ck_assert_uint_ge(ksqld_stat_get(KSQLD_STAT_READS), 20);
	ck_assert_uint_ge(ksqld_stat_get(KSQLD_STAT_WRITES), 21);
}
END_TEST

START_TEST(classify_and_forward)
{
	uint64_t reads = ksqld_stat_get(KSQLD_STAT_READS);
	uint64_t writes = ksqld_stat_get(KSQLD_STAT_WRITES);
	struct ksql_reply *r;

	/* Looks like a read (WITH), is a write: the reader hands it to the writer. */
	submit(10, "WITH v(x) AS (VALUES (7)) INSERT INTO t SELECT x FROM v", NULL);
	r = wait_reply(10);
	ck_assert_int_eq(ksql_reply_errno(r), 0);
	ck_assert_uint_eq(ksql_reply_changes(r), 1);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_WRITES), writes + 1);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_READS), reads);
	submit(11, "SELECT n FROM t", NULL);
	ck_assert_int_eq(int_of(11), 7);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_READS), reads + 1);
	/* BEGIN as plain SQL is refused rather than left open on a connection. */
	submit(12, "BEGIN", NULL);
	ck_assert_int_eq(ksql_reply_errno(wait_reply(12)), EINVAL);
	/* Multi-statement SQL stays refused with its sentence. */
	submit(13, "SELECT 1; DELETE FROM t", NULL);
	ck_assert_str_eq(ksql_reply_errmsg(wait_reply(13)),
			 "ksql runs one statement per call; the SQL has text after the first statement");
}
END_TEST

START_TEST(cancel_queued_and_running)
{
	uint64_t t0;

	/* One reader: the second long read waits behind the first. */
	ksqld_pool_stop(&pool);
	ksqld_batch_destroy(&batch);
	start(1);
	submit(20, LONG_READ, NULL);
	wait_running(1);
	submit(21, LONG_READ, NULL);
	usleep(50000);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_QUEUED), 1);
	cancel(21, 0);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_CANCELLED_QUEUED), 1);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_QUEUED), 0);
	/* The running one is interrupted from this thread. */
	t0 = ksqld_now_ns();
	cancel(20, 0);
	ksqld_sched_wait_idle(pool.sched);
	ck_assert_uint_lt(ksqld_now_ns() - t0, 10ull * 1000000000u);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_CANCELLED_RUNNING), 1);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_CANCELS), 2);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_RUNNING), 0);
	ck_assert(!has_reply(20) && !has_reply(21));
	/* Unknown ids are ignored; the reader still works. */
	cancel(99, 0);
	submit(22, "SELECT 5", NULL);
	ck_assert_int_eq(int_of(22), 5);
}
END_TEST

START_TEST(deadlines)
{
	struct qopt past = { .deadline_ns = ksqld_now_ns() + 50 * 1000000ull };
	struct qopt soon = { .timeout_ms = 100 };
	struct ksql_reply *r;

	ksqld_pool_stop(&pool);
	ksqld_batch_destroy(&batch);
	start(1);
	submit(30, LONG_READ, NULL);
	wait_running(1);
	/* Waits behind the long read past its deadline: dropped unanswered. */
	submit(31, "SELECT 1", &past);
	usleep(200000);
	cancel(30, 0);
	ksqld_sched_wait_idle(pool.sched);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_EXPIRED), 1);
	ck_assert(!has_reply(31));
	/*
	 * A running statement is interrupted at its deadline; the kernel
	 * caller times out by itself then, so no answer races its timer.
	 */
	submit(32, LONG_READ, &soon);
	wait_running(1);
	ksqld_sched_wait_idle(pool.sched);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_DEADLINE_INTERRUPTS), 1);
	ck_assert(!has_reply(32));
	/* The reader is free again. */
	submit(33, "SELECT 4", NULL);
	ck_assert_int_eq(int_of(33), 4);
	/* Elsewhere (the control socket) the interrupted statement is answered. */
	core.from_kernel = false;
	submit(34, LONG_READ, &soon);
	r = wait_reply(34);
	ck_assert_int_eq(ksql_reply_errno(r), ETIMEDOUT);
	ck_assert_ptr_nonnull(strstr(ksql_reply_errmsg(r), "100 ms"));
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_DEADLINE_INTERRUPTS), 2);
	/* The deadline rule: a clock far off is replaced by now + timeout. */
	ck_assert_uint_eq(ksqld_job_deadline(1000000000, 1, 100), 1100000000);
	ck_assert_uint_eq(ksqld_job_deadline(1000000000, 1050000000, 100), 1050000000);
	ck_assert_uint_eq(ksqld_job_deadline(1000000000, 0, 0), 0);
	ck_assert_uint_eq(ksqld_job_deadline(1000000000, 5, 0), 5);
}
END_TEST

START_TEST(txn_visibility)
{
	struct qopt begin = { .flags = KSQL_F_TXN_BEGIN, .txn = 7, .key = 7 };
	struct qopt in = { .txn = 7, .key = 7 };
	struct qopt commit = { .flags = KSQL_F_TXN_COMMIT, .txn = 7, .key = 7 };
	struct qopt begin8 = { .flags = KSQL_F_TXN_BEGIN, .txn = 8, .key = 8 };
	struct qopt in8 = { .txn = 8, .key = 8 };
	struct qopt rollback8 = { .flags = KSQL_F_TXN_ROLLBACK, .txn = 8, .key = 8 };

	submit(40, NULL, &begin);
	ck_assert_int_eq(ksql_reply_errno(wait_reply(40)), 0);
	submit(41, "INSERT INTO t VALUES (1)", &in);
	ck_assert_int_eq(ksql_reply_errno(wait_reply(41)), 0);
	/* Inside it sees its row; a reader does not. */
	submit(42, "SELECT count(*) FROM t", &in);
	ck_assert_int_eq(int_of(42), 1);
	submit(43, "SELECT count(*) FROM t", NULL);
	ck_assert_int_eq(int_of(43), 0);
	/* A failing statement leaves it open. */
	submit(44, "INSERT INTO nope VALUES (1)", &in);
	ck_assert_int_eq(ksql_reply_errno(wait_reply(44)), EINVAL);
	submit(45, NULL, &commit);
	ck_assert_int_eq(ksql_reply_errno(wait_reply(45)), 0);
	submit(46, "SELECT count(*) FROM t", NULL);
	ck_assert_int_eq(int_of(46), 1);
	/* Rolled back: nothing stays. */
	submit(47, NULL, &begin8);
	submit(48, "INSERT INTO t VALUES (2)", &in8);
	submit(49, NULL, &rollback8);
	ck_assert_int_eq(ksql_reply_errno(wait_reply(49)), 0);
	submit(50, "SELECT count(*) FROM t", NULL);
	ck_assert_int_eq(int_of(50), 1);
	/* A statement of an ended transaction is told so. */
	submit(51, "SELECT 1", &in8);
	ck_assert_int_eq(ksql_reply_errno(wait_reply(51)), EINVAL);
	ck_assert_ptr_nonnull(strstr(ksql_reply_errmsg(reply[51]), "already been rolled back"));
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_TXN_BEGUN), 2);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_TXN_COMMITTED), 1);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_TXN_ROLLED_BACK), 1);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_TXN_ABORTED), 0);
}
END_TEST

START_TEST(txn_idle_rollback)
{
	struct qopt begin = { .flags = KSQL_F_TXN_BEGIN, .txn = 9, .key = 9, .idle_ms = 250 };
	struct qopt in = { .txn = 9, .key = 9 };
	struct qopt unknown = { .txn = 12345 };
	struct ksql_reply *r;
	int i;

	submit(60, NULL, &begin);
	ck_assert_int_eq(ksql_reply_errno(wait_reply(60)), 0);
	submit(61, "INSERT INTO t VALUES (1)", &in);
	ck_assert_int_eq(ksql_reply_errno(wait_reply(61)), 0);
	for (i = 0; i < 1000 && !ksqld_stat_get(KSQLD_STAT_TXN_ABORTED); i++)
		usleep(5000);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_TXN_ABORTED), 1);
	submit(62, "INSERT INTO t VALUES (2)", &in);
	r = wait_reply(62);
	ck_assert_int_eq(ksql_reply_errno(r), ETIMEDOUT);
	ck_assert_str_eq(ksql_reply_errmsg(r),
			 "the transaction was rolled back after 250 ms idle (no statement of it arrived in time); begin a new one");
	submit(63, "SELECT count(*) FROM t", NULL);
	ck_assert_int_eq(int_of(63), 0);
	submit(64, "SELECT 1", &unknown);
	r = wait_reply(64);
	ck_assert_int_eq(ksql_reply_errno(r), EINVAL);
	ck_assert_ptr_nonnull(strstr(ksql_reply_errmsg(r), "knows no transaction 12345"));
}
END_TEST

START_TEST(txn_cancel_rolls_back)
{
	struct qopt begin = { .flags = KSQL_F_TXN_BEGIN, .txn = 5, .key = 5 };
	struct qopt in = { .txn = 5, .key = 5 };
	struct ksql_reply *r;
	int i;

	submit(65, NULL, &begin);
	submit(66, "INSERT INTO t VALUES (1)", &in);
	ck_assert_int_eq(ksql_reply_errno(wait_reply(66)), 0);
	cancel(67, 5);
	for (i = 0; i < 1000 && !ksqld_stat_get(KSQLD_STAT_TXN_ABORTED); i++)
		usleep(5000);
	submit(68, "SELECT 1", &in);
	r = wait_reply(68);
	ck_assert_int_eq(ksql_reply_errno(r), ECANCELED);
	submit(69, "SELECT count(*) FROM t", NULL);
	ck_assert_int_eq(int_of(69), 0);
}
END_TEST

START_TEST(writes_wait_behind_txn)
{
	struct qopt begin = { .flags = KSQL_F_TXN_BEGIN, .txn = 11, .key = 11 };
	struct qopt in = { .txn = 11, .key = 11 };
	struct qopt commit = { .flags = KSQL_F_TXN_COMMIT, .txn = 11, .key = 11 };
	unsigned int i, at_commit = 0, at_write = 0;

	submit(70, NULL, &begin);
	ck_assert_int_eq(ksql_reply_errno(wait_reply(70)), 0);
	submit(71, "INSERT INTO t VALUES (100)", NULL);	/* another caller's write */
	usleep(100000);
	ck_assert(!has_reply(71));
	/* Reads keep going meanwhile. */
	submit(72, "SELECT 3", NULL);
	ck_assert_int_eq(int_of(72), 3);
	submit(73, "INSERT INTO t VALUES (1)", &in);
	submit(74, NULL, &commit);
	ck_assert_int_eq(ksql_reply_errno(wait_reply(74)), 0);
	ck_assert_int_eq(ksql_reply_errno(wait_reply(71)), 0);
	for (i = 0; i < ndone; i++) {
		if (done_order[i] == 74)
			at_commit = i;
		if (done_order[i] == 71)
			at_write = i;
	}
	ck_assert_uint_lt(at_commit, at_write);
	submit(75, "SELECT count(*) FROM t", NULL);
	ck_assert_int_eq(int_of(75), 2);
}
END_TEST

struct sends {
	unsigned int calls, msgs[8];
	size_t bytes;
};

static int count_send(const void *buf, size_t len, void *ctx)
{
	struct sends *s = ctx;
	const struct nlmsghdr *nlh = buf;
	int left = (int)len;
	unsigned int n = 0;

	while (mnl_nlmsg_ok(nlh, left)) {
		n++;
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	ck_assert_uint_lt(s->calls, 8);
	s->msgs[s->calls++] = n;
	s->bytes += len;
	return 0;
}

START_TEST(batch_several_per_send)
{
	struct ksqld_batch b;
	struct sends s = { 0 };
	char msg[4][1000];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)msg[i];

		memset(msg[i], 0, sizeof(msg[i]));
		nlh->nlmsg_len = sizeof(msg[i]);
		nlh->nlmsg_type = FAMILY;
	}
	ksqld_stats_reset();
	/* Room for two messages per batch. */
	ck_assert_int_eq(ksqld_batch_init(&b, 2500, count_send, &s), 0);
	ck_assert_int_eq(ksqld_batch_add(msg[0], 1000, &b), 0);
	ck_assert_int_eq(ksqld_batch_add(msg[1], 1000, &b), 0);
	ck_assert_uint_eq(s.calls, 0);
	ck_assert_int_eq(ksqld_batch_add(msg[2], 1000, &b), 0);	/* full: the first two go */
	ck_assert_uint_eq(s.calls, 1);
	ck_assert_uint_eq(s.msgs[0], 2);
	ck_assert_int_eq(ksqld_batch_add(msg[3], 1000, &b), 0);
	ck_assert_int_eq(ksqld_batch_flush(&b), 0);
	ck_assert_int_eq(ksqld_batch_flush(&b), 0);	/* empty: no call */
	ck_assert_uint_eq(s.calls, 2);
	ck_assert_uint_eq(s.msgs[1], 2);
	ck_assert_uint_eq(s.bytes, 4000);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_REPLY_BATCHES), 2);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_REPLY_MSGS), 4);
	ksqld_batch_destroy(&b);
}
END_TEST

START_TEST(batch_end_to_end)
{
	unsigned int i;

	/* Many small replies: every message arrives, in fewer sends than messages. */
	for (i = 0; i < 100; i++)
		submit(100 + i, "SELECT 1", NULL);
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(int_of(100 + i), 1);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_REPLY_MSGS), 101);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_ANSWERED), 101);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_RECEIVED), 101);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_READERS), 2);
}
END_TEST

/* Is the batch's eventfd (the poll loop's wakeup) readable right now? */
static bool batch_fd_readable(void)
{
	struct pollfd p = { .fd = ksqld_batch_fd(&batch), .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

START_TEST(batch_idle_reply_wakes_nobody)
{
	struct ksqld_batch b;
	struct sends s = { 0 };
	char msg[1000] = { 0 };
	struct pollfd p;

	/*
	 * A worker that runs out of work sends its replies itself: answering
	 * one query wakes no other thread (docs/PERFORMANCE.md, B2).
	 */
	ck_assert(!batch_fd_readable());
	submit(150, "SELECT 7", NULL);
	ck_assert_int_eq(int_of(150), 7);
	ck_assert(!batch_fd_readable());

	/* A worker going on to another job arms the loop, once per batch. */
	((struct nlmsghdr *)msg)->nlmsg_len = sizeof(msg);
	((struct nlmsghdr *)msg)->nlmsg_type = FAMILY;
	ck_assert_int_eq(ksqld_batch_init(&b, 0, count_send, &s), 0);
	p = (struct pollfd){ .fd = ksqld_batch_fd(&b), .events = POLLIN };
	ksqld_batch_arm(&b);		/* empty: nothing to send, no wakeup */
	ck_assert_int_eq(poll(&p, 1, 0), 0);
	ck_assert_int_eq(ksqld_batch_add(msg, sizeof(msg), &b), 0);
	ck_assert_int_eq(poll(&p, 1, 0), 0);
	ksqld_batch_arm(&b);
	ck_assert_int_eq(poll(&p, 1, 0), 1);
	ksqld_batch_woken(&b);
	ksqld_batch_arm(&b);		/* armed already for this batch */
	ck_assert_int_eq(poll(&p, 1, 0), 0);
	ck_assert_int_eq(ksqld_batch_flush(&b), 0);
	ck_assert_uint_eq(s.calls, 1);
	ksqld_batch_destroy(&b);
}
END_TEST

/* A control reply: failed with err and a message holding what. */
static void assert_refused(uint64_t id, int err, const char *what)
{
	struct ksql_reply *r = wait_reply(id);

	ck_assert_msg(ksql_reply_errno(r) == err, "request %llu: errno %d (%s), expected %d",
		      (unsigned long long)id, ksql_reply_errno(r), ksql_reply_errmsg(r), err);
	ck_assert_msg(strstr(ksql_reply_errmsg(r), what), "request %llu: \"%s\" lacks \"%s\"",
		      (unsigned long long)id, ksql_reply_errmsg(r), what);
}

/*
 * Issue 12 item 1: a control client's QUERY{REQ_ID, FLAGS=TXN_BEGIN,
 * TXN_ID} without SQL, after a writer statement, crashed ksqld
 * (strcmp(NULL) on the writer). Transaction flags and ids are the
 * kernel's: refused on the control socket, with or without SQL.
 */
START_TEST(control_txn_verbs_refused)
{
	struct qopt begin = { .flags = KSQL_F_TXN_BEGIN, .txn = 7 };
	struct qopt in_txn = { .txn = 7 };
	struct qopt commit = { .flags = KSQL_F_TXN_COMMIT, .txn = 7 };

	/* setup ran a writer statement (CREATE TABLE) already */
	ck_assert_int_eq(submit_to(&ctl, 40, NULL, &begin), 0);
	assert_refused(40, EPERM, "only accepted from the ksql kernel module");
	ck_assert_int_eq(submit_to(&ctl, 41, "SELECT 1", &begin), 0);
	assert_refused(41, EPERM, "transaction flags");
	ck_assert_int_eq(submit_to(&ctl, 42, "SELECT 1", &in_txn), 0);
	assert_refused(42, EPERM, "transaction flags");
	ck_assert_int_eq(submit_to(&ctl, 43, NULL, &commit), 0);
	assert_refused(43, EPERM, "transaction flags");
	/* No transaction was opened: the writer still takes the kernel's writes. */
	submit(44, "INSERT INTO t VALUES (1)", NULL);
	ck_assert_int_eq(ksql_reply_errno(wait_reply(44)), 0);
	ck_assert_int_eq(submit_to(&ctl, 45, "SELECT count(*) FROM t", NULL), 1);
	ck_assert_int_eq(int_of(45), 1);
}
END_TEST

/* Sends CANCEL id through core c; returns what ksqld_core_handle() returned. */
static int cancel_on(struct ksqld_core *c, uint64_t id)
{
	char buf[128];
	struct ksql_msg_hdr h = { .type = FAMILY };
	struct nlmsghdr *nlh = ksql_msg_start(buf, sizeof(buf), &h, KSQL_CMD_CANCEL);

	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, id);
	return ksqld_core_handle(c, buf, nlh->nlmsg_len, ksqld_batch_add, &batch);
}

/*
 * Issue 12 item 8: the kernel and ksqlctl both number requests from 1, and
 * jobs were matched by req_id alone. A kernel CANCEL must not drop a
 * control client's queued query with the same id (ksqlctl then waited
 * forever), and a control client may not cancel anything.
 */
START_TEST(cancel_keyed_by_sink)
{
	/* Both readers busy: the control query waits in the queue. */
	submit(50, LONG_READ, NULL);
	submit(51, LONG_READ, NULL);
	wait_running(2);
	ck_assert_int_eq(submit_to(&ctl, 52, "SELECT 52", NULL), 1);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_QUEUED), 1);
	/* The kernel cancels its own request 52, which it never sent. */
	cancel(52, 0);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_QUEUED), 1);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_CANCELLED_QUEUED), 0);
	/* A control client's CANCEL of kernel work is refused; it keeps running. */
	ck_assert_int_eq(cancel_on(&ctl, 50), -EPERM);
	ck_assert_int_eq(cancel_on(&ctl, 52), -EPERM);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_RUNNING), 2);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_QUEUED), 1);
	ck_assert(!has_reply(50));
	/* The kernel's own cancels still work; then the control query runs. */
	cancel(50, 0);
	cancel(51, 0);
	ck_assert_int_eq(int_of(52), 52);
	ksqld_sched_wait_idle(pool.sched);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_CANCELLED_RUNNING), 2);
}
END_TEST

/* A kernel statement (the writer's, for PRAGMAs) that answers one integer. */
static int64_t kernel_int(uint64_t id, const char *sql)
{
	submit(id, sql, NULL);
	return int_of(id);
}

static bool file_exists(const char *name)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/*
 * Issue 12 item 2: the control socket's statements never touch the
 * writer. PRAGMAs that set something, ATTACH (which created a file and
 * stayed attached to the writer), VACUUM INTO and writes are refused; the
 * writer's settings are what they were; PRAGMAs that only report work.
 */
static void control_lockdown(unsigned int readers)
{
	static const char *const refused[] = {
		"PRAGMA synchronous=OFF",
		"PRAGMA ignore_check_constraints=1",
		"PRAGMA foreign_keys=OFF",
		"PRAGMA query_only=0",
		"PRAGMA user_version=5",
		"PRAGMA main.journal_mode=DELETE",
		"ATTACH 'attached.db' AS x",
		"VACUUM INTO 'vacuumed.db'",
		"INSERT INTO t VALUES (99)",
		"CREATE TABLE u (n)",
		"DROP TABLE t",
	};
	char attach[400], vacuum[400];
	uint64_t id = 60;
	int64_t sync_before;
	size_t i;

	if (readers != 2) {
		ksqld_pool_stop(&pool);
		ksqld_batch_destroy(&batch);
		start(readers);
	}
	snprintf(attach, sizeof(attach), "ATTACH '%s/attached.db' AS x", dir);
	snprintf(vacuum, sizeof(vacuum), "VACUUM INTO '%s/vacuumed.db'", dir);
	submit(id, "PRAGMA foreign_keys=ON", NULL);
	ck_assert_int_eq(ksql_reply_errno(wait_reply(id++)), 0);
	ck_assert_int_eq(kernel_int(id++, "PRAGMA foreign_keys"), 1);
	sync_before = kernel_int(id++, "PRAGMA synchronous");
	ck_assert_int_ne(sync_before, 0);
	for (i = 0; i < ARRAY_LEN(refused); i++, id++) {
		const char *sql = refused[i];

		if (strncmp(sql, "ATTACH", 6) == 0)
			sql = attach;
		if (strncmp(sql, "VACUUM", 6) == 0)
			sql = vacuum;
		ck_assert_int_eq(submit_to(&ctl, id, sql, NULL), 1);
		assert_refused(id, EPERM, "");
	}
	/* Nothing changed on the writer, and no file was made. */
	ck_assert_int_eq(kernel_int(id++, "PRAGMA synchronous"), sync_before);
	ck_assert_int_eq(kernel_int(id++, "PRAGMA ignore_check_constraints"), 0);
	ck_assert_int_eq(kernel_int(id++, "PRAGMA foreign_keys"), 1);
	ck_assert_int_eq(kernel_int(id++, "PRAGMA user_version"), 0);
	submit(id, "PRAGMA database_list", NULL);
	ck_assert_uint_eq(ksql_reply_rows(wait_reply(id++)), 1);
	ck_assert(!file_exists("attached.db"));
	ck_assert(!file_exists("vacuumed.db"));
	ck_assert_int_eq(kernel_int(id++, "SELECT count(*) FROM t"), 0);
	/* What only reports still works on the control socket. */
	ck_assert_int_eq(submit_to(&ctl, id, "PRAGMA user_version", NULL), 1);
	ck_assert_int_eq(int_of(id++), 0);
	ck_assert_int_eq(submit_to(&ctl, id, "PRAGMA table_info(t)", NULL), 1);
	ck_assert_uint_eq(ksql_reply_rows(wait_reply(id++)), 1);
	ck_assert_int_eq(submit_to(&ctl, id, "SELECT count(*) FROM pragma_table_info('t')", NULL), 1);
	ck_assert_int_eq(int_of(id++), 1);
	ck_assert_int_eq(submit_to(&ctl, id, "PRAGMA quick_check", NULL), 1);
	ck_assert_str_eq(ksql_reply_value(wait_reply(id++), 0, 0)->text, "ok");
	ck_assert_uint_lt(id, MAXREQ);
}

START_TEST(control_never_touches_writer)
{
	control_lockdown(2);
}
END_TEST

START_TEST(control_never_touches_writer_no_readers)
{
	control_lockdown(0);
}
END_TEST

/* A control statement runs at most ctl.max_timeout_ms, whatever it asks. */
START_TEST(control_default_deadline)
{
	struct qopt longer = { .timeout_ms = 3600000 };
	struct ksql_reply *r;

	ctl.max_timeout_ms = 100;
	ck_assert_int_eq(submit_to(&ctl, 90, LONG_READ, NULL), 1);
	r = wait_reply(90);
	ck_assert_int_eq(ksql_reply_errno(r), ETIMEDOUT);
	ck_assert_ptr_nonnull(strstr(ksql_reply_errmsg(r), "control socket's time limit of 100 ms"));
	ck_assert_int_eq(submit_to(&ctl, 91, LONG_READ, &longer), 1);
	ck_assert_int_eq(ksql_reply_errno(wait_reply(91)), ETIMEDOUT);
	/* The reader is free again. */
	ck_assert_int_eq(submit_to(&ctl, 92, "SELECT 92", NULL), 1);
	ck_assert_int_eq(int_of(92), 92);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sched");
	const struct test_case cases[] = {
		{ "order per key across pools", order_per_key_across_pools },
		{ "shutdown: a kernel query is not answered", shutdown_kernel_query_unanswered },
		{ "shutdown: a control query gets EINTR", shutdown_control_query_eintr },
		{ "classification and forwarding", classify_and_forward },
		{ "cancel queued and running", cancel_queued_and_running },
		{ "deadlines", deadlines },
		{ "transaction visibility", txn_visibility },
		{ "transaction idle rollback", txn_idle_rollback },
		{ "transaction cancel", txn_cancel_rolls_back },
		{ "writes wait behind a transaction", writes_wait_behind_txn },
		{ "an idle worker's reply wakes nobody", batch_idle_reply_wakes_nobody },
		{ "batch several per send", batch_several_per_send },
		{ "batch end to end", batch_end_to_end },
		{ "control: transaction verbs refused", control_txn_verbs_refused },
		{ "cancel keyed by (sink, request id)", cancel_keyed_by_sink },
		{ "control never touches the writer", control_never_touches_writer },
		{ "control never touches the writer (no readers)",
		  control_never_touches_writer_no_readers },
		{ "control statements have a default deadline", control_default_deadline },
	};

	ksqld_log_init(false);
	add_cases(s, cases, ARRAY_LEN(cases), setup, teardown);
	return run_suite(s);
}
