/* SPDX-License-Identifier: GPL-2.0-only */
/* args.h - ksqld's command line. */
#ifndef KSQLD_ARGS_H
#define KSQLD_ARGS_H

#include <stdbool.h>

struct ksqld_config {
	const char *db;
	const char *control;
	bool verbose;
	unsigned int readers;	/* read-only connections, 0..KSQLD_READERS_MAX */
	int rcvbuf;		/* netlink receive buffer bytes, 0 = default */
	bool sync_full;		/* --synchronous full: PRAGMA synchronous=FULL on the writer */
};

/*
 * Fills cfg from argv. Returns 0 to run, 1 when --help/--version was handled
 * (exit 0), or -EINVAL after printing what is wrong (exit 2).
 */
int ksqld_parse_args(int argc, char **argv, struct ksqld_config *cfg);

#endif
