// SPDX-License-Identifier: GPL-2.0
/*
 * bind_test.c - bind(), listen() and getsockname() of AF_EDU, and the port
 * space AF_EDU shares with kernel TCP.
 *
 * Where AF_EDU must behave as kernel TCP does, a case runs the same steps
 * on kernel TCP first, so the expectation is checked against the running
 * kernel rather than only written down.
 */
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "edu_test.h"

/* A port free in this (fresh) namespace; the case fails if there is none. */
#define FREE_PORT(p) ASSERT_LT(0, ((p) = edu_free_port()))

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* ------------------------------------------------------- bad arguments -- */

TEST_F(edu, bind__short_addrlen)
{
	struct sockaddr_in sin = edu_sin("127.0.0.1", 0);
	int fd = edu_open(0);
	int len;

	ASSERT_LE(0, fd);
	for (len = 0; len < (int)sizeof(sin); len++)
		ASSERT_ERRNO(EINVAL, bind(fd, (struct sockaddr *)&sin, len));
	/* Nothing was bound by the failures. */
	ASSERT_COUNTS(1, 0);
	ASSERT_EQ(0, edu_local_port(fd));
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_COUNTS(1, 1);
}

TEST_F(edu, bind__long_addrlen)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	memset(&ss, 0, sizeof(ss));
	*sin = edu_sin("127.0.0.1", 0);
	/* More than sockaddr_storage: refused by the syscall layer. */
	ASSERT_ERRNO(EINVAL, bind(fd, (struct sockaddr *)&ss, sizeof(ss) + 1));
	ASSERT_ERRNO(EINVAL, bind(fd, (struct sockaddr *)&ss, -1));
	ASSERT_COUNTS(1, 0);
	/* Longer than sockaddr_in but within sockaddr_storage is fine. */
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&ss, sizeof(ss)));
	ASSERT_COUNTS(1, 1);
}

TEST_F(edu, bind__bad_pointer)
{
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_ERRNO(EFAULT, bind(fd, NULL, sizeof(struct sockaddr_in)));
	ASSERT_ERRNO(EFAULT, bind(fd, (struct sockaddr *)1,
				  sizeof(struct sockaddr_in)));
	/* Nothing to copy, then too short. */
	ASSERT_ERRNO(EINVAL, bind(fd, NULL, 0));
	ASSERT_COUNTS(1, 0);
}

TEST_F(edu, bind__wrong_family)
{
	static const int families[] = {
		AF_INET6, AF_UNIX, AF_EDU, AF_PACKET, AF_NETLINK, 0xffff,
	};
	struct sockaddr_in6 sin6;
	struct sockaddr_in sin;
	unsigned int i;
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	ASSERT_ERRNO(EAFNOSUPPORT, bind(fd, (struct sockaddr *)&sin6,
					sizeof(sin6)));
	for (i = 0; i < ARRAY_SIZE(families); i++) {
		sin = edu_sin("127.0.0.1", 0);
		sin.sin_family = families[i];
		ASSERT_ERRNO(EAFNOSUPPORT, bind(fd, (struct sockaddr *)&sin,
						sizeof(sin)));
		sin.sin_addr.s_addr = htonl(INADDR_ANY);
		ASSERT_ERRNO(EAFNOSUPPORT, bind(fd, (struct sockaddr *)&sin,
						sizeof(sin)));
	}
	ASSERT_COUNTS(1, 0);
}

TEST_F(edu, bind__af_unspec)
{
	struct sockaddr_in sin = edu_sin("127.0.0.1", 0);
	socklen_t len = sizeof(sin);
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	/* AF_UNSPEC is accepted only with INADDR_ANY, as in inet_bind(). */
	sin.sin_family = AF_UNSPEC;
	ASSERT_ERRNO(EAFNOSUPPORT, bind(fd, (struct sockaddr *)&sin,
					sizeof(sin)));
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_COUNTS(1, 1);
	memset(&sin, 0, sizeof(sin));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&sin, &len));
	ASSERT_EQ(AF_INET, sin.sin_family);
	ASSERT_EQ(htonl(INADDR_ANY), sin.sin_addr.s_addr);
	ASSERT_NE(0, sin.sin_port);
}

