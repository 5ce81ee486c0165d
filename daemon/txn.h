/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * txn.h - the writer's open transaction and a bounded memory of recently
 * ended ones, so a late statement of a transaction the daemon rolled back
 * gets told why rather than "unknown transaction". Pure bookkeeping: the
 * scheduler holds this under its lock; the writer runs the SQL.
 */
#ifndef KSQLD_TXN_H
#define KSQLD_TXN_H

#include <stdint.h>
#include "rows.h"

#define KSQLD_TXN_IDLE_MS_DEFAULT	2000
#define KSQLD_TXN_ENDED_MAX		256

enum ksqld_txn_end_reason {
	KSQLD_TXN_COMMITTED = 1,
	KSQLD_TXN_ROLLED_BACK,	/* on request */
	KSQLD_TXN_IDLE,		/* daemon: idle past TXN_IDLE_MS */
	KSQLD_TXN_DEADLINE,	/* daemon: its BEGIN's deadline passed */
	KSQLD_TXN_CANCELLED,	/* daemon: a CANCEL named it */
	KSQLD_TXN_LOST,		/* daemon: the kernel connection went away */
	KSQLD_TXN_FAILED,	/* SQLite rolled it back after an error */
};

struct ksqld_txn_end {
	uint64_t id;
	enum ksqld_txn_end_reason reason;
	uint32_t ms;		/* IDLE: the limit; others: its age */
};

struct ksqld_txn_state {
	uint64_t open_id;	/* 0 = none */
	uint32_t idle_ms;
	uint64_t deadline_ns;	/* the BEGIN's; 0 = none */
	uint64_t active_ns;	/* last arrival or finish of one of its statements */
	uint64_t begun_ns;
	enum ksqld_txn_end_reason abort;	/* requested by CANCEL or a lost connection */
	struct ksqld_txn_end ended[KSQLD_TXN_ENDED_MAX];
	unsigned int next;
};

void ksqld_txn_remember(struct ksqld_txn_state *t, uint64_t id,
			enum ksqld_txn_end_reason reason, uint32_t ms);
const struct ksqld_txn_end *ksqld_txn_find_ended(const struct ksqld_txn_state *t, uint64_t id);
/* When the open transaction must be rolled back by the daemon (0 = never). */
uint64_t ksqld_txn_expiry_ns(const struct ksqld_txn_state *t);
/*
 * Why the open transaction must end now (0 = it need not): a requested
 * abort, the idle limit or the BEGIN's deadline.
 */
enum ksqld_txn_end_reason ksqld_txn_due(const struct ksqld_txn_state *t, uint64_t now_ns);
/*
 * Answers a statement naming transaction id that is not open: the reason it
 * ended, or that ksqld does not know it.
 */
void ksqld_txn_fail_closed(const struct ksqld_txn_state *t, uint64_t id, struct ksqld_rows *rows);

#endif
