// SPDX-License-Identifier: GPL-2.0
/*
 * log.c - ksql_log(): append one row to a table's ring, from any context.
 *
 * The row is checked and sized before the lock, then encoded once, under
 * the table's raw spinlock, straight into the ring as the final wire bytes
 * of a KSQL_A_ROW attribute. Nothing is allocated per row.
 *
 * Entry layout (offsets from the entry start, which is 8-byte aligned; a
 * 64-bit payload is always 8-byte aligned, a zero-length PAD attribute
 * goes before it when needed, and a trailing PAD makes the length a
 * multiple of 8):
 *   ROW:  0 hdr, 4 SEQ hdr, 8 seq, 16 PAD, 20 TIME_NS hdr, 24 time,
 *         32 values in column order
 *   GAP:  0 hdr, 4 FIRST hdr, 8 first, 16 PAD, 20 LAST hdr, 24 last,
 *         32 PAD, 36 TIME_NS hdr, 40 time, 48 REASON hdr, 52 reason (56)
 *
 * Sequences: every call that passes the argument checks takes the next
 * sequence number. A refused row's number goes into the open gap (at most
 * one per table), which is written into the ring, in sequence order, before
 * the next accepted row, when the reason changes, or when the sender or a
 * flush closes it. Gap entries may use %KSQL_LOG_GAP_RESERVE bytes beyond
 * the backlog limit; when even those are taken the open gap grows instead,
 * so every refused row ends up in exactly one gap record.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "ksql_internal.h"
#include "log.h"
#include "ksql_trace.h"

#define KSQL_ROW_FIXED		32U	/* header, SEQ, PAD, TIME_NS */
#define KSQL_ROW_SEQ_OFF	8U
#define KSQL_GAP_FIRST_OFF	8U
#define KSQL_GAP_LAST_OFF	24U

u32 ksql_log_batch_rows_now(void)
{
	return max(READ_ONCE(ksql_log_batch_rows), 1U);
}

/* log_flush_ms in jiffies, at least one (0 would mean "hurry"). */
static unsigned long ksql_log_flush_delay(void)
{
	return max(msecs_to_jiffies(READ_ONCE(ksql_log_flush_ms)), 1UL);
}

/*
 * Entry bytes one LOG message of @t may carry: log_batch_bytes minus the
 * message's header attributes, but never less than half of it (a long
 * column list must not make every row too big).
 */
u32 ksql_log_entry_budget(const struct ksql_table *t)
{
	u32 batch = clamp(READ_ONCE(ksql_log_batch_bytes), KSQL_LOG_BATCH_MIN,
			  KSQL_LOG_BATCH_MAX);

	return max(batch > t->hdr_size ? batch - t->hdr_size : 0, batch / 2);
}

/* Bytes a u64 attribute at entry offset @off takes, pad included. */
static u32 ksql_u64_size(u32 off)
{
	return ((off + NLA_HDRLEN) & 7) ? NLA_HDRLEN + nla_total_size(8) :
					  nla_total_size(8);
}

/*
 * Check @vals against the columns of @t and compute the entry size.
 * Return: 0, or -EINVAL (wrong type, or bytes missing); *@len may exceed
 * any limit, the caller decides.
 */
static int ksql_row_size(const struct ksql_table *t,
			 const struct ksql_value *vals, unsigned int n,
			 size_t *len)
{
	size_t off = KSQL_ROW_FIXED;
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct ksql_value *v = &vals[i];

		if (v->type != KSQL_NULL && t->types[i] != KSQL_COL_ANY &&
		    t->types[i] != v->type)
			return -EINVAL;
		switch (v->type) {
		case KSQL_NULL:
			off += nla_total_size(0);
			break;
		case KSQL_INT:
		case KSQL_REAL:
			off += ksql_u64_size(off);
			break;
		case KSQL_TEXT:
		case KSQL_BLOB:
			if (v->len && !v->blob)
				return -EINVAL;
			off += nla_total_size(v->len);
			break;
		default:
			return -EINVAL;
		}
	}
	*len = round_up(off, 8);
	return 0;
}

