// SPDX-License-Identifier: GPL-2.0-only
/* stats.c - the counters, and their STATS message. */
#include <errno.h>
#include <stdatomic.h>
#include "codec.h"
#include "stats.h"

static _Atomic uint64_t counters[__KSQLD_STAT_LAST];

void ksqld_stat_add(unsigned int idx, int64_t delta)
{
	if (idx < __KSQLD_STAT_LAST)
		atomic_fetch_add_explicit(&counters[idx], (uint64_t)delta, memory_order_relaxed);
}

void ksqld_stat_max(unsigned int idx, uint64_t v)
{
	uint64_t cur;

	if (idx >= __KSQLD_STAT_LAST)
		return;
	cur = atomic_load_explicit(&counters[idx], memory_order_relaxed);
	while (cur < v && !atomic_compare_exchange_weak(&counters[idx], &cur, v))
		;
}

void ksqld_stat_set(unsigned int idx, uint64_t v)
{
	if (idx < __KSQLD_STAT_LAST)
		atomic_store_explicit(&counters[idx], v, memory_order_relaxed);
}

uint64_t ksqld_stat_get(unsigned int idx)
{
	return idx < __KSQLD_STAT_LAST ?
	       atomic_load_explicit(&counters[idx], memory_order_relaxed) : 0;
}

void ksqld_stats_reset(void)
{
	unsigned int i;

	for (i = 0; i < __KSQLD_STAT_LAST; i++)
		atomic_store(&counters[i], 0);
}

/* Pads so the u64 payload is 8-byte aligned, as the kernel's nla_put_64bit does. */
static bool put_u64(struct nlmsghdr *nlh, size_t buflen, uint16_t type, uint64_t v)
{
	size_t payload = nlh->nlmsg_len + MNL_ATTR_HDRLEN;

	if ((payload & 7) && !mnl_attr_put_check(nlh, buflen, KSQLD_STAT_PAD, 0, NULL))
		return false;
	return mnl_attr_put_u64_check(nlh, buflen, type, v);
}

int ksqld_stats_build(void *buf, size_t buflen, uint16_t msg_type, uint32_t seq)
{
	struct ksql_msg_hdr h = { .type = msg_type, .seq = seq };
	struct nlmsghdr *nlh = ksql_msg_start(buf, buflen, &h, KSQL_CMD_STATS);
	struct nlattr *nest;
	unsigned int i;

	if (!nlh)
		return -EMSGSIZE;
	nest = mnl_attr_nest_start_check(nlh, buflen, KSQL_A_DAEMON_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = KSQLD_STAT_PAD + 1; i < __KSQLD_STAT_LAST; i++)
		if (!put_u64(nlh, buflen, (uint16_t)i, ksqld_stat_get(i)))
			return -EMSGSIZE;
	mnl_attr_nest_end(nlh, nest);
	return (int)nlh->nlmsg_len;
}
