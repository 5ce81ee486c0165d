// SPDX-License-Identifier: GPL-2.0-only
/*
 * check_out.c - Check tests of ksqlctl's printing path (tools/ksqlctl/out.c):
 * the JSON it writes must be valid JSON in valid UTF-8 whatever the values.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksqlctl.h"
#include "testutil.h"	/* tests/unit: add_cases(), run_suite() */

/* TEXT value t (n bytes) as one JSON array element; returns the document. */
static char *json_text(const char *t, size_t n)
{
	struct ksql_value v = { .type = KSQL_TEXT, .len = (uint32_t)n, .text = t };
	char *doc = NULL;
	size_t len;
	FILE *f = open_memstream(&doc, &len);

	ck_assert_ptr_nonnull(f);
	out_init(f, true);
	out_open_array(NULL);
	out_value(OUT_JSON, NULL, NULL, &v);
	out_close_array();
	out_finish();
	ck_assert_int_eq(fclose(f), 0);
	return doc;
}

static void assert_json_text(const char *t, const char *want)
{
	char *doc = json_text(t, strlen(t));

	ck_assert_str_eq(doc, want);
	free(doc);
}

START_TEST(test_json_utf8)
{
	/* Valid UTF-8 passes as it is, at every length. */
	assert_json_text("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "[\"a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"]\n");
	assert_json_text("\xed\x9f\xbf\xf4\x8f\xbf\xbf", "[\"\xed\x9f\xbf\xf4\x8f\xbf\xbf\"]\n");
	/* Each byte of what is not UTF-8 becomes U+FFFD: an overlong "€", */
	assert_json_text("\xe0\x82\xac", "[\"\\ufffd\\ufffd\\ufffd\"]\n");
	/* an overlong 4-byte form, a UTF-16 surrogate, a code point above U+10FFFF, */
	assert_json_text("\xf0\x82\x82\xac", "[\"\\ufffd\\ufffd\\ufffd\\ufffd\"]\n");
	assert_json_text("\xed\xa0\x80", "[\"\\ufffd\\ufffd\\ufffd\"]\n");
	assert_json_text("\xf4\x90\x80\x80", "[\"\\ufffd\\ufffd\\ufffd\\ufffd\"]\n");
	/* a cut sequence, a lone continuation byte. */
	assert_json_text("\xe2\x82", "[\"\\ufffd\\ufffd\"]\n");
	assert_json_text("\x80", "[\"\\ufffd\"]\n");
}
END_TEST

START_TEST(test_json_escapes)
{
	char *doc = json_text("q\"b\\\n\t\x01\x7f\0z", 10);

	ck_assert_str_eq(doc, "[\"q\\\"b\\\\\\n\\t\\u0001\\u007f\\u0000z\"]\n");
	free(doc);
}
END_TEST

int main(void)
{
	const struct test_case cases[] = {
		{ "json_utf8", test_json_utf8 },
		{ "json_escapes", test_json_escapes },
	};
	Suite *s = suite_create("ksqlctl-out");

	add_cases(s, cases, ARRAY_LEN(cases), NULL, NULL);
	return run_suite(s);
}