/*
 * Write one attribute at @p + *@off and advance *@off (4-byte aligned).
 * Inlined, like the helpers below: ksql_log() runs them several times per
 * row, and with constant sizes they fold into plain stores.
 */
static __always_inline void ksql_put(u8 *p, u32 *off, u16 type, const void *data, u32 len)
{
	struct nlattr *nla = (struct nlattr *)(p + *off);

	nla->nla_type = type;
	nla->nla_len = nla_attr_size(len);
	if (len)
		memcpy(nla_data(nla), data, len);
	if (nla_padlen(len))
		memset((u8 *)nla_data(nla) + len, 0, nla_padlen(len));
	*off += nla_total_size(len);
}

/* A u64 attribute with its payload 8-byte aligned, padding with @pad. */
static __always_inline void ksql_put_u64(u8 *p, u32 *off, u16 type, u16 pad,
					 u64 val)
{
	if ((*off + NLA_HDRLEN) & 7)
		ksql_put(p, off, pad, NULL, 0);
	ksql_put(p, off, type, &val, sizeof(val));
}

static void ksql_encode_row(u8 *p, u32 len, u64 seq, u64 time,
			    const struct ksql_value *vals, unsigned int n)
{
	struct nlattr *nla = (struct nlattr *)p;
	u32 off = NLA_HDRLEN;
	unsigned int i;

	nla->nla_type = KSQL_A_ROW | NLA_F_NESTED;
	nla->nla_len = len;
	ksql_put_u64(p, &off, KSQL_R_SEQ, KSQL_R_PAD, seq);
	ksql_put_u64(p, &off, KSQL_R_TIME_NS, KSQL_R_PAD, time);
	for (i = 0; i < n; i++) {
		const struct ksql_value *v = &vals[i];
		u16 type = KSQL_R_VAL_NULL + v->type;

		switch (v->type) {
		case KSQL_NULL:
			ksql_put(p, &off, type, NULL, 0);
			break;
		case KSQL_INT:
			ksql_put_u64(p, &off, type, KSQL_R_PAD, (u64)v->i);
			break;
		case KSQL_REAL:
			ksql_put_u64(p, &off, type, KSQL_R_PAD, v->real);
			break;
		case KSQL_TEXT:
		case KSQL_BLOB:
			ksql_put(p, &off, type, v->blob, v->len);
			break;
		}
	}
	if (off < len)
		ksql_put(p, &off, KSQL_R_PAD, NULL, 0);
}

static void ksql_encode_gap(u8 *p, u64 first, u64 last, u64 time, u32 reason)
{
	struct nlattr *nla = (struct nlattr *)p;
	u32 off = NLA_HDRLEN;

	nla->nla_type = KSQL_A_GAP | NLA_F_NESTED;
	nla->nla_len = KSQL_LOG_GAP_SIZE;
	ksql_put_u64(p, &off, KSQL_GAP_FIRST, KSQL_GAP_PAD, first);
	ksql_put_u64(p, &off, KSQL_GAP_LAST, KSQL_GAP_PAD, last);
	ksql_put_u64(p, &off, KSQL_GAP_TIME_NS, KSQL_GAP_PAD, time);
	ksql_put(p, &off, KSQL_GAP_REASON, &reason, sizeof(reason));
	WARN_ON_ONCE(off != KSQL_LOG_GAP_SIZE);
}

/*
 * Would an entry of @len bytes fit at *@head with *@used bytes held, within
 * @cap? If so, advance both as writing it would (a wrap included).
 */
