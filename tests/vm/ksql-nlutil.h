/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ksql-nlutil.h - the generic-netlink plumbing the VM test programs
 * (ksql-nltool, ksql-adversary) share: one libmnl socket to ksql.ko, the
 * "ksql" family looked up through nlctrl, the message header, u64
 * attributes, the TABLE, EPOCH and sequences of a LOG, and the way they
 * parse numbers and give up. Not a library: what a program needs to speak
 * to the kernel its own, deliberately raw, way.
 */
#ifndef KSQL_VM_NLUTIL_H
#define KSQL_VM_NLUTIL_H

#include <stdbool.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

/* Defined by each program: its name, the prefix of its messages. */
extern const char prog_name[];

/* The socket (open_socket()), the "ksql" family id (resolve_family()),
 * and the sequence number of the last message msg_start() began. */
extern struct mnl_socket *nl;
extern uint16_t family;
extern uint32_t seq;

/* "PROG: WHAT: strerror(errno)" on stderr, then exit(1). */
void die(const char *what) __attribute__((noreturn));

/*
 * *v from s (decimal, 0x hex or 0 octal; no sign, nothing after it);
 * 0, or -1 after "PROG: 's' is not a number" on stderr.
 */
int parse_u64(const char *s, uint64_t *v);

/* Opens and binds nl (NETLINK_GENERIC, error acks without our message);
 * dies on failure. */
void open_socket(void);

/*
 * Starts a ksql generic-netlink message of type and cmd in mbuf: flags
 * NLM_F_REQUEST | flags, the next seq, KSQL_GENL_VERSION.
 */
struct nlmsghdr *msg_start(char *mbuf, uint16_t type, uint8_t cmd, uint16_t flags);

/*
 * Sets family to the "ksql" family id through nlctrl (asked without
 * NLM_F_ACK: no ack is left behind on nl). 0, the kernel's negative errno,
 * or -ENOENT when the answer had no id; dies when nl fails.
 */
int resolve_family(void);

/* The u64 attribute type of nlh (genl header skipped), or 0; *found (may
 * be NULL) says whether it was there. */
uint64_t msg_u64(const struct nlmsghdr *nlh, unsigned int type, bool *found);

/* The u64 attribute type nested in a, or 0. */
uint64_t nested_u64(const struct nlattr *a, unsigned int type);

/*
 * The TABLE and EPOCH of a LOG: *table NULL without a valid TABLE (a NUL
 * terminated name of at most KSQL_TABLE_NAME_MAX bytes), *epoch 0 without
 * a valid EPOCH; returns whether there was one.
 */
bool log_head(const struct nlmsghdr *nlh, const char **table, uint64_t *epoch);

/* What one attribute of a LOG is (log_item()). */
enum log_item {
	LOG_OTHER,
	LOG_ROW,	/* *first = *last = its SEQ */
	LOG_GAP,	/* *first, *last: its FIRST and LAST */
};

/* The kind of a, with its sequences (0 when missing) for a ROW or GAP. */
enum log_item log_item(const struct nlattr *a, uint64_t *first, uint64_t *last);

#endif
