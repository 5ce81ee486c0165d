/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * control.h - the control socket ksqlctl talks to: a unix SOCK_SEQPACKET
 * listener (mode 0660, group control_group or ksqld's own) whose clients
 * send QUERY messages and get RESULT chunks back, answered on a read-only
 * SQLite connection. Who each client is (SO_PEERCRED) is kept, for the
 * root-only actions to come.
 */
#ifndef KSQLD_CONTROL_H
#define KSQLD_CONTROL_H

#include <poll.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/types.h>
#include "core.h"

#define KSQLD_CONTROL_CLIENTS_MAX 32
/*
 * The longest a control-socket statement runs (ms) before it is interrupted
 * with ETIMEDOUT, whatever the client asks: 32 clients could otherwise hold
 * every reader forever.
 */
#define KSQLD_CONTROL_TIMEOUT_MS 30000

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
	/* The peer at connect() (SO_PEERCRED); has_cred false: unknown, never an administrator. */
	struct {
		pid_t pid;
		uid_t uid;
		gid_t gid;
	} cred;
	bool has_cred;
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
 * file, creates the socket 0600, gives it to group (ksqld_control_set_group)
 * and only then opens it to the group and listens. Queries go to sched's
 * readers (strictly read-only); STATS is answered at once. -errno, message
 * logged.
 */
int ksqld_control_open(struct ksqld_control *c, const char *path, struct ksqld_sched *sched,
		       const char *group);
/*
 * Gives the socket file to group (NULL or "": ksqld's effective group),
 * mode 0660: the group's members may connect (and query), others not.
 * 0, or -ENOENT (no such group), -EPERM (ksqld is not a member of it, or
 * the path is no longer ksqld's own socket file: a symlink or another file
 * is never followed or changed), or another -errno, with a sentence logged;
 * the socket is then unchanged.
 */
int ksqld_control_set_group(struct ksqld_control *c, const char *group);
/* Takes fd as cl's connection and records its peer's credentials. 0 or -errno. */
int ksqld_control_client_attach(struct ksqld_control_client *cl, int fd);
/* Is the client root (uid 0 at connect)? For actions only root may ask for. */
bool ksqld_control_client_is_admin(const struct ksqld_control_client *cl);
/* Fills pollfds for the listener, the wake fd and idle clients; returns how many. */
unsigned int ksqld_control_fill(struct ksqld_control *c, struct pollfd *fds, unsigned int max);
/* Handles the ready ones among the n pollfds filled before. */
void ksqld_control_process(struct ksqld_control *c, const struct pollfd *fds, unsigned int n);
/* Closes everything and removes the socket file. */
void ksqld_control_close(struct ksqld_control *c);

#endif
