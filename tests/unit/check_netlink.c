// SPDX-License-Identifier: GPL-2.0-only
/*
 * check_netlink.c - ksqld's generic-netlink transport, what runs without
 * the ksql module: messages from other processes are dropped and counted.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>
#include "core.h"
#include "log.h"
#include "netlink.h"
#include "stats.h"
#include "testutil.h"

START_TEST(from_kernel_only_port_zero)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	ck_assert(ksqld_nl_from_kernel(&sa, sizeof(sa)));
	sa.nl_groups = 1;	/* a kernel multicast (nlctrl's notify) */
	ck_assert(ksqld_nl_from_kernel(&sa, sizeof(sa)));
	sa.nl_pid = 4242;
	ck_assert(!ksqld_nl_from_kernel(&sa, sizeof(sa)));
	sa.nl_pid = 0;
	ck_assert(!ksqld_nl_from_kernel(&sa, sizeof(sa) - 1));
	sa.nl_family = AF_UNIX;
	ck_assert(!ksqld_nl_from_kernel(&sa, sizeof(sa)));
}
END_TEST

/* A socket of another process: bound, sending to ksqld's port. */
struct foreign {
	struct mnl_socket *sock;
	struct sockaddr_nl to;
};

/*
 * Opens ksqld's transport (*nl) and a foreign socket aimed at it, with the
 * statistics reset. false when there is no generic netlink here (a
 * sandbox): nothing to check then.
 */
static bool foreign_open(struct foreign *f, struct ksqld_core *core, struct ksqld_nl **nl)
{
	int ret;

	ksqld_stats_reset();
	ret = ksqld_nl_open(core, 0, nl);
	if (ret < 0) {
		ck_assert_int_ne(ret, 0);
		return false;
	}
	f->sock = mnl_socket_open(NETLINK_GENERIC);
	ck_assert_ptr_nonnull(f->sock);
	ck_assert_int_eq(mnl_socket_bind(f->sock, 0, MNL_SOCKET_AUTOPID), 0);
	f->to = (struct sockaddr_nl){ .nl_family = AF_NETLINK, .nl_pid = ksqld_nl_portid(*nl) };
	return true;
}

/* An nlctrl message header in buf (len bytes, zeroed first). */
static struct nlmsghdr *ctrl_msg(char *buf, size_t len)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, len);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	return nlh;
}

/* Sends nlh to ksqld n times. */
static void foreign_send(struct foreign *f, const struct nlmsghdr *nlh, unsigned int n)
{
	while (n--)
		ck_assert_int_eq(sendto(mnl_socket_get_fd(f->sock), nlh, nlh->nlmsg_len, 0,
					(struct sockaddr *)&f->to, sizeof(f->to)),
				 (ssize_t)nlh->nlmsg_len);
}

/*
 * Issue 12 item 11: any process may unicast to ksqld's port. A forged
 * nlctrl DELFAMILY "ksql" (or a QUERY) from one is dropped unread and
 * counted, and ksqld goes on.
 */
START_TEST(foreign_sender_dropped)
{
	struct ksqld_core core = { .name = "netlink" };
	struct ksqld_nl *nl = NULL;
	struct foreign evil;
	char buf[256];
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	if (!foreign_open(&evil, &core, &nl))
		return;
	nlh = ctrl_msg(buf, sizeof(buf));
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_DELFAMILY;
	g->version = 2;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "ksql");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x30);
	foreign_send(&evil, nlh, 2);
	ck_assert_int_eq(ksqld_nl_process(nl), 0);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_FOREIGN), 2);
	mnl_socket_close(evil.sock);
	ksqld_nl_close(nl);
}
END_TEST

/*
 * A flood on ksqld's port must not keep the poll loop from its signalfd:
 * one ksqld_nl_process() call reads at most KSQLD_NL_DRAIN_MAX datagrams
 * and leaves the rest for the next turn (a soak once saw SIGTERM ignored
 * for 30 s while messages kept coming).
 */
START_TEST(drain_is_bounded)
{
	struct ksqld_core core = { .name = "netlink" };
	const unsigned int sent = KSQLD_NL_DRAIN_MAX * 2 + 5;
	struct ksqld_nl *nl = NULL;
	struct foreign evil;
	struct nlmsghdr *nlh;
	char buf[64];

	if (!foreign_open(&evil, &core, &nl))
		return;
	nlh = ctrl_msg(buf, sizeof(buf));
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	foreign_send(&evil, nlh, sent);
	ck_assert_int_eq(ksqld_nl_process(nl), 0);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_FOREIGN), KSQLD_NL_DRAIN_MAX);
	ck_assert_int_eq(ksqld_nl_process(nl), 0);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_FOREIGN), KSQLD_NL_DRAIN_MAX * 2);
	ck_assert_int_eq(ksqld_nl_process(nl), 0);
	ck_assert_uint_eq(ksqld_stat_get(KSQLD_STAT_FOREIGN), sent);
	mnl_socket_close(evil.sock);
	ksqld_nl_close(nl);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("netlink");
	const struct test_case cases[] = {
		{ "ksqld_nl_from_kernel", from_kernel_only_port_zero },
		{ "a foreign sender is dropped", foreign_sender_dropped },
		{ "one call drains a bounded number", drain_is_bounded },
	};

	ksqld_log_init(false);
	add_cases(s, cases, ARRAY_LEN(cases), NULL, NULL);
	return run_suite(s);
}
