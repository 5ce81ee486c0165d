// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_test_log.c - the "log" file: ksql_log() from kthreads, a softirq
 * timer, a hardirq hrtimer and the writing task, with exact bookkeeping.
 *
 * Commands written to "log" (one per write):
 *   open NAME     ksql_table_open(NAME, LOG_COLUMNS); resets the counters
 *                 and picks a new run number (the "run" column)
 *   close         stop the sources, ksql_table_close()
 *   tryopen NAME COLUMNS
 *                 ksql_table_open(NAME, COLUMNS) and, when it worked,
 *                 ksql_table_close() at once: for the open's errors; the
 *                 write fails with them, "open_rc" keeps them
 *   flush MS      ksql_table_flush() with that timeout; the write fails
 *                 with its error
 *   start K HARD_US SOFT_US ROWS [THREAD_US]
 *                 start K kthreads, an HRTIMER_MODE_REL_HARD hrtimer every
 *                 HARD_US us (0: none) and a timer_list every SOFT_US us
 *                 (rounded up to a jiffy; 0: none), all logging until ROWS
 *                 rows have been attempted by them together. The hrtimer
 *                 logs 4 rows per expiry, the timer 16; a thread logs 16
 *                 rows, then sleeps THREAD_US (default 1000): the pace,
 *                 so that a test can do things (kill the daemon) meanwhile
 *   stop          stop those sources (waits for them)
 *   log N         log N rows from the writing task
 *   big           log one row larger than any batch: the write fails with
 *                 what ksql_log() returned (-E2BIG expected)
 *   verify        flush, then compare the table with the bookkeeping (see
 *                 ksql_test_log_verify.c); the write fails with -EIO when
 *                 they differ; "verify_msg" says why or what was checked
 *
 * Every source logs rows (run, src, n, ctx, payload): src is the source's
 * number (0 task, 1 hard, 2 soft, 3.. threads), n counts that source's
 * attempts from 0, ctx names its context, payload is n % 61 bytes. For each
 * source the module knows exactly which n were accepted (count, sum of n,
 * of n * n, of payload lengths, min, max), so "verify" can tell a lost, a
 * duplicated or a foreign row. Each source checks, at every ksql_log(), that
 * it runs where it claims (hardirq, softirq serving, task): bad_context.
 *
 * Read: "NAME VALUE" lines (see ksql_test_log_show()). Reads take no lock:
 * the counters are read with READ_ONCE while sources may run.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/hardirq.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>

#include <ksql_genl.h>

#include "ksql_test.h"

#define LOG_COLUMNS	"run INTEGER, src INTEGER, n INTEGER, ctx TEXT, payload BLOB"
#define LOG_THREADS_MAX	16
#define LOG_HARD_PER_TICK 4	/* rows per hrtimer expiry */
#define LOG_SOFT_PER_TICK 16	/* rows per timer_list expiry */
#define LOG_THREAD_BURST 16	/* rows between a thread's sleeps */
#define LOG_THREAD_US	1000	/* default sleep */
#define LOG_PAYLOAD_MOD	61
#define LOG_BIG_TEXT	60000	/* with a KSQL_VALUE_MAX blob: over any batch */

/* source numbers: the src column */
enum {
	SRC_TASK,
	SRC_HARD,
	SRC_SOFT,
	SRC_THREAD0,
	SRC_MAX = SRC_THREAD0 + LOG_THREADS_MAX
};

/**
 * struct log_src - one source of rows and what became of them
 * @task: its kthread (threads only), with a reference held
 * @running: started and not yet finished (budget used up or stopped)
 * @attempted: ksql_log() calls, the next n
 * @accepted: calls that returned 0
 * @enobufs: calls that returned -ENOBUFS
 * @e2big: calls that returned -E2BIG
 * @other: calls that returned another error
 * @first_err: the first error returned
 * @bad_context: calls made outside the context the source stands for
 * @sum: what verify compares, over the accepted n
 *
 * Only the source itself writes these while it runs (the task source under
 * log_lock); readers use READ_ONCE.
 */
struct log_src {
	struct task_struct *task;
	bool running;
	u64 attempted;
	u64 accepted;
	u64 enobufs;
	u64 e2big;
	u64 other;
	int first_err;
	u64 bad_context;
	struct ksql_test_log_sum sum;
};

