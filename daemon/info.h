/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * info.h - what ksqld says about itself in the control socket's STATS
 * answer (ksqlctl status): version, pid, database, configuration file,
 * synchronous. Set at start (and the synchronous on reload) and read when
 * STATS is answered, all on the main thread.
 */
#ifndef KSQLD_INFO_H
#define KSQLD_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <libmnl/libmnl.h>

/* The database file; kept as an absolute path when it can be resolved. */
void ksqld_info_set_database(const char *path);
/* The configuration file read, NULL when none was ("none"). */
void ksqld_info_set_config(const char *path);
/* The writer's PRAGMA synchronous: FULL or NORMAL. */
void ksqld_info_set_synchronous(bool full);

/*
 * Appends KSQL_A_DAEMON_PID, _VERSION, _DB, _CONFIG and _SYNC to nlh (a
 * buffer of buflen bytes). 0 or -EMSGSIZE.
 */
int ksqld_info_put(struct nlmsghdr *nlh, size_t buflen);

#endif
