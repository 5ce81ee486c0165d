// SPDX-License-Identifier: GPL-2.0-only
/*
 * check_control.c - the control socket end to end: a forked ksqld control
 * server (no netlink) answering the libksql client API.
 */
#define _GNU_SOURCE /* setresuid */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <ksql/client.h>
#include "control.h"
#include "exec.h"
#include "info.h"
#include "log.h"
#include "loop.h"
#include "worker.h"
#include "connect_error.h"
#include "ksql_genl.h"
#include "testutil.h"

static char dir[256], dbpath[300], sockpath[300];
static pid_t server;

static void seed(void)
{
	static const char *const sql[] = {
		"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, x REAL, b BLOB)",
		"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 20000) "
		"INSERT INTO t (name, x, b) SELECT 'name ' || n, n / 4.0, x'00ff00' FROM c",
	};
	struct ksqld_exec *rw;
	struct ksqld_rows rows;
	char err[256];
	size_t i;

	ck_assert_int_eq(ksqld_exec_open(dbpath, false, &rw, err, sizeof(err)), 0);
	for (i = 0; i < 2; i++) {
		ksqld_rows_init(&rows);
		ck_assert_int_eq(ksqld_exec_run(rw, sql[i], NULL, 0, &rows), 0);
		ck_assert_int_eq(rows.st.err, 0);
		ksqld_rows_release(&rows);
	}
	ksqld_exec_close(rw);
}

/* The child: what ksqld's main() does, minus netlink. */
static void serve(void)
{
	struct ksqld_control ctl;
	struct ksqld_loop loop = { .ctl = &ctl };
	struct ksqld_pool pool;
	char err[256];
	int sigfd = ksqld_loop_signals();

	ksqld_info_set_synchronous(true);
	ksqld_info_set_config("/etc/ksql/test.conf");
	if (sigfd < 0 || ksqld_pool_start(&pool, dbpath, 2, NULL, err, sizeof(err)) < 0 ||
	    ksqld_control_open(&ctl, sockpath, pool.sched, NULL) < 0)
		_exit(3);
	ksqld_info_set_database(dbpath);
	if (ksqld_loop_run(&loop, sigfd) < 0)
		_exit(4);
	ksqld_pool_stop(&pool);
	ksqld_control_close(&ctl);
	_exit(0);
}

static struct ksql_client *connect_retry(void)
{
	struct ksql_client *c = NULL;
	int i, ret = -ENOENT;

	for (i = 0; i < 1000 && ret < 0; i++) {
		ret = ksql_client_connect(sockpath, &c);
		if (ret < 0)
			usleep(10000);
	}
	ck_assert_int_eq(ret, 0);
	return c;
}

/* The directory alone, for the tests that need no server. */
static void setup_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/check_control.XXXXXX", tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(dbpath, sizeof(dbpath), "%s/test.db", dir);
	/* A directory that does not exist yet: the server creates it. */
	snprintf(sockpath, sizeof(sockpath), "%s/run/ksqld.sock", dir);
	ksqld_log_init(false);
	server = 0;
}

static void setup(void)
{
	setup_dir();
	seed();
	server = fork();
	ck_assert_int_ge(server, 0);
	if (server == 0)
		serve();
}

