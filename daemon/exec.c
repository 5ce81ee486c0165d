// SPDX-License-Identifier: GPL-2.0-only
/* exec.c - run one SQL statement on SQLite and collect its typed result. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/statvfs.h>
#include "job.h"
#include <sqlite3.h>
#include "errmap.h"
#include "exec.h"
#include "log.h"
#include "logsink.h"
#include "sql_guard.h"
#include "sql_tail.h"
#include "stmt_cache.h"

#define BUSY_TIMEOUT_MS 5000

struct ksqld_exec {
	sqlite3 *db;
	bool readonly;
	struct ksqld_stmt_cache cache;
	uint32_t timeout_ms;
	uint64_t deadline_ns;		/* absolute; 0 = from timeout_ms at start */
	const atomic_bool *cancel;	/* the running job's flag, or NULL */
	uint64_t stop_at_ns;		/* this run's limit, 0 = none */
	bool timed_out, cancelled;
	atomic_bool halted;		/* ksqld_exec_halt(): every run stops */
	struct ksqld_logsink *log;	/* writer: the LOG sink, made on first use */
	bool sync_full;			/* writer: PRAGMA synchronous FULL in force */
	bool sync_tried;		/* writer: the level last tried (failures log once) */
};

/*
 * The PRAGMA synchronous writers should run with. The main thread sets it
 * (start-up, reload); each writer applies it on its own thread, because a
 * connection is only ever used by the thread that owns it. FULL unless told
 * otherwise, like ksqld_config_defaults(): a LOG_ACK is sent after COMMIT
 * returned, so under FULL the acked rows are already on the disk.
 */
static atomic_bool sync_full = true;

void ksqld_exec_set_synchronous_full(bool full)
{
	atomic_store(&sync_full, full);
}

/* How many SQLite VM steps between two looks at the clock. */
#define PROGRESS_STEPS 10000

static int pragma(sqlite3 *db, const char *sql, char *err, size_t errlen, const char *path)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot set up the database %s (%s): %s", path, sql,
			 msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return -ksqld_errno_from_sqlite(rc);
	}
	return 0;
}

/* Why SQLite opened path read-only, as a sentence in err. */
static void readonly_reason(const char *path, char *err, size_t errlen)
{
	struct statvfs sv;
	char why[160];

	if (access(path, W_OK) < 0)
		snprintf(why, sizeof(why), "ksqld (uid %u) may not write the file: %s",
			 (unsigned int)geteuid(), strerror(errno));
	else if (statvfs(path, &sv) == 0 && (sv.f_flag & ST_RDONLY))
		snprintf(why, sizeof(why), "its filesystem is mounted read-only");
	else
		snprintf(why, sizeof(why), "SQLite could not open it for writing");
	snprintf(err, errlen,
		 "the database %s can only be opened read-only (%s); ksqld must write it: fix its owner, mode or mount, or choose another --db",
		 path, why);
}

int ksqld_exec_open(const char *path, bool readonly, struct ksqld_exec **out,
		    char *err, size_t errlen)
{
	int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	struct ksqld_exec *e = calloc(1, sizeof(*e));
	int rc, ret;

	if (!e) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	/* Each connection is used by one worker thread at a time: no mutexes. */
	rc = sqlite3_open_v2(path, &e->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open the database %s%s: %s; check the path and its permissions",
			 path, readonly ? " read-only" : "",
			 e->db ? sqlite3_errmsg(e->db) : sqlite3_errstr(rc));
		ret = -ksqld_errno_from_sqlite(rc);
		goto fail;
	}
	/*
	 * SQLite opens a file it may not write read-only, silently; ksqld would
	 * then serve with every write and log batch failing (issue 12 item 11).
	 */
	if (!readonly && sqlite3_db_readonly(e->db, "main") == 1) {
		readonly_reason(path, err, errlen);
		ret = -EROFS;
		goto fail;
	}
	e->readonly = readonly;
	sqlite3_extended_result_codes(e->db, 1);
	sqlite3_busy_timeout(e->db, BUSY_TIMEOUT_MS);
	ksqld_stmt_cache_init(&e->cache);
	if (!readonly) {
		/*
		 * WAL lets the control socket's read-only connection read while the
		 * kernel's queries write. FULL (the default) fsyncs the WAL at each
		 * COMMIT, so a commit (and the LOG_ACK that follows it) survives power
		 * loss; NORMAL (--synchronous normal) survives only a crash of ksqld.
		 */
		e->sync_full = e->sync_tried = atomic_load(&sync_full);
		ret = pragma(e->db, "PRAGMA journal_mode=WAL", err, errlen, path);
		if (ret == 0)
			ret = pragma(e->db, e->sync_full ? "PRAGMA synchronous=FULL" :
					    "PRAGMA synchronous=NORMAL", err, errlen, path);
		if (ret < 0)
			goto fail;
	} else {
		/* Touch the schema now so a broken file is reported at startup. */
		ret = pragma(e->db, "SELECT count(*) FROM sqlite_schema", err, errlen, path);
		if (ret < 0)
			goto fail;
		/* Readers run the control socket's statements: reading only. */
		ret = ksqld_sql_guard(e->db, err, errlen);
		if (ret < 0)
			goto fail;
	}
	*out = e;
	return 0;
