// SPDX-License-Identifier: GPL-2.0
/*
 * request.c - pending requests and the registered daemon.
 *
 * Every request has a u64 id from an atomic64 counter (never reused), a kref
 * and a done bit. Exactly one of reply, timeout, fatal signal or daemon death
 * wins test_and_set_bit(KSQL_REQ_DONE); the winner unhashes the request,
 * stores the outcome and completes req->done with complete_all(), so the
 * caller may wait on it more than once (killable wait, then a final wait
 * after losing the race for the done bit). The pending table holds no
 * reference: a request is hashed only while its caller waits, and the caller
 * holds a reference until it has seen the completion.
 *
 * ksql_lock protects the pending table and the daemon registration, so a
 * request is only ever inserted while a daemon is registered, and daemon
 * death fails every request inserted before it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/hashtable.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "ksql_internal.h"
#include "ksql_trace.h"

#define KSQL_PENDING_BITS	8

static DEFINE_SPINLOCK(ksql_lock);
static DEFINE_HASHTABLE(ksql_pending, KSQL_PENDING_BITS);
static atomic64_t ksql_next_id = ATOMIC64_INIT(0);
static struct kmem_cache *ksql_req_cache;

/* the registered daemon, under ksql_lock */
static bool ksql_daemon_up;
static u32 ksql_daemon_portid;
static struct pid *ksql_daemon_tgid;

int ksql_req_cache_init(void)
{
	ksql_req_cache = KMEM_CACHE(ksql_req, 0);
	return ksql_req_cache ? 0 : -ENOMEM;
}

void ksql_req_cache_exit(void)
{
	kmem_cache_destroy(ksql_req_cache);
}

struct ksql_req *ksql_req_alloc(gfp_t gfp)
{
	struct ksql_req *req = kmem_cache_zalloc(ksql_req_cache, gfp);

	if (!req)
		return NULL;
	INIT_HLIST_NODE(&req->node);
	kref_init(&req->ref);
	init_completion(&req->done);
	mutex_init(&req->lock);
	return req;
}

static void ksql_req_release(struct kref *ref)
{
	struct ksql_req *req = container_of(ref, struct ksql_req, ref);

	ksql_result_free(req->res);
	ksql_result_free(req->out);
	mutex_destroy(&req->lock);
	kmem_cache_free(ksql_req_cache, req);
}

/* Process context only: the release may kvfree(). */
void ksql_req_put(struct ksql_req *req)
{
	kref_put(&req->ref, ksql_req_release);
}

/**
 * ksql_req_insert() - give @req a fresh id and make it pending
 * @req: a new request
 *
 * Return: 0, or -ENOTCONN when no daemon is registered.
 */
int ksql_req_insert(struct ksql_req *req)
{
	int ret = 0;

	req->id = (u64)atomic64_inc_return(&ksql_next_id);
	spin_lock_bh(&ksql_lock);
	if (ksql_daemon_up) {
		req->portid = ksql_daemon_portid;
		hash_add(ksql_pending, &req->node, req->id);
		ksql_stat_inc(KSQL_STAT_IN_FLIGHT);
	} else {
		ret = -ENOTCONN;
	}
	spin_unlock_bh(&ksql_lock);
	return ret;
}

/**
 * ksql_req_lookup() - find a pending request and take a reference
 * @id: request id
 *
 * Return: the request (release with ksql_req_put()) or NULL if nobody waits.
 */
struct ksql_req *ksql_req_lookup(u64 id)
{
	struct ksql_req *req, *found = NULL;

	spin_lock_bh(&ksql_lock);
	hash_for_each_possible(ksql_pending, req, node, id) {
		if (req->id == id) {
			kref_get(&req->ref);
			found = req;
			break;
		}
	}
	spin_unlock_bh(&ksql_lock);
	return found;
}

/* ksql_lock held, done bit won */
static void __ksql_req_finish(struct ksql_req *req, int err,
			      struct ksql_result *out)
{
	if (!hlist_unhashed(&req->node)) {
		hash_del(&req->node);
		ksql_stat_dec(KSQL_STAT_IN_FLIGHT);
	}
	req->out = out;
	req->err = err;
	complete_all(&req->done);
}

/**
 * ksql_req_complete() - try to complete a pending request
 * @req: the request
 * @err: its outcome, 0 or a negative errno
 * @out: result handed to the caller, may be NULL
 *
 * Return: true if this call won the done bit (and @out now belongs to the
 * request), false if the request was already completed (@out stays with the
 * caller of this function).
 */
