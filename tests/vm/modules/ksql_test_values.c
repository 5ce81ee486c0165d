// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_test_values.c - checks that values and results arrive intact.
 *
 * "types" sends one value of every kind that is easy to damage on the way
 * as bound parameters and through a table, and compares what comes back
 * bit for bit; "empty" checks zero-length TEXT and BLOB; "big" checks a
 * large multi-chunk result row by row.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/limits.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ksql_test.h"

#define BIG_TIMEOUT_MS		120000
#define BIG_DEFAULT_ROWS	20000

/* values from string literals; the length excludes only the final NUL */
#define VTEXT(lit) { .type = KSQL_TEXT, .len = sizeof(lit) - 1, .text = (lit) }
#define VBLOB(lit) { .type = KSQL_BLOB, .len = sizeof(lit) - 1, .blob = (lit) }

/* one value of each kind that is easy to damage on the way */
static const struct ksql_value type_vals[] = {
	{ .type = KSQL_INT, .i = S64_MIN },
	{ .type = KSQL_INT, .i = S64_MAX },
	{ .type = KSQL_INT, .i = 0 },
	{ .type = KSQL_INT, .i = -1 },
	{ .type = KSQL_REAL, .real = 0x3ff8000000000000ULL },	/* 1.5 */
	{ .type = KSQL_REAL, .real = 0x8000000000000000ULL },	/* -0.0 */
	{ .type = KSQL_REAL, .real = 0x0000000000000001ULL },	/* min subnormal */
	{ .type = KSQL_REAL, .real = 0x000fffffffffffffULL },	/* max subnormal */
	{ .type = KSQL_REAL, .real = 0x400921fb54442d18ULL },	/* pi */
	{ .type = KSQL_REAL, .real = 0xfff0000000000000ULL },	/* -infinity */
	VTEXT("h\xc3\xa9llo, w\xc3\xb6rld \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80"),
	VTEXT("it's \"quoted\"; -- not a comment"),
	VBLOB("\0a\0\0\xff\0"),
	{ .type = KSQL_NULL },
};

/* type_vals plus a blob of all 256 byte values */
#define NTYPE_VALS	(ARRAY_SIZE(type_vals) + 1)

static const char * const type_names[] = {
	[KSQL_NULL] = "null",
	[KSQL_INT] = "integer",
	[KSQL_REAL] = "real",
	[KSQL_TEXT] = "text",
	[KSQL_BLOB] = "blob",
};

/* "SELECT ?1 AS c0, ?2 AS c1, ..." must give the parameters back. */
static int types_select(struct ksql_test_report *rep,
			const struct ksql_value *vals, unsigned int n)
{
	const char **names;
	struct ksql_result *res = NULL;
	size_t len = 0, size = 16 + n * 24;
	unsigned int i;
	char *sql;
	int err = -ENOMEM;

	sql = kmalloc(size, GFP_KERNEL);
	names = kcalloc(n, sizeof(*names), GFP_KERNEL);
	if (!sql || !names) {
		err = ksql_test_fail(rep, "out of memory");
		goto out;
	}
	len = scnprintf(sql, size, "SELECT");
	for (i = 0; i < n; i++) {
		len += scnprintf(sql + len, size - len, "%s ?%u AS c%u",
				 i ? "," : "", i + 1, i);
		names[i] = kasprintf(GFP_KERNEL, "c%u", i);
		if (!names[i]) {
			err = ksql_test_fail(rep, "out of memory");
			goto out;
		}
	}

	err = ksql_test_exec_ok(rep, "select params", sql, vals, n, &res,
				KSQL_TEST_TIMEOUT_MS);
	if (err)
		goto out;
	err = ksql_test_expect_shape(rep, "select params", res, 1, n, names);
	for (i = 0; !err && i < n; i++)
		err = ksql_test_expect_value(rep, "select params", res, 0, i, &vals[i]);
out:
	ksql_test_put_res(res);
	for (i = 0; names && i < n; i++)
		kfree(names[i]);
	kfree(names);
	kfree(sql);
	return err;
}

