// SPDX-License-Identifier: GPL-2.0-only
/* control.c - the control socket: accept clients, one request at a time each. */
#define _GNU_SOURCE /* accept4, struct ucred */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include "control.h"
#include "log.h"

/* Requests are SQL plus parameters; anything larger is not a ksql QUERY. */
#define REQUEST_MAX	(16u << 20)
/* A client that stops reading its reply for this long is dropped. */
#define SEND_TIMEOUT_S	10

static int mkdir_parents(const char *path)
{
	char *dir = strdup(path), *p;
	int ret = 0;

	if (!dir)
		return -ENOMEM;
	for (p = strchr(dir + 1, '/'); p && ret == 0; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			ret = -errno;
		*p = '/';
	}
	if (ret < 0)
		log_err("cannot create the directory of the control socket %s: %s", path, strerror(-ret));
	free(dir);
	return ret;
}

/* A socket file nobody listens on is left over from a crash: remove it. */
static int clear_stale(const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, ret;

	if (lstat(sa->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode)) {
		log_err("%s exists and is not a socket; remove it or choose another path with --control",
			sa->sun_path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	if (ret == 0) {
		log_err("another ksqld is already serving the control socket %s; stop it first",
			sa->sun_path);
		return -EADDRINUSE;
	}
	if (unlink(sa->sun_path) < 0 && errno != ENOENT)
		return -errno;
	log_info("removed the stale control socket %s", sa->sun_path);
	return 0;
}

static void client_done(void *ctx)
{
	struct ksqld_control_client *cl = ctx;
	uint64_t one = 1;

	atomic_store(&cl->busy, false);
	/* The loop polls this client again; an eventfd write cannot block here. */
	if (write(cl->ctl->wakefd, &one, sizeof(one)) < 0)
		log_debug("control: cannot wake the main loop: %s", strerror(errno));
}

/* The gid of group name; -ENOENT when there is none, else 0 or -errno. */
static int group_id(const char *name, gid_t *gid)
{
	struct group gr, *res = NULL;
	char buf[16384];
	int ret = getgrnam_r(name, &gr, buf, sizeof(buf), &res);

	if (!res)
		return ret == 0 || ret == ENOENT || ret == ESRCH ? -ENOENT : -ret;
	*gid = gr.gr_gid;
	return 0;
}

/* Is path a socket file (not a link to one) that ksqld owns? 0 or -errno, logged. */
static int check_own_socket(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		int ret = -errno;

		log_err("cannot look at the control socket %s: %s", path, strerror(-ret));
		return ret;
	}
	if (!S_ISSOCK(st.st_mode) || st.st_uid != geteuid()) {
		log_err("the control socket %s was replaced: it is %s owned by uid %u, not ksqld's socket; leaving its owner and mode alone",
			path, S_ISLNK(st.st_mode) ? "a symbolic link" :
			S_ISSOCK(st.st_mode) ? "a socket" : "not a socket",
			(unsigned int)st.st_uid);
		return -EPERM;
	}
	return 0;
}

int ksqld_control_set_group(struct ksqld_control *c, const char *group)
{
	bool named = group && *group;
	gid_t gid = getegid();
	char what[300];
	int ret;

	if (!c->path)
		return -EBADF;
	if (named) {
		ret = group_id(group, &gid);
		if (ret == -ENOENT) {
			log_err("control_group %s: no such group; create it (groupadd --system %s) or set another control_group",
				group, group);
			return ret;
		}
		if (ret < 0) {
			log_err("cannot look up the group %s of the control socket: %s", group,
				strerror(-ret));
			return ret;
		}
		snprintf(what, sizeof(what), "group %s (gid %u)", group, (unsigned int)gid);
	} else {
		snprintf(what, sizeof(what), "ksqld's own group (gid %u)", (unsigned int)gid);
	}
	/*
	 * Only our own socket file, and never through a symlink: whoever can
	 * replace the path (a writable directory) must not get ksqld to chown
	 * or chmod another file, such as a symlink or hard link to
	 * /etc/shadow (issue 12 item 11). Hence lstat() first, then lchown()
	 * and fchmodat(AT_SYMLINK_NOFOLLOW), which never follow a link.
	 */
	ret = check_own_socket(c->path);
	if (ret < 0)
		return ret;
	/* The group first: 0660 with the old group would let the wrong members in. */
	if (lchown(c->path, (uid_t)-1, gid) < 0) {
		ret = -errno;
		if (ret == -EPERM)
			log_err("cannot give the control socket %s to %s: ksqld (uid %u) may only give it to a group it is a member of; add ksqld's user to that group (SupplementaryGroups= in the unit) or set another control_group",
				c->path, what, (unsigned int)geteuid());
		else
			log_err("cannot give the control socket %s to %s: %s", c->path, what,
				strerror(-ret));
		return ret;
	}
	if (fchmodat(AT_FDCWD, c->path, 0660, AT_SYMLINK_NOFOLLOW) < 0) {
		ret = -errno;
		log_err("cannot set mode 0660 on the control socket %s: %s", c->path, strerror(-ret));
		return ret;
	}
	log_info("control socket %s: mode 0660, %s", c->path, what);
	return 0;
}

int ksqld_control_open(struct ksqld_control *c, const char *path, struct ksqld_sched *sched,
		       const char *group)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	unsigned int i;
	mode_t old;
	int ret;

	memset(c, 0, sizeof(*c));
	c->lfd = -1;
	for (i = 0; i < KSQLD_CONTROL_CLIENTS_MAX; i++) {
		c->clients[i].fd = -1;
		c->clients[i].ctl = c;
		atomic_init(&c->clients[i].busy, false);
	}
	c->core.sched = sched;
	c->core.msg_type = KSQL_CTL_MSG_TYPE;
	c->core.name = "control";
	c->core.readonly_only = true;
	c->core.answers_stats = true;
	c->core.max_timeout_ms = KSQLD_CONTROL_TIMEOUT_MS;
	c->core.done = client_done;
	c->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->wakefd < 0) {
		ret = -errno;
		log_err("cannot create the control socket's eventfd: %s", strerror(-ret));
		return ret;
	}
	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_err("the control socket path %s is too long (at most %zu bytes)", path,
			sizeof(sa.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	ret = mkdir_parents(path);
	if (ret < 0)
		return ret;
	ret = clear_stale(&sa);
	if (ret < 0) {
		if (ret != -EEXIST && ret != -EADDRINUSE)
			log_err("cannot replace the old control socket %s: %s", path, strerror(-ret));
		return ret;
	}
	c->lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->lfd < 0) {
		ret = -errno;
		goto fail;
	}
	/*
	 * Created 0600, given to its group, only then opened to the group
	 * (0660), and only then listening: at no moment can someone outside
	 * the group connect. bind() makes the file with the socket inode's
	 * mode less the umask: fchmod() on the fd sets it without a path, so
	 * nothing another process put at the path can be changed.
	 */
	if (fchmod(c->lfd, 0600) < 0)
		log_debug("control: fchmod of the socket before bind: %s", strerror(errno));
	old = umask(0177);
	ret = bind(c->lfd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (ret < 0) {
		ret = -errno;
		goto fail;
	}
	c->path = strdup(path);
	if (!c->path) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = ksqld_control_set_group(c, group);
	if (ret < 0)
		goto fail_quiet;
	if (listen(c->lfd, 16) < 0) {
		ret = -errno;
		goto fail;
	}
	log_info("control socket listening at %s", path);
	return 0;
fail:
	log_err("cannot listen on the control socket %s: %s", path, strerror(-ret));
fail_quiet:
	if (c->lfd >= 0)
		close(c->lfd);
	c->lfd = -1;
	if (c->path)
		unlink(c->path);
	free(c->path);
	c->path = NULL;
	return ret;
}

unsigned int ksqld_control_fill(struct ksqld_control *c, struct pollfd *fds, unsigned int max)
{
	unsigned int n = 0, i;

	if (c->lfd < 0 || max < 2)
		return 0;
	c->polled[n] = -1;
	fds[n++] = (struct pollfd){ .fd = c->lfd, .events = POLLIN };
	c->polled[n] = -1;
	fds[n++] = (struct pollfd){ .fd = c->wakefd, .events = POLLIN };
	for (i = 0; i < KSQLD_CONTROL_CLIENTS_MAX && n < max; i++) {
		/* A busy client's socket belongs to the worker answering it. */
		if (c->clients[i].fd < 0 || atomic_load(&c->clients[i].busy))
			continue;
		c->polled[n] = (int)i;
		fds[n++] = (struct pollfd){ .fd = c->clients[i].fd, .events = POLLIN };
	}
	return n;
}

static void drop_client(struct ksqld_control_client *cl)
{
	close(cl->fd);
	cl->fd = -1;
	cl->has_cred = false;
}

int ksqld_control_client_attach(struct ksqld_control_client *cl, int fd)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);

	cl->fd = fd;
	errno = 0;
	/* Who connected, as the kernel saw it at connect(): not what the client claims. */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) < 0 || len != sizeof(uc)) {
		cl->has_cred = false;
		return errno ? -errno : -EPROTO;
	}
	cl->cred.pid = uc.pid;
	cl->cred.uid = uc.uid;
	cl->cred.gid = uc.gid;
	cl->has_cred = true;
	return 0;
}

