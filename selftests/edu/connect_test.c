// SPDX-License-Identifier: GPL-2.0
/*
 * connect_test.c - opening connections: AF_EDU's active open (connect(),
 * blocking and not, its errors and timeouts) against kernel TCP and
 * itself, and its passive open (accept() of connections from kernel TCP).
 *
 * Where AF_EDU must behave as kernel TCP does, a case runs the same steps
 * on kernel TCP first, so the expectation is checked against the running
 * kernel rather than only written down.
 */
#include "kselftest_harness.h"
#include "edu_test.h"

#define LOOPBACK	"127.0.0.1"

static const char *family_name(bool edu)
{
	return edu ? "AF_EDU" : "TCP";
}

/* A tracked listener on 127.0.0.1, backlog 64; its port in *@port. */
static int listener(struct __test_metadata *_metadata,
		    struct _test_data_edu *self, bool edu, int *port)
{
	int fd;

	if (edu)
		fd = socket(AF_EDU, SOCK_STREAM, EDUPROTO_TCP);
	else
		fd = socket(AF_INET, SOCK_STREAM, 0);
	__edu_track(self, fd);
	ASSERT_LE(0, fd);
	*port = edu_listen_on(fd, LOOPBACK, 64);
	ASSERT_LT(0, *port) TH_LOG("%s listen: %s", family_name(edu),
				   strerror(errno));
	return fd;
}

#define TCP_LISTENER(fd, port)	((fd) = listener(_metadata, self, false, &(port)))
#define EDU_LISTENER(fd, port)	((fd) = listener(_metadata, self, true, &(port)))

/* accept() on @lfd once it is readable (within 5 s), tracked. */
static int accept_ready(struct __test_metadata *_metadata,
			struct _test_data_edu *self, int lfd,
			struct sockaddr_in *peer)
{
	socklen_t len = sizeof(*peer);
	int fd;

	EXPECT_EQ(0, edu_wait(lfd, POLLIN, 5000))
		TH_LOG("no connection to accept");
	fd = __edu_track(self, accept(lfd, (struct sockaddr *)peer, &len));
	EXPECT_LE(0, fd) TH_LOG("accept: %s", strerror(errno));
	EXPECT_EQ(sizeof(*peer), len);
	return fd;
}

/* One byte each way between two connected sockets. */
static void exchange(struct __test_metadata *_metadata, int a, int b)
{
	char c = 0;

	ASSERT_EQ(1, write(a, "a", 1)) TH_LOG("write: %s", strerror(errno));
	ASSERT_EQ(0, edu_wait(b, POLLIN, 5000));
	ASSERT_EQ(1, read(b, &c, 1)) TH_LOG("read: %s", strerror(errno));
	ASSERT_EQ('a', c);
	ASSERT_EQ(1, write(b, "b", 1)) TH_LOG("write: %s", strerror(errno));
	ASSERT_EQ(0, edu_wait(a, POLLIN, 5000));
	ASSERT_EQ(1, read(a, &c, 1)) TH_LOG("read: %s", strerror(errno));
	ASSERT_EQ('b', c);
}

static void assert_addr(struct __test_metadata *_metadata,
			const struct sockaddr_in *sin, const char *addr,
			int port)
{
	struct sockaddr_in want = edu_sin(addr, port);

	ASSERT_EQ(AF_INET, sin->sin_family);
	ASSERT_EQ(want.sin_addr.s_addr, sin->sin_addr.s_addr)
		TH_LOG("address %s, expected %s",
		       inet_ntoa(sin->sin_addr), addr);
	if (port >= 0)
		ASSERT_EQ(port, ntohs(sin->sin_port));
}

/* ----------------------------------------------------- active open -- */

