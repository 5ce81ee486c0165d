/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksql_trace.h - tracepoints of ksql.ko (trace system "ksql").
 *
 * Defined once, in trace.c (CREATE_TRACE_POINTS). Every field is a plain
 * number, but for the table name of the logging events, which kernel code
 * chose: nothing from user space ends up in the ring buffer. The reason of
 * a disconnect is a small enum printed with __print_symbolic(). See
 * docs/TRACING.md.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ksql

#if !defined(_KSQL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KSQL_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>

#include "compat.h"
#include "ksql_internal.h"

TRACE_DEFINE_ENUM(KSQL_DISC_BYE);
TRACE_DEFINE_ENUM(KSQL_DISC_RELEASE);
TRACE_DEFINE_ENUM(KSQL_DISC_UNLOAD);
TRACE_DEFINE_ENUM(KSQL_CANCEL_TIMEOUT);
TRACE_DEFINE_ENUM(KSQL_CANCEL_SIGNAL);
TRACE_DEFINE_ENUM(KSQL_CANCEL_ERROR);
TRACE_DEFINE_ENUM(KSQL_CANCEL_DRAIN);
TRACE_DEFINE_ENUM(KSQL_TXN_OP_BEGIN);
TRACE_DEFINE_ENUM(KSQL_TXN_OP_COMMIT);
TRACE_DEFINE_ENUM(KSQL_TXN_OP_ROLLBACK);
TRACE_DEFINE_ENUM(KSQL_TXN_OP_ABORT);
TRACE_DEFINE_ENUM(KSQL_LOSS_BACKLOG);
TRACE_DEFINE_ENUM(KSQL_LOSS_TOO_BIG);

#define show_ksql_disc_reason(r)				\
	__print_symbolic(r,					\
			 { KSQL_DISC_BYE, "bye" },		\
			 { KSQL_DISC_RELEASE, "release" },	\
			 { KSQL_DISC_UNLOAD, "unload" })

#define show_ksql_cancel_reason(r)				\
	__print_symbolic(r,					\
			 { KSQL_CANCEL_TIMEOUT, "timeout" },	\
			 { KSQL_CANCEL_SIGNAL, "signal" },	\
			 { KSQL_CANCEL_ERROR, "error" },	\
			 { KSQL_CANCEL_DRAIN, "drain" })

#define show_ksql_txn_op(o)					\
	__print_symbolic(o,					\
			 { KSQL_TXN_OP_BEGIN, "begin" },	\
			 { KSQL_TXN_OP_COMMIT, "commit" },	\
			 { KSQL_TXN_OP_ROLLBACK, "rollback" },	\
			 { KSQL_TXN_OP_ABORT, "abort" })

#define show_ksql_loss(r)					\
	__print_symbolic(r,					\
			 { KSQL_LOSS_BACKLOG, "backlog" },	\
			 { KSQL_LOSS_TOO_BIG, "too_big" })

TRACE_EVENT(ksql_query_start,

	TP_PROTO(u64 id, u32 sql_len, u32 nargs, u32 timeout_ms, bool async),

	TP_ARGS(id, sql_len, nargs, timeout_ms, async),

	TP_STRUCT__entry(
		__field(u64, id)
		__field(u32, sql_len)
		__field(u32, nargs)
		__field(u32, timeout_ms)
		__field(u8, async)
	),

	TP_fast_assign(
		__entry->id = id;
		__entry->sql_len = sql_len;
		__entry->nargs = nargs;
		__entry->timeout_ms = timeout_ms;
		__entry->async = async;
	),

	TP_printk("id=%llu sql_len=%u nargs=%u timeout_ms=%u async=%u",
		  __entry->id, __entry->sql_len, __entry->nargs,
		  __entry->timeout_ms, __entry->async)
);

TRACE_EVENT(ksql_query_end,

	TP_PROTO(u64 id, u64 latency_ns, int result, u32 rows, u32 cols),

	TP_ARGS(id, latency_ns, result, rows, cols),

	TP_STRUCT__entry(
		__field(u64, id)
		__field(u64, latency_ns)
		__field(int, result)
		__field(u32, rows)
		__field(u32, cols)
	),

	TP_fast_assign(
		__entry->id = id;
		__entry->latency_ns = latency_ns;
		__entry->result = result;
		__entry->rows = rows;
		__entry->cols = cols;
	),

	TP_printk("id=%llu latency_ns=%llu result=%d rows=%u cols=%u",
		  __entry->id, __entry->latency_ns, __entry->result,
		  __entry->rows, __entry->cols)
);

TRACE_EVENT(ksql_daemon_connect,

	TP_PROTO(u32 portid, pid_t pid),

	TP_ARGS(portid, pid),

	TP_STRUCT__entry(
		__field(u32, portid)
		__field(pid_t, pid)
	),

	TP_fast_assign(
		__entry->portid = portid;
		__entry->pid = pid;
	),

	TP_printk("portid=%u pid=%d", __entry->portid, __entry->pid)
);

TRACE_EVENT(ksql_daemon_disconnect,

	TP_PROTO(u32 portid, enum ksql_disc_reason reason),

	TP_ARGS(portid, reason),

	TP_STRUCT__entry(
		__field(u32, portid)
		__field(u8, reason)
	),

	TP_fast_assign(
		__entry->portid = portid;
		__entry->reason = reason;
	),

	TP_printk("portid=%u reason=%s", __entry->portid,
		  show_ksql_disc_reason(__entry->reason))
);

