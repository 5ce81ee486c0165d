// SPDX-License-Identifier: GPL-2.0-only
/*
 * check_config.c - ksqld.conf: the keys, the file's parser, the shipped
 * file, re-reading for a reload and the reload's diff (config.c,
 * config_file.c).
 */
#include <errno.h>
#include <stdio.h>
#include <syslog.h>
#include <unistd.h>
#include <ksql/client.h>
#include "args.h"
#include "config.h"
#include "worker.h"
#include "testfs.h"
#include "testutil.h"

#ifndef KSQL_SOURCE_ROOT
#error "meson passes KSQL_SOURCE_ROOT: the shipped ksqld.conf is read from there"
#endif

static char err[1024];

static void setup(void)
{
	testfs_setup();
	/* never the build host's installed file */
	ksqld_config_default_file = "/nonexistent/ksql-test/ksqld.conf";
}

static int parse_text(struct ksqld_config *cfg, const char *text)
{
	err[0] = '\0';
	return ksqld_config_parse(cfg, "test.conf", text, strlen(text), err, sizeof(err));
}

static void assert_err_has(const char *what)
{
	ck_assert_msg(strstr(err, what) != NULL, "error \"%s\" lacks \"%s\"", err, what);
}

static void assert_defaults(const struct ksqld_config *c, bool check_db)
{
	if (check_db)
		ck_assert_str_eq(c->db, KSQLD_DB_DEFAULT);
	ck_assert_str_eq(c->control, KSQL_CONTROL_PATH_DEFAULT);
	ck_assert_str_eq(c->control_group, "");
	ck_assert_uint_eq(c->readers, KSQLD_READERS_DEFAULT);
	ck_assert_int_eq(c->rcvbuf, 4194304);
	ck_assert(c->sync_full);	/* an acked log row survives power loss */
	ck_assert_int_eq(c->log_level, LOG_INFO);
}

START_TEST(config_defaults)
{
	struct ksqld_config c;

	memset(&c, 0x5a, sizeof(c));
	ksqld_config_defaults(&c);
	assert_defaults(&c, true);
	ck_assert_str_eq(c.config_file, KSQLD_CONFIG_DEFAULT);
	ck_assert_uint_eq(c.from_cli, 0);
	ck_assert(!c.config_explicit && !c.config_found && !c.check_only);
}
END_TEST

