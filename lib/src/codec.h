/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * codec.h - libksql's internal codec: typed values on netlink attributes,
 * QUERY messages, and RESULT chunking and reassembly. Shared by ksqld,
 * ksqlctl and the unit tests through the static ksql-internal library; not
 * part of the stable ABI of libksql.so.
 *
 * Errors are negative errnos: -EMSGSIZE when something does not fit the
 * caller's buffer, -E2BIG when a value or name is over the protocol's limit,
 * -EINVAL for malformed input, -EPROTO for a RESULT sequence that breaks the
 * chunking rules of proto/ksql_genl.h.
 */
#ifndef KSQL_CODEC_H
#define KSQL_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>
#include <ksql/value.h>
#include "ksql_genl.h"

/*
 * The control socket has no generic-netlink family id, so messages there
 * carry this fixed nlmsg_type. Both ends are libksql/ksqld.
 */
#define KSQL_CTL_MSG_TYPE	NLMSG_MIN_TYPE

/* Bytes of nlmsghdr + genlmsghdr that start every ksql message. */
#define KSQL_MSG_HDRLEN		(MNL_NLMSG_HDRLEN + MNL_ALIGN(GENL_HDRLEN))

/* A RESULT chunk stays at or below this unless one row alone is bigger. */
#define KSQL_CHUNK_TARGET	(32 * 1024)

/* ---- messages ---------------------------------------------------------- */

struct ksql_msg_hdr {
	uint16_t type;		/* genl family id, or KSQL_CTL_MSG_TYPE */
	uint16_t flags;		/* NLM_F_* */
	uint32_t seq;
	uint32_t portid;
};

/* Starts a generic-netlink message in buf; NULL if buflen is too small. */
struct nlmsghdr *ksql_msg_start(void *buf, size_t buflen,
				const struct ksql_msg_hdr *h, uint8_t cmd);
/* Checks that buf holds one complete message with a genl header: 0 or -EINVAL. */
int ksql_msg_check(const void *buf, size_t len, const struct nlmsghdr **out);
uint8_t ksql_msg_cmd(const struct nlmsghdr *nlh);
/* The kernel's extended-ack message in an NLMSG_ERROR, or NULL. */
const char *ksql_msg_extack(const struct nlmsghdr *nlh);

/*
 * Calls cb for every attribute after the genl header. Unlike
 * mnl_attr_for_each, a truncated or overlong attribute is an error (-EINVAL)
 * rather than the silent end of the list. A negative cb result stops the walk
 * and is returned.
 */
int ksql_attr_walk(const struct nlmsghdr *nlh,
		   int (*cb)(const struct nlattr *a, void *ctx), void *ctx);
/* The same for the attributes nested in nest. */
int ksql_attr_walk_nested(const struct nlattr *nest,
			  int (*cb)(const struct nlattr *a, void *ctx), void *ctx);

/* Attribute payload helpers that check the exact length first: 0 or -EINVAL. */
int ksql_attr_u32(const struct nlattr *a, uint32_t *v);
int ksql_attr_u64(const struct nlattr *a, uint64_t *v);
/* A NUL-terminated string attribute of at most max bytes before the NUL. */
int ksql_attr_str(const struct nlattr *a, size_t max, const char **s);

/* ---- values ------------------------------------------------------------ */

bool ksql_attr_is_value(uint16_t attr_type);
/* Bytes the value occupies as an attribute (header + aligned payload). */
size_t ksql_value_attr_size(const struct ksql_value *v);
/* Appends v: 0, -EINVAL bad type, -E2BIG over KSQL_VALUE_MAX, -EMSGSIZE no room. */
int ksql_value_put(struct nlmsghdr *nlh, size_t buflen, const struct ksql_value *v);
/* Reads a value attribute; text/blob point into the attribute. 0 or -EINVAL. */
int ksql_value_get(const struct nlattr *a, struct ksql_value *v);
/* The payload of @a as a value of @type, whatever @a's attribute type (the
 * KSQL_A_VAL_* and KSQL_R_VAL_* encodings are the same). -EINVAL if bad. */
