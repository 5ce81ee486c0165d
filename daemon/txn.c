// SPDX-License-Identifier: GPL-2.0-only
/* txn.c - transaction bookkeeping and the sentences for ended transactions. */
#include <errno.h>
#include <inttypes.h>
#include "txn.h"

void ksqld_txn_remember(struct ksqld_txn_state *t, uint64_t id,
			enum ksqld_txn_end_reason reason, uint32_t ms)
{
	/* A ring: the oldest memory goes first; ids are never reused. */
	t->ended[t->next] = (struct ksqld_txn_end){ .id = id, .reason = reason, .ms = ms };
	t->next = (t->next + 1) % KSQLD_TXN_ENDED_MAX;
}

const struct ksqld_txn_end *ksqld_txn_find_ended(const struct ksqld_txn_state *t, uint64_t id)
{
	unsigned int i;

	for (i = 0; i < KSQLD_TXN_ENDED_MAX; i++)
		if (t->ended[i].id == id && t->ended[i].reason)
			return &t->ended[i];
	return NULL;
}

uint64_t ksqld_txn_expiry_ns(const struct ksqld_txn_state *t)
{
	uint64_t idle;

	if (!t->open_id)
		return 0;
	idle = t->active_ns + (uint64_t)t->idle_ms * 1000000u;
	return t->deadline_ns && t->deadline_ns < idle ? t->deadline_ns : idle;
}

enum ksqld_txn_end_reason ksqld_txn_due(const struct ksqld_txn_state *t, uint64_t now_ns)
{
	if (!t->open_id)
		return 0;
	if (t->abort)
		return t->abort;
	if (t->deadline_ns && now_ns >= t->deadline_ns)
		return KSQLD_TXN_DEADLINE;
	if (now_ns >= t->active_ns + (uint64_t)t->idle_ms * 1000000u)
		return KSQLD_TXN_IDLE;
	return 0;
}

void ksqld_txn_fail_closed(const struct ksqld_txn_state *t, uint64_t id, struct ksqld_rows *rows)
{
	const struct ksqld_txn_end *e = ksqld_txn_find_ended(t, id);

	if (!e) {
		ksqld_rows_fail(rows, EINVAL, 0,
				"ksqld knows no transaction %" PRIu64 "; open one with KSQL_F_TXN_BEGIN before sending its statements",
				id);
		return;
	}
	switch (e->reason) {
	case KSQLD_TXN_IDLE:
		ksqld_rows_fail(rows, ETIMEDOUT, 0,
				"the transaction was rolled back after %" PRIu32 " ms idle (no statement of it arrived in time); begin a new one",
				e->ms);
		break;
	case KSQLD_TXN_DEADLINE:
		ksqld_rows_fail(rows, ETIMEDOUT, 0,
				"the transaction was rolled back when its caller's deadline passed (after %" PRIu32 " ms); begin a new one",
				e->ms);
		break;
	case KSQLD_TXN_CANCELLED:
		ksqld_rows_fail(rows, ECANCELED, 0,
				"the transaction was rolled back because its caller cancelled one of its statements; begin a new one");
		break;
	case KSQLD_TXN_LOST:
		ksqld_rows_fail(rows, ENOTCONN, 0,
				"the transaction was rolled back because ksqld's connection to the ksql module was lost; begin a new one");
		break;
	case KSQLD_TXN_FAILED:
		ksqld_rows_fail(rows, EIO, 0,
				"the transaction was rolled back by SQLite after an error in one of its statements; begin a new one");
		break;
	case KSQLD_TXN_COMMITTED:
	case KSQLD_TXN_ROLLED_BACK:
	default:
		ksqld_rows_fail(rows, EINVAL, 0,
				"transaction %" PRIu64 " has already been %s; begin a new one",
				id, e->reason == KSQLD_TXN_COMMITTED ? "committed" : "rolled back");
		break;
	}
}