START_TEST(config_set)
{
	struct ksqld_config c;
	char longpath[200];

	ksqld_config_defaults(&c);
	/* paths: absolute in the file, any on the command line */
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_DATABASE, "/srv/k.db", true), 0);
	ck_assert_str_eq(c.db, "/srv/k.db");
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_DATABASE, "k.db", true), -EINVAL);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_DATABASE, "", true), -EINVAL);
	ck_assert_str_eq(c.db, "/srv/k.db");
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_DATABASE, "k.db", false), 0);
	ck_assert_str_eq(c.db, "k.db");
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_CONTROL_SOCKET, "/run/x.sock", true), 0);
	ck_assert_str_eq(c.control, "/run/x.sock");
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_CONTROL_SOCKET, "x.sock", true), -EINVAL);
	/* a unix socket path fits in 107 bytes */
	memset(longpath, 'a', sizeof(longpath));
	longpath[0] = '/';
	longpath[107] = '\0';
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_CONTROL_SOCKET, longpath, true), 0);
	longpath[107] = 'a';
	longpath[108] = '\0';
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_CONTROL_SOCKET, longpath, true), -EINVAL);
	/* groups must exist; empty is the daemon's own */
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_CONTROL_GROUP, "root", true), 0);
	ck_assert_str_eq(c.control_group, "root");
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_CONTROL_GROUP, "ksql-no-such-group", true),
			 -ENOENT);
	ck_assert_str_eq(c.control_group, "root");
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_CONTROL_GROUP, "", true), 0);
	ck_assert_str_eq(c.control_group, "");
	/* readers 0..KSQLD_READERS_MAX, digits only */
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_READERS, "0", true), 0);
	ck_assert_uint_eq(c.readers, 0);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_READERS, "16", true), 0);
	ck_assert_uint_eq(c.readers, 16);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_READERS, "17", true), -EINVAL);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_READERS, "-1", true), -EINVAL);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_READERS, "+3", true), -EINVAL);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_READERS, "3x", true), -EINVAL);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_READERS, "", true), -EINVAL);
	ck_assert_uint_eq(c.readers, 16);
	/* rcvbuf 1024..INT_MAX/2 */
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_RCVBUF, "1024", true), 0);
	ck_assert_int_eq(c.rcvbuf, 1024);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_RCVBUF, "1073741823", true), 0);
	ck_assert_int_eq(c.rcvbuf, 1073741823);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_RCVBUF, "1023", true), -EINVAL);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_RCVBUF, "1073741824", true), -EINVAL);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_RCVBUF, "4M", true), -EINVAL);
	/* synchronous */
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_SYNCHRONOUS, "full", true), 0);
	ck_assert(c.sync_full);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_SYNCHRONOUS, "normal", true), 0);
	ck_assert(!c.sync_full);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_SYNCHRONOUS, "FULL", true), -EINVAL);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_SYNCHRONOUS, "off", true), -EINVAL);
	/* log_level */
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_LOG_LEVEL, "err", true), 0);
	ck_assert_int_eq(c.log_level, LOG_ERR);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_LOG_LEVEL, "warning", true), 0);
	ck_assert_int_eq(c.log_level, LOG_WARNING);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_LOG_LEVEL, "debug", true), 0);
	ck_assert_int_eq(c.log_level, LOG_DEBUG);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_LOG_LEVEL, "info", true), 0);
	ck_assert_int_eq(c.log_level, LOG_INFO);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_LOG_LEVEL, "notice", true), -EINVAL);
	ck_assert_int_eq(ksqld_config_set(&c, KSQLD_KEY_COUNT, "x", true), -EINVAL);
}
END_TEST

START_TEST(config_format)
{
	struct ksqld_config c;
	char buf[64];
	const char *want[KSQLD_KEY_COUNT] = {
		"/d.db", "/c.sock", "root", "7", "8192", "normal", "warning",
	};
	int k;

	ksqld_config_defaults(&c);
	ck_assert_int_eq(parse_text(&c, "database=/d.db\ncontrol_socket=/c.sock\ncontrol_group=root\n"
				    "readers=7\nrcvbuf=8192\nsynchronous=normal\nlog_level=warning\n"), 0);
	/* what format writes, set reads back */
	for (k = 0; k < KSQLD_KEY_COUNT; k++) {
		ksqld_config_format(&c, (enum ksqld_key)k, buf, sizeof(buf));
		ck_assert_str_eq(buf, want[k]);
		ck_assert_int_eq(ksqld_config_set(&c, (enum ksqld_key)k, buf, true), 0);
	}
}
END_TEST

START_TEST(config_parse)
{
	struct ksqld_config c, before;

	ksqld_config_defaults(&c);
	/* comments, blank lines, spaces and tabs around "=" and at both ends */
	ck_assert_int_eq(parse_text(&c, "# a comment\n\n   \n\t# indented comment\n"
				    "  readers\t=  4 \t\n"
				    "synchronous=normal\n"
				    "log_level =debug\n"
				    "control_group =\n"
				    "database = /var/tmp/k k.db"), 0);	/* no final newline */
	ck_assert_uint_eq(c.readers, 4);
	ck_assert(!c.sync_full);
	ck_assert_int_eq(c.log_level, LOG_DEBUG);
	ck_assert_str_eq(c.db, "/var/tmp/k k.db");	/* inner spaces are kept */
	/* an empty file changes nothing */
	before = c;
	ck_assert_int_eq(parse_text(&c, ""), 0);
	ck_assert_mem_eq(&c, &before, sizeof(c));

	/* a file with an error changes nothing, not even its good lines */
	ck_assert_int_eq(parse_text(&c, "readers = 1\nrcvbuf = 2048\nbogus = 1\n"), -EINVAL);
	ck_assert_mem_eq(&c, &before, sizeof(c));
}
END_TEST

