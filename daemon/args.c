// SPDX-License-Identifier: GPL-2.0-only
/* args.c - ksqld's command line. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ksql/client.h>
#include "args.h"
#include "worker.h"

#ifndef KSQL_VERSION_STRING
#define KSQL_VERSION_STRING "unknown"
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ksqld --db FILE [--control PATH] [--readers N] [--rcvbuf BYTES]\n"
		"             [--synchronous normal|full] [--verbose]\n"
		"\n"
		"Serve SQL queries of the ksql kernel module from the SQLite database FILE.\n"
		"\n"
		"  -d, --db FILE        SQLite database (created if missing)\n"
		"  -c, --control PATH   control socket for ksqlctl (default %s)\n"
		"  -r, --readers N      read-only connections, each with a thread (0..%d, default %d)\n"
		"  -b, --rcvbuf BYTES   netlink receive buffer size (default 4194304)\n"
		"  -s, --synchronous normal|full\n"
		"                       PRAGMA synchronous of the writer (default normal: commits\n"
		"                       survive a crash of ksqld; full: also a power loss)\n"
		"  -v, --verbose        log every request\n"
		"  -h, --help           show this help\n"
		"  -V, --version        show the version\n",
		KSQL_CONTROL_PATH_DEFAULT, KSQLD_READERS_MAX, KSQLD_READERS_DEFAULT);
}

/* A decimal number in [min, max], or -1. */
static long number(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	return v;
}

int ksqld_parse_args(int argc, char **argv, struct ksqld_config *cfg)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "control", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "readers", required_argument, NULL, 'r' },
		{ "rcvbuf", required_argument, NULL, 'b' },
		{ "synchronous", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	long v;
	int c;

	cfg->db = NULL;
	cfg->control = KSQL_CONTROL_PATH_DEFAULT;
	cfg->verbose = false;
	cfg->readers = KSQLD_READERS_DEFAULT;
	cfg->rcvbuf = 0;
	cfg->sync_full = false;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:c:vr:b:s:hV", opts, NULL)) != -1) {
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
		case 'r':
			v = number(optarg, 0, KSQLD_READERS_MAX);
			if (v < 0) {
				fprintf(stderr, "ksqld: --readers takes a number from 0 to %d, not \"%s\"\n",
					KSQLD_READERS_MAX, optarg);
				return -EINVAL;
			}
			cfg->readers = (unsigned int)v;
			break;
		case 'b':
			v = number(optarg, 1024, INT_MAX / 2);
			if (v < 0) {
				fprintf(stderr, "ksqld: --rcvbuf takes a size in bytes from 1024 to %d, not \"%s\"\n",
					INT_MAX / 2, optarg);
				return -EINVAL;
			}
			cfg->rcvbuf = (int)v;
			break;
		case 's':
			if (strcmp(optarg, "normal") && strcmp(optarg, "full")) {
				fprintf(stderr, "ksqld: --synchronous takes normal or full, not \"%s\"\n",
					optarg);
				return -EINVAL;
			}
			cfg->sync_full = strcmp(optarg, "full") == 0;
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
