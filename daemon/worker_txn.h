/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * worker_txn.h - the writer's side of transactions: BEGIN IMMEDIATE, the
 * statements inside, COMMIT/ROLLBACK, and the daemon's own rollbacks.
 */
#ifndef KSQLD_WORKER_TXN_H
#define KSQLD_WORKER_TXN_H

#include "rows.h"
#include "scheduler.h"

/* Runs a job that carries a TXN_ID or a transaction flag (writer only). */
void ksqld_worker_txn_run(struct ksqld_worker *w, struct ksqld_job *j, struct ksqld_rows *rows);
/* Runs sql of j on w's connection, counted, under j's limits. */
void ksqld_worker_exec(struct ksqld_worker *w, struct ksqld_job *j, const char *sql,
		       struct ksqld_rows *rows);

#endif
