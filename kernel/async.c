// SPDX-License-Identifier: GPL-2.0
/*
 * async.c - ksql_exec_async(): submit from any context, callback later in
 * process context.
 *
 * Submission builds the QUERY with the caller's gfp, admits the request
 * (slot or FIFO queue place) and appends it to one send list, both under
 * ksql_send_lock, so the list is in admission order. One work item on an
 * ordered workqueue drains the list in order: the head is sent only once
 * it holds a slot (slots are granted in FIFO order, so the head always gets
 * one before any later request), and a head whose send failed with -EAGAIN
 * blocks the list until its retry, so one submitter's requests reach the
 * daemon in submission order.
 *
 * Every request has a delayed work failing it at its deadline; the winner
 * of the done bit queues the callback work on ksql_wq, which cancels the
 * timeout, calls done() and drops the owner's reference. The send list holds
 * a reference of its own, dropped by the sender.
 *
 * Contexts: submission allocates (the request, the QUERY skb) and a refused
 * submission frees, with the caller's gfp. On PREEMPT_RT the allocator takes
 * sleeping locks, so there a submission from a context that cannot sleep
 * (hardirq, irqs or preemption disabled, a raw spinlock held) is refused
 * with -EOPNOTSUPP before anything is allocated. Hard interrupt context is
 * refused on every kernel: code tested on a non-RT kernel must not start
 * failing on RT, and lockdep (PROVE_RAW_LOCK_NESTING, the debug kernel)
 * reports the allocator's locks taken there as an invalid wait context
 * anyway. Everything freed after a
 * submission is accepted is freed in process context (sender, callback
 * work). NMI is refused everywhere. A pool of preallocated requests was not
 * chosen: a QUERY carries up to max_query_bytes of SQL and values, so a pool
 * would pin that much per entry, and a pool that runs dry fails the caller
 * anyway; a hardirq caller on RT can defer to a threaded handler or
 * irq_work, where the allocator works.
 *
 * Owners: a request pins the module of its done() (ksql_exec_async() passes
 * THIS_MODULE) from submission until done() has returned, so done() never
 * runs in an unloaded module. Until then the request is on ksql_live, which
 * ksql_async_drain() walks to cancel one module's requests and wait for
 * their callbacks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "ksql_internal.h"
#include "ksql_trace.h"

/* callbacks and timeouts; not ordered: a callback waits for its timeout */
static struct workqueue_struct *ksql_wq;
/* the one sender */
static struct workqueue_struct *ksql_send_wq;
/* raw: taken with irqs off; nests outside ksql_lock */
static DEFINE_RAW_SPINLOCK(ksql_send_lock);
static LIST_HEAD(ksql_send_list);

static void ksql_send_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(ksql_send_dwork, ksql_send_fn);

/* requests whose done() has not returned; raw: submission may be atomic */
static DEFINE_RAW_SPINLOCK(ksql_live_lock);
static LIST_HEAD(ksql_live);
/* woken when a request leaves ksql_live */
static DECLARE_WAIT_QUEUE_HEAD(ksql_live_wq);

/*
 * Run the sender soon. Any context. A sender waiting for its -EAGAIN
 * backoff is not hurried: queue_delayed_work() leaves a pending one alone.
 */
void ksql_async_kick(void)
{
	queue_delayed_work(ksql_send_wq, &ksql_send_dwork, 0);
}

static void ksql_send_fn(struct work_struct *work)
{
	struct ksql_req *req;
	unsigned long irqflags, delay;
	s64 left_ns;
	int ret;

	for (;;) {
		raw_spin_lock_irqsave(&ksql_send_lock, irqflags);
		req = list_first_entry_or_null(&ksql_send_list,
					       struct ksql_req, send);
		if (req && test_bit(KSQL_REQ_DONE, &req->flags)) {
			list_del_init(&req->send);
			raw_spin_unlock_irqrestore(&ksql_send_lock, irqflags);
			ksql_req_put(req);
			continue;
		}
		raw_spin_unlock_irqrestore(&ksql_send_lock, irqflags);
		/* a request waiting for its slot is kicked when granted */
		if (!req || ksql_req_slot_waiting(req))
			return;

		ret = ksql_req_send(req);
		if (ret == -EAGAIN) {
			/* its timeout work fails it at the deadline */
			delay = ksql_backoff_jiffies(req->attempt);
			left_ns = (s64)(req->deadline_ns - ktime_get_ns());
			if (left_ns > 0)
				delay = min(delay, nsecs_to_jiffies(left_ns) + 1);
			queue_delayed_work(ksql_send_wq, &ksql_send_dwork,
					   delay);
			return;
		}
		if (ret)
			ksql_req_complete(req, ret, NULL);
		raw_spin_lock_irqsave(&ksql_send_lock, irqflags);
		list_del_init(&req->send);
		raw_spin_unlock_irqrestore(&ksql_send_lock, irqflags);
		ksql_req_put(req);
	}
}

