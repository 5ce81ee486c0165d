// SPDX-License-Identifier: GPL-2.0-only
/* notify.c - sd_notify wrappers, compiled to nothing without libsystemd. */
#include "notify.h"

#ifdef HAVE_SYSTEMD
#include <time.h>
#include <systemd/sd-daemon.h>

/* A RELOADING=1 before the first READY=1 would confuse the start-up. */
static bool ready_sent;

void ksqld_notify_ready(void)
{
	sd_notify(0, "READY=1");
	ready_sent = true;
}

void ksqld_notify_status(const char *status)
{
	sd_notifyf(0, "STATUS=%s", status);
}

void ksqld_notify_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}

bool ksqld_notify_reloading(void)
{
	struct timespec ts;

	if (!ready_sent)
		return false;
	/* MONOTONIC_USEC lets systemd tell this reload from an earlier one. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
		   (unsigned long long)ts.tv_sec * 1000000ull + (unsigned long long)ts.tv_nsec / 1000u);
	return true;
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
bool ksqld_notify_reloading(void) { return false; }
uint64_t ksqld_notify_watchdog_usec(void) { return 0; }
void ksqld_notify_watchdog(void) {}
#endif
