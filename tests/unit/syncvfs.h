/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * syncvfs.h - a SQLite VFS shim for the unit tests that counts the xSync
 * calls made on write-ahead-log files, so a test can tell whether a COMMIT
 * made its rows durable before something (a LOG_ACK) was sent. Every other
 * call goes to the default VFS unchanged.
 *
 *   syncvfs_register();	// before the connections are opened: the default
 *   ... syncvfs_wal_syncs ...	// xSync calls on "*-wal" files so far
 */
#ifndef KSQL_TEST_SYNCVFS_H
#define KSQL_TEST_SYNCVFS_H

#include <string.h>
#include <sqlite3.h>

static unsigned int syncvfs_wal_syncs;
static sqlite3_vfs *syncvfs_real;

struct syncvfs_file {
	sqlite3_file base;
	sqlite3_file *real;	/* right behind this struct */
	int wal;
};

#define SV_REAL(f) (((struct syncvfs_file *)(f))->real)

static int sv_close(sqlite3_file *f) { return SV_REAL(f)->pMethods->xClose(SV_REAL(f)); }
static int sv_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{ return SV_REAL(f)->pMethods->xRead(SV_REAL(f), b, n, o); }
static int sv_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{ return SV_REAL(f)->pMethods->xWrite(SV_REAL(f), b, n, o); }
static int sv_truncate(sqlite3_file *f, sqlite3_int64 n)
{ return SV_REAL(f)->pMethods->xTruncate(SV_REAL(f), n); }
static int sv_sync(sqlite3_file *f, int flags)
{
	if (((struct syncvfs_file *)f)->wal)
		__atomic_add_fetch(&syncvfs_wal_syncs, 1, __ATOMIC_SEQ_CST);
	return SV_REAL(f)->pMethods->xSync(SV_REAL(f), flags);
}
static int sv_size(sqlite3_file *f, sqlite3_int64 *n) { return SV_REAL(f)->pMethods->xFileSize(SV_REAL(f), n); }
static int sv_lock(sqlite3_file *f, int l) { return SV_REAL(f)->pMethods->xLock(SV_REAL(f), l); }
static int sv_unlock(sqlite3_file *f, int l) { return SV_REAL(f)->pMethods->xUnlock(SV_REAL(f), l); }
static int sv_check(sqlite3_file *f, int *r)
{ return SV_REAL(f)->pMethods->xCheckReservedLock(SV_REAL(f), r); }
static int sv_fctl(sqlite3_file *f, int op, void *a)
{ return SV_REAL(f)->pMethods->xFileControl(SV_REAL(f), op, a); }
static int sv_sector(sqlite3_file *f) { return SV_REAL(f)->pMethods->xSectorSize(SV_REAL(f)); }
static int sv_devchar(sqlite3_file *f)
{ return SV_REAL(f)->pMethods->xDeviceCharacteristics(SV_REAL(f)); }
static int sv_shmmap(sqlite3_file *f, int pg, int sz, int ext, void volatile **p)
{ return SV_REAL(f)->pMethods->xShmMap(SV_REAL(f), pg, sz, ext, p); }
static int sv_shmlock(sqlite3_file *f, int o, int n, int fl)
{ return SV_REAL(f)->pMethods->xShmLock(SV_REAL(f), o, n, fl); }
static void sv_shmbarrier(sqlite3_file *f) { SV_REAL(f)->pMethods->xShmBarrier(SV_REAL(f)); }
static int sv_shmunmap(sqlite3_file *f, int del)
{ return SV_REAL(f)->pMethods->xShmUnmap(SV_REAL(f), del); }
static int sv_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **p)
{ return SV_REAL(f)->pMethods->xFetch(SV_REAL(f), o, n, p); }
static int sv_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p)
{ return SV_REAL(f)->pMethods->xUnfetch(SV_REAL(f), o, p); }

/* Version 3 methods: the unix VFS's files have them all. */
static const sqlite3_io_methods syncvfs_methods = {
	3, sv_close, sv_read, sv_write, sv_truncate, sv_sync, sv_size, sv_lock, sv_unlock,
	sv_check, sv_fctl, sv_sector, sv_devchar, sv_shmmap, sv_shmlock, sv_shmbarrier,
	sv_shmunmap, sv_fetch, sv_unfetch,
};

static int sv_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	struct syncvfs_file *sf = (struct syncvfs_file *)f;
	int rc;

	(void)vfs;
	sf->real = (sqlite3_file *)(sf + 1);
	sf->wal = (flags & SQLITE_OPEN_WAL) != 0;
	rc = syncvfs_real->xOpen(syncvfs_real, name, sf->real, flags, out);
	/* a failed open leaves pMethods NULL: SQLite then calls no xClose */
	sf->base.pMethods = rc == SQLITE_OK && sf->real->pMethods ? &syncvfs_methods : NULL;
	return rc;
}

static int sv_delete(sqlite3_vfs *v, const char *n, int s)
{ (void)v; return syncvfs_real->xDelete(syncvfs_real, n, s); }
static int sv_access(sqlite3_vfs *v, const char *n, int fl, int *r)
{ (void)v; return syncvfs_real->xAccess(syncvfs_real, n, fl, r); }
static int sv_fullpath(sqlite3_vfs *v, const char *n, int len, char *out)
{ (void)v; return syncvfs_real->xFullPathname(syncvfs_real, n, len, out); }
static int sv_random(sqlite3_vfs *v, int n, char *out)
{ (void)v; return syncvfs_real->xRandomness(syncvfs_real, n, out); }
static int sv_sleep(sqlite3_vfs *v, int us) { (void)v; return syncvfs_real->xSleep(syncvfs_real, us); }
static int sv_time(sqlite3_vfs *v, double *t) { (void)v; return syncvfs_real->xCurrentTime(syncvfs_real, t); }
static int sv_lasterr(sqlite3_vfs *v, int n, char *b)
{ (void)v; return syncvfs_real->xGetLastError(syncvfs_real, n, b); }
static int sv_time64(sqlite3_vfs *v, sqlite3_int64 *t)
{ (void)v; return syncvfs_real->xCurrentTimeInt64(syncvfs_real, t); }

/* Make the shim the default VFS (once per process). */
static inline void syncvfs_register(void)
{
	static sqlite3_vfs vfs;

	if (syncvfs_real)
		return;
	syncvfs_real = sqlite3_vfs_find(NULL);
	vfs.iVersion = 2;
	vfs.szOsFile = (int)sizeof(struct syncvfs_file) + syncvfs_real->szOsFile;
	vfs.mxPathname = syncvfs_real->mxPathname;
	vfs.zName = "ksql-test-syncvfs";
	vfs.xOpen = sv_open;
	vfs.xDelete = sv_delete;
	vfs.xAccess = sv_access;
	vfs.xFullPathname = sv_fullpath;
	vfs.xRandomness = sv_random;
	vfs.xSleep = sv_sleep;
	vfs.xCurrentTime = sv_time;
	vfs.xGetLastError = sv_lasterr;
	vfs.xCurrentTimeInt64 = sv_time64;
	sqlite3_vfs_register(&vfs, 1);
}

#endif
