// SPDX-License-Identifier: GPL-2.0-only
/*
 * check_args.c - ksqld's command line over its configuration file, and the
 * exit statuses of the real ksqld binary ($KSQLD_BIN).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <ksql/client.h>
#include "args.h"
#include "testfs.h"
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
	const char *emptydb[] = { "ksqld", "--db", "", NULL };
	const char *noval[] = { "ksqld", "--db", NULL };
	const char *extra[] = { "ksqld", "--db", "a.db", "more", NULL };
	const char *unknown[] = { "ksqld", "--db", "a.db", "--frobnicate", NULL };
	const char *emptyctl[] = { "ksqld", "--db", "a.db", "--control", "", NULL };

	ck_assert_int_eq(parse(&cfg, 6, full), 0);
	ck_assert_str_eq(cfg.db, "/var/lib/ksql.db");
	ck_assert_str_eq(cfg.control, "/tmp/c.sock");
	ck_assert_int_eq(cfg.log_level, LOG_DEBUG);
	ck_assert_int_eq(parse(&cfg, 3, shortf), 0);
	ck_assert_str_eq(cfg.db, "a.db");
	ck_assert_str_eq(cfg.control, KSQL_CONTROL_PATH_DEFAULT);
	ck_assert_int_eq(cfg.log_level, LOG_INFO);
	/* --db is no longer required: the built-in default database */
	ck_assert_int_eq(parse(&cfg, 2, nodb), 0);
	ck_assert_str_eq(cfg.db, KSQLD_DB_DEFAULT);
	ck_assert_int_eq(cfg.log_level, LOG_DEBUG);
	ck_assert_int_eq(parse(&cfg, 3, emptydb), -EINVAL);
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
	ck_assert_int_eq(cfg.rcvbuf, 4194304);
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

	/* FULL by default: an acknowledged log row survives power loss */
	ck_assert_int_eq(parse(&cfg, 3, dflt), 0);
	ck_assert(cfg.sync_full);
	ck_assert_int_eq(parse(&cfg, 5, full), 0);
	ck_assert(cfg.sync_full);
	ck_assert_int_eq(parse(&cfg, 5, normal), 0);
	ck_assert(!cfg.sync_full);
	ck_assert_int_eq(parse(&cfg, 5, bad), -EINVAL);
}
END_TEST

START_TEST(parse_config_options)
{
	struct ksqld_config cfg;
	const char *group[] = { "ksqld", "--control-group", "root", NULL };
	const char *nogroup[] = { "ksqld", "--control-group", "ksql-no-such-group", NULL };
	const char *levels[] = { "ksqld", "--log-level", "err", NULL };
	const char *badlevel[] = { "ksqld", "--log-level", "notice", NULL };
	const char *verbose_last[] = { "ksqld", "--log-level", "warning", "-v", NULL };
	const char *level_last[] = { "ksqld", "-v", "--log-level", "warning", NULL };
	const char *check[] = { "ksqld", "--check-config", NULL };
	const char *noconfig[] = { "ksqld", "--config", NULL };
	const char *emptyconfig[] = { "ksqld", "--config", "", NULL };
	const char *missing[] = { "ksqld", "--config", "/nonexistent/ksqld.conf", NULL };

	ck_assert_int_eq(parse(&cfg, 3, group), 0);
	ck_assert_str_eq(cfg.control_group, "root");
	ck_assert_int_eq(parse(&cfg, 3, nogroup), -EINVAL);
	ck_assert_int_eq(parse(&cfg, 3, levels), 0);
	ck_assert_int_eq(cfg.log_level, LOG_ERR);
	ck_assert_int_eq(parse(&cfg, 3, badlevel), -EINVAL);
	/* --verbose is --log-level debug: the later one wins */
	ck_assert_int_eq(parse(&cfg, 4, verbose_last), 0);
	ck_assert_int_eq(cfg.log_level, LOG_DEBUG);
	ck_assert_int_eq(parse(&cfg, 4, level_last), 0);
	ck_assert_int_eq(cfg.log_level, LOG_WARNING);
	/* the default file is missing here: valid, the defaults apply */
	ck_assert_int_eq(parse(&cfg, 2, check), 1);
	ck_assert(cfg.check_only);
	ck_assert(!cfg.config_found);
	ck_assert_int_eq(parse(&cfg, 2, noconfig), -EINVAL);
	ck_assert_int_eq(parse(&cfg, 3, emptyconfig), -EINVAL);
	/* a file named by --config must exist */
	ck_assert_int_eq(parse(&cfg, 3, missing), KSQLD_ARGS_BAD_CONFIG);
	ck_assert(cfg.config_explicit);
	ck_assert_int_eq(ksqld_args_exit_status(KSQLD_ARGS_BAD_CONFIG, &cfg), 78);
}
END_TEST

