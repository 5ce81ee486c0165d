// SPDX-License-Identifier: GPL-2.0-only
/*
 * status.c - "ksqlctl status": the kernel module's view over generic
 * netlink (KSQL_CMD_STATS), then ksqld's over its control socket. Each
 * half is printed whether or not the other answers; the exit status says
 * which one is missing (status_format.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <ksql/client.h>
#include "ksql_genl.h"
#include "ksqlctl.h"
#include "config.h"

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
	{ KSQL_STAT_LOG_TABLES, "log_tables", "log tables" },
	{ KSQL_STAT_LOG_ROWS, "log_rows", "log rows" },
	{ KSQL_STAT_LOG_LOST, "log_lost", "log lost" },
	{ KSQL_STAT_LOG_BATCHES, "log_batches", "log batches" },
	{ KSQL_STAT_LOG_ACKS, "log_acks", "log acks" },
	{ KSQL_STAT_LOG_SEND_RETRIES, "log_send_retries", "log send retries" },
	{ KSQL_STAT_PINGS, "pings", "pings" },
	{ KSQL_STAT_REFUSED_CONTEXT, "refused_context", "refused context" },
	{ KSQL_STAT_LOG_ACK_FREE_MAX, "log_ack_free_max", "log ack free max" },
	{ KSQL_STAT_RESULT_BYTES, "result_bytes", "result bytes" },
	{ KSQL_STAT_OVER_BUDGET, "over_budget", "over budget" },
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
	{ KSQLD_STAT_LOG_BATCHES, "log_batches", "ksqld log batches" },
	{ KSQLD_STAT_LOG_ROWS, "log_rows", "ksqld log rows" },
	{ KSQLD_STAT_LOG_DUPLICATES, "log_duplicates", "ksqld log duplicates" },
	{ KSQLD_STAT_LOG_GAPS, "log_gaps", "ksqld log gaps" },
	{ KSQLD_STAT_LOG_COMMITS, "log_commits", "ksqld log commits" },
	{ KSQLD_STAT_LOG_REFUSED, "log_refused", "ksqld log refused" },
	{ KSQLD_STAT_LOG_ACKS, "log_acks", "ksqld log acks" },
	{ KSQLD_STAT_PINGS, "pings", "ksqld pings" },
	{ KSQLD_STAT_FOREIGN, "foreign", "ksqld foreign" },
};

#define NDCOUNTERS (sizeof(dcounters) / sizeof(dcounters[0]))

#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

/* Most per-table nests kept from one STATS reply (more are counted, not shown). */
#define TABLES_MAX 256

/* One KSQL_A_TABLE_STATS nest. */
struct table_stats {
	char name[KSQL_TABLE_NAME_MAX + 1];
	uint64_t v[__KSQL_TSTAT_LAST];
};

struct stats_reply {
	bool got;
	bool has_pid;
	uint32_t pid;
	bool has[NCOUNTERS];
	uint64_t val[NCOUNTERS];
	struct table_stats *tables;
	unsigned int ntables, tables_dropped;
};

