// SPDX-License-Identifier: GPL-2.0-only
/*
 * check_ksqlctl_status.c - the lines and the exit status of "ksqlctl
 * status" (tools/ksqlctl/format.c, status_format.c).
 */
#include <errno.h>
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

START_TEST(module_line)
{
	char line[128];

	ctl_format_module_line(line, sizeof(line), CTL_MODULE_LOADED, "0.1.0");
	ck_assert_str_eq(line, "module: loaded (version 0.1.0)");
	/* A module without MODULE_VERSION: no version to show. */
	ctl_format_module_line(line, sizeof(line), CTL_MODULE_LOADED, "");
	ck_assert_str_eq(line, "module: loaded");
	ctl_format_module_line(line, sizeof(line), CTL_MODULE_MISSING, NULL);
	ck_assert_str_eq(line, "module: not loaded (load it: modprobe ksql)");
	ctl_format_module_line(line, sizeof(line), CTL_MODULE_UNKNOWN, NULL);
	ck_assert_str_eq(line, "module: unknown (cannot ask it over generic netlink)");
}
END_TEST

START_TEST(ksqld_lines)
{
	char line[256], reason[256];

	ctl_format_ksqld_line(line, sizeof(line), 4242, "0.1.0");
	ck_assert_str_eq(line, "ksqld: running (pid 4242, version 0.1.0)");
	/* An older ksqld tells neither. */
	ctl_format_ksqld_line(line, sizeof(line), 0, NULL);
	ck_assert_str_eq(line, "ksqld: running (pid unknown, version unknown)");

	ctl_ksqld_down_reason(reason, sizeof(reason), -ENOENT, "/run/ksql/ksqld.sock",
			      "ksqld is not running (...)");
	ck_assert_str_eq(reason, "no control socket at /run/ksql/ksqld.sock");
	ctl_format_ksqld_down(line, sizeof(line), -ENOENT, reason);
	ck_assert_str_eq(line, "ksqld: not running (no control socket at /run/ksql/ksqld.sock)");
	ctl_ksqld_down_reason(reason, sizeof(reason), -ECONNREFUSED, "/s", "ksqld is not running (...)");
	ctl_format_ksqld_down(line, sizeof(line), -ECONNREFUSED, reason);
	ck_assert_str_eq(line, "ksqld: not running (nobody listens on /s)");
	/* Refused, or not a socket at all: the whole sentence, and not "not running". */
	ctl_ksqld_down_reason(reason, sizeof(reason), -EACCES, "/s", "permission denied on ...");
	ctl_format_ksqld_down(line, sizeof(line), -EACCES, reason);
	ck_assert_str_eq(line, "ksqld: unreachable (permission denied on ...)");
	ctl_ksqld_down_reason(reason, sizeof(reason), -ECONNREFUSED, "/tmp", "/tmp is not a socket; ...");
	ck_assert_str_eq(reason, "/tmp is not a socket; ...");
	ctl_format_ksqld_down(line, sizeof(line), -ETIMEDOUT, "stopped");
	ck_assert_str_eq(line, "ksqld: unreachable (stopped)");
	ck_assert(ctl_ksqld_not_running(-ENOENT));
	ck_assert(ctl_ksqld_not_running(-ECONNREFUSED));
	ck_assert(!ctl_ksqld_not_running(-EACCES));
	ck_assert(!ctl_ksqld_not_running(-ETIMEDOUT));
}
END_TEST

START_TEST(exit_status)
{
	ck_assert_int_eq(ctl_status_exit(CTL_MODULE_LOADED, true), 0);
	ck_assert_int_eq(ctl_status_exit(CTL_MODULE_LOADED, false), 3);
	/* No module: 1, whatever ksqld does. */
	ck_assert_int_eq(ctl_status_exit(CTL_MODULE_MISSING, true), 1);
	ck_assert_int_eq(ctl_status_exit(CTL_MODULE_MISSING, false), 1);
	ck_assert_int_eq(ctl_status_exit(CTL_MODULE_UNKNOWN, true), 1);
	ck_assert_int_eq(CTL_EXIT_USAGE, 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ksqlctl_status");
	const struct test_case cases[] = {
		{ "ctl_format_table_line", table_line },
		{ "ctl_format_module_line", module_line },
		{ "ctl_format_ksqld_line/down", ksqld_lines },
		{ "ctl_status_exit", exit_status },
	};

	add_cases(s, cases, ARRAY_LEN(cases), NULL, NULL);
	return run_suite(s);
}