int ksql_value_decode(const struct nlattr *a, enum ksql_type type, struct ksql_value *v);

/* ---- QUERY ------------------------------------------------------------- */

struct ksql_query {
	uint64_t req_id;
	const char *sql;		/* points into the message; NULL only on
					 * a transaction verb without SQL */
	uint32_t timeout_ms;		/* 0 when absent */
	uint64_t deadline_ns;		/* CLOCK_MONOTONIC; 0 when absent */
	uint64_t order_key;		/* 0 when absent */
	uint64_t txn_id;		/* 0 when absent */
	uint32_t txn_idle_ms;		/* 0 when absent */
	uint32_t flags;			/* KSQL_F_TXN_*; 0 when absent */
	struct ksql_value *params;	/* malloc'd; values point into the message */
	unsigned int nparams;
};

/* Size of the QUERY message for sql and params, or 0 if over the limits. */
size_t ksql_query_size(const char *sql, const struct ksql_value *params,
		       unsigned int nparams);
/* Builds a QUERY (timeout_ms 0 = leave the attribute out). */
int ksql_query_build(void *buf, size_t buflen, const struct ksql_msg_hdr *h,
		     uint64_t req_id, const char *sql, uint32_t timeout_ms,
		     const struct ksql_value *params, unsigned int nparams);
/*
 * Parses a QUERY: REQ_ID is required, and SQL unless KSQL_A_FLAGS carries a
 * transaction verb. Flags outside __KSQL_F_QUERY_ALL, or more than one verb,
 * are -EINVAL. 0, -EINVAL, -E2BIG, -ENOMEM.
 */
int ksql_query_parse(const struct nlmsghdr *nlh, struct ksql_query *q);
void ksql_query_release(struct ksql_query *q);

/* ---- RESULT chunks ----------------------------------------------------- */

struct ksql_result_status {
	uint64_t changes;
	int64_t last_rowid;
	uint32_t err;			/* positive errno, 0 = success */
	int32_t sqlite_code;		/* extended result code, 0 = none */
	const char *errmsg;		/* NULL or "" = none; cut at KSQL_ERRMSG_MAX */
};

struct ksql_chunk_cfg {
	struct ksql_msg_hdr hdr;	/* seq is incremented per chunk */
	uint64_t req_id;
	size_t target;			/* 0 = KSQL_CHUNK_TARGET */
};

/* Called once per finished chunk; a negative return aborts the build. */
typedef int (*ksql_emit_fn)(const struct nlmsghdr *nlh, void *ctx);

/*
 * Emits a result as RESULT chunks: whole rows per chunk, each message at or
 * under cfg->target bytes unless a single row (or chunk 0's column list) is
 * larger on its own, KSQL_F_FINAL and the status on the last one.
 * vals holds nrows * ncols values, row-major.
 */
int ksql_result_emit(const struct ksql_chunk_cfg *cfg,
		     const char *const *colnames, unsigned int ncols,
		     const struct ksql_value *vals, size_t nrows,
		     const struct ksql_result_status *st,
		     ksql_emit_fn emit, void *ctx);

struct ksql_reply;
struct ksql_reasm;

/* A reassembler for the RESULT of req_id. */
int ksql_reasm_new(uint64_t req_id, struct ksql_reasm **out);
/*
 * Feeds one chunk message (copied). Returns 0 when more chunks are needed, 1
 * when the final chunk arrived, or a negative errno; after an error or the
 * final chunk every further feed fails.
 */
int ksql_reasm_feed(struct ksql_reasm *r, const void *buf, size_t len);
/* Hands over the complete reply (NULL before the final chunk). */
struct ksql_reply *ksql_reasm_take(struct ksql_reasm *r);
void ksql_reasm_free(struct ksql_reasm *r);

#endif /* KSQL_CODEC_H */
