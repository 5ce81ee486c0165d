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

#include "compat.h"
#include "ksql_internal.h"

#ifdef KSQL_HAVE_NLA_POLICY_MASK
#define KSQL_FLAGS_POLICY	NLA_POLICY_MASK(NLA_U32, __KSQL_F_ALL)
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

static struct genl_family ksql_family;

static bool ksql_from_init_net(struct genl_info *info)
{
	if (net_eq(genl_info_net(info), &init_net))
		return true;
	GENL_SET_ERR_MSG(info, "ksql works in the initial network namespace only");
	return false;
}

static int ksql_nl_hello(struct sk_buff *skb, struct genl_info *info)
{
	u32 version;
	int ret;

	if (!ksql_from_init_net(info))
		return -EPERM;
	if (GENL_REQ_ATTR_CHECK(info, KSQL_A_VERSION))
		return -EINVAL;
	version = nla_get_u32(info->attrs[KSQL_A_VERSION]);
	if (version != KSQL_GENL_VERSION) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KSQL_A_VERSION],
				    "unsupported protocol version");
		return -EPROTO;
	}
	ret = ksql_daemon_register(info->snd_portid);
	if (ret == -EBUSY)
		GENL_SET_ERR_MSG(info, "another ksqld is registered");
	return ret;
}

static int ksql_nl_bye(struct sk_buff *skb, struct genl_info *info)
{
	if (!ksql_from_init_net(info) ||
	    ksql_daemon_unregister(info->snd_portid, KSQL_DISC_BYE)) {
		ksql_stat_inc(KSQL_STAT_REJECTED);
		GENL_SET_ERR_MSG(info, "not the registered daemon");
		return -EPERM;
	}
	return 0;
}

static int ksql_nl_result(struct sk_buff *skb, struct genl_info *info)
{
	struct ksql_req *req;
	int ret;

	if (!net_eq(genl_info_net(info), &init_net) ||
	    !ksql_daemon_is(info->snd_portid)) {
		ksql_stat_inc(KSQL_STAT_REJECTED);
		GENL_SET_ERR_MSG(info, "not the registered daemon");
		return -EPERM;
	}
	if (GENL_REQ_ATTR_CHECK(info, KSQL_A_REQ_ID) ||
	    GENL_REQ_ATTR_CHECK(info, KSQL_A_CHUNK)) {
		ksql_stat_inc(KSQL_STAT_REJECTED);
		return -EINVAL;
	}
#ifndef KSQL_HAVE_NLA_POLICY_MASK
	if (info->attrs[KSQL_A_FLAGS] &&
	    nla_get_u32(info->attrs[KSQL_A_FLAGS]) & ~(u32)__KSQL_F_ALL) {
		ksql_stat_inc(KSQL_STAT_REJECTED);
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KSQL_A_FLAGS],
				    "unknown flags");
		return -EINVAL;
	}
#endif

	req = ksql_req_lookup(nla_get_u64(info->attrs[KSQL_A_REQ_ID]));
	if (!req) {
		ksql_stat_inc(KSQL_STAT_LATE);
		return 0;
	}
	ret = ksql_result_add_chunk(req, info);
	ksql_req_put(req);
	return ret;
}

static int ksql_nl_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	pid_t pid;
	int i;

	msg = genlmsg_new(nla_total_size(sizeof(u32)) + nla_total_size(0) +
			  KSQL_STAT_MAX * nla_total_size_64bit(sizeof(u64)),
			  GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
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
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
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
		.policy		= ksql_result_policy,
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

static int ksql_unicast(struct sk_buff *skb, u32 portid)
{
	int ret = genlmsg_unicast(&init_net, skb, portid);

	switch (ret) {
	case 0:
		return 0;
	case -ECONNREFUSED:
		return -ENOTCONN;	/* the daemon's socket is gone */
	case -EAGAIN:
		return -EBUSY;		/* its receive queue is full */
	default:
		return ret;
	}
}

/**
 * ksql_nl_send_query() - send a QUERY to the daemon
 * @portid: the daemon's port in init_net
 * @id: request id
 * @sql: SQL text, @sql_len bytes without NUL
 * @sql_len: length of @sql
 * @args: bound parameters, validated by the caller
 * @nargs: number of @args
 * @timeout_ms: how long the caller waits
 * @payload: attribute bytes, as computed by the caller
 *
 * Return: 0 or a negative errno (-ENOTCONN daemon gone, -EBUSY queue full).
 */
int ksql_nl_send_query(u32 portid, u64 id, const char *sql, size_t sql_len,
		       const struct ksql_value *args, unsigned int nargs,
		       u32 timeout_ms, size_t payload)
{
	struct sk_buff *skb;
	struct nlattr *nla;
	unsigned int i;
	void *hdr;

	skb = genlmsg_new(payload, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &ksql_family, 0, KSQL_CMD_QUERY);
	if (!hdr)
		goto nospace;
	if (nla_put_u64_64bit(skb, KSQL_A_REQ_ID, id, KSQL_A_PAD))
		goto nospace;
	nla = nla_reserve(skb, KSQL_A_SQL, sql_len + 1);
	if (!nla)
		goto nospace;
	memcpy(nla_data(nla), sql, sql_len);
	((char *)nla_data(nla))[sql_len] = '\0';
	if (nla_put_u32(skb, KSQL_A_TIMEOUT_MS, timeout_ms))
		goto nospace;
	for (i = 0; i < nargs; i++)
		if (ksql_put_value(skb, &args[i]))
			goto nospace;
	genlmsg_end(skb, hdr);
	return ksql_unicast(skb, portid);

nospace:
	nlmsg_free(skb);
	return -EMSGSIZE;
}

/**
 * ksql_nl_send_cancel() - tell the daemon a caller gave up on @id
 * @portid: the daemon's port in init_net
 * @id: request id
 *
 * Best effort: errors are ignored.
 */
void ksql_nl_send_cancel(u32 portid, u64 id)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &ksql_family, 0, KSQL_CMD_CANCEL);
	if (!hdr || nla_put_u64_64bit(skb, KSQL_A_REQ_ID, id, KSQL_A_PAD)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	ksql_unicast(skb, portid);
}

/* The daemon's socket is released: unregister it and fail its callers. */
static int ksql_nl_notify(struct notifier_block *nb, unsigned long event,
			  void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net))
		return NOTIFY_DONE;
	ksql_daemon_unregister(n->portid, KSQL_DISC_RELEASE);
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