fail:
	sqlite3_close_v2(e->db);
	free(e);
	return ret ? ret : -EIO;
}

static int progress(void *p)
{
	struct ksqld_exec *e = p;

	if (e->cancel && atomic_load(e->cancel)) {
		e->cancelled = true;
		return 1;	/* makes the statement fail with SQLITE_INTERRUPT */
	}
	if (atomic_load(&e->halted))
		return 1;
	if (e->stop_at_ns && ksqld_now_ns() >= e->stop_at_ns) {
		e->timed_out = true;
		return 1;
	}
	return 0;
}

void ksqld_exec_set_timeout(struct ksqld_exec *e, uint32_t timeout_ms)
{
	ksqld_exec_set_limits(e, 0, timeout_ms, NULL);
}

void ksqld_exec_set_limits(struct ksqld_exec *e, uint64_t deadline_ns, uint32_t timeout_ms,
			   const atomic_bool *cancel)
{
	e->timeout_ms = timeout_ms;
	e->deadline_ns = deadline_ns;
	e->cancel = cancel;
	sqlite3_progress_handler(e->db, PROGRESS_STEPS, progress, e);
}

void ksqld_exec_interrupt(struct ksqld_exec *e)
{
	sqlite3_interrupt(e->db);
}

void ksqld_exec_halt(struct ksqld_exec *e)
{
	/*
	 * sqlite3_interrupt() alone is lost when no statement is stepping yet
	 * (a job taken but not started): the flag stops that one in its
	 * progress handler, and any later one.
	 */
	atomic_store(&e->halted, true);
	sqlite3_interrupt(e->db);
}

enum ksqld_exec_stop ksqld_exec_last_stop(const struct ksqld_exec *e)
{
	if (e->cancelled)
		return KSQLD_EXEC_CANCELLED;
	return e->timed_out ? KSQLD_EXEC_DEADLINE : KSQLD_EXEC_RAN;
}

void ksqld_exec_clear_stop(struct ksqld_exec *e)
{
	e->timed_out = false;
	e->cancelled = false;
}

struct ksqld_logsink *ksqld_exec_logsink(struct ksqld_exec *e)
{
	if (!e->log && !e->readonly)
		e->log = ksqld_logsink_new(e->db);
	return e->log;
}

bool ksqld_exec_in_txn(const struct ksqld_exec *e)
{
	return !sqlite3_get_autocommit(e->db);
}

void ksqld_exec_apply_synchronous(struct ksqld_exec *e)
{
	bool want = atomic_load(&sync_full);
	const char *sql = want ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
	char err[512];

	/* SQLite refuses to change the safety level inside a transaction. */
	if (e->readonly || want == e->sync_tried || ksqld_exec_in_txn(e))
		return;
	e->sync_tried = want;
	if (pragma(e->db, sql, err, sizeof(err), sqlite3_db_filename(e->db, "main")) < 0) {
		log_err("%s; the writer keeps synchronous=%s", err, e->sync_full ? "FULL" : "NORMAL");
		return;
	}
	e->sync_full = want;
	log_info("writer: %s in force from now on", sql);
}

static void start_clock(struct ksqld_exec *e)
{
	e->timed_out = false;
	e->cancelled = false;
	if (e->deadline_ns)
		e->stop_at_ns = e->deadline_ns;
	else if (e->timeout_ms)
		e->stop_at_ns = ksqld_now_ns() + (uint64_t)e->timeout_ms * 1000000u;
	else
		e->stop_at_ns = 0;
}

void ksqld_exec_close(struct ksqld_exec *e)
{
	if (!e)
		return;
	ksqld_logsink_free(e->log);
	ksqld_stmt_cache_clear(&e->cache);
	sqlite3_close_v2(e->db);
	free(e);
}

static void fail_sqlite(struct ksqld_exec *e, struct ksqld_rows *out, int rc)
{
	int ext = sqlite3_extended_errcode(e->db);

	if ((ext & 0xff) != (rc & 0xff))
		ext = rc;
	ksqld_rows_fail(out, ksqld_errno_from_sqlite(rc), ext, "%s", sqlite3_errmsg(e->db));
}

