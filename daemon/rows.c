// SPDX-License-Identifier: GPL-2.0-only
/* rows.c - an in-memory result with an arena for text and blob bytes. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rows.h"

#define ARENA_BLOCK 65536

struct ksqld_arena_block {
	struct ksqld_arena_block *next;
	size_t used, size;
	char data[];
};

void ksqld_rows_init(struct ksqld_rows *r)
{
	memset(r, 0, sizeof(*r));
	r->st.errmsg = r->errmsg;
}

static void drop_data(struct ksqld_rows *r)
{
	unsigned int i;

	while (r->arena) {
		struct ksqld_arena_block *b = r->arena;

		r->arena = b->next;
		free(b);
	}
	for (i = 0; i < r->ncols && r->colnames; i++)
		free(r->colnames[i]);
	free(r->colnames);
	free(r->vals);
	r->colnames = NULL;
	r->vals = NULL;
	r->ncols = 0;
	r->nvals = r->cap = r->nrows = r->bytes = 0;
}

void ksqld_rows_release(struct ksqld_rows *r)
{
	drop_data(r);
}

int ksqld_rows_set_columns(struct ksqld_rows *r, unsigned int ncols)
{
	r->colnames = calloc(ncols ? ncols : 1, sizeof(*r->colnames));
	if (!r->colnames)
		return -ENOMEM;
	r->ncols = ncols;
	return 0;
}

int ksqld_rows_set_colname(struct ksqld_rows *r, unsigned int col, const char *name)
{
	r->colnames[col] = strdup(name);
	return r->colnames[col] ? 0 : -ENOMEM;
}

static void *arena_copy(struct ksqld_rows *r, const void *src, size_t len)
{
	struct ksqld_arena_block *b = r->arena;
	void *dst;

	if (!b || b->size - b->used < len) {
		size_t size = len > ARENA_BLOCK ? len : ARENA_BLOCK;

		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = r->arena;
		r->arena = b;
	}
	dst = b->data + b->used;
	memcpy(dst, src, len);
	b->used += len;
	return dst;
}

int ksqld_rows_add(struct ksqld_rows *r, const struct ksql_value *v)
{
	struct ksql_value copy = *v;

	r->bytes += sizeof(*v) + ((v->type == KSQL_TEXT || v->type == KSQL_BLOB) ? v->len : 0);
	if (r->bytes > KSQLD_RESULT_MAX_BYTES)
		return -E2BIG;
	if (r->nvals == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct ksql_value *p = realloc(r->vals, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		r->vals = p;
		r->cap = cap;
	}
	if ((v->type == KSQL_TEXT || v->type == KSQL_BLOB) && v->len) {
		copy.blob = arena_copy(r, v->blob, v->len);
		if (!copy.blob)
			return -ENOMEM;
	} else if (v->type == KSQL_TEXT || v->type == KSQL_BLOB) {
		copy.text = "";	/* SQLite's pointer dies with the next step */
	}
	r->vals[r->nvals++] = copy;
	return 0;
}

void ksqld_rows_fail(struct ksqld_rows *r, int err, int sqlite_code, const char *fmt, ...)
{
	va_list ap;

	/* Format first: the arguments may point into the data dropped next. */
	va_start(ap, fmt);
	vsnprintf(r->errmsg, sizeof(r->errmsg), fmt, ap);
	va_end(ap);
	drop_data(r);
	r->st.err = (uint32_t)err;
	r->st.sqlite_code = sqlite_code;
	r->st.changes = 0;
}
