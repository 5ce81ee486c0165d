// SPDX-License-Identifier: LGPL-2.1-or-later
/* msg.c - generic-netlink message framing and strict attribute walking. */
#include <errno.h>
#include <string.h>
#include "codec.h"

struct nlmsghdr *ksql_msg_start(void *buf, size_t buflen,
				const struct ksql_msg_hdr *h, uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	if (buflen < KSQL_MSG_HDRLEN)
		return NULL;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = h->type;
	nlh->nlmsg_flags = h->flags;
	nlh->nlmsg_seq = h->seq;
	nlh->nlmsg_pid = h->portid;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = KSQL_GENL_VERSION;
	return nlh;
}

int ksql_msg_check(const void *buf, size_t len, const struct nlmsghdr **out)
{
	const struct nlmsghdr *nlh = buf;

	if (len < KSQL_MSG_HDRLEN || nlh->nlmsg_len < KSQL_MSG_HDRLEN ||
	    nlh->nlmsg_len > len)
		return -EINVAL;
	*out = nlh;
	return 0;
}

uint8_t ksql_msg_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	return g->cmd;
}

/* Walks the attributes in [p, end): see ksql_attr_walk(). */
static int walk(const char *p, const char *end,
		int (*cb)(const struct nlattr *a, void *ctx), void *ctx)
{
	while (p < end) {
		const struct nlattr *a = (const void *)p;
		size_t left = (size_t)(end - p);
		int ret;

		/* The last attribute may lack its alignment padding; nothing else may be short. */
		if (left < sizeof(*a) || a->nla_len < sizeof(*a) || a->nla_len > left)
			return -EINVAL;
		ret = cb(a, ctx);
		if (ret < 0)
			return ret;
		p += (size_t)MNL_ALIGN(a->nla_len) < left ? (size_t)MNL_ALIGN(a->nla_len) : left;
	}
	return 0;
}

int ksql_attr_walk(const struct nlmsghdr *nlh,
		   int (*cb)(const struct nlattr *a, void *ctx), void *ctx)
{
	return walk((const char *)nlh + KSQL_MSG_HDRLEN, (const char *)nlh + nlh->nlmsg_len,
		    cb, ctx);
}

int ksql_attr_walk_nested(const struct nlattr *nest,
			  int (*cb)(const struct nlattr *a, void *ctx), void *ctx)
{
	const char *p = mnl_attr_get_payload(nest);

	return walk(p, p + mnl_attr_get_payload_len(nest), cb, ctx);
}

int ksql_attr_u32(const struct nlattr *a, uint32_t *v)
{
	if (mnl_attr_get_payload_len(a) != sizeof(*v))
		return -EINVAL;
	memcpy(v, mnl_attr_get_payload(a), sizeof(*v));
	return 0;
}

int ksql_attr_u64(const struct nlattr *a, uint64_t *v)
{
	if (mnl_attr_get_payload_len(a) != sizeof(*v))
		return -EINVAL;
	memcpy(v, mnl_attr_get_payload(a), sizeof(*v));
	return 0;
}

int ksql_attr_str(const struct nlattr *a, size_t max, const char **s)
{
	size_t len = mnl_attr_get_payload_len(a);
	const char *p = mnl_attr_get_payload(a);

	if (len == 0 || len - 1 > max || p[len - 1] != '\0' || strlen(p) != len - 1)
		return -EINVAL;
	*s = p;
	return 0;
}

/* The extended-ack message (NLMSGERR_ATTR_MSG) of an error ack, or NULL. */
const char *ksql_msg_extack(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);
	const struct nlattr *a;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if (MNL_NLMSG_HDRLEN + off > nlh->nlmsg_len)
		return NULL;
	mnl_attr_for_each(a, nlh, off) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			return mnl_attr_get_str(a);
	}
	return NULL;
}
