// SPDX-License-Identifier: GPL-2.0-only
/* logmsg.c - table names, column lists, LOG and TABLE_OPEN messages, checked strictly. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "logmsg.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool ident_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool ident_char(char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

/* Length of the identifier at s (0 if there is none). */
static int ident_len(const char *s)
{
	int n = 0;

	if (!ident_start(s[0]))
		return 0;
	while (ident_char(s[n]))
		n++;
	return n;
}

static bool has_prefix(const char *s, int len, const char *prefix)
{
	int n = (int)strlen(prefix);

	return len >= n && strncasecmp(s, prefix, (size_t)n) == 0;
}

int ksqld_log_check_table(const char *name, char *err, size_t errlen)
{
	int n = ident_len(name);

	if (!n || name[n])
		return fail(err, errlen,
			    "table name '%.64s' is not valid: it must match [A-Za-z_][A-Za-z0-9_]*",
			    name);
	if (n > KSQL_TABLE_NAME_MAX)
		return fail(err, errlen, "table name '%.64s...' is %d bytes long; at most %d are allowed",
			    name, n, KSQL_TABLE_NAME_MAX);
	if (has_prefix(name, n, "ksql_") || has_prefix(name, n, "sqlite_"))
		return fail(err, errlen,
			    "table name '%s' is reserved: names starting with ksql_ or sqlite_ belong to ksql and SQLite",
			    name);
	return 0;
}

static bool known_type(const char *t, int len)
{
	static const char *const types[] = { "INTEGER", "REAL", "TEXT", "BLOB", "ANY" };
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if ((int)strlen(types[i]) == len && strncmp(t, types[i], (size_t)len) == 0)
			return true;
	return false;
}

int ksqld_log_parse_columns(const char *list, struct ksqld_log_col *cols, unsigned int *n,
			    char *err, size_t errlen)
{
	const char *p = list;
	unsigned int i, k = 0;

	*n = 0;
	if (strlen(list) > KSQL_COLUMNS_MAX)
		return fail(err, errlen, "the column list is longer than %d bytes", KSQL_COLUMNS_MAX);
	for (;;) {
		struct ksqld_log_col c;

		if (k == KSQL_TABLE_COLS_MAX)
			return fail(err, errlen, "the column list has more than %d columns",
				    KSQL_TABLE_COLS_MAX);
		c.name = p;
		c.namelen = ident_len(p);
		if (!c.namelen || p[c.namelen] != ' ')
			return fail(err, errlen,
				    "column list '%.200s' is not valid at column %u: expected \"name TYPE\" with name matching [A-Za-z_][A-Za-z0-9_]*, columns separated by \", \"",
				    list, k + 1);
		if (c.namelen > KSQL_TABLE_NAME_MAX)
			return fail(err, errlen, "column %u's name is longer than %d bytes", k + 1,
				    KSQL_TABLE_NAME_MAX);
		if (has_prefix(c.name, c.namelen, "ksql_"))
			return fail(err, errlen,
				    "column name '%.*s' is reserved: ksql adds the ksql_ columns itself",
				    c.namelen, c.name);
		for (i = 0; i < k; i++)
			if (cols[i].namelen == c.namelen &&
			    strncasecmp(cols[i].name, c.name, (size_t)c.namelen) == 0)
				return fail(err, errlen, "column '%.*s' appears twice in the column list",
					    c.namelen, c.name);
		p += c.namelen + 1;
		c.type = p;
		c.typelen = ident_len(p);
		if (!known_type(c.type, c.typelen))
			return fail(err, errlen,
				    "column '%.*s' has type '%.*s'; ksql knows INTEGER, REAL, TEXT, BLOB and ANY",
				    c.namelen, c.name, c.typelen ? c.typelen : 16, c.type);
		p += c.typelen;
		cols[k++] = c;
		if (!*p)
			break;
		if (p[0] != ',' || p[1] != ' ')
			return fail(err, errlen,
				    "column list '%.200s' is not valid after column %u: columns are separated by \", \"",
				    list, k);
		p += 2;
	}
	*n = k;
	return 0;
}

const char *ksqld_log_reason_name(uint32_t reason)
{
	switch (reason) {
	case KSQL_LOSS_BACKLOG:
		return "backlog";
	case KSQL_LOSS_TOO_BIG:
		return "too_big";
	default:
		return NULL;
	}
}

/* ---- LOG ----------------------------------------------------------------- */

