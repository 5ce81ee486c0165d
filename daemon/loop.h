/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * loop.h - ksqld's poll loop (the receiving thread) over the termination signals,
 * the netlink socket (optional, so tests can run without one) and the
 * control socket with its clients.
 */
#ifndef KSQLD_LOOP_H
#define KSQLD_LOOP_H

#include "control.h"
#include "netlink.h"

struct ksqld_loop {
	struct ksqld_nl *nl;		/* may be NULL */
	struct ksqld_control *ctl;	/* may be NULL */
	struct ksqld_batch *batch;	/* may be NULL; stale replies are flushed */
	void (*reload)(void *ctx);	/* SIGHUP; NULL: ignored */
	void *reload_ctx;
};

/*
 * Blocks SIGTERM, SIGINT and SIGHUP and turns them into a signalfd. Call
 * before any thread or child exists. Returns the fd or -errno.
 */
int ksqld_loop_signals(void);
/*
 * Runs until SIGTERM/SIGINT (returns 0) or a fatal error (-errno); SIGHUP
 * calls reload and goes on.
 */
int ksqld_loop_run(struct ksqld_loop *l, int sigfd);

#endif
