// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_test_txn.c - transactions: isolation, rollback, killed and idle holders.
 *
 * The check "txn" (run from the "check" file) opens a transaction on the
 * table ksql_txn, inserts rows in it and has another kernel thread count the
 * table during the transaction (it must see none of them) and after the
 * commit (all of them); then a rolled-back transaction must leave nothing.
 *
 * The "txn" debugfs file runs the cases a script must signal or time, in the
 * writing task (see ksql_test_txn_write()):
 *   "slow MS"   begin (timeout MS), insert k=100, then run a statement that
 *               takes practically forever; a SIGKILL of the writer ends it
 *               with -EINTR and, as real code does on an error,
 *               ksql_txn_rollback() follows
 *   "idle MS"   begin, insert k=200, hold the handle unused for MS, then
 *               insert k=201 and commit: both must fail with -ETIMEDOUT
 *               once the daemon rolled the idle transaction back
 *   "busy"      begin, insert k=400, then wait (stage "holding", at most
 *               60 s) for a "go" written by another task, meanwhile the
 *               script queues plain writers behind the transaction; then
 *               insert k=401..403, count k=400..403 (must be 4) and commit
 *   "go"        let the "busy" holder go on
 * Reading it shows "stage STAGE" (idle, begun, slow, holding, done) and the
 * return codes of the last run, one "NAME VALUE" per line.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>

#include "ksql_test.h"

#define TXN_SCHEMA		"CREATE TABLE ksql_txn(k INTEGER PRIMARY KEY, v TEXT)"
#define TXN_TIMEOUT_MS		30000
#define TXN_ROWS		3
#define TXN_OUT_MAX		512

/* counts to 10^12: hours of work for SQLite, so it only ends when stopped */
#define TXN_SLOW_SQL \
	"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000000) SELECT count(*) FROM c"

static const char *txn_stage = "idle";	/* READ_ONCE/WRITE_ONCE */
static DEFINE_MUTEX(txn_out_lock);
static char txn_out[TXN_OUT_MAX] = "none\n";	/* under txn_out_lock */

/* "SELECT count(*) FROM ksql_txn WHERE k BETWEEN lo AND hi", outside any txn */
struct txn_count {
	s64 lo, hi;
	s64 count;
};

static int txn_count_fn(unsigned int idx, void *data,
			struct ksql_test_report *rep)
{
	struct txn_count *c = data;
	struct ksql_value args[2] = { KSQL_VINT(c->lo), KSQL_VINT(c->hi) };
	const struct ksql_value *v;
	struct ksql_result *res;
	int err;

	err = ksql_test_exec_ok(rep, "count from another thread",
				"SELECT count(*) FROM ksql_txn WHERE k BETWEEN ?1 AND ?2",
				args, 2, &res, TXN_TIMEOUT_MS);
	if (err)
		return err;
	err = ksql_test_expect_shape(rep, "count from another thread", res, 1,
				     1, NULL);
	v = err ? NULL : ksql_result_value(res, 0, 0);
	if (v && v->type == KSQL_INT)
		c->count = v->i;
	else if (!err)
		err = ksql_test_fail(rep, "count from another thread: not an integer");
	ksql_test_put_res(res);
	return err;
}

/* Count rows lo..hi from another kernel thread (not the transaction's). */
static int txn_count_other(struct ksql_test_report *rep, s64 lo, s64 hi,
			   s64 *count)
{
	struct txn_count c = { .lo = lo, .hi = hi, .count = -1 };
	int err;

	err = ksql_test_pool_run(1, "ksql_txn_count", txn_count_fn, &c, rep);
	*count = c.count;
	return err;
}

