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
 * "logack" is for the benchmarks instead (make bench, B1's transport
 * ceiling): a daemon that acks every LOG batch at once without SQLite, so
 * the log path's rows/s without the database can be put next to ksqld's.
 *
 * Output, one line per acknowledged request:
 *   ack ERRNO[: EXTACK]     ERRNO is 0 or the kernel's negative errno, EXTACK
 *                           its extended-ack message when it gave one
 * "stats" prints "daemon_pid N" (only while a daemon is registered) and one
 * "NAME VALUE" line per counter. "fake" also prints "query ID" for the QUERY
 * it answered and "cancel ID" for every CANCEL the kernel sent it.
 * "logack ROWS [IDLE_MS]" prints exactly four lines, parsed by the VM
 * benchmark script (tools/vm/guest/bench.sh); keep them as they are:
 *   rows N                  new rows received (resent ones counted once)
 *   batches B               LOG messages received and acked
 *   ns X                    CLOCK_MONOTONIC from the first LOG received to
 *                           the last LOG_ACK sent
 *   rows_per_s Y            N / X, rounded
 *
 * Exit status: 0 when the kernel answered (whatever the errno), 1 when the
 * tool itself failed (no ksql family, socket errors, no ack), 2 on bad usage.
 * "logack": 0 when at least ROWS rows arrived, 1 otherwise.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <grp.h>
#include <unistd.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "codec.h"		/* libksql internals: ksql_msg_extack() */
#include "ksql_genl.h"
#include "ksql-nlutil.h"

#define PROG		"ksql-nltool"
#define ACK_WAIT_MS	5000	/* the kernel acks at once; this only bounds a bug */
#define QUERY_WAIT_MS	30000	/* "fake": how long to wait for the QUERY */
#define CANCEL_WAIT_MS	300	/* "fake": how long to listen for CANCELs at the end */
#define LOGACK_IDLE_MS	10000	/* "logack": quiet time that ends the run, by default */
#define LOGACK_FIRST_MS	60000	/* "logack": how long to wait for the first LOG */
#define LOGACK_RCVBUF	(8 << 20) /* "logack": room for many batches in flight */
#define LOGACK_TABLES	64	/* "logack": producers (table, epoch) remembered */

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_NO_ENOBUFS
#define NETLINK_NO_ENOBUFS 5
#endif

const char prog_name[] = PROG;
/* One datagram from the kernel. 1 MiB: any LOG fits (log_batch_bytes is at
 * most KSQL_LOG_BATCH_MAX, 60 KiB, kernel/log.h), so none is truncated. */
static char buf[1 << 20];
static uint64_t query_id;	/* "fake": id of the QUERY being answered */
static bool have_query;
static uint64_t query2_id;	/* "fake unsent": the QUERY after it */
static bool want_query2, have_query2;
static int64_t waiting_stat = -1;	/* "fake unsent": KSQL_STAT_WAITING */

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
		"                       shortint  a VAL_INT of 4 bytes (policy: 8)\n"
		"                       nonul     a COLUMN without its NUL\n"
		"                       unsent    (max_in_flight=1) once the QUERY came\n"
		"                                 and a caller waits for the slot, a\n"
		"                                 FINAL with one row (INT 100) for ids\n"
		"                                 ID+1..ID+4, never sent; then the valid\n"
		"                                 FINAL for ID; the next QUERY (\"query2\n"
		"                                 ID2\") is answered with ERRNO 9999\n"
		"  rehello N          HELLO N times from one socket, print the port\n"
		"                     (\"port P\") and the acks, then exit\n"
		"  hold               register as the daemon, print \"port P\", then\n"
		"                     print every QUERY and CANCEL until killed\n"
		"  intrude PORT MS    as uid/gid 65534 (dropped here when root), bind a\n"
		"                     new socket to netlink port PORT, retrying for MS\n"
		"                     ms; print \"uid U bound PORT\", then for MS ms one\n"
		"                     \"got type T cmd C\" line per message received;\n"
		"                     \"unbound\" if the port never came free\n"
		"  log-ack TABLE EPOCH SEQ\n"
		"                     forged LOG_ACK from this (non-daemon) socket\n"
		"  fake-log TABLE     register as the daemon, wait for the kernel's LOG\n"
		"                     batches of TABLE (the backlog it resends), print\n"
		"                     \"log epoch E first F last L rows N gaps G\", then\n"
		"                     send four LOG_ACKs, one ack line each: for an\n"
		"                     unknown table, for epoch E + 1, for sequence\n"
		"                     L + 1000 (never sent), and the valid one for L\n"
		"  logack ROWS [IDLE_MS]\n"
		"                     register as the daemon and ack every LOG batch at\n"
		"                     once, without SQLite (answers TABLE_OPEN with\n"
		"                     success, ignores the rest); stop when ROWS new rows\n"
		"                     came, or after IDLE_MS (default %d) without a\n"
		"                     message once a LOG came (60 s for the first LOG);\n"
		"                     send BYE, print \"rows N\", \"batches B\", \"ns X\"\n"
		"                     (first LOG to last ack) and \"rows_per_s Y\"; exit\n"
		"                     status 1 if fewer than ROWS rows came\n"
		"  -h, --help         this help\n"
		"\n"
		"Exit status: 0 the kernel answered, 1 the tool failed, 2 bad usage.\n",
		KSQL_GENL_VERSION, LOGACK_IDLE_MS);
}

