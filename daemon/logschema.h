/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * logschema.h - the tables of logging: ksql_producers and ksql_gaps, and
 * each logged table, created when missing or compared column by column with
 * what the kernel asks for. Runs on the writer connection, inside the
 * caller's transaction.
 */
#ifndef KSQLD_LOGSCHEMA_H
#define KSQLD_LOGSCHEMA_H

#include <stddef.h>
#include <sqlite3.h>

/*
 * Creates ksql_producers and ksql_gaps if missing. 0, or -errno with a
 * sentence in err and the SQLite code in *code.
 */
int ksqld_logschema_base(sqlite3 *db, char *err, size_t errlen, int *code);
/*
 * Checks name and the canonical column list, then creates the table
 * (ksql_producer, ksql_seq, ksql_time, then the user columns) or compares
 * the existing one. 0; -EINVAL for a bad name or list; -EEXIST when the
 * existing table differs, err naming the first differing column; another
 * -errno (with *code) for an SQLite error.
 */
int ksqld_logschema_table(sqlite3 *db, const char *name, const char *columns,
			  char *err, size_t errlen, int *code);

#endif