static DEFINE_MUTEX(log_lock);	/* serializes commands; guards the table */
static struct ksql_table *log_table;
static char log_name[KSQL_TEST_LOG_NAME_MAX + 1];
static s64 log_run;
static struct log_src log_srcs[SRC_MAX];
static unsigned int log_nthreads;

static atomic64_t log_budget = ATOMIC64_INIT(0);	/* attempts left */
static bool log_stopping;
static unsigned int log_thread_us;
static u64 log_hard_ns;
static unsigned long log_soft_jiffies;
static struct hrtimer log_hrtimer;
static struct timer_list log_timer;

static u64 log_big_attempts;
static int log_big_rc;
static int log_open_rc;
static int log_flush_rc;
static int log_verify_rc;
static u64 log_verify_rows;
static char log_verify_msg[KSQL_TEST_MSG_MAX] = "none";

static const char * const log_ctx_names[] = {
	[SRC_TASK] = "task", [SRC_HARD] = "hard", [SRC_SOFT] = "soft",
};

static const u8 log_pattern[LOG_PAYLOAD_MOD] =
	"ksql log payload: 0123456789 abcdefghijklmnopqrstuvwxyz ABCD";

static const char *src_ctx(unsigned int idx)
{
	return idx < SRC_THREAD0 ? log_ctx_names[idx] : "thread";
}

/* Log row n of source idx; ok_ctx says whether we run where idx claims. */
static void log_one(unsigned int idx, bool ok_ctx)
{
	struct log_src *s = &log_srcs[idx];
	u64 n = s->attempted;
	u32 len = n % LOG_PAYLOAD_MOD;
	const char *ctx = src_ctx(idx);
	struct ksql_value vals[] = {
		KSQL_VINT(log_run),
		KSQL_VINT(idx),
		KSQL_VINT(n),
		KSQL_VTEXT(ctx),
		KSQL_VBLOB(log_pattern, len),
	};
	int rc;

	rc = ksql_log(log_table, vals, ARRAY_SIZE(vals));
	WRITE_ONCE(s->attempted, n + 1);
	if (!ok_ctx)
		WRITE_ONCE(s->bad_context, s->bad_context + 1);
	if (rc) {
		if (!s->first_err)
			WRITE_ONCE(s->first_err, rc);
		if (rc == -ENOBUFS)
			WRITE_ONCE(s->enobufs, s->enobufs + 1);
		else if (rc == -E2BIG)
			WRITE_ONCE(s->e2big, s->e2big + 1);
		else
			WRITE_ONCE(s->other, s->other + 1);
		return;
	}
	if (!s->accepted || (s64)n < s->sum.min_n)
		s->sum.min_n = n;
	if ((s64)n > s->sum.max_n)
		s->sum.max_n = n;
	s->sum.sum_n += n;
	s->sum.sum_n2 += n * n;
	s->sum.sum_len += len;
	WRITE_ONCE(s->accepted, s->accepted + 1);
}

/* Take one attempt from the budget of "start"; false when none is left. */
static bool log_take(void)
{
	return !READ_ONCE(log_stopping) &&
	       atomic64_dec_if_positive(&log_budget) >= 0;
}

static int log_thread(void *data)
{
	unsigned int idx = (unsigned long)data;
	unsigned int i = 0;

	while (!kthread_should_stop() && log_take()) {
		log_one(idx, !in_interrupt() && !irqs_disabled());
		if (++i % LOG_THREAD_BURST == 0 && log_thread_us)
			usleep_range(log_thread_us, log_thread_us + log_thread_us / 4 + 1);
		else
			cond_resched();
	}
	WRITE_ONCE(log_srcs[idx].running, false);
	ksql_test_park_until_stop();
	return 0;
}

static enum hrtimer_restart log_hard_fn(struct hrtimer *t)
{
	unsigned int i;

	for (i = 0; i < LOG_HARD_PER_TICK; i++) {
		if (!log_take()) {
			WRITE_ONCE(log_srcs[SRC_HARD].running, false);
			return HRTIMER_NORESTART;
		}
		log_one(SRC_HARD, in_hardirq() && irqs_disabled());
	}
	hrtimer_forward_now(t, ns_to_ktime(log_hard_ns));
	return HRTIMER_RESTART;
}

