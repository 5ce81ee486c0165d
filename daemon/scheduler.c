// SPDX-License-Identifier: GPL-2.0-only
/* scheduler.c - queue, order keys, cancellation and deadlines. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>
#include "log.h"
#include "scheduler.h"
#include "stats.h"

struct ksqld_sched {
	pthread_mutex_t lock;
	/*
	 * Something changed: a worker may find a job. Readers and the writer
	 * wait apart, and a new job wakes one worker that may take it, not
	 * all of them: every needless wakeup is a context switch on the path
	 * of a point query (docs/PERFORMANCE.md, B2).
	 */
	pthread_cond_t rwork;	/* readers wait here */
	pthread_cond_t wwork;	/* the writer waits here */
	pthread_cond_t idle;	/* a job finished (wait_idle) */
	struct ksqld_job *head, *tail;	/* queued, in order of receipt */
	struct ksqld_job *running;	/* running, any order */
	unsigned int nqueued, nrunning, nreaders;
	uint64_t seqno;
	bool stopping;
	struct ksqld_txn_state txn;
};

static void list_del(struct ksqld_job **head, struct ksqld_job **tail, struct ksqld_job *j)
{
	if (j->prev)
		j->prev->next = j->next;
	else
		*head = j->next;
	if (j->next)
		j->next->prev = j->prev;
	else if (tail)
		*tail = j->prev;
	j->prev = j->next = NULL;
}

/* Inserts by seqno, so a forwarded job gets its old place back. */
static void queue_insert(struct ksqld_sched *s, struct ksqld_job *j)
{
	struct ksqld_job *after = s->tail;

	while (after && after->seqno > j->seqno)
		after = after->prev;
	j->prev = after;
	j->next = after ? after->next : s->head;
	if (j->next)
		j->next->prev = j;
	else
		s->tail = j;
	if (after)
		after->next = j;
	else
		s->head = j;
	s->nqueued++;
	ksqld_stat_set(KSQLD_STAT_QUEUED, s->nqueued);
}

static void queue_del(struct ksqld_sched *s, struct ksqld_job *j)
{
	list_del(&s->head, &s->tail, j);
	s->nqueued--;
	ksqld_stat_set(KSQLD_STAT_QUEUED, s->nqueued);
}

static void running_add(struct ksqld_sched *s, struct ksqld_job *j)
{
	j->prev = NULL;
	j->next = s->running;
	if (s->running)
		s->running->prev = j;
	s->running = j;
	s->nrunning++;
	ksqld_stat_set(KSQLD_STAT_RUNNING, s->nrunning);
}

static void running_del(struct ksqld_sched *s, struct ksqld_job *j)
{
	list_del(&s->running, NULL, j);
	s->nrunning--;
	ksqld_stat_set(KSQLD_STAT_RUNNING, s->nrunning);
}

struct ksqld_sched *ksqld_sched_new(unsigned int nreaders)
{
	struct ksqld_sched *s = calloc(1, sizeof(*s));
	pthread_condattr_t ca;

