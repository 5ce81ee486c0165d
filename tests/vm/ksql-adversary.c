// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksql-adversary - a hostile ksql daemon and forbidden senders, for the
 * QEMU scenario 87-adversary (tests/vm/scenarios/87-adversary.sh).
 *
 * ksql.ko must treat its daemon as untrusted: a bad daemon may make kernel
 * callers fail, never crash, corrupt or hang the kernel. "daemon" registers
 * with HELLO and, while the test module's storm callers keep asking,
 * answers with a stream of malformed and random messages drawn from a
 * seeded generator: truncated and lying lengths, wrong attribute types,
 * absurd counts, chunks out of order, duplicate finals, replies for unknown
 * and cancelled requests, random nested attribute trees, LOG_ACKs for
 * sequences never sent, far ahead or backwards, random commands, and now
 * and then a valid answer so that callers get further. It prints the seed
 * first; the same seed replays the same choices (what the kernel sends,
 * and so the request ids answered, still depends on timing).
 *
 * "senders" tries every command (a well-formed and a garbage form of each)
 * from a socket that is not the daemon's: first as root, then, with its
 * privileges dropped before it opens a new socket, as an unprivileged uid.
 * Every attempt but a plain STATS (public, read-only) must be refused with
 * the errno expected for it.
 *
 * Output of "daemon": "seed S" at once, then at the end "messages N",
 * "batches B", "requests R" (QUERY, PING, TABLE_OPEN received), "cancels C",
 * "logs L", "answered_ok A" (valid FINALs sent), "hello_refused H",
 * "overruns O" and one "errno E count N" line per errno the kernel answered
 * with (0 counts positive acks of HELLO). With -q, then "quiet" and, once
 * the quiet time ends, "quiet_requests R". Exit 0 unless the tool itself
 * failed (socket errors, HELLO refused at the start).
 *
 * Output of "senders": one line per attempt, "WHO CMD FORM: errno E (ok)"
 * or "... (WRONG: expected ...)"; exit 1 if any attempt got an unexpected
 * answer, 0 when all were refused as expected.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "ksql_genl.h"
#include "ksql-nlutil.h"

#define PROG		"ksql-adversary"
#define DEF_MESSAGES	100000
#define DEF_BATCH	128
#define BATCH_FLUSH	(96 << 10)	/* below the default 208 KiB sndbuf */
#define RECENT_IDS	256
#define PRODUCERS	32
#define ACK_WAIT_MS	3000
#define POLL_MS		1	/* between batches: the kernel callers' turn */
#define NERRNO		256

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

const char prog_name[] = PROG;
static char rbuf[1 << 20];

/* ---- the seeded generator (splitmix64) ---------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* 0 .. n-1 */
static uint32_t rn(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

/* ---- the hostile daemon ------------------------------------------------- */

struct producer {
	char table[KSQL_TABLE_NAME_MAX + 1];
	uint64_t epoch, first, last;
};

static struct {
	uint64_t ids[RECENT_IDS];	/* QUERY, PING, TABLE_OPEN received */
	unsigned int nids, next_id;
	uint64_t cancelled[64];
	unsigned int ncancelled, next_cancelled;
	struct producer prod[PRODUCERS];
	unsigned int nprod;
	uint64_t max_id;
	uint64_t messages, batches, requests, cancels, logs, answered_ok;
	uint64_t hello_refused, overruns;
	uint64_t err[NERRNO];
	uint32_t hello_seq[64];		/* seqs of our HELLOs, to spot their acks */
} st;

/* The batch being built: messages back to back, sent with one sendto(). */
static char batch[BATCH_FLUSH + (128 << 10)];
static size_t boff;

static struct nlmsghdr *bstart(uint8_t cmd)
{
	return msg_start(batch + boff, family, cmd, 0);
}

static void bend(struct nlmsghdr *nlh)
{
	boff += NLMSG_ALIGN(nlh->nlmsg_len);
	st.messages++;
}

static void on_kernel_message(const struct nlmsghdr *nlh);

/* Receive whatever the kernel sent, waiting at most wait_ms for the first. */
static void drain(int wait_ms)
{
	int fd = mnl_socket_get_fd(nl);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	const struct nlmsghdr *nlh;
	ssize_t len;
	int n;

	if (wait_ms > 0 && poll(&p, 1, wait_ms) < 0 && errno != EINTR)
		die("poll");
	for (;;) {
		len = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
		if (len < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == ENOBUFS) {
				/* our receive queue overran: acks were dropped */
				st.overruns++;
				continue;
			}
			if (errno == EINTR)
				continue;
			die("receive from the kernel");
		}
		n = (int)len;
		for (nlh = (void *)rbuf; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n))
			on_kernel_message(nlh);
	}
}

static void bflush(void)
{
	if (!boff)
		return;
	if (send(mnl_socket_get_fd(nl), batch, boff, 0) < 0) {
		/* a full socket buffer or one hostile length too many: go on */
		if (errno != ENOBUFS && errno != EAGAIN && errno != EMSGSIZE &&
		    errno != EINVAL)
			die("send a batch");
	}
	boff = 0;
	st.batches++;
}

