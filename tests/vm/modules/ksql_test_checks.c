// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_test_checks.c - named checks of the in-kernel ksql API.
 *
 * A check runs synchronously in the task that wrote its name to
 * /sys/kernel/debug/ksql_test/check, asserts real values returned by ksql
 * and explains a failure in its report. Checks that need the daemon expect
 * it connected and answering; "notconn" expects no daemon and "timeout"
 * a stopped one.
 *
 * This file holds the helpers the checks share, the checks of errors,
 * timeouts and daemon absence, and the table of checks; the checks of
 * values and results are in ksql_test_values.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/limits.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ksql_test.h"

/* SQLite result codes (sqlite3.h); the primary code is the low byte. */
#define SQLITE_ERROR			1
#define SQLITE_CONSTRAINT		19
#define SQLITE_CONSTRAINT_UNIQUE	(SQLITE_CONSTRAINT | (8 << 8))

#define NOTCONN_MAX_US		100000
#define TIMEOUT_SLACK_MS	1000

int ksql_test_fail(struct ksql_test_report *rep, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(rep->msg, sizeof(rep->msg), fmt, ap);
	va_end(ap);
	return -EIO;
}

void ksql_test_note(struct ksql_test_report *rep, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(rep->msg, sizeof(rep->msg), fmt, ap);
	va_end(ap);
}

void ksql_test_put_res(struct ksql_result *res)
{
	if (res)
		ksql_result_free(res);
}

int ksql_test_parse_uint(const char *arg, unsigned int def, unsigned int *out)
{
	if (!arg || !*arg) {
		*out = def;
		return 0;
	}
	return kstrtouint(arg, 0, out);
}

/* Run @sql, which must succeed with a result. */
int ksql_test_exec_ok(struct ksql_test_report *rep, const char *what,
		      const char *sql, const struct ksql_value *args,
		      unsigned int nargs, struct ksql_result **res,
		      unsigned int timeout_ms)
{
	const char *msg;
	int rc;

	*res = NULL;
	rc = ksql_test_exec(sql, args, nargs, res, timeout_ms);
	if (rc) {
		msg = *res ? ksql_result_errmsg(*res) : NULL;
		ksql_test_fail(rep, "%s: rc=%d errcode=%d errmsg=\"%s\"", what,
			       rc, *res ? ksql_result_errcode(*res) : 0,
			       msg ? msg : "");
		ksql_test_put_res(*res);
		*res = NULL;
		return -EIO;
	}
	if (!*res)
		return ksql_test_fail(rep, "%s: rc=0 but no result", what);
	if (ksql_result_errcode(*res)) {
		ksql_test_fail(rep, "%s: rc=0 with errcode=%d", what,
			       ksql_result_errcode(*res));
		ksql_test_put_res(*res);
		*res = NULL;
		return -EIO;
	}
	return 0;
}

/* Run a statement whose result is not looked at. */
int ksql_test_exec_simple(struct ksql_test_report *rep, const char *sql)
{
	struct ksql_result *res;
	int err;

	err = ksql_test_exec_ok(rep, sql, sql, NULL, 0, &res, KSQL_TEST_TIMEOUT_MS);
	ksql_test_put_res(res);
	return err;
}

int ksql_test_expect_shape(struct ksql_test_report *rep, const char *what,
			   const struct ksql_result *res, unsigned int rows,
			   unsigned int cols, const char * const *names)
{
	unsigned int c;

	if (ksql_result_rows(res) != rows || ksql_result_cols(res) != cols)
		return ksql_test_fail(rep, "%s: %u rows x %u cols, expected %u x %u",
				      what, ksql_result_rows(res),
				      ksql_result_cols(res), rows, cols);
	for (c = 0; names && c < cols; c++) {
		const char *name = ksql_result_colname(res, c);

		if (!name || strcmp(name, names[c]))
			return ksql_test_fail(rep, "%s: column %u is named \"%s\", expected \"%s\"",
					      what, c, name ? name : "(null)",
					      names[c]);
	}
	return 0;
}

