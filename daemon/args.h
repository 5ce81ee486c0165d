/* SPDX-License-Identifier: GPL-2.0-only */
/* args.h - ksqld's command line, over its configuration file. */
#ifndef KSQLD_ARGS_H
#define KSQLD_ARGS_H

#include <errno.h>
#include "config.h"

#define KSQLD_EXIT_USAGE	2
#define KSQLD_EXIT_CONFIG	78	/* EX_CONFIG of sysexits.h */

/* ksqld_parse_args(): the configuration is invalid (its error was printed). */
#define KSQLD_ARGS_BAD_CONFIG	(-EBADMSG)

/* The file read without --config; the unit tests point it elsewhere. */
extern const char *ksqld_config_default_file;

/*
 * Fills cfg from the built-in defaults, then the configuration file, then
 * the options in argv (precedence in that order). Returns 0 to run; 1 when
 * --help, --version or a valid --check-config was handled; -EINVAL after
 * printing a usage error; KSQLD_ARGS_BAD_CONFIG after printing what is
 * wrong with the configuration.
 */
int ksqld_parse_args(int argc, char **argv, struct ksqld_config *cfg);
/*
 * The exit status for a non-zero ksqld_parse_args() result: 0, 2 (usage),
 * 78 (invalid configuration) or, with --check-config, 1.
 */
int ksqld_args_exit_status(int ret, const struct ksqld_config *cfg);

#endif