START_TEST(config_parse_errors)
{
	struct ksqld_config c;
	char big[KSQLD_CONFIG_LINE_MAX + 32];

	ksqld_config_defaults(&c);
	/* unknown key: the file, the line, the key, the known keys, a hint */
	ck_assert_int_eq(parse_text(&c, "# x\nreaders = 2\nreader = 3\n"), -EINVAL);
	assert_err_has("test.conf:3: ");
	assert_err_has("unknown key \"reader\"");
	assert_err_has("did you mean \"readers\"");
	assert_err_has("database, control_socket, control_group, readers, rcvbuf, synchronous, log_level");
	ck_assert_int_eq(parse_text(&c, "Readers = 3\n"), -EINVAL);	/* keys are lower case */
	assert_err_has("test.conf:1: unknown key \"Readers\"");
	ck_assert_int_eq(parse_text(&c, "frobnicate = 3\n"), -EINVAL);
	ck_assert_ptr_null(strstr(err, "did you mean"));
	/* bad values say what is allowed */
	ck_assert_int_eq(parse_text(&c, "\nreaders = 17\n"), -EINVAL);
	ck_assert_str_eq(err, "test.conf:2: readers = \"17\": expected a number from 0 to 16");
	ck_assert_int_eq(parse_text(&c, "readers = 4 # four\n"), -EINVAL);	/* no trailing comments */
	assert_err_has("readers = \"4 # four\"");
	ck_assert_int_eq(parse_text(&c, "synchronous = off\n"), -EINVAL);
	ck_assert_str_eq(err, "test.conf:1: synchronous = \"off\": expected normal or full");
	ck_assert_int_eq(parse_text(&c, "log_level = notice\n"), -EINVAL);
	assert_err_has("expected err, warning, info or debug");
	ck_assert_int_eq(parse_text(&c, "rcvbuf = 1\n"), -EINVAL);
	assert_err_has("rcvbuf = \"1\": expected a size in bytes from 1024 to 1073741823");
	ck_assert_int_eq(parse_text(&c, "database = ksql.db\n"), -EINVAL);
	assert_err_has("database = \"ksql.db\": expected an absolute path");
	ck_assert_int_eq(parse_text(&c, "database =\n"), -EINVAL);
	ck_assert_int_eq(parse_text(&c, "control_socket = run/k.sock\n"), -EINVAL);
	assert_err_has("control_socket = \"run/k.sock\": expected an absolute path");
	ck_assert_int_eq(parse_text(&c, "control_group = ksql-no-such-group\n"), -ENOENT);
	assert_err_has("test.conf:1: control_group = \"ksql-no-such-group\": no such group");
	/* duplicate key */
	ck_assert_int_eq(parse_text(&c, "readers = 2\n\nreaders = 2\n"), -EINVAL);
	ck_assert_str_eq(err, "test.conf:3: duplicate key \"readers\" (already set on line 1); keep one of them");
	/* a line without "=", or without a key */
	ck_assert_int_eq(parse_text(&c, "readers 4\n"), -EINVAL);
	ck_assert_str_eq(err, "test.conf:1: \"readers 4\" has no \"=\"; lines are \"key = value\"");
	ck_assert_int_eq(parse_text(&c, "[ksqld]\n"), -EINVAL);	/* no sections */
	assert_err_has("test.conf:1: \"[ksqld]\" has no \"=\"");
	ck_assert_int_eq(parse_text(&c, " = 4\n"), -EINVAL);
	assert_err_has("test.conf:1: no key before \"=\"");
	/* a line over the limit */
	memset(big, 'x', sizeof(big));
	memcpy(big, "# ", 2);
	big[KSQLD_CONFIG_LINE_MAX + 1] = '\0';
	ck_assert_int_eq(parse_text(&c, big), -EINVAL);
	assert_err_has("test.conf:1: the line is 4097 bytes long, over the limit of 4096");
	big[KSQLD_CONFIG_LINE_MAX] = '\0';	/* exactly at the limit: a comment */
	ck_assert_int_eq(parse_text(&c, big), 0);
}
END_TEST

