// SPDX-License-Identifier: GPL-2.0
/*
 * socket_test.c - AF_EDU socket creation, options, poll, and the calls that
 * need a connection (which must fail cleanly, with TCP's errno).
 */
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "edu_test.h"

TEST_F(edu, socket__stream_tcp)
{
	int fd = edu_open(0);

	ASSERT_LE(0, fd) TH_LOG("socket(AF_EDU): %s", strerror(errno));
	ASSERT_COUNTS(1, 0);
	ASSERT_LE(0, edu_open(0));
	ASSERT_COUNTS(2, 0);
	ASSERT_EQ(0, edu_close(fd));
	ASSERT_COUNTS(1, 0);
}

TEST_F(edu, socket__pf_edu_and_default_protocol)
{
	/* PF_EDU is AF_EDU, and protocol 0 is EDUPROTO_TCP. */
	ASSERT_EQ(AF_EDU, PF_EDU);
	ASSERT_EQ(0, EDUPROTO_TCP);
	ASSERT_LE(0, edu_track(socket(PF_EDU, SOCK_STREAM, 0)));
	ASSERT_COUNTS(1, 0);
}

TEST_F(edu, socket__unprivileged)
{
	int fd;

	ASSERT_EQ(0, edu_drop_privs());
	ASSERT_NE(0U, geteuid());
	fd = edu_open(0);
	ASSERT_LE(0, fd) TH_LOG("socket(AF_EDU) as nobody: %s",
				strerror(errno));
	ASSERT_COUNTS(1, 0);
}

TEST_F(edu, socket__other_types)
{
	static const int types[] = {
		SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET, SOCK_RDM, SOCK_DCCP,
		SOCK_PACKET,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		ASSERT_ERRNO(ESOCKTNOSUPPORT,
			     edu_track(socket(AF_EDU, types[i], EDUPROTO_TCP)));
		/* The type is checked first, as in inet_create(). */
		ASSERT_ERRNO(ESOCKTNOSUPPORT,
			     edu_track(socket(AF_EDU, types[i], 99)));
	}
	ASSERT_COUNTS(0, 0);
}

TEST_F(edu, socket__other_protocols)
{
	static const int protos[] = {
		EDUPROTO_TCP6, EDUPROTO_MAX, IPPROTO_TCP, 255, 256, -1,
		0x7fffffff,
	};
	unsigned int i;

	ASSERT_EQ(1, EDUPROTO_TCP6);
	for (i = 0; i < ARRAY_SIZE(protos); i++)
		ASSERT_ERRNO(EPROTONOSUPPORT,
			     edu_track(socket(AF_EDU, SOCK_STREAM, protos[i])));
	ASSERT_COUNTS(0, 0);
}

TEST_F(edu, socket__flags)
{
	int fd = edu_open(SOCK_NONBLOCK | SOCK_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_TRUE(fcntl(fd, F_GETFL) & O_NONBLOCK);
	ASSERT_TRUE(fcntl(fd, F_GETFD) & FD_CLOEXEC);

	fd = edu_open(0);
	ASSERT_LE(0, fd);
	ASSERT_FALSE(fcntl(fd, F_GETFL) & O_NONBLOCK);
	ASSERT_FALSE(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	ASSERT_COUNTS(2, 0);
}

TEST_F(edu, socketpair__unsupported)
{
	int sv[2] = { -1, -1 };

	ASSERT_ERRNO(EOPNOTSUPP, socketpair(AF_EDU, SOCK_STREAM, 0, sv));
	ASSERT_ERRNO(EOPNOTSUPP, socketpair(AF_EDU, SOCK_STREAM | SOCK_NONBLOCK,
					    EDUPROTO_TCP, sv));
	/* Both sockets socketpair() made were freed again. */
	ASSERT_COUNTS(0, 0);
}

/* ------------------------------------------------------------- getname -- */

TEST_F(edu, getsockname__unbound)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	socklen_t len = sizeof(ss);
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	memset(&ss, 0xa5, sizeof(ss));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&ss, &len));
	ASSERT_EQ(sizeof(struct sockaddr_in), len);
	ASSERT_EQ(AF_INET, sin->sin_family);
	ASSERT_EQ(0, sin->sin_port);
	ASSERT_EQ(htonl(INADDR_ANY), sin->sin_addr.s_addr);
}

