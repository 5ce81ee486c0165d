/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * job.h - one received QUERY waiting for, or running on, a connection: a
 * private copy of the message (the parsed query points into it), where its
 * answer goes, and its deadline.
 */
#ifndef KSQLD_JOB_H
#define KSQLD_JOB_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "codec.h"
#include "logmsg.h"

/* Sends one reply message (or a batch of them); returns 0 or -errno. */
typedef int (*ksqld_send_fn)(const void *buf, size_t len, void *ctx);

/* Where and how a job's answer is sent. */
struct ksqld_sink {
	ksqld_send_fn send;
	void *ctx;
	/* Called once when the job is finished or dropped; may be NULL. */
	void (*done)(void *ctx);
	uint16_t msg_type;	/* replies get it */
	uint32_t portid;	/* nlmsg_pid of replies (0 = the kernel) */
	size_t chunk_target;	/* 0 = KSQL_CHUNK_TARGET */
	bool readonly_only;	/* the control socket: writes are refused */
	bool from_kernel;	/* counted as RECEIVED/ANSWERED */
	const char *name;	/* "netlink" or "control", for log lines */
};

enum ksqld_job_pool {
	KSQLD_POOL_READER,	/* a reader tries it first (forwards writes) */
	KSQLD_POOL_WRITER,	/* the writer only */
};

enum ksqld_job_kind {
	KSQLD_JOB_QUERY,	/* q is the QUERY */
	KSQLD_JOB_TABLE_OPEN,	/* q has req_id and limits; table/columns */
	KSQLD_JOB_LOG,		/* log is the batch; no req_id, no deadline */
};

struct ksqld_worker;

struct ksqld_job {
	enum ksqld_job_kind kind;
	struct ksqld_job *prev, *next;	/* the scheduler's lists */
	uint64_t seqno;			/* order of receipt */
	void *msg;			/* owned copy; q points into it */
	struct ksql_query q;
	struct ksqld_sink sink;
	uint64_t recv_ns;		/* CLOCK_MONOTONIC at receipt */
	uint64_t deadline_ns;		/* 0 = no limit */
	uint32_t capped_ms;		/* the sink's limit set deadline_ns; else 0 */
	enum ksqld_job_pool pool;
	struct ksqld_worker *running_on; /* under the scheduler's lock */
	atomic_bool cancelled;		/* a CANCEL named it while it ran */
	_Atomic uint64_t cancel_ns;	/* when that CANCEL arrived */
	const char *table, *columns;	/* TABLE_OPEN: point into msg */
	struct ksqld_log_batch log;	/* LOG: points into msg */
};

uint64_t ksqld_now_ns(void);

/*
 * Copies and parses one QUERY message. On a parse error returns it (-EINVAL,
 * -E2BIG, -ENOMEM) and sets *req_id when the message had one.
 */
int ksqld_job_new(const void *buf, size_t len, const struct ksqld_sink *sink,
		  struct ksqld_job **out, uint64_t *req_id);
/*
 * Copies and parses a LOG message (a writer job). On error returns -EINVAL
 * or -ENOMEM with a sentence in err.
 */
int ksqld_job_new_log(const void *buf, size_t len, const struct ksqld_sink *sink,
		      struct ksqld_job **out, char *err, size_t errlen);
/* Copies and parses a TABLE_OPEN (a writer job); *req_id as ksqld_job_new. */
int ksqld_job_new_open(const void *buf, size_t len, const struct ksqld_sink *sink,
		       struct ksqld_job **out, uint64_t *req_id);
/* Calls the sink's done callback and frees everything. */
void ksqld_job_free(struct ksqld_job *j);

/*
 * The deadline rule of proto/ksql_genl.h: DEADLINE_NS unless it is more than
 * TIMEOUT_MS away from now + TIMEOUT_MS; absent, now + TIMEOUT_MS; both
 * absent, 0 (no limit).
 */
uint64_t ksqld_job_deadline(uint64_t now_ns, uint64_t deadline_ns, uint32_t timeout_ms);

/* True when the SQL starts with a keyword a read-only statement can start with. */
bool ksqld_sql_looks_readonly(const char *sql);
/* True for BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT, RELEASE. */
bool ksqld_sql_is_txn_control(const char *sql);

#endif
