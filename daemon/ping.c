// SPDX-License-Identifier: GPL-2.0-only
/* ping.c - parsing KSQL_CMD_PING. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "ping.h"

struct ping_walk {
	struct ksqld_ping *p;
	bool bad, have_id, have_timeout, have_deadline;
};

/* Never stops the walk: a REQ_ID after a bad attribute is still found. */
static int ping_attr(const struct nlattr *a, void *ctx)
{
	struct ping_walk *w = ctx;
	uint64_t id;

	switch (mnl_attr_get_type(a)) {
	case KSQL_A_PAD:
		if (mnl_attr_get_payload_len(a) != 0)
			w->bad = true;
		break;
	case KSQL_A_REQ_ID:
		if (w->have_id || ksql_attr_u64(a, &id) < 0) {
			w->bad = true;
			break;
		}
		w->have_id = true;
		w->p->req_id = id;
		break;
	case KSQL_A_TIMEOUT_MS:
		if (w->have_timeout || ksql_attr_u32(a, &w->p->timeout_ms) < 0)
			w->bad = true;
		w->have_timeout = true;
		break;
	case KSQL_A_DEADLINE_NS:
		if (w->have_deadline || ksql_attr_u64(a, &w->p->deadline_ns) < 0)
			w->bad = true;
		w->have_deadline = true;
		break;
	default:
		w->bad = true;
		break;
	}
	return 0;
}

int ksqld_ping_parse(const struct nlmsghdr *nlh, struct ksqld_ping *p)
{
	struct ping_walk w = { .p = p };
	int ret;

	memset(p, 0, sizeof(*p));
	if (ksql_msg_cmd(nlh) != KSQL_CMD_PING)
		return -EINVAL;
	ret = ksql_attr_walk(nlh, ping_attr, &w);
	if (ret == 0 && (w.bad || !p->req_id))
		ret = -EINVAL;
	return ret;
}