static void log_soft_fn(struct timer_list *t)
{
	unsigned int i;

	for (i = 0; i < LOG_SOFT_PER_TICK; i++) {
		if (!log_take()) {
			WRITE_ONCE(log_srcs[SRC_SOFT].running, false);
			return;
		}
		log_one(SRC_SOFT, in_serving_softirq() && !in_hardirq());
	}
	/* log_stopping is set before timer_delete_sync(): no re-arm after it */
	if (!READ_ONCE(log_stopping))
		mod_timer(&log_timer, jiffies + log_soft_jiffies);
}

static bool log_sources_running(void)
{
	unsigned int i;

	for (i = SRC_HARD; i < SRC_MAX; i++)
		if (READ_ONCE(log_srcs[i].running))
			return true;
	return false;
}

/* Stop every source of "start" and wait until none runs. */
static void log_stop(void)
{
	unsigned int i;

	WRITE_ONCE(log_stopping, true);
	if (log_hard_ns)
		hrtimer_cancel(&log_hrtimer);
	if (log_soft_jiffies)
		timer_delete_sync(&log_timer);
	for (i = 0; i < log_nthreads; i++) {
		struct log_src *s = &log_srcs[SRC_THREAD0 + i];

		kthread_stop(s->task);
		put_task_struct(s->task);
		s->task = NULL;
	}
	for (i = SRC_HARD; i < SRC_MAX; i++)
		WRITE_ONCE(log_srcs[i].running, false);
	log_nthreads = 0;
	log_hard_ns = 0;
	log_soft_jiffies = 0;
}

