// SPDX-License-Identifier: GPL-2.0-only
/*
 * sql_tail.c - ksql runs one statement per call, so text after the first
 * statement must be refused rather than silently ignored; harmless trailing
 * whitespace, comments and semicolons are still accepted.
 */
#include <ctype.h>
#include <string.h>
#include "sql_tail.h"

bool ksqld_sql_tail_is_empty(const char *p)
{
	while (p && *p) {
		if (isspace((unsigned char)*p) || *p == ';') {
			p++;
		} else if (p[0] == '-' && p[1] == '-') {
			p = strchr(p, '\n');
		} else if (p[0] == '/' && p[1] == '*') {
			/* SQLite accepts an unterminated block comment at the end. */
			p = strstr(p + 2, "*/");
			if (p)
				p += 2;
		} else {
			return false;
		}
	}
	return true;
}
