/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * core.h - ksqld's message core, free of any transport: one received message
 * in, reply messages out through a callback. The netlink transport, the
 * control socket and the unit tests all drive it the same way.
 */
#ifndef KSQLD_CORE_H
#define KSQLD_CORE_H

#include <stddef.h>
#include <stdint.h>
#include "exec.h"

/* Sends one reply message; returns 0 or -errno. */
typedef int (*ksqld_send_fn)(const void *buf, size_t len, void *ctx);

struct ksqld_core {
	struct ksqld_exec *exec;
	uint16_t msg_type;	/* requests must carry it; replies get it */
	uint32_t reply_portid;	/* nlmsg_pid of replies (0 = the kernel) */
	size_t chunk_target;	/* 0 = KSQL_CHUNK_TARGET */
	uint32_t seq;		/* sequence numbers of reply messages */
	const char *name;	/* "netlink" or "control", for log lines */
};

/*
 * Handles one message. Returns 0 when it was handled (including SQL errors
 * answered to the sender), or -errno for a message that could not be
 * answered: -EINVAL malformed, -EOPNOTSUPP unknown command, or the send
 * callback's error.
 */
int ksqld_core_handle(struct ksqld_core *c, const void *buf, size_t len,
		      ksqld_send_fn send, void *ctx);

#endif
