// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksql-bench-sqlite - the in-process SQLite baseline of the VM benchmarks.
 *
 * SYNOPSIS
 *   ksql-bench-sqlite insert [--synchronous normal|full] DB ROWS TXN_ROWS
 *   ksql-bench-sqlite query DB TABLE N
 *   ksql-bench-sqlite --help
 *
 * DESCRIPTION
 *   Runs inside the QEMU VM next to ksqld (make bench, docs/PERFORMANCE.md)
 *   and does what ksqld does with SQLite, minus the kernel and netlink, so
 *   the benchmark can put ksql's figures next to plain SQLite's.
 *
 *   insert  (B1) drops and creates table bench_inproc in DB exactly as
 *           ksqld creates a logged table with the user columns "ts INTEGER,
 *           pid INTEGER, comm TEXT, a INTEGER, b INTEGER"
 *           (daemon/logschema.c), opens DB as ksqld opens its writer
 *           (daemon/exec.c: WAL, synchronous NORMAL or FULL, busy timeout,
 *           progress handler), and inserts ROWS rows with one prepared
 *           INSERT, TXN_ROWS rows per BEGIN IMMEDIATE ... COMMIT (the last
 *           transaction may be shorter). Row i (1-based) is
 *             ksql_producer 1, ksql_seq i, ksql_time 1700000000000000000 + i*1000,
 *             ts i*1000, pid i % 32768, comm 'ksql-bench', a i, b i*7
 *           The clock (CLOCK_MONOTONIC) runs from the first BEGIN to the
 *           end of the last COMMIT. Prints:
 *             rows N
 *             txn_rows T
 *             ns X
 *             rows_per_s Y
 *
 *   query   (B2) opens DB read-only (it may be ksqld's live WAL database;
 *           busy timeout 5000 ms), prepares once
 *           SELECT * FROM "TABLE" WHERE rowid = ?1
 *           and runs N point queries, query k (0-based) for rowid
 *           1 + (k * 7919) % M, M the table's largest rowid. Each query
 *           (bind, step to the end reading every column, reset) is timed
 *           on its own. Prints:
 *             queries N
 *             p50_ns X      sorted[N*50/100]
 *             p99_ns Y      sorted[N*99/100], at most the last
 *             mean_ns Z
 *
 * EXIT STATUS
 *   0 success, 1 any error (a message on stderr names the database or
 *   table and the reason), 2 bad usage.
 *
 * The output is parsed by the VM benchmark script: keep its lines as they are.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#define PROG		"ksql-bench-sqlite"
#define TABLE		"bench_inproc"
/* As ksqld (daemon/exec.c): how long a connection waits for a lock. */
#define BUSY_TIMEOUT_MS	5000
/* As ksqld (daemon/exec.c): SQLite VM steps between two deadline checks. */
#define PROGRESS_STEPS	10000
#define COMM		"ksql-bench"
#define TIME_BASE	1700000000000000000LL

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " insert [--synchronous normal|full] DB ROWS TXN_ROWS\n"
		"       " PROG " query DB TABLE N\n"
		"       " PROG " --help\n"
		"\n"
		"The in-process SQLite baseline of the ksql VM benchmarks.\n"
		"\n"
		"  insert  (re)create table " TABLE " in DB with the columns ksqld gives a\n"
		"          logged table (ksql_producer, ksql_seq, ksql_time, ts, pid, comm,\n"
		"          a, b), open DB as ksqld opens its writer (WAL, synchronous\n"
		"          NORMAL, or FULL with --synchronous full) and insert ROWS rows,\n"
		"          TXN_ROWS per transaction. Prints rows, txn_rows, ns and\n"
		"          rows_per_s, one \"NAME VALUE\" line each.\n"
		"  query   open DB read-only (ksqld may be running on it) and run N point\n"
		"          queries SELECT * FROM TABLE WHERE rowid = ?1 over the table's\n"
		"          rowids. Prints queries, p50_ns, p99_ns and mean_ns.\n"
		"\n"
		"Exit status: 0 success, 1 error, 2 bad usage.\n");
}

static int bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Says what is wrong with the command line; returns the exit status 2. */
static int bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try " PROG " --help)\n");
	return 2;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A positive decimal count; 0 on anything else. */
