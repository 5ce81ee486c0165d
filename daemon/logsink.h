/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * logsink.h - where LOG batches land: on the writer connection, several
 * batches per transaction (group commit), exactly once per producer thanks
 * to ksql_producers.last_seq kept in the same transaction; and TABLE_OPEN.
 * Transport-free: acks are returned to the caller, who sends them only
 * because this said the COMMIT succeeded.
 */
#ifndef KSQLD_LOGSINK_H
#define KSQLD_LOGSINK_H

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>
#include "logmsg.h"
#include "rows.h"

/* Most LOG batches committed in one transaction. */
#define KSQLD_LOG_GROUP_MAX	64

struct ksqld_logsink;

/* The sink of the writer connection db (prepared statements, known tables). */
struct ksqld_logsink *ksqld_logsink_new(sqlite3 *db);
void ksqld_logsink_free(struct ksqld_logsink *ls);

/* TABLE_OPEN: creates or compares the table in its own transaction; status in rows. */
void ksqld_logsink_open(struct ksqld_logsink *ls, const char *table, const char *columns,
			struct ksqld_rows *rows);

/* What became of one batch of a group. */
struct ksqld_log_outcome {
	bool refused;		/* nothing of it was committed */
	uint64_t ack_seq;	/* > 0: send LOG_ACK (table, epoch, ack_seq) for it */
	uint64_t rows, duplicates, gaps;
	uint64_t prev_seq;	/* the producer's last committed sequence before this batch */
};

/*
 * Commits n batches in one transaction, each inside a savepoint: a batch
 * that is refused (table mismatch, a hole in its sequences, an SQL error)
 * leaves the others alone. Returns 0 once COMMIT succeeded: out[i] says
 * what to ack, and only the last batch of each producer in the group gets an
 * ack_seq. On any other return (-errno, e.g. -EBUSY, -ENOSPC) nothing was
 * committed and nothing may be acked. Counts KSQLD_STAT_LOG_* itself.
 */
int ksqld_logsink_commit(struct ksqld_logsink *ls, struct ksqld_log_batch *const *b,
			 unsigned int n, struct ksqld_log_outcome *out);

#endif
