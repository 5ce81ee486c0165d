/* SPDX-License-Identifier: GPL-2.0-only */
/* testutil.h - small helpers shared by the Check unit tests. */
#ifndef KSQL_TESTUTIL_H
#define KSQL_TESTUTIL_H

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <ksql/value.h>

#define VNULL		((struct ksql_value){ .type = KSQL_NULL })
#define VINT(x)		((struct ksql_value){ .type = KSQL_INT, .i = (x) })
#define VREAL(b)	((struct ksql_value){ .type = KSQL_REAL, .real = (b) })
#define VTEXT(s)	((struct ksql_value){ .type = KSQL_TEXT, .len = (uint32_t)strlen(s), .text = (s) })
#define VBLOB(p, n)	((struct ksql_value){ .type = KSQL_BLOB, .len = (n), .blob = (p) })

static inline void assert_value_eq(const struct ksql_value *a, const struct ksql_value *b)
{
	ck_assert_int_eq(a->type, b->type);
	switch (a->type) {
	case KSQL_NULL:
		break;
	case KSQL_INT:
		ck_assert_int_eq(a->i, b->i);
		break;
	case KSQL_REAL:
		ck_assert_uint_eq(a->real, b->real);
		break;
	case KSQL_TEXT:
	case KSQL_BLOB:
		ck_assert_uint_eq(a->len, b->len);
		ck_assert(memcmp(a->blob, b->blob, a->len) == 0);
		break;
	}
}

/* A named test function: one TCase each, as the suites are laid out. */
struct test_case {
	const char *name;
	const TTest *test;
};

/*
 * Adds one TCase per entry of @cases to @s, each with the checked fixture
 * @setup/@teardown (both may be NULL).
 */
static inline void add_cases(Suite *s, const struct test_case *cases, size_t n,
			     SFun setup, SFun teardown)
{
	size_t i;

	for (i = 0; i < n; i++) {
		TCase *tc = tcase_create(cases[i].name);

		if (setup || teardown)
			tcase_add_checked_fixture(tc, setup, teardown);
		tcase_add_test(tc, cases[i].test);
		suite_add_tcase(s, tc);
	}
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Runs a suite; exit status for main(). */
static inline int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
