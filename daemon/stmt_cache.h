/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * stmt_cache.h - a small LRU of prepared statements keyed by SQL text, so the
 * same kernel query does not pay for parsing and planning every time.
 */
#ifndef KSQLD_STMT_CACHE_H
#define KSQLD_STMT_CACHE_H

#include <stdint.h>
#include <sqlite3.h>

#define KSQLD_STMT_CACHE_SIZE 32

struct ksqld_stmt_cache {
	struct {
		char *sql;
		sqlite3_stmt *stmt;
		uint64_t used;
	} slot[KSQLD_STMT_CACHE_SIZE];
	unsigned int n;
	uint64_t tick;
};

void ksqld_stmt_cache_init(struct ksqld_stmt_cache *c);
/* The cached statement for sql, or NULL. It stays owned by the cache. */
sqlite3_stmt *ksqld_stmt_cache_get(struct ksqld_stmt_cache *c, const char *sql);
/* Hands stmt to the cache, finalizing the least recently used one if full. */
void ksqld_stmt_cache_put(struct ksqld_stmt_cache *c, const char *sql, sqlite3_stmt *stmt);
void ksqld_stmt_cache_clear(struct ksqld_stmt_cache *c);

#endif