/* One statement inside @txn that must succeed; checks changes if @changes >= 0. */
static int txn_exec_ok(struct ksql_test_report *rep, struct ksql_txn *txn,
		       const char *what, const char *sql,
		       const struct ksql_value *args, unsigned int nargs,
		       s64 changes, s64 *first_int)
{
	struct ksql_result *res = NULL;
	const struct ksql_value *v;
	int rc, err = 0;

	rc = ksql_txn_exec(txn, sql, args, nargs, &res);
	if (rc)
		err = ksql_test_fail(rep, "%s: ksql_txn_exec() rc=%d errcode=%d errmsg=\"%s\"",
				     what, rc, res ? ksql_result_errcode(res) : 0,
				     res && ksql_result_errmsg(res) ?
				     ksql_result_errmsg(res) : "");
	else if (!res)
		err = ksql_test_fail(rep, "%s: rc=0 but no result", what);
	else if (changes >= 0 && ksql_result_changes(res) != changes)
		err = ksql_test_fail(rep, "%s: changes=%llu, expected %lld", what,
				     ksql_result_changes(res), changes);
	if (!err && first_int) {
		v = ksql_result_rows(res) == 1 ? ksql_result_value(res, 0, 0) : NULL;
		if (!v || v->type != KSQL_INT)
			err = ksql_test_fail(rep, "%s: no integer in row 0", what);
		else
			*first_int = v->i;
	}
	ksql_test_put_res(res);
	return err;
}

static int txn_insert(struct ksql_test_report *rep, struct ksql_txn *txn,
		      s64 k, const char *v)
{
	struct ksql_value args[2] = { KSQL_VINT(k), KSQL_VTEXT(v) };

	return txn_exec_ok(rep, txn, "insert in the transaction",
			   "INSERT INTO ksql_txn(k, v) VALUES (?1, ?2)", args, 2,
			   1, NULL);
}

static int txn_expect_other(struct ksql_test_report *rep, const char *when,
			    s64 lo, s64 hi, s64 want)
{
	s64 n;
	int err;

	err = txn_count_other(rep, lo, hi, &n);
	if (err)
		return err;
	if (n != want)
		return ksql_test_fail(rep, "%s: another caller counts %lld rows, expected %lld",
				      when, n, want);
	return 0;
}

/* Visibility and commit: rows 1..3. */
static int txn_commit_case(struct ksql_test_report *rep)
{
	struct ksql_txn *txn;
	s64 k, n;
	int err;

	txn = ksql_txn_begin(msecs_to_jiffies(TXN_TIMEOUT_MS));
	if (IS_ERR(txn))
		return ksql_test_fail(rep, "ksql_txn_begin(): %ld", PTR_ERR(txn));
	for (k = 1, err = 0; k <= TXN_ROWS && !err; k++)
		err = txn_insert(rep, txn, k, "committed");
	if (!err)
		err = txn_exec_ok(rep, txn, "count inside the transaction",
				  "SELECT count(*) FROM ksql_txn", NULL, 0, -1, &n);
	if (!err && n != TXN_ROWS)
		err = ksql_test_fail(rep, "the transaction counts %lld own rows, expected %d",
				     n, TXN_ROWS);
	if (!err)
		err = txn_expect_other(rep, "during the transaction", 1,
				       TXN_ROWS, 0);
	if (err) {
		ksql_txn_rollback(txn);
		return err;
	}
	err = ksql_txn_commit(txn);
	if (err)
		return ksql_test_fail(rep, "ksql_txn_commit(): %d", err);
	return txn_expect_other(rep, "after the commit", 1, TXN_ROWS, TXN_ROWS);
}

