// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_test_pool.c - run one function in N kernel threads and wait for all.
 *
 * The checks that need concurrent kernel callers (mixed, txn) hand a
 * function to ksql_test_pool_run(): it starts N kthreads, waits until every
 * one returned, and reports the first failure. Each thread has its own
 * report, so a failure names the thread and its query.
 *
 * The wait is TASK_IDLE rather than killable: the threads use the caller's
 * stack data, so the caller must not leave before them; every ksql call of
 * a worker is bounded by its timeout, hence so is the wait. TASK_IDLE keeps
 * the hung-task detector quiet during long runs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "ksql_test.h"

/**
 * struct pool_worker - one thread of a pool run
 * @task: the kthread, with a task reference held
 * @idx: index of the thread, passed to the function
 * @err: what the function returned (valid once the thread counted itself)
 * @rep: its report
 * @run: the run this worker belongs to
 */
struct pool_worker {
	struct task_struct *task;
	unsigned int idx;
	int err;
	struct ksql_test_report rep;
	struct pool_run *run;
};

/**
 * struct pool_run - one call of ksql_test_pool_run()
 * @fn: the function every thread runs
 * @ctx: its context
 * @left: threads still inside @fn
 * @wq: woken when @left drops to 0
 */
struct pool_run {
	ksql_test_pool_fn fn;
	void *ctx;
	atomic_t left;
	wait_queue_head_t wq;
};

/**
 * ksql_test_park_until_stop() - sleep until kthread_stop() is called
 *
 * A kthread whose work is done stays until its owner calls kthread_stop(),
 * so the owner, holding a task reference, reaps it safely and reads its
 * results without racing the thread's exit.
 */
void ksql_test_park_until_stop(void)
{
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
}

static int pool_thread(void *data)
{
	struct pool_worker *w = data;
	struct pool_run *run = w->run;

	w->err = run->fn(w->idx, run->ctx, &w->rep);
	/* the full barrier of atomic_dec_and_test() publishes err and rep */
	if (atomic_dec_and_test(&run->left))
		wake_up_all(&run->wq);

	ksql_test_park_until_stop();
	return 0;
}

/**
 * ksql_test_pool_run() - run @fn in @n kernel threads, wait for all
 * @n: number of threads, 1..%KSQL_TEST_MAX_THREADS
 * @name: thread name prefix (the index is appended)
 * @fn: the function; returns 0 or -EIO with its report filled in
 * @ctx: passed to @fn
 * @rep: gets the report of the first failed thread
 *
 * Return: 0 when every thread returned 0, -EIO when one failed (see @rep),
 * or a negative errno when the threads could not be started.
 */
int ksql_test_pool_run(unsigned int n, const char *name, ksql_test_pool_fn fn,
		       void *ctx, struct ksql_test_report *rep)
{
	struct pool_worker *w;
	struct pool_run run;
	unsigned int i, started = 0;
	int err = 0;

	if (!n || n > KSQL_TEST_MAX_THREADS)
		return ksql_test_fail(rep, "%u threads: allowed 1..%d", n,
				      KSQL_TEST_MAX_THREADS);
	w = kvcalloc(n, sizeof(*w), GFP_KERNEL);
	if (!w)
		return ksql_test_fail(rep, "no memory for %u threads", n);
	run.fn = fn;
	run.ctx = ctx;
	atomic_set(&run.left, n);
	init_waitqueue_head(&run.wq);

	for (i = 0; i < n; i++) {
		struct task_struct *task;

		w[i].idx = i;
		w[i].run = &run;
		task = kthread_create(pool_thread, &w[i], "%s/%u", name, i);
		if (IS_ERR(task)) {
			err = ksql_test_fail(rep, "cannot create thread %s/%u: %ld",
					     name, i, PTR_ERR(task));
			break;
		}
		get_task_struct(task);
		w[i].task = task;
		started++;
	}
	if (started < n) {
		/* never-woken kthreads exit on kthread_stop() without running */
		for (i = 0; i < started; i++) {
			kthread_stop(w[i].task);
			put_task_struct(w[i].task);
		}
		kvfree(w);
		return err;
	}

	for (i = 0; i < n; i++)
		wake_up_process(w[i].task);
	wait_event_idle(run.wq, !atomic_read(&run.left));

	for (i = 0; i < n; i++) {
		kthread_stop(w[i].task);
		put_task_struct(w[i].task);
		if (w[i].err && !err) {
			err = -EIO;
			ksql_test_fail(rep, "thread %u: %s", i, w[i].rep.msg);
		}
	}
	kvfree(w);
	return err;
}
