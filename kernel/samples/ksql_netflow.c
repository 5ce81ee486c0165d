// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_netflow.c - log every new TCP and UDP flow into the table "netflow".
 *
 * Columns (after ksql_producer, ksql_seq and ksql_time, which ksqld adds):
 *   proto TEXT      'tcp' or 'udp'
 *   family INTEGER  4 or 6
 *   saddr TEXT, sport INTEGER   the side that opened the flow
 *   daddr TEXT, dport INTEGER   the side it was opened to
 *   uid INTEGER     owner of the local socket that opened it, NULL when the
 *                   flow came from elsewhere (or the socket is unknown)
 *
 * "New flow" is conntrack's: a packet whose conntrack entry is not yet
 * confirmed and whose ctinfo is IP_CT_NEW is the first packet of a flow.
 * Conntrack creates the entry at PRE_ROUTING or LOCAL_OUT and confirms it
 * at POST_ROUTING or LOCAL_IN with priority NF_IP_PRI_CONNTRACK_CONFIRM.
 * Our hooks sit at those two points, one priority earlier, so each flow is
 * seen unconfirmed exactly once: a locally sent packet at POST_ROUTING, a
 * received one at LOCAL_IN. Over loopback the packet passes both, but it
 * keeps its (by then confirmed) entry when it comes back in, so it is
 * logged once. nf_ct_netns_get() turns conntrack on in init_net for IPv4
 * and IPv6, as an iptables "-m conntrack" rule would.
 *
 * ksql_log() never sleeps, so it is called right in the hook; it refuses a
 * row with -ENOBUFS when the table's backlog is full (the daemon is down or
 * slow). Those refusals are counted here and, as gaps, in the database.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <linux/uidgid.h>
#include <net/net_namespace.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/sock.h>

#include <ksql.h>

/* "ffff:...:255.255.255.255" and a NUL, like INET6_ADDRSTRLEN */
#define NETFLOW_ADDR_MAX 48

#define NETFLOW_COLUMNS "proto TEXT, family INTEGER, saddr TEXT, sport INTEGER, " \
			"daddr TEXT, dport INTEGER, uid INTEGER"

static struct ksql_table *netflow_table;
static atomic64_t netflow_logged = ATOMIC64_INIT(0);
static atomic64_t netflow_nobufs = ATOMIC64_INIT(0);
static atomic64_t netflow_errors = ATOMIC64_INIT(0);

/* The uid owning a locally created packet's socket, or false. */
static bool netflow_uid(const struct nf_hook_state *state,
			const struct sk_buff *skb, s64 *uid)
{
	struct sock *sk = skb->sk;

	if (state->hook != NF_INET_POST_ROUTING || !sk || !sk_fullsock(sk))
		return false;
	*uid = from_kuid_munged(&init_user_ns, sock_net_uid(state->net, sk));
	return true;
}

/* One row; counts what ksql_log() said. */
static void netflow_emit(const char *proto, int family, const char *saddr,
			 u16 sport, const char *daddr, u16 dport,
			 const struct ksql_value *uid)
{
	struct ksql_value vals[] = {
		KSQL_VTEXT(proto),
		KSQL_VINT(family),
		KSQL_VTEXT(saddr),
		KSQL_VINT(sport),
		KSQL_VTEXT(daddr),
		KSQL_VINT(dport),
		*uid,
	};
	int rc;

	rc = ksql_log(netflow_table, vals, ARRAY_SIZE(vals));
	if (!rc) {
		atomic64_inc(&netflow_logged);
	} else if (rc == -ENOBUFS) {
		/* the daemon is behind: ksql records the loss as a gap */
		atomic64_inc(&netflow_nobufs);
	} else {
		atomic64_inc(&netflow_errors);
		pr_warn_ratelimited("ksql_log() failed: errno %d\n", rc);
	}
}

