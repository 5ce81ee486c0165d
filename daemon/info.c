// SPDX-License-Identifier: GPL-2.0-only
/* info.c - ksqld's identity for ksqlctl status: version, pid, files, synchronous. */
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "info.h"
#include "ksql_genl.h"

#ifndef KSQL_VERSION_STRING
#define KSQL_VERSION_STRING "unknown"
#endif

static char database[KSQL_PATH_MAX + 1];
static char config[KSQL_PATH_MAX + 1] = "none";
/* The reload of another thread may set it one day: atomic costs nothing. */
static atomic_uint sync_mode = KSQL_SYNC_NORMAL;

static void set(char *dst, const char *src)
{
	/* Longer than KSQL_PATH_MAX cannot happen for a path that opened; cut if it does. */
	snprintf(dst, KSQL_PATH_MAX + 1, "%s", src);
}

void ksqld_info_set_database(const char *path)
{
	char *abs = path ? realpath(path, NULL) : NULL;

	set(database, abs ? abs : path ? path : "");
	free(abs);
}

void ksqld_info_set_config(const char *path)
{
	set(config, path && *path ? path : "none");
}

void ksqld_info_set_synchronous(bool full)
{
	atomic_store(&sync_mode, full ? KSQL_SYNC_FULL : KSQL_SYNC_NORMAL);
}

int ksqld_info_put(struct nlmsghdr *nlh, size_t buflen)
{
	if (!mnl_attr_put_u32_check(nlh, buflen, KSQL_A_DAEMON_PID, (uint32_t)getpid()) ||
	    !mnl_attr_put_strz_check(nlh, buflen, KSQL_A_DAEMON_VERSION, KSQL_VERSION_STRING) ||
	    !mnl_attr_put_strz_check(nlh, buflen, KSQL_A_DAEMON_DB, database) ||
	    !mnl_attr_put_strz_check(nlh, buflen, KSQL_A_DAEMON_CONFIG, config) ||
	    !mnl_attr_put_u32_check(nlh, buflen, KSQL_A_DAEMON_SYNC, atomic_load(&sync_mode)))
		return -EMSGSIZE;
	return 0;
}
