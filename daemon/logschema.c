// SPDX-License-Identifier: GPL-2.0-only
/* logschema.c - create or compare the tables that kernel code logs to. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "errmap.h"
#include "log.h"
#include "logmsg.h"
#include "logschema.h"

/* The columns ksqld puts in front of the user's, as the contract names them. */
static const char *const own_cols[] = { "ksql_producer", "ksql_seq", "ksql_time" };
#define NOWN 3

static int sql_fail(sqlite3 *db, int rc, char *err, size_t errlen, int *code, const char *what)
{
	*code = sqlite3_extended_errcode(db);
	if ((*code & 0xff) != (rc & 0xff))
		*code = rc;
	snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(db));
	return -ksqld_errno_from_sqlite(rc);
}

int ksqld_logschema_base(sqlite3 *db, char *err, size_t errlen, int *code)
{
	/* tbl keeps the name as the kernel spelled it; epoch is the u64's bits. */
	static const char sql[] =
		"CREATE TABLE IF NOT EXISTS ksql_producers (id INTEGER PRIMARY KEY, tbl TEXT, epoch INTEGER, last_seq INTEGER, first_seen INTEGER, UNIQUE(tbl, epoch));"
		"CREATE TABLE IF NOT EXISTS ksql_gaps (tbl TEXT, producer INTEGER, first_seq INTEGER, last_seq INTEGER, count INTEGER, reason TEXT, time INTEGER);";
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	*code = 0;
	if (rc != SQLITE_OK)
		return sql_fail(db, rc, err, errlen, code, "cannot create ksql_producers and ksql_gaps");
	return 0;
}

/*
 * The CREATE TABLE of a logged table, sqlite3_free()d by the caller. Every
 * identifier is quoted ("...", an embedded quote doubled by %w), so
 * columns named order or from work. STRICT: a value keeps the type the
 * kernel gave it. Without it an ANY column has NUMERIC affinity and TEXT
 * "007" is stored as INTEGER 7, "1e3" as 1000 (docs/LOGGING.md promises
 * otherwise). The types were checked by ksqld_log_parse_columns() and are
 * all valid in a STRICT table.
 */
static char *create_sql(const char *name, const struct ksqld_log_col *cols, unsigned int n)
{
	sqlite3_str *s = sqlite3_str_new(NULL);
	unsigned int i;

	sqlite3_str_appendf(s, "CREATE TABLE \"%w\" (\"%w\" INTEGER NOT NULL, \"%w\" INTEGER NOT NULL, \"%w\" INTEGER NOT NULL",
			    name, own_cols[0], own_cols[1], own_cols[2]);
	for (i = 0; i < n; i++)
		sqlite3_str_appendf(s, ", \"%.*w\" %.*s", cols[i].namelen, cols[i].name,
				    cols[i].typelen, cols[i].type);
	sqlite3_str_appendall(s, ") STRICT");
	return sqlite3_str_finish(s);
}

static int create(sqlite3 *db, const char *name, const struct ksqld_log_col *cols, unsigned int n,
		  char *err, size_t errlen, int *code)
{
	char *sql = create_sql(name, cols, n);
	int rc;

	if (!sql) {
		snprintf(err, errlen, "out of memory");
		*code = SQLITE_NOMEM;
		return -ENOMEM;
	}
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return sql_fail(db, rc, err, errlen, code, "cannot create the table");
	return 0;
}

static bool same(const char *s, const char *t, int tlen)
{
	return (int)strlen(s) == tlen && strncasecmp(s, t, (size_t)tlen) == 0;
}