static void ksql_async_timeout_fn(struct work_struct *work)
{
	struct ksql_req *req = container_of(to_delayed_work(work),
					    struct ksql_req, timeout_work);

	if (!ksql_req_complete(req, -ETIMEDOUT, NULL))
		return;
	ksql_stat_inc(KSQL_STAT_TIMED_OUT);
	if (test_bit(KSQL_REQ_SENT, &req->flags))
		ksql_nl_send_cancel(req, KSQL_CANCEL_TIMEOUT);
}

static void ksql_async_cb_fn(struct work_struct *work)
{
	struct ksql_req *req = container_of(work, struct ksql_req, cb_work);
	unsigned long irqflags;
	struct ksql_result *out;
	int err;

	/* a running timeout may still use req */
	cancel_delayed_work_sync(&req->timeout_work);
	out = req->out;
	req->out = NULL;
	err = req->err;
	trace_ksql_query_end(req->id, ktime_get_ns() - req->start_ns, err,
			     out ? ksql_result_rows(out) : 0,
			     out ? ksql_result_cols(out) : 0);
	if (err && err != -ETIMEDOUT)
		ksql_stat_inc(KSQL_STAT_FAILED);
	req->async_done(out, err, req->ctx);
	/*
	 * done() has returned: its module may go. Unpinned before the request
	 * leaves ksql_live, so a module whose ksql_async_drain() returned
	 * holds no reference of ours any more.
	 */
	module_put(req->owner);
	raw_spin_lock_irqsave(&ksql_live_lock, irqflags);
	list_del_init(&req->live);
	raw_spin_unlock_irqrestore(&ksql_live_lock, irqflags);
	wake_up_all(&ksql_live_wq);
	ksql_req_put(req);
}

/* @req won its done bit (ksql_lock held, any context): run its callback. */
void ksql_async_completed(struct ksql_req *req)
{
	queue_work(ksql_wq, &req->cb_work);
	/* let the sender drop it from the list if it is still there */
	ksql_async_kick();
}

/**
 * ksql_context_ok() - may a ksql call run in the current context?
 * @allocates: the call allocates (ksql_exec_async()), or not (ksql_log())
 *
 * NMI is never allowed: ksql's spinlocks, the clock read and the workqueue
 * calls can deadlock against the code the NMI interrupted.
 * ksql_exec_async() also needs a context that may take the allocator's
 * locks, which sleep on PREEMPT_RT: never hard interrupt context, on any
 * kernel (the RT rule, kept everywhere so that a caller behaves the same on
 * both), and on PREEMPT_RT only a preemptible one (threaded irq handlers,
 * softirq, tasks are). Refusals are counted (refused_context).
 *
 * Return: 0, -EPERM in NMI, -EOPNOTSUPP in hardirq or, on PREEMPT_RT, in
 * another atomic context.
 */
int ksql_context_ok(bool allocates)
{
	if (unlikely(in_nmi())) {
		ksql_stat_inc(KSQL_STAT_REFUSED_CONTEXT);
		return -EPERM;
	}
	if (allocates && (in_hardirq() ||
			  (IS_ENABLED(CONFIG_PREEMPT_RT) && !preemptible()))) {
		ksql_stat_inc(KSQL_STAT_REFUSED_CONTEXT);
		return -EOPNOTSUPP;
	}
	return 0;
}

