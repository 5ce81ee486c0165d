// SPDX-License-Identifier: GPL-2.0
/*
 * request.c - pending requests, in-flight slots and the registered daemon.
 *
 * Every request has a u64 id from an atomic64 counter (never reused), a kref
 * and a done bit. Exactly one of reply, timeout, fatal signal or daemon death
 * wins test_and_set_bit(KSQL_REQ_DONE); the winner unhashes the request,
 * gives back its slot, stores the outcome and completes req->done with
 * complete_all(), so the caller may wait on it more than once. An async
 * request's callback is queued by the winner (see async.c). The pending
 * table holds no reference: a request is hashed from admission until done,
 * and its owner holds a reference until it has seen the completion.
 *
 * Slots: at most max_in_flight admitted requests hold a slot; the others
 * wait in FIFO order (ksql_waiters). Statements of an open transaction
 * (after its BEGIN) take none: see ksql_req_admit(). A finished holder hands its slot to the
 * first waiter; a waiter that gives up leaves the queue, and if a slot was
 * handed to it meanwhile its completion hands the slot on, so none is lost.
 *
 * ksql_lock protects the pending table, the slots and the daemon
 * registration, so a request is only ever admitted while a daemon is
 * registered, and daemon death fails every request admitted before it.
 * ksql_exec_async() may be called in atomic context (it refuses hardirq,
 * and on PREEMPT_RT every atomic context, since it allocates, but
 * completions still run there, e.g. under raw locks and from the daemon
 * socket's release), so ksql_lock is a raw spinlock, taken with
 * irqsave, held only for list and table updates, and nothing is allocated,
 * freed or woken through a sleeping lock under it (completions and
 * queue_work() use raw locks).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/hashtable.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/sock.h>

#include "ksql_internal.h"
#include "log.h"
#include "ksql_trace.h"

#define KSQL_PENDING_BITS	8

static DEFINE_RAW_SPINLOCK(ksql_lock);
static DEFINE_HASHTABLE(ksql_pending, KSQL_PENDING_BITS);
static atomic64_t ksql_id_counter = ATOMIC64_INIT(0);
static struct kmem_cache *ksql_req_cache;

/* slots, under ksql_lock */
static unsigned int ksql_slots_used;
static LIST_HEAD(ksql_waiters);

/* the registered daemon, under ksql_lock */
static bool ksql_daemon_up;
static u32 ksql_daemon_portid;
/*
 * Its socket, pinned (sock_hold) from HELLO until it is unregistered: a
 * port number freed by a dying daemon can be bound by anyone, so messages go
 * to this socket object (ksql_nl_unicast()), never to a number, and replies
 * are accepted only from it.
 */
static struct sock *ksql_daemon_sk;
static struct pid *ksql_daemon_tgid;
/* bumped on every registration: transactions are bound to one daemon */
static u64 ksql_daemon_gen;

int ksql_req_cache_init(void)
{
	ksql_req_cache = KMEM_CACHE(ksql_req, 0);
	return ksql_req_cache ? 0 : -ENOMEM;
}

void ksql_req_cache_exit(void)
{
	kmem_cache_destroy(ksql_req_cache);
}

/* A fresh id for a request or a transaction; never reused. */
u64 ksql_next_id(void)
{
	return (u64)atomic64_inc_return(&ksql_id_counter);
}

/**
 * ksql_req_alloc() - allocate a request with a fresh id
 * @gfp: allocation flags (GFP_ATOMIC from atomic context)
 *
 * Return: the request with one reference, or NULL.
 */
struct ksql_req *ksql_req_alloc(gfp_t gfp)
{
	struct ksql_req *req = kmem_cache_zalloc(ksql_req_cache, gfp);

	if (!req)
		return NULL;
	INIT_HLIST_NODE(&req->node);
	INIT_LIST_HEAD(&req->wait);
	INIT_LIST_HEAD(&req->send);
	kref_init(&req->ref);
	init_completion(&req->done);
	init_completion(&req->granted);
	mutex_init(&req->lock);
	req->id = ksql_next_id();
	return req;
}

