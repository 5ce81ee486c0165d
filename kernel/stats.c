// SPDX-License-Identifier: GPL-2.0
/*
 * stats.c - the KSQL_STAT_* counters reported by KSQL_CMD_STATS.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>

#include "ksql_internal.h"

static atomic64_t ksql_stats[__KSQL_STAT_LAST];

void ksql_stat_inc(enum ksql_stat s)
{
	atomic64_inc(&ksql_stats[s]);
}

void ksql_stat_dec(enum ksql_stat s)
{
	atomic64_dec(&ksql_stats[s]);
}

u64 ksql_stat_read(enum ksql_stat s)
{
	return atomic64_read(&ksql_stats[s]);
}

/* A high-water mark: raise counter @s to @v if it is below. */
void ksql_stat_max(enum ksql_stat s, u64 v)
{
	s64 old = atomic64_read(&ksql_stats[s]);

	while ((u64)old < v) {
		if (atomic64_try_cmpxchg(&ksql_stats[s], &old, v))
			break;
	}
}

/* Add @v (may be negative) to gauge @s; returns the new value. */
u64 ksql_stat_add(enum ksql_stat s, s64 v)
{
	return atomic64_add_return(v, &ksql_stats[s]);
}
