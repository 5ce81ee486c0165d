/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * logmsg_encode.h - the attributes of a KSQL_CMD_LOG message laid out as
 * ksql.ko sends them (kernel/log_send.c, kernel/log.c), PADs included, for
 * the tests that hand LOG messages to ksqld: the unit test check_log and
 * the fuzz seeds written by tests/fuzz/gen_seeds.c. The caller starts the
 * message (ksql_msg_start(), KSQL_CMD_LOG) and puts the head, then any
 * mix of rows and gaps.
 */
#ifndef KSQL_LOGMSG_ENCODE_H
#define KSQL_LOGMSG_ENCODE_H

#include <stddef.h>
#include <stdint.h>

struct nlmsghdr;

/* TABLE, COLUMNS, a PAD (the kernel pads u64s; the daemon must skip it)
 * and EPOCH. */
void logmsg_put_head(struct nlmsghdr *nlh, const char *table, const char *columns,
		     uint64_t epoch);

/*
 * A ROW whose values derive from seq, for the columns "INTEGER, TEXT,
 * REAL, BLOB, ANY": a PAD, SEQ seq, TIME_NS 1000 + seq, then 100 + seq,
 * "row<seq>", seq + 0.5, the blob_len bytes at blob and NULL.
 */
void logmsg_put_row(struct nlmsghdr *nlh, uint64_t seq, const void *blob, size_t blob_len);

/* A GAP of the sequences first..last lost for reason, TIME_NS 5000 + first. */
void logmsg_put_gap(struct nlmsghdr *nlh, uint64_t first, uint64_t last, uint32_t reason);

#endif
