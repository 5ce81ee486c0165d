// SPDX-License-Identifier: GPL-2.0-only
/*
 * gen_seeds.c - writes the seed corpora (corpus/TARGET/NAME) and the
 * dictionaries (TARGET.dict) of the fuzz targets into the directory given,
 * from real messages built with libksql's own encoders (ksql_query_build,
 * ksql_result_emit) and the LOG encoder check_log uses too
 * (tests/common/logmsg_encode.c). Run by "tools/fuzz --seeds"; the output
 * is committed.
 *
 * Usage: fuzz_gen_seeds DIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "codec.h"
#include "info.h"
#include "logmsg_encode.h"
#include "stats.h"

#define FAMILY 0x20	/* fuzz_core's family id */

static const char *outdir;

/* ---- output ------------------------------------------------------------ */

/* A seed file: a buffer of concatenated messages. */
struct seed {
	unsigned char buf[1 << 16];
	size_t len;
};

static void write_file(const char *target, const char *name, const void *p, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/corpus", outdir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/corpus/%s", outdir, target);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/corpus/%s/%s", outdir, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static void emit(const char *target, const char *name, const struct seed *s)
{
	write_file(target, name, s->buf, s->len);
}

/* Starts a message at the end of s (the previous ones are NLMSG-aligned). */
static struct nlmsghdr *start(struct seed *s, uint16_t type, uint8_t cmd)
{
	struct ksql_msg_hdr h = { .type = type, .flags = NLM_F_REQUEST, .seq = 1 };
	struct nlmsghdr *nlh;

	s->len = MNL_ALIGN(s->len);
	nlh = ksql_msg_start(s->buf + s->len, sizeof(s->buf) - s->len, &h, cmd);
	if (!nlh)
		abort();
	return nlh;
}

static void end(struct seed *s, struct nlmsghdr *nlh)
{
	s->len += nlh->nlmsg_len;
}

static size_t room(const struct seed *s)
{
	return sizeof(s->buf) - s->len;
}

/* ---- QUERY and friends ------------------------------------------------- */

static const unsigned char blob4[] = { 0, 0xff, 0x80, 7 };

static void query(struct seed *s, uint16_t type, uint64_t id, const char *sql,
		  const struct ksql_value *p, unsigned int n)
{
	struct ksql_msg_hdr h = { .type = type, .flags = NLM_F_REQUEST, .seq = 1 };

	s->len = MNL_ALIGN(s->len);
	if (ksql_query_build(s->buf + s->len, room(s), &h, id, sql, 5000, p, n) < 0)
		abort();
	s->len += ((struct nlmsghdr *)(s->buf + s->len))->nlmsg_len;
}

static void params5(struct ksql_value p[5])
{
	double d = -2.5;

	p[0] = (struct ksql_value){ .type = KSQL_INT, .i = INT64_MIN };
	p[1] = (struct ksql_value){ .type = KSQL_REAL };
	memcpy(&p[1].real, &d, sizeof(d));
	p[2] = (struct ksql_value){ .type = KSQL_TEXT, .len = 7, .text = "h\xc3\xa9llo\n" };
	p[3] = (struct ksql_value){ .type = KSQL_BLOB, .len = sizeof(blob4), .blob = blob4 };
	p[4] = (struct ksql_value){ .type = KSQL_NULL };
}

static void query_extras(struct seed *s, uint16_t type, uint32_t flags, uint64_t txn, const char *sql)
{
	struct nlmsghdr *nlh = start(s, type, KSQL_CMD_QUERY);

	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 9);
	mnl_attr_put(nlh, KSQL_A_PAD, 0, NULL);
	if (sql)
		mnl_attr_put_strz(nlh, KSQL_A_SQL, sql);
	mnl_attr_put_u32(nlh, KSQL_A_TIMEOUT_MS, 1000);
	mnl_attr_put_u64(nlh, KSQL_A_DEADLINE_NS, 1);
	mnl_attr_put_u64(nlh, KSQL_A_ORDER_KEY, 3);
	if (txn) {
		mnl_attr_put_u64(nlh, KSQL_A_TXN_ID, txn);
		mnl_attr_put_u32(nlh, KSQL_A_TXN_IDLE_MS, 500);
	}
	if (flags)
		mnl_attr_put_u32(nlh, KSQL_A_FLAGS, flags);
	mnl_attr_put_u64(nlh, KSQL_A_VAL_INT, 42);
	end(s, nlh);
}

