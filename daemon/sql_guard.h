/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sql_guard.h - what a read-only connection (a reader) may do. Readers run
 * the control socket's statements, which come from users of the control
 * group, not from the kernel: beyond reading, they must change nothing in
 * the database, the files next to it or the connection itself.
 */
#ifndef KSQLD_SQL_GUARD_H
#define KSQLD_SQL_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <sqlite3.h>

/*
 * Locks db down: PRAGMA query_only=1, no attached databases
 * (SQLITE_LIMIT_ATTACHED 0), and an authorizer that denies ATTACH, DETACH
 * and every PRAGMA not on ksqld_sql_guard_pragma_allowed()'s list. SQLite
 * runs many PRAGMAs while it prepares them, so the denial has to come from
 * the authorizer: checking sqlite3_stmt_readonly() after prepare is too
 * late. 0, or -errno with a sentence in err.
 */
int ksqld_sql_guard(sqlite3 *db, char *err, size_t errlen);
/*
 * May PRAGMA name run on a locked-down connection? arg is its argument
 * (PRAGMA name(arg) or name=arg; NULL for none): the allowed PRAGMAs only
 * report; those that would set something with an argument are allowed only
 * without it.
 */
bool ksqld_sql_guard_pragma_allowed(const char *name, const char *arg);

#endif