START_TEST(parse_help_version)
{
	struct ksqld_config cfg;
	const char *help[] = { "ksqld", "--help", NULL };
	const char *version[] = { "ksqld", "-V", NULL };

	ck_assert_int_eq(parse(&cfg, 2, help), 1);
	ck_assert_int_eq(parse(&cfg, 2, version), 1);
	ck_assert_int_eq(ksqld_args_exit_status(1, &cfg), 0);
}
END_TEST

/* Built-in defaults < the file < the command line. */
START_TEST(args_precedence)
{
	struct ksqld_config c;
	const char *p = TESTFS_WRITE("ksqld.conf", "readers = 4\nsynchronous = normal\nlog_level = err\n"
			      "database = /srv/file.db\n");
	const char *bare[] = { "ksqld", NULL };
	const char *over[] = { "ksqld", "--readers", "1", "-v", "--db", "cli.db", NULL };
	const char *named[] = { "ksqld", "--config", NULL, "--synchronous", "full", NULL };

	/* the default file, when it exists, is read */
	ksqld_config_default_file = p;
	ck_assert_int_eq(parse(&c, 1, bare), 0);
	ck_assert(c.config_found);
	ck_assert_str_eq(c.config_file, p);
	ck_assert_uint_eq(c.readers, 4);
	ck_assert(!c.sync_full);
	ck_assert_int_eq(c.log_level, LOG_ERR);
	ck_assert_str_eq(c.db, "/srv/file.db");
	ck_assert_int_eq(c.rcvbuf, 4194304);	/* not in the file: the default */
	ck_assert_uint_eq(c.from_cli, 0);
	/* options win over the file, keys they do not name come from it */
	ck_assert_int_eq(parse(&c, 6, over), 0);
	ck_assert_uint_eq(c.readers, 1);
	ck_assert_int_eq(c.log_level, LOG_DEBUG);
	ck_assert_str_eq(c.db, "cli.db");
	ck_assert(!c.sync_full);
	ck_assert_uint_eq(c.from_cli, (1u << KSQLD_KEY_READERS) | (1u << KSQLD_KEY_LOG_LEVEL) |
			  (1u << KSQLD_KEY_DATABASE));
	/* --config names another file */
	ksqld_config_default_file = "/nonexistent/ksql-test/ksqld.conf";
	named[2] = TESTFS_WRITE("other.conf", "readers = 0\nsynchronous = normal\n");
	ck_assert_int_eq(parse(&c, 5, named), 0);
	ck_assert(c.config_explicit && c.config_found);
	ck_assert_uint_eq(c.readers, 0);
	ck_assert(c.sync_full);
	/* an invalid file stops the start even if an option overrides its bad key */
	named[2] = TESTFS_WRITE("bad.conf", "synchronous = fast\n");
	ck_assert_int_eq(parse(&c, 5, named), KSQLD_ARGS_BAD_CONFIG);
	ck_assert_int_eq(ksqld_args_exit_status(KSQLD_ARGS_BAD_CONFIG, &c), 78);
}
END_TEST