static void simple(struct seed *s, uint16_t type, uint8_t cmd, uint64_t id)
{
	struct nlmsghdr *nlh = start(s, type, cmd);

	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, id);
	if (cmd == KSQL_CMD_PING)
		mnl_attr_put_u32(nlh, KSQL_A_TIMEOUT_MS, 100);
	if (cmd == KSQL_CMD_CANCEL)
		mnl_attr_put_u64(nlh, KSQL_A_TXN_ID, 7);
	end(s, nlh);
}

/* ---- TABLE_OPEN and LOG ------------------------------------------------ */

#define COLS "i INTEGER, s TEXT, r REAL, b BLOB, n ANY"

static void table_open(struct seed *s, uint16_t type, const char *table, const char *cols)
{
	struct nlmsghdr *nlh = start(s, type, KSQL_CMD_TABLE_OPEN);

	mnl_attr_put_u64(nlh, KSQL_A_REQ_ID, 5);
	mnl_attr_put_u32(nlh, KSQL_A_TIMEOUT_MS, 5000);
	mnl_attr_put_strz(nlh, KSQL_A_TABLE, table);
	mnl_attr_put_strz(nlh, KSQL_A_COLUMNS, cols);
	end(s, nlh);
}

/* LOG of table t, epoch 1: rows first..gap_first-1, a gap to gap_last, rows to last. */
static void log_msg(struct seed *s, uint16_t type, const char *t, uint64_t first,
		    uint64_t gap_first, uint64_t gap_last, uint64_t last)
{
	struct nlmsghdr *nlh = start(s, type, KSQL_CMD_LOG);
	uint64_t seq;

	logmsg_put_head(nlh, t, COLS, 1);
	for (seq = first; seq <= last; seq++) {
		if (gap_first && seq == gap_first) {
			logmsg_put_gap(nlh, gap_first, gap_last, KSQL_LOSS_BACKLOG);
			seq = gap_last;
			continue;
		}
		logmsg_put_row(nlh, seq, blob4, sizeof(blob4));
	}
	end(s, nlh);
}

/* ---- RESULT chunks ----------------------------------------------------- */

/* fuzz_client's seeds start with the byte that picks the call. */
static int call_byte = -1;

static int collect(const struct nlmsghdr *nlh, void *ctx)
{
	struct seed *s = ctx;
	size_t base = call_byte >= 0;

	s->len = base + MNL_ALIGN(s->len - base);
	if (nlh->nlmsg_len > room(s))
		return -EMSGSIZE;
	memcpy(s->buf + s->len, nlh, nlh->nlmsg_len);
	s->len += nlh->nlmsg_len;
	return 0;
}

static void result(const char *target, const char *name, const char *const *cols,
		   unsigned int ncols, const struct ksql_value *vals, size_t nrows,
		   const struct ksql_result_status *st, size_t chunk)
{
	struct ksql_chunk_cfg cfg = {
		.hdr = { .type = KSQL_CTL_MSG_TYPE, .seq = 1 }, .req_id = 1, .target = chunk,
	};
	static struct seed s;

	s.len = 0;
	if (call_byte >= 0)
		s.buf[s.len++] = (unsigned char)call_byte;
	if (ksql_result_emit(&cfg, cols, ncols, vals, nrows, st, collect, &s) < 0)
		abort();
	emit(target, name, &s);
}

