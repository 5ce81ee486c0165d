// SPDX-License-Identifier: GPL-2.0-only
/* stmt_cache.c - LRU of prepared statements; linear search is fine at this size. */
#include <stdlib.h>
#include <string.h>
#include "stmt_cache.h"

void ksqld_stmt_cache_init(struct ksqld_stmt_cache *c)
{
	memset(c, 0, sizeof(*c));
}

sqlite3_stmt *ksqld_stmt_cache_get(struct ksqld_stmt_cache *c, const char *sql)
{
	unsigned int i;

	for (i = 0; i < c->n; i++) {
		if (strcmp(c->slot[i].sql, sql) == 0) {
			c->slot[i].used = ++c->tick;
			return c->slot[i].stmt;
		}
	}
	return NULL;
}

void ksqld_stmt_cache_put(struct ksqld_stmt_cache *c, const char *sql, sqlite3_stmt *stmt)
{
	unsigned int i, victim = 0;
	char *copy = strdup(sql);

	if (!copy) {
		/* Out of memory: run uncached rather than fail the query later. */
		sqlite3_finalize(stmt);
		return;
	}
	if (c->n < KSQLD_STMT_CACHE_SIZE) {
		victim = c->n++;
	} else {
		for (i = 1; i < c->n; i++)
			if (c->slot[i].used < c->slot[victim].used)
				victim = i;
		sqlite3_finalize(c->slot[victim].stmt);
		free(c->slot[victim].sql);
	}
	c->slot[victim].sql = copy;
	c->slot[victim].stmt = stmt;
	c->slot[victim].used = ++c->tick;
}

void ksqld_stmt_cache_clear(struct ksqld_stmt_cache *c)
{
	unsigned int i;

	for (i = 0; i < c->n; i++) {
		sqlite3_finalize(c->slot[i].stmt);
		free(c->slot[i].sql);
	}
	c->n = 0;
}
