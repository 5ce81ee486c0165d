// SPDX-License-Identifier: GPL-2.0
/*
 * ping.c - ksql_ping(): a round trip to the daemon that runs no SQL.
 *
 * A PING is a request like any QUERY (exec.c): it gets an id, waits for an
 * in-flight slot, is retried while the daemon's queue is full, and ends on
 * the reply, the timeout, a fatal signal or the daemon's death, a late
 * reply being counted. It carries only REQ_ID, TIMEOUT_MS and DEADLINE_NS;
 * ksqld answers it from its main loop with one RESULT without rows, columns
 * or status, so the round trip measures the transport alone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "ksql_internal.h"

/**
 * ksql_ping() - check that ksqld is there and answering
 * @timeout_jiffies: how long to wait in total, > 0
 *
 * Sends a PING to ksqld and sleeps (killable) until its answer arrives,
 * @timeout_jiffies pass, a fatal signal arrives or the daemon dies. Like
 * ksql_exec_timeout(), the wait includes the time spent waiting for an
 * in-flight slot (max_in_flight) and retrying while the daemon's queue is
 * full. The daemon runs no SQL for it. Process context only.
 *
 * Return: 0 when the daemon answered (counted in %KSQL_STAT_PINGS);
 * -ENOTCONN no daemon (or it died); -ETIMEDOUT; -EINTR fatal signal;
 * -EINVAL @timeout_jiffies <= 0; -ENOMEM; -EPROTO the answer was not an
 * empty RESULT (it carried rows, columns or an error).
 */
int ksql_ping(long timeout_jiffies)
{
	struct ksql_result *res = NULL;
	struct ksql_query q;
	int ret;

	might_sleep();
	if (timeout_jiffies <= 0) {
		ksql_stat_inc(KSQL_STAT_FAILED);
		return -EINVAL;
	}
	memset(&q, 0, sizeof(q));
	q.ping = true;
	q.payload = nla_total_size_64bit(sizeof(u64)) +	/* REQ_ID */
		    nla_total_size(sizeof(u32)) +		/* TIMEOUT_MS */
		    nla_total_size_64bit(sizeof(u64));		/* DEADLINE_NS */
	ksql_query_set_timeout(&q, timeout_jiffies);
	ret = ksql_exec_query(&q, 0, &res, timeout_jiffies, NULL);
	/*
	 * A result comes only with the daemon's answer: one with rows,
	 * columns or an errno is not what a PING gets. -E2BIG can only be
	 * such an answer too, one over max_result_bytes.
	 */
	if ((res && (ret || ksql_result_rows(res) || ksql_result_cols(res))) ||
	    ret == -E2BIG)
		ret = -EPROTO;
	ksql_result_free(res);
	if (!ret)
		ksql_stat_inc(KSQL_STAT_PINGS);
	else if (ret != -ETIMEDOUT && ret != -EINTR)
		ksql_stat_inc(KSQL_STAT_FAILED);
	return ret;
}
EXPORT_SYMBOL_GPL(ksql_ping);
