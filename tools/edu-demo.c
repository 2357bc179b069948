// SPDX-License-Identifier: GPL-2.0
/*
 * edu-demo - show an AF_EDU socket at work: open one, bind it, listen,
 * take a connection from a kernel TCP client, exchange a greeting, and
 * show what the kernel reports about it.  In the VM:
 * scripts/vm -- tools/edu-demo.
 *
 * Only the socket() call differs from a program written for AF_INET.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/edu.h>

static void show_file(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("  (cannot open %s: %s)\n", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f))
		printf("  %s", line);
	fclose(f);
}

static void die(const char *what)
{
	fprintf(stderr, "edu-demo: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(void)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
		.sin_port = 0,
	};
	socklen_t len = sizeof(addr);
	int fd, tcp, conn;
	char buf[64];
	ssize_t n;

	fd = socket(AF_EDU, SOCK_STREAM | SOCK_NONBLOCK, EDUPROTO_TCP);
	if (fd < 0)
		die("socket(AF_EDU, SOCK_STREAM, EDUPROTO_TCP)");
	printf("socket(AF_EDU, SOCK_STREAM, EDUPROTO_TCP) = %d\n", fd);

	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)))
		die("bind");
	if (listen(fd, 16))
		die("listen");
	if (getsockname(fd, (struct sockaddr *)&addr, &len))
		die("getsockname");
	printf("listening on %s:%u\n", inet_ntoa(addr.sin_addr),
	       ntohs(addr.sin_port));

	if (accept(fd, NULL, NULL) < 0)
		printf("accept() on the empty queue: %s (as TCP says)\n",
		       strerror(errno));

	/* The port is held against kernel TCP too: one port space. */
	tcp = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	if (tcp < 0)
		die("socket(AF_INET)");
	if (bind(tcp, (struct sockaddr *)&addr, sizeof(addr)))
		printf("kernel TCP bind() to the same port: %s\n",
		       strerror(errno));

	/* A kernel TCP client talks to the AF_EDU server: real TCP. */
	if (connect(tcp, (struct sockaddr *)&addr, sizeof(addr)))
		die("connect");
	conn = accept(fd, NULL, NULL);
	if (conn < 0)
		die("accept");
	if (write(tcp, "hello, AF_EDU", 13) != 13)
		die("write");
	n = read(conn, buf, sizeof(buf) - 1);
	if (n < 0)
		die("read");
	buf[n] = '\0';
	printf("kernel TCP client -> AF_EDU server: \"%s\"\n", buf);
	if (write(conn, "hello, TCP", 10) != 10)
		die("write");
	n = read(tcp, buf, sizeof(buf) - 1);
	if (n < 0)
		die("read");
	buf[n] = '\0';
	printf("AF_EDU server -> kernel TCP client: \"%s\"\n", buf);

	printf("/proc/net/edu:\n");
	show_file("/proc/net/edu");
	printf("/sys/kernel/edu/objects: sockets ");
	fflush(stdout);
	show_file("/sys/kernel/edu/objects/sockets");
	printf("/proc/net/edu_snmp:\n");
	show_file("/proc/net/edu_snmp");
	close(conn);
	close(tcp);
	close(fd);
	return 0;
}
