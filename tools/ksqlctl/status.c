// SPDX-License-Identifier: GPL-2.0-only
/*
 * status.c - "ksqlctl status": the kernel module's view, over generic
 * netlink (KSQL_CMD_STATS). Works while the daemon is down.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <ksql/client.h>
#include "ksql_genl.h"
#include "ksqlctl.h"

/* Printed in this order; counters the module does not send are left out,
 * counters this tool does not know are ignored. */
static const struct {
	int type;
	const char *key;	/* JSON */
	const char *label;	/* text */
} counters[] = {
	{ KSQL_STAT_SENT, "sent", "sent" },
	{ KSQL_STAT_COMPLETED, "completed", "completed" },
	{ KSQL_STAT_FAILED, "failed", "failed" },
	{ KSQL_STAT_TIMED_OUT, "timed_out", "timed out" },
	{ KSQL_STAT_INTERRUPTED, "interrupted", "interrupted" },
	{ KSQL_STAT_LATE, "late_replies", "late replies" },
	{ KSQL_STAT_IN_FLIGHT, "in_flight", "in flight" },
	{ KSQL_STAT_REJECTED, "rejected", "rejected" },
	{ KSQL_STAT_TOO_BIG, "too_big", "too big" },
	{ KSQL_STAT_NOT_CONNECTED, "not_connected", "not connected" },
	{ KSQL_STAT_DAEMON_CONNECTS, "daemon_connects", "daemon connects" },
	{ KSQL_STAT_ASYNC, "async", "async" },
	{ KSQL_STAT_THROTTLED, "throttled", "throttled" },
	{ KSQL_STAT_WAITING, "waiting", "waiting" },
	{ KSQL_STAT_SEND_RETRIES, "send_retries", "send retries" },
	{ KSQL_STAT_CANCELS_SENT, "cancels_sent", "cancels sent" },
	{ KSQL_STAT_TXN_BEGUN, "txn_begun", "txn begun" },
	{ KSQL_STAT_TXN_COMMITTED, "txn_committed", "txn committed" },
	{ KSQL_STAT_TXN_ABORTED, "txn_aborted", "txn aborted" },
};

/* ksqld's counters, from its control socket: "ksqld " + label. */
static const struct {
	int type;
	const char *key;	/* JSON, inside the "ksqld" object */
	const char *label;	/* text */
} dcounters[] = {
	{ KSQLD_STAT_RECEIVED, "received", "ksqld received" },
	{ KSQLD_STAT_ANSWERED, "answered", "ksqld answered" },
	{ KSQLD_STAT_READS, "reads", "ksqld reads" },
	{ KSQLD_STAT_WRITES, "writes", "ksqld writes" },
	{ KSQLD_STAT_CANCELS, "cancels", "ksqld cancels" },
	{ KSQLD_STAT_CANCELLED_QUEUED, "cancelled_queued", "ksqld cancelled queued" },
	{ KSQLD_STAT_CANCELLED_RUNNING, "cancelled_running", "ksqld cancelled running" },
	{ KSQLD_STAT_EXPIRED, "expired", "ksqld expired" },
	{ KSQLD_STAT_DEADLINE_INTERRUPTS, "deadline_interrupts", "ksqld deadline interrupts" },
	{ KSQLD_STAT_RUNNING, "running", "ksqld running" },
	{ KSQLD_STAT_QUEUED, "queued", "ksqld queued" },
	{ KSQLD_STAT_TXN_BEGUN, "txn_begun", "ksqld txn begun" },
	{ KSQLD_STAT_TXN_COMMITTED, "txn_committed", "ksqld txn committed" },
	{ KSQLD_STAT_TXN_ROLLED_BACK, "txn_rolled_back", "ksqld txn rolled back" },
	{ KSQLD_STAT_TXN_ABORTED, "txn_aborted", "ksqld txn aborted" },
	{ KSQLD_STAT_REPLY_BATCHES, "reply_batches", "ksqld reply batches" },
	{ KSQLD_STAT_REPLY_MSGS, "reply_msgs", "ksqld reply msgs" },
	{ KSQLD_STAT_BATCH_MAX, "batch_max", "ksqld batch max" },
	{ KSQLD_STAT_READERS, "readers", "ksqld readers" },
	{ KSQLD_STAT_CANCEL_LATENCY_MAX_US, "cancel_latency_max_us", "ksqld cancel latency max us" },
};

