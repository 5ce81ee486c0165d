// SPDX-License-Identifier: GPL-2.0-only
/*
 * check_format.c - Check tests of ksqlctl's value formatting and parameter
 * parsing (tools/ksqlctl/format.c).
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ksqlctl.h"
#include "testutil.h"	/* tests/unit: add_cases(), run_suite() */

static uint64_t bits(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	return u;
}

static void assert_text(const struct ksql_value *v, const char *want)
{
	char *s = ctl_value_text(v);

	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, want);
	free(s);
}

START_TEST(test_format_real)
{
	char buf[64];

	ctl_format_real(buf, sizeof(buf), 3.5);
	ck_assert_str_eq(buf, "3.5");
	ctl_format_real(buf, sizeof(buf), 2.0);
	ck_assert_str_eq(buf, "2.0");
	ctl_format_real(buf, sizeof(buf), 0.1);
	ck_assert_str_eq(buf, "0.1");
	ctl_format_real(buf, sizeof(buf), 1e100);
	ck_assert_str_eq(buf, "1e+100");
	ctl_format_real(buf, sizeof(buf), NAN);
	ck_assert_str_eq(buf, "NaN");
	ctl_format_real(buf, sizeof(buf), -INFINITY);
	ck_assert_str_eq(buf, "-Inf");
	/* shortest form that round-trips */
	ctl_format_real(buf, sizeof(buf), 0.1 + 0.2);
	ck_assert(strtod(buf, NULL) == 0.1 + 0.2);
}
END_TEST

START_TEST(test_value_text)
{
	struct ksql_value v = { .type = KSQL_NULL };
	static const unsigned char blob[] = { 0x00, 0xab, 0xff };

	assert_text(&v, "NULL");
	v = (struct ksql_value){ .type = KSQL_INT, .i = -42 };
	assert_text(&v, "-42");
	v = (struct ksql_value){ .type = KSQL_REAL, .real = bits(1.25) };
	assert_text(&v, "1.25");
	v = (struct ksql_value){ .type = KSQL_TEXT, .text = "a\nb\tc", .len = 5 };
	assert_text(&v, "a\\nb\\tc");
	v = (struct ksql_value){ .type = KSQL_TEXT, .text = "abcdef", .len = 3 };
	assert_text(&v, "abc");
	v = (struct ksql_value){ .type = KSQL_BLOB, .blob = blob, .len = 3 };
	assert_text(&v, "X'00ABFF'");
	v = (struct ksql_value){ .type = KSQL_BLOB, .blob = blob, .len = 0 };
	assert_text(&v, "X''");
}
END_TEST

START_TEST(test_parse_param)
{
	struct ksql_value v;
	void *st;
	double d;

	ck_assert_int_eq(ctl_parse_param("42", &v, &st), 0);
	ck_assert_int_eq(v.type, KSQL_INT);
	ck_assert_int_eq(v.i, 42);
	ck_assert_int_eq(ctl_parse_param("-2.5e3", &v, &st), 0);
	ck_assert_int_eq(v.type, KSQL_REAL);
	memcpy(&d, &v.real, sizeof(d));
	ck_assert(d == -2500.0);
	ck_assert_int_eq(ctl_parse_param("null", &v, &st), 0);
	ck_assert_int_eq(v.type, KSQL_NULL);
	ck_assert_int_eq(ctl_parse_param("hello", &v, &st), 0);
	ck_assert_int_eq(v.type, KSQL_TEXT);
	ck_assert_uint_eq(v.len, 5);
	ck_assert_int_eq(ctl_parse_param("nan", &v, &st), 0);
	ck_assert_int_eq(v.type, KSQL_TEXT);
	ck_assert_int_eq(ctl_parse_param("text:12", &v, &st), 0);
	ck_assert_int_eq(v.type, KSQL_TEXT);
	ck_assert_int_eq(memcmp(v.text, "12", 2), 0);
	ck_assert_int_eq(ctl_parse_param("int:7", &v, &st), 0);
	ck_assert_int_eq(v.i, 7);
	ck_assert_int_ne(ctl_parse_param("int:x", &v, &st), 0);
	ck_assert_int_eq(ctl_parse_param("X'0aFF'", &v, &st), 0);
	ck_assert_int_eq(v.type, KSQL_BLOB);
	ck_assert_uint_eq(v.len, 2);
	ck_assert_int_eq(((const unsigned char *)v.blob)[1], 0xff);
	free(st);
	ck_assert_int_eq(ctl_parse_param("blob:", &v, &st), 0);
	ck_assert_uint_eq(v.len, 0);
	free(st);
	ck_assert_int_ne(ctl_parse_param("blob:abc", &v, &st), 0);
}
END_TEST

int main(void)
{
	const struct test_case cases[] = {
		{ "ctl_format_real", test_format_real },
		{ "ctl_value_text", test_value_text },
		{ "ctl_parse_param", test_parse_param },
	};
	Suite *s = suite_create("ksqlctl-format");

	add_cases(s, cases, ARRAY_LEN(cases), NULL, NULL);
	return run_suite(s);
}
