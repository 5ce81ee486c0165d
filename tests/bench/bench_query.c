// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_query.c - ksqld's message core fed point-query QUERY messages from
 * memory, versus the same query run straight on SQLite by this process:
 * what the daemon adds to a point query (B2) in CPU, without netlink and
 * without thread hand-offs.
 *
 *   bench_query core|sqlite ROWS QUERIES
 *
 * Both fill a fresh WAL database with ROWS rows of the B1 shape, then run
 * QUERIES times "SELECT * FROM bench_log WHERE rowid = ?1" (rowid
 * 1 + k * 7919 % ROWS, as the VM benchmark does). "core" builds each QUERY
 * as ksql.ko would, hands it to ksqld_core_handle() on a read-only
 * connection and parses the RESULT as ksql.ko would (libksql's reassembly);
 * "sqlite" binds, steps and reads every column. Prints ns per query. Under
 * valgrind --tool=callgrind, the difference between two QUERIES values
 * divided by their difference is the instruction count per query.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include <ksql/client.h>
#include "benchdb.h"
#include "codec.h"
#include "core.h"
#include "exec.h"

#define FAMILY	0x2a
#define SQL	"SELECT * FROM bench_log WHERE rowid = ?1"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *what, const char *why)
{
	fprintf(stderr, "bench_query: %s: %s\n", what, why);
	exit(1);
}

static void fill(const char *path, long rows)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long i;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		die(path, sqlite3_errmsg(db));
	if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			 "CREATE TABLE bench_log (ksql_producer INTEGER NOT NULL,"
			 " ksql_seq INTEGER NOT NULL, ksql_time INTEGER NOT NULL, ts INTEGER,"
			 " pid INTEGER, comm TEXT, a INTEGER, b INTEGER); BEGIN",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO bench_log VALUES (1, ?1, ?2, ?3, ?4, 'ksql-bench', ?1, ?5)",
			       -1, &st, NULL) != SQLITE_OK)
		die(path, sqlite3_errmsg(db));
	for (i = 1; i <= rows; i++) {
		sqlite3_bind_int64(st, 1, i);
		sqlite3_bind_int64(st, 2, 1700000000000000000LL + i * 1000);
		sqlite3_bind_int64(st, 3, i * 1000);
		sqlite3_bind_int64(st, 4, i % 32768);
		sqlite3_bind_int64(st, 5, i * 7);
		if (sqlite3_step(st) != SQLITE_DONE)
			die(path, sqlite3_errmsg(db));
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die(path, sqlite3_errmsg(db));
	sqlite3_close(db);
}

struct sent {
	struct ksql_reasm *r;
	int done;
};

static int capture(const void *buf, size_t len, void *ctx)
{
	struct sent *s = ctx;

	s->done = ksql_reasm_feed(s->r, buf, len);
	return s->done < 0 ? s->done : 0;
}

static void run_core(const char *path, long rows, long queries)
{
	struct ksql_msg_hdr h = { .type = FAMILY, .flags = NLM_F_REQUEST, .seq = 1 };
	struct ksqld_core core;
	struct ksqld_exec *ro;
	struct ksql_value v = { .type = KSQL_INT };
	struct ksql_reply *rep;
	struct sent s;
	char err[256], buf[512];
	uint64_t t0;
	long k;

	if (ksqld_exec_open(path, true, &ro, err, sizeof(err)) < 0)
		die(path, err);
	memset(&core, 0, sizeof(core));
	core.exec = ro;
	core.msg_type = FAMILY;
	core.name = "bench";
	t0 = now_ns();
	for (k = 0; k < queries; k++) {
		v.i = 1 + k * 7919 % rows;
		if (ksql_query_build(buf, sizeof(buf), &h, (uint64_t)k + 1, SQL, 30000, &v, 1) < 0)
			die("QUERY", "does not fit");
		memset(&s, 0, sizeof(s));
		if (ksql_reasm_new((uint64_t)k + 1, &s.r) < 0)
			die("reassembly", "out of memory");
		if (ksqld_core_handle(&core, buf, ((struct nlmsghdr *)buf)->nlmsg_len, capture, &s) < 0 ||
		    s.done != 1)
			die("QUERY", "not answered");
		rep = ksql_reasm_take(s.r);
		if (!rep || ksql_reply_rows(rep) != 1)
			die("QUERY", "not one row");
		ksql_reply_free(rep);
		ksql_reasm_free(s.r);
	}
	printf("core %.0f ns/query\n", (double)(now_ns() - t0) / (double)queries);
	ksqld_exec_close(ro);
}

static void run_sqlite(const char *path, long rows, long queries)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	uint64_t t0;
	long k;
	int c;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, SQL, -1, &st, NULL) != SQLITE_OK)
		die(path, sqlite3_errmsg(db));
	t0 = now_ns();
	for (k = 0; k < queries; k++) {
		sqlite3_bind_int64(st, 1, 1 + k * 7919 % rows);
		while (sqlite3_step(st) == SQLITE_ROW)
			for (c = 0; c < sqlite3_column_count(st); c++)
				if (sqlite3_column_type(st, c) == SQLITE_TEXT)
					(void)sqlite3_column_text(st, c);
				else
					(void)sqlite3_column_int64(st, c);
		sqlite3_reset(st);
	}
	printf("sqlite %.0f ns/query\n", (double)(now_ns() - t0) / (double)queries);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/bench_query.XXXXXX", path[64];
	long rows, queries;

	if (argc != 4 || (strcmp(argv[1], "core") && strcmp(argv[1], "sqlite"))) {
		fprintf(stderr, "usage: bench_query core|sqlite ROWS QUERIES\n");
		return 2;
	}
	rows = atol(argv[2]);
	queries = atol(argv[3]);
	if (rows < 1 || queries < 1)
		die("ROWS and QUERIES", "must be positive");
	if (!mkdtemp(dir))
		die(dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/bench.db", dir);
	fill(path, rows);
	if (!strcmp(argv[1], "core"))
		run_core(path, rows, queries);
	else
		run_sqlite(path, rows, queries);
	bench_db_remove(dir);
	return 0;
}
