/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ksql/client.h - the client side of ksqld's control socket.
 *
 * A connection carries one request at a time. Requests and replies are the
 * generic-netlink messages of proto/ksql_genl.h (QUERY, answered by RESULT
 * chunks) framed on a SOCK_SEQPACKET unix socket. Every function returns 0
 * or a negative errno.
 */
#ifndef KSQL_CLIENT_H
#define KSQL_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <ksql/value.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KSQL_CONTROL_PATH_DEFAULT "/run/ksql/ksqld.sock"

struct ksql_client;
struct ksql_reply;

/* path NULL means KSQL_CONTROL_PATH_DEFAULT. */
int ksql_client_connect(const char *path, struct ksql_client **out);
/*
 * Like ksql_client_connect(), but gives up with -ETIMEDOUT after timeout_ms
 * when ksqld does not accept the connection (stopped or stuck: its backlog
 * is full). 0 waits as long as it takes.
 */
int ksql_client_connect_timeout(const char *path, unsigned int timeout_ms,
				struct ksql_client **out);
void ksql_client_close(struct ksql_client *c);
/*
 * Writes into buf (size bytes, always NUL-terminated) a sentence saying why
 * connecting to path (NULL: the default) failed with err, the negative
 * errno a connect call returned, and what to do: for -EACCES/-EPERM the
 * socket's group and mode (read with stat()) and how to join the group;
 * for -ENOENT/-ECONNREFUSED that ksqld is not running and how to start it.
 * Returns the length the sentence needs (as snprintf), or -EINVAL.
 * Since LIBKSQL_1.2.
 */
int ksql_client_describe_error(const char *path, int err, char *buf, size_t size);

/*
 * Run one statement. Returns 0 when the daemon answered; the reply may then
 * still carry an SQL error (ksql_reply_errno() != 0). A negative errno means
 * the request did not get an answer (connection lost, malformed reply).
 */
int ksql_client_query(struct ksql_client *c, const char *sql,
		      const struct ksql_value *params, unsigned int nparams,
		      struct ksql_reply **out);

unsigned int ksql_reply_rows(const struct ksql_reply *r);
unsigned int ksql_reply_cols(const struct ksql_reply *r);
const char *ksql_reply_colname(const struct ksql_reply *r, unsigned int col);
const struct ksql_value *ksql_reply_value(const struct ksql_reply *r,
					  unsigned int row, unsigned int col);
uint64_t ksql_reply_changes(const struct ksql_reply *r);
int64_t ksql_reply_last_rowid(const struct ksql_reply *r);
int ksql_reply_errno(const struct ksql_reply *r);	/* positive errno, 0 on success */
int ksql_reply_sqlite_code(const struct ksql_reply *r);	/* 0 if none */
const char *ksql_reply_errmsg(const struct ksql_reply *r); /* "" if none */
void ksql_reply_free(struct ksql_reply *r);

/*
 * Asks ksqld for its counters (KSQL_CMD_STATS; the KSQLD_STAT_* of
 * ksql_genl.h). vals[i] gets counter i for i < n (n <= 64); bit i of
 * *present tells whether ksqld sent it. 0 or a negative errno; -ETIMEDOUT
 * when ksqld does not answer within a second (stopped or stuck).
 */
int ksql_client_daemon_stats(struct ksql_client *c, uint64_t *vals, unsigned int n,
			     uint64_t *present);

/*
 * Who ksqld is, from the same STATS answer (Since LIBKSQL_1.2): *out gets
 * a snapshot to read with the getters and free with ksql_daemon_info_free().
 * 0 or a negative errno (-ETIMEDOUT as above). A getter returns 0 or NULL
 * for what this ksqld did not say (an older one says nothing).
 */
struct ksql_daemon_info;
int ksql_client_daemon_info(struct ksql_client *c, struct ksql_daemon_info **out);
uint32_t ksql_daemon_info_pid(const struct ksql_daemon_info *i);
const char *ksql_daemon_info_version(const struct ksql_daemon_info *i);
/* The database file (absolute path when ksqld could resolve it). */
const char *ksql_daemon_info_database(const struct ksql_daemon_info *i);
/* The configuration file ksqld read, or "none". */
const char *ksql_daemon_info_config(const struct ksql_daemon_info *i);
/* The writer's PRAGMA synchronous: "normal", "full" (or "off", "extra"). */
const char *ksql_daemon_info_synchronous(const struct ksql_daemon_info *i);
void ksql_daemon_info_free(struct ksql_daemon_info *i);

#ifdef __cplusplus
}
#endif
#endif /* KSQL_CLIENT_H */
