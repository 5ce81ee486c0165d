/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * benchdb.h - the throwaway database of the host benchmarks: a fresh
 * directory under /tmp holding bench.db, removed with its WAL files.
 */
#ifndef KSQL_BENCHDB_H
#define KSQL_BENCHDB_H

#include <stdio.h>
#include <unistd.h>

/* The database's path in dir, its WAL and shm files removed, then dir. */
static inline void bench_db_remove(const char *dir)
{
	static const char *const files[] = { "bench.db", "bench.db-wal", "bench.db-shm" };
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

#endif
