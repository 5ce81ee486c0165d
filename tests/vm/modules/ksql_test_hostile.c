// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_test_hostile.c - helpers of the hostile-peer scenarios.
 *
 * "nlrace" file: write "PORT MS" to hold the next NETLINK_URELEASE of
 * generic-netlink port PORT (in init_net) for MS milliseconds before ksql.ko
 * hears of it (this notifier has a higher priority than ksql's). That is the
 * window, normally microseconds wide, in which a daemon's socket is already
 * gone and its port number free for anyone to bind while ksql still believes
 * the daemon is registered (tests/vm/scenarios/86-port-reuse.sh). Write "0 0"
 * to disarm. Read: "port P ms M held H" (H: releases held so far).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "ksql_test.h"

static atomic_t race_port = ATOMIC_INIT(0);
static atomic_t race_ms = ATOMIC_INIT(0);
static atomic_t race_held = ATOMIC_INIT(0);
static bool race_registered;

static int race_notify(struct notifier_block *nb, unsigned long event,
		       void *ptr)
{
	struct netlink_notify *n = ptr;
	unsigned int port = atomic_read(&race_port);

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net) || !port || n->portid != port)
		return NOTIFY_DONE;
	/* once: the port's next owner is released normally */
	if (atomic_cmpxchg(&race_port, port, 0) != port)
		return NOTIFY_DONE;
	pr_info("holding the release of port %u for %d ms\n", port,
		atomic_read(&race_ms));
	msleep(atomic_read(&race_ms));
	atomic_inc(&race_held);
	return NOTIFY_DONE;
}

static struct notifier_block race_nb = {
	.notifier_call = race_notify,
	.priority = INT_MAX,
};

/**
 * ksql_test_nlrace_write() - a command written to "nlrace"
 * @cmd: "PORT MS"
 *
 * Return: 0, -EINVAL for a bad command, or the notifier's registration error.
 */
int ksql_test_nlrace_write(char *cmd)
{
	unsigned int port, ms;
	int ret;

	if (sscanf(cmd, "%u %u", &port, &ms) != 2 || ms > 60000)
		return -EINVAL;
	if (!race_registered) {
		ret = netlink_register_notifier(&race_nb);
		if (ret)
			return ret;
		race_registered = true;
	}
	atomic_set(&race_ms, ms);
	atomic_set(&race_port, port);
	return 0;
}

/**
 * ksql_test_nlrace_show() - state of "nlrace"
 * @m: the seq_file
 */
void ksql_test_nlrace_show(struct seq_file *m)
{
	seq_printf(m, "port %d ms %d held %d\n", atomic_read(&race_port),
		   atomic_read(&race_ms), atomic_read(&race_held));
}

void ksql_test_nlrace_exit(void)
{
	if (race_registered)
		netlink_unregister_notifier(&race_nb);
}
