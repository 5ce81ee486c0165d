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

unsigned int ksql_default_timeout_ms = 5000;
module_param_named(default_timeout_ms, ksql_default_timeout_ms, uint, 0644);
MODULE_PARM_DESC(default_timeout_ms,
		 "Timeout of ksql_exec() in milliseconds (default 5000)");

unsigned int ksql_max_result_bytes = SZ_16M;
module_param_named(max_result_bytes, ksql_max_result_bytes, uint, 0644);
MODULE_PARM_DESC(max_result_bytes,
		 "Largest result kept for a caller, in bytes; larger ones fail with -E2BIG (default 16 MiB)");

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
		 "Requests sent to the daemon and not yet answered, at most; more wait in FIFO order (default 64, 0 means 1)");

unsigned int ksql_txn_idle_ms = 2000;
module_param_named(txn_idle_ms, ksql_txn_idle_ms, uint, 0644);
MODULE_PARM_DESC(txn_idle_ms,
		 "The daemon rolls back a transaction with no statement for this long, in milliseconds (default 2000)");

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
	ret = ksql_netlink_init();
	if (ret)
		goto err_async;
	pr_info("loaded, protocol version %d\n", KSQL_GENL_VERSION);
	return 0;

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
