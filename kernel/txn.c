// SPDX-License-Identifier: GPL-2.0
/*
 * txn.c - transactions: several statements on one daemon connection, all
 * or nothing.
 *
 * A handle has an id from the request id counter (KSQL_A_TXN_ID, also its
 * ORDER_KEY), the generation of the daemon its BEGIN reached (a restarted
 * daemon knows nothing of it: later statements fail with -ENOTCONN without
 * being sent) and one deadline for the whole transaction. A statement that
 * times out or is interrupted sends CANCEL with the TXN_ID (see exec.c) and
 * the daemon rolls back; so does the daemon on idleness or the deadline,
 * answering ETIMEDOUT or ECANCELED. Either way the handle is broken: later
 * statements and the commit return that error.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/slab.h>

#include "ksql_internal.h"
#include "ksql_trace.h"

/* bounded wait for a best-effort ROLLBACK */
#define KSQL_TXN_ROLLBACK_MS	1000

struct ksql_txn {
	u64 id;
	u64 gen;		/* daemon generation of the BEGIN */
	unsigned long deadline;	/* jiffies */
	u64 deadline_ns;	/* the same, ktime_get_ns() based */
	int broken;		/* 0, or the error that ended it */
};

static long ksql_txn_left(const struct ksql_txn *txn)
{
	return (long)(txn->deadline - jiffies);
}

/* Errors after which the transaction no longer exists on the daemon. */
static void ksql_txn_note(struct ksql_txn *txn, int ret)
{
	switch (ret) {
	case -ETIMEDOUT:
	case -EINTR:
	case -ECANCELED:
	case -ENOTCONN:
		if (txn->broken)
			return;
		txn->broken = ret;
		trace_ksql_txn(txn->id, KSQL_TXN_OP_ABORT, ret);
		break;
	}
}

/* Send one statement or verb of @txn and wait at most @left jiffies. */
static int ksql_txn_run(struct ksql_txn *txn, const char *sql,
			const struct ksql_value *args, unsigned int nargs,
			u32 flags, struct ksql_result **out, long left,
			u64 deadline_ns)
{
	struct ksql_query q;
	int ret;

	*out = NULL;
	ret = ksql_query_check(&q, sql, args, nargs);
	if (ret)
		return ret;
	q.flags = flags;
	q.txn_id = txn->id;
	q.order_key = txn->id;
	if (flags & KSQL_F_TXN_BEGIN)
		q.idle_ms = READ_ONCE(ksql_txn_idle_ms);
	q.timeout_ms = min_t(u64, jiffies64_to_msecs(left), U32_MAX);
	q.deadline_ns = deadline_ns;
	return ksql_exec_query(&q, txn->gen, out, left,
			       flags & KSQL_F_TXN_BEGIN ? &txn->gen : NULL);
}

/**
 * ksql_txn_begin() - open a transaction on the daemon
 * @timeout_jiffies: how long the whole transaction may take, > 0: every
 *                   statement and the commit wait at most what is left, and
 *                   the daemon rolls back when it is over
 *
 * Sleeps (killable). The daemon opens the transaction on its writer
 * connection and rolls it back when the caller dies, times out, or sends
 * no statement for txn_idle_ms (module parameter). End it with
 * ksql_txn_commit() or ksql_txn_rollback().
 *
 * Return: the handle, or ERR_PTR(): -EINVAL bad @timeout_jiffies,
 * -ENOTCONN no daemon, -ETIMEDOUT, -EINTR fatal signal, -ENOMEM, or the
 * daemon's error (e.g. -EBUSY).
 */
struct ksql_txn *ksql_txn_begin(long timeout_jiffies)
{
	struct ksql_result *out;
	struct ksql_txn *txn;
	int ret;

	might_sleep();
	if (timeout_jiffies <= 0)
		return ERR_PTR(-EINVAL);
	txn = kzalloc(sizeof(*txn), GFP_KERNEL);
	if (!txn)
		return ERR_PTR(-ENOMEM);
	txn->id = ksql_next_id();
	txn->deadline = jiffies + timeout_jiffies;
	txn->deadline_ns = ktime_get_ns() +
			   jiffies64_to_msecs(timeout_jiffies) * NSEC_PER_MSEC;
	ret = ksql_txn_run(txn, NULL, NULL, 0, KSQL_F_TXN_BEGIN, &out,
			   timeout_jiffies, txn->deadline_ns);
	ksql_result_free(out);
	trace_ksql_txn(txn->id, KSQL_TXN_OP_BEGIN, ret);
	if (ret) {
		kfree(txn);
		return ERR_PTR(ret);
	}
	ksql_stat_inc(KSQL_STAT_TXN_BEGUN);
	return txn;
}
EXPORT_SYMBOL_GPL(ksql_txn_begin);

