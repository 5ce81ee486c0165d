// SPDX-License-Identifier: GPL-2.0-only
/* args.c - ksqld's command line, over its configuration file. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <ksql/client.h>
#include "args.h"
#include "worker.h"

#ifndef KSQL_VERSION_STRING
#define KSQL_VERSION_STRING "unknown"
#endif

const char *ksqld_config_default_file = KSQLD_CONFIG_DEFAULT;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ksqld [--config FILE] [--db FILE] [--control PATH] [--control-group GROUP]\n"
		"             [--readers N] [--rcvbuf BYTES] [--synchronous normal|full]\n"
		"             [--log-level LEVEL] [--verbose]\n"
		"       ksqld --check-config [--config FILE] [OPTION...]\n"
		"\n"
		"Serve SQL queries of the ksql kernel module from a SQLite database.\n"
		"Settings come from the built-in defaults, then the configuration file\n"
		"(ksqld.conf(5)), then these options; SIGHUP reads the file again.\n"
		"\n"
		"      --config FILE    configuration file (default %s;\n"
		"                       the default file may be missing, a named one may not)\n"
		"      --check-config   check the configuration file and the options, say whether\n"
		"                       they are valid and exit (0 valid, 1 not); touches neither\n"
		"                       the database nor the kernel module\n"
		"  -d, --db FILE        SQLite database, created if missing\n"
		"                       (default %s)\n"
		"  -c, --control PATH   control socket for ksqlctl (default %s)\n"
		"      --control-group GROUP\n"
		"                       group owning the control socket (default: ksqld's own)\n"
		"  -r, --readers N      read-only connections, each with a thread (0..%d, default %d)\n"
		"  -b, --rcvbuf BYTES   netlink receive buffer size (default %d)\n"
		"  -s, --synchronous normal|full\n"
		"                       PRAGMA synchronous of the writer (default full: a commit,\n"
		"                       and so an acked log row, survives a power loss or kernel\n"
		"                       crash; normal: only a crash of ksqld)\n"
		"      --log-level err|warning|info|debug\n"
		"                       least severe messages logged (default info)\n"
		"  -v, --verbose        the same as --log-level debug: log every request\n"
		"  -h, --help           show this help\n"
		"  -V, --version        show the version\n"
		"\n"
		"Exit status: 0 after SIGTERM or SIGINT, 1 on a failure while running,\n"
		"2 on bad usage, 78 on an invalid configuration (1 with --check-config).\n",
		ksqld_config_default_file, KSQLD_DB_DEFAULT, KSQL_CONTROL_PATH_DEFAULT,
		KSQLD_READERS_MAX, KSQLD_READERS_DEFAULT, KSQLD_RCVBUF_DEFAULT);
}

enum {
	OPT_CONFIG = 256,
	OPT_CHECK_CONFIG,
	OPT_CONTROL_GROUP,
	OPT_LOG_LEVEL,
};

/* The option that overrides each key, as --help spells it. */
static const char *const option_of[KSQLD_KEY_COUNT] = {
	[KSQLD_KEY_DATABASE] = "--db",
	[KSQLD_KEY_CONTROL_SOCKET] = "--control",
	[KSQLD_KEY_CONTROL_GROUP] = "--control-group",
	[KSQLD_KEY_READERS] = "--readers",
	[KSQLD_KEY_RCVBUF] = "--rcvbuf",
	[KSQLD_KEY_SYNCHRONOUS] = "--synchronous",
	[KSQLD_KEY_LOG_LEVEL] = "--log-level",
};

/* An option's value into cli, validated as the file's would be. */
static int set_option(struct ksqld_config *cli, enum ksqld_key key, const char *v)
{
	int ret = ksqld_config_set(cli, key, v, false);

	if (ret == -ENOENT) {
		fprintf(stderr, "ksqld: %s: there is no group \"%s\"; name an existing group (getent group)\n",
			option_of[key], v);
		return -EINVAL;
	}
	if (ret < 0) {
		fprintf(stderr, "ksqld: %s takes %s, not \"%s\"\n", option_of[key],
			ksqld_config_key_allowed(key, false), v);
		return -EINVAL;
	}
	cli->from_cli |= 1u << key;
	return 0;
}

