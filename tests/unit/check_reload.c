// SPDX-License-Identifier: GPL-2.0-only
/* check_reload.c - SIGHUP's reload of ksqld.conf (reload.c), without sockets. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <syslog.h>
#include <unistd.h>
#include "args.h"
#include "log.h"
#include "reload.h"
#include "testfs.h"
#include "testutil.h"

static void setup(void)
{
	testfs_setup();
	ksqld_config_default_file = "/nonexistent/ksql-test/ksqld.conf";
	ksqld_log_init(false);
}

static int parse_args(struct ksqld_config *cfg, int argc, const char **argv)
{
	return ksqld_parse_args(argc, (char **)argv, cfg);
}

/* Runs fn with stderr going to a file; returns what it wrote. */
static char *capture_stderr(int (*fn)(void *), void *arg, int *ret)
{
	char path[320];
	int fd, saved;

	snprintf(path, sizeof(path), "%s/stderr.txt", testfs_dir);
	fflush(stderr);
	saved = dup(2);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	dup2(fd, 2);
	close(fd);
	*ret = fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	return testfs_read(path);
}

static int do_reload(void *r)
{
	return ksqld_reload(r);
}

/*
 * ksqld_reload() without a socket: log_level and synchronous are applied,
 * readers needs a restart and keeps its running value; a broken file
 * changes nothing.
 */
START_TEST(reload)
{
	static struct ksqld_config run, before;
	struct ksqld_reload r = { .cfg = &run };
	const char *p = TESTFS_WRITE("ksqld.conf", "readers = 2\nlog_level = info\n");
	const char *argv[] = { "ksqld", "--config", p, "--rcvbuf", "8192", NULL };
	char *out;
	int ret;

	ck_assert_int_eq(parse_args(&run, 5, argv), 0);
	ksqld_log_set_level(run.log_level);
	TESTFS_WRITE("ksqld.conf", "readers = 4\nlog_level = debug\nsynchronous = normal\nrcvbuf = 65536\n");
	out = capture_stderr(do_reload, &r, &ret);
	ck_assert_int_eq(ret, 0);
	assert_has(out, "reload: readers 2 -> 4: needs a restart (systemctl restart ksqld)\n");
	assert_has(out, "reload: synchronous full -> normal: applied\n");
	assert_has(out, "reload: log_level info -> debug: applied\n");
	ck_assert_ptr_null(strstr(out, "rcvbuf"));	/* --rcvbuf still wins */
	assert_has(out, "configuration reloaded from ");
	assert_has(out, "(2 changes applied, 1 needs a restart)\n");
	ck_assert_uint_eq(run.readers, 2);	/* what runs */
	ck_assert(!run.sync_full);
	ck_assert_int_eq(run.log_level, LOG_DEBUG);
	ck_assert_int_eq(ksqld_log_level(), LOG_DEBUG);
	ck_assert_int_eq(run.rcvbuf, 8192);
	/* readers still differs: said again; nothing else changed */
	out = capture_stderr(do_reload, &r, &ret);
	assert_has(out, "reload: readers 2 -> 4: needs a restart");
	assert_has(out, "(0 changes applied, 1 needs a restart)\n");
	/* a broken file: the error, and the running configuration stays */
	before = run;
	TESTFS_WRITE("ksqld.conf", "readers = 4\nlog_level = quiet\nsynchronous = full\n");
	out = capture_stderr(do_reload, &r, &ret);
	ck_assert_int_eq(ret, -EINVAL);
	assert_has(out, "ksqld.conf:2: log_level = \"quiet\": expected err, warning, info or debug\n");
	assert_has(out, "keeping the running configuration\n");
	ck_assert_ptr_null(strstr(out, "reload: "));
	ck_assert_mem_eq(&run, &before, sizeof(run));
	ck_assert_int_eq(ksqld_log_level(), LOG_DEBUG);
}
END_TEST


int main(void)
{
	const struct test_case cases[] = {
		{ "ksqld_reload", reload },
	};
	Suite *s = suite_create("reload");

	add_cases(s, cases, ARRAY_LEN(cases), setup, testfs_teardown);
	return run_suite(s);
}
