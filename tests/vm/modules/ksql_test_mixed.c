// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_test_mixed.c - many kernel threads, mixed queries, every answer checked.
 *
 * "mixed N M [keep]": N threads each run M queries (M a multiple of 5) on the table
 * ksql_mixed, in rounds of five. Thread t, round r works on its own row
 * id = (t + 1) * 1000000 + r:
 *
 *   0  INSERT (id, t, v = r)          changes 1, last_rowid id, no rows
 *   1  SELECT v, t WHERE id           one row: r, t
 *   2  UPDATE v = v + 1 WHERE id      changes 1
 *   3  SELECT count(*), sum(v) WHERE t = thread's
 *                                     r + 1 rows so far, sum 1 + ... + (r + 1)
 *   4  a deliberate SQL error, checked: even rounds insert the id again
 *      (SQLITE_CONSTRAINT_PRIMARYKEY), odd rounds select a missing column
 *      (SQLITE_ERROR); both -EINVAL, with SQLite's code and message
 *
 * A thread stops at its first wrong answer and the check reports it. At the
 * end the check counts the whole table: N * M / 5 rows, values summing to
 * N * R * (R + 1) / 2 (R = M / 5), which the scenario verifies again with
 * sqlite3 on the database file. The table is made anew first, unless "keep"
 * says the caller did that with "mixed_reset" (so that the threads' first
 * queries are the only ones to meet a stopped daemon).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/string.h>

#include "ksql_test.h"

/* SQLite result codes (sqlite3.h) */
#define SQLITE_ERROR			1
#define SQLITE_CONSTRAINT_PRIMARYKEY	(19 | (6 << 8))

#define MIXED_SCHEMA \
	"CREATE TABLE ksql_mixed(id INTEGER PRIMARY KEY, t INTEGER NOT NULL, v INTEGER NOT NULL)"
#define MIXED_TIMEOUT_MS	30000
#define MIXED_ID_BASE		1000000
#define MIXED_MAX_QUERIES	(5 * (MIXED_ID_BASE - 1))

struct mixed_ctx {
	unsigned int rounds;
};

/* Prefix the report of a failed step with its round. */
static int mixed_in_round(struct ksql_test_report *rep, unsigned int r)
{
	char msg[KSQL_TEST_MSG_MAX];

	/* rep->msg cannot be both the format's source and its destination */
	strscpy(msg, rep->msg, sizeof(msg));
	return ksql_test_fail(rep, "round %u: %s", r, msg);
}

/* One query that must succeed; its result is left in *res. */
static int mixed_ok(struct ksql_test_report *rep, const char *what,
		    unsigned int r, const char *sql,
		    const struct ksql_value *args, unsigned int nargs,
		    struct ksql_result **res)
{
	int err;

	err = ksql_test_exec_ok(rep, what, sql, args, nargs, res,
				MIXED_TIMEOUT_MS);
	if (err)
		return mixed_in_round(rep, r);
	return 0;
}

/* A deliberate SQL error: -EINVAL, exactly @code, a message with @words. */
static int mixed_sql_error(struct ksql_test_report *rep, unsigned int r,
			   const char *sql, const struct ksql_value *args,
			   unsigned int nargs, int code, const char *words)
{
	struct ksql_result *res = NULL;
	const char *msg;
	int rc, err = 0;

	rc = ksql_test_exec(sql, args, nargs, &res, MIXED_TIMEOUT_MS);
	msg = res ? ksql_result_errmsg(res) : NULL;
	if (rc != -EINVAL)
		err = ksql_test_fail(rep, "round %u: \"%s\": rc=%d, expected %d",
				     r, sql, rc, -EINVAL);
	else if (!res || ksql_result_errcode(res) != code)
		err = ksql_test_fail(rep, "round %u: \"%s\": errcode=%d, expected %d",
				     r, sql, res ? ksql_result_errcode(res) : 0,
				     code);
	else if (!msg || !strstr(msg, words))
		err = ksql_test_fail(rep, "round %u: \"%s\": errmsg \"%s\" lacks \"%s\"",
				     r, sql, msg ? msg : "(null)", words);
	ksql_test_put_res(res);
	return err;
}

static int mixed_no_rows(struct ksql_test_report *rep, const char *what,
			 const struct ksql_result *res)
{
	if (ksql_result_rows(res))
		return ksql_test_fail(rep, "%s: %u rows, expected none", what,
				      ksql_result_rows(res));
	return 0;
}

static int mixed_round(unsigned int t, unsigned int r,
		       struct ksql_test_report *rep)
{
	s64 id = (s64)(t + 1) * MIXED_ID_BASE + r;
	struct ksql_value args[3] = { KSQL_VINT(id), KSQL_VINT(t), KSQL_VINT(r) };
	struct ksql_value want;
	struct ksql_result *res;
	int err;

	/* 0: insert the round's row */
	err = mixed_ok(rep, "insert", r,
		       "INSERT INTO ksql_mixed(id, t, v) VALUES (?1, ?2, ?3)",
		       args, 3, &res);
	if (err)
		return err;
	err = mixed_no_rows(rep, "insert", res);
	if (!err)
		err = ksql_test_expect_changes(rep, "insert", res, 1, id, true);
	ksql_test_put_res(res);
	if (err)
		return mixed_in_round(rep, r);