	if (!s)
		return NULL;
	s->nreaders = nreaders;
	pthread_mutex_init(&s->lock, NULL);
	/* Timed waits for the transaction's idle limit use the monotonic clock. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->rwork, &ca);
	pthread_cond_init(&s->wwork, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&s->idle, NULL);
	ksqld_stat_set(KSQLD_STAT_READERS, nreaders);
	return s;
}

void ksqld_sched_free(struct ksqld_sched *s)
{
	struct ksqld_job *j;

	if (!s)
		return;
	while ((j = s->head)) {
		queue_del(s, j);
		ksqld_job_free(j);
	}
	pthread_cond_destroy(&s->rwork);
	pthread_cond_destroy(&s->wwork);
	pthread_cond_destroy(&s->idle);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

unsigned int ksqld_sched_readers(const struct ksqld_sched *s)
{
	return s->nreaders;
}

/* Under the lock: every worker looks at the queue again (rare events). */
static void wake_all(struct ksqld_sched *s)
{
	pthread_cond_broadcast(&s->rwork);
	pthread_cond_broadcast(&s->wwork);
}

/*
 * Under the lock, after a job finished or moved: a job still queued may
 * have waited for it (same order key, or forwarded to the writer), so
 * whoever could take one looks again. Nothing queued, nobody is woken.
 */
static void wake_for_queue(struct ksqld_sched *s)
{
	if (s->nqueued)
		wake_all(s);
}

void ksqld_sched_submit(struct ksqld_sched *s, struct ksqld_job *j)
{
	pthread_mutex_lock(&s->lock);
	j->seqno = ++s->seqno;
	/* A transaction is idle only while none of its statements arrive. */
	if (j->q.txn_id && j->q.txn_id == s->txn.open_id)
		s->txn.active_ns = j->recv_ns;
	queue_insert(s, j);
	/*
	 * One worker of the job's pool. If it cannot take the job now (its
	 * order key is busy), the job that holds the key wakes the pool again
	 * when it finishes (wake_for_queue()).
	 */
	if (j->pool == KSQLD_POOL_READER && s->nreaders)
		pthread_cond_signal(&s->rwork);
	else
		pthread_cond_signal(&s->wwork);
	pthread_mutex_unlock(&s->lock);
}

/*
 * Do a and b answer to the same requester? Request ids are unique per
 * sink only: the kernel and every control client number from 1. All kernel
 * jobs share one id space (whatever lane brought them); a control client's
 * jobs are its own (its send ctx).
 */
static bool same_sink(const struct ksqld_sink *a, const struct ksqld_sink *b)
{
	if (a->from_kernel || b->from_kernel)
		return a->from_kernel == b->from_kernel;
	return a->send == b->send && a->ctx == b->ctx;
}

static struct ksqld_job *find(struct ksqld_job *list, const struct ksqld_sink *from,
			      uint64_t req_id)
{
	/* LOG jobs have no request id: a CANCEL never names one. */
	for (; list; list = list->next)
		if (list->kind != KSQLD_JOB_LOG && list->q.req_id == req_id &&
		    same_sink(&list->sink, from))
			return list;
	return NULL;
}

static void request_abort(struct ksqld_sched *s, uint64_t txn_id, enum ksqld_txn_end_reason why)
{
	struct ksqld_job *r;

	if (txn_id && s->txn.open_id == txn_id) {
		s->txn.abort = why;
		/* Its running statement must stop before the writer can roll back. */
		for (r = s->running; r; r = r->next)
			if (r->q.txn_id == txn_id && r->running_on)
				ksqld_exec_interrupt(r->running_on->exec);
	} else if (txn_id && !ksqld_txn_find_ended(&s->txn, txn_id)) {
		/* Not open (yet): its BEGIN may still be queued. Remember it as over. */
		ksqld_txn_remember(&s->txn, txn_id, why, 0);
	}
}

void ksqld_sched_cancel(struct ksqld_sched *s, uint64_t req_id, uint64_t txn_id)
{
	static const struct ksqld_sink kernel = { .from_kernel = true, .name = "kernel" };

	ksqld_sched_cancel_from(s, &kernel, req_id, txn_id);
}

void ksqld_sched_cancel_from(struct ksqld_sched *s, const struct ksqld_sink *from,
			     uint64_t req_id, uint64_t txn_id)
{
	struct ksqld_job *j, *drop = NULL;

	ksqld_stat_add(KSQLD_STAT_CANCELS, 1);
	/* Transactions are the kernel's alone. */
	if (!from->from_kernel)
		txn_id = 0;
	pthread_mutex_lock(&s->lock);
	j = find(s->head, from, req_id);
	if (j) {
		queue_del(s, j);
		drop = j;
		ksqld_stat_add(KSQLD_STAT_CANCELLED_QUEUED, 1);
	} else {
		j = find(s->running, from, req_id);
		if (j && j->running_on) {
			/*
			 * Under the lock the worker cannot finish with this job and
			 * start another, nor close its connection: the interrupt
			 * hits this statement or none.
			 */
			atomic_store(&j->cancel_ns, ksqld_now_ns());
			atomic_store(&j->cancelled, true);
			ksqld_exec_interrupt(j->running_on->exec);
		}
	}
	request_abort(s, txn_id, KSQLD_TXN_CANCELLED);
	wake_all(s);
	pthread_mutex_unlock(&s->lock);
	if (drop) {
		log_debug("%s: query %" PRIu64 " cancelled while queued; dropped", drop->sink.name,
			  req_id);
		ksqld_job_free(drop);
		pthread_mutex_lock(&s->lock);
		pthread_cond_broadcast(&s->idle);
		pthread_mutex_unlock(&s->lock);
	}
}

void ksqld_sched_connection_lost(struct ksqld_sched *s)
{
	pthread_mutex_lock(&s->lock);
	request_abort(s, s->txn.open_id, KSQLD_TXN_LOST);
	wake_all(s);
	pthread_mutex_unlock(&s->lock);
}

/* Is key held by a running job or by a queued job received before j? */
static bool key_busy(const struct ksqld_sched *s, const struct ksqld_job *j)
{
	const struct ksqld_job *o;

	if (!j->q.order_key)
		return false;
	for (o = s->running; o; o = o->next)
		if (o->q.order_key == j->q.order_key)
			return true;
	for (o = j->prev; o; o = o->prev)
		if (o->q.order_key == j->q.order_key)
			return true;
	return false;
}

static bool may_take(const struct ksqld_sched *s, const struct ksqld_worker *w,
		     const struct ksqld_job *j)
{
	if (!w->writer) {
		if (j->pool != KSQLD_POOL_READER)
			return false;
	} else {
		/* The writer helps with reads only when there are no readers. */
		if (j->pool == KSQLD_POOL_READER && s->nreaders)
			return false;
		if (s->txn.open_id && j->q.txn_id != s->txn.open_id &&
		    !(j->q.txn_id && !(j->q.flags & KSQL_F_TXN_BEGIN)))
			return false;	/* waits for the open transaction to end */
	}
	return !key_busy(s, j);
}

static struct ksqld_job *pick(struct ksqld_sched *s, struct ksqld_worker *w,
			      struct ksqld_job **expired)
{
	uint64_t now = ksqld_now_ns();
	struct ksqld_job *j, *next;

