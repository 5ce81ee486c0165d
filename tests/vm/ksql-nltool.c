// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksql-nltool - speak raw generic netlink to ksql.ko, for the QEMU scenarios.
 *
 * ksqld and ksqlctl only ever send well-formed messages from the right
 * process; the protocol scenarios (tests/vm/scenarios/80-protocol.sh,
 * 85-fake-daemon.sh) need the opposite: messages from the wrong process, with
 * the wrong version or attributes, and a "daemon" that answers with crafted,
 * malformed RESULTs. This tool sends exactly one kind of message per run and
 * prints what the kernel said, so the shell decides what was expected.
 *
 * Output, one line per acknowledged request:
 *   ack ERRNO[: EXTACK]     ERRNO is 0 or the kernel's negative errno, EXTACK
 *                           its extended-ack message when it gave one
 * "stats" prints "daemon_pid N" (only while a daemon is registered) and one
 * "NAME VALUE" line per counter. "fake" also prints "query ID" for the QUERY
 * it answered and "cancel ID" for every CANCEL the kernel sent it.
 *
 * Exit status: 0 when the kernel answered (whatever the errno), 1 when the
 * tool itself failed (no ksql family, socket errors, no ack), 2 on bad usage.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "codec.h"		/* libksql internals: ksql_msg_extack() */
#include "ksql_genl.h"

#define PROG		"ksql-nltool"
#define ACK_WAIT_MS	5000	/* the kernel acks at once; this only bounds a bug */
#define QUERY_WAIT_MS	30000	/* "fake": how long to wait for the QUERY */
#define CANCEL_WAIT_MS	300	/* "fake": how long to listen for CANCELs at the end */

static struct mnl_socket *nl;
static uint16_t family;
static uint32_t seq;
static char buf[1 << 17];	/* one datagram from the kernel; QUERYs are small here */
static uint64_t query_id;	/* "fake": id of the QUERY being answered */
static bool have_query;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " COMMAND [ARGS]\n"
		"\n"
		"Send one raw generic-netlink message to ksql.ko and print its ack\n"
		"(\"ack ERRNO[: EXTACK]\", ERRNO 0 or negative). For the QEMU scenarios.\n"
		"\n"
		"Commands:\n"
		"  stats              STATS; print daemon_pid (if any) and the counters\n"
		"  stats-attr         STATS with an attribute (the kernel must refuse it)\n"
		"  hello [VERSION]    HELLO with VERSION (default %d), then exit (which\n"
		"                     unregisters this socket again if it was accepted)\n"
		"  bye                BYE from this socket\n"
		"  query              QUERY sent to the kernel (daemon-bound only)\n"
		"  result ID [COUNT]  forged final RESULT for request ID (COUNT requests,\n"
		"                     ids ID, ID+1, ...; default 1), one ack line each\n"
		"  fake MODE          register as the daemon, answer one QUERY with a\n"
		"                     crafted RESULT, print the acks, then exit. MODE:\n"
		"                       badchunk  chunk 1 first (out of order)\n"
		"                       ncols     NCOLS 2 but one COLUMN\n"
		"                       vals      2 columns, 3 values\n"
		"                       errno     ERRNO 9999, ERRMSG \"boom\"\n"
		"                       multi     3 chunks: columns a, b; rows\n"
		"                                 (100,'r0') (101,'r1') (102,'r2');\n"
		"                                 CHANGES 7, LAST_ROWID -3\n"
		"                       late      a valid FINAL, then the same FINAL again\n"
		"                       qflag     a FINAL also flagged TXN_BEGIN (a QUERY\n"
		"                                 flag), then a valid FINAL\n"
		"  log-ack TABLE EPOCH SEQ\n"
		"                     forged LOG_ACK from this (non-daemon) socket\n"
		"  fake-log TABLE     register as the daemon, wait for the kernel's LOG\n"
		"                     batches of TABLE (the backlog it resends), print\n"
		"                     \"log epoch E first F last L rows N gaps G\", then\n"
		"                     send four LOG_ACKs, one ack line each: for an\n"
		"                     unknown table, for epoch E + 1, for sequence\n"
		"                     L + 1000 (never sent), and the valid one for L\n"
		"  -h, --help         this help\n"
		"\n"
		"Exit status: 0 the kernel answered, 1 the tool failed, 2 bad usage.\n",
		KSQL_GENL_VERSION);
}

