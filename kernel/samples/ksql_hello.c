// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_hello.c - a first user of ksql: keep a small table from kernel code.
 *
 * On load this module
 *   1. creates the table ksql_hello (CREATE TABLE IF NOT EXISTS),
 *   2. empties it, so every load prints the same rows,
 *   3. inserts three rows whose columns hold each SQL type (INTEGER, REAL,
 *      TEXT, BLOB and NULL), passed as bound parameters ?1..?5,
 *   4. reads them back and prints them with pr_info().
 *
 * Every call goes to the ksqld daemon and sleeps until it answers, so this
 * runs in process context (module init) and the daemon must be connected:
 * without it ksql_exec() fails at once with -ENOTCONN and so does the load.
 *
 * Things worth noticing:
 *   - SQL text never contains data: values travel as parameters, typed.
 *   - REAL values are IEEE-754 bit patterns; the kernel does no floating
 *     point. The daemon and ksqlctl show them as ordinary numbers.
 *   - TEXT and BLOB carry a length; blobs may hold zero bytes.
 *   - On an SQL error ksql_exec() returns a negative errno and the result
 *     still carries SQLite's error code and message.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/utsname.h>

#include <ksql.h>

/* IEEE-754 binary64 bit patterns of the REAL values stored below */
#define REAL_PI		0x400921fb54442d18ULL	/* 3.141592653589793 */
#define REAL_ONE_HALF	0x3fe0000000000000ULL	/* 0.5 */
#define REAL_NEG_E	0xc005bf0a8b145769ULL	/* -2.718281828459045 */

static const u8 blob_magic[] = { 0x6b, 0x73, 0x71, 0x6c, 0x00, 0xff };
static const u8 blob_zeros[] = { 0x00, 0x00, 0x00 };

/* The statements; SQL text never contains data, values are bound to ?N. */
static const char sql_create[] =
	"CREATE TABLE IF NOT EXISTS ksql_hello (\n"
	"  id INTEGER PRIMARY KEY, name TEXT, count INTEGER,\n"
	"  ratio REAL, data BLOB, note TEXT)";
static const char sql_insert[] =
	"INSERT INTO ksql_hello (name, count, ratio, data, note)\n"
	"  VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_select[] =
	"SELECT id, name, count, ratio, data, note FROM ksql_hello ORDER BY id";

/**
 * hello_exec() - run one statement and explain any failure
 * @what: what the statement does, for messages
 * @sql: the statement, with ?1..?N for @args
 * @args: bound parameters
 * @nargs: number of @args
 * @res: where the result goes (the caller frees it), or NULL
 *
 * A thin wrapper of ksql_exec() that prints why a statement failed: no
 * daemon, a timeout, or SQLite's own error code and message.
 *
 * Return: 0, or the negative errno of ksql_exec().
 */
static int hello_exec(const char *what, const char *sql,
		      const struct ksql_value *args, unsigned int nargs,
		      struct ksql_result **res)
{
	struct ksql_result *r = NULL;
	int err;

	err = ksql_exec(sql, args, nargs, &r);
	if (err == -ENOTCONN)
		pr_err("no ksqld daemon is connected (start: ksqld --db FILE)\n");
	else if (err == -ETIMEDOUT)
		pr_err("%s: the daemon did not answer in time\n", what);
	else if (err && r && ksql_result_errcode(r))
		pr_err("%s: SQLite error %d: %s (errno %d)\n", what,
		       ksql_result_errcode(r), ksql_result_errmsg(r), err);
	else if (err)
		pr_err("%s: failed with errno %d\n", what, err);

	if (err || !res) {
		ksql_result_free(r);	/* NULL is fine */
		return err;
	}
	*res = r;
	return 0;
}

/**
 * hello_insert() - add one row, every column a bound parameter
 * @name: TEXT, UTF-8
 * @count: INTEGER
 * @ratio: REAL, as IEEE-754 bits
 * @data: BLOB bytes
 * @len: length of @data
 * @note: TEXT, or NULL to store SQL NULL
 *
 * Return: 0, or a negative errno.
 */
