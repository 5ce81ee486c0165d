// SPDX-License-Identifier: GPL-2.0-only
/*
 * format.c - SQL values to text and command-line parameters to values.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ksqlctl.h"

double ctl_real_from_bits(uint64_t bits)
{
	double d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

void ctl_format_real(char *buf, size_t size, double d)
{
	int prec;

	if (isnan(d)) {
		snprintf(buf, size, "NaN");
		return;
	}
	if (isinf(d)) {
		snprintf(buf, size, d < 0 ? "-Inf" : "Inf");
		return;
	}
	/* The shortest precision that reads back as the same double. */
	for (prec = 15; prec < 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (prec == 17)
		snprintf(buf, size, "%.17g", d);
	/* Keep a REAL recognisable: 2 -> 2.0 (1e+100 stays as it is). */
	if (!strpbrk(buf, ".eE") && strlen(buf) + 3 <= size)
		strcat(buf, ".0");
}

/* TEXT for a table cell: printable as is, control characters escaped. */
static char *text_escaped(const char *s, uint32_t len)
{
	char *buf = malloc((size_t)len * 4 + 1), *p = buf;
	uint32_t i;

	if (!buf)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n') {
			*p++ = '\\';
			*p++ = 'n';
		} else if (c == '\t') {
			*p++ = '\\';
			*p++ = 't';
		} else if (c == '\\') {
			*p++ = '\\';
			*p++ = '\\';
		} else if (c < 0x20 || c == 0x7f) {
			p += sprintf(p, "\\x%02x", c);
		} else {
			*p++ = (char)c;
		}
	}
	*p = '\0';
	return buf;
}

char *ctl_value_text(const struct ksql_value *v)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *b;
	char buf[64], *s, *p;
	uint32_t i;

	switch (v->type) {
	case KSQL_INT:
		snprintf(buf, sizeof(buf), "%" PRId64, v->i);
		return strdup(buf);
	case KSQL_REAL:
		ctl_format_real(buf, sizeof(buf), ctl_real_from_bits(v->real));
		return strdup(buf);
	case KSQL_TEXT:
		return text_escaped(v->text, v->len);
	case KSQL_BLOB:
		s = malloc((size_t)v->len * 2 + 4);
		if (!s)
			return NULL;
		b = v->blob;
		p = s;
		*p++ = 'X';
		*p++ = '\'';
		for (i = 0; i < v->len; i++) {
			*p++ = hex[b[i] >> 4];
			*p++ = hex[b[i] & 15];
		}
		*p++ = '\'';
		*p = '\0';
		return s;
	case KSQL_NULL:
	default:
		return strdup("NULL");
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int parse_blob(const char *hex, size_t n, struct ksql_value *v, void **storage)
{
	unsigned char *b;
	size_t i;

	if (n % 2)
		return -EINVAL;
	b = malloc(n / 2 + 1);
	if (!b)
		return -ENOMEM;
	for (i = 0; i < n; i += 2) {
		int hi = hexval(hex[i]), lo = hexval(hex[i + 1]);

		if (hi < 0 || lo < 0) {
			free(b);
			return -EINVAL;
		}
		b[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	v->type = KSQL_BLOB;
	v->blob = b;
	v->len = (uint32_t)(n / 2);
	*storage = b;
	return 0;
}

static int parse_int(const char *s, struct ksql_value *v)
{
	char *end;
	long long x;

	if (!*s)
		return -EINVAL;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	v->type = KSQL_INT;
	v->i = x;
	return 0;
}

static int parse_real(const char *s, struct ksql_value *v)
{
	char *end;
	double d;

	if (!*s)
		return -EINVAL;
	errno = 0;
	d = strtod(s, &end);
	if (errno == ERANGE && d != 0)
		return -EINVAL;
	if (*end)
		return -EINVAL;
	v->type = KSQL_REAL;
	memcpy(&v->real, &d, sizeof(d));
	return 0;
}

static void set_text(const char *s, struct ksql_value *v)
{
	v->type = KSQL_TEXT;
	v->text = s;
	v->len = (uint32_t)strlen(s);
}

/*
 * TYPE:VALUE with TYPE int, real, text or blob (hex); "null" alone;
 * otherwise inferred: integer, then decimal real, then X'hex' blob, else text.
 */
int ctl_parse_param(const char *arg, struct ksql_value *v, void **storage)
{
	size_t n = strlen(arg);

	*storage = NULL;
	memset(v, 0, sizeof(*v));
	if (!strcmp(arg, "null") || !strcmp(arg, "NULL")) {
		v->type = KSQL_NULL;
		return 0;
	}
	if (!strncmp(arg, "int:", 4))
		return parse_int(arg + 4, v);
	if (!strncmp(arg, "real:", 5))
		return parse_real(arg + 5, v);
	if (!strncmp(arg, "text:", 5)) {
		set_text(arg + 5, v);
		return 0;
	}
	if (!strncmp(arg, "blob:", 5))
		return parse_blob(arg + 5, n - 5, v, storage);
	if (parse_int(arg, v) == 0)
		return 0;
	/* A real needs a digit: "inf" or "nan" stay text. */
	if (strpbrk(arg, "0123456789") && !strpbrk(arg, "xXnN") && parse_real(arg, v) == 0)
		return 0;
	if (n >= 3 && (arg[0] == 'X' || arg[0] == 'x') && arg[1] == '\'' && arg[n - 1] == '\'' &&
	    parse_blob(arg + 2, n - 3, v, storage) == 0)
		return 0;
	set_text(arg, v);
	return 0;
}

void ctl_format_table_line(char *buf, size_t size, const struct ctl_table_stats *t)
{
	snprintf(buf, size,
		 "table %s: backlog %" PRIu64 " bytes (%" PRIu64 " rows) of %" PRIu64
		 ", logged %" PRIu64 ", sent %" PRIu64 ", acked %" PRIu64 ", lost %" PRIu64
		 " (backlog %" PRIu64 ", too big %" PRIu64 "), resent %" PRIu64 ", batches %" PRIu64 ", ack timeouts %" PRIu64,
		 t->name, t->backlog_bytes, t->backlog_rows, t->limit_bytes, t->logged, t->sent,
		 t->acked, t->lost, t->lost_backlog, t->lost_too_big, t->resent, t->batches,
		 t->ack_timeouts);
}
