// SPDX-License-Identifier: GPL-2.0-only
/*
 * config_file.c - reads a ksqld.conf: "key = value" lines, "#" comment
 * lines, blank lines. Anything else is an error naming the file, the line
 * and the key, and nothing of the file is kept then: ksqld never runs on a
 * half-read configuration. Bytes that are not text (NUL, control
 * characters, invalid UTF-8) are refused rather than guessed at.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "config.h"

static void fail(char *err, size_t errlen, const char *name, unsigned int line,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void fail(char *err, size_t errlen, const char *name, unsigned int line,
		 const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(err, errlen, "%s:%u: ", name, line);
	if (n < 0 || (size_t)n >= errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Length of the UTF-8 sequence at s (at most n bytes), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned int cp, min, len, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2, min = 0x80, cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, min = 0x800, cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, min = 0x10000, cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates and beyond U+10FFFF are not UTF-8 */
	if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* NULL if the line is text, else what is wrong with it. */
static const char *not_text(const char *line, size_t n, char *why, size_t whylen)
{
	const unsigned char *s = (const unsigned char *)line;
	size_t i = 0, l;

	while (i < n) {
		if (s[i] == '\0')
			return "contains a NUL byte: ksqld.conf is a text file";
		if (s[i] == '\r')
			return "contains a carriage return (a DOS line ending?); convert the file with dos2unix";
		if ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f) {
			snprintf(why, whylen, "contains the control character 0x%02x at column %zu",
				 s[i], i + 1);
			return why;
		}
		l = utf8_len(s + i, n - i);
		if (!l) {
			snprintf(why, whylen, "is not valid UTF-8 (byte 0x%02x at column %zu)",
				 s[i], i + 1);
			return why;
		}
		i += l;
	}
	return NULL;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* Levenshtein distance of two short strings, capped. */
static unsigned int distance(const char *a, const char *b)
{
	unsigned int row[64], i, j, prev, tmp;
	size_t la = strlen(a), lb = strlen(b);

	if (la >= 64 || lb >= 64)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[lb];
}

static void unknown_key(char *err, size_t errlen, const char *name, unsigned int line,
			const char *key)
{
	char known[256] = "", hint[96] = "";
	unsigned int best = 3;
	int k;

	for (k = 0; k < KSQLD_KEY_COUNT; k++) {
		const char *kn = ksqld_config_key_name((enum ksqld_key)k);
		unsigned int d = distance(key, kn);

		snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
			 k ? ", " : "", kn);
		if (d < best) {
			best = d;
			snprintf(hint, sizeof(hint), " (did you mean \"%s\"?)", kn);
		}
	}
	fail(err, errlen, name, line, "unknown key \"%.64s\"%s; the known keys are %s",
	     key, hint, known);
}

static int find_key(const char *key)
{
	int k;

	for (k = 0; k < KSQLD_KEY_COUNT; k++)
		if (strcmp(key, ksqld_config_key_name((enum ksqld_key)k)) == 0)
			return k;
	return -1;
}

/* One non-blank, non-comment line (trimmed, NUL-terminated, modifiable). */
static int parse_line(struct ksqld_config *cfg, char *s, unsigned int *seen, const char *name,
		      unsigned int line, char *err, size_t errlen)
{
	char *eq = strchr(s, '='), *key, *value;
	int k, ret;

	if (!eq) {
		fail(err, errlen, name, line, "\"%.64s%s\" has no \"=\"; lines are \"key = value\"",
		     s, strlen(s) > 64 ? "..." : "");
		return -EINVAL;
	}
	*eq = '\0';
	key = trim(s);
	value = trim(eq + 1);
	if (!*key) {
		fail(err, errlen, name, line, "no key before \"=\"; write \"key = value\"");
		return -EINVAL;
	}
	k = find_key(key);
	if (k < 0) {
		unknown_key(err, errlen, name, line, key);
		return -EINVAL;
	}
	if (seen[k]) {
		fail(err, errlen, name, line, "duplicate key \"%s\" (already set on line %u); keep one of them",
		     key, seen[k]);
		return -EINVAL;
	}
	seen[k] = line;
	ret = ksqld_config_set(cfg, (enum ksqld_key)k, value, true);
	if (ret == -ENOENT) {
		fail(err, errlen, name, line,
		     "%s = \"%.64s\": no such group; name an existing group (getent group), or leave the value empty for the daemon's own group",
		     key, value);
	} else if (ret < 0) {
		fail(err, errlen, name, line, "%s = \"%.64s%s\": expected %s", key, value,
		     strlen(value) > 64 ? "..." : "",
		     ksqld_config_key_allowed((enum ksqld_key)k, true));
	}
	return ret;
}

