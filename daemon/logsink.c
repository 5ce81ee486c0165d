// SPDX-License-Identifier: GPL-2.0-only
/* logsink.c - LOG batches into their tables, several per transaction, exactly once. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "errmap.h"
#include "log.h"
#include "logschema.h"
#include "logsink.h"
#include "msgid.h"
#include "ratelimit.h"
#include "stats.h"

/* Known tables are few (the kernel opens them); past this the oldest is forgotten. */
#define TABLES_MAX	128

/* A table checked against its column list on this connection, with its INSERT. */
struct log_table {
	struct log_table *next;
	char *name, *columns;
	sqlite3_stmt *insert;	/* prepared on first use */
};

struct ksqld_logsink {
	sqlite3 *db;
	bool base_ok;		/* ksql_producers and ksql_gaps exist */
	sqlite3_stmt *get_prod, *add_prod, *set_last, *add_gap;
	struct log_table *tables;	/* most recently checked first */
	unsigned int ntables;
};

/* Refused batches and gaps can come in floods: one line a second of each. */
#define LOG_EVERY_NS	1000000000u

static struct ksqld_ratelimit refused_rl, gap_rl;

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Why a batch was refused, for the one log line it gets. */
struct refusal {
	char msg[512];
	int sqlite_code;	/* SQLite's extended code when SQL failed, else 0 */
};

struct ksqld_logsink *ksqld_logsink_new(sqlite3 *db)
{
	struct ksqld_logsink *ls = calloc(1, sizeof(*ls));

	if (ls)
		ls->db = db;
	return ls;
}

static void table_free(struct log_table *t)
{
	sqlite3_finalize(t->insert);
	free(t->name);
	free(t->columns);
	free(t);
}

/*
 * Forgets every prepared statement and checked table: after an SQL error
 * (someone dropped a table, a schema changed) everything is looked at again.
 */
static void forget(struct ksqld_logsink *ls)
{
	struct log_table *t;

	while ((t = ls->tables)) {
		ls->tables = t->next;
		table_free(t);
	}
	ls->ntables = 0;
	sqlite3_finalize(ls->get_prod);
	sqlite3_finalize(ls->add_prod);
	sqlite3_finalize(ls->set_last);
	sqlite3_finalize(ls->add_gap);
	ls->get_prod = ls->add_prod = ls->set_last = ls->add_gap = NULL;
	ls->base_ok = false;
}

void ksqld_logsink_free(struct ksqld_logsink *ls)
{
	if (!ls)
		return;
	forget(ls);
	free(ls);
}

static struct log_table *find_table(struct ksqld_logsink *ls, const char *name,
				    struct log_table ***link)
{
	struct log_table **pp, *t;

	for (pp = &ls->tables; (t = *pp); pp = &t->next)
		if (strcmp(t->name, name) == 0) {
			*link = pp;
			return t;
		}
	return NULL;
}

static void drop_table(struct ksqld_logsink *ls, const char *name)
{
	struct log_table **link, *t = find_table(ls, name, &link);

	if (t) {
		*link = t->next;
		table_free(t);
		ls->ntables--;
	}
}

/* Remembers that name has columns (replacing what was known of it). */
static struct log_table *remember(struct ksqld_logsink *ls, const char *name, const char *columns)
{
	struct log_table *t, **pp;