static void die(const char *what)
{
	fprintf(stderr, PROG ": %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct nlmsghdr *msg_start(char *mbuf, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(mbuf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = KSQL_GENL_VERSION;
	return nlh;
}

static uint64_t req_id_of(const struct nlmsghdr *nlh)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == KSQL_A_REQ_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U64) == 0)
			return mnl_attr_get_u64(a);
	}
	return 0;
}

static void print_stats(const struct nlmsghdr *nlh)
{
	static const char *const names[] = {
		[KSQL_STAT_SENT] = "sent",
		[KSQL_STAT_COMPLETED] = "completed",
		[KSQL_STAT_FAILED] = "failed",
		[KSQL_STAT_TIMED_OUT] = "timed_out",
		[KSQL_STAT_INTERRUPTED] = "interrupted",
		[KSQL_STAT_LATE] = "late",
		[KSQL_STAT_IN_FLIGHT] = "in_flight",
		[KSQL_STAT_REJECTED] = "rejected",
		[KSQL_STAT_TOO_BIG] = "too_big",
		[KSQL_STAT_NOT_CONNECTED] = "not_connected",
		[KSQL_STAT_DAEMON_CONNECTS] = "daemon_connects",
		[KSQL_STAT_LOG_ACKS] = "log_acks",
	};
	const struct nlattr *a, *s;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == KSQL_A_DAEMON_PID &&
		    mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			printf("daemon_pid %" PRIu32 "\n", mnl_attr_get_u32(a));
		if (mnl_attr_get_type(a) != KSQL_A_STATS)
			continue;
		mnl_attr_for_each_nested(s, a) {
			unsigned int t = mnl_attr_get_type(s);

			if (t == KSQL_STAT_PAD || mnl_attr_validate(s, MNL_TYPE_U64) < 0)
				continue;
			/* a counter newer than this tool still shows up, by number */
			if (t < sizeof(names) / sizeof(names[0]) && names[t])
				printf("%s %" PRIu64 "\n", names[t], mnl_attr_get_u64(s));
			else
				printf("stat%u %" PRIu64 "\n", t, mnl_attr_get_u64(s));
		}
	}
}

/* "fake-log": what the kernel sent for log_table */
static const char *log_table;
static uint64_t log_epoch, log_first, log_last, log_rows, log_gaps;
static bool have_log;

/* The u64 attribute TYPE nested in A, or 0. */
static uint64_t nested_u64(const struct nlattr *a, unsigned int type)
{
	const struct nlattr *n;

	mnl_attr_for_each_nested(n, a) {
		if (mnl_attr_get_type(n) == type &&
		    mnl_attr_validate(n, MNL_TYPE_U64) == 0)
			return mnl_attr_get_u64(n);
	}
	return 0;
}

/* Note the sequences of one LOG batch, if it is for log_table. */
static void on_log(const struct nlmsghdr *nlh)
{
	const struct nlattr *a;
	const char *table = NULL;
	uint64_t epoch = 0, first, last;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == KSQL_A_TABLE &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			table = mnl_attr_get_str(a);
		if (mnl_attr_get_type(a) == KSQL_A_EPOCH &&
		    mnl_attr_validate(a, MNL_TYPE_U64) == 0)
			epoch = mnl_attr_get_u64(a);
	}
	if (!log_table || !table || strcmp(table, log_table) != 0)
		return;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == KSQL_A_ROW) {
			first = last = nested_u64(a, KSQL_R_SEQ);
			log_rows++;
		} else if (mnl_attr_get_type(a) == KSQL_A_GAP) {
			first = nested_u64(a, KSQL_GAP_FIRST);
			last = nested_u64(a, KSQL_GAP_LAST);
			log_gaps++;
		} else {
			continue;
		}
		if (!have_log || first < log_first)
			log_first = first;
		if (last > log_last)
			log_last = last;
		log_epoch = epoch;
		have_log = true;
	}
}

/*
 * Handle one message that is not the ack being waited for: a STATS reply,
 * or (as the fake daemon) a QUERY or CANCEL the kernel sent on its own.
 */
static void on_message(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g;

	if (nlh->nlmsg_type != family ||
	    nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*g))
		return;
	g = mnl_nlmsg_get_payload(nlh);
	switch (g->cmd) {
	case KSQL_CMD_STATS:
		print_stats(nlh);
		break;
	case KSQL_CMD_QUERY:
		if (!have_query) {
			query_id = req_id_of(nlh);
			have_query = true;
			printf("query %" PRIu64 "\n", query_id);
		}
		break;
	case KSQL_CMD_CANCEL:
		printf("cancel %" PRIu64 "\n", req_id_of(nlh));
		break;
	case KSQL_CMD_LOG:
		on_log(nlh);
		break;
	}
}

