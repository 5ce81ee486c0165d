// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_test_storm.c - the "storm" file: kernel callers that never stop
 * asking, whoever answers.
 *
 * For the adversarial daemon (tests/vm/scenarios/87-adversary.sh): while a
 * hostile "daemon" answers with garbage, K kthreads keep calling every kind
 * of ksql request in turn: ksql_exec_timeout(), ksql_exec_async(), a
 * transaction (begin, exec, commit or rollback), ksql_ping(), ksql_log()
 * into a table of their own (opened when ksql_table_open() succeeds), and a
 * ksql_exec_timeout() with a very short timeout (late replies, CANCELs).
 * What the calls return does not matter here, only that each returns.
 *
 * Write "start K TIMEOUT_MS": start K (1..%KSQL_TEST_MAX_THREADS) callers,
 * each call bounded by TIMEOUT_MS; -EBUSY while a storm exists.
 * Write "stop": ask the callers to finish; returns at once, so a stuck call
 * shows up as "inside" not going to 0 instead of a hung writer.
 * Write "reap": free the stopped callers; -EBUSY while a call or an async
 * request is still outstanding.
 * Read: "NAME VALUE" lines: threads (not yet finished), inside (calls in
 * ksql right now), async_pending (accepted, done() not yet called), calls,
 * ok, failed, async_done, tables_open, logged. (done() called twice is
 * 45-async's business, not this file's.)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "ksql_test.h"

#define STORM_SHORT_MS	20	/* the short-timeout call: gives up early */
#define STORM_LOG_ROWS	8	/* rows per ksql_log() turn */
#define STORM_ASYNC_MAX	256	/* async requests outstanding at most */
#define STORM_OPS	6
/* between calls: the hostile daemon needs the (emulated) CPUs too */
#define STORM_PAUSE_US	300

/**
 * struct storm_caller - one caller kthread
 * @task: the kthread, with a task reference held
 * @idx: index, names its table
 * @table: its log table once ksql_table_open() succeeded, else NULL
 * @finished: set (release) when its loop has ended
 */
struct storm_caller {
	struct task_struct *task;
	unsigned int idx;
	struct ksql_table *table;
	int finished;
};

static DEFINE_MUTEX(storm_lock);
static struct storm_caller *callers;	/* under storm_lock */
static unsigned int ncallers;
static unsigned int storm_timeout_ms;
static bool storm_stopping;
static atomic_t running = ATOMIC_INIT(0);
static atomic_t inside = ATOMIC_INIT(0);
static atomic_t async_pending = ATOMIC_INIT(0);
static atomic_t tables_open = ATOMIC_INIT(0);
static atomic64_t calls, ok, failed, async_done, logged;
static DECLARE_WAIT_QUEUE_HEAD(storm_wq);

static void count_rc(int rc)
{
	atomic64_inc(&calls);
	if (rc)
		atomic64_inc(&failed);
	else
		atomic64_inc(&ok);
}

/* ctx is only a distinct cookie: requests need no order among them */
static void storm_async_done(struct ksql_result *res, int err, void *ctx)
{
	ksql_result_free(res);
	atomic64_inc(&async_done);
	count_rc(err);
	if (atomic_dec_and_test(&async_pending))
		wake_up_all(&storm_wq);
}

static void storm_async(u64 n)
{
	struct ksql_value v = KSQL_VINT(n);
	int rc;

	if (atomic_read(&async_pending) >= STORM_ASYNC_MAX)
		return;
	atomic_inc(&async_pending);
	rc = ksql_exec_async("SELECT ?1", &v, 1, storm_async_done,
			     (void *)(unsigned long)n, GFP_KERNEL);
	if (rc) {
		count_rc(rc);
		atomic_dec(&async_pending);
	}
}

static int storm_txn(long timeout)
{
	struct ksql_value v = KSQL_VINT(1);
	struct ksql_txn *txn;
	int rc;

	txn = ksql_txn_begin(timeout);
	if (IS_ERR(txn))
		return PTR_ERR(txn);
	rc = ksql_txn_exec(txn, "SELECT ?1", &v, 1, NULL);
	if (rc) {
		ksql_txn_rollback(txn);
		return rc;
	}
	return ksql_txn_commit(txn);
}

static int storm_log(struct storm_caller *c, u64 n)
{
	char name[32];
	struct ksql_value v = KSQL_VINT(n);
	unsigned int i;
	int rc = 0;

	if (!c->table) {
		snprintf(name, sizeof(name), "adv_storm_%u", c->idx);
		c->table = ksql_table_open(name, "n INTEGER", 0);
		if (IS_ERR(c->table)) {
			rc = PTR_ERR(c->table);
			c->table = NULL;
			return rc;
		}
		atomic_inc(&tables_open);
	}
	for (i = 0; i < STORM_LOG_ROWS; i++) {
		rc = ksql_log(c->table, &v, 1);
		if (!rc)
			atomic64_inc(&logged);
	}
	return rc;
}

