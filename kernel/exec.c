// SPDX-License-Identifier: GPL-2.0
/*
 * exec.c - ksql_exec() and ksql_exec_timeout(): send one statement to the
 * daemon and sleep until its result, a timeout, a fatal signal or the
 * daemon's death. Transactions (txn.c) use the same path.
 *
 * A caller first waits (killably, FIFO) for one of max_in_flight slots,
 * then sends. When the daemon's receive queue is full the send fails with
 * -EAGAIN; the caller sleeps 1 ms, 2 ms, ... up to 50 ms between tries,
 * until its deadline.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/string.h>

#include "ksql_internal.h"
#include "ksql_trace.h"

#define KSQL_BACKOFF_MIN_MS	1
#define KSQL_BACKOFF_MAX_MS	50

/* Delay before retry number @attempt (from 1) of an -EAGAIN send. */
unsigned long ksql_backoff_jiffies(unsigned int attempt)
{
	unsigned int ms = KSQL_BACKOFF_MAX_MS;

	if (attempt && attempt <= 6)
		ms = min(KSQL_BACKOFF_MIN_MS << (attempt - 1),
			 KSQL_BACKOFF_MAX_MS);
	return max(msecs_to_jiffies(ms), 1UL);
}

/**
 * ksql_req_send() - send a clone of @req's QUERY to the daemon
 * @req: a request holding a slot
 *
 * Process context. On success the built QUERY is freed; on -EAGAIN it is
 * kept for the next try, which the caller schedules.
 *
 * Return: 0, -EAGAIN (daemon's queue full, counted), or another errno.
 */
int ksql_req_send(struct ksql_req *req)
{
	int ret;

	/* set first: a timeout racing with the send then sends CANCEL */
	set_bit(KSQL_REQ_SENT, &req->flags);
	ret = ksql_nl_send_clone(req->skb, req->gen, GFP_KERNEL);
	if (!ret) {
		ksql_stat_inc(KSQL_STAT_SENT);
		kfree_skb(req->skb);
		req->skb = NULL;
		return 0;
	}
	clear_bit(KSQL_REQ_SENT, &req->flags);
	if (ret == -EAGAIN) {
		req->attempt++;
		ksql_stat_inc(KSQL_STAT_SEND_RETRIES);
		trace_ksql_send_retry(req->id, req->attempt,
				      jiffies_to_usecs(ksql_backoff_jiffies(req->attempt)));
	}
	return ret;
}

/* The caller gives up on @req: complete it and tell the daemon. */
static void ksql_req_give_up(struct ksql_req *req, int err)
{
	if (!ksql_req_complete(req, err, NULL))
		return;
	ksql_stat_inc(err == -EINTR ? KSQL_STAT_INTERRUPTED :
		      KSQL_STAT_TIMED_OUT);
	if (test_bit(KSQL_REQ_SENT, &req->flags))
		ksql_nl_send_cancel(req, err == -EINTR ? KSQL_CANCEL_SIGNAL :
				    KSQL_CANCEL_TIMEOUT);
}

static void ksql_req_give_up_on(struct ksql_req *req, long left)
{
	if (left == 0)
		ksql_req_give_up(req, -ETIMEDOUT);
	else if (left < 0)
		ksql_req_give_up(req, -EINTR);
}

/**
 * ksql_exec_query() - run one QUERY and sleep until its outcome
 * @q: the query, checked, with order key, timeout and deadline set
 * @gen: daemon generation it must go to, 0 for any
 * @out: where the result goes (NULL or a result the caller frees)
 * @timeout: jiffies to wait in total, > 0
 * @gen_out: if not NULL, the generation it was admitted on
 *
 * Process context, sleeps killably.
 *
 * Return: 0 or a negative errno, as ksql_exec_timeout().
 */