/**
 * ksql_exec_async_owner() - run one SQL statement without waiting for it
 * @owner: the module @done belongs to, pinned from an accepted submission
 *         until @done has returned (NULL: none pinned); ksql_exec_async()
 *         passes THIS_MODULE
 * @sql: NUL-terminated SQL text, at most %KSQL_SQL_MAX bytes
 * @args: @nargs values bound to ?1..?N, may be NULL if @nargs is 0; copied
 *        before the call returns
 * @nargs: number of @args
 * @done: called once with the outcome, later, in process context (a ksql
 *        workqueue): never from this call, never from the daemon's netlink
 *        handler
 * @ctx: passed to @done; requests with the same @ctx reach the daemon, and
 *       run there, in the order they were submitted
 * @gfp: allocation flags, e.g. %GFP_ATOMIC from atomic context
 *
 * Contexts: task and softirq (with a non-sleeping @gfp in atomic context),
 * but never NMI (-EPERM) nor hard interrupt context (an irq handler, an
 * HRTIMER_MODE_HARD timer: -EOPNOTSUPP), where the allocator's locks sleep
 * on PREEMPT_RT; defer to a threaded handler, irq_work or a softirq timer.
 * On PREEMPT_RT only a preemptible context is allowed (tasks, softirq,
 * threaded irq handlers): a raw spinlock held, irqs or preemption disabled
 * get -EOPNOTSUPP too. Nothing is allocated or freed in a refused call.
 * Refusals are counted (refused_context).
 * The statement waits for an in-flight slot and retries a full daemon queue
 * like ksql_exec(), within the default_timeout_ms deadline.
 *
 * @done(res, err, ctx) gets err 0 and the result, or a negative errno:
 * -ENOTCONN no daemon (or it died), -ETIMEDOUT (deadline passed; the daemon
 * is told to cancel), -ECANCELED cancelled by ksql_async_drain(), -E2BIG
 * result over max_result_bytes, -EPROTO malformed reply, -ENOMEM, or the
 * errno of an SQL error with @res carrying SQLite's code and message. @res
 * may be NULL; it belongs to @done, which frees it with ksql_result_free().
 *
 * While a request of @owner is outstanding, @owner cannot be unloaded
 * (rmmod fails with EBUSY); a module that wants to go away sooner cancels
 * them with ksql_async_drain() first.
 *
 * Return: 0 when accepted (then @done is called exactly once); -EINVAL bad
 * arguments or NULL @done, -E2BIG SQL, a value or the query over its limit,
 * -ENOMEM, -EPERM NMI, -EOPNOTSUPP hardirq (or atomic context on
 * PREEMPT_RT), -ENODEV
 * @owner is being unloaded: not accepted, and @done is never called.
 */
int ksql_exec_async_owner(struct module *owner, const char *sql,
			  const struct ksql_value *args, unsigned int nargs,
			  void (*done)(struct ksql_result *res, int err,
				       void *ctx),
			  void *ctx, gfp_t gfp)
{
	unsigned long irqflags;
	struct ksql_query q;
	struct ksql_req *req;
	long timeout;
	int ret;

	ret = ksql_context_ok(true);
	if (ret)
		return ret;
	if (!sql || !done)
		return -EINVAL;
	ret = ksql_query_check(&q, sql, args, nargs);
	if (ret)
		return ret;
	timeout = max_t(long, msecs_to_jiffies(READ_ONCE(ksql_default_timeout_ms)),
			1);
	q.order_key = ksql_order_key_ctx(ctx);
	ksql_query_set_timeout(&q, timeout);

	if (!try_module_get(owner))
		return -ENODEV;
	req = ksql_req_alloc(gfp);
	if (!req) {
		module_put(owner);
		return -ENOMEM;
	}
	req->skb = ksql_nl_build_query(&q, req->id, gfp);
	if (!req->skb) {
		/* nothing that needs process context to free yet */
		ksql_req_put(req);
		module_put(owner);
		return -ENOMEM;
	}
	req->async_done = done;
	req->ctx = ctx;
	req->owner = owner;
	req->start_ns = ktime_get_ns();
	req->deadline_ns = q.deadline_ns;
	INIT_WORK(&req->cb_work, ksql_async_cb_fn);
	INIT_DELAYED_WORK(&req->timeout_work, ksql_async_timeout_fn);
	ksql_stat_inc(KSQL_STAT_ASYNC);
	trace_ksql_query_start(req->id, q.sql_len, q.nargs, q.timeout_ms,
			       true);
	raw_spin_lock_irqsave(&ksql_live_lock, irqflags);
	list_add_tail(&req->live, &ksql_live);
	raw_spin_unlock_irqrestore(&ksql_live_lock, irqflags);

	/*
	 * From here on the callback may run (and drop the owner's reference)
	 * at any time; the send list's reference, taken first, keeps req
	 * alive until the sender has seen it done. Admission and the list
	 * append happen under ksql_send_lock, so the list is in FIFO slot
	 * order. A request not admitted is still listed, only to be dropped.
	 */
	kref_get(&req->ref);
	queue_delayed_work(ksql_wq, &req->timeout_work, timeout);
	raw_spin_lock_irqsave(&ksql_send_lock, irqflags);
	ret = ksql_req_admit(req, 0);
	list_add_tail(&req->send, &ksql_send_list);
	if (ret == -ENOTCONN) {
		ksql_stat_inc(KSQL_STAT_NOT_CONNECTED);
		ksql_req_complete(req, ret, NULL);
	}
	raw_spin_unlock_irqrestore(&ksql_send_lock, irqflags);
	ksql_async_kick();
	return 0;
}
EXPORT_SYMBOL_GPL(ksql_exec_async_owner);

/* the function itself, not the macro of <ksql.h> */
#undef ksql_exec_async

