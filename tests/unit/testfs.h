/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * testfs.h - a scratch directory per test (a checked fixture) and files in
 * it, for the tests of ksqld's configuration.
 */
#ifndef KSQL_TESTFS_H
#define KSQL_TESTFS_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char testfs_dir[64];

static inline void testfs_setup(void)
{
	strcpy(testfs_dir, "/tmp/check_ksqld.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(testfs_dir));
}

static inline void testfs_teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", testfs_dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* testfs_dir/name holding len bytes of text; its path (valid for 4 calls). */
static inline const char *testfs_write(const char *name, const void *text, size_t len)
{
	static char paths[4][300];
	static unsigned int slot;
	char *p = paths[slot++ % 4];
	FILE *f;

	snprintf(p, sizeof(paths[0]), "%s/%s", testfs_dir, name);
	f = fopen(p, "w");
	ck_assert_msg(f != NULL, "cannot create %s", p);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return p;
}

/* testfs_write() of a string literal */
#define TESTFS_WRITE(name, lit) testfs_write(name, lit, sizeof(lit) - 1)

/* The whole file, NUL-terminated (a static buffer, up to 64 KiB). */
static inline char *testfs_read(const char *path)
{
	static char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static inline void assert_has(const char *text, const char *what)
{
	ck_assert_msg(strstr(text, what) != NULL, "no \"%s\" in:\n%s", what, text);
}

#endif
