// SPDX-License-Identifier: GPL-2.0
/*
 * log_send.c - sending a table's ring to the daemon in LOG messages, and
 * freeing it on LOG_ACK.
 *
 * One delayed work per table, on ksql_log_wq, sends everything unsent in
 * batches of at most log_batch_rows rows and the entry budget in bytes
 * (log.c), without waiting for acks between batches. It runs when a batch
 * threshold is crossed, log_flush_ms after the first unsent entry, on a
 * flush, after an ack while a gap is open, and when a daemon registers.
 *
 * A LOG message is built from the ring: the header attributes, a PAD when
 * needed so the entries start 8-byte aligned, then a copy of a contiguous
 * ring range (a batch ends at a wrap). The ring stays the only copy, so a
 * send refused with -EAGAIN (the daemon's queue is full) or -ENOMEM is
 * simply rebuilt after a backoff of 1, 2, 4 ... 50 ms. With no daemon the
 * sender stops; rows wait in the ring. When a new daemon generation shows
 * up, the send position goes back to the oldest unacked entry and
 * everything held is sent again (counted as resent).
 *
 * A batch the daemon did not commit is never acked: it refused it (a
 * sequence hole after a lost message, a failed COMMIT such as a full disk)
 * and refuses what follows. So an ack watchdog runs while sent rows wait
 * for their ack: when log_resend_ms pass without the acked sequence moving,
 * the send position goes back to the oldest unacked entry and everything
 * held is sent again, as after a reconnect (the daemon skips what it has).
 * Each fruitless try doubles the wait, up to 16 times log_resend_ms, so a
 * daemon that is merely slow (a kernel transaction holding its writer) is
 * not flooded with copies.
 *
 * table->send_mutex keeps the sender and acks apart: entries between the
 * send position and the head are only ever appended to by ksql_log(), and
 * acks, which free entries, wait until a copy is done.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/skbuff.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>

#include "ksql_internal.h"
#include "log.h"
#include "ksql_trace.h"

struct workqueue_struct *ksql_log_wq;

/**
 * ksql_log_kick() - run the sender of @t
 * @t: the table
 * @delay: 0 for now (also hurrying a pending run), else in @delay jiffies
 *         unless a run is pending already
 *
 * Any context.
 */
void ksql_log_kick(struct ksql_table *t, unsigned long delay)
{
	if (!delay)
		mod_delayed_work(ksql_log_wq, &t->dwork, 0);
	else
		queue_delayed_work(ksql_log_wq, &t->dwork, delay);
}

/* Attribute bytes before the entries: TABLE, COLUMNS, EPOCH, PAD. */
u32 ksql_log_header_size(const struct ksql_table *t)
{
	return nla_total_size(strlen(t->name) + 1) +
	       nla_total_size(t->columns_len + 1) +
	       nla_total_size_64bit(sizeof(u64)) + nla_total_size(0);
}

/* A batch: a contiguous ring range, as found by ksql_log_batch_scan(). */
struct ksql_log_batch {
	u32 skip;		/* bytes skipped at a wrap before @pos */
	u32 pos;		/* first entry */
	u32 bytes;		/* entry bytes from @pos */
	u32 rows;
	u32 resent;		/* rows at or below resend_seq */
	u64 first_seq;
	u64 last_seq;
};

/*
 * send_mutex held. Find the next batch after the send position, given
 * @unsent bytes from there (wrap skips included).
 */
static void ksql_log_batch_scan(struct ksql_table *t, u32 send, u32 unsent,
				u64 resend_seq, struct ksql_log_batch *b)
{
	u32 budget = ksql_log_entry_budget(t);
	u32 max_rows = ksql_log_batch_rows_now();
	u64 first, last;
	bool row;
	u32 len;

	memset(b, 0, sizeof(*b));
	if (!unsent)
		return;
	b->pos = ksql_ring_skip(t, send);
	if (b->pos != send) {
		b->skip = t->size - send;
		unsent -= b->skip;
	}
	while (unsent) {
		u32 p = b->pos + b->bytes;

		/* a batch ends at a wrap; the next one starts at 0 */
		if (b->bytes && ksql_ring_skip(t, p) != p)
			break;
		len = ksql_ring_entry(t, p, &first, &last, &row);
		if (b->bytes && (b->bytes + len > budget || b->rows >= max_rows))
			break;
		if (!b->first_seq)
			b->first_seq = first;
		b->last_seq = last;
		if (row) {
			b->rows++;
			if (first <= resend_seq)
				b->resent++;
		}
		b->bytes += len;
		unsent -= len;
	}
}

