// SPDX-License-Identifier: GPL-2.0-only
/*
 * query.c - "ksqlctl query SQL [PARAM...]": one statement through ksqld's
 * control socket, printed as a table (like sqlite3's ".mode table") or JSON.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <ksql/client.h>

#include "ksqlctl.h"

/* Display width of a UTF-8 string: code points, not bytes. */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

static void pad(FILE *f, size_t n)
{
	while (n--)
		fputc(' ', f);
}

static void rule(FILE *f, const size_t *w, unsigned int ncols)
{
	unsigned int c;
	size_t i;

	for (c = 0; c < ncols; c++) {
		fputc('+', f);
		for (i = 0; i < w[c] + 2; i++)
			fputc('-', f);
	}
	fputs("+\n", f);
}

/* A column name as a TEXT cell is shown: a newline in it must not break the table. */
static char *colname_text(const struct ksql_reply *r, unsigned int c)
{
	const char *name = ksql_reply_colname(r, c);
	struct ksql_value v = { .type = KSQL_TEXT, .len = (uint32_t)strlen(name), .text = name };

	return ctl_value_text(&v);
}

/* The text form: a bordered table, header centred, cells left-aligned. */
static int print_table(const struct ksql_reply *r)
{
	unsigned int rows = ksql_reply_rows(r), ncols = ksql_reply_cols(r), row, c;
	size_t *w, n, cells = (size_t)rows * ncols, k;
	char **text, **head;
	int ret = CTL_EXIT_OK;

	w = calloc(ncols, sizeof(*w));
	text = calloc(cells ? cells : 1, sizeof(*text));
	head = calloc(ncols, sizeof(*head));
	if (!w || !text || !head) {
		ctl_err("out of memory");
		free(w);
		free(text);
		free(head);
		return CTL_EXIT_FAIL;
	}
	for (c = 0; c < ncols; c++) {
		head[c] = colname_text(r, c);
		if (!head[c]) {
			ctl_err("out of memory");
			ret = CTL_EXIT_FAIL;
			goto out;
		}
		w[c] = width(head[c]);
	}
	for (row = 0; row < rows; row++) {
		for (c = 0; c < ncols; c++) {
			k = (size_t)row * ncols + c;
			text[k] = ctl_value_text(ksql_reply_value(r, row, c));
			if (!text[k]) {
				ctl_err("out of memory");
				ret = CTL_EXIT_FAIL;
				goto out;
			}
			n = width(text[k]);
			if (n > w[c])
				w[c] = n;
		}
	}

	rule(stdout, w, ncols);
	for (c = 0; c < ncols; c++) {
		size_t space = w[c] - width(head[c]);

		fputs("| ", stdout);
		pad(stdout, space / 2);
		fputs(head[c], stdout);
		pad(stdout, space - space / 2);
		fputc(' ', stdout);
	}
	fputs("|\n", stdout);
	rule(stdout, w, ncols);
	for (row = 0; row < rows; row++) {
		for (c = 0; c < ncols; c++) {
			k = (size_t)row * ncols + c;
			fputs("| ", stdout);
			fputs(text[k], stdout);
			pad(stdout, w[c] - width(text[k]) + 1);
		}
		fputs("|\n", stdout);
	}
	if (rows)
		rule(stdout, w, ncols);
out:
	for (k = 0; k < cells; k++)
		free(text[k]);
	for (c = 0; c < ncols; c++)
		free(head[c]);
	free(head);
	free(text);
	free(w);
	return ret;
}

