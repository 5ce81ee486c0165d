// SPDX-License-Identifier: GPL-2.0
/*
 * table.c - ksql_table_open(), ksql_table_flush(), ksql_table_close(), the
 * module-wide list of open tables, and their per-table STATS nests.
 *
 * Opening checks the name and the column list, allocates the table and its
 * ring up front (so ksql_log() never allocates), reserves the name in
 * ksql_tables, then asks the daemon with a TABLE_OPEN over the ordinary
 * request path (admission, slots, timeout, fatal signal, daemon death) and
 * only then marks the table ready. Acks, STATS and the reconnect kick only
 * look at ready tables. ksql_tables_mutex is held while an ack is applied,
 * so close (which unlinks under it first) never frees a table in use.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <net/netlink.h>

#include "ksql_internal.h"
#include "log.h"
#include "ksql_trace.h"

static DEFINE_MUTEX(ksql_tables_mutex);
static LIST_HEAD(ksql_tables);

void ksql_tables_lock(void)
{
	mutex_lock(&ksql_tables_mutex);
}

void ksql_tables_unlock(void)
{
	mutex_unlock(&ksql_tables_mutex);
}

/* ksql_tables_mutex held: the ready table @name with @epoch, or NULL. */
struct ksql_table *ksql_table_get_locked(const char *name, u64 epoch)
{
	struct ksql_table *t;

	list_for_each_entry(t, &ksql_tables, node)
		if (t->ready && t->epoch == epoch && !strcmp(t->name, name))
			return t;
	return NULL;
}

/*
 * ASCII only, as ksqld checks them (daemon/logmsg.c): the kernel's
 * isalpha() also takes Latin-1 letters, which ksqld would refuse only after
 * the table was set up here.
 */
static bool ksql_ident_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool ksql_ident_char(char c)
{
	return ksql_ident_start(c) || (c >= '0' && c <= '9');
}

static bool ksql_ident_ok(const char *s, size_t len)
{
	size_t i;

	if (!len || !ksql_ident_start(s[0]))
		return false;
	for (i = 1; i < len; i++)
		if (!ksql_ident_char(s[i]))
			return false;
	return true;
}

static bool ksql_table_name_ok(const char *name)
{
	size_t len = strnlen(name, KSQL_TABLE_NAME_MAX + 1);

	return len <= KSQL_TABLE_NAME_MAX && ksql_ident_ok(name, len) &&
	       strncasecmp(name, "ksql_", 5) && strncasecmp(name, "sqlite_", 7);
}

static const struct {
	const char *name;
	const char *canon;
	u8 type;
} ksql_col_types[] = {
	{ "INTEGER",	"INTEGER",	KSQL_INT },
	{ "INT",	"INTEGER",	KSQL_INT },
	{ "REAL",	"REAL",		KSQL_REAL },
	{ "TEXT",	"TEXT",		KSQL_TEXT },
	{ "BLOB",	"BLOB",		KSQL_BLOB },
	{ "ANY",	"ANY",		KSQL_COL_ANY },
};

/* Append @len bytes of @s to @out (@size bytes); false when full. */
static bool ksql_append(char *out, size_t size, size_t *pos, const char *s,
			size_t len)
{
	if (*pos + len >= size)
		return false;
	memcpy(out + *pos, s, len);
	*pos += len;
	out[*pos] = '\0';
	return true;
}

/* Does the canonical list @out have a column @w (@wl bytes, any case)? */
static bool ksql_columns_has(const char *out, const char *w, size_t wl)
{
	const char *c = out, *e;

	while (*c) {
		e = strchr(c, ' ');
		if (!e)
			break;
		if (e - c == wl && !strncasecmp(c, w, wl))
			return true;
		c = strstr(e, ", ");
		if (!c)
			break;
		c += 2;
	}
	return false;
}

/*
 * Parse "name TYPE, name TYPE" into @t: canonical text (types upper case,
 * INT as INTEGER, ", " between columns), types and count. Column names
 * follow the table-name rules, are unique (case-insensitively) and do not
 * start with "ksql_" (ksqld adds ksql_producer, ksql_seq, ksql_time).
 */