TEST_F(edu, bind__twice)
{
	int fd = edu_open(0);
	int port;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, edu_bind_to(fd, "127.0.0.1", 0));
	port = edu_local_port(fd);
	ASSERT_ERRNO(EINVAL, edu_bind_to(fd, "127.0.0.1", 0));
	ASSERT_ERRNO(EINVAL, edu_bind_to(fd, "0.0.0.0", port + 1));
	ASSERT_ERRNO(EINVAL, edu_bind_to(fd, "127.0.0.1", port));
	ASSERT_EQ(port, edu_local_port(fd));
	ASSERT_EQ(0, listen(fd, 1));
	ASSERT_ERRNO(EINVAL, edu_bind_to(fd, "127.0.0.1", 0));
	ASSERT_COUNTS(1, 1);
}

TEST_F(edu, bind__nonlocal_address)
{
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_ERRNO(EADDRNOTAVAIL, edu_bind_to(fd, "192.0.2.1", 0));
	ASSERT_ERRNO(EADDRNOTAVAIL, edu_bind_to(fd, "198.51.100.7", 4242));
	/* The failed binds hold nothing, and the socket can still bind. */
	ASSERT_COUNTS(1, 0);
	ASSERT_EQ(0, edu_local_port(fd));
	ASSERT_EQ(0, edu_bind_to(fd, "127.0.0.1", 0));
	ASSERT_COUNTS(1, 1);
}

/* ---------------------------------------------------------- getsockname -- */

TEST_F(edu, getsockname__bound)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	socklen_t len = sizeof(ss);
	int fd = edu_open(0);
	int port;

	ASSERT_LE(0, fd);
	FREE_PORT(port);
	ASSERT_EQ(0, edu_bind_to(fd, "127.0.0.5", port));
	memset(&ss, 0xa5, sizeof(ss));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&ss, &len));
	ASSERT_EQ(sizeof(struct sockaddr_in), len);
	ASSERT_EQ(AF_INET, sin->sin_family);
	ASSERT_EQ(htons(port), sin->sin_port);
	ASSERT_EQ(htonl(0x7f000005), sin->sin_addr.s_addr);
	/* sin_zero is cleared, not left as it was. */
	ASSERT_EQ(0, memcmp(sin->sin_zero, "\0\0\0\0\0\0\0\0", 8));
}

/* ------------------------------------------------------------ ephemeral -- */

TEST_F(edu, bind__ephemeral_port)
{
	int lo, hi, port, fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, edu_bind_to(fd, "0.0.0.0", 0));
	port = edu_local_port(fd);
	edu_local_port_range(&lo, &hi);
	ASSERT_LE(lo, port);
	ASSERT_GE(hi, port);
	ASSERT_COUNTS(1, 1);
	/* Kernel TCP cannot take the port while AF_EDU holds it. */
	ASSERT_ERRNO(EADDRINUSE, edu_tcp_bound("0.0.0.0", port, false));
	ASSERT_ERRNO(EADDRINUSE, edu_tcp_bound("127.0.0.1", port, true));
	ASSERT_EQ(0, edu_close(fd));
	ASSERT_COUNTS(0, 0);
	fd = edu_track(edu_tcp_bound("0.0.0.0", port, false));
	ASSERT_LE(0, fd) TH_LOG("port %d not free after close: %s", port,
				strerror(errno));
}

/*
 * With ip_local_port_range shrunk to two ports, two AF_EDU sockets take
 * both and kernel TCP finds no ephemeral port left; closing one frees it.
 */