static bool ksql_ring_fit(const struct ksql_table *t, u32 *head, u32 *used,
			  u32 len, u32 cap)
{
	u32 h = *head, u = *used;

	if (t->size - h < len) {
		u += t->size - h;
		h = 0;
	}
	if ((u64)u + len > cap)
		return false;
	*head = h + len == t->size ? 0 : h + len;
	*used = u + len;
	return true;
}

/* Lock held, the entry known to fit: take @len bytes at the head. */
static inline u8 *ksql_ring_alloc(struct ksql_table *t, u32 len)
{
	u32 room = t->size - t->head;
	u8 *p;

	if (room < len) {
		/* the wrap marker: a zero where an attribute header would be */
		*(u32 *)(t->ring + t->head) = 0;
		t->used += room;
		t->unsent_bytes += room;
		t->head = 0;
	}
	p = t->ring + t->head;
	t->head += len;
	if (t->head == t->size)
		t->head = 0;
	t->used += len;
	t->unsent_bytes += len;
	return p;
}

/**
 * ksql_ring_close_gap() - write the open gap of @t into its ring
 * @t: the table, lock held
 *
 * Return: true if no gap is open any more, false if there was no room.
 */
bool ksql_ring_close_gap(struct ksql_table *t)
{
	u32 head = t->head, used = t->used;

	if (!t->gap_first)
		return true;
	if (!ksql_ring_fit(t, &head, &used, KSQL_LOG_GAP_SIZE, t->size))
		return false;
	ksql_encode_gap(ksql_ring_alloc(t, KSQL_LOG_GAP_SIZE), t->gap_first,
			t->gap_last, t->gap_time, t->gap_reason);
	t->gap_first = 0;
	return true;
}

/*
 * ksql_ring_skip() - where the entry at @pos really is
 * @t: the table
 * @pos: a position with an entry after it (the ring is not empty there)
 *
 * Return: @pos, or 0 when @pos is the end of the ring or a wrap marker.
 */
u32 ksql_ring_skip(const struct ksql_table *t, u32 pos)
{
	if (pos >= t->size || !*(const u32 *)(t->ring + pos))
		return 0;
	return pos;
}

/**
 * ksql_ring_entry() - decode the entry at @pos (not a wrap marker)
 * @t: the table
 * @pos: entry position
 * @first: its first sequence
 * @last: its last sequence (the same for a row)
 * @row: true for a row, false for a gap
 *
 * Return: its length in bytes.
 */
u32 ksql_ring_entry(const struct ksql_table *t, u32 pos, u64 *first,
		    u64 *last, bool *row)
{
	const struct nlattr *nla = (const struct nlattr *)(t->ring + pos);
	const u8 *p = t->ring + pos;

	*row = nla_type(nla) == KSQL_A_ROW;
	if (*row) {
		*first = *(const u64 *)(p + KSQL_ROW_SEQ_OFF);
		*last = *first;
	} else {
		*first = *(const u64 *)(p + KSQL_GAP_FIRST_OFF);
		*last = *(const u64 *)(p + KSQL_GAP_LAST_OFF);
	}
	return nla->nla_len;
}

/* Lock held: sequence @seq is refused for @reason; put it into a gap. */
static bool ksql_ring_lose(struct ksql_table *t, u64 seq, u32 reason,
			   u64 now)
{
	if (t->gap_first) {
		if (t->gap_reason == reason || !ksql_ring_close_gap(t)) {
			t->gap_last = seq;
			return false;
		}
	}
	t->gap_first = seq;
	t->gap_last = seq;
	t->gap_reason = reason;
	t->gap_time = now;
	return true;
}

u64 ksql_table_acked_seq(struct ksql_table *t)
{
	unsigned long irqflags;
	u64 seq;

	raw_spin_lock_irqsave(&t->lock, irqflags);
	seq = t->acked_seq;
	raw_spin_unlock_irqrestore(&t->lock, irqflags);
	return seq;
}

