// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_test_main.c - debugfs interface of the ksql test module.
 *
 * /sys/kernel/debug/ksql_test/
 *
 *   check    write "NAME [ARG]": run a named check in the writing task.
 *            The write returns the byte count when it passed, -EIO when it
 *            failed, -EINVAL for an unknown name. Read: the last outcome,
 *            "PASS NAME: message" or "FAIL NAME: message".
 *   checks   read: the names of the checks with a line of help.
 *   exec     write "TIMEOUT_MS SQL": run ksql_exec_timeout() (ksql_exec()
 *            for 0) in the writing task, so a script can signal that task.
 *            The write returns the byte count when ksql returned 0, else
 *            ksql's negative errno. Read: the last outcome, "rc=N",
 *            "elapsed_us=N", then the result (see ksql_test_dump_result()).
 *   busy     read: how many tasks are inside an exec write right now.
 *   threads  write "start N TIMEOUT_MS SQL": start N kernel threads that
 *            each run the SQL once (the previous set is stopped first);
 *            write "stop": stop the set (both wait for calls still blocked).
 *            Read: "IDX STATE RC ELAPSED_US AFTER_MARK_US" per thread.
 *   mark     write anything: record the time now. Read: the mark in
 *            nanoseconds of CLOCK_MONOTONIC, or "-" when none is set.
 *   async    write "fire N task|soft|hard": submit N ksql_exec_async()
 *            requests "SELECT ?1 * 2 + 1" from the writing task, a
 *            timer_list (softirq) or a HRTIMER_MODE_REL_HARD hrtimer
 *            (hardirq); returns once all are submitted (-EINVAL for a bad
 *            command). Read: "NAME VALUE" lines for the last batch (batch,
 *            context, submitted, accepted, refused, submit_err, in_context,
 *            completed, ok, failed, first_err, other_err, wrong,
 *            latency_min_us, latency_max_us) and totals over all batches
 *            (pending, repeated, bad_context), then "first_wrong: TEXT" if
 *            an answer was wrong. See ksql_test_async.c.
 *   txn      write "slow MS", "idle MS" or "busy": a transaction case run
 *            in the writing task; "go": let "busy" go on (see
 *            ksql_test_txn.c). Read: "stage S" (idle, begun, slow, holding,
 *            going, done) and "NAME VALUE" return codes of the last run.
 *   log      ksql_log() into a table: "open NAME", "close", "flush MS",
 *            "start K HARD_US SOFT_US ROWS" (K kthreads, a hardirq hrtimer
 *            and a softirq timer logging ROWS rows together), "stop",
 *            "log N" (from the writing task), "big" (a row over any batch:
 *            fails with ksql_log()'s -E2BIG), "verify" (the table against
 *            what ksql_log() accepted; -EIO when they differ). Read: "NAME
 *            VALUE" lines and one "src ..." line per source. See
 *            ksql_test_log.c and ksql_test_log_verify.c.
 *   storm    kthreads that call every kind of ksql request until stopped,
 *            whoever answers: "start K TIMEOUT_MS", "stop", "reap". Read:
 *            "NAME VALUE" lines (threads, inside, async_pending, calls,
 *            ...). See ksql_test_storm.c.
 *   ping     write "N TIMEOUT_MS": N ksql_ping() calls one after the other
 *            in the writing task; the write fails with the errno of the
 *            last failed call. Read: "ok N err E last_errno X elapsed_us U
 *            max_us M" of the last series. See ksql_test_ping.c.
 *   nlrace   write "PORT MS": hold the next release notification of netlink
 *            port PORT for MS ms before ksql.ko sees it. Read: "port P ms M
 *            held H". See ksql_test_hostile.c.
 *
 *   nmi      write "fire": an NMI on this CPU whose handler calls ksql_log()
 *            and ksql_exec_async(); both must be refused with -EPERM. Read:
 *            "NAME VALUE" lines (calls, in_nmi, log_rc, async_rc,
 *            task_log_rc, task_async_rc). See ksql_test_nmi.c.
 *
 * async, txn, log, ping, nmi, storm and nlrace are "command files": one
 * helper (cmd_file_create()) serves them with a show and a write callback.
 *
 * Checks added for the concurrency work (list: the "checks" file):
 *   mixed N M [keep]  N kthreads x M mixed queries on table ksql_mixed,
 *              each answer verified (ksql_test_mixed.c); "keep": use the
 *              table made by mixed_reset instead of making it anew
 *   mixed_reset  drop and create ksql_mixed, empty
 *   txn        transaction isolation and rollback on table ksql_txn
 *
 * Everything is freed and all threads are stopped on unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ksql_test.h"