bool ksqld_control_client_is_admin(const struct ksqld_control_client *cl)
{
	return cl->has_cred && cl->cred.uid == 0;
}

static void accept_clients(struct ksqld_control *c)
{
	struct timeval tv = { .tv_sec = SEND_TIMEOUT_S };
	unsigned int i;
	int fd, ret;

	while ((fd = accept4(c->lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		for (i = 0; i < KSQLD_CONTROL_CLIENTS_MAX && c->clients[i].fd >= 0; i++)
			;
		if (i == KSQLD_CONTROL_CLIENTS_MAX) {
			log_warn("control: too many clients (%d); refusing one", KSQLD_CONTROL_CLIENTS_MAX);
			close(fd);
			continue;
		}
		/* Replies are sent blocking; a stuck reader must not stall a worker forever. */
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		ret = ksqld_control_client_attach(&c->clients[i], fd);
		if (ret < 0)
			log_warn("control: cannot read a client's credentials (SO_PEERCRED): %s; it is not an administrator",
				 strerror(-ret));
		else
			log_debug("control: client pid %d uid %u gid %u connected",
				  (int)c->clients[i].cred.pid, (unsigned int)c->clients[i].cred.uid,
				  (unsigned int)c->clients[i].cred.gid);
	}
}

static int send_client(const void *buf, size_t len, void *ctx)
{
	struct ksqld_control_client *cl = ctx;
	ssize_t n;

	do
		n = send(cl->fd, buf, len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}

/* Returns false when the client is gone or misbehaved. */
static bool serve_client(struct ksqld_control *c, struct ksqld_control_client *cl)
{
	ssize_t len;
	void *buf;
	int ret;

	len = recv(cl->fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
	if (len <= 0)
		return len < 0 && (errno == EAGAIN || errno == EINTR);
	if ((size_t)len > REQUEST_MAX) {
		log_warn("control: a %zd-byte request is over the %u-byte limit; dropping the client",
			 len, REQUEST_MAX);
		return false;
	}
	buf = malloc((size_t)len);
	if (!buf)
		return false;
	len = recv(cl->fd, buf, (size_t)len, MSG_DONTWAIT);
	if (len <= 0) {
		free(buf);
		return false;
	}
	/* Busy before queueing: a fast worker may finish before handle returns. */
	atomic_store(&cl->busy, true);
	ret = ksqld_core_handle(&c->core, buf, (size_t)len, send_client, cl);
	free(buf);
	if (ret != 1)
		atomic_store(&cl->busy, false);
	if (ret == -EPIPE || ret == -ECONNRESET) {
		/* The client gave up first (ksqlctl's STATS wait is bounded). */
		log_debug("control: the client left before its answer; dropping it");
		return false;
	}
	if (ret < 0) {
		log_warn("control: cannot answer a client request: %s; dropping the client", strerror(-ret));
		return false;
	}
	return true;
}

void ksqld_control_process(struct ksqld_control *c, const struct pollfd *fds, unsigned int n)
{
	struct ksqld_control_client *cl;
	uint64_t v;
	unsigned int i;

	if (n > 1 && (fds[1].revents & POLLIN) && read(c->wakefd, &v, sizeof(v)) < 0)
		log_debug("control: eventfd read: %s", strerror(errno));
	for (i = 2; i < n; i++) {
		if (!fds[i].revents || c->polled[i] < 0)
			continue;
		cl = &c->clients[c->polled[i]];
		if (!(fds[i].revents & POLLIN) || !serve_client(c, cl))
			drop_client(cl);
	}
	/* Accept after serving so the fds[] indices above still match clients. */
	if (n && (fds[0].revents & POLLIN))
		accept_clients(c);
}

void ksqld_control_close(struct ksqld_control *c)
{
	unsigned int i;

	for (i = 0; i < KSQLD_CONTROL_CLIENTS_MAX; i++)
		if (c->clients[i].fd >= 0)
			drop_client(&c->clients[i]);
	if (c->lfd >= 0)
		close(c->lfd);
	c->lfd = -1;
	if (c->wakefd > 0)
		close(c->wakefd);
	c->wakefd = -1;
	if (c->path)
		unlink(c->path);
	free(c->path);
	c->path = NULL;
}
