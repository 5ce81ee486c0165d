// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_test_threads.c - N kernel threads that each run one ksql call.
 *
 * Every thread runs ksql_exec_timeout() (or ksql_exec() for timeout 0)
 * once, records its return code, start and end time, then idles until it
 * is stopped. The set is stopped by the next start, by "stop" and on
 * module unload; stopping waits for calls still blocked in ksql (they are
 * bounded by their timeout).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "ksql_test.h"

enum thread_state {
	KT_NEW,		/* created, not yet running the call */
	KT_RUNNING,	/* inside the ksql call */
	KT_DONE,	/* the call returned; rc, start and end are valid */
};

/**
 * struct kt_thread - one caller thread
 * @task: the kthread, with a task reference held
 * @idx: index in the set
 * @state: &enum thread_state, published with release semantics
 * @rc: what the ksql call returned
 * @start: when the call started
 * @end: when it returned
 */
struct kt_thread {
	struct task_struct *task;
	unsigned int idx;
	int state;
	int rc;
	ktime_t start;
	ktime_t end;
};

static DEFINE_MUTEX(threads_lock);
static struct kt_thread *threads;	/* under threads_lock */
static unsigned int nthreads;
static char *thread_sql;
static unsigned int thread_timeout_ms;
static DECLARE_WAIT_QUEUE_HEAD(threads_done_wq);

static int caller_fn(void *data)
{
	struct kt_thread *t = data;
	struct ksql_result *res = NULL;

	t->start = ktime_get();
	/* publish start before the state; pairs with the readers' acquire */
	smp_store_release(&t->state, KT_RUNNING);
	t->rc = ksql_test_exec(thread_sql, NULL, 0, &res, thread_timeout_ms);
	t->end = ktime_get();
	ksql_result_free(res);
	/* publish rc and end before the state; pairs with the readers' acquire */
	smp_store_release(&t->state, KT_DONE);
	wake_up_all(&threads_done_wq);

	ksql_test_park_until_stop();
	return 0;
}

/* Whether no thread of the set is inside its ksql call. */
static bool all_idle(void)
{
	unsigned int i;

	for (i = 0; i < nthreads; i++) {
		struct kt_thread *t = &threads[i];

		if (!t->task)
			continue;
		/* pairs with the release in caller_fn() */
		if (smp_load_acquire(&t->state) == KT_RUNNING)
			return false;
	}
	return true;
}

/*
 * Stop and free the current set. Called with threads_lock held, after the
 * calls returned (see all_idle()): kthread_stop() then returns at once.
 */
static void stop_locked(void)
{
	unsigned int i;

	for (i = 0; i < nthreads; i++) {
		if (!threads[i].task)
			continue;
		kthread_stop(threads[i].task);
		put_task_struct(threads[i].task);
	}
	kfree(threads);
	threads = NULL;
	nthreads = 0;
	kfree(thread_sql);
	thread_sql = NULL;
}

/**
 * ksql_test_threads_start() - start a new set of caller threads
 * @n: number of threads, 1..%KSQL_TEST_MAX_THREADS
 * @timeout_ms: timeout of each call, 0 for ksql_exec()
 * @sql: the statement every thread runs
 *
 * The previous set is stopped first (which waits, killable, for its
 * calls).
 *
 * Return: 0, or a negative errno.
 */
int ksql_test_threads_start(unsigned int n, unsigned int timeout_ms,
			    const char *sql)
{
	unsigned int i;
	int err;

	if (!n || n > KSQL_TEST_MAX_THREADS)
		return -EINVAL;

	err = mutex_lock_killable(&threads_lock);
	if (err)
		return err;
	err = wait_event_killable(threads_done_wq, all_idle());
	if (err)
		goto unlock;
	stop_locked();

	err = -ENOMEM;
	thread_sql = kstrdup(sql, GFP_KERNEL);
	threads = kcalloc(n, sizeof(*threads), GFP_KERNEL);
	if (!thread_sql || !threads)
		goto fail;
	thread_timeout_ms = timeout_ms;

	for (i = 0; i < n; i++) {
		struct task_struct *task;

		threads[i].idx = i;
		task = kthread_create(caller_fn, &threads[i], "ksql_test/%u", i);
		if (IS_ERR(task)) {
			err = PTR_ERR(task);
			pr_err("cannot create caller thread %u: %d\n", i, err);
			goto fail;
		}
		get_task_struct(task);
		threads[i].task = task;
		nthreads = i + 1;
	}
	for (i = 0; i < n; i++)
		wake_up_process(threads[i].task);
	mutex_unlock(&threads_lock);
	return 0;

fail:
	/* a never-woken kthread exits on kthread_stop() without running */
	stop_locked();
unlock:
	mutex_unlock(&threads_lock);
	return err;
}

/**
 * ksql_test_threads_stop() - stop the current set and free it
 * @killable: give up with -EINTR on a fatal signal
 *
 * Waits for calls still blocked in ksql (bounded by their timeouts), as
 * TASK_IDLE when not @killable so that module unload is not taken for a
 * hung task.
 *
 * Return: 0, or -EINTR.
 */
int ksql_test_threads_stop(bool killable)
{
	int err = 0;

	if (killable) {
		err = mutex_lock_killable(&threads_lock);
		if (err)
			return err;
		err = wait_event_killable(threads_done_wq, all_idle());
	} else {
		mutex_lock(&threads_lock);
		wait_event_idle(threads_done_wq, all_idle());
	}
	if (!err)
		stop_locked();
	mutex_unlock(&threads_lock);
	return err;
}

/**
 * ksql_test_threads_show() - one line per thread
 * @m: the seq_file
 * @mark_set: whether @mark is valid
 * @mark: the time recorded by a write to "mark"
 *
 * Line format: "IDX STATE RC ELAPSED_US AFTER_MARK_US"; STATE is new,
 * running or done. Fields not known yet are "-": RC and ELAPSED_US until
 * the call returned, AFTER_MARK_US also while no mark is set. AFTER_MARK_US
 * is the time from the mark to the return of the call, negative when the
 * call returned before the mark.
 */
void ksql_test_threads_show(struct seq_file *m, bool mark_set, ktime_t mark)
{
	static const char * const names[] = { "new", "running", "done" };
	unsigned int i;

	if (mutex_lock_killable(&threads_lock))
		return;
	for (i = 0; i < nthreads; i++) {
		struct kt_thread *t = &threads[i];
		/* rc, start and end are valid once DONE is seen (caller_fn()) */
		int state = smp_load_acquire(&t->state);

		seq_printf(m, "%u %s ", t->idx, names[state]);
		if (state != KT_DONE) {
			seq_puts(m, "- - -\n");
			continue;
		}
		seq_printf(m, "%d %lld ", t->rc,
			   ktime_us_delta(t->end, t->start));
		if (mark_set)
			seq_printf(m, "%lld\n", ktime_us_delta(t->end, mark));
		else
			seq_puts(m, "-\n");
	}
	mutex_unlock(&threads_lock);
}
