// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_exec.c - log every successful exec into the table "exec".
 *
 * Columns (after ksql_producer, ksql_seq and ksql_time, which ksqld adds):
 *   pid INTEGER, ppid INTEGER, uid INTEGER (real uid, as seen from the
 *   initial user namespace), comm TEXT (the new task name), filename TEXT
 *   (the path given to execve)
 *
 * The row comes from the sched_process_exec tracepoint, which fires once the
 * task has switched to the new program. The tracepoint is not exported to
 * modules, so it is looked up by name with for_each_kernel_tracepoint() and
 * a probe is attached with tracepoint_probe_register(). Probes run with
 * preemption disabled: ksql_log() never sleeps, and the task's fields are
 * read without taking task_lock() (a sleeping lock on PREEMPT_RT).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/binfmts.h>
#include <linux/cred.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uidgid.h>

#include <ksql.h>

#define EXEC_COLUMNS	"pid INTEGER, ppid INTEGER, uid INTEGER, comm TEXT, filename TEXT"
#define EXEC_TRACEPOINT	"sched_process_exec"

static struct ksql_table *exec_table;
static struct tracepoint *exec_tp;
static atomic64_t exec_logged = ATOMIC64_INIT(0);
static atomic64_t exec_nobufs = ATOMIC64_INIT(0);
static atomic64_t exec_errors = ATOMIC64_INIT(0);

/* Same arguments as TP_PROTO of sched_process_exec, after the data. */
static void exec_probe(void *data, struct task_struct *p, pid_t old_pid,
		       struct linux_binprm *bprm)
{
	struct ksql_value vals[5];
	char comm[TASK_COMM_LEN];
	pid_t ppid;
	int rc;

	rcu_read_lock();
	ppid = task_tgid_nr(rcu_dereference(p->real_parent));
	rcu_read_unlock();
	/* p is current: only prctl()/proc writes race, and only cosmetically */
	strscpy_pad(comm, p->comm, sizeof(comm));

	vals[0] = KSQL_VINT(task_tgid_nr(p));
	vals[1] = KSQL_VINT(ppid);
	vals[2] = KSQL_VINT(from_kuid_munged(&init_user_ns, task_uid(p)));
	vals[3] = KSQL_VTEXT(comm);
	vals[4] = KSQL_VTEXT(bprm->filename);
	rc = ksql_log(exec_table, vals, ARRAY_SIZE(vals));
	if (!rc)
		atomic64_inc(&exec_logged);
	else if (rc == -ENOBUFS)	/* daemon behind; recorded as a gap */
		atomic64_inc(&exec_nobufs);
	else
		atomic64_inc(&exec_errors);
}

static void exec_find_tp(struct tracepoint *tp, void *priv)
{
	struct tracepoint **found = priv;

	if (!strcmp(tp->name, EXEC_TRACEPOINT))
		*found = tp;
}

static int __init ksql_exec_init(void)
{
	int err;

	for_each_kernel_tracepoint(exec_find_tp, &exec_tp);
	if (!exec_tp) {
		pr_err("the kernel has no tracepoint %s\n", EXEC_TRACEPOINT);
		return -ENOENT;
	}
	exec_table = ksql_table_open("exec", EXEC_COLUMNS, 0);
	if (IS_ERR(exec_table)) {
		err = PTR_ERR(exec_table);
		pr_err("cannot open the table exec (errno %d): is ksqld running, and does an older exec table have other columns?\n",
		       err);
		return err;
	}
	err = tracepoint_probe_register(exec_tp, (void *)exec_probe, NULL);
	if (err) {
		pr_err("cannot attach to the tracepoint %s (errno %d)\n",
		       EXEC_TRACEPOINT, err);
		ksql_table_close(exec_table);
		return err;
	}
	pr_info("logging every exec into the table exec\n");
	return 0;
}

static void __exit ksql_exec_exit(void)
{
	int err;

	tracepoint_probe_unregister(exec_tp, (void *)exec_probe, NULL);
	/* no probe runs any more, none will: the table can go */
	tracepoint_synchronize_unregister();
	err = ksql_table_flush(exec_table, 2 * HZ);
	if (err)
		pr_warn("execs logged but not yet stored are dropped (flush: errno %d)\n",
			err);
	ksql_table_close(exec_table);
	pr_info("unloaded: %lld execs logged, %lld refused (backlog full), %lld other errors\n",
		atomic64_read(&exec_logged), atomic64_read(&exec_nobufs),
		atomic64_read(&exec_errors));
}

module_init(ksql_exec_init);
module_exit(ksql_exec_exit);

MODULE_DESCRIPTION("ksql sample: log every exec (sched_process_exec) into a table");
MODULE_AUTHOR("ksql developers");
MODULE_LICENSE("GPL");
