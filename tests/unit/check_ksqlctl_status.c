// SPDX-License-Identifier: GPL-2.0-only
/* check_ksqlctl_status.c - the per-table line of "ksqlctl status". */
#include "ksqlctl.h"
#include "testutil.h"

START_TEST(table_line)
{
	struct ctl_table_stats t = {
		.name = "flows", .backlog_bytes = 1200, .backlog_rows = 10,
		.limit_bytes = 4194304, .logged = 100, .sent = 95, .acked = 90, .lost = 7,
		.lost_backlog = 5, .lost_too_big = 2, .resent = 3, .batches = 4, .ack_timeouts = 1,
	};
	char line[512];

	ctl_format_table_line(line, sizeof(line), &t);
	ck_assert_str_eq(line,
			 "table flows: backlog 1200 bytes (10 rows) of 4194304, logged 100, sent 95, acked 90, lost 7 (backlog 5, too big 2), resent 3, batches 4, ack timeouts 1");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ksqlctl_status");
	const struct test_case cases[] = {
		{ "ctl_format_table_line", table_line },
	};

	add_cases(s, cases, ARRAY_LEN(cases), NULL, NULL);
	return run_suite(s);
}
