// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksql-nlutil.c - the generic-netlink plumbing shared by the VM test
 * programs ksql-nltool and ksql-adversary (see ksql-nlutil.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>

#include "ksql_genl.h"
#include "ksql-nlutil.h"

struct mnl_socket *nl;
uint16_t family;
uint32_t seq;

void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog_name, what, strerror(errno));
	exit(1);
}

int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-') {
		fprintf(stderr, "%s: '%s' is not a number\n", prog_name, s);
		return -1;
	}
	return 0;
}

void open_socket(void)
{
	int one = 1;

	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl)
		die("cannot open a generic netlink socket");
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("cannot bind the netlink socket");
	/* error acks without a copy of our (up to 64 KiB) message */
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
}

struct nlmsghdr *msg_start(char *mbuf, uint16_t type, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(mbuf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = KSQL_GENL_VERSION;
	return nlh;
}

int resolve_family(void)
{
	/* nlctrl's answer is one page or two; this is room to spare */
	static char rbuf[1 << 16];
	char mbuf[256];
	struct nlmsghdr *nlh = msg_start(mbuf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	const struct nlattr *a;
	ssize_t len;
	int n;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, KSQL_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("send GETFAMILY");
	len = mnl_socket_recvfrom(nl, rbuf, sizeof(rbuf));
	if (len < 0)
		die("receive GETFAMILY");
	n = (int)len;
	for (nlh = (void *)rbuf; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (e->error)
				return e->error;
			continue;
		}
		if (nlh->nlmsg_type != GENL_ID_CTRL)
			continue;
		mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
			    mnl_attr_validate(a, MNL_TYPE_U16) == 0)
				family = mnl_attr_get_u16(a);
		}
	}
	return family ? 0 : -ENOENT;
}

uint64_t msg_u64(const struct nlmsghdr *nlh, unsigned int type, bool *found)
{
	const struct nlattr *a;

	if (found)
		*found = false;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == type && mnl_attr_validate(a, MNL_TYPE_U64) == 0) {
			if (found)
				*found = true;
			return mnl_attr_get_u64(a);
		}
	}
	return 0;
}

uint64_t nested_u64(const struct nlattr *a, unsigned int type)
{
	const struct nlattr *n;

	mnl_attr_for_each_nested(n, a) {
		if (mnl_attr_get_type(n) == type && mnl_attr_validate(n, MNL_TYPE_U64) == 0)
			return mnl_attr_get_u64(n);
	}
	return 0;
}

bool log_head(const struct nlmsghdr *nlh, const char **table, uint64_t *epoch)
{
	const struct nlattr *a;
	bool have_epoch = false;

	*table = NULL;
	*epoch = 0;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case KSQL_A_TABLE:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 &&
			    mnl_attr_get_payload_len(a) <= KSQL_TABLE_NAME_MAX + 1)
				*table = mnl_attr_get_str(a);
			break;
		case KSQL_A_EPOCH:
			if (mnl_attr_validate(a, MNL_TYPE_U64) == 0) {
				*epoch = mnl_attr_get_u64(a);
				have_epoch = true;
			}
			break;
		}
	}
	return have_epoch;
}

enum log_item log_item(const struct nlattr *a, uint64_t *first, uint64_t *last)
{
	switch (mnl_attr_get_type(a)) {
	case KSQL_A_ROW:
		*first = *last = nested_u64(a, KSQL_R_SEQ);
		return LOG_ROW;
	case KSQL_A_GAP:
		*first = nested_u64(a, KSQL_GAP_FIRST);
		*last = nested_u64(a, KSQL_GAP_LAST);
		return LOG_GAP;
	default:
		return LOG_OTHER;
	}
}
