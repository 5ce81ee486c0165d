/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ksqlctl.h - shared declarations of the ksqlctl admin tool.
 */
#ifndef KSQLCTL_H
#define KSQLCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <ksql/value.h>

#define PROG_NAME "ksqlctl"

/* Global options, parsed before the command name. */
struct ctl_opts {
	bool json;		/* -j, --json */
	const char *socket;	/* --socket PATH, NULL = the default path */
};

/* One subcommand: each lives in its own file. */
struct ctl_cmd {
	const char *name;
	const char *args;	/* synopsis of the arguments */
	const char *summary;	/* one line for the global help */
	int (*run)(const struct ctl_opts *opts, int argc, char **argv);
	void (*help)(FILE *f);
};

extern const struct ctl_cmd ctl_cmd_status;
extern const struct ctl_cmd ctl_cmd_query;

/* Exit statuses. */
#define CTL_EXIT_OK	0
#define CTL_EXIT_FAIL	1	/* status: the module is not loaded */
#define CTL_EXIT_USAGE	2
#define CTL_EXIT_NO_DAEMON 3	/* status: the module is loaded, ksqld not reachable */

void ctl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* True when argv[1] asks for the command's help (-h, --help). */
bool ctl_wants_help(int argc, char **argv);

/*
 * The one printing path (out.c), in the style of iproute2's print_*():
 * each call names the JSON key and the text format; OUT_TEXT / OUT_JSON
 * restrict a call to one mode, OUT_ANY prints in both.
 */
enum out_mode { OUT_ANY, OUT_TEXT, OUT_JSON };

void out_init(FILE *f, bool json);
bool out_is_json(void);
void out_open_object(const char *key);
void out_close_object(void);
void out_open_array(const char *key);
void out_close_array(void);
void out_string(enum out_mode m, const char *key, const char *fmt, const char *val);
void out_u64(enum out_mode m, const char *key, const char *fmt, uint64_t val);
void out_s64(enum out_mode m, const char *key, const char *fmt, int64_t val);
void out_bool(enum out_mode m, const char *key, const char *fmt, bool val);
void out_value(enum out_mode m, const char *key, const char *fmt, const struct ksql_value *v);
/* Ends the document: a newline after JSON. */
void out_finish(void);

/*
 * Values as text (format.c). ctl_value_text() writes the text-mode form of
 * v into a fresh string: NULL, integers, REAL shortest round-trip with ".0"
 * for integral values, TEXT with control characters escaped, BLOB as X'hex'.
 */
char *ctl_value_text(const struct ksql_value *v);
/* The shortest %.*g form of d that reads back as d ("NaN", "Inf", "-Inf"). */
void ctl_format_real(char *buf, size_t size, double d);
double ctl_real_from_bits(uint64_t bits);
/* One open log table's counters (the kernel's KSQL_A_TABLE_STATS nest). */
struct ctl_table_stats {
	const char *name;
	uint64_t backlog_bytes, backlog_rows, limit_bytes;
	uint64_t logged, sent, acked, lost, lost_backlog, lost_too_big, resent, batches;
	uint64_t ack_timeouts;
};
/*
 * The text line of "ksqlctl status" for one table (no newline):
 * "table NAME: backlog B bytes (R rows) of L, logged N, sent N, acked N,
 * lost N (backlog N, too big N), resent N, batches N, ack timeouts N".
 */
void ctl_format_table_line(char *buf, size_t size, const struct ctl_table_stats *t);
/* ---- "ksqlctl status" (status_format.c) ---- */
enum ctl_module_state { CTL_MODULE_LOADED, CTL_MODULE_MISSING, CTL_MODULE_UNKNOWN };
/* "module: loaded (version V)", "module: not loaded (load it: modprobe ksql)", ... */
void ctl_format_module_line(char *buf, size_t size, enum ctl_module_state m, const char *version);
/* "ksqld: running (pid N, version V)"; pid 0 / version NULL read "unknown". */
void ctl_format_ksqld_line(char *buf, size_t size, uint32_t pid, const char *version);
/* Does connect error err (negative errno) mean that no ksqld runs? */
bool ctl_ksqld_not_running(int err);
/*
 * Why ksqld did not answer, short: "no control socket at PATH", "nobody
 * listens on PATH", else sentence (ksql_client_describe_error()'s).
 */
void ctl_ksqld_down_reason(char *buf, size_t size, int err, const char *path,
			   const char *sentence);
/* "ksqld: not running (REASON)" when nothing listens, else "ksqld: unreachable (REASON)". */
void ctl_format_ksqld_down(char *buf, size_t size, int err, const char *reason);
/* 0 module loaded and ksqld answering, 1 module not loaded, 3 ksqld not reachable. */
int ctl_status_exit(enum ctl_module_state m, bool ksqld_ok);

/* Parses a command-line parameter into v (see "ksqlctl query --help"). */
int ctl_parse_param(const char *arg, struct ksql_value *v, void **storage);

#endif /* KSQLCTL_H */
