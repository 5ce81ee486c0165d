// SPDX-License-Identifier: GPL-2.0-only
/* args.c - ksqld's command line. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <ksql/client.h>
#include "args.h"

#ifndef KSQL_VERSION_STRING
#define KSQL_VERSION_STRING "unknown"
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ksqld --db FILE [--control PATH] [--verbose]\n"
		"\n"
		"Serve SQL queries of the ksql kernel module from the SQLite database FILE.\n"
		"\n"
		"  -d, --db FILE        SQLite database (created if missing)\n"
		"  -c, --control PATH   control socket for ksqlctl (default %s)\n"
		"  -v, --verbose        log every request\n"
		"  -h, --help           show this help\n"
		"  -V, --version        show the version\n",
		KSQL_CONTROL_PATH_DEFAULT);
}

int ksqld_parse_args(int argc, char **argv, struct ksqld_config *cfg)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "control", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	cfg->db = NULL;
	cfg->control = KSQL_CONTROL_PATH_DEFAULT;
	cfg->verbose = false;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:c:vhV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cfg->db = optarg;
			break;
		case 'c':
			cfg->control = optarg;
			break;
		case 'v':
			cfg->verbose = true;
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
	if (!cfg->db || !*cfg->db) {
		fprintf(stderr, "ksqld: no database given; pass --db FILE (see ksqld --help)\n");
		return -EINVAL;
	}
	if (!*cfg->control) {
		fprintf(stderr, "ksqld: --control needs a socket path\n");
		return -EINVAL;
	}
	return 0;
}