static struct sk_buff *ksql_log_build(struct ksql_table *t,
				      const struct ksql_log_batch *b)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(t->hdr_size + b->bytes, GFP_KERNEL);
	if (!skb)
		return NULL;
	hdr = ksql_nl_put_hdr(skb, KSQL_CMD_LOG);
	if (!hdr || nla_put_string(skb, KSQL_A_TABLE, t->name) ||
	    nla_put_string(skb, KSQL_A_COLUMNS, t->columns) ||
	    nla_put_u64_64bit(skb, KSQL_A_EPOCH, t->epoch, KSQL_A_PAD))
		goto nospace;
	/* entries hold their 64-bit payloads 8-byte aligned from here */
	if ((skb->len & 7) && nla_put_flag(skb, KSQL_A_PAD))
		goto nospace;
	skb_put_data(skb, t->ring + b->pos, b->bytes);
	genlmsg_end(skb, hdr);
	return skb;

nospace:
	WARN_ON_ONCE(1);
	nlmsg_free(skb);
	return NULL;
}

/* send_mutex held: a new daemon; send everything held again. */
static void ksql_log_reset(struct ksql_table *t)
{
	unsigned long irqflags;

	raw_spin_lock_irqsave(&t->lock, irqflags);
	t->send = t->tail;
	t->unsent_bytes = t->used;
	t->unsent_rows = t->rows;
	t->resend_seq = t->sent_seq;
	raw_spin_unlock_irqrestore(&t->lock, irqflags);
	t->attempt = 0;
}

/*
 * log_window_bytes, clamped: how much of a table may be sent and not yet
 * acked. The daemon queues what it reads for its writer; without a window
 * a burst would move from this ring into the daemon's heap (B5 in
 * docs/PERFORMANCE.md). An ack opens the window again (ksql_log_ack()).
 */
static u32 ksql_log_window(void)
{
	return clamp(READ_ONCE(ksql_log_window_bytes), KSQL_LOG_WINDOW_MIN,
		     KSQL_LOG_WINDOW_MAX);
}

/* send_mutex held. Return: 0 sent (or nothing to send), else an errno. */
static int ksql_log_send_one(struct ksql_table *t, u64 gen, bool *more)
{
	struct ksql_log_batch b;
	unsigned long irqflags;
	struct sk_buff *skb;
	u32 send, unsent, inflight;
	u64 resend_seq;
	int ret;

	raw_spin_lock_irqsave(&t->lock, irqflags);
	ksql_ring_close_gap(t);
	send = t->send;
	unsent = t->unsent_bytes;
	inflight = t->used - t->unsent_bytes;
	resend_seq = t->resend_seq;
	/* rows crossing a threshold from now on queue another run */
	t->kicked = false;
	raw_spin_unlock_irqrestore(&t->lock, irqflags);

	*more = false;
	t->window_full = inflight >= ksql_log_window();
	if (t->window_full)
		return 0;	/* the next LOG_ACK sends on */
	ksql_log_batch_scan(t, send, unsent, resend_seq, &b);
	if (!unsent)
		return 0;
	if (b.bytes) {
		skb = ksql_log_build(t, &b);
		if (!skb)
			return -ENOMEM;
		/* to generation @gen's socket only (see ksql_nl_unicast()) */
		ret = ksql_nl_unicast(skb, gen);
		if (ret)
			return ret;
	}

	raw_spin_lock_irqsave(&t->lock, irqflags);
	t->send = b.pos + b.bytes == t->size ? 0 : b.pos + b.bytes;
	t->unsent_bytes -= b.skip + b.bytes;
	t->unsent_rows -= b.rows;
	t->sent += b.rows;
	t->resent += b.resent;
	if (b.bytes) {
		t->batches++;
		t->sent_seq = max(t->sent_seq, b.last_seq);
	}
	*more = t->unsent_bytes || t->gap_first;
	raw_spin_unlock_irqrestore(&t->lock, irqflags);

	if (b.bytes) {
		ksql_stat_inc(KSQL_STAT_LOG_BATCHES);
		trace_ksql_log_batch(t->name, b.first_seq, b.last_seq, b.rows,
				     b.bytes);
	}
	return 0;
}

