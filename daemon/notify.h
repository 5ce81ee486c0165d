/* SPDX-License-Identifier: GPL-2.0-only */
/* notify.h - systemd readiness, status and watchdog; no-ops without libsystemd. */
#ifndef KSQLD_NOTIFY_H
#define KSQLD_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

void ksqld_notify_ready(void);
void ksqld_notify_status(const char *status);
void ksqld_notify_stopping(void);
/*
 * A reload starts (RELOADING=1; ksqld_notify_ready() ends it). Returns
 * false, and sends nothing, before the first READY=1 or without systemd.
 */
bool ksqld_notify_reloading(void);
/* Watchdog interval in microseconds, 0 when systemd wants none. */
uint64_t ksqld_notify_watchdog_usec(void);
void ksqld_notify_watchdog(void);

#endif