/* Rollback: rows 10..12 never show up. */
static int txn_rollback_case(struct ksql_test_report *rep)
{
	struct ksql_txn *txn;
	s64 k, n;
	int err;

	txn = ksql_txn_begin(msecs_to_jiffies(TXN_TIMEOUT_MS));
	if (IS_ERR(txn))
		return ksql_test_fail(rep, "ksql_txn_begin(): %ld", PTR_ERR(txn));
	for (k = 10, err = 0; k < 10 + TXN_ROWS && !err; k++)
		err = txn_insert(rep, txn, k, "rolled back");
	if (!err)
		err = txn_exec_ok(rep, txn, "count inside the transaction",
				  "SELECT count(*) FROM ksql_txn", NULL, 0, -1, &n);
	if (!err && n != 2 * TXN_ROWS)
		err = ksql_test_fail(rep, "the transaction counts %lld rows, expected %d",
				     n, 2 * TXN_ROWS);
	ksql_txn_rollback(txn);
	if (err)
		return err;
	err = txn_expect_other(rep, "after the rollback", 10, 10 + TXN_ROWS, 0);
	if (!err)
		err = txn_expect_other(rep, "after the rollback (all rows)", 0,
				       S64_MAX, TXN_ROWS);
	return err;
}

/* "txn": isolation until commit, nothing left by a rollback. */
int ksql_test_check_txn(struct ksql_test_report *rep, const char *arg)
{
	int err;

	err = ksql_test_exec_simple(rep, "DROP TABLE IF EXISTS ksql_txn");
	if (!err)
		err = ksql_test_exec_simple(rep, TXN_SCHEMA);
	if (!err)
		err = txn_commit_case(rep);
	if (!err)
		err = txn_rollback_case(rep);
	if (!err)
		ksql_test_note(rep, "%d rows hidden from others until commit; rollback left none",
			       TXN_ROWS);
	return err;
}

__printf(1, 2)
static void txn_record(const char *fmt, ...)
{
	va_list ap;

	mutex_lock(&txn_out_lock);
	va_start(ap, fmt);
	vscnprintf(txn_out, sizeof(txn_out), fmt, ap);
	va_end(ap);
	mutex_unlock(&txn_out_lock);
}

static int txn_insert_rc(struct ksql_txn *txn, s64 k, const char *v)
{
	struct ksql_value args[2] = { KSQL_VINT(k), KSQL_VTEXT(v) };
	struct ksql_result *res = NULL;
	int rc;

	rc = ksql_txn_exec(txn, "INSERT INTO ksql_txn(k, v) VALUES (?1, ?2)",
			   args, 2, &res);
	ksql_test_put_res(res);
	return rc;
}

/* "slow MS": see the top of the file. */
static int txn_slow(unsigned int ms)
{
	struct ksql_result *res = NULL;
	struct ksql_txn *txn;
	int rc_ins, rc_slow;
	ktime_t t0;

	WRITE_ONCE(txn_stage, "begun");
	txn = ksql_txn_begin(msecs_to_jiffies(ms));
	if (IS_ERR(txn)) {
		txn_record("op slow\nbegin %ld\n", PTR_ERR(txn));
		WRITE_ONCE(txn_stage, "done");
		return PTR_ERR(txn);
	}
	rc_ins = txn_insert_rc(txn, 100, "killed");
	WRITE_ONCE(txn_stage, "slow");
	t0 = ktime_get();
	rc_slow = ksql_txn_exec(txn, TXN_SLOW_SQL, NULL, 0, &res);
	ksql_test_put_res(res);
	/* what real code does after an error inside a transaction */
	ksql_txn_rollback(txn);
	txn_record("op slow\nbegin 0\ninsert %d\nslow %d\nslow_us %lld\nfatal_signal %d\n",
		   rc_ins, rc_slow, ktime_us_delta(ktime_get(), t0),
		   fatal_signal_pending(current) ? 1 : 0);
	WRITE_ONCE(txn_stage, "done");
	return rc_slow;
}

