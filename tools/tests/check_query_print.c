// SPDX-License-Identifier: GPL-2.0-only
/*
 * check_query_print.c - Check tests of "ksqlctl query"'s table output
 * (print_reply() in tools/ksqlctl/query.c, included for its statics): the
 * borders line up whatever the column names hold.
 */
#include <check.h>

#include "../ksqlctl/query.c"
#include "codec.h"
#include "testutil.h"	/* tests/unit: add_cases(), run_suite() */

/* main.c's, not linked here. */
void ctl_err(const char *fmt, ...)
{
}

bool ctl_wants_help(int argc, char **argv)
{
	return false;
}

static int feed(const struct nlmsghdr *nlh, void *ctx)
{
	return ksql_reasm_feed(ctx, nlh, nlh->nlmsg_len) < 0 ? -EPROTO : 0;
}

/* The reply ksqld would send for cols and one row of vals. */
static struct ksql_reply *reply(const char *const *cols, unsigned int ncols,
				const struct ksql_value *vals)
{
	struct ksql_chunk_cfg cfg = { .hdr = { .type = KSQL_CTL_MSG_TYPE }, .req_id = 1 };
	struct ksql_result_status st = { 0 };
	struct ksql_reasm *r;
	struct ksql_reply *rep;

	ck_assert_int_eq(ksql_reasm_new(1, &r), 0);
	ck_assert_int_eq(ksql_result_emit(&cfg, cols, ncols, vals, 1, &st, feed, r), 0);
	rep = ksql_reasm_take(r);
	ksql_reasm_free(r);
	ck_assert_ptr_nonnull(rep);
	return rep;
}

/* The table print_reply() writes for rep. */
static char *table(const struct ksql_reply *rep)
{
	FILE *saved = stdout;
	char *doc = NULL;
	size_t len;

	stdout = open_memstream(&doc, &len);
	ck_assert_ptr_nonnull(stdout);
	out_init(stdout, false);
	ck_assert_int_eq(print_reply(rep), CTL_EXIT_OK);
	ck_assert_int_eq(fclose(stdout), 0);
	stdout = saved;
	return doc;
}

START_TEST(test_table_colnames_escaped)
{
	static const char *const cols[] = { "a\nb", "c\x01" };
	const struct ksql_value vals[] = {
		{ .type = KSQL_INT, .i = 1 }, { .type = KSQL_TEXT, .len = 1, .text = "x" },
	};
	struct ksql_reply *rep = reply(cols, 2, vals);
	char *doc = table(rep);

	/* Escaped as TEXT cells are, so the header stays one line. */
	ck_assert_str_eq(doc,
			 "+------+-------+\n"
			 "| a\\nb | c\\x01 |\n"
			 "+------+-------+\n"
			 "| 1    | x     |\n"
			 "+------+-------+\n");
	free(doc);
	ksql_reply_free(rep);
}
END_TEST

START_TEST(test_table_plain)
{
	static const char *const cols[] = { "id", "name" };
	const struct ksql_value vals[] = {
		{ .type = KSQL_INT, .i = 42 }, { .type = KSQL_TEXT, .len = 6, .text = "h\xc3\xa9llo" },
	};
	struct ksql_reply *rep = reply(cols, 2, vals);
	char *doc = table(rep);

	ck_assert_str_eq(doc,
			 "+----+-------+\n"
			 "| id | name  |\n"
			 "+----+-------+\n"
			 "| 42 | h\xc3\xa9llo |\n"
			 "+----+-------+\n");
	free(doc);
	ksql_reply_free(rep);
}
END_TEST

int main(void)
{
	const struct test_case cases[] = {
		{ "table_colnames_escaped", test_table_colnames_escaped },
		{ "table_plain", test_table_plain },
	};
	Suite *s = suite_create("ksqlctl-query-print");

	add_cases(s, cases, ARRAY_LEN(cases), NULL, NULL);
	return run_suite(s);
}