/**
 * ksql_txn_exec() - run one SQL statement inside a transaction
 * @txn: handle from ksql_txn_begin()
 * @sql: NUL-terminated SQL text, at most %KSQL_SQL_MAX bytes
 * @args: @nargs values bound to ?1..?N; may be NULL if @nargs is 0
 * @nargs: number of @args
 * @res: where to store the result, or NULL
 *
 * Sleeps (killable), at most until the transaction's deadline. An SQL
 * error leaves the transaction open; a timeout, a fatal signal, the
 * daemon's death or its rollback (idle, deadline, cancel) ends it, and
 * every later call on @txn returns that same error without sending.
 * Exception: an SQL error after which SQLite itself has rolled the whole
 * transaction back (a conflict under INSERT OR ROLLBACK or UPDATE OR
 * ROLLBACK, RAISE(ROLLBACK, ...) in a trigger, some disk-full, I/O,
 * out-of-memory or busy errors) returns its own error and ends the
 * transaction too: every later ksql_txn_exec() and ksql_txn_commit() on
 * @txn then returns -EIO from the daemon, and nothing is committed.
 *
 * The statement takes no in-flight slot (max_in_flight): the daemon holds
 * other writes back until the transaction ends, and they keep their slots,
 * so a transaction's statements (and its commit or rollback) never wait
 * behind requests that wait for the transaction. Use a handle from one
 * task at a time.
 *
 * Return: as ksql_exec_timeout(); also -ENOTCONN when the daemon that
 * began @txn went away, -ETIMEDOUT or -ECANCELED when the daemon rolled it
 * back, -EIO when SQLite rolled it back after an earlier error (see
 * above), -EINVAL for a NULL @txn or @sql.
 */
int ksql_txn_exec(struct ksql_txn *txn, const char *sql,
		  const struct ksql_value *args, unsigned int nargs,
		  struct ksql_result **res)
{
	struct ksql_result *out = NULL;
	long left;
	int ret;

	might_sleep();
	if (res)
		*res = NULL;
	if (IS_ERR_OR_NULL(txn) || !sql)
		return -EINVAL;
	if (txn->broken)
		return txn->broken;
	left = ksql_txn_left(txn);
	if (left <= 0) {
		/* the daemon rolls back at the deadline by itself */
		ksql_stat_inc(KSQL_STAT_TIMED_OUT);
		ksql_txn_note(txn, -ETIMEDOUT);
		return -ETIMEDOUT;
	}
	ret = ksql_txn_run(txn, sql, args, nargs, 0, &out, left,
			   txn->deadline_ns);
	if (ret && ret != -ETIMEDOUT && ret != -EINTR)
		ksql_stat_inc(KSQL_STAT_FAILED);
	ksql_txn_note(txn, ret);
	if (res)
		*res = out;
	else
		ksql_result_free(out);
	return ret;
}
EXPORT_SYMBOL_GPL(ksql_txn_exec);

/**
 * ksql_txn_commit() - commit a transaction and free its handle
 * @txn: handle from ksql_txn_begin(); invalid after the call
 *
 * Sleeps (killable), at most until the transaction's deadline.
 *
 * Return: 0 committed; otherwise nothing was committed (unless the commit
 * itself timed out or was interrupted after reaching the daemon): the error
 * that broke @txn earlier (-ETIMEDOUT, -EINTR, -ECANCELED, -ENOTCONN), -EIO
 * when SQLite rolled it back after an error of one of its statements (see
 * ksql_txn_exec()), or the commit's own error (-ETIMEDOUT, -EINTR,
 * -ENOTCONN, -EBUSY ...), -EINVAL for a NULL @txn.
 */
int ksql_txn_commit(struct ksql_txn *txn)
{
	struct ksql_result *out = NULL;
	long left;
	int ret;

	might_sleep();
	if (IS_ERR_OR_NULL(txn))
		return -EINVAL;
	left = ksql_txn_left(txn);
	if (txn->broken) {
		ret = txn->broken;
	} else if (left <= 0) {
		ksql_stat_inc(KSQL_STAT_TIMED_OUT);
		ret = -ETIMEDOUT;
	} else {
		ret = ksql_txn_run(txn, NULL, NULL, 0, KSQL_F_TXN_COMMIT, &out,
				   left, txn->deadline_ns);
		ksql_result_free(out);
	}
	trace_ksql_txn(txn->id, KSQL_TXN_OP_COMMIT, ret);
	ksql_stat_inc(ret ? KSQL_STAT_TXN_ABORTED : KSQL_STAT_TXN_COMMITTED);
	kfree(txn);
	return ret;
}
EXPORT_SYMBOL_GPL(ksql_txn_commit);

/**
 * ksql_txn_rollback() - roll a transaction back and free its handle
 * @txn: handle from ksql_txn_begin(), or an ERR_PTR() or NULL (ignored);
 *       invalid after the call
 *
 * Sleeps. When the transaction is still open on the daemon that began it,
 * sends ROLLBACK and waits for the answer, at most until the transaction's
 * deadline and never more than a second; the daemon rolls back anyway when
 * that fails (cancel, idleness, deadline).
 */
void ksql_txn_rollback(struct ksql_txn *txn)
{
	struct ksql_result *out = NULL;
	long left;
	int ret = 0;

	might_sleep();
	if (IS_ERR_OR_NULL(txn))
		return;
	left = min_t(long, ksql_txn_left(txn),
		     msecs_to_jiffies(KSQL_TXN_ROLLBACK_MS));
	if (!txn->broken && left > 0 && ksql_daemon_alive(txn->gen)) {
		ret = ksql_txn_run(txn, NULL, NULL, 0, KSQL_F_TXN_ROLLBACK,
				   &out, left,
				   ktime_get_ns() + jiffies_to_nsecs(left));
		ksql_result_free(out);
	}
	trace_ksql_txn(txn->id, KSQL_TXN_OP_ROLLBACK, ret ? ret : txn->broken);
	ksql_stat_inc(KSQL_STAT_TXN_ABORTED);
	kfree(txn);
}
EXPORT_SYMBOL_GPL(ksql_txn_rollback);