TEST_F(edu, connect__to_tcp_listener)
{
	struct sockaddr_in sin, peer;
	socklen_t len = sizeof(sin);
	struct edu_proc_line l;
	int lfd, port, afd, lport, lo, hi;
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	TCP_LISTENER(lfd, port);
	ASSERT_EQ(0, edu_connect_to(fd, LOOPBACK, port))
		TH_LOG("connect: %s", strerror(errno));

	/* Bound implicitly to an ephemeral port of 127.0.0.1. */
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&sin, &len));
	ASSERT_EQ(sizeof(sin), len);
	assert_addr(_metadata, &sin, LOOPBACK, -1);
	lport = ntohs(sin.sin_port);
	edu_local_port_range(&lo, &hi);
	ASSERT_LE(lo, lport);
	ASSERT_GE(hi, lport);
	len = sizeof(sin);
	ASSERT_EQ(0, getpeername(fd, (struct sockaddr *)&sin, &len));
	ASSERT_EQ(sizeof(sin), len);
	assert_addr(_metadata, &sin, LOOPBACK, port);

	/* Kernel TCP sees a connection from that port. */
	afd = accept_ready(_metadata, self, lfd, &peer);
	ASSERT_LE(0, afd);
	assert_addr(_metadata, &peer, LOOPBACK, lport);
	exchange(_metadata, fd, afd);

	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(fd), &l));
	ASSERT_EQ(EDU_ST_ESTABLISHED, l.st) TH_LOG("line: '%s'", l.raw);
	ASSERT_EQ(sin.sin_addr.s_addr, l.laddr);
	ASSERT_EQ((unsigned int)lport, l.lport);
	ASSERT_EQ(sin.sin_addr.s_addr, l.raddr);
	ASSERT_EQ((unsigned int)port, l.rport);
	ASSERT_EQ(1, edu_sockets());
}

TEST_F(edu, connect__edu_to_edu)
{
	struct sockaddr_in peer;
	int lfd, port, afd;
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	EDU_LISTENER(lfd, port);
	ASSERT_EQ(0, edu_connect_to(fd, LOOPBACK, port))
		TH_LOG("connect: %s", strerror(errno));
	afd = accept_ready(_metadata, self, lfd, &peer);
	ASSERT_LE(0, afd);
	assert_addr(_metadata, &peer, LOOPBACK, edu_local_port(fd));
	ASSERT_EQ(port, edu_peer_port(fd));
	ASSERT_EQ(port, edu_local_port(afd));
	exchange(_metadata, fd, afd);
	ASSERT_EQ(3, edu_sockets());
}

/* EINPROGRESS, then writable with no error. */
static void nonblocking_connect(struct __test_metadata *_metadata, int fd,
				int port)
{
	int ev;

	ASSERT_ERRNO(EINPROGRESS, edu_connect_to(fd, LOOPBACK, port));
	ev = edu_poll1(fd, POLLIN | POLLOUT, 5000);
	ASSERT_EQ(POLLOUT, ev & (POLLIN | POLLOUT | POLLERR | POLLHUP))
		TH_LOG("revents %#x", ev);
	ASSERT_EQ(0, edu_so_error(fd));
	/*
	 * As in Linux: the first connect() after the handshake completed
	 * reports success, later ones EISCONN.
	 */
	ASSERT_EQ(0, edu_connect_to(fd, LOOPBACK, port))
		TH_LOG("connect: %s", strerror(errno));
	ASSERT_ERRNO(EISCONN, edu_connect_to(fd, LOOPBACK, port));
	ASSERT_EQ(port, edu_peer_port(fd));
}

TEST_F(edu, connect__nonblocking)
{
	struct sockaddr_in peer;
	int lfd, port, afd, tfd, fd;

	TCP_LISTENER(lfd, port);
	tfd = edu_track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	ASSERT_LE(0, tfd);
	nonblocking_connect(_metadata, tfd, port);
	fd = edu_open(SOCK_NONBLOCK);
	ASSERT_LE(0, fd);
	nonblocking_connect(_metadata, fd, port);
	/* Both are in the accept queue. */
	ASSERT_LE(0, accept_ready(_metadata, self, lfd, &peer));
	afd = accept_ready(_metadata, self, lfd, &peer);
	ASSERT_LE(0, afd);
	assert_addr(_metadata, &peer, LOOPBACK, edu_local_port(fd));
	exchange(_metadata, fd, afd);
}

/* Connection refused by kernel TCP's RST. */
static void refused(struct __test_metadata *_metadata, int fd, int nb,
		    int port)
{
	int ev, want;

	if (!nb) {
		ASSERT_ERRNO(ECONNREFUSED, edu_connect_to(fd, LOOPBACK, port));
		ASSERT_EQ(0, edu_so_error(fd));
		return;
	}
	ASSERT_ERRNO(EINPROGRESS, edu_connect_to(fd, LOOPBACK, port));
	ev = edu_poll1(fd, POLLIN | POLLOUT | POLLRDHUP, 5000);
	want = POLLOUT | POLLERR | POLLHUP;
	ASSERT_EQ(want, ev & want) TH_LOG("revents %#x", ev);
	/* Reported once. */
	ASSERT_EQ(ECONNREFUSED, edu_so_error(fd));
	ASSERT_EQ(0, edu_so_error(fd));
}