/* Stops the server; returns its exit status. */
static int stop_server(void)
{
	int status;

	if (server <= 0)
		return 0;
	kill(server, SIGTERM);
	ck_assert_int_eq(waitpid(server, &status, 0), server);
	server = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void teardown(void)
{
	char cmd[600];

	stop_server();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(client_query)
{
	struct ksql_client *c = connect_retry();
	struct ksql_value p[] = { VINT(2), VTEXT("name 3") };
	struct ksql_reply *rep;
	struct stat st;

	ck_assert_int_eq(ksql_client_query(c, "SELECT id, name, x, b FROM t WHERE id = ?1 OR name = ?2 ORDER BY id",
					   p, 2, &rep), 0);
	ck_assert_int_eq(ksql_reply_errno(rep), 0);
	ck_assert_uint_eq(ksql_reply_rows(rep), 2);
	ck_assert_uint_eq(ksql_reply_cols(rep), 4);
	ck_assert_str_eq(ksql_reply_colname(rep, 1), "name");
	assert_value_eq(ksql_reply_value(rep, 1, 0), &VINT(3));
	assert_value_eq(ksql_reply_value(rep, 1, 1), &VTEXT("name 3"));
	assert_value_eq(ksql_reply_value(rep, 0, 2), &VREAL(0x3fe0000000000000ULL)); /* 0.5 */
	assert_value_eq(ksql_reply_value(rep, 0, 3), &VBLOB("\0\xff\0", 3));
	ksql_reply_free(rep);

	/* One connection, many requests. */
	ck_assert_int_eq(ksql_client_query(c, "SELECT count(*) FROM t", NULL, 0, &rep), 0);
	assert_value_eq(ksql_reply_value(rep, 0, 0), &VINT(20000));
	ksql_reply_free(rep);
	ksql_client_close(c);

	/* Open to ksqld's group, nobody else. */
	ck_assert_int_eq(stat(sockpath, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0660);
	ck_assert_uint_eq(st.st_gid, getegid());
	ck_assert_int_eq(stop_server(), 0);
	/* The socket file goes away with the server. */
	ck_assert_int_eq(stat(sockpath, &st), -1);
}
END_TEST

START_TEST(client_large_result)
{
	struct ksql_client *c = connect_retry();
	struct ksql_reply *rep;
	unsigned int r;

	ck_assert_int_eq(ksql_client_query(c, "SELECT id, name FROM t ORDER BY id", NULL, 0, &rep), 0);
	ck_assert_uint_eq(ksql_reply_rows(rep), 20000);
	for (r = 0; r < 20000; r += 1234) {
		char want[32];

		snprintf(want, sizeof(want), "name %u", r + 1);
		assert_value_eq(ksql_reply_value(rep, r, 0), &VINT(r + 1));
		assert_value_eq(ksql_reply_value(rep, r, 1), &VTEXT(want));
	}
	ksql_reply_free(rep);
	ksql_client_close(c);
}
END_TEST

START_TEST(client_errors)
{
	struct ksql_client *c = connect_retry(), *c2 = connect_retry();
	struct ksql_reply *rep;

	/* The control socket is read-only: a write is refused before it runs. */
	ck_assert_int_eq(ksql_client_query(c, "DELETE FROM t", NULL, 0, &rep), 0);
	ck_assert_int_eq(ksql_reply_errno(rep), EPERM);
	ck_assert_ptr_nonnull(strstr(ksql_reply_errmsg(rep), "control socket is read-only"));
	ksql_reply_free(rep);
	/* Also when the write hides behind a read-looking keyword, or is BEGIN. */
	ck_assert_int_eq(ksql_client_query(c, "WITH x AS (SELECT 1) DELETE FROM t", NULL, 0, &rep), 0);
	ck_assert_int_eq(ksql_reply_errno(rep), EPERM);
	ksql_reply_free(rep);
	ck_assert_int_eq(ksql_client_query(c, "BEGIN", NULL, 0, &rep), 0);
	ck_assert_int_eq(ksql_reply_errno(rep), EPERM);
	ksql_reply_free(rep);
	ck_assert_int_eq(ksql_client_query(c, "SELECT count(*) FROM t", NULL, 0, &rep), 0);
	assert_value_eq(ksql_reply_value(rep, 0, 0), &VINT(20000));
	ksql_reply_free(rep);
	/* An SQL error reaches the client with SQLite's message. */
	ck_assert_int_eq(ksql_client_query(c2, "SELECT nope FROM t", NULL, 0, &rep), 0);
	ck_assert_int_eq(ksql_reply_errno(rep), EINVAL);
	ck_assert_str_eq(ksql_reply_errmsg(rep), "no such column: nope");
	ksql_reply_free(rep);
	ck_assert_int_eq(ksql_client_query(c, "SELECT 1; SELECT 2", NULL, 0, &rep), 0);
	ck_assert_int_eq(ksql_reply_errno(rep), EINVAL);
	ksql_reply_free(rep);
	ksql_client_close(c);
	ksql_client_close(c2);

	/* STATS on the control socket: ksqld's counters, readers among them. */
	c = connect_retry();
	{
		uint64_t vals[__KSQLD_STAT_LAST] = { 0 }, present = 0;

		ck_assert_int_eq(ksql_client_daemon_stats(c, vals, __KSQLD_STAT_LAST, &present), 0);
		ck_assert_uint_eq(vals[KSQLD_STAT_READERS], 2);
		ck_assert(present & (1ULL << KSQLD_STAT_CANCEL_LATENCY_MAX_US));
		ck_assert(present & (1ULL << KSQLD_STAT_RECEIVED));
		ck_assert(!(present & (1ULL << KSQLD_STAT_PAD)));
		/* Control-socket queries are not the kernel's: not counted as received. */
		ck_assert_uint_eq(vals[KSQLD_STAT_RECEIVED], 0);
		ck_assert_uint_ge(vals[KSQLD_STAT_READS], 1);
	}
	/* Who ksqld is, from the same STATS answer. */
	{
		struct ksql_daemon_info *info;
		char *abs = realpath(dbpath, NULL);

		ck_assert_ptr_nonnull(abs);
		ck_assert_int_eq(ksql_client_daemon_info(c, &info), 0);
		ck_assert_int_eq(ksql_daemon_info_pid(info), server);
		ck_assert_ptr_nonnull(ksql_daemon_info_version(info));
		ck_assert_str_ne(ksql_daemon_info_version(info), "");
		ck_assert_str_ne(ksql_daemon_info_version(info), "unknown");
		ck_assert_str_eq(ksql_daemon_info_database(info), abs);
		ck_assert_str_eq(ksql_daemon_info_config(info), "/etc/ksql/test.conf");
		ck_assert_str_eq(ksql_daemon_info_synchronous(info), "full");
		ksql_daemon_info_free(info);
		free(abs);
	}
	/* The connection still serves queries after STATS. */
	ck_assert_int_eq(ksql_client_query(c, "SELECT 2", NULL, 0, &rep), 0);
	assert_value_eq(ksql_reply_value(rep, 0, 0), &VINT(2));
	ksql_reply_free(rep);
	ksql_client_close(c);

	/* No daemon: the caller gets ENOENT, or ECONNREFUSED for a stale socket. */
	ck_assert_int_eq(stop_server(), 0);
	ck_assert_int_eq(ksql_client_connect(sockpath, &c), -ENOENT);
}
END_TEST

/* A listener that never accepts: once its backlog is full, connect() waits. */
START_TEST(client_connect_timeout)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[] = "/tmp/ksql-check-backlog.XXXXXX";
	struct ksql_client *c1 = NULL, *c2 = NULL, *c3 = NULL;
	int lfd, fd, ret;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	lfd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	ck_assert_int_ge(lfd, 0);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(lfd, 0), 0);
	/* The backlog takes one (or, depending on the kernel, two) waiting clients. */
	ck_assert_int_eq(ksql_client_connect_timeout(path, 200, &c1), 0);
	ret = ksql_client_connect_timeout(path, 200, &c2);
	if (ret == 0)
		ret = ksql_client_connect_timeout(path, 200, &c3);
	ck_assert_int_eq(ret, -ETIMEDOUT);
	ksql_client_close(c1);
	ksql_client_close(c2);
	ksql_client_close(c3);
	close(lfd);
	unlink(path);
}
END_TEST

/* A group other than ours, or NULL (nothing to test with then). */
static const struct group *other_group(void)
{
	struct group *g;

	setgrent();
	while ((g = getgrent()))
		if (g->gr_gid != getegid())
			break;
	endgrent();
	return g;
}

START_TEST(socket_group)
{
	struct ksqld_control ctl;
	const struct group *g;
	char path[320];
	struct stat st;
	gid_t gid;

	/* Its own listener, without a pool: only the socket file matters here. */
	snprintf(path, sizeof(path), "%s/group/ksqld.sock", dir);
	ck_assert_int_eq(ksqld_control_open(&ctl, path, NULL, ""), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0660);
	ck_assert_uint_eq(st.st_gid, getegid());

	/* No such group: a clear refusal, the socket left as it was. */
	ck_assert_int_eq(ksqld_control_set_group(&ctl, "ksql-no-such-group"), -ENOENT);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_gid, getegid());
	ck_assert_uint_eq(st.st_mode & 0777, 0660);

	g = other_group();
	if (g && geteuid() == 0) {
		/* root may give it to any group; a reload may change it again. */
		gid = g->gr_gid;
		ck_assert_int_eq(ksqld_control_set_group(&ctl, g->gr_name), 0);
		ck_assert_int_eq(stat(path, &st), 0);
		ck_assert_uint_eq(st.st_gid, gid);
		ck_assert_uint_eq(st.st_mode & 0777, 0660);
		ck_assert_int_eq(ksqld_control_set_group(&ctl, NULL), 0);
		ck_assert_int_eq(stat(path, &st), 0);
		ck_assert_uint_eq(st.st_gid, getegid());
	} else if (g) {
		/* Not root and not a member: refused with EPERM (or allowed if a member). */
		int ret = ksqld_control_set_group(&ctl, g->gr_name);

		ck_assert(ret == 0 || ret == -EPERM);
	}
	ksqld_control_close(&ctl);
	ck_assert_int_eq(stat(path, &st), -1);

	/* A group that does not exist keeps ksqld from starting, with no socket left behind. */
	ck_assert_int_eq(ksqld_control_open(&ctl, path, NULL, "ksql-no-such-group"), -ENOENT);
	ck_assert_int_eq(stat(path, &st), -1);
	ksqld_control_close(&ctl);
}
END_TEST