#define WRITE_MAX	16384	/* longest command written to a file */
#define LAST_MAX	16384	/* longest text kept for "exec" */
#define LAST_ROWS	32	/* rows of the last result shown by "exec" */
#define MARK_UNSET	S64_MIN

unsigned int ksql_test_slow = 1;
module_param_named(slow, ksql_test_slow, uint, 0444);
MODULE_PARM_DESC(slow, "multiplies the checks' default 30 s timeout (1..100; the VM's ksqlvm.slow)");

static struct dentry *kt_dir;

static DEFINE_MUTEX(check_lock);	/* one check at a time; guards below */
static char check_outcome[KSQL_TEST_MSG_MAX + 64] = "none\n";

static DEFINE_MUTEX(last_lock);
static char *last_text;			/* under last_lock, kmalloc'ed */

static atomic_t exec_busy = ATOMIC_INIT(0);
static atomic64_t mark_ns = ATOMIC64_INIT(MARK_UNSET);

/* Copy a command from user space, NUL-terminated, without the newline. */
static char *get_cmd(const char __user *ubuf, size_t count)
{
	char *buf;

	if (!count || count > WRITE_MAX)
		return ERR_PTR(-EINVAL);
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return buf;
	strim(buf);
	return buf;
}

/* Split "WORD REST" in place; returns REST (maybe empty), never NULL. */
static char *split_word(char *s)
{
	char *rest = strpbrk(s, " \t");

	if (!rest)
		return s + strlen(s);
	*rest++ = '\0';
	return skip_spaces(rest);
}

/* check */

static int check_show(struct seq_file *m, void *v)
{
	if (mutex_lock_killable(&check_lock))
		return -EINTR;
	seq_puts(m, check_outcome);
	mutex_unlock(&check_lock);
	return 0;
}

static int check_open(struct inode *inode, struct file *file)
{
	return single_open(file, check_show, NULL);
}

static ssize_t check_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	struct ksql_test_report *rep;
	char *cmd, *arg;
	int err;

	cmd = get_cmd(ubuf, count);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	arg = split_word(cmd);
	rep = kzalloc(sizeof(*rep), GFP_KERNEL);
	if (!rep) {
		err = -ENOMEM;
		goto out;
	}

	err = mutex_lock_killable(&check_lock);
	if (err)
		goto out;
	err = ksql_test_run_check(cmd, arg, rep);
	scnprintf(check_outcome, sizeof(check_outcome), "%s %s: %s\n",
		  err ? "FAIL" : "PASS", cmd, rep->msg);
	mutex_unlock(&check_lock);
	if (err)
		pr_info("check %s: FAIL: %s\n", cmd, rep->msg);
out:
	kfree(rep);
	kfree(cmd);
	return err ? err : count;
}

