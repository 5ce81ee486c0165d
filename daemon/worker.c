// SPDX-License-Identifier: GPL-2.0-only
/* worker.c - the worker threads and the pool that owns them. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "log.h"
#include "reply.h"
#include "stats.h"
#include "worker.h"
#include "worker_log.h"
#include "worker_txn.h"

/*
 * The connection j runs on. The control socket's statements never run on
 * the writer's connection: SQLite applies many PRAGMAs (and ATTACH) while
 * preparing, so even classifying them there changed the writer (issue 12
 * item 2). They run on a reader, or on the writer's read-only ctl_exec.
 */
static struct ksqld_exec *exec_for(const struct ksqld_worker *w, const struct ksqld_job *j)
{
	return j->sink.readonly_only && w->ctl_exec ? w->ctl_exec : w->exec;
}

/* Runs j's SQL on its connection under j's deadline and cancel flag. */
void ksqld_worker_exec(struct ksqld_worker *w, struct ksqld_job *j, const char *sql,
		       struct ksqld_rows *rows)
{
	struct ksqld_exec *e = exec_for(w, j);

	ksqld_exec_set_limits(e, j->deadline_ns, j->q.timeout_ms, &j->cancelled);
	ksqld_exec_run(e, sql, j->q.params, j->q.nparams, rows);
	ksqld_stat_add(w->writer && e == w->exec ? KSQLD_STAT_WRITES : KSQLD_STAT_READS, 1);
}

static void refuse_write(struct ksqld_rows *rows)
{
	ksqld_rows_fail(rows, EPERM, 0,
			"the control socket is read-only: ksqld refuses statements that write or control transactions there; run them from the kernel side");
}

/* Returns false when the job went to the writer instead. */
static bool reader_run(struct ksqld_worker *w, struct ksqld_job *j, struct ksqld_rows *rows)
{
	int ret = ksqld_exec_classify(w->exec, j->q.sql, rows);

	/*
	 * A kernel statement the reader's guard refuses to prepare (EXPLAIN
	 * PRAGMA ...) is the writer's to run, like any other non-read.
	 */
	if (ret < 0 && !j->sink.readonly_only && (rows->st.sqlite_code & 0xff) == SQLITE_AUTH)
		ret = 0;
	if (ret == 0) {
		if (j->sink.readonly_only) {
			refuse_write(rows);
			return true;
		}
		ksqld_sched_forward(w->sched, w, j);
		return false;
	}
	if (ret == 1)
		ksqld_worker_exec(w, j, j->q.sql, rows);
	return true;
}

static void writer_run(struct ksqld_worker *w, struct ksqld_job *j, struct ksqld_rows *rows)
{
	if (j->kind == KSQLD_JOB_TABLE_OPEN) {
		ksqld_worker_table_open(w, j, rows);
		return;
	}
	if (j->sink.readonly_only) {
		/* No readers: the writer answers it on its read-only ctl_exec. */
		int ret;

		if (!w->ctl_exec) {
			ksqld_rows_fail(rows, EPERM, 0,
					"ksqld has no read-only connection for the control socket's statement");
			return;
		}
		ret = ksqld_exec_classify(w->ctl_exec, j->q.sql, rows);
		if (ret == 0)
			refuse_write(rows);
		if (ret == 1)
			ksqld_worker_exec(w, j, j->q.sql, rows);
		return;
	}
	if (j->q.txn_id || j->q.flags) {
		ksqld_worker_txn_run(w, j, rows);
		return;
	}
	if (ksqld_sql_is_txn_control(j->q.sql)) {
		ksqld_rows_fail(rows, EINVAL, 0,
				"ksql opens and ends transactions itself (ksql_txn_begin/commit/rollback); BEGIN, COMMIT, ROLLBACK, SAVEPOINT and RELEASE are refused as SQL");
		return;
	}
	ksqld_worker_exec(w, j, j->q.sql, rows);
}

/* Did ksqld's shutdown (ksqld_sched_stop) interrupt the statement? */
static bool interrupted_by_shutdown(struct ksqld_worker *w, const struct ksqld_rows *rows)
{
	return (rows->st.sqlite_code & 0xff) == SQLITE_INTERRUPT && ksqld_sched_stopping(w->sched);
}

