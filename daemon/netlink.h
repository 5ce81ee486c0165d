/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * netlink.h - ksqld's generic-netlink transport: finds the "ksql" family,
 * waits for it when the module is not loaded, registers with HELLO, feeds
 * QUERY messages to the core and says BYE on the way out.
 */
#ifndef KSQLD_NETLINK_H
#define KSQLD_NETLINK_H

#include <stdbool.h>
#include <stdint.h>
#include "core.h"

struct ksqld_nl;

/*
 * Opens the socket, subscribes to nlctrl's notifications and registers if the
 * family exists. -errno on a fatal problem (message already logged).
 */
int ksqld_nl_open(struct ksqld_core *core, struct ksqld_nl **out);
int ksqld_nl_fd(const struct ksqld_nl *nl);
bool ksqld_nl_registered(const struct ksqld_nl *nl);
/* Reads and handles whatever is queued. 0, or -errno when ksqld must exit. */
int ksqld_nl_process(struct ksqld_nl *nl);
/* Says BYE if registered, then closes. */
void ksqld_nl_close(struct ksqld_nl *nl);

#endif