TEST_F(edu, connect__refused)
{
	int port = edu_free_port();
	int fd;

	ASSERT_LT(0, port);
	fd = tcp_open();
	ASSERT_LE(0, fd);
	refused(_metadata, fd, 0, port);
	fd = edu_open(0);
	ASSERT_LE(0, fd);
	refused(_metadata, fd, 0, port);
	/* Nothing is left of the attempt but the socket. */
	ASSERT_EQ(1, edu_sockets());
}

TEST_F(edu, connect__refused_nonblocking)
{
	int port = edu_free_port();
	int ev_tcp, ev_edu, fd;

	ASSERT_LT(0, port);
	fd = edu_track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	ASSERT_LE(0, fd);
	refused(_metadata, fd, 1, port);
	ev_tcp = edu_poll1(fd, POLLIN | POLLOUT | POLLRDHUP, 0);
	fd = edu_open(SOCK_NONBLOCK);
	ASSERT_LE(0, fd);
	refused(_metadata, fd, 1, port);
	/* And exactly the events kernel TCP shows, once the error is read. */
	ev_edu = edu_poll1(fd, POLLIN | POLLOUT | POLLRDHUP, 0);
	ASSERT_EQ(ev_tcp, ev_edu);
}

/* Each bad address, on kernel TCP and then AF_EDU: the same errno. */
TEST_F(edu, connect__bad_address)
{
	static const struct {
		int family;
		socklen_t len;
		int err;
	} cases[] = {
		{ AF_INET, 0, EINVAL },
		{ AF_INET, 1, EINVAL },
		{ AF_INET, 2, EINVAL },
		{ AF_INET, sizeof(struct sockaddr_in) - 1, EINVAL },
		{ AF_INET, sizeof(struct sockaddr_storage) + 1, EINVAL },
		{ AF_INET6, sizeof(struct sockaddr_in6), EAFNOSUPPORT },
		{ AF_UNIX, sizeof(struct sockaddr_in), EAFNOSUPPORT },
		{ AF_EDU, sizeof(struct sockaddr_in), EAFNOSUPPORT },
	};
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	int port, i, k, fd;

	listener(_metadata, self, false, &port);
	for (i = 0; i < (int)ARRAY_SIZE(cases); i++) {
		for (k = 0; k < 2; k++) {
			fd = k ? edu_open(0) : tcp_open();
			ASSERT_LE(0, fd);
			memset(&ss, 0, sizeof(ss));
			*sin = edu_sin(LOOPBACK, port);
			sin->sin_family = cases[i].family;
			errno = 0;
			ASSERT_EQ(-1, connect(fd, (struct sockaddr *)&ss,
					      cases[i].len))
				TH_LOG("%s: case %d connected",
				       family_name(k), i);
			ASSERT_EQ(cases[i].err, errno)
				TH_LOG("%s: case %d (family %d, len %u): %s",
				       family_name(k), i,
				       cases[i].family, cases[i].len,
				       strerror(errno));
			/* Nothing happened: still unconnected. */
			ASSERT_EQ(-1, edu_peer_port(fd));
			ASSERT_EQ(ENOTCONN, errno);
			edu_close(fd);
		}
	}
	ASSERT_EQ(0, edu_sockets());
}

TEST_F(edu, connect__bad_pointer)
{
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_ERRNO(EFAULT, connect(fd, NULL, sizeof(struct sockaddr_in)));
	ASSERT_ERRNO(EFAULT, connect(fd, (struct sockaddr *)1,
				     sizeof(struct sockaddr_in)));
	ASSERT_EQ(-1, edu_peer_port(fd));
}

TEST_F(edu, connect__listening_socket)
{
	int port, fd, k;

	listener(_metadata, self, false, &port);
	for (k = 0; k < 2; k++) {
		fd = k ? edu_open(0) : tcp_open();
		ASSERT_LE(0, fd);
		ASSERT_LT(0, edu_listen_on(fd, LOOPBACK, 4));
		ASSERT_ERRNO(EISCONN, edu_connect_to(fd, LOOPBACK, port));
	}
	/* Still listening. */
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(fd), NULL));
	ASSERT_EQ(0, edu_poll1(fd, POLLIN, 0));
}

