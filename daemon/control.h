/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * control.h - the control socket ksqlctl talks to: a unix SOCK_SEQPACKET
 * listener (mode 0600) whose clients send QUERY messages and get RESULT
 * chunks back, answered on a read-only SQLite connection.
 */
#ifndef KSQLD_CONTROL_H
#define KSQLD_CONTROL_H

#include <poll.h>
#include "core.h"

#define KSQLD_CONTROL_CLIENTS_MAX 32

struct ksqld_control {
	int lfd;
	char *path;
	struct ksqld_core core;
	int clients[KSQLD_CONTROL_CLIENTS_MAX];
	unsigned int nclients;
};

/*
 * Creates the socket's directory (0755) if missing, replaces a stale socket
 * file, and listens. ro_exec answers the queries. -errno, message logged.
 */
int ksqld_control_open(struct ksqld_control *c, const char *path, struct ksqld_exec *ro_exec);
/* Fills pollfds for the listener and clients; returns how many. */
unsigned int ksqld_control_fill(const struct ksqld_control *c, struct pollfd *fds, unsigned int max);
/* Handles the ready ones among the n pollfds filled before. */
void ksqld_control_process(struct ksqld_control *c, const struct pollfd *fds, unsigned int n);
/* Closes everything and removes the socket file. */
void ksqld_control_close(struct ksqld_control *c);

#endif
