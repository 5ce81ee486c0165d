/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksql_trace.h - tracepoints of ksql.ko (trace system "ksql").
 *
 * Defined once, in trace.c (CREATE_TRACE_POINTS). Every field is a plain
 * number: nothing from user space ends up in the ring buffer. The reason of
 * a disconnect is a small enum printed with __print_symbolic(). See
 * docs/TRACING.md.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ksql

#if !defined(_KSQL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KSQL_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>

#include "ksql_internal.h"

TRACE_DEFINE_ENUM(KSQL_DISC_BYE);
TRACE_DEFINE_ENUM(KSQL_DISC_RELEASE);
TRACE_DEFINE_ENUM(KSQL_DISC_UNLOAD);

#define show_ksql_disc_reason(r)				\
	__print_symbolic(r,					\
			 { KSQL_DISC_BYE, "bye" },		\
			 { KSQL_DISC_RELEASE, "release" },	\
			 { KSQL_DISC_UNLOAD, "unload" })

TRACE_EVENT(ksql_query_start,

	TP_PROTO(u64 id, u32 sql_len, u32 nargs, u32 timeout_ms),

	TP_ARGS(id, sql_len, nargs, timeout_ms),

	TP_STRUCT__entry(
		__field(u64, id)
		__field(u32, sql_len)
		__field(u32, nargs)
		__field(u32, timeout_ms)
	),

	TP_fast_assign(
		__entry->id = id;
		__entry->sql_len = sql_len;
		__entry->nargs = nargs;
		__entry->timeout_ms = timeout_ms;
	),

	TP_printk("id=%llu sql_len=%u nargs=%u timeout_ms=%u",
		  __entry->id, __entry->sql_len, __entry->nargs,
		  __entry->timeout_ms)
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

#endif /* _KSQL_TRACE_H */

/* out of tree: this directory is on the include path (Kbuild) */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE ksql_trace
#include <trace/define_trace.h>
