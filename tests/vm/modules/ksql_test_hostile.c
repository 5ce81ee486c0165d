// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_test_hostile.c - helpers of the hostile-peer scenarios.
 *
 * "nlrace" file: write "PORT MS" to hold the next NETLINK_URELEASE of
 * generic-netlink port PORT (in init_net) for MS milliseconds before ksql.ko
 * hears of it (this notifier has a higher priority than ksql's). That is the
 * window, normally microseconds wide, in which a daemon's socket is already
 * gone and its port number free for anyone to bind while ksql still believes
 * the daemon is registered (tests/vm/scenarios/83-port-reuse.sh). Write "0 0"
 * to disarm. Read: "port P ms M held H" (H: releases held so far).
 *
 * "names" check: ksql_table_open() refuses what ksqld would refuse (non-ASCII
 * letters, names over KSQL_TABLE_NAME_MAX) with -EINVAL before asking it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/net_namespace.h>

#include "ksql_test.h"
#include "ksql_genl.h"

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

/* ksql_table_open() of @name (@cols) must fail with -EINVAL. */
static int expect_inval(struct ksql_test_report *rep, const char *what,
			const char *name, const char *cols)
{
	struct ksql_table *t = ksql_table_open(name, cols, 0);

	if (IS_ERR(t) && PTR_ERR(t) == -EINVAL)
		return 0;
	if (!IS_ERR(t))
		ksql_table_close(t);
	return ksql_test_fail(rep, "%s: ksql_table_open() returned %ld, expected -EINVAL",
			      what, IS_ERR(t) ? PTR_ERR(t) : 0L);
}

/**
 * ksql_test_check_names() - the "names" check
 * @rep: outcome
 * @arg: unused
 *
 * Needs no daemon: every name here is refused before anything is sent.
 *
 * Return: 0 pass, -EIO fail.
 */
int ksql_test_check_names(struct ksql_test_report *rep, const char *arg)
{
	char *cols;
	int ret;

	/* "é" in Latin-1 (0xe9), a letter for the kernel's isalpha() */
	ret = expect_inval(rep, "Latin-1 letter in a table name", "caf\xe9",
			   "a INTEGER");
	if (!ret)
		ret = expect_inval(rep, "Latin-1 letter starting a table name",
				   "\xe9t\xe9", "a INTEGER");
	if (!ret)
		ret = expect_inval(rep, "Latin-1 letter in a column name",
				   "names_t", "caf\xe9 INTEGER");
	if (ret)
		return ret;
	/* a column name one byte over what ksqld accepts */
	cols = kmalloc(KSQL_TABLE_NAME_MAX + 16, GFP_KERNEL);
	if (!cols)
		return ksql_test_fail(rep, "out of memory");
	memset(cols, 'c', KSQL_TABLE_NAME_MAX + 1);
	strcpy(cols + KSQL_TABLE_NAME_MAX + 1, " INTEGER");
	ret = expect_inval(rep, "a 64-byte column name", "names_t", cols);
	kfree(cols);
	if (ret)
		return ret;
	ksql_test_note(rep, "Latin-1 letters and a %d-byte column name refused with -EINVAL",
		       KSQL_TABLE_NAME_MAX + 1);
	return 0;
}
