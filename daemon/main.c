// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c - ksqld: serve the ksql kernel module's SQL queries from SQLite.
 * Wires the pieces together; each lives in its own file.
 *
 * Threads: the main thread polls (netlink receive side, control socket,
 * signals, watchdog) and queues QUERYs; one writer and --readers reader
 * threads run them, each on its own SQLite connection (worker.h).
 * Settings: built-in defaults < ksqld.conf < options (args.h, config.h);
 * SIGHUP reloads the file (reload.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "args.h"
#include "batch.h"
#include "control.h"
#include "log.h"
#include "loop.h"
#include "netlink.h"
#include "exec.h"
#include "info.h"
#include "notify.h"
#include "reload.h"
#include "worker.h"

static void reload(void *ctx)
{
	ksqld_reload(ctx);
}

/* Where the settings came from, once the log is set up. */
static void log_config(const struct ksqld_config *cfg)
{
	if (cfg->config_found)
		log_info("configuration read from %s", cfg->config_file);
	else
		log_info("no configuration file %s; the built-in defaults apply", cfg->config_file);
}

int main(int argc, char **argv)
{
	struct ksqld_config cfg;
	struct ksqld_control ctl = { .lfd = -1, .wakefd = -1 };
	struct ksqld_core nl_core = { .name = "netlink" };
	struct ksqld_loop loop = { 0 };
	struct ksqld_pool pool = { 0 };
	struct ksqld_batch batch = { 0 };
	struct ksqld_reload rl;
	char err[512];
	int ret, sigfd, status = EXIT_FAILURE;
	bool pool_up = false;

	ret = ksqld_parse_args(argc, argv, &cfg);
	if (ret != 0)
		return ksqld_args_exit_status(ret, &cfg);
	ksqld_log_init(false);
	ksqld_log_set_level(cfg.log_level);
	log_config(&cfg);

	/* Before any thread exists, so every thread has the signals blocked. */
	sigfd = ksqld_loop_signals();
	if (sigfd < 0) {
		log_err("cannot set up signal handling: %s", strerror(-sigfd));
		return EXIT_FAILURE;
	}
	if (ksqld_nl_open(&nl_core, cfg.rcvbuf, &loop.nl) < 0)
		goto out;
	if (ksqld_batch_init(&batch, 0, ksqld_nl_send, loop.nl) < 0) {
		log_err("out of memory");
		goto out;
	}
	ksqld_exec_set_synchronous_full(cfg.sync_full);
	ksqld_info_set_synchronous(cfg.sync_full);
	/* "none" when the default file is missing and the built-in defaults apply. */
	ksqld_info_set_config(cfg.config_found ? cfg.config_file : NULL);
	if (ksqld_pool_start(&pool, cfg.db, cfg.readers, &batch, err, sizeof(err)) < 0) {
		log_err("%s", err);
		goto out;
	}
	pool_up = true;
	ksqld_info_set_database(cfg.db);	/* after the open: the file exists, realpath() works */
	log_info("database %s open (1 writer, %u reader%s)", cfg.db, cfg.readers,
		 cfg.readers == 1 ? "" : "s");
	if (ksqld_control_open(&ctl, cfg.control, pool.sched, cfg.control_group) < 0)
		goto out;
	nl_core.sched = pool.sched;
	if (ksqld_nl_connect(loop.nl, &batch) < 0)
		goto out;
	loop.ctl = &ctl;
	loop.batch = &batch;
	rl = (struct ksqld_reload){ .cfg = &cfg, .nl = loop.nl, .ctl = &ctl };
	loop.reload = reload;
	loop.reload_ctx = &rl;
	loop.writer = &pool.writer_hb;
	/* READY=1 comes from the first registration with the module (netlink.c). */
	ret = ksqld_loop_run(&loop, sigfd);
	ksqld_notify_stopping();
	if (ret == 0)
		status = EXIT_SUCCESS;
out:
	/* Workers first: they still answer through the batch and the control socket. */
	if (pool_up)
		ksqld_pool_stop(&pool);
	/* BYE below still reads: a late QUERY is refused, not run or batched. */
	nl_core.sched = NULL;
	if (loop.nl)
		ksqld_nl_set_batch(loop.nl, NULL);
	ksqld_control_close(&ctl);
	ksqld_nl_close(loop.nl);
	ksqld_batch_destroy(&batch);
	close(sigfd);
	return status;
}