static void table_cb(struct stats_reply *st, struct nlattr *nest)
{
	struct table_stats *t;
	struct nlattr *a;
	int rem;

	if (st->ntables == TABLES_MAX) {
		st->tables_dropped++;
		return;
	}
	if (!st->tables) {
		st->tables = calloc(TABLES_MAX, sizeof(*st->tables));
		if (!st->tables)
			return;
	}
	t = &st->tables[st->ntables];
	memset(t, 0, sizeof(*t));
	nla_for_each_nested(a, nest, rem) {
		int type = nla_type(a);

		if (type == KSQL_TSTAT_NAME) {
			/* Not trusting a NUL: copy at most the name's limit. */
			int len = nla_len(a);

			if (len > KSQL_TABLE_NAME_MAX + 1)
				len = KSQL_TABLE_NAME_MAX + 1;
			memcpy(t->name, nla_data(a), (size_t)len);
			t->name[len > 0 ? len - 1 : 0] = '\0';
			t->name[KSQL_TABLE_NAME_MAX] = '\0';
		} else if (type > KSQL_TSTAT_PAD && type < __KSQL_TSTAT_LAST &&
			   nla_len(a) >= (int)sizeof(uint64_t)) {
			t->v[type] = nla_get_u64(a);
		}
	}
	st->ntables++;
}

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
	/* genlmsg_parse keeps only the last of repeated attributes: walk them all. */
	nla_for_each_attr(a, genlmsg_attrdata(genlmsg_hdr(nlh), 0),
			  genlmsg_attrlen(genlmsg_hdr(nlh), 0), rem) {
		if (nla_type(a) == KSQL_A_TABLE_STATS)
			table_cb(st, a);
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

static enum ctl_module_state fetch_stats(struct stats_reply *st)
{
	enum ctl_module_state ret = CTL_MODULE_UNKNOWN;
	struct nl_sock *sk;
	struct nl_msg *msg = NULL;
	int family, err;

	sk = nl_socket_alloc();
	if (!sk) {
		ctl_err("out of memory");
		return CTL_MODULE_UNKNOWN;
	}
	err = genl_connect(sk);
	if (err < 0) {
		ctl_err("cannot open a generic netlink socket: %s", nl_geterror(err));
		goto out;
	}
	/* the reply grows with the open tables: read it whole, however big */
	nl_socket_enable_msg_peek(sk);
	family = genl_ctrl_resolve(sk, KSQL_GENL_NAME);
	if (family < 0) {
		/* Not an error to report: the "module: not loaded" line says it. */
		if (family == -NLE_OBJ_NOTFOUND)
			ret = CTL_MODULE_MISSING;
		else
			ctl_err("cannot look up the generic netlink family \"%s\": %s",
				KSQL_GENL_NAME, nl_geterror(family));
		goto out;
	}
	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
				 KSQL_CMD_STATS, KSQL_GENL_VERSION)) {
		ctl_err("out of memory");
		goto out;
	}
	/* The module answers with one STATS message; errors come as usual. */
	nl_socket_disable_auto_ack(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, stats_cb, st);
	err = nl_send_auto(sk, msg);
	if (err < 0) {
		ctl_err("cannot send the STATS request to ksql.ko: %s", nl_geterror(err));
		goto out;
	}
	err = nl_recvmsgs_default(sk);
	if (err < 0) {
		/* Unloaded between the lookup and the request. */
		if (err == -NLE_OBJ_NOTFOUND || err == -NLE_OPNOTSUPP)
			ret = CTL_MODULE_MISSING;
		else
			ctl_err("ksql.ko refused the STATS request: %s", nl_geterror(err));
		goto out;
	}
	if (!st->got) {
		ctl_err("ksql.ko sent no STATS reply");
		goto out;
	}
	ret = CTL_MODULE_LOADED;
out:
	nlmsg_free(msg);
	nl_socket_free(sk);
	return ret;
}

/* The module's version (MODULE_VERSION) into buf, "" when sysfs does not say. */
static void module_version(char *buf, size_t size)
{
	FILE *f = fopen("/sys/module/" KSQL_GENL_NAME "/version", "r");
	size_t n;

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
	n = strcspn(buf, "\n");
	buf[n] = '\0';
}

