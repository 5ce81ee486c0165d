// SPDX-License-Identifier: GPL-2.0-only
/*
 * config.c - the keys of ksqld.conf: their defaults, how each value is
 * read and written back, and what a reload can change (the file's parser
 * is config_file.c).
 */
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <ksql/client.h>
#include "config.h"
#include "worker.h"

_Static_assert(INT_MAX / 2 == 1073741823, "the rcvbuf limit below is spelt out");

#define STR(x) #x
#define XSTR(x) STR(x)

static const struct {
	const char *name;
	const char *allowed;		/* as a file value */
	const char *allowed_cli;	/* as an option's value, where it differs */
	bool reloadable;
} keys[KSQLD_KEY_COUNT] = {
	[KSQLD_KEY_DATABASE] = {
		"database", "an absolute path, e.g. " KSQLD_DB_DEFAULT, "a path", false },
	[KSQLD_KEY_CONTROL_SOCKET] = {
		"control_socket", "an absolute path shorter than 108 bytes, e.g. "
		KSQL_CONTROL_PATH_DEFAULT, "a path shorter than 108 bytes", false },
	[KSQLD_KEY_CONTROL_GROUP] = {
		"control_group", "the name of an existing group, or nothing for the daemon's own group",
		NULL, true },
	[KSQLD_KEY_READERS] = {
		"readers", "a number from 0 to " XSTR(KSQLD_READERS_MAX), NULL, false },
	[KSQLD_KEY_RCVBUF] = {
		"rcvbuf", "a size in bytes from 1024 to 1073741823", NULL, true },
	[KSQLD_KEY_SYNCHRONOUS] = { "synchronous", "normal or full", NULL, true },
	[KSQLD_KEY_LOG_LEVEL] = { "log_level", "err, warning, info or debug", NULL, true },
};

static const struct {
	const char *name;
	int level;
} levels[] = {
	{ "err", LOG_ERR }, { "warning", LOG_WARNING }, { "info", LOG_INFO }, { "debug", LOG_DEBUG },
};

void ksqld_config_defaults(struct ksqld_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->db, sizeof(cfg->db), "%s", KSQLD_DB_DEFAULT);
	snprintf(cfg->control, sizeof(cfg->control), "%s", KSQL_CONTROL_PATH_DEFAULT);
	cfg->readers = KSQLD_READERS_DEFAULT;
	cfg->rcvbuf = KSQLD_RCVBUF_DEFAULT;
	cfg->sync_full = true;	/* an acked log row survives power loss */
	cfg->log_level = LOG_INFO;
	snprintf(cfg->config_file, sizeof(cfg->config_file), "%s", KSQLD_CONFIG_DEFAULT);
}

const char *ksqld_config_key_name(enum ksqld_key key)
{
	return (unsigned int)key < KSQLD_KEY_COUNT ? keys[key].name : NULL;
}

const char *ksqld_config_key_allowed(enum ksqld_key key, bool from_file)
{
	if ((unsigned int)key >= KSQLD_KEY_COUNT)
		return NULL;
	return !from_file && keys[key].allowed_cli ? keys[key].allowed_cli : keys[key].allowed;
}

bool ksqld_config_key_reloadable(enum ksqld_key key)
{
	return (unsigned int)key < KSQLD_KEY_COUNT && keys[key].reloadable;
}

/* A decimal number in [min, max], or -1. */
static long number(const char *s, long min, long max)
{
	char *end;
	long v;

	/* digits only: strtol would also take " 4", "+4" and "-0" */
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	return v;
}

static int set_path(char *dst, size_t max, const char *v, bool absolute)
{
	size_t n = strlen(v);

	if (n == 0 || n >= max || (absolute && v[0] != '/'))
		return -EINVAL;
	memcpy(dst, v, n + 1);
	return 0;
}

/*
 * Checked here, not when applied: `ksqld --check-config` (and so
 * `systemctl reload`) then catches a misspelt group before the daemon
 * runs with it.
 */
static int group_exists(const char *name)
{
	struct group gr, *res = NULL;
	size_t len = 4096;
	char *buf = NULL;
	int ret;

	do {
		char *nbuf = realloc(buf, len);

		if (!nbuf) {
			free(buf);
			return -ENOMEM;
		}
		buf = nbuf;
		ret = getgrnam_r(name, &gr, buf, len, &res);
		len *= 2;
	} while (ret == ERANGE && len <= (1u << 20));
	free(buf);
	if (ret != 0 && ret != ENOENT && ret != ESRCH)
		return -ret;
	return res ? 0 : -ENOENT;
}

