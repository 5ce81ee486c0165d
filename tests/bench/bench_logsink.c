// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_logsink.c - ksqld's log sink fed LOG messages from memory, versus
 * the same rows inserted straight into SQLite by this process.
 *
 *   bench_logsink sink|sqlite ROWS [BATCH_ROWS [GROUP [normal|full]]]
 *
 * Rows have the B1 shape (ts INTEGER, pid INTEGER, comm TEXT, a INTEGER,
 * b INTEGER). "sink" builds LOG messages of BATCH_ROWS rows (default 256)
 * laid out as ksql.ko lays them out (before the clock starts), then parses
 * them (ksqld_log_parse) and commits GROUP of them per transaction (default
 * 64: ksqld's group commit).
 * "sqlite" inserts the same rows with one prepared INSERT, BATCH_ROWS *
 * GROUP rows per transaction. Both use a fresh WAL database in a temporary
 * directory with synchronous=NORMAL (CPU cost alone), or FULL (ksqld's
 * default: an fsync per commit) when the last argument says so; on a real
 * disk the two tell what durability costs. Prints rows/s. Run under
 * valgrind --tool=callgrind for instruction counts: the difference of two
 * ROWS values divided by their difference is the cost per row.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include "benchdb.h"
#include "codec.h"
#include "exec.h"
#include "logmsg.h"
#include "logsink.h"

#define COLS "ts INTEGER, pid INTEGER, comm TEXT, a INTEGER, b INTEGER"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *why)
{
	fprintf(stderr, "bench_logsink: %s: %s\n", what, why);
	exit(1);
}

/* The comm of row seq: 4 to 15 bytes, like a task name. */
static size_t comm_of(uint64_t seq, char *buf)
{
	return (size_t)snprintf(buf, 16, "task-%llu", (unsigned long long)(seq % 1000000000));
}

static __attribute__((noinline)) struct nlmsghdr *build_log(char *buf, size_t size, uint64_t first, unsigned int n)
{
	struct ksql_msg_hdr h = { .type = 0x2b, .flags = NLM_F_REQUEST };
	struct nlmsghdr *nlh;
	unsigned int i;
	char comm[16];

	memset(buf, 0, size);
	nlh = ksql_msg_start(buf, size, &h, KSQL_CMD_LOG);
	mnl_attr_put_strz(nlh, KSQL_A_TABLE, "bench");
	mnl_attr_put_strz(nlh, KSQL_A_COLUMNS, COLS);
	mnl_attr_put_u64(nlh, KSQL_A_EPOCH, 42);
	for (i = 0; i < n; i++) {
		uint64_t seq = first + i;
		struct nlattr *r = mnl_attr_nest_start(nlh, KSQL_A_ROW);
		size_t len = comm_of(seq, comm);

		mnl_attr_put_u64(nlh, KSQL_R_SEQ, seq);
		mnl_attr_put_u64(nlh, KSQL_R_TIME_NS, 1700000000000000000ULL + seq);
		mnl_attr_put_u64(nlh, KSQL_R_VAL_INT, 1700000000000000000ULL + seq);
		mnl_attr_put_u64(nlh, KSQL_R_VAL_INT, 1000 + seq % 32768);
		mnl_attr_put(nlh, KSQL_R_VAL_TEXT, len, comm);
		mnl_attr_put_u64(nlh, KSQL_R_VAL_INT, seq * 7);
		mnl_attr_put_u64(nlh, KSQL_R_VAL_INT, seq * 13);
		mnl_attr_nest_end(nlh, r);
	}
	return nlh;
}

static void run_sink(const char *path, uint64_t rows, unsigned int batch, unsigned int group)
{
	size_t nmsg = (size_t)((rows + batch - 1) / batch), bufsize = 64 + (size_t)batch * 96 + 256;
	struct ksqld_log_batch *b = calloc(group, sizeof(*b));
	struct ksqld_log_batch **bp = calloc(group, sizeof(*bp));
	struct ksqld_log_outcome *out = calloc(group, sizeof(*out));
	char *bufs = malloc(bufsize * nmsg);
	struct nlmsghdr **msgs = calloc(nmsg, sizeof(*msgs));
	struct ksqld_rows st;
	struct ksqld_exec *e;
	struct ksqld_logsink *ls;
	char err[256];
	uint64_t seq = 1;
	size_t m = 0;
	double t0;

	if (!b || !bp || !out || !bufs || !msgs)
		die("memory", strerror(ENOMEM));
	/* the messages as ksql.ko would send them, built before the clock starts */
	for (m = 0; m < nmsg; m++) {
		unsigned int n = rows - seq + 1 < batch ? (unsigned int)(rows - seq + 1) : batch;

		msgs[m] = build_log(bufs + m * bufsize, bufsize, seq, n);
		seq += n;
	}
	if (ksqld_exec_open(path, false, &e, err, sizeof(err)) < 0)
		die(path, err);
	ls = ksqld_exec_logsink(e);
	ksqld_rows_init(&st);
	ksqld_logsink_open(ls, "bench", COLS, &st);
	if (st.st.err)
		die("TABLE_OPEN", st.errmsg);
	ksqld_rows_release(&st);
	t0 = now_s();
	for (m = 0; m < nmsg;) {
		unsigned int g;

		for (g = 0; g < group && m < nmsg; g++, m++) {
			if (ksqld_log_parse(msgs[m], &b[g], err, sizeof(err)) < 0)
				die("LOG", err);
			bp[g] = &b[g];
		}
		if (ksqld_logsink_commit(ls, bp, g, out) < 0)
			die("commit", "failed");
		while (g--)
			ksqld_log_batch_release(&b[g]);
	}
	printf("sink: %llu rows in %.3f s: %.0f rows/s (batch %u, group %u)\n",
	       (unsigned long long)rows, now_s() - t0, (double)rows / (now_s() - t0), batch, group);
	ksqld_exec_close(e);
	free(msgs);
	free(bufs);
	free(out);
	free(bp);
	free(b);
}

static bool sync_full;

static void run_sqlite(const char *path, uint64_t rows, unsigned int per_txn)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	uint64_t seq;
	char comm[16];
	double t0;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		die(path, sqlite3_errmsg(db));
	if (sqlite3_exec(db, sync_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode=WAL;"
			 "CREATE TABLE bench (ksql_producer INTEGER NOT NULL, ksql_seq INTEGER NOT NULL,"
			 " ksql_time INTEGER NOT NULL, " COLS ")", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO bench VALUES (1, ?, ?, ?, ?, ?, ?, ?)", -1, &st,
			       NULL) != SQLITE_OK)
		die("sqlite", sqlite3_errmsg(db));
	t0 = now_s();
	for (seq = 1; seq <= rows; seq++) {
		if ((seq - 1) % per_txn == 0)
			sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)(1700000000000000000ULL + seq));
		sqlite3_bind_int64(st, 3, (sqlite3_int64)(1700000000000000000ULL + seq));
		sqlite3_bind_int64(st, 4, (sqlite3_int64)(1000 + seq % 32768));
		sqlite3_bind_text(st, 5, comm, (int)comm_of(seq, comm), SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, (sqlite3_int64)(seq * 7));
		sqlite3_bind_int64(st, 7, (sqlite3_int64)(seq * 13));
		if (sqlite3_step(st) != SQLITE_DONE)
			die("insert", sqlite3_errmsg(db));
		sqlite3_reset(st);
		if (seq % per_txn == 0 || seq == rows)
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	printf("sqlite: %llu rows in %.3f s: %.0f rows/s (%u rows per transaction)\n",
	       (unsigned long long)rows, now_s() - t0, (double)rows / (now_s() - t0), per_txn);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/bench_logsink.XXXXXX", path[64];
	unsigned int batch = 256, group = 64;
	uint64_t rows;

	if (argc < 3 || (strcmp(argv[1], "sink") && strcmp(argv[1], "sqlite"))) {
		fprintf(stderr, "usage: bench_logsink sink|sqlite ROWS [BATCH_ROWS [GROUP [normal|full]]]\n");
		return 2;
	}
	rows = strtoull(argv[2], NULL, 10);
	if (argc > 3)
		batch = (unsigned int)strtoul(argv[3], NULL, 10);
	if (argc > 4)
		group = (unsigned int)strtoul(argv[4], NULL, 10);
	if (argc > 5 && strcmp(argv[5], "normal") && strcmp(argv[5], "full"))
		die("arguments", "the last one is normal or full");
	sync_full = argc > 5 && !strcmp(argv[5], "full");
	ksqld_exec_set_synchronous_full(sync_full);
	if (!rows || !batch || !group || group > KSQLD_LOG_GROUP_MAX)
		die("arguments", "ROWS and BATCH_ROWS must be > 0, GROUP 1..64");
	if (!mkdtemp(dir))
		die("mkdtemp", strerror(errno));
	snprintf(path, sizeof(path), "%s/bench.db", dir);
	if (!strcmp(argv[1], "sink"))
		run_sink(path, rows, batch, group);
	else
		run_sqlite(path, rows, batch * group);
	bench_db_remove(dir);
	return 0;
}
