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
#include <linux/sizes.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "ksql_genl.h"
#include "ksql.h"

struct genl_info;
struct sk_buff;
struct sock;

/* module parameters (main.c) */
extern unsigned int ksql_default_timeout_ms;
extern unsigned int ksql_max_result_bytes;
extern unsigned int ksql_result_budget_bytes;
extern unsigned int ksql_max_query_bytes;
extern unsigned int ksql_max_in_flight;
extern unsigned int ksql_txn_idle_ms;

/* bounds of the parameters above (main.c refuses values outside) */
#define KSQL_MAX_IN_FLIGHT_MAX	4096
#define KSQL_RESULT_BYTES_MIN	SZ_4K
#define KSQL_RESULT_BYTES_MAX	SZ_1G

/* stats.c */
void ksql_stat_inc(enum ksql_stat s);
void ksql_stat_dec(enum ksql_stat s);
u64 ksql_stat_read(enum ksql_stat s);
void ksql_stat_max(enum ksql_stat s, u64 v);
u64 ksql_stat_add(enum ksql_stat s, s64 v);

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
	size_t charged;			/* of those, in result_budget_bytes */
	u64 changes;
	s64 last_rowid;
	int errcode;			/* SQLite extended result code */
	char *errmsg;			/* NULL when none */
};

int ksql_result_cache_init(void);
void ksql_result_cache_exit(void);
struct ksql_result *ksql_result_alloc(gfp_t gfp);

/* query.c: what one QUERY message carries */

/**
 * struct ksql_query - the contents of one QUERY, before it is built
 * @sql: SQL text, @sql_len bytes; NULL on the transaction verbs
 * @sql_len: length of @sql without a NUL
 * @args: bound parameters
 * @nargs: number of @args
 * @flags: KSQL_F_TXN_* or 0
 * @txn_id: transaction id, 0 when none
 * @idle_ms: KSQL_A_TXN_IDLE_MS, with %KSQL_F_TXN_BEGIN only
 * @order_key: KSQL_A_ORDER_KEY, never 0
 * @timeout_ms: KSQL_A_TIMEOUT_MS
 * @deadline_ns: KSQL_A_DEADLINE_NS, ktime_get_ns() based
 * @payload: attribute bytes, computed by ksql_query_check()
 * @table: when set, this is a TABLE_OPEN of this table (table.c), not a
 *         QUERY: only REQ_ID, TIMEOUT_MS, DEADLINE_NS, TABLE and COLUMNS
 * @columns: its canonical column list
 * @ping: this is a PING (ping.c), not a QUERY: only REQ_ID, TIMEOUT_MS and
 *        DEADLINE_NS
 */
struct ksql_query {
	const char *sql;
	size_t sql_len;
	const struct ksql_value *args;
	unsigned int nargs;
	u32 flags;
	u64 txn_id;
	u32 idle_ms;
	u64 order_key;
	u32 timeout_ms;
	u64 deadline_ns;
	size_t payload;
	const char *table;
	const char *columns;
	bool ping;
};

int ksql_query_check(struct ksql_query *q, const char *sql,
		     const struct ksql_value *args, unsigned int nargs);
void ksql_query_set_timeout(struct ksql_query *q, long timeout_jiffies);
u64 ksql_order_key_ctx(const void *ctx);
u64 ksql_order_key_current(void);
int ksql_order_init(void);

/* request.c */

enum {
	KSQL_REQ_DONE,		/* bit: the request has been completed */
	KSQL_REQ_SENT,		/* bit: the daemon may have received it */
};

/* A request's in-flight slot (request.c, under the request lock). */
enum ksql_slot {
	KSQL_SLOT_NONE,		/* none: not admitted yet, or finished */
	KSQL_SLOT_WAITING,	/* queued for a slot, FIFO */
	KSQL_SLOT_HELD,		/* holds one of max_in_flight slots */
	KSQL_SLOT_TXN,		/* a transaction's statement: needs no slot */
};

/**
 * struct ksql_req - one request, from admission to completion
 * @node: entry in the pending table, while admitted and not done
 * @wait: entry in the FIFO of slot waiters (%KSQL_SLOT_WAITING)
 * @send: entry in the async send list
 * @id: request id, never reused
 * @ref: references: the owner's (caller or async callback), the send
 *       list's, one per RESULT handler using it
 * @flags: %KSQL_REQ_DONE (exactly one completer sets it), %KSQL_REQ_SENT
 * @slot: &enum ksql_slot, under the request lock
 * @done: completed by the winner of %KSQL_REQ_DONE (sync requests)
 * @granted: completed when a sync request leaves the slot queue
 * @err: outcome, written by the winner before @done completes
 * @out: result handed to the caller by the reply path
 * @lock: serializes chunk reassembly
 * @res: result being reassembled (under @lock)
 * @next_chunk: expected KSQL_A_CHUNK (under @lock)
 * @portid: daemon port the query goes to (for messages; it is sent to
 *          the socket of generation @gen, see ksql_nl_unicast())
 * @gen: daemon generation it was admitted on; only that daemon may answer
 * @txn_id: transaction, 0 when none (for the CANCEL)
 * @skb: the built QUERY; only clones are sent (a send consumes its skb)
 * @start_ns: ktime_get_ns() at submission, for the tracepoint
 * @deadline_ns: when the caller gives up
 * @attempt: sends that failed with -EAGAIN so far
 * @async_done: async callback, NULL for sync requests
 * @ctx: its argument
 * @cb_work: runs @async_done (ksql_wq)
 * @timeout_work: fails an async request at its deadline (ksql_wq)
 * @owner: module of @async_done, pinned until it has returned (may be NULL)
 * @live: entry in the list of async requests whose @async_done has not
 *        returned yet (async.c, for ksql_async_drain())
 * @txn_stmt: a statement or COMMIT/ROLLBACK of an open transaction: it
 *            takes no in-flight slot (see ksql_req_admit())
 */
