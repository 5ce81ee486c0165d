// SPDX-License-Identifier: GPL-2.0-only
/*
 * status_format.c - the lines and the exit status of "ksqlctl status",
 * pure, so the unit tests pin them down (status.c gathers the facts).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ksqlctl.h"

void ctl_format_module_line(char *buf, size_t size, enum ctl_module_state m, const char *version)
{
	switch (m) {
	case CTL_MODULE_LOADED:
		if (version && *version)
			snprintf(buf, size, "module: loaded (version %s)", version);
		else
			snprintf(buf, size, "module: loaded");
		break;
	case CTL_MODULE_MISSING:
		snprintf(buf, size, "module: not loaded (load it: modprobe ksql)");
		break;
	default:
		snprintf(buf, size, "module: unknown (cannot ask it over generic netlink)");
		break;
	}
}

void ctl_format_ksqld_line(char *buf, size_t size, uint32_t pid, const char *version)
{
	char p[16];

	snprintf(p, sizeof(p), "%" PRIu32, pid);
	snprintf(buf, size, "ksqld: running (pid %s, version %s)", pid ? p : "unknown",
		 version && *version ? version : "unknown");
}

bool ctl_ksqld_not_running(int err)
{
	return err == -ENOENT || err == -ECONNREFUSED;
}

void ctl_ksqld_down_reason(char *buf, size_t size, int err, const char *path,
			   const char *sentence)
{
	if (err == -ENOENT)
		snprintf(buf, size, "no control socket at %s", path);
	else if (err == -ECONNREFUSED && strstr(sentence, "is not a socket") == NULL)
		snprintf(buf, size, "nobody listens on %s", path);
	else
		snprintf(buf, size, "%s", sentence);
}

void ctl_format_ksqld_down(char *buf, size_t size, int err, const char *reason)
{
	/* "not running" only when nothing listens; anything else is "unreachable". */
	snprintf(buf, size, "ksqld: %s (%s)", ctl_ksqld_not_running(err) ? "not running" : "unreachable",
		 reason);
}

int ctl_status_exit(enum ctl_module_state m, bool ksqld_ok)
{
	if (m != CTL_MODULE_LOADED)
		return CTL_EXIT_FAIL;
	return ksqld_ok ? CTL_EXIT_OK : CTL_EXIT_NO_DAEMON;
}
