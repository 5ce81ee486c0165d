// SPDX-License-Identifier: GPL-2.0-only
/* sql_guard.c - the authorizer and limits of read-only connections. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "errmap.h"
#include "sql_guard.h"

/*
 * PRAGMAs that only report. Those in with_arg take a table, an index or a
 * limit as argument and still only report; the others set a value when given
 * one (PRAGMA user_version = 5), so they are allowed bare only.
 * database_list is allowed: ATTACH is denied, so it shows the main database
 * (and temp), whose path the control socket's STATS answer gives anyway.
 */
static const char *const bare[] = {
	"application_id", "auto_vacuum", "collation_list", "compile_options",
	"data_version", "database_list", "encoding", "freelist_count",
	"function_list", "journal_mode", "module_list", "page_count",
	"page_size", "pragma_list", "schema_version", "synchronous", "user_version", NULL
};
static const char *const with_arg[] = {
	"foreign_key_check", "foreign_key_list", "index_info", "index_list",
	"index_xinfo", "integrity_check", "quick_check", "table_info",
	"table_list", "table_xinfo", NULL
};

static bool listed(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (strcasecmp(*list, name) == 0)
			return true;
	return false;
}

bool ksqld_sql_guard_pragma_allowed(const char *name, const char *arg)
{
	if (!name)
		return false;
	if (listed(with_arg, name))
		return true;
	return !arg && listed(bare, name);
}

static int authorize(void *ctx, int action, const char *a1, const char *a2,
		     const char *db, const char *trigger)
{
	(void)ctx;
	(void)db;
	(void)trigger;
	switch (action) {
	case SQLITE_ATTACH:
	case SQLITE_DETACH:
		return SQLITE_DENY;
	case SQLITE_PRAGMA:
		return ksqld_sql_guard_pragma_allowed(a1, a2) ? SQLITE_OK : SQLITE_DENY;
	default:
		return SQLITE_OK;
	}
}

int ksqld_sql_guard(sqlite3 *db, char *err, size_t errlen)
{
	char *msg = NULL;
	int rc;

	/* Before the authorizer, which would deny this PRAGMA too. */
	rc = sqlite3_exec(db, "PRAGMA query_only=1", NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot make a reader query-only: %s",
			 msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return -ksqld_errno_from_sqlite(rc);
	}
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	rc = sqlite3_set_authorizer(db, authorize, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot install a reader's authorizer: %s", sqlite3_errstr(rc));
		return -ksqld_errno_from_sqlite(rc);
	}
	return 0;
}
