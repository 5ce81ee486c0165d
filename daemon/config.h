/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * config.h - ksqld's configuration: the keys of ksqld.conf(5), their
 * built-in defaults and the comparison a reload makes (config.c), and the
 * file's parser (config_file.c).
 *
 * One struct holds the result whatever its source (built-in default, the
 * file, the command line); from_cli remembers which keys the command line
 * set, so a reload reads the file again and puts those back on top.
 */
#ifndef KSQLD_CONFIG_H
#define KSQLD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#ifndef KSQLD_CONFIG_DEFAULT
#define KSQLD_CONFIG_DEFAULT "/etc/ksql/ksqld.conf"
#endif
#ifndef KSQLD_DB_DEFAULT
#define KSQLD_DB_DEFAULT "/var/lib/ksql/ksql.db"
#endif

#define KSQLD_RCVBUF_DEFAULT	4194304
#define KSQLD_PATH_MAX		4096	/* bytes of a path, with its NUL */
#define KSQLD_GROUP_MAX		256	/* bytes of a group name, with its NUL */
#define KSQLD_CONFIG_LINE_MAX	4096	/* bytes of a line, without its newline */
#define KSQLD_CONFIG_FILE_MAX	(1 << 20)

/* The keys of ksqld.conf, in the order the file documents them. */
enum ksqld_key {
	KSQLD_KEY_DATABASE,
	KSQLD_KEY_CONTROL_SOCKET,
	KSQLD_KEY_CONTROL_GROUP,
	KSQLD_KEY_READERS,
	KSQLD_KEY_RCVBUF,
	KSQLD_KEY_SYNCHRONOUS,
	KSQLD_KEY_LOG_LEVEL,
	KSQLD_KEY_COUNT
};

struct ksqld_config {
	/* the keys */
	char db[KSQLD_PATH_MAX];		/* database */
	char control[KSQLD_PATH_MAX];		/* control_socket */
	char control_group[KSQLD_GROUP_MAX];	/* "" = the daemon's own group */
	unsigned int readers;			/* 0..KSQLD_READERS_MAX */
	int rcvbuf;				/* netlink receive buffer, bytes */
	bool sync_full;				/* synchronous full (else normal) */
	int log_level;				/* LOG_ERR, LOG_WARNING, LOG_INFO or LOG_DEBUG */

	/* where they came from */
	char config_file[KSQLD_PATH_MAX];	/* the file read, or looked for */
	bool config_explicit;			/* named by --config: it must exist */
	bool config_found;			/* false: the default file is missing */
	bool check_only;			/* --check-config */
	unsigned int from_cli;			/* 1u << enum ksqld_key, per key set by an option */
};

/* The built-in defaults, no file, nothing from the command line. */
void ksqld_config_defaults(struct ksqld_config *cfg);

/* "database", "readers", ...; NULL for a bad key. */
const char *ksqld_config_key_name(enum ksqld_key key);
/* What a key accepts, as a phrase: "a number from 0 to 16". */
const char *ksqld_config_key_allowed(enum ksqld_key key, bool from_file);
/* True when a running ksqld takes a new value on reload without a restart. */
bool ksqld_config_key_reloadable(enum ksqld_key key);

/*
 * Sets key from its text. from_file: the value comes from ksqld.conf,
 * where a path must be absolute (a relative one would depend on the
 * daemon's working directory). Returns 0, or -EINVAL (bad value: see
 * ksqld_config_key_allowed) or -ENOENT (control_group: no such group).
 */
int ksqld_config_set(struct ksqld_config *cfg, enum ksqld_key key, const char *value,
		     bool from_file);
/* The value of key as the file would spell it ("full", "4", "" ...). */
void ksqld_config_format(const struct ksqld_config *cfg, enum ksqld_key key, char *buf,
			 size_t len);

/*
 * Parses the text of a ksqld.conf (len bytes, NULs refused) named name in
 * messages into cfg: keys absent from it keep their value. Returns 0, or
 * -EINVAL with "NAME:LINE: ..." in err.
 */
int ksqld_config_parse(struct ksqld_config *cfg, const char *name, const char *text, size_t len,
		       char *err, size_t errlen);
/*
 * Reads cfg->config_file and parses it into cfg. A missing file is fine
 * unless cfg->config_explicit (cfg->config_found tells which). Returns 0,
 * or -errno with the sentence in err.
 */
int ksqld_config_read(struct ksqld_config *cfg, char *err, size_t errlen);
/*
 * For a reload: the built-in defaults, running's file read again, then the
 * values running's command line set. 0, or -errno with the sentence in err.
 */
int ksqld_config_reread(const struct ksqld_config *running, struct ksqld_config *out, char *err,
			size_t errlen);
/* Copies the keys in mask (1u << enum ksqld_key each) from src to dst. */
void ksqld_config_copy_keys(struct ksqld_config *dst, const struct ksqld_config *src,
			    unsigned int mask);
/* Copies the keys the command line set (cli->from_cli) from cli into cfg. */
void ksqld_config_apply_cli(struct ksqld_config *cfg, const struct ksqld_config *cli);

/* One changed key between a running configuration and a reloaded one. */
struct ksqld_config_change {
	enum ksqld_key key;
	bool applied;		/* false: needs a restart */
};

/*
 * The keys whose value differs between old and new, in key order, into
 * out[KSQLD_KEY_COUNT]. Returns how many. Pure: applies nothing.
 */
unsigned int ksqld_config_diff(const struct ksqld_config *old, const struct ksqld_config *new,
			       struct ksqld_config_change *out);
/*
 * The log line of a change: "reload: synchronous normal -> full: applied",
 * "reload: readers 2 -> 4: needs a restart (systemctl restart ksqld)".
 */
void ksqld_config_change_line(const struct ksqld_config *old, const struct ksqld_config *new,
			      const struct ksqld_config_change *c, char *buf, size_t len);

#endif
