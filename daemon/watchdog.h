/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * watchdog.h - systemd's watchdog, fed only while the SQLite writer makes
 * progress.
 *
 * A main loop that polls happily while the writer hangs in one statement
 * (a stuck disk, a lock never released) would tell systemd all is well.
 * So the writer thread stamps a heartbeat when it waits for work, when it
 * takes a job and when it finishes one; the main loop sends WATCHDOG=1 only
 * while the writer is idle or its current job started less than the
 * watchdog interval ago. A writer stuck past the interval stops the pings
 * and systemd restarts ksqld.
 */
#ifndef KSQLD_WATCHDOG_H
#define KSQLD_WATCHDOG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* The writer's last sign of life: (CLOCK_MONOTONIC ns << 1) | idle. One word, so never torn. */
struct ksqld_heartbeat {
	_Atomic uint64_t word;
};

/* The writer is about to wait for work (now_ns: ksqld_now_ns()). */
void ksqld_heartbeat_idle(struct ksqld_heartbeat *hb, uint64_t now_ns);
/* The writer took a job, or finished one and goes on without waiting. */
void ksqld_heartbeat_busy(struct ksqld_heartbeat *hb, uint64_t now_ns);
void ksqld_heartbeat_read(const struct ksqld_heartbeat *hb, uint64_t *beat_ns, bool *idle);

/*
 * The decision, pure: is the writer healthy at now_ns? Yes when it is idle,
 * or when its last heartbeat (the start of its current job) is less than
 * interval_ns old. Otherwise *stuck_ns (may be NULL) says for how long.
 */
bool ksqld_watchdog_writer_ok(uint64_t now_ns, uint64_t interval_ns, uint64_t beat_ns,
			      bool idle, uint64_t *stuck_ns);

/* The main loop's side. */
struct ksqld_watchdog {
	uint64_t interval_ns;			/* WATCHDOG_USEC; 0 = no watchdog */
	uint64_t last_ping_ns;
	const struct ksqld_heartbeat *writer;	/* NULL: ping unconditionally */
	bool withheld;				/* pings withheld (logged once) */
};

void ksqld_watchdog_init(struct ksqld_watchdog *wd, uint64_t interval_ns,
			 const struct ksqld_heartbeat *writer, uint64_t now_ns);
/*
 * How long the loop may sleep in poll() (ms; -1 = forever, no watchdog): a
 * quarter of the interval at most, so a ping is never late even while idle.
 */
int ksqld_watchdog_poll_ms(const struct ksqld_watchdog *wd, uint64_t now_ns);
/*
 * After each wakeup: true when a WATCHDOG=1 is due (half an interval after
 * the last) and the writer is healthy; the caller sends it. Logs one
 * warning when pings start being withheld and one line when they resume.
 */
bool ksqld_watchdog_tick(struct ksqld_watchdog *wd, uint64_t now_ns);

#endif