static void ksql_req_release(struct kref *ref)
{
	struct ksql_req *req = container_of(ref, struct ksql_req, ref);

	ksql_result_free(req->res);
	ksql_result_free(req->out);
	kfree_skb(req->skb);
	mutex_destroy(&req->lock);
	kmem_cache_free(ksql_req_cache, req);
}

/*
 * Process context, unless the request never got a result (an async
 * submission failing before it was accepted, never in hardirq or, on
 * PREEMPT_RT, atomic context, refused first): the release may kvfree().
 */
void ksql_req_put(struct ksql_req *req)
{
	kref_put(&req->ref, ksql_req_release);
}

static unsigned int ksql_slots_max(void)
{
	return max(READ_ONCE(ksql_max_in_flight), 1U);
}

/* ksql_lock held: hand free slots to waiters, first come first served. */
static void __ksql_slots_grant(void)
{
	while (ksql_slots_used < ksql_slots_max() &&
	       !list_empty(&ksql_waiters)) {
		struct ksql_req *req = list_first_entry(&ksql_waiters,
							struct ksql_req, wait);

		list_del_init(&req->wait);
		ksql_stat_dec(KSQL_STAT_WAITING);
		/* read without the lock by ksql_req_slot_waiting() */
		WRITE_ONCE(req->slot, KSQL_SLOT_HELD);
		ksql_slots_used++;
		ksql_stat_inc(KSQL_STAT_IN_FLIGHT);
		if (req->async_done)
			ksql_async_kick();
		else
			complete(&req->granted);
	}
}

/* max_in_flight was raised: let waiters in. */
void ksql_slots_changed(void)
{
	unsigned long irqflags;

	raw_spin_lock_irqsave(&ksql_lock, irqflags);
	__ksql_slots_grant();
	raw_spin_unlock_irqrestore(&ksql_lock, irqflags);
}

/**
 * ksql_req_admit() - make @req pending and give it a slot or a queue place
 * @req: a new request (its id is set)
 * @gen: daemon generation the request must go to, 0 for any
 *
 * Any context. Whether it waits for a slot: ksql_req_slot_waiting().
 *
 * Return: 0, -ENOTCONN when no daemon (of generation @gen) is registered,
 * -ECANCELED when @req was already completed (async timeout).
 */
int ksql_req_admit(struct ksql_req *req, u64 gen)
{
	unsigned long irqflags;
	bool throttled = false;
	int ret = 0;

	raw_spin_lock_irqsave(&ksql_lock, irqflags);
	/* an async request whose timeout fired before it was admitted */
	if (test_bit(KSQL_REQ_DONE, &req->flags)) {
		ret = -ECANCELED;
		goto out;
	}
	if (!ksql_daemon_up || (gen && gen != ksql_daemon_gen)) {
		ret = -ENOTCONN;
		goto out;
	}
	req->portid = ksql_daemon_portid;
	req->gen = ksql_daemon_gen;
	hash_add(ksql_pending, &req->node, req->id);
	if (req->txn_stmt) {
		/*
		 * An open transaction's statement: ksqld holds plain writes
		 * back until the transaction ends, and they keep their slots,
		 * so queueing behind them would wait for ourselves until the
		 * daemon rolls the "idle" transaction back. Bounded without a
		 * slot: one statement at a time per handle, and every handle
		 * got its BEGIN through a slot.
		 */
		WRITE_ONCE(req->slot, KSQL_SLOT_TXN);
		ksql_stat_inc(KSQL_STAT_IN_FLIGHT);
	} else if (ksql_slots_used < ksql_slots_max() &&
		   list_empty(&ksql_waiters)) {
		WRITE_ONCE(req->slot, KSQL_SLOT_HELD);
		ksql_slots_used++;
		ksql_stat_inc(KSQL_STAT_IN_FLIGHT);
	} else {
		WRITE_ONCE(req->slot, KSQL_SLOT_WAITING);
		list_add_tail(&req->wait, &ksql_waiters);
		ksql_stat_inc(KSQL_STAT_THROTTLED);
		ksql_stat_inc(KSQL_STAT_WAITING);
		throttled = true;
	}
out:
	raw_spin_unlock_irqrestore(&ksql_lock, irqflags);
	if (throttled)
		trace_ksql_throttle(req->id, ksql_stat_read(KSQL_STAT_WAITING));
	return ret;
}

