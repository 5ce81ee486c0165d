// SPDX-License-Identifier: LGPL-2.1-or-later
/* value.c - one typed SQL value as one netlink attribute (KSQL_A_VAL_NULL + type). */
#include <errno.h>
#include "codec.h"

bool ksql_attr_is_value(uint16_t attr_type)
{
	return attr_type >= KSQL_A_VAL_NULL && attr_type <= KSQL_A_VAL_BLOB;
}

static size_t payload_len(const struct ksql_value *v)
{
	switch (v->type) {
	case KSQL_NULL:
		return 0;
	case KSQL_INT:
	case KSQL_REAL:
		return 8;
	case KSQL_TEXT:
	case KSQL_BLOB:
		return v->len;
	}
	return 0;
}

size_t ksql_value_attr_size(const struct ksql_value *v)
{
	return MNL_ATTR_HDRLEN + MNL_ALIGN(payload_len(v));
}

int ksql_value_put(struct nlmsghdr *nlh, size_t buflen, const struct ksql_value *v)
{
	uint16_t type = KSQL_A_VAL_NULL + (uint16_t)v->type;
	const void *data;
	size_t len;

	switch (v->type) {
	case KSQL_NULL:
		data = NULL;
		break;
	case KSQL_INT:
		data = &v->i;
		break;
	case KSQL_REAL:
		data = &v->real;
		break;
	case KSQL_TEXT:
	case KSQL_BLOB:
		if (v->len > KSQL_VALUE_MAX)
			return -E2BIG;
		if (v->len && !v->blob)
			return -EINVAL;
		data = v->blob;
		break;
	default:
		return -EINVAL;
	}
	len = payload_len(v);
	/* mnl_attr_put would memcpy from data even for an empty payload. */
	if (len == 0) {
		static const char none;

		data = &none;
	}
	if (!mnl_attr_put_check(nlh, buflen, type, len, data))
		return -EMSGSIZE;
	return 0;
}

int ksql_value_get(const struct nlattr *a, struct ksql_value *v)
{
	uint16_t type = mnl_attr_get_type(a);

	if (!ksql_attr_is_value(type))
		return -EINVAL;
	return ksql_value_decode(a, (enum ksql_type)(type - KSQL_A_VAL_NULL), v);
}

int ksql_value_decode(const struct nlattr *a, enum ksql_type type, struct ksql_value *v)
{
	size_t len = mnl_attr_get_payload_len(a);
	uint64_t u;

	v->type = type;
	v->len = 0;
	switch (v->type) {
	case KSQL_NULL:
		if (len != 0)
			return -EINVAL;
		v->i = 0;
		return 0;
	case KSQL_INT:
	case KSQL_REAL:
		if (ksql_attr_u64(a, &u) < 0)
			return -EINVAL;
		if (v->type == KSQL_INT)
			v->i = (int64_t)u;
		else
			v->real = u;
		return 0;
	case KSQL_TEXT:
	case KSQL_BLOB:
		if (len > KSQL_VALUE_MAX)
			return -EINVAL;
		v->len = (uint32_t)len;
		v->blob = mnl_attr_get_payload(a);
		return 0;
	}
	return -EINVAL;
}
