// SPDX-License-Identifier: GPL-2.0
/*
 * query.c - checking what a QUERY will carry, its timeout and deadline, and
 * the order keys that keep one submitter's statements in order.
 *
 * Order keys are hashes (siphash with a random key chosen at load), so no
 * kernel pointer or pid reaches user space as is.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/siphash.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "ksql_internal.h"

static siphash_key_t ksql_order_secret __read_mostly;

/* domains, so a ctx and a pid never hash alike by construction */
enum { KSQL_KEY_PID = 1, KSQL_KEY_CTX = 2 };

int ksql_order_init(void)
{
	get_random_bytes(&ksql_order_secret, sizeof(ksql_order_secret));
	return 0;
}

static u64 ksql_order_hash(u64 domain, u64 val)
{
	u64 key = siphash_2u64(domain, val, &ksql_order_secret);

	return key ? key : 1;	/* 0 means "no order" on the wire */
}

/* Key of the async submitter @ctx: its callbacks' requests stay in order. */
u64 ksql_order_key_ctx(const void *ctx)
{
	return ksql_order_hash(KSQL_KEY_CTX, (u64)(uintptr_t)ctx);
}

/* Key of the current task, for synchronous callers. */
u64 ksql_order_key_current(void)
{
	return ksql_order_hash(KSQL_KEY_PID, (u64)task_pid_nr(current));
}

/**
 * ksql_query_check() - check a statement and size its QUERY
 * @q: filled in: sql, sql_len, args, nargs, payload; the rest is zeroed
 * @sql: NUL-terminated SQL, or NULL for a transaction verb
 * @args: @nargs values
 * @nargs: number of @args
 *
 * Any context (no allocation).
 *
 * Return: 0, -EINVAL for bad arguments, -E2BIG over a limit.
 */
int ksql_query_check(struct ksql_query *q, const char *sql,
		     const struct ksql_value *args, unsigned int nargs)
{
	size_t size;
	unsigned int i;

	memset(q, 0, sizeof(*q));
	if (nargs && !args)
		return -EINVAL;
	size = nla_total_size_64bit(sizeof(u64)) +	/* REQ_ID */
	       nla_total_size(sizeof(u32)) +		/* TIMEOUT_MS */
	       nla_total_size_64bit(sizeof(u64)) +	/* DEADLINE_NS */
	       nla_total_size_64bit(sizeof(u64)) +	/* ORDER_KEY */
	       nla_total_size_64bit(sizeof(u64)) +	/* TXN_ID */
	       nla_total_size(sizeof(u32)) +		/* FLAGS */
	       nla_total_size(sizeof(u32));		/* TXN_IDLE_MS */
	if (sql) {
		q->sql_len = strnlen(sql, KSQL_SQL_MAX + 1);
		if (q->sql_len > KSQL_SQL_MAX)
			return -E2BIG;
		size += nla_total_size(q->sql_len + 1);
	}
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
	q->sql = sql;
	q->args = args;
	q->nargs = nargs;
	q->payload = size;
	return size > READ_ONCE(ksql_max_query_bytes) ? -E2BIG : 0;
}

/* Set TIMEOUT_MS and DEADLINE_NS for a caller waiting @timeout_jiffies. */
void ksql_query_set_timeout(struct ksql_query *q, long timeout_jiffies)
{
	u64 ms = jiffies64_to_msecs(max(timeout_jiffies, 0L));

	q->timeout_ms = min_t(u64, ms, U32_MAX);
	q->deadline_ns = ktime_get_ns() + ms * NSEC_PER_MSEC;
}