/* A request of ours: every one is acked (send_unacked() clears the flag). */
static struct nlmsghdr *req_start(char *mbuf, uint8_t cmd)
{
	return msg_start(mbuf, family, cmd, NLM_F_ACK);
}

static uint64_t req_id_of(const struct nlmsghdr *nlh)
{
	return msg_u64(nlh, KSQL_A_REQ_ID, NULL);
}

static bool quiet_stats;	/* only note waiting_stat */

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
		if (!quiet_stats && mnl_attr_get_type(a) == KSQL_A_DAEMON_PID &&
		    mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			printf("daemon_pid %" PRIu32 "\n", mnl_attr_get_u32(a));
		if (mnl_attr_get_type(a) != KSQL_A_STATS)
			continue;
		mnl_attr_for_each_nested(s, a) {
			unsigned int t = mnl_attr_get_type(s);

			if (t == KSQL_STAT_PAD || mnl_attr_validate(s, MNL_TYPE_U64) < 0)
				continue;
			if (t == KSQL_STAT_WAITING)
				waiting_stat = (int64_t)mnl_attr_get_u64(s);
			if (quiet_stats)
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

/* Note the sequences of one LOG batch, if it is for log_table. */
static void on_log(const struct nlmsghdr *nlh)
{
	const struct nlattr *a;
	const char *table;
	uint64_t epoch, first, last;

	log_head(nlh, &table, &epoch);
	if (!log_table || !table || strcmp(table, log_table) != 0)
		return;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (log_item(a, &first, &last)) {
		case LOG_ROW:
			log_rows++;
			break;
		case LOG_GAP:
			log_gaps++;
			break;
		default:
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

/* ---- "logack": a daemon that acks every LOG without SQLite ---------------- */

/* A producer (table, epoch) and the last sequence acked to it. */
struct logack_producer {
	char table[KSQL_TABLE_NAME_MAX + 1];
	uint64_t epoch;
	uint64_t last;
};

static struct {
	bool on;		/* on_message() hands LOG, TABLE_OPEN, errors here */
	bool stopped;		/* done: what still comes is not counted */
	uint64_t rows, batches;
	uint64_t first_ns, last_ns;	/* first LOG received, last LOG_ACK sent */
	uint64_t refused;	/* error acks: the kernel refused one of ours */
	struct logack_producer prod[LOGACK_TABLES];
	unsigned int nprod, next_evict;
} la;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Sends a message that needs no ack; the kernel still reports a refusal. */
static void send_unacked(struct nlmsghdr *nlh)
{
	nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("cannot send to the kernel");
}

static struct nlmsghdr *put_log_ack(char *mbuf, const char *table, uint64_t epoch,
				    uint64_t seqno)
{
	struct nlmsghdr *nlh = req_start(mbuf, KSQL_CMD_LOG_ACK);

	mnl_attr_put_strz(nlh, KSQL_A_TABLE, table);
	mnl_attr_put_u64(nlh, KSQL_A_EPOCH, epoch);
	mnl_attr_put_u64(nlh, KSQL_A_SEQ, seqno);
	return nlh;
}

/* The producer (table, epoch), added with last 0 if new (the oldest goes). */
static struct logack_producer *logack_producer(const char *table, uint64_t epoch)
{
	struct logack_producer *p;
	unsigned int i;

	for (i = 0; i < la.nprod; i++) {
		p = &la.prod[i];
		if (p->epoch == epoch && strcmp(p->table, table) == 0)
			return p;
	}
	if (la.nprod < LOGACK_TABLES) {
		p = &la.prod[la.nprod++];
	} else {
		p = &la.prod[la.next_evict];
		la.next_evict = (la.next_evict + 1) % LOGACK_TABLES;
	}
	snprintf(p->table, sizeof(p->table), "%s", table);
	p->epoch = epoch;
	p->last = 0;
	return p;
}

/* TABLE_OPEN: "created", the RESULT ksqld sends when all went well. */
static void logack_table_open(const struct nlmsghdr *nlh)
{
	char mbuf[256];
	struct nlmsghdr *r = req_start(mbuf, KSQL_CMD_RESULT);

	mnl_attr_put_u64(r, KSQL_A_REQ_ID, req_id_of(nlh));
	mnl_attr_put_u32(r, KSQL_A_CHUNK, 0);
	mnl_attr_put_u32(r, KSQL_A_NCOLS, 0);
	mnl_attr_put_u32(r, KSQL_A_FLAGS, KSQL_F_FINAL);
	send_unacked(r);
}

/*
 * LOG: count the rows not seen before and ack the batch's last sequence
 * (rows and gaps alike) at once, as ksqld does after its COMMIT.
 */
static void logack_log(const struct nlmsghdr *nlh)
{
	const struct nlattr *a;
	const char *table;
	uint64_t epoch, f, s, top = 0, fresh = 0;
	enum log_item item;
	struct logack_producer *p;
	char mbuf[512];

	if (!la.batches)
		la.first_ns = now_ns();
	if (!log_head(nlh, &table, &epoch) || !table) {
		fprintf(stderr, PROG ": logack: a LOG without a valid TABLE or EPOCH; not acked\n");
		return;
	}
	p = logack_producer(table, epoch);
	/* a ROW's SEQ, a GAP's LAST */
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		item = log_item(a, &f, &s);
		if (item == LOG_OTHER)
			continue;
		if (item == LOG_ROW)
			fresh += s > p->last;	/* a resend of an acked row counts once */
		if (s > top)
			top = s;
	}
	la.batches++;
	la.rows += fresh;
	if (top) {
		send_unacked(put_log_ack(mbuf, table, epoch, top));
		if (top > p->last)
			p->last = top;
	}
	la.last_ns = now_ns();
}

/* An error ack: the kernel refused a RESULT or LOG_ACK of ours. */
static void logack_error(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const char *ext;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*e) || !e->error)
		return;
	/* a few lines say what is wrong; thousands would only slow the run */
	if (la.refused++ < 5) {
		ext = ksql_msg_extack(nlh);
		fprintf(stderr, PROG ": logack: the kernel refused message %" PRIu32 ": %s%s%s\n",
			nlh->nlmsg_seq, strerror(-e->error), ext ? ": " : "", ext ? ext : "");
	}
}

/*
 * Handle one message that is not the ack being waited for: a STATS reply,
 * or (as the fake daemon) a QUERY or CANCEL the kernel sent on its own.
 */
static void on_message(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g;

	if (la.on && nlh->nlmsg_type == NLMSG_ERROR) {
		logack_error(nlh);
		return;
	}
	if (nlh->nlmsg_type != family ||
	    nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*g))
		return;
	g = mnl_nlmsg_get_payload(nlh);
	if (la.on) {
		/* a QUERY, PING or CANCEL is ignored: the caller times out */
		if (la.stopped)
			return;
		if (g->cmd == KSQL_CMD_TABLE_OPEN)
			logack_table_open(nlh);
		else if (g->cmd == KSQL_CMD_LOG)
			logack_log(nlh);
		return;
	}
	switch (g->cmd) {
	case KSQL_CMD_STATS:
		print_stats(nlh);
		break;
	case KSQL_CMD_QUERY:
		if (!have_query) {
			query_id = req_id_of(nlh);
			have_query = true;
			printf("query %" PRIu64 "\n", query_id);
		} else if (want_query2 && !have_query2) {
			query2_id = req_id_of(nlh);
			have_query2 = true;
			printf("query2 %" PRIu64 "\n", query2_id);
		}
		fflush(stdout);
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

/* Send and wait for the ack; returns its errno, the extended ack in *ext. */
static int request_quiet(struct nlmsghdr *nlh, const char **ext)
{
	int err = 0;

	*ext = NULL;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("send");
	if (!receive(nlh->nlmsg_seq, false, ACK_WAIT_MS, &err, ext)) {
		fprintf(stderr, PROG ": no ack from the kernel within %d ms\n", ACK_WAIT_MS);
		exit(1);
	}
	return err;
}

/* Send, wait for the ack, print "ack ERRNO[: EXTACK]"; returns the errno. */
static int request(struct nlmsghdr *nlh)
{
	const char *ext;
	int err = request_quiet(nlh, &ext);

	if (ext)
		printf("ack %d: %s\n", err, ext);
	else
		printf("ack %d\n", err);
	fflush(stdout);
	return err;
}

/* ---- the fake daemon ----------------------------------------------------- */

/* Registers this socket as the daemon; printed as an ack line, or quiet. */
static int hello(bool quiet)
{
	char mbuf[256];
	struct nlmsghdr *nlh = req_start(mbuf, KSQL_CMD_HELLO);
	const char *ext;
	int err;

	mnl_attr_put_u32(nlh, KSQL_A_VERSION, KSQL_GENL_VERSION);
	if (!quiet)
		return request(nlh);
	err = request_quiet(nlh, &ext);
	if (err)
		/* the kernel's extended ack says why; without one, a likely cause */
		fprintf(stderr, PROG ": the kernel refused HELLO: %s: %s\n", strerror(-err),
			ext ? ext :
			err == -EBUSY ? "another daemon (ksqld?) is registered; stop it first" :
			err == -EPERM ? "registering needs CAP_NET_ADMIN; run as root" :
			"see the kernel log");
	return err;
}

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
	bool shortint;		/* one VAL_INT of 4 bytes instead of 8 */
	bool nonul;		/* the COLUMNs without their NUL */
	uint64_t id_delta;	/* answers query_id + id_delta */
};

static int send_chunk(const struct chunk *c)
{
	char mbuf[4096];
	struct nlmsghdr *nlh = req_start(mbuf, KSQL_CMD_RESULT);
	char text[32];
	int i;

	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, query_id + c->id_delta);
	mnl_attr_put_u32(nlh, KSQL_A_CHUNK, c->chunk);
	if (c->ncols >= 0)
		mnl_attr_put_u32(nlh, KSQL_A_NCOLS, (uint32_t)c->ncols);
	for (i = 0; i < c->ncolattrs; i++) {
		char name[2] = { (char)('a' + i), '\0' };

		if (c->nonul)
			mnl_attr_put(nlh, KSQL_A_COLUMN, 1, name);
		else
			mnl_attr_put_strz(nlh, KSQL_A_COLUMN, name);
	}
	for (i = 0; i < c->nrows; i++) {
		int len = snprintf(text, sizeof(text), "r%d", c->first_row + i);

		mnl_attr_put_u64(nlh, KSQL_A_VAL_INT, (uint64_t)(100 + c->first_row + i));
		mnl_attr_put(nlh, KSQL_A_VAL_TEXT, (size_t)len, text);
	}
	for (i = 0; i < c->nints; i++)
		mnl_attr_put_u64(nlh, KSQL_A_VAL_INT, (uint64_t)(100 + i));
	if (c->shortint)
		mnl_attr_put_u32(nlh, KSQL_A_VAL_INT, 42);
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

static int fake_unsent(void);

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
		/* refused by the policy: the caller fails at once (-EPROTO) */
		{ "shortint", { { .ncols = 1, .ncolattrs = 1, .shortint = true,
				  .final = true } }, 1 },
		{ "nonul", { { .ncols = 1, .ncolattrs = 1, .nints = 1, .nonul = true,
			       .final = true } }, 1 },
	};
	const char *ext;
	size_t m;
	int i, err;

	if (strcmp(mode, "unsent") == 0)
		return fake_unsent();
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
		if (strcmp(mode, modes[m].mode) == 0)
			break;
	if (m == sizeof(modes) / sizeof(modes[0])) {
		fprintf(stderr, PROG ": unknown fake mode '%s' (try --help)\n", mode);
		return 2;
	}

	if (hello(false) != 0) {
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

/* KSQL_STAT_WAITING now, or -1 when the STATS reply had none. */
static int64_t stat_waiting(void)
{
	char mbuf[256];
	const char *ext;

	waiting_stat = -1;
	quiet_stats = true;
	request_quiet(req_start(mbuf, KSQL_CMD_STATS), &ext);
	quiet_stats = false;
	return waiting_stat;
}

/* "fake unsent": see the usage. */
static int fake_unsent(void)
{
	static const struct chunk forged = { .ncols = 1, .ncolattrs = 1, .nints = 1,
					     .final = true };
	struct chunk c;
	const char *ext;
	int err, waited;
	uint64_t d;

	if (hello(false) != 0)
		return 1;
	if (!receive(0, true, QUERY_WAIT_MS, &err, &ext)) {
		fprintf(stderr, PROG ": fake unsent: no QUERY within %d ms\n", QUERY_WAIT_MS);
		return 1;
	}
	/* the scenario starts the second caller now: it waits for the slot */
	for (waited = 0; stat_waiting() < 1; waited += 50) {
		if (waited >= QUERY_WAIT_MS) {
			fprintf(stderr, PROG ": fake unsent: no caller waits for a slot\n");
			return 1;
		}
		usleep(50000);
	}
	printf("waiting %" PRId64 "\n", waiting_stat);
	/* answers for requests that were never sent to us */
	for (d = 1; d <= 4; d++) {
		c = forged;
		c.id_delta = d;
		send_chunk(&c);
	}
	/*
	 * The valid answer frees the slot; the waiter's QUERY may come even
	 * before this RESULT's ack, so it is watched for from now on.
	 */
	want_query2 = true;
	c = (struct chunk){ .ncols = 0, .final = true };
	send_chunk(&c);
	for (waited = 0; !have_query2 && waited < QUERY_WAIT_MS; waited += 100)
		receive(0, false, 100, &err, &ext);
	if (!have_query2) {
		fprintf(stderr, PROG ": fake unsent: no second QUERY within %d ms\n",
			QUERY_WAIT_MS);
		return 1;
	}
	c = (struct chunk){ .ncols = 0, .final = true, .err = 9999,
			    .id_delta = query2_id - query_id };
	send_chunk(&c);
	receive(0, false, CANCEL_WAIT_MS, &err, &ext);
	return 0;
}

/* "rehello N": see the usage. */
static int rehello(uint64_t n)
{
	uint64_t i;

	printf("port %" PRIu32 "\n", mnl_socket_get_portid(nl));
	for (i = 0; i < n; i++)
		hello(false);
	return 0;
}

/* "hold": see the usage. */
static int hold(void)
{
	const char *ext;
	int err;

	if (hello(false) != 0)
		return 1;
	printf("port %" PRIu32 "\n", mnl_socket_get_portid(nl));
	fflush(stdout);
	for (;;) {
		have_query = false;
		receive(0, false, 1000, &err, &ext);
	}
	return 0;
}

/* "intrude PORT MS": see the usage. */
static int intrude(uint32_t port, uint64_t ms)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_pid = port };
	struct pollfd p = { .events = POLLIN };
	uint64_t end;
	ssize_t len;
	int fd;

	if (geteuid() == 0 &&
	    (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0))
		die("cannot drop privileges to 65534");
	if (geteuid() == 0) {
		fprintf(stderr, PROG ": intrude: still root\n");
		return 1;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		die("socket");
	end = now_ns() + ms * 1000000u;
	while (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno != EADDRINUSE)
			die("bind");
		if (now_ns() >= end) {
			printf("unbound\n");
			return 0;
		}
		usleep(2000);
	}
	printf("uid %u bound %" PRIu32 "\n", (unsigned int)geteuid(), port);
	fflush(stdout);
	p.fd = fd;
	end = now_ns() + ms * 1000000u;
	while (now_ns() < end) {
		const struct nlmsghdr *nlh;
		int n;

		if (poll(&p, 1, 50) <= 0)
			continue;
		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0)
			die("recv");
		n = (int)len;
		for (nlh = (void *)buf; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
			const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

			printf("got type %u cmd %u\n", nlh->nlmsg_type,
			       nlh->nlmsg_len >= MNL_NLMSG_HDRLEN + sizeof(*g) ? g->cmd : 0);
			fflush(stdout);
		}
	}
	close(fd);
	return 0;
}