/* A statement from the cache, or freshly prepared and checked for a second statement. */
static sqlite3_stmt *get_stmt(struct ksqld_exec *e, const char *sql, struct ksqld_rows *out)
{
	sqlite3_stmt *stmt;
	const char *tail = NULL;
	int rc;

	/* A transaction verb carries no SQL; it must never get this far. */
	if (!sql) {
		ksqld_rows_fail(out, EINVAL, 0, "the QUERY carries no SQL statement");
		return NULL;
	}
	stmt = ksqld_stmt_cache_get(&e->cache, sql);
	if (stmt)
		return stmt;
	rc = sqlite3_prepare_v3(e->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
	if (rc == SQLITE_AUTH && e->readonly) {
		ksqld_rows_fail(out, EPERM, rc,
				"refused on a read-only connection (%s): ATTACH, DETACH and PRAGMAs other than those that only report (table_info, index_list, integrity_check, user_version, ...; see ksqld(8)) are not allowed there",
				sqlite3_errmsg(e->db));
		return NULL;
	}
	if (rc != SQLITE_OK) {
		fail_sqlite(e, out, rc);
		return NULL;
	}
	if (!stmt) {
		ksqld_rows_fail(out, EINVAL, 0, "the SQL holds no statement (only whitespace or comments)");
		return NULL;
	}
	if (!ksqld_sql_tail_is_empty(tail)) {
		sqlite3_finalize(stmt);
		ksqld_rows_fail(out, EINVAL, 0,
				"ksql runs one statement per call; the SQL has text after the first statement");
		return NULL;
	}
	ksqld_stmt_cache_put(&e->cache, sql, stmt);
	return ksqld_stmt_cache_get(&e->cache, sql) == stmt ? stmt : NULL;
}

static int bind_params(struct ksqld_exec *e, sqlite3_stmt *stmt,
		       const struct ksql_value *p, unsigned int n, struct ksqld_rows *out)
{
	int want = sqlite3_bind_parameter_count(stmt);
	unsigned int i;
	double d;
	int rc = SQLITE_OK;

	if ((unsigned int)want != n) {
		ksqld_rows_fail(out, EINVAL, SQLITE_RANGE,
				"the SQL takes %d parameter%s (?1..?%d) but %u value%s given",
				want, want == 1 ? "" : "s", want, n, n == 1 ? " was" : "s were");
		return -EINVAL;
	}
	for (i = 0; i < n && rc == SQLITE_OK; i++) {
		int idx = (int)i + 1;

		switch (p[i].type) {
		case KSQL_NULL:
			rc = sqlite3_bind_null(stmt, idx);
			break;
		case KSQL_INT:
			rc = sqlite3_bind_int64(stmt, idx, p[i].i);
			break;
		case KSQL_REAL:
			/* The kernel sends raw IEEE-754 bits; memcpy keeps NaN payloads and -0.0. */
			memcpy(&d, &p[i].real, sizeof(d));
			rc = sqlite3_bind_double(stmt, idx, d);
			break;
		case KSQL_TEXT:
			/* The message outlives the statement's run: no copy needed. */
			rc = sqlite3_bind_text(stmt, idx, p[i].len ? p[i].text : "",
					       (int)p[i].len, SQLITE_STATIC);
			break;
		case KSQL_BLOB:
			if (p[i].len)
				rc = sqlite3_bind_blob(stmt, idx, p[i].blob, (int)p[i].len, SQLITE_STATIC);
			else
				rc = sqlite3_bind_zeroblob(stmt, idx, 0);
			break;
		default:
			rc = SQLITE_MISMATCH;
		}
	}
	if (rc != SQLITE_OK) {
		fail_sqlite(e, out, rc);
		return -EINVAL;
	}
	return 0;
}

static int collect_columns(sqlite3_stmt *stmt, struct ksqld_rows *out)
{
	int ncols = sqlite3_column_count(stmt), i;

	if (ksqld_rows_set_columns(out, (unsigned int)ncols) < 0)
		goto nomem;
	for (i = 0; i < ncols; i++) {
		const char *name = sqlite3_column_name(stmt, i);
		size_t len;

		if (!name)
			goto nomem;
		len = strlen(name);
		if (len > KSQL_NAME_MAX) {
			ksqld_rows_fail(out, E2BIG, 0,
					"column %d's name is %zu bytes long; ksql carries names of at most %d bytes: give the column a shorter name with AS",
					i + 1, len, KSQL_NAME_MAX);
			return -E2BIG;
		}
		if (ksqld_rows_set_colname(out, (unsigned int)i, name) < 0)
			goto nomem;
	}
	return 0;
nomem:
	ksqld_rows_fail(out, ENOMEM, SQLITE_NOMEM, "out of memory while reading the column names");
	return -ENOMEM;
}

static int collect_row(sqlite3_stmt *stmt, struct ksqld_rows *out)
{
	unsigned int i;
	int ret;

	for (i = 0; i < out->ncols; i++) {
		struct ksql_value v = { .type = KSQL_NULL };
		int col = (int)i;
		double d;

		switch (sqlite3_column_type(stmt, col)) {
		case SQLITE_INTEGER:
			v.type = KSQL_INT;
			v.i = sqlite3_column_int64(stmt, col);
			break;
		case SQLITE_FLOAT:
			v.type = KSQL_REAL;
			d = sqlite3_column_double(stmt, col);
			memcpy(&v.real, &d, sizeof(d));
			break;
		case SQLITE_TEXT:
			v.type = KSQL_TEXT;
			v.text = (const char *)sqlite3_column_text(stmt, col);
			v.len = (uint32_t)sqlite3_column_bytes(stmt, col);
			break;
		case SQLITE_BLOB:
			v.type = KSQL_BLOB;
			v.blob = sqlite3_column_blob(stmt, col);
			v.len = (uint32_t)sqlite3_column_bytes(stmt, col);
			break;
		default:
			break;
		}
		if ((v.type == KSQL_TEXT || v.type == KSQL_BLOB) && v.len > KSQL_VALUE_MAX) {
			ksqld_rows_fail(out, E2BIG, 0,
					"row %zu, column \"%s\" holds a %s of %u bytes; ksql carries at most %d bytes per value: select a substr() of it or split it",
					out->nrows + 1, out->colnames[i],
					v.type == KSQL_TEXT ? "TEXT" : "BLOB", v.len, KSQL_VALUE_MAX);
			return -E2BIG;
		}
		ret = ksqld_rows_add(out, &v);
		if (ret == -E2BIG) {
			ksqld_rows_fail(out, E2BIG, 0,
					"the result is over ksqld's limit of %u bytes; add a LIMIT or select fewer columns",
					KSQLD_RESULT_MAX_BYTES);
			return ret;
		}
		if (ret < 0) {
			ksqld_rows_fail(out, ENOMEM, SQLITE_NOMEM, "out of memory while collecting the result");
			return ret;
		}
	}
	out->nrows++;
	return 0;
}

int ksqld_exec_run(struct ksqld_exec *e, const char *sql,
		   const struct ksql_value *params, unsigned int nparams,
		   struct ksqld_rows *out)
{
	sqlite3_stmt *stmt;
	int rc;

	start_clock(e);
	stmt = get_stmt(e, sql, out);
	if (!stmt)
		return 0;
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (bind_params(e, stmt, params, nparams, out) < 0 ||
	    collect_columns(stmt, out) < 0)
		goto out;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if (collect_row(stmt, out) < 0)
			goto out;
	if (rc != SQLITE_DONE && (e->cancelled || (e->cancel && atomic_load(e->cancel)))) {
		e->cancelled = true;
		ksqld_rows_fail(out, ECANCELED, rc,
				"the statement was interrupted because its caller cancelled it");
		goto out;
	}
	if (rc != SQLITE_DONE && (e->timed_out ||
				  (e->stop_at_ns && ksqld_now_ns() >= e->stop_at_ns))) {
		e->timed_out = true;
		if (e->timeout_ms)
			ksqld_rows_fail(out, ETIMEDOUT, rc,
					"the statement ran past its caller's timeout of %u ms and was interrupted",
					e->timeout_ms);
		else
			ksqld_rows_fail(out, ETIMEDOUT, rc,
					"the statement ran past its caller's deadline and was interrupted");
		goto out;
	}
	if (rc != SQLITE_DONE) {
		fail_sqlite(e, out, rc);
		goto out;
	}
	/* sqlite3_changes64() keeps the last write's count; a SELECT changed nothing. */
	out->st.changes = sqlite3_stmt_readonly(stmt) ? 0 : (uint64_t)sqlite3_changes64(e->db);
	out->st.last_rowid = sqlite3_last_insert_rowid(e->db);
out:
	/* Reset now so the statement holds no read lock while idle in the cache. */
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return 0;
}

int ksqld_exec_classify(struct ksqld_exec *e, const char *sql, struct ksqld_rows *out)
{
	sqlite3_stmt *stmt = get_stmt(e, sql, out);

	if (!stmt)
		return -EINVAL;
	/* BEGIN and friends count as read-only but must not stick to a reader. */
	return sqlite3_stmt_readonly(stmt) && !ksqld_sql_is_txn_control(sql);
}
