/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksql_test.h - shared declarations of the ksql test module.
 *
 * ksql_test.ko drives the in-kernel ksql API from debugfs so that the QEMU
 * scenarios (tests/vm/scenarios/) can check its behaviour from a shell.
 * The debugfs interface is described at the top of ksql_test_main.c.
 */
#ifndef _KSQL_TEST_H
#define _KSQL_TEST_H

#include <linux/ktime.h>
#include <linux/seq_file.h>
#include <linux/types.h>

#include <ksql.h>

#define KSQL_TEST_MSG_MAX	512
#define KSQL_TEST_MAX_THREADS	64

/**
 * struct ksql_test_report - outcome text of one check
 * @msg: why the check failed, or a summary of what passed
 */
struct ksql_test_report {
	char msg[KSQL_TEST_MSG_MAX];
};

__printf(2, 3)
int ksql_test_fail(struct ksql_test_report *rep, const char *fmt, ...);
__printf(2, 3)
void ksql_test_note(struct ksql_test_report *rep, const char *fmt, ...);

/*
 * Every call of a check waits at most this long, unless it says otherwise:
 * 30 s, times the module parameter "slow" (the VM's ksqlvm.slow, 4 on the
 * debug kernel, where a scan of a 200,000-row table can take longer).
 */
extern unsigned int ksql_test_slow;
#define KSQL_TEST_TIMEOUT_MS	(30000 * ksql_test_slow)

/* checks.c: 0 = pass, -EIO = fail (see rep), -EINVAL = unknown check */
int ksql_test_run_check(const char *name, const char *arg,
			struct ksql_test_report *rep);
void ksql_test_list_checks(struct seq_file *m);

/* checks.c: helpers of the checks; on failure they fill rep, return -EIO */
void ksql_test_put_res(struct ksql_result *res);
int ksql_test_parse_uint(const char *arg, unsigned int def, unsigned int *out);
int ksql_test_exec_ok(struct ksql_test_report *rep, const char *what,
		      const char *sql, const struct ksql_value *args,
		      unsigned int nargs, struct ksql_result **res,
		      unsigned int timeout_ms);
int ksql_test_exec_simple(struct ksql_test_report *rep, const char *sql);
int ksql_test_expect_shape(struct ksql_test_report *rep, const char *what,
			   const struct ksql_result *res, unsigned int rows,
			   unsigned int cols, const char * const *names);
int ksql_test_expect_value(struct ksql_test_report *rep, const char *what,
			   const struct ksql_result *res, unsigned int row,
			   unsigned int col, const struct ksql_value *want);
int ksql_test_expect_changes(struct ksql_test_report *rep, const char *what,
			     const struct ksql_result *res, u64 changes,
			     s64 rowid, bool check_rowid);

/* values.c */
int ksql_test_check_types(struct ksql_test_report *rep, const char *arg);
int ksql_test_check_empty(struct ksql_test_report *rep, const char *arg);
int ksql_test_check_big(struct ksql_test_report *rep, const char *arg);

/* threads.c */
int ksql_test_threads_start(unsigned int n, unsigned int timeout_ms,
			    const char *sql);
int ksql_test_threads_stop(bool killable);
void ksql_test_threads_show(struct seq_file *m, bool mark_set, ktime_t mark);

/* pool.c: run fn(idx, ctx, rep) in n kthreads, wait for all */
typedef int (*ksql_test_pool_fn)(unsigned int idx, void *ctx,
				 struct ksql_test_report *rep);
int ksql_test_pool_run(unsigned int n, const char *name, ksql_test_pool_fn fn,
		       void *ctx, struct ksql_test_report *rep);
void ksql_test_park_until_stop(void);

/* mixed.c */
int ksql_test_check_mixed(struct ksql_test_report *rep, const char *arg);
int ksql_test_check_mixed_reset(struct ksql_test_report *rep, const char *arg);

/* async.c: the "async" file */
int ksql_test_async_write(char *cmd);
void ksql_test_async_show(struct seq_file *m);
void ksql_test_async_exit(void);

/* txn.c: the "txn" check and file */
int ksql_test_check_txn(struct ksql_test_report *rep, const char *arg);
int ksql_test_txn_write(char *cmd);
void ksql_test_txn_show(struct seq_file *m);

/* log.c: the "log" file (ksql_log() from threads, softirq, hardirq) */
int ksql_test_log_write(char *cmd);
void ksql_test_log_show(struct seq_file *m);
void ksql_test_log_exit(void);

/* ping.c: the "ping" file (ksql_ping() from the writing task) */
int ksql_test_ping_write(char *cmd);
void ksql_test_ping_show(struct seq_file *m);

/* nmi.c: the "nmi" file (ksql_log()/ksql_exec_async() from an NMI) */
int ksql_test_nmi_write(char *cmd);
void ksql_test_nmi_show(struct seq_file *m);

/* storm.c: the "storm" file (callers that never stop, for 87-adversary) */
int ksql_test_storm_write(char *cmd);
void ksql_test_storm_show(struct seq_file *m);
void ksql_test_storm_exit(void);
/* hostile.c: the "nlrace" file and the "names" check */
int ksql_test_nlrace_write(char *cmd);
void ksql_test_nlrace_show(struct seq_file *m);
void ksql_test_nlrace_exit(void);
int ksql_test_check_names(struct ksql_test_report *rep, const char *arg);

#define KSQL_TEST_LOG_NAME_MAX	63

/**
 * struct ksql_test_log_sum - what a source's accepted rows must add up to
 * @min_n: smallest accepted n, -1 when none
 * @max_n: largest accepted n, -1 when none
 * @sum_n: sum of the accepted n
 * @sum_n2: sum of their squares
 * @sum_len: sum of the payload lengths
 */
struct ksql_test_log_sum {
	s64 min_n;
	s64 max_n;
	u64 sum_n;
	u64 sum_n2;
	u64 sum_len;
};

/**
 * struct ksql_test_log_expect - one source, as verify expects it in the table
 * @src: the src column
 * @ctx: the ctx column
 * @accepted: its rows in the table
 * @sum: their checksums
 */
struct ksql_test_log_expect {
	unsigned int src;
	const char *ctx;
	u64 accepted;
	struct ksql_test_log_sum sum;
};

/* log_verify.c: 0 or -EIO with rep filled; *rows: rows of the run */
int ksql_test_log_verify(struct ksql_test_report *rep, const char *table,
			 s64 run, const struct ksql_test_log_expect *exp,
			 unsigned int nexp, u64 attempts, u64 *rows);

/* format.c */
int ksql_test_fmt_value(char *buf, size_t size, const struct ksql_value *v);
size_t ksql_test_dump_result(char *buf, size_t size,
			     const struct ksql_result *res,
			     unsigned int max_rows);
bool ksql_test_value_eq(const struct ksql_value *a, const struct ksql_value *b);
int ksql_test_exec(const char *sql, const struct ksql_value *args,
		   unsigned int nargs, struct ksql_result **res,
		   unsigned int timeout_ms);

#endif /* _KSQL_TEST_H */
