// SPDX-License-Identifier: GPL-2.0-only
/* check_exec.c - the executor's helpers: errno map, tail check, statement cache. */
#define _GNU_SOURCE /* setresuid */
#include <errno.h>
#include <grp.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdio.h>
#include <sqlite3.h>
#include "errmap.h"
#include "exec.h"
#include "sql_guard.h"
#include "sql_tail.h"
#include "stmt_cache.h"
#include "testutil.h"

START_TEST(errno_from_sqlite)
{
	static const struct { int code, err; } map[] = {
		{ SQLITE_OK, 0 }, { SQLITE_ERROR, EINVAL }, { SQLITE_MISMATCH, EINVAL },
		{ SQLITE_RANGE, EINVAL }, { SQLITE_CONSTRAINT, EINVAL },
		{ SQLITE_CONSTRAINT_UNIQUE, EINVAL }, { SQLITE_BUSY, EBUSY },
		{ SQLITE_LOCKED, EBUSY }, { SQLITE_BUSY_SNAPSHOT, EBUSY },
		{ SQLITE_FULL, ENOSPC }, { SQLITE_READONLY, EROFS }, { SQLITE_PERM, EPERM },
		{ SQLITE_AUTH, EPERM }, { SQLITE_NOMEM, ENOMEM }, { SQLITE_TOOBIG, E2BIG },
		{ SQLITE_INTERRUPT, EINTR }, { SQLITE_IOERR, EIO }, { SQLITE_CORRUPT, EIO },
		{ SQLITE_CANTOPEN, EIO },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		ck_assert_int_eq(ksqld_errno_from_sqlite(map[i].code), map[i].err);
}
END_TEST

START_TEST(sql_tail_is_empty)
{
	ck_assert(ksqld_sql_tail_is_empty(""));
	ck_assert(ksqld_sql_tail_is_empty(NULL));
	ck_assert(ksqld_sql_tail_is_empty(" ;\n\t;; "));
	ck_assert(ksqld_sql_tail_is_empty("; -- done\n"));
	ck_assert(ksqld_sql_tail_is_empty("-- no newline"));
	ck_assert(ksqld_sql_tail_is_empty("/* a */ ; /* b"));
	ck_assert(!ksqld_sql_tail_is_empty("; SELECT 2"));
	ck_assert(!ksqld_sql_tail_is_empty("/* x */ DROP TABLE t"));
	ck_assert(!ksqld_sql_tail_is_empty("-- c\nx"));
	ck_assert(!ksqld_sql_tail_is_empty("- 1"));
}
END_TEST

START_TEST(stmt_cache_lru)
{
	struct ksqld_stmt_cache c;
	sqlite3_stmt *first = NULL, *s;
	sqlite3 *db;
	char sql[64];
	int i;

	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	ksqld_stmt_cache_init(&c);
	for (i = 0; i < KSQLD_STMT_CACHE_SIZE + 1; i++) {
		snprintf(sql, sizeof(sql), "SELECT %d", i);
		ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
		ksqld_stmt_cache_put(&c, sql, s);
		if (i == 0)
			first = s;
		/* Keep "SELECT 0" hot so "SELECT 1" is the one evicted. */
		ck_assert_ptr_eq(ksqld_stmt_cache_get(&c, "SELECT 0"), first);
	}
	ck_assert_uint_eq(c.n, KSQLD_STMT_CACHE_SIZE);
	ck_assert_ptr_null(ksqld_stmt_cache_get(&c, "SELECT 1"));
	ck_assert_ptr_nonnull(ksqld_stmt_cache_get(&c, "SELECT 2"));
	snprintf(sql, sizeof(sql), "SELECT %d", KSQLD_STMT_CACHE_SIZE);
	ck_assert_ptr_nonnull(ksqld_stmt_cache_get(&c, sql));
	ksqld_stmt_cache_clear(&c);
	ck_assert_uint_eq(c.n, 0);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);	/* every statement was finalized */
}
END_TEST

START_TEST(exec_open_fails)
{
	struct ksqld_exec *e = NULL;
	char err[256] = "";

	ck_assert_int_lt(ksqld_exec_open("/nonexistent-dir/x.db", false, &e, err, sizeof(err)), 0);
	ck_assert_ptr_null(e);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent-dir/x.db"));
}
END_TEST

/*
 * Issue 12 item 11: SQLite opens a file it may not write read-only without
 * a word, and ksqld then "served" with every write failing. The writer's
 * open now fails with EROFS and a sentence naming the file and the reason.
 * Run as uid 65534 (root writes anything) on a file owned by root, 0644.
 */