static int log_start(unsigned int k, unsigned int hard_us,
		     unsigned int soft_us, u64 rows, unsigned int thread_us)
{
	struct task_struct *task;
	unsigned int i;

	if (!log_table)
		return -EBADF;
	if (k > LOG_THREADS_MAX || (hard_us && hard_us < 20))
		return -EINVAL;
	if (log_sources_running())
		return -EBUSY;
	log_stop();	/* reap the finished ones of an earlier start */

	atomic64_set(&log_budget, rows);
	WRITE_ONCE(log_stopping, false);
	log_thread_us = thread_us;
	for (i = 0; i < k; i++) {
		task = kthread_create(log_thread, (void *)(unsigned long)(SRC_THREAD0 + i),
				      "ksql_tlog/%u", i);
		if (IS_ERR(task)) {
			log_stop();
			return PTR_ERR(task);
		}
		get_task_struct(task);
		log_srcs[SRC_THREAD0 + i].task = task;
		log_srcs[SRC_THREAD0 + i].running = true;
		log_nthreads++;
	}
	for (i = 0; i < k; i++)
		wake_up_process(log_srcs[SRC_THREAD0 + i].task);
	if (hard_us) {
		log_hard_ns = (u64)hard_us * NSEC_PER_USEC;
		log_srcs[SRC_HARD].running = true;
		hrtimer_init(&log_hrtimer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
		log_hrtimer.function = log_hard_fn;
		hrtimer_start(&log_hrtimer, ns_to_ktime(log_hard_ns),
			      HRTIMER_MODE_REL_HARD);
	}
	if (soft_us) {
		log_soft_jiffies = max(usecs_to_jiffies(soft_us), 1UL);
		log_srcs[SRC_SOFT].running = true;
		timer_setup(&log_timer, log_soft_fn, 0);
		mod_timer(&log_timer, jiffies + log_soft_jiffies);
	}
	return 0;
}

static void log_reset(void)
{
	unsigned int i;

	for (i = 0; i < SRC_MAX; i++) {
		memset(&log_srcs[i], 0, sizeof(log_srcs[i]));
		log_srcs[i].sum.min_n = -1;
		log_srcs[i].sum.max_n = -1;
	}
	log_big_attempts = 0;
	log_big_rc = 0;
	log_flush_rc = 0;
	log_verify_rc = 0;
	log_verify_rows = 0;
	strscpy(log_verify_msg, "none", sizeof(log_verify_msg));
}

static int log_open(const char *name)
{
	struct ksql_table *t;

	if (log_table)
		return -EBUSY;
	if (strlen(name) > KSQL_TEST_LOG_NAME_MAX)
		return -ENAMETOOLONG;
	log_reset();
	t = ksql_table_open(name, LOG_COLUMNS, 0);
	log_open_rc = PTR_ERR_OR_ZERO(t);
	if (IS_ERR(t))
		return PTR_ERR(t);
	strscpy(log_name, name, sizeof(log_name));
	log_run = get_random_u32() & S32_MAX;
	log_table = t;
	return 0;
}

/* Open and close a table with any columns; the bookkeeping stays. */
static int log_tryopen(const char *name, const char *columns)
{
	struct ksql_table *t = ksql_table_open(name, columns, 0);

	log_open_rc = PTR_ERR_OR_ZERO(t);
	if (IS_ERR(t))
		return PTR_ERR(t);
	ksql_table_close(t);
	return 0;
}

static void log_close(void)
{
	log_stop();
	if (log_table)
		ksql_table_close(log_table);
	log_table = NULL;
}

static int log_big(void)
{
	struct ksql_value vals[5];
	char *text;
	void *blob;
	int rc;

	if (!log_table)
		return -EBADF;
	text = kvmalloc(LOG_BIG_TEXT, GFP_KERNEL);
	blob = kvzalloc(KSQL_VALUE_MAX, GFP_KERNEL);
	if (!text || !blob) {
		kvfree(text);
		kvfree(blob);
		return -ENOMEM;
	}
	memset(text, 'b', LOG_BIG_TEXT);
	vals[0] = KSQL_VINT(log_run);
	vals[1] = KSQL_VINT(-1);	/* no source: verify ignores it */
	vals[2] = KSQL_VINT(0);
	vals[3] = (struct ksql_value){ .type = KSQL_TEXT, .len = LOG_BIG_TEXT,
				       .text = text };
	vals[4] = KSQL_VBLOB(blob, KSQL_VALUE_MAX);
	rc = ksql_log(log_table, vals, ARRAY_SIZE(vals));
	WRITE_ONCE(log_big_attempts, log_big_attempts + 1);
	WRITE_ONCE(log_big_rc, rc);
	kvfree(text);
	kvfree(blob);
	return rc;
}

/* Attempts since "open": every one consumed a sequence number. */
static u64 log_attempts(void)
{
	u64 n = READ_ONCE(log_big_attempts);
	unsigned int i;

	for (i = 0; i < SRC_MAX; i++)
		n += READ_ONCE(log_srcs[i].attempted);
	return n;
}

static int log_verify(void)
{
	struct ksql_test_log_expect *exp;
	struct ksql_test_report *rep;
	unsigned int i, n = 0;
	u64 rows = 0;
	int err;

	if (!log_table)
		return -EBADF;
	if (log_sources_running())
		return -EBUSY;
	exp = kcalloc(SRC_MAX, sizeof(*exp), GFP_KERNEL);
	rep = kzalloc(sizeof(*rep), GFP_KERNEL);
	if (!exp || !rep) {
		kfree(exp);
		kfree(rep);
		return -ENOMEM;
	}
	for (i = 0; i < SRC_MAX; i++) {
		if (!log_srcs[i].attempted)
			continue;
		exp[n].src = i;
		exp[n].ctx = src_ctx(i);
		exp[n].accepted = log_srcs[i].accepted;
		exp[n].sum = log_srcs[i].sum;
		n++;
	}
	err = ksql_table_flush(log_table, msecs_to_jiffies(KSQL_TEST_TIMEOUT_MS));
	if (err)
		err = ksql_test_fail(rep, "ksql_table_flush() before verify: %d", err);
	else
		err = ksql_test_log_verify(rep, log_name, log_run, exp, n,
					   log_attempts(), &rows);
	log_verify_rc = err;
	log_verify_rows = rows;
	strscpy(log_verify_msg, rep->msg, sizeof(log_verify_msg));
	if (err)
		pr_info("log verify %s: %s\n", log_name, rep->msg);
	kfree(exp);
	kfree(rep);
	return err;
}

/**
 * ksql_test_log_write() - a command written to "log"
 * @cmd: see the top of this file
 *
 * Return: 0, or a negative errno (-EINVAL for a bad command).
 */
int ksql_test_log_write(char *cmd)
{
	unsigned int k, hard_us, soft_us, ms, i, thread_us = LOG_THREAD_US;
	char name[KSQL_TEST_LOG_NAME_MAX + 2];
	u64 rows;
	int err, pos = 0;

	err = mutex_lock_killable(&log_lock);
	if (err)
		return err;
	if (sscanf(cmd, "open %64s", name) == 1) {
		err = log_open(name);
	} else if (sscanf(cmd, "tryopen %64s %n", name, &pos) == 1 && pos) {
		err = log_tryopen(name, cmd + pos);
	} else if (!strcmp(cmd, "close")) {
		log_close();
	} else if (sscanf(cmd, "flush %u", &ms) == 1) {
		err = log_table ? ksql_table_flush(log_table, msecs_to_jiffies(ms)) : -EBADF;
		log_flush_rc = err;
	} else if (sscanf(cmd, "start %u %u %u %llu %u", &k, &hard_us, &soft_us,
			  &rows, &thread_us) >= 4) {
		err = log_start(k, hard_us, soft_us, rows, thread_us);
	} else if (!strcmp(cmd, "stop")) {
		log_stop();
	} else if (sscanf(cmd, "log %u", &k) == 1) {
		err = log_table ? 0 : -EBADF;
		for (i = 0; !err && i < k; i++) {
			log_one(SRC_TASK, !in_interrupt() && !irqs_disabled());
			if (i % 1024 == 1023)
				cond_resched();
		}
	} else if (!strcmp(cmd, "big")) {
		err = log_big();
	} else if (!strcmp(cmd, "verify")) {
		err = log_verify();
	} else {
		err = -EINVAL;
	}
	mutex_unlock(&log_lock);
	return err;
}

/**
 * ksql_test_log_show() - the bookkeeping since the last "open"
 * @m: the seq_file
 *
 * Lines "NAME VALUE": table, open, run, running (sources of "start" still
 * logging), attempted, accepted, enobufs, e2big, other_err, first_err,
 * bad_context (totals over the sources, "big" included in attempted and
 * e2big), big_rc, open_rc, flush_rc, verify_rc, verify_rows, then
 * "verify_msg TEXT" and one line per source that logged:
 * "src IDX CTX attempted A accepted B enobufs C e2big D other E first_err F".
 */
void ksql_test_log_show(struct seq_file *m)
{
	u64 acc = 0, nobufs = 0, big = 0, other = 0, bad = 0;
	int first_err = 0;
	unsigned int i;

	for (i = 0; i < SRC_MAX; i++) {
		struct log_src *s = &log_srcs[i];

		acc += READ_ONCE(s->accepted);
		nobufs += READ_ONCE(s->enobufs);
		big += READ_ONCE(s->e2big);
		other += READ_ONCE(s->other);
		bad += READ_ONCE(s->bad_context);
		if (!first_err)
			first_err = READ_ONCE(s->first_err);
	}
	if (READ_ONCE(log_big_rc) == -E2BIG)
		big++;
	else if (READ_ONCE(log_big_rc))
		other++;
	seq_printf(m, "table %s\nopen %d\nrun %lld\nrunning %d\n",
		   log_name[0] ? log_name : "-", !!READ_ONCE(log_table),
		   log_run, log_sources_running());
	seq_printf(m, "attempted %llu\naccepted %llu\nenobufs %llu\ne2big %llu\n",
		   log_attempts(), acc, nobufs, big);
	seq_printf(m, "other_err %llu\nfirst_err %d\nbad_context %llu\n",
		   other, first_err, bad);
	seq_printf(m, "big_rc %d\nopen_rc %d\nflush_rc %d\nverify_rc %d\nverify_rows %llu\n",
		   READ_ONCE(log_big_rc), READ_ONCE(log_open_rc),
		   READ_ONCE(log_flush_rc), READ_ONCE(log_verify_rc),
		   READ_ONCE(log_verify_rows));
	seq_printf(m, "verify_msg %s\n", log_verify_msg);
	for (i = 0; i < SRC_MAX; i++) {
		struct log_src *s = &log_srcs[i];

		if (!READ_ONCE(s->attempted))
			continue;
		seq_printf(m, "src %u %s attempted %llu accepted %llu enobufs %llu e2big %llu other %llu first_err %d\n",
			   i, src_ctx(i), READ_ONCE(s->attempted),
			   READ_ONCE(s->accepted), READ_ONCE(s->enobufs),
			   READ_ONCE(s->e2big), READ_ONCE(s->other),
			   READ_ONCE(s->first_err));
	}
}

/**
 * ksql_test_log_exit() - stop the sources and close the table, on unload
 *
 * Closing drops rows the daemon has not acknowledged (ksql.ko warns).
 */
void ksql_test_log_exit(void)
{
	mutex_lock(&log_lock);
	log_close();
	mutex_unlock(&log_lock);
}
