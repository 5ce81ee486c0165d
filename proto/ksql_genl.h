/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ksql_genl.h - the wire contract between ksql.ko, ksqld and ksqlctl.
 *
 * Generic netlink family KSQL_GENL_NAME ("ksql"), version KSQL_GENL_VERSION.
 * This header is append-only once released: never renumber, only add.
 *
 * Roles
 * -----
 * "daemon" is the one process registered with HELLO; ksql.ko accepts replies
 * only from that socket's port, in the initial network namespace.
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
 *                   KSQL_A_SQL        NUL-terminated string
 *                   KSQL_A_TIMEOUT_MS u32  how long the caller will wait
 *                   KSQL_A_VAL_*      0..n bound parameters ?1..?n, in order
 *
 *                   The same message is used on the daemon's control socket
 *                   (ksqlctl -> ksqld), where KSQL_A_TIMEOUT_MS is optional.
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
 *                   (timeout or fatal signal); stop working on it.
 *
 * KSQL_CMD_STATS    anyone -> kernel, answered with a STATS message:
 *                   KSQL_A_DAEMON_PID u32  present only while a daemon is registered
 *                   KSQL_A_STATS      nest of KSQL_STAT_* u64 counters
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
	/* logging commands follow here, appended */
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
	__KSQL_A_LAST
};
#define KSQL_A_MAX (__KSQL_A_LAST - 1)

/* KSQL_A_FLAGS bits; any other bit is refused. */
enum ksql_flag {
	KSQL_F_FINAL = 1U << 0,	/* last chunk of a RESULT */
	__KSQL_F_ALL = KSQL_F_FINAL
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
	KSQL_STAT_REJECTED,	/* daemon-only messages refused (wrong port, malformed) */
	KSQL_STAT_TOO_BIG,	/* results over the max_result_bytes cap */
	KSQL_STAT_NOT_CONNECTED, /* calls refused because no daemon was registered */
	KSQL_STAT_DAEMON_CONNECTS, /* HELLOs accepted */
	__KSQL_STAT_LAST
};
#define KSQL_STAT_MAX (__KSQL_STAT_LAST - 1)

#endif /* KSQL_GENL_H */
