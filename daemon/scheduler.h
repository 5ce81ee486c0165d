/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scheduler.h - the scheduler between the receive side and the workers.
 *
 * Jobs wait in one list in order of receipt. A worker takes the first job it
 * may run: readers take read candidates, the writer takes the rest (and the
 * reads too when there are no readers); a job whose ORDER_KEY is held by an
 * earlier job, queued or running, waits; while a transaction is open the
 * writer takes only that transaction's statements (and answers statements
 * of transactions that are not open). A job past its deadline is dropped
 * when it would be taken. A CANCEL drops a queued job, or interrupts the
 * statement of a running one under the lock, so the connection cannot be
 * closed or move on to another statement meanwhile.
 */
#ifndef KSQLD_SCHED_H
#define KSQLD_SCHED_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "exec.h"
#include "job.h"
#include "txn.h"
#include "watchdog.h"

struct ksqld_sched;
struct ksqld_batch;

struct ksqld_worker {
	struct ksqld_sched *sched;
	struct ksqld_exec *exec;	/* used by this worker's thread only */
	/*
	 * The writer of a pool without readers: a read-only, locked-down
	 * connection (sql_guard.h) for the control socket's statements, which
	 * never run on the writer's own connection. NULL otherwise.
	 */
	struct ksqld_exec *ctl_exec;
	bool writer;
	unsigned int index;
	pthread_t thread;
	bool started;
	struct ksqld_batch *batch;	/* flushed when out of work; may be NULL */
	struct ksqld_job *job;		/* running now; under the scheduler's lock */
	struct ksqld_heartbeat *hb;	/* the writer's, for the watchdog; NULL on readers */
};

struct ksqld_sched *ksqld_sched_new(unsigned int nreaders);
/* Drops every queued job (their done callbacks run). Workers must be gone. */
void ksqld_sched_free(struct ksqld_sched *s);
unsigned int ksqld_sched_readers(const struct ksqld_sched *s);

/* Queues a job (takes it over). Wakes a worker. */
void ksqld_sched_submit(struct ksqld_sched *s, struct ksqld_job *j);
/*
 * A CANCEL from the kernel: drops the queued kernel job req_id, or
 * interrupts it if it runs; txn_id (0 = none) is rolled back. Unknown ids
 * are ignored. Jobs are keyed by (sink, req_id): a control client's job
 * with the same number is not touched.
 */
void ksqld_sched_cancel(struct ksqld_sched *s, uint64_t req_id, uint64_t txn_id);
/*
 * The same for a CANCEL from the requester from: only its own jobs match
 * (every kernel job when from->from_kernel, else those with from's send
 * and ctx); txn_id counts only from the kernel.
 */
void ksqld_sched_cancel_from(struct ksqld_sched *s, const struct ksqld_sink *from,
			     uint64_t req_id, uint64_t txn_id);
/* The kernel connection was lost or re-registered: roll back any open transaction. */
void ksqld_sched_connection_lost(struct ksqld_sched *s);

/*
 * For worker w: the next job it may run, now marked running on it. With
 * wait, blocks until there is one; returns NULL when stopping, or (writer)
 * when the open transaction is due for a rollback. Without wait, NULL when
 * nothing is ready.
 */
struct ksqld_job *ksqld_sched_take(struct ksqld_sched *s, struct ksqld_worker *w, bool wait);
/*
 * For the writer, which runs a LOG job: up to max more queued LOG jobs (in
 * order of receipt, at most about max_entries rows and gaps in all), now
 * marked running on it, for one transaction. Returns how many.
 */
unsigned int ksqld_sched_take_logs(struct ksqld_sched *s, struct ksqld_worker *w,
				   struct ksqld_job **out, unsigned int max, unsigned int max_entries);
/* The job is answered (or dropped): its key is free, it is no longer running. */
void ksqld_sched_finish(struct ksqld_sched *s, struct ksqld_worker *w, struct ksqld_job *j);
/* A reader found j is not read-only: hand it to the writer, keeping its place. */
void ksqld_sched_forward(struct ksqld_sched *s, struct ksqld_worker *w, struct ksqld_job *j);
/* True when jobs wait in the queue (a hint: more work is immediately there). */
bool ksqld_sched_has_queued(struct ksqld_sched *s);

/* Makes take() return NULL from now on. */
void ksqld_sched_stop(struct ksqld_sched *s);
bool ksqld_sched_stopping(struct ksqld_sched *s);
/* Blocks until nothing is queued or running (tests). */
void ksqld_sched_wait_idle(struct ksqld_sched *s);

/* The transaction state, under the lock. */
void ksqld_sched_lock(struct ksqld_sched *s);
void ksqld_sched_unlock(struct ksqld_sched *s);
struct ksqld_txn_state *ksqld_sched_txn(struct ksqld_sched *s);

#endif
