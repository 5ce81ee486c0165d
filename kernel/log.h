/* SPDX-License-Identifier: GPL-2.0 */
/*
 * log.h - logged tables: shared between table.c (open, close, registry,
 * STATS), log.c (the ring and ksql_log()) and log_send.c (LOG and LOG_ACK).
 *
 * Each table owns one preallocated ring of wire bytes: every entry is a
 * complete KSQL_A_ROW or KSQL_A_GAP attribute, 8-byte aligned and a multiple
 * of 8 bytes long, so a LOG message is the ring range [send, head) copied
 * after a few header attributes. Offsets are byte offsets into the ring. An
 * entry never wraps: when one does not fit before the end, a zero u32 (the
 * wrap marker, written if there is room for it) sends readers to offset 0,
 * and the skipped bytes count as used until they are freed.
 *
 * Locks: ksql_tables_mutex (table.c) > table->send_mutex > table->lock.
 * table->lock is a raw spinlock taken irqsave: ksql_log() runs in any
 * context, also a hard hrtimer on PREEMPT_RT.
 */
#ifndef _KSQL_LOG_H
#define _KSQL_LOG_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "ksql_genl.h"
#include "ksql.h"

struct genl_info;
struct sk_buff;

/* module parameters (main.c), clamped at use by the helpers below */
extern unsigned int ksql_log_backlog_bytes;
extern unsigned int ksql_log_batch_rows;
extern unsigned int ksql_log_batch_bytes;
extern unsigned int ksql_log_flush_ms;
extern unsigned int ksql_log_resend_ms;
extern unsigned int ksql_log_window_bytes;

#define KSQL_LOG_BACKLOG_MIN	SZ_64K
#define KSQL_LOG_BACKLOG_MAX	SZ_1G
#define KSQL_LOG_BATCH_MIN	4096U
#define KSQL_LOG_BATCH_MAX	(60U * 1024)
#define KSQL_LOG_FLUSH_MS_MAX	60000U
#define KSQL_LOG_RESEND_MS_MIN	100U
#define KSQL_LOG_RESEND_MS_MAX	600000U
#define KSQL_LOG_WINDOW_MIN	SZ_64K
#define KSQL_LOG_WINDOW_MAX	SZ_1G

/* A column accepting any type (ANY); otherwise an enum ksql_type. */
#define KSQL_COL_ANY		0xff

/* Size of a KSQL_A_GAP entry in the ring (see log.c for its layout). */
#define KSQL_LOG_GAP_SIZE	56U
/* Ring bytes beyond the backlog limit that only gap entries may use. */
#define KSQL_LOG_GAP_RESERVE	(16 * KSQL_LOG_GAP_SIZE)