int ksql_exec_query(struct ksql_query *q, u64 gen, struct ksql_result **out,
		    long timeout, u64 *gen_out)
{
	unsigned long end = jiffies + timeout;
	struct ksql_req *req;
	long left;
	int ret;

	*out = NULL;
	req = ksql_req_alloc(GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	req->txn_id = q->txn_id;
	/* a transaction's own statements never queue for a slot */
	req->txn_stmt = q->txn_id && !(q->flags & KSQL_F_TXN_BEGIN);
	req->start_ns = ktime_get_ns();
	req->deadline_ns = q->deadline_ns;
	req->skb = ksql_nl_build_query(q, req->id, GFP_KERNEL);
	if (!req->skb) {
		ksql_req_put(req);
		return -ENOMEM;
	}
	/* the id is traced even when no daemon is registered */
	ret = ksql_req_admit(req, gen);
	trace_ksql_query_start(req->id, q->sql_len, q->nargs, q->timeout_ms,
			       false);
	if (ret) {
		ksql_stat_inc(KSQL_STAT_NOT_CONNECTED);
		trace_ksql_query_end(req->id, ktime_get_ns() - req->start_ns,
				     ret, 0, 0);
		ksql_req_put(req);
		return ret;
	}
	if (gen_out)
		*gen_out = req->gen;

	if (ksql_req_slot_waiting(req))
		ksql_req_give_up_on(req, ksql_req_wait_slot(req, timeout));

	while (!test_bit(KSQL_REQ_DONE, &req->flags)) {
		left = (long)(end - jiffies);
		if (left <= 0) {
			ksql_req_give_up(req, -ETIMEDOUT);
			break;
		}
		ret = ksql_req_send(req);
		if (!ret) {
			left = wait_for_completion_killable_timeout(&req->done,
								    left);
			ksql_req_give_up_on(req, left);
			break;
		}
		if (ret != -EAGAIN) {
			ksql_req_complete(req, ret, NULL);
			break;
		}
		/* daemon's queue full: back off; its death wakes us */
		left = min_t(long, left, ksql_backoff_jiffies(req->attempt));
		left = wait_for_completion_killable_timeout(&req->done, left);
		if (left < 0)
			ksql_req_give_up(req, -EINTR);
	}
	/*
	 * Whoever won the done bit completes at once (it only takes a
	 * spinlock first), so this does not wait for user space.
	 */
	wait_for_completion(&req->done);
	ret = req->err;
	*out = req->out;
	req->out = NULL;
	trace_ksql_query_end(req->id, ktime_get_ns() - req->start_ns, ret,
			     *out ? ksql_result_rows(*out) : 0,
			     *out ? ksql_result_cols(*out) : 0);
	ksql_req_put(req);
	return ret;
}

/**
 * ksql_exec_timeout() - run one SQL statement, waiting at most a given time
 * @sql: NUL-terminated SQL text, at most %KSQL_SQL_MAX bytes
 * @args: @nargs values bound to ?1..?N; may be NULL if @nargs is 0
 * @nargs: number of @args
 * @res: where to store the result, or NULL if the caller does not want it
 * @timeout_jiffies: how long to wait in total, > 0
 *
 * Sends the statement to ksqld and sleeps (killable) until its result
 * arrives, @timeout_jiffies pass, a fatal signal arrives or the daemon dies.
 * The wait includes the time spent waiting for an in-flight slot
 * (max_in_flight) and retrying while the daemon's queue is full. Statements
 * of one task run in the order they are called. Process context only.
 *
 * On return *@res is NULL or a result the caller frees with
 * ksql_result_free(). On an SQL error the function returns the (clamped)
 * errno and *@res carries SQLite's code and message.
 *
 * Return: 0 on success; -ENOTCONN no daemon (or it died); -ETIMEDOUT;
 * -EINTR fatal signal; -E2BIG SQL, value, query or result over its limit;
 * -EINVAL bad arguments; -EPROTO malformed reply; -ENOMEM; or the errno of
 * an SQL error (-EINVAL, -EBUSY, -ENOSPC, -EIO ...).
 */
int ksql_exec_timeout(const char *sql, const struct ksql_value *args,
		      unsigned int nargs, struct ksql_result **res,
		      long timeout_jiffies)
{
	struct ksql_result *out = NULL;
	struct ksql_query q;
	int ret;

	might_sleep();
	if (res)
		*res = NULL;
	if (!sql || timeout_jiffies <= 0)
		ret = -EINVAL;
	else
		ret = ksql_query_check(&q, sql, args, nargs);
	if (!ret) {
		q.order_key = ksql_order_key_current();
		ksql_query_set_timeout(&q, timeout_jiffies);
		ret = ksql_exec_query(&q, 0, &out, timeout_jiffies, NULL);
	}
	if (ret && ret != -ETIMEDOUT && ret != -EINTR)
		ksql_stat_inc(KSQL_STAT_FAILED);
	if (res)
		*res = out;
	else
		ksql_result_free(out);
	return ret;
}
EXPORT_SYMBOL_GPL(ksql_exec_timeout);

/**
 * ksql_exec() - run one SQL statement with the default timeout
 * @sql: NUL-terminated SQL text, at most %KSQL_SQL_MAX bytes
 * @args: @nargs values bound to ?1..?N; may be NULL if @nargs is 0
 * @nargs: number of @args
 * @res: where to store the result, or NULL
 *
 * ksql_exec_timeout() with the module parameter default_timeout_ms.
 *
 * Return: as ksql_exec_timeout().
 */
int ksql_exec(const char *sql, const struct ksql_value *args,
	      unsigned int nargs, struct ksql_result **res)
{
	long timeout = msecs_to_jiffies(READ_ONCE(ksql_default_timeout_ms));

	return ksql_exec_timeout(sql, args, nargs, res, max(timeout, 1L));
}
EXPORT_SYMBOL_GPL(ksql_exec);
