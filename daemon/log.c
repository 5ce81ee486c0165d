// SPDX-License-Identifier: GPL-2.0-only
/*
 * log.c - one line per event on stderr. Under systemd (JOURNAL_STREAM set)
 * lines carry "<prio>" so journald keeps the severity; on a terminal they read
 * "ksqld: ...". Lines less severe than the log level (log_level, info by
 * default; debug with --verbose) are dropped.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include "log.h"

/* A reload changes it from the main thread while workers log. */
static atomic_int level = LOG_INFO;
static bool journal;

void ksqld_log_init(bool v)
{
	atomic_store_explicit(&level, v ? LOG_DEBUG : LOG_INFO, memory_order_relaxed);
	journal = getenv("JOURNAL_STREAM") != NULL;
}

void ksqld_log_set_level(int l)
{
	atomic_store_explicit(&level, l, memory_order_relaxed);
}

int ksqld_log_level(void)
{
	return atomic_load_explicit(&level, memory_order_relaxed);
}

bool ksqld_log_verbose(void)
{
	return ksqld_log_level() >= LOG_DEBUG;
}

void ksqld_log(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio > ksqld_log_level())
		return;
	if (journal)
		fprintf(stderr, "<%d>", prio);
	else
		fputs("ksqld: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
