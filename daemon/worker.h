/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * worker.h - ksqld's worker threads: one writer (the read-write connection;
 * writes and all transaction work) and nreaders readers (read-only WAL
 * connections). Each thread owns its connection and statement cache; the
 * scheduler hands out jobs; replies to the kernel go through a batch.
 */
#ifndef KSQLD_WORKER_H
#define KSQLD_WORKER_H

#include <stddef.h>
#include "batch.h"
#include "scheduler.h"

#define KSQLD_READERS_DEFAULT	2
#define KSQLD_READERS_MAX	16

struct ksqld_pool {
	struct ksqld_sched *sched;
	struct ksqld_worker *workers;	/* [0] is the writer */
	unsigned int nworkers;
	struct ksqld_batch *batch;	/* may be NULL */
	struct ksqld_heartbeat writer_hb;	/* the writer's progress (watchdog.h) */
};

/*
 * Opens the connections (the writer first: it creates the file and turns on
 * WAL) and starts the threads. batch (may be NULL) is flushed when a worker
 * runs out of work. On failure returns -errno with a sentence in err.
 */
int ksqld_pool_start(struct ksqld_pool *p, const char *db, unsigned int nreaders,
		     struct ksqld_batch *batch, char *err, size_t errlen);
/* Stops the threads (a running statement finishes), drops what is queued. */
void ksqld_pool_stop(struct ksqld_pool *p);

/* Runs one job on w's connection and answers it (the worker threads' body). */
void ksqld_worker_run(struct ksqld_worker *w, struct ksqld_job *j);
/* The writer: rolls the open transaction back if it is due. */
void ksqld_worker_txn_check(struct ksqld_worker *w);

#endif