static int key_of_option(int c)
{
	switch (c) {
	case 'd':
		return KSQLD_KEY_DATABASE;
	case 'c':
		return KSQLD_KEY_CONTROL_SOCKET;
	case OPT_CONTROL_GROUP:
		return KSQLD_KEY_CONTROL_GROUP;
	case 'r':
		return KSQLD_KEY_READERS;
	case 'b':
		return KSQLD_KEY_RCVBUF;
	case 's':
		return KSQLD_KEY_SYNCHRONOUS;
	case OPT_LOG_LEVEL:
		return KSQLD_KEY_LOG_LEVEL;
	}
	return -1;
}

/* The options into cli (from_cli says which); 0, 1 (handled) or -EINVAL. */
static int parse_options(int argc, char **argv, struct ksqld_config *cli)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "check-config", no_argument, NULL, OPT_CHECK_CONFIG },
		{ "db", required_argument, NULL, 'd' },
		{ "control", required_argument, NULL, 'c' },
		{ "control-group", required_argument, NULL, OPT_CONTROL_GROUP },
		{ "verbose", no_argument, NULL, 'v' },
		{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
		{ "readers", required_argument, NULL, 'r' },
		{ "rcvbuf", required_argument, NULL, 'b' },
		{ "synchronous", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, key;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:c:vr:b:s:hV", opts, NULL)) != -1) {
		key = key_of_option(c);
		if (key >= 0) {
			if (set_option(cli, (enum ksqld_key)key, optarg) < 0)
				return -EINVAL;
			continue;
		}
		switch (c) {
		case OPT_CONFIG:
			if (!*optarg || strlen(optarg) >= sizeof(cli->config_file)) {
				fprintf(stderr, "ksqld: --config takes the path of a file, not \"%s\"\n",
					optarg);
				return -EINVAL;
			}
			strcpy(cli->config_file, optarg);
			cli->config_explicit = true;
			break;
		case OPT_CHECK_CONFIG:
			cli->check_only = true;
			break;
		case 'v':
			cli->log_level = LOG_DEBUG;
			cli->from_cli |= 1u << KSQLD_KEY_LOG_LEVEL;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("ksqld %s\n", KSQL_VERSION_STRING);
			return 1;
		case ':':
			fprintf(stderr, "ksqld: option %s needs a value; see ksqld --help\n",
				argv[optind - 1]);
			return -EINVAL;
		default:
			fprintf(stderr, "ksqld: unknown option %s; see ksqld --help\n",
				argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ksqld: unexpected argument \"%s\"; see ksqld --help\n",
			argv[optind]);
		return -EINVAL;
	}
	return 0;
}

int ksqld_parse_args(int argc, char **argv, struct ksqld_config *cfg)
{
	struct ksqld_config *cli = malloc(sizeof(*cli));
	char err[1024];
	int ret;

	if (!cli) {
		fprintf(stderr, "ksqld: out of memory\n");
		return -ENOMEM;
	}
	ksqld_config_defaults(cli);
	snprintf(cli->config_file, sizeof(cli->config_file), "%s", ksqld_config_default_file);
	ret = parse_options(argc, argv, cli);
	ksqld_config_defaults(cfg);
	memcpy(cfg->config_file, cli->config_file, sizeof(cfg->config_file));
	cfg->config_explicit = cli->config_explicit;
	cfg->check_only = cli->check_only;
	if (ret != 0)
		goto out;
	ret = ksqld_config_read(cfg, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "ksqld: %s\n", err);
		ret = KSQLD_ARGS_BAD_CONFIG;
		goto out;
	}
	ksqld_config_apply_cli(cfg, cli);
	if (cfg->check_only) {
		printf("ksqld: configuration %s is valid%s\n", cfg->config_file,
		       cfg->config_found ? "" : " (no such file: the built-in defaults apply)");
		ret = 1;
	}
out:
	free(cli);
	return ret;
}

int ksqld_args_exit_status(int ret, const struct ksqld_config *cfg)
{
	if (ret == 1)
		return EXIT_SUCCESS;
	if (ret == KSQLD_ARGS_BAD_CONFIG)
		return cfg->check_only ? EXIT_FAILURE : KSQLD_EXIT_CONFIG;
	if (ret == -ENOMEM)
		return EXIT_FAILURE;
	return KSQLD_EXIT_USAGE;
}
