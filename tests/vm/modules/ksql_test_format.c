// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_test_format.c - printing and comparing ksql values and results.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "ksql_test.h"

/* bytes of a TEXT or BLOB shown in messages */
#define SHOW_BYTES	48U

/**
 * ksql_test_fmt_value() - describe a value in one short line
 * @buf: output buffer
 * @size: size of @buf
 * @v: the value, or NULL
 *
 * Return: the number of characters written, as scnprintf().
 */
int ksql_test_fmt_value(char *buf, size_t size, const struct ksql_value *v)
{
	unsigned int n;

	if (!v)
		return scnprintf(buf, size, "(no value)");

	switch (v->type) {
	case KSQL_NULL:
		return scnprintf(buf, size, "NULL");
	case KSQL_INT:
		return scnprintf(buf, size, "INT %lld", v->i);
	case KSQL_REAL:
		return scnprintf(buf, size, "REAL 0x%016llx", v->real);
	case KSQL_TEXT:
		n = min(v->len, SHOW_BYTES);
		return scnprintf(buf, size, "TEXT(%u) \"%*pE\"%s", v->len, n,
				 v->text, n < v->len ? "..." : "");
	case KSQL_BLOB:
		n = min(v->len, SHOW_BYTES);
		return scnprintf(buf, size, "BLOB(%u) %*phN%s", v->len, n,
				 v->blob, n < v->len ? "..." : "");
	}
	return scnprintf(buf, size, "(bad type %d)", v->type);
}

/**
 * ksql_test_value_eq() - compare two values exactly
 * @a: a value
 * @b: another value, or NULL
 *
 * REAL values compare by bit pattern, TEXT and BLOB by length and bytes.
 *
 * Return: true when both have the same type and the same contents.
 */
bool ksql_test_value_eq(const struct ksql_value *a, const struct ksql_value *b)
{
	if (!a || !b || a->type != b->type)
		return false;

	switch (a->type) {
	case KSQL_NULL:
		return true;
	case KSQL_INT:
		return a->i == b->i;
	case KSQL_REAL:
		return a->real == b->real;
	case KSQL_TEXT:
		return a->len == b->len &&
		       (!a->len || !memcmp(a->text, b->text, a->len));
	case KSQL_BLOB:
		return a->len == b->len &&
		       (!a->len || !memcmp(a->blob, b->blob, a->len));
	}
	return false;
}

/**
 * ksql_test_dump_result() - print a result as text
 * @buf: output buffer
 * @size: size of @buf
 * @res: the result, or NULL
 * @max_rows: print at most this many rows
 *
 * The format is line-based: "key=value" lines for the scalars, then
 * "col N: NAME" and "row R: V|V|..." lines.
 *
 * Return: the number of characters written.
 */
size_t ksql_test_dump_result(char *buf, size_t size,
			     const struct ksql_result *res,
			     unsigned int max_rows)
{
	unsigned int rows, cols, r, c;
	const char *msg;
	size_t n = 0;

	if (!res)
		return scnprintf(buf, size, "result=none\n");

	rows = ksql_result_rows(res);
	cols = ksql_result_cols(res);
	msg = ksql_result_errmsg(res);
	n += scnprintf(buf + n, size - n,
		       "errcode=%d\nerrmsg=%s\nchanges=%llu\nlast_rowid=%lld\nrows=%u\ncols=%u\n",
		       ksql_result_errcode(res), msg ? msg : "",
		       ksql_result_changes(res), ksql_result_last_rowid(res),
		       rows, cols);
	for (c = 0; c < cols; c++) {
		const char *name = ksql_result_colname(res, c);

		n += scnprintf(buf + n, size - n, "col %u: %s\n", c,
			       name ? name : "(null)");
	}
	for (r = 0; r < rows && r < max_rows; r++) {
		n += scnprintf(buf + n, size - n, "row %u: ", r);
		for (c = 0; c < cols; c++) {
			if (c)
				n += scnprintf(buf + n, size - n, "|");
			n += ksql_test_fmt_value(buf + n, size - n,
						 ksql_result_value(res, r, c));
		}
		n += scnprintf(buf + n, size - n, "\n");
	}
	if (rows > max_rows)
		n += scnprintf(buf + n, size - n, "(%u more rows)\n",
			       rows - max_rows);
	return n;
}

/**
 * ksql_test_exec() - ksql_exec() or ksql_exec_timeout()
 * @sql: the statement
 * @args: bound parameters
 * @nargs: number of @args
 * @res: where the result goes, or NULL
 * @timeout_ms: 0 for ksql_exec() (the module's default timeout), else the
 *              timeout given to ksql_exec_timeout()
 *
 * Return: what the ksql call returned.
 */
int ksql_test_exec(const char *sql, const struct ksql_value *args,
		   unsigned int nargs, struct ksql_result **res,
		   unsigned int timeout_ms)
{
	if (!timeout_ms)
		return ksql_exec(sql, args, nargs, res);
	return ksql_exec_timeout(sql, args, nargs, res,
				 msecs_to_jiffies(timeout_ms));
}
