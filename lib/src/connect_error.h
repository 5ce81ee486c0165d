/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * connect_error.h - why connecting to ksqld's control socket failed, as a
 * sentence that says what to do (internal; the public entry point is
 * ksql_client_describe_error()).
 */
#ifndef KSQL_CONNECT_ERROR_H
#define KSQL_CONNECT_ERROR_H

#include <stddef.h>

/*
 * The sentence for connect error err (negative errno) on path, pure: group
 * and mode (st_mode, file type included) are the socket's (group NULL or
 * mode 0 when unknown), user the caller's login name (NULL: "USER").
 * Returns what snprintf returns.
 */
int ksql_connect_error_format(char *buf, size_t size, const char *path, int err,
			      const char *group, unsigned int mode, const char *user);

#endif