static int differ(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int differ(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EEXIST;
}

/* Column i (0-based, all columns) of the existing table against the request. */
static int compare_one(const char *name, unsigned int i, const char *dbname, const char *dbtype,
		       const struct ksqld_log_col *cols, unsigned int n, char *err, size_t errlen)
{
	const struct ksqld_log_col *c;
	unsigned int u;

	if (i < NOWN) {
		if (dbname && strcasecmp(dbname, own_cols[i]) == 0 && strcasecmp(dbtype, "INTEGER") == 0)
			return 0;
		if (!dbname)
			return differ(err, errlen,
				      "table %s exists but was not created by ksql: it has %u column%s, ksql's tables start with ksql_producer, ksql_seq and ksql_time",
				      name, i, i == 1 ? "" : "s");
		return differ(err, errlen,
			      "table %s exists but was not created by ksql: its column %u is '%s %s', expected '%s INTEGER'",
			      name, i + 1, dbname, dbtype, own_cols[i]);
	}
	u = i - NOWN;	/* numbered as in the user's column list, from 1 */
	c = u < n ? &cols[u] : NULL;
	if (dbname && c && same(dbname, c->name, c->namelen) && same(dbtype, c->type, c->typelen))
		return 0;
	if (dbname && c)
		return differ(err, errlen,
			      "table %s exists with different columns: column %u is '%s %s' in the database, '%.*s %.*s' requested",
			      name, u + 1, dbname, dbtype, c->namelen, c->name, c->typelen, c->type);
	if (dbname)
		return differ(err, errlen,
			      "table %s exists with different columns: column %u is '%s %s' in the database, not requested",
			      name, u + 1, dbname, dbtype);
	return differ(err, errlen,
		      "table %s exists with different columns: column %u is missing in the database, '%.*s %.*s' requested",
		      name, u + 1, c->namelen, c->name, c->typelen, c->type);
}

/* 0 same, 1 missing (no columns), -EEXIST different, other -errno SQLite. */
static int compare(sqlite3 *db, const char *name, const struct ksqld_log_col *cols, unsigned int n,
		   char *err, size_t errlen, int *code)
{
	sqlite3_stmt *st = NULL;
	unsigned int i = 0;
	int rc, ret = 0;

	rc = sqlite3_prepare_v2(db, "SELECT name, type FROM pragma_table_info(?1) ORDER BY cid",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(db, rc, err, errlen, code, "cannot read the table's columns");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cn = (const char *)sqlite3_column_text(st, 0);
		const char *ct = (const char *)sqlite3_column_text(st, 1);

		ret = compare_one(name, i++, cn ? cn : "", ct ? ct : "", cols, n, err, errlen);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = sql_fail(db, rc, err, errlen, code, "cannot read the table's columns");
	sqlite3_finalize(st);
	if (ret < 0)
		return ret;
	if (i == 0)
		return 1;
	if (i < NOWN + n)
		return compare_one(name, i, NULL, NULL, cols, n, err, errlen);
	return 0;
}

/*
 * A table created by ksqld before its tables were STRICT is used as it is
 * (its columns match), but its ANY columns still convert text that looks
 * like a number: say so once per TABLE_OPEN (docs/LOGGING.md).
 */
static void warn_not_strict(sqlite3 *db, const char *name, const struct ksqld_log_col *cols,
			    unsigned int n)
{
	sqlite3_stmt *st = NULL;
	unsigned int i;
	bool any = false;
	int strict = -1;

	for (i = 0; i < n; i++)
		any |= same("ANY", cols[i].type, cols[i].typelen);
	if (!any)
		return;
	if (sqlite3_prepare_v2(db, "SELECT strict FROM pragma_table_list WHERE schema = 'main' AND name = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		strict = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (strict == 0)
		log_warn("table %s was created by an older ksqld, without STRICT: its ANY columns store text that looks like a number as a number (\"007\" as 7); recreate it to keep values exactly (docs/LOGGING.md)",
			 name);
}

int ksqld_logschema_table(sqlite3 *db, const char *name, const char *columns,
			  char *err, size_t errlen, int *code)
{
	struct ksqld_log_col cols[KSQL_TABLE_COLS_MAX];
	unsigned int n;
	int ret;

	*code = 0;
	ret = ksqld_log_check_table(name, err, errlen);
	if (ret == 0)
		ret = ksqld_log_parse_columns(columns, cols, &n, err, errlen);
	if (ret < 0)
		return ret;
	ret = compare(db, name, cols, n, err, errlen, code);
	if (ret == 1)
		ret = create(db, name, cols, n, err, errlen, code);
	else if (ret == 0)
		warn_not_strict(db, name, cols, n);
	return ret;
}