/**
 * ksql_req_slot_waiting() - does @req still wait for a slot?
 * @req: an admitted request
 *
 * Return: true while it is queued (not granted, not done).
 */
bool ksql_req_slot_waiting(struct ksql_req *req)
{
	return READ_ONCE(req->slot) == KSQL_SLOT_WAITING;
}

/**
 * ksql_req_lookup() - find the pending request a daemon's reply answers
 * @id: KSQL_A_REQ_ID of the reply
 * @sk: the socket the reply came from
 *
 * Only a request that was sent (%KSQL_REQ_SENT) to the daemon registered on
 * @sk, in its generation, matches: a reply naming a request that still
 * waits for a slot, or one admitted for an earlier daemon, answers nothing.
 *
 * Return: the request with a reference (release with ksql_req_put()), NULL
 * if nobody waits for @id, ERR_PTR(-EPROTO) if @id is pending but was not
 * sent to this daemon.
 */
struct ksql_req *ksql_req_lookup(u64 id, const struct sock *sk)
{
	struct ksql_req *req, *found = NULL;
	unsigned long irqflags;

	raw_spin_lock_irqsave(&ksql_lock, irqflags);
	hash_for_each_possible(ksql_pending, req, node, id) {
		if (req->id != id)
			continue;
		if (!ksql_daemon_up || ksql_daemon_sk != sk ||
		    req->gen != ksql_daemon_gen ||
		    !test_bit(KSQL_REQ_SENT, &req->flags)) {
			found = ERR_PTR(-EPROTO);
			break;
		}
		kref_get(&req->ref);
		found = req;
		break;
	}
	raw_spin_unlock_irqrestore(&ksql_lock, irqflags);
	return found;
}

/* ksql_lock held, done bit won */
static void __ksql_req_finish(struct ksql_req *req, int err,
			      struct ksql_result *out)
{
	if (!hlist_unhashed(&req->node))
		hash_del(&req->node);
	switch (req->slot) {
	case KSQL_SLOT_WAITING:
		list_del_init(&req->wait);
		ksql_stat_dec(KSQL_STAT_WAITING);
		if (!req->async_done)
			complete(&req->granted);
		break;
	case KSQL_SLOT_HELD:
		ksql_slots_used--;
		ksql_stat_dec(KSQL_STAT_IN_FLIGHT);
		__ksql_slots_grant();
		break;
	case KSQL_SLOT_TXN:
		ksql_stat_dec(KSQL_STAT_IN_FLIGHT);
		break;
	case KSQL_SLOT_NONE:
		break;
	}
	WRITE_ONCE(req->slot, KSQL_SLOT_NONE);
	req->out = out;
	req->err = err;
	/* nobody sleeps on an async request (and this may be atomic) */
	if (req->async_done)
		ksql_async_completed(req);
	else
		complete_all(&req->done);
}

/**
 * ksql_req_complete() - try to complete a request
 * @req: the request
 * @err: its outcome, 0 or a negative errno
 * @out: result handed to the caller, may be NULL
 *
 * Any context. Gives back the request's slot or queue place.
 *
 * Return: true if this call won the done bit (and @out now belongs to the
 * request), false if the request was already completed (@out stays with the
 * caller of this function).
 */
bool ksql_req_complete(struct ksql_req *req, int err, struct ksql_result *out)
{
	unsigned long irqflags;

	if (test_and_set_bit(KSQL_REQ_DONE, &req->flags))
		return false;
	raw_spin_lock_irqsave(&ksql_lock, irqflags);
	__ksql_req_finish(req, err, out);
	raw_spin_unlock_irqrestore(&ksql_lock, irqflags);
	return true;
}

static void __ksql_req_fail_all(int err)
{
	struct ksql_req *req;
	struct hlist_node *tmp;
	int bkt;

	hash_for_each_safe(ksql_pending, bkt, tmp, req, node) {
		if (!test_and_set_bit(KSQL_REQ_DONE, &req->flags))
			__ksql_req_finish(req, err, NULL);
	}
}

