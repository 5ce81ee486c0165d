// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c - ksqld: serve the ksql kernel module's SQL queries from SQLite.
 * Wires the pieces together; each lives in its own file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "args.h"
#include "control.h"
#include "exec.h"
#include "log.h"
#include "loop.h"
#include "netlink.h"
#include "notify.h"

int main(int argc, char **argv)
{
	struct ksqld_config cfg;
	struct ksqld_exec *rw = NULL, *ro = NULL;
	struct ksqld_control ctl = { .lfd = -1 };
	struct ksqld_core nl_core = { .name = "netlink" };
	struct ksqld_loop loop = { 0 };
	char err[512];
	int ret, sigfd, status = EXIT_FAILURE;

	ret = ksqld_parse_args(argc, argv, &cfg);
	if (ret != 0)
		return ret > 0 ? EXIT_SUCCESS : 2;
	ksqld_log_init(cfg.verbose);

	sigfd = ksqld_loop_signals();
	if (sigfd < 0) {
		log_err("cannot set up signal handling: %s", strerror(-sigfd));
		return EXIT_FAILURE;
	}
	/* The read-write connection first: it creates the file and turns on WAL. */
	if (ksqld_exec_open(cfg.db, false, &rw, err, sizeof(err)) < 0 ||
	    ksqld_exec_open(cfg.db, true, &ro, err, sizeof(err)) < 0) {
		log_err("%s", err);
		goto out;
	}
	log_info("database %s open", cfg.db);
	if (ksqld_control_open(&ctl, cfg.control, ro) < 0)
		goto out;
	nl_core.exec = rw;
	if (ksqld_nl_open(&nl_core, &loop.nl) < 0)
		goto out;
	loop.ctl = &ctl;
	ksqld_notify_ready();
	ret = ksqld_loop_run(&loop, sigfd);
	ksqld_notify_stopping();
	if (ret == 0)
		status = EXIT_SUCCESS;
out:
	ksqld_nl_close(loop.nl);
	ksqld_control_close(&ctl);
	ksqld_exec_close(ro);
	ksqld_exec_close(rw);
	close(sigfd);
	return status;
}