static int storm_fn(void *data)
{
	struct storm_caller *c = data;
	long timeout = msecs_to_jiffies(storm_timeout_ms);
	struct ksql_value v;
	u64 n = 0;
	int rc;

	while (!READ_ONCE(storm_stopping) && !kthread_should_stop()) {
		n++;
		v = (struct ksql_value)KSQL_VINT(n);
		atomic_inc(&inside);
		switch ((n + c->idx) % STORM_OPS) {
		case 0:
			rc = ksql_exec_timeout("SELECT ?1", &v, 1, NULL, timeout);
			break;
		case 1:
			storm_async(n);
			atomic_dec(&inside);
			usleep_range(STORM_PAUSE_US, 2 * STORM_PAUSE_US);
			continue;
		case 2:
			rc = storm_txn(timeout);
			break;
		case 3:
			rc = ksql_ping(timeout);
			break;
		case 4:
			rc = storm_log(c, n);
			break;
		default:
			rc = ksql_exec_timeout("SELECT ?1", &v, 1, NULL,
					       msecs_to_jiffies(STORM_SHORT_MS));
			break;
		}
		atomic_dec(&inside);
		count_rc(rc);
		usleep_range(STORM_PAUSE_US, 2 * STORM_PAUSE_US);
	}
	/* rows still unacked are dropped with a note: the daemon was hostile */
	if (c->table) {
		ksql_table_close(c->table);
		c->table = NULL;
		atomic_dec(&tables_open);
	}
	smp_store_release(&c->finished, 1);
	if (atomic_dec_and_test(&running))
		wake_up_all(&storm_wq);
	ksql_test_park_until_stop();
	return 0;
}

/* Stop and free the callers; storm_lock held, every loop has ended. */
static void reap_locked(void)
{
	unsigned int i;

	for (i = 0; i < ncallers; i++) {
		if (!callers[i].task)
			continue;
		kthread_stop(callers[i].task);
		put_task_struct(callers[i].task);
	}
	kfree(callers);
	callers = NULL;
	ncallers = 0;
}

static bool storm_idle(void)
{
	return !atomic_read(&running) && !atomic_read(&async_pending);
}

static int storm_start(unsigned int k, unsigned int timeout_ms)
{
	unsigned int i;
	int err = 0;

	if (!k || k > KSQL_TEST_MAX_THREADS || !timeout_ms)
		return -EINVAL;
	mutex_lock(&storm_lock);
	if (callers) {
		err = -EBUSY;
		goto out;
	}
	callers = kcalloc(k, sizeof(*callers), GFP_KERNEL);
	if (!callers) {
		err = -ENOMEM;
		goto out;
	}
	storm_timeout_ms = timeout_ms;
	WRITE_ONCE(storm_stopping, false);
	atomic64_set(&calls, 0);
	atomic64_set(&ok, 0);
	atomic64_set(&failed, 0);
	atomic64_set(&async_done, 0);
	atomic64_set(&logged, 0);
	for (i = 0; i < k; i++) {
		struct task_struct *task;

		callers[i].idx = i;
		task = kthread_create(storm_fn, &callers[i], "ksql_storm/%u", i);
		if (IS_ERR(task)) {
			err = PTR_ERR(task);
			/* never-woken kthreads exit on kthread_stop() */
			reap_locked();
			goto out;
		}
		get_task_struct(task);
		callers[i].task = task;
		ncallers = i + 1;
	}
	atomic_set(&running, k);
	for (i = 0; i < k; i++)
		wake_up_process(callers[i].task);
out:
	mutex_unlock(&storm_lock);
	return err;
}

/**
 * ksql_test_storm_write() - a command written to "storm"
 * @cmd: "start K TIMEOUT_MS", "stop" or "reap"
 *
 * Return: 0, -EINVAL for a bad command, -EBUSY (see the top of the file).
 */
int ksql_test_storm_write(char *cmd)
{
	unsigned int k, timeout_ms;
	int err = 0;

	if (!strcmp(cmd, "stop")) {
		WRITE_ONCE(storm_stopping, true);
		return 0;
	}
	if (!strcmp(cmd, "reap")) {
		mutex_lock(&storm_lock);
		if (!storm_idle())
			err = -EBUSY;
		else
			reap_locked();
		mutex_unlock(&storm_lock);
		return err;
	}
	if (sscanf(cmd, "start %u %u", &k, &timeout_ms) != 2)
		return -EINVAL;
	return storm_start(k, timeout_ms);
}

/**
 * ksql_test_storm_show() - the "storm" file's state
 * @m: the file
 */
void ksql_test_storm_show(struct seq_file *m)
{
	seq_printf(m, "threads %d\ninside %d\nasync_pending %d\n",
		   atomic_read(&running), atomic_read(&inside),
		   atomic_read(&async_pending));
	seq_printf(m, "calls %lld\nok %lld\nfailed %lld\n",
		   atomic64_read(&calls), atomic64_read(&ok),
		   atomic64_read(&failed));
	seq_printf(m, "async_done %lld\n", atomic64_read(&async_done));
	seq_printf(m, "tables_open %d\nlogged %lld\n",
		   atomic_read(&tables_open), atomic64_read(&logged));
}

/* Module unload: stop the callers and wait for every outstanding call. */
void ksql_test_storm_exit(void)
{
	WRITE_ONCE(storm_stopping, true);
	mutex_lock(&storm_lock);
	wait_event_idle(storm_wq, storm_idle());
	if (callers)
		reap_locked();
	mutex_unlock(&storm_lock);
}
