// SPDX-License-Identifier: GPL-2.0-only
/*
 * log.c - one line per event on stderr. Under systemd (JOURNAL_STREAM set)
 * lines carry "<prio>" so journald keeps the severity; on a terminal they read
 * "ksqld: ...". Debug lines appear only with --verbose.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "log.h"

static bool verbose;
static bool journal;

void ksqld_log_init(bool v)
{
	verbose = v;
	journal = getenv("JOURNAL_STREAM") != NULL;
}

bool ksqld_log_verbose(void)
{
	return verbose;
}

void ksqld_log(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio >= LOG_DEBUG && !verbose)
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