/* Kernel TCP reaches a local listener at 0.0.0.0; AF_EDU must too. */
TEST_F(edu, connect__any_address)
{
	struct sockaddr_in peer;
	int lfd, port, fd, k, ret[2], err[2];
	unsigned int paddr[2];

	TCP_LISTENER(lfd, port);
	for (k = 0; k < 2; k++) {
		fd = k ? edu_open(0) : tcp_open();
		ASSERT_LE(0, fd);
		errno = 0;
		ret[k] = edu_connect_to(fd, "0.0.0.0", port);
		err[k] = errno;
		paddr[k] = 0;
		if (!ret[k]) {
			socklen_t len = sizeof(peer);

			ASSERT_EQ(0, getpeername(fd, (struct sockaddr *)&peer,
						 &len));
			paddr[k] = peer.sin_addr.s_addr;
			ASSERT_LE(0, accept_ready(_metadata, self, lfd, &peer));
		}
	}
	ASSERT_EQ(ret[0], ret[1]) TH_LOG("TCP %d, AF_EDU %d (%s)", ret[0],
					 ret[1], strerror(err[1]));
	ASSERT_EQ(err[0], err[1]);
	ASSERT_EQ(paddr[0], paddr[1]);
}

/* --------------------------------------- connections that never open -- */

/* In progress (the SYN went to a black hole): EALREADY, and SYN-SENT. */
static void in_progress(struct __test_metadata *_metadata, int fd,
			bool edu)
{
	struct edu_proc_line l;

	ASSERT_ERRNO(EINPROGRESS, edu_connect_to(fd, EDU_BLACKHOLE, 80));
	ASSERT_ERRNO(EALREADY, edu_connect_to(fd, EDU_BLACKHOLE, 80));
	ASSERT_EQ(0, edu_poll1(fd, POLLIN | POLLOUT, 300));
	ASSERT_EQ(0, edu_so_error(fd));
	ASSERT_ERRNO(ENOTCONN, edu_peer_port(fd));
	/* Another address while connecting: still EALREADY. */
	ASSERT_ERRNO(EALREADY, edu_connect_to(fd, LOOPBACK, 80));
	if (edu) {
		ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(fd), &l));
		ASSERT_EQ(EDU_ST_SYN_SENT, l.st) TH_LOG("line: '%s'", l.raw);
		ASSERT_EQ(edu_sin(EDU_BLACKHOLE, 0).sin_addr.s_addr, l.raddr);
		ASSERT_EQ(80U, l.rport);
	}
}

TEST_F(edu, connect__already)
{
	char which[256];
	int fd;

	ASSERT_EQ(0, edu_blackhole());
	fd = edu_track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	ASSERT_LE(0, fd);
	in_progress(_metadata, fd, false);
	fd = edu_open(SOCK_NONBLOCK);
	ASSERT_LE(0, fd);
	in_progress(_metadata, fd, true);
	/* Closing a socket in SYN-SENT frees it at once. */
	edu_close(fd);
	ASSERT_TRUE(edu_objects_settle_zero(which, sizeof(which), 1000))
		TH_LOG("left after close:%s", which);
}

/* A blocking connect() gives up after SO_SNDTIMEO with EINPROGRESS. */
static void sndtimeo(struct __test_metadata *_metadata, int fd)
{
	struct timeval tv = { 0, 300000 };
	double t0, dt;

	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	t0 = edu_now();
	ASSERT_ERRNO(EINPROGRESS, edu_connect_to(fd, EDU_BLACKHOLE, 80));
	dt = edu_now() - t0;
	/* Loose: under emulation the jiffies clock drifts from CLOCK_MONOTONIC. */
	ASSERT_LE(0.2, dt) TH_LOG("returned after %.3f s", dt);
	ASSERT_GE(5.0, dt) TH_LOG("returned after %.3f s", dt);
	/* Still connecting; a blocking retry waits again, then EALREADY. */
	t0 = edu_now();
	ASSERT_ERRNO(EALREADY, edu_connect_to(fd, EDU_BLACKHOLE, 80));
	dt = edu_now() - t0;
	/* Loose: under emulation the jiffies clock drifts from CLOCK_MONOTONIC. */
	ASSERT_LE(0.2, dt) TH_LOG("returned after %.3f s", dt);
	ASSERT_GE(5.0, dt) TH_LOG("returned after %.3f s", dt);
}