static void netflow_log(const struct nf_conn *ct,
			const struct nf_hook_state *state,
			const struct sk_buff *skb)
{
	const struct nf_conntrack_tuple *tp =
		&ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	char saddr[NETFLOW_ADDR_MAX], daddr[NETFLOW_ADDR_MAX];
	struct ksql_value uid = KSQL_VNULL;
	const char *proto;
	int family;
	s64 id;

	switch (tp->dst.protonum) {
	case IPPROTO_TCP:
		proto = "tcp";
		break;
	case IPPROTO_UDP:
		proto = "udp";
		break;
	default:
		return;
	}
	if (tp->src.l3num == NFPROTO_IPV4) {
		family = 4;
		snprintf(saddr, sizeof(saddr), "%pI4", &tp->src.u3.ip);
		snprintf(daddr, sizeof(daddr), "%pI4", &tp->dst.u3.ip);
	} else {
		family = 6;
		snprintf(saddr, sizeof(saddr), "%pI6c", &tp->src.u3.in6);
		snprintf(daddr, sizeof(daddr), "%pI6c", &tp->dst.u3.in6);
	}
	if (netflow_uid(state, skb, &id))
		uid = KSQL_VINT(id);
	netflow_emit(proto, family, saddr, ntohs(tp->src.u.all), daddr,
		     ntohs(tp->dst.u.all), &uid);
}

static unsigned int netflow_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;

	ct = nf_ct_get(skb, &ctinfo);
	/* the first packet of a flow, before conntrack confirms its entry */
	if (ct && ctinfo == IP_CT_NEW && !nf_ct_is_confirmed(ct))
		netflow_log(ct, state, skb);
	return NF_ACCEPT;
}

/* also right before IPv6 conntrack confirm (NF_IP6_PRI_LAST = INT_MAX) */
#define NETFLOW_PRI	(NF_IP_PRI_CONNTRACK_CONFIRM - 1)

static const struct nf_hook_ops netflow_ops[] = {
	{ .hook = netflow_hook, .pf = NFPROTO_IPV4,
	  .hooknum = NF_INET_POST_ROUTING, .priority = NETFLOW_PRI },
	{ .hook = netflow_hook, .pf = NFPROTO_IPV4,
	  .hooknum = NF_INET_LOCAL_IN, .priority = NETFLOW_PRI },
#if IS_ENABLED(CONFIG_IPV6)
	{ .hook = netflow_hook, .pf = NFPROTO_IPV6,
	  .hooknum = NF_INET_POST_ROUTING, .priority = NETFLOW_PRI },
	{ .hook = netflow_hook, .pf = NFPROTO_IPV6,
	  .hooknum = NF_INET_LOCAL_IN, .priority = NETFLOW_PRI },
#endif
};

static int __init ksql_netflow_init(void)
{
	int err;

	netflow_table = ksql_table_open("netflow", NETFLOW_COLUMNS, 0);
	if (IS_ERR(netflow_table)) {
		err = PTR_ERR(netflow_table);
		pr_err("cannot open the table netflow (errno %d): is ksqld running, and does an older netflow table have other columns?\n",
		       err);
		return err;
	}
	err = nf_ct_netns_get(&init_net, IS_ENABLED(CONFIG_IPV6) ?
			      NFPROTO_INET : NFPROTO_IPV4);
	if (err) {
		pr_err("cannot enable conntrack in the initial namespace (errno %d)\n",
		       err);
		goto err_table;
	}
	err = nf_register_net_hooks(&init_net, netflow_ops,
				    ARRAY_SIZE(netflow_ops));
	if (err) {
		pr_err("cannot register the netfilter hooks (errno %d)\n", err);
		goto err_ct;
	}
	pr_info("logging new TCP and UDP flows into the table netflow\n");
	return 0;

err_ct:
	nf_ct_netns_put(&init_net, IS_ENABLED(CONFIG_IPV6) ?
			NFPROTO_INET : NFPROTO_IPV4);
err_table:
	ksql_table_close(netflow_table);
	return err;
}

static void __exit ksql_netflow_exit(void)
{
	int err;

	/* returns once no hook runs any more (synchronize_net) */
	nf_unregister_net_hooks(&init_net, netflow_ops, ARRAY_SIZE(netflow_ops));
	nf_ct_netns_put(&init_net, IS_ENABLED(CONFIG_IPV6) ?
			NFPROTO_INET : NFPROTO_IPV4);
	err = ksql_table_flush(netflow_table, 2 * HZ);
	if (err)
		pr_warn("flows logged but not yet stored are dropped (flush: errno %d)\n",
			err);
	ksql_table_close(netflow_table);
	pr_info("unloaded: %lld flows logged, %lld refused (backlog full), %lld other errors\n",
		atomic64_read(&netflow_logged), atomic64_read(&netflow_nobufs),
		atomic64_read(&netflow_errors));
}

module_init(ksql_netflow_init);
module_exit(ksql_netflow_exit);

MODULE_DESCRIPTION("ksql sample: log new TCP and UDP flows (conntrack) into a table");
MODULE_AUTHOR("ksql developers");
MODULE_LICENSE("GPL");
