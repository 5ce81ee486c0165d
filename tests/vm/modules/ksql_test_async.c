// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_test_async.c - ksql_exec_async() from task, softirq and hardirq context.
 *
 * A write of "fire N CTX" to the "async" debugfs file submits a batch of N
 * requests "SELECT ?1 * 2 + 1 AS v" (?1 = a number unique to the request)
 * from context CTX:
 *   task  the writing task, GFP_KERNEL
 *   soft  a timer_list callback (softirq; a thread's softirq section on
 *         PREEMPT_RT), GFP_ATOMIC
 *   hard  an hrtimer in HRTIMER_MODE_REL_HARD (hardirq, also on PREEMPT_RT),
 *         GFP_ATOMIC
 * and returns once all are submitted; done() callbacks come later. Whether
 * the context really held at submission is counted (in_context), or the test
 * would prove nothing.
 *
 * done() checks that it runs in process context (not in interrupt, irqs
 * enabled, not atomic), that it is called once per request, and the answer
 * (one row, one column, 2 * ?1 + 1). Batches are kept until unload, so a
 * repeated or late done() always finds its request and is counted, never a
 * use after free. Unload waits for every accepted request's done().
 *
 * Reading "async" shows the current batch and the totals (see async_show()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/hardirq.h>
#include <linux/hrtimer.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/wait.h>

#include "ksql_test.h"

#define ASYNC_MAX		4096
#define ASYNC_SQL		"SELECT ?1 * 2 + 1 AS v"
#define ASYNC_WRONG_MAX		160

enum async_ctx { AC_TASK, AC_SOFT, AC_HARD };

static const char * const async_ctx_names[] = {
	[AC_TASK] = "task", [AC_SOFT] = "soft", [AC_HARD] = "hard",
};

struct async_batch;

/**
 * struct async_req - one request of a batch
 * @batch: the batch it belongs to
 * @arg: its parameter ?1
 * @calls: how many times done() ran for it
 * @submitted: when ksql_exec_async() was called
 */
struct async_req {
	struct async_batch *batch;
	s64 arg;
	atomic_t calls;
	ktime_t submitted;
};

/**
 * struct async_batch - the requests of one "fire" write
 * @node: in async_batches
 * @no: batch number, from 1
 * @ctx: the submission context
 * @n: number of requests
 * @gfp: allocation flags given to ksql
 * @timer: softirq timer (AC_SOFT)
 * @hrtimer: hardirq timer (AC_HARD)
 * @fired: the timer callback submitted everything
 * @accepted: submissions that returned 0
 * @refused: submissions that returned a negative errno
 * @submit_err: the first such errno
 * @in_context: submissions made with the intended context really held
 * @lock: guards the fields below (taken from done())
 * @completed: first done() calls
 * @ok: right answers
 * @failed: done() with an error
 * @first_err: the first such error
 * @other_err: errors different from @first_err
 * @wrong: answers with err 0 that were wrong (no result, shape, value)
 * @lat_min_us: shortest submit-to-done time
 * @lat_max_us: longest
 * @first_wrong: description of the first wrong answer
 * @reqs: the requests
 */
struct async_batch {
	struct list_head node;
	unsigned int no;
	enum async_ctx ctx;
	unsigned int n;
	gfp_t gfp;
	struct timer_list timer;
	struct hrtimer hrtimer;
	struct completion fired;
	unsigned int accepted;
	unsigned int refused;
	int submit_err;
	unsigned int in_context;

	spinlock_t lock;	/* done() runs in a task; readers too */
	unsigned int completed;
	unsigned int ok;
	unsigned int failed;
	int first_err;
	unsigned int other_err;
	unsigned int wrong;
	s64 lat_min_us;
	s64 lat_max_us;
	char first_wrong[ASYNC_WRONG_MAX];

	struct async_req reqs[];
};

static DEFINE_MUTEX(async_lock);	/* serializes fire and show; guards below */
static LIST_HEAD(async_batches);
static struct async_batch *async_cur;
static unsigned int async_nbatches;

/* totals over all batches, from done() */
static atomic_t async_repeated = ATOMIC_INIT(0);
static atomic_t async_bad_context = ATOMIC_INIT(0);
static atomic_t async_pending = ATOMIC_INIT(0);	/* accepted, done() not yet run */
static DECLARE_WAIT_QUEUE_HEAD(async_idle_wq);

__printf(2, 3)
static void async_wrong(struct async_batch *b, const char *fmt, ...)
{
	va_list ap;

	/* called with b->lock held */
	b->wrong++;
	if (b->first_wrong[0])
		return;
	va_start(ap, fmt);
	vscnprintf(b->first_wrong, sizeof(b->first_wrong), fmt, ap);
	va_end(ap);
}

static void async_done(struct ksql_result *res, int err, void *data)
{
	struct async_req *req = data;
	struct async_batch *b = req->batch;
	const struct ksql_value *v = NULL;
	bool bad_ctx;
	s64 us;

	/* process context, where the caller may sleep */
	bad_ctx = in_interrupt() || irqs_disabled() ||
		  (IS_ENABLED(CONFIG_PREEMPT_COUNT) && !preemptible());
	if (bad_ctx)
		atomic_inc(&async_bad_context);
	else
		might_sleep();

	if (atomic_inc_return(&req->calls) > 1) {
		atomic_inc(&async_repeated);
		pr_err("done() called again for request %lld (batch %u), err %d\n",
		       req->arg, b->no, err);
		ksql_test_put_res(res);
		return;
	}

	us = ktime_us_delta(ktime_get(), req->submitted);
	if (!err && res && ksql_result_rows(res) == 1 &&
	    ksql_result_cols(res) == 1)
		v = ksql_result_value(res, 0, 0);

	spin_lock_bh(&b->lock);
	b->completed++;
	if (!b->lat_min_us || us < b->lat_min_us)
		b->lat_min_us = us;
	if (us > b->lat_max_us)
		b->lat_max_us = us;
	if (err) {
		b->failed++;
		if (!b->first_err)
			b->first_err = err;
		else if (err != b->first_err)
			b->other_err++;
	} else if (!res) {
		async_wrong(b, "request %lld: err 0 without a result", req->arg);
	} else if (!v) {
		async_wrong(b, "request %lld: %u rows x %u cols, expected 1 x 1",
			    req->arg, ksql_result_rows(res), ksql_result_cols(res));
	} else if (v->type != KSQL_INT || v->i != req->arg * 2 + 1) {
		async_wrong(b, "request %lld: type %d value %lld, expected INT %lld",
			    req->arg, v->type, v->type == KSQL_INT ? v->i : 0,
			    req->arg * 2 + 1);
	} else {
		b->ok++;
	}
	spin_unlock_bh(&b->lock);

	ksql_test_put_res(res);
	if (atomic_dec_and_test(&async_pending))
		wake_up_all(&async_idle_wq);
}

/* Submit the whole batch from the current context. */
static void async_submit_all(struct async_batch *b, bool in_ctx)
{
	struct ksql_value arg;
	unsigned int i;
	int rc;

	for (i = 0; i < b->n; i++) {
		struct async_req *req = &b->reqs[i];

		arg = KSQL_VINT(req->arg);
		/* counted before the call: done() may run before it returns */
		atomic_inc(&async_pending);
		req->submitted = ktime_get();
		rc = ksql_exec_async(ASYNC_SQL, &arg, 1, async_done, req, b->gfp);
		if (in_ctx)
			b->in_context++;
		if (rc) {
			b->refused++;
			if (!b->submit_err)
				b->submit_err = rc;
			/*
			 * No wake_up() from hard interrupt context: the
			 * waitqueue's lock sleeps on PREEMPT_RT (lockdep says
			 * "Invalid wait context"); the only waiter, module
			 * exit, polls as well.
			 */
			if (atomic_dec_and_test(&async_pending) && !in_hardirq())
				wake_up_all(&async_idle_wq);
		} else {
			b->accepted++;
		}
	}
}

static void async_soft_fn(struct timer_list *t)
{
	struct async_batch *b = from_timer(b, t, timer);

	async_submit_all(b, in_serving_softirq() && !in_hardirq());
	complete(&b->fired);
}

static enum hrtimer_restart async_hard_fn(struct hrtimer *t)
{
	struct async_batch *b = container_of(t, struct async_batch, hrtimer);

	async_submit_all(b, in_hardirq() && irqs_disabled());
	complete(&b->fired);
	return HRTIMER_NORESTART;
}

static int async_fire(unsigned int n, enum async_ctx ctx)
{
	struct async_batch *b;
	unsigned int i;
	int err;

	if (!n || n > ASYNC_MAX)
		return -EINVAL;
	b = kvzalloc(struct_size(b, reqs, n), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->n = n;
	b->ctx = ctx;
	b->gfp = ctx == AC_TASK ? GFP_KERNEL : GFP_ATOMIC;
	spin_lock_init(&b->lock);
	init_completion(&b->fired);

	err = mutex_lock_killable(&async_lock);
	if (err) {
		kvfree(b);
		return err;
	}
	b->no = ++async_nbatches;
	for (i = 0; i < n; i++) {
		b->reqs[i].batch = b;
		b->reqs[i].arg = (s64)b->no * 100000 + i;
	}
	list_add_tail(&b->node, &async_batches);
	async_cur = b;

	switch (ctx) {
	case AC_TASK:
		async_submit_all(b, !in_interrupt());
		break;
	case AC_SOFT:
		timer_setup(&b->timer, async_soft_fn, 0);
		mod_timer(&b->timer, jiffies + 1);
		/* the callback only submits: it ends within a few ms */
		wait_for_completion(&b->fired);
		timer_delete_sync(&b->timer);
		break;
	case AC_HARD:
		hrtimer_init(&b->hrtimer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
		b->hrtimer.function = async_hard_fn;
		hrtimer_start(&b->hrtimer, ns_to_ktime(100 * NSEC_PER_USEC), HRTIMER_MODE_REL_HARD);
		wait_for_completion(&b->fired);
		hrtimer_cancel(&b->hrtimer);
		break;
	}
	mutex_unlock(&async_lock);
	return 0;
}

/**
 * ksql_test_async_write() - a command written to "async"
 * @cmd: "fire N task|soft|hard"
 *
 * Return: 0, or a negative errno (-EINVAL for a bad command).
 */
int ksql_test_async_write(char *cmd)
{
	char ctxname[8];
	unsigned int n, i;

	if (sscanf(cmd, "fire %u %7s", &n, ctxname) != 2)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(async_ctx_names); i++)
		if (!strcmp(ctxname, async_ctx_names[i]))
			return async_fire(n, i);
	return -EINVAL;
}

/**
 * ksql_test_async_show() - the current batch and the totals
 * @m: the seq_file
 *
 * "NAME VALUE" lines: batch, context, submitted, accepted, refused,
 * submit_err, in_context, completed, ok, failed, first_err, other_err,
 * wrong, latency_min_us, latency_max_us (of the current batch); then
 * pending, repeated, bad_context (totals); then "first_wrong: TEXT" when
 * an answer was wrong.
 */
void ksql_test_async_show(struct seq_file *m)
{
	struct async_batch *b;

	if (mutex_lock_killable(&async_lock))
		return;
	b = async_cur;
	if (b) {
		seq_printf(m, "batch %u\ncontext %s\nsubmitted %u\naccepted %u\n",
			   b->no, async_ctx_names[b->ctx], b->n, b->accepted);
		seq_printf(m, "refused %u\nsubmit_err %d\nin_context %u\n",
			   b->refused, b->submit_err, b->in_context);
		spin_lock_bh(&b->lock);
		seq_printf(m, "completed %u\nok %u\nfailed %u\nfirst_err %d\n",
			   b->completed, b->ok, b->failed, b->first_err);
		seq_printf(m, "other_err %u\nwrong %u\nlatency_min_us %lld\nlatency_max_us %lld\n",
			   b->other_err, b->wrong, b->lat_min_us, b->lat_max_us);
		spin_unlock_bh(&b->lock);
	}
	seq_printf(m, "pending %d\nrepeated %d\nbad_context %d\n",
		   atomic_read(&async_pending), atomic_read(&async_repeated),
		   atomic_read(&async_bad_context));
	if (b && b->first_wrong[0])
		seq_printf(m, "first_wrong: %s\n", b->first_wrong);
	mutex_unlock(&async_lock);
}

/**
 * ksql_test_async_exit() - wait for every done(), free the batches
 *
 * Every accepted request completes (reply, timeout or daemon death), so the
 * wait is bounded; TASK_IDLE keeps the hung-task detector quiet meanwhile.
 */
void ksql_test_async_exit(void)
{
	struct async_batch *b, *tmp;

	/* polls too: a refused hardirq submission does not wake us */
	while (!wait_event_idle_timeout(async_idle_wq,
					!atomic_read(&async_pending), HZ / 10))
		;
	list_for_each_entry_safe(b, tmp, &async_batches, node) {
		list_del(&b->node);
		kvfree(b);
	}
	async_cur = NULL;
}