/*
 * Receive for up to timeout_ms. With want_seq != 0, stop at that request's
 * ack and return its error (0 or negative) in *err; with until_query, stop
 * once a QUERY came. Returns true when what was waited for came (always
 * false when waiting for nothing). Every other message goes to on_message().
 */
static bool receive(uint32_t want_seq, bool until_query, int timeout_ms, int *err,
		    const char **ext)
{
	struct pollfd p = { .fd = mnl_socket_get_fd(nl), .events = POLLIN };
	struct timespec t0, t;
	int left = timeout_ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		const struct nlmsghdr *nlh;
		ssize_t len;
		int n;

		n = poll(&p, 1, left);
		if (n < 0 && errno != EINTR)
			die("poll");
		if (n > 0) {
			len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
			if (len < 0)
				die("recv");
			n = (int)len;
			for (nlh = (void *)buf; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
				if (want_seq && nlh->nlmsg_seq == want_seq &&
				    nlh->nlmsg_type == NLMSG_ERROR) {
					const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

					*err = e->error;
					*ext = e->error ? ksql_msg_extack(nlh) : NULL;
					return true;
				}
				on_message(nlh);
			}
		}
		if (until_query && have_query)
			return true;
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = timeout_ms - (int)((t.tv_sec - t0.tv_sec) * 1000 +
					  (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			return false;
	}
}

/* Send, wait for the ack, print "ack ERRNO[: EXTACK]"; returns the errno. */
static int request(struct nlmsghdr *nlh)
{
	const char *ext = NULL;
	int err = 0;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("send");
	if (!receive(nlh->nlmsg_seq, false, ACK_WAIT_MS, &err, &ext)) {
		fprintf(stderr, PROG ": no ack from the kernel within %d ms\n", ACK_WAIT_MS);
		exit(1);
	}
	if (ext)
		printf("ack %d: %s\n", err, ext);
	else
		printf("ack %d\n", err);
	fflush(stdout);
	return err;
}

/* Look up the "ksql" family id through nlctrl. */
static int resolve_family(void)
{
	char mbuf[256];
	struct nlmsghdr *nlh = msg_start(mbuf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	const struct nlattr *a;
	ssize_t len;
	int n;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, KSQL_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("send GETFAMILY");
	len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (len < 0)
		die("receive GETFAMILY");
	n = (int)len;
	for (nlh = (void *)buf; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (e->error)
				return e->error;
			continue;
		}
		if (nlh->nlmsg_type != GENL_ID_CTRL)
			continue;
		mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
			    mnl_attr_validate(a, MNL_TYPE_U16) == 0)
				family = mnl_attr_get_u16(a);
		}
	}
	return family ? 0 : -ENOENT;
}

/* ---- the fake daemon ----------------------------------------------------- */

struct chunk {
	uint32_t chunk;
	int ncols;		/* <0: no NCOLS attribute */
	int ncolattrs;		/* COLUMN attributes: "a", "b", ... */
	int nrows;		/* rows of (INT first_row + i, TEXT "r<first_row + i>") */
	int first_row;
	int nints;		/* instead of rows: this many lone INT values */
	bool final;
	uint32_t err;		/* ERRNO on the final chunk; with ERRMSG "boom" if set */
	bool changes;		/* CHANGES 7, LAST_ROWID -3 on the final chunk */
	uint32_t xflags;	/* extra KSQL_A_FLAGS bits on the final chunk */
};

static int send_chunk(const struct chunk *c)
{
	char mbuf[4096];
	struct nlmsghdr *nlh = msg_start(mbuf, family, KSQL_CMD_RESULT);
	char text[32];
	int i;

	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, query_id);
	mnl_attr_put_u32(nlh, KSQL_A_CHUNK, c->chunk);
	if (c->ncols >= 0)
		mnl_attr_put_u32(nlh, KSQL_A_NCOLS, (uint32_t)c->ncols);
	for (i = 0; i < c->ncolattrs; i++) {
		char name[2] = { (char)('a' + i), '\0' };

		mnl_attr_put_strz(nlh, KSQL_A_COLUMN, name);
	}
	for (i = 0; i < c->nrows; i++) {
		int len = snprintf(text, sizeof(text), "r%d", c->first_row + i);

		mnl_attr_put_u64(nlh, KSQL_A_VAL_INT, (uint64_t)(100 + c->first_row + i));
		mnl_attr_put(nlh, KSQL_A_VAL_TEXT, (size_t)len, text);
	}
	for (i = 0; i < c->nints; i++)
		mnl_attr_put_u64(nlh, KSQL_A_VAL_INT, (uint64_t)(100 + i));
	if (c->final) {
		mnl_attr_put_u32(nlh, KSQL_A_FLAGS, KSQL_F_FINAL | c->xflags);
		mnl_attr_put_u32(nlh, KSQL_A_ERRNO, c->err);
		if (c->err)
			mnl_attr_put_strz(nlh, KSQL_A_ERRMSG, "boom");
		if (c->changes) {
			mnl_attr_put_u64(nlh, KSQL_A_CHANGES, 7);
			mnl_attr_put_u64(nlh, KSQL_A_LAST_ROWID, (uint64_t)-3);
		}
	}
	return request(nlh);
}

