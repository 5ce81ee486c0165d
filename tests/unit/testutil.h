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
