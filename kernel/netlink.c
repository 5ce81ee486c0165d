// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - the "ksql" generic netlink family: policies, handlers, the
 * messages sent to the daemon, and the notifier noticing its death.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netlink.h>
#include <linux/notifier.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "ksql_internal.h"
#include "log.h"
#include "ksql_trace.h"

/* RESULT may only carry result flags; query flags are refused too */
#ifdef KSQL_HAVE_NLA_POLICY_MASK
#define KSQL_FLAGS_POLICY	NLA_POLICY_MASK(NLA_U32, __KSQL_F_RESULT_ALL)
#else
#define KSQL_FLAGS_POLICY	{ .type = NLA_U32 }
#endif

static const struct nla_policy ksql_hello_policy[KSQL_A_MAX + 1] = {
	[KSQL_A_VERSION]	= { .type = NLA_U32 },
};

static const struct nla_policy ksql_result_policy[KSQL_A_MAX + 1] = {
	/* zero-length padding before 64-bit attributes is tolerated */
	[KSQL_A_PAD]		= { .type = NLA_FLAG },
	[KSQL_A_REQ_ID]		= { .type = NLA_U64 },
	[KSQL_A_FLAGS]		= KSQL_FLAGS_POLICY,
	[KSQL_A_CHUNK]		= { .type = NLA_U32 },
	[KSQL_A_NCOLS]		= { .type = NLA_U32 },
	[KSQL_A_COLUMN]		= { .type = NLA_NUL_STRING,
				    .len = KSQL_NAME_MAX },
	[KSQL_A_VAL_NULL]	= { .type = NLA_FLAG },
	[KSQL_A_VAL_INT]	= { .type = NLA_S64 },
	[KSQL_A_VAL_REAL]	= { .type = NLA_U64 },
	[KSQL_A_VAL_TEXT]	= { .type = NLA_BINARY, .len = KSQL_VALUE_MAX },
	[KSQL_A_VAL_BLOB]	= { .type = NLA_BINARY, .len = KSQL_VALUE_MAX },
	[KSQL_A_CHANGES]	= { .type = NLA_U64 },
	[KSQL_A_LAST_ROWID]	= { .type = NLA_S64 },
	[KSQL_A_ERRNO]		= { .type = NLA_U32 },
	[KSQL_A_SQLITE_CODE]	= { .type = NLA_S32 },
	[KSQL_A_ERRMSG]		= { .type = NLA_NUL_STRING,
				    .len = KSQL_ERRMSG_MAX },
};

static const struct nla_policy ksql_log_ack_policy[KSQL_A_MAX + 1] = {
	[KSQL_A_PAD]		= { .type = NLA_FLAG },
	[KSQL_A_TABLE]		= { .type = NLA_NUL_STRING,
				    .len = KSQL_TABLE_NAME_MAX },
	[KSQL_A_EPOCH]		= { .type = NLA_U64 },
	[KSQL_A_SEQ]		= { .type = NLA_U64 },
};

/*
 * What genetlink itself checks on RESULT and LOG_ACK: only the attribute
 * framing and the type range. The strict policies above are applied by the
 * handlers (ksql_nl_parse()), after the sender check, so that a malformed
 * reply of the daemon is counted as rejected and fails its caller at once
 * instead of vanishing in genetlink with nobody told.
 */
static const struct nla_policy ksql_reply_frame_policy[KSQL_A_MAX + 1] = {
	[1 ... KSQL_A_MAX]	= { .type = NLA_BINARY },
};

static struct genl_family ksql_family;

/* Count and trace a refused daemon-only message. */
void ksql_reject(struct genl_info *info)
{
	ksql_stat_inc(KSQL_STAT_REJECTED);
	trace_ksql_reject(info->snd_portid, info->genlhdr->cmd);
}

/*
 * Daemon-only commands: GENL_ADMIN_PERM (checked by genetlink against the
 * sender's network namespace), the initial namespace (the daemon's port is
 * only meaningful there), and, but for HELLO, the registered daemon's
 * socket (not its port number, which a process may bind once it is freed).
 */
static bool ksql_from_daemon(struct sk_buff *skb, struct genl_info *info,
			     bool registered)
{
	if (!net_eq(genl_info_net(info), &init_net)) {
		GENL_SET_ERR_MSG(info, "ksql works in the initial network namespace only");
		ksql_reject(info);
		return false;
	}
	if (registered && !ksql_daemon_is(NETLINK_CB(skb).sk)) {
		GENL_SET_ERR_MSG(info, "not the registered daemon");
		ksql_reject(info);
		return false;
	}
	return true;
}