static void note_id(uint64_t id)
{
	st.ids[st.next_id] = id;
	st.next_id = (st.next_id + 1) % RECENT_IDS;
	if (st.nids < RECENT_IDS)
		st.nids++;
	if (id > st.max_id)
		st.max_id = id;
}

static void on_log(const struct nlmsghdr *nlh)
{
	const struct nlattr *a;
	const char *table;
	uint64_t epoch, first = 0, last = 0, f, s;
	struct producer *p = NULL;
	unsigned int i;

	st.logs++;
	log_head(nlh, &table, &epoch);
	/* a ROW's SEQ, a GAP's LAST */
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (log_item(a, &f, &s) == LOG_OTHER)
			continue;
		if (!first || s < first)
			first = s;
		if (s > last)
			last = s;
	}
	if (!table)
		return;
	for (i = 0; i < st.nprod; i++)
		if (st.prod[i].epoch == epoch && !strcmp(st.prod[i].table, table))
			p = &st.prod[i];
	if (!p) {
		p = &st.prod[st.nprod < PRODUCERS ? st.nprod++ : rn(PRODUCERS)];
		snprintf(p->table, sizeof(p->table), "%s", table);
		p->epoch = epoch;
		p->first = first;
		p->last = 0;
	}
	if (last > p->last)
		p->last = last;
}

static void on_kernel_message(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g;
	uint64_t id;
	bool found;
	unsigned int i;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
		int err;

		if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*e))
			return;
		err = -e->error;
		st.err[err >= 0 && err < NERRNO ? err : NERRNO - 1]++;
		for (i = 0; err && i < sizeof(st.hello_seq) / sizeof(st.hello_seq[0]); i++)
			if (st.hello_seq[i] && st.hello_seq[i] == nlh->nlmsg_seq)
				st.hello_refused++;
		return;
	}
	if (nlh->nlmsg_type != family || nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*g))
		return;
	g = mnl_nlmsg_get_payload(nlh);
	switch (g->cmd) {
	case KSQL_CMD_QUERY:
	case KSQL_CMD_PING:
	case KSQL_CMD_TABLE_OPEN:
		id = msg_u64(nlh, KSQL_A_REQ_ID, &found);
		if (found) {
			st.requests++;
			note_id(id);
		}
		break;
	case KSQL_CMD_CANCEL:
		id = msg_u64(nlh, KSQL_A_REQ_ID, &found);
		if (found) {
			st.cancels++;
			st.cancelled[st.next_cancelled] = id;
			st.next_cancelled = (st.next_cancelled + 1) % 64;
			if (st.ncancelled < 64)
				st.ncancelled++;
		}
		break;
	case KSQL_CMD_LOG:
		on_log(nlh);
		break;
	}
}

/* An id worth answering: mostly one the kernel asked for lately. */
static uint64_t some_id(void)
{
	switch (rn(10)) {
	case 0:
		return rnd();				/* unknown */
	case 1:
		return rn(2) ? 0 : UINT64_MAX;
	case 2:
		if (st.ncancelled)			/* timed out or killed */
			return st.cancelled[rn(st.ncancelled)];
		/* fall through */
	case 3:
		return st.max_id + 1 + rn(1000);	/* not yet sent */
	default:
		if (st.nids)
			return st.ids[rn(st.nids)];
		return 1 + rn(1000);
	}
}

static void put_valid_final(struct nlmsghdr *nlh, uint64_t id)
{
	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, id);
	mnl_attr_put_u32(nlh, KSQL_A_CHUNK, 0);
	mnl_attr_put_u32(nlh, KSQL_A_NCOLS, 0);
	mnl_attr_put_u32(nlh, KSQL_A_FLAGS, KSQL_F_FINAL);
}

static void rnd_bytes(void *p, size_t n)
{
	unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++)
		c[i] = (unsigned char)rnd();
}

/* A random value attribute (sometimes of the wrong size for its type). */
static void put_rnd_value(struct nlmsghdr *nlh, int type)
{
	char data[64];
	size_t len;

	switch (type) {
	case KSQL_A_VAL_NULL:
		rnd_bytes(data, 8);
		mnl_attr_put(nlh, type, rn(8) ? 0 : rn(9), data);
		return;
	case KSQL_A_VAL_INT:
	case KSQL_A_VAL_REAL:
		if (rn(8)) {
			mnl_attr_put_u64(nlh, type, rnd());
			return;
		}
		break;
	}
	len = rn(sizeof(data) + 1);
	rnd_bytes(data, len);
	mnl_attr_put(nlh, type, len, data);
}