static int hello_insert(const char *name, s64 count, u64 ratio,
			const void *data, u32 len, const char *note)
{
	struct ksql_value args[] = {
		KSQL_VTEXT(name),
		KSQL_VINT(count),
		KSQL_VREAL_BITS(ratio),
		KSQL_VBLOB(data, len),
		note ? KSQL_VTEXT(note) : KSQL_VNULL,
	};
	struct ksql_result *res;
	int err;

	err = hello_exec("insert", sql_insert, args, ARRAY_SIZE(args), &res);
	if (err)
		return err;
	pr_info("inserted row %lld (%llu change)\n",
		ksql_result_last_rowid(res), ksql_result_changes(res));
	ksql_result_free(res);
	return 0;
}

/**
 * hello_format() - one cell as text for pr_info()
 * @buf: output buffer
 * @size: size of @buf
 * @v: the cell
 *
 * Return: @buf.
 */
static const char *hello_format(char *buf, size_t size,
				const struct ksql_value *v)
{
	switch (v->type) {
	case KSQL_NULL:
		snprintf(buf, size, "NULL");
		break;
	case KSQL_INT:
		snprintf(buf, size, "%lld", v->i);
		break;
	case KSQL_REAL:
		snprintf(buf, size, "real:%#018llx", v->real);
		break;
	case KSQL_TEXT:
		snprintf(buf, size, "'%.*s'", (int)v->len, v->text);
		break;
	case KSQL_BLOB:
		snprintf(buf, size, "x'%*phN'", (int)min(v->len, 32U), v->blob);
		break;
	default:
		snprintf(buf, size, "?");
	}
	return buf;
}

/**
 * hello_show() - read the table back and print each row
 *
 * Return: 0, or a negative errno.
 */
static int hello_show(void)
{
	struct ksql_result *res;
	unsigned int row, col;
	char line[256], cell[80];
	size_t n;
	int err;

	err = hello_exec("select", sql_select, NULL, 0, &res);
	if (err)
		return err;

	n = 0;
	for (col = 0; col < ksql_result_cols(res); col++)
		n += scnprintf(line + n, sizeof(line) - n, "%s%s",
			       col ? " | " : "", ksql_result_colname(res, col));
	pr_info("%u rows: %s\n", ksql_result_rows(res), line);

	for (row = 0; row < ksql_result_rows(res); row++) {
		n = 0;
		for (col = 0; col < ksql_result_cols(res); col++)
			n += scnprintf(line + n, sizeof(line) - n, "%s%s",
				       col ? " | " : "",
				       hello_format(cell, sizeof(cell),
						    ksql_result_value(res, row, col)));
		pr_info("  %s\n", line);
	}
	ksql_result_free(res);
	return 0;
}

static int __init ksql_hello_init(void)
{
	int err;

	err = hello_exec("create table", sql_create, NULL, 0, NULL);
	if (!err)
		err = hello_exec("empty table", "DELETE FROM ksql_hello", NULL,
				 0, NULL);
	if (!err)
		err = hello_insert("hello", 1, REAL_ONE_HALF, blob_magic,
				   sizeof(blob_magic), init_utsname()->release);
	if (!err)
		err = hello_insert("gr\xc3\xbc\xc3\x9f dich, w\xc3\xb6rld", S64_MAX,
				   REAL_PI, blob_zeros, sizeof(blob_zeros),
				   "UTF-8 text and the largest INTEGER");
	if (!err)
		err = hello_insert("minus", S64_MIN, REAL_NEG_E, blob_magic, 4,
				   NULL);
	if (!err)
		err = hello_show();
	if (err) {
		pr_err("not loaded: errno %d\n", err);
		return err;
	}
	pr_info("done: try  ksqlctl query 'SELECT * FROM ksql_hello'\n");
	return 0;
}

static void __exit ksql_hello_exit(void)
{
	pr_info("unloaded (the table stays in the database)\n");
}

module_init(ksql_hello_init);
module_exit(ksql_hello_exit);

MODULE_DESCRIPTION("ksql sample: create, fill and read a table from kernel code");
MODULE_AUTHOR("ksql developers");
MODULE_LICENSE("GPL");
