// SPDX-License-Identifier: GPL-2.0-only
/* ratelimit.c - one line per interval, and how many were not logged. */
#include "ratelimit.h"

bool ksqld_ratelimit_pass(struct ksqld_ratelimit *rl, uint64_t now_ns, uint64_t interval_ns,
			  unsigned int *missed)
{
	uint64_t next = atomic_load(&rl->next_ns);

	/* Of threads racing for one slot, the one whose exchange succeeds logs. */
	if (now_ns < next || !atomic_compare_exchange_strong(&rl->next_ns, &next,
							     now_ns + interval_ns)) {
		atomic_fetch_add(&rl->suppressed, 1);
		return false;
	}
	*missed = atomic_exchange(&rl->suppressed, 0);
	return true;
}
