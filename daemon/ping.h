/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ping.h - KSQL_CMD_PING: a round trip that runs no SQL. The main loop
 * answers it at once with one empty RESULT (ksqld_reply_empty()); nothing
 * reaches the scheduler, the workers or SQLite.
 */
#ifndef KSQLD_PING_H
#define KSQLD_PING_H

#include <stdint.h>
#include "codec.h"

/* A PING message. */
struct ksqld_ping {
	uint64_t req_id;	/* 0 when it had none (or only a broken one) */
	uint32_t timeout_ms;	/* 0 when absent */
	uint64_t deadline_ns;	/* 0 when absent */
};

/*
 * Parses a PING strictly: REQ_ID (non-zero) required, TIMEOUT_MS and
 * DEADLINE_NS optional, each at most once and of its exact size; empty PAD
 * attributes are skipped; any other attribute makes it malformed. Every
 * attribute is looked at, so p->req_id is set whenever the message had a
 * well-formed one, also when it is refused. 0 or -EINVAL.
 */
int ksqld_ping_parse(const struct nlmsghdr *nlh, struct ksqld_ping *p);

#endif