static const struct file_operations check_fops = {
	.owner = THIS_MODULE,
	.open = check_open,
	.read = seq_read,
	.write = check_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int checks_show(struct seq_file *m, void *v)
{
	ksql_test_list_checks(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(checks);

/* exec */

static int exec_show(struct seq_file *m, void *v)
{
	if (mutex_lock_killable(&last_lock))
		return -EINTR;
	seq_puts(m, last_text ? last_text : "none\n");
	mutex_unlock(&last_lock);
	return 0;
}

static int exec_open(struct inode *inode, struct file *file)
{
	return single_open(file, exec_show, NULL);
}

static ssize_t exec_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct ksql_result *res = NULL;
	unsigned int timeout_ms;
	char *cmd, *sql, *text;
	size_t n;
	ktime_t t0;
	s64 us;
	int rc;

	cmd = get_cmd(ubuf, count);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	sql = split_word(cmd);
	if (kstrtouint(cmd, 0, &timeout_ms) || !*sql) {
		kfree(cmd);
		return -EINVAL;
	}
	text = kmalloc(LAST_MAX, GFP_KERNEL);
	if (!text) {
		kfree(cmd);
		return -ENOMEM;
	}

	atomic_inc(&exec_busy);
	t0 = ktime_get();
	rc = ksql_test_exec(sql, NULL, 0, &res, timeout_ms);
	us = ktime_us_delta(ktime_get(), t0);
	atomic_dec(&exec_busy);

	n = scnprintf(text, LAST_MAX, "rc=%d\nelapsed_us=%lld\n", rc, us);
	ksql_test_dump_result(text + n, LAST_MAX - n, res, LAST_ROWS);
	if (res)
		ksql_result_free(res);

	/* not killable: a dying writer still records what it saw */
	mutex_lock(&last_lock);
	swap(last_text, text);
	mutex_unlock(&last_lock);

	kfree(text);
	kfree(cmd);
	return rc ? rc : count;
}

static const struct file_operations exec_fops = {
	.owner = THIS_MODULE,
	.open = exec_open,
	.read = seq_read,
	.write = exec_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int busy_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", atomic_read(&exec_busy));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(busy);

/* threads */

static int threads_show(struct seq_file *m, void *v)
{
	s64 mark = atomic64_read(&mark_ns);

	ksql_test_threads_show(m, mark != MARK_UNSET, ns_to_ktime(mark));
	return 0;
}

static int threads_open(struct inode *inode, struct file *file)
{
	return single_open(file, threads_show, NULL);
}

static ssize_t threads_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	unsigned int n, timeout_ms;
	char *cmd, *rest, *word;
	int err = -EINVAL;

	cmd = get_cmd(ubuf, count);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	rest = split_word(cmd);

	if (!strcmp(cmd, "stop") && !*rest) {
		err = ksql_test_threads_stop(true);
	} else if (!strcmp(cmd, "start")) {
		word = rest;
		rest = split_word(word);
		if (kstrtouint(word, 0, &n))
			goto out;
		word = rest;
		rest = split_word(word);
		if (kstrtouint(word, 0, &timeout_ms) || !*rest)
			goto out;
		err = ksql_test_threads_start(n, timeout_ms, rest);
	}
out:
	kfree(cmd);
	return err ? err : count;
}

static const struct file_operations threads_fops = {
	.owner = THIS_MODULE,
	.open = threads_open,
	.read = seq_read,
	.write = threads_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* mark */

static int mark_show(struct seq_file *m, void *v)
{
	s64 mark = atomic64_read(&mark_ns);

	if (mark == MARK_UNSET)
		seq_puts(m, "-\n");
	else
		seq_printf(m, "%lld\n", mark);
	return 0;
}

static int mark_open(struct inode *inode, struct file *file)
{
	return single_open(file, mark_show, NULL);
}

static ssize_t mark_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	atomic64_set(&mark_ns, ktime_to_ns(ktime_get()));
	return count;
}

static const struct file_operations mark_fops = {
	.owner = THIS_MODULE,
	.open = mark_open,
	.read = seq_read,
	.write = mark_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/*
 * Command files: "async", "txn", "log", "ping" and "storm" share one shape. A read shows the
 * state through ops->show(); a write hands one command line to
 * ops->write(), whose 0 becomes the byte count. The ops travel in the
 * inode's i_private.
 */

/**
 * struct cmd_file_ops - the two callbacks of a command file
 * @show: print the state
 * @write: run one command (NUL-terminated, trimmed); 0 or a negative errno
 */
struct cmd_file_ops {
	void (*show)(struct seq_file *m);
	int (*write)(char *cmd);
};

static int cmd_file_show(struct seq_file *m, void *v)
{
	const struct cmd_file_ops *ops = m->private;

	ops->show(m);
	return 0;
}

static int cmd_file_open(struct inode *inode, struct file *file)
{
	return single_open(file, cmd_file_show, inode->i_private);
}

static ssize_t cmd_file_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	const struct cmd_file_ops *ops =
		((struct seq_file *)file->private_data)->private;
	char *cmd;
	int err;

	cmd = get_cmd(ubuf, count);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	err = ops->write(cmd);
	kfree(cmd);
	return err ? err : count;
}

static const struct file_operations cmd_file_fops = {
	.owner = THIS_MODULE,
	.open = cmd_file_open,
	.read = seq_read,
	.write = cmd_file_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static const struct cmd_file_ops async_ops = {
	.show = ksql_test_async_show,
	.write = ksql_test_async_write,
};

static const struct cmd_file_ops txn_ops = {
	.show = ksql_test_txn_show,
	.write = ksql_test_txn_write,
};

static const struct cmd_file_ops log_ops = {
	.show = ksql_test_log_show,
	.write = ksql_test_log_write,
};

static const struct cmd_file_ops ping_ops = {
	.show = ksql_test_ping_show,
	.write = ksql_test_ping_write,
};

static const struct cmd_file_ops nmi_ops = {
	.show = ksql_test_nmi_show,
	.write = ksql_test_nmi_write,
};

static const struct cmd_file_ops storm_ops = {
	.show = ksql_test_storm_show,
	.write = ksql_test_storm_write,
};

static const struct cmd_file_ops nlrace_ops = {
	.show = ksql_test_nlrace_show,
	.write = ksql_test_nlrace_write,
};

/* debugfs keeps i_private as a non-const pointer; the ops are never written */
static void cmd_file_create(const char *name, const struct cmd_file_ops *ops)
{
	debugfs_create_file(name, 0600, kt_dir, (void *)ops, &cmd_file_fops);
}

static int __init ksql_test_init(void)
{
	if (ksql_test_slow < 1 || ksql_test_slow > 100) {
		pr_err("slow=%u: give 1 to 100\n", ksql_test_slow);
		return -EINVAL;
	}
	kt_dir = debugfs_create_dir("ksql_test", NULL);
	if (IS_ERR(kt_dir)) {
		pr_err("cannot create debugfs directory: %ld\n",
		       PTR_ERR(kt_dir));
		return PTR_ERR(kt_dir);
	}
	debugfs_create_file("check", 0600, kt_dir, NULL, &check_fops);
	debugfs_create_file("checks", 0400, kt_dir, NULL, &checks_fops);
	debugfs_create_file("exec", 0600, kt_dir, NULL, &exec_fops);
	debugfs_create_file("busy", 0400, kt_dir, NULL, &busy_fops);
	debugfs_create_file("threads", 0600, kt_dir, NULL, &threads_fops);
	debugfs_create_file("mark", 0600, kt_dir, NULL, &mark_fops);
	cmd_file_create("async", &async_ops);
	cmd_file_create("txn", &txn_ops);
	cmd_file_create("log", &log_ops);
	cmd_file_create("ping", &ping_ops);
	cmd_file_create("nmi", &nmi_ops);
	cmd_file_create("storm", &storm_ops);
	cmd_file_create("nlrace", &nlrace_ops);
	pr_info("loaded\n");
	return 0;
}

static void __exit ksql_test_exit(void)
{
	/* open files pin the module, so no file operation runs any more */
	debugfs_remove_recursive(kt_dir);
	ksql_test_threads_stop(false);
	ksql_test_storm_exit();
	ksql_test_log_exit();
	ksql_test_async_exit();
	ksql_test_nlrace_exit();
	kfree(last_text);
	pr_info("unloaded\n");
}

module_init(ksql_test_init);
module_exit(ksql_test_exit);

MODULE_DESCRIPTION("Test driver of the in-kernel ksql API, controlled through debugfs");
MODULE_AUTHOR("ksql developers");
MODULE_LICENSE("GPL");
