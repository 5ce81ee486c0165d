// SPDX-License-Identifier: GPL-2.0-only
/* errmap.c - SQLite result codes as errnos, by primary code. */
#include <errno.h>
#include <sqlite3.h>
#include "errmap.h"

int ksqld_errno_from_sqlite(int code)
{
	switch (code & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return 0;
	case SQLITE_ERROR:
	case SQLITE_MISMATCH:
	case SQLITE_RANGE:
	case SQLITE_CONSTRAINT:
		return EINVAL;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return EBUSY;
	case SQLITE_FULL:
		return ENOSPC;
	case SQLITE_READONLY:
		return EROFS;
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return EPERM;
	case SQLITE_NOMEM:
		return ENOMEM;
	case SQLITE_TOOBIG:
		return E2BIG;
	case SQLITE_INTERRUPT:
		return EINTR;
	default:
		return EIO;
	}
}
