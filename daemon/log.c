// SPDX-License-Identifier: GPL-2.0-only
/*
 * log.c - journal entries under journald, "ksqld: ..." lines elsewhere.
 * Lines less severe than the log level (info by default, debug with
 * --verbose) are dropped.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "log.h"

#ifdef HAVE_SYSTEMD
#define SD_JOURNAL_SUPPRESS_LOCATION	/* we pass our callers' location ourselves */
#include <systemd/sd-journal.h>
#endif

/* The native protocol's socket (systemd's "Native Journal Protocol"). */
#define JOURNAL_SOCKET	"/run/systemd/journal/socket"

/* Longest message; longer ones are cut (SQLite's messages are far shorter). */
#define LINE_MAX_BYTES	4096

/* A reload changes it from the main thread while workers log. */
static atomic_int level = LOG_INFO;
static bool journal;

bool ksqld_log_stream_is_journal(const char *journal_stream, dev_t dev, ino_t ino)
{
	unsigned long long d, i;
	char *end;

	if (!journal_stream || !*journal_stream)
		return false;
	errno = 0;
	d = strtoull(journal_stream, &end, 10);
	if (errno || end == journal_stream || *end != ':')
		return false;
	journal_stream = end + 1;
	i = strtoull(journal_stream, &end, 10);
	if (errno || end == journal_stream || *end)
		return false;
	return d == (unsigned long long)dev && i == (unsigned long long)ino;
}

void ksqld_log_init(bool verbose)
{
	struct stat st;

	atomic_store_explicit(&level, verbose ? LOG_DEBUG : LOG_INFO, memory_order_relaxed);
	/*
	 * sd_journal_sendv() reports success when journald's socket is missing
	 * (journald not running): the lines would vanish. Then stderr it is.
	 */
	journal = fstat(STDERR_FILENO, &st) == 0 &&
		  ksqld_log_stream_is_journal(getenv("JOURNAL_STREAM"), st.st_dev, st.st_ino) &&
		  access(JOURNAL_SOCKET, F_OK) == 0;
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

/* ---- fields and records ---------------------------------------------------- */

bool ksqld_log_field_name_ok(const char *key, size_t len)
{
	size_t i;

	/* journald's rule: 1..64 of [A-Z0-9_], no leading underscore (those are trusted fields). */
	if (len == 0 || len > 64 || key[0] == '_' || (key[0] >= '0' && key[0] <= '9'))
		return false;
	for (i = 0; i < len; i++)
		if (!((key[i] >= 'A' && key[i] <= 'Z') || (key[i] >= '0' && key[i] <= '9') ||
		      key[i] == '_'))
			return false;
	return true;
}

void ksqld_log_fields_init(struct ksqld_log_fields *f)
{
	f->n = 0;
	f->used = 0;
	f->v[0] = NULL;
}

int ksqld_log_field(struct ksqld_log_fields *f, const char *key, const char *fmt, ...)
{
	size_t klen = strlen(key), room = sizeof(f->buf) - f->used;
	char *p = f->buf + f->used;
	va_list ap;
	int n;

	if (!ksqld_log_field_name_ok(key, klen))
		return -EINVAL;
	if (f->n == KSQLD_LOG_FIELDS_MAX || klen + 2 > room)
		return -E2BIG;
	memcpy(p, key, klen);
	p[klen] = '=';
	va_start(ap, fmt);
	n = vsnprintf(p + klen + 1, room - klen - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room - klen - 1)
		return -E2BIG;	/* not counted: the next field overwrites it */
	f->v[f->n++] = p;
	f->v[f->n] = NULL;
	f->used += klen + 1 + (size_t)n + 1;
	return 0;
}

static void add(struct ksqld_log_record *r, const char *s)
{
	if (r->n < KSQLD_LOG_IOV_MAX)
		r->iov[r->n++] = (struct iovec){ .iov_base = (void *)s, .iov_len = strlen(s) };
}

int ksqld_log_record_build(struct ksqld_log_record *r, int prio, const char *msgid,
			   const char *const *fields, const char *message,
			   const char *file, int line, const char *func)
{
	unsigned int i;

	r->n = 0;
	snprintf(r->priority, sizeof(r->priority), "PRIORITY=%d", prio & LOG_PRIMASK);
	add(r, r->priority);
	add(r, message);
	add(r, "SYSLOG_IDENTIFIER=ksqld");
	if (msgid) {
		snprintf(r->message_id, sizeof(r->message_id), "MESSAGE_ID=%s", msgid);
		add(r, r->message_id);
	}
	for (i = 0; fields && fields[i] && i < KSQLD_LOG_FIELDS_MAX; i++) {
		const char *eq = strchr(fields[i], '=');

		/* A bad name would make journald drop the whole entry: leave the field out. */
		if (eq && ksqld_log_field_name_ok(fields[i], (size_t)(eq - fields[i])))
			add(r, fields[i]);
	}
	if (file) {
		/* meson compiles "../daemon/x.c": the source path reads better. */
		while (strncmp(file, "../", 3) == 0)
			file += 3;
		snprintf(r->code_file, sizeof(r->code_file), "CODE_FILE=%s", file);
		snprintf(r->code_line, sizeof(r->code_line), "CODE_LINE=%d", line);
		add(r, r->code_file);
		add(r, r->code_line);
		if (func) {
			snprintf(r->code_func, sizeof(r->code_func), "CODE_FUNC=%s", func);
			add(r, r->code_func);
		}
	}
	return r->n;
}

/* ---- output ------------------------------------------------------------------ */

/* buf is "MESSAGE=text". Returns false when journald did not take it. */
static bool to_journal(int prio, const char *msgid, const char *const *fields,
		       const char *buf, const char *file, int line, const char *func)
{
#ifdef HAVE_SYSTEMD
	struct ksqld_log_record r;

	ksqld_log_record_build(&r, prio, msgid, fields, buf, file, line, func);
	return sd_journal_sendv(r.iov, r.n) >= 0;
#else
	(void)prio; (void)msgid; (void)fields; (void)buf; (void)file; (void)line; (void)func;
	return false;
#endif
}

void ksqld_log_at(const char *file, int line, const char *func, int prio, const char *msgid,
		  const char *const *fields, const char *fmt, ...)
{
	static const char prefix[] = "MESSAGE=";
	char buf[LINE_MAX_BYTES];
	const char *text = buf + sizeof(prefix) - 1;
	va_list ap;

	if (prio > ksqld_log_level())
		return;
	memcpy(buf, prefix, sizeof(prefix) - 1);
	va_start(ap, fmt);
	vsnprintf(buf + sizeof(prefix) - 1, sizeof(buf) - (sizeof(prefix) - 1), fmt, ap);
	va_end(ap);
	if (journal && to_journal(prio, msgid, fields, buf, file, line, func))
		return;
	/* One call per line, so lines of different threads do not interleave. */
	if (journal)
		fprintf(stderr, "<%d>%s\n", prio & LOG_PRIMASK, text);
	else
		fprintf(stderr, "ksqld: %s\n", text);
}
