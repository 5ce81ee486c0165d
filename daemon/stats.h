/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * stats.h - ksqld's counters (KSQLD_STAT_* of proto/ksql_genl.h): one
 * process-wide array of atomics, bumped by any thread, read by the control
 * socket's STATS answer.
 */
#ifndef KSQLD_STATS_H
#define KSQLD_STATS_H

#include <stddef.h>
#include <stdint.h>
#include "ksql_genl.h"

void ksqld_stat_add(unsigned int idx, int64_t delta);
/* Raises the counter to v if it is lower (the *_MAX counters). */
void ksqld_stat_max(unsigned int idx, uint64_t v);
void ksqld_stat_set(unsigned int idx, uint64_t v);
uint64_t ksqld_stat_get(unsigned int idx);
/* Zeroes every counter (unit tests). */
void ksqld_stats_reset(void);

/*
 * Builds the STATS answer of the control socket: a nest KSQL_A_DAEMON_STATS
 * of every counter as a u64, aligned with KSQLD_STAT_PAD. Returns the
 * message length, or -EMSGSIZE when buf is too small.
 */
int ksqld_stats_build(void *buf, size_t buflen, uint16_t msg_type, uint32_t seq);

#endif