struct ksql_req {
	struct hlist_node node;
	struct list_head wait;
	struct list_head send;
	u64 id;
	struct kref ref;
	unsigned long flags;
	enum ksql_slot slot;
	struct completion done;
	struct completion granted;
	int err;
	struct ksql_result *out;
	struct mutex lock;		/* serializes chunk reassembly */
	struct ksql_result *res;
	u32 next_chunk;
	u32 portid;
	u64 gen;
	u64 txn_id;
	struct sk_buff *skb;
	u64 start_ns;
	u64 deadline_ns;
	unsigned int attempt;
	void (*async_done)(struct ksql_result *res, int err, void *ctx);
	void *ctx;
	struct work_struct cb_work;
	struct delayed_work timeout_work;
	struct module *owner;
	struct list_head live;
	bool txn_stmt;
};

int ksql_req_cache_init(void);
void ksql_req_cache_exit(void);
u64 ksql_next_id(void);
struct ksql_req *ksql_req_alloc(gfp_t gfp);
void ksql_req_put(struct ksql_req *req);
int ksql_req_admit(struct ksql_req *req, u64 gen);
struct ksql_req *ksql_req_lookup(u64 id, const struct sock *sk);
bool ksql_req_complete(struct ksql_req *req, int err, struct ksql_result *out);
bool ksql_req_slot_waiting(struct ksql_req *req);
long ksql_req_wait_slot(struct ksql_req *req, long timeout);
void ksql_slots_changed(void);
bool ksql_daemon_alive(u64 gen);

/* daemon registration (request.c: shares the pending-table lock) */

/* why the daemon went away (tracepoint ksql_daemon_disconnect) */
enum ksql_disc_reason {
	KSQL_DISC_BYE,		/* it sent BYE */
	KSQL_DISC_RELEASE,	/* its socket was released (exit, crash) */
	KSQL_DISC_UNLOAD,	/* the module is unloaded */
};

int ksql_daemon_register(struct sock *sk, u32 portid);
int ksql_daemon_unregister(u32 portid, const struct sock *sk,
			   enum ksql_disc_reason reason);
bool ksql_daemon_is(const struct sock *sk);
struct sock *ksql_daemon_sock_get(u64 gen);
bool ksql_daemon_current(u32 *portid, u64 *gen);
pid_t ksql_daemon_pid(void);
void ksql_daemon_exit(void);

/* result reassembly (result.c) */
int ksql_result_add_chunk(struct ksql_req *req, struct genl_info *info);

/* exec.c: the synchronous path, shared with transactions */
int ksql_exec_query(struct ksql_query *q, u64 gen, struct ksql_result **out,
		    long timeout, u64 *gen_out);
int ksql_req_send(struct ksql_req *req);
unsigned long ksql_backoff_jiffies(unsigned int attempt);

/* async.c */
int ksql_async_init(void);
void ksql_async_exit(void);
void ksql_async_completed(struct ksql_req *req);
void ksql_async_kick(void);
int ksql_context_ok(bool allocates);

/* why a CANCEL is sent (tracepoint ksql_cancel) */
enum ksql_cancel_reason {
	KSQL_CANCEL_TIMEOUT,	/* the caller's timeout expired */
	KSQL_CANCEL_SIGNAL,	/* the caller got a fatal signal */
	KSQL_CANCEL_ERROR,	/* the reply was malformed or too big */
	KSQL_CANCEL_DRAIN,	/* its submitter drained it (ksql_async_drain()) */
};

/* transaction verbs (tracepoint ksql_txn) */
enum ksql_txn_op {
	KSQL_TXN_OP_BEGIN,
	KSQL_TXN_OP_COMMIT,
	KSQL_TXN_OP_ROLLBACK,
	KSQL_TXN_OP_ABORT,	/* broken by a timeout, signal or the daemon */
};

/* netlink.c */
int ksql_netlink_init(void);
void ksql_netlink_exit(void);
struct sk_buff *ksql_nl_build_query(const struct ksql_query *q, u64 id,
				    gfp_t gfp);
void *ksql_nl_put_hdr(struct sk_buff *skb, u8 cmd);
int ksql_nl_unicast(struct sk_buff *skb, u64 gen);
int ksql_nl_send_clone(struct sk_buff *skb, u64 gen, gfp_t gfp);
void ksql_nl_send_cancel(struct ksql_req *req,
			 enum ksql_cancel_reason reason);
void ksql_reject(struct genl_info *info);

#endif /* _KSQL_INTERNAL_H */
