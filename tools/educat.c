// SPDX-License-Identifier: GPL-2.0
/*
 * educat - netcat for AF_EDU: connect to (or listen for) one TCP peer and
 * copy stdin to the connection and the connection to stdout, until both
 * directions reach end of file.
 *
 *	educat HOST PORT	connect with AF_EDU
 *	educat -l [HOST] PORT	listen with AF_EDU, serve one connection
 *	educat -k ...		the same with kernel TCP (AF_INET), to compare
 *
 * Half-close is passed through: end of file on stdin becomes
 * shutdown(SHUT_WR), the peer's FIN becomes end of file on stdout.
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

#include <linux/edu.h>

static void die(const char *what)
{
	fprintf(stderr, "educat: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int write_all(int fd, const char *buf, ssize_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

/* Copy both ways until stdin and the connection have both ended. */
static void relay(int sock)
{
	struct pollfd pfd[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = sock, .events = POLLIN },
	};
	static char buf[1 << 16];

	while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
		ssize_t n;
		int i;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		for (i = 0; i < 2; i++) {
			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			n = read(pfd[i].fd, buf, sizeof(buf));
			if (n < 0)
				die(i ? "read from the connection" : "read stdin");
			if (n == 0) {
				if (i == 0 && shutdown(sock, SHUT_WR))
					die("shutdown");
				pfd[i].fd = -1;
				continue;
			}
			if (write_all(i ? STDOUT_FILENO : sock, buf, n))
				die(i ? "write stdout" : "write to the connection");
		}
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int family = AF_EDU, proto = EDUPROTO_TCP;
	int listening = 0, opt, fd, one = 1;

	while ((opt = getopt(argc, argv, "lk")) != -1) {
		switch (opt) {
		case 'l':
			listening = 1;
			break;
		case 'k':
			family = AF_INET;
			proto = IPPROTO_TCP;
			break;
		default:
			goto usage;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 2) {
		if (inet_pton(AF_INET, argv[0], &sin.sin_addr) != 1)
			goto usage;
		sin.sin_port = htons(atoi(argv[1]));
	} else if (argc == 1 && listening) {
		sin.sin_port = htons(atoi(argv[0]));
	} else {
		goto usage;
	}

	fd = socket(family, SOCK_STREAM, proto);
	if (fd < 0)
		die("socket");
	if (!listening) {
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
			die("connect");
		relay(fd);
		return 0;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(fd, 1))
		die("listen");
	opt = accept(fd, NULL, NULL);
	if (opt < 0)
		die("accept");
	close(fd);
	relay(opt);
	return 0;

usage:
	fprintf(stderr, "usage: educat [-k] HOST PORT | educat -l [-k] [HOST] PORT\n");
	return 2;
}
