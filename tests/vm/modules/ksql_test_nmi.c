// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_test_nmi.c - ksql_log() and ksql_exec_async() called from a real NMI
 * must be refused with -EPERM.
 *
 * A write of "fire" to the "nmi" debugfs file registers an NMI_LOCAL
 * handler, sends this CPU an NMI through the local APIC (the way the
 * kernel's NMI backtrace does; it works under QEMU's TCG too) and waits for
 * the handler, at most a second. The handler, when armed, calls
 * ksql_log(NULL, NULL, 0) and ksql_exec_async() with a NULL @done: outside
 * NMI both return -EINVAL (bad arguments), so only a context check made
 * before the arguments are looked at yields -EPERM, and nothing of ksql
 * runs in the NMI beyond that check. The same calls are made from the
 * writing task for comparison. Reading shows "NAME VALUE" lines: calls (the
 * handler ran armed), in_nmi (in_nmi() held there), log_rc, async_rc,
 * task_log_rc, task_async_rc.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/hardirq.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/cpumask.h>
#ifdef CONFIG_X86_LOCAL_APIC
#include <asm/apic.h>
#include <asm/nmi.h>
#endif

#include "ksql_test.h"

static atomic_t nmi_armed = ATOMIC_INIT(0);
static atomic_t nmi_calls = ATOMIC_INIT(0);
static atomic_t nmi_in_nmi = ATOMIC_INIT(0);
static int nmi_log_rc, nmi_async_rc;		/* written in the NMI */
static int task_log_rc, task_async_rc;

#ifdef CONFIG_X86_LOCAL_APIC
static int nmi_handler(unsigned int type, struct pt_regs *regs)
{
	/* only our own NMI, once */
	if (!atomic_xchg(&nmi_armed, 0))
		return NMI_DONE;
	if (in_nmi())
		atomic_inc(&nmi_in_nmi);
	WRITE_ONCE(nmi_log_rc, ksql_log(NULL, NULL, 0));
	WRITE_ONCE(nmi_async_rc, ksql_exec_async("SELECT 1", NULL, 0, NULL,
						 NULL, GFP_ATOMIC));
	/* after the results: the writer reads them once it sees this */
	smp_mb__before_atomic();
	atomic_inc(&nmi_calls);
	return NMI_HANDLED;
}

static int nmi_fire(void)
{
	int calls = atomic_read(&nmi_calls);
	int err, i;

	task_log_rc = ksql_log(NULL, NULL, 0);
	task_async_rc = ksql_exec_async("SELECT 1", NULL, 0, NULL, NULL,
					GFP_KERNEL);
	WRITE_ONCE(nmi_log_rc, 1);
	WRITE_ONCE(nmi_async_rc, 1);
	err = register_nmi_handler(NMI_LOCAL, nmi_handler, 0, "ksql_test");
	if (err)
		return err;
	atomic_set(&nmi_armed, 1);
	preempt_disable();
	apic->send_IPI_mask(cpumask_of(smp_processor_id()), NMI_VECTOR);
	preempt_enable();
	for (i = 0; i < 1000 && atomic_read(&nmi_calls) == calls; i++)
		mdelay(1);
	atomic_set(&nmi_armed, 0);
	unregister_nmi_handler(NMI_LOCAL, "ksql_test");
	return atomic_read(&nmi_calls) == calls ? -ETIMEDOUT : 0;
}
#else
static int nmi_fire(void)
{
	return -EOPNOTSUPP;
}
#endif

/**
 * ksql_test_nmi_write() - a command written to "nmi"
 * @cmd: "fire"
 *
 * Return: 0; -ETIMEDOUT when the NMI never came, -EOPNOTSUPP without a
 * local APIC, -EINVAL for a bad command.
 */
int ksql_test_nmi_write(char *cmd)
{
	if (strcmp(cmd, "fire"))
		return -EINVAL;
	return nmi_fire();
}

/**
 * ksql_test_nmi_show() - what the last "fire" saw
 * @m: the seq_file
 */
void ksql_test_nmi_show(struct seq_file *m)
{
	seq_printf(m, "calls %d\nin_nmi %d\nlog_rc %d\nasync_rc %d\n",
		   atomic_read(&nmi_calls), atomic_read(&nmi_in_nmi),
		   READ_ONCE(nmi_log_rc), READ_ONCE(nmi_async_rc));
	seq_printf(m, "task_log_rc %d\ntask_async_rc %d\n", task_log_rc,
		   task_async_rc);
}