/**
 * ksql_log() - append one row to a logged table
 * @t: a table from ksql_table_open()
 * @vals: the row, one value per column, in column order
 * @n: number of @vals, must equal the number of columns
 *
 * Any context but NMI: hardirq (also a hard hrtimer on PREEMPT_RT),
 * softirq or process; never sleeps and allocates nothing. From NMI it is
 * refused with -EPERM (counted in refused_context, no sequence number used):
 * its spinlock, clock read and work queueing could deadlock against the code
 * the NMI interrupted. The row is stamped with the
 * next sequence number and CLOCK_REALTIME and kept until the daemon has
 * committed it; it is sent in a batch once log_batch_rows rows or
 * log_batch_bytes bytes wait, or log_flush_ms after the first one.
 *
 * A value must have its column's type, or be %KSQL_NULL; an ANY column
 * takes any type. Refused rows (-ENOBUFS, -E2BIG) consume a sequence
 * number and are recorded as a gap in the database; -EINVAL does neither.
 *
 * Return: 0 accepted; -EINVAL wrong count or type; -ENOBUFS the backlog
 * (log_backlog_bytes at open) is full; -E2BIG the row alone is larger than
 * a LOG batch may carry; -EPERM called from NMI.
 */
int ksql_log(struct ksql_table *t, const struct ksql_value *vals,
	     unsigned int n)
{
	bool kick = false, opened = false, arm = false;
	unsigned long irqflags;
	u32 head, used, reason = 0;
	size_t len = 0;
	u64 seq = 0, now;
	int ret;

	/* before anything else: even a tracepoint is not for NMI here */
	ret = ksql_context_ok(false);
	if (ret)
		return ret;
	if (!t || n != t->ncols || (n && !vals))
		ret = -EINVAL;
	else
		ret = ksql_row_size(t, vals, n, &len);
	if (ret) {
		if (t)
			trace_ksql_log(t->name, 0, len, ret);
		return ret;
	}
	now = ktime_get_real_ns();

	raw_spin_lock_irqsave(&t->lock, irqflags);
	seq = t->next_seq++;
	head = t->head;
	used = t->used;
	if (len > ksql_log_entry_budget(t)) {
		ret = -E2BIG;
		reason = KSQL_LOSS_TOO_BIG;
	} else if ((t->gap_first &&
		    !ksql_ring_fit(t, &head, &used, KSQL_LOG_GAP_SIZE,
				   t->size)) ||
		   !ksql_ring_fit(t, &head, &used, len, t->limit)) {
		ret = -ENOBUFS;
		reason = KSQL_LOSS_BACKLOG;
	}
	if (ret) {
		if (reason == KSQL_LOSS_TOO_BIG)
			t->lost_too_big++;
		else
			t->lost_backlog++;
		opened = ksql_ring_lose(t, seq, reason, now);
	} else {
		arm = !t->unsent_bytes;
		if (unlikely(t->gap_first))
			ksql_ring_close_gap(t);
		ksql_encode_row(ksql_ring_alloc(t, len), len, seq, now, vals,
				n);
		t->rows++;
		t->logged++;
		t->unsent_rows++;
		if (!t->kicked &&
		    (t->unsent_rows >= ksql_log_batch_rows_now() ||
		     t->unsent_bytes >= ksql_log_entry_budget(t))) {
			t->kicked = true;
			kick = true;
		}
	}
	raw_spin_unlock_irqrestore(&t->lock, irqflags);

	if (ret) {
		ksql_stat_inc(KSQL_STAT_LOG_LOST);
		trace_ksql_log_lost(t->name, seq, reason);
		/* a new gap is sent within log_flush_ms, like a row */
		if (opened)
			ksql_log_kick(t, ksql_log_flush_delay());
	} else {
		ksql_stat_inc(KSQL_STAT_LOG_ROWS);
		if (kick)
			ksql_log_kick(t, 0);
		else if (arm)
			ksql_log_kick(t, ksql_log_flush_delay());
	}
	trace_ksql_log(t->name, seq, len, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(ksql_log);
