/* SPDX-License-Identifier: GPL-2.0-only */
/* log.h - ksqld's stderr log, in systemd's "<prio>" style under journald. */
#ifndef KSQLD_LOG_H
#define KSQLD_LOG_H

#include <stdbool.h>
#include <syslog.h>

void ksqld_log_init(bool verbose);
/*
 * Logs messages of priority level (LOG_ERR .. LOG_DEBUG) and more severe
 * from now on; any thread may log meanwhile.
 */
void ksqld_log_set_level(int level);
int ksqld_log_level(void);
bool ksqld_log_verbose(void);
void ksqld_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...)	ksqld_log(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	ksqld_log(LOG_WARNING, __VA_ARGS__)
#define log_info(...)	ksqld_log(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	ksqld_log(LOG_DEBUG, __VA_ARGS__)

#endif