static int fake(const char *mode)
{
	static const struct {
		const char *mode;
		struct chunk chunks[3];
		int n;
	} modes[] = {
		{ "badchunk", { { .chunk = 1, .ncols = -1, .final = true } }, 1 },
		{ "ncols", { { .ncols = 2, .ncolattrs = 1, .final = true } }, 1 },
		{ "vals", { { .ncols = 2, .ncolattrs = 2, .nints = 3, .final = true } }, 1 },
		{ "errno", { { .ncols = 0, .final = true, .err = 9999 } }, 1 },
		{ "multi", { { .ncols = 2, .ncolattrs = 2, .nrows = 1 },
			     { .chunk = 1, .ncols = -1, .nrows = 1, .first_row = 1 },
			     { .chunk = 2, .ncols = -1, .nrows = 1, .first_row = 2,
			       .final = true, .changes = true } }, 3 },
		/* the second FINAL finds no pending request: a late reply */
		{ "late", { { .ncols = 0, .final = true },
			    { .ncols = 0, .final = true } }, 2 },
		/* a QUERY-only flag on a RESULT is refused; the valid one then counts */
		{ "qflag", { { .ncols = 0, .final = true, .xflags = KSQL_F_TXN_BEGIN },
			     { .ncols = 0, .final = true } }, 2 },
	};
	char mbuf[256];
	struct nlmsghdr *nlh;
	const char *ext;
	size_t m;
	int i, err;

	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
		if (strcmp(mode, modes[m].mode) == 0)
			break;
	if (m == sizeof(modes) / sizeof(modes[0])) {
		fprintf(stderr, PROG ": unknown fake mode '%s' (try --help)\n", mode);
		return 2;
	}

	nlh = msg_start(mbuf, family, KSQL_CMD_HELLO);
	mnl_attr_put_u32(nlh, KSQL_A_VERSION, KSQL_GENL_VERSION);
	if (request(nlh) != 0) {
		fprintf(stderr, PROG ": fake %s: the kernel refused HELLO\n", mode);
		return 1;
	}
	/* the scenario sees us registered in STATS and starts one caller */
	if (!receive(0, true, QUERY_WAIT_MS, &err, &ext)) {
		fprintf(stderr, PROG ": fake %s: no QUERY within %d ms\n", mode, QUERY_WAIT_MS);
		return 1;
	}
	for (i = 0; i < modes[m].n; i++)
		send_chunk(&modes[m].chunks[i]);
	/* a request failed by a bad RESULT is CANCELled: show it */
	receive(0, false, CANCEL_WAIT_MS, &err, &ext);
	return 0;
}

static int send_log_ack(const char *table, uint64_t epoch, uint64_t seqno)
{
	char mbuf[512];
	struct nlmsghdr *nlh = msg_start(mbuf, family, KSQL_CMD_LOG_ACK);

	mnl_attr_put_strz(nlh, KSQL_A_TABLE, table);
	mnl_attr_put_u64(nlh, KSQL_A_EPOCH, epoch);
	mnl_attr_put_u64(nlh, KSQL_A_SEQ, seqno);
	return request(nlh);
}

