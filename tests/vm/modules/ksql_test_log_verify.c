// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_test_log_verify.c - compare a logged table with what ksql_log() said.
 *
 * After a flush, for one run of the "log" file (ksql_test_log.c):
 *   - per source: the rows in the table are exactly the accepted ones:
 *     count, distinct n, sum of n and of n * n, min and max n, sum of the
 *     payload lengths, and the ctx column;
 *   - the run has no row of an unknown source and all its rows belong to
 *     one producer (one table open);
 *   - per producer of the table (every epoch ksql_producers knows): its
 *     rows' ksql_seq and its ksql_gaps ranges, sorted, follow each other
 *     from 1 to last_seq without a hole or an overlap; every gap's count
 *     matches its range and its reason is a known one;
 *   - the run's producer ends at the number of attempts since the open:
 *     every ksql_log() call consumed one sequence number, accepted or not.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ksql_test.h"

/* Per source (?1 run, ?2 src, ?3 ctx); %s is the table. */
static const char sql_source[] =
	"SELECT COUNT(*), COUNT(DISTINCT n), IFNULL(SUM(n), 0),\n"
	"IFNULL(SUM(n * n), 0), IFNULL(MIN(n), -1), IFNULL(MAX(n), -1),\n"
	"IFNULL(SUM(length(payload)), 0), IFNULL(SUM(ctx IS NOT ?3), 0)\n"
	"FROM \"%s\" WHERE run = ?1 AND src = ?2";

/*
 * Per producer (?1): its rows and gaps as ranges [f, l] in order; each must
 * start right after the previous one ends (pl, 0 before the first), so the
 * count of those that don't is 0 exactly when they tile 1..MAX(l).
 */
static const char sql_producer[] =
	"SELECT COUNT(*), IFNULL(SUM(f <> pl + 1), 0), IFNULL(MAX(l), 0),\n"
	"IFNULL(SUM(l - f + 1), 0)\n"
	"FROM (SELECT f, l, LAG(l, 1, 0) OVER (ORDER BY f, l) AS pl\n"
	"FROM (SELECT ksql_seq AS f, ksql_seq AS l FROM \"%s\"\n"
	"WHERE ksql_producer = ?1\n"
	"UNION ALL SELECT first_seq, last_seq FROM ksql_gaps WHERE producer = ?1))";

static const char sql_gaps[] =
	"SELECT COUNT(*) FROM ksql_gaps WHERE producer = ?1\n"
	"AND (count IS NOT last_seq - first_seq + 1 OR tbl IS NOT ?2\n"
	"OR reason NOT IN ('backlog', 'too_big'))";

/*
 * The run (?1 run, ?2 table name): rows, their producers, the last_seq of
 * the run's producer (or of the table's newest one when the run has no
 * row), rows of no source (the too-big row). %s twice: the table.
 */
static const char sql_run[] =
	"SELECT COUNT(*), COUNT(DISTINCT ksql_producer),\n"
	"IFNULL((SELECT last_seq FROM ksql_producers WHERE id =\n"
	"(SELECT MAX(ksql_producer) FROM \"%s\" WHERE run = ?1)),\n"
	"(SELECT IFNULL(MAX(last_seq), 0) FROM ksql_producers WHERE id =\n"
	"(SELECT MAX(id) FROM ksql_producers WHERE tbl = ?2))),\n"
	"IFNULL(SUM(src < 0), 0) FROM \"%s\" WHERE run = ?1";

/*
 * Run @sql and read its single row of @ncols integers into @out.
 * Return: 0, or -EIO with @rep filled.
 */
static int q_ints(struct ksql_test_report *rep, const char *what,
		  const char *sql, const struct ksql_value *args,
		  unsigned int nargs, s64 *out, unsigned int ncols)
{
	struct ksql_result *res;
	const struct ksql_value *v;
	unsigned int c;
	int err;

	err = ksql_test_exec_ok(rep, what, sql, args, nargs, &res,
				KSQL_TEST_TIMEOUT_MS);
	if (err)
		return err;
	if (ksql_result_rows(res) != 1 || ksql_result_cols(res) != ncols) {
		err = ksql_test_fail(rep, "%s: %u rows x %u cols, expected 1 x %u",
				     what, ksql_result_rows(res),
				     ksql_result_cols(res), ncols);
		goto out;
	}
	for (c = 0; c < ncols; c++) {
		v = ksql_result_value(res, 0, c);
		if (v->type != KSQL_INT) {
			err = ksql_test_fail(rep, "%s: column %u has type %d, expected INTEGER",
					     what, c, v->type);
			goto out;
		}
		out[c] = v->i;
	}
out:
	ksql_test_put_res(res);
	return err;
}

static int verify_source(struct ksql_test_report *rep, const char *table,
			 s64 run, const struct ksql_test_log_expect *e)
{
	struct ksql_value args[] = {
		KSQL_VINT(run), KSQL_VINT(e->src), KSQL_VTEXT(e->ctx),
	};
	char what[48];
	s64 v[8];
	char *sql;
	int err;

	sql = kasprintf(GFP_KERNEL, sql_source, table);
	if (!sql)
		return ksql_test_fail(rep, "no memory");
	snprintf(what, sizeof(what), "source %u (%s)", e->src, e->ctx);
	err = q_ints(rep, what, sql, args, ARRAY_SIZE(args), v, ARRAY_SIZE(v));
	kfree(sql);
	if (err)
		return err;
	if (v[0] != e->accepted || v[1] != e->accepted)
		return ksql_test_fail(rep,
				      "%s: %lld rows (%lld distinct n) in the table, %llu accepted",
				      what, v[0], v[1], e->accepted);
	if (v[2] != e->sum.sum_n || v[3] != e->sum.sum_n2)
		return ksql_test_fail(rep,
				      "%s: sum of n %lld, of n*n %lld in the table; accepted %llu, %llu",
				      what, v[2], v[3], e->sum.sum_n, e->sum.sum_n2);
	if (v[4] != e->sum.min_n || v[5] != e->sum.max_n)
		return ksql_test_fail(rep,
				      "%s: n from %lld to %lld in the table; accepted %lld to %lld",
				      what, v[4], v[5], e->sum.min_n, e->sum.max_n);
	if (v[6] != e->sum.sum_len)
		return ksql_test_fail(rep, "%s: payload bytes %lld in the table, %llu logged",
				      what, v[6], e->sum.sum_len);
	if (v[7])
		return ksql_test_fail(rep, "%s: %lld rows with a ctx other than '%s'",
				      what, v[7], e->ctx);
	return 0;
}