TEST_F(edu, bind__ephemeral_shared_with_kernel_tcp)
{
	char range[32];
	int port, a, b, p1, p2, tcp;

	FREE_PORT(port);
	if (port & 1)
		port--;
	snprintf(range, sizeof(range), "%d %d", port, port + 1);
	ASSERT_EQ(0, write_file("/proc/sys/net/ipv4/ip_local_port_range",
				range));
	a = edu_open(0);
	b = edu_open(0);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, edu_bind_to(a, "0.0.0.0", 0)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, listen(b, 1)) TH_LOG("%s", strerror(errno));
	p1 = edu_local_port(a);
	p2 = edu_local_port(b);
	ASSERT_NE(p1, p2);
	ASSERT_TRUE(p1 == port || p1 == port + 1);
	ASSERT_TRUE(p2 == port || p2 == port + 1);
	ASSERT_COUNTS(2, 2);

	ASSERT_ERRNO(EADDRINUSE, edu_tcp_bound("0.0.0.0", 0, false));
	ASSERT_ERRNO(EADDRINUSE, edu_bind_to(edu_open(0), "0.0.0.0", 0));

	ASSERT_EQ(0, edu_close(a));
	tcp = edu_track(edu_tcp_bound("0.0.0.0", 0, false));
	ASSERT_LE(0, tcp);
	ASSERT_EQ(p1, edu_local_port(tcp));
	ASSERT_COUNTS(2, 1);
}

TEST_F(edu, bind__ephemeral_distinct)
{
	int fds[8], ports[8], i, j;

	for (i = 0; i < 8; i++) {
		fds[i] = edu_open(0);
		ASSERT_LE(0, fds[i]);
		ASSERT_EQ(0, edu_bind_to(fds[i], i & 1 ? "127.0.0.1" : "0.0.0.0",
					 0));
		ports[i] = edu_local_port(fds[i]);
		for (j = 0; j < i; j++)
			ASSERT_NE(ports[j], ports[i]);
	}
	ASSERT_COUNTS(8, 8);
}

/* ----------------------------------------------------- privileged ports -- */

TEST_F(edu, bind__privileged_port_root)
{
	int fd = edu_open(0);
	int port = edu_free_privileged_port();

	ASSERT_LE(0, fd);
	ASSERT_LT(0, port);
	ASSERT_EQ(0, edu_bind_to(fd, "0.0.0.0", port)) TH_LOG("%s",
							      strerror(errno));
	ASSERT_EQ(port, edu_local_port(fd));
	ASSERT_COUNTS(1, 1);
}

TEST_F(edu, bind__privileged_port_unprivileged)
{
	int fd, port = edu_free_privileged_port();
	int high;

	ASSERT_LT(0, port);
	FREE_PORT(high);
	ASSERT_LE(edu_unprivileged_port_start(), high);
	ASSERT_EQ(0, edu_drop_privs());

	fd = edu_open(0);
	ASSERT_LE(0, fd);
	ASSERT_ERRNO(EACCES, edu_bind_to(fd, "0.0.0.0", port));
	ASSERT_ERRNO(EACCES, edu_bind_to(fd, "127.0.0.1", 1));
	ASSERT_ERRNO(EACCES, edu_bind_to(fd, "127.0.0.1",
					 edu_unprivileged_port_start() - 1));
	ASSERT_COUNTS(1, 0);
	/* Unprivileged ports and ephemeral ports are fine. */
	ASSERT_EQ(0, edu_bind_to(fd, "0.0.0.0", high));
	ASSERT_EQ(0, edu_bind_to(edu_open(0), "127.0.0.1", 0));
	ASSERT_COUNTS(2, 2);
}

/* The limit is the namespace's ip_unprivileged_port_start, not 1024. */
TEST_F(edu, bind__privileged_port_sysctl)
{
	char buf[16];
	int fd, port = edu_free_privileged_port();

	ASSERT_LT(0, port);
	snprintf(buf, sizeof(buf), "%d", port);
	ASSERT_EQ(0, write_file("/proc/sys/net/ipv4/ip_unprivileged_port_start",
				buf));
	ASSERT_EQ(0, edu_drop_privs());
	fd = edu_open(0);
	ASSERT_LE(0, fd);
	ASSERT_ERRNO(EACCES, edu_bind_to(fd, "0.0.0.0", port - 1));
	ASSERT_EQ(0, edu_bind_to(fd, "0.0.0.0", port));
	ASSERT_COUNTS(1, 1);
}

static int set_caps(__u32 effective, __u32 permitted)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	data[0].effective = effective;
	data[0].permitted = permitted;
	return syscall(SYS_capset, &hdr, data);
}

