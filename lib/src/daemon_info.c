// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * daemon_info.c - who ksqld is (version, pid, database, configuration,
 * synchronous), from its STATS answer on the control socket.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <ksql/client.h>
#include "client_internal.h"
#include "codec.h"
#include "export.h"

struct ksql_daemon_info {
	uint32_t pid;
	uint32_t sync;
	bool has_sync;
	char *version, *database, *config;
};

static int take_str(const struct nlattr *a, char **dst)
{
	const char *s;
	int ret = ksql_attr_str(a, KSQL_PATH_MAX, &s);

	/* A malformed string is left out rather than failing the whole answer. */
	if (ret < 0)
		return 0;
	free(*dst);
	*dst = strdup(s);
	return *dst ? 0 : -ENOMEM;
}

static int info_attr(const struct nlattr *a, void *ctx)
{
	struct ksql_daemon_info *i = ctx;

	switch (mnl_attr_get_type(a)) {
	case KSQL_A_DAEMON_PID:
		ksql_attr_u32(a, &i->pid);
		return 0;
	case KSQL_A_DAEMON_VERSION:
		return take_str(a, &i->version);
	case KSQL_A_DAEMON_DB:
		return take_str(a, &i->database);
	case KSQL_A_DAEMON_CONFIG:
		return take_str(a, &i->config);
	case KSQL_A_DAEMON_SYNC:
		i->has_sync = ksql_attr_u32(a, &i->sync) == 0;
		return 0;
	default:
		return 0;	/* counters, and whatever a newer ksqld adds */
	}
}

KSQL_EXPORT int ksql_client_daemon_info(struct ksql_client *c, struct ksql_daemon_info **out)
{
	struct ksql_daemon_info *i;
	const struct nlmsghdr *nlh;
	void *buf;
	int ret;

	*out = NULL;
	i = calloc(1, sizeof(*i));
	if (!i)
		return -ENOMEM;
	ret = ksql_client_stats_exchange(c, &buf, &nlh);
	if (ret == 0)
		ret = ksql_attr_walk(nlh, info_attr, i);
	free(buf);
	if (ret < 0) {
		ksql_daemon_info_free(i);
		return ret;
	}
	*out = i;
	return 0;
}

KSQL_EXPORT uint32_t ksql_daemon_info_pid(const struct ksql_daemon_info *i)
{
	return i->pid;
}

KSQL_EXPORT const char *ksql_daemon_info_version(const struct ksql_daemon_info *i)
{
	return i->version;
}

KSQL_EXPORT const char *ksql_daemon_info_database(const struct ksql_daemon_info *i)
{
	return i->database;
}

KSQL_EXPORT const char *ksql_daemon_info_config(const struct ksql_daemon_info *i)
{
	return i->config;
}

KSQL_EXPORT const char *ksql_daemon_info_synchronous(const struct ksql_daemon_info *i)
{
	static const char *const names[] = {
		[KSQL_SYNC_OFF] = "off", [KSQL_SYNC_NORMAL] = "normal",
		[KSQL_SYNC_FULL] = "full", [KSQL_SYNC_EXTRA] = "extra",
	};

	if (!i->has_sync || i->sync >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[i->sync];
}

KSQL_EXPORT void ksql_daemon_info_free(struct ksql_daemon_info *i)
{
	if (!i)
		return;
	free(i->version);
	free(i->database);
	free(i->config);
	free(i);
}