/* Bytes that are not text are refused, wherever they are, comments too. */
START_TEST(config_parse_bytes)
{
	static const struct {
		const char *text;
		size_t len;
		const char *msg;
	} bad[] = {
		{ "readers = 2\n\0", 13, "test.conf:2: contains a NUL byte" },
		{ "readers = 2\0\n", 13, "test.conf:1: contains a NUL byte" },
		{ "readers = 2\r\n", 13, "test.conf:1: contains a carriage return" },
		{ "# caf\xe9\n", 7, "test.conf:1: is not valid UTF-8 (byte 0xe9 at column 6)" },
		{ "# \xc0\xaf\n", 5, "is not valid UTF-8 (byte 0xc0" },		/* overlong "/" */
		{ "# \xed\xa0\x80\n", 6, "is not valid UTF-8 (byte 0xed" },	/* a surrogate */
		{ "# \xf4\x90\x80\x80\n", 7, "is not valid UTF-8" },		/* > U+10FFFF */
		{ "# \xe2\x82\n", 5, "is not valid UTF-8" },			/* cut short */
		{ "# bell\a\n", 8, "control character 0x07 at column 7" },
		{ "# del\x7f\n", 7, "control character 0x7f" },
	};
	struct ksqld_config c;
	size_t i;

	ksqld_config_defaults(&c);
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		err[0] = '\0';
		ck_assert_int_eq(ksqld_config_parse(&c, "test.conf", bad[i].text, bad[i].len, err,
						    sizeof(err)), -EINVAL);
		assert_err_has(bad[i].msg);
	}
	/* UTF-8 is fine, in comments and in values */
	ck_assert_int_eq(parse_text(&c, "# Grüße, ksql ✓ 𝄞\ndatabase = /srv/dätä.db\n"), 0);
	ck_assert_str_eq(c.db, "/srv/dätä.db");
}
END_TEST

START_TEST(config_read)
{
	struct ksqld_config c;
	static char huge[KSQLD_CONFIG_FILE_MAX + 2];
	const char *p;

	/* the default file may be missing: defaults, not found */
	ksqld_config_defaults(&c);
	snprintf(c.config_file, sizeof(c.config_file), "%s/none.conf", testfs_dir);
	ck_assert_int_eq(ksqld_config_read(&c, err, sizeof(err)), 0);
	ck_assert(!c.config_found);
	assert_defaults(&c, true);
	/* a file named by --config may not */
	c.config_explicit = true;
	ck_assert_int_eq(ksqld_config_read(&c, err, sizeof(err)), -ENOENT);
	assert_err_has("cannot read the configuration file ");
	assert_err_has("/none.conf: No such file or directory (named by --config)");
	/* an unreadable default file is an error too, not the defaults */
	c.config_explicit = false;
	snprintf(c.config_file, sizeof(c.config_file), "%s", testfs_dir);
	ck_assert_int_eq(ksqld_config_read(&c, err, sizeof(err)), -EISDIR);
	assert_err_has("is a directory");
	/* a file is read and named in errors by its path */
	p = TESTFS_WRITE("a.conf", "readers = 3\nsynchronous = full\n");
	c.sync_full = false;
	snprintf(c.config_file, sizeof(c.config_file), "%s", p);
	ck_assert_int_eq(ksqld_config_read(&c, err, sizeof(err)), 0);
	ck_assert(c.config_found);
	ck_assert_uint_eq(c.readers, 3);
	ck_assert(c.sync_full);
	p = TESTFS_WRITE("b.conf", "readers = 3\nlog_level = loud\n");
	snprintf(c.config_file, sizeof(c.config_file), "%s", p);
	ck_assert_int_eq(ksqld_config_read(&c, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, p));
	assert_err_has("b.conf:2: log_level = \"loud\"");
	/* a file over 1 MiB is not a ksqld.conf */
	memset(huge, '#', sizeof(huge));
	p = testfs_write("huge.conf", huge, sizeof(huge));
	snprintf(c.config_file, sizeof(c.config_file), "%s", p);
	ck_assert_int_eq(ksqld_config_read(&c, err, sizeof(err)), -EFBIG);
	assert_err_has("is over 1048576 bytes; a ksqld.conf is a few lines: is it the right file?");
}
END_TEST

