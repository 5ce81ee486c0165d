// SPDX-License-Identifier: GPL-2.0-only
/*
 * netlink.c - the generic-netlink side of ksqld.
 *
 * The family "ksql" exists only while ksql.ko is loaded. Rather than poll,
 * ksqld joins nlctrl's "notify" multicast group and reacts to NEWFAMILY and
 * DELFAMILY, so loading, unloading and reloading the module need no restart.
 *
 * Requests that need an answer (GETFAMILY, HELLO, STATS, BYE) are sent with
 * NLM_F_ACK and waited for by sequence number; anything else that arrives in
 * the meantime (a QUERY right after HELLO, a notification) is handled as
 * usual. Notifications only record what happened; the main path acts on it,
 * so no request is ever started from inside another one's wait.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include "log.h"
#include "msgid.h"
#include "netlink.h"
#include "notify.h"
#include "ratelimit.h"
#include "stats.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_NO_ENOBUFS
#define NETLINK_NO_ENOBUFS 5
#endif

#define SOCK_BUF_BYTES		(4 << 20)
#define REQUEST_TIMEOUT_MS	5000

struct ksqld_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;	/* 0 while the module is not loaded */
	bool registered;
	bool announced_wait;
	bool ready_sent;	/* READY=1 goes out once, at the first registration */
	bool need_resolve;	/* a notification or an overrun asks for a fresh look */
	struct ksqld_core *core;
	char *buf;
	size_t buflen;
	struct ksqld_batch *batch;	/* replies go through it when set */
	uint64_t refused_log_ns;	/* rate limit of the error-ack log */
	unsigned int refused_quiet;	/* error acks not logged since */
};

typedef int (*reply_cb)(const struct nlmsghdr *nlh, void *ctx);

static void set_buf(int fd, int force, int plain, int size, const char *what)
{
	/* FORCE ignores rmem_max/wmem_max but needs CAP_NET_ADMIN. */
	if (setsockopt(fd, SOL_SOCKET, force, &size, sizeof(size)) == 0)
		return;
	if (setsockopt(fd, SOL_SOCKET, plain, &size, sizeof(size)) < 0)
		log_warn("cannot set the netlink %s buffer size: %s", what, strerror(errno));
}

static int ack_error(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*e))
		return -EPROTO;
	return e->error;
}

/* ---- notifications and queries: whatever arrives unasked ---------------- */

struct family_info {
	const char *name;
	uint16_t id;
	uint32_t notify_group;
};

static int mcast_grp_cb(const struct nlattr *a, void *p)
{
	struct family_info *fi = p;
	const struct nlattr *g;
	const char *name = NULL;
	uint32_t id = 0;

	mnl_attr_for_each_nested(g, a) {
		if (mnl_attr_get_type(g) == CTRL_ATTR_MCAST_GRP_NAME &&
		    mnl_attr_validate(g, MNL_TYPE_NUL_STRING) == 0)
			name = mnl_attr_get_str(g);
		else if (mnl_attr_get_type(g) == CTRL_ATTR_MCAST_GRP_ID &&
			 mnl_attr_validate(g, MNL_TYPE_U32) == 0)
			id = mnl_attr_get_u32(g);
	}
	if (name && strcmp(name, "notify") == 0)
		fi->notify_group = id;
	return MNL_CB_OK;
}

static int family_attr_cb(const struct nlattr *a, void *p)
{
	struct family_info *fi = p;

	switch (mnl_attr_get_type(a)) {
	case CTRL_ATTR_FAMILY_NAME:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			fi->name = mnl_attr_get_str(a);
		break;
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
			fi->id = mnl_attr_get_u16(a);
		break;
	case CTRL_ATTR_MCAST_GROUPS: {
		const struct nlattr *g;

		mnl_attr_for_each_nested(g, a)
			mcast_grp_cb(g, fi);
		break;
	}
	}
	return MNL_CB_OK;
}

static void parse_family(const struct nlmsghdr *nlh, struct family_info *fi)
{
	memset(fi, 0, sizeof(*fi));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, fi);
}