	drop_table(ls, name);
	if (ls->ntables == TABLES_MAX) {
		for (pp = &ls->tables; (*pp)->next; pp = &(*pp)->next)
			;
		table_free(*pp);
		*pp = NULL;
		ls->ntables--;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->name = strdup(name);
	t->columns = strdup(columns);
	if (!t->name || !t->columns) {
		table_free(t);
		return NULL;
	}
	t->next = ls->tables;
	ls->tables = t;
	ls->ntables++;
	return t;
}

static int plain(struct ksqld_logsink *ls, const char *sql)
{
	int rc = sqlite3_exec(ls->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : -ksqld_errno_from_sqlite(rc);
}

static int base(struct ksqld_logsink *ls, char *err, size_t errlen, int *code)
{
	int ret;

	if (ls->base_ok)
		return 0;
	ret = ksqld_logschema_base(ls->db, err, errlen, code);
	ls->base_ok = ret == 0;
	return ret;
}

/* The table of a batch or TABLE_OPEN, created or found equal to columns. */
static struct log_table *ensure_table(struct ksqld_logsink *ls, const char *name,
				      const char *columns, char *err, size_t errlen, int *ret,
				      int *code)
{
	struct log_table **link, *t = find_table(ls, name, &link);

	*code = 0;
	if (t && strcmp(t->columns, columns) == 0)
		return t;
	*ret = ksqld_logschema_table(ls->db, name, columns, err, errlen, code);
	if (*ret < 0)
		return NULL;
	t = remember(ls, name, columns);
	if (!t) {
		snprintf(err, errlen, "out of memory");
		*ret = -ENOMEM;
	}
	return t;
}

void ksqld_logsink_open(struct ksqld_logsink *ls, const char *table, const char *columns,
			struct ksqld_rows *rows)
{
	char err[1024] = "";
	int ret, code = 0;

	if (sqlite3_get_autocommit(ls->db) == 0) {
		ksqld_rows_fail(rows, EBUSY, 0,
				"ksqld's writer connection is inside a transaction; try again");
		return;
	}
	ret = plain(ls, "BEGIN IMMEDIATE");
	if (ret < 0) {
		ksqld_rows_fail(rows, -ret, sqlite3_extended_errcode(ls->db),
				"cannot begin a transaction to open table %s: %s", table,
				sqlite3_errmsg(ls->db));
		return;
	}
	ret = base(ls, err, sizeof(err), &code);
	/* On failure ensure_table() sets ret and err. */
	if (ret == 0)
		ensure_table(ls, table, columns, err, sizeof(err), &ret, &code);
	if (ret == 0) {
		ret = plain(ls, "COMMIT");
		if (ret < 0) {
			code = sqlite3_extended_errcode(ls->db);
			snprintf(err, sizeof(err), "cannot commit the creation of table %s: %s", table,
				 sqlite3_errmsg(ls->db));
		}
	}
	if (ret < 0) {
		if (sqlite3_get_autocommit(ls->db) == 0)
			plain(ls, "ROLLBACK");
		/* What the rolled-back transaction created is gone again. */
		forget(ls);
		ksqld_rows_fail(rows, -ret, code, "%s", err);
	}
}

/* ---- one batch ---------------------------------------------------------- */

static int prepare(struct ksqld_logsink *ls, sqlite3_stmt **st, const char *sql)
{
	int rc;

	if (*st)
		return SQLITE_OK;
	rc = sqlite3_prepare_v3(ls->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
	return rc;
}

/* Steps a statement that returns no row and resets it. */
static int run(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The producer (table, epoch): its id and last committed sequence, added if new. */
static int producer(struct ksqld_logsink *ls, const struct ksqld_log_batch *b, int64_t *id,
		    uint64_t *last)
{
	int rc;

	rc = prepare(ls, &ls->get_prod, "SELECT id, last_seq FROM ksql_producers WHERE tbl = ?1 AND epoch = ?2");
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(ls->get_prod, 1, b->table, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ls->get_prod, 2, (int64_t)b->epoch);
	rc = sqlite3_step(ls->get_prod);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(ls->get_prod, 0);
		*last = (uint64_t)sqlite3_column_int64(ls->get_prod, 1);
	}
	sqlite3_reset(ls->get_prod);
	sqlite3_clear_bindings(ls->get_prod);
	if (rc == SQLITE_ROW)
		return SQLITE_OK;
	if (rc != SQLITE_DONE)
		return rc;
	rc = prepare(ls, &ls->add_prod,
		     "INSERT INTO ksql_producers (tbl, epoch, last_seq, first_seen) VALUES (?1, ?2, 0, ?3)");
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(ls->add_prod, 1, b->table, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ls->add_prod, 2, (int64_t)b->epoch);
	sqlite3_bind_int64(ls->add_prod, 3, realtime_ns());
	rc = run(ls->add_prod);
	*id = sqlite3_last_insert_rowid(ls->db);
	*last = 0;
	return rc;
}

static int bind_value(sqlite3_stmt *st, int idx, const struct ksql_value *v)
{
	double d;

	switch (v->type) {
	case KSQL_NULL:
		return sqlite3_bind_null(st, idx);
	case KSQL_INT:
		return sqlite3_bind_int64(st, idx, v->i);
	case KSQL_REAL:
		/* The kernel sends IEEE-754 bits; memcpy keeps NaN payloads and -0.0. */
		memcpy(&d, &v->real, sizeof(d));
		return sqlite3_bind_double(st, idx, d);
	case KSQL_TEXT:
		return sqlite3_bind_text(st, idx, v->len ? v->text : "", (int)v->len, SQLITE_STATIC);
	case KSQL_BLOB:
		if (!v->len)
			return sqlite3_bind_zeroblob(st, idx, 0);
		return sqlite3_bind_blob(st, idx, v->blob, (int)v->len, SQLITE_STATIC);
	}
	return SQLITE_MISMATCH;
}

static int insert_row(struct ksqld_logsink *ls, struct log_table *t,
		      const struct ksqld_log_batch *b, int64_t id, const struct ksqld_log_entry *e)
{
	unsigned int i;
	int rc;

	if (!t->insert) {
		char *sql = sqlite3_mprintf("INSERT INTO \"%w\" VALUES (?1, ?2, ?3", t->name);
		size_t len;

		for (i = 0; sql && i < b->ncols; i++) {
			char *more = sqlite3_mprintf("%s, ?%u", sql, i + 4);

			sqlite3_free(sql);
			sql = more;
		}
		if (sql) {
			char *more = sqlite3_mprintf("%s)", sql);

			sqlite3_free(sql);
			sql = more;
		}
		if (!sql)
			return SQLITE_NOMEM;
		len = strlen(sql);
		rc = sqlite3_prepare_v3(ls->db, sql, (int)len, SQLITE_PREPARE_PERSISTENT, &t->insert,
					NULL);
		sqlite3_free(sql);
		if (rc != SQLITE_OK)
			return rc;
	}
	rc = sqlite3_bind_int64(t->insert, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(t->insert, 2, (int64_t)e->first);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(t->insert, 3, (int64_t)e->time_ns);
	for (i = 0; i < b->ncols && rc == SQLITE_OK; i++)
		rc = bind_value(t->insert, (int)i + 4, &e->vals[i]);
	if (rc != SQLITE_OK) {
		sqlite3_clear_bindings(t->insert);
		return rc;
	}
	return run(t->insert);
}

static int insert_gap(struct ksqld_logsink *ls, const struct ksqld_log_batch *b, int64_t id,
		      uint64_t first, uint64_t last, const struct ksqld_log_entry *e)
{
	int rc = prepare(ls, &ls->add_gap,
			 "INSERT INTO ksql_gaps (tbl, producer, first_seq, last_seq, count, reason, time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");

	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(ls->add_gap, 1, b->table, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ls->add_gap, 2, id);
	sqlite3_bind_int64(ls->add_gap, 3, (int64_t)first);
	sqlite3_bind_int64(ls->add_gap, 4, (int64_t)last);
	sqlite3_bind_int64(ls->add_gap, 5, (int64_t)(last - first + 1));
	sqlite3_bind_text(ls->add_gap, 6, ksqld_log_reason_name(e->reason), -1, SQLITE_STATIC);
	sqlite3_bind_int64(ls->add_gap, 7, (int64_t)e->time_ns);
	return run(ls->add_gap);
}

static int set_last(struct ksqld_logsink *ls, int64_t id, uint64_t last)
{
	int rc = prepare(ls, &ls->set_last, "UPDATE ksql_producers SET last_seq = ?1 WHERE id = ?2");

	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(ls->set_last, 1, (int64_t)last);
	sqlite3_bind_int64(ls->set_last, 2, id);
	return run(ls->set_last);
}

static int sql_refuse(struct ksqld_logsink *ls, int rc, struct refusal *why, const char *what)
{
	snprintf(why->msg, sizeof(why->msg), "%s: %s", what, sqlite3_errmsg(ls->db));
	why->sqlite_code = sqlite3_extended_errcode(ls->db);
	return -ksqld_errno_from_sqlite(rc);
}

/* Writes the new part of one batch (inside a savepoint). 0, or -errno with why. */
static int apply(struct ksqld_logsink *ls, const struct ksqld_log_batch *b,
		 struct ksqld_log_outcome *out, struct refusal *why)
{
	const struct ksqld_log_entry *e;
	struct log_table *t;
	uint64_t last = 0, first;
	unsigned int i;
	int64_t id = 0;
	int ret, rc, code;
	bool started = false;

	ret = base(ls, why->msg, sizeof(why->msg), &code);
	why->sqlite_code = code;
	if (ret < 0)
		return ret;
	t = ensure_table(ls, b->table, b->columns, why->msg, sizeof(why->msg), &ret, &code);
	why->sqlite_code = code;
	if (!t)
		return ret;
	rc = producer(ls, b, &id, &last);
	if (rc != SQLITE_OK)
		return sql_refuse(ls, rc, why, "cannot look up the producer");
	out->prev_seq = last;
	for (i = 0; i < b->nentries; i++) {
		e = &b->entries[i];
		if (e->last <= last) {
			if (!e->gap)
				out->duplicates++;
			continue;	/* committed before: a resend */
		}
		first = e->first > last ? e->first : last + 1;	/* a gap may be trimmed */
		if (!started && first != last + 1) {
			snprintf(why->msg, sizeof(why->msg),
				 "hole in the sequence: expected %" PRIu64 ", got %" PRIu64, last + 1, first);
			return -EPROTO;
		}
		started = true;
		if (e->gap) {
			rc = insert_gap(ls, b, id, first, e->last, e);
			out->gaps++;
		} else {
			rc = insert_row(ls, t, b, id, e);
			out->rows++;
		}
		if (rc != SQLITE_OK)
			return sql_refuse(ls, rc, why, e->gap ? "cannot insert a gap" : "cannot insert a row");
		last = e->last;
	}
	if (started) {
		rc = set_last(ls, id, last);
		if (rc != SQLITE_OK)
			return sql_refuse(ls, rc, why, "cannot update ksql_producers");
	}
	out->ack_seq = last;
	return 0;
}

/* ---- a group --------------------------------------------------------------- */

static void refuse(struct ksqld_logsink *ls, const struct ksqld_log_batch *b, int err,
		   const struct refusal *why, struct ksqld_log_outcome *out)
{
	struct ksqld_log_fields f;
	unsigned int missed;

	memset(out, 0, sizeof(*out));
	out->refused = true;
	ksqld_stat_add(KSQLD_STAT_LOG_REFUSED, 1);
	if (ksqld_ratelimit_pass(&refused_rl, monotonic_ns(), LOG_EVERY_NS, &missed)) {
		ksqld_log_fields_init(&f);
		ksqld_log_field(&f, "KSQL_TABLE", "%s", b->table);
		ksqld_log_field(&f, "KSQL_EPOCH", "%" PRIu64, b->epoch);
		ksqld_log_field(&f, "KSQL_ERRNO", "%d", err);
		if (why->sqlite_code)
			ksqld_log_field(&f, "SQLITE_CODE", "%d", why->sqlite_code);
		if (missed)
			ksqld_log_field(&f, "KSQL_SUPPRESSED", "%u", missed);
		ksqld_log_event(LOG_WARNING, KSQLD_MSGID_LOG_REFUSED, f.v,
				"LOG batch for table %s epoch %" PRIu64 " refused (%s): %s; not acknowledged%s",
				b->table, b->epoch, strerror(err), why->msg,
				missed ? " (and more refusals not logged in the last second; see ksqld log refused in ksqlctl status)" : "");
	}
	/*
	 * The savepoint's rollback may have undone a CREATE TABLE, and an SQL
	 * error may come from a stale statement: look at everything again.
	 */
	forget(ls);
}

/* Names the table when every batch of the group is for it, else NULL. */
static const char *one_table(struct ksqld_log_batch *const *b, unsigned int n)
{
	unsigned int i;

	for (i = 1; i < n; i++)
		if (strcmp(b[i]->table, b[0]->table) != 0)
			return NULL;
	return n ? b[0]->table : NULL;
}

static void log_commit_failed(struct ksqld_logsink *ls, struct ksqld_log_batch *const *b,
			      unsigned int n)
{
	const char *table = one_table(b, n);
	struct ksqld_log_fields f;

	ksqld_log_fields_init(&f);
	ksqld_log_field(&f, "SQLITE_CODE", "%d", sqlite3_extended_errcode(ls->db));
	ksqld_log_field(&f, "KSQL_BATCHES", "%u", n);
	if (table)
		ksqld_log_field(&f, "KSQL_TABLE", "%s", table);
	ksqld_log_event(LOG_ERR, KSQLD_MSGID_COMMIT_FAILED, f.v,
			"cannot commit %u LOG batch%s%s%s: %s; rolled back, not acknowledged (the kernel keeps and resends them)",
			n, n == 1 ? "" : "es", table ? " of table " : "", table ? table : "",
			sqlite3_errmsg(ls->db));
}

/* After COMMIT: one line per gap record it stored (what the kernel had to drop). */
static void log_gaps(struct ksqld_log_batch *const *b, unsigned int n,
		     const struct ksqld_log_outcome *out)
{
	struct ksqld_log_fields f;
	unsigned int i, k, missed;

	for (i = 0; i < n; i++) {
		uint64_t prev = out[i].prev_seq;

		if (out[i].refused || !out[i].gaps)
			continue;
		for (k = 0; k < b[i]->nentries; k++) {
			const struct ksqld_log_entry *e = &b[i]->entries[k];
			/* As apply() stored it: a resent gap is skipped, a gap may be trimmed. */
			uint64_t first = e->first > prev ? e->first : prev + 1;

			if (e->last <= prev)
				continue;
			prev = e->last;
			if (!e->gap ||
			    !ksqld_ratelimit_pass(&gap_rl, monotonic_ns(), LOG_EVERY_NS, &missed))
				continue;
			ksqld_log_fields_init(&f);
			ksqld_log_field(&f, "KSQL_TABLE", "%s", b[i]->table);
			ksqld_log_field(&f, "KSQL_GAP_FIRST", "%" PRIu64, first);
			ksqld_log_field(&f, "KSQL_GAP_LAST", "%" PRIu64, e->last);
			ksqld_log_field(&f, "KSQL_GAP_REASON", "%s", ksqld_log_reason_name(e->reason));
			if (missed)
				ksqld_log_field(&f, "KSQL_SUPPRESSED", "%u", missed);
			ksqld_log_event(LOG_WARNING, KSQLD_MSGID_GAP_RECORDED, f.v,
					"table %s: %" PRIu64 " row%s lost in the kernel (%s), sequences %" PRIu64 "..%" PRIu64 "; recorded in ksql_gaps%s",
					b[i]->table, e->last - first + 1, e->last == first ? "" : "s",
					ksqld_log_reason_name(e->reason), first, e->last,
					missed ? " (more gaps recorded in the last second are not logged; SELECT * FROM ksql_gaps)" : "");
		}
	}
}

static int commit(struct ksqld_logsink *ls)
{
	int ret = plain(ls, "COMMIT");

	/* A reader's snapshot or a checkpoint can hold it briefly: one more try. */
	if (ret == -EBUSY && sqlite3_get_autocommit(ls->db) == 0)
		ret = plain(ls, "COMMIT");
	return ret;
}

/* Only the last batch of each producer in the group acks, with the final sequence. */
static void dedup_acks(struct ksqld_log_batch *const *b, unsigned int n, struct ksqld_log_outcome *out)
{
	unsigned int i, k;

	for (i = 0; i < n; i++) {
		if (!out[i].ack_seq)
			continue;
		for (k = i + 1; k < n; k++)
			if (out[k].ack_seq && b[k]->epoch == b[i]->epoch &&
			    strcmp(b[k]->table, b[i]->table) == 0) {
				out[i].ack_seq = 0;
				break;
			}
	}
}

int ksqld_logsink_commit(struct ksqld_logsink *ls, struct ksqld_log_batch *const *b,
			 unsigned int n, struct ksqld_log_outcome *out)
{
	struct refusal why;
	uint64_t rows = 0, dups = 0, gaps = 0;
	unsigned int i, ok = 0;
	int ret;

	memset(out, 0, n * sizeof(*out));
	if (sqlite3_get_autocommit(ls->db) == 0)
		return -EBUSY;	/* a kernel transaction is open on the writer */
	ret = plain(ls, "BEGIN IMMEDIATE");
	if (ret < 0) {
		log_warn("cannot begin a transaction for %u LOG batch%s: %s", n, n == 1 ? "" : "es",
			 sqlite3_errmsg(ls->db));
		return ret;
	}
	for (i = 0; i < n; i++) {
		why.msg[0] = '\0';
		why.sqlite_code = 0;
		ret = plain(ls, "SAVEPOINT ksql_log");
		if (ret == 0) {
			ret = apply(ls, b[i], &out[i], &why);
			if (ret < 0)
				plain(ls, "ROLLBACK TO ksql_log");
			if (plain(ls, "RELEASE ksql_log") < 0 && ret == 0)
				ret = sql_refuse(ls, SQLITE_ERROR, &why, "cannot release the savepoint");
		} else {
			snprintf(why.msg, sizeof(why.msg), "cannot open a savepoint: %s",
				 sqlite3_errmsg(ls->db));
			why.sqlite_code = sqlite3_extended_errcode(ls->db);
		}
		if (ret < 0) {
			refuse(ls, b[i], -ret, &why, &out[i]);
			continue;
		}
		ok++;
	}
	ret = commit(ls);
	if (ret < 0) {
		log_commit_failed(ls, b, n);
		if (sqlite3_get_autocommit(ls->db) == 0)
			plain(ls, "ROLLBACK");
		forget(ls);
		memset(out, 0, n * sizeof(*out));
		return ret;
	}
	for (i = 0; i < n; i++) {
		rows += out[i].rows;
		dups += out[i].duplicates;
		gaps += out[i].gaps;
	}
	ksqld_stat_add(KSQLD_STAT_LOG_ROWS, (int64_t)rows);
	ksqld_stat_add(KSQLD_STAT_LOG_DUPLICATES, (int64_t)dups);
	ksqld_stat_add(KSQLD_STAT_LOG_GAPS, (int64_t)gaps);
	if (gaps)
		log_gaps(b, n, out);
	if (ok)
		ksqld_stat_add(KSQLD_STAT_LOG_COMMITS, 1);
	dedup_acks(b, n, out);
	return 0;
}
