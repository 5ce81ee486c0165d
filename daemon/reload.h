/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * reload.h - SIGHUP: read the configuration file again and apply to the
 * running daemon what can change while it runs.
 */
#ifndef KSQLD_RELOAD_H
#define KSQLD_RELOAD_H

#include "config.h"
#include "control.h"
#include "netlink.h"

struct ksqld_reload {
	struct ksqld_config *cfg;	/* the running configuration, kept up to date */
	struct ksqld_nl *nl;		/* may be NULL: rcvbuf is then only recorded */
	struct ksqld_control *ctl;	/* may be NULL: control_group likewise */
};

/*
 * Re-reads r->cfg's file with the same command-line values on top. If it
 * is invalid, logs why and changes nothing; else logs one line per changed
 * key (applied, or needs a restart), applies log_level, rcvbuf,
 * synchronous and control_group, and logs a summary. Brackets it all with
 * RELOADING=1 ... READY=1 for systemd. Returns 0, or -errno when the file
 * was refused.
 */
int ksqld_reload(struct ksqld_reload *r);
/*
 * The closing line of a reload. One function, so that the journal can give
 * it a MESSAGE_ID.
 */
void ksqld_reload_log_summary(const char *file, unsigned int applied, unsigned int restart,
			      unsigned int failed);

#endif
