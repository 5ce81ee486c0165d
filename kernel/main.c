// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - ksql.ko: module parameters, init and exit.
 *
 * ksql lets kernel code run SQL on a SQLite database owned by the user-space
 * daemon ksqld; queries and results travel over generic netlink ("ksql").
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kernel.h>
#include <linux/sizes.h>
#include <net/genetlink.h>

#include "ksql_internal.h"
#include "log.h"

unsigned int ksql_default_timeout_ms = 5000;
module_param_named(default_timeout_ms, ksql_default_timeout_ms, uint, 0644);
MODULE_PARM_DESC(default_timeout_ms,
		 "Timeout of ksql_exec() in milliseconds (default 5000)");

/* Bounded parameters refuse values outside their bounds (the logging ones
 * are clamped again at use).
 */
static int ksql_param_set_range(const char *val, const struct kernel_param *kp,
				unsigned int lo, unsigned int hi)
{
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (ret)
		return ret;
	if (n < lo || n > hi)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, n);
	return 0;
}

/* Result memory: each result, and all results being received together. */
static int ksql_result_bytes_set(const char *val,
				 const struct kernel_param *kp)
{
	return ksql_param_set_range(val, kp, KSQL_RESULT_BYTES_MIN,
				    KSQL_RESULT_BYTES_MAX);
}

static const struct kernel_param_ops ksql_result_bytes_ops = {
	.set	= ksql_result_bytes_set,
	.get	= param_get_uint,
};

unsigned int ksql_max_result_bytes = SZ_16M;
module_param_cb(max_result_bytes, &ksql_result_bytes_ops,
		&ksql_max_result_bytes, 0644);
MODULE_PARM_DESC(max_result_bytes,
		 "Largest result kept for a caller, in bytes; larger ones fail with -E2BIG (default 16 MiB, 4 KiB to 1 GiB)");

unsigned int ksql_result_budget_bytes = SZ_64M;
module_param_cb(result_budget_bytes, &ksql_result_bytes_ops,
		&ksql_result_budget_bytes, 0644);
MODULE_PARM_DESC(result_budget_bytes,
		 "Result bytes being received from the daemon for all requests together, at most; a chunk over it fails its request with -ENOMEM (default 64 MiB, 4 KiB to 1 GiB)");

unsigned int ksql_max_query_bytes = SZ_1M;
module_param_named(max_query_bytes, ksql_max_query_bytes, uint, 0644);
MODULE_PARM_DESC(max_query_bytes,
		 "Largest QUERY message (SQL and parameters), in bytes; larger ones fail with -E2BIG (default 1 MiB)");

/* max_in_flight: 0 would stop everything; it means 1. Raising it lets
 * waiters in at once.
 */
static int ksql_max_in_flight_set(const char *val,
				  const struct kernel_param *kp)
{
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (ret)
		return ret;
	if (n > KSQL_MAX_IN_FLIGHT_MAX)
		return -EINVAL;
	WRITE_ONCE(ksql_max_in_flight, max(n, 1U));
	ksql_slots_changed();
	return 0;
}

static const struct kernel_param_ops ksql_max_in_flight_ops = {
	.set	= ksql_max_in_flight_set,
	.get	= param_get_uint,
};

unsigned int ksql_max_in_flight = 64;
module_param_cb(max_in_flight, &ksql_max_in_flight_ops, &ksql_max_in_flight,
		0644);
MODULE_PARM_DESC(max_in_flight,
		 "Requests sent to the daemon and not yet answered, at most; more wait in FIFO order (default 64, 0 means 1, at most 4096)");

unsigned int ksql_txn_idle_ms = 2000;
module_param_named(txn_idle_ms, ksql_txn_idle_ms, uint, 0644);
MODULE_PARM_DESC(txn_idle_ms,
		 "The daemon rolls back a transaction with no statement for this long, in milliseconds (default 2000)");

static int ksql_backlog_set(const char *val, const struct kernel_param *kp)
{
	return ksql_param_set_range(val, kp, KSQL_LOG_BACKLOG_MIN,
				    KSQL_LOG_BACKLOG_MAX);
}

static int ksql_batch_rows_set(const char *val, const struct kernel_param *kp)
{
	return ksql_param_set_range(val, kp, 1, 65536);
}

static int ksql_batch_bytes_set(const char *val, const struct kernel_param *kp)
{
	return ksql_param_set_range(val, kp, KSQL_LOG_BATCH_MIN,
				    KSQL_LOG_BATCH_MAX);
}

static int ksql_flush_ms_set(const char *val, const struct kernel_param *kp)
{
	return ksql_param_set_range(val, kp, 1, KSQL_LOG_FLUSH_MS_MAX);
}

static int ksql_resend_ms_set(const char *val, const struct kernel_param *kp)
{
	return ksql_param_set_range(val, kp, KSQL_LOG_RESEND_MS_MIN,
				    KSQL_LOG_RESEND_MS_MAX);
}

