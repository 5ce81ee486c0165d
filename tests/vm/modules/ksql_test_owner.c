// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_test_owner.ko - a submitter of ksql_exec_async() requests that is
 * unloaded while they are outstanding (scenario 45-async-owner).
 *
 * /sys/kernel/debug/ksql_test_owner/cmd
 *   write "fire N"  submit N requests "SELECT ?1" from the writing task
 *   write "drain"   ksql_async_drain(THIS_MODULE): cancel the outstanding
 *                   ones and wait for their callbacks
 *   read            "NAME VALUE" lines: submitted, accepted, refused,
 *                   called (done() calls), ok, cancelled (done() with
 *                   -ECANCELED), other_err, first_err, pending (accepted,
 *                   done() not run yet)
 *
 * ksql pins this module while a request is outstanding, so it can only be
 * unloaded once every done() has returned: its exit reports "BUG: ..." (a
 * line the suite fails on) if one is still to come, since that done()
 * would then run in freed module text.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ksql.h"

#define OWNER_MAX	1024

static struct dentry *ow_dir;
static DEFINE_MUTEX(ow_lock);		/* serializes commands */
static unsigned int ow_submitted, ow_accepted, ow_refused;	/* ow_lock */
static atomic_t ow_called = ATOMIC_INIT(0);
static atomic_t ow_ok = ATOMIC_INIT(0);
static atomic_t ow_cancelled = ATOMIC_INIT(0);
static atomic_t ow_other_err = ATOMIC_INIT(0);
static atomic_t ow_first_err = ATOMIC_INIT(0);
static atomic_t ow_pending = ATOMIC_INIT(0);
static s64 ow_next_arg = 1;		/* ow_lock */

static void ow_done(struct ksql_result *res, int err, void *ctx)
{
	const struct ksql_value *v = NULL;

	atomic_inc(&ow_called);
	if (!err && res && ksql_result_rows(res) == 1 &&
	    ksql_result_cols(res) == 1)
		v = ksql_result_value(res, 0, 0);
	if (!err && v && v->type == KSQL_INT && v->i == (s64)(uintptr_t)ctx)
		atomic_inc(&ow_ok);
	else if (err == -ECANCELED)
		atomic_inc(&ow_cancelled);
	else
		atomic_inc(&ow_other_err);
	if (err)
		atomic_cmpxchg(&ow_first_err, 0, err);
	ksql_result_free(res);
	atomic_dec(&ow_pending);
}

static int ow_fire(unsigned int n)
{
	struct ksql_value arg;
	unsigned int i;
	int rc;

	if (!n || n > OWNER_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		arg = KSQL_VINT(ow_next_arg);
		atomic_inc(&ow_pending);
		ow_submitted++;
		/* the macro: ksql_exec_async_owner(THIS_MODULE, ...) */
		rc = ksql_exec_async("SELECT ?1", &arg, 1, ow_done,
				     (void *)(uintptr_t)ow_next_arg, GFP_KERNEL);
		ow_next_arg++;
		if (rc) {
			ow_refused++;
			atomic_dec(&ow_pending);
		} else {
			ow_accepted++;
		}
	}
	return 0;
}

static ssize_t ow_write(struct file *file, const char __user *ubuf,
			size_t count, loff_t *ppos)
{
	char buf[32];
	unsigned int n;
	int err = -EINVAL;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	strim(buf);
	if (mutex_lock_killable(&ow_lock))
		return -EINTR;
	if (sscanf(buf, "fire %u", &n) == 1) {
		err = ow_fire(n);
	} else if (!strcmp(buf, "drain")) {
		ksql_async_drain(THIS_MODULE);
		err = 0;
	}
	mutex_unlock(&ow_lock);
	return err ? err : count;
}

static int ow_show(struct seq_file *m, void *v)
{
	mutex_lock(&ow_lock);
	seq_printf(m, "submitted %u\naccepted %u\nrefused %u\n", ow_submitted,
		   ow_accepted, ow_refused);
	mutex_unlock(&ow_lock);
	seq_printf(m, "called %d\nok %d\ncancelled %d\nother_err %d\n",
		   atomic_read(&ow_called), atomic_read(&ow_ok),
		   atomic_read(&ow_cancelled), atomic_read(&ow_other_err));
	seq_printf(m, "first_err %d\npending %d\n", atomic_read(&ow_first_err),
		   atomic_read(&ow_pending));
	return 0;
}

static int ow_open(struct inode *inode, struct file *file)
{
	return single_open(file, ow_show, NULL);
}

static const struct file_operations ow_fops = {
	.owner = THIS_MODULE,
	.open = ow_open,
	.read = seq_read,
	.write = ow_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int __init ow_init(void)
{
	ow_dir = debugfs_create_dir("ksql_test_owner", NULL);
	if (IS_ERR(ow_dir))
		return PTR_ERR(ow_dir);
	debugfs_create_file("cmd", 0600, ow_dir, NULL, &ow_fops);
	return 0;
}

static void __exit ow_exit(void)
{
	debugfs_remove_recursive(ow_dir);
	if (atomic_read(&ow_pending))
		pr_err("BUG: unloaded with %d async callbacks still to come\n",
		       atomic_read(&ow_pending));
	else
		pr_info("unloaded: %d callbacks, all returned\n",
			atomic_read(&ow_called));
}

module_init(ow_init);
module_exit(ow_exit);

MODULE_DESCRIPTION("ksql test: async requests outstanding at unload");
MODULE_AUTHOR("ksql developers");
MODULE_LICENSE("GPL");
