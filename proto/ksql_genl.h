/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ksql_genl.h - the wire contract between ksql.ko, ksqld and ksqlctl.
 *
 * Generic netlink family KSQL_GENL_NAME ("ksql"), version KSQL_GENL_VERSION.
 * This header is append-only once released: never renumber, only add.
 *
 * Roles
 * -----
 * "daemon" is the one process registered with HELLO; ksql.ko pins that
 * socket, accepts replies only from it (not merely from its port number: a
 * number freed by a dying daemon can be bound by any process), and sends to
 * it alone, in the initial network namespace. A RESULT must answer a request
 * that was sent to that daemon. A RESULT or LOG_ACK of the daemon refused by
 * its attribute policy (lengths, NUL, flags) is counted as rejected, and a
 * refused RESULT whose KSQL_A_REQ_ID is readable fails that request with
 * EPROTO at once. Messages genetlink refuses before ksql.ko sees them
 * (broken attribute framing, attribute types above KSQL_A_MAX) are not
 * counted.
 *
 * Commands
 * --------
 * KSQL_CMD_HELLO    daemon -> kernel, needs CAP_NET_ADMIN.
 *                   Registers the sending socket as the daemon.
 *                   KSQL_A_VERSION  u32  must equal KSQL_GENL_VERSION
 *                   Fails with -EBUSY while another registered daemon's
 *                   socket is still open, -EPROTO on a version mismatch.
 *
 * KSQL_CMD_BYE      daemon -> kernel, needs CAP_NET_ADMIN.
 *                   Clean unregistration; pending callers get -ENOTCONN.
 *
 * KSQL_CMD_QUERY    kernel -> daemon (unicast to the registered port).
 *                   KSQL_A_REQ_ID     u64  never reused while the module is loaded
 *                   KSQL_A_SQL        NUL-terminated string (absent on the
 *                                     transaction verbs below)
 *                   KSQL_A_TIMEOUT_MS u32  how long the caller will wait
 *                   KSQL_A_DEADLINE_NS u64 CLOCK_MONOTONIC time at which the
 *                                     caller gives up (ktime_get_ns() based);
 *                                     work still queued past it is dropped.
 *                                     A daemon whose clock disagrees (more
 *                                     than TIMEOUT_MS apart) uses receipt
 *                                     time + TIMEOUT_MS instead.
 *                   KSQL_A_ORDER_KEY  u64  optional; queries with the same
 *                                     non-zero key run one at a time, in the
 *                                     order they were received (one kernel
 *                                     caller's statements stay in order)
 *                   KSQL_A_TXN_ID     u64  optional; the statement belongs to
 *                                     this transaction (see below)
 *                   KSQL_A_FLAGS      u32  optional: at most one of
 *                                     KSQL_F_TXN_BEGIN, _COMMIT, _ROLLBACK
 *                   KSQL_A_TXN_IDLE_MS u32 with KSQL_F_TXN_BEGIN: the daemon
 *                                     rolls the transaction back when no
 *                                     statement of it arrives for this long
 *                   KSQL_A_VAL_*      0..n bound parameters ?1..?n, in order
 *
 *                   Transactions: a QUERY with KSQL_F_TXN_BEGIN and a new
 *                   KSQL_A_TXN_ID opens one on the daemon's writer
 *                   connection (BEGIN IMMEDIATE); QUERYs with that TXN_ID run
 *                   inside it; KSQL_F_TXN_COMMIT or KSQL_F_TXN_ROLLBACK ends
 *                   it. All carry ORDER_KEY = TXN_ID. Each is answered by a
 *                   RESULT like any QUERY. A transaction that is idle past
 *                   TXN_IDLE_MS, past its BEGIN's deadline, or one of whose
 *                   statements is cancelled, is rolled back by the daemon;
 *                   later statements of it fail with ETIMEDOUT (idle,
 *                   deadline) or ECANCELED (cancelled).
 *
 *                   The same message is used on the daemon's control socket
 *                   (ksqlctl -> ksqld), where only KSQL_A_REQ_ID, KSQL_A_SQL,
 *                   KSQL_A_TIMEOUT_MS and values are meaningful, and the
 *                   statement must be read-only.
 *
 * KSQL_CMD_RESULT   daemon -> kernel, needs CAP_NET_ADMIN, only from the
 *                   registered daemon's port. One result is one or more
 *                   RESULT messages ("chunks") for one KSQL_A_REQ_ID:
 *                   KSQL_A_REQ_ID     u64  the request answered
 *                   KSQL_A_CHUNK      u32  0, 1, 2 ... in order, no gaps
 *                   KSQL_A_NCOLS      u32  chunk 0 only: number of columns
 *                   KSQL_A_COLUMN     string, chunk 0 only, NCOLS times, in order
 *                   KSQL_A_VAL_*      values of whole rows, row-major; the
 *                                     count in each chunk is a multiple of NCOLS
 *                   KSQL_A_FLAGS      u32  KSQL_F_FINAL on the last chunk
 *                   last chunk only (KSQL_F_FINAL set):
 *                   KSQL_A_CHANGES    u64  sqlite3_changes64()
 *                   KSQL_A_LAST_ROWID s64  sqlite3_last_insert_rowid()
 *                   KSQL_A_ERRNO      u32  positive errno, 0 or absent = success
 *                   KSQL_A_SQLITE_CODE s32 SQLite's extended result code
 *                   KSQL_A_ERRMSG     string, SQLite's message
 *
 *                   The same messages answer a QUERY on the control socket.
 *
 * KSQL_CMD_CANCEL   kernel -> daemon. The caller of KSQL_A_REQ_ID gave up
 *                   (timeout or fatal signal); stop working on it: a queued
 *                   query is dropped, a running one interrupted
 *                   (sqlite3_interrupt). No RESULT is needed (one that is
 *                   sent anyway is counted as late). KSQL_A_TXN_ID, when
 *                   present, names the transaction the query belonged to;
 *                   that transaction is rolled back.
 *
 * KSQL_CMD_STATS    anyone -> kernel, answered with a STATS message:
 *                   KSQL_A_DAEMON_PID u32  present only while a daemon is registered
 *                   KSQL_A_STATS      nest of KSQL_STAT_* u64 counters
 *                   On the daemon's control socket (ksqlctl -> ksqld) the
 *                   reply carries instead:
 *                   KSQL_A_DAEMON_STATS  nest of KSQLD_STAT_* u64 counters
 *                   KSQL_A_DAEMON_PID    u32, ksqld's own pid
 *                   KSQL_A_DAEMON_VERSION string, ksqld's version ("0.1.0")
 *                   KSQL_A_DAEMON_DB     string, the database file (absolute
 *                                        path when ksqld could resolve it)
 *                   KSQL_A_DAEMON_CONFIG string, the configuration file read
 *                                        at start or last reload, or "none"
 *                   KSQL_A_DAEMON_SYNC   u32, enum ksql_daemon_sync: the
 *                                        writer's PRAGMA synchronous
 *                   Strings are NUL-terminated, at most KSQL_PATH_MAX bytes
 *                   before the NUL. Readers ignore attributes they do not
 *                   know (these were added after the first release).
 *
 * Logging (tables that kernel code appends rows to)
 * -------------------------------------------------
 * KSQL_CMD_TABLE_OPEN kernel -> daemon, answered by one RESULT (no rows):
 *                   KSQL_A_REQ_ID     u64
 *                   KSQL_A_TIMEOUT_MS u32, KSQL_A_DEADLINE_NS u64 as QUERY
 *                   KSQL_A_TABLE      string, the table name (see below)
 *                   KSQL_A_COLUMNS    string, the user columns in canonical
 *                                     form "name TYPE, name TYPE" (one
 *                                     space after each comma, TYPE one of
 *                                     INTEGER REAL TEXT BLOB ANY)
 *                   The daemon creates a missing table, or compares an
 *                   existing one column by column (names and declared
 *                   types, in order); a difference is answered with
 *                   KSQL_A_ERRNO EEXIST and a KSQL_A_ERRMSG naming the
 *                   first differing column; an invalid name or column
 *                   list with EINVAL.
 *
 * KSQL_CMD_LOG      kernel -> daemon (unicast to the registered port). One
 *                   batch of one producer's rows, in sequence order:
 *                   KSQL_A_TABLE      string
 *                   KSQL_A_COLUMNS    string, as in TABLE_OPEN (so a
 *                                     restarted daemon can create or check
 *                                     the table without a new TABLE_OPEN)
 *                   KSQL_A_EPOCH      u64, random, chosen when the table is
 *                                     opened: (TABLE, EPOCH) names the
 *                                     producer whose sequences follow
 *                   KSQL_A_ROW        nest, 0..n times:
 *                     KSQL_R_SEQ      u64, 1, 2, 3 ... per producer
 *                     KSQL_R_TIME_NS  u64, CLOCK_REALTIME of ksql_log()
 *                     KSQL_R_VAL_*    exactly NCOLS values, in column order
 *                                     (same types and encoding as
 *                                     KSQL_A_VAL_*, attribute type
 *                                     KSQL_R_VAL_NULL + enum ksql_type)
 *                   KSQL_A_GAP        nest, 0..n times, between rows in
 *                                     sequence order: rows that ksql_log()
 *                                     refused. They consumed sequence
 *                                     numbers, so rows and gaps together
 *                                     cover 1, 2, 3 ... without a hole.
 *                     KSQL_GAP_FIRST  u64, first sequence lost
 *                     KSQL_GAP_LAST   u64, last sequence lost (inclusive)
 *                     KSQL_GAP_REASON u32, enum ksql_loss
 *                     KSQL_GAP_TIME_NS u64, CLOCK_REALTIME of the first loss
 *                   The first entry of a batch may repeat sequences the
 *                   daemon already committed (a resend after a reconnect);
 *                   the daemon skips those. A batch whose first new
 *                   sequence is not the last committed one + 1 is refused
 *                   (nothing of it is committed and no LOG_ACK is sent).
 *
 * KSQL_CMD_LOG_ACK  daemon -> kernel, needs CAP_NET_ADMIN, only from the
 *                   registered daemon's port:
 *                   KSQL_A_TABLE      string
 *                   KSQL_A_EPOCH      u64
 *                   KSQL_A_SEQ        u64, every sequence up to and
 *                                     including this one is committed
 *                   The kernel then frees those rows. An ack for an
 *                   unknown table or epoch, or beyond what was sent, is
 *                   refused and counted as rejected.
 *
 * KSQL_CMD_PING     kernel -> daemon (unicast to the registered port), also
 *                   control socket -> ksqld. A round trip over the same
 *                   machinery as QUERY with no SQL: the daemon answers it
 *                   from its main loop without touching SQLite.
 *                   KSQL_A_REQ_ID     u64
 *                   KSQL_A_TIMEOUT_MS u32, KSQL_A_DEADLINE_NS u64 as QUERY
 *                   answered by one RESULT: REQ_ID, CHUNK 0, NCOLS 0,
 *                   FLAGS KSQL_F_FINAL, nothing else. Any other attribute
 *                   makes it malformed (answered with EINVAL when it has a
 *                   REQ_ID, dropped otherwise).
 *
 * Table names match [A-Za-z_][A-Za-z0-9_]*, at most KSQL_TABLE_NAME_MAX
 * bytes; names starting with "ksql_" or "sqlite_" are reserved. A table
 * created by ksqld has the columns
 *   ksql_producer INTEGER  -- rowid in ksql_producers
 *   ksql_seq INTEGER       -- KSQL_R_SEQ
 *   ksql_time INTEGER      -- KSQL_R_TIME_NS, ns since the epoch (UTC)
 * followed by the user columns. The daemon keeps, in the same transaction
 * as the rows:
 *   ksql_producers(id INTEGER PRIMARY KEY, tbl TEXT, epoch INTEGER,
 *                  last_seq INTEGER, first_seen INTEGER, UNIQUE(tbl, epoch))
 *   ksql_gaps(tbl TEXT, producer INTEGER, first_seq INTEGER,
 *             last_seq INTEGER, count INTEGER, reason TEXT, time INTEGER)
 * where reason is "backlog" or "too_big".
 *
 * Values
 * ------
 * A value is one attribute whose type says its SQL type; the types follow
 * enum ksql_type of the in-kernel API in order, so
 * attribute type = KSQL_A_VAL_NULL + (enum ksql_type):
 *   KSQL_A_VAL_NULL  flag (no payload)
 *   KSQL_A_VAL_INT   s64
 *   KSQL_A_VAL_REAL  u64, the IEEE-754 binary64 bit pattern
 *   KSQL_A_VAL_TEXT  bytes, UTF-8, not NUL-terminated, at most KSQL_VALUE_MAX
 *   KSQL_A_VAL_BLOB  bytes, at most KSQL_VALUE_MAX
 * Values repeat at the top level of a message and keep their order.
 *
 * Integers are in host byte order, as everywhere in generic netlink.
 * 64-bit attributes are padded with KSQL_A_PAD.
 */
#ifndef KSQL_GENL_H
#define KSQL_GENL_H

#include <linux/types.h>

#define KSQL_GENL_NAME		"ksql"
#define KSQL_GENL_VERSION	1

/* A netlink attribute's length is 16 bits: 65535 minus the 4-byte header. */
#define KSQL_VALUE_MAX		65531
/* Longest SQL text, not counting the terminating NUL. */
#define KSQL_SQL_MAX		65530
/* Longest column name and error message, not counting the NUL. */
#define KSQL_NAME_MAX		1024
#define KSQL_ERRMSG_MAX		4096

enum ksql_cmd {
	KSQL_CMD_UNSPEC,
	KSQL_CMD_HELLO,
	KSQL_CMD_BYE,
	KSQL_CMD_QUERY,
	KSQL_CMD_RESULT,
	KSQL_CMD_CANCEL,
	KSQL_CMD_STATS,
	KSQL_CMD_TABLE_OPEN,
	KSQL_CMD_LOG,
	KSQL_CMD_LOG_ACK,
	KSQL_CMD_PING,
	__KSQL_CMD_MAX
};
#define KSQL_CMD_MAX (__KSQL_CMD_MAX - 1)

enum ksql_attr {
	KSQL_A_UNSPEC,
	KSQL_A_PAD,
	KSQL_A_VERSION,		/* u32 */
	KSQL_A_REQ_ID,		/* u64 */
	KSQL_A_SQL,		/* NUL-terminated string */
	KSQL_A_TIMEOUT_MS,	/* u32 */
	KSQL_A_FLAGS,		/* u32, KSQL_F_* */
	KSQL_A_CHUNK,		/* u32 */
	KSQL_A_NCOLS,		/* u32 */
	KSQL_A_COLUMN,		/* NUL-terminated string */
	KSQL_A_VAL_NULL,	/* flag */
	KSQL_A_VAL_INT,		/* s64 */
	KSQL_A_VAL_REAL,	/* u64 bits */
	KSQL_A_VAL_TEXT,	/* binary */
	KSQL_A_VAL_BLOB,	/* binary */
	KSQL_A_CHANGES,		/* u64 */
	KSQL_A_LAST_ROWID,	/* s64 */
	KSQL_A_ERRNO,		/* u32, positive */
	KSQL_A_SQLITE_CODE,	/* s32 */
	KSQL_A_ERRMSG,		/* NUL-terminated string */
	KSQL_A_DAEMON_PID,	/* u32 */
	KSQL_A_STATS,		/* nest of KSQL_STAT_* */
	KSQL_A_DEADLINE_NS,	/* u64, CLOCK_MONOTONIC */
	KSQL_A_ORDER_KEY,	/* u64 */
	KSQL_A_TXN_ID,		/* u64 */
	KSQL_A_TXN_IDLE_MS,	/* u32 */
	KSQL_A_DAEMON_STATS,	/* nest of KSQLD_STAT_* */
	KSQL_A_TABLE,		/* NUL-terminated string */
	KSQL_A_COLUMNS,		/* NUL-terminated string */
	KSQL_A_EPOCH,		/* u64 */
	KSQL_A_SEQ,		/* u64 */
	KSQL_A_ROW,		/* nest of KSQL_R_* */
	KSQL_A_GAP,		/* nest of KSQL_GAP_* */
	KSQL_A_TABLE_STATS,	/* nest of KSQL_TSTAT_*, once per open table */
	KSQL_A_DAEMON_VERSION,	/* NUL-terminated string (control socket) */
	KSQL_A_DAEMON_DB,	/* NUL-terminated string (control socket) */
	KSQL_A_DAEMON_CONFIG,	/* NUL-terminated string (control socket) */
	KSQL_A_DAEMON_SYNC,	/* u32, enum ksql_daemon_sync (control socket) */
	__KSQL_A_LAST
};
#define KSQL_A_MAX (__KSQL_A_LAST - 1)

/* Longest path in KSQL_A_DAEMON_DB and KSQL_A_DAEMON_CONFIG, not counting the NUL. */
#define KSQL_PATH_MAX		4095

/* KSQL_A_DAEMON_SYNC: PRAGMA synchronous of ksqld's writer, numbered as SQLite does. */
enum ksql_daemon_sync {
	KSQL_SYNC_OFF,
	KSQL_SYNC_NORMAL,
	KSQL_SYNC_FULL,
	KSQL_SYNC_EXTRA,
};

/* Longest table name, not counting the NUL. */
#define KSQL_TABLE_NAME_MAX	63
/* Longest canonical column list, not counting the NUL. */
#define KSQL_COLUMNS_MAX	4095
/* Most user columns of a logged table. */
#define KSQL_TABLE_COLS_MAX	64

/* Attributes nested in KSQL_A_ROW. */
enum ksql_row_attr {
	KSQL_R_UNSPEC,
	KSQL_R_PAD,
	KSQL_R_SEQ,		/* u64 */
	KSQL_R_TIME_NS,		/* u64 */
	KSQL_R_VAL_NULL,	/* flag; then INT, REAL, TEXT, BLOB as KSQL_A_VAL_* */
	KSQL_R_VAL_INT,
	KSQL_R_VAL_REAL,
	KSQL_R_VAL_TEXT,
	KSQL_R_VAL_BLOB,
	__KSQL_R_LAST
};
#define KSQL_R_MAX (__KSQL_R_LAST - 1)

/* Attributes nested in KSQL_A_GAP. */
enum ksql_gap_attr {
	KSQL_GAP_UNSPEC,
	KSQL_GAP_PAD,
	KSQL_GAP_FIRST,		/* u64 */
	KSQL_GAP_LAST,		/* u64 */
	KSQL_GAP_REASON,	/* u32, enum ksql_loss */
	KSQL_GAP_TIME_NS,	/* u64 */
	__KSQL_GAP_LAST
};
#define KSQL_GAP_MAX (__KSQL_GAP_LAST - 1)

/* Why ksql_log() refused a row (KSQL_GAP_REASON). */
enum ksql_loss {
	KSQL_LOSS_NONE,
	KSQL_LOSS_BACKLOG,	/* the table's backlog (log_backlog_bytes) was full */
	KSQL_LOSS_TOO_BIG,	/* the row alone is larger than a LOG batch may be */
	__KSQL_LOSS_LAST
};
#define KSQL_LOSS_MAX (__KSQL_LOSS_LAST - 1)

/* Per-table counters nested in KSQL_A_TABLE_STATS (kernel STATS reply). */
enum ksql_table_stat {
	KSQL_TSTAT_UNSPEC,
	KSQL_TSTAT_PAD,
	KSQL_TSTAT_NAME,	/* string, the table */
	KSQL_TSTAT_EPOCH,	/* u64 */
	KSQL_TSTAT_BACKLOG_BYTES, /* bytes held (unacked rows and gaps), a gauge */
	KSQL_TSTAT_BACKLOG_ROWS, /* rows held, a gauge */
	KSQL_TSTAT_LOGGED,	/* rows ksql_log() accepted */
	KSQL_TSTAT_SENT,	/* rows sent (resends count again) */
	KSQL_TSTAT_ACKED,	/* rows the daemon committed */
	KSQL_TSTAT_LOST,	/* rows refused, all reasons */
	KSQL_TSTAT_LOST_BACKLOG, /* ... because the backlog was full */
	KSQL_TSTAT_LOST_TOO_BIG, /* ... because the row was too big */
	KSQL_TSTAT_RESENT,	/* rows sent again after a reconnect */
	KSQL_TSTAT_BATCHES,	/* LOG messages sent */
	KSQL_TSTAT_LIMIT_BYTES,	/* the backlog limit of this table */
	KSQL_TSTAT_ACK_TIMEOUTS, /* times rows were sent again: no LOG_ACK within log_resend_ms */
	__KSQL_TSTAT_LAST
};
#define KSQL_TSTAT_MAX (__KSQL_TSTAT_LAST - 1)

/* KSQL_A_FLAGS bits; any other bit is refused. */
enum ksql_flag {
	KSQL_F_FINAL = 1U << 0,		/* RESULT: last chunk */
	KSQL_F_TXN_BEGIN = 1U << 1,	/* QUERY: open transaction TXN_ID */
	KSQL_F_TXN_COMMIT = 1U << 2,	/* QUERY: commit it */
	KSQL_F_TXN_ROLLBACK = 1U << 3,	/* QUERY: roll it back */
	__KSQL_F_RESULT_ALL = KSQL_F_FINAL,
	__KSQL_F_QUERY_ALL = KSQL_F_TXN_BEGIN | KSQL_F_TXN_COMMIT |
			     KSQL_F_TXN_ROLLBACK,
	__KSQL_F_ALL = __KSQL_F_RESULT_ALL | __KSQL_F_QUERY_ALL
};

/* Counters nested in KSQL_A_STATS, each a u64. */
enum ksql_stat {
	KSQL_STAT_UNSPEC,
	KSQL_STAT_PAD,
	KSQL_STAT_SENT,		/* queries sent to the daemon */
	KSQL_STAT_COMPLETED,	/* answered by the daemon (success or SQL error) */
	KSQL_STAT_FAILED,	/* answered with an error, or failed before sending */
	KSQL_STAT_TIMED_OUT,	/* callers that gave up on their timeout */
	KSQL_STAT_INTERRUPTED,	/* callers that gave up on a fatal signal */
	KSQL_STAT_LATE,		/* replies for requests nobody waits for any more */
	KSQL_STAT_IN_FLIGHT,	/* requests pending right now (a gauge) */
	KSQL_STAT_REJECTED,	/* daemon-only messages refused (wrong sender, malformed,
				 * a RESULT for a request not sent to this daemon) */
	KSQL_STAT_TOO_BIG,	/* results over the max_result_bytes cap */
	KSQL_STAT_NOT_CONNECTED, /* calls refused because no daemon was registered */
	KSQL_STAT_DAEMON_CONNECTS, /* HELLOs accepted */
	KSQL_STAT_ASYNC,	/* ksql_exec_async() requests accepted */
	KSQL_STAT_THROTTLED,	/* requests that waited for an in-flight slot */
	KSQL_STAT_WAITING,	/* requests waiting for a slot right now (a gauge) */
	KSQL_STAT_SEND_RETRIES,	/* sends retried because the daemon's queue was full */
	KSQL_STAT_CANCELS_SENT,	/* CANCELs sent for abandoned requests */
	KSQL_STAT_TXN_BEGUN,	/* transactions opened */
	KSQL_STAT_TXN_COMMITTED, /* transactions committed */
	KSQL_STAT_TXN_ABORTED,	/* transactions rolled back or failed */
	KSQL_STAT_LOG_TABLES,	/* tables open right now (a gauge) */
	KSQL_STAT_LOG_ROWS,	/* rows ksql_log() accepted, all tables */
	KSQL_STAT_LOG_LOST,	/* rows ksql_log() refused, all tables */
	KSQL_STAT_LOG_BATCHES,	/* LOG messages sent */
	KSQL_STAT_LOG_ACKS,	/* LOG_ACKs accepted */
	KSQL_STAT_LOG_SEND_RETRIES, /* LOG sends retried (queue full, no memory) */
	KSQL_STAT_PINGS,	/* ksql_ping() calls answered by the daemon */
	KSQL_STAT_REFUSED_CONTEXT, /* ksql_log()/ksql_exec_async() calls refused
				    * for their context: NMI, or atomic
				    * ksql_exec_async() on PREEMPT_RT */
	KSQL_STAT_LOG_ACK_FREE_MAX, /* most backlog entries a LOG_ACK freed in one
				     * hold of a table's lock (a high-water mark,
				     * at most 256) */
	KSQL_STAT_RESULT_BYTES,	/* result bytes being received, all requests (a
				 * gauge, at most result_budget_bytes) */
	KSQL_STAT_OVER_BUDGET,	/* requests failed: result_budget_bytes used up */
	__KSQL_STAT_LAST
};
#define KSQL_STAT_MAX (__KSQL_STAT_LAST - 1)

/* ksqld's counters, nested in KSQL_A_DAEMON_STATS (control socket). */
enum ksqld_stat {
	KSQLD_STAT_UNSPEC,
	KSQLD_STAT_PAD,
	KSQLD_STAT_RECEIVED,	/* QUERYs received from the kernel */
	KSQLD_STAT_ANSWERED,	/* RESULTs completed (success or SQL error) */
	KSQLD_STAT_READS,	/* statements run on a read-only connection */
	KSQLD_STAT_WRITES,	/* statements run on the writer connection */
	KSQLD_STAT_CANCELS,	/* CANCELs received */
	KSQLD_STAT_CANCELLED_QUEUED, /* queries dropped before they ran */
	KSQLD_STAT_CANCELLED_RUNNING, /* statements interrupted by a CANCEL */
	KSQLD_STAT_EXPIRED,	/* queries dropped: past their deadline when dequeued */
	KSQLD_STAT_DEADLINE_INTERRUPTS, /* statements interrupted at their deadline */
	KSQLD_STAT_RUNNING,	/* statements running right now (a gauge) */
	KSQLD_STAT_QUEUED,	/* queries waiting for a connection right now (a gauge) */
	KSQLD_STAT_TXN_BEGUN,	/* transactions opened */
	KSQLD_STAT_TXN_COMMITTED, /* transactions committed */
	KSQLD_STAT_TXN_ROLLED_BACK, /* transactions rolled back on request */
	KSQLD_STAT_TXN_ABORTED,	/* transactions rolled back by the daemon (idle, deadline, cancel) */
	KSQLD_STAT_REPLY_BATCHES, /* sendmsg() calls carrying RESULTs to the kernel */
	KSQLD_STAT_REPLY_MSGS,	/* RESULT messages in those batches */
	KSQLD_STAT_BATCH_MAX,	/* most QUERYs received in one wakeup */
	KSQLD_STAT_READERS,	/* read-only connections in the pool */
	KSQLD_STAT_CANCEL_LATENCY_MAX_US, /* longest CANCEL-to-stop time of a running statement */
	KSQLD_STAT_LOG_BATCHES,	/* LOG messages received */
	KSQLD_STAT_LOG_ROWS,	/* rows committed */
	KSQLD_STAT_LOG_DUPLICATES, /* rows skipped: already committed */
	KSQLD_STAT_LOG_GAPS,	/* gap records committed */
	KSQLD_STAT_LOG_COMMITS,	/* transactions committing LOG batches */
	KSQLD_STAT_LOG_REFUSED,	/* LOG batches refused (bad table, hole, SQL error) */
	KSQLD_STAT_LOG_ACKS,	/* LOG_ACKs sent */
	KSQLD_STAT_PINGS,	/* PINGs answered */
	KSQLD_STAT_FOREIGN,	/* netlink messages dropped: not sent by the kernel (nl_pid != 0) */
	__KSQLD_STAT_LAST
};
#define KSQLD_STAT_MAX (__KSQLD_STAT_LAST - 1)

#endif /* KSQL_GENL_H */