struct log_walk {
	struct ksqld_log_batch *b;
	char *err;
	size_t errlen;
	bool have_epoch;
	unsigned int rows, gaps;	/* counted in pass 1 */
	/* pass 1: the shortest ROW and GAP payloads, and their ordinals */
	uint32_t row_min, gap_min;
	unsigned int row_min_at, gap_min_at;
	struct ksqld_log_entry *e;	/* being filled in pass 2 */
	unsigned int nvals;		/* values of e so far */
	bool have_seq, have_time, have_first, have_last, have_reason;
	struct ksql_value *next_val;
};

static int top_count(const struct nlattr *a, void *p)
{
	struct log_walk *w = p;
	struct ksqld_log_batch *b = w->b;

	switch (mnl_attr_get_type(a)) {
	case KSQL_A_PAD:
		return 0;
	case KSQL_A_TABLE:
		if (b->table)
			return fail(w->err, w->errlen, "KSQL_A_TABLE appears twice");
		if (ksql_attr_str(a, KSQL_TABLE_NAME_MAX, &b->table) < 0)
			return fail(w->err, w->errlen, "KSQL_A_TABLE is not a string of at most %d bytes",
				    KSQL_TABLE_NAME_MAX);
		return 0;
	case KSQL_A_COLUMNS:
		if (b->columns)
			return fail(w->err, w->errlen, "KSQL_A_COLUMNS appears twice");
		if (ksql_attr_str(a, KSQL_COLUMNS_MAX, &b->columns) < 0)
			return fail(w->err, w->errlen, "KSQL_A_COLUMNS is not a string of at most %d bytes",
				    KSQL_COLUMNS_MAX);
		return 0;
	case KSQL_A_EPOCH:
		if (w->have_epoch || ksql_attr_u64(a, &b->epoch) < 0)
			return fail(w->err, w->errlen, "KSQL_A_EPOCH is repeated or not a u64");
		w->have_epoch = true;
		return 0;
	case KSQL_A_ROW:
		w->rows++;
		if (w->rows == 1 || mnl_attr_get_payload_len(a) < w->row_min) {
			w->row_min = mnl_attr_get_payload_len(a);
			w->row_min_at = w->rows;
		}
		return 0;
	case KSQL_A_GAP:
		w->gaps++;
		if (w->gaps == 1 || mnl_attr_get_payload_len(a) < w->gap_min) {
			w->gap_min = mnl_attr_get_payload_len(a);
			w->gap_min_at = w->gaps;
		}
		return 0;
	default:
		return fail(w->err, w->errlen, "unknown attribute %u in a LOG message",
			    mnl_attr_get_type(a));
	}
}

static int row_attr(const struct nlattr *a, void *p)
{
	struct log_walk *w = p;
	uint16_t type = mnl_attr_get_type(a);

	switch (type) {
	case KSQL_R_PAD:
		return 0;
	case KSQL_R_SEQ:
		if (w->have_seq || ksql_attr_u64(a, &w->e->first) < 0)
			return -EINVAL;
		w->e->last = w->e->first;
		w->have_seq = true;
		return 0;
	case KSQL_R_TIME_NS:
		if (w->have_time || ksql_attr_u64(a, &w->e->time_ns) < 0)
			return -EINVAL;
		w->have_time = true;
		return 0;
	case KSQL_R_VAL_NULL:
	case KSQL_R_VAL_INT:
	case KSQL_R_VAL_REAL:
	case KSQL_R_VAL_TEXT:
	case KSQL_R_VAL_BLOB:
		if (w->nvals == w->b->ncols)
			return -E2BIG;	/* more values than columns */
		w->nvals++;
		/* the same encoding as KSQL_A_VAL_* */
		return ksql_value_decode(a, (enum ksql_type)(type - KSQL_R_VAL_NULL),
					 w->next_val++);
	default:
		return -EINVAL;
	}
}

static int gap_attr(const struct nlattr *a, void *p)
{
	struct log_walk *w = p;
	bool *have;
	int ret;

	switch (mnl_attr_get_type(a)) {
	case KSQL_GAP_PAD:
		return 0;
	case KSQL_GAP_FIRST:
		have = &w->have_first;
		ret = ksql_attr_u64(a, &w->e->first);
		break;
	case KSQL_GAP_LAST:
		have = &w->have_last;
		ret = ksql_attr_u64(a, &w->e->last);
		break;
	case KSQL_GAP_REASON:
		have = &w->have_reason;
		ret = ksql_attr_u32(a, &w->e->reason);
		break;
	case KSQL_GAP_TIME_NS:
		have = &w->have_time;
		ret = ksql_attr_u64(a, &w->e->time_ns);
		break;
	default:
		return -EINVAL;
	}
	if (ret < 0 || *have)
		return -EINVAL;
	*have = true;
	return 0;
}