	for (j = s->head; j; j = next) {
		next = j->next;
		if (j->deadline_ns && now >= j->deadline_ns) {
			/* Its caller has gone: no reply is needed. */
			queue_del(s, j);
			j->next = *expired;
			*expired = j;
			ksqld_stat_add(KSQLD_STAT_EXPIRED, 1);
			continue;
		}
		if (may_take(s, w, j)) {
			queue_del(s, j);
			running_add(s, j);
			j->running_on = w;
			w->job = j;
			return j;
		}
	}
	return NULL;
}

static void free_expired(struct ksqld_job *list)
{
	struct ksqld_job *n;

	for (; list; list = n) {
		n = list->next;
		log_debug("%s: query %" PRIu64 " was past its deadline before it could start; dropped",
			  list->sink.name, list->q.req_id);
		ksqld_job_free(list);
	}
}

static void deadline_to_ts(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / 1000000000u);
	ts->tv_nsec = (long)(ns % 1000000000u);
}

struct ksqld_job *ksqld_sched_take(struct ksqld_sched *s, struct ksqld_worker *w, bool wait)
{
	struct ksqld_job *j = NULL, *expired = NULL;
	struct timespec ts;
	uint64_t due;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		if (s->stopping)
			break;
		if (w->writer && ksqld_txn_due(&s->txn, ksqld_now_ns()))
			break;
		j = pick(s, w, &expired);
		if (j || !wait)
			break;
		due = w->writer ? ksqld_txn_expiry_ns(&s->txn) : 0;
		if (due && !s->txn.abort) {
			deadline_to_ts(due, &ts);
			pthread_cond_timedwait(&s->wwork, &s->lock, &ts);
		} else {
			pthread_cond_wait(w->writer ? &s->wwork : &s->rwork, &s->lock);
		}
	}
	if (expired)
		pthread_cond_broadcast(&s->idle);
	pthread_mutex_unlock(&s->lock);
	free_expired(expired);
	return j;
}

