/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ratelimit.h - at most one log line per interval for events that can come
 * in floods (a refused LOG batch is resent, and refused again, by every
 * producer). Lock-free: any thread may ask.
 */
#ifndef KSQLD_RATELIMIT_H
#define KSQLD_RATELIMIT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* Zero-initialised: the first event passes. */
struct ksqld_ratelimit {
	_Atomic uint64_t next_ns;	/* events before this are suppressed */
	atomic_uint suppressed;		/* since the last one that passed */
};

/*
 * True when the event at now_ns may be logged; *missed then says how many
 * were suppressed since the last one logged (say so in the line). False:
 * it is counted as suppressed.
 */
bool ksqld_ratelimit_pass(struct ksqld_ratelimit *rl, uint64_t now_ns, uint64_t interval_ns,
			  unsigned int *missed);

#endif
