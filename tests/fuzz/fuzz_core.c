// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_core.c - ksqld's message core as the kernel's netlink socket drives
 * it: QUERY, CANCEL, TABLE_OPEN, LOG, PING (and the commands it refuses).
 * The input is a receive buffer of one or more messages (fuzz_split), all
 * handled in order against a fresh in-memory database with one table, so a
 * TABLE_OPEN followed by LOGs reaches the log writer. Without a scheduler
 * the core runs everything at once on the writer's executor, as the unit
 * tests do. Every reply must be a well-formed message.
 */
#include <stdlib.h>
#include "codec.h"
#include "core.h"
#include "exec.h"
#include "fuzz_common.h"

/* Any generic-netlink family id; the seeds use the same. */
#define FUZZ_FAMILY 0x20

static const char *const setup_sql[] = {
	"CREATE TABLE t (id INTEGER PRIMARY KEY, i INT, r REAL, s TEXT, b BLOB, n)",
	"INSERT INTO t (i, r, s, b, n) VALUES (1, 1.5, 'one', x'00ff', NULL), "
	"(-2, -0.25, 'two', x'', 7)",
};

static int one(const void *msg, size_t len, void *ctx)
{
	ksqld_core_handle(ctx, msg, len, fuzz_check_reply, NULL);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_logs();
	fuzz_reply_type = FUZZ_FAMILY;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ksqld_core core;
	struct ksqld_exec *e;
	struct ksqld_rows rows;
	char err[256];
	size_t i;

	/* Fresh each time: an input's outcome must not depend on the ones before. */
	if (ksqld_exec_open(":memory:", false, &e, err, sizeof(err)) < 0)
		abort();
	for (i = 0; i < sizeof(setup_sql) / sizeof(setup_sql[0]); i++) {
		ksqld_rows_init(&rows);
		ksqld_exec_run(e, setup_sql[i], NULL, 0, &rows);
		if (rows.st.err)
			abort();
		ksqld_rows_release(&rows);
	}
	core = (struct ksqld_core){
		.exec = e, .msg_type = FUZZ_FAMILY, .name = "netlink", .from_kernel = true,
		/* Small chunks: results of a few rows already take several. */
		.chunk_target = 256,
	};
	fuzz_watch_begin(e);
	fuzz_split(data, size, one, &core);
	fuzz_watch_end();
	ksqld_exec_close(e);
	return 0;
}