/*
 * Issue 12 item 11: the socket's chown and chmod went through the path and
 * followed a symlink put there. ksqld changes only its own socket file:
 * a symlink (here to a file of mode 0600) or another file at the path is
 * refused and left alone.
 */
START_TEST(socket_mode_no_symlink)
{
	struct ksqld_control ctl;
	char target[320], lnk[320], sock[320];
	struct stat st;
	int fd;

	snprintf(target, sizeof(target), "%s/secret", dir);
	snprintf(lnk, sizeof(lnk), "%s/link.sock", dir);
	snprintf(sock, sizeof(sock), "%s/real/ksqld.sock", dir);
	fd = open(target, O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(chmod(target, 0600), 0);
	ck_assert_int_eq(symlink(target, lnk), 0);

	/* A socket that was bound, then its path replaced by a symlink. */
	ck_assert_int_eq(ksqld_control_open(&ctl, sock, NULL, ""), 0);
	ck_assert_int_eq(lstat(sock, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0660);
	ck_assert_int_eq(unlink(sock), 0);
	ck_assert_int_eq(symlink(target, sock), 0);
	ck_assert_int_eq(ksqld_control_set_group(&ctl, NULL), -EPERM);
	ck_assert_int_eq(stat(target, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	/* A regular file (a hard link, say) at the path: refused too. */
	ck_assert_int_eq(unlink(sock), 0);
	ck_assert_int_eq(link(target, sock), 0);
	ck_assert_int_eq(ksqld_control_set_group(&ctl, NULL), -EPERM);
	ck_assert_int_eq(stat(target, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(unlink(sock), 0);
	ksqld_control_close(&ctl);
}
END_TEST

/* The credentials of a client attached through a socketpair: ours. */
START_TEST(peer_credentials)
{
	struct ksqld_control_client cl = { .fd = -1 };
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	ck_assert_int_eq(ksqld_control_client_attach(&cl, sv[0]), 0);
	ck_assert(cl.has_cred);
	ck_assert_int_eq(cl.cred.pid, getpid());
	ck_assert_uint_eq(cl.cred.uid, geteuid());
	ck_assert_uint_eq(cl.cred.gid, getegid());
	ck_assert(ksqld_control_client_is_admin(&cl) == (geteuid() == 0));
	close(sv[0]);
	close(sv[1]);

	/* Unknown credentials (not a socket) are never an administrator. */
	ck_assert_int_lt(ksqld_control_client_attach(&cl, STDIN_FILENO), 0);
	ck_assert(!cl.has_cred);
	ck_assert(!ksqld_control_client_is_admin(&cl));
}
END_TEST

/*
 * As root: a socketpair made by a child that dropped to uid 65534 is
 * not an administrator; a user outside the socket's group cannot connect
 * (EACCES), and libksql says what to do about it.
 */
START_TEST(peer_not_root)
{
	struct ksqld_control_client cl = { .fd = -1 };
	int chan[2], status;
	struct msghdr mh = { 0 };
	char cbuf[CMSG_SPACE(sizeof(int))], byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct cmsghdr *cm;
	pid_t pid;
	int fd;

	if (geteuid() != 0)
		return;	/* cannot become another user */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, chan), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int sv[2];

		if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
		    setresuid(65534, 65534, 65534) < 0 ||
		    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0)
			_exit(3);
		/* Hand one end to the parent, as if it had accepted it. */
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &sv[0], sizeof(int));
		_exit(sendmsg(chan[1], &mh, 0) == 1 ? 0 : 4);
	}
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	ck_assert_int_eq(recvmsg(chan[0], &mh, 0), 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	cm = CMSG_FIRSTHDR(&mh);
	ck_assert_ptr_nonnull(cm);
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	ck_assert_int_eq(ksqld_control_client_attach(&cl, fd), 0);
	ck_assert_uint_eq(cl.cred.uid, 65534);
	ck_assert(!ksqld_control_client_is_admin(&cl));
	close(fd);
	close(chan[0]);
	close(chan[1]);
}
END_TEST

START_TEST(connect_error_sentences)
{
	char buf[512];

	ksql_connect_error_format(buf, sizeof(buf), "/run/ksql/ksqld.sock", -EACCES, "ksql",
				  S_IFSOCK | 0660, "alice");
	ck_assert_str_eq(buf, "permission denied on ksqld's control socket /run/ksql/ksqld.sock (group ksql, mode 0660): run as root or join the group: usermod -aG ksql alice, then log in again");
	ksql_connect_error_format(buf, sizeof(buf), "/s", -EPERM, "adm", 0660, NULL);
	ck_assert_str_eq(buf, "permission denied on ksqld's control socket /s (group adm, mode 0660): run as root or join the group: usermod -aG adm USER, then log in again");
	/* The group could not be read (a directory on the way is closed). */
	ksql_connect_error_format(buf, sizeof(buf), "/s", -EACCES, NULL, 0, "bob");
	ck_assert_str_eq(buf, "permission denied on ksqld's control socket /s: run as root or join ksqld's group (ls -l /s shows it), then log in again");
	ksql_connect_error_format(buf, sizeof(buf), "/run/ksql/ksqld.sock", -ENOENT, NULL, 0, NULL);
	ck_assert_str_eq(buf, "ksqld is not running (no control socket at /run/ksql/ksqld.sock); start it: systemctl start ksqld");
	ksql_connect_error_format(buf, sizeof(buf), "/run/ksql/ksqld.sock", -ECONNREFUSED, "ksql",
				  S_IFSOCK | 0660, NULL);
	ck_assert_str_eq(buf, "ksqld is not running (nobody listens on the control socket /run/ksql/ksqld.sock); start it: systemctl start ksqld");
	ksql_connect_error_format(buf, sizeof(buf), "/tmp", -ECONNREFUSED, "root", S_IFDIR | 01777, NULL);
	ck_assert_str_eq(buf, "/tmp is not a socket; ksqld's control socket is /run/ksql/ksqld.sock by default (--socket PATH)");
	ksql_connect_error_format(buf, sizeof(buf), "/s", -ETIMEDOUT, NULL, 0, NULL);
	ck_assert_str_eq(buf, "ksqld does not accept connections on /s (stopped or stuck); see: systemctl status ksqld");
	ksql_connect_error_format(buf, sizeof(buf), "/s", -EIO, NULL, 0, NULL);
	ck_assert_str_eq(buf, "cannot connect to ksqld's control socket /s: Input/output error");
	/* Always terminated, however small the buffer. */
	ck_assert_int_gt(ksql_connect_error_format(buf, 8, "/s", -ENOENT, NULL, 0, NULL), 8);
	ck_assert_str_eq(buf, "ksqld i");
	ck_assert_int_eq(ksql_client_describe_error(NULL, -ENOENT, NULL, 0), -EINVAL);
}
END_TEST

/* A socket file in dir with mode, bound and listening; returns the listener. */
static int listener(const char *path, mode_t mode)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_uint_lt(strlen(path), sizeof(sa.sun_path));
	memcpy(sa.sun_path, path, strlen(path) + 1);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
	return fd;
}

/* ksql_client_connect() in a child running as uid/gid 65534: its result. */
static int connect_as_nobody(const char *path)
{
	int status, p[2], ret = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct ksql_client *c = NULL;

		if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
		    setresuid(65534, 65534, 65534) < 0)
			_exit(3);
		ret = ksql_client_connect(path, &c);
		ksql_client_close(c);
		_exit(write(p[1], &ret, sizeof(ret)) == sizeof(ret) ? 0 : 4);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &ret, sizeof(ret)), sizeof(ret));
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return ret;
}

