// SPDX-License-Identifier: GPL-2.0-only
/* worker_txn.c - transactions on the writer connection. */
#include <errno.h>
#include <inttypes.h>
#include "log.h"
#include "stats.h"
#include "worker.h"
#include "worker_txn.h"

/* Plain transaction control, outside any caller's limits. */
static int run_control(struct ksqld_worker *w, const char *sql, struct ksqld_rows *rows)
{
	ksqld_exec_set_limits(w->exec, 0, 0, NULL);
	ksqld_exec_run(w->exec, sql, NULL, 0, rows);
	return rows->st.err ? -(int)rows->st.err : 0;
}

/* Marks the open transaction ended (under the lock) and counts it. */
static void ended(struct ksqld_worker *w, uint64_t id, enum ksqld_txn_end_reason why)
{
	struct ksqld_txn_state *t;
	uint32_t ms;

	ksqld_sched_lock(w->sched);
	t = ksqld_sched_txn(w->sched);
	ms = why == KSQLD_TXN_IDLE ? t->idle_ms :
	     (uint32_t)((ksqld_now_ns() - t->begun_ns) / 1000000u);
	ksqld_txn_remember(t, id, why, ms);
	if (t->open_id == id) {
		t->open_id = 0;
		t->abort = 0;
	}
	ksqld_sched_unlock(w->sched);
	switch (why) {
	case KSQLD_TXN_COMMITTED:
		ksqld_stat_add(KSQLD_STAT_TXN_COMMITTED, 1);
		break;
	case KSQLD_TXN_ROLLED_BACK:
		ksqld_stat_add(KSQLD_STAT_TXN_ROLLED_BACK, 1);
		break;
	default:
		ksqld_stat_add(KSQLD_STAT_TXN_ABORTED, 1);
		log_info("transaction %" PRIu64 " rolled back by ksqld (%s)", id,
			 why == KSQLD_TXN_IDLE ? "idle too long" :
			 why == KSQLD_TXN_DEADLINE ? "its deadline passed" :
			 why == KSQLD_TXN_CANCELLED ? "cancelled" :
			 why == KSQLD_TXN_LOST ? "kernel connection lost" : "failed");
		break;
	}
}

void ksqld_worker_txn_check(struct ksqld_worker *w)
{
	struct ksqld_txn_state *t;
	enum ksqld_txn_end_reason why;
	struct ksqld_rows rows;
	uint64_t id;

	ksqld_sched_lock(w->sched);
	t = ksqld_sched_txn(w->sched);
	why = ksqld_txn_due(t, ksqld_now_ns());
	id = t->open_id;
	ksqld_sched_unlock(w->sched);
	if (!why)
		return;
	ksqld_rows_init(&rows);
	if (ksqld_exec_in_txn(w->exec) && run_control(w, "ROLLBACK", &rows) < 0)
		log_warn("ROLLBACK of transaction %" PRIu64 " failed: %s", id, rows.errmsg);
	ksqld_rows_release(&rows);
	ended(w, id, why);
}

static void begin(struct ksqld_worker *w, struct ksqld_job *j, struct ksqld_rows *rows)
{
	struct ksqld_txn_state *t;
	uint64_t id = j->q.txn_id;
	bool refused = false;

	if (!id) {
		ksqld_rows_fail(rows, EINVAL, 0,
				"KSQL_F_TXN_BEGIN needs a transaction id (KSQL_A_TXN_ID); the kernel module sends one");
		return;
	}
	ksqld_sched_lock(w->sched);
	t = ksqld_sched_txn(w->sched);
	if (t->open_id == id) {
		ksqld_rows_fail(rows, EINVAL, 0, "transaction %" PRIu64 " is already open", id);
		refused = true;
	} else if (ksqld_txn_find_ended(t, id)) {
		/* Cancelled (or otherwise ended) before it could begin. */
		ksqld_txn_fail_closed(t, id, rows);
		refused = true;
	}
	ksqld_sched_unlock(w->sched);
	if (refused)
		return;
	if (ksqld_exec_in_txn(w->exec)) {
		ksqld_rows_fail(rows, EBUSY, 0,
				"ksqld's writer connection is still inside another transaction; try again");
		return;
	}
	if (run_control(w, "BEGIN IMMEDIATE", rows) < 0)
		return;
	ksqld_stat_add(KSQLD_STAT_TXN_BEGUN, 1);
	ksqld_sched_lock(w->sched);
	t->open_id = id;
	t->idle_ms = j->q.txn_idle_ms ? j->q.txn_idle_ms : KSQLD_TXN_IDLE_MS_DEFAULT;
	t->deadline_ns = j->deadline_ns;
	t->begun_ns = t->active_ns = ksqld_now_ns();
	t->abort = 0;
	ksqld_sched_unlock(w->sched);
	log_debug("transaction %" PRIu64 " begun (idle limit %" PRIu32 " ms)", id, t->idle_ms);
	if (j->q.sql) {
		ksqld_rows_release(rows);
		ksqld_rows_init(rows);
		ksqld_worker_exec(w, j, j->q.sql, rows);
	}
}

void ksqld_worker_txn_run(struct ksqld_worker *w, struct ksqld_job *j, struct ksqld_rows *rows)
{
	uint32_t verb = j->q.flags & __KSQL_F_QUERY_ALL;
	uint64_t id = j->q.txn_id;
	bool open;

	if (verb == KSQL_F_TXN_BEGIN) {
		begin(w, j, rows);
		return;
	}
	if (!id) {
		ksqld_rows_fail(rows, EINVAL, 0,
				"KSQL_F_TXN_COMMIT and KSQL_F_TXN_ROLLBACK need the transaction's id (KSQL_A_TXN_ID)");
		return;
	}
	ksqld_sched_lock(w->sched);
	open = ksqld_sched_txn(w->sched)->open_id == id;
	if (!open)
		ksqld_txn_fail_closed(ksqld_sched_txn(w->sched), id, rows);
	ksqld_sched_unlock(w->sched);
	if (!open)
		return;
	if (verb == KSQL_F_TXN_COMMIT) {
		if (run_control(w, "COMMIT", rows) == 0)
			ended(w, id, KSQLD_TXN_COMMITTED);
		else if (!ksqld_exec_in_txn(w->exec))
			ended(w, id, KSQLD_TXN_FAILED);
		return;
	}
	if (verb == KSQL_F_TXN_ROLLBACK) {
		run_control(w, "ROLLBACK", rows);
		ended(w, id, KSQLD_TXN_ROLLED_BACK);
		return;
	}
	if (ksqld_sql_is_txn_control(j->q.sql)) {
		ksqld_rows_fail(rows, EINVAL, 0,
				"a statement inside a ksql transaction cannot begin, commit or roll back; use ksql_txn_commit() or ksql_txn_rollback()");
		return;
	}
	/* A failing statement leaves the transaction open: the caller decides. */
	ksqld_worker_exec(w, j, j->q.sql, rows);
	if (!ksqld_exec_in_txn(w->exec))
		ended(w, id, KSQLD_TXN_FAILED);	/* SQLite rolled it back itself */
}