/**
 * ksql_daemon_alive() - is the daemon of generation @gen still registered?
 * @gen: generation recorded at admission
 *
 * Return: true if it is.
 */
bool ksql_daemon_alive(u64 gen)
{
	unsigned long irqflags;
	bool ret;

	raw_spin_lock_irqsave(&ksql_lock, irqflags);
	ret = ksql_daemon_up && ksql_daemon_gen == gen;
	raw_spin_unlock_irqrestore(&ksql_lock, irqflags);
	return ret;
}

/**
 * ksql_daemon_register() - make @sk the daemon (HELLO)
 * @sk: the sending netlink socket, in init_net
 * @portid: its port, for the tracepoint and the log
 *
 * Pins @sk until the daemon is unregistered. A second HELLO from the
 * registered socket is accepted again, silently.
 *
 * Return: 0, or -EBUSY while another daemon's socket is registered (its
 * release unregisters it at once, see the netlink notifier).
 */
int ksql_daemon_register(struct sock *sk, u32 portid)
{
	struct pid *tgid = get_pid(task_tgid(current));
	unsigned long irqflags;
	bool fresh = false;
	int ret = 0;

	sock_hold(sk);
	raw_spin_lock_irqsave(&ksql_lock, irqflags);
	if (ksql_daemon_up) {
		ret = ksql_daemon_sk == sk ? 0 : -EBUSY;
	} else {
		ksql_daemon_up = true;
		ksql_daemon_portid = portid;
		swap(ksql_daemon_sk, sk);
		ksql_daemon_gen++;
		swap(ksql_daemon_tgid, tgid);
		ksql_stat_inc(KSQL_STAT_DAEMON_CONNECTS);
		fresh = true;
	}
	raw_spin_unlock_irqrestore(&ksql_lock, irqflags);
	put_pid(tgid);
	/* not taken: the reference; taken: NULL (no daemon was pinned) */
	if (sk)
		sock_put(sk);
	if (fresh) {
		trace_ksql_daemon_connect(portid, task_tgid_nr(current));
		/*
		 * once per registration, not per HELLO, and a daemon that
		 * comes and goes in a loop must not flood the log either
		 */
		pr_info_ratelimited("daemon registered (port %u, pid %d)\n",
				    portid, task_tgid_nr(current));
		/* logged tables send what they hold to the new daemon */
		ksql_log_daemon_up();
	}
	return ret;
}

/**
 * ksql_daemon_unregister() - forget the daemon on @portid (BYE or death)
 * @portid: netlink port
 * @sk: its socket (BYE), or NULL when only the port is known (release)
 * @reason: %KSQL_DISC_BYE or %KSQL_DISC_RELEASE, for the tracepoint
 *
 * Every pending request, waiting or in flight, fails with -ENOTCONN, and
 * the daemon's socket is unpinned.
 *
 * Return: 0, or -ENOENT if @portid (@sk) is not the registered daemon.
 */
int ksql_daemon_unregister(u32 portid, const struct sock *sk,
			   enum ksql_disc_reason reason)
{
	struct sock *old = NULL;
	struct pid *tgid = NULL;
	unsigned long irqflags;
	int ret = -ENOENT;

	raw_spin_lock_irqsave(&ksql_lock, irqflags);
	if (ksql_daemon_up && ksql_daemon_portid == portid &&
	    (!sk || ksql_daemon_sk == sk)) {
		ksql_daemon_up = false;
		ksql_daemon_portid = 0;
		swap(ksql_daemon_sk, old);
		swap(ksql_daemon_tgid, tgid);
		__ksql_req_fail_all(-ENOTCONN);
		ret = 0;
	}
	raw_spin_unlock_irqrestore(&ksql_lock, irqflags);
	put_pid(tgid);
	if (old)
		sock_put(old);
	if (!ret) {
		trace_ksql_daemon_disconnect(portid, reason);
		pr_info_ratelimited("daemon unregistered (port %u)\n", portid);
	}
	return ret;
}