/*
 * Store every value in a table, read it back with its typeof(). With
 * @keep the table is left behind (ids 100..) for user space to look at.
 */
static int types_table(struct ksql_test_report *rep,
		       const struct ksql_value *vals, unsigned int n, bool keep)
{
	static const char * const names[] = { "id", "v", "t" };
	struct ksql_value args[2], want;
	struct ksql_result *res = NULL;
	unsigned int i;
	int err;

	err = ksql_test_exec_simple(rep, "DROP TABLE IF EXISTS ksql_test_types");
	if (!err)
		err = ksql_test_exec_simple(rep,
					    "CREATE TABLE ksql_test_types(id INTEGER PRIMARY KEY, v)");
	if (err)
		return err;

	for (i = 0; i < n; i++) {
		args[0] = KSQL_VINT(100 + i);
		args[1] = vals[i];
		err = ksql_test_exec_ok(rep, "insert",
					"INSERT INTO ksql_test_types(id, v) VALUES (?1, ?2)",
					args, 2, &res, KSQL_TEST_TIMEOUT_MS);
		if (err)
			return err;
		err = ksql_test_expect_changes(rep, "insert", res, 1, 100 + i, true);
		ksql_test_put_res(res);
		if (err)
			return err;
	}

	/* a rowid chosen by SQLite: one past the largest */
	args[0] = KSQL_VTEXT("auto");
	err = ksql_test_exec_ok(rep, "insert auto rowid",
				"INSERT INTO ksql_test_types(v) VALUES (?1)", args, 1,
				&res, KSQL_TEST_TIMEOUT_MS);
	if (err)
		return err;
	err = ksql_test_expect_changes(rep, "insert auto rowid", res, 1, 100 + n, true);
	ksql_test_put_res(res);
	if (err)
		return err;

	args[0] = KSQL_VINT(100 + n);
	err = ksql_test_exec_ok(rep, "select table",
				"SELECT id, v, typeof(v) AS t FROM ksql_test_types WHERE id < ?1 ORDER BY id",
				args, 1, &res, KSQL_TEST_TIMEOUT_MS);
	if (err)
		return err;
	err = ksql_test_expect_shape(rep, "select table", res, n, 3, names);
	for (i = 0; !err && i < n; i++) {
		want = KSQL_VINT(100 + i);
		err = ksql_test_expect_value(rep, "select table", res, i, 0, &want);
		if (!err)
			err = ksql_test_expect_value(rep, "select table", res, i, 1,
						     &vals[i]);
		want = KSQL_VTEXT(type_names[vals[i].type]);
		if (!err)
			err = ksql_test_expect_value(rep, "select table typeof", res, i,
						     2, &want);
	}
	ksql_test_put_res(res);
	if (err)
		return err;

	args[0] = KSQL_VINT(100);
	err = ksql_test_exec_ok(rep, "update", "UPDATE ksql_test_types SET v = v WHERE id >= ?1",
				args, 1, &res, KSQL_TEST_TIMEOUT_MS);
	if (err)
		return err;
	err = ksql_test_expect_changes(rep, "update", res, n + 1, 0, false);
	ksql_test_put_res(res);
	if (err || keep)
		return err;

	args[0] = KSQL_VINT(100 + n);
	err = ksql_test_exec_ok(rep, "delete", "DELETE FROM ksql_test_types WHERE id < ?1",
				args, 1, &res, KSQL_TEST_TIMEOUT_MS);
	if (err)
		return err;
	err = ksql_test_expect_changes(rep, "delete", res, n, 0, false);
	ksql_test_put_res(res);
	if (err)
		return err;

	return ksql_test_exec_simple(rep, "DROP TABLE ksql_test_types");
}

