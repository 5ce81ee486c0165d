// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * connect_error.c - "why can't I reach ksqld?" answered as the administrator
 * needs it: not running (start it), or no permission (join the group).
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <ksql/client.h>
#include "connect_error.h"
#include "export.h"

int ksql_connect_error_format(char *buf, size_t size, const char *path, int err,
			      const char *group, unsigned int mode, const char *user)
{
	if (!user)
		user = "USER";
	switch (err) {
	case -EACCES:
	case -EPERM:
		if (group && mode)
			return snprintf(buf, size,
					"permission denied on ksqld's control socket %s (group %s, mode %04o): run as root or join the group: usermod -aG %s %s, then log in again",
					path, group, mode & 0777, group, user);
		return snprintf(buf, size,
				"permission denied on ksqld's control socket %s: run as root or join ksqld's group (ls -l %s shows it), then log in again",
				path, path);
	case -ENOENT:
		return snprintf(buf, size,
				"ksqld is not running (no control socket at %s); start it: systemctl start ksqld",
				path);
	case -ECONNREFUSED:
		/* connect() says ECONNREFUSED for a file that is no socket at all, too. */
		if ((mode & S_IFMT) && !S_ISSOCK(mode))
			return snprintf(buf, size,
					"%s is not a socket; ksqld's control socket is %s by default (--socket PATH)",
					path, KSQL_CONTROL_PATH_DEFAULT);
		return snprintf(buf, size,
				"ksqld is not running (nobody listens on the control socket %s); start it: systemctl start ksqld",
				path);
	case -ETIMEDOUT:
		return snprintf(buf, size,
				"ksqld does not accept connections on %s (stopped or stuck); see: systemctl status ksqld",
				path);
	case -ENAMETOOLONG:
		return snprintf(buf, size, "the control socket path %s is too long", path);
	default:
		return snprintf(buf, size, "cannot connect to ksqld's control socket %s: %s", path,
				strerror(err < 0 ? -err : err));
	}
}

KSQL_EXPORT int ksql_client_describe_error(const char *path, int err, char *buf, size_t size)
{
	char grbuf[4096], pwbuf[4096];
	struct group gr, *g = NULL;
	struct passwd pw, *p = NULL;
	const char *group = NULL;
	unsigned int mode = 0;
	struct stat st;

	if (!buf || !size)
		return -EINVAL;
	if (!path)
		path = KSQL_CONTROL_PATH_DEFAULT;
	/* A refusal names the socket's group and mode; ECONNREFUSED checks it is a socket. */
	if ((err == -EACCES || err == -EPERM || err == -ECONNREFUSED) && stat(path, &st) == 0) {
		mode = (unsigned int)st.st_mode;
		if (getgrgid_r(st.st_gid, &gr, grbuf, sizeof(grbuf), &g) == 0 && g)
			group = g->gr_name;
		else if (err != -ECONNREFUSED)
			mode = 0;	/* a gid without a name helps nobody join it */
	}
	if (getpwuid_r(getuid(), &pw, pwbuf, sizeof(pwbuf), &p) != 0)
		p = NULL;
	return ksql_connect_error_format(buf, size, path, err, group, mode, p ? p->pw_name : NULL);
}