static int ksql_columns_parse(struct ksql_table *t, const char *cols)
{
	const char *p = cols, *w, *typ;
	size_t pos = 0, wl, tl;
	unsigned int i;
	char *out;

	out = kmalloc(KSQL_COLUMNS_MAX + 1, GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	out[0] = '\0';
	for (;;) {
		p = skip_spaces(p);
		w = p;
		while (ksql_ident_char(*p))
			p++;
		wl = p - w;
		p = skip_spaces(p);
		typ = p;
		while (ksql_ident_char(*p))
			p++;
		tl = p - typ;
		p = skip_spaces(p);
		if (t->ncols == KSQL_TABLE_COLS_MAX || !ksql_ident_ok(w, wl) ||
		    wl > KSQL_TABLE_NAME_MAX ||
		    (wl >= 5 && !strncasecmp(w, "ksql_", 5)))
			goto inval;
		if (ksql_columns_has(out, w, wl))
			goto inval;
		for (i = 0; i < ARRAY_SIZE(ksql_col_types); i++)
			if (strlen(ksql_col_types[i].name) == tl &&
			    !strncasecmp(ksql_col_types[i].name, typ, tl))
				break;
		if (i == ARRAY_SIZE(ksql_col_types))
			goto inval;
		if ((t->ncols && !ksql_append(out, KSQL_COLUMNS_MAX + 1, &pos,
					      ", ", 2)) ||
		    !ksql_append(out, KSQL_COLUMNS_MAX + 1, &pos, w, wl) ||
		    !ksql_append(out, KSQL_COLUMNS_MAX + 1, &pos, " ", 1) ||
		    !ksql_append(out, KSQL_COLUMNS_MAX + 1, &pos,
				 ksql_col_types[i].canon,
				 strlen(ksql_col_types[i].canon)))
			goto inval;
		t->types[t->ncols++] = ksql_col_types[i].type;
		if (!*p)
			break;
		if (*p++ != ',')
			goto inval;
	}
	t->columns = out;
	t->columns_len = pos;
	return 0;

inval:
	kfree(out);
	return -EINVAL;
}

static void ksql_table_free(struct ksql_table *t)
{
	vfree(t->ring);
	kfree(t->columns);
	mutex_destroy(&t->send_mutex);
	kfree(t);
}

static struct ksql_table *ksql_table_alloc(const char *name, const char *cols)
{
	u32 limit = clamp(READ_ONCE(ksql_log_backlog_bytes),
			  KSQL_LOG_BACKLOG_MIN, KSQL_LOG_BACKLOG_MAX);
	struct ksql_table *t;
	int ret;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return ERR_PTR(-ENOMEM);
	strscpy(t->name, name, sizeof(t->name));
	mutex_init(&t->send_mutex);
	ret = ksql_columns_parse(t, cols);
	if (ret)
		goto err;
	t->limit = round_down(limit, 8);
	t->size = t->limit + KSQL_LOG_GAP_RESERVE;
	t->ring = vmalloc(t->size);
	if (!t->ring) {
		ret = -ENOMEM;
		goto err;
	}
	raw_spin_lock_init(&t->lock);
	INIT_DELAYED_WORK(&t->dwork, ksql_log_send_fn);
	INIT_DELAYED_WORK(&t->watch, ksql_log_watch_fn);
	init_waitqueue_head(&t->flush_wait);
	INIT_LIST_HEAD(&t->node);
	t->next_seq = 1;
	do {
		t->epoch = get_random_u64();
	} while (!t->epoch);
	t->hdr_size = ksql_log_header_size(t);
	return t;

err:
	ksql_table_free(t);
	return ERR_PTR(ret);
}

/* Send TABLE_OPEN and wait for its RESULT. */
static int ksql_table_open_remote(struct ksql_table *t)
{
	long timeout = max(msecs_to_jiffies(READ_ONCE(ksql_default_timeout_ms)),
			   1UL);
	struct ksql_result *res = NULL;
	struct ksql_query q;
	int ret;

	memset(&q, 0, sizeof(q));
	q.table = t->name;
	q.columns = t->columns;
	q.payload = nla_total_size_64bit(sizeof(u64)) +	/* REQ_ID */
		    nla_total_size(sizeof(u32)) +		/* TIMEOUT_MS */
		    nla_total_size_64bit(sizeof(u64)) +	/* DEADLINE_NS */
		    nla_total_size(strlen(t->name) + 1) +
		    nla_total_size(t->columns_len + 1);
	ksql_query_set_timeout(&q, timeout);
	ret = ksql_exec_query(&q, 0, &res, timeout, NULL);
	if (ret && res && ksql_result_errmsg(res))
		pr_err_ratelimited("table %s: the daemon refused it (%d): %s\n",
				   t->name, ret, ksql_result_errmsg(res));
	else if (ret)
		pr_err_ratelimited("table %s: open failed (%d)\n", t->name,
				   ret);
	ksql_result_free(res);
	return ret;
}

/**
 * ksql_table_open() - open (create or check) a logged table
 * @name: table name, [A-Za-z_][A-Za-z0-9_]*, at most %KSQL_TABLE_NAME_MAX
 *        bytes, not starting with "ksql_" or "sqlite_" (any case)
 * @columns: user columns, "name TYPE, ..." (at most %KSQL_TABLE_COLS_MAX),
 *           names as table names (ASCII, at most %KSQL_TABLE_NAME_MAX
 *           bytes), TYPE one of INTEGER, INT, REAL, TEXT, BLOB, ANY in any
 *           case
 * @flags: must be 0
 *
 * Allocates the table and its backlog ring (log_backlog_bytes, read now)
 * and asks ksqld to create the table or check that an existing one has the
 * same columns, waiting at most default_timeout_ms. Process context,
 * sleeps (killable).
 *
 * Return: the table, or ERR_PTR() of -EINVAL (bad name, columns or flags),
 * -EBUSY (a table of that name is open in this module), -ENOTCONN (no
 * daemon), -ETIMEDOUT, -EINTR, -ENOMEM, or the daemon's errno, such as
 * -EEXIST (the table exists with other columns; its message is logged).
 */
struct ksql_table *ksql_table_open(const char *name, const char *columns,
				   unsigned int flags)
{
	struct ksql_table *t, *o;
	int ret = 0;

	might_sleep();
	if (flags || !name || !columns || !ksql_table_name_ok(name))
		return ERR_PTR(-EINVAL);
	t = ksql_table_alloc(name, columns);
	if (IS_ERR(t))
		return t;

	mutex_lock(&ksql_tables_mutex);
	list_for_each_entry(o, &ksql_tables, node)
		if (!strcasecmp(o->name, name))
			ret = -EBUSY;
	if (!ret)
		list_add_tail(&t->node, &ksql_tables);
	mutex_unlock(&ksql_tables_mutex);
	if (!ret)
		ret = ksql_table_open_remote(t);
	if (ret) {
		mutex_lock(&ksql_tables_mutex);
		list_del(&t->node);
		mutex_unlock(&ksql_tables_mutex);
		ksql_table_free(t);
		return ERR_PTR(ret);
	}

	mutex_lock(&ksql_tables_mutex);
	t->ready = true;
	ksql_stat_inc(KSQL_STAT_LOG_TABLES);
	mutex_unlock(&ksql_tables_mutex);
	pr_debug("table %s open, epoch %llu, backlog %u bytes\n", t->name,
		 t->epoch, t->limit);
	return t;
}
EXPORT_SYMBOL_GPL(ksql_table_open);

/**
 * ksql_table_flush() - wait until every row logged so far is committed
 * @t: the table
 * @timeout_jiffies: how long to wait; 0 or less means default_timeout_ms
 *
 * Closes the open gap (if the ring has room for it), sends what is unsent
 * at once and sleeps (killable) until the daemon has acked every sequence
 * number assigned before the call, rows and gaps alike. Process context.
 *
 * Return: 0, -ETIMEDOUT, -EINTR (fatal signal) or -EINVAL (@t is NULL).
 */
int ksql_table_flush(struct ksql_table *t, long timeout_jiffies)
{
	unsigned long irqflags;
	u64 target;
	long left;

	might_sleep();
	if (!t)
		return -EINVAL;
	if (timeout_jiffies <= 0)
		timeout_jiffies = max(msecs_to_jiffies(READ_ONCE(ksql_default_timeout_ms)),
				      1UL);
	raw_spin_lock_irqsave(&t->lock, irqflags);
	ksql_ring_close_gap(t);
	target = t->next_seq - 1;
	raw_spin_unlock_irqrestore(&t->lock, irqflags);
	if (ksql_table_acked_seq(t) >= target)
		return 0;
	ksql_log_kick(t, 0);
	left = wait_event_killable_timeout(t->flush_wait,
					   ksql_table_acked_seq(t) >= target,
					   timeout_jiffies);
	if (left > 0)
		return 0;
	return left ? -EINTR : -ETIMEDOUT;
}
EXPORT_SYMBOL_GPL(ksql_table_flush);

/**
 * ksql_table_close() - stop logging to @t and free it
 * @t: the table, or NULL or an ERR_PTR() (ignored)
 *
 * Stops its sender and frees the ring. Rows not acked by then are dropped
 * with one warning naming the table and the count, so callers flush first.
 * No ksql_log() on @t may run during or after this call. Process context.
 */
void ksql_table_close(struct ksql_table *t)
{
	unsigned long irqflags;
	u64 rows, lost;

	might_sleep();
	if (IS_ERR_OR_NULL(t))
		return;
	mutex_lock(&ksql_tables_mutex);
	list_del(&t->node);
	if (t->ready)
		ksql_stat_dec(KSQL_STAT_LOG_TABLES);
	mutex_unlock(&ksql_tables_mutex);
	/* the sender and the watchdog queue each other: stop both for good */
	mutex_lock(&t->send_mutex);
	t->closing = true;
	mutex_unlock(&t->send_mutex);
	cancel_delayed_work_sync(&t->dwork);
	cancel_delayed_work_sync(&t->watch);

	raw_spin_lock_irqsave(&t->lock, irqflags);
	rows = t->rows;
	lost = t->gap_first ? t->gap_last - t->gap_first + 1 : 0;
	raw_spin_unlock_irqrestore(&t->lock, irqflags);
	if (rows || lost)
		pr_warn("table %s closed with %llu rows not committed and %llu lost rows not recorded\n",
			t->name, rows, lost);
	ksql_table_free(t);
}
EXPORT_SYMBOL_GPL(ksql_table_close);

/* A new daemon registered: every table sends what it holds again. */
void ksql_log_daemon_up(void)
{
	struct ksql_table *t;

	mutex_lock(&ksql_tables_mutex);
	list_for_each_entry(t, &ksql_tables, node)
		if (t->ready)
			ksql_log_kick(t, 0);
	mutex_unlock(&ksql_tables_mutex);
}

/* ksql_tables_mutex held */
unsigned int ksql_tables_count(void)
{
	struct ksql_table *t;
	unsigned int n = 0;

	list_for_each_entry(t, &ksql_tables, node)
		n += t->ready;
	return n;
}

/* Bytes of @ntables KSQL_A_TABLE_STATS nests. */
size_t ksql_table_stats_size(unsigned int ntables)
{
	return (size_t)ntables *
	       (nla_total_size(0) + nla_total_size(KSQL_TABLE_NAME_MAX + 1) +
		KSQL_TSTAT_MAX * nla_total_size_64bit(sizeof(u64)));
}

/* ksql_tables_mutex held: one KSQL_A_TABLE_STATS nest per ready table. */
int ksql_table_stats_put(struct sk_buff *msg)
{
	struct ksql_table *t;
	unsigned long irqflags;
	u64 v[__KSQL_TSTAT_LAST];
	struct nlattr *nest;
	int i;

	list_for_each_entry(t, &ksql_tables, node) {
		if (!t->ready)
			continue;
		memset(v, 0, sizeof(v));
		raw_spin_lock_irqsave(&t->lock, irqflags);
		v[KSQL_TSTAT_EPOCH] = t->epoch;
		v[KSQL_TSTAT_BACKLOG_BYTES] = t->used;
		v[KSQL_TSTAT_BACKLOG_ROWS] = t->rows;
		v[KSQL_TSTAT_LOGGED] = t->logged;
		v[KSQL_TSTAT_SENT] = t->sent;
		v[KSQL_TSTAT_ACKED] = t->acked;
		v[KSQL_TSTAT_LOST] = t->lost_backlog + t->lost_too_big;
		v[KSQL_TSTAT_LOST_BACKLOG] = t->lost_backlog;
		v[KSQL_TSTAT_LOST_TOO_BIG] = t->lost_too_big;
		v[KSQL_TSTAT_RESENT] = t->resent;
		v[KSQL_TSTAT_BATCHES] = t->batches;
		v[KSQL_TSTAT_LIMIT_BYTES] = t->limit;
		v[KSQL_TSTAT_ACK_TIMEOUTS] = t->stalled;
		raw_spin_unlock_irqrestore(&t->lock, irqflags);

		nest = nla_nest_start(msg, KSQL_A_TABLE_STATS);
		if (!nest || nla_put_string(msg, KSQL_TSTAT_NAME, t->name))
			return -EMSGSIZE;
		for (i = KSQL_TSTAT_EPOCH; i <= KSQL_TSTAT_MAX; i++)
			if (nla_put_u64_64bit(msg, i, v[i], KSQL_TSTAT_PAD))
				return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	return 0;
}

int ksql_log_init(void)
{
	ksql_log_wq = alloc_workqueue("ksql_log", WQ_UNBOUND, 0);
	return ksql_log_wq ? 0 : -ENOMEM;
}

/* Module unload: users hold references while tables are open, but be safe. */
void ksql_log_exit(void)
{
	struct ksql_table *t;

	for (;;) {
		mutex_lock(&ksql_tables_mutex);
		t = list_first_entry_or_null(&ksql_tables, struct ksql_table,
					     node);
		mutex_unlock(&ksql_tables_mutex);
		if (!t)
			break;
		pr_warn("table %s still open at unload\n", t->name);
		ksql_table_close(t);
	}
	destroy_workqueue(ksql_log_wq);
}