static void on_ctrl_notify(struct ksqld_nl *nl, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct family_info fi;

	parse_family(nlh, &fi);
	if (!fi.name || strcmp(fi.name, KSQL_GENL_NAME) != 0)
		return;
	if (g->cmd == CTRL_CMD_NEWFAMILY) {
		log_info("the ksql module appeared (family id %u)", fi.id);
		nl->need_resolve = true;
	} else if (g->cmd == CTRL_CMD_DELFAMILY) {
		log_info("the ksql module was unloaded; waiting for it to come back");
		nl->family = 0;
		nl->registered = false;
		nl->announced_wait = true;
		if (nl->core->sched)
			ksqld_sched_connection_lost(nl->core->sched);
		ksqld_notify_status("waiting for the ksql module: it was unloaded");
	}
}

/* An error ack for one of our RESULTs: worth a line, but not thousands. */
static void log_refused(struct ksqld_nl *nl, const struct nlmsghdr *nlh, int err)
{
	const char *ext = ksql_msg_extack(nlh);
	uint64_t now = ksqld_now_ns();

	if (now - nl->refused_log_ns < 1000000000u) {
		nl->refused_quiet++;
		return;
	}
	log_warn("the ksql module refused message %u: %s%s%s%s", nlh->nlmsg_seq, strerror(-err),
		 ext ? ": " : "", ext ? ext : "",
		 nl->refused_quiet ? " (and more refusals not logged in the last second)" : "");
	nl->refused_log_ns = now;
	nl->refused_quiet = 0;
}

static int send_raw(const void *buf, size_t len, void *p)
{
	struct ksqld_nl *nl = p;

	if (mnl_socket_sendto(nl->sock, buf, len) < 0)
		return -errno;
	return 0;
}

static void on_unasked(struct ksqld_nl *nl, const struct nlmsghdr *nlh)
{
	int ret;

	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		on_ctrl_notify(nl, nlh);
	} else if (nlh->nlmsg_type == NLMSG_ERROR) {
		ret = ack_error(nlh);
		if (ret)
			log_refused(nl, nlh, ret);
	} else if (nl->family && nlh->nlmsg_type == nl->family) {
		/*
		 * Not gated on nl->registered: the module may send a QUERY right
		 * after accepting HELLO, before its ack reaches us, and only the
		 * registered port is ever sent one.
		 */
		/* The family id can change when the module is reloaded. */
		nl->core->msg_type = nl->family;
		nl->core->reply_portid = 0;
		nl->core->from_kernel = true;
		nl->core->flush = nl->batch ? ksqld_batch_flush_ctx : NULL;
		ret = nl->batch ?
		      ksqld_core_handle(nl->core, nlh, nlh->nlmsg_len, ksqld_batch_add, nl->batch) :
		      ksqld_core_handle(nl->core, nlh, nlh->nlmsg_len, send_raw, nl);
		if (ret < 0)
			log_warn("netlink: could not answer a message from the ksql module: %s",
				 strerror(-ret));
	}
}

/* ---- receiving ------------------------------------------------------------ */

/*
 * Is sa (from recvfrom) the kernel? Any process may unicast to our port: a
 * forged nlctrl DELFAMILY would make ksqld drop its registration and roll
 * back the open transaction, a forged QUERY run SQL. Only port id 0 is the
 * kernel (the module and nlctrl alike).
 */
bool ksqld_nl_from_kernel(const struct sockaddr_nl *sa, socklen_t len)
{
	return len >= sizeof(*sa) && sa->nl_family == AF_NETLINK && sa->nl_pid == 0;
}

/* A datagram from another process: counted, dropped, one line a second. */
static void drop_foreign(const struct sockaddr_nl *sa, ssize_t len)
{
	static struct ksqld_ratelimit rl;
	unsigned int missed;

	ksqld_stat_add(KSQLD_STAT_FOREIGN, 1);
	if (!ksqld_ratelimit_pass(&rl, ksqld_now_ns(), 1000000000u, &missed))
		return;
	log_warn("netlink: dropped a %zd-byte message from port %u: only the kernel (port 0) may send to ksqld%s",
		 len, (unsigned int)sa->nl_pid,
		 missed ? " (and more not logged in the last second)" : "");
}

