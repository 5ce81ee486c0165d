// SPDX-License-Identifier: GPL-2.0-only
/* notify.c - sd_notify wrappers, compiled to nothing without libsystemd. */
#include "notify.h"

#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>

void ksqld_notify_ready(void)
{
	sd_notify(0, "READY=1");
}

void ksqld_notify_status(const char *status)
{
	sd_notifyf(0, "STATUS=%s", status);
}

void ksqld_notify_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}

uint64_t ksqld_notify_watchdog_usec(void)
{
	uint64_t usec = 0;

	return sd_watchdog_enabled(0, &usec) > 0 ? usec : 0;
}

void ksqld_notify_watchdog(void)
{
	sd_notify(0, "WATCHDOG=1");
}
#else
void ksqld_notify_ready(void) {}
void ksqld_notify_status(const char *status) { (void)status; }
void ksqld_notify_stopping(void) {}
uint64_t ksqld_notify_watchdog_usec(void) { return 0; }
void ksqld_notify_watchdog(void) {}
#endif