int ksqld_config_parse(struct ksqld_config *cfg, const char *name, const char *text, size_t len,
		       char *err, size_t errlen)
{
	unsigned int seen[KSQLD_KEY_COUNT] = { 0 }, line = 0;
	struct ksqld_config *tmp = malloc(sizeof(*tmp));
	char *buf = malloc(KSQLD_CONFIG_LINE_MAX + 1);
	size_t pos = 0;
	int ret = 0;

	if (!tmp || !buf) {
		snprintf(err, errlen, "out of memory reading %s", name);
		ret = -ENOMEM;
		goto out;
	}
	/* Into a copy: a file with an error changes nothing. */
	*tmp = *cfg;
	while (pos < len && ret == 0) {
		const char *start = text + pos, *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		char why[96], *s;
		const char *bad;

		pos += n + (nl ? 1 : 0);
		line++;
		if (n > KSQLD_CONFIG_LINE_MAX) {
			fail(err, errlen, name, line, "the line is %zu bytes long, over the limit of %d",
			     n, KSQLD_CONFIG_LINE_MAX);
			ret = -EINVAL;
			break;
		}
		bad = not_text(start, n, why, sizeof(why));
		if (bad) {
			fail(err, errlen, name, line, "%s", bad);
			ret = -EINVAL;
			break;
		}
		memcpy(buf, start, n);
		buf[n] = '\0';
		s = trim(buf);
		if (*s == '\0' || *s == '#')
			continue;
		ret = parse_line(tmp, s, seen, name, line, err, errlen);
	}
	if (ret == 0)
		*cfg = *tmp;
out:
	free(buf);
	free(tmp);
	return ret;
}

int ksqld_config_read(struct ksqld_config *cfg, char *err, size_t errlen)
{
	const char *path = cfg->config_file;
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	ssize_t n;
	int fd, ret;

	cfg->config_found = false;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		ret = -errno;
		if (ret == -ENOENT && !cfg->config_explicit)
			return 0;	/* the default file may be missing: defaults apply */
		snprintf(err, errlen, "cannot read the configuration file %s: %s%s", path,
			 strerror(-ret), cfg->config_explicit ? " (named by --config)" : "");
		return ret;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "the configuration file %s is a directory", path);
		ret = -EISDIR;
		goto out;
	}
	text = malloc(KSQLD_CONFIG_FILE_MAX + 1);
	if (!text) {
		snprintf(err, errlen, "out of memory reading %s", path);
		ret = -ENOMEM;
		goto out;
	}
	/* One byte more than the limit tells a file that is too big. */
	while (len <= KSQLD_CONFIG_FILE_MAX) {
		n = read(fd, text + len, KSQLD_CONFIG_FILE_MAX + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			snprintf(err, errlen, "cannot read the configuration file %s: %s", path,
				 strerror(-ret));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > KSQLD_CONFIG_FILE_MAX) {
		snprintf(err, errlen, "the configuration file %s is over %d bytes; a ksqld.conf is a few lines: is it the right file?",
			 path, KSQLD_CONFIG_FILE_MAX);
		ret = -EFBIG;
		goto out;
	}
	ret = ksqld_config_parse(cfg, path, text, len, err, errlen);
	if (ret == 0)
		cfg->config_found = true;
out:
	free(text);
	close(fd);
	return ret;
}

int ksqld_config_reread(const struct ksqld_config *running, struct ksqld_config *out, char *err,
			size_t errlen)
{
	int ret;

	ksqld_config_defaults(out);
	memcpy(out->config_file, running->config_file, sizeof(out->config_file));
	out->config_explicit = running->config_explicit;
	ret = ksqld_config_read(out, err, errlen);
	if (ret == 0)
		ksqld_config_apply_cli(out, running);
	return ret;
}
