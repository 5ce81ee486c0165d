// SPDX-License-Identifier: GPL-2.0-only
/* watchdog.c - WATCHDOG=1 only while the SQLite writer makes progress. */
#include <inttypes.h>
#include <stdio.h>
#include "log.h"
#include "msgid.h"
#include "watchdog.h"

void ksqld_heartbeat_idle(struct ksqld_heartbeat *hb, uint64_t now_ns)
{
	atomic_store(&hb->word, now_ns << 1 | 1u);
}

void ksqld_heartbeat_busy(struct ksqld_heartbeat *hb, uint64_t now_ns)
{
	atomic_store(&hb->word, now_ns << 1);
}

void ksqld_heartbeat_read(const struct ksqld_heartbeat *hb, uint64_t *beat_ns, bool *idle)
{
	uint64_t w = atomic_load(&((struct ksqld_heartbeat *)hb)->word);

	*beat_ns = w >> 1;
	*idle = w & 1u;
}

bool ksqld_watchdog_writer_ok(uint64_t now_ns, uint64_t interval_ns, uint64_t beat_ns,
			      bool idle, uint64_t *stuck_ns)
{
	/* A stamp from the future (another thread's clock read raced ours) is fresh. */
	uint64_t age = now_ns > beat_ns ? now_ns - beat_ns : 0;

	if (stuck_ns)
		*stuck_ns = idle ? 0 : age;
	return idle || age < interval_ns;
}

void ksqld_watchdog_init(struct ksqld_watchdog *wd, uint64_t interval_ns,
			 const struct ksqld_heartbeat *writer, uint64_t now_ns)
{
	wd->interval_ns = interval_ns;
	/* The first ping is due at once: systemd may count from before ksqld got here. */
	wd->last_ping_ns = now_ns - interval_ns / 2;
	wd->writer = writer;
	wd->withheld = false;
}

int ksqld_watchdog_poll_ms(const struct ksqld_watchdog *wd, uint64_t now_ns)
{
	uint64_t half = wd->interval_ns / 2, elapsed = now_ns - wd->last_ping_ns, wait;

	if (!wd->interval_ns)
		return -1;
	wait = elapsed >= half ? 0 : half - elapsed;
	if (wait > wd->interval_ns / 4)
		wait = wd->interval_ns / 4;
	/* Rounded up: waking a little late is fine, spinning at 0 ms is not. */
	return (int)((wait + 999999u) / 1000000u);
}

/* Once per stuck spell: why systemd is about to restart ksqld. */
static void warn_withheld(const struct ksqld_watchdog *wd, uint64_t stuck_ns)
{
	char f[48];
	const char *fields[] = { f, NULL };

	snprintf(f, sizeof(f), "KSQL_STUCK_SEC=%" PRIu64, stuck_ns / 1000000000u);
	ksqld_log_event(LOG_WARNING, KSQLD_MSGID_WRITER_STUCK, fields,
			"the SQLite writer has been in one job for %" PRIu64 ".%" PRIu64
			" s; not sending the watchdog ping (systemd restarts ksqld when %" PRIu64
			".%" PRIu64 " s pass without one)",
			stuck_ns / 1000000000u, stuck_ns / 100000000u % 10,
			wd->interval_ns / 1000000000u, wd->interval_ns / 100000000u % 10);
}

bool ksqld_watchdog_tick(struct ksqld_watchdog *wd, uint64_t now_ns)
{
	uint64_t beat, stuck = 0;
	bool idle;

	if (!wd->interval_ns || now_ns - wd->last_ping_ns < wd->interval_ns / 2)
		return false;
	if (wd->writer) {
		ksqld_heartbeat_read(wd->writer, &beat, &idle);
		if (!ksqld_watchdog_writer_ok(now_ns, wd->interval_ns, beat, idle, &stuck)) {
			if (!wd->withheld)
				warn_withheld(wd, stuck);
			wd->withheld = true;
			return false;
		}
		if (wd->withheld) {
			log_info("the SQLite writer made progress again; watchdog pings resumed");
			wd->withheld = false;
		}
	}
	wd->last_ping_ns = now_ns;
	return true;
}
