// SPDX-License-Identifier: GPL-2.0-only
/* control.c - the control socket: accept clients, one request at a time each. */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
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

int ksqld_control_open(struct ksqld_control *c, const char *path, struct ksqld_sched *sched)
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
	/* Created 0600 from the start: no window in which others could connect. */
	old = umask(0177);
	ret = bind(c->lfd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (ret < 0 || chmod(path, 0600) < 0 || listen(c->lfd, 16) < 0) {
		ret = -errno;
		goto fail;
	}
	c->path = strdup(path);
	log_info("control socket listening at %s", path);
	return 0;
fail:
	log_err("cannot listen on the control socket %s: %s", path, strerror(-ret));
	if (c->lfd >= 0)
		close(c->lfd);
	c->lfd = -1;
	return ret;
}

/* gid of the group called name, or -ENOENT/-errno. */
static int group_id(const char *name, gid_t *gid)
{
	struct group gr, *res = NULL;
	char buf[16384];
	int ret = getgrnam_r(name, &gr, buf, sizeof(buf), &res);

	if (!res)
		return ret && ret != ENOENT && ret != ESRCH ? -ret : -ENOENT;
	*gid = gr.gr_gid;
	return 0;
}

int ksqld_control_set_group(struct ksqld_control *c, const char *group)
{
	gid_t gid = getegid();
	int ret;

	if (!c->path)
		return -EBADF;
	if (group && *group) {
		ret = group_id(group, &gid);
		if (ret < 0)
			return ret;
	}
	/* The group first: a 0660 socket of the old group would let its members in. */
	if (chown(c->path, (uid_t)-1, gid) < 0 || chmod(c->path, 0660) < 0)
		return -errno;
	return 0;
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
}

static void accept_clients(struct ksqld_control *c)
{
	struct timeval tv = { .tv_sec = SEND_TIMEOUT_S };
	unsigned int i;
	int fd;

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
		c->clients[i].fd = fd;
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