static int ksql_nl_hello(struct sk_buff *skb, struct genl_info *info)
{
	u32 version;
	int ret;

	if (!ksql_from_daemon(skb, info, false))
		return -EPERM;
	if (GENL_REQ_ATTR_CHECK(info, KSQL_A_VERSION))
		return -EINVAL;
	version = nla_get_u32(info->attrs[KSQL_A_VERSION]);
	if (version != KSQL_GENL_VERSION) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KSQL_A_VERSION],
				    "unsupported protocol version");
		return -EPROTO;
	}
	ret = ksql_daemon_register(NETLINK_CB(skb).sk, info->snd_portid);
	if (ret == -EBUSY)
		GENL_SET_ERR_MSG(info, "another ksqld is registered");
	return ret;
}

static int ksql_nl_bye(struct sk_buff *skb, struct genl_info *info)
{
	if (!ksql_from_daemon(skb, info, false))
		return -EPERM;
	if (ksql_daemon_unregister(info->snd_portid, NETLINK_CB(skb).sk,
				   KSQL_DISC_BYE)) {
		GENL_SET_ERR_MSG(info, "not the registered daemon");
		ksql_reject(info);
		return -EPERM;
	}
	return 0;
}

/*
 * Validate a daemon reply against its strict @policy into @tb and point
 * info->attrs at it. A refusal is counted (ksql_reject()) and answered with
 * the policy's errno and extack.
 */
static int ksql_nl_parse(struct genl_info *info,
			 const struct nla_policy *policy, struct nlattr **tb)
{
	int ret;

	ret = nlmsg_parse(info->nlhdr, GENL_HDRLEN, tb, KSQL_A_MAX, policy,
			  info->extack);
	if (ret) {
		ksql_reject(info);
		return ret;
	}
	info->attrs = tb;
	return 0;
}

/*
 * A RESULT of the daemon was refused: fail the request it names, if its
 * KSQL_A_REQ_ID can be read (the first attribute of that type, well framed
 * and exactly 8 bytes) and it was sent to this daemon; its caller would
 * otherwise wait for its timeout.
 */
static void ksql_nl_fail_refused(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *a;
	struct ksql_req *req;
	int rem;

	nla_for_each_attr(a, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(a) != KSQL_A_REQ_ID)
			continue;
		if (nla_len(a) != sizeof(u64))
			return;
		req = ksql_req_lookup(nla_get_u64(a), NETLINK_CB(skb).sk);
		if (IS_ERR_OR_NULL(req))
			return;
		if (ksql_req_complete(req, -EPROTO, NULL))
			ksql_nl_send_cancel(req, KSQL_CANCEL_ERROR);
		ksql_req_put(req);
		return;
	}
}

static int ksql_nl_result(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KSQL_A_MAX + 1];
	struct ksql_req *req;
	u64 id;
	int ret;

	if (!ksql_from_daemon(skb, info, true))
		return -EPERM;
	ret = ksql_nl_parse(info, ksql_result_policy, tb);
	if (ret) {
		ksql_nl_fail_refused(skb, info);
		return ret;
	}
	if (GENL_REQ_ATTR_CHECK(info, KSQL_A_REQ_ID) ||
	    GENL_REQ_ATTR_CHECK(info, KSQL_A_CHUNK)) {
		ksql_reject(info);
		ksql_nl_fail_refused(skb, info);
		return -EINVAL;
	}
#ifndef KSQL_HAVE_NLA_POLICY_MASK
	if (info->attrs[KSQL_A_FLAGS] &&
	    nla_get_u32(info->attrs[KSQL_A_FLAGS]) & ~(u32)__KSQL_F_RESULT_ALL) {
		ksql_reject(info);
		ksql_nl_fail_refused(skb, info);
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KSQL_A_FLAGS],
				    "unknown flags");
		return -EINVAL;
	}
#endif

	id = nla_get_u64(info->attrs[KSQL_A_REQ_ID]);
	req = ksql_req_lookup(id, NETLINK_CB(skb).sk);
	if (IS_ERR(req)) {
		/* pending, but waiting for a slot or for another daemon */
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KSQL_A_REQ_ID],
				    "request was not sent to this daemon");
		ksql_reject(info);
		return -EINVAL;
	}
	if (!req) {
		ksql_stat_inc(KSQL_STAT_LATE);
		trace_ksql_late(id);
		return 0;
	}
	ret = ksql_result_add_chunk(req, info);
	ksql_req_put(req);
	return ret;
}

