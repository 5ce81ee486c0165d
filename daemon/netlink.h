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
#include <sys/socket.h>
#include <linux/netlink.h>
#include "batch.h"
#include "core.h"

struct ksqld_nl;

/*
 * Opens the socket (receive buffer rcvbuf bytes, 0 = the default 4 MiB) and
 * subscribes to nlctrl's notifications. -errno on a fatal problem (message
 * already logged).
 */
int ksqld_nl_open(struct ksqld_core *core, int rcvbuf, struct ksqld_nl **out);
/*
 * Registers if the family exists (else waits for it). Replies to QUERYs go
 * through batch (NULL: sent one by one). -errno on a fatal problem.
 */
int ksqld_nl_connect(struct ksqld_nl *nl, struct ksqld_batch *batch);
/* Replaces the batch (NULL: replies go out one by one), e.g. before shutdown. */
void ksqld_nl_set_batch(struct ksqld_nl *nl, struct ksqld_batch *batch);
/* A ksqld_send_fn onto the socket (ctx = the ksqld_nl), for the batch. */
int ksqld_nl_send(const void *buf, size_t len, void *ctx);
int ksqld_nl_fd(const struct ksqld_nl *nl);
/* Resizes the receive buffer (a reload's rcvbuf). 0 or -errno; logs nothing. */
int ksqld_nl_set_rcvbuf(struct ksqld_nl *nl, int bytes);
bool ksqld_nl_registered(const struct ksqld_nl *nl);
/* Datagrams one ksqld_nl_process() call reads at most before returning. */
#define KSQLD_NL_DRAIN_MAX	64u
/*
 * Reads and handles what is queued, at most KSQLD_NL_DRAIN_MAX datagrams
 * (the poll loop calls again while more wait). 0, or -errno when ksqld
 * must exit.
 */
int ksqld_nl_process(struct ksqld_nl *nl);
/* Did the kernel send the datagram from sa (nl_pid 0)? Others are dropped. */
bool ksqld_nl_from_kernel(const struct sockaddr_nl *sa, socklen_t len);
/* The socket's port id (tests send to it). */
uint32_t ksqld_nl_portid(const struct ksqld_nl *nl);
/* Says BYE if registered, then closes. */
void ksqld_nl_close(struct ksqld_nl *nl);

#endif