TRACE_EVENT(ksql_throttle,

	TP_PROTO(u64 id, u64 waiting),

	TP_ARGS(id, waiting),

	TP_STRUCT__entry(
		__field(u64, id)
		__field(u64, waiting)
	),

	TP_fast_assign(
		__entry->id = id;
		__entry->waiting = waiting;
	),

	TP_printk("id=%llu waiting=%llu", __entry->id, __entry->waiting)
);

TRACE_EVENT(ksql_send_retry,

	TP_PROTO(u64 id, u32 attempt, u32 delay_us),

	TP_ARGS(id, attempt, delay_us),

	TP_STRUCT__entry(
		__field(u64, id)
		__field(u32, attempt)
		__field(u32, delay_us)
	),

	TP_fast_assign(
		__entry->id = id;
		__entry->attempt = attempt;
		__entry->delay_us = delay_us;
	),

	TP_printk("id=%llu attempt=%u delay_us=%u", __entry->id,
		  __entry->attempt, __entry->delay_us)
);

TRACE_EVENT(ksql_cancel,

	TP_PROTO(u64 id, u64 txn_id, enum ksql_cancel_reason reason),

	TP_ARGS(id, txn_id, reason),

	TP_STRUCT__entry(
		__field(u64, id)
		__field(u64, txn_id)
		__field(u8, reason)
	),

	TP_fast_assign(
		__entry->id = id;
		__entry->txn_id = txn_id;
		__entry->reason = reason;
	),

	TP_printk("id=%llu txn_id=%llu reason=%s", __entry->id,
		  __entry->txn_id, show_ksql_cancel_reason(__entry->reason))
);

TRACE_EVENT(ksql_late,

	TP_PROTO(u64 id),

	TP_ARGS(id),

	TP_STRUCT__entry(
		__field(u64, id)
	),

	TP_fast_assign(
		__entry->id = id;
	),

	TP_printk("id=%llu", __entry->id)
);

TRACE_EVENT(ksql_reject,

	TP_PROTO(u32 portid, u8 cmd),

	TP_ARGS(portid, cmd),

	TP_STRUCT__entry(
		__field(u32, portid)
		__field(u8, cmd)
	),

	TP_fast_assign(
		__entry->portid = portid;
		__entry->cmd = cmd;
	),

	TP_printk("portid=%u cmd=%u", __entry->portid, __entry->cmd)
);

TRACE_EVENT(ksql_txn,

	TP_PROTO(u64 txn_id, enum ksql_txn_op op, int err),

	TP_ARGS(txn_id, op, err),

	TP_STRUCT__entry(
		__field(u64, txn_id)
		__field(u8, op)
		__field(int, err)
	),

	TP_fast_assign(
		__entry->txn_id = txn_id;
		__entry->op = op;
		__entry->err = err;
	),

	TP_printk("txn_id=%llu op=%s err=%d", __entry->txn_id,
		  show_ksql_txn_op(__entry->op), __entry->err)
);

/* Logging: the table name comes from kernel code (ksql_table_open()). */
TRACE_EVENT(ksql_log,

	TP_PROTO(const char *table, u64 seq, u32 bytes, int ret),

	TP_ARGS(table, seq, bytes, ret),

	TP_STRUCT__entry(
		__string(table, table)
		__field(u64, seq)
		__field(u32, bytes)
		__field(int, ret)
	),

	TP_fast_assign(
		ksql_assign_str(table, table);
		__entry->seq = seq;
		__entry->bytes = bytes;
		__entry->ret = ret;
	),

	TP_printk("table=%s seq=%llu bytes=%u ret=%d", __get_str(table),
		  __entry->seq, __entry->bytes, __entry->ret)
);

TRACE_EVENT(ksql_log_batch,

	TP_PROTO(const char *table, u64 first_seq, u64 last_seq, u32 rows,
		 u32 bytes),

	TP_ARGS(table, first_seq, last_seq, rows, bytes),

	TP_STRUCT__entry(
		__string(table, table)
		__field(u64, first_seq)
		__field(u64, last_seq)
		__field(u32, rows)
		__field(u32, bytes)
	),

	TP_fast_assign(
		ksql_assign_str(table, table);
		__entry->first_seq = first_seq;
		__entry->last_seq = last_seq;
		__entry->rows = rows;
		__entry->bytes = bytes;
	),

	TP_printk("table=%s first_seq=%llu last_seq=%llu rows=%u bytes=%u",
		  __get_str(table), __entry->first_seq, __entry->last_seq,
		  __entry->rows, __entry->bytes)
);

TRACE_EVENT(ksql_log_ack,

	TP_PROTO(const char *table, u64 seq, u64 rows),

	TP_ARGS(table, seq, rows),

	TP_STRUCT__entry(
		__string(table, table)
		__field(u64, seq)
		__field(u64, rows)
	),

	TP_fast_assign(
		ksql_assign_str(table, table);
		__entry->seq = seq;
		__entry->rows = rows;
	),

	TP_printk("table=%s seq=%llu rows=%llu", __get_str(table),
		  __entry->seq, __entry->rows)
);

TRACE_EVENT(ksql_log_lost,

	TP_PROTO(const char *table, u64 seq, u32 reason),

	TP_ARGS(table, seq, reason),

	TP_STRUCT__entry(
		__string(table, table)
		__field(u64, seq)
		__field(u32, reason)
	),

	TP_fast_assign(
		ksql_assign_str(table, table);
		__entry->seq = seq;
		__entry->reason = reason;
	),

	TP_printk("table=%s seq=%llu reason=%s", __get_str(table),
		  __entry->seq, show_ksql_loss(__entry->reason))
);

#endif /* _KSQL_TRACE_H */

/* out of tree: this directory is on the include path (Kbuild) */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE ksql_trace
#include <trace/define_trace.h>