static int print_reply(const struct ksql_reply *r)
{
	unsigned int rows = ksql_reply_rows(r), ncols = ksql_reply_cols(r), row, c;
	int ret = CTL_EXIT_OK;

	if (ncols == 0) {
		/* A statement without columns: what it changed. */
		out_open_object(NULL);
		out_u64(OUT_ANY, "changes", "%" PRIu64 " rows changed\n", ksql_reply_changes(r));
		out_s64(OUT_JSON, "last_rowid", NULL, ksql_reply_last_rowid(r));
		out_close_object();
	} else if (out_is_json()) {
		out_open_array(NULL);
		for (row = 0; row < rows; row++) {
			out_open_object(NULL);
			for (c = 0; c < ncols; c++)
				out_value(OUT_JSON, ksql_reply_colname(r, c), NULL,
					  ksql_reply_value(r, row, c));
			out_close_object();
		}
		out_close_array();
	} else {
		ret = print_table(r);
	}
	out_finish();
	return ret;
}

static int query_run(const struct ctl_opts *opts, int argc, char **argv)
{
	const char *path = opts->socket ? opts->socket : KSQL_CONTROL_PATH_DEFAULT;
	struct ksql_value *params = NULL;
	struct ksql_client *client = NULL;
	struct ksql_reply *reply = NULL;
	unsigned int nparams, i;
	void **storage = NULL;
	int ret = CTL_EXIT_FAIL, err;

	if (argc < 2) {
		ctl_err("query needs an SQL statement (try: " PROG_NAME " query --help)");
		return CTL_EXIT_USAGE;
	}
	nparams = (unsigned int)argc - 2;
	if (nparams) {
		params = calloc(nparams, sizeof(*params));
		storage = calloc(nparams, sizeof(*storage));
		if (!params || !storage) {
			ctl_err("out of memory");
			goto out;
		}
	}
	for (i = 0; i < nparams; i++) {
		if (ctl_parse_param(argv[2 + i], &params[i], &storage[i]) < 0) {
			ctl_err("bad parameter ?%u '%s' (expected int:N, real:X, text:S, blob:HEX, null, or a plain value)",
				i + 1, argv[2 + i]);
			ret = CTL_EXIT_USAGE;
			goto out;
		}
	}

	err = ksql_client_connect(opts->socket, &client);
	if (err < 0) {
		char why[512];

		ksql_client_describe_error(path, err, why, sizeof(why));
		ctl_err("%s", why);
		goto out;
	}
	err = ksql_client_query(client, argv[1], params, nparams, &reply);
	if (err < 0) {
		ctl_err("no answer from ksqld at %s: %s", path, strerror(-err));
		goto out;
	}
	err = ksql_reply_errno(reply);
	if (err) {
		const char *msg = ksql_reply_errmsg(reply);

		ctl_err("query failed: %s (%s)", *msg ? msg : "error", strerror(err));
		goto out;
	}
	ret = print_reply(reply);
out:
	ksql_reply_free(reply);
	ksql_client_close(client);
	for (i = 0; storage && i < nparams; i++)
		free(storage[i]);
	free(storage);
	free(params);
	return ret;
}

static void query_help(FILE *f)
{
	fprintf(f,
		"Usage: " PROG_NAME " [-j] [--socket PATH] query SQL [PARAM...]\n"
		"\n"
		"Run one SQL statement in ksqld's database through its control socket\n"
		"(default %s). PARAMs bind to ?1, ?2, ... in order:\n"
		"  int:N  real:X  text:S  blob:HEX   explicit type\n"
		"  null                              SQL NULL\n"
		"  anything else                     an integer or decimal number if it\n"
		"                                    reads as one, X'HEX' a blob, else text\n"
		"\n"
		"Rows print as a table (NULL as NULL, blobs as X'hex'); with -j as a\n"
		"JSON array of objects (blobs as hex strings, NaN/Inf as null).\n"
		"A statement without result columns prints \"N rows changed\"\n"
		"(-j: {\"changes\":N,\"last_rowid\":N}).\n"
		"Exits 1 when the statement fails or ksqld cannot be reached.\n",
		KSQL_CONTROL_PATH_DEFAULT);
}

const struct ctl_cmd ctl_cmd_query = {
	.name = "query",
	.args = "SQL [PARAM...]",
	.summary = "run one SQL statement in ksqld's database",
	.run = query_run,
	.help = query_help,
};
