// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_control.c - what a control-socket client can send ksqld. control.c
 * itself only receives whole SOCK_SEQPACKET datagrams and hands each to the
 * core configured as below (ksqld_control_open): the control message type,
 * read-only (writes refused with EPERM), STATS answered, no TABLE_OPEN or
 * LOG. The input is one or more datagrams (fuzz_split). The database is a
 * file made once, opened read-only as the control socket's readers do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "codec.h"
#include "core.h"
#include "exec.h"
#include "fuzz_common.h"
#include "info.h"

static struct ksqld_core core;
static char dir[256], dbpath[300];

static const char *const setup_sql[] = {
	"CREATE TABLE t (id INTEGER PRIMARY KEY, i INT, r REAL, s TEXT, b BLOB, n)",
	"INSERT INTO t (i, r, s, b, n) VALUES (1, 1.5, 'one', x'00ff', NULL), "
	"(-2, -0.25, 'two', x'', 7), (3, 1e300, 'h\xc3\xa9llo\n', x'0102', 'x')",
};

static void cleanup(void)
{
	char path[320];

	if (core.exec)
		ksqld_exec_close(core.exec);
	unlink(dbpath);
	snprintf(path, sizeof(path), "%s-wal", dbpath);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", dbpath);
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	struct ksqld_exec *w;
	struct ksqld_rows rows;
	char err[256];
	size_t i;

	fuzz_quiet_logs();
	fuzz_reply_type = KSQL_CTL_MSG_TYPE;
	snprintf(dir, sizeof(dir), "%s/fuzz_control.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		abort();
	snprintf(dbpath, sizeof(dbpath), "%s/ksql.db", dir);
	if (ksqld_exec_open(dbpath, false, &w, err, sizeof(err)) < 0)
		abort();
	for (i = 0; i < sizeof(setup_sql) / sizeof(setup_sql[0]); i++) {
		ksqld_rows_init(&rows);
		ksqld_exec_run(w, setup_sql[i], NULL, 0, &rows);
		if (rows.st.err)
			abort();
		ksqld_rows_release(&rows);
	}
	ksqld_exec_close(w);
	ksqld_info_set_database(dbpath);
	core = (struct ksqld_core){
		.msg_type = KSQL_CTL_MSG_TYPE, .name = "control", .readonly_only = true,
		.answers_stats = true, .chunk_target = 256,
	};
	if (ksqld_exec_open(dbpath, true, &core.exec, err, sizeof(err)) < 0)
		abort();
	atexit(cleanup);
	return 0;
}

static int one(const void *msg, size_t len, void *ctx)
{
	ksqld_core_handle(&core, msg, len, fuzz_check_reply, NULL);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_watch_begin(core.exec);
	fuzz_split(data, size, one, NULL);
	fuzz_watch_end();
	return 0;
}
