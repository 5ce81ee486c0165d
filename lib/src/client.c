// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * client.c - the control-socket client: one QUERY out, RESULT chunks back,
 * on a unix SOCK_SEQPACKET socket so message boundaries survive.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <ksql/client.h>
#include "client_internal.h"
#include "codec.h"
#include "export.h"

struct ksql_client {
	int fd;
	uint32_t seq;
	uint64_t next_req_id;
};

KSQL_EXPORT int ksql_client_connect_timeout(const char *path, unsigned int timeout_ms,
					    struct ksql_client **out)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	/* AF_UNIX connect() waits for room in the backlog for up to SO_SNDTIMEO. */
	struct timeval tv = { .tv_sec = timeout_ms / 1000,
			      .tv_usec = (timeout_ms % 1000) * 1000 };
	struct timeval notv = { 0 };
	struct ksql_client *c;
	int fd, err;

	if (!path)
		path = KSQL_CONTROL_PATH_DEFAULT;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd >= 0 && timeout_ms)
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		/* ENOENT / ECONNREFUSED: no daemon; the caller says so. */
		err = errno == EAGAIN || errno == EINPROGRESS ? -ETIMEDOUT : -errno;
		if (fd >= 0)
			close(fd);
		free(c);
		return err;
	}
	if (timeout_ms)
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &notv, sizeof(notv));
	c->fd = fd;
	c->next_req_id = 1;
	*out = c;
	return 0;
}

KSQL_EXPORT int ksql_client_connect(const char *path, struct ksql_client **out)
{
	return ksql_client_connect_timeout(path, 0, out);
}

KSQL_EXPORT void ksql_client_close(struct ksql_client *c)
{
	if (!c)
		return;
	close(c->fd);
	free(c);
}

static int send_query(struct ksql_client *c, uint64_t req_id, const char *sql,
		      const struct ksql_value *params, unsigned int nparams)
{
	struct ksql_msg_hdr h = {
		.type = KSQL_CTL_MSG_TYPE, .flags = NLM_F_REQUEST, .seq = ++c->seq,
	};
	size_t size = ksql_query_size(sql, params, nparams);
	const struct nlmsghdr *nlh;
	ssize_t n;
	void *buf;
	int ret;

	if (size == 0)
		return -E2BIG;
	buf = calloc(1, size);
	if (!buf)
		return -ENOMEM;
	ret = ksql_query_build(buf, size, &h, req_id, sql, 0, params, nparams);
	if (ret == 0) {
		nlh = buf;
		do
			n = send(c->fd, buf, nlh->nlmsg_len, MSG_NOSIGNAL);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			ret = -errno;
		else if ((size_t)n != nlh->nlmsg_len)
			ret = -EMSGSIZE;
	}
	free(buf);
	return ret;
}

/* Receives one whole datagram, however large, into a fresh buffer. */
static ssize_t recv_msg(int fd, void **out)
{
	ssize_t len, n;
	void *buf;

	do
		len = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
	while (len < 0 && errno == EINTR);
	if (len < 0)
		return -errno;
	if (len == 0)
		return -ECONNRESET;	/* the daemon closed the connection */
	buf = malloc((size_t)len);
	if (!buf)
		return -ENOMEM;
	do
		n = recv(fd, buf, (size_t)len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		n = -errno;
		free(buf);
		return n;
	}
	*out = buf;
	return n;
}

KSQL_EXPORT int ksql_client_query(struct ksql_client *c, const char *sql,
				  const struct ksql_value *params, unsigned int nparams,
				  struct ksql_reply **out)
{
	uint64_t req_id = c->next_req_id++;
	struct ksql_reasm *r;
	int ret;

	*out = NULL;
	if (!sql || (nparams && !params))
		return -EINVAL;
	ret = send_query(c, req_id, sql, params, nparams);
	if (ret < 0)
		return ret;
	ret = ksql_reasm_new(req_id, &r);
	if (ret < 0)
		return ret;
	do {
		void *buf = NULL;
		ssize_t n = recv_msg(c->fd, &buf);

		if (n < 0) {
			ret = (int)n;
			break;
		}
		ret = ksql_reasm_feed(r, buf, (size_t)n);
		free(buf);
	} while (ret == 0);
	if (ret == 1) {
		*out = ksql_reasm_take(r);
		ret = 0;
	}
	ksql_reasm_free(r);
	return ret;
}

#define KSQL_STATS_TIMEOUT_MS	1000

struct dstats {
	uint64_t *vals;
	unsigned int n;
	uint64_t *present;
	bool got;
};

static int dstats_attr(const struct nlattr *a, void *ctx)
{
	struct dstats *d = ctx;
	const struct nlattr *s;
	uint16_t t;

	if (mnl_attr_get_type(a) != KSQL_A_DAEMON_STATS)
		return 0;
	d->got = true;
	mnl_attr_for_each_nested(s, a) {
		t = mnl_attr_get_type(s);
		if (t < d->n && t != KSQLD_STAT_PAD &&
		    mnl_attr_get_payload_len(s) == sizeof(uint64_t)) {
			memcpy(&d->vals[t], mnl_attr_get_payload(s), sizeof(uint64_t));
			*d->present |= 1ULL << t;
		}
	}
	return 0;
}

int ksql_client_stats_exchange(struct ksql_client *c, void **buf, const struct nlmsghdr **out)
{
	struct ksql_msg_hdr h = {
		.type = KSQL_CTL_MSG_TYPE, .flags = NLM_F_REQUEST, .seq = ++c->seq,
	};
	struct timeval tv = { .tv_sec = KSQL_STATS_TIMEOUT_MS / 1000,
			      .tv_usec = (KSQL_STATS_TIMEOUT_MS % 1000) * 1000 };
	struct timeval notv = { 0 };
	const struct nlmsghdr *nlh;
	char req[64] = { 0 };
	ssize_t len;
	int ret;

	*buf = NULL;
	nlh = ksql_msg_start(req, sizeof(req), &h, KSQL_CMD_STATS);
	if (!nlh)
		return -EMSGSIZE;
	do
		len = send(c->fd, req, nlh->nlmsg_len, MSG_NOSIGNAL);
	while (len < 0 && errno == EINTR);
	if (len < 0)
		return -errno;
	/*
	 * ksqld answers STATS from its main loop at once; a daemon that does
	 * not (stopped, stuck) must not hang "ksqlctl status".
	 */
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	len = recv_msg(c->fd, buf);
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &notv, sizeof(notv));
	if (len == -EAGAIN || len == -EWOULDBLOCK)
		return -ETIMEDOUT;
	if (len < 0)
		return (int)len;
	ret = ksql_msg_check(*buf, (size_t)len, out);
	if (ret == 0 && ksql_msg_cmd(*out) != KSQL_CMD_STATS)
		ret = -EPROTO;
	if (ret < 0) {
		free(*buf);
		*buf = NULL;
	}
	return ret;
}

KSQL_EXPORT int ksql_client_daemon_stats(struct ksql_client *c, uint64_t *vals, unsigned int n,
			     uint64_t *present)
{
	struct dstats d = { .vals = vals, .n = n > 64 ? 64 : n, .present = present };
	const struct nlmsghdr *nlh;
	void *buf;
	int ret;

	*present = 0;
	ret = ksql_client_stats_exchange(c, &buf, &nlh);
	if (ret == 0)
		ret = ksql_attr_walk(nlh, dstats_attr, &d);
	if (ret == 0 && !d.got)
		ret = -EPROTO;
	free(buf);
	return ret;
}