/* "fake-log TABLE": see the usage. */
static int fake_log(const char *table)
{
	char mbuf[256];
	struct nlmsghdr *nlh;
	const char *ext;
	int err, waited;

	log_table = table;
	nlh = msg_start(mbuf, family, KSQL_CMD_HELLO);
	mnl_attr_put_u32(nlh, KSQL_A_VERSION, KSQL_GENL_VERSION);
	if (request(nlh) != 0) {
		fprintf(stderr, PROG ": fake-log: the kernel refused HELLO\n");
		return 1;
	}
	/* the backlog comes in one or more batches: until a quiet 500 ms */
	for (waited = 0; !have_log && waited < QUERY_WAIT_MS; waited += 100)
		receive(0, false, 100, &err, &ext);
	if (!have_log) {
		fprintf(stderr, PROG ": fake-log: no LOG batch for %s within %d ms\n",
			table, QUERY_WAIT_MS);
		return 1;
	}
	receive(0, false, 500, &err, &ext);
	printf("log epoch %" PRIu64 " first %" PRIu64 " last %" PRIu64
	       " rows %" PRIu64 " gaps %" PRIu64 "\n",
	       log_epoch, log_first, log_last, log_rows, log_gaps);
	fflush(stdout);
	send_log_ack("no_such_table", log_epoch, log_last);
	send_log_ack(table, log_epoch + 1, log_last);
	send_log_ack(table, log_epoch, log_last + 1000);
	send_log_ack(table, log_epoch, log_last);
	return 0;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-') {
		fprintf(stderr, PROG ": '%s' is not a number\n", s);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char mbuf[256];
	struct nlmsghdr *nlh;
	const char *cmd;
	uint64_t id, count = 1, i, version = KSQL_GENL_VERSION;
	int ret;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
		usage(stdout);
		return 0;
	}

	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl)
		die("cannot open a generic netlink socket");
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("cannot bind the netlink socket");
	/* error acks carry the kernel's reason and not our whole message */
	ret = 1;
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &ret, sizeof(ret));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &ret, sizeof(ret));
	seq = (uint32_t)time(NULL);

	ret = resolve_family();
	if (ret) {
		fprintf(stderr, PROG ": generic netlink family \"%s\" not found (is ksql.ko loaded?): %s\n",
			KSQL_GENL_NAME, strerror(-ret));
		return 1;
	}

	if (strcmp(cmd, "stats") == 0 && argc == 2) {
		request(msg_start(mbuf, family, KSQL_CMD_STATS));
	} else if (strcmp(cmd, "stats-attr") == 0 && argc == 2) {
		nlh = msg_start(mbuf, family, KSQL_CMD_STATS);
		mnl_attr_put_u32(nlh, KSQL_A_VERSION, KSQL_GENL_VERSION);
		request(nlh);
	} else if (strcmp(cmd, "hello") == 0 && argc <= 3) {
		if (argc == 3 && parse_u64(argv[2], &version))
			return 2;
		nlh = msg_start(mbuf, family, KSQL_CMD_HELLO);
		mnl_attr_put_u32(nlh, KSQL_A_VERSION, (uint32_t)version);
		request(nlh);
	} else if (strcmp(cmd, "bye") == 0 && argc == 2) {
		request(msg_start(mbuf, family, KSQL_CMD_BYE));
	} else if (strcmp(cmd, "query") == 0 && argc == 2) {
		nlh = msg_start(mbuf, family, KSQL_CMD_QUERY);
		mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 1);
		mnl_attr_put_strz(nlh, KSQL_A_SQL, "SELECT 1");
		request(nlh);
	} else if (strcmp(cmd, "result") == 0 && (argc == 3 || argc == 4)) {
		if (parse_u64(argv[2], &id) || (argc == 4 && parse_u64(argv[3], &count)))
			return 2;
		for (i = 0; i < count; i++) {
			nlh = msg_start(mbuf, family, KSQL_CMD_RESULT);
			mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, id + i);
			mnl_attr_put_u32(nlh, KSQL_A_CHUNK, 0);
			mnl_attr_put_u32(nlh, KSQL_A_NCOLS, 0);
			mnl_attr_put_u32(nlh, KSQL_A_FLAGS, KSQL_F_FINAL);
			request(nlh);
		}
	} else if (strcmp(cmd, "log-ack") == 0 && argc == 5) {
		uint64_t epoch, seqno;

		if (parse_u64(argv[3], &epoch) || parse_u64(argv[4], &seqno))
			return 2;
		send_log_ack(argv[2], epoch, seqno);
	} else if (strcmp(cmd, "fake-log") == 0 && argc == 3) {
		ret = fake_log(argv[2]);
		mnl_socket_close(nl);
		return ret;
	} else if (strcmp(cmd, "fake") == 0 && argc == 3) {
		ret = fake(argv[2]);
		mnl_socket_close(nl);
		return ret;
	} else {
		fprintf(stderr, PROG ": bad command or arguments: '%s' (try --help)\n", cmd);
		mnl_socket_close(nl);
		return 2;
	}
	mnl_socket_close(nl);
	return 0;
}