unsigned int ksqld_sched_take_logs(struct ksqld_sched *s, struct ksqld_worker *w,
				   struct ksqld_job **out, unsigned int max, unsigned int max_entries)
{
	struct ksqld_job *j, *next;
	unsigned int n = 0, entries = 0;

	pthread_mutex_lock(&s->lock);
	for (j = s->head; j && n < max && !s->stopping; j = next) {
		next = j->next;
		if (j->kind != KSQLD_JOB_LOG || !may_take(s, w, j))
			continue;
		if (entries + j->log.nentries > max_entries && n)
			break;
		entries += j->log.nentries;
		queue_del(s, j);
		running_add(s, j);
		j->running_on = w;
		out[n++] = j;
	}
	pthread_mutex_unlock(&s->lock);
	return n;
}

void ksqld_sched_finish(struct ksqld_sched *s, struct ksqld_worker *w, struct ksqld_job *j)
{
	pthread_mutex_lock(&s->lock);
	running_del(s, j);
	j->running_on = NULL;
	w->job = NULL;
	if (j->q.txn_id && j->q.txn_id == s->txn.open_id)
		s->txn.active_ns = ksqld_now_ns();
	wake_for_queue(s);
	pthread_cond_broadcast(&s->idle);
	pthread_mutex_unlock(&s->lock);
}

void ksqld_sched_forward(struct ksqld_sched *s, struct ksqld_worker *w, struct ksqld_job *j)
{
	bool drop;

	pthread_mutex_lock(&s->lock);
	running_del(s, j);
	j->running_on = NULL;
	w->job = NULL;
	j->pool = KSQLD_POOL_WRITER;
	/* Cancelled while the reader looked at it: it never ran, drop it. */
	drop = atomic_load(&j->cancelled);
	if (drop)
		ksqld_stat_add(KSQLD_STAT_CANCELLED_QUEUED, 1);
	else
		queue_insert(s, j);
	wake_for_queue(s);
	pthread_cond_broadcast(&s->idle);
	pthread_mutex_unlock(&s->lock);
	if (drop)
		ksqld_job_free(j);
}

bool ksqld_sched_has_queued(struct ksqld_sched *s)
{
	bool ret;

	pthread_mutex_lock(&s->lock);
	ret = s->nqueued > 0;
	pthread_mutex_unlock(&s->lock);
	return ret;
}

void ksqld_sched_stop(struct ksqld_sched *s)
{
	struct ksqld_job *r;

	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	/*
	 * Shutting down does not wait for a long statement: it is interrupted;
	 * a kernel caller then gets -ENOTCONN from BYE, a control client EINTR.
	 */
	for (r = s->running; r; r = r->next) {
		if (!r->running_on)
			continue;
		ksqld_exec_halt(r->running_on->exec);
		if (r->running_on->ctl_exec)
			ksqld_exec_halt(r->running_on->ctl_exec);
	}
	wake_all(s);
	pthread_mutex_unlock(&s->lock);
}

bool ksqld_sched_stopping(struct ksqld_sched *s)
{
	bool ret;

	pthread_mutex_lock(&s->lock);
	ret = s->stopping;
	pthread_mutex_unlock(&s->lock);
	return ret;
}

void ksqld_sched_wait_idle(struct ksqld_sched *s)
{
	pthread_mutex_lock(&s->lock);
	while (s->nqueued || s->nrunning)
		pthread_cond_wait(&s->idle, &s->lock);
	pthread_mutex_unlock(&s->lock);
}

void ksqld_sched_lock(struct ksqld_sched *s)
{
	pthread_mutex_lock(&s->lock);
}

void ksqld_sched_unlock(struct ksqld_sched *s)
{
	pthread_mutex_unlock(&s->lock);
}

struct ksqld_txn_state *ksqld_sched_txn(struct ksqld_sched *s)
{
	return &s->txn;
}