TEST_F(edu, getsockname__bad_pointers)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_ERRNO(EFAULT, getsockname(fd, (struct sockaddr *)1, &len));
	ASSERT_ERRNO(EFAULT, getsockname(fd, (struct sockaddr *)&sin, NULL));
	len = -1;
	ASSERT_ERRNO(EINVAL, getsockname(fd, (struct sockaddr *)&sin, &len));
	/* A short buffer is filled as far as it goes; len says the full size. */
	len = 4;
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&sin, &len));
	ASSERT_EQ(sizeof(sin), len);
}

TEST_F(edu, getpeername__unconnected)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_ERRNO(ENOTCONN, getpeername(fd, (struct sockaddr *)&sin, &len));
	ASSERT_EQ(0, edu_bind_to(fd, "127.0.0.1", 0));
	ASSERT_ERRNO(ENOTCONN, getpeername(fd, (struct sockaddr *)&sin, &len));
	ASSERT_EQ(0, listen(fd, 1));
	ASSERT_ERRNO(ENOTCONN, getpeername(fd, (struct sockaddr *)&sin, &len));
}

/* ---------------------------------------------------- connection calls -- */

TEST_F(edu, connect__refused)
{
	struct sockaddr_in sin = edu_sin("127.0.0.1", 9);
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	/* No listener: kernel TCP answers the SYN with RST (3.10.7.1). */
	ASSERT_ERRNO(ECONNREFUSED, connect(fd, (struct sockaddr *)&sin,
					   sizeof(sin)));
	/* The attempt is over; the socket keeps its ephemeral port. */
	ASSERT_COUNTS(1, 1);
}

TEST_F(edu, connect__bad_input)
{
	struct sockaddr_in sin = edu_sin("127.0.0.1", 9);
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	/* As inet_stream_connect(): shorter than sa_family is EINVAL. */
	ASSERT_ERRNO(EINVAL, connect(fd, (struct sockaddr *)&sin, 1));
	ASSERT_ERRNO(EINVAL, connect(fd, (struct sockaddr *)&sin, 0));
	/* The syscall layer copies the address: EFAULT, EINVAL. */
	ASSERT_ERRNO(EFAULT, connect(fd, NULL, sizeof(sin)));
	ASSERT_ERRNO(EINVAL, connect(fd, (struct sockaddr *)&sin,
				     sizeof(struct sockaddr_storage) + 1));
}

/* Counted by a signal handler: accessed with __atomic only. */
static int sigpipes;

static int sigpipe_count(void)
{
	return __atomic_load_n(&sigpipes, __ATOMIC_SEQ_CST);
}

static void on_sigpipe(int sig)
{
	(void)sig;
	__atomic_add_fetch(&sigpipes, 1, __ATOMIC_SEQ_CST);
}

TEST_F(edu, send__unconnected)
{
	struct sockaddr_in sin = edu_sin("127.0.0.1", 9);
	char buf[16] = "hello";
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, on_sigpipe));
	__atomic_store_n(&sigpipes, 0, __ATOMIC_SEQ_CST);
	ASSERT_ERRNO(EPIPE, send(fd, buf, sizeof(buf), MSG_NOSIGNAL));
	ASSERT_ERRNO(EPIPE, sendto(fd, buf, sizeof(buf), MSG_NOSIGNAL,
				   (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_ERRNO(EPIPE, send(fd, buf, sizeof(buf),
				 MSG_NOSIGNAL | MSG_DONTWAIT));
	ASSERT_EQ(0, sigpipe_count()) TH_LOG("SIGPIPE despite MSG_NOSIGNAL");

	/* A listener cannot send either. */
	ASSERT_EQ(0, listen(fd, 1));
	ASSERT_ERRNO(EPIPE, send(fd, buf, sizeof(buf), MSG_NOSIGNAL));
	ASSERT_EQ(0, sigpipe_count());
	ASSERT_COUNTS(1, 1);
}

TEST_F(edu, write__sigpipe)
{
	char buf[16] = "hello";
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, on_sigpipe));
	__atomic_store_n(&sigpipes, 0, __ATOMIC_SEQ_CST);
	ASSERT_ERRNO(EPIPE, write(fd, buf, sizeof(buf)));
	ASSERT_EQ(1, sigpipe_count()) TH_LOG("write() did not raise SIGPIPE");
	ASSERT_ERRNO(EPIPE, send(fd, buf, sizeof(buf), 0));
	ASSERT_EQ(2, sigpipe_count()) TH_LOG("send() did not raise SIGPIPE");

	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	ASSERT_ERRNO(EPIPE, write(fd, buf, sizeof(buf)));
	ASSERT_EQ(2, sigpipe_count());
}