static uint64_t parse_count(const char *s)
{
	char *end;
	uint64_t v;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return 0;
	return v;
}

/* rows per second, rounded; the double keeps ROWS * 1e9 from overflowing. */
static uint64_t per_second(uint64_t n, uint64_t ns)
{
	return (uint64_t)((double)n * 1e9 / (double)(ns ? ns : 1) + 0.5);
}

/* Reports a failed SQLite call on db and returns the exit status 1. */
static int sql_error(sqlite3 *db, const char *path, const char *what)
{
	fprintf(stderr, PROG ": %s: %s: %s\n", path, what,
		db ? sqlite3_errmsg(db) : "out of memory");
	return 1;
}

/* ---- insert ------------------------------------------------------------ */

/*
 * ksqld's writer runs with a progress handler that checks the caller's
 * deadline; with no deadline (logging) it only returns 0. Installed here too
 * so that both pay for the same callbacks.
 */
static int progress(void *unused)
{
	(void)unused;
	return 0;
}

/* Opens path as ksqld opens its writer connection (daemon/exec.c). */
static int open_writer(const char *path, bool sync_full, sqlite3 **out)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	const char *mode;
	int rc;

	/* One thread uses the connection: no mutexes, as in ksqld. */
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			     SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		sql_error(db, path, "cannot open the database; check the path and its permissions");
		sqlite3_close_v2(db);
		return 1;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	sqlite3_progress_handler(db, PROGRESS_STEPS, progress, NULL);
	/* journal_mode answers with the mode it got: a silent fallback would skew the baseline. */
	rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		mode = (const char *)sqlite3_column_text(st, 0);
		if (!mode || strcmp(mode, "wal") != 0)
			fprintf(stderr, PROG ": %s: warning: journal_mode is %s, not wal (the file system cannot do WAL?); ksqld would run the same way\n",
				path, mode ? mode : "unknown");
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sync_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
				  NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		sql_error(db, path, "cannot set journal_mode=WAL and synchronous");
		sqlite3_close_v2(db);
		return 1;
	}
	*out = db;
	return 0;
}

/* The table as ksqld creates it for these user columns (daemon/logschema.c). */
static int create_table(sqlite3 *db, const char *path)
{
	static const char sql[] =
		"DROP TABLE IF EXISTS \"" TABLE "\";"
		"CREATE TABLE \"" TABLE "\" (ksql_producer INTEGER NOT NULL, ksql_seq INTEGER NOT NULL,"
		" ksql_time INTEGER NOT NULL, ts INTEGER, pid INTEGER, comm TEXT, a INTEGER, b INTEGER)";

	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sql_error(db, path, "cannot drop and create table " TABLE);
	return 0;
}

/* Binds and inserts row i; SQLITE_OK or the failing call's code. */
static int insert_row(sqlite3_stmt *st, uint64_t i)
{
	int64_t n = (int64_t)i;
	int rc;

	rc = sqlite3_bind_int64(st, 1, 1);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 2, n);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 3, TIME_BASE + n * 1000);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 4, n * 1000);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 5, n % 32768);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 6, COMM, sizeof(COMM) - 1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 7, n);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 8, n * 7);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	sqlite3_reset(st);
	return rc;
}