/* The watchdog's wait after @stalls fruitless tries. */
static unsigned long ksql_log_watch_delay(unsigned int stalls)
{
	unsigned int ms = clamp(READ_ONCE(ksql_log_resend_ms),
				KSQL_LOG_RESEND_MS_MIN, KSQL_LOG_RESEND_MS_MAX);

	return msecs_to_jiffies(ms) << min(stalls, 4U);
}

/* send_mutex held: arm the watchdog if sent rows wait for an ack. */
static void ksql_log_watch_arm(struct ksql_table *t)
{
	unsigned long irqflags;
	bool waiting;

	raw_spin_lock_irqsave(&t->lock, irqflags);
	waiting = t->acked_seq < t->sent_seq;
	if (waiting && !delayed_work_pending(&t->watch))
		t->watch_seq = t->acked_seq;
	raw_spin_unlock_irqrestore(&t->lock, irqflags);
	if (waiting && !t->closing)
		queue_delayed_work(ksql_log_wq, &t->watch,
				   ksql_log_watch_delay(t->stalls));
}

/**
 * ksql_log_watch_fn() - the ack watchdog of one table (ksql_log_wq)
 * @work: the table's watch
 *
 * Sends everything held again when no ack came since it was armed.
 */
void ksql_log_watch_fn(struct work_struct *work)
{
	struct ksql_table *t = container_of(to_delayed_work(work),
					    struct ksql_table, watch);
	unsigned long irqflags;
	u64 acked, sent;
	u32 portid;
	u64 gen;

	mutex_lock(&t->send_mutex);
	if (t->closing || !ksql_daemon_current(&portid, &gen) ||
	    gen != t->gen)
		goto out;	/* a new daemon gets everything anyway */
	raw_spin_lock_irqsave(&t->lock, irqflags);
	acked = t->acked_seq;
	sent = t->sent_seq;
	raw_spin_unlock_irqrestore(&t->lock, irqflags);
	if (acked >= sent) {
		t->stalls = 0;
		goto out;
	}
	if (acked != t->watch_seq) {
		/* progress: watch the rest */
		t->stalls = 0;
		ksql_log_watch_arm(t);
		goto out;
	}
	pr_warn_ratelimited("table %s: no LOG_ACK for sequences %llu..%llu in %u ms; sending them again\n",
			    t->name, acked + 1, sent,
			    jiffies_to_msecs(ksql_log_watch_delay(t->stalls)));
	t->stalls++;
	t->stalled++;
	ksql_log_reset(t);
	if (!t->closing)
		mod_delayed_work(ksql_log_wq, &t->dwork, 0);
out:
	mutex_unlock(&t->send_mutex);
}

/**
 * ksql_log_send_fn() - the sender of one table (ksql_log_wq)
 * @work: the table's dwork
 */
void ksql_log_send_fn(struct work_struct *work)
{
	struct ksql_table *t = container_of(to_delayed_work(work),
					    struct ksql_table, dwork);
	bool more = true;
	u32 portid;
	u64 gen;
	int ret = 0;

	mutex_lock(&t->send_mutex);
	if (t->closing || !ksql_daemon_current(&portid, &gen))
		goto out;
	if (gen != t->gen) {
		ksql_log_reset(t);
		t->gen = gen;
	}
	while (more) {
		ret = ksql_log_send_one(t, gen, &more);
		if (ret)
			break;
		t->attempt = 0;
		cond_resched();
	}
	if (ret == -EAGAIN || ret == -ENOMEM || ret == -ENOBUFS) {
		/* daemon's queue full or no memory: the ring keeps the rows */
		t->attempt++;
		ksql_stat_inc(KSQL_STAT_LOG_SEND_RETRIES);
		queue_delayed_work(ksql_log_wq, &t->dwork,
				   ksql_backoff_jiffies(t->attempt));
	} else if (!ret) {
		ksql_log_watch_arm(t);
	}
	/* any other error: the daemon is gone; its successor kicks us */
out:
	mutex_unlock(&t->send_mutex);
}