int ksql_test_expect_value(struct ksql_test_report *rep, const char *what,
			   const struct ksql_result *res, unsigned int row,
			   unsigned int col, const struct ksql_value *want)
{
	const struct ksql_value *got = ksql_result_value(res, row, col);
	char g[160], w[160];

	if (ksql_test_value_eq(want, got))
		return 0;
	ksql_test_fmt_value(g, sizeof(g), got);
	ksql_test_fmt_value(w, sizeof(w), want);
	return ksql_test_fail(rep, "%s: row %u col %u is %s, expected %s",
			      what, row, col, g, w);
}

int ksql_test_expect_changes(struct ksql_test_report *rep, const char *what,
			     const struct ksql_result *res, u64 changes,
			     s64 rowid, bool check_rowid)
{
	if (ksql_result_changes(res) != changes)
		return ksql_test_fail(rep, "%s: changes=%llu, expected %llu", what,
				      ksql_result_changes(res), changes);
	if (check_rowid && ksql_result_last_rowid(res) != rowid)
		return ksql_test_fail(rep, "%s: last_rowid=%lld, expected %lld",
				      what, ksql_result_last_rowid(res), rowid);
	return 0;
}

/* An SQL error: negative errno, SQLite's code and a message with @words. */
static int expect_sql_error(struct ksql_test_report *rep, const char *what,
			    int rc, const struct ksql_result *res,
			    int code, bool exact, const char *words)
{
	const char *msg;
	int got;

	if (rc >= 0 || rc == -ENOTCONN || rc == -ETIMEDOUT || rc == -EINTR)
		return ksql_test_fail(rep, "%s: rc=%d, expected an SQL error errno",
				      what, rc);
	if (!res)
		return ksql_test_fail(rep, "%s: rc=%d but no result with the SQLite error",
				      what, rc);
	got = ksql_result_errcode(res);
	msg = ksql_result_errmsg(res);
	if (exact ? got != code : (got & 0xff) != code)
		return ksql_test_fail(rep, "%s: rc=%d errcode=%d, expected %s%d (errmsg \"%s\")",
				      what, rc, got, exact ? "" : "primary ",
				      code, msg ? msg : "");
	if (!msg || !strstr(msg, words))
		return ksql_test_fail(rep, "%s: rc=%d errmsg=\"%s\" lacks \"%s\"",
				      what, rc, msg ? msg : "(null)", words);
	return 0;
}

static int check_sqlerr(struct ksql_test_report *rep, const char *arg)
{
	struct ksql_value v = KSQL_VINT(7);
	struct ksql_value one = KSQL_VINT(1);
	struct ksql_result *res = NULL;
	int rc_syntax, rc_unique, rc;
	int err;

	rc_syntax = ksql_test_exec("SELEC 1", NULL, 0, &res, KSQL_TEST_TIMEOUT_MS);
	err = expect_sql_error(rep, "syntax error", rc_syntax, res,
			       SQLITE_ERROR, false, "syntax error");
	ksql_test_put_res(res);
	res = NULL;
	if (err)
		return err;

	rc = ksql_test_exec("SELECT * FROM ksql_test_no_such_table", NULL, 0,
			    &res, KSQL_TEST_TIMEOUT_MS);
	err = expect_sql_error(rep, "missing table", rc, res, SQLITE_ERROR,
			       false, "no such table");
	ksql_test_put_res(res);
	res = NULL;
	if (err)
		return err;

	err = ksql_test_exec_simple(rep, "DROP TABLE IF EXISTS ksql_test_uniq");
	if (!err)
		err = ksql_test_exec_simple(rep, "CREATE TABLE ksql_test_uniq(x INTEGER UNIQUE)");
	if (err)
		return err;
	err = ksql_test_exec_ok(rep, "first insert", "INSERT INTO ksql_test_uniq VALUES (?1)",
				&v, 1, &res, KSQL_TEST_TIMEOUT_MS);
	if (err)
		return err;
	ksql_test_put_res(res);
	res = NULL;

	rc_unique = ksql_test_exec("INSERT INTO ksql_test_uniq VALUES (?1)",
				   &v, 1, &res, KSQL_TEST_TIMEOUT_MS);
	err = expect_sql_error(rep, "duplicate insert", rc_unique, res,
			       SQLITE_CONSTRAINT_UNIQUE, true,
			       "UNIQUE constraint failed");
	ksql_test_put_res(res);
	if (err)
		return err;

	/* the failed insert left nothing behind, and calls still work */
	err = ksql_test_exec_ok(rep, "count", "SELECT count(*) AS n FROM ksql_test_uniq",
				NULL, 0, &res, KSQL_TEST_TIMEOUT_MS);
	if (err)
		return err;
	err = ksql_test_expect_shape(rep, "count", res, 1, 1, NULL);
	if (!err)
		err = ksql_test_expect_value(rep, "count", res, 0, 0, &one);
	ksql_test_put_res(res);
	if (!err)
		err = ksql_test_exec_simple(rep, "DROP TABLE ksql_test_uniq");
	if (!err)
		ksql_test_note(rep,
			       "syntax error: rc=%d; UNIQUE violation: rc=%d, code %d; messages right",
			       rc_syntax, rc_unique, SQLITE_CONSTRAINT_UNIQUE);
	return err;
}