static void results(const char *target)
{
	static const char *const cols[] = { "id", "name", "r\xc3\xa9", "b", "n" };
	static const char *const one[] = { "x" };
	struct ksql_value v[5 * 6], o[2];
	struct ksql_result_status ok = { .changes = 0 }, wrote = { .changes = 3, .last_rowid = 9 };
	struct ksql_result_status bad = { .err = EINVAL, .sqlite_code = 1,
					  .errmsg = "near \"SELEC\": syntax error" };
	static const double reals[] = { 0.1, -0.0, 1e300, 3.0, 1.0 / 0.0, 0.0 / 0.0 };
	static const char *const texts[] = { "plain", "tab\there", "quote\"back\\slash",
					     "\x01\x1f ctl", "\xe2\x82\xac uni", "" };
	unsigned int r;

	for (r = 0; r < 6; r++) {
		struct ksql_value *row = &v[r * 5];

		row[0] = (struct ksql_value){ .type = KSQL_INT, .i = (int64_t)r * -1000000007LL };
		row[1] = (struct ksql_value){ .type = KSQL_TEXT, .len = (uint32_t)strlen(texts[r]),
					      .text = texts[r] };
		row[2] = (struct ksql_value){ .type = KSQL_REAL };
		memcpy(&row[2].real, &reals[r], sizeof(double));
		row[3] = (struct ksql_value){ .type = KSQL_BLOB, .len = r % 4, .blob = blob4 };
		row[4] = (struct ksql_value){ .type = KSQL_NULL };
	}
	o[0] = (struct ksql_value){ .type = KSQL_INT, .i = 1 };
	o[1] = (struct ksql_value){ .type = KSQL_TEXT, .len = 2, .text = "ab" };
	result(target, "rows_chunked", cols, 5, v, 6, &ok, 128);
	result(target, "rows_one_chunk", cols, 5, v, 6, &ok, 0);
	result(target, "one_col", one, 1, o, 2, &ok, 0);
	result(target, "no_rows", cols, 5, NULL, 0, &ok, 0);
	result(target, "changes", NULL, 0, NULL, 0, &wrote, 0);
	result(target, "error", NULL, 0, NULL, 0, &bad, 0);
}

/* ---- dictionaries ------------------------------------------------------ */

static FILE *dict_open(const char *target)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.dict", outdir, target);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fprintf(f, "# %s.dict - written by gen_seeds.c (tools/fuzz --seeds); libFuzzer -dict=\n", target);
	return f;
}

/* An attribute header: length (header included), type; little-endian. */
static void dict_attr(FILE *f, const char *name, uint16_t type, uint16_t len)
{
	fprintf(f, "%s_%u=\"\\x%02x\\x%02x\\x%02x\\x%02x\"\n", name, len, len & 0xff, len >> 8,
		type & 0xff, type >> 8);
}

/* Headers of every attribute type up to max at the usual lengths. */
static void dict_attrs(FILE *f, const char *prefix, uint16_t max, bool nested)
{
	static const uint16_t lens[] = { 4, 8, 12 };
	char name[64];
	unsigned int t, l;

	for (t = 1; t <= max; t++) {
		snprintf(name, sizeof(name), "%s%u", prefix, t);
		for (l = 0; l < 3; l++)
			dict_attr(f, name, (uint16_t)t, lens[l]);
		if (nested)
			dict_attr(f, name, (uint16_t)(t | NLA_F_NESTED), 4);
	}
}

static void dict_words(FILE *f, const char *const *w)
{
	for (; *w; w++) {
		fputs("\"", f);
		for (const char *p = *w; *p; p++)
			fprintf(f, (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20 ||
				    (unsigned char)*p > 0x7e) ? "\\x%02x" : "%c",
				(unsigned char)*p);
		fputs("\"\n", f);
	}
}

static void dict_cmds(FILE *f)
{
	unsigned int c;

	/* The genl header: cmd, version, reserved. */
	for (c = 1; c <= KSQL_CMD_MAX; c++)
		fprintf(f, "genl_cmd%u=\"\\x%02x\\x%02x\\x00\\x00\"\n", c, c, KSQL_GENL_VERSION);
}

static const char *const sql_words[] = {
	"SELECT ", " FROM t", " WHERE ", "?1", "?2", "INSERT INTO t (i, s) VALUES (", ")",
	"UPDATE t SET ", "DELETE FROM t", "CREATE TABLE ", "WITH RECURSIVE c(x) AS (",
	" UNION ALL ", "zeroblob(", "x'00ff'", "NULL", "1e308", "-9223372036854775808",
	"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT s", "typeof(", "count(*)", "group_concat(",
	"printf('%s',", "char(0)", "ksql_gaps", "ksql_tables", NULL,
};

static const char *const param_words[] = {
	"int:", "real:", "text:", "blob:", "X'", "'", "null", "e+", "e-", ".", "-", "0x", NULL,
};

static const char *const col_words[] = {
	" INTEGER", " TEXT", " REAL", " BLOB", " ANY", ", ", "ksql_", "sqlite_", "_", NULL,
};