/* A result chunk for id: chunk number, NCOLS, columns, values, flags. */
static void put_chunk(struct nlmsghdr *nlh, uint64_t id, uint32_t chunk, int ncols,
		      int ncolattrs, int nvals, bool final)
{
	int i;

	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, id);
	mnl_attr_put_u32(nlh, KSQL_A_CHUNK, chunk);
	if (ncols >= 0)
		mnl_attr_put_u32(nlh, KSQL_A_NCOLS, (uint32_t)ncols);
	for (i = 0; i < ncolattrs; i++)
		mnl_attr_put_strz(nlh, KSQL_A_COLUMN, i % 2 ? "b" : "a");
	for (i = 0; i < nvals; i++)
		put_rnd_value(nlh, KSQL_A_VAL_NULL + (int)rn(5));
	if (final) {
		mnl_attr_put_u32(nlh, KSQL_A_FLAGS, KSQL_F_FINAL);
		if (rn(2))
			mnl_attr_put_u64(nlh, KSQL_A_CHANGES, rnd());
		if (rn(2))
			mnl_attr_put_u64(nlh, KSQL_A_LAST_ROWID, rnd());
		if (rn(3) == 0) {
			mnl_attr_put_u32(nlh, KSQL_A_ERRNO, rn(4) ? 1 + rn(140) : (uint32_t)rnd());
			mnl_attr_put_u32(nlh, KSQL_A_SQLITE_CODE, (uint32_t)rnd());
			mnl_attr_put_strz(nlh, KSQL_A_ERRMSG, "adversary says no");
		}
	}
}

/* Valid multi-chunk answers, sometimes in the wrong order or with a gap. */
static void gen_chunks(uint64_t id, bool shuffle)
{
	int n = 2 + (int)rn(3), ncols = 1 + (int)rn(3), order[5], i, j, t;
	struct nlmsghdr *nlh;

	for (i = 0; i < n; i++)
		order[i] = i;
	if (shuffle) {
		switch (rn(4)) {
		case 0:		/* a gap */
			order[1] = n;
			break;
		case 1:		/* chunk 0 twice */
			order[1] = 0;
			break;
		default:
			for (i = n - 1; i > 0; i--) {
				j = (int)rn((uint32_t)i + 1);
				t = order[i];
				order[i] = order[j];
				order[j] = t;
			}
		}
	}
	for (i = 0; i < n; i++) {
		nlh = bstart(KSQL_CMD_RESULT);
		put_chunk(nlh, id, (uint32_t)order[i], order[i] ? -1 : ncols,
			  order[i] ? 0 : ncols, ncols * (int)rn(4), i == n - 1);
		bend(nlh);
	}
}

/* Attributes of the wrong type or size for RESULT's policy. */
static void gen_wrong_types(uint64_t id)
{
	struct nlmsghdr *nlh = bstart(KSQL_CMD_RESULT);
	char junk[16];

	rnd_bytes(junk, sizeof(junk));
	switch (rn(8)) {
	case 0:
		mnl_attr_put_u32(nlh, KSQL_A_REQ_ID, (uint32_t)id);
		mnl_attr_put_u32(nlh, KSQL_A_CHUNK, 0);
		break;
	case 1:
		mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, id);
		mnl_attr_put_u64(nlh, KSQL_A_CHUNK, 0);
		break;
	case 2:
		mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, id);
		mnl_attr_put_u32(nlh, KSQL_A_CHUNK, 0);
		mnl_attr_put_u32(nlh, KSQL_A_NCOLS, 1);
		mnl_attr_put(nlh, KSQL_A_COLUMN, 3, "abc");	/* no NUL */
		break;
	case 3:
		mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, id);
		mnl_attr_put_u32(nlh, KSQL_A_CHUNK, 0);
		mnl_attr_put_u32(nlh, KSQL_A_NCOLS, 1);
		mnl_attr_put_strz(nlh, KSQL_A_COLUMN, "a");
		mnl_attr_put(nlh, KSQL_A_VAL_INT, 1 + rn(7), junk);
		break;
	case 4:
		put_valid_final(nlh, id);
		mnl_attr_put(nlh, KSQL_A_ERRNO, 2, junk);
		break;
	case 5:
		put_valid_final(nlh, id);
		mnl_attr_put(nlh, KSQL_A_ERRMSG, 5, "boom!");	/* no NUL */
		break;
	case 6:
		put_valid_final(nlh, id);
		mnl_attr_put_u32(nlh, KSQL_A_FLAGS, (uint32_t)rnd());
		break;
	default:
		mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, id);
		mnl_attr_put_u32(nlh, KSQL_A_CHUNK, 0);
		mnl_attr_put_u32(nlh, KSQL_A_NCOLS, 0);
		/* a query-only attribute on a RESULT */
		mnl_attr_put_strz(nlh, KSQL_A_SQL, "DROP TABLE x");
		mnl_attr_put_u32(nlh, KSQL_A_FLAGS, KSQL_F_FINAL);
		break;
	}
	bend(nlh);
}