/**
 * ksql_exec_async() - ksql_exec_async_owner() without an owner
 * @sql: as ksql_exec_async_owner()
 * @args: as ksql_exec_async_owner()
 * @nargs: as ksql_exec_async_owner()
 * @done: as ksql_exec_async_owner()
 * @ctx: as ksql_exec_async_owner()
 * @gfp: as ksql_exec_async_owner()
 *
 * The exported function behind the name, kept for modules built against a
 * header without the ksql_exec_async() macro: it pins no module, so such a
 * caller must make sure every @done has run before it unloads. Code built
 * with <ksql.h> calls ksql_exec_async_owner(THIS_MODULE, ...) instead.
 *
 * Return: as ksql_exec_async_owner().
 */
int ksql_exec_async(const char *sql, const struct ksql_value *args,
		    unsigned int nargs,
		    void (*done)(struct ksql_result *res, int err, void *ctx),
		    void *ctx, gfp_t gfp)
{
	return ksql_exec_async_owner(NULL, sql, args, nargs, done, ctx, gfp);
}
EXPORT_SYMBOL_GPL(ksql_exec_async);

/* A request of @owner not completed yet, with a reference; or NULL. */
static struct ksql_req *ksql_live_find(struct module *owner)
{
	struct ksql_req *req, *found = NULL;
	unsigned long irqflags;

	raw_spin_lock_irqsave(&ksql_live_lock, irqflags);
	list_for_each_entry(req, &ksql_live, live) {
		if (req->owner != owner || test_bit(KSQL_REQ_DONE, &req->flags))
			continue;
		kref_get(&req->ref);
		found = req;
		break;
	}
	raw_spin_unlock_irqrestore(&ksql_live_lock, irqflags);
	return found;
}

/* No request of @owner left whose done() has not returned? */
static bool ksql_live_idle(struct module *owner)
{
	unsigned long irqflags;
	struct ksql_req *req;
	bool idle = true;

	raw_spin_lock_irqsave(&ksql_live_lock, irqflags);
	list_for_each_entry(req, &ksql_live, live) {
		if (req->owner == owner) {
			idle = false;
			break;
		}
	}
	raw_spin_unlock_irqrestore(&ksql_live_lock, irqflags);
	return idle;
}

/**
 * ksql_async_drain() - cancel a module's async requests and wait for them
 * @owner: the module whose requests go (THIS_MODULE; NULL: those submitted
 *         through the ownerless ksql_exec_async() symbol)
 *
 * Every request of @owner that has not completed yet completes with
 * -ECANCELED (the daemon is told to cancel those it got, counted in
 * cancels_sent); then the call sleeps until every @done of @owner, these
 * and those already queued, has returned. Afterwards no @done of @owner
 * runs and ksql holds no reference on @owner, so it can be unloaded.
 *
 * The caller stops submitting first: requests submitted meanwhile may or
 * may not be cancelled, and are waited for. It must not be called from a
 * @done (it would wait for itself). Since every request pins @owner, a
 * module calls this before rmmod can succeed, e.g. when the subsystem that
 * submits is shut down, not from its module_exit (which runs only once no
 * request is left). Process context; sleeps at most until the callbacks
 * already running return.
 */
void ksql_async_drain(struct module *owner)
{
	struct ksql_req *req;

	might_sleep();
	while ((req = ksql_live_find(owner))) {
		if (ksql_req_complete(req, -ECANCELED, NULL) &&
		    test_bit(KSQL_REQ_SENT, &req->flags))
			ksql_nl_send_cancel(req, KSQL_CANCEL_DRAIN);
		ksql_req_put(req);
	}
	wait_event(ksql_live_wq, ksql_live_idle(owner));
}
EXPORT_SYMBOL_GPL(ksql_async_drain);

int ksql_async_init(void)
{
	ksql_wq = alloc_workqueue("ksql", WQ_UNBOUND, 0);
	if (!ksql_wq)
		return -ENOMEM;
	ksql_send_wq = alloc_ordered_workqueue("ksql_send", 0);
	if (!ksql_send_wq) {
		destroy_workqueue(ksql_wq);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Module unload, after ksql_daemon_exit() failed every request: run the
 * remaining callbacks, then let the sender drop every listed request.
 */
void ksql_async_exit(void)
{
	/* a send in progress ends before the callbacks' queue goes */
	flush_delayed_work(&ksql_send_dwork);
	destroy_workqueue(ksql_wq);
	ksql_async_kick();
	flush_delayed_work(&ksql_send_dwork);
	destroy_workqueue(ksql_send_wq);
	WARN_ON(!list_empty(&ksql_send_list));
	WARN_ON(!list_empty(&ksql_live));
}