/*
 * A user outside the socket's group: connect() fails with EACCES and the
 * sentence names the group and the mode. (As root only; 0660 alone, not a
 * closed directory, is what refuses: the same user connects at 0666.)
 */
START_TEST(connect_refused_to_others)
{
	char path[320], buf[512], want[700];
	struct group *g;
	int fd;

	if (geteuid() != 0)
		return;
	ck_assert_int_eq(chmod(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/perm.sock", dir);
	fd = listener(path, 0660);
	if (connect_as_nobody(path) == 0 || access(dir, X_OK) != 0) {
		/* Some directory above is closed to uid 65534: nothing to learn here. */
		close(fd);
		return;
	}
	ck_assert_int_eq(connect_as_nobody(path), -EACCES);
	g = getgrgid(getegid());
	ck_assert_ptr_nonnull(g);
	ck_assert_int_gt(ksql_client_describe_error(path, -EACCES, buf, sizeof(buf)), 0);
	snprintf(want, sizeof(want), "permission denied on ksqld's control socket %s (group %s, mode 0660): run as root or join the group: usermod -aG %s ",
		 path, g->gr_name, g->gr_name);
	ck_assert_msg(strncmp(buf, want, strlen(want)) == 0, "got: %s", buf);
	ck_assert_int_eq(chmod(path, 0666), 0);
	ck_assert_int_eq(connect_as_nobody(path), 0);
	close(fd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("control");
	const struct test_case cases[] = {
		{ "ksql_client_query", client_query },
		{ "ksql_client_query large", client_large_result },
		{ "ksql_client_connect/errors", client_errors },
		{ "ksql_client_connect_timeout", client_connect_timeout },
	};
	const struct test_case serverless[] = {
		{ "ksqld_control_set_group", socket_group },
		{ "ksqld_control_set_group never follows a symlink", socket_mode_no_symlink },
		{ "ksqld_control_client_is_admin", peer_credentials },
		{ "ksqld_control_client_is_admin, uid 65534", peer_not_root },
		{ "ksql_connect_error_format", connect_error_sentences },
		{ "ksql_client_describe_error, uid 65534", connect_refused_to_others },
	};

	add_cases(s, cases, ARRAY_LEN(cases), setup, teardown);
	add_cases(s, serverless, ARRAY_LEN(serverless), setup_dir, teardown);
	return run_suite(s);
}
