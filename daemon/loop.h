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
#include "watchdog.h"

struct ksqld_loop {
	struct ksqld_nl *nl;		/* may be NULL */
	struct ksqld_control *ctl;	/* may be NULL */
	struct ksqld_batch *batch;	/* may be NULL; stale replies are flushed */
	void (*reload)(void *ctx);	/* SIGHUP; NULL: ignored */
	void *reload_ctx;
	/* The SQLite writer's progress: WATCHDOG=1 only while it is healthy (NULL: always). */
	const struct ksqld_heartbeat *writer;
};

/*
 * Blocks SIGTERM, SIGINT and SIGHUP and turns them into a signalfd. Call
 * before any thread or child exists. Returns the fd or -errno.
 */
int ksqld_loop_signals(void);
/*
 * Runs until SIGTERM/SIGINT (returns 0) or a fatal error (-errno); SIGHUP
 * calls reload and goes on. Under a systemd watchdog it wakes at least every
 * quarter interval and pings every half interval while the writer is healthy
 * (watchdog.h).
 */
int ksqld_loop_run(struct ksqld_loop *l, int sigfd);

#endif