/* What counts is CAP_NET_BIND_SERVICE, not the uid. */
TEST_F(edu, bind__privileged_port_capability)
{
	int fd, port = edu_free_privileged_port();

	ASSERT_LT(0, port);
	/* Root without the capability is refused. */
	ASSERT_EQ(0, set_caps(1u << CAP_SETUID | 1u << CAP_SETGID,
			      1u << CAP_SETUID | 1u << CAP_SETGID |
			      1u << CAP_NET_BIND_SERVICE));
	fd = edu_open(0);
	ASSERT_LE(0, fd);
	ASSERT_ERRNO(EACCES, edu_bind_to(fd, "0.0.0.0", port));

	/* Nobody with the capability may bind. */
	ASSERT_EQ(0, prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	ASSERT_EQ(0, edu_drop_privs());
	ASSERT_NE(0U, geteuid());
	ASSERT_EQ(0, set_caps(1u << CAP_NET_BIND_SERVICE,
			      1u << CAP_NET_BIND_SERVICE));
	ASSERT_EQ(0, edu_bind_to(fd, "0.0.0.0", port)) TH_LOG("%s",
							      strerror(errno));
	ASSERT_COUNTS(1, 1);
}

/* ------------------------------------------- conflicts between AF_EDU -- */

TEST_F(edu, bind__port_in_use)
{
	int a = edu_open(0), b = edu_open(0);
	int port;

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	FREE_PORT(port);
	ASSERT_EQ(0, edu_bind_to(a, "127.0.0.1", port));
	ASSERT_ERRNO(EADDRINUSE, edu_bind_to(b, "127.0.0.1", port));
	ASSERT_ERRNO(EADDRINUSE, edu_bind_to(b, "0.0.0.0", port));
	ASSERT_COUNTS(2, 1);
	/* Still unbound after the failures: it can bind elsewhere. */
	ASSERT_EQ(0, edu_local_port(b));
	ASSERT_EQ(0, edu_bind_to(b, "127.0.0.1", 0));
	ASSERT_COUNTS(2, 2);
	/* Once a is closed its port is free again. */
	ASSERT_EQ(0, edu_close(a));
	ASSERT_EQ(0, edu_bind_to(edu_open(0), "127.0.0.1", port));
}

TEST_F(edu, bind__different_addresses)
{
	int a = edu_open(0), b = edu_open(0), c = edu_open(0);
	int port;

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_LE(0, c);
	FREE_PORT(port);
	/* All of 127/8 is local; distinct addresses do not clash. */
	ASSERT_EQ(0, edu_bind_to(a, "127.0.0.1", port));
	ASSERT_EQ(0, edu_bind_to(b, "127.0.0.2", port));
	/* The wildcard clashes with each of them. */
	ASSERT_ERRNO(EADDRINUSE, edu_bind_to(c, "0.0.0.0", port));
	ASSERT_COUNTS(3, 2);
}

TEST_F(edu, bind__wildcard_then_specific)
{
	int a = edu_open(0), b = edu_open(0);
	int port;

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	FREE_PORT(port);
	ASSERT_EQ(0, edu_bind_to(a, "0.0.0.0", port));
	ASSERT_ERRNO(EADDRINUSE, edu_bind_to(b, "127.0.0.1", port));
	ASSERT_ERRNO(EADDRINUSE, edu_bind_to(b, "127.0.0.2", port));
	ASSERT_COUNTS(2, 1);
}

TEST_F(edu, bind__reuseaddr_both)
{
	int a = edu_open(0), b = edu_open(0), c = edu_open(0), d = edu_open(0);
	int port;

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_LE(0, c);
	ASSERT_LE(0, d);
	FREE_PORT(port);
	ASSERT_EQ(0, edu_set_int(a, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, edu_set_int(b, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, edu_set_int(c, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, edu_bind_to(a, "127.0.0.1", port));
	ASSERT_EQ(0, edu_bind_to(b, "127.0.0.1", port)) TH_LOG("%s",
							       strerror(errno));
	/* Wildcard and specific share too, when all set SO_REUSEADDR. */
	ASSERT_EQ(0, edu_bind_to(c, "0.0.0.0", port));
	ASSERT_COUNTS(4, 3);
	/* A socket without SO_REUSEADDR cannot join them. */
	ASSERT_ERRNO(EADDRINUSE, edu_bind_to(d, "127.0.0.1", port));
	ASSERT_COUNTS(4, 3);
}

TEST_F(edu, bind__reuseaddr_one_side)
{
	int a = edu_open(0), b = edu_open(0), c = edu_open(0);
	int port;

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_LE(0, c);
	FREE_PORT(port);
	/* First without, second with. */
	ASSERT_EQ(0, edu_bind_to(a, "127.0.0.1", port));
	ASSERT_EQ(0, edu_set_int(b, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_ERRNO(EADDRINUSE, edu_bind_to(b, "127.0.0.1", port));
	ASSERT_EQ(0, edu_close(a));
	/* First with, second without. */
	ASSERT_EQ(0, edu_bind_to(b, "127.0.0.1", port));
	ASSERT_ERRNO(EADDRINUSE, edu_bind_to(c, "127.0.0.1", port));
	ASSERT_COUNTS(2, 1);
}

/*
 * SO_REUSEADDR does not share a port with a listener; once the listener
 * stops listening (and stays bound), it shares again.  Checked on kernel
 * TCP first.
 */
static void reuse_listener(struct __test_metadata *_metadata,
			   struct _test_data_edu *self, int family, int proto)
{
	int a = edu_track(socket(family, SOCK_STREAM, proto));
	int b = edu_track(socket(family, SOCK_STREAM, proto));
	int c = edu_track(socket(family, SOCK_STREAM, proto));
	int port;

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_LE(0, c);
	FREE_PORT(port);
	ASSERT_EQ(0, edu_set_int(a, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, edu_set_int(b, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, edu_set_int(c, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, edu_bind_to(a, "127.0.0.1", port));
	ASSERT_EQ(0, listen(a, 1));
	ASSERT_ERRNO(EADDRINUSE, edu_bind_to(b, "127.0.0.1", port));
	ASSERT_ERRNO(EADDRINUSE, edu_bind_to(c, "0.0.0.0", port));
	ASSERT_EQ(0, shutdown(a, SHUT_RD));
	ASSERT_EQ(port, edu_local_port(a));
	ASSERT_EQ(0, edu_bind_to(b, "127.0.0.1", port))
		TH_LOG("family %d: bind() next to a former listener: %s",
		       family, strerror(errno));
	ASSERT_EQ(0, __edu_close(self, a));
	ASSERT_EQ(0, __edu_close(self, b));
	ASSERT_EQ(0, __edu_close(self, c));
}

TEST_F(edu, bind__reuseaddr_listener)
{
	reuse_listener(_metadata, self, AF_INET, 0);
	reuse_listener(_metadata, self, AF_EDU, EDUPROTO_TCP);
	ASSERT_COUNTS(0, 0);
}

/*
 * Two sockets bound to one port with SO_REUSEADDR: the first to listen()
 * gets the port, the second's listen() fails with EADDRINUSE and leaves it
 * bound.  Checked on kernel TCP first.
 */
static void reuse_listen_race(struct __test_metadata *_metadata,
			      struct _test_data_edu *self, int family, int proto)
{
	int a = edu_track(socket(family, SOCK_STREAM, proto));
	int b = edu_track(socket(family, SOCK_STREAM, proto));
	int port;

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	FREE_PORT(port);
	ASSERT_EQ(0, edu_set_int(a, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, edu_set_int(b, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, edu_bind_to(a, "127.0.0.1", port));
	ASSERT_EQ(0, edu_bind_to(b, "127.0.0.1", port));
	ASSERT_EQ(0, listen(a, 1)) TH_LOG("family %d: first listen(): %s",
					  family, strerror(errno));
	ASSERT_ERRNO(EADDRINUSE, listen(b, 1));
	ASSERT_EQ(port, edu_local_port(b));
	/* When the listener goes, the second may listen. */
	ASSERT_EQ(0, __edu_close(self, a));
	ASSERT_EQ(0, listen(b, 1)) TH_LOG("family %d: listen() after close: %s",
					  family, strerror(errno));
	ASSERT_EQ(0, __edu_close(self, b));
}

TEST_F(edu, listen__reuseaddr_first_wins)
{
	reuse_listen_race(_metadata, self, AF_INET, 0);
	ASSERT_COUNTS(0, 0);
	reuse_listen_race(_metadata, self, AF_EDU, EDUPROTO_TCP);
	ASSERT_COUNTS(0, 0);
}

/* ------------------------------------- the port space of kernel TCP -- */

TEST_F(edu, bind__port_held_by_kernel_tcp)
{
	int fd = edu_open(0);
	int port, tcp;

	ASSERT_LE(0, fd);
	FREE_PORT(port);
	tcp = edu_tcp_bound("0.0.0.0", port, false);
	ASSERT_LE(0, tcp);
	edu_track(tcp);
	ASSERT_ERRNO(EADDRINUSE, edu_bind_to(fd, "0.0.0.0", port));
	ASSERT_ERRNO(EADDRINUSE, edu_bind_to(fd, "127.0.0.1", port));
	ASSERT_COUNTS(1, 0);
	/* Freed by kernel TCP, the port is ours to take. */
	ASSERT_EQ(0, edu_close(tcp));
	ASSERT_EQ(0, edu_bind_to(fd, "0.0.0.0", port)) TH_LOG("%s",
							      strerror(errno));
	ASSERT_COUNTS(1, 1);
}

TEST_F(edu, bind__port_held_by_kernel_tcp_listener)
{
	int fd = edu_open(0);
	int port, tcp;

	ASSERT_LE(0, fd);
	FREE_PORT(port);
	tcp = edu_track(edu_tcp_bound("127.0.0.1", port, true));
	ASSERT_LE(0, tcp);
	ASSERT_EQ(0, listen(tcp, 1));
	ASSERT_EQ(0, edu_set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_ERRNO(EADDRINUSE, edu_bind_to(fd, "127.0.0.1", port));
	ASSERT_ERRNO(EADDRINUSE, edu_bind_to(fd, "0.0.0.0", port));
	/* Another address on the same port is free. */
	ASSERT_EQ(0, edu_bind_to(fd, "127.0.0.2", port));
	ASSERT_COUNTS(1, 1);
}

TEST_F(edu, bind__port_held_by_edu)
{
	int fd = edu_open(0);
	int port, tcp;

	ASSERT_LE(0, fd);
	FREE_PORT(port);
	ASSERT_EQ(0, edu_bind_to(fd, "0.0.0.0", port));
	ASSERT_ERRNO(EADDRINUSE, edu_tcp_bound("0.0.0.0", port, false));
	ASSERT_ERRNO(EADDRINUSE, edu_tcp_bound("127.0.0.1", port, false));
	ASSERT_ERRNO(EADDRINUSE, edu_tcp_bound("127.0.0.1", port, true));
	ASSERT_EQ(0, edu_close(fd));
	ASSERT_COUNTS(0, 0);
	tcp = edu_track(edu_tcp_bound("0.0.0.0", port, false));
	ASSERT_LE(0, tcp) TH_LOG("port not free after close: %s",
				 strerror(errno));
}

TEST_F(edu, bind__specific_address_held_by_edu)
{
	int fd = edu_open(0);
	int port;

	ASSERT_LE(0, fd);
	FREE_PORT(port);
	ASSERT_EQ(0, edu_bind_to(fd, "127.0.0.1", port));
	ASSERT_ERRNO(EADDRINUSE, edu_tcp_bound("127.0.0.1", port, false));
	ASSERT_ERRNO(EADDRINUSE, edu_tcp_bound("0.0.0.0", port, false));
	ASSERT_LE(0, edu_track(edu_tcp_bound("127.0.0.2", port, false)));
}

TEST_F(edu, bind__edu_listener_reuseaddr_vs_kernel_tcp)
{
	int fd = edu_open(0);
	int port, tcp;

	ASSERT_LE(0, fd);
	FREE_PORT(port);
	ASSERT_EQ(0, edu_set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, edu_bind_to(fd, "127.0.0.1", port));
	ASSERT_EQ(0, listen(fd, 1));
	ASSERT_COUNTS(1, 1);
	ASSERT_ERRNO(EADDRINUSE, edu_tcp_bound("127.0.0.1", port, true));
	ASSERT_ERRNO(EADDRINUSE, edu_tcp_bound("0.0.0.0", port, true));
	ASSERT_EQ(0, edu_close(fd));
	ASSERT_COUNTS(0, 0);
	tcp = edu_track(edu_tcp_bound("127.0.0.1", port, true));
	ASSERT_LE(0, tcp);
}

TEST_F(edu, bind__reuseaddr_shared_with_kernel_tcp)
{
	int fd = edu_open(0), fd2 = edu_open(0);
	int port, tcp;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, fd2);
	FREE_PORT(port);
	/* Both with SO_REUSEADDR, neither listening: they share. */
	ASSERT_EQ(0, edu_set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, edu_bind_to(fd, "127.0.0.1", port));
	tcp = edu_track(edu_tcp_bound("127.0.0.1", port, true));
	ASSERT_LE(0, tcp) TH_LOG("%s", strerror(errno));
	/* Kernel TCP listens first: AF_EDU cannot listen any more... */
	ASSERT_EQ(0, listen(tcp, 1));
	ASSERT_ERRNO(EADDRINUSE, listen(fd, 1));
	/* ...nor bind the port again, even with SO_REUSEADDR. */
	ASSERT_EQ(0, edu_set_int(fd2, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_ERRNO(EADDRINUSE, edu_bind_to(fd2, "127.0.0.1", port));
}

/* --------------------------------------------------------------- listen -- */

TEST_F(edu, listen__autobind)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int lo, hi, port, fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_COUNTS(1, 0);
	ASSERT_EQ(0, listen(fd, 5));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&sin, &len));
	ASSERT_EQ(AF_INET, sin.sin_family);
	ASSERT_EQ(htonl(INADDR_ANY), sin.sin_addr.s_addr);
	port = ntohs(sin.sin_port);
	edu_local_port_range(&lo, &hi);
	ASSERT_LE(lo, port);
	ASSERT_GE(hi, port);
	ASSERT_COUNTS(1, 1);
	ASSERT_ERRNO(EADDRINUSE, edu_tcp_bound("127.0.0.1", port, true));
}

TEST_F(edu, listen__twice)
{
	int fd = edu_open(0);
	int port;

	ASSERT_LE(0, fd);
	FREE_PORT(port);
	ASSERT_EQ(0, edu_bind_to(fd, "127.0.0.1", port));
	ASSERT_EQ(0, listen(fd, 1));
	/* A second listen() only changes the backlog. */
	ASSERT_EQ(0, listen(fd, 128));
	ASSERT_EQ(0, listen(fd, 0));
	ASSERT_EQ(0, listen(fd, -1));
	ASSERT_EQ(port, edu_local_port(fd));
	ASSERT_COUNTS(1, 1);
}

TEST_F(edu, listen__again_after_shutdown)
{
	int fd = edu_open(SOCK_NONBLOCK);
	int port;

	ASSERT_LE(0, fd);
	FREE_PORT(port);
	ASSERT_EQ(0, edu_bind_to(fd, "127.0.0.1", port));
	ASSERT_EQ(0, listen(fd, 1));
	ASSERT_EQ(0, shutdown(fd, SHUT_RDWR));
	ASSERT_ERRNO(EINVAL, accept(fd, NULL, NULL));
	ASSERT_EQ(0, listen(fd, 1));
	ASSERT_ERRNO(EAGAIN, accept(fd, NULL, NULL));
	ASSERT_EQ(port, edu_local_port(fd));
	ASSERT_COUNTS(1, 1);
}

TEST_F(edu, listen__many_sockets)
{
	int i, fd;

	for (i = 0; i < 32; i++) {
		fd = edu_open(0);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, listen(fd, i));
	}
	ASSERT_COUNTS(32, 32);
	for (i = self->nfds - 1; i >= 0; i -= 2)
		ASSERT_EQ(0, edu_close(self->fds[i]));
	ASSERT_COUNTS(16, 16);
}

TEST_HARNESS_MAIN
