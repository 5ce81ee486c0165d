// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz_client.c - libksql's control-socket client (lib/src/client.c,
 * daemon_info.c) against a fake ksqld whose answers are the input: byte 0
 * picks the call (0 ksql_client_query, 1 ksql_client_daemon_stats,
 * 2 ksql_client_daemon_info), the rest are the datagrams the "daemon"
 * sends (fuzz_split) before it closes the connection. A fresh client's
 * first query is request 1, which the seeds answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <ksql/client.h>
#include "codec.h"
#include "fuzz_common.h"

static char dir[256], path[300];
static int lfd = -1;

static void cleanup(void)
{
	if (lfd >= 0)
		close(lfd);
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/fuzz_client.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/s", dir);
	if (strlen(path) >= sizeof(sa.sun_path))
		abort();
	strcpy(sa.sun_path, path);
	lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 4) < 0)
		abort();
	atexit(cleanup);
	return 0;
}

static int send_one(const void *msg, size_t len, void *ctx)
{
	/* A datagram the socket will not take (too big) ends the answer. */
	return send(*(int *)ctx, msg, len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ksql_client *c;
	struct ksql_reply *rep;
	struct ksql_daemon_info *info;
	uint64_t vals[64], present;
	int sfd;

	if (size < 1)
		return 0;
	if (ksql_client_connect(path, &c) < 0)
		abort();
	sfd = accept(lfd, NULL, NULL);
	if (sfd < 0)
		abort();
	/* Everything is queued before the client asks: the client reads it as the answer. */
	fuzz_split(data + 1, size - 1, send_one, &sfd);
	shutdown(sfd, SHUT_WR);
	switch (data[0] % 3) {
	case 0:
		if (ksql_client_query(c, "SELECT 1", NULL, 0, &rep) == 0) {
			if (!rep)
				abort();
			ksql_reply_free(rep);
		}
		break;
	case 1:
		ksql_client_daemon_stats(c, vals, 64, &present);
		break;
	default:
		if (ksql_client_daemon_info(c, &info) == 0) {
			const char *s[] = {
				ksql_daemon_info_version(info), ksql_daemon_info_database(info),
				ksql_daemon_info_config(info), ksql_daemon_info_synchronous(info),
			};

			for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
				if (s[i] && strlen(s[i]) > KSQL_PATH_MAX)
					abort();
			ksql_daemon_info_free(info);
		}
		break;
	}
	ksql_client_close(c);
	close(sfd);
	return 0;
}
