// SPDX-License-Identifier: GPL-2.0-only
/*
 * check_core.c - ksqld's message core driven with byte buffers: the test plays
 * the kernel, building QUERY messages and reassembling the RESULT chunks.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sqlite3.h>
#include <ksql/client.h>
#include "codec.h"
#include "core.h"
#include "exec.h"
#include "log.h"
#include "testutil.h"

#define FAMILY 0x2a

static char dir[256];
static char dbpath[300];
static struct ksqld_exec *exec_rw;
static struct ksqld_core core;

struct sent {
	struct ksql_reasm *r;
	int done;		/* last feed result */
	unsigned int msgs;
	size_t max_len;
	int bad_type;
};

static int capture(const void *buf, size_t len, void *ctx)
{
	struct sent *s = ctx;
	const struct nlmsghdr *nlh = buf;

	s->msgs++;
	if (len > s->max_len)
		s->max_len = len;
	/* The kernel drops messages without NLM_F_REQUEST unprocessed. */
	if (nlh->nlmsg_type != FAMILY || nlh->nlmsg_pid != 0 || len != nlh->nlmsg_len ||
	    !(nlh->nlmsg_flags & NLM_F_REQUEST))
		s->bad_type = 1;
	ck_assert_int_eq(s->done, 0);	/* nothing after the final chunk */
	s->done = ksql_reasm_feed(s->r, buf, len);
	ck_assert_int_ge(s->done, 0);
	return 0;
}

static uint64_t next_id = 100;

/* Sends one QUERY through the core; returns the reassembled reply. */
static struct ksql_reply *query(const char *sql, const struct ksql_value *p, unsigned int n,
				struct sent *s)
{
	struct ksql_msg_hdr h = { .type = FAMILY, .flags = NLM_F_REQUEST, .seq = 1 };
	uint64_t id = next_id++;
	size_t size = ksql_query_size(sql, p, n);
	char *buf = calloc(1, size);
	struct ksql_reply *rep;

	memset(s, 0, sizeof(*s));
	ck_assert_int_eq(ksql_query_build(buf, size, &h, id, sql, 30000, p, n), 0);
	ck_assert_int_eq(ksql_reasm_new(id, &s->r), 0);
	ck_assert_int_eq(ksqld_core_handle(&core, buf, ((struct nlmsghdr *)buf)->nlmsg_len,
					   capture, s), 0);
	ck_assert_int_eq(s->done, 1);
	ck_assert_int_eq(s->bad_type, 0);
	rep = ksql_reasm_take(s->r);
	ksql_reasm_free(s->r);
	free(buf);
	ck_assert_ptr_nonnull(rep);
	return rep;
}

static struct ksql_reply *q0(const char *sql)
{
	struct sent s;

	return query(sql, NULL, 0, &s);
}

static void setup(void)
{
	char err[256];
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/check_core.XXXXXX", tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(dbpath, sizeof(dbpath), "%s/test.db", dir);
	ck_assert_int_eq(ksqld_exec_open(dbpath, false, &exec_rw, err, sizeof(err)), 0);
	memset(&core, 0, sizeof(core));
	core.exec = exec_rw;
	core.msg_type = FAMILY;
	core.name = "test";
	ksql_reply_free(q0("CREATE TABLE t (id INTEGER PRIMARY KEY, i INT, r REAL, s TEXT, b BLOB, n)"));
}