/* Absurd counts: the kernel must not size anything from them. */
static void gen_absurd(uint64_t id)
{
	static char big[KSQL_ERRMSG_MAX + 100];
	struct nlmsghdr *nlh = bstart(KSQL_CMD_RESULT);
	int i, n;

	switch (rn(7)) {
	case 0:		/* NCOLS huge, one column */
		put_chunk(nlh, id, 0, rn(2) ? -1 : 0, 1, 1, rn(2));
		mnl_attr_put_u32(nlh, KSQL_A_NCOLS, rn(2) ? UINT32_MAX : 1u << (16 + rn(15)));
		break;
	case 1:		/* hundreds of columns, now and then thousands */
		n = rn(8) ? 100 + (int)rn(900) : 1000 + (int)rn(4000);
		mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, id);
		mnl_attr_put_u32(nlh, KSQL_A_CHUNK, 0);
		mnl_attr_put_u32(nlh, KSQL_A_NCOLS, rn(2) ? (uint32_t)n : (uint32_t)rnd());
		for (i = 0; i < n; i++)
			mnl_attr_put_strz(nlh, KSQL_A_COLUMN, "c");
		if (rn(2))
			mnl_attr_put_u32(nlh, KSQL_A_FLAGS, KSQL_F_FINAL);
		break;
	case 2:		/* hundreds of NULL values in one column, or thousands */
		n = rn(8) ? 100 + (int)rn(900) : 1000 + (int)rn(10000);
		put_chunk(nlh, id, 0, 1, 1, 0, false);
		for (i = 0; i < n; i++)
			mnl_attr_put(nlh, KSQL_A_VAL_NULL, 0, NULL);
		if (rn(2))
			mnl_attr_put_u32(nlh, KSQL_A_FLAGS, KSQL_F_FINAL);
		break;
	case 3:		/* CHUNK far ahead */
		put_chunk(nlh, id, rn(2) ? UINT32_MAX : (uint32_t)rnd(), -1, 0, 0, true);
		break;
	case 4:		/* one big text value and an errmsg over the limit */
		memset(big, 'x', sizeof(big));
		put_chunk(nlh, id, 0, 1, 1, 0, false);
		mnl_attr_put(nlh, KSQL_A_VAL_TEXT, KSQL_VALUE_MAX - rn(3) * 1000, big);
		if (rn(2)) {
			big[sizeof(big) - 1] = '\0';
			mnl_attr_put_strz(nlh, KSQL_A_ERRMSG, big);
		}
		mnl_attr_put_u32(nlh, KSQL_A_FLAGS, KSQL_F_FINAL);
		break;
	case 5:		/* errno out of range */
		put_valid_final(nlh, id);
		mnl_attr_put_u32(nlh, KSQL_A_ERRNO, rn(2) ? UINT32_MAX : 0x80000000u + rn(1000));
		break;
	default:	/* a column name over KSQL_NAME_MAX */
		memset(big, 'n', KSQL_NAME_MAX + 10);
		big[KSQL_NAME_MAX + 1 + rn(9)] = '\0';
		mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, id);
		mnl_attr_put_u32(nlh, KSQL_A_CHUNK, 0);
		mnl_attr_put_u32(nlh, KSQL_A_NCOLS, 1);
		mnl_attr_put_strz(nlh, KSQL_A_COLUMN, big);
		mnl_attr_put_u32(nlh, KSQL_A_FLAGS, KSQL_F_FINAL);
		break;
	}
	bend(nlh);
}

/* A valid final whose attribute lengths lie (nlmsg_len stays right). */
static void gen_lying_attr(uint64_t id)
{
	struct nlmsghdr *nlh = bstart(KSQL_CMD_RESULT);
	struct nlattr *a;
	char *start, *end;
	size_t off;

	put_valid_final(nlh, id);
	mnl_attr_put_u64(nlh, KSQL_A_VAL_INT, rnd());
	start = (char *)mnl_nlmsg_get_payload(nlh) + sizeof(struct genlmsghdr);
	end = (char *)nlh + nlh->nlmsg_len;
	/* pick one attribute boundary: they are all 4-byte aligned here */
	off = 0;
	a = (struct nlattr *)start;
	for (int i = (int)rn(5); i > 0 && (char *)a + a->nla_len < end; i--) {
		off += NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)(start + off);
	}
	switch (rn(5)) {
	case 0:
		a->nla_len = (uint16_t)(end - (char *)a + 4 + rn(1000));	/* past the end */
		break;
	case 1:
		a->nla_len = (uint16_t)rn(4);				/* below the header */
		break;
	case 2:
		a->nla_len = (uint16_t)(a->nla_len - 1 - rn(3));		/* shorter */
		break;
	case 3:
		a->nla_type |= NLA_F_NESTED;				/* claims nesting */
		break;
	default:
		a->nla_len = UINT16_MAX;
		break;
	}
	bend(nlh);
}

/*
 * nlmsg_len lies, or the genl header is cut: the message ends the batch, as
 * the kernel stops reading a datagram at the first bad message length.
 */
static void gen_lying_msg(uint64_t id)
{
	struct nlmsghdr *nlh = bstart(KSQL_CMD_RESULT);
	uint32_t real;

	put_valid_final(nlh, id);
	real = nlh->nlmsg_len;
	switch (rn(4)) {
	case 0:		/* cut inside an attribute */
		nlh->nlmsg_len = real - 1 - rn(20);
		boff += NLMSG_ALIGN(real);
		break;
	case 1:		/* only part of the genl header */
		nlh->nlmsg_len = NLMSG_HDRLEN + rn(4);
		boff += NLMSG_ALIGN(nlh->nlmsg_len);
		break;
	case 2:		/* longer than the datagram */
		nlh->nlmsg_len = real + 4 + rn(100000);
		boff += NLMSG_ALIGN(real);
		break;
	default:	/* below a netlink header */
		nlh->nlmsg_len = rn(NLMSG_HDRLEN);
		boff += NLMSG_ALIGN(real);
		break;
	}
	st.messages++;
	bflush();
}

