/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - kernel version differences, as capability macros.
 *
 * Supported: Debian 12's 6.1 and 6.12 kernels. Code outside this file tests
 * the KSQL_HAVE_* macros, never LINUX_VERSION_CODE (this is the only file
 * where checkpatch's LINUX_VERSION_CODE warning is ignored).
 */
#ifndef _KSQL_COMPAT_H
#define _KSQL_COMPAT_H

#include <linux/version.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#if KERNEL_VERSION(6, 1, 0) > LINUX_VERSION_CODE
#error "ksql needs Linux 6.1 or later"
#endif

/*
 * Common ground, no macro needed: struct genl_ops carries a per-operation
 * .policy/.maxattr on every supported kernel (6.12 also has genl_split_ops
 * and converts plain genl_ops itself; 6.1 also has genl_small_ops, which
 * lack a policy, so we do not use them), and genl_family has
 * .resv_start_op: with 0 every op is validated strictly and an op without a
 * policy refuses all attributes. Also common to both: siphash_2u64(),
 * wait_for_completion_killable_timeout(), alloc_ordered_workqueue(),
 * module_param_cb() and raw spinlocks that stay spinning on PREEMPT_RT
 * (the log rings: ksql_log() runs in HRTIMER_MODE_HARD callbacks there).
 */

/* NLA_POLICY_MASK(): bit-mask validation of integer attributes. */
#ifdef NLA_POLICY_MASK
#define KSQL_HAVE_NLA_POLICY_MASK	1
#endif

/* kvrealloc() lost its oldsize argument in 6.11. */
#if KERNEL_VERSION(6, 11, 0) <= LINUX_VERSION_CODE
#define KSQL_HAVE_KVREALLOC_NO_OLDSIZE	1
#endif

/*
 * Tracepoints: __assign_str() lost its source argument in 6.10 (the source
 * given to __string() is used).
 */
#if KERNEL_VERSION(6, 10, 0) <= LINUX_VERSION_CODE
#define ksql_assign_str(dst, src)	\
	do { __assign_str(dst); (void)(src); } while (0)
#else
#define ksql_assign_str(dst, src)	__assign_str(dst, src)
#endif

static inline void *ksql_kvrealloc(void *p, size_t oldsize, size_t newsize,
				   gfp_t gfp)
{
#ifdef KSQL_HAVE_KVREALLOC_NO_OLDSIZE
	return kvrealloc(p, newsize, gfp);
#else
	return kvrealloc(p, oldsize, newsize, gfp);
#endif
}

#endif /* _KSQL_COMPAT_H */
