// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_bench.ko - the in-kernel half of `make bench` (docs/PERFORMANCE.md).
 *
 * One debugfs file, /sys/kernel/debug/ksql_bench/run: write a command, it
 * runs to the end in the writer's context, then read its result, one
 * "key value" line per figure. tools/vm/guest/bench.sh drives it.
 *
 *   log NAME ROWS        B1: open table NAME, ksql_log() ROWS rows, wait
 *                        until the daemon has committed them all, close.
 *                        rows, lost, log_ns (the calls), total_ns (first
 *                        call to the last LOG_ACK)
 *   open NAME            B5: open table NAME and keep it open
 *   fill ROWS            B5: log ROWS rows to it without waiting
 *   drain                flush and close it
 *   query TABLE N        B2: N ksql_exec() of a SELECT by rowid; latency
 *                        p50_ns, p99_ns, mean_ns. TABLE "-": SELECT 1
 *   ping N               B2: N ksql_ping(); the same figures
 *   threads K TABLE N    B3: K kernel threads, N point queries each;
 *                        queries, ns, qps
 *   logcost N BYTES      B4: ns per ksql_log() over N calls to the table
 *                        of "open", against ns
 *                        per memcpy() of BYTES bytes into a per-CPU buffer,
 *                        and per ktime_get_real_ns() (each row's stamp) and
 *                        per irq-safe lock and unlock (each row's lock)
 *
 * Every row has the B1 shape: ts INTEGER, pid INTEGER, comm TEXT,
 * a INTEGER, b INTEGER. Timings are ktime_get_ns() deltas; they are
 * reported, never judged here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <ksql.h>

#define BENCH_COLS	"ts INTEGER, pid INTEGER, comm TEXT, a INTEGER, b INTEGER"
#define BENCH_NCOLS	5
#define BENCH_COMM	"ksql-bench"
/* Long enough for a million rows through an emulated CPU. */
#define BENCH_FLUSH_TIMEOUT	(1800 * HZ)
#define BENCH_QUERY_TIMEOUT	(60 * HZ)
#define BENCH_MAX_N		10000000U
#define BENCH_MAX_THREADS	64U
#define BENCH_PCPU_BYTES	4096U
#define BENCH_OUT_MAX		1024

static struct dentry *bench_dir;
static DEFINE_MUTEX(bench_mutex);	/* one command at a time */
static char bench_out[BENCH_OUT_MAX];	/* result of the last command */
static struct ksql_table *bench_held;	/* the table of "open" */

struct bench_pcpu {
	u32 off;
	u8 buf[BENCH_PCPU_BYTES];
};

static void bench_row(struct ksql_value *v, u64 i)
{
	v[0] = KSQL_VINT(i * 1000);
	v[1] = KSQL_VINT(i % 32768);
	v[2] = (struct ksql_value){ .type = KSQL_TEXT,
				    .len = sizeof(BENCH_COMM) - 1,
				    .text = BENCH_COMM };
	v[3] = KSQL_VINT(i);
	v[4] = KSQL_VINT(i * 7);
}

/* Log rows 1..@rows; returns how many ksql_log() refused. */
static u64 bench_log_rows(struct ksql_table *t, u64 rows)
{
	struct ksql_value v[BENCH_NCOLS];
	u64 i, lost = 0;

	for (i = 1; i <= rows; i++) {
		bench_row(v, i);
		if (ksql_log(t, v, BENCH_NCOLS))
			lost++;
		if (!(i & 1023))
			cond_resched();
	}
	return lost;
}

static struct ksql_table *bench_open(const char *name)
{
	struct ksql_table *t = ksql_table_open(name, BENCH_COLS, 0);

	if (IS_ERR(t))
		pr_err("cannot open table %s: %ld\n", name, PTR_ERR(t));
	return t;
}

static int bench_log(const char *name, u64 rows)
{
	struct ksql_table *t;
	u64 t0, t1, t2, lost;
	int ret;

	t = bench_open(name);
	if (IS_ERR(t))
		return PTR_ERR(t);
	t0 = ktime_get_ns();
	lost = bench_log_rows(t, rows);
	t1 = ktime_get_ns();
	ret = ksql_table_flush(t, BENCH_FLUSH_TIMEOUT);
	t2 = ktime_get_ns();
	ksql_table_close(t);
	if (ret) {
		pr_err("table %s: flush failed: %d\n", name, ret);
		return ret;
	}
	snprintf(bench_out, sizeof(bench_out),
		 "rows %llu\nlost %llu\nlog_ns %llu\ntotal_ns %llu\n",
		 rows, lost, t1 - t0, t2 - t0);
	return 0;
}

static int bench_hold(const char *name)
{
	struct ksql_table *t;

	if (bench_held)
		return -EBUSY;
	t = bench_open(name);
	if (IS_ERR(t))
		return PTR_ERR(t);
	bench_held = t;
	snprintf(bench_out, sizeof(bench_out), "open %s\n", name);
	return 0;
}

static int bench_fill(u64 rows)
{
	u64 lost;

	if (!bench_held)
		return -ENOENT;
	lost = bench_log_rows(bench_held, rows);
	snprintf(bench_out, sizeof(bench_out), "rows %llu\nlost %llu\n",
		 rows, lost);
	return 0;
}

static int bench_drain(void)
{
	int ret;

	if (!bench_held)
		return -ENOENT;
	ret = ksql_table_flush(bench_held, BENCH_FLUSH_TIMEOUT);
	ksql_table_close(bench_held);
	bench_held = NULL;
	snprintf(bench_out, sizeof(bench_out), "flush %d\n", ret);
	return ret;
}

static bool bench_ident_ok(const char *s)
{
	if (!*s || strlen(s) > 63 || isdigit(*s))
		return false;
	for (; *s; s++)
		if (!isalnum(*s) && *s != '_')
			return false;
	return true;
}

/* One query by rowid: anything but exactly one row is -ENODATA. */
static int bench_point_query(const char *sql, s64 rowid)
{
	struct ksql_value arg = KSQL_VINT(rowid);
	struct ksql_result *res = NULL;
	int ret;

	ret = ksql_exec_timeout(sql, &arg, 1, &res, BENCH_QUERY_TIMEOUT);
	if (!ret && ksql_result_rows(res) != 1)
		ret = -ENODATA;
	ksql_result_free(res);
	return ret;
}

static int bench_select1(void)
{
	struct ksql_result *res = NULL;
	int ret;

	ret = ksql_exec_timeout("SELECT 1", NULL, 0, &res, BENCH_QUERY_TIMEOUT);
	if (!ret && ksql_result_rows(res) != 1)
		ret = -ENODATA;
	ksql_result_free(res);
	return ret;
}

static int bench_max_rowid(const char *table, s64 *max)
{
	struct ksql_result *res = NULL;
	const struct ksql_value *v;
	char sql[96];
	int ret;

	snprintf(sql, sizeof(sql), "SELECT max(rowid) FROM %s", table);
	ret = ksql_exec_timeout(sql, NULL, 0, &res, BENCH_QUERY_TIMEOUT);
	if (!ret) {
		v = ksql_result_rows(res) == 1 ? ksql_result_value(res, 0, 0) :
						  NULL;
		if (v && v->type == KSQL_INT && v->i > 0)
			*max = v->i;
		else
			ret = -ENODATA;
	}
	ksql_result_free(res);
	if (ret)
		pr_err("table %s: no rows to query (%d)\n", table, ret);
	return ret;
}

static int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* p50, p99 and mean of @n latencies, written to bench_out. */
static void bench_latency_out(u64 *lat, u32 n, u32 errors)
{
	u64 sum = 0;
	u32 i;

	sort(lat, n, sizeof(*lat), bench_cmp_u64, NULL);
	for (i = 0; i < n; i++)
		sum += lat[i];
	snprintf(bench_out, sizeof(bench_out),
		 "queries %u\nerrors %u\np50_ns %llu\np99_ns %llu\nmean_ns %llu\n",
		 n, errors, lat[n / 2], lat[min(n - 1, n * 99 / 100)],
		 div_u64(sum, n));
}

/* "query TABLE N" (@table set) or "ping N" (@table NULL). */
static int bench_latency(const char *table, u32 n)
{
	char sql[96];
	u32 i, errors = 0;
	s64 max = 1;
	u64 *lat, t0;
	int ret = 0;

	if (table && !strcmp(table, "-")) {
		max = 0;	/* "SELECT 1": the daemon's path without a table */
	} else if (table) {
		ret = bench_max_rowid(table, &max);
		if (ret)
			return ret;
		snprintf(sql, sizeof(sql), "SELECT * FROM %s WHERE rowid = ?1",
			 table);
	}
	lat = vmalloc(array_size(n, sizeof(*lat)));
	if (!lat)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		t0 = ktime_get_ns();
		if (!table)
			ret = ksql_ping(BENCH_QUERY_TIMEOUT);
		else if (max)
			ret = bench_point_query(sql, 1 + (s64)((u64)i * 7919 % max));
		else
			ret = bench_select1();
		lat[i] = ktime_get_ns() - t0;
		if (ret) {
			errors++;
			pr_warn_ratelimited("%s %u failed: %d\n",
					    table ? "query" : "ping", i, ret);
		}
		if (fatal_signal_pending(current))
			break;
	}
	if (i)
		bench_latency_out(lat, i, errors);
	vfree(lat);
	return i == n ? 0 : -EINTR;
}

struct bench_thread {
	struct completion done;
	const char *sql;
	s64 max;
	u32 n, first, errors;
};

static int bench_thread_fn(void *p)
{
	struct bench_thread *bt = p;
	u32 i;

	for (i = 0; i < bt->n; i++)
		if (bench_point_query(bt->sql, 1 + (s64)((u64)(bt->first + i) *
							  7919 % bt->max)))
			bt->errors++;
	kthread_complete_and_exit(&bt->done, 0);
}

static int bench_threads(u32 k, const char *table, u32 n)
{
	struct task_struct *task;
	struct bench_thread *bt;
	u32 i, started, errors = 0;
	char sql[96];
	s64 max;
	u64 t0, ns;
	int ret;

	ret = bench_max_rowid(table, &max);
	if (ret)
		return ret;
	snprintf(sql, sizeof(sql), "SELECT * FROM %s WHERE rowid = ?1", table);
	bt = kcalloc(k, sizeof(*bt), GFP_KERNEL);
	if (!bt)
		return -ENOMEM;
	t0 = ktime_get_ns();
	for (started = 0; started < k; started++) {
		bt[started] = (struct bench_thread){ .sql = sql, .max = max,
						      .n = n,
						      .first = started * n };
		init_completion(&bt[started].done);
		task = kthread_run(bench_thread_fn, &bt[started],
				   "ksql_bench/%u", started);
		if (IS_ERR(task)) {
			ret = PTR_ERR(task);
			break;
		}
	}
	/* the threads read @sql and @bt until they complete: always wait */
	for (i = 0; i < started; i++) {
		wait_for_completion(&bt[i].done);
		errors += bt[i].errors;
	}
	ns = ktime_get_ns() - t0;
	kfree(bt);
	if (ret)
		return ret;
	snprintf(bench_out, sizeof(bench_out),
		 "threads %u\nqueries %llu\nerrors %u\nns %llu\nqps %llu\n",
		 k, (u64)k * n, errors, ns,
		 div64_u64((u64)k * n * NSEC_PER_SEC, max(ns, 1ULL)));
	return 0;
}

/*
 * The floor for a logging call: copying the row's bytes into memory that
 * belongs to this CPU, which is what a lockless per-CPU ring would do.
 */
static u64 bench_memcpy_ns(u32 n, u32 bytes)
{
	struct bench_pcpu __percpu *pc;
	struct bench_pcpu *p;
	u8 src[256];
	u64 t0, ns;
	u32 i;

	pc = alloc_percpu(struct bench_pcpu);
	if (!pc)
		return 0;
	memset(src, 0x5a, sizeof(src));
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		p = get_cpu_ptr(pc);
		if (p->off + bytes > BENCH_PCPU_BYTES)
			p->off = 0;
		memcpy(p->buf + p->off, src, bytes);
		p->off += bytes;
		put_cpu_ptr(pc);
	}
	ns = ktime_get_ns() - t0;
	free_percpu(pc);
	return ns;
}