static void dicts(void)
{
	FILE *f;

	f = dict_open("core");
	dict_cmds(f);
	dict_attrs(f, "a", KSQL_A_MAX, true);
	dict_attrs(f, "r", KSQL_R_MAX, false);
	dict_attrs(f, "gap", KSQL_GAP_MAX, false);
	dict_words(f, sql_words);
	dict_words(f, col_words);
	fclose(f);

	f = dict_open("control");
	dict_cmds(f);
	dict_attrs(f, "a", KSQL_A_MAX, false);
	dict_words(f, sql_words);
	fclose(f);

	f = dict_open("logmsg");
	dict_cmds(f);
	dict_attrs(f, "a", KSQL_A_MAX, true);
	dict_attrs(f, "r", KSQL_R_MAX, false);
	dict_attrs(f, "gap", KSQL_GAP_MAX, false);
	dict_words(f, col_words);
	fclose(f);

	f = dict_open("param");
	dict_words(f, param_words);
	fclose(f);

	f = dict_open("codec");
	dict_cmds(f);
	dict_attrs(f, "a", KSQL_A_MAX, false);
	fclose(f);

	for (const char *const *t = (const char *const[]){ "reasm", "ksqlctl", "client", NULL };
	     *t; t++) {
		f = dict_open(*t);
		dict_cmds(f);
		dict_attrs(f, "a", KSQL_A_MAX, false);
		fprintf(f, "flags_final=\"\\x08\\x00\\x%02x\\x00\\x01\\x00\\x00\\x00\"\n", KSQL_A_FLAGS);
		fprintf(f, "req_id_1=\"\\x0c\\x00\\x%02x\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\"\n",
			KSQL_A_REQ_ID);
		fclose(f);
	}
}

/* ---- the corpora ------------------------------------------------------- */

static void core_seeds(const char *target, uint16_t type, bool kernel)
{
	struct ksql_value p[5];
	struct seed s;

	params5(p);
	s.len = 0; query(&s, type, 1, "SELECT * FROM t", NULL, 0); emit(target, "select", &s);
	s.len = 0; query(&s, type, 2, "SELECT ?1, ?2, ?3, ?4, ?5, typeof(?3)", p, 5);
	emit(target, "select_params", &s);
	s.len = 0; query(&s, type, 3, "INSERT INTO t (i, r, s, b, n) VALUES (?1, ?2, ?3, ?4, ?5)", p, 5);
	emit(target, "insert_params", &s);
	s.len = 0;
	query(&s, type, 4, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 40) "
	      "SELECT x, 'row' || x, zeroblob(x % 5), x / 3.0, NULL FROM c", NULL, 0);
	emit(target, "many_rows", &s);
	s.len = 0; query(&s, type, 5, "SELEC nothing", NULL, 0); emit(target, "bad_sql", &s);
	s.len = 0; query(&s, type, 6, "UPDATE t SET s = ?3 WHERE i = ?1", p, 5); emit(target, "update", &s);
	s.len = 0; query_extras(&s, type, 0, 0, "SELECT ?1"); emit(target, "query_extras", &s);
	s.len = 0; query_extras(&s, type, KSQL_F_TXN_BEGIN, 7, NULL); emit(target, "txn_begin", &s);
	s.len = 0; query_extras(&s, type, KSQL_F_TXN_COMMIT, 7, "INSERT INTO t (i) VALUES (?1)");
	emit(target, "txn_commit", &s);
	s.len = 0; simple(&s, type, KSQL_CMD_PING, 11); emit(target, "ping", &s);
	s.len = 0; simple(&s, type, KSQL_CMD_CANCEL, 12); emit(target, "cancel", &s);
	s.len = 0; simple(&s, type, KSQL_CMD_STATS, 13); emit(target, "stats", &s);
	s.len = 0;
	simple(&s, type, KSQL_CMD_PING, 14);
	query(&s, type, 15, "SELECT count(*) FROM t", NULL, 0);
	simple(&s, type, KSQL_CMD_CANCEL, 15);
	emit(target, "several", &s);
	s.len = 0; table_open(&s, type, "events", COLS); emit(target, "table_open", &s);
	s.len = 0;
	table_open(&s, type, "events", COLS);
	log_msg(&s, type, "events", 1, 0, 0, 3);
	log_msg(&s, type, "events", 4, 5, 7, 9);
	if (kernel)
		query(&s, type, 16, "SELECT * FROM events", NULL, 0);
	emit(target, "table_open_log", &s);
	s.len = 0; log_msg(&s, type, "events", 1, 2, 2, 3); emit(target, "log_unopened", &s);
}

