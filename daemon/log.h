/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * log.h - ksqld's log: structured journal entries under journald,
 * "ksqld: ..." lines on stderr elsewhere.
 *
 * Under journald (JOURNAL_STREAM names our stderr, as systemd documents)
 * each call becomes one journal entry: PRIORITY, MESSAGE,
 * SYSLOG_IDENTIFIER=ksqld, CODE_FILE/CODE_LINE/CODE_FUNC of the caller and,
 * for the events of msgid.h, MESSAGE_ID plus "KEY=value" fields an
 * administrator can search for (journalctl MESSAGE_ID=... KSQL_TABLE=...).
 * Anywhere else, and without libsystemd, the fields are dropped: the
 * message itself says everything.
 */
#ifndef KSQLD_LOG_H
#define KSQLD_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <syslog.h>
#include <sys/types.h>
#include <sys/uio.h>

/* Looks at stderr and JOURNAL_STREAM; verbose logs debug lines too. */
void ksqld_log_init(bool verbose);
/* Logs priorities up to level (LOG_ERR .. LOG_DEBUG) from now on; any thread may log meanwhile. */
void ksqld_log_set_level(int level);
int ksqld_log_level(void);
bool ksqld_log_verbose(void);

/*
 * One entry. msgid (32 hex digits, msgid.h) and fields (NULL-terminated
 * "KEY=value" strings, KEY as journald wants it: [A-Z0-9_], not starting
 * with "_") may be NULL. Use the macros below, which pass the location.
 */
void ksqld_log_at(const char *file, int line, const char *func, int prio, const char *msgid,
		  const char *const *fields, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

#define ksqld_log(prio, ...) \
	ksqld_log_at(__FILE__, __LINE__, __func__, prio, NULL, NULL, __VA_ARGS__)
/* An event of msgid.h with its fields: ksqld_log_event(LOG_WARNING, KSQLD_MSGID_X, f.v, "..."). */
#define ksqld_log_event(prio, msgid, fields, ...) \
	ksqld_log_at(__FILE__, __LINE__, __func__, prio, msgid, fields, __VA_ARGS__)

#define log_err(...)	ksqld_log(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	ksqld_log(LOG_WARNING, __VA_ARGS__)
#define log_info(...)	ksqld_log(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	ksqld_log(LOG_DEBUG, __VA_ARGS__)

/* ---- building blocks, pure (unit-tested) ------------------------------- */

#define KSQLD_LOG_FIELDS_MAX	8

/* A few "KEY=value" fields in one buffer; v is NULL-terminated for ksqld_log_event(). */
struct ksqld_log_fields {
	const char *v[KSQLD_LOG_FIELDS_MAX + 1];
	unsigned int n;
	size_t used;
	char buf[1024];
};

void ksqld_log_fields_init(struct ksqld_log_fields *f);
/*
 * Appends KEY=value (value printf-formatted). 0; -EINVAL for a KEY journald
 * would refuse, -E2BIG when it does not fit: that field is left out, the
 * others stay.
 */
int ksqld_log_field(struct ksqld_log_fields *f, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Is key a valid journal field name? */
bool ksqld_log_field_name_ok(const char *key, size_t len);

/*
 * Is stderr (device dev, inode ino) the stream journald gave us? The
 * JOURNAL_STREAM variable ("DEV:INODE", decimal) says which stream systemd
 * connected; a child that inherited the variable but not the stream (a
 * redirect) must not use the journal protocol.
 */
bool ksqld_log_stream_is_journal(const char *journal_stream, dev_t dev, ino_t ino);

#define KSQLD_LOG_IOV_MAX	(KSQLD_LOG_FIELDS_MAX + 7)

/* One journal entry as iovecs for sd_journal_sendv(); strings point into it and its inputs. */
struct ksqld_log_record {
	struct iovec iov[KSQLD_LOG_IOV_MAX];
	int n;
	char priority[16];
	char message_id[48];
	char code_file[256];
	char code_line[32];
	char code_func[128];
};

/*
 * Fills r: PRIORITY, MESSAGE (message must already read "MESSAGE=..."),
 * SYSLOG_IDENTIFIER=ksqld, MESSAGE_ID when msgid is set, each valid field,
 * and CODE_FILE/CODE_LINE/CODE_FUNC when file is set. Returns r->n.
 */
int ksqld_log_record_build(struct ksqld_log_record *r, int prio, const char *msgid,
			   const char *const *fields, const char *message,
			   const char *file, int line, const char *func);

#endif