static int ksql_window_set(const char *val, const struct kernel_param *kp)
{
	return ksql_param_set_range(val, kp, KSQL_LOG_WINDOW_MIN,
				    KSQL_LOG_WINDOW_MAX);
}

static const struct kernel_param_ops ksql_window_ops = {
	.set	= ksql_window_set,
	.get	= param_get_uint,
};

static const struct kernel_param_ops ksql_resend_ms_ops = {
	.set	= ksql_resend_ms_set,
	.get	= param_get_uint,
};

static const struct kernel_param_ops ksql_backlog_ops = {
	.set	= ksql_backlog_set,
	.get	= param_get_uint,
};

static const struct kernel_param_ops ksql_batch_rows_ops = {
	.set	= ksql_batch_rows_set,
	.get	= param_get_uint,
};

static const struct kernel_param_ops ksql_batch_bytes_ops = {
	.set	= ksql_batch_bytes_set,
	.get	= param_get_uint,
};

static const struct kernel_param_ops ksql_flush_ms_ops = {
	.set	= ksql_flush_ms_set,
	.get	= param_get_uint,
};

unsigned int ksql_log_backlog_bytes = SZ_4M;
module_param_cb(log_backlog_bytes, &ksql_backlog_ops, &ksql_log_backlog_bytes,
		0644);
MODULE_PARM_DESC(log_backlog_bytes,
		 "Bytes of rows a logged table holds until the daemon commits them; more fail with -ENOBUFS. Applies to tables opened later (default 4 MiB, 64 KiB to 1 GiB)");

unsigned int ksql_log_batch_rows = 256;
module_param_cb(log_batch_rows, &ksql_batch_rows_ops, &ksql_log_batch_rows,
		0644);
MODULE_PARM_DESC(log_batch_rows,
		 "Rows per LOG message at most; this many unsent rows are sent at once (default 256, 1 to 65536)");

unsigned int ksql_log_batch_bytes = 32768;
module_param_cb(log_batch_bytes, &ksql_batch_bytes_ops, &ksql_log_batch_bytes,
		0644);
MODULE_PARM_DESC(log_batch_bytes,
		 "Bytes per LOG message at most; this many unsent bytes are sent at once, and a larger row fails with -E2BIG (default 32768, 4096 to 61440)");

unsigned int ksql_log_flush_ms = 50;
module_param_cb(log_flush_ms, &ksql_flush_ms_ops, &ksql_log_flush_ms, 0644);
MODULE_PARM_DESC(log_flush_ms,
		 "A logged row is sent at most this many milliseconds after it was logged, if a daemon is there (default 50, 1 to 60000)");

unsigned int ksql_log_resend_ms = 5000;
module_param_cb(log_resend_ms, &ksql_resend_ms_ops, &ksql_log_resend_ms, 0644);
MODULE_PARM_DESC(log_resend_ms,
		 "Rows sent but not acknowledged for this long are sent again, waiting twice as long after each fruitless try up to 16 times this; the daemon skips what it committed already (default 5000, 100 to 600000)");

unsigned int ksql_log_window_bytes = SZ_8M;
module_param_cb(log_window_bytes, &ksql_window_ops, &ksql_log_window_bytes,
		0644);
MODULE_PARM_DESC(log_window_bytes,
		 "Bytes of a table's rows sent to the daemon and not yet acknowledged, at most; the rest wait in the table's backlog, so a burst does not pile up in the daemon's memory (default 8 MiB, 64 KiB to 1 GiB)");

static int __init ksql_init(void)
{
	int ret;

	ret = ksql_order_init();
	if (ret)
		return ret;
	ret = ksql_req_cache_init();
	if (ret)
		return ret;
	ret = ksql_result_cache_init();
	if (ret)
		goto err_req;
	ret = ksql_async_init();
	if (ret)
		goto err_result;
	ret = ksql_log_init();
	if (ret)
		goto err_async;
	ret = ksql_netlink_init();
	if (ret)
		goto err_log;
	pr_info("loaded, protocol version %d\n", KSQL_GENL_VERSION);
	return 0;

err_log:
	ksql_log_exit();
err_async:
	ksql_async_exit();
err_result:
	ksql_result_cache_exit();
err_req:
	ksql_req_cache_exit();
	return ret;
}

static void __exit ksql_exit(void)
{
	/* no more messages from user space, no more notifications */
	ksql_netlink_exit();
	/* stop every table's sender (tables are closed by their users) */
	ksql_log_exit();
	/* wake every caller still waiting (there should be none: users of
	 * our symbols hold a reference on this module)
	 */
	ksql_daemon_exit();
	/* run every async callback, drop every queued request */
	ksql_async_exit();
	ksql_result_cache_exit();
	ksql_req_cache_exit();
	pr_info("unloaded\n");
}

module_init(ksql_init);
module_exit(ksql_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksql: SQLite for kernel code, via the ksqld daemon");
MODULE_ALIAS_GENL_FAMILY(KSQL_GENL_NAME);
MODULE_VERSION(KSQL_VERSION);