/* The daemon committed a logged table's rows up to KSQL_A_SEQ. */
static int ksql_nl_log_ack(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KSQL_A_MAX + 1];
	struct ksql_table *t;
	int ret;

	if (!ksql_from_daemon(skb, info, true))
		return -EPERM;
	ret = ksql_nl_parse(info, ksql_log_ack_policy, tb);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, KSQL_A_TABLE) ||
	    GENL_REQ_ATTR_CHECK(info, KSQL_A_EPOCH) ||
	    GENL_REQ_ATTR_CHECK(info, KSQL_A_SEQ)) {
		ksql_reject(info);
		return -EINVAL;
	}
	ksql_tables_lock();
	t = ksql_table_get_locked(nla_data(info->attrs[KSQL_A_TABLE]),
				  nla_get_u64(info->attrs[KSQL_A_EPOCH]));
	if (!t) {
		ksql_tables_unlock();
		GENL_SET_ERR_MSG(info, "no such table and epoch");
		ksql_reject(info);
		return -ENOENT;
	}
	ret = ksql_log_ack(t, nla_get_u64(info->attrs[KSQL_A_SEQ]));
	ksql_tables_unlock();
	if (ret) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KSQL_A_SEQ],
				    "sequence beyond what was sent");
		ksql_reject(info);
	}
	return ret;
}

static int ksql_nl_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	pid_t pid;
	int i;

	/* the table list stays as counted while the reply is built */
	ksql_tables_lock();
	msg = genlmsg_new(nla_total_size(sizeof(u32)) + nla_total_size(0) +
			  KSQL_STAT_MAX * nla_total_size_64bit(sizeof(u64)) +
			  ksql_table_stats_size(ksql_tables_count()),
			  GFP_KERNEL);
	if (!msg) {
		ksql_tables_unlock();
		return -ENOMEM;
	}
	hdr = genlmsg_put_reply(msg, info, &ksql_family, 0, KSQL_CMD_STATS);
	if (!hdr)
		goto nospace;
	pid = ksql_daemon_pid();
	if (pid && nla_put_u32(msg, KSQL_A_DAEMON_PID, pid))
		goto nospace;
	nest = nla_nest_start(msg, KSQL_A_STATS);
	if (!nest)
		goto nospace;
	for (i = KSQL_STAT_PAD + 1; i <= KSQL_STAT_MAX; i++)
		if (nla_put_u64_64bit(msg, i, ksql_stat_read(i),
				      KSQL_STAT_PAD))
			goto nospace;
	nla_nest_end(msg, nest);
	if (ksql_table_stats_put(msg))
		goto nospace;
	ksql_tables_unlock();
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	ksql_tables_unlock();
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static const struct genl_ops ksql_ops[] = {
	{
		.cmd		= KSQL_CMD_HELLO,
		.flags		= GENL_ADMIN_PERM,
		.doit		= ksql_nl_hello,
		.policy		= ksql_hello_policy,
		.maxattr	= KSQL_A_MAX,
	},
	{
		/* no policy: any attribute is refused */
		.cmd		= KSQL_CMD_BYE,
		.flags		= GENL_ADMIN_PERM,
		.doit		= ksql_nl_bye,
	},
	{
		.cmd		= KSQL_CMD_RESULT,
		.flags		= GENL_ADMIN_PERM,
		.doit		= ksql_nl_result,
		/* ksql_result_policy: checked by the handler */
		.policy		= ksql_reply_frame_policy,
		.maxattr	= KSQL_A_MAX,
	},
	{
		.cmd		= KSQL_CMD_LOG_ACK,
		.flags		= GENL_ADMIN_PERM,
		.doit		= ksql_nl_log_ack,
		/* ksql_log_ack_policy: checked by the handler */
		.policy		= ksql_reply_frame_policy,
		.maxattr	= KSQL_A_MAX,
	},
	{
		/* anyone; no policy: any attribute is refused */
		.cmd		= KSQL_CMD_STATS,
		.doit		= ksql_nl_stats,
	},
};

static struct genl_family ksql_family __ro_after_init = {
	.name		= KSQL_GENL_NAME,
	.version	= KSQL_GENL_VERSION,
	.maxattr	= KSQL_A_MAX,
	.module		= THIS_MODULE,
	.ops		= ksql_ops,
	.n_ops		= ARRAY_SIZE(ksql_ops),
	/* 0: every operation is validated strictly */
	.resv_start_op	= 0,
};

