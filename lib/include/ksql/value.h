/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ksql/value.h - typed SQL values as user space sees them.
 *
 * The same five types as the in-kernel API (kernel/include/ksql.h), in the
 * same order, so that the wire attribute type is KSQL_A_VAL_NULL + type.
 */
#ifndef KSQL_VALUE_H
#define KSQL_VALUE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ksql_type { KSQL_NULL, KSQL_INT, KSQL_REAL, KSQL_TEXT, KSQL_BLOB };

struct ksql_value {
	enum ksql_type type;
	uint32_t len;			/* bytes, for TEXT and BLOB */
	union {
		int64_t i;
		uint64_t real;		/* IEEE-754 binary64 bits */
		const char *text;	/* not NUL-terminated; len counts */
		const void *blob;
	};
};

#ifdef __cplusplus
}
#endif
#endif /* KSQL_VALUE_H */
