// SPDX-License-Identifier: GPL-2.0-only
/*
 * check_journal.c - the pure parts of ksqld's journal logging: the
 * "KEY=value" fields of an event, the iovecs handed to sd_journal_sendv(),
 * the "is stderr the journal" decision, and the rate limit that keeps a
 * flood of refusals to one line a second.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include "log.h"
#include "msgid.h"
#include "ratelimit.h"
#include "testutil.h"

static const char *iov_str(const struct ksqld_log_record *r, int i, char *buf, size_t size)
{
	size_t n = r->iov[i].iov_len < size - 1 ? r->iov[i].iov_len : size - 1;

	memcpy(buf, r->iov[i].iov_base, n);
	buf[n] = '\0';
	return buf;
}

START_TEST(fields_build)
{
	struct ksqld_log_fields f;
	unsigned int i;

	ksqld_log_fields_init(&f);
	ck_assert_ptr_null(f.v[0]);
	ck_assert_int_eq(ksqld_log_field(&f, "KSQL_TABLE", "%s", "flows"), 0);
	ck_assert_int_eq(ksqld_log_field(&f, "SQLITE_CODE", "%d", 787), 0);
	ck_assert_int_eq(ksqld_log_field(&f, "KSQL_GAP_FIRST", "%llu", 18446744073709551615ull), 0);
	ck_assert_str_eq(f.v[0], "KSQL_TABLE=flows");
	ck_assert_str_eq(f.v[1], "SQLITE_CODE=787");
	ck_assert_str_eq(f.v[2], "KSQL_GAP_FIRST=18446744073709551615");
	ck_assert_ptr_null(f.v[3]);
	/* Names journald would refuse are left out; the others stay. */
	ck_assert_int_eq(ksqld_log_field(&f, "ksql_table", "x"), -EINVAL);
	ck_assert_int_eq(ksqld_log_field(&f, "_PID", "1"), -EINVAL);
	ck_assert_int_eq(ksqld_log_field(&f, "1ABC", "1"), -EINVAL);
	ck_assert_int_eq(ksqld_log_field(&f, "", "1"), -EINVAL);
	ck_assert_int_eq(ksqld_log_field(&f, "A-B", "1"), -EINVAL);
	ck_assert_uint_eq(f.n, 3);
	ck_assert_ptr_null(f.v[3]);
	/* A value that does not fit is dropped whole, never cut. */
	{
		char big[2000];

		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		ck_assert_int_eq(ksqld_log_field(&f, "KSQL_BIG", "%s", big), -E2BIG);
		ck_assert_uint_eq(f.n, 3);
		ck_assert_ptr_null(f.v[3]);
	}
	/* At most KSQLD_LOG_FIELDS_MAX, always NULL-terminated. */
	for (i = 3; i < KSQLD_LOG_FIELDS_MAX; i++)
		ck_assert_int_eq(ksqld_log_field(&f, "KSQL_N", "%u", i), 0);
	ck_assert_int_eq(ksqld_log_field(&f, "KSQL_ONE_TOO_MANY", "1"), -E2BIG);
	ck_assert_uint_eq(f.n, KSQLD_LOG_FIELDS_MAX);
	ck_assert_ptr_null(f.v[KSQLD_LOG_FIELDS_MAX]);
	ck_assert_str_eq(f.v[0], "KSQL_TABLE=flows");
	ck_assert_str_eq(f.v[KSQLD_LOG_FIELDS_MAX - 1], "KSQL_N=7");
}
END_TEST

START_TEST(record_build)
{
	const char *fields[] = { "KSQL_TABLE=flows", "bad=1", "KSQL_ERRNO=71", NULL };
	struct ksqld_log_record r;
	char s[256];

	ck_assert_int_eq(ksqld_log_record_build(&r, LOG_WARNING, KSQLD_MSGID_LOG_REFUSED, fields,
						"MESSAGE=LOG batch refused", "../daemon/logsink.c",
						42, "refuse"), 9);
	ck_assert_str_eq(iov_str(&r, 0, s, sizeof(s)), "PRIORITY=4");
	ck_assert_str_eq(iov_str(&r, 1, s, sizeof(s)), "MESSAGE=LOG batch refused");
	ck_assert_str_eq(iov_str(&r, 2, s, sizeof(s)), "SYSLOG_IDENTIFIER=ksqld");
	ck_assert_str_eq(iov_str(&r, 3, s, sizeof(s)),
			 "MESSAGE_ID=71093637c186438c9377fb700d29528b");
	ck_assert_str_eq(iov_str(&r, 4, s, sizeof(s)), "KSQL_TABLE=flows");
	/* "bad=1" would make journald drop the entry: not sent. */
	ck_assert_str_eq(iov_str(&r, 5, s, sizeof(s)), "KSQL_ERRNO=71");
	ck_assert_str_eq(iov_str(&r, 6, s, sizeof(s)), "CODE_FILE=daemon/logsink.c");
	ck_assert_str_eq(iov_str(&r, 7, s, sizeof(s)), "CODE_LINE=42");
	ck_assert_str_eq(iov_str(&r, 8, s, sizeof(s)), "CODE_FUNC=refuse");

	/* A plain line: no MESSAGE_ID, no fields, no location. */
	ck_assert_int_eq(ksqld_log_record_build(&r, LOG_ERR, NULL, NULL, "MESSAGE=x", NULL, 0,
						NULL), 3);
	ck_assert_str_eq(iov_str(&r, 0, s, sizeof(s)), "PRIORITY=3");
	ck_assert_str_eq(iov_str(&r, 2, s, sizeof(s)), "SYSLOG_IDENTIFIER=ksqld");
}
END_TEST