/* The per-table part: one line per open table, a "tables" array in JSON. */
static void print_tables(const struct stats_reply *st)
{
	static const struct {
		int type;
		const char *key;
	} keys[] = {
		{ KSQL_TSTAT_EPOCH, "epoch" },
		{ KSQL_TSTAT_BACKLOG_BYTES, "backlog_bytes" },
		{ KSQL_TSTAT_BACKLOG_ROWS, "backlog_rows" },
		{ KSQL_TSTAT_LIMIT_BYTES, "limit_bytes" },
		{ KSQL_TSTAT_LOGGED, "logged" },
		{ KSQL_TSTAT_SENT, "sent" },
		{ KSQL_TSTAT_ACKED, "acked" },
		{ KSQL_TSTAT_LOST, "lost" },
		{ KSQL_TSTAT_LOST_BACKLOG, "lost_backlog" },
		{ KSQL_TSTAT_LOST_TOO_BIG, "lost_too_big" },
		{ KSQL_TSTAT_RESENT, "resent" },
		{ KSQL_TSTAT_BATCHES, "batches" },
		{ KSQL_TSTAT_ACK_TIMEOUTS, "ack_timeouts" },
	};
	char line[512];
	unsigned int i;
	size_t k;

	if (out_is_json()) {
		out_open_array("tables");
		for (i = 0; i < st->ntables; i++) {
			out_open_object(NULL);
			out_string(OUT_JSON, "name", NULL, st->tables[i].name);
			for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
				out_u64(OUT_JSON, keys[k].key, NULL, st->tables[i].v[keys[k].type]);
			out_close_object();
		}
		out_close_array();
		return;
	}
	for (i = 0; i < st->ntables; i++) {
		const uint64_t *v = st->tables[i].v;
		struct ctl_table_stats t = {
			.name = st->tables[i].name,
			.backlog_bytes = v[KSQL_TSTAT_BACKLOG_BYTES],
			.backlog_rows = v[KSQL_TSTAT_BACKLOG_ROWS],
			.limit_bytes = v[KSQL_TSTAT_LIMIT_BYTES],
			.logged = v[KSQL_TSTAT_LOGGED], .sent = v[KSQL_TSTAT_SENT],
			.acked = v[KSQL_TSTAT_ACKED], .lost = v[KSQL_TSTAT_LOST],
			.lost_backlog = v[KSQL_TSTAT_LOST_BACKLOG],
			.lost_too_big = v[KSQL_TSTAT_LOST_TOO_BIG],
			.resent = v[KSQL_TSTAT_RESENT], .batches = v[KSQL_TSTAT_BATCHES],
			.ack_timeouts = v[KSQL_TSTAT_ACK_TIMEOUTS],
		};

		ctl_format_table_line(line, sizeof(line), &t);
		out_string(OUT_TEXT, NULL, "%s\n", line);
	}
	if (st->tables_dropped)
		out_u64(OUT_TEXT, NULL, "(%" PRIu64 " more tables not shown)\n", st->tables_dropped);
}

/* ksqld's identity: "ksqld: running (...)", database, config, synchronous. */
static void print_identity(const struct ksql_daemon_info *info)
{
	const char *version = info ? ksql_daemon_info_version(info) : NULL;
	uint32_t pid = info ? ksql_daemon_info_pid(info) : 0;
	const char *v;
	char line[256];

	ctl_format_ksqld_line(line, sizeof(line), pid, version);
	out_string(OUT_TEXT, NULL, "%s\n", line);
	/* Not "running": that key is the counter of running statements. */
	out_string(OUT_JSON, "state", NULL, "running");
	if (pid)
		out_u64(OUT_JSON, "pid", NULL, pid);
	if (version)
		out_string(OUT_JSON, "version", NULL, version);
	/* An older ksqld says none of these: their lines are left out. */
	if (info && (v = ksql_daemon_info_database(info)))
		out_string(OUT_ANY, "database", "database: %s\n", v);
	if (info && (v = ksql_daemon_info_config(info)))
		out_string(OUT_ANY, "config", "config: %s\n", v);
	if (info && (v = ksql_daemon_info_synchronous(info)))
		out_string(OUT_ANY, "synchronous", "synchronous: %s\n", v);
}

/*
 * ksqld is down: where it would keep the database, from the configuration
 * file it would read (the same parser, the same defaults), so that an
 * administrator still learns where the data is.
 */