/**
 * ksql_daemon_is() - is @sk the registered daemon's socket?
 * @sk: the socket a message came from
 *
 * Return: true if it is.
 */
bool ksql_daemon_is(const struct sock *sk)
{
	unsigned long irqflags;
	bool ret;

	raw_spin_lock_irqsave(&ksql_lock, irqflags);
	ret = ksql_daemon_up && ksql_daemon_sk == sk;
	raw_spin_unlock_irqrestore(&ksql_lock, irqflags);
	return ret;
}

/**
 * ksql_daemon_sock_get() - the registered daemon's socket, referenced
 * @gen: the daemon generation the message is for, 0 for any
 *
 * Any context. The check and the reference are taken under the lock, so
 * the caller sends to the socket that was registered at this instant (or,
 * if it dies right after, to its dead socket, which nobody reads).
 *
 * Return: the socket (release with sock_put()), or NULL when no daemon (of
 * generation @gen) is registered.
 */
struct sock *ksql_daemon_sock_get(u64 gen)
{
	struct sock *sk = NULL;
	unsigned long irqflags;

	raw_spin_lock_irqsave(&ksql_lock, irqflags);
	if (ksql_daemon_up && (!gen || gen == ksql_daemon_gen)) {
		sk = ksql_daemon_sk;
		sock_hold(sk);
	}
	raw_spin_unlock_irqrestore(&ksql_lock, irqflags);
	return sk;
}

/**
 * ksql_daemon_current() - the registered daemon's port and generation
 * @portid: set to its port
 * @gen: set to its generation (bumped by every registration)
 *
 * Return: true if a daemon is registered (and *@portid, *@gen are set).
 */
bool ksql_daemon_current(u32 *portid, u64 *gen)
{
	unsigned long irqflags;
	bool ret;

	raw_spin_lock_irqsave(&ksql_lock, irqflags);
	ret = ksql_daemon_up;
	*portid = ksql_daemon_portid;
	*gen = ksql_daemon_gen;
	raw_spin_unlock_irqrestore(&ksql_lock, irqflags);
	return ret;
}

/**
 * ksql_daemon_pid() - process id of the registered daemon
 *
 * Return: the daemon's tgid as seen from the current pid namespace, 0 when no
 * daemon is registered (or it is not visible).
 */
pid_t ksql_daemon_pid(void)
{
	unsigned long irqflags;
	pid_t nr = 0;

	raw_spin_lock_irqsave(&ksql_lock, irqflags);
	if (ksql_daemon_up)
		nr = pid_vnr(ksql_daemon_tgid);
	raw_spin_unlock_irqrestore(&ksql_lock, irqflags);
	return nr;
}

/* Module unload: drop the daemon and fail everything still pending. */
void ksql_daemon_exit(void)
{
	struct sock *sk = NULL;
	struct pid *tgid = NULL;
	unsigned long irqflags;
	bool was_up;
	u32 portid;

	raw_spin_lock_irqsave(&ksql_lock, irqflags);
	was_up = ksql_daemon_up;
	portid = ksql_daemon_portid;
	ksql_daemon_up = false;
	ksql_daemon_portid = 0;
	swap(ksql_daemon_sk, sk);
	swap(ksql_daemon_tgid, tgid);
	__ksql_req_fail_all(-ENOTCONN);
	raw_spin_unlock_irqrestore(&ksql_lock, irqflags);
	put_pid(tgid);
	if (sk)
		sock_put(sk);
	if (was_up)
		trace_ksql_daemon_disconnect(portid, KSQL_DISC_UNLOAD);
}

/**
 * ksql_req_wait_slot() - sleep until @req holds a slot or is done
 * @req: an admitted request of the current task
 * @timeout: jiffies, > 0
 *
 * Killable. On timeout or signal @req is still queued: the caller completes
 * it, which takes it off the queue (or passes on a slot granted meanwhile).
 *
 * Return: > 0 granted or done, 0 timed out, -ERESTARTSYS fatal signal.
 */
long ksql_req_wait_slot(struct ksql_req *req, long timeout)
{
	return wait_for_completion_killable_timeout(&req->granted, timeout);
}