START_TEST(exec_open_refuses_readonly)
{
	char dir[] = "/tmp/check_exec.XXXXXX", path[300], cmd[340];
	int status;
	sqlite3 *db;
	pid_t pid;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* ksqld may make the -wal and -shm files, just not write the database. */
	ck_assert_int_eq(chmod(dir, 0777), 0);
	snprintf(path, sizeof(path), "%s/ro.db", dir);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE t (n)", NULL, NULL,
				      NULL), SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(chmod(path, geteuid() == 0 ? 0644 : 0444), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct ksqld_exec *e = NULL;
		char err[512] = "";
		int ret;

		if (geteuid() == 0 &&
		    (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
		     setresuid(65534, 65534, 65534) < 0))
			_exit(10);
		ret = ksqld_exec_open(path, false, &e, err, sizeof(err));
		if (ret == 0)
			_exit(11);	/* opened "read-write", silently read-only */
		if (ret != -EROFS || !strstr(err, path) || !strstr(err, "read-only") ||
		    !strstr(err, "may not write the file")) {
			fprintf(stderr, "ret %d: %s\n", ret, err);
			_exit(12);
		}
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* PRAGMA synchronous of a writer opened in dir: 1 NORMAL, 2 FULL. */
static int64_t writer_synchronous(const char *dir)
{
	struct ksqld_exec *e = NULL;
	struct ksqld_rows rows;
	char path[300], err[256] = "";
	int64_t v;

	snprintf(path, sizeof(path), "%s/sync.db", dir);
	ck_assert_int_eq(ksqld_exec_open(path, false, &e, err, sizeof(err)), 0);
	ksqld_rows_init(&rows);
	ck_assert_int_eq(ksqld_exec_run(e, "PRAGMA synchronous", NULL, 0, &rows), 0);
	ck_assert_int_eq(rows.st.err, 0);
	ck_assert_uint_eq(rows.nrows, 1);
	v = rows.vals[0].i;
	ksqld_rows_release(&rows);
	ksqld_exec_close(e);
	return v;
}

/*
 * --synchronous: FULL by default (an acked log row survives power loss),
 * NORMAL on request (only a daemon crash loses nothing).
 */
START_TEST(exec_synchronous)
{
	char dir[] = "/tmp/check_exec.XXXXXX", path[300];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(writer_synchronous(dir), 2);
	ksqld_exec_set_synchronous_full(false);
	ck_assert_int_eq(writer_synchronous(dir), 1);
	ksqld_exec_set_synchronous_full(true);
	ck_assert_int_eq(writer_synchronous(dir), 2);
	snprintf(path, sizeof(path), "%s/sync.db", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sync.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sync.db-shm", dir);
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

static int64_t synchronous_of(struct ksqld_exec *e)
{
	struct ksqld_rows rows;
	int64_t v;

	ksqld_rows_init(&rows);
	ck_assert_int_eq(ksqld_exec_run(e, "PRAGMA synchronous", NULL, 0, &rows), 0);
	ck_assert_int_eq(rows.st.err, 0);
	v = rows.vals[0].i;
	ksqld_rows_release(&rows);
	return v;
}

static void run_ok(struct ksqld_exec *e, const char *sql)
{
	struct ksqld_rows rows;

	ksqld_rows_init(&rows);
	ck_assert_int_eq(ksqld_exec_run(e, sql, NULL, 0, &rows), 0);
	ck_assert_msg(rows.st.err == 0, "%s failed", sql);
	ksqld_rows_release(&rows);
}

/*
 * A reload's synchronous: an open writer switches at its next
 * ksqld_exec_apply_synchronous(), not inside a transaction (SQLite refuses
 * that), and a reader is left alone.
 */
START_TEST(exec_apply_synchronous)
{
	char dir[] = "/tmp/check_exec.XXXXXX", path[300], cmd[340];
	struct ksqld_exec *w = NULL, *r = NULL;
	char err[256] = "";
	int64_t rsync;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/apply.db", dir);
	ksqld_exec_set_synchronous_full(false);
	ck_assert_int_eq(ksqld_exec_open(path, false, &w, err, sizeof(err)), 0);
	ck_assert_int_eq(ksqld_exec_open(path, true, &r, err, sizeof(err)), 0);
	ck_assert_int_eq(synchronous_of(w), 1);
	ksqld_exec_set_synchronous_full(true);
	ck_assert_int_eq(synchronous_of(w), 1);	/* not before it applies it */
	run_ok(w, "BEGIN");
	ksqld_exec_apply_synchronous(w);
	ck_assert_int_eq(synchronous_of(w), 1);	/* deferred inside a transaction */
	run_ok(w, "COMMIT");
	ksqld_exec_apply_synchronous(w);
	ck_assert_int_eq(synchronous_of(w), 2);
	rsync = synchronous_of(r);
	ksqld_exec_apply_synchronous(r);
	ck_assert_int_eq(synchronous_of(r), rsync);	/* a reader is left alone */
	ksqld_exec_set_synchronous_full(false);
	ksqld_exec_apply_synchronous(w);
	ck_assert_int_eq(synchronous_of(w), 1);
	ksqld_exec_close(r);
	ksqld_exec_close(w);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* The reader's guard (issue 12 item 2): what reports passes, what sets is denied. */
START_TEST(sql_guard_pragmas)
{
	char dir[] = "/tmp/check_exec.XXXXXX", path[300], cmd[340];
	static const char *const denied[] = {
		"PRAGMA synchronous=OFF", "PRAGMA query_only=0", "PRAGMA foreign_keys=OFF",
		"PRAGMA ignore_check_constraints=1", "PRAGMA writable_schema=1",
		"PRAGMA user_version=3", "PRAGMA cache_size=-100000", "PRAGMA temp_store_directory='/tmp'",
		"ATTACH 'x.db' AS x", "DETACH main", "EXPLAIN PRAGMA foreign_keys=OFF",
	};
	struct ksqld_exec *w = NULL, *r = NULL;
	struct ksqld_rows rows;
	char err[256] = "";
	size_t i;

	ck_assert(ksqld_sql_guard_pragma_allowed("table_info", "t"));
	ck_assert(ksqld_sql_guard_pragma_allowed("TABLE_INFO", "t"));
	ck_assert(ksqld_sql_guard_pragma_allowed("user_version", NULL));
	ck_assert(!ksqld_sql_guard_pragma_allowed("user_version", "5"));
	ck_assert(!ksqld_sql_guard_pragma_allowed("foreign_keys", NULL));
	ck_assert(!ksqld_sql_guard_pragma_allowed(NULL, NULL));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/guard.db", dir);
	ck_assert_int_eq(ksqld_exec_open(path, false, &w, err, sizeof(err)), 0);
	run_ok(w, "CREATE TABLE t (n)");
	ck_assert_int_eq(ksqld_exec_open(path, true, &r, err, sizeof(err)), 0);
	for (i = 0; i < ARRAY_LEN(denied); i++) {
		ksqld_rows_init(&rows);
		ck_assert_int_eq(ksqld_exec_run(r, denied[i], NULL, 0, &rows), 0);
		ck_assert_msg(rows.st.err == EPERM, "%s: errno %u (%s)", denied[i], rows.st.err,
			      rows.errmsg);
		ksqld_rows_release(&rows);
	}
	run_ok(r, "PRAGMA table_info(t)");
	run_ok(r, "PRAGMA integrity_check");
	run_ok(r, "SELECT * FROM t");
	/* query_only: even a write SQLite would let through is refused at run time. */
	ksqld_rows_init(&rows);
	ck_assert_int_eq(ksqld_exec_run(r, "INSERT INTO t VALUES (1)", NULL, 0, &rows), 0);
	ck_assert_uint_ne(rows.st.err, 0);
	ksqld_rows_release(&rows);
	ksqld_exec_close(r);
	ksqld_exec_close(w);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/*
 * ksqld's shutdown halts a worker's connection. sqlite3_interrupt() alone
 * is a no-op while no statement steps, so a job taken just before the
 * shutdown ran on (an endless one forever: ksqld never exited). A halted
 * connection stops any run at its first progress check.
 */
START_TEST(exec_halt_before_run)
{
	char dir[] = "/tmp/check_exec.XXXXXX", path[300], cmd[340];
	struct ksqld_exec *e = NULL;
	struct ksqld_rows rows;
	char err[256] = "";

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/halt.db", dir);
	ck_assert_int_eq(ksqld_exec_open(path, false, &e, err, sizeof(err)), 0);
	ksqld_exec_set_limits(e, 0, 0, NULL);
	ksqld_exec_halt(e);
	ksqld_rows_init(&rows);
	ck_assert_int_eq(ksqld_exec_run(e, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
					   "SELECT x + 1 FROM c) SELECT count(*) FROM c",
					NULL, 0, &rows), 0);
	ck_assert_int_eq(rows.st.sqlite_code & 0xff, SQLITE_INTERRUPT);
	ck_assert_uint_ne(rows.st.err, 0);
	ksqld_rows_release(&rows);
	ksqld_exec_close(e);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
	const struct test_case cases[] = {
		{ "ksqld_errno_from_sqlite", errno_from_sqlite },
		{ "ksqld_sql_tail_is_empty", sql_tail_is_empty },
		{ "ksqld_stmt_cache", stmt_cache_lru },
		{ "ksqld_exec_open", exec_open_fails },
		{ "ksqld_exec_open refuses a read-only database", exec_open_refuses_readonly },
		{ "ksqld_exec_synchronous", exec_synchronous },
		{ "ksqld_exec_apply_synchronous", exec_apply_synchronous },
		{ "ksqld_sql_guard", sql_guard_pragmas },
		{ "ksqld_exec_halt before a run", exec_halt_before_run },
	};
	Suite *s = suite_create("exec");

	add_cases(s, cases, ARRAY_LEN(cases), NULL, NULL);
	return run_suite(s);
}