/* Receives one datagram (several messages) from the kernel into nl->buf. */
static ssize_t recv_batch(struct ksqld_nl *nl, int timeout_ms)
{
	int fd = mnl_socket_get_fd(nl->sock);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct sockaddr_nl sa;
	socklen_t salen;
	ssize_t len;
	int ret;

	do
		ret = poll(&p, 1, timeout_ms);
	while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return -ETIMEDOUT;
	/* Peek first: a QUERY with large parameters can exceed any fixed buffer. */
	len = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
	if (len < 0)
		return errno == EAGAIN ? 0 : -errno;
	if ((size_t)len > nl->buflen) {
		char *b = realloc(nl->buf, (size_t)len);

		if (!b)
			return -ENOMEM;
		nl->buf = b;
		nl->buflen = (size_t)len;
	}
	salen = sizeof(sa);
	memset(&sa, 0, sizeof(sa));
	len = recvfrom(fd, nl->buf, nl->buflen, MSG_DONTWAIT, (struct sockaddr *)&sa, &salen);
	if (len < 0)
		return errno == EAGAIN ? 0 : -errno;
	if (!ksqld_nl_from_kernel(&sa, salen)) {
		drop_foreign(&sa, len);
		return -EAGAIN;	/* nothing for the caller; it counts and goes on */
	}
	return len;
}

/*
 * Walks the messages of a batch. Those answering seq (when seq != 0) go to
 * cb or end the wait with their ack; everything else is handled as unasked.
 * Returns 1 when the ack for seq was seen (*err = its error), else 0.
 */
static int walk_batch(struct ksqld_nl *nl, size_t len, uint32_t seq,
		      reply_cb cb, void *ctx, int *err)
{
	const struct nlmsghdr *nlh = (const void *)nl->buf;
	int left = (int)len, done = 0;

	while (mnl_nlmsg_ok(nlh, left)) {
		bool ours = seq && nlh->nlmsg_seq == seq && nlh->nlmsg_pid == nl->portid;

		if (ours && nlh->nlmsg_type == NLMSG_ERROR) {
			const char *ext = ksql_msg_extack(nlh);

			*err = ack_error(nlh);
			if (*err && ext)
				log_warn("kernel: %s", ext);
			done = 1;
		} else if (ours && nlh->nlmsg_type != NLMSG_DONE) {
			if (cb)
				cb(nlh, ctx);
		} else if (!ours) {
			on_unasked(nl, nlh);
		}
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	return done;
}

/* Sends a request with NLM_F_ACK and waits for its ack. Returns the ack's error. */
static int request(struct ksqld_nl *nl, struct nlmsghdr *nlh, reply_cb cb, void *ctx)
{
	struct timespec start, now;
	int err = 0;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		long spent;
		ssize_t len;

		clock_gettime(CLOCK_MONOTONIC, &now);
		spent = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (spent >= REQUEST_TIMEOUT_MS)
			return -ETIMEDOUT;
		len = recv_batch(nl, (int)(REQUEST_TIMEOUT_MS - spent));
		if (len == -EAGAIN)
			continue;	/* a foreign datagram: the wait goes on */
		if (len == -ENOBUFS) {
			/* Overrun: notifications may be lost, so look again later. */
			nl->need_resolve = true;
			continue;
		}
		if (len < 0)
			return (int)len;
		if (walk_batch(nl, (size_t)len, nlh->nlmsg_seq, cb, ctx, &err))
			return err;
	}
}

static struct nlmsghdr *start_msg(void *buf, uint16_t type, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

/* ---- nlctrl ----------------------------------------------------------------- */

static int family_reply(const struct nlmsghdr *nlh, void *ctx)
{
	struct family_info *out = ctx;
	struct family_info fi;

	if (nlh->nlmsg_type != GENL_ID_CTRL)
		return 0;
	parse_family(nlh, &fi);
	out->id = fi.id;
	out->notify_group = fi.notify_group;
	return 0;
}

static int get_family(struct ksqld_nl *nl, const char *name, struct family_info *fi)
{
	char buf[256] = { 0 };
	struct nlmsghdr *nlh = start_msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);

	memset(fi, 0, sizeof(*fi));
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	return request(nl, nlh, family_reply, fi);
}

/* ---- ksql ------------------------------------------------------------------ */

static int stats_reply(const struct nlmsghdr *nlh, void *ctx)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == KSQL_A_DAEMON_PID &&
		    mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			*(uint32_t *)ctx = mnl_attr_get_u32(a);
	}
	return 0;
}

static uint32_t registered_pid(struct ksqld_nl *nl)
{
	char buf[64] = { 0 };
	struct nlmsghdr *nlh = start_msg(buf, nl->family, KSQL_CMD_STATS, KSQL_GENL_VERSION);
	uint32_t pid = 0;

	request(nl, nlh, stats_reply, &pid);
	return pid;
}

/*
 * systemd learns that ksqld serves only now: a unit ordered after ksqld
 * (Type=notify) may then rely on queries being answered. A later
 * registration (the module was reloaded) only updates STATUS=.
 */
