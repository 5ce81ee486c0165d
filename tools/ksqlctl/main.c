// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c - ksqlctl: global options and the table of subcommands.
 *
 *   ksqlctl [-j] [--socket PATH] COMMAND [ARGS...]
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ksql/client.h>

#include "ksqlctl.h"

#ifndef KSQL_VERSION
#define KSQL_VERSION "unknown"
#endif

static const struct ctl_cmd *const commands[] = {
	&ctl_cmd_status,
	&ctl_cmd_query,
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

void ctl_err(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG_NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool ctl_wants_help(int argc, char **argv)
{
	return argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"));
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: " PROG_NAME " [OPTIONS] COMMAND [ARGS...]\n"
		"\n"
		"Administer ksql: the ksql kernel module and the ksqld daemon.\n"
		"\n"
		"Options:\n"
		"  -j, --json          print JSON instead of text\n"
		"  -s, --socket PATH   ksqld's control socket (default %s)\n"
		"  -h, --help          show this help\n"
		"  -V, --version       show the version\n"
		"\n"
		"Commands:\n", KSQL_CONTROL_PATH_DEFAULT);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-8s %-20s %s\n", commands[i]->name, commands[i]->args,
			commands[i]->summary);
	fprintf(f, "\n'" PROG_NAME " COMMAND --help' describes one command.\n");
}

static const struct ctl_cmd *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl_opts opts = { 0 };
	const struct ctl_cmd *cmd;
	int c;

	/* '+': stop at the command name; its options are its own. */
	while ((c = getopt_long(argc, argv, "+js:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opts.json = true;
			break;
		case 's':
			opts.socket = optarg;
			break;
		case 'h':
			usage(stdout);
			return CTL_EXIT_OK;
		case 'V':
			printf(PROG_NAME " %s (ksql)\n", KSQL_VERSION);
			return CTL_EXIT_OK;
		default:
			usage(stderr);
			return CTL_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return CTL_EXIT_USAGE;
	}
	if (!strcmp(argv[optind], "help")) {
		if (optind + 1 < argc && (cmd = find_command(argv[optind + 1]))) {
			cmd->help(stdout);
			return CTL_EXIT_OK;
		}
		usage(stdout);
		return CTL_EXIT_OK;
	}
	cmd = find_command(argv[optind]);
	if (!cmd) {
		ctl_err("unknown command '%s' (try: " PROG_NAME " --help)", argv[optind]);
		return CTL_EXIT_USAGE;
	}
	if (ctl_wants_help(argc - optind, argv + optind)) {
		cmd->help(stdout);
		return CTL_EXIT_OK;
	}
	out_init(stdout, opts.json);
	return cmd->run(&opts, argc - optind, argv + optind);
}
