/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* client_internal.h - what the control-socket client's files share. */
#ifndef KSQL_CLIENT_INTERNAL_H
#define KSQL_CLIENT_INTERNAL_H

#include <libmnl/libmnl.h>
#include <ksql/client.h>

/*
 * Sends STATS and receives the answer (at most a second's wait: -ETIMEDOUT)
 * into *buf, which the caller frees; *nlh is the checked STATS message in it.
 * 0 or a negative errno (then *buf is NULL).
 */
int ksql_client_stats_exchange(struct ksql_client *c, void **buf, const struct nlmsghdr **nlh);

#endif