/* A random attribute tree, nested up to depth levels. */
static void put_rnd_tree(struct nlmsghdr *nlh, int depth, int n)
{
	char data[40];
	struct nlattr *nest;
	int i;
	uint16_t type;

	for (i = 0; i < n; i++) {
		type = (uint16_t)rn(KSQL_A_MAX + 4);
		if (depth > 0 && rn(4) == 0) {
			nest = mnl_attr_nest_start(nlh, type);
			put_rnd_tree(nlh, depth - 1, 1 + (int)rn(5));
			mnl_attr_nest_end(nlh, nest);
			if (rn(4) == 0)
				nest->nla_type &= (uint16_t)~NLA_F_NESTED;
			continue;
		}
		switch (rn(4)) {
		case 0:
			mnl_attr_put_u32(nlh, type, (uint32_t)rnd());
			break;
		case 1:
			mnl_attr_put_u64(nlh, type, rn(2) ? some_id() : rnd());
			break;
		case 2:
			mnl_attr_put_strz(nlh, type, rn(2) ? "adv_storm_0" : "x");
			break;
		default:
			rnd_bytes(data, sizeof(data));
			mnl_attr_put(nlh, type, rn(sizeof(data)), data);
			break;
		}
	}
}

static void gen_rnd_tree(void)
{
	static const uint8_t cmds[] = { KSQL_CMD_RESULT, KSQL_CMD_LOG_ACK };
	struct nlmsghdr *nlh = bstart(cmds[rn(2)]);

	if (rn(2)) {
		/* a plausible start, then noise */
		mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, some_id());
		mnl_attr_put_u32(nlh, KSQL_A_CHUNK, rn(3));
	}
	put_rnd_tree(nlh, 3, 1 + (int)rn(8));
	bend(nlh);
}

/* LOG_ACKs: valid, never sent, far ahead, backwards, unknown producers. */
static void gen_log_ack(void)
{
	struct nlmsghdr *nlh = bstart(KSQL_CMD_LOG_ACK);
	struct producer *p = st.nprod ? &st.prod[rn(st.nprod)] : NULL;
	const char *table = p ? p->table : "adv_storm_0";
	uint64_t epoch = p ? p->epoch : rnd(), last = p ? p->last : 0, s;
	char name[KSQL_TABLE_NAME_MAX + 20];

	switch (rn(9)) {
	case 0:
	case 1:
		s = last;				/* valid, frees rows */
		break;
	case 2:
		s = last + 1 + rn(100);			/* never sent */
		break;
	case 3:
		s = UINT64_MAX - rn(2);			/* far in the future */
		break;
	case 4:
		s = last > 1 ? rn((uint32_t)(last > UINT32_MAX ? UINT32_MAX : last)) : 0;	/* backwards */
		break;
	case 5:
		s = 0;
		break;
	case 6:
		epoch = rnd();				/* unknown epoch */
		s = last;
		break;
	case 7:						/* name too long, or no NUL */
		memset(name, 'z', sizeof(name));
		mnl_attr_put(nlh, KSQL_A_TABLE, rn(2) ? sizeof(name) : 5, name);
		mnl_attr_put_u64(nlh, KSQL_A_EPOCH, epoch);
		mnl_attr_put_u64(nlh, KSQL_A_SEQ, last);
		bend(nlh);
		return;
	default:
		table = "no_such_table";
		s = last;
		break;
	}
	mnl_attr_put_strz(nlh, KSQL_A_TABLE, table);
	if (rn(16))
		mnl_attr_put_u64(nlh, KSQL_A_EPOCH, epoch);
	if (rn(16))
		mnl_attr_put_u64(nlh, KSQL_A_SEQ, s);
	bend(nlh);
}