/* What stamping each row with CLOCK_REALTIME costs on this machine. */
static u64 bench_clock_ns(u32 n)
{
	u64 t0, sum = 0;
	u32 i;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		sum += ktime_get_real_ns();
	/* the sum keeps the calls from being optimised away */
	return ktime_get_ns() - t0 + (sum & 1);
}

/*
 * What taking an interrupt-safe lock costs: ksql_log() takes one per row,
 * because it may be called from hard interrupts.
 */
static u64 bench_lock_ns(u32 n)
{
	static DEFINE_RAW_SPINLOCK(lock);
	unsigned long flags;
	u64 t0;
	u32 i;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		raw_spin_lock_irqsave(&lock, flags);
		raw_spin_unlock_irqrestore(&lock, flags);
	}
	return ktime_get_ns() - t0;
}

/*
 * B4 on the table of "open": ksql_log() N times, then the baselines. The
 * script stops ksqld first, so that no daemon or sender work on the other
 * CPU is counted in the caller's time (under single-threaded emulation the
 * CPUs take turns), and drains the table afterwards.
 */
static int bench_logcost(u32 n, u32 bytes)
{
	struct ksql_value v[BENCH_NCOLS];
	u64 t0, log_ns, copy_ns, lost = 0;
	u32 i;

	if (!bench_held)
		return -ENOENT;
	if (!bytes || bytes > 256)
		return -EINVAL;
	bench_row(v, 1);
	t0 = ktime_get_ns();
	for (i = 1; i <= n; i++) {
		v[3].i = i;	/* the row's content hardly matters */
		if (ksql_log(bench_held, v, BENCH_NCOLS))
			lost++;
	}
	log_ns = ktime_get_ns() - t0;
	copy_ns = bench_memcpy_ns(n, bytes);
	if (!copy_ns)
		return -ENOMEM;
	snprintf(bench_out, sizeof(bench_out),
		 "calls %u\nlost %llu\nbytes %u\nlog_ns %llu\nmemcpy_ns %llu\nclock_ns %llu\nlock_ns %llu\n",
		 n, lost, bytes, log_ns, copy_ns, bench_clock_ns(n),
		 bench_lock_ns(n));
	return 0;
}