TEST_F(edu, write__sigpipe_kills)
{
	char buf[16] = "hello";
	int fd = edu_open(0);
	int status;
	pid_t pid;

	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		(void)!write(fd, buf, sizeof(buf));
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status)) TH_LOG("status %#x", status);
	ASSERT_EQ(SIGPIPE, WTERMSIG(status));
}

TEST_F(edu, recv__unconnected)
{
	char buf[16];
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_ERRNO(ENOTCONN, recv(fd, buf, sizeof(buf), 0));
	ASSERT_ERRNO(ENOTCONN, recv(fd, buf, sizeof(buf), MSG_DONTWAIT));
	ASSERT_ERRNO(ENOTCONN, recv(fd, buf, sizeof(buf), MSG_PEEK));
	ASSERT_ERRNO(ENOTCONN, read(fd, buf, sizeof(buf)));
	ASSERT_EQ(0, listen(fd, 1));
	ASSERT_ERRNO(ENOTCONN, recv(fd, buf, sizeof(buf), 0));
	ASSERT_ERRNO(ENOTCONN, read(fd, buf, sizeof(buf)));
}

TEST_F(edu, shutdown__unconnected)
{
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_ERRNO(ENOTCONN, shutdown(fd, SHUT_RD));
	ASSERT_ERRNO(ENOTCONN, shutdown(fd, SHUT_WR));
	ASSERT_ERRNO(ENOTCONN, shutdown(fd, SHUT_RDWR));
	ASSERT_EQ(0, edu_bind_to(fd, "127.0.0.1", 0));
	ASSERT_ERRNO(ENOTCONN, shutdown(fd, SHUT_RDWR));
}

TEST_F(edu, shutdown__bad_how)
{
	static const int hows[] = { 3, 7, -1, 0x7fffffff };
	unsigned int i;
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(hows); i++)
		ASSERT_ERRNO(EINVAL, shutdown(fd, hows[i]));
	ASSERT_EQ(0, listen(fd, 1));
	for (i = 0; i < ARRAY_SIZE(hows); i++)
		ASSERT_ERRNO(EINVAL, shutdown(fd, hows[i]));
}

/* ------------------------------------------------------------- options -- */

TEST_F(edu, sockopt__tcp_level)
{
	int one = 1, val;
	socklen_t len = sizeof(val);
	char info[256];
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	/* TCP_NODELAY (MUST-17) round-trips, as on kernel TCP. */
	ASSERT_EQ(0, getsockopt(fd, SOL_TCP, TCP_NODELAY, &val, &len));
	ASSERT_EQ(0, val);
	ASSERT_EQ(0, setsockopt(fd, SOL_TCP, TCP_NODELAY, &one, sizeof(one)));
	ASSERT_EQ(0, getsockopt(fd, SOL_TCP, TCP_NODELAY, &val, &len));
	ASSERT_EQ(1, val);
	ASSERT_ERRNO(EINVAL, setsockopt(fd, SOL_TCP, TCP_NODELAY, &one, 1));
	/* TCP_MAXSEG: 536 before a connection (MUST-15), bounds as Linux. */
	ASSERT_EQ(0, getsockopt(fd, SOL_TCP, TCP_MAXSEG, &val, &len));
	ASSERT_EQ(536, val);
	val = 10;
	ASSERT_ERRNO(EINVAL, setsockopt(fd, SOL_TCP, TCP_MAXSEG, &val,
					sizeof(val)));
	/* TCP_INFO (info_test.c has the rest): the state first, CLOSE. */
	len = sizeof(info);
	ASSERT_EQ(0, getsockopt(fd, IPPROTO_TCP, TCP_INFO, info, &len));
	ASSERT_EQ(EDU_ST_CLOSE, (unsigned char)info[0]);
}

/*
 * TCP_CONGESTION names the algorithm, as on kernel TCP: Reno by default
 * here, an unknown name is ENOENT, and a short buffer gets a prefix.
 */
