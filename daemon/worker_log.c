// SPDX-License-Identifier: GPL-2.0-only
/* worker_log.c - LOG batches and TABLE_OPEN on the writer connection. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "log.h"
#include "logsink.h"
#include "reply.h"
#include "stats.h"
#include "worker_log.h"

int ksqld_log_commit_jobs(struct ksqld_exec *e, struct ksqld_job *const *jobs, unsigned int n)
{
	struct ksqld_log_batch *b[KSQLD_LOG_GROUP_MAX];
	struct ksqld_log_outcome out[KSQLD_LOG_GROUP_MAX];
	struct ksqld_logsink *ls = ksqld_exec_logsink(e);
	unsigned int i;
	int ret;

	if (n > KSQLD_LOG_GROUP_MAX)
		return -E2BIG;
	for (i = 0; i < n; i++)
		b[i] = (struct ksqld_log_batch *)&jobs[i]->log;
	/* Logging has no caller waiting with a deadline; only shutdown interrupts it. */
	ksqld_exec_set_limits(e, 0, 0, NULL);
	ret = ls ? ksqld_logsink_commit(ls, b, n, out) : -ENOMEM;
	if (ret < 0) {
		/* Not committed: no ack, the kernel keeps the rows and resends them. */
		ksqld_stat_add(KSQLD_STAT_LOG_REFUSED, n);
		return ret;
	}
	for (i = 0; i < n; i++) {
		int r;

		if (!out[i].ack_seq)
			continue;
		r = ksqld_reply_log_ack(&jobs[i]->sink, b[i]->table, b[i]->epoch, out[i].ack_seq);
		if (r < 0)
			log_warn("cannot send the LOG_ACK of table %s epoch %" PRIu64 " seq %" PRIu64 ": %s",
				 b[i]->table, b[i]->epoch, out[i].ack_seq, strerror(-r));
		else
			log_debug("table %s epoch %" PRIu64 ": committed up to %" PRIu64,
				  b[i]->table, b[i]->epoch, out[i].ack_seq);
	}
	return 0;
}

void ksqld_worker_log_run(struct ksqld_worker *w, struct ksqld_job *j)
{
	struct ksqld_job *jobs[KSQLD_LOG_GROUP_MAX];
	unsigned int n = 1, i;

	jobs[0] = j;
	n += ksqld_sched_take_logs(w->sched, w, jobs + 1, KSQLD_LOG_GROUP_MAX - 1,
				   KSQLD_LOG_GROUP_ENTRIES);
	ksqld_log_commit_jobs(w->exec, jobs, n);
	for (i = 0; i < n; i++) {
		ksqld_sched_finish(w->sched, w, jobs[i]);
		ksqld_job_free(jobs[i]);
	}
}

void ksqld_worker_table_open(struct ksqld_worker *w, struct ksqld_job *j, struct ksqld_rows *rows)
{
	struct ksqld_logsink *ls = ksqld_exec_logsink(w->exec);

	if (!ls) {
		ksqld_rows_fail(rows, ENOMEM, 0, "out of memory");
		return;
	}
	log_debug("%s: table_open %" PRIu64 ": %s (%s)", j->sink.name, j->q.req_id, j->table,
		  j->columns);
	ksqld_logsink_open(ls, j->table, j->columns, rows);
}