/*
 * The shipped daemon/ksqld.conf parses as it is, and with every key
 * uncommented it gives exactly the built-in defaults: a typo or a wrong
 * default in it fails here. It documents every key, and so does the man page.
 */
START_TEST(config_shipped)
{
	const char *src = KSQL_SOURCE_ROOT "/daemon/ksqld.conf";
	char *text = strdup(testfs_read(src)), *out, *line, *save = NULL;
	struct ksqld_config c;
	int k, n = 0;

	ksqld_config_defaults(&c);
	snprintf(c.config_file, sizeof(c.config_file), "%s", src);
	c.config_explicit = true;
	ck_assert_msg(ksqld_config_read(&c, err, sizeof(err)) == 0, "%s", err);
	assert_defaults(&c, true);
	/* uncomment the "#key = value" lines */
	out = calloc(1, strlen(text) + 1);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' && line[1] >= 'a' && line[1] <= 'z' && strchr(line, '=')) {
			line++;
			n++;
		}
		strcat(out, line);
		strcat(out, "\n");
	}
	ck_assert_int_eq(n, KSQLD_KEY_COUNT);
	ksqld_config_defaults(&c);
	ck_assert_msg(ksqld_config_parse(&c, "ksqld.conf uncommented", out, strlen(out), err,
					 sizeof(err)) == 0, "%s", err);
	/* the file shows the packages' database path; a dev build's prefix may differ */
	ck_assert_str_eq(c.db, "/var/lib/ksql/ksql.db");
	assert_defaults(&c, false);
	free(out);
	free(text);
	text = testfs_read(KSQL_SOURCE_ROOT "/daemon/ksqld.conf.5");
	for (k = 0; k < KSQLD_KEY_COUNT; k++) {
		char want[64];

		snprintf(want, sizeof(want), ".BI %s \" = \"", ksqld_config_key_name((enum ksqld_key)k));
		if (!strstr(text, want))
			snprintf(want, sizeof(want), ".BR %s \" = \"", ksqld_config_key_name((enum ksqld_key)k));
		ck_assert_msg(strstr(text, want) != NULL, "ksqld.conf.5 does not document %s",
			      ksqld_config_key_name((enum ksqld_key)k));
	}
}
END_TEST

static int parse_args(struct ksqld_config *cfg, int argc, const char **argv)
{
	return ksqld_parse_args(argc, (char **)argv, cfg);
}

/* A reload reads the file again and puts the command line's values back on top. */
START_TEST(config_reread)
{
	struct ksqld_config run, next;
	const char *p = TESTFS_WRITE("ksqld.conf", "readers = 4\nlog_level = err\n");
	const char *argv[] = { "ksqld", "--config", p, "--log-level", "debug", NULL };

	ck_assert_int_eq(parse_args(&run, 5, argv), 0);
	ck_assert_int_eq(run.log_level, LOG_DEBUG);
	TESTFS_WRITE("ksqld.conf", "readers = 8\nlog_level = warning\nsynchronous = normal\n");
	ck_assert_int_eq(ksqld_config_reread(&run, &next, err, sizeof(err)), 0);
	ck_assert_str_eq(next.config_file, p);
	ck_assert_uint_eq(next.readers, 8);
	ck_assert(!next.sync_full);
	ck_assert_int_eq(next.log_level, LOG_DEBUG);	/* --log-level still wins */
	ck_assert_uint_eq(next.from_cli, 1u << KSQLD_KEY_LOG_LEVEL);
	/* a key removed from the file falls back to its default */
	TESTFS_WRITE("ksqld.conf", "\n");
	ck_assert_int_eq(ksqld_config_reread(&run, &next, err, sizeof(err)), 0);
	ck_assert_uint_eq(next.readers, KSQLD_READERS_DEFAULT);
	/* the explicit file gone: an error, not the defaults */
	unlink(p);
	ck_assert_int_eq(ksqld_config_reread(&run, &next, err, sizeof(err)), -ENOENT);
}
END_TEST