/* Any command number, random attributes, now and then odd netlink flags. */
static void gen_rnd_cmd(void)
{
	uint8_t cmd = rn(4) ? (uint8_t)rn(KSQL_CMD_MAX + 3) : (uint8_t)rnd();
	struct nlmsghdr *nlh;

	/* HELLO and BYE have their own, rarer, generator */
	if (cmd == KSQL_CMD_HELLO || cmd == KSQL_CMD_BYE)
		cmd = KSQL_CMD_STATS;
	nlh = bstart(cmd);
	if (rn(8) == 0)
		nlh->nlmsg_flags |= NLM_F_DUMP;
	if (rn(8) == 0)
		((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->version = (uint8_t)rnd();
	if (rn(3))
		put_rnd_tree(nlh, 2, (int)rn(6));
	bend(nlh);
}

static void note_hello(struct nlmsghdr *nlh)
{
	static unsigned int next;

	nlh->nlmsg_flags |= NLM_F_ACK;
	st.hello_seq[next++ % (sizeof(st.hello_seq) / sizeof(st.hello_seq[0]))] = nlh->nlmsg_seq;
}

/* Re-registration: BYE then HELLO, a repeated HELLO, a wrong version. */
static void gen_rehello(void)
{
	struct nlmsghdr *nlh;

	switch (rn(3)) {
	case 0:
		nlh = bstart(KSQL_CMD_BYE);
		bend(nlh);
		/* fall through */
	case 1:
		nlh = bstart(KSQL_CMD_HELLO);
		mnl_attr_put_u32(nlh, KSQL_A_VERSION, KSQL_GENL_VERSION);
		note_hello(nlh);
		bend(nlh);
		break;
	default:
		nlh = bstart(KSQL_CMD_HELLO);
		mnl_attr_put_u32(nlh, KSQL_A_VERSION, KSQL_GENL_VERSION + 1 + rn(100));
		bend(nlh);
		break;
	}
}

static void gen_one(void)
{
	struct nlmsghdr *nlh;
	uint32_t r = rn(1000);
	uint64_t id = some_id();

	if (r < 100) {				/* a valid answer */
		nlh = bstart(KSQL_CMD_RESULT);
		put_valid_final(nlh, id);
		bend(nlh);
		st.answered_ok++;
	} else if (r < 150) {
		gen_chunks(id, false);
	} else if (r < 230) {
		gen_chunks(id, true);
	} else if (r < 280) {			/* duplicate finals */
		for (int i = 0; i < 2; i++) {
			nlh = bstart(KSQL_CMD_RESULT);
			put_valid_final(nlh, id);
			bend(nlh);
		}
	} else if (r < 380) {
		gen_wrong_types(id);
	} else if (r < 460) {
		gen_absurd(id);
	} else if (r < 540) {
		gen_lying_attr(id);
	} else if (r < 570) {
		gen_lying_msg(id);
	} else if (r < 680) {
		gen_rnd_tree();
	} else if (r < 850) {
		gen_log_ack();
	} else if (r < 998) {
		gen_rnd_cmd();
	} else {
		gen_rehello();
	}
}

static int hello_now(void)
{
	char mbuf[256];
	struct nlmsghdr *nlh = msg_start(mbuf, family, KSQL_CMD_HELLO, NLM_F_ACK);
	const struct nlmsghdr *r;
	ssize_t len;
	int n;

	mnl_attr_put_u32(nlh, KSQL_A_VERSION, KSQL_GENL_VERSION);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("send HELLO");
	for (;;) {
		len = mnl_socket_recvfrom(nl, rbuf, sizeof(rbuf));
		if (len < 0)
			die("receive the ack of HELLO");
		n = (int)len;
		for (r = (void *)rbuf; mnl_nlmsg_ok(r, n); r = mnl_nlmsg_next(r, &n)) {
			if (r->nlmsg_type == NLMSG_ERROR && r->nlmsg_seq == nlh->nlmsg_seq)
				return ((const struct nlmsgerr *)mnl_nlmsg_get_payload(r))->error;
			on_kernel_message(r);
		}
	}
}

static volatile sig_atomic_t quit;

static void on_term(int sig)
{
	quit = 1;
}

static int run_daemon(uint64_t seed, uint64_t messages, unsigned int batch_size,
		      uint64_t quiet_ms)
{
	struct sigaction sa = { .sa_handler = on_term };
	int fd, size = 4 << 20, err, i;
	uint64_t waited;
	unsigned int k;

	printf("seed %" PRIu64 "\n", seed);
	fflush(stdout);
	rng_state = seed;
	fd = mnl_socket_get_fd(nl);
	/* room for the kernel's requests and our thousands of error acks */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	err = hello_now();
	if (err) {
		fprintf(stderr, PROG ": the kernel refused HELLO: %s\n", strerror(-err));
		return 1;
	}
	printf("registered\n");
	fflush(stdout);
	while (st.messages < messages) {
		drain(POLL_MS);
		for (k = 0; k < batch_size && st.messages < messages; k++) {
			gen_one();
			if (boff >= BATCH_FLUSH)
				bflush();
		}
		bflush();
	}
	/* the last error acks */
	drain(200);
	printf("messages %" PRIu64 "\nbatches %" PRIu64 "\nrequests %" PRIu64 "\n"
	       "cancels %" PRIu64 "\nlogs %" PRIu64 "\nanswered_ok %" PRIu64 "\n"
	       "hello_refused %" PRIu64 "\noverruns %" PRIu64 "\n",
	       st.messages, st.batches, st.requests, st.cancels, st.logs,
	       st.answered_ok, st.hello_refused, st.overruns);
	for (i = 0; i < NERRNO; i++)
		if (st.err[i])
			printf("errno %d count %" PRIu64 "\n", i, st.err[i]);
	if (!quiet_ms) {
		fflush(stdout);
		return 0;
	}
	/*
	 * Registered but silent: the kernel's callers must now return on
	 * their own timeouts, not because our socket closed.
	 */
	sigaction(SIGTERM, &sa, NULL);
	printf("quiet\n");
	fflush(stdout);
	for (waited = 0; !quit && waited < quiet_ms; waited += 100)
		drain(100);
	printf("quiet_requests %" PRIu64 "\n", st.requests);
	fflush(stdout);
	return 0;
}

/* ---- the forbidden senders ---------------------------------------------- */

static const char *cmd_name(unsigned int cmd)
{
	static const char *const names[] = {
		"UNSPEC", "HELLO", "BYE", "QUERY", "RESULT", "CANCEL", "STATS",
		"TABLE_OPEN", "LOG", "LOG_ACK", "PING",
	};
	static char other[16];

	if (cmd < sizeof(names) / sizeof(names[0]))
		return names[cmd];
	snprintf(other, sizeof(other), "cmd%u", cmd);
	return other;
}

/* Send one message with NLM_F_ACK and return the errno of its ack. */
static int ask(struct nlmsghdr *nlh)
{
	int fd = mnl_socket_get_fd(nl);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	const struct nlmsghdr *r;
	ssize_t len;
	int n;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("send");
	for (;;) {
		if (poll(&p, 1, ACK_WAIT_MS) <= 0) {
			fprintf(stderr, PROG ": no ack from the kernel within %d ms\n", ACK_WAIT_MS);
			exit(1);
		}
		len = recv(fd, rbuf, sizeof(rbuf), 0);
		if (len < 0)
			die("receive an ack");
		n = (int)len;
		for (r = (void *)rbuf; mnl_nlmsg_ok(r, n); r = mnl_nlmsg_next(r, &n))
			if (r->nlmsg_type == NLMSG_ERROR && r->nlmsg_seq == nlh->nlmsg_seq)
				return -((const struct nlmsgerr *)mnl_nlmsg_get_payload(r))->error;
	}
}

/* A well-formed message of cmd as the daemon or ksqlctl would send it. */
static void put_plain(struct nlmsghdr *nlh, unsigned int cmd, uint64_t id)
{
	switch (cmd) {
	case KSQL_CMD_HELLO:
		mnl_attr_put_u32(nlh, KSQL_A_VERSION, KSQL_GENL_VERSION);
		break;
	case KSQL_CMD_RESULT:
		put_valid_final(nlh, id);
		break;
	case KSQL_CMD_LOG_ACK:
		mnl_attr_put_strz(nlh, KSQL_A_TABLE, "adv_storm_0");
		mnl_attr_put_u64(nlh, KSQL_A_EPOCH, id);
		mnl_attr_put_u64(nlh, KSQL_A_SEQ, 1);
		break;
	case KSQL_CMD_QUERY:
	case KSQL_CMD_PING:
	case KSQL_CMD_TABLE_OPEN:
		mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, id);
		mnl_attr_put_strz(nlh, KSQL_A_SQL, "SELECT 1");
		break;
	case KSQL_CMD_CANCEL:
		mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, id);
		break;
	}
}