#define NDCOUNTERS (sizeof(dcounters) / sizeof(dcounters[0]))

#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

struct stats_reply {
	bool got;
	bool has_pid;
	uint32_t pid;
	bool has[NCOUNTERS];
	uint64_t val[NCOUNTERS];
};

static int stats_cb(struct nl_msg *msg, void *arg)
{
	struct stats_reply *st = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[KSQL_A_MAX + 1];
	struct nlattr *a;
	size_t i;
	int rem;

	if (genlmsg_parse(nlh, 0, tb, KSQL_A_MAX, NULL) < 0)
		return NL_SKIP;
	st->got = true;
	if (tb[KSQL_A_DAEMON_PID] && nla_len(tb[KSQL_A_DAEMON_PID]) >= (int)sizeof(uint32_t)) {
		st->has_pid = true;
		st->pid = nla_get_u32(tb[KSQL_A_DAEMON_PID]);
	}
	if (!tb[KSQL_A_STATS])
		return NL_OK;
	nla_for_each_nested(a, tb[KSQL_A_STATS], rem) {
		if (nla_len(a) < (int)sizeof(uint64_t))
			continue;
		for (i = 0; i < NCOUNTERS; i++) {
			if (counters[i].type == nla_type(a)) {
				st->has[i] = true;
				st->val[i] = nla_get_u64(a);
			}
		}
	}
	return NL_OK;
}

static int fetch_stats(struct stats_reply *st)
{
	struct nl_sock *sk;
	struct nl_msg *msg = NULL;
	int family, err;

	sk = nl_socket_alloc();
	if (!sk) {
		ctl_err("out of memory");
		return CTL_EXIT_FAIL;
	}
	err = genl_connect(sk);
	if (err < 0) {
		ctl_err("cannot open a generic netlink socket: %s", nl_geterror(err));
		goto fail;
	}
	family = genl_ctrl_resolve(sk, KSQL_GENL_NAME);
	if (family < 0) {
		if (family == -NLE_OBJ_NOTFOUND)
			ctl_err("the ksql kernel module is not loaded (try: modprobe ksql)");
		else
			ctl_err("cannot look up the generic netlink family \"%s\": %s",
				KSQL_GENL_NAME, nl_geterror(family));
		goto fail;
	}
	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
				 KSQL_CMD_STATS, KSQL_GENL_VERSION)) {
		ctl_err("out of memory");
		goto fail;
	}
	/* The module answers with one STATS message; errors come as usual. */
	nl_socket_disable_auto_ack(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, stats_cb, st);
	err = nl_send_auto(sk, msg);
	if (err < 0) {
		ctl_err("cannot send the STATS request to ksql.ko: %s", nl_geterror(err));
		goto fail;
	}
	err = nl_recvmsgs_default(sk);
	if (err < 0) {
		ctl_err("ksql.ko refused the STATS request: %s", nl_geterror(err));
		goto fail;
	}
	if (!st->got) {
		ctl_err("ksql.ko sent no STATS reply");
		goto fail;
	}
	nlmsg_free(msg);
	nl_socket_free(sk);
	return CTL_EXIT_OK;
fail:
	nlmsg_free(msg);
	nl_socket_free(sk);
	return CTL_EXIT_FAIL;
}

/*
 * ksqld's part: its counters over the control socket. Not reaching it
 * (not running, or no permission on the socket) is a line, not an error:
 * status is about the kernel module first.
 */