bool ksql_req_complete(struct ksql_req *req, int err, struct ksql_result *out)
{
	if (test_and_set_bit(KSQL_REQ_DONE, &req->flags))
		return false;
	spin_lock_bh(&ksql_lock);
	__ksql_req_finish(req, err, out);
	spin_unlock_bh(&ksql_lock);
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
 * ksql_req_fail_all() - complete every pending request with @err
 * @err: negative errno
 */
void ksql_req_fail_all(int err)
{
	spin_lock_bh(&ksql_lock);
	__ksql_req_fail_all(err);
	spin_unlock_bh(&ksql_lock);
}

/**
 * ksql_daemon_register() - make @portid the daemon (HELLO)
 * @portid: netlink port of the sending socket, in init_net
 *
 * A second HELLO from the registered port is accepted again.
 *
 * Return: 0, or -EBUSY while another daemon's socket is registered (its
 * release unregisters it at once, see the netlink notifier).
 */
int ksql_daemon_register(u32 portid)
{
	struct pid *tgid = get_pid(task_tgid(current));
	bool fresh = false;
	int ret = 0;

	spin_lock_bh(&ksql_lock);
	if (ksql_daemon_up) {
		ret = ksql_daemon_portid == portid ? 0 : -EBUSY;
	} else {
		ksql_daemon_up = true;
		ksql_daemon_portid = portid;
		swap(ksql_daemon_tgid, tgid);
		ksql_stat_inc(KSQL_STAT_DAEMON_CONNECTS);
		fresh = true;
	}
	spin_unlock_bh(&ksql_lock);
	put_pid(tgid);
	if (fresh)
		trace_ksql_daemon_connect(portid, task_tgid_nr(current));
	if (!ret)
		pr_info("daemon registered (port %u, pid %d)\n", portid,
			task_tgid_nr(current));
	return ret;
}

/**
 * ksql_daemon_unregister() - forget the daemon on @portid (BYE or death)
 * @portid: netlink port
 * @reason: %KSQL_DISC_BYE or %KSQL_DISC_RELEASE, for the tracepoint
 *
 * Every pending request fails with -ENOTCONN.
 *
 * Return: 0, or -ENOENT if @portid is not the registered daemon.
 */
int ksql_daemon_unregister(u32 portid, enum ksql_disc_reason reason)
{
	struct pid *tgid = NULL;
	int ret = -ENOENT;

	spin_lock_bh(&ksql_lock);
	if (ksql_daemon_up && ksql_daemon_portid == portid) {
		ksql_daemon_up = false;
		ksql_daemon_portid = 0;
		swap(ksql_daemon_tgid, tgid);
		__ksql_req_fail_all(-ENOTCONN);
		ret = 0;
	}
	spin_unlock_bh(&ksql_lock);
	put_pid(tgid);
	if (!ret) {
		trace_ksql_daemon_disconnect(portid, reason);
		pr_info("daemon unregistered (port %u)\n", portid);
	}
	return ret;
}

/**
 * ksql_daemon_is() - is @portid the registered daemon?
 * @portid: netlink port, in init_net
 *
 * Return: true if it is.
 */
bool ksql_daemon_is(u32 portid)
{
	bool ret;

	spin_lock_bh(&ksql_lock);
	ret = ksql_daemon_up && ksql_daemon_portid == portid;
	spin_unlock_bh(&ksql_lock);
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
	pid_t nr = 0;

	spin_lock_bh(&ksql_lock);
	if (ksql_daemon_up)
		nr = pid_vnr(ksql_daemon_tgid);
	spin_unlock_bh(&ksql_lock);
	return nr;
}

/* Module unload: drop the daemon and fail everything still pending. */
void ksql_daemon_exit(void)
{
	struct pid *tgid = NULL;
	bool was_up;
	u32 portid;

	spin_lock_bh(&ksql_lock);
	was_up = ksql_daemon_up;
	portid = ksql_daemon_portid;
	ksql_daemon_up = false;
	ksql_daemon_portid = 0;
	swap(ksql_daemon_tgid, tgid);
	__ksql_req_fail_all(-ENOTCONN);
	spin_unlock_bh(&ksql_lock);
	put_pid(tgid);
	if (was_up)
		trace_ksql_daemon_disconnect(portid, KSQL_DISC_UNLOAD);
}