/* Runs $KSQLD_BIN with args; *out: its stdout and stderr; returns the exit status. */
static int run_ksqld(const char *const *args, const char **out)
{
	const char *bin = getenv("KSQLD_BIN");
	char path[320], *argv[16];
	int status, fd, i;
	pid_t pid;

	ck_assert_msg(bin != NULL, "KSQLD_BIN is not set (meson test sets it)");
	argv[0] = (char *)bin;
	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = (char *)args[i];
	argv[i + 1] = NULL;
	snprintf(path, sizeof(path), "%s/out.txt", testfs_dir);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(127);
		execv(bin, argv);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	*out = testfs_read(path);
	return WEXITSTATUS(status);
}

/*
 * The real binary: --check-config says valid (0) or prints FILE:LINE and
 * the key (1), and creates no database; without it a bad file is exit 78;
 * bad usage stays 2.
 */
START_TEST(exit_status)
{
	const char *out;
	char db[320], want[400];
	const char *good = TESTFS_WRITE("good.conf", "readers = 1\nsynchronous = full\n");
	const char *typo = TESTFS_WRITE("typo.conf", "readers = 1\nsynchronus = full\n");
	struct stat st;

	snprintf(db, sizeof(db), "%s/never.db", testfs_dir);
	{
		const char *a[] = { "--check-config", "--config", good, "--db", db, NULL };

		ck_assert_int_eq(run_ksqld(a, &out), 0);
		snprintf(want, sizeof(want), "ksqld: configuration %s is valid\n", good);
		ck_assert_str_eq(out, want);
	}
	{
		const char *a[] = { "--check-config", "--config", typo, "--db", db, NULL };

		ck_assert_int_eq(run_ksqld(a, &out), 1);
		snprintf(want, sizeof(want), "ksqld: %s:2: unknown key \"synchronus\" (did you mean \"synchronous\"?)",
			 typo);
		assert_has(out, want);
	}
	{
		const char *a[] = { "--config", typo, "--db", db, NULL };

		ck_assert_int_eq(run_ksqld(a, &out), 78);
		assert_has(out, want);
	}
	{
		const char *a[] = { "--config", "/nonexistent/ksqld.conf", "--db", db, NULL };

		ck_assert_int_eq(run_ksqld(a, &out), 78);
		assert_has(out, "cannot read the configuration file /nonexistent/ksqld.conf");
	}
	{
		const char *a[] = { "--check-config", "--readers", "99", NULL };

		ck_assert_int_eq(run_ksqld(a, &out), 2);
		assert_has(out, "--readers takes a number from 0 to 16, not \"99\"");
	}
	{
		const char *a[] = { "--help", NULL };

		ck_assert_int_eq(run_ksqld(a, &out), 0);
		assert_has(out, "--check-config");
		assert_has(out, "78 on an invalid configuration");
	}
	/* --check-config did not open (create) the database */
	ck_assert_int_eq(stat(db, &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(ksqld_args_exit_status(-EINVAL, NULL), 2);
}
END_TEST

int main(void)
{
	const struct test_case cases[] = {
		{ "ksqld_parse_args_precedence", args_precedence },
		{ "ksqld_args_exit_status", exit_status },
	};
	Suite *s = suite_create("args");
	TCase *tc = tcase_create("ksqld_parse_args");

	/* Not the build host's installed file, whatever it says. */
	ksqld_config_default_file = "/nonexistent/ksql-test/ksqld.conf";
	tcase_add_test(tc, parse_args);
	tcase_add_test(tc, parse_help_version);
	tcase_add_test(tc, parse_pool_options);
	tcase_add_test(tc, parse_synchronous);
	tcase_add_test(tc, parse_config_options);
	suite_add_tcase(s, tc);
	add_cases(s, cases, ARRAY_LEN(cases), testfs_setup, testfs_teardown);
	return run_suite(s);
}
