/* SPDX-License-Identifier: GPL-2.0-only */
/* sql_tail.h - is there a second statement after the first? */
#ifndef KSQLD_SQL_TAIL_H
#define KSQLD_SQL_TAIL_H

#include <stdbool.h>

/*
 * True when tail (sqlite3_prepare's pzTail) holds only whitespace, comments
 * and semicolons, i.e. nothing SQLite would run as another statement.
 */
bool ksqld_sql_tail_is_empty(const char *tail);

#endif
