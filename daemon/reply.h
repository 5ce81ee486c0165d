/* SPDX-License-Identifier: GPL-2.0-only */
/* reply.h - a statement's result, or an error, as RESULT chunks to a sink. */
#ifndef KSQLD_REPLY_H
#define KSQLD_REPLY_H

#include <stdint.h>
#include "job.h"
#include "rows.h"

/*
 * Sends rows as RESULT chunks for req_id. When nothing could be sent yet
 * (the result does not encode), sends an error result instead. 0 or -errno.
 */
int ksqld_reply_rows(const struct ksqld_sink *sink, uint64_t req_id, const struct ksqld_rows *rows);
/*
 * The answer to a PING: one RESULT with REQ_ID, CHUNK 0, NCOLS 0 and FLAGS
 * KSQL_F_FINAL, nothing else. Not counted as ANSWERED. 0 or -errno.
 */
int ksqld_reply_empty(const struct ksqld_sink *sink, uint64_t req_id);
/* One LOG_ACK: every sequence of (table, epoch) up to seq is committed. */
int ksqld_reply_log_ack(const struct ksqld_sink *sink, const char *table, uint64_t epoch,
			uint64_t seq);
int ksqld_reply_error(const struct ksqld_sink *sink, uint64_t req_id, int err, const char *msg);

#endif