TEST_F(edu, sockopt__congestion)
{
	char name[32];
	socklen_t len = sizeof(name);
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, getsockopt(fd, SOL_TCP, TCP_CONGESTION, name, &len));
	ASSERT_EQ(16, len);		/* TCP_CA_NAME_MAX, as Linux */
	ASSERT_STREQ("reno", name);
	ASSERT_EQ(0, setsockopt(fd, SOL_TCP, TCP_CONGESTION, "reno", 4));
	ASSERT_ERRNO(ENOENT, setsockopt(fd, SOL_TCP, TCP_CONGESTION,
					"no-such-cc", 10));
	ASSERT_ERRNO(EINVAL, setsockopt(fd, SOL_TCP, TCP_CONGESTION, "", 0));
	ASSERT_ERRNO(EFAULT, setsockopt(fd, SOL_TCP, TCP_CONGESTION,
					(void *)8, 4));
	memset(name, 'x', sizeof(name));
	len = 2;
	ASSERT_EQ(0, getsockopt(fd, SOL_TCP, TCP_CONGESTION, name, &len));
	ASSERT_EQ(2, len);
	ASSERT_EQ(0, memcmp(name, "rex", 3));
}

/* TCP_USER_TIMEOUT: milliseconds, 0 by default, negative is EINVAL. */
TEST_F(edu, sockopt__user_timeout)
{
	int val;
	socklen_t len = sizeof(val);
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, getsockopt(fd, SOL_TCP, TCP_USER_TIMEOUT, &val, &len));
	ASSERT_EQ(0, val);
	val = 5000;
	ASSERT_EQ(0, setsockopt(fd, SOL_TCP, TCP_USER_TIMEOUT, &val,
				sizeof(val)));
	ASSERT_EQ(0, getsockopt(fd, SOL_TCP, TCP_USER_TIMEOUT, &val, &len));
	ASSERT_EQ(5000, val);
	val = -1;
	ASSERT_ERRNO(EINVAL, setsockopt(fd, SOL_TCP, TCP_USER_TIMEOUT, &val,
					sizeof(val)));
}

TEST_F(edu, sockopt__edu_level)
{
	char buf[256];
	socklen_t len = sizeof(buf);
	unsigned int state;
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	/* EDU_INFO (info_test.c has the rest); EDU_CC is reserved. */
	ASSERT_EQ(0, getsockopt(fd, SOL_EDU, EDU_INFO, buf, &len));
	ASSERT_EQ(sizeof(struct edu_info), len);
	memcpy(&state, buf, sizeof(state));	/* the first field */
	ASSERT_EQ(EDU_ST_CLOSE, state);
	len = sizeof(buf);
	ASSERT_ERRNO(ENOPROTOOPT, getsockopt(fd, SOL_EDU, EDU_CC, buf, &len));
	len = sizeof(buf);
	ASSERT_ERRNO(ENOPROTOOPT, getsockopt(fd, SOL_EDU, 12345, buf, &len));
	ASSERT_ERRNO(ENOPROTOOPT, setsockopt(fd, SOL_EDU, EDU_CC, "reno", 5));
	ASSERT_ERRNO(ENOPROTOOPT, setsockopt(fd, SOL_EDU, 12345, buf, 4));
}

static int get_int(int fd, int level, int opt)
{
	socklen_t len = sizeof(int);
	int val = -12345;

	if (getsockopt(fd, level, opt, &val, &len) || len != sizeof(int))
		return -12345;
	return val;
}