static int ksql_put_value(struct sk_buff *skb, const struct ksql_value *v)
{
	int type = KSQL_A_VAL_NULL + v->type;

	switch (v->type) {
	case KSQL_NULL:
		return nla_put_flag(skb, type);
	case KSQL_INT:
		return nla_put_s64(skb, type, v->i, KSQL_A_PAD);
	case KSQL_REAL:
		return nla_put_u64_64bit(skb, type, v->real, KSQL_A_PAD);
	case KSQL_TEXT:
		return nla_put(skb, type, v->len, v->text);
	case KSQL_BLOB:
		return nla_put(skb, type, v->len, v->blob);
	}
	return -EINVAL;
}

/**
 * ksql_nl_put_hdr() - start a kernel-to-daemon message of the ksql family
 * @skb: the new message
 * @cmd: its command
 *
 * Return: the user header pointer for genlmsg_end(), NULL when no room.
 */
void *ksql_nl_put_hdr(struct sk_buff *skb, u8 cmd)
{
	return genlmsg_put(skb, 0, 0, &ksql_family, 0, cmd);
}

/* What every request carries: REQ_ID, TIMEOUT_MS and DEADLINE_NS. */
static int ksql_put_request(struct sk_buff *skb, const struct ksql_query *q,
			    u64 id)
{
	if (nla_put_u64_64bit(skb, KSQL_A_REQ_ID, id, KSQL_A_PAD) ||
	    nla_put_u32(skb, KSQL_A_TIMEOUT_MS, q->timeout_ms) ||
	    nla_put_u64_64bit(skb, KSQL_A_DEADLINE_NS, q->deadline_ns,
			      KSQL_A_PAD))
		return -EMSGSIZE;
	return 0;
}

/* TABLE_OPEN: the request part of a QUERY, then TABLE and COLUMNS. */
static int ksql_put_table_open(struct sk_buff *skb, const struct ksql_query *q,
			       u64 id)
{
	if (ksql_put_request(skb, q, id) ||
	    nla_put_string(skb, KSQL_A_TABLE, q->table) ||
	    nla_put_string(skb, KSQL_A_COLUMNS, q->columns))
		return -EMSGSIZE;
	return 0;
}

static u8 ksql_query_cmd(const struct ksql_query *q)
{
	if (q->ping)
		return KSQL_CMD_PING;
	return q->table ? KSQL_CMD_TABLE_OPEN : KSQL_CMD_QUERY;
}

/**
 * ksql_nl_build_query() - build the QUERY (TABLE_OPEN, PING) of a request
 * @q: the query, checked by ksql_query_check(), or a TABLE_OPEN (@q->table)
 *     or a PING (@q->ping)
 * @id: request id
 * @gfp: allocation flags of the submitter
 *
 * Any context with a suitable @gfp.
 *
 * Return: the message, or NULL when out of memory.
 */
struct sk_buff *ksql_nl_build_query(const struct ksql_query *q, u64 id,
				    gfp_t gfp)
{
	struct sk_buff *skb;
	struct nlattr *nla;
	unsigned int i;
	void *hdr;

	skb = genlmsg_new(q->payload, gfp);
	if (!skb)
		return NULL;
	hdr = genlmsg_put(skb, 0, 0, &ksql_family, 0, ksql_query_cmd(q));
	if (!hdr)
		goto nospace;
	if (q->ping || q->table) {
		/* PING: the request part alone */
		if (q->ping ? ksql_put_request(skb, q, id) :
		    ksql_put_table_open(skb, q, id))
			goto nospace;
		genlmsg_end(skb, hdr);
		return skb;
	}
	if (ksql_put_request(skb, q, id) ||
	    nla_put_u64_64bit(skb, KSQL_A_ORDER_KEY, q->order_key, KSQL_A_PAD))
		goto nospace;
	if (q->txn_id &&
	    nla_put_u64_64bit(skb, KSQL_A_TXN_ID, q->txn_id, KSQL_A_PAD))
		goto nospace;
	if (q->flags && nla_put_u32(skb, KSQL_A_FLAGS, q->flags))
		goto nospace;
	if (q->flags & KSQL_F_TXN_BEGIN &&
	    nla_put_u32(skb, KSQL_A_TXN_IDLE_MS, q->idle_ms))
		goto nospace;
	if (q->sql) {
		nla = nla_reserve(skb, KSQL_A_SQL, q->sql_len + 1);
		if (!nla)
			goto nospace;
		memcpy(nla_data(nla), q->sql, q->sql_len);
		((char *)nla_data(nla))[q->sql_len] = '\0';
	}
	for (i = 0; i < q->nargs; i++)
		if (ksql_put_value(skb, &q->args[i]))
			goto nospace;
	genlmsg_end(skb, hdr);
	return skb;

nospace:
	/* payload was sized by ksql_query_check(): a bug if we get here */
	WARN_ON_ONCE(1);
	nlmsg_free(skb);
	return NULL;
}