/* Rows and gaps of producer @id cover 1..@last_seq exactly once. */
static int verify_producer(struct ksql_test_report *rep, const char *table,
			   s64 id, s64 last_seq)
{
	struct ksql_value args[] = { KSQL_VINT(id), KSQL_VTEXT(table) };
	char what[48];
	s64 v[4], g[1];
	char *sql;
	int err;

	snprintf(what, sizeof(what), "producer %lld", id);
	sql = kasprintf(GFP_KERNEL, sql_producer, table);
	if (!sql)
		return ksql_test_fail(rep, "no memory");
	err = q_ints(rep, what, sql, args, 1, v, ARRAY_SIZE(v));
	kfree(sql);
	if (err)
		return err;
	if (v[1])
		return ksql_test_fail(rep,
				      "%s: rows and gaps break off %lld times (hole, overlap, duplicate); %lld entries, last_seq %lld",
				      what, v[1], v[0], last_seq);
	if (v[2] != last_seq || v[3] != last_seq)
		return ksql_test_fail(rep,
				      "%s: rows and gaps end at %lld, cover %lld sequences; last_seq %lld",
				      what, v[2], v[3], last_seq);

	err = q_ints(rep, what, sql_gaps, args, 2, g, 1);
	if (err)
		return err;
	if (g[0])
		return ksql_test_fail(rep,
				      "%s: %lld gap records with a wrong count, table or reason",
				      what, g[0]);
	return 0;
}

static int verify_producers(struct ksql_test_report *rep, const char *table,
			    unsigned int *nprod)
{
	struct ksql_value arg = KSQL_VTEXT(table);
	struct ksql_result *res;
	const struct ksql_value *id, *last;
	unsigned int r;
	int err;

	err = ksql_test_exec_ok(rep, "producers",
				"SELECT id, IFNULL(last_seq, 0) FROM ksql_producers WHERE tbl = ?1 ORDER BY id",
				&arg, 1, &res, KSQL_TEST_TIMEOUT_MS);
	if (err)
		return err;
	*nprod = ksql_result_rows(res);
	for (r = 0; !err && r < ksql_result_rows(res); r++) {
		id = ksql_result_value(res, r, 0);
		last = ksql_result_value(res, r, 1);
		if (id->type != KSQL_INT || last->type != KSQL_INT)
			err = ksql_test_fail(rep,
					     "ksql_producers row %u: id or last_seq not an INTEGER",
					     r);
		else
			err = verify_producer(rep, table, id->i, last->i);
	}
	ksql_test_put_res(res);
	return err;
}

/**
 * ksql_test_log_verify() - the table against the bookkeeping of one run
 * @rep: gets the reason of a failure, or a summary
 * @table: the table name (validated by ksql_table_open())
 * @run: the run column of this open
 * @exp: the sources that logged, with what they had accepted
 * @nexp: number of @exp
 * @attempts: ksql_log() calls since the open (each took a sequence number)
 * @rows: set to the rows of the run in the table
 *
 * Return: 0 when everything matches, -EIO otherwise (see @rep).
 */
int ksql_test_log_verify(struct ksql_test_report *rep, const char *table,
			 s64 run, const struct ksql_test_log_expect *exp,
			 unsigned int nexp, u64 attempts, u64 *rows)
{
	struct ksql_value args[] = { KSQL_VINT(run), KSQL_VTEXT(table) };
	unsigned int i, nprod = 0;
	u64 accepted = 0;
	s64 v[4];
	char *sql;
	int err;

	for (i = 0; i < nexp; i++) {
		accepted += exp[i].accepted;
		err = verify_source(rep, table, run, &exp[i]);
		if (err)
			return err;
	}

	/* the run: no stray rows, one producer; that producer's last_seq */
	sql = kasprintf(GFP_KERNEL, sql_run, table, table);
	if (!sql)
		return ksql_test_fail(rep, "no memory");
	err = q_ints(rep, "the run", sql, args, ARRAY_SIZE(args), v, ARRAY_SIZE(v));
	kfree(sql);
	if (err)
		return err;
	*rows = v[0];
	if (v[0] != accepted)
		return ksql_test_fail(rep, "run %lld: %lld rows in %s, %llu accepted",
				      run, v[0], table, accepted);
	if (v[3])
		return ksql_test_fail(rep, "run %lld: the too-big row is in the table", run);
	if (v[0] && v[1] != 1)
		return ksql_test_fail(rep, "run %lld: rows of %lld producers, expected 1",
				      run, v[1]);
	if (v[2] != attempts)
		return ksql_test_fail(rep,
				      "run %lld: the producer's last_seq is %lld, %llu ksql_log() calls",
				      run, v[2], attempts);

	err = verify_producers(rep, table, &nprod);
	if (err)
		return err;
	ksql_test_note(rep,
		       "%llu rows of %u sources as accepted, %llu sequences, %u producers contiguous",
		       accepted, nexp, attempts, nprod);
	return 0;
}
