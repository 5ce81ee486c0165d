/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksql_internal.h - shared declarations inside ksql.ko.
 */
#ifndef _KSQL_INTERNAL_H
#define _KSQL_INTERNAL_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "ksql_genl.h"
#include "ksql.h"

struct genl_info;

/* module parameters (main.c) */
extern unsigned int ksql_default_timeout_ms;
extern unsigned int ksql_max_result_bytes;
extern unsigned int ksql_max_query_bytes;

/* stats.c */
void ksql_stat_inc(enum ksql_stat s);
void ksql_stat_dec(enum ksql_stat s);
u64 ksql_stat_read(enum ksql_stat s);

/* result.c */

/* A block of copied column names, TEXT and BLOB bytes; never moves. */
struct ksql_rblock {
	struct ksql_rblock *next;
	size_t size;
	char data[];
};

struct ksql_result {
	unsigned int ncols;
	unsigned int nrows;
	const char **colnames;		/* ncols entries, into a block */
	struct ksql_value *vals;	/* nrows * ncols, row-major */
	size_t nvals;
	size_t cap_vals;
	struct ksql_rblock *blocks;
	size_t bytes;			/* accounted against max_result_bytes */
	u64 changes;
	s64 last_rowid;
	int errcode;			/* SQLite extended result code */
	char *errmsg;			/* NULL when none */
};

int ksql_result_cache_init(void);
void ksql_result_cache_exit(void);
struct ksql_result *ksql_result_alloc(gfp_t gfp);

/* request.c */

enum {
	KSQL_REQ_DONE,		/* bit: the request has been completed */
};

/**
 * struct ksql_req - one pending request
 * @node: entry in the pending table, while not done
 * @id: request id, never reused
 * @ref: references: the caller's, and one per RESULT handler using it
 * @flags: %KSQL_REQ_DONE; exactly one completer sets it
 * @done: completed by the winner of %KSQL_REQ_DONE
 * @err: outcome, written by the winner before @done completes
 * @out: result handed to the caller by the reply path
 * @lock: serializes chunk reassembly
 * @res: result being reassembled (under @lock)
 * @next_chunk: expected KSQL_A_CHUNK (under @lock)
 * @portid: daemon port the query was sent to
 */
struct ksql_req {
	struct hlist_node node;
	u64 id;
	struct kref ref;
	unsigned long flags;
	struct completion done;
	int err;
	struct ksql_result *out;
	struct mutex lock;		/* serializes chunk reassembly */
	struct ksql_result *res;
	u32 next_chunk;
	u32 portid;
};

int ksql_req_cache_init(void);
void ksql_req_cache_exit(void);
struct ksql_req *ksql_req_alloc(gfp_t gfp);
void ksql_req_put(struct ksql_req *req);
int ksql_req_insert(struct ksql_req *req);
struct ksql_req *ksql_req_lookup(u64 id);
bool ksql_req_complete(struct ksql_req *req, int err, struct ksql_result *out);
void ksql_req_fail_all(int err);

/* daemon registration (request.c: shares the pending-table lock) */

/* why the daemon went away (tracepoint ksql_daemon_disconnect) */
enum ksql_disc_reason {
	KSQL_DISC_BYE,		/* it sent BYE */
	KSQL_DISC_RELEASE,	/* its socket was released (exit, crash) */
	KSQL_DISC_UNLOAD,	/* the module is unloaded */
};

int ksql_daemon_register(u32 portid);
int ksql_daemon_unregister(u32 portid, enum ksql_disc_reason reason);
bool ksql_daemon_is(u32 portid);
pid_t ksql_daemon_pid(void);
void ksql_daemon_exit(void);

/* result reassembly (result.c) */
int ksql_result_add_chunk(struct ksql_req *req, struct genl_info *info);

/* netlink.c */
int ksql_netlink_init(void);
void ksql_netlink_exit(void);
int ksql_nl_send_query(u32 portid, u64 id, const char *sql, size_t sql_len,
		       const struct ksql_value *args, unsigned int nargs,
		       u32 timeout_ms, size_t payload);
void ksql_nl_send_cancel(u32 portid, u64 id);

#endif /* _KSQL_INTERNAL_H */
