/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * control.h - the control socket ksqlctl talks to: a unix SOCK_SEQPACKET
 * listener (mode 0600) whose clients send QUERY messages and get RESULT
 * chunks back, answered on a read-only SQLite connection.
 */
#ifndef KSQLD_CONTROL_H
#define KSQLD_CONTROL_H

#include <poll.h>
#include <stdatomic.h>
#include "core.h"

#define KSQLD_CONTROL_CLIENTS_MAX 32

struct ksqld_control;

/*
 * A client has at most one request queued or running; while it has, the
 * loop does not read from it (nor close it) and a worker thread owns the
 * reply. busy turns false from that thread, which then pokes wakefd.
 */
struct ksqld_control_client {
	int fd;			/* -1 = free slot */
	atomic_bool busy;
	struct ksqld_control *ctl;
};

struct ksqld_control {
	int lfd;
	int wakefd;		/* eventfd: a client's request was answered */
	char *path;
	struct ksqld_core core;
	struct ksqld_control_client clients[KSQLD_CONTROL_CLIENTS_MAX];
	int polled[2 + KSQLD_CONTROL_CLIENTS_MAX];	/* slot per pollfd (fill) */
};

/*
 * Creates the socket's directory (0755) if missing, replaces a stale socket
 * file, and listens. Queries go to sched's readers (strictly read-only);
 * STATS is answered at once. -errno, message logged.
 */
int ksqld_control_open(struct ksqld_control *c, const char *path, struct ksqld_sched *sched);
/*
 * Gives the socket file to group (NULL or "": the daemon's effective group)
 * with mode 0660, so the group's members can connect. 0, -ENOENT (no such
 * group) or -errno; logs nothing.
 */
int ksqld_control_set_group(struct ksqld_control *c, const char *group);
/* Fills pollfds for the listener, the wake fd and idle clients; returns how many. */
unsigned int ksqld_control_fill(struct ksqld_control *c, struct pollfd *fds, unsigned int max);
/* Handles the ready ones among the n pollfds filled before. */
void ksqld_control_process(struct ksqld_control *c, const struct pollfd *fds, unsigned int n);
/* Closes everything and removes the socket file. */
void ksqld_control_close(struct ksqld_control *c);

#endif