START_TEST(config_diff)
{
	struct ksqld_config a, b;
	struct ksqld_config_change ch[KSQLD_KEY_COUNT];
	static const bool applied[KSQLD_KEY_COUNT] = {
		[KSQLD_KEY_DATABASE] = false, [KSQLD_KEY_CONTROL_SOCKET] = false,
		[KSQLD_KEY_CONTROL_GROUP] = true, [KSQLD_KEY_READERS] = false,
		[KSQLD_KEY_RCVBUF] = true, [KSQLD_KEY_SYNCHRONOUS] = true,
		[KSQLD_KEY_LOG_LEVEL] = true,
	};
	unsigned int i;

	ksqld_config_defaults(&a);
	b = a;
	ck_assert_uint_eq(ksqld_config_diff(&a, &b, ch), 0);
	/* where the values came from does not count as a change */
	b.from_cli = ~0u;
	b.config_found = true;
	ck_assert_uint_eq(ksqld_config_diff(&a, &b, ch), 0);
	ck_assert_int_eq(parse_text(&b, "database=/x.db\ncontrol_socket=/x.sock\ncontrol_group=root\n"
				    "readers=5\nrcvbuf=8192\nsynchronous=normal\nlog_level=debug\n"), 0);
	ck_assert_uint_eq(ksqld_config_diff(&a, &b, ch), KSQLD_KEY_COUNT);
	for (i = 0; i < KSQLD_KEY_COUNT; i++) {
		ck_assert_int_eq(ch[i].key, (int)i);
		ck_assert_msg(ch[i].applied == applied[i], "%s: applied %d",
			      ksqld_config_key_name(ch[i].key), ch[i].applied);
		ck_assert(ksqld_config_key_reloadable(ch[i].key) == applied[i]);
	}
	/* one of each kind */
	b = a;
	ck_assert_int_eq(parse_text(&b, "readers = 4\nsynchronous = normal\n"), 0);
	ck_assert_uint_eq(ksqld_config_diff(&a, &b, ch), 2);
	ck_assert_int_eq(ch[0].key, KSQLD_KEY_READERS);
	ck_assert(!ch[0].applied);
	ck_assert_int_eq(ch[1].key, KSQLD_KEY_SYNCHRONOUS);
	ck_assert(ch[1].applied);
}
END_TEST

START_TEST(config_change_line)
{
	struct ksqld_config a, b;
	struct ksqld_config_change ch[KSQLD_KEY_COUNT];
	char line[512];

	ksqld_config_defaults(&a);
	b = a;
	ck_assert_int_eq(parse_text(&b, "readers = 4\nsynchronous = normal\ncontrol_group = root\n"
				    "log_level = warning\n"), 0);
	ck_assert_uint_eq(ksqld_config_diff(&a, &b, ch), 4);
	ksqld_config_change_line(&a, &b, &ch[0], line, sizeof(line));
	ck_assert_str_eq(line, "reload: control_group (empty) -> root: applied");
	ksqld_config_change_line(&a, &b, &ch[1], line, sizeof(line));
	ck_assert_str_eq(line, "reload: readers 2 -> 4: needs a restart (systemctl restart ksqld)");
	ksqld_config_change_line(&a, &b, &ch[2], line, sizeof(line));
	ck_assert_str_eq(line, "reload: synchronous full -> normal: applied");
	ksqld_config_change_line(&a, &b, &ch[3], line, sizeof(line));
	ck_assert_str_eq(line, "reload: log_level info -> warning: applied");
}
END_TEST

int main(void)
{
	const struct test_case cases[] = {
		{ "ksqld_config_defaults", config_defaults },
		{ "ksqld_config_set", config_set },
		{ "ksqld_config_format", config_format },
		{ "ksqld_config_parse", config_parse },
		{ "ksqld_config_parse_errors", config_parse_errors },
		{ "ksqld_config_parse_bytes", config_parse_bytes },
		{ "ksqld_config_read", config_read },
		{ "shipped_ksqld_conf", config_shipped },
		{ "ksqld_config_reread", config_reread },
		{ "ksqld_config_diff", config_diff },
		{ "ksqld_config_change_line", config_change_line },
	};
	Suite *s = suite_create("config");

	add_cases(s, cases, ARRAY_LEN(cases), setup, testfs_teardown);
	return run_suite(s);
}