static int bench_u32(const char *s, u32 *out)
{
	if (!s || kstrtou32(s, 10, out) || !*out || *out > BENCH_MAX_N)
		return -EINVAL;
	return 0;
}

static int bench_run(char *cmd)
{
	char *argv[5] = { NULL };
	char *p = strim(cmd);
	u32 a, b;
	int argc = 0;

	while (p && argc < ARRAY_SIZE(argv)) {
		argv[argc] = strsep(&p, " \t");
		if (*argv[argc])
			argc++;
	}
	if (!argc || p)
		return -EINVAL;
	bench_out[0] = '\0';
	if (!strcmp(argv[0], "log") && argc == 3 && bench_ident_ok(argv[1]) &&
	    !bench_u32(argv[2], &a))
		return bench_log(argv[1], a);
	if (!strcmp(argv[0], "open") && argc == 2 && bench_ident_ok(argv[1]))
		return bench_hold(argv[1]);
	if (!strcmp(argv[0], "fill") && argc == 2 && !bench_u32(argv[1], &a))
		return bench_fill(a);
	if (!strcmp(argv[0], "drain") && argc == 1)
		return bench_drain();
	if (!strcmp(argv[0], "query") && argc == 3 &&
	    (bench_ident_ok(argv[1]) || !strcmp(argv[1], "-")) &&
	    !bench_u32(argv[2], &a))
		return bench_latency(argv[1], a);
	if (!strcmp(argv[0], "ping") && argc == 2 && !bench_u32(argv[1], &a))
		return bench_latency(NULL, a);
	if (!strcmp(argv[0], "threads") && argc == 4 &&
	    !bench_u32(argv[1], &a) && a <= BENCH_MAX_THREADS &&
	    bench_ident_ok(argv[2]) && !bench_u32(argv[3], &b))
		return bench_threads(a, argv[2], b);
	if (!strcmp(argv[0], "logcost") && argc == 3 &&
	    !bench_u32(argv[1], &a) && !bench_u32(argv[2], &b))
		return bench_logcost(a, b);
	return -EINVAL;
}

