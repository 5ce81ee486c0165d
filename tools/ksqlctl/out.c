// SPDX-License-Identifier: GPL-2.0-only
/*
 * out.c - the one printing path of ksqlctl, for text and JSON alike.
 *
 * Every printer names both forms of one datum: a JSON key and a printf
 * format for text. In JSON mode the writer keeps a small stack of open
 * objects and arrays to place commas; in text mode keys are ignored.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ksqlctl.h"

/* Text formats come from the callers, each a literal with one conversion
 * matching the printer's type (status.c builds its counter formats). */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

#define OUT_DEPTH_MAX 16

static struct {
	FILE *f;
	bool json;
	int depth;
	bool first[OUT_DEPTH_MAX];	/* nothing printed yet at this level */
	bool printed;			/* the document is not empty */
} out = { .f = NULL };

void out_init(FILE *f, bool json)
{
	out.f = f;
	out.json = json;
	out.depth = 0;
	out.first[0] = true;
	out.printed = false;
}

bool out_is_json(void)
{
	return out.json;
}

static bool wanted(enum out_mode m)
{
	return m == OUT_ANY || (m == OUT_JSON) == out.json;
}

/* JSON string with escapes; bytes that are not valid UTF-8 become U+FFFD. */
static void json_str(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	FILE *f = out.f;

	fputc('"', f);
	while (p < end) {
		unsigned char c = *p;
		size_t n, i;

		if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc(c, f);
			p++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			switch (c) {
			case '\n': fputs("\\n", f); break;
			case '\t': fputs("\\t", f); break;
			case '\r': fputs("\\r", f); break;
			case '\b': fputs("\\b", f); break;
			case '\f': fputs("\\f", f); break;
			default: fprintf(f, "\\u%04x", c); break;
			}
			p++;
			continue;
		}
		if (c < 0x80) {
			fputc(c, f);
			p++;
			continue;
		}
		/* UTF-8 sequence: check its length and continuation bytes. */
		if (c >= 0xc2 && c <= 0xdf)
			n = 2;
		else if (c >= 0xe0 && c <= 0xef)
			n = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 4;
		else
			n = 0;
		for (i = 1; n && i < n; i++)
			if (p + i >= end || (p[i] & 0xc0) != 0x80)
				n = 0;
		/* Nor an overlong form, a UTF-16 surrogate or above U+10FFFF (RFC 3629). */
		if (n && ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) ||
			  (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f)))
			n = 0;
		if (!n) {
			fputs("\\ufffd", f);
			p++;
			continue;
		}
		fwrite(p, 1, n, f);
		p += n;
	}
	fputc('"', f);
}

/* Comma and key before a JSON member or element. */
static void json_member(const char *key)
{
	if (!out.first[out.depth])
		fputc(',', out.f);
	out.first[out.depth] = false;
	if (key) {
		json_str(key, strlen(key));
		fputc(':', out.f);
	}
	out.printed = true;
}

static void open_container(const char *key, char c)
{
	if (!out.json)
		return;
	json_member(key);
	fputc(c, out.f);
	if (out.depth + 1 < OUT_DEPTH_MAX)
		out.depth++;
	out.first[out.depth] = true;
}

static void close_container(char c)
{
	if (!out.json)
		return;
	if (out.depth > 0)
		out.depth--;
	fputc(c, out.f);
}

void out_open_object(const char *key)
{
	open_container(key, '{');
}

void out_close_object(void)
{
	close_container('}');
}

void out_open_array(const char *key)
{
	open_container(key, '[');
}

void out_close_array(void)
{
	close_container(']');
}

void out_string(enum out_mode m, const char *key, const char *fmt, const char *val)
{
	if (!wanted(m))
		return;
	if (out.json) {
		json_member(key);
		json_str(val, strlen(val));
	} else if (fmt) {
		fprintf(out.f, fmt, val);
	}
}

void out_u64(enum out_mode m, const char *key, const char *fmt, uint64_t val)
{
	if (!wanted(m))
		return;
	if (out.json) {
		json_member(key);
		fprintf(out.f, "%" PRIu64, val);
	} else if (fmt) {
		fprintf(out.f, fmt, val);
	}
}

void out_s64(enum out_mode m, const char *key, const char *fmt, int64_t val)
{
	if (!wanted(m))
		return;
	if (out.json) {
		json_member(key);
		fprintf(out.f, "%" PRId64, val);
	} else if (fmt) {
		fprintf(out.f, fmt, val);
	}
}

void out_bool(enum out_mode m, const char *key, const char *fmt, bool val)
{
	if (!wanted(m))
		return;
	if (out.json) {
		json_member(key);
		fputs(val ? "true" : "false", out.f);
	} else if (fmt) {
		fprintf(out.f, fmt, val ? "true" : "false");
	}
}

static void json_value(const struct ksql_value *v)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *b;
	char buf[64];
	double d;
	uint32_t i;

	switch (v->type) {
	case KSQL_INT:
		fprintf(out.f, "%" PRId64, v->i);
		break;
	case KSQL_REAL:
		d = ctl_real_from_bits(v->real);
		if (!isfinite(d)) {
			fputs("null", out.f);
			break;
		}
		ctl_format_real(buf, sizeof(buf), d);
		fputs(buf, out.f);
		break;
	case KSQL_TEXT:
		json_str(v->text, v->len);
		break;
	case KSQL_BLOB:
		b = v->blob;
		fputc('"', out.f);
		for (i = 0; i < v->len; i++) {
			fputc(hex[b[i] >> 4], out.f);
			fputc(hex[b[i] & 15], out.f);
		}
		fputc('"', out.f);
		break;
	case KSQL_NULL:
	default:
		fputs("null", out.f);
		break;
	}
}

void out_value(enum out_mode m, const char *key, const char *fmt, const struct ksql_value *v)
{
	char *s;

	if (!wanted(m))
		return;
	if (out.json) {
		json_member(key);
		json_value(v);
		return;
	}
	if (!fmt)
		return;
	s = ctl_value_text(v);
	fprintf(out.f, fmt, s ? s : "?");
	free(s);
}

void out_finish(void)
{
	if (out.json && out.printed)
		fputc('\n', out.f);
	fflush(out.f);
}
