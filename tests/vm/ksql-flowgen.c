// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksql-flowgen - open TCP connections and send UDP datagrams with known
 * ports, for the netflow sample's scenario (tests/vm/scenarios/49-*).
 *
 * busybox nc cannot choose its source port and has no UDP; the scenario
 * needs to know every flow exactly. One run makes COUNT flows of one kind
 * from ADDR:SPORT.. to ADDR:DPORT, in this one process:
 *   tcp  a listener on ADDR:DPORT; per flow a client bound to SPORT + i
 *        connects, sends a byte, the listener accepts and reads it, both
 *        close (the client first, so TIME_WAIT stays on its side)
 *   udp  a receiver on ADDR:DPORT; per flow a socket bound to SPORT + i
 *        sends one datagram, the receiver reads it
 * ADDR is an IPv4 or IPv6 literal (127.0.0.1, ::1). Prints "ok N".
 * Exit status 0 when every flow worked, 1 otherwise, 2 on bad usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PROG	"ksql-flowgen"
#define WAIT_MS	5000

static int fail(const char *what)
{
	fprintf(stderr, PROG ": %s: %s\n", what, strerror(errno));
	return -1;
}

/* Fill ss with ADDR:PORT; returns the address length, or 0. */
static socklen_t make_addr(const char *addr, unsigned int port,
			   struct sockaddr_storage *ss)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		return sizeof(*in4);
	}
	if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		return sizeof(*in6);
	}
	return 0;
}

/* A socket of TYPE bound to ADDR:PORT, or -1. */
static int bound_socket(const char *addr, unsigned int port, int type)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(addr, port, &ss);
	int one = 1, fd;

	fd = socket(ss.ss_family, type, 0);
	if (fd < 0)
		return fail("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		fail("bind");
		close(fd);
		return -1;
	}
	return fd;
}

static int readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, WAIT_MS) == 1 ? 0 : -1;
}

static int tcp_flow(int lfd, const char *addr, unsigned int dport,
		    unsigned int sport)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(addr, dport, &ss);
	char c = 'x';
	int fd, afd, rc = -1;

	fd = bound_socket(addr, sport, SOCK_STREAM);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
		fail("connect");
		goto out;
	}
	if (write(fd, &c, 1) != 1) {
		fail("write");
		goto out;
	}
	if (readable(lfd) < 0) {
		fprintf(stderr, PROG ": no connection to accept\n");
		goto out;
	}
	afd = accept(lfd, NULL, NULL);
	if (afd < 0) {
		fail("accept");
		goto out;
	}
	if (readable(afd) == 0 && read(afd, &c, 1) == 1)
		rc = 0;
	else
		fprintf(stderr, PROG ": the accepted connection got no byte\n");
	close(fd);
	fd = -1;
	close(afd);
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

static int udp_flow(int rfd, const char *addr, unsigned int dport,
		    unsigned int sport)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(addr, dport, &ss);
	char c = 'x';
	int fd, rc = -1;

	fd = bound_socket(addr, sport, SOCK_DGRAM);
	if (fd < 0)
		return -1;
	if (sendto(fd, &c, 1, 0, (struct sockaddr *)&ss, len) != 1)
		fail("sendto");
	else if (readable(rfd) < 0 || recv(rfd, &c, 1, 0) != 1)
		fprintf(stderr, PROG ": the datagram did not arrive\n");
	else
		rc = 0;
	close(fd);
	return rc;
}

static int parse_port(const char *s, unsigned int *port)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (end == s || *end || v == 0 || v > 65535)
		return -1;
	*port = (unsigned int)v;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int dport, sport, count, i, ok = 0;
	struct sockaddr_storage ss;
	int tcp, fd;

	if (argc != 6 || (strcmp(argv[1], "tcp") && strcmp(argv[1], "udp")) ||
	    !make_addr(argv[2], 1, &ss) || parse_port(argv[3], &dport) ||
	    parse_port(argv[4], &sport) || parse_port(argv[5], &count) ||
	    sport + count - 1 > 65535) {
		fprintf(stderr, "Usage: " PROG " tcp|udp ADDR DPORT SPORT COUNT\n");
		return 2;
	}
	tcp = strcmp(argv[1], "tcp") == 0;
	fd = bound_socket(argv[2], dport, tcp ? SOCK_STREAM : SOCK_DGRAM);
	if (fd < 0)
		return 1;
	if (tcp && listen(fd, (int)count) < 0) {
		fail("listen");
		return 1;
	}
	for (i = 0; i < count; i++) {
		if ((tcp ? tcp_flow : udp_flow)(fd, argv[2], dport, sport + i) == 0)
			ok++;
	}
	close(fd);
	printf("ok %u\n", ok);
	return ok == count ? 0 : 1;
}