/* A single ksql_exec() never silently ignores a second statement. */
static int check_multistmt(struct ksql_test_report *rep, const char *arg)
{
	struct ksql_result *res = NULL;
	int rc, err;

	rc = ksql_test_exec("SELECT 1 AS a; SELECT 2 AS b", NULL, 0, &res,
			    KSQL_TEST_TIMEOUT_MS);
	ksql_test_put_res(res);
	if (rc >= 0 || rc == -ENOTCONN || rc == -ETIMEDOUT || rc == -EINTR)
		return ksql_test_fail(rep, "two statements: rc=%d, expected an SQL error",
				      rc);

	err = ksql_test_exec_simple(rep, "SELECT 1 AS a;  ");
	if (!err)
		ksql_test_note(rep, "two statements refused (rc=%d), a trailing ';' accepted",
			       rc);
	return err;
}

/* No daemon: -ENOTCONN at once, whatever the timeout. "notconn [MS]" */
static int check_notconn(struct ksql_test_report *rep, const char *arg)
{
	struct ksql_result *res = NULL;
	unsigned int ms;
	s64 us1, us2;
	ktime_t t0;
	int rc1, rc2;

	if (ksql_test_parse_uint(arg, 10000, &ms) || !ms)
		return ksql_test_fail(rep, "bad timeout \"%s\"", arg);

	t0 = ktime_get();
	rc1 = ksql_exec_timeout("SELECT 1", NULL, 0, &res,
				msecs_to_jiffies(ms));
	us1 = ktime_us_delta(ktime_get(), t0);
	ksql_test_put_res(res);
	res = NULL;

	t0 = ktime_get();
	rc2 = ksql_exec("SELECT 1", NULL, 0, &res);
	us2 = ktime_us_delta(ktime_get(), t0);
	ksql_test_put_res(res);

	if (rc1 != -ENOTCONN || rc2 != -ENOTCONN)
		return ksql_test_fail(rep,
				      "rc=%d (timeout %u ms) and rc=%d (default timeout), expected %d",
				      rc1, ms, rc2, -ENOTCONN);
	if (us1 >= NOTCONN_MAX_US || us2 >= NOTCONN_MAX_US)
		return ksql_test_fail(rep, "-ENOTCONN took %lld us and %lld us, limit %d us",
				      us1, us2, NOTCONN_MAX_US);
	ksql_test_note(rep, "-ENOTCONN in %lld us (timeout %u ms) and %lld us (default timeout)",
		       us1, ms, us2);
	return 0;
}

