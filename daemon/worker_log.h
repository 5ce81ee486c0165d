/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * worker_log.h - LOG jobs on the writer: a group of queued batches per
 * transaction, then one LOG_ACK per producer, sent only after COMMIT.
 */
#ifndef KSQLD_WORKER_LOG_H
#define KSQLD_WORKER_LOG_H

#include "exec.h"
#include "job.h"
#include "worker.h"

/* Most rows and gaps gathered into one transaction (besides KSQLD_LOG_GROUP_MAX batches). */
#define KSQLD_LOG_GROUP_ENTRIES	16384

/*
 * Commits the LOG jobs' batches in one transaction on e and sends the acks
 * through each job's sink. Does not free the jobs. 0 or the commit's -errno.
 */
int ksqld_log_commit_jobs(struct ksqld_exec *e, struct ksqld_job *const *jobs, unsigned int n);
/* The writer took LOG job j: gathers more queued ones, commits, finishes and frees them all. */
void ksqld_worker_log_run(struct ksqld_worker *w, struct ksqld_job *j);
/* A TABLE_OPEN job on the writer: its status in rows. */
void ksqld_worker_table_open(struct ksqld_worker *w, struct ksqld_job *j, struct ksqld_rows *rows);

#endif