int ksqld_config_set(struct ksqld_config *cfg, enum ksqld_key key, const char *v, bool from_file)
{
	long n;
	size_t i;

	switch (key) {
	case KSQLD_KEY_DATABASE:
		return set_path(cfg->db, sizeof(cfg->db), v, from_file);
	case KSQLD_KEY_CONTROL_SOCKET:
		/* sizeof(sockaddr_un.sun_path): longer paths cannot be bound */
		return set_path(cfg->control, 108, v, from_file);
	case KSQLD_KEY_CONTROL_GROUP:
		if (strlen(v) >= sizeof(cfg->control_group))
			return -EINVAL;
		if (*v) {
			int ret = group_exists(v);

			if (ret < 0)
				return ret;
		}
		strcpy(cfg->control_group, v);
		return 0;
	case KSQLD_KEY_READERS:
		n = number(v, 0, KSQLD_READERS_MAX);
		if (n < 0)
			return -EINVAL;
		cfg->readers = (unsigned int)n;
		return 0;
	case KSQLD_KEY_RCVBUF:
		n = number(v, 1024, INT_MAX / 2);
		if (n < 0)
			return -EINVAL;
		cfg->rcvbuf = (int)n;
		return 0;
	case KSQLD_KEY_SYNCHRONOUS:
		if (strcmp(v, "normal") && strcmp(v, "full"))
			return -EINVAL;
		cfg->sync_full = strcmp(v, "full") == 0;
		return 0;
	case KSQLD_KEY_LOG_LEVEL:
		for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
			if (strcmp(v, levels[i].name) == 0) {
				cfg->log_level = levels[i].level;
				return 0;
			}
		}
		return -EINVAL;
	case KSQLD_KEY_COUNT:
		break;
	}
	return -EINVAL;
}

void ksqld_config_format(const struct ksqld_config *cfg, enum ksqld_key key, char *buf, size_t len)
{
	const char *s = "";
	size_t i;

	switch (key) {
	case KSQLD_KEY_DATABASE:
		s = cfg->db;
		break;
	case KSQLD_KEY_CONTROL_SOCKET:
		s = cfg->control;
		break;
	case KSQLD_KEY_CONTROL_GROUP:
		s = cfg->control_group;
		break;
	case KSQLD_KEY_READERS:
		snprintf(buf, len, "%u", cfg->readers);
		return;
	case KSQLD_KEY_RCVBUF:
		snprintf(buf, len, "%d", cfg->rcvbuf);
		return;
	case KSQLD_KEY_SYNCHRONOUS:
		s = cfg->sync_full ? "full" : "normal";
		break;
	case KSQLD_KEY_LOG_LEVEL:
		s = "?";
		for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
			if (cfg->log_level == levels[i].level)
				s = levels[i].name;
		break;
	case KSQLD_KEY_COUNT:
		break;
	}
	snprintf(buf, len, "%s", s);
}

void ksqld_config_copy_keys(struct ksqld_config *dst, const struct ksqld_config *src,
			    unsigned int mask)
{
	if (mask & (1u << KSQLD_KEY_DATABASE))
		memcpy(dst->db, src->db, sizeof(dst->db));
	if (mask & (1u << KSQLD_KEY_CONTROL_SOCKET))
		memcpy(dst->control, src->control, sizeof(dst->control));
	if (mask & (1u << KSQLD_KEY_CONTROL_GROUP))
		memcpy(dst->control_group, src->control_group, sizeof(dst->control_group));
	if (mask & (1u << KSQLD_KEY_READERS))
		dst->readers = src->readers;
	if (mask & (1u << KSQLD_KEY_RCVBUF))
		dst->rcvbuf = src->rcvbuf;
	if (mask & (1u << KSQLD_KEY_SYNCHRONOUS))
		dst->sync_full = src->sync_full;
	if (mask & (1u << KSQLD_KEY_LOG_LEVEL))
		dst->log_level = src->log_level;
}

void ksqld_config_apply_cli(struct ksqld_config *cfg, const struct ksqld_config *cli)
{
	ksqld_config_copy_keys(cfg, cli, cli->from_cli);
	cfg->from_cli |= cli->from_cli;
}

unsigned int ksqld_config_diff(const struct ksqld_config *old, const struct ksqld_config *new,
			       struct ksqld_config_change *out)
{
	char a[KSQLD_PATH_MAX], b[KSQLD_PATH_MAX];
	unsigned int n = 0;
	int k;

	for (k = 0; k < KSQLD_KEY_COUNT; k++) {
		ksqld_config_format(old, (enum ksqld_key)k, a, sizeof(a));
		ksqld_config_format(new, (enum ksqld_key)k, b, sizeof(b));
		if (strcmp(a, b) == 0)
			continue;
		out[n].key = (enum ksqld_key)k;
		out[n].applied = keys[k].reloadable;
		n++;
	}
	return n;
}

void ksqld_config_change_line(const struct ksqld_config *old, const struct ksqld_config *new,
			      const struct ksqld_config_change *c, char *buf, size_t len)
{
	char a[KSQLD_PATH_MAX], b[KSQLD_PATH_MAX];

	ksqld_config_format(old, c->key, a, sizeof(a));
	ksqld_config_format(new, c->key, b, sizeof(b));
	snprintf(buf, len, "reload: %s %s -> %s: %s", keys[c->key].name,
		 *a ? a : "(empty)", *b ? b : "(empty)",
		 c->applied ? "applied" : "needs a restart (systemctl restart ksqld)");
}