/*
 * The errno each attempt must get. root: HELLO -EBUSY (a daemon is
 * registered), the other daemon-only commands -EPERM (not its port);
 * unprivileged: -EPERM for every daemon-only command (GENL_ADMIN_PERM).
 * Commands the kernel does not take: -EOPNOTSUPP. A plain STATS: 0.
 * Garbage forms of the daemon-only commands may be refused by the
 * attribute policy first (-EINVAL) as root, or reach the handler (-EPERM,
 * a HELLO: -EBUSY or -EPROTO for a wrong version).
 */
static bool expected(bool root, unsigned int cmd, bool garbage, int err, char *want, size_t wl)
{
	switch (cmd) {
	case KSQL_CMD_STATS:
		snprintf(want, wl, garbage ? "EINVAL" : "0");
		return garbage ? err == EINVAL : err == 0;
	case KSQL_CMD_HELLO:
	case KSQL_CMD_BYE:
	case KSQL_CMD_RESULT:
	case KSQL_CMD_LOG_ACK:
		if (!root) {
			snprintf(want, wl, "EPERM");
			return err == EPERM;
		}
		if (garbage) {
			snprintf(want, wl, "EPERM, EBUSY, EPROTO or EINVAL");
			return err == EPERM || err == EBUSY || err == EPROTO || err == EINVAL;
		}
		snprintf(want, wl, cmd == KSQL_CMD_HELLO ? "EBUSY" : "EPERM");
		return err == (cmd == KSQL_CMD_HELLO ? EBUSY : EPERM);
	default:
		snprintf(want, wl, "EOPNOTSUPP");
		return err == EOPNOTSUPP;
	}
}

