// SPDX-License-Identifier: GPL-2.0-only
/* logmsg_encode.c - LOG messages as ksql.ko sends them (logmsg_encode.h). */
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "ksql_genl.h"
#include "logmsg_encode.h"

void logmsg_put_head(struct nlmsghdr *nlh, const char *table, const char *columns,
		     uint64_t epoch)
{
	mnl_attr_put_strz(nlh, KSQL_A_TABLE, table);
	mnl_attr_put_strz(nlh, KSQL_A_COLUMNS, columns);
	mnl_attr_put(nlh, KSQL_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, KSQL_A_EPOCH, epoch);
}

void logmsg_put_row(struct nlmsghdr *nlh, uint64_t seq, const void *blob, size_t blob_len)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, KSQL_A_ROW);
	double d = (double)seq + 0.5;
	uint64_t bits;
	char name[32];

	memcpy(&bits, &d, sizeof(bits));
	snprintf(name, sizeof(name), "row%llu", (unsigned long long)seq);
	mnl_attr_put(nlh, KSQL_R_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, KSQL_R_SEQ, seq);
	mnl_attr_put_u64(nlh, KSQL_R_TIME_NS, 1000 + seq);
	mnl_attr_put_u64(nlh, KSQL_R_VAL_INT, 100 + seq);
	mnl_attr_put(nlh, KSQL_R_VAL_TEXT, strlen(name), name);
	mnl_attr_put_u64(nlh, KSQL_R_VAL_REAL, bits);
	mnl_attr_put(nlh, KSQL_R_VAL_BLOB, blob_len, blob);
	mnl_attr_put(nlh, KSQL_R_VAL_NULL, 0, NULL);
	mnl_attr_nest_end(nlh, n);
}

void logmsg_put_gap(struct nlmsghdr *nlh, uint64_t first, uint64_t last, uint32_t reason)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, KSQL_A_GAP);

	mnl_attr_put_u64(nlh, KSQL_GAP_FIRST, first);
	mnl_attr_put_u64(nlh, KSQL_GAP_LAST, last);
	mnl_attr_put_u32(nlh, KSQL_GAP_REASON, reason);
	mnl_attr_put_u64(nlh, KSQL_GAP_TIME_NS, 5000 + first);
	mnl_attr_nest_end(nlh, n);
}
