// SPDX-License-Identifier: GPL-2.0
/*
 * exec.c - ksql_exec() and ksql_exec_timeout(): send one statement to the
 * daemon and sleep until its result, a timeout, a fatal signal or the
 * daemon's death.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "ksql_internal.h"
#include "ksql_trace.h"

/* Check the arguments; on success *payload is the QUERY's attribute size. */
static int ksql_query_size(size_t sql_len, const struct ksql_value *args,
			   unsigned int nargs, size_t *payload)
{
	size_t size;
	unsigned int i;

	size = nla_total_size_64bit(sizeof(u64)) +	/* REQ_ID */
	       nla_total_size(sql_len + 1) +		/* SQL */
	       nla_total_size(sizeof(u32));		/* TIMEOUT_MS */
	for (i = 0; i < nargs; i++) {
		const struct ksql_value *v = &args[i];

		switch (v->type) {
		case KSQL_NULL:
			size += nla_total_size(0);
			break;
		case KSQL_INT:
		case KSQL_REAL:
			size += nla_total_size_64bit(sizeof(u64));
			break;
		case KSQL_TEXT:
		case KSQL_BLOB:
			if (v->len > KSQL_VALUE_MAX)
				return -E2BIG;
			if (v->len && !v->blob)
				return -EINVAL;
			size += nla_total_size(v->len);
			break;
		default:
			return -EINVAL;
		}
	}
	*payload = size;
	return size > READ_ONCE(ksql_max_query_bytes) ? -E2BIG : 0;
}

static int ksql_exec_one(const char *sql, const struct ksql_value *args,
			 unsigned int nargs, struct ksql_result **out,
			 long timeout)
{
	struct ksql_req *req;
	size_t sql_len, payload;
	u32 timeout_ms;
	u64 start;
	long left;
	int ret;

	if (!sql || timeout <= 0 || (nargs && !args))
		return -EINVAL;
	sql_len = strnlen(sql, KSQL_SQL_MAX + 1);
	if (sql_len > KSQL_SQL_MAX)
		return -E2BIG;
	ret = ksql_query_size(sql_len, args, nargs, &payload);
	if (ret)
		return ret;

	req = ksql_req_alloc(GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	timeout_ms = min_t(u64, jiffies64_to_msecs(timeout), U32_MAX);
	start = ktime_get_ns();
	/* the id is assigned even when no daemon is registered */
	ret = ksql_req_insert(req);
	trace_ksql_query_start(req->id, sql_len, nargs, timeout_ms);
	if (ret) {
		ksql_stat_inc(KSQL_STAT_NOT_CONNECTED);
		trace_ksql_query_end(req->id, ktime_get_ns() - start, ret, 0, 0);
		ksql_req_put(req);
		return ret;
	}

	ret = ksql_nl_send_query(req->portid, req->id, sql, sql_len, args,
				 nargs, timeout_ms, payload);
	if (ret) {
		ksql_req_complete(req, ret, NULL);
	} else {
		ksql_stat_inc(KSQL_STAT_SENT);
		left = wait_for_completion_killable_timeout(&req->done,
							    timeout);
		if (left == 0 && ksql_req_complete(req, -ETIMEDOUT, NULL)) {
			ksql_stat_inc(KSQL_STAT_TIMED_OUT);
			ksql_nl_send_cancel(req->portid, req->id);
		} else if (left < 0 && ksql_req_complete(req, -EINTR, NULL)) {
			ksql_stat_inc(KSQL_STAT_INTERRUPTED);
			ksql_nl_send_cancel(req->portid, req->id);
		}
	}
	/*
	 * Whoever won the done bit completes at once (it only takes a
	 * spinlock first), so this does not wait for user space.
	 */
	wait_for_completion(&req->done);
	ret = req->err;
	*out = req->out;
	req->out = NULL;
	trace_ksql_query_end(req->id, ktime_get_ns() - start, ret,
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
 * @timeout_jiffies: how long to wait for the daemon, > 0
 *
 * Sends the statement to ksqld and sleeps (killable) until its result
 * arrives, @timeout_jiffies pass, a fatal signal arrives or the daemon dies.
 * Process context only.
 *
 * On return *@res is NULL or a result the caller frees with
 * ksql_result_free(). On an SQL error the function returns the (clamped)
 * errno and *@res carries SQLite's code and message.
 *
 * Return: 0 on success; -ENOTCONN no daemon (or it died); -ETIMEDOUT;
 * -EINTR fatal signal; -E2BIG SQL, value, query or result over its limit;
 * -EINVAL bad arguments; -EPROTO malformed reply; -EBUSY daemon queue full;
 * -ENOMEM; or the errno of an SQL error (-EINVAL, -EBUSY, -ENOSPC, -EIO ...).
 */
int ksql_exec_timeout(const char *sql, const struct ksql_value *args,
		      unsigned int nargs, struct ksql_result **res,
		      long timeout_jiffies)
{
	struct ksql_result *out = NULL;
	int ret;

	might_sleep();
	if (res)
		*res = NULL;
	ret = ksql_exec_one(sql, args, nargs, &out, timeout_jiffies);
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