TEST_F(edu, sockopt__socket_level)
{
	struct timeval tv = { 1, 500000 }, tv2;
	struct linger lg = { 1, 7 }, lg2;
	socklen_t len;
	int fd = edu_open(0);
	int tcp = tcp_open();

	ASSERT_LE(0, fd);
	ASSERT_LE(0, tcp);
	ASSERT_EQ(SOCK_STREAM, get_int(fd, SOL_SOCKET, SO_TYPE));
	ASSERT_EQ(AF_EDU, get_int(fd, SOL_SOCKET, SO_DOMAIN));
	ASSERT_EQ(EDUPROTO_TCP, get_int(fd, SOL_SOCKET, SO_PROTOCOL));
	ASSERT_EQ(0, get_int(fd, SOL_SOCKET, SO_ERROR));
	ASSERT_EQ(0, get_int(fd, SOL_SOCKET, SO_REUSEADDR));

	ASSERT_EQ(0, edu_set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(1, get_int(fd, SOL_SOCKET, SO_REUSEADDR));
	ASSERT_EQ(0, edu_set_int(fd, SOL_SOCKET, SO_REUSEADDR, 0));
	ASSERT_EQ(0, get_int(fd, SOL_SOCKET, SO_REUSEADDR));

	/* Buffer sizes follow the socket core, as for kernel TCP. */
	ASSERT_EQ(0, edu_set_int(fd, SOL_SOCKET, SO_RCVBUF, 65536));
	ASSERT_EQ(0, edu_set_int(tcp, SOL_SOCKET, SO_RCVBUF, 65536));
	ASSERT_EQ(get_int(tcp, SOL_SOCKET, SO_RCVBUF),
		  get_int(fd, SOL_SOCKET, SO_RCVBUF));
	ASSERT_LE(65536, get_int(fd, SOL_SOCKET, SO_RCVBUF));
	ASSERT_EQ(0, edu_set_int(fd, SOL_SOCKET, SO_SNDBUF, 32768));
	ASSERT_LE(32768, get_int(fd, SOL_SOCKET, SO_SNDBUF));

	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	len = sizeof(tv2);
	ASSERT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv2, &len));
	ASSERT_EQ(tv.tv_sec, tv2.tv_sec);
	ASSERT_EQ(tv.tv_usec, tv2.tv_usec);

	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	len = sizeof(lg2);
	ASSERT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg2, &len));
	ASSERT_EQ(1, lg2.l_onoff);
	ASSERT_EQ(7, lg2.l_linger);

	ASSERT_EQ(0, get_int(fd, SOL_SOCKET, SO_ACCEPTCONN));
	ASSERT_EQ(0, listen(fd, 1));
	ASSERT_EQ(1, get_int(fd, SOL_SOCKET, SO_ACCEPTCONN));
	/* A closed socket with linger set still closes at once. */
	ASSERT_EQ(0, edu_close(fd));
	ASSERT_COUNTS(0, 0);
}

TEST_F(edu, sockopt__bad_input)
{
	int val = 1;
	socklen_t len = sizeof(val);
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	/* Short and bad buffers at SOL_SOCKET: the socket core's errors. */
	ASSERT_ERRNO(EINVAL, setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &val, 1));
	ASSERT_ERRNO(EFAULT, setsockopt(fd, SOL_SOCKET, SO_REUSEADDR,
					(void *)1, sizeof(int)));
	ASSERT_ERRNO(EFAULT, getsockopt(fd, SOL_SOCKET, SO_TYPE, &val, NULL));
	len = -1;
	ASSERT_ERRNO(EINVAL, getsockopt(fd, SOL_SOCKET, SO_TYPE, &val, &len));
	ASSERT_ERRNO(ENOPROTOOPT, setsockopt(fd, SOL_SOCKET, 0x7fff, &val,
					     sizeof(val)));
	/* A bad buffer at SOL_TCP: EFAULT, as kernel TCP. */
	ASSERT_ERRNO(EFAULT, setsockopt(fd, SOL_TCP, TCP_NODELAY, NULL,
					1 << 20));
	ASSERT_EQ(-1, getsockopt(fd, SOL_EDU, EDU_INFO, NULL, NULL));
}

/* Random option calls at every level: any errno is fine, no crash/leak. */
TEST_F(edu, sockopt__random)
{
	static const int levels[] = {
		SOL_TCP, SOL_EDU, SOL_IP, SOL_IPV6, SOL_SOCKET, 0, -1, 0x7fffffff,
	};
	unsigned char buf[512];
	unsigned int i, j;
	socklen_t len;
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	srandom(0x4544);
	for (i = 0; i < 3000; i++) {
		int level = levels[random() % (ARRAY_SIZE(levels))];
		int opt = random() % 96;

		if (level == SOL_SOCKET &&
		    (opt == SO_BINDTODEVICE || opt == SO_ATTACH_FILTER ||
		     opt == SO_ATTACH_BPF || opt == SO_RCVTIMEO_OLD ||
		     opt == SO_SNDTIMEO_OLD || opt == SO_RCVTIMEO_NEW ||
		     opt == SO_SNDTIMEO_NEW))
			continue;	/* harmless, but slow or sticky */
		for (j = 0; j < sizeof(buf); j++)
			buf[j] = random();
		len = random() % sizeof(buf);
		if (random() & 1)
			(void)setsockopt(fd, level, opt, buf, len);
		else
			(void)getsockopt(fd, level, opt, buf, &len);
	}
	/* The socket still works afterwards. */
	ASSERT_EQ(SOCK_STREAM, get_int(fd, SOL_SOCKET, SO_TYPE));
	ASSERT_EQ(0, edu_close(fd));
	ASSERT_COUNTS(0, 0);
}

