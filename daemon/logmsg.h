/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * logmsg.h - the logging messages of proto/ksql_genl.h as the writer needs
 * them: table names and column lists checked against the contract (the
 * kernel checks them too, but ksqld builds DDL from them and trusts nobody),
 * and a LOG batch parsed strictly into rows and gaps.
 */
#ifndef KSQLD_LOGMSG_H
#define KSQLD_LOGMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "codec.h"

/* One user column of a logged table: pointers into the column list. */
struct ksqld_log_col {
	const char *name, *type;
	int namelen, typelen;
};

/* One row (first == last) or one gap of a LOG batch. */
struct ksqld_log_entry {
	bool gap;
	uint64_t first, last;		/* sequences, inclusive */
	uint64_t time_ns;		/* CLOCK_REALTIME */
	uint32_t reason;		/* gap: enum ksql_loss */
	const struct ksql_value *vals;	/* row: ncols values */
};

struct ksqld_log_batch {
	const char *table, *columns;	/* point into the message */
	uint64_t epoch;
	unsigned int ncols;
	struct ksqld_log_entry *entries;	/* in sequence order, contiguous */
	unsigned int nentries, nrows, ngaps;
	struct ksql_value *vals;	/* nrows * ncols; text/blobs point into the message */
};

/*
 * Checks a table name: [A-Za-z_][A-Za-z0-9_]*, at most KSQL_TABLE_NAME_MAX
 * bytes, not starting with "ksql_" or "sqlite_" (in any case: SQLite's names
 * are case-insensitive). 0, or -EINVAL with a sentence in err.
 */
int ksqld_log_check_table(const char *name, char *err, size_t errlen);
/*
 * Parses a canonical column list "name TYPE, name TYPE" (TYPE one of INTEGER
 * REAL TEXT BLOB ANY; 1..KSQL_TABLE_COLS_MAX columns; names as table names,
 * without the ksql_ prefix, no duplicates). cols has room for
 * KSQL_TABLE_COLS_MAX. 0, or -EINVAL with a sentence in err.
 */
int ksqld_log_parse_columns(const char *list, struct ksqld_log_col *cols, unsigned int *n,
			    char *err, size_t errlen);
/* The name of a loss reason for ksql_gaps.reason, NULL if unknown. */
const char *ksqld_log_reason_name(uint32_t reason);

/*
 * Parses a LOG message: TABLE, COLUMNS, EPOCH required; each ROW with SEQ,
 * TIME_NS and exactly as many values as COLUMNS has columns; each GAP with
 * FIRST <= LAST, a known REASON and TIME_NS; entries contiguous in sequence
 * order, sequences from 1. PAD attributes are skipped; any other unknown or
 * repeated attribute, or a wrong length, is refused. The batch points into
 * nlh, which must outlive it. 0, -ENOMEM, or -EINVAL with a sentence in err.
 */
int ksqld_log_parse(const struct nlmsghdr *nlh, struct ksqld_log_batch *b, char *err, size_t errlen);
void ksqld_log_batch_release(struct ksqld_log_batch *b);

/* A TABLE_OPEN message. */
struct ksqld_table_open {
	uint64_t req_id;
	uint32_t timeout_ms;
	uint64_t deadline_ns;
	const char *table, *columns;	/* point into the message */
};

/*
 * Parses TABLE_OPEN: REQ_ID, TABLE, COLUMNS required; the name and list are
 * not checked here (the answer says what is wrong with them). -EINVAL (with
 * o->req_id set when the message had one).
 */
int ksqld_table_open_parse(const struct nlmsghdr *nlh, struct ksqld_table_open *o);

#endif