static ssize_t bench_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	char *cmd;
	int ret;

	if (count == 0 || count > 256)
		return -EINVAL;
	cmd = memdup_user_nul(ubuf, count);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	ret = mutex_lock_killable(&bench_mutex);
	if (!ret) {
		ret = bench_run(cmd);
		if (ret)
			snprintf(bench_out, sizeof(bench_out), "error %d\n",
				 ret);
		mutex_unlock(&bench_mutex);
	}
	kfree(cmd);
	return ret ? ret : count;
}

static int bench_show(struct seq_file *m, void *v)
{
	mutex_lock(&bench_mutex);
	seq_puts(m, bench_out);
	mutex_unlock(&bench_mutex);
	return 0;
}

static int bench_open_file(struct inode *inode, struct file *file)
{
	return single_open(file, bench_show, NULL);
}

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	.open = bench_open_file,
	.read = seq_read,
	.write = bench_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int __init ksql_bench_init(void)
{
	bench_dir = debugfs_create_dir("ksql_bench", NULL);
	if (IS_ERR(bench_dir))
		return PTR_ERR(bench_dir);
	debugfs_create_file("run", 0600, bench_dir, NULL, &bench_fops);
	return 0;
}

static void __exit ksql_bench_exit(void)
{
	debugfs_remove_recursive(bench_dir);
	if (bench_held)
		ksql_table_close(bench_held);
}

module_init(ksql_bench_init);
module_exit(ksql_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksql benchmarks (make bench)");