START_TEST(stream_is_journal)
{
	/* systemd sets JOURNAL_STREAM to the stream's "device:inode" in decimal. */
	ck_assert(ksqld_log_stream_is_journal("8:123456", 8, 123456));
	ck_assert(ksqld_log_stream_is_journal("64769:18446744073709551615", 64769,
					      (ino_t)18446744073709551615ull));
	/* Inherited, but stderr was redirected: another inode or device. */
	ck_assert(!ksqld_log_stream_is_journal("8:123456", 8, 123457));
	ck_assert(!ksqld_log_stream_is_journal("8:123456", 9, 123456));
	/* Not set, or not the documented form. */
	ck_assert(!ksqld_log_stream_is_journal(NULL, 8, 123456));
	ck_assert(!ksqld_log_stream_is_journal("", 8, 123456));
	ck_assert(!ksqld_log_stream_is_journal("8", 8, 123456));
	ck_assert(!ksqld_log_stream_is_journal("8:", 8, 0));
	ck_assert(!ksqld_log_stream_is_journal(":123456", 0, 123456));
	ck_assert(!ksqld_log_stream_is_journal("8:123456x", 8, 123456));
	ck_assert(!ksqld_log_stream_is_journal("8:99999999999999999999999", 8, 0));
}
END_TEST

START_TEST(rate_limit)
{
	struct ksqld_ratelimit rl = { 0 };
	const uint64_t sec = 1000000000u;
	unsigned int missed = 99, i;

	ck_assert(ksqld_ratelimit_pass(&rl, 10 * sec, sec, &missed));
	ck_assert_uint_eq(missed, 0);
	for (i = 0; i < 1000; i++)
		ck_assert(!ksqld_ratelimit_pass(&rl, 10 * sec + i * 1000u, sec, &missed));
	/* A second later one passes and tells how many were not logged. */
	ck_assert(ksqld_ratelimit_pass(&rl, 11 * sec, sec, &missed));
	ck_assert_uint_eq(missed, 1000);
	ck_assert(!ksqld_ratelimit_pass(&rl, 11 * sec + 1, sec, &missed));
	ck_assert(ksqld_ratelimit_pass(&rl, 50 * sec, sec, &missed));
	ck_assert_uint_eq(missed, 1);
}
END_TEST

/* Off journald (a terminal, a file): "ksqld: MESSAGE", fields left out, level honoured. */
START_TEST(stderr_lines)
{
	char path[] = "/tmp/check_journal.XXXXXX", buf[512] = "";
	const char *fields[] = { "KSQL_TABLE=t", NULL };
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	unlink(path);
	/* A JOURNAL_STREAM naming another stream must not switch the format. */
	setenv("JOURNAL_STREAM", "1:1", 1);
	ck_assert_int_ge(dup2(fd, STDERR_FILENO), 0);
	ksqld_log_init(false);
	ksqld_log_event(LOG_WARNING, KSQLD_MSGID_GAP_RECORDED, fields, "gap in %s", "t");
	log_debug("not shown");
	ksqld_log_set_level(LOG_DEBUG);
	log_debug("shown %d", 1);
	ksqld_log_set_level(LOG_ERR);
	log_warn("not shown either");
	log_err("an error");
	f = fdopen(fd, "r");
	ck_assert_ptr_nonnull(f);
	rewind(f);
	ck_assert_uint_eq(fread(buf, 1, sizeof(buf) - 1, f), strlen("ksqld: gap in t\nksqld: shown 1\nksqld: an error\n"));
	ck_assert_str_eq(buf, "ksqld: gap in t\nksqld: shown 1\nksqld: an error\n");
	fclose(f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("journal");
	const struct test_case cases[] = {
		{ "ksqld_log_field", fields_build },
		{ "ksqld_log_record_build", record_build },
		{ "ksqld_log_stream_is_journal", stream_is_journal },
		{ "ksqld_ratelimit_pass", rate_limit },
		{ "stderr lines", stderr_lines },
	};

	add_cases(s, cases, ARRAY_LEN(cases), NULL, NULL);
	return run_suite(s);
}