/* ---------------------------------------------------------------- poll -- */

static short poll_revents(int fd)
{
	struct pollfd p = {
		.fd = fd,
		.events = POLLIN | POLLPRI | POLLOUT | POLLRDHUP | POLLRDNORM |
			  POLLRDBAND | POLLWRNORM | POLLWRBAND,
	};

	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

/* poll() gives what it gives for kernel TCP in the same state. */
TEST_F(edu, poll__like_tcp)
{
	int fd = edu_open(0);
	int tcp = tcp_open();
	short ev;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, tcp);
	/* Fresh. */
	ev = poll_revents(fd);
	ASSERT_EQ(poll_revents(tcp), ev);
	ASSERT_EQ(POLLOUT | POLLWRNORM | POLLHUP, ev);
	ASSERT_EQ(POLLOUT | POLLHUP, poll_revents(fd) & (POLLIN | POLLOUT | POLLHUP | POLLERR));

	/* Bound. */
	ASSERT_EQ(0, edu_bind_to(fd, "127.0.0.1", 0));
	ASSERT_EQ(0, edu_bind_to(tcp, "127.0.0.1", 0));
	ASSERT_EQ(poll_revents(tcp), poll_revents(fd));

	/* Listening with nothing to accept: no event. */
	ASSERT_EQ(0, listen(fd, 4));
	ASSERT_EQ(0, listen(tcp, 4));
	ASSERT_EQ(0, poll_revents(tcp));
	ASSERT_EQ(0, poll_revents(fd));

	/* SHUT_WR on a listener changes nothing. */
	ASSERT_EQ(0, shutdown(fd, SHUT_WR));
	ASSERT_EQ(0, shutdown(tcp, SHUT_WR));
	ASSERT_EQ(poll_revents(tcp), poll_revents(fd));

	/* SHUT_RD stops listening. */
	ASSERT_EQ(0, shutdown(fd, SHUT_RD));
	ASSERT_EQ(0, shutdown(tcp, SHUT_RD));
	ASSERT_EQ(poll_revents(tcp), poll_revents(fd));
	ASSERT_EQ(POLLOUT | POLLWRNORM | POLLHUP, poll_revents(fd));
}

TEST_F(edu, poll__listener_times_out)
{
	struct pollfd p;
	double t0;
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, listen(fd, 1));
	p.fd = fd;
	p.events = POLLIN;
	t0 = edu_now();
	ASSERT_EQ(0, poll(&p, 1, 100));
	ASSERT_LE(0.08, edu_now() - t0);
}

/* --------------------------------------------------------- ioctl, mmap -- */

TEST_F(edu, ioctl__unknown)
{
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_ERRNO(ENOTTY, ioctl(fd, 0x12345678, 0));
	ASSERT_ERRNO(ENOTTY, ioctl(fd, _IOR('E', 0x44, int), 0));
}

TEST_F(edu, ioctl__device_ioctls)
{
	struct ifreq ifr;
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	/* Unknown to the protocol, socket ioctls reach the device layer. */
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	ASSERT_EQ(0, ioctl(fd, SIOCGIFINDEX, &ifr));
	ASSERT_EQ((int)if_nametoindex("lo"), ifr.ifr_ifindex);
	ASSERT_ERRNO(EFAULT, ioctl(fd, SIOCGIFINDEX, NULL));
}

TEST_F(edu, mmap__unsupported)
{
	void *p;
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	errno = 0;
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_EQ(MAP_FAILED, p);
	ASSERT_EQ(ENODEV, errno);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ASSERT_EQ(MAP_FAILED, p);
}

TEST_HARNESS_MAIN
