// SPDX-License-Identifier: GPL-2.0-only
/* job.c - a received QUERY as a unit of work. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "job.h"

uint64_t ksqld_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t ksqld_job_deadline(uint64_t now_ns, uint64_t deadline_ns, uint32_t timeout_ms)
{
	uint64_t t = (uint64_t)timeout_ms * 1000000u, mine = now_ns + t;

	if (!deadline_ns)
		return timeout_ms ? mine : 0;
	if (!timeout_ms)
		return deadline_ns;
	/* Another clock than ours (a VM, a bug): trust the timeout instead. */
	if (deadline_ns > mine ? deadline_ns - mine > t : mine - deadline_ns > t)
		return mine;
	return deadline_ns;
}

int ksqld_job_new(const void *buf, size_t len, const struct ksqld_sink *sink,
		  struct ksqld_job **out, uint64_t *req_id)
{
	struct ksqld_job *j = calloc(1, sizeof(*j));
	const struct nlmsghdr *nlh;
	int ret;

	*req_id = 0;
	if (!j)
		return -ENOMEM;
	j->msg = malloc(len);
	if (!j->msg) {
		free(j);
		return -ENOMEM;
	}
	memcpy(j->msg, buf, len);
	nlh = j->msg;
	ret = ksql_query_parse(nlh, &j->q);
	if (ret < 0) {
		*req_id = j->q.req_id;
		free(j->msg);
		free(j);
		return ret;
	}
	j->sink = *sink;
	j->recv_ns = ksqld_now_ns();
	j->deadline_ns = ksqld_job_deadline(j->recv_ns, j->q.deadline_ns, j->q.timeout_ms);
	atomic_init(&j->cancelled, false);
	/*
	 * Transactions live on the writer; so does anything that is not a read.
	 * The control socket's statements never touch the writer: they run on
	 * a reader (or a writer's read-only ctl_exec), which refuses writes.
	 */
	if (sink->readonly_only)
		j->pool = KSQLD_POOL_READER;
	else
		j->pool = !j->q.txn_id && !j->q.flags && ksqld_sql_looks_readonly(j->q.sql) ?
			  KSQLD_POOL_READER : KSQLD_POOL_WRITER;
	*out = j;
	return 0;
}

/* A job with a private copy of the message. */
static struct ksqld_job *job_alloc(const void *buf, size_t len, const struct ksqld_sink *sink)
{
	struct ksqld_job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->msg = malloc(len);
	if (!j->msg) {
		free(j);
		return NULL;
	}
	memcpy(j->msg, buf, len);
	j->sink = *sink;
	j->recv_ns = ksqld_now_ns();
	j->pool = KSQLD_POOL_WRITER;	/* logging is writing */
	atomic_init(&j->cancelled, false);
	return j;
}

static void job_drop(struct ksqld_job *j)
{
	ksqld_log_batch_release(&j->log);
	free(j->msg);
	free(j);
}

int ksqld_job_new_log(const void *buf, size_t len, const struct ksqld_sink *sink,
		      struct ksqld_job **out, char *err, size_t errlen)
{
	struct ksqld_job *j = job_alloc(buf, len, sink);
	int ret;

	if (!j) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	j->kind = KSQLD_JOB_LOG;
	ret = ksqld_log_parse(j->msg, &j->log, err, errlen);
	if (ret < 0) {
		job_drop(j);
		return ret;
	}
	*out = j;
	return 0;
}

int ksqld_job_new_open(const void *buf, size_t len, const struct ksqld_sink *sink,
		       struct ksqld_job **out, uint64_t *req_id)
{
	struct ksqld_job *j = job_alloc(buf, len, sink);
	struct ksqld_table_open o;
	int ret;

	*req_id = 0;
	if (!j)
		return -ENOMEM;
	j->kind = KSQLD_JOB_TABLE_OPEN;
	ret = ksqld_table_open_parse(j->msg, &o);
	if (ret < 0) {
		*req_id = o.req_id;
		job_drop(j);
		return ret;
	}
	j->q.req_id = o.req_id;
	j->q.timeout_ms = o.timeout_ms;
	j->q.deadline_ns = o.deadline_ns;
	j->table = o.table;
	j->columns = o.columns;
	j->deadline_ns = ksqld_job_deadline(j->recv_ns, o.deadline_ns, o.timeout_ms);
	*out = j;
	return 0;
}

void ksqld_job_free(struct ksqld_job *j)
{
	if (!j)
		return;
	if (j->sink.done)
		j->sink.done(j->sink.ctx);
	ksqld_log_batch_release(&j->log);
	ksql_query_release(&j->q);
	free(j->msg);
	free(j);
}

/* The first keyword, skipping whitespace, comments and parentheses. */
static size_t first_word(const char *s, const char **start)
{
	size_t n = 0;

	*start = s;
	for (;;) {
		while (*s && (isspace((unsigned char)*s) || *s == '('))
			s++;
		if (s[0] == '-' && s[1] == '-') {
			s = strchr(s, '\n');
			if (!s)
				return 0;
		} else if (s[0] == '/' && s[1] == '*') {
			s = strstr(s + 2, "*/");
			if (!s)
				return 0;
			s += 2;
		} else {
			break;
		}
	}
	*start = s;
	while (isalpha((unsigned char)s[n]))
		n++;
	return n;
}

static bool word_in(const char *sql, const char *const *words)
{
	const char *w;
	size_t n;

	if (!sql)
		return false;
	n = first_word(sql, &w);
	for (; *words; words++)
		if (strlen(*words) == n && strncasecmp(w, *words, n) == 0)
			return true;
	return false;
}

bool ksqld_sql_looks_readonly(const char *sql)
{
	/* A guess only: a reader checks sqlite3_stmt_readonly() and forwards. */
	static const char *const words[] = { "SELECT", "WITH", "VALUES", "EXPLAIN", NULL };

	return word_in(sql, words);
}

bool ksqld_sql_is_txn_control(const char *sql)
{
	static const char *const words[] = {
		"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", NULL
	};

	return word_in(sql, words);
}
