// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_ksqlctl.c - ksqlctl's output of a query result: RESULT chunks
 * reassembled (fuzz_reassemble) and printed by "ksqlctl query"'s own code
 * (tools/ksqlctl/query.c is included for its static print_reply()) in both
 * modes, into memory. ksqlctl has no CSV mode. Whatever ksqld sent:
 *  - the JSON document is one valid JSON value (RFC 8259) in valid UTF-8,
 *    then a newline: scripts feed it to jq or a JSON library;
 *  - every line of the table has the same width (in code points, as
 *    ksqlctl measures it), so the borders line up.
 */
#include "../../tools/ksqlctl/query.c"
#include "fuzz_reassemble.h"

/* main.c's, which the fuzzer does not link. */
void ctl_err(const char *fmt, ...)
{
}

bool ctl_wants_help(int argc, char **argv)
{
	return false;
}

/* ---- a strict JSON checker ------------------------------------------------ */

struct json {
	const unsigned char *p, *end;
	int depth;
};

static void ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool lit(struct json *j, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, s, n))
		return false;
	j->p += n;
	return true;
}

static bool digits(struct json *j)
{
	const unsigned char *s = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s;
}

static bool number(struct json *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (j->p >= j->end || *j->p < '1' || *j->p > '9' || !digits(j))
		return false;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (!digits(j))
			return false;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!digits(j))
			return false;
	}
	return true;
}

/* One UTF-8 character, strictly: no overlong forms, surrogates or values above U+10FFFF. */
static bool utf8(struct json *j)
{
	const unsigned char *p = j->p;
	size_t left = (size_t)(j->end - p), n, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80) {
		j->p++;
		return true;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return false;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (left < n || p[1] < lo || p[1] > hi)
		return false;
	for (i = 2; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return false;
	j->p += n;
	return true;
}

static bool string(struct json *j)
{
	if (!lit(j, "\""))
		return false;
	while (j->p < j->end && *j->p != '"') {
		if (*j->p < 0x20)
			return false;
		if (*j->p == '\\') {
			j->p++;
			if (j->p >= j->end)
				return false;
			if (*j->p == 'u') {
				if (j->end - j->p < 5)
					return false;
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", j->p[i]) || !j->p[i])
						return false;
				j->p += 5;
			} else if (strchr("\"\\/bfnrt", *j->p) && *j->p) {
				j->p++;
			} else {
				return false;
			}
			continue;
		}
		if (!utf8(j))
			return false;
	}
	return lit(j, "\"");
}

static bool value(struct json *j);

static bool container(struct json *j, char close, bool object)
{
	ws(j);
	if (lit(j, close == '}' ? "}" : "]"))
		return true;
	for (;;) {
		ws(j);
		if (object) {
			if (!string(j))
				return false;
			ws(j);
			if (!lit(j, ":"))
				return false;
		}
		if (!value(j))
			return false;
		ws(j);
		if (lit(j, ","))
			continue;
		return lit(j, close == '}' ? "}" : "]");
	}
}

static bool value(struct json *j)
{
	bool ok;

	ws(j);
	if (j->p >= j->end || ++j->depth > 64)
		return false;
	switch (*j->p) {
	case '{': j->p++; ok = container(j, '}', true); break;
	case '[': j->p++; ok = container(j, ']', false); break;
	case '"': ok = string(j); break;
	case 't': ok = lit(j, "true"); break;
	case 'f': ok = lit(j, "false"); break;
	case 'n': ok = lit(j, "null"); break;
	default: ok = number(j); break;
	}
	j->depth--;
	return ok;
}

static void check_json(const char *doc, size_t len)
{
	struct json j = { (const unsigned char *)doc, (const unsigned char *)doc + len, 0 };

	if (!len || doc[len - 1] != '\n')
		abort();
	j.end--;
	if (!value(&j))
		abort();
	ws(&j);
	if (j.p != j.end)
		abort();
}

/* ---- the table ------------------------------------------------------------- */

static void check_table(const char *doc, size_t len)
{
	const char *line = doc, *nl;
	size_t want = 0, w;
	bool first = true;

	while (line < doc + len) {
		nl = memchr(line, '\n', (size_t)(doc + len - line));
		if (!nl)
			abort();	/* every line ends */
		w = 0;
		for (const char *p = line; p < nl; p++)
			if (((unsigned char)*p & 0xc0) != 0x80)
				w++;
		if (first)
			want = w;
		else if (w != want)
			abort();
		first = false;
		line = nl + 1;
	}
}

static char *print(const struct ksql_reply *rep, bool json, size_t *len)
{
	char *doc = NULL;
	FILE *f = open_memstream(&doc, len);

	if (!f)
		abort();
	/* print_table writes to stdout itself. */
	fflush(stdout);
	{
		FILE *saved = stdout;

		stdout = f;
		out_init(f, json);
		print_reply(rep);
		stdout = saved;
	}
	if (fclose(f) != 0)
		abort();
	return doc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ksql_reply *rep = fuzz_reassemble(data, size);
	size_t len;
	char *doc;

	if (!rep)
		return 0;
	doc = print(rep, true, &len);
	check_json(doc, len);
	free(doc);
	doc = print(rep, false, &len);
	/* The table only: a statement without columns prints "N rows changed". */
	if (ksql_reply_cols(rep))
		check_table(doc, len);
	free(doc);
	ksql_reply_free(rep);
	return 0;
}