TEST_F(edu, connect__sndtimeo)
{
	char which[256];
	int fd;

	ASSERT_EQ(0, edu_blackhole());
	fd = tcp_open();
	ASSERT_LE(0, fd);
	sndtimeo(_metadata, fd);
	fd = edu_open(0);
	ASSERT_LE(0, fd);
	sndtimeo(_metadata, fd);
	edu_close(fd);
	ASSERT_TRUE(edu_objects_settle_zero(which, sizeof(which), 1000))
		TH_LOG("left after close:%s", which);
}

/*
 * SYN retransmission gives up with ETIMEDOUT.  Six retries (Linux's
 * default, net.ipv4.tcp_syn_retries, and AF_EDU's net.edu.syn_retries)
 * take 127 s; with each at 1, kernel TCP gives up after 1 + 2 s, and
 * AF_EDU, doing as Linux does, must too.
 */
TEST_F(edu, connect__syn_timeout)
{
	struct timeval tv = { 20, 0 };
	double t0, dt[2];
	int fd, k;

	ASSERT_EQ(0, edu_blackhole());
	ASSERT_EQ(0, edu_sh("echo 1 >/proc/sys/net/ipv4/tcp_syn_retries"));
	ASSERT_EQ(0, edu_sh("echo 1 >/proc/sys/net/edu/syn_retries"));
	for (k = 0; k < 2; k++) {
		fd = k ? edu_open(0) : tcp_open();
		ASSERT_LE(0, fd);
		/* A guard, should the retries not end. */
		ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv,
					sizeof(tv)));
		t0 = edu_now();
		ASSERT_ERRNO(ETIMEDOUT, edu_connect_to(fd, EDU_BLACKHOLE, 80));
		dt[k] = edu_now() - t0;
		ASSERT_EQ(0, edu_so_error(fd));
		/* A failed connect leaves the socket unconnected. */
		ASSERT_ERRNO(ENOTCONN, edu_peer_port(fd));
	}
	ASSERT_LE(2.0, dt[1]) TH_LOG("AF_EDU gave up after %.3f s", dt[1]);
	ASSERT_GE(dt[0] + 3.0, dt[1])
		TH_LOG("AF_EDU gave up after %.3f s, TCP after %.3f s",
		       dt[1], dt[0]);
}

/* ----------------------------------------------------- passive open -- */

TEST_F(edu, accept__from_tcp_client)
{
	struct sockaddr_in peer, sin;
	socklen_t len = sizeof(sin);
	struct edu_proc_line l;
	int lfd, port, afd;
	int fd = tcp_open();

	ASSERT_LE(0, fd);
	EDU_LISTENER(lfd, port);
	/* Nothing pending yet. */
	ASSERT_EQ(0, edu_poll1(lfd, POLLIN | POLLOUT, 0));
	ASSERT_EQ(0, edu_connect_to(fd, LOOPBACK, port))
		TH_LOG("connect: %s", strerror(errno));
	ASSERT_EQ(POLLIN, edu_poll1(lfd, POLLIN | POLLOUT, 5000));
	afd = accept_ready(_metadata, self, lfd, &peer);
	ASSERT_LE(0, afd);
	assert_addr(_metadata, &peer, LOOPBACK, edu_local_port(fd));
	ASSERT_EQ(0, getpeername(afd, (struct sockaddr *)&sin, &len));
	assert_addr(_metadata, &sin, LOOPBACK, edu_local_port(fd));
	len = sizeof(sin);
	ASSERT_EQ(0, getsockname(afd, (struct sockaddr *)&sin, &len));
	assert_addr(_metadata, &sin, LOOPBACK, port);
	/* The queue is empty again. */
	ASSERT_EQ(0, edu_poll1(lfd, POLLIN, 0));
	exchange(_metadata, fd, afd);
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(afd), &l));
	ASSERT_EQ(EDU_ST_ESTABLISHED, l.st) TH_LOG("line: '%s'", l.raw);
	ASSERT_EQ((unsigned int)port, l.lport);
	ASSERT_EQ((unsigned int)edu_local_port(fd), l.rport);
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(lfd), &l));
	ASSERT_EQ(EDU_ST_LISTEN, l.st);
	ASSERT_EQ(2, edu_sockets());
}