/* The daemon answers: "SELECT ?1 + 1, ?2" */
static int check_simple(struct ksql_test_report *rep, const char *arg)
{
	static const char * const names[] = { "n", "s" };
	struct ksql_value args[2] = { KSQL_VINT(41), KSQL_VTEXT("ksql") };
	struct ksql_value want = KSQL_VINT(42);
	struct ksql_result *res;
	int err;

	err = ksql_test_exec_ok(rep, "simple", "SELECT ?1 + 1 AS n, ?2 AS s", args, 2,
				&res, KSQL_TEST_TIMEOUT_MS);
	if (err)
		return err;
	err = ksql_test_expect_shape(rep, "simple", res, 1, 2, names);
	if (!err)
		err = ksql_test_expect_value(rep, "simple", res, 0, 0, &want);
	if (!err)
		err = ksql_test_expect_value(rep, "simple", res, 0, 1, &args[1]);
	ksql_test_put_res(res);
	if (!err)
		ksql_test_note(rep, "SELECT ?1 + 1, ?2 answered 42, \"ksql\"");
	return err;
}

/* A daemon that does not answer: -ETIMEDOUT on time. "timeout MS" */
static int check_timeout(struct ksql_test_report *rep, const char *arg)
{
	struct ksql_result *res = NULL;
	unsigned int ms;
	s64 us, min_us, max_us;
	ktime_t t0;
	int rc;

	if (ksql_test_parse_uint(arg, 300, &ms) || !ms)
		return ksql_test_fail(rep, "bad timeout \"%s\"", arg);
	/* a timer can fire up to one tick before the wall-clock timeout */
	min_us = (s64)ms * 1000 - jiffies_to_usecs(1);
	max_us = ((s64)ms + TIMEOUT_SLACK_MS) * 1000;

	t0 = ktime_get();
	rc = ksql_exec_timeout("SELECT 1", NULL, 0, &res, msecs_to_jiffies(ms));
	us = ktime_us_delta(ktime_get(), t0);
	ksql_test_put_res(res);

	if (rc != -ETIMEDOUT)
		return ksql_test_fail(rep, "rc=%d after %lld us, expected %d",
				      rc, us, -ETIMEDOUT);
	if (us < min_us || us > max_us)
		return ksql_test_fail(rep, "-ETIMEDOUT after %lld us, expected %lld..%lld us",
				      us, min_us, max_us);
	ksql_test_note(rep, "-ETIMEDOUT after %lld us (timeout %u ms)", us, ms);
	return 0;
}

static const struct {
	const char *name;
	int (*run)(struct ksql_test_report *rep, const char *arg);
	const char *help;
} checks[] = {
	{ "types", ksql_test_check_types, "[keep] all value types round-trip" },
	{ "empty", ksql_test_check_empty, "empty text and blob keep their types" },
	{ "sqlerr", check_sqlerr, "SQL errors give errno, code, message" },
	{ "multistmt", check_multistmt, "a second statement is refused" },
	{ "big", ksql_test_check_big, "[ROWS] a large result arrives complete" },
	{ "simple", check_simple, "one query answered correctly" },
	{ "notconn", check_notconn, "[MS] no daemon: -ENOTCONN at once" },
	{ "timeout", check_timeout, "[MS] stopped daemon: -ETIMEDOUT on time" },
	{ "mixed", ksql_test_check_mixed, "N M [keep]: N threads x M queries, answers checked" },
	{ "mixed_reset", ksql_test_check_mixed_reset, "make ksql_mixed anew, empty" },
	{ "txn", ksql_test_check_txn, "rows hidden until commit; rollback leaves none" },
	{ "names", ksql_test_check_names, "non-ASCII and over-long table/column names: -EINVAL" },
};

/**
 * ksql_test_run_check() - run one named check
 * @name: the check
 * @arg: its argument, or NULL
 * @rep: the report, filled in either case
 *
 * Return: 0 when the check passed, -EIO when it failed, -EINVAL when no
 * check has that name.
 */
int ksql_test_run_check(const char *name, const char *arg,
			struct ksql_test_report *rep)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(checks); i++) {
		if (strcmp(name, checks[i].name))
			continue;
		rep->msg[0] = '\0';
		return checks[i].run(rep, arg) ? -EIO : 0;
	}
	ksql_test_fail(rep, "no such check");
	return -EINVAL;
}

/**
 * ksql_test_list_checks() - print the checks with their help
 * @m: the seq_file
 */
void ksql_test_list_checks(struct seq_file *m)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(checks); i++)
		seq_printf(m, "%-10s %s\n", checks[i].name, checks[i].help);
}