int ksql_test_check_types(struct ksql_test_report *rep, const char *arg)
{
	struct ksql_value *vals;
	u8 *bytes;
	unsigned int i;
	int err;

	vals = kcalloc(NTYPE_VALS, sizeof(*vals), GFP_KERNEL);
	bytes = kmalloc(256, GFP_KERNEL);
	if (!vals || !bytes) {
		err = ksql_test_fail(rep, "out of memory");
		goto out;
	}
	memcpy(vals, type_vals, sizeof(type_vals));
	for (i = 0; i < 256; i++)
		bytes[i] = i;
	vals[NTYPE_VALS - 1] = KSQL_VBLOB(bytes, 256);

	err = types_select(rep, vals, NTYPE_VALS);
	if (!err)
		err = types_table(rep, vals, NTYPE_VALS,
				  arg && !strcmp(arg, "keep"));
	if (!err)
		ksql_test_note(rep,
			       "%zu values (int, real bits, utf-8 text, blobs, null) round-tripped as parameters and through a table; names, changes and rowids right",
			       NTYPE_VALS);
out:
	kfree(bytes);
	kfree(vals);
	return err;
}

/* Zero-length TEXT and BLOB keep their type. */
int ksql_test_check_empty(struct ksql_test_report *rep, const char *arg)
{
	static const char * const names[] = { "t", "b", "tt", "tb", "lb" };
	static const char nothing[1];
	struct ksql_value args[2] = {
		{ .type = KSQL_TEXT, .len = 0, .text = nothing },
		{ .type = KSQL_BLOB, .len = 0, .blob = nothing },
	};
	struct ksql_value want[5] = {
		args[0], args[1], KSQL_VTEXT("text"), KSQL_VTEXT("blob"),
		KSQL_VINT(0),
	};
	struct ksql_result *res;
	unsigned int i;
	int err;

	err = ksql_test_exec_ok(rep, "select empty",
				"SELECT ?1 AS t, ?2 AS b, typeof(?1) AS tt, typeof(?2) AS tb, length(?2) AS lb",
				args, 2, &res, KSQL_TEST_TIMEOUT_MS);
	if (err)
		return err;
	err = ksql_test_expect_shape(rep, "select empty", res, 1, 5, names);
	for (i = 0; !err && i < 5; i++)
		err = ksql_test_expect_value(rep, "select empty", res, 0, i, &want[i]);
	ksql_test_put_res(res);
	if (!err)
		ksql_test_note(rep, "empty text and empty blob keep their types");
	return err;
}

/* A large result arrives complete: "big [ROWS]" */
int ksql_test_check_big(struct ksql_test_report *rep, const char *arg)
{
	static const char * const names[] = { "x", "t" };
	struct ksql_result *res;
	struct ksql_value lim;
	unsigned int rows, r;
	ktime_t t0;
	char text[24];
	int err;

	if (ksql_test_parse_uint(arg, BIG_DEFAULT_ROWS, &rows) || !rows)
		return ksql_test_fail(rep, "bad row count \"%s\"", arg);
	lim = KSQL_VINT(rows);

	t0 = ktime_get();
	err = ksql_test_exec_ok(rep, "big select",
				"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?1) SELECT x, 'row-' || x AS t FROM c",
				&lim, 1, &res, BIG_TIMEOUT_MS);
	if (err)
		return err;
	err = ksql_test_expect_shape(rep, "big select", res, rows, 2, names);
	for (r = 0; !err && r < rows; r++) {
		struct ksql_value want = KSQL_VINT(r + 1);

		err = ksql_test_expect_value(rep, "big select", res, r, 0, &want);
		snprintf(text, sizeof(text), "row-%u", r + 1);
		want = KSQL_VTEXT(text);
		if (!err)
			err = ksql_test_expect_value(rep, "big select", res, r, 1, &want);
	}
	ksql_test_put_res(res);
	if (!err)
		ksql_test_note(rep, "%u rows x 2 columns complete and correct in %lld ms",
			       rows, ktime_ms_delta(ktime_get(), t0));
	return err;
}