static void announce_registered(struct ksqld_nl *nl)
{
	char status[96], field[32];
	const char *fields[] = { field, NULL };

	snprintf(field, sizeof(field), "KSQL_FAMILY_ID=%u", nl->family);
	ksqld_log_event(LOG_INFO, KSQLD_MSGID_REGISTERED, fields,
			"registered with the ksql module (family id %u); serving queries", nl->family);
	snprintf(status, sizeof(status),
		 "registered with the ksql module (family %u); serving", nl->family);
	ksqld_notify_status(status);
	if (!nl->ready_sent) {
		ksqld_notify_ready();
		nl->ready_sent = true;
	}
}

static int hello(struct ksqld_nl *nl)
{
	char buf[64] = { 0 };
	struct nlmsghdr *nlh = start_msg(buf, nl->family, KSQL_CMD_HELLO, KSQL_GENL_VERSION);
	uint32_t pid;
	int ret;

	mnl_attr_put_u32(nlh, KSQL_A_VERSION, KSQL_GENL_VERSION);
	ret = request(nl, nlh, NULL, NULL);
	switch (ret) {
	case 0:
		/* A new registration: whatever was open for the old one is over. */
		if (nl->core->sched)
			ksqld_sched_connection_lost(nl->core->sched);
		nl->registered = true;
		nl->announced_wait = false;
		announce_registered(nl);
		return 0;
	case -EBUSY:
		pid = registered_pid(nl);
		if (pid)
			log_err("another ksqld is registered with the ksql module (pid %" PRIu32 "?) — stop it first", pid);
		else
			log_err("another ksqld is registered with the ksql module (pid unknown) — stop it first");
		return ret;
	case -EPERM:
		log_err("the ksql module refused to register ksqld: it needs CAP_NET_ADMIN; run it as root");
		return ret;
	case -EPROTO:
		log_err("the ksql module speaks a different protocol version than ksqld (%d); install matching versions",
			KSQL_GENL_VERSION);
		return ret;
	case -ENOENT:
	case -EOPNOTSUPP:
		/* Unloaded between GETFAMILY and HELLO: wait for it again. */
		nl->family = 0;
		return 0;
	default:
		log_err("cannot register with the ksql module: %s", strerror(-ret));
		return ret;
	}
}

/* Looks the family up and registers; a missing family just means waiting. */
static int resolve_once(struct ksqld_nl *nl)
{
	struct family_info fi;
	int ret;

	nl->need_resolve = false;
	ret = get_family(nl, KSQL_GENL_NAME, &fi);
	if (ret == -ENOENT || (ret == 0 && fi.id == 0)) {
		nl->family = 0;
		nl->registered = false;
		if (!nl->announced_wait) {
			log_info("waiting for the ksql module to be loaded (generic netlink family \"%s\" not found)",
				 KSQL_GENL_NAME);
			ksqld_notify_status("waiting for the ksql module to be loaded (modprobe ksql)");
			nl->announced_wait = true;
		}
		return 0;
	}
	if (ret < 0) {
		log_err("cannot look up the generic netlink family \"%s\": %s", KSQL_GENL_NAME,
			strerror(-ret));
		return ret;
	}
	if (nl->registered && nl->family == fi.id)
		return 0;
	nl->family = fi.id;
	nl->registered = false;
	return hello(nl);
}

/* Notifications seen while resolving may ask for another look; a few suffice. */
static int resolve(struct ksqld_nl *nl)
{
	int i, ret = 0;

	for (i = 0; i < 4 && ret == 0; i++) {
		ret = resolve_once(nl);
		if (!nl->need_resolve)
			break;
	}
	return ret;
}

