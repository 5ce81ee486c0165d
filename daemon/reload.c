// SPDX-License-Identifier: GPL-2.0-only
/*
 * reload.c - SIGHUP. The file is read into a fresh configuration (built-in
 * defaults, the file, the command line's values), compared key by key with
 * the running one, and what can change at run time is applied; the rest is
 * logged as needing a restart, and the running configuration keeps saying
 * what actually runs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "exec.h"
#include "info.h"
#include "log.h"
#include "msgid.h"
#include "notify.h"
#include "reload.h"

void ksqld_reload_log_summary(const char *file, unsigned int applied, unsigned int restart,
			      unsigned int failed)
{
	struct ksqld_log_fields f;

	/* journalctl MESSAGE_ID=... KSQL_RESTART_NEEDED=1 finds what still waits */
	ksqld_log_fields_init(&f);
	ksqld_log_field(&f, "KSQL_CONFIG", "%s", file);
	ksqld_log_field(&f, "KSQL_APPLIED", "%u", applied);
	ksqld_log_field(&f, "KSQL_RESTART_NEEDED", "%u", restart);
	ksqld_log_field(&f, "KSQL_FAILED", "%u", failed);
	if (failed)
		ksqld_log_event(LOG_WARNING, KSQLD_MSGID_CONFIG_RELOADED, f.v,
				"configuration reloaded from %s (%u change%s applied, %u need%s a restart, %u failed)",
				file, applied, applied == 1 ? "" : "s", restart,
				restart == 1 ? "s" : "", failed);
	else
		ksqld_log_event(LOG_INFO, KSQLD_MSGID_CONFIG_RELOADED, f.v,
				"configuration reloaded from %s (%u change%s applied, %u need%s a restart)",
				file, applied, applied == 1 ? "" : "s", restart,
				restart == 1 ? "s" : "");
}

/* Puts key's new value in force; 0 or -errno. */
static int apply(struct ksqld_reload *r, const struct ksqld_config *new, enum ksqld_key key)
{
	switch (key) {
	case KSQLD_KEY_LOG_LEVEL:
		ksqld_log_set_level(new->log_level);
		return 0;
	case KSQLD_KEY_SYNCHRONOUS:
		/* the writer switches on its own thread, before its next job */
		ksqld_exec_set_synchronous_full(new->sync_full);
		ksqld_info_set_synchronous(new->sync_full);
		return 0;
	case KSQLD_KEY_RCVBUF:
		return r->nl ? ksqld_nl_set_rcvbuf(r->nl, new->rcvbuf) : 0;
	case KSQLD_KEY_CONTROL_GROUP:
		return r->ctl ? ksqld_control_set_group(r->ctl, new->control_group) : 0;
	default:
		return -EOPNOTSUPP;
	}
}

int ksqld_reload(struct ksqld_reload *r)
{
	struct ksqld_config_change changes[KSQLD_KEY_COUNT];
	unsigned int n, i, applied = 0, restart = 0, failed = 0;
	struct ksqld_config *new = malloc(sizeof(*new));
	int errs[KSQLD_KEY_COUNT] = { 0 };
	bool told = ksqld_notify_reloading();
	char err[1024], line[2 * KSQLD_PATH_MAX + 128];
	int ret;

	log_info("SIGHUP received; reading the configuration file %s again", r->cfg->config_file);
	if (!new) {
		log_err("cannot reload the configuration: out of memory; keeping the running configuration");
		ret = -ENOMEM;
		goto out;
	}
	ret = ksqld_config_reread(r->cfg, new, err, sizeof(err));
	if (ret < 0) {
		log_err("%s", err);
		log_err("keeping the running configuration");
		goto out;
	}
	n = ksqld_config_diff(r->cfg, new, changes);
	/* Applied first, logged after: the lines then follow the new log_level. */
	for (i = 0; i < n; i++)
		if (changes[i].applied)
			errs[i] = apply(r, new, changes[i].key);
	for (i = 0; i < n; i++) {
		ksqld_config_change_line(r->cfg, new, &changes[i], line, sizeof(line));
		if (!changes[i].applied) {
			log_warn("%s", line);
			restart++;
		} else if (errs[i] < 0) {
			/* "...: applied" would be wrong: say what stays */
			line[strlen(line) - strlen(": applied")] = '\0';
			log_err("%s: failed (%s); keeping the old value", line, strerror(-errs[i]));
			failed++;
		} else {
			log_info("%s", line);
			ksqld_config_copy_keys(r->cfg, new, 1u << changes[i].key);
			applied++;
		}
	}
	if (!new->config_found && r->cfg->config_found)
		log_info("the configuration file %s is gone; the built-in defaults apply", new->config_file);
	r->cfg->config_found = new->config_found;
	ksqld_info_set_config(new->config_found ? new->config_file : NULL);
	ksqld_reload_log_summary(r->cfg->config_file, applied, restart, failed);
out:
	free(new);
	if (told)
		ksqld_notify_ready();
	return ret;
}