static int send_log_ack(const char *table, uint64_t epoch, uint64_t seqno)
{
	char mbuf[512];

	return request(put_log_ack(mbuf, table, epoch, seqno));
}

/* "fake-log TABLE": see the usage. */
static int fake_log(const char *table)
{
	const char *ext;
	int err, waited;

	log_table = table;
	if (hello(false) != 0) {
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

/* ---- "logack" ------------------------------------------------------------ */

/*
 * As ksqld (daemon/netlink.c): a large receive buffer, and NO_ENOBUFS so a
 * full buffer makes the kernel retry its send instead of dropping the batch
 * and flagging an overrun.
 */
static void logack_socket_setup(void)
{
	int fd = mnl_socket_get_fd(nl), size = LOGACK_RCVBUF, one = 1;

	/* FORCE ignores rmem_max but needs CAP_NET_ADMIN, as HELLO does */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) < 0)
		fprintf(stderr, PROG ": logack: cannot set the receive buffer to %d bytes: %s; going on with the default\n",
			size, strerror(errno));
	if (mnl_socket_setsockopt(nl, NETLINK_NO_ENOBUFS, &one, sizeof(one)) < 0)
		fprintf(stderr, PROG ": logack: cannot set NETLINK_NO_ENOBUFS: %s; a full receive buffer will drop batches\n",
			strerror(errno));
}