	/* 1: read it back */
	err = mixed_ok(rep, "select", r,
		       "SELECT v, t FROM ksql_mixed WHERE id = ?1", args, 1, &res);
	if (err)
		return err;
	err = ksql_test_expect_shape(rep, "select", res, 1, 2, NULL);
	if (!err) {
		want = KSQL_VINT(r);
		err = ksql_test_expect_value(rep, "select v", res, 0, 0, &want);
	}
	if (!err)
		err = ksql_test_expect_value(rep, "select t", res, 0, 1, &args[1]);
	ksql_test_put_res(res);
	if (err)
		return mixed_in_round(rep, r);

	/* 2: update it */
	err = mixed_ok(rep, "update", r,
		       "UPDATE ksql_mixed SET v = v + 1 WHERE id = ?1", args, 1,
		       &res);
	if (err)
		return err;
	err = mixed_no_rows(rep, "update", res);
	if (!err)
		err = ksql_test_expect_changes(rep, "update", res, 1, 0, false);
	ksql_test_put_res(res);
	if (err)
		return mixed_in_round(rep, r);

	/* 3: count and sum this thread's rows */
	err = mixed_ok(rep, "count", r,
		       "SELECT count(*), sum(v) FROM ksql_mixed WHERE t = ?1",
		       &args[1], 1, &res);
	if (err)
		return err;
	err = ksql_test_expect_shape(rep, "count", res, 1, 2, NULL);
	if (!err) {
		want = KSQL_VINT(r + 1);
		err = ksql_test_expect_value(rep, "count", res, 0, 0, &want);
	}
	if (!err) {
		want = KSQL_VINT((s64)(r + 1) * (r + 2) / 2);
		err = ksql_test_expect_value(rep, "sum", res, 0, 1, &want);
	}
	ksql_test_put_res(res);
	if (err)
		return mixed_in_round(rep, r);

	/* 4: a deliberate SQL error */
	if (r % 2 == 0)
		return mixed_sql_error(rep, r,
				       "INSERT INTO ksql_mixed(id, t, v) VALUES (?1, ?2, 0)",
				       args, 2, SQLITE_CONSTRAINT_PRIMARYKEY,
				       "UNIQUE constraint failed");
	return mixed_sql_error(rep, r,
			       "SELECT ksql_no_such_column FROM ksql_mixed WHERE id = ?1",
			       args, 1, SQLITE_ERROR, "no such column");
}

static int mixed_thread(unsigned int idx, void *data,
			struct ksql_test_report *rep)
{
	struct mixed_ctx *ctx = data;
	unsigned int r;
	int err;

	for (r = 0; r < ctx->rounds; r++) {
		err = mixed_round(idx, r, rep);
		if (err)
			return err;
	}
	return 0;
}

/* "mixed_reset": an empty ksql_mixed */
int ksql_test_check_mixed_reset(struct ksql_test_report *rep, const char *arg)
{
	int err;

	err = ksql_test_exec_simple(rep, "DROP TABLE IF EXISTS ksql_mixed");
	if (!err)
		err = ksql_test_exec_simple(rep, MIXED_SCHEMA);
	if (!err)
		ksql_test_note(rep, "ksql_mixed created empty");
	return err;
}

/* "mixed N M [keep]" */
int ksql_test_check_mixed(struct ksql_test_report *rep, const char *arg)
{
	unsigned int n, m;
	char keep[8] = "";
	struct mixed_ctx ctx;
	struct ksql_result *res;
	struct ksql_value want;
	ktime_t t0;
	s64 ms, rows;
	int err;

	if (!arg || sscanf(arg, "%u %u %7s", &n, &m, keep) < 2 || !n || !m ||
	    m % 5 || m > MIXED_MAX_QUERIES || (*keep && strcmp(keep, "keep")))
		return ksql_test_fail(rep, "usage: mixed THREADS QUERIES(x5) [keep]: \"%s\"",
				      arg ? arg : "");
	ctx.rounds = m / 5;

	/* "keep": the caller made the empty table (mixed_reset) already */
	if (!*keep) {
		err = ksql_test_check_mixed_reset(rep, NULL);
		if (err)
			return err;
	}

	t0 = ktime_get();
	err = ksql_test_pool_run(n, "ksql_mixed", mixed_thread, &ctx, rep);
	ms = ktime_ms_delta(ktime_get(), t0);
	if (err)
		return err;

	err = ksql_test_exec_ok(rep, "total", "SELECT count(*), sum(v) FROM ksql_mixed",
				NULL, 0, &res, KSQL_TEST_TIMEOUT_MS);
	if (err)
		return err;
	rows = (s64)n * ctx.rounds;
	err = ksql_test_expect_shape(rep, "total", res, 1, 2, NULL);
	if (!err) {
		want = KSQL_VINT(rows);
		err = ksql_test_expect_value(rep, "total count", res, 0, 0, &want);
	}
	if (!err) {
		want = KSQL_VINT(rows * (ctx.rounds + 1) / 2);
		err = ksql_test_expect_value(rep, "total sum", res, 0, 1, &want);
	}
	ksql_test_put_res(res);
	if (!err)
		ksql_test_note(rep, "%u threads x %u queries in %lld ms, answers right; %lld rows",
			       n, m, ms, rows);
	return err;
}