static int parse_row(struct log_walk *w, const struct nlattr *a, unsigned int idx)
{
	int ret;

	w->e->vals = w->next_val;
	w->nvals = 0;
	w->have_seq = w->have_time = false;
	ret = ksql_attr_walk_nested(a, row_attr, w);
	if (ret == -E2BIG || (ret == 0 && w->nvals != w->b->ncols))
		return fail(w->err, w->errlen,
			    "row %u of the LOG batch has %s values than the table's %u columns", idx,
			    ret == -E2BIG ? "more" : "fewer", w->b->ncols);
	if (ret < 0 || !w->have_seq || !w->have_time)
		return fail(w->err, w->errlen,
			    "row %u of the LOG batch is malformed (needs one SEQ, one TIME_NS, values of the right lengths, nothing unknown)",
			    idx);
	return 0;
}

static int parse_gap(struct log_walk *w, const struct nlattr *a, unsigned int idx)
{
	int ret;

	w->e->gap = true;
	w->have_first = w->have_last = w->have_reason = w->have_time = false;
	ret = ksql_attr_walk_nested(a, gap_attr, w);
	if (ret < 0 || !w->have_first || !w->have_last || !w->have_reason || !w->have_time)
		return fail(w->err, w->errlen,
			    "gap %u of the LOG batch is malformed (needs one FIRST, LAST, REASON and TIME_NS, nothing unknown)",
			    idx);
	if (w->e->first > w->e->last)
		return fail(w->err, w->errlen, "gap %u of the LOG batch has FIRST %llu after LAST %llu",
			    idx, (unsigned long long)w->e->first, (unsigned long long)w->e->last);
	if (!ksqld_log_reason_name(w->e->reason))
		return fail(w->err, w->errlen, "gap %u of the LOG batch has the unknown reason %u", idx,
			    w->e->reason);
	return 0;
}

static int top_entries(const struct nlattr *a, void *p)
{
	struct log_walk *w = p;
	struct ksqld_log_batch *b = w->b;
	struct ksqld_log_entry *prev = b->nentries ? &b->entries[b->nentries - 1] : NULL;
	uint16_t type = mnl_attr_get_type(a);
	int ret;

	if (type != KSQL_A_ROW && type != KSQL_A_GAP)
		return 0;
	w->e = &b->entries[b->nentries];
	memset(w->e, 0, sizeof(*w->e));
	if (type == KSQL_A_ROW)
		ret = parse_row(w, a, b->nrows + 1);
	else
		ret = parse_gap(w, a, b->ngaps + 1);
	if (ret < 0)
		return ret;
	if (w->e->first == 0 || (prev && w->e->first != prev->last + 1))
		return fail(w->err, w->errlen,
			    "entry %u of the LOG batch starts at sequence %llu; expected %llu (entries must be contiguous)",
			    b->nentries + 1, (unsigned long long)w->e->first,
			    prev ? (unsigned long long)prev->last + 1 : 1ULL);
	if (type == KSQL_A_ROW)
		b->nrows++;
	else
		b->ngaps++;
	b->nentries++;
	return 0;
}

/* The smallest payload a ROW of ncols values can have: SEQ, TIME_NS, a header per value. */
static uint32_t row_min_payload(unsigned int ncols)
{
	return 2 * (MNL_ATTR_HDRLEN + 8) + ncols * MNL_ATTR_HDRLEN;
}

/* The smallest payload of a GAP: FIRST, LAST, TIME_NS (u64) and REASON (u32). */
#define GAP_MIN_PAYLOAD (3 * (MNL_ATTR_HDRLEN + 8) + MNL_ATTR_HDRLEN + 4)

/*
 * Before anything is allocated for them: can the ROWs and GAPs counted in
 * pass 1 hold what they must? Then every entry and every value stands for
 * at least an attribute header of the message, and the allocation is
 * bounded by a small multiple of the message's own size, whatever counts
 * it claims (issue 12 item 11).
 */