/* One datagram into buf without blocking: its length, or -1 with errno. */
static ssize_t logack_recv(int fd)
{
	struct sockaddr_nl addr;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr m = {
		.msg_name = &addr, .msg_namelen = sizeof(addr), .msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t len = recvmsg(fd, &m, MSG_DONTWAIT);

	if (len >= 0 && (m.msg_flags & MSG_TRUNC)) {
		fprintf(stderr, PROG ": logack: a message from the kernel is larger than the %zu-byte buffer\n",
			sizeof(buf));
		exit(1);
	}
	return len;
}

/*
 * Receive until want rows came, or idle_ms pass without a message once a
 * LOG came (LOGACK_FIRST_MS for the first one). Drains the socket before
 * each poll: a poll per batch would measure wake-ups, not the transport.
 * Returns why it stopped, for the message of a short run.
 */
static const char *logack_loop(uint64_t want, uint64_t idle_ms)
{
	int fd = mnl_socket_get_fd(nl);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t start = now_ns(), last_msg = start, end, now;
	const struct nlmsghdr *nlh;
	ssize_t len;
	int n;

	while (la.rows < want) {
		len = logack_recv(fd);
		if (len >= 0) {
			last_msg = now_ns();
			n = (int)len;
			for (nlh = (void *)buf; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n))
				on_message(nlh);
			continue;
		}
		if (errno == ENOBUFS) {
			fprintf(stderr, PROG ": logack: receive buffer overrun: the kernel dropped messages\n");
			continue;
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			die("logack: cannot receive from the kernel");
		now = now_ns();
		end = la.batches ? last_msg + idle_ms * 1000000u : start + LOGACK_FIRST_MS * 1000000ull;
		if (now >= end)
			return la.batches ? "no message for IDLE_MS" : "no LOG batch came within 60 s";
		n = poll(&p, 1, (int)((end - now + 999999) / 1000000));
		if (n < 0 && errno != EINTR)
			die("logack: poll");
	}
	return NULL;
}

/* "logack ROWS [IDLE_MS]": see the usage. */
static int logack(uint64_t want, uint64_t idle_ms)
{
	const char *why, *ext;
	char mbuf[256];
	uint64_t ns;
	int err;

	logack_socket_setup();
	la.on = true;
	/* LOGs may come before HELLO's ack (a backlog resent at once): handled then too */
	if (hello(true) != 0)
		return 1;
	why = logack_loop(want, idle_ms);
	la.stopped = true;
	/* unregister cleanly, as "bye" does; closing the socket would do it too */
	err = request_quiet(req_start(mbuf, KSQL_CMD_BYE), &ext);
	if (err)
		fprintf(stderr, PROG ": logack: the kernel refused BYE: %s%s%s\n", strerror(-err),
			ext ? ": " : "", ext ? ext : "");
	ns = la.batches ? la.last_ns - la.first_ns : 0;
	printf("rows %" PRIu64 "\nbatches %" PRIu64 "\nns %" PRIu64 "\nrows_per_s %" PRIu64 "\n",
	       la.rows, la.batches, ns,
	       ns ? (uint64_t)((double)la.rows * 1e9 / (double)ns + 0.5) : 0);
	fflush(stdout);
	if (la.refused)
		fprintf(stderr, PROG ": logack: the kernel refused %" PRIu64 " of our RESULTs and LOG_ACKs\n",
			la.refused);
	if (la.rows < want) {
		fprintf(stderr, PROG ": logack: only %" PRIu64 " of %" PRIu64 " rows arrived (%" PRIu64 " LOG batches): %s\n",
			la.rows, want, la.batches, why ? why : "stopped");
		return 1;
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

	open_socket();
	/* error acks also carry the kernel's reason */
	ret = 1;
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &ret, sizeof(ret));
	seq = (uint32_t)time(NULL);

	ret = resolve_family();
	if (ret) {
		fprintf(stderr, PROG ": generic netlink family \"%s\" not found (is ksql.ko loaded?): %s\n",
			KSQL_GENL_NAME, strerror(-ret));
		return 1;
	}

	if (strcmp(cmd, "stats") == 0 && argc == 2) {
		request(req_start(mbuf, KSQL_CMD_STATS));
	} else if (strcmp(cmd, "stats-attr") == 0 && argc == 2) {
		nlh = req_start(mbuf, KSQL_CMD_STATS);
		mnl_attr_put_u32(nlh, KSQL_A_VERSION, KSQL_GENL_VERSION);
		request(nlh);
	} else if (strcmp(cmd, "hello") == 0 && argc <= 3) {
		if (argc == 3 && parse_u64(argv[2], &version))
			return 2;
		nlh = req_start(mbuf, KSQL_CMD_HELLO);
		mnl_attr_put_u32(nlh, KSQL_A_VERSION, (uint32_t)version);
		request(nlh);
	} else if (strcmp(cmd, "bye") == 0 && argc == 2) {
		request(req_start(mbuf, KSQL_CMD_BYE));
	} else if (strcmp(cmd, "query") == 0 && argc == 2) {
		nlh = req_start(mbuf, KSQL_CMD_QUERY);
		mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 1);
		mnl_attr_put_strz(nlh, KSQL_A_SQL, "SELECT 1");
		request(nlh);
	} else if (strcmp(cmd, "result") == 0 && (argc == 3 || argc == 4)) {
		if (parse_u64(argv[2], &id) || (argc == 4 && parse_u64(argv[3], &count)))
			return 2;
		for (i = 0; i < count; i++) {
			nlh = req_start(mbuf, KSQL_CMD_RESULT);
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
	} else if (strcmp(cmd, "logack") == 0 && (argc == 3 || argc == 4)) {
		uint64_t rows, idle_ms = LOGACK_IDLE_MS;

		if (parse_u64(argv[2], &rows) || (argc == 4 && parse_u64(argv[3], &idle_ms)))
			return 2;
		if (!rows || !idle_ms || idle_ms > 3600000) {
			fprintf(stderr, PROG ": logack: ROWS must be at least 1 and IDLE_MS 1 to 3600000\n");
			return 2;
		}
		ret = logack(rows, idle_ms);
		mnl_socket_close(nl);
		return ret;
	} else if (strcmp(cmd, "rehello") == 0 && argc == 3) {
		if (parse_u64(argv[2], &count))
			return 2;
		ret = rehello(count);
		mnl_socket_close(nl);
		return ret;
	} else if (strcmp(cmd, "hold") == 0 && argc == 2) {
		return hold();
	} else if (strcmp(cmd, "intrude") == 0 && argc == 4) {
		uint64_t port, ms;

		if (parse_u64(argv[2], &port) || parse_u64(argv[3], &ms) ||
		    !port || port > UINT32_MAX || ms > 600000)
			return 2;
		ret = intrude((uint32_t)port, ms);
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