/* Inserts rows 1..rows, txn_rows per transaction; the clock's ns in *ns. */
static int insert_all(sqlite3 *db, const char *path, uint64_t rows, uint64_t txn_rows,
		      uint64_t *ns)
{
	sqlite3_stmt *st = NULL;
	uint64_t i, t0;
	const char *what = NULL;

	/* ksqld's statement for a logged table's rows (daemon/logsink.c) */
	if (sqlite3_prepare_v3(db, "INSERT INTO \"" TABLE "\" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			       -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		return sql_error(db, path, "cannot prepare the INSERT into " TABLE);
	t0 = now_ns();
	for (i = 1; i <= rows && !what; i++) {
		if ((i - 1) % txn_rows == 0 &&
		    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			what = "cannot begin a transaction";
		else if (insert_row(st, i) != SQLITE_OK)
			what = "cannot insert a row";
		else if ((i % txn_rows == 0 || i == rows) &&
			 sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			what = "cannot commit";
	}
	*ns = now_ns() - t0;
	if (what) {
		fprintf(stderr, PROG ": %s: %s at row %" PRIu64 " of table " TABLE ": %s\n",
			path, what, i - 1, sqlite3_errmsg(db));
		if (!sqlite3_get_autocommit(db))
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
	sqlite3_finalize(st);
	return what ? 1 : 0;
}

static int cmd_insert(int argc, char **argv)
{
	bool sync_full = false;
	uint64_t rows, txn_rows, ns = 0;
	sqlite3 *db;
	int a = 0, ret;

	if (argc > 0 && strcmp(argv[0], "--synchronous") == 0) {
		if (argc < 2)
			return bad_usage("%s needs a value: normal or full", argv[0]);
		if (strcmp(argv[1], "full") == 0)
			sync_full = true;
		else if (strcmp(argv[1], "normal") != 0)
			return bad_usage("--synchronous takes normal or full, not '%s'", argv[1]);
		a = 2;
	}
	if (argc - a != 3)
		return bad_usage("insert takes [--synchronous normal|full] DB ROWS TXN_ROWS");
	rows = parse_count(argv[a + 1]);
	txn_rows = parse_count(argv[a + 2]);
	if (!rows)
		return bad_usage("ROWS must be a positive integer, not '%s'", argv[a + 1]);
	if (!txn_rows)
		return bad_usage("TXN_ROWS must be a positive integer, not '%s'", argv[a + 2]);
	if (rows > (uint64_t)(INT64_MAX - TIME_BASE) / 1000)
		return bad_usage("ROWS '%s' is too large: ksql_time would overflow", argv[a + 1]);

	if (open_writer(argv[a], sync_full, &db))
		return 1;
	ret = create_table(db, argv[a]);
	if (!ret)
		ret = insert_all(db, argv[a], rows, txn_rows, &ns);
	if (sqlite3_close_v2(db) != SQLITE_OK && !ret)
		ret = sql_error(db, argv[a], "cannot close the database");
	if (ret)
		return ret;
	printf("rows %" PRIu64 "\ntxn_rows %" PRIu64 "\nns %" PRIu64 "\nrows_per_s %" PRIu64 "\n",
	       rows, txn_rows, ns, per_second(rows, ns));
	return 0;
}

/* ---- query ------------------------------------------------------------- */

static bool is_identifier(const char *s)
{
	const char *p;

	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return false;
	for (p = s + 1; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

/* The table's largest rowid in *max; fails when the table is empty. */
static int max_rowid(sqlite3 *db, const char *path, const char *table, int64_t *max)
{
	char *sql = sqlite3_mprintf("SELECT max(rowid) FROM \"%w\"", table);
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
	sqlite3_free(sql);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		fprintf(stderr, PROG ": %s: cannot read the largest rowid of table %s: %s\n",
			path, table, sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return 1;
	}
	if (sqlite3_column_type(st, 0) == SQLITE_NULL || sqlite3_column_int64(st, 0) < 1) {
		fprintf(stderr, PROG ": %s: table %s has no rows to query; fill it first (for example with ksql-bench-sqlite insert)\n",
			path, table);
		sqlite3_finalize(st);
		return 1;
	}
	*max = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* What the queries read, kept so that reading it cannot be optimised away. */
static volatile uint64_t row_sink;

/* Reads every column of the current row, so SQLite really decodes it. */
static uint64_t read_row(sqlite3_stmt *st)
{
	int i, n = sqlite3_column_count(st);
	uint64_t sum = 0;
	double d;

	for (i = 0; i < n; i++) {
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			sum += (uint64_t)sqlite3_column_int64(st, i);
			break;
		case SQLITE_FLOAT:
			d = sqlite3_column_double(st, i);
			sum += (uint64_t)(int64_t)d;
			break;
		case SQLITE_TEXT:
			sum += (uintptr_t)sqlite3_column_text(st, i);
			sum += (uint64_t)sqlite3_column_bytes(st, i);
			break;
		case SQLITE_BLOB:
			sum += (uintptr_t)sqlite3_column_blob(st, i);
			sum += (uint64_t)sqlite3_column_bytes(st, i);
			break;
		}
	}
	return sum;
}

/* One point query for rowid; its time in *ns, whether a row came in *found. */
static int point_query(sqlite3_stmt *st, int64_t rowid, uint64_t *ns, bool *found)
{
	uint64_t t0 = now_ns();
	int rc;

	*found = false;
	rc = sqlite3_bind_int64(st, 1, rowid);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_sink += read_row(st);
		*found = true;
		rc = SQLITE_OK;
	}
	sqlite3_reset(st);
	*ns = now_ns() - t0;
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Runs the n queries on table; their times in t[]. */
static int run_queries(sqlite3 *db, const char *path, const char *table, uint64_t n,
		       uint64_t *t)
{
	char *sql = sqlite3_mprintf("SELECT * FROM \"%w\" WHERE rowid = ?1", table);
	sqlite3_stmt *st = NULL;
	uint64_t k, misses = 0;
	int64_t max;
	bool found;
	int rc;

	rc = sql ? sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) : SQLITE_NOMEM;
	sqlite3_free(sql);
	if (rc != SQLITE_OK) {
		fprintf(stderr, PROG ": %s: cannot prepare the point query on table %s: %s\n",
			path, table, sqlite3_errmsg(db));
		return 1;
	}
	if (max_rowid(db, path, table, &max)) {
		sqlite3_finalize(st);
		return 1;
	}
	for (k = 0; k < n; k++) {
		int64_t rowid = 1 + (int64_t)((k % (uint64_t)max) * 7919 % (uint64_t)max);

		if (point_query(st, rowid, &t[k], &found) != SQLITE_OK) {
			fprintf(stderr, PROG ": %s: query %" PRIu64 " (rowid %" PRId64 ") on table %s failed: %s\n",
				path, k, rowid, table, sqlite3_errmsg(db));
			sqlite3_finalize(st);
			return 1;
		}
		misses += !found;
	}
	sqlite3_finalize(st);
	/* Not an error (deleted rows leave holes), but it changes what was measured. */
	if (misses)
		fprintf(stderr, PROG ": %s: note: %" PRIu64 " of %" PRIu64 " queries found no row (holes in the rowids of table %s)\n",
			path, misses, n, table);
	return 0;
}

static int cmd_query(int argc, char **argv)
{
	const char *path, *table;
	uint64_t n, k, sum = 0, *t;
	sqlite3 *db = NULL;
	int ret;

	if (argc != 3)
		return bad_usage("query takes DB TABLE N");
	path = argv[0];
	table = argv[1];
	n = parse_count(argv[2]);
	if (!is_identifier(table))
		return bad_usage("TABLE must be a name matching [A-Za-z_][A-Za-z0-9_]*, not '%s'", table);
	if (!n)
		return bad_usage("N must be a positive integer, not '%s'", argv[2]);
	t = n <= SIZE_MAX / sizeof(*t) ? malloc(n * sizeof(*t)) : NULL;
	if (!t) {
		fprintf(stderr, PROG ": no memory for the times of %" PRIu64 " queries; ask for fewer\n", n);
		return 1;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		ret = sql_error(db, path, "cannot open the database read-only; check the path and its permissions");
		goto out;
	}
	sqlite3_extended_result_codes(db, 1);
	/* ksqld's checkpoints and commits may hold a lock for a moment. */
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	ret = run_queries(db, path, table, n, t);
	if (ret)
		goto out;
	qsort(t, n, sizeof(*t), cmp_u64);
	for (k = 0; k < n; k++)
		sum += t[k];
	printf("queries %" PRIu64 "\np50_ns %" PRIu64 "\np99_ns %" PRIu64 "\nmean_ns %" PRIu64 "\n",
	       n, t[n * 50 / 100], t[n * 99 / 100 < n ? n * 99 / 100 : n - 1], sum / n);
out:
	sqlite3_close_v2(db);
	free(t);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "insert") == 0)
		return cmd_insert(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "query") == 0)
		return cmd_query(argc - 2, argv + 2);
	if (argc < 2)
		usage(stderr);
	else
		bad_usage("unknown command '%s': use insert or query", argv[1]);
	return 2;
}