static void print_daemon(const struct ctl_opts *opts)
{
	uint64_t vals[__KSQLD_STAT_LAST] = { 0 }, present = 0;
	struct ksql_client *c = NULL;
	char fmt[64];
	size_t i;
	int ret;

	/* A stopped ksqld must not hang "status": its kernel part is what matters. */
	ret = ksql_client_connect_timeout(opts->socket, 1000, &c);
	if (ret == 0)
		ret = ksql_client_daemon_stats(c, vals, __KSQLD_STAT_LAST, &present);
	ksql_client_close(c);
	if (ret < 0) {
		out_string(OUT_TEXT, NULL, "ksqld: unreachable (%s)\n", strerror(-ret));
		out_open_object("ksqld");
		out_bool(OUT_JSON, "reachable", NULL, false);
		out_string(OUT_JSON, "error", NULL, strerror(-ret));
		out_close_object();
		return;
	}
	out_open_object("ksqld");
	out_bool(OUT_JSON, "reachable", NULL, true);
	for (i = 0; i < NDCOUNTERS; i++) {
		if (!(present & (1ULL << dcounters[i].type)))
			continue;
		snprintf(fmt, sizeof(fmt), "%s: %%" PRIu64 "\n", dcounters[i].label);
		out_u64(OUT_ANY, dcounters[i].key, fmt, vals[dcounters[i].type]);
	}
	out_close_object();
}

static int status_run(const struct ctl_opts *opts, int argc, char **argv)
{
	struct stats_reply st = { 0 };
	char fmt[64];
	size_t i;
	int ret;

	(void)argv;
	if (argc > 1) {
		ctl_err("status takes no arguments (try: " PROG_NAME " status --help)");
		return CTL_EXIT_USAGE;
	}
	ret = fetch_stats(&st);
	if (ret)
		return ret;

	out_open_object(NULL);
	out_string(OUT_ANY, "module", "module: %s\n", "loaded");
	out_open_object("daemon");
	out_bool(OUT_JSON, "connected", NULL, st.has_pid);
	if (st.has_pid) {
		out_u64(OUT_JSON, "pid", NULL, st.pid);
		out_u64(OUT_TEXT, NULL, "daemon: connected (pid %" PRIu64 ")\n", st.pid);
	} else {
		out_string(OUT_TEXT, NULL, "daemon: %s\n", "not connected");
	}
	out_close_object();
	for (i = 0; i < NCOUNTERS; i++) {
		if (!st.has[i])
			continue;
		snprintf(fmt, sizeof(fmt), "%s: %%" PRIu64 "\n", counters[i].label);
		out_u64(OUT_ANY, counters[i].key, fmt, st.val[i]);
	}
	print_daemon(opts);
	out_close_object();
	out_finish();
	return CTL_EXIT_OK;
}

static void status_help(FILE *f)
{
	fprintf(f,
		"Usage: " PROG_NAME " [-j] status\n"
		"\n"
		"Show the ksql kernel module's state over generic netlink: whether a\n"
		"daemon is registered (and its pid) and the module's counters. Works\n"
		"while ksqld is down. Text output, one \"name: value\" per line:\n"
		"  module: loaded\n"
		"  daemon: connected (pid N) | daemon: not connected\n"
		"  sent, completed, failed, timed out, interrupted, late replies,\n"
		"  in flight, rejected, too big, not connected, daemon connects,\n"
		"  async, throttled, waiting, send retries, cancels sent,\n"
		"  txn begun, txn committed, txn aborted\n"
		"Then ksqld's counters from its control socket (--socket), one\n"
		"\"ksqld NAME: N\" line each (received, answered, reads, writes, ...),\n"
		"or \"ksqld: unreachable (REASON)\" when it does not answer.\n"
		"With -j, one JSON object with snake_case keys; ksqld's under \"ksqld\".\n"
		"Exits 1 when the module is not loaded.\n");
}

const struct ctl_cmd ctl_cmd_status = {
	.name = "status",
	.args = "",
	.summary = "show the kernel module's state and counters",
	.run = status_run,
	.help = status_help,
};
