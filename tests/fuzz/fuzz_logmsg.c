// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_logmsg.c - the LOG and TABLE_OPEN parsers of daemon/logmsg.c on one
 * message, then the table-name and column-list checks on whatever names
 * they found (the core runs these before it builds DDL from them). A batch
 * that parses must keep its promises: entries contiguous from sequence 1
 * upwards, rows with exactly ncols values.
 */
#include <stdlib.h>
#include <string.h>
#include "codec.h"
#include "fuzz_common.h"
#include "logmsg.h"

static void check_names(const char *table, const char *columns)
{
	struct ksqld_log_col cols[KSQL_TABLE_COLS_MAX];
	unsigned int n = 0, i;
	char err[512];

	if (table)
		ksqld_log_check_table(table, err, sizeof(err));
	if (!columns || ksqld_log_parse_columns(columns, cols, &n, err, sizeof(err)) < 0)
		return;
	if (n < 1 || n > KSQL_TABLE_COLS_MAX)
		abort();
	for (i = 0; i < n; i++)
		if (cols[i].namelen <= 0 || cols[i].typelen <= 0 ||
		    cols[i].name < columns || cols[i].type < columns ||
		    cols[i].name + cols[i].namelen > columns + strlen(columns) ||
		    cols[i].type + cols[i].typelen > columns + strlen(columns))
			abort();
}

static void check_batch(const struct ksqld_log_batch *b)
{
	uint64_t next = 0;
	unsigned int i, rows = 0, gaps = 0;

	for (i = 0; i < b->nentries; i++) {
		const struct ksqld_log_entry *e = &b->entries[i];

		if (e->first > e->last || (i > 0 && e->first != next) || e->first == 0)
			abort();
		if (e->gap) {
			gaps++;
		} else {
			if (e->first != e->last || !e->vals)
				abort();
			/* Touch every value: ASan checks the pointers into the message. */
			for (unsigned int c = 0; c < b->ncols; c++) {
				const struct ksql_value *v = &e->vals[c];

				if ((v->type == KSQL_TEXT || v->type == KSQL_BLOB) && v->len)
					(void)*(volatile const char *)((const char *)v->blob + v->len - 1);
			}
			rows++;
		}
		next = e->last + 1;
	}
	if (rows != b->nrows || gaps != b->ngaps)
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_logs();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct nlmsghdr *nlh;
	struct ksqld_log_batch b;
	struct ksqld_table_open o;
	char err[512];
	void *copy = malloc(size ? size : 1);

	if (!copy)
		abort();
	memcpy(copy, data, size);
	if (ksql_msg_check(copy, size, &nlh) == 0) {
		memset(&b, 0, sizeof(b));
		if (ksqld_log_parse(nlh, &b, err, sizeof(err)) == 0) {
			check_batch(&b);
			check_names(b.table, b.columns);
			ksqld_log_batch_release(&b);
		}
		memset(&o, 0, sizeof(o));
		if (ksqld_table_open_parse(nlh, &o) == 0)
			check_names(o.table, o.columns);
	}
	free(copy);
	return 0;
}