static void print_configured(void)
{
	struct ksqld_config cfg;
	char err[512];

	ksqld_config_defaults(&cfg);
	if (ksqld_config_read(&cfg, err, sizeof(err)) < 0) {
		out_string(OUT_ANY, "config_error", "config: %s\n", err);
		return;
	}
	out_string(OUT_ANY, "database", "database: %s (configured; ksqld is not serving it)\n",
		   cfg.db);
	if (cfg.config_found)
		out_string(OUT_ANY, "config", "config: %s\n", cfg.config_file);
	else
		out_string(OUT_ANY, "config", "config: %s\n", "none (the built-in defaults apply)");
}

/*
 * ksqld's part, from its control socket: who it is, then its counters.
 * Not reaching it (not running, no permission, stuck) is a line: the
 * module's part stands on its own. Returns whether ksqld answered.
 */
static bool print_daemon(const struct ctl_opts *opts)
{
	const char *path = opts->socket ? opts->socket : KSQL_CONTROL_PATH_DEFAULT;
	uint64_t vals[__KSQLD_STAT_LAST] = { 0 }, present = 0;
	struct ksql_daemon_info *info = NULL;
	struct ksql_client *c = NULL;
	char fmt[64], sentence[512], reason[600], line[700];
	size_t i;
	int ret;

	/* A stopped ksqld must not hang "status": its kernel part is what matters. */
	ret = ksql_client_connect_timeout(opts->socket, 1000, &c);
	if (ret == 0)
		ret = ksql_client_daemon_stats(c, vals, __KSQLD_STAT_LAST, &present);
	/* Who it is, from a second STATS answer: a failure here loses only those lines. */
	if (ret == 0 && ksql_client_daemon_info(c, &info) < 0)
		info = NULL;
	ksql_client_close(c);
	out_open_object("ksqld");
	if (ret < 0) {
		if (ret == -ETIMEDOUT)
			snprintf(sentence, sizeof(sentence),
				 "ksqld does not answer on %s within a second (stopped or stuck)", path);
		else
			ksql_client_describe_error(path, ret, sentence, sizeof(sentence));
		ctl_ksqld_down_reason(reason, sizeof(reason), ret, path, sentence);
		ctl_format_ksqld_down(line, sizeof(line), ret, reason);
		out_string(OUT_TEXT, NULL, "%s\n", line);
		out_bool(OUT_JSON, "reachable", NULL, false);
		out_string(OUT_JSON, "state", NULL,
			   ctl_ksqld_not_running(ret) ? "not running" : "unreachable");
		out_string(OUT_JSON, "error", NULL, reason);
		print_configured();
		out_close_object();
		return false;
	}
	out_bool(OUT_JSON, "reachable", NULL, true);
	print_identity(info);
	ksql_daemon_info_free(info);
	for (i = 0; i < NDCOUNTERS; i++) {
		if (!(present & (1ULL << dcounters[i].type)))
			continue;
		snprintf(fmt, sizeof(fmt), "%s: %%" PRIu64 "\n", dcounters[i].label);
		out_u64(OUT_ANY, dcounters[i].key, fmt, vals[dcounters[i].type]);
	}
	out_close_object();
	return true;
}