/**
 * ksql_nl_unicast() - send @skb to the registered daemon's socket
 * @skb: a built message, consumed (also on failure)
 * @gen: daemon generation it is for, 0 for the current daemon
 *
 * Process context. The message goes to the socket pinned at HELLO, checked
 * under the registration lock, never to a port number: a number freed by a
 * dying daemon can be bound by any process before the kernel hears of the
 * death, and must not receive its queries, rows or CANCELs. Sent to a
 * daemon that dies right after the check, the message sits in its dead
 * socket until that is freed. Never blocks.
 *
 * Return: 0, -EAGAIN when the daemon's receive queue is full, -ENOTCONN
 * when no daemon (of generation @gen) is registered or its socket is gone,
 * or another error of the socket's filter.
 */
int ksql_nl_unicast(struct sk_buff *skb, u64 gen)
{
	struct sock *sk = ksql_daemon_sock_get(gen);
	int ret;

	if (!sk) {
		kfree_skb(skb);
		return -ENOTCONN;
	}
	if (sock_flag(sk, SOCK_DEAD))
		ret = -ENOTCONN;
	else
		ret = sock_queue_rcv_skb(sk, skb);
	sock_put(sk);
	if (!ret)
		return 0;
	kfree_skb(skb);
	/* receive buffer full, as netlink_unicast() says -EAGAIN */
	return ret == -ENOMEM || ret == -ENOBUFS ? -EAGAIN : ret;
}

/**
 * ksql_nl_send_clone() - send a clone of @skb to the daemon
 * @skb: a built message, kept by the caller for a retry
 * @gen: daemon generation it is for (ksql_nl_unicast())
 * @gfp: allocation flags
 *
 * A send consumes what it is given, also on failure, hence the clone.
 *
 * Return: as ksql_nl_unicast(), or -ENOMEM.
 */
int ksql_nl_send_clone(struct sk_buff *skb, u64 gen, gfp_t gfp)
{
	struct sk_buff *clone = skb_clone(skb, gfp);

	if (!clone)
		return -ENOMEM;
	return ksql_nl_unicast(clone, gen);
}

/**
 * ksql_nl_send_cancel() - tell the daemon a caller gave up on @req
 * @req: the request, completed by the caller of this function
 * @reason: why, for the tracepoint
 *
 * Carries KSQL_A_TXN_ID when @req belongs to a transaction, so the daemon
 * rolls it back. Sent only to the daemon @req was admitted for. Process
 * context. Best effort: errors are ignored.
 */
void ksql_nl_send_cancel(struct ksql_req *req, enum ksql_cancel_reason reason)
{
	struct sk_buff *skb;
	void *hdr;

	ksql_stat_inc(KSQL_STAT_CANCELS_SENT);
	trace_ksql_cancel(req->id, req->txn_id, reason);
	skb = genlmsg_new(2 * nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &ksql_family, 0, KSQL_CMD_CANCEL);
	if (!hdr || nla_put_u64_64bit(skb, KSQL_A_REQ_ID, req->id, KSQL_A_PAD) ||
	    (req->txn_id && nla_put_u64_64bit(skb, KSQL_A_TXN_ID, req->txn_id,
					      KSQL_A_PAD))) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	ksql_nl_unicast(skb, req->gen);
}

/* The daemon's socket is released: unregister it and fail its callers. */
static int ksql_nl_notify(struct notifier_block *nb, unsigned long event,
			  void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net))
		return NOTIFY_DONE;
	ksql_daemon_unregister(n->portid, NULL, KSQL_DISC_RELEASE);
	return NOTIFY_DONE;
}

static struct notifier_block ksql_nl_notifier = {
	.notifier_call = ksql_nl_notify,
};

int ksql_netlink_init(void)
{
	int ret;

	ret = netlink_register_notifier(&ksql_nl_notifier);
	if (ret)
		return ret;
	ret = genl_register_family(&ksql_family);
	if (ret)
		netlink_unregister_notifier(&ksql_nl_notifier);
	return ret;
}

void ksql_netlink_exit(void)
{
	genl_unregister_family(&ksql_family);
	netlink_unregister_notifier(&ksql_nl_notifier);
}