/*
 * Ring entries freed per hold of t->lock by a LOG_ACK: the lock disables
 * interrupts and ksql_log() spins on it, so a large ack (millions of rows
 * of a 1 GiB backlog) is freed in bounded steps with the lock dropped, and
 * a chance to reschedule, between them.
 */
#define KSQL_LOG_ACK_BATCH	256

/**
 * ksql_log_ack() - the daemon committed every sequence up to @seq
 * @t: the table (ksql_tables_mutex held, so it stays)
 * @seq: KSQL_A_SEQ of the LOG_ACK
 *
 * Frees every entry whose last sequence is at most @seq, at most
 * %KSQL_LOG_ACK_BATCH per hold of the table's lock, and wakes flushers.
 * An ack at or below an earlier one changes nothing. Sleeps.
 *
 * Return: 0, or -EINVAL when @seq was never sent.
 */
int ksql_log_ack(struct ksql_table *t, u64 seq)
{
	unsigned long irqflags;
	u64 freed = 0, first, last;
	unsigned int batch = 0;
	bool row, kick;
	u32 pos, len;

	mutex_lock(&t->send_mutex);
	raw_spin_lock_irqsave(&t->lock, irqflags);
	if (seq > t->sent_seq) {
		raw_spin_unlock_irqrestore(&t->lock, irqflags);
		mutex_unlock(&t->send_mutex);
		return -EINVAL;
	}
	while (seq > t->acked_seq && t->used) {
		if (batch == KSQL_LOG_ACK_BATCH) {
			/* producers get the lock; the ring stays consistent */
			raw_spin_unlock_irqrestore(&t->lock, irqflags);
			ksql_stat_max(KSQL_STAT_LOG_ACK_FREE_MAX, batch);
			batch = 0;
			cond_resched();
			raw_spin_lock_irqsave(&t->lock, irqflags);
			continue;
		}
		batch++;
		pos = ksql_ring_skip(t, t->tail);
		if (pos != t->tail) {
			/* the bytes skipped at a wrap */
			len = t->size - t->tail;
			if (t->unsent_bytes == t->used) {
				t->send = 0;
				t->unsent_bytes -= len;
			}
			t->used -= len;
			t->tail = 0;
			continue;
		}
		len = ksql_ring_entry(t, pos, &first, &last, &row);
		if (last > seq)
			break;
		/*
		 * Acked before it was (re)sent, after a reset. Not "send == pos":
		 * a full ring with everything sent has send == tail as well.
		 */
		if (t->unsent_bytes == t->used) {
			t->send = pos + len == t->size ? 0 : pos + len;
			t->unsent_bytes -= len;
			t->unsent_rows -= row;
		}
		t->tail = pos + len == t->size ? 0 : pos + len;
		t->used -= len;
		if (row) {
			t->rows--;
			t->acked++;
			freed++;
		}
	}
	t->acked_seq = max(t->acked_seq, seq);
	/* room again: write the open gap, send what waited for the window */
	kick = t->gap_first || (t->window_full && t->unsent_bytes);
	t->window_full = false;
	raw_spin_unlock_irqrestore(&t->lock, irqflags);
	mutex_unlock(&t->send_mutex);
	ksql_stat_max(KSQL_STAT_LOG_ACK_FREE_MAX, batch);

	wake_up_all(&t->flush_wait);
	ksql_stat_inc(KSQL_STAT_LOG_ACKS);
	trace_ksql_log_ack(t->name, seq, freed);
	if (kick)
		ksql_log_kick(t, 0);
	return 0;
}