static void teardown(void)
{
	char cmd[600];

	ksqld_exec_close(exec_rw);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(query_insert_select)
{
	static const unsigned char blob[] = { 0, 9, 0, 0xfe };
	struct ksql_value p[] = {
		VINT(INT64_MIN), VREAL(0xc000000000000000ULL) /* -2.0 */, VTEXT("héllo\n"),
		VBLOB(blob, sizeof(blob)), VNULL,
	};
	struct ksql_reply *rep;
	struct sent s;
	unsigned int i;

	rep = query("INSERT INTO t (i, r, s, b, n) VALUES (?1, ?2, ?3, ?4, ?5)", p, 5, &s);
	ck_assert_int_eq(ksql_reply_errno(rep), 0);
	ck_assert_uint_eq(ksql_reply_changes(rep), 1);
	ck_assert_int_eq(ksql_reply_last_rowid(rep), 1);
	ck_assert_uint_eq(ksql_reply_cols(rep), 0);
	ksql_reply_free(rep);
	p[0] = VINT(INT64_MAX);
	p[1] = VREAL(0x400921fb54442d18ULL);	/* pi */
	rep = query("INSERT INTO t (i, r, s, b, n) VALUES (?1, ?2, ?3, ?4, ?5)", p, 5, &s);
	ck_assert_int_eq(ksql_reply_last_rowid(rep), 2);
	ksql_reply_free(rep);

	rep = q0("SELECT id, i, r, s, b, n AS none_col FROM t ORDER BY id");
	ck_assert_str_eq(ksql_reply_errmsg(rep), "");
	ck_assert_int_eq(ksql_reply_errno(rep), 0);
	ck_assert_uint_eq(ksql_reply_cols(rep), 6);
	ck_assert_uint_eq(ksql_reply_rows(rep), 2);
	ck_assert_str_eq(ksql_reply_colname(rep, 0), "id");
	ck_assert_str_eq(ksql_reply_colname(rep, 5), "none_col");
	ck_assert_uint_eq(ksql_reply_changes(rep), 0);	/* a SELECT changes nothing */
	assert_value_eq(ksql_reply_value(rep, 0, 0), &VINT(1));
	assert_value_eq(ksql_reply_value(rep, 0, 1), &VINT(INT64_MIN));
	assert_value_eq(ksql_reply_value(rep, 0, 2), &VREAL(0xc000000000000000ULL));
	assert_value_eq(ksql_reply_value(rep, 1, 1), &VINT(INT64_MAX));
	assert_value_eq(ksql_reply_value(rep, 1, 2), &VREAL(0x400921fb54442d18ULL));
	for (i = 0; i < 2; i++) {
		assert_value_eq(ksql_reply_value(rep, i, 3), &p[2]);
		assert_value_eq(ksql_reply_value(rep, i, 4), &p[3]);
		assert_value_eq(ksql_reply_value(rep, i, 5), &p[4]);
	}
	ksql_reply_free(rep);

	rep = q0("UPDATE t SET n = 1");
	ck_assert_uint_eq(ksql_reply_changes(rep), 2);
	ksql_reply_free(rep);
}
END_TEST

START_TEST(query_params_types)
{
	struct ksql_value p[] = {
		VNULL, VINT(-42), VREAL(0x3ff8000000000000ULL) /* 1.5 */, VTEXT(""),
		VBLOB("", 0), VTEXT("x'y"), VREAL(0x8000000000000000ULL) /* -0.0 */,
	};
	struct ksql_reply *rep;
	struct sent s;

	rep = query("SELECT typeof(?1), ?2 + 1, ?3 * 2, typeof(?4) || length(?4), "
		    "typeof(?5) || length(?5), ?6, ?7", p, 7, &s);
	ck_assert_int_eq(ksql_reply_errno(rep), 0);
	ck_assert_uint_eq(ksql_reply_rows(rep), 1);
	assert_value_eq(ksql_reply_value(rep, 0, 0), &VTEXT("null"));
	assert_value_eq(ksql_reply_value(rep, 0, 1), &VINT(-41));
	assert_value_eq(ksql_reply_value(rep, 0, 2), &VREAL(0x4008000000000000ULL)); /* 3.0 */
	assert_value_eq(ksql_reply_value(rep, 0, 3), &VTEXT("text0"));
	assert_value_eq(ksql_reply_value(rep, 0, 4), &VTEXT("blob0"));
	assert_value_eq(ksql_reply_value(rep, 0, 5), &VTEXT("x'y"));
	/* The sign of zero survives binding and reading back. */
	assert_value_eq(ksql_reply_value(rep, 0, 6), &VREAL(0x8000000000000000ULL));
	ksql_reply_free(rep);

	/* Wrong parameter count, both ways. */
	rep = query("SELECT ?1, ?2", p, 1, &s);
	ck_assert_int_eq(ksql_reply_errno(rep), EINVAL);
	ck_assert_ptr_nonnull(strstr(ksql_reply_errmsg(rep), "takes 2 parameters"));
	ksql_reply_free(rep);
	rep = query("SELECT 1", p, 2, &s);
	ck_assert_int_eq(ksql_reply_errno(rep), EINVAL);
	ksql_reply_free(rep);
}
END_TEST

START_TEST(query_sql_errors)
{
	struct ksql_reply *rep;

	rep = q0("SELECT * FROM nope");
	ck_assert_int_eq(ksql_reply_errno(rep), EINVAL);
	ck_assert_int_eq(ksql_reply_sqlite_code(rep), SQLITE_ERROR);
	ck_assert_str_eq(ksql_reply_errmsg(rep), "no such table: nope");
	ck_assert_uint_eq(ksql_reply_rows(rep), 0);
	ksql_reply_free(rep);

	ksql_reply_free(q0("CREATE UNIQUE INDEX t_i ON t(i)"));
	ksql_reply_free(q0("INSERT INTO t (i) VALUES (5)"));
	rep = q0("INSERT INTO t (i) VALUES (5)");
	ck_assert_int_eq(ksql_reply_errno(rep), EINVAL);
	ck_assert_int_eq(ksql_reply_sqlite_code(rep), SQLITE_CONSTRAINT_UNIQUE);
	ck_assert_ptr_nonnull(strstr(ksql_reply_errmsg(rep), "UNIQUE constraint failed"));
	ksql_reply_free(rep);

	rep = q0("SELEKT 1");
	ck_assert_int_eq(ksql_reply_errno(rep), EINVAL);
	ck_assert_ptr_nonnull(strstr(ksql_reply_errmsg(rep), "syntax error"));
	ksql_reply_free(rep);

	rep = q0("  -- nothing here\n");
	ck_assert_int_eq(ksql_reply_errno(rep), EINVAL);
	ksql_reply_free(rep);
}
END_TEST

START_TEST(query_multi_statement)
{
	struct ksql_reply *rep;

	rep = q0("INSERT INTO t (i) VALUES (1); DROP TABLE t");
	ck_assert_int_eq(ksql_reply_errno(rep), EINVAL);
	ck_assert_str_eq(ksql_reply_errmsg(rep),
			 "ksql runs one statement per call; the SQL has text after the first statement");
	ksql_reply_free(rep);
	/* Nothing ran: the table is still there and empty. */
	rep = q0("SELECT count(*) FROM t;  -- trailing comment\n ;");
	ck_assert_int_eq(ksql_reply_errno(rep), 0);
	assert_value_eq(ksql_reply_value(rep, 0, 0), &VINT(0));
	ksql_reply_free(rep);
}
END_TEST

START_TEST(query_large_result)
{
	struct ksql_reply *rep;
	struct sent s;
	unsigned int r;

	ksql_reply_free(q0("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000) "
			   "INSERT INTO t (i, s) SELECT x, printf('row %06d %s', x, hex(zeroblob(20))) FROM c"));
	rep = query("SELECT i, s FROM t ORDER BY i", NULL, 0, &s);
	ck_assert_int_eq(ksql_reply_errno(rep), 0);
	ck_assert_uint_eq(ksql_reply_rows(rep), 20000);
	ck_assert_uint_gt(s.msgs, 20);
	ck_assert_uint_le(s.max_len, KSQL_CHUNK_TARGET);
	for (r = 0; r < 20000; r += 997) {
		char want[80];

		snprintf(want, sizeof(want), "row %06u %040d", r + 1, 0);
		assert_value_eq(ksql_reply_value(rep, r, 0), &VINT(r + 1));
		assert_value_eq(ksql_reply_value(rep, r, 1), &VTEXT(want));
	}
	ksql_reply_free(rep);
}
END_TEST

START_TEST(query_too_big)
{
	struct ksql_reply *rep;
	char sql[KSQL_NAME_MAX + 64];

	rep = q0("SELECT 1, zeroblob(70000)");
	ck_assert_int_eq(ksql_reply_errno(rep), E2BIG);
	ck_assert_uint_eq(ksql_reply_rows(rep), 0);
	ck_assert_ptr_nonnull(strstr(ksql_reply_errmsg(rep), "65531"));
	ksql_reply_free(rep);

	rep = q0("SELECT zeroblob(65531)");
	ck_assert_int_eq(ksql_reply_errno(rep), 0);
	ck_assert_uint_eq(ksql_value_attr_size(ksql_reply_value(rep, 0, 0)), 4 + 65532);
	ksql_reply_free(rep);

	snprintf(sql, sizeof(sql), "SELECT 1 AS \"%0*d\"", KSQL_NAME_MAX + 1, 0);
	rep = q0(sql);
	ck_assert_int_eq(ksql_reply_errno(rep), E2BIG);
	ck_assert_ptr_nonnull(strstr(ksql_reply_errmsg(rep), "name"));
	ksql_reply_free(rep);
}
END_TEST

START_TEST(query_timeout)
{
	struct ksql_msg_hdr h = { .type = FAMILY, .flags = NLM_F_REQUEST };
	const char *sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
			  "SELECT count(*) FROM c";
	size_t size = ksql_query_size(sql, NULL, 0);
	char *buf = calloc(1, size);
	struct ksql_reply *rep;
	struct sent s = { 0 };

	/* The caller waits 100 ms: an endless statement is interrupted. */
	ck_assert_int_eq(ksql_query_build(buf, size, &h, 9, sql, 100, NULL, 0), 0);
	ck_assert_int_eq(ksql_reasm_new(9, &s.r), 0);
	ck_assert_int_eq(ksqld_core_handle(&core, buf, ((struct nlmsghdr *)buf)->nlmsg_len,
					   capture, &s), 0);
	ck_assert_int_eq(s.done, 1);
	rep = ksql_reasm_take(s.r);
	ck_assert_int_eq(ksql_reply_errno(rep), ETIMEDOUT);
	ck_assert_int_eq(ksql_reply_sqlite_code(rep), SQLITE_INTERRUPT);
	ck_assert_ptr_nonnull(strstr(ksql_reply_errmsg(rep), "100 ms"));
	ksql_reply_free(rep);
	ksql_reasm_free(s.r);
	free(buf);
	/* The connection is fine afterwards. */
	rep = q0("SELECT 7");
	assert_value_eq(ksql_reply_value(rep, 0, 0), &VINT(7));
	ksql_reply_free(rep);
}
END_TEST

static int no_send(const void *buf, size_t len, void *ctx)
{
	(*(int *)ctx)++;
	return 0;
}

START_TEST(handle_other_messages)
{
	char buf[256];
	struct ksql_msg_hdr h = { .type = FAMILY };
	struct nlmsghdr *nlh;
	struct sent s = { 0 };
	int sends = 0;

	/* CANCEL: from the kernel accepted, nothing sent; from elsewhere refused. */
	nlh = ksql_msg_start(buf, sizeof(buf), &h, KSQL_CMD_CANCEL);
	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 5);
	ck_assert_int_eq(ksqld_core_handle(&core, buf, nlh->nlmsg_len, no_send, &sends), -EPERM);
	core.from_kernel = true;
	ck_assert_int_eq(ksqld_core_handle(&core, buf, nlh->nlmsg_len, no_send, &sends), 0);
	core.from_kernel = false;
	ck_assert_int_eq(sends, 0);
	/* Unknown command, wrong type, truncated: refused, nothing sent. */
	nlh = ksql_msg_start(buf, sizeof(buf), &h, KSQL_CMD_STATS);
	ck_assert_int_eq(ksqld_core_handle(&core, buf, nlh->nlmsg_len, no_send, &sends), -EOPNOTSUPP);
	nlh->nlmsg_type = FAMILY + 1;
	ck_assert_int_eq(ksqld_core_handle(&core, buf, nlh->nlmsg_len, no_send, &sends), -EINVAL);
	ck_assert_int_eq(ksqld_core_handle(&core, buf, 10, no_send, &sends), -EINVAL);
	ck_assert_int_eq(sends, 0);
	/* A QUERY without SQL but with an id gets an EINVAL answer. */
	nlh = ksql_msg_start(buf, sizeof(buf), &h, KSQL_CMD_QUERY);
	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 6);
	ck_assert_int_eq(ksql_reasm_new(6, &s.r), 0);
	ck_assert_int_eq(ksqld_core_handle(&core, buf, nlh->nlmsg_len, capture, &s), 0);
	ck_assert_int_eq(s.done, 1);
	{
		struct ksql_reply *rep = ksql_reasm_take(s.r);

		ck_assert_int_eq(ksql_reply_errno(rep), EINVAL);
		ksql_reply_free(rep);
	}
	ksql_reasm_free(s.r);
	/* Without an id there is nobody to answer. */
	nlh = ksql_msg_start(buf, sizeof(buf), &h, KSQL_CMD_QUERY);
	mnl_attr_put_strz(nlh, KSQL_A_SQL, "SELECT 1");
	ck_assert_int_eq(ksqld_core_handle(&core, buf, nlh->nlmsg_len, no_send, &sends), -EINVAL);
	ck_assert_int_eq(sends, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("core");
	const struct test_case cases[] = {
		{ "QUERY insert/select", query_insert_select },
		{ "QUERY parameters", query_params_types },
		{ "QUERY SQL errors", query_sql_errors },
		{ "QUERY multi-statement", query_multi_statement },
		{ "QUERY large result", query_large_result },
		{ "QUERY over limits", query_too_big },
		{ "QUERY timeout", query_timeout },
		{ "ksqld_core_handle other messages", handle_other_messages },
	};

	ksqld_log_init(false);
	add_cases(s, cases, ARRAY_LEN(cases), setup, teardown);
	return run_suite(s);
}
