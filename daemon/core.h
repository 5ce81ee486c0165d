/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * core.h - ksqld's message core, free of any transport: one received message
 * in, reply messages out through a callback. The netlink transport, the
 * control socket and the unit tests all drive it the same way.
 *
 * With a scheduler, a QUERY is queued for the worker threads and answered
 * from one of them later; without one (unit tests of the executor), it runs
 * at once on exec.
 */
#ifndef KSQLD_CORE_H
#define KSQLD_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "exec.h"
#include "job.h"
#include "scheduler.h"

struct ksqld_core {
	struct ksqld_sched *sched;	/* NULL: run on exec, synchronously */
	struct ksqld_exec *exec;
	uint16_t msg_type;	/* requests must carry it; replies get it */
	uint32_t reply_portid;	/* nlmsg_pid of replies (0 = the kernel) */
	size_t chunk_target;	/* 0 = KSQL_CHUNK_TARGET */
	const char *name;	/* "netlink" or "control", for log lines */
	bool readonly_only;	/* control socket: refuse writes (EPERM) */
	bool from_kernel;	/* count RECEIVED/ANSWERED */
	bool answers_stats;	/* control socket: KSQL_CMD_STATS gets the counters */
	/*
	 * Not from the kernel: a QUERY runs at most this long (0 = as it asks),
	 * whatever its TIMEOUT_MS, so clients cannot pin every reader.
	 */
	uint32_t max_timeout_ms;
	/*
	 * Sends at once what send() keeps buffered in its ctx (the kernel's
	 * reply batch); NULL when send() sends every message itself. Used for
	 * answers given here, in the receiving thread (PING).
	 */
	int (*flush)(void *ctx);
	/* Called with the send ctx once a queued QUERY is answered or dropped. */
	void (*done)(void *ctx);
	unsigned int queued;	/* QUERYs queued so far (the caller resets it) */
};

/*
 * Handles one message. Returns 0 when it was handled (answered, or nothing
 * to answer), 1 when a QUERY was queued (core->done(ctx) follows once it is
 * answered or dropped), or -errno for a message that could not be answered:
 * -EINVAL malformed, -EOPNOTSUPP unknown command, or the send callback's
 * error.
 */
int ksqld_core_handle(struct ksqld_core *c, const void *buf, size_t len,
		      ksqld_send_fn send, void *ctx);

#endif