TEST_F(edu, accept4__flags)
{
	struct sockaddr_in peer;
	int lfd, port, fd, a, b;
	socklen_t len = sizeof(peer);

	EDU_LISTENER(lfd, port);
	fd = tcp_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, edu_connect_to(fd, LOOPBACK, port));
	fd = tcp_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, edu_connect_to(fd, LOOPBACK, port));
	ASSERT_EQ(0, edu_wait(lfd, POLLIN, 5000));
	a = edu_track(accept4(lfd, (struct sockaddr *)&peer, &len,
			      SOCK_NONBLOCK | SOCK_CLOEXEC));
	ASSERT_LE(0, a) TH_LOG("accept4: %s", strerror(errno));
	ASSERT_NE(0, fcntl(a, F_GETFL) & O_NONBLOCK);
	ASSERT_NE(0, fcntl(a, F_GETFD) & FD_CLOEXEC);
	/* The new socket really is nonblocking. */
	ASSERT_ERRNO(EAGAIN, read(a, &peer, 1));
	/* A listener's O_NONBLOCK is not inherited by plain accept(). */
	ASSERT_EQ(0, fcntl(lfd, F_SETFL, O_NONBLOCK));
	ASSERT_EQ(0, edu_wait(lfd, POLLIN, 5000));
	b = edu_track(accept(lfd, NULL, NULL));
	ASSERT_LE(0, b) TH_LOG("accept: %s", strerror(errno));
	ASSERT_EQ(0, fcntl(b, F_GETFL) & O_NONBLOCK);
	ASSERT_EQ(0, fcntl(b, F_GETFD) & FD_CLOEXEC);
	ASSERT_ERRNO(EAGAIN, accept(lfd, NULL, NULL));
}

/* Twenty connections queued at once are all accepted, each once. */
TEST_F(edu, accept__many_pending)
{
	enum { N = 20 };
	int lfd, port, i, k, fd, afd, cports[N], seen[N];
	struct sockaddr_in peer;

	EDU_LISTENER(lfd, port);	/* backlog 64 */
	for (i = 0; i < N; i++) {
		fd = tcp_open();
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, edu_connect_to(fd, LOOPBACK, port))
			TH_LOG("connection %d: %s", i, strerror(errno));
		cports[i] = edu_local_port(fd);
		seen[i] = 0;
	}
	ASSERT_EQ(0, fcntl(lfd, F_SETFL, O_NONBLOCK));
	for (i = 0; i < N; i++) {
		afd = accept_ready(_metadata, self, lfd, &peer);
		ASSERT_LE(0, afd) TH_LOG("connection %d", i);
		for (k = 0; k < N; k++)
			if (cports[k] == ntohs(peer.sin_port))
				break;
		ASSERT_GT(N, k) TH_LOG("unknown peer port %d",
				       ntohs(peer.sin_port));
		ASSERT_EQ(0, seen[k]++);
	}
	ASSERT_ERRNO(EAGAIN, accept(lfd, NULL, NULL));
	ASSERT_EQ(N + 1, edu_sockets());
}

/* Blocking accept() is woken by a connection that arrives later. */
struct late_connect {
	pthread_t thread;
	int fd, port;
};

static void *late_connect_fn(void *arg)
{
	struct late_connect *c = arg;

	edu_msleep(200);
	edu_connect_to(c->fd, LOOPBACK, c->port);
	return NULL;
}

TEST_F(edu, accept__blocking_woken)
{
	struct late_connect c;
	double t0;
	int lfd, port, afd;

	EDU_LISTENER(lfd, port);
	c.fd = tcp_open();
	c.port = port;
	ASSERT_LE(0, c.fd);
	ASSERT_EQ(0, pthread_create(&c.thread, NULL, late_connect_fn, &c));
	t0 = edu_now();
	afd = edu_track(accept(lfd, NULL, NULL));
	ASSERT_LE(0, afd) TH_LOG("accept: %s", strerror(errno));
	ASSERT_LE(0.15, edu_now() - t0);
	ASSERT_EQ(0, pthread_join(c.thread, NULL));
	ASSERT_EQ(edu_local_port(c.fd), edu_peer_port(afd));
	exchange(_metadata, c.fd, afd);
}

TEST_HARNESS_MAIN
