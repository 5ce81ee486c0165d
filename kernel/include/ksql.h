/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksql.h - in-kernel API of ksql: SQLite for kernel code, executed by the
 * user-space daemon ksqld over generic netlink.
 *
 * Use from another module with
 *   ccflags-y += -I<ksql>/kernel/include
 *   KBUILD_EXTRA_SYMBOLS=<ksql>/kernel/Module.symvers
 *
 * The names and meanings declared here are a fixed contract: add, don't rename.
 */
#ifndef _KSQL_H
#define _KSQL_H

#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/types.h>
#include <linux/string.h>

/* SQL value types; the order matches KSQL_A_VAL_* in ksql_genl.h. */
enum ksql_type { KSQL_NULL, KSQL_INT, KSQL_REAL, KSQL_TEXT, KSQL_BLOB };

/**
 * struct ksql_value - one SQL value (parameter or result cell)
 * @type: the SQL type
 * @len: length in bytes, for %KSQL_TEXT and %KSQL_BLOB
 * @i: value of a %KSQL_INT
 * @real: IEEE-754 binary64 bit pattern of a %KSQL_REAL (no FP in the kernel)
 * @text: bytes of a %KSQL_TEXT, not necessarily NUL-terminated; @len counts.
 *        In a &struct ksql_result the text is NUL-terminated in memory as a
 *        convenience (@len excludes the NUL).
 * @blob: bytes of a %KSQL_BLOB
 */
struct ksql_value {
	enum ksql_type type;
	u32 len;
	union {
		s64 i;
		u64 real;
		const char *text;
		const void *blob;
	};
};

/*
 * Constructors: compound literals, usable in initializers and as &KSQL_VINT(1).
 * KSQL_VTEXT(s) evaluates @s twice (for .len = strlen(s)).
 */
#define KSQL_VNULL		((struct ksql_value){ .type = KSQL_NULL })
#define KSQL_VINT(x)		((struct ksql_value){ .type = KSQL_INT, .i = (x) })
#define KSQL_VREAL_BITS(u)	((struct ksql_value){ .type = KSQL_REAL, .real = (u) })
#define KSQL_VTEXT(s)		((struct ksql_value){ .type = KSQL_TEXT, \
				  .len = strlen(s), .text = (s) })
#define KSQL_VBLOB(p, n)	((struct ksql_value){ .type = KSQL_BLOB, \
				  .len = (n), .blob = (p) })

/* Opaque result of a statement: columns, rows, changes, rowid, error. */
struct ksql_result;

int ksql_exec(const char *sql, const struct ksql_value *args, unsigned int nargs,
	      struct ksql_result **res);
int ksql_exec_timeout(const char *sql, const struct ksql_value *args,
		      unsigned int nargs, struct ksql_result **res,
		      long timeout_jiffies);
/*
 * Asynchronous statements: submitted from task or softirq context (atomic
 * is fine); done() runs later in process context. Refused from NMI (-EPERM),
 * from hard interrupt context (-EOPNOTSUPP, on every kernel) and, on
 * PREEMPT_RT, from any context that cannot sleep (-EOPNOTSUPP): it
 * allocates. See ksql_exec_async_owner() in kernel/async.c.
 */
int ksql_exec_async(const char *sql, const struct ksql_value *args,
		    unsigned int nargs,
		    void (*done)(struct ksql_result *res, int err, void *ctx),
		    void *ctx, gfp_t gfp);
int ksql_exec_async_owner(struct module *owner, const char *sql,
			  const struct ksql_value *args, unsigned int nargs,
			  void (*done)(struct ksql_result *res, int err,
				       void *ctx),
			  void *ctx, gfp_t gfp);
void ksql_async_drain(struct module *owner);

/*
 * ksql_exec_async() as called from a module: @done's module is pinned until
 * @done has returned (see ksql_exec_async_owner()), and its outstanding
 * requests can be cancelled with ksql_async_drain(THIS_MODULE). The
 * exported function of that name (no module pinned) stays for modules built
 * against an older header.
 */
#define ksql_exec_async(sql, args, nargs, done, ctx, gfp)		\
	ksql_exec_async_owner(THIS_MODULE, sql, args, nargs, done, ctx, gfp)

unsigned int ksql_result_rows(const struct ksql_result *r);
unsigned int ksql_result_cols(const struct ksql_result *r);
const char *ksql_result_colname(const struct ksql_result *r, unsigned int col);
const struct ksql_value *ksql_result_value(const struct ksql_result *r,
					   unsigned int row, unsigned int col);
u64 ksql_result_changes(const struct ksql_result *r);
s64 ksql_result_last_rowid(const struct ksql_result *r);
int ksql_result_errcode(const struct ksql_result *r);
const char *ksql_result_errmsg(const struct ksql_result *r);
void ksql_result_free(struct ksql_result *r);

/*
 * Transactions: several statements on one daemon connection, all or nothing.
 * An SQL error leaves a transaction open, except one after which SQLite has
 * rolled it back itself (INSERT OR ROLLBACK, RAISE(ROLLBACK), some I/O and
 * disk-full errors): later statements and the commit then return -EIO.
 * A transaction's statements take no in-flight slot, so they never queue
 * behind writes the daemon holds back for the transaction.
 */
struct ksql_txn;

struct ksql_txn *ksql_txn_begin(long timeout_jiffies);
int ksql_txn_exec(struct ksql_txn *txn, const char *sql,
		  const struct ksql_value *args, unsigned int nargs,
		  struct ksql_result **res);
int ksql_txn_commit(struct ksql_txn *txn);
void ksql_txn_rollback(struct ksql_txn *txn);

/*
 * Logging: a table whose rows kernel code appends from any context but NMI
 * (ksql_log() returns -EPERM there).
 * @columns lists the user columns, "name TYPE, ..." with TYPE one of
 * INTEGER (or INT), REAL, TEXT, BLOB, ANY; ksqld adds ksql_producer,
 * ksql_seq and ksql_time in front of them. Table and column names are ASCII
 * identifiers, [A-Za-z_][A-Za-z0-9_]*, of at most KSQL_TABLE_NAME_MAX bytes
 * (anything else: -EINVAL). @flags must be 0.
 */
struct ksql_table;

struct ksql_table *ksql_table_open(const char *name, const char *columns,
				   unsigned int flags);
int ksql_log(struct ksql_table *t, const struct ksql_value *vals,
	     unsigned int n);
int ksql_table_flush(struct ksql_table *t, long timeout_jiffies);
void ksql_table_close(struct ksql_table *t);

/*
 * A round trip to ksqld that runs no SQL: the daemon answers from its main
 * loop. Tells whether a daemon is there and answering, and measures the
 * transport alone (see docs/PERFORMANCE.md, B2).
 */
int ksql_ping(long timeout_jiffies);

#endif /* _KSQL_H */