/* The module's part: its version, the daemon it sees, its counters and tables. */
static void print_module(enum ctl_module_state m, const struct stats_reply *st)
{
	char version[64] = "", line[128], fmt[64];
	size_t i;

	if (m == CTL_MODULE_LOADED)
		module_version(version, sizeof(version));
	ctl_format_module_line(line, sizeof(line), m, version);
	out_string(OUT_TEXT, NULL, "%s\n", line);
	out_string(OUT_JSON, "module", NULL, m == CTL_MODULE_LOADED ? "loaded" :
		   m == CTL_MODULE_MISSING ? "not loaded" : "unknown");
	if (m != CTL_MODULE_LOADED)
		return;
	if (*version)
		out_string(OUT_JSON, "module_version", NULL, version);
	out_open_object("daemon");
	out_bool(OUT_JSON, "connected", NULL, st->has_pid);
	if (st->has_pid) {
		out_u64(OUT_JSON, "pid", NULL, st->pid);
		out_u64(OUT_TEXT, NULL, "daemon: connected (pid %" PRIu64 ")\n", st->pid);
	} else {
		out_string(OUT_TEXT, NULL, "daemon: %s\n", "not connected");
	}
	out_close_object();
	for (i = 0; i < NCOUNTERS; i++) {
		if (!st->has[i])
			continue;
		snprintf(fmt, sizeof(fmt), "%s: %%" PRIu64 "\n", counters[i].label);
		out_u64(OUT_ANY, counters[i].key, fmt, st->val[i]);
	}
	print_tables(st);
}

static int status_run(const struct ctl_opts *opts, int argc, char **argv)
{
	struct stats_reply st = { 0 };
	enum ctl_module_state m;
	bool ksqld_ok;

	(void)argv;
	if (argc > 1) {
		ctl_err("status takes no arguments (try: " PROG_NAME " status --help)");
		return CTL_EXIT_USAGE;
	}
	m = fetch_stats(&st);
	out_open_object(NULL);
	print_module(m, &st);
	free(st.tables);
	ksqld_ok = print_daemon(opts);
	out_close_object();
	out_finish();
	return ctl_status_exit(m, ksqld_ok);
}

static void status_help(FILE *f)
{
	fprintf(f,
		"Usage: " PROG_NAME " [-j] [--socket PATH] status\n"
		"\n"
		"Show the ksql kernel module's state over generic netlink, then ksqld's\n"
		"over its control socket; each part is shown when the other is down.\n"
		"Text output, one \"name: value\" per line:\n"
		"  module: loaded (version V) | module: not loaded (load it: modprobe ksql)\n"
		"  daemon: connected (pid N) | daemon: not connected   (as the module sees it)\n"
		"  sent, completed, failed, timed out, interrupted, late replies,\n"
		"  in flight, rejected, too big, not connected, daemon connects,\n"
		"  async, throttled, waiting, send retries, cancels sent,\n"
		"  txn begun, txn committed, txn aborted, log tables, log rows,\n"
		"  log lost, log batches, log acks, log send retries, pings,\n"
		"  log ack free max, result bytes, over budget\n"
		"  table NAME: backlog B bytes (R rows) of L, logged N, sent N, acked N,\n"
		"  lost N (backlog N, too big N), resent N, batches N, ack timeouts N\n"
		"(the counters and tables only while the module is loaded). Then ksqld\n"
		"(--socket, default %s):\n"
		"  ksqld: running (pid N, version V)\n"
		"  database: PATH\n"
		"  config: PATH | none\n"
		"  synchronous: normal | full\n"
		"  ksqld received, answered, reads, writes, ...: one \"ksqld NAME: N\" each\n"
		"or \"ksqld: not running (REASON)\" when nothing listens on the socket, or\n"
		"\"ksqld: unreachable (REASON)\" (no permission, stopped, stuck), then\n"
		"what ksqld.conf says: \"database: PATH (configured; ksqld is not serving\n"
		"it)\" and \"config: PATH\" (or \"none (the built-in defaults apply)\").\n"
		"With -j, one JSON object with snake_case keys; ksqld's under \"ksqld\".\n"
		"\n"
		"Exit status: 0 the module is loaded and ksqld answers; 1 the module is\n"
		"not loaded; 3 the module is loaded but ksqld does not answer; 2 usage.\n",
		KSQL_CONTROL_PATH_DEFAULT);
}

const struct ctl_cmd ctl_cmd_status = {
	.name = "status",
	.args = "",
	.summary = "show the state of the kernel module and of ksqld",
	.run = status_run,
	.help = status_help,
};