static int try_all(const char *who, bool root, uint64_t min_id, uint64_t max_id)
{
	static const unsigned int extra[] = { KSQL_CMD_MAX + 1, KSQL_CMD_MAX + 2, 200, 255 };
	char mbuf[4096], want[64];
	unsigned int cmds[KSQL_CMD_MAX + 1 + 4], ncmds = 0, c, i;
	struct nlmsghdr *nlh;
	int bad = 0, err, garbage;
	uint64_t id;

	for (c = 0; c <= KSQL_CMD_MAX; c++)
		cmds[ncmds++] = c;
	for (i = 0; i < 4; i++)
		cmds[ncmds++] = extra[i];
	for (i = 0; i < ncmds; i++) {
		for (garbage = 0; garbage < 2; garbage++) {
			/* RESULT: one for every id the kernel may be waiting on */
			bool range = !garbage && cmds[i] == KSQL_CMD_RESULT;
			uint64_t last = range ? max_id : 1;

			for (id = range ? min_id : 1; id <= last; id++) {
				nlh = msg_start(mbuf, family, (uint8_t)cmds[i], NLM_F_ACK);
				if (garbage)
					put_rnd_tree(nlh, 2, 1 + (int)rn(6));
				else
					put_plain(nlh, cmds[i], id);
				err = ask(nlh);
				if (!expected(root, cmds[i], garbage, err, want, sizeof(want))) {
					printf("%s %s %s id %" PRIu64 ": errno %d (WRONG: expected %s)\n",
					       who, cmd_name(cmds[i]), garbage ? "garbage" : "plain",
					       id, err, want);
					bad++;
				} else if (id == last) {
					printf("%s %s %s: errno %d (ok)\n", who, cmd_name(cmds[i]),
					       garbage ? "garbage" : "plain", err);
				}
			}
		}
	}
	fflush(stdout);
	return bad;
}

static int run_senders(uid_t uid, uint64_t min_id, uint64_t max_id, uint64_t seed)
{
	int bad;

	rng_state = seed;
	if (geteuid() != 0) {
		fprintf(stderr, PROG ": senders must start as root\n");
		return 2;
	}
	bad = try_all("root", true, min_id, max_id);
	mnl_socket_close(nl);

	/* nothing is open now: drop every privilege, then open a new socket */
	if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
	    setresuid(uid, uid, uid) < 0)
		die("cannot drop privileges");
	if (geteuid() != uid || getuid() != uid)
		die("privileges not dropped");
	open_socket();
	if (resolve_family()) {
		fprintf(stderr, PROG ": family not found as uid %u\n", (unsigned int)uid);
		return 1;
	}
	bad += try_all("unprivileged", false, min_id, max_id);
	printf("senders: %d unexpected answers\n", bad);
	return bad ? 1 : 0;
}

/* ---- main ---------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " daemon [-s SEED] [-n MESSAGES] [-b BATCH] [-q QUIET_MS]\n"
		"       " PROG " senders [-u UID] [-f MIN_ID] [-i MAX_ID] [-s SEED]\n"
		"\n"
		"daemon   register as the ksql daemon and answer the kernel with\n"
		"         MESSAGES (default %d) malformed and random messages, BATCH\n"
		"         (default %d) per sendto(); SEED (default: $KSQL_ADV_SEED, else\n"
		"         random) is printed first and replays the same choices; then,\n"
		"         with QUIET_MS, print \"quiet\" and stay registered without a\n"
		"         word for QUIET_MS or until SIGTERM\n"
		"senders  as root (not the daemon), then as UID (default 65534), try\n"
		"         every command (RESULTs for ids MIN_ID..MAX_ID, default 1..64);\n"
		"         every attempt but a plain STATS must be refused\n",
		DEF_MESSAGES, DEF_BATCH);
}

int main(int argc, char **argv)
{
	uint64_t seed, messages = DEF_MESSAGES, batch_size = DEF_BATCH, uid = 65534;
	uint64_t min_id = 1, max_id = 64, quiet_ms = 0;
	const char *env = getenv("KSQL_ADV_SEED");
	struct timespec ts;
	int i, ret;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)getpid() << 40;
	if (env && *env && parse_u64(env, &seed))
		return 2;
	for (i = 2; i + 1 < argc; i += 2) {
		uint64_t *v = !strcmp(argv[i], "-s") ? &seed :
			      !strcmp(argv[i], "-n") ? &messages :
			      !strcmp(argv[i], "-b") ? &batch_size :
			      !strcmp(argv[i], "-u") ? &uid :
			      !strcmp(argv[i], "-f") ? &min_id :
			      !strcmp(argv[i], "-q") ? &quiet_ms :
			      !strcmp(argv[i], "-i") ? &max_id : NULL;

		if (!v) {
			usage(stderr);
			return 2;
		}
		if (parse_u64(argv[i + 1], v))
			return 2;
	}
	if (i != argc || !batch_size || batch_size > 4096 || uid == 0 || uid > 0xfffffffe ||
	    !min_id || min_id > max_id || max_id - min_id > 100000) {
		usage(stderr);
		return 2;
	}
	seq = (uint32_t)ts.tv_sec;
	open_socket();
	if (resolve_family()) {
		fprintf(stderr, PROG ": generic netlink family \"%s\" not found (is ksql.ko loaded?)\n",
			KSQL_GENL_NAME);
		return 1;
	}
	if (!strcmp(argv[1], "daemon"))
		ret = run_daemon(seed, messages, (unsigned int)batch_size, quiet_ms);
	else if (!strcmp(argv[1], "senders"))
		ret = run_senders((uid_t)uid, min_id, max_id, seed);
	else {
		usage(stderr);
		ret = 2;
	}
	mnl_socket_close(nl);
	return ret;
}
