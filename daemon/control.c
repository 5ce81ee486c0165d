// SPDX-License-Identifier: GPL-2.0-only
/* control.c - the control socket: accept clients, one request at a time each. */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

int ksqld_control_open(struct ksqld_control *c, const char *path, struct ksqld_exec *ro_exec)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int ret;

	memset(c, 0, sizeof(*c));
	c->lfd = -1;
	c->core.exec = ro_exec;
	c->core.msg_type = KSQL_CTL_MSG_TYPE;
	c->core.name = "control";
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

unsigned int ksqld_control_fill(const struct ksqld_control *c, struct pollfd *fds, unsigned int max)
{
	unsigned int n = 0, i;

	if (c->lfd < 0 || max == 0)
		return 0;
	fds[n++] = (struct pollfd){ .fd = c->lfd, .events = POLLIN };
	for (i = 0; i < c->nclients && n < max; i++)
		fds[n++] = (struct pollfd){ .fd = c->clients[i], .events = POLLIN };
	return n;
}

static void drop_client(struct ksqld_control *c, int fd)
{
	unsigned int i;

	for (i = 0; i < c->nclients; i++) {
		if (c->clients[i] == fd) {
			c->clients[i] = c->clients[--c->nclients];
			break;
		}
	}
	close(fd);
}

static void accept_clients(struct ksqld_control *c)
{
	struct timeval tv = { .tv_sec = SEND_TIMEOUT_S };
	int fd;

	while ((fd = accept4(c->lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		if (c->nclients == KSQLD_CONTROL_CLIENTS_MAX) {
			log_warn("control: too many clients (%d); refusing one", KSQLD_CONTROL_CLIENTS_MAX);
			close(fd);
			continue;
		}
		/* Replies are sent blocking; a stuck reader must not stall ksqld forever. */
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		c->clients[c->nclients++] = fd;
	}
}

static int send_client(const void *buf, size_t len, void *ctx)
{
	int fd = *(int *)ctx;
	ssize_t n;

	do
		n = send(fd, buf, len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}

/* Returns false when the client is gone or misbehaved. */
static bool serve_client(struct ksqld_control *c, int fd)
{
	ssize_t len;
	void *buf;
	int ret;

	len = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
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
	len = recv(fd, buf, (size_t)len, MSG_DONTWAIT);
	if (len <= 0) {
		free(buf);
		return false;
	}
	ret = ksqld_core_handle(&c->core, buf, (size_t)len, send_client, &fd);
	free(buf);
	if (ret < 0) {
		log_warn("control: cannot answer a client request: %s; dropping the client", strerror(-ret));
		return false;
	}
	return true;
}

void ksqld_control_process(struct ksqld_control *c, const struct pollfd *fds, unsigned int n)
{
	unsigned int i;

	for (i = 1; i < n; i++) {
		if (!fds[i].revents)
			continue;
		if (!(fds[i].revents & POLLIN) || !serve_client(c, fds[i].fd))
			drop_client(c, fds[i].fd);
	}
	/* Accept after serving so the fds[] indices above still match clients. */
	if (n && (fds[0].revents & POLLIN))
		accept_clients(c);
}

void ksqld_control_close(struct ksqld_control *c)
{
	while (c->nclients)
		close(c->clients[--c->nclients]);
	if (c->lfd >= 0)
		close(c->lfd);
	c->lfd = -1;
	if (c->path)
		unlink(c->path);
	free(c->path);
	c->path = NULL;
}