static void logmsg_seeds(void)
{
	struct seed s;

	s.len = 0; log_msg(&s, FAMILY, "events", 1, 0, 0, 4); emit("logmsg", "rows", &s);
	s.len = 0; log_msg(&s, FAMILY, "events", 1, 2, 6, 8); emit("logmsg", "rows_gap", &s);
	s.len = 0; log_msg(&s, FAMILY, "events", 1, 1, 3, 3); emit("logmsg", "gap_only", &s);
	s.len = 0; table_open(&s, FAMILY, "events", COLS); emit("logmsg", "table_open", &s);
	s.len = 0; table_open(&s, FAMILY, "ksql_bad", "a INTEGER, a TEXT"); emit("logmsg", "table_open_bad", &s);
	s.len = 0;
	table_open(&s, FAMILY, "t_9",
		   "a INTEGER, b TEXT, c REAL, d BLOB, e ANY, f_1 INTEGER, G TEXT, h REAL");
	emit("logmsg", "table_open_8cols", &s);
}

/* ksqld's STATS answer on the control socket, after the call byte. */
static void stats_answer(const char *name, unsigned char call)
{
	static struct seed msg, s;
	struct nlmsghdr *nlh = (struct nlmsghdr *)msg.buf;

	ksqld_info_set_database("/var/lib/ksql/ksql.db");
	ksqld_info_set_config("/etc/ksql/ksqld.conf");
	ksqld_info_set_synchronous(true);
	ksqld_stat_add(KSQLD_STAT_PAD + 1, 3);
	if (ksqld_stats_build(msg.buf, sizeof(msg.buf), KSQL_CTL_MSG_TYPE, 1) < 0 ||
	    ksqld_info_put(nlh, sizeof(msg.buf)) < 0)
		abort();
	s.buf[0] = call;
	memcpy(s.buf + 1, msg.buf, nlh->nlmsg_len);
	s.len = 1 + nlh->nlmsg_len;
	emit("client", name, &s);
}

static void client_seeds(void)
{
	call_byte = 0;
	results("client");
	call_byte = -1;
	stats_answer("stats", 1);
	stats_answer("info", 2);
}

static void param_seeds(void)
{
	static const char *const args[] = {
		"42", "-9223372036854775808", "int:7", "real:2.5", "1e300", "0.1", "-0.0",
		"text:hello", "blob:00ff", "X'0aFF'", "x''", "null", "NULL", "h\xc3\xa9llo",
		"inf", "real:nan", "1.7976931348623157e308", "2.2250738585072014e-308", NULL,
	};
	char name[32];
	unsigned int i;

	for (i = 0; args[i]; i++) {
		snprintf(name, sizeof(name), "arg%02u", i);
		write_file("param", name, args[i], strlen(args[i]));
	}
}

static void codec_seeds(void)
{
	struct ksql_value p[5];
	struct seed s;

	params5(p);
	s.len = 0; query(&s, KSQL_CTL_MSG_TYPE, 1, "SELECT 1", NULL, 0); emit("codec", "query", &s);
	s.len = 0; query(&s, KSQL_CTL_MSG_TYPE, 2, "SELECT ?1, ?2, ?3, ?4, ?5", p, 5);
	emit("codec", "query_params", &s);
	s.len = 0; query_extras(&s, KSQL_CTL_MSG_TYPE, 0, 0, "SELECT ?1"); emit("codec", "query_extras", &s);
	s.len = 0; query_extras(&s, KSQL_CTL_MSG_TYPE, KSQL_F_TXN_ROLLBACK, 3, NULL);
	emit("codec", "txn_rollback", &s);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR (tests/fuzz)\n", argv[0]);
		return 2;
	}
	outdir = argv[1];
	core_seeds("core", FAMILY, true);
	core_seeds("control", KSQL_CTL_MSG_TYPE, false);
	logmsg_seeds();
	codec_seeds();
	results("reasm");
	results("ksqlctl");
	client_seeds();
	param_seeds();
	dicts();
	return 0;
}