static int check_sizes(const struct log_walk *w, unsigned int ncols, char *err, size_t errlen)
{
	if (w->rows && w->row_min < row_min_payload(ncols))
		return fail(err, errlen,
			    "row %u of the LOG batch is %u bytes, too short for SEQ, TIME_NS and the table's %u values (at least %u bytes)",
			    w->row_min_at, w->row_min, ncols, row_min_payload(ncols));
	if (w->gaps && w->gap_min < GAP_MIN_PAYLOAD)
		return fail(err, errlen,
			    "gap %u of the LOG batch is %u bytes, too short for FIRST, LAST, REASON and TIME_NS (at least %u bytes)",
			    w->gap_min_at, w->gap_min, (unsigned int)GAP_MIN_PAYLOAD);
	return 0;
}

int ksqld_log_parse(const struct nlmsghdr *nlh, struct ksqld_log_batch *b, char *err, size_t errlen)
{
	struct ksqld_log_col cols[KSQL_TABLE_COLS_MAX];
	struct log_walk w = { .b = b, .err = err, .errlen = errlen };
	size_t nvals;
	int ret;

	memset(b, 0, sizeof(*b));
	err[0] = '\0';
	if (ksql_msg_cmd(nlh) != KSQL_CMD_LOG)
		return fail(err, errlen, "not a LOG message");
	ret = ksql_attr_walk(nlh, top_count, &w);
	if (ret < 0) {
		if (!err[0])
			fail(err, errlen, "a LOG attribute is truncated");
		return -EINVAL;
	}
	if (!b->table || !b->columns || !w.have_epoch)
		return fail(err, errlen, "a LOG message needs KSQL_A_TABLE, KSQL_A_COLUMNS and KSQL_A_EPOCH");
	ret = ksqld_log_check_table(b->table, err, errlen);
	if (ret == 0)
		ret = ksqld_log_parse_columns(b->columns, cols, &b->ncols, err, errlen);
	if (ret == 0)
		ret = check_sizes(&w, b->ncols, err, errlen);
	if (ret < 0)
		return ret;
	/* Checked above: every value is at least an attribute header of the message. */
	nvals = (size_t)w.rows * b->ncols;
	b->entries = calloc((size_t)w.rows + w.gaps + 1, sizeof(*b->entries));
	b->vals = calloc(nvals + 1, sizeof(*b->vals));
	if (!b->entries || !b->vals) {
		ksqld_log_batch_release(b);
		fail(err, errlen, "out of memory");
		return -ENOMEM;
	}
	w.next_val = b->vals;
	ret = ksql_attr_walk(nlh, top_entries, &w);
	if (ret < 0) {
		ksqld_log_batch_release(b);
		return -EINVAL;
	}
	return 0;
}

void ksqld_log_batch_release(struct ksqld_log_batch *b)
{
	free(b->entries);
	free(b->vals);
	b->entries = NULL;
	b->vals = NULL;
	b->nentries = b->nrows = b->ngaps = 0;
}

/* ---- TABLE_OPEN ------------------------------------------------------------ */

static int open_attr(const struct nlattr *a, void *p)
{
	struct ksqld_table_open *o = p;

	switch (mnl_attr_get_type(a)) {
	case KSQL_A_PAD:
		return 0;
	case KSQL_A_REQ_ID:
		return o->req_id ? -EINVAL : ksql_attr_u64(a, &o->req_id);
	case KSQL_A_TIMEOUT_MS:
		return ksql_attr_u32(a, &o->timeout_ms);
	case KSQL_A_DEADLINE_NS:
		return ksql_attr_u64(a, &o->deadline_ns);
	case KSQL_A_TABLE:
		return o->table ? -EINVAL : ksql_attr_str(a, KSQL_NAME_MAX, &o->table);
	case KSQL_A_COLUMNS:
		return o->columns ? -EINVAL : ksql_attr_str(a, KSQL_COLUMNS_MAX, &o->columns);
	default:
		return -EINVAL;
	}
}

int ksqld_table_open_parse(const struct nlmsghdr *nlh, struct ksqld_table_open *o)
{
	int ret;

	memset(o, 0, sizeof(*o));
	if (ksql_msg_cmd(nlh) != KSQL_CMD_TABLE_OPEN)
		return -EINVAL;
	ret = ksql_attr_walk(nlh, open_attr, o);
	if (ret == 0 && (!o->req_id || !o->table || !o->columns))
		ret = -EINVAL;
	return ret;
}