void ksqld_worker_run(struct ksqld_worker *w, struct ksqld_job *j)
{
	struct ksqld_rows rows;
	enum ksqld_exec_stop stop;
	int ret;

	/* A reload's synchronous takes effect here, on the writer's own thread. */
	if (w->writer)
		ksqld_exec_apply_synchronous(w->exec);
	ksqld_exec_clear_stop(exec_for(w, j));
	if (j->kind == KSQLD_JOB_LOG) {
		ksqld_worker_log_run(w, j);
		ksqld_worker_txn_check(w);
		return;
	}
	ksqld_rows_init(&rows);
	log_debug("%s: query %" PRIu64 " on %s %u: %s", j->sink.name, j->q.req_id,
		  w->writer ? "writer" : "reader", w->index, j->q.sql ? j->q.sql : "(transaction verb)");
	if (w->writer) {
		writer_run(w, j, &rows);
	} else if (!reader_run(w, j, &rows)) {
		ksqld_rows_release(&rows);
		return;
	}
	stop = ksqld_exec_last_stop(exec_for(w, j));
	if (stop == KSQLD_EXEC_CANCELLED) {
		uint64_t us = (ksqld_now_ns() - atomic_load(&j->cancel_ns)) / 1000u;

		ksqld_stat_add(KSQLD_STAT_CANCELLED_RUNNING, 1);
		ksqld_stat_max(KSQLD_STAT_CANCEL_LATENCY_MAX_US, us);
		log_debug("%s: query %" PRIu64 " interrupted by a cancel after %" PRIu64 " us",
			  j->sink.name, j->q.req_id, us);
	} else if (stop == KSQLD_EXEC_DEADLINE && j->sink.from_kernel) {
		/*
		 * The kernel caller gives up at this very deadline: an answer
		 * would race its timer and only turn its "timed out" into a
		 * failed reply (or a late one). It times out on its own.
		 */
		ksqld_stat_add(KSQLD_STAT_DEADLINE_INTERRUPTS, 1);
		log_debug("%s: query %" PRIu64 " interrupted at its caller's deadline; not answered",
			  j->sink.name, j->q.req_id);
	} else if (j->sink.from_kernel && interrupted_by_shutdown(w, &rows)) {
		/*
		 * ksqld is stopping and cut this statement short. Its caller
		 * gets -ENOTCONN with every other one when ksqld says BYE (or
		 * its socket closes); an answer would say EINTR, which kernel
		 * code reads as "a signal, try again".
		 */
		log_debug("%s: query %" PRIu64 " interrupted by the shutdown; not answered",
			  j->sink.name, j->q.req_id);
	} else {
		if (stop == KSQLD_EXEC_DEADLINE)
			ksqld_stat_add(KSQLD_STAT_DEADLINE_INTERRUPTS, 1);
		if (stop == KSQLD_EXEC_DEADLINE && j->capped_ms)
			ksqld_rows_fail(&rows, ETIMEDOUT, SQLITE_INTERRUPT,
					"the statement ran past the control socket's time limit of %u ms and was interrupted: ksqld bounds control-socket statements so clients cannot hold every reader; narrow the query (WHERE, LIMIT)",
					j->capped_ms);
		ret = ksqld_reply_rows(&j->sink, j->q.req_id, &rows);
		if (ret < 0)
			log_warn("%s: could not answer query %" PRIu64 ": %s", j->sink.name,
				 j->q.req_id, strerror(-ret));
	}
	ksqld_rows_release(&rows);
	ksqld_sched_finish(w->sched, w, j);
	ksqld_job_free(j);
	if (w->writer)
		ksqld_worker_txn_check(w);
}

static void *worker_main(void *p)
{
	struct ksqld_worker *w = p;
	struct ksqld_batch *batch = w->batch;
	struct ksqld_job *j;

	for (;;) {
		j = ksqld_sched_take(w->sched, w, false);
		if (!j) {
			/* Out of work for now: what the others answered goes out. */
			if (batch)
				ksqld_batch_flush(batch);
			/* Waiting for work is healthy however long it lasts. */
			if (w->hb)
				ksqld_heartbeat_idle(w->hb, ksqld_now_ns());
			j = ksqld_sched_take(w->sched, w, true);
		}
		/* A job (or the rollback below) starts: the watchdog times it from here. */
		if (w->hb)
			ksqld_heartbeat_busy(w->hb, ksqld_now_ns());
		if (!j) {
			if (ksqld_sched_stopping(w->sched))
				break;
			if (w->writer)
				ksqld_worker_txn_check(w);
			continue;
		}
		if (batch) {
			ksqld_batch_flush_stale(batch);
			/* replies left behind go out even if this job runs long */
			ksqld_batch_arm(batch);
		}
		ksqld_worker_run(w, j);
	}
	return NULL;
}

int ksqld_pool_start(struct ksqld_pool *p, const char *db, unsigned int nreaders,
		     struct ksqld_batch *batch, char *err, size_t errlen)
{
	unsigned int i;
	int ret;

	memset(p, 0, sizeof(*p));
	p->batch = batch;
	p->sched = ksqld_sched_new(nreaders);
	p->workers = calloc(nreaders + 1, sizeof(*p->workers));
	if (!p->sched || !p->workers) {
		snprintf(err, errlen, "out of memory");
		ret = -ENOMEM;
		goto fail;
	}
	p->nworkers = nreaders + 1;
	for (i = 0; i < p->nworkers; i++) {
		struct ksqld_worker *w = &p->workers[i];

		w->sched = p->sched;
		w->writer = i == 0;
		w->index = i;
		if (w->writer) {
			w->hb = &p->writer_hb;
			ksqld_heartbeat_idle(w->hb, ksqld_now_ns());
		}
		w->batch = batch;
		ret = ksqld_exec_open(db, !w->writer, &w->exec, err, errlen);
		if (ret < 0)
			goto fail;
		/* After the writer made the file: the control socket's connection. */
		if (w->writer && nreaders == 0) {
			ret = ksqld_exec_open(db, true, &w->ctl_exec, err, errlen);
			if (ret < 0)
				goto fail;
		}
	}
	for (i = 0; i < p->nworkers; i++) {
		ret = -pthread_create(&p->workers[i].thread, NULL, worker_main, &p->workers[i]);
		if (ret < 0) {
			snprintf(err, errlen, "cannot start a worker thread: %s", strerror(-ret));
			goto fail;
		}
		p->workers[i].started = true;
	}
	return 0;
fail:
	ksqld_pool_stop(p);
	return ret;
}

void ksqld_pool_stop(struct ksqld_pool *p)
{
	unsigned int i;

	if (p->sched)
		ksqld_sched_stop(p->sched);
	for (i = 0; i < p->nworkers; i++)
		if (p->workers[i].started)
			pthread_join(p->workers[i].thread, NULL);
	if (p->batch)
		ksqld_batch_flush(p->batch);
	for (i = 0; i < p->nworkers; i++) {
		ksqld_exec_close(p->workers[i].exec);
		ksqld_exec_close(p->workers[i].ctl_exec);
	}
	free(p->workers);
	ksqld_sched_free(p->sched);
	memset(p, 0, sizeof(*p));
}