/* "idle MS": see the top of the file. */
static int txn_idle(unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);
	struct ksql_txn *txn;
	int rc_ins, rc_late, rc_commit;

	WRITE_ONCE(txn_stage, "begun");
	txn = ksql_txn_begin(msecs_to_jiffies(TXN_TIMEOUT_MS));
	if (IS_ERR(txn)) {
		txn_record("op idle\nbegin %ld\n", PTR_ERR(txn));
		WRITE_ONCE(txn_stage, "done");
		return PTR_ERR(txn);
	}
	rc_ins = txn_insert_rc(txn, 200, "idle");
	WRITE_ONCE(txn_stage, "holding");
	/* hold the handle without using it; a SIGKILL cuts the nap short */
	while (time_before(jiffies, end) && !fatal_signal_pending(current))
		schedule_timeout_killable(end - jiffies);
	rc_late = txn_insert_rc(txn, 201, "idle late");
	rc_commit = ksql_txn_commit(txn);
	txn_record("op idle\nbegin 0\ninsert %d\nlate_insert %d\ncommit %d\n",
		   rc_ins, rc_late, rc_commit);
	WRITE_ONCE(txn_stage, "done");
	return 0;
}

static DECLARE_COMPLETION(txn_go);

/* "busy": see the top of the file. */
static int txn_busy(void)
{
	struct ksql_result *res = NULL;
	int rc_ins, rc_more = 0, rc_count, rc_commit;
	struct ksql_txn *txn;
	long left;
	s64 k, n = -1;

	reinit_completion(&txn_go);
	WRITE_ONCE(txn_stage, "begun");
	txn = ksql_txn_begin(msecs_to_jiffies(TXN_TIMEOUT_MS * 4));
	if (IS_ERR(txn)) {
		txn_record("op busy\nbegin %ld\n", PTR_ERR(txn));
		WRITE_ONCE(txn_stage, "done");
		return PTR_ERR(txn);
	}
	rc_ins = txn_insert_rc(txn, 400, "busy");
	WRITE_ONCE(txn_stage, "holding");
	left = wait_for_completion_killable_timeout(&txn_go,
						    msecs_to_jiffies(60000));
	WRITE_ONCE(txn_stage, "going");
	/* the first failure is kept: later ones only repeat it */
	for (k = 401; k <= 403 && !rc_more; k++)
		rc_more = txn_insert_rc(txn, k, "busy");
	rc_count = ksql_txn_exec(txn, "SELECT count(*) FROM ksql_txn WHERE k BETWEEN 400 AND 403",
				 NULL, 0, &res);
	if (!rc_count && res && ksql_result_rows(res) == 1 &&
	    ksql_result_value(res, 0, 0)->type == KSQL_INT)
		n = ksql_result_value(res, 0, 0)->i;
	ksql_test_put_res(res);
	rc_commit = ksql_txn_commit(txn);
	txn_record("op busy\nbegin 0\ninsert %d\ngo %d\nmore_inserts %d\ncount_rc %d\ncount %lld\ncommit %d\n",
		   rc_ins, left > 0 ? 1 : 0, rc_more, rc_count, n, rc_commit);
	WRITE_ONCE(txn_stage, "done");
	return 0;
}

/**
 * ksql_test_txn_write() - a command written to "txn"
 * @cmd: "slow MS", "idle MS", "busy" or "go"
 *
 * Return: 0 or the error of the case (the write fails with it), -EINVAL for
 * a bad command.
 */
int ksql_test_txn_write(char *cmd)
{
	unsigned int ms;

	if (sscanf(cmd, "slow %u", &ms) == 1 && ms)
		return txn_slow(ms);
	if (sscanf(cmd, "idle %u", &ms) == 1)
		return txn_idle(ms);
	if (!strcmp(cmd, "busy"))
		return txn_busy();
	if (!strcmp(cmd, "go")) {
		complete(&txn_go);
		return 0;
	}
	return -EINVAL;
}

/**
 * ksql_test_txn_show() - stage and outcome of the last "txn" write
 * @m: the seq_file
 */
void ksql_test_txn_show(struct seq_file *m)
{
	seq_printf(m, "stage %s\n", READ_ONCE(txn_stage));
	mutex_lock(&txn_out_lock);
	seq_puts(m, txn_out);
	mutex_unlock(&txn_out_lock);
}