int ksqld_nl_set_rcvbuf(struct ksqld_nl *nl, int bytes)
{
	int fd = mnl_socket_get_fd(nl->sock);

	/* As at open: FORCE past rmem_max with CAP_NET_ADMIN, else the capped size. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) == 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes)) == 0)
		return 0;
	return -errno;
}

int ksqld_nl_open(struct ksqld_core *core, int rcvbuf, struct ksqld_nl **out)
{
	struct ksqld_nl *nl = calloc(1, sizeof(*nl));
	struct family_info ctrl;
	int one = 1, fd, ret;

	if (!nl)
		return -ENOMEM;
	nl->core = core;
	nl->buflen = MNL_SOCKET_BUFFER_SIZE > 65536 ? MNL_SOCKET_BUFFER_SIZE : 65536;
	nl->buf = malloc(nl->buflen);
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->buf || !nl->sock) {
		ret = nl->buf ? -errno : -ENOMEM;
		log_err("cannot open a generic netlink socket: %s", strerror(-ret));
		goto fail;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		log_err("cannot bind the generic netlink socket: %s", strerror(-ret));
		goto fail;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	fd = mnl_socket_get_fd(nl->sock);
	set_buf(fd, SO_RCVBUFFORCE, SO_RCVBUF, rcvbuf > 0 ? rcvbuf : SOCK_BUF_BYTES, "receive");
	set_buf(fd, SO_SNDBUFFORCE, SO_SNDBUF, SOCK_BUF_BYTES, "send");
	/* Error acks then carry the kernel's reason, and not our whole message back. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	/*
	 * A full receive buffer makes the kernel retry its unicast (it sees
	 * -EAGAIN), not flag an overrun on our socket that would cost a resolve.
	 */
	if (mnl_socket_setsockopt(nl->sock, NETLINK_NO_ENOBUFS, &one, sizeof(one)) < 0)
		log_warn("cannot set NETLINK_NO_ENOBUFS: %s", strerror(errno));

	ret = get_family(nl, "nlctrl", &ctrl);
	if (ret == 0 && ctrl.notify_group == 0)
		ret = -ENOENT;
	if (ret == 0 && mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
					      &ctrl.notify_group, sizeof(ctrl.notify_group)) < 0)
		ret = -errno;
	if (ret < 0) {
		log_err("cannot subscribe to generic netlink family notifications: %s", strerror(-ret));
		goto fail;
	}
	*out = nl;
	return 0;
fail:
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	free(nl);
	return ret;
}

int ksqld_nl_connect(struct ksqld_nl *nl, struct ksqld_batch *batch)
{
	nl->batch = batch;
	/* Subscribed before looking: a module loaded in between is not missed. */
	return resolve(nl);
}

void ksqld_nl_set_batch(struct ksqld_nl *nl, struct ksqld_batch *batch)
{
	nl->batch = batch;
}

int ksqld_nl_send(const void *buf, size_t len, void *ctx)
{
	return send_raw(buf, len, ctx);
}

int ksqld_nl_fd(const struct ksqld_nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

uint32_t ksqld_nl_portid(const struct ksqld_nl *nl)
{
	return nl->portid;
}

bool ksqld_nl_registered(const struct ksqld_nl *nl)
{
	return nl->registered;
}

int ksqld_nl_process(struct ksqld_nl *nl)
{
	ssize_t len;
	int err = 0;

	/*
	 * Drain what is queued, so CANCELs are seen while statements run, but
	 * at most KSQLD_NL_DRAIN_MAX datagrams: under a steady stream (kernel
	 * callers, or another process flooding ksqld's port) the poll loop
	 * must come back to its signalfd, or SIGTERM waits for a quiet moment.
	 */
	nl->core->queued = 0;
	for (unsigned int n = 0; n < KSQLD_NL_DRAIN_MAX; n++) {
		len = recv_batch(nl, 0);
		if (len == -ETIMEDOUT || len == 0)
			break;
		if (len == -EAGAIN)
			continue;
		if (len == -ENOBUFS) {
			log_warn("netlink receive buffer overrun; messages from the kernel were lost");
			nl->need_resolve = true;
			continue;
		}
		if (len < 0) {
			log_err("cannot receive from the generic netlink socket: %s", strerror((int)-len));
			return (int)len;
		}
		walk_batch(nl, (size_t)len, 0, NULL, NULL, &err);
	}
	ksqld_stat_max(KSQLD_STAT_BATCH_MAX, nl->core->queued);
	if (nl->need_resolve)
		return resolve(nl);
	return 0;
}

void ksqld_nl_close(struct ksqld_nl *nl)
{
	char buf[64] = { 0 };
	struct nlmsghdr *nlh;
	int ret;

	if (!nl)
		return;
	if (nl->registered) {
		nlh = start_msg(buf, nl->family, KSQL_CMD_BYE, KSQL_GENL_VERSION);
		ret = request(nl, nlh, NULL, NULL);
		if (ret < 0)
			log_warn("BYE to the ksql module failed: %s", strerror(-ret));
		else
			log_info("unregistered from the ksql module");
	}
	mnl_socket_close(nl->sock);
	free(nl->buf);
	free(nl);
}
