// SPDX-License-Identifier: GPL-2.0-only
/* check_args.c - ksqld's command line. */
#include <errno.h>
#include <stdio.h>
#include <ksql/client.h>
#include "args.h"
#include "testutil.h"

static int parse(struct ksqld_config *cfg, int argc, const char **argv)
{
	return ksqld_parse_args(argc, (char **)argv, cfg);
}

START_TEST(parse_args)
{
	struct ksqld_config cfg;
	const char *full[] = { "ksqld", "--db", "/var/lib/ksql.db", "--control", "/tmp/c.sock", "-v", NULL };
	const char *shortf[] = { "ksqld", "-d", "a.db", NULL };
	const char *nodb[] = { "ksqld", "--verbose", NULL };
	const char *noval[] = { "ksqld", "--db", NULL };
	const char *extra[] = { "ksqld", "--db", "a.db", "more", NULL };
	const char *unknown[] = { "ksqld", "--db", "a.db", "--frobnicate", NULL };
	const char *emptyctl[] = { "ksqld", "--db", "a.db", "--control", "", NULL };

	ck_assert_int_eq(parse(&cfg, 6, full), 0);
	ck_assert_str_eq(cfg.db, "/var/lib/ksql.db");
	ck_assert_str_eq(cfg.control, "/tmp/c.sock");
	ck_assert(cfg.verbose);
	ck_assert_int_eq(parse(&cfg, 3, shortf), 0);
	ck_assert_str_eq(cfg.db, "a.db");
	ck_assert_str_eq(cfg.control, KSQL_CONTROL_PATH_DEFAULT);
	ck_assert(!cfg.verbose);
	ck_assert_int_eq(parse(&cfg, 2, nodb), -EINVAL);
	ck_assert_int_eq(parse(&cfg, 2, noval), -EINVAL);
	ck_assert_int_eq(parse(&cfg, 4, extra), -EINVAL);
	ck_assert_int_eq(parse(&cfg, 4, unknown), -EINVAL);
	ck_assert_int_eq(parse(&cfg, 5, emptyctl), -EINVAL);
}
END_TEST

START_TEST(parse_pool_options)
{
	struct ksqld_config cfg;
	const char *dflt[] = { "ksqld", "-d", "a.db", NULL };
	const char *set[] = { "ksqld", "-d", "a.db", "--readers", "0", "--rcvbuf", "4096", NULL };
	const char *many[] = { "ksqld", "-d", "a.db", "-r", "16", NULL };
	const char *toomany[] = { "ksqld", "-d", "a.db", "--readers", "17", NULL };
	const char *notnum[] = { "ksqld", "-d", "a.db", "--readers", "2x", NULL };
	const char *tiny[] = { "ksqld", "-d", "a.db", "--rcvbuf", "10", NULL };

	ck_assert_int_eq(parse(&cfg, 3, dflt), 0);
	ck_assert_uint_eq(cfg.readers, 2);
	ck_assert_int_eq(cfg.rcvbuf, 0);
	ck_assert_int_eq(parse(&cfg, 7, set), 0);
	ck_assert_uint_eq(cfg.readers, 0);
	ck_assert_int_eq(cfg.rcvbuf, 4096);
	ck_assert_int_eq(parse(&cfg, 5, many), 0);
	ck_assert_uint_eq(cfg.readers, 16);
	ck_assert_int_eq(parse(&cfg, 5, toomany), -EINVAL);
	ck_assert_int_eq(parse(&cfg, 5, notnum), -EINVAL);
	ck_assert_int_eq(parse(&cfg, 5, tiny), -EINVAL);
}
END_TEST

START_TEST(parse_synchronous)
{
	struct ksqld_config cfg;
	const char *dflt[] = { "ksqld", "-d", "a.db", NULL };
	const char *full[] = { "ksqld", "-d", "a.db", "--synchronous", "full", NULL };
	const char *normal[] = { "ksqld", "-d", "a.db", "-s", "normal", NULL };
	const char *bad[] = { "ksqld", "-d", "a.db", "--synchronous", "off", NULL };

	ck_assert_int_eq(parse(&cfg, 3, dflt), 0);
	ck_assert(!cfg.sync_full);
	ck_assert_int_eq(parse(&cfg, 5, full), 0);
	ck_assert(cfg.sync_full);
	ck_assert_int_eq(parse(&cfg, 5, normal), 0);
	ck_assert(!cfg.sync_full);
	ck_assert_int_eq(parse(&cfg, 5, bad), -EINVAL);
}
END_TEST

START_TEST(parse_help_version)
{
	struct ksqld_config cfg;
	const char *help[] = { "ksqld", "--help", NULL };
	const char *version[] = { "ksqld", "-V", NULL };

	ck_assert_int_eq(parse(&cfg, 2, help), 1);
	ck_assert_int_eq(parse(&cfg, 2, version), 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("args");
	TCase *tc = tcase_create("ksqld_parse_args");

	tcase_add_test(tc, parse_args);
	tcase_add_test(tc, parse_help_version);
	tcase_add_test(tc, parse_pool_options);
	tcase_add_test(tc, parse_synchronous);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