/**
 * struct ksql_table - one logged table, from ksql_table_open() to close
 * @node: entry in ksql_tables (table.c), under ksql_tables_mutex
 * @ready: the daemon accepted the TABLE_OPEN; before that the entry only
 *         reserves the name
 * @name: the table name
 * @columns: canonical column list, "name TYPE, name TYPE"
 * @columns_len: strlen(@columns)
 * @ncols: number of user columns
 * @types: accepted type of each column: enum ksql_type or %KSQL_COL_ANY
 * @epoch: random, non-zero: (@name, @epoch) names this producer
 * @hdr_size: attribute bytes of a LOG message before its entries
 * @lock: protects the ring positions, sequences, gap and counters
 * @ring: the ring, @size bytes (vmalloc)
 * @size: ring size: @limit plus %KSQL_LOG_GAP_RESERVE
 * @limit: backlog limit in bytes for rows (log_backlog_bytes at open)
 * @head: where the next entry goes
 * @send: the next entry to send
 * @tail: the oldest entry not acked
 * @used: bytes from @tail to @head, skipped bytes at a wrap included
 * @rows: rows held (not acked)
 * @unsent_bytes: bytes from @send to @head
 * @unsent_rows: rows from @send to @head
 * @next_seq: the sequence number the next ksql_log() call gets
 * @sent_seq: highest sequence ever sent (LOG_ACK must not pass it)
 * @acked_seq: every sequence up to this one is committed
 * @resend_seq: sequences up to this one were sent before the last reset
 * @gap_first: first sequence of the open gap, 0 when none
 * @gap_last: last sequence of the open gap
 * @gap_time: CLOCK_REALTIME of its first loss
 * @gap_reason: its enum ksql_loss
 * @kicked: the sender was queued because a batch threshold was crossed
 * @logged: rows accepted
 * @sent: rows sent, resends included
 * @acked: rows acked
 * @lost_backlog: rows refused with -ENOBUFS
 * @lost_too_big: rows refused with -E2BIG
 * @resent: rows sent again after a reconnect
 * @batches: LOG messages sent
 * @send_mutex: serializes the sender, acks and resets (process context)
 * @window_full: (send_mutex) the sender stopped at log_window_bytes in
 *               flight; the next LOG_ACK runs it again
 * @gen: daemon generation the sender last sent to (under @send_mutex)
 * @attempt: consecutive failed sends, for the backoff (under @send_mutex)
 * @dwork: the sender, on ksql_log_wq
 * @closing: ksql_table_close() runs: nothing may queue @dwork or @watch
 * @watch: the ack watchdog, on ksql_log_wq: see log_send.c
 * @watch_seq: @acked_seq when @watch was armed (under @send_mutex)
 * @stalls: watchdog expiries in a row without an ack (under @send_mutex)
 * @stalled: times the watchdog sent rows again (under @send_mutex)
 * @flush_wait: flushers wait here for @acked_seq
 */
struct ksql_table {
	struct list_head node;
	bool ready;
	char name[KSQL_TABLE_NAME_MAX + 1];
	char *columns;
	size_t columns_len;
	unsigned int ncols;
	u8 types[KSQL_TABLE_COLS_MAX];
	u64 epoch;
	u32 hdr_size;

	raw_spinlock_t lock;
	u8 *ring;
	u32 size;
	u32 limit;
	u32 head;
	u32 send;
	u32 tail;
	u32 used;
	u64 rows;
	u32 unsent_bytes;
	u32 unsent_rows;
	u64 next_seq;
	u64 sent_seq;
	u64 acked_seq;
	u64 resend_seq;
	u64 gap_first;
	u64 gap_last;
	u64 gap_time;
	u32 gap_reason;
	bool kicked;
	u64 logged;
	u64 sent;
	u64 acked;
	u64 lost_backlog;
	u64 lost_too_big;
	u64 resent;
	u64 batches;

	struct mutex send_mutex;	/* see above */
	u64 gen;
	unsigned int attempt;
	bool window_full;
	struct delayed_work dwork;
	bool closing;
	struct delayed_work watch;
	u64 watch_seq;
	unsigned int stalls;
	u64 stalled;
	wait_queue_head_t flush_wait;
};

/* table.c */
int ksql_log_init(void);
void ksql_log_exit(void);
struct ksql_table *ksql_table_get_locked(const char *name, u64 epoch);
void ksql_tables_lock(void);
void ksql_tables_unlock(void);
unsigned int ksql_tables_count(void);
size_t ksql_table_stats_size(unsigned int ntables);
int ksql_table_stats_put(struct sk_buff *msg);
void ksql_log_daemon_up(void);

/* log.c: the ring */
u32 ksql_log_entry_budget(const struct ksql_table *t);
u32 ksql_log_batch_rows_now(void);
bool ksql_ring_close_gap(struct ksql_table *t);
u32 ksql_ring_skip(const struct ksql_table *t, u32 pos);
u32 ksql_ring_entry(const struct ksql_table *t, u32 pos, u64 *first,
		    u64 *last, bool *row);
u64 ksql_table_acked_seq(struct ksql_table *t);

/* log_send.c */
extern struct workqueue_struct *ksql_log_wq;
void ksql_log_send_fn(struct work_struct *work);
void ksql_log_watch_fn(struct work_struct *work);
void ksql_log_kick(struct ksql_table *t, unsigned long delay);
int ksql_log_ack(struct ksql_table *t, u64 seq);
u32 ksql_log_header_size(const struct ksql_table *t);

#endif /* _KSQL_LOG_H */
