// SPDX-License-Identifier: GPL-2.0
/*
 * api_test.c - the socket API where AF_EDU must behave exactly as Linux
 * TCP: SO_SNDTIMEO and signals on a blocked send(), threads sharing one
 * connection, the receive flags MSG_TRUNC, MSG_OOB and MSG_ERRQUEUE,
 * SO_RCVBUF and SO_SNDBUF and the queues they bound, Nagle against
 * TCP_NODELAY, simultaneous open, and the listen backlog.
 *
 * Where it can, a case runs first on kernel TCP, the reference, then on
 * AF_EDU, and asserts the same outcome for both.
 */
#include <linux/sockios.h>
#include <signal.h>

#include "kselftest_harness.h"
#include "edu_test.h"

#define FAM(edu)	edu_family_name(edu)

/* The socket under test (AF_EDU if @edu) connected to a kernel TCP peer. */
#define PAIR(edu, s, peer) \
	edu_connect_pair(_metadata, self, EDU_LO, edu, false, &(s), &(peer))

static int signals;	/* SIGUSR1s handled */

static void on_usr1(int sig)
{
	(void)sig;
	__atomic_fetch_add(&signals, 1, __ATOMIC_SEQ_CST);
}

static int signals_seen(void)
{
	return __atomic_load_n(&signals, __ATOMIC_SEQ_CST);
}

static int catch_usr1(bool restart)
{
	struct sigaction sa = { .sa_handler = on_usr1 };

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = restart ? SA_RESTART : 0;
	__atomic_store_n(&signals, 0, __ATOMIC_SEQ_CST);
	return sigaction(SIGUSR1, &sa, NULL);
}

/* Sends SIGUSR1 to @target after @ms. */
struct kicker {
	pthread_t thread, target;
	int ms;
};

static void *kicker_fn(void *arg)
{
	struct kicker *k = arg;

	edu_msleep(k->ms);
	pthread_kill(k->target, SIGUSR1);
	return NULL;
}

/*
 * Fill @fd's send buffer and its peer's receive window (the peer does not
 * read) with nonblocking sends until they stay full; returns the bytes
 * queued.
 */
static long fill(int fd)
{
	static char buf[65536];
	long total = 0;
	ssize_t n;
	int idle = 0;

	while (idle < 2 && total < 64L << 20) {
		n = send(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0) {
			total += n;
			idle = 0;
			continue;
		}
		if (errno != EAGAIN)
			return -1;
		idle++;
		edu_msleep(50);
	}
	return total;
}

/* Read from @fd until @len bytes have come; returns the count read. */
static long drain(int fd, long len)
{
	static char buf[65536];
	long got = 0;
	ssize_t n;

	while (got < len) {
		if (edu_wait(fd, POLLIN, 5000))
			break;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n <= 0)
			break;
		got += n;
	}
	return got;
}

struct drainer {
	pthread_t thread;
	int fd, delay_ms;
	long len, got;
};

static void *drainer_fn(void *arg)
{
	struct drainer *d = arg;

	edu_msleep(d->delay_ms);
	d->got = drain(d->fd, d->len);
	return NULL;
}

/* Small buffers both ways, so a blocked send() is quick to arrange. */
static void small_buffers(struct __test_metadata *_metadata, int s, int peer)
{
	ASSERT_EQ(0, edu_set_int(s, SOL_SOCKET, SO_SNDBUF, 16384));
	ASSERT_EQ(0, edu_set_int(peer, SOL_SOCKET, SO_RCVBUF, 16384));
}

/* -------------------------------------------------------- SO_SNDTIMEO -- */

/*
 * A send() that blocks on a full buffer ends after SO_SNDTIMEO: with the
 * count of what it queued if it queued some, else EAGAIN.
 */
TEST_F(edu, send__sndtimeo)
{
	static char big[1 << 20];
	struct timeval tv = { 0, 300000 };
	int edu, s, peer;
	double t0, dt;
	ssize_t n;

	for (edu = 0; edu < 2; edu++) {
		PAIR(edu, s, peer);
		small_buffers(_metadata, s, peer);
		ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv,
					sizeof(tv)));
		t0 = edu_now();
		n = send(s, big, sizeof(big), MSG_NOSIGNAL);
		dt = edu_now() - t0;
		ASSERT_LT(0, n) TH_LOG("%s: %s", FAM(edu), strerror(errno));
		ASSERT_GT((ssize_t)sizeof(big), n);
		ASSERT_LE(0.25, dt) TH_LOG("%s: %zd bytes after %.3f s",
					   FAM(edu), n, dt);
		ASSERT_GT(2.0, dt);

		/* Nothing fits now: EAGAIN after the timeout. */
		t0 = edu_now();
		ASSERT_ERRNO(EAGAIN, send(s, big, sizeof(big), MSG_NOSIGNAL));
		dt = edu_now() - t0;
		ASSERT_LE(0.25, dt) TH_LOG("%s: EAGAIN after %.3f s", FAM(edu),
					   dt);
		ASSERT_GT(2.0, dt);
		/* What was queued all arrives. */
		ASSERT_EQ(n, drain(peer, n));
	}
}

/* ------------------------------------------------------------ signals -- */

/*
 * A signal whose handler has no SA_RESTART ends a blocked send(): EINTR if
 * nothing was queued, else the count queued.
 */
TEST_F(edu, send__interrupted_by_signal)
{
	static char big[1 << 20];
	struct kicker k = { .target = pthread_self(), .ms = 300 };
	int edu, s, peer;
	long filled;
	ssize_t n;

	ASSERT_EQ(0, catch_usr1(false));
	for (edu = 0; edu < 2; edu++) {
		PAIR(edu, s, peer);
		small_buffers(_metadata, s, peer);

		/* Some queued, then blocked: the partial count. */
		ASSERT_EQ(0, pthread_create(&k.thread, NULL, kicker_fn, &k));
		n = send(s, big, sizeof(big), MSG_NOSIGNAL);
		ASSERT_EQ(0, pthread_join(k.thread, NULL));
		ASSERT_EQ(1, signals_seen());
		ASSERT_LT(0, n) TH_LOG("%s: %s", FAM(edu), strerror(errno));
		ASSERT_GT((ssize_t)sizeof(big), n);

		/* Full before the call: EINTR. */
		filled = fill(s);
		ASSERT_LE(0, filled);
		ASSERT_EQ(0, pthread_create(&k.thread, NULL, kicker_fn, &k));
		ASSERT_ERRNO(EINTR, send(s, big, 1000, MSG_NOSIGNAL));
		ASSERT_EQ(0, pthread_join(k.thread, NULL));
		ASSERT_EQ(2, signals_seen());
		__atomic_store_n(&signals, 0, __ATOMIC_SEQ_CST);
		/* Nothing was lost or duplicated. */
		ASSERT_EQ(n + filled, drain(peer, n + filled));
		ASSERT_ERRNO(EAGAIN, recv(peer, big, 1, MSG_DONTWAIT));
	}
}

/*
 * With SA_RESTART the interrupted send() (nothing queued yet) is restarted
 * and completes once the peer reads.
 */
TEST_F(edu, send__restarted_after_signal)
{
	static char buf[100000];
	struct kicker k = { .target = pthread_self(), .ms = 150 };
	struct drainer d = { .delay_ms = 400 };
	int edu, s, peer;
	long filled;
	double t0;

	ASSERT_EQ(0, catch_usr1(true));
	for (edu = 0; edu < 2; edu++) {
		PAIR(edu, s, peer);
		small_buffers(_metadata, s, peer);
		filled = fill(s);
		ASSERT_LE(0, filled);
		__atomic_store_n(&signals, 0, __ATOMIC_SEQ_CST);
		d.fd = peer;
		d.len = filled + sizeof(buf);
		ASSERT_EQ(0, pthread_create(&k.thread, NULL, kicker_fn, &k));
		ASSERT_EQ(0, pthread_create(&d.thread, NULL, drainer_fn, &d));
		t0 = edu_now();
		ASSERT_EQ((ssize_t)sizeof(buf),
			  send(s, buf, sizeof(buf), MSG_NOSIGNAL))
			TH_LOG("%s: %s", FAM(edu), strerror(errno));
		/* It did not return before the peer started reading. */
		ASSERT_LE(0.35, edu_now() - t0);
		ASSERT_EQ(0, pthread_join(k.thread, NULL));
		ASSERT_EQ(0, pthread_join(d.thread, NULL));
		ASSERT_EQ(1, signals_seen())
			TH_LOG("%s: the handler did not run", FAM(edu));
		ASSERT_EQ(d.len, d.got);
	}
}

/* ------------------------------------------------------------ threads -- */

#define WRITERS		4
#define PER_WRITER	(256 * 1024)

/*
 * Writer @id sends PER_WRITER bytes, each byte (@id << 6 | its index in
 * the writer's own stream mod 64), in sends of varying size; a reader can
 * then check each writer's bytes arrive complete and in order, however
 * the writers' sends interleave.
 */
struct writer {
	pthread_t thread;
	int fd, id;
	long sent;
};

static void *writer_fn(void *arg)
{
	struct writer *w = arg;
	unsigned char buf[4096];
	long off = 0;
	size_t len, i;
	ssize_t n;

	while (off < PER_WRITER) {
		len = 1 + (off * 7 + w->id * 131) % sizeof(buf);
		if (len > (size_t)(PER_WRITER - off))
			len = PER_WRITER - off;
		for (i = 0; i < len; i++)
			buf[i] = w->id << 6 | ((off + i) & 63);
		n = send(w->fd, buf, len, MSG_NOSIGNAL);
		if (n <= 0)
			break;
		/* A short send goes on from where it stopped. */
		off += n;
		w->sent = off;
	}
	return NULL;
}

/* Reads WRITERS * PER_WRITER bytes and checks each writer's sequence. */
struct reader {
	pthread_t thread;
	int fd;
	long got[WRITERS];
	long total, bad;
};

static void *reader_fn(void *arg)
{
	struct reader *r = arg;
	unsigned char buf[3000];
	ssize_t n, i;
	int id;

	r->bad = -1;
	while (r->total < WRITERS * PER_WRITER) {
		n = recv(r->fd, buf, sizeof(buf), 0);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			id = buf[i] >> 6;
			if ((buf[i] & 63) != (r->got[id] & 63) && r->bad < 0)
				r->bad = r->total + i;
			r->got[id]++;
		}
		r->total += n;
	}
	return NULL;
}

/*
 * Four threads send on each end of one connection while one thread per
 * end reads: every byte of every writer arrives, in its writer's order.
 */
TEST_F(edu, threads__concurrent_send_recv)
{
	struct writer w[2][WRITERS];
	struct reader r[2];
	int edu, end, i, fd[2];

	for (edu = 0; edu < 2; edu++) {
		PAIR(edu, fd[0], fd[1]);
		memset(w, 0, sizeof(w));
		memset(r, 0, sizeof(r));
		for (end = 0; end < 2; end++) {
			r[end].fd = fd[end];
			ASSERT_EQ(0, pthread_create(&r[end].thread, NULL,
						    reader_fn, &r[end]));
			for (i = 0; i < WRITERS; i++) {
				w[end][i].fd = fd[end];
				w[end][i].id = i;
				ASSERT_EQ(0, pthread_create(&w[end][i].thread,
							    NULL, writer_fn,
							    &w[end][i]));
			}
		}
		for (end = 0; end < 2; end++) {
			for (i = 0; i < WRITERS; i++) {
				ASSERT_EQ(0, pthread_join(w[end][i].thread,
							  NULL));
				ASSERT_EQ(PER_WRITER, w[end][i].sent);
			}
			ASSERT_EQ(0, pthread_join(r[end].thread, NULL));
		}
		for (end = 0; end < 2; end++) {
			ASSERT_EQ(-1, r[end].bad)
				TH_LOG("%s end %d: byte %ld out of order",
				       FAM(edu), end, r[end].bad);
			for (i = 0; i < WRITERS; i++)
				ASSERT_EQ(PER_WRITER, r[end].got[i])
					TH_LOG("%s end %d writer %d", FAM(edu),
					       end, i);
		}
	}
}

struct blocked_recv {
	pthread_t thread;
	int fd;
	ssize_t ret;
	int err;
	int done;
};

static void *blocked_recv_fn(void *arg)
{
	struct blocked_recv *b = arg;
	char buf[16];

	b->ret = recv(b->fd, buf, sizeof(buf), 0);
	b->err = errno;
	__atomic_store_n(&b->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Wait up to @ms for @b's recv() to return. */
static bool recv_returns(struct blocked_recv *b, int ms)
{
	int *done = &b->done;

	for (; ms > 0 && !__atomic_load_n(done, __ATOMIC_SEQ_CST); ms -= 10)
		edu_msleep(10);
	return __atomic_load_n(done, __ATOMIC_SEQ_CST);
}

/*
 * shutdown(SHUT_RD) or SHUT_RDWR from another thread wakes a thread
 * blocked in recv(), which returns 0, as on Linux TCP.
 */
TEST_F(edu, threads__shutdown_wakes_recv)
{
	static const int hows[] = { SHUT_RD, SHUT_RDWR };
	struct blocked_recv b;
	int edu, h, s, peer;

	for (edu = 0; edu < 2; edu++) {
		for (h = 0; h < 2; h++) {
			PAIR(edu, s, peer);
			memset(&b, 0, sizeof(b));
			b.fd = s;
			ASSERT_EQ(0, pthread_create(&b.thread, NULL,
						    blocked_recv_fn, &b));
			ASSERT_FALSE(recv_returns(&b, 200));
			ASSERT_EQ(0, shutdown(s, hows[h]));
			ASSERT_TRUE(recv_returns(&b, 2000))
				TH_LOG("%s: recv() still blocked after %s",
				       FAM(edu), h ? "SHUT_RDWR" : "SHUT_RD");
			ASSERT_EQ(0, pthread_join(b.thread, NULL));
			ASSERT_EQ(0, b.ret) TH_LOG("%s: %s", FAM(edu),
						   strerror(b.err));
		}
	}
}

/*
 * close() from another thread does not wake a thread blocked in recv() on
 * Linux: the call holds its own reference to the file.  The recv() returns
 * when data comes, and the socket is released after it.
 */
TEST_F(edu, threads__close_during_recv)
{
	struct blocked_recv b;
	int edu, s, peer;

	for (edu = 0; edu < 2; edu++) {
		PAIR(edu, s, peer);
		memset(&b, 0, sizeof(b));
		b.fd = s;
		ASSERT_EQ(0, pthread_create(&b.thread, NULL, blocked_recv_fn,
					    &b));
		ASSERT_FALSE(recv_returns(&b, 200));
		ASSERT_EQ(0, edu_close(s));
		ASSERT_FALSE(recv_returns(&b, 300)) TH_LOG("%s", FAM(edu));
		ASSERT_EQ(3, write(peer, "abc", 3));
		ASSERT_TRUE(recv_returns(&b, 2000)) TH_LOG("%s", FAM(edu));
		ASSERT_EQ(0, pthread_join(b.thread, NULL));
		ASSERT_EQ(3, b.ret) TH_LOG("%s: %s", FAM(edu),
					   strerror(b.err));
		/* The last reference is gone: the peer sees our FIN. */
		ASSERT_EQ(0, edu_wait(peer, POLLIN, 2000));
		ASSERT_EQ(0, read(peer, &b.err, 1));
	}
}

/* ------------------------------------------------------- receive flags -- */

/* Wait until @fd has @n unread bytes (SIOCINQ). */
static int wait_inq(int fd, int n)
{
	int i, q = -1;

	for (i = 0; i < 200; i++) {
		if (ioctl(fd, SIOCINQ, &q))
			return -1;
		if (q >= n)
			break;
		edu_msleep(10);
	}
	return q;
}

/*
 * MSG_TRUNC on a stream socket discards the bytes and returns their count
 * (no buffer is needed); with MSG_PEEK it counts without consuming.
 */
TEST_F(edu, recv__trunc)
{
	int edu, s, peer;
	char buf[16];

	for (edu = 0; edu < 2; edu++) {
		PAIR(edu, s, peer);
		ASSERT_EQ(11, write(peer, "hello world", 11));
		ASSERT_EQ(11, wait_inq(s, 11));
		ASSERT_EQ(4, recv(s, buf, 4, MSG_PEEK | MSG_TRUNC));
		ASSERT_EQ(11, recv(s, NULL, 100, MSG_PEEK | MSG_TRUNC |
				   MSG_DONTWAIT)) TH_LOG("%s", FAM(edu));
		ASSERT_EQ(11, wait_inq(s, 11));
		ASSERT_EQ(6, recv(s, NULL, 6, MSG_TRUNC))
			TH_LOG("%s: %s", FAM(edu), strerror(errno));
		ASSERT_EQ(5, wait_inq(s, 5));
		memset(buf, 0, sizeof(buf));
		ASSERT_EQ(5, recv(s, buf, sizeof(buf), 0));
		ASSERT_STREQ("world", buf);
		ASSERT_EQ(3, write(peer, "xyz", 3));
		ASSERT_EQ(3, wait_inq(s, 3));
		ASSERT_EQ(3, recv(s, NULL, 100, MSG_TRUNC | MSG_DONTWAIT));
		ASSERT_ERRNO(EAGAIN, recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	}
}

/*
 * MSG_OOB with no urgent data: EINVAL, with or without data queued, and
 * the data stays; on a listener ENOTCONN comes first.
 */
TEST_F(edu, recv__oob)
{
	int edu, s, peer, l;
	char buf[16];

	for (edu = 0; edu < 2; edu++) {
		PAIR(edu, s, peer);
		ASSERT_ERRNO(EINVAL, recv(s, buf, 1, MSG_OOB));
		ASSERT_ERRNO(EINVAL, recv(s, buf, 1, MSG_OOB | MSG_DONTWAIT));
		ASSERT_EQ(3, write(peer, "abc", 3));
		ASSERT_EQ(3, wait_inq(s, 3));
		ASSERT_ERRNO(EINVAL, recv(s, buf, 1, MSG_OOB));
		ASSERT_EQ(3, recv(s, buf, sizeof(buf), 0));

		l = edu ? edu_open(0) : tcp_open();
		ASSERT_LT(0, edu_listen_on(l, EDU_LOOPBACK, 1));
		ASSERT_ERRNO(ENOTCONN, recv(l, buf, 1, MSG_OOB));
	}
}

/*
 * MSG_ERRQUEUE reads the error queue, which a TCP socket without
 * timestamping or zerocopy never fills: EAGAIN at once, never the data.
 * (SO_RCVTIMEO only keeps a wrong implementation from hanging.)
 */
TEST_F(edu, recv__errqueue)
{
	struct timeval tv = { 1, 0 };
	char buf[16], cbuf[256];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	int edu, s, peer;
	double t0;

	for (edu = 0; edu < 2; edu++) {
		PAIR(edu, s, peer);
		ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv,
					sizeof(tv)));
		t0 = edu_now();
		ASSERT_ERRNO(EAGAIN, recv(s, buf, sizeof(buf), MSG_ERRQUEUE));
		ASSERT_GT(0.5, edu_now() - t0) TH_LOG("%s: waited", FAM(edu));
		ASSERT_EQ(3, write(peer, "abc", 3));
		ASSERT_EQ(3, wait_inq(s, 3));
		ASSERT_ERRNO(EAGAIN, recvmsg(s, &mh, MSG_ERRQUEUE));
		ASSERT_EQ(3, wait_inq(s, 3));
		ASSERT_EQ(3, recv(s, buf, sizeof(buf), 0));
	}
}

/* --------------------------------------------------- buffer options -- */

/*
 * SO_RCVBUF and SO_SNDBUF store twice the value asked for (the kernel's
 * bookkeeping overhead), clamped to the sysctl maxima and to a minimum,
 * exactly as for TCP.
 */
TEST_F(edu, sockopt__buffer_sizes)
{
	static const int asks[] = { 1, 1000, 4096, 8192, 65536, 1 << 30 };
	static const int opts[] = { SO_RCVBUF, SO_SNDBUF };
	int t, e, o, i, v[2];

	t = tcp_open();
	e = edu_open(0);
	ASSERT_LE(0, t);
	ASSERT_LE(0, e);
	for (o = 0; o < 2; o++) {
		for (i = 0; i < (int)ARRAY_SIZE(asks); i++) {
			ASSERT_EQ(0, edu_set_int(t, SOL_SOCKET, opts[o],
						 asks[i]));
			ASSERT_EQ(0, edu_set_int(e, SOL_SOCKET, opts[o],
						 asks[i]));
			v[0] = edu_get_int(t, SOL_SOCKET, opts[o]);
			v[1] = edu_get_int(e, SOL_SOCKET, opts[o]);
			ASSERT_EQ(v[0], v[1])
				TH_LOG("%s %d: TCP %d, AF_EDU %d",
				       o ? "SO_SNDBUF" : "SO_RCVBUF", asks[i],
				       v[0], v[1]);
			if (asks[i] >= 4096 && asks[i] <= 65536)
				ASSERT_EQ(2 * asks[i], v[1]);
		}
	}
}

/* Largest SIOCINQ/SIOCOUTQ seen while polling @fd for @ms. */
static int max_queue(int fd, unsigned long req, int ms)
{
	double end = edu_now() + ms / 1000.0;
	int q, max = 0;

	while (edu_now() < end) {
		if (ioctl(fd, req, &q))
			return -1;
		if (q > max)
			max = q;
		usleep(1000);
	}
	return max;
}

/*
 * A connection over loopback from a socket under test (AF_EDU if @edu)
 * with @opt at 16384 to a kernel TCP peer with @peer_opt at 65536, both
 * set before the handshake, as an application does to size its window.
 * TCP_MAXSEG makes the segments those of an Ethernet link, as small
 * beside the buffers as they are there.
 */
static void connect_bufs(struct __test_metadata *_metadata,
			 struct _test_data_edu *self, bool edu, int opt,
			 int peer_opt, int *s, int *peer)
{
	int l, port;

	l = tcp_open();
	ASSERT_LE(0, l);
	ASSERT_EQ(0, edu_set_int(l, SOL_SOCKET, peer_opt, 65536));
	ASSERT_EQ(0, edu_set_int(l, SOL_TCP, TCP_MAXSEG, 1448));
	port = edu_listen_on(l, EDU_LOOPBACK, 1);
	ASSERT_LT(0, port);
	*s = edu ? edu_open(0) : tcp_open();
	ASSERT_LE(0, *s);
	ASSERT_EQ(0, edu_set_int(*s, SOL_SOCKET, opt, 16384));
	ASSERT_EQ(0, edu_set_int(*s, SOL_TCP, TCP_MAXSEG, 1448));
	ASSERT_EQ(0, edu_connect_to(*s, EDU_LOOPBACK, port));
	*peer = edu_track(accept(l, NULL, NULL));
	ASSERT_LE(0, *peer);
	edu_close(l);
}

/*
 * An application that does not read: the receive queue stops growing at
 * SO_RCVBUF (the advertised window closes), and its sender's queue at
 * SO_SNDBUF.  @dir 0: the socket under test receives (SIOCINQ); 1: it
 * sends (SIOCOUTQ).
 */
static void buffer_bounds_queue(struct __test_metadata *_metadata,
				struct _test_data_edu *self, int dir)
{
	static char buf[65536];
	int edu, s, peer, snd, rcv, opt, bound, q;
	const char *what = dir ? "SIOCOUTQ" : "SIOCINQ";
	unsigned long req;
	ssize_t n;
	long total;

	opt = dir ? SO_SNDBUF : SO_RCVBUF;
	req = dir ? SIOCOUTQ : SIOCINQ;
	for (edu = 0; edu < 2; edu++) {
		connect_bufs(_metadata, self, edu, opt,
			     dir ? SO_RCVBUF : SO_SNDBUF, &s, &peer);
		snd = dir ? s : peer;
		rcv = dir ? peer : s;
		bound = edu_get_int(s, SOL_SOCKET, opt);
		ASSERT_EQ(32768, bound);
		total = 0;
		for (;;) {
			n = send(snd, buf, sizeof(buf),
				 MSG_DONTWAIT | MSG_NOSIGNAL);
			if (n < 0 && errno == EAGAIN) {
				if (edu_wait(snd, POLLOUT, 200))
					break;
				continue;
			}
			ASSERT_LT(0, n);
			total += n;
			ASSERT_GT(64L << 20, total)
				TH_LOG("%s: no end", FAM(edu));
		}
		q = max_queue(s, req, 200);
		TH_LOG("%s %s: %d queued, buffer %d, %ld sent", FAM(edu),
		       what, q, bound, total);
		ASSERT_LT(0, q);
		ASSERT_GE(bound, q) TH_LOG("%s: %s %d over %d", FAM(edu),
					   what, q, bound);
		ASSERT_EQ(total, drain(rcv, total));
		edu_close(s);
		edu_close(peer);
	}
}

TEST_F(edu, sockopt__rcvbuf_bounds_inq)
{
	buffer_bounds_queue(_metadata, self, 0);
}

TEST_F(edu, sockopt__sndbuf_bounds_outq)
{
	buffer_bounds_queue(_metadata, self, 1);
}

/* ------------------------------------------------ Nagle, TCP_NODELAY -- */

/*
 * Segments AF_EDU sends for 100 one-byte writes to a kernel TCP peer, not
 * counting retransmissions: a stalled VM can make the RTO expire, and the
 * whole flight (tens of segments with TCP_NODELAY) then goes again.
 */
static long burst_segs(struct __test_metadata *_metadata,
		       struct _test_data_edu *self, bool nodelay)
{
	long before, after, rtx;
	char buf[128];
	int s, peer, i;

	edu_connect_pair(_metadata, self, EDU_LO, true, false, &s, &peer);
	/* The peer delays its ACKs, as after a connection's first segments. */
	edu_set_int(peer, SOL_TCP, TCP_QUICKACK, 0);
	if (nodelay)
		edu_set_int(s, SOL_TCP, TCP_NODELAY, 1);
	before = edu_counter("OutSegs");
	rtx = edu_counter("RetransSegs");
	for (i = 0; i < 100; i++)
		if (send(s, "x", 1, 0) != 1)
			return -1;
	if (drain(peer, 100) != 100)
		return -1;
	/* The last bytes may wait for an ACK: all have arrived now. */
	after = edu_counter("OutSegs");
	rtx = edu_counter("RetransSegs") - rtx;
	if (rtx)
		TH_LOG("%ld retransmissions (not counted)", rtx);
	recv(peer, buf, sizeof(buf), MSG_DONTWAIT);
	return after - before - rtx;
}

/*
 * Nagle (RFC 9293 section 3.7.4): while data is unacknowledged, small
 * writes wait and coalesce; TCP_NODELAY sends each at once.
 */
TEST_F(edu, nagle__coalesces_small_writes)
{
	long nagle, nodelay;

	ASSERT_LE(0, edu_counter("OutSegs"));
	nodelay = burst_segs(_metadata, self, true);
	nagle = burst_segs(_metadata, self, false);
	TH_LOG("OutSegs for 100 one-byte writes: %ld with TCP_NODELAY, %ld with Nagle",
	       nodelay, nagle);
	ASSERT_LE(100, nodelay);
	ASSERT_GT(120, nodelay);
	ASSERT_LT(0, nagle);
	ASSERT_GT(30, nagle);
}

/* -------------------------------------------------- simultaneous open -- */

/*
 * Simultaneous open (RFC 9293 section 3.5, figure 8): two sockets bound to
 * ports of their own connect to each other, and both SYNs cross (loopback
 * delays packets 100 ms); both connections complete and carry data both
 * ways.  Kernel TCP on both ends first, then AF_EDU on both, then mixed.
 */
TEST_F(edu, connect__simultaneous_open)
{
	int k, p[2], fd[2], i;
	char buf[8];
	bool edu;

	ASSERT_EQ(0, edu_sh("tc qdisc add dev lo root netem delay 100ms"));
	for (k = 0; k < 3; k++) {
		for (i = 0; i < 2; i++) {
			edu = k == 1 || (k == 2 && i == 0);
			fd[i] = edu ? edu_open(SOCK_NONBLOCK) :
				edu_track(socket(AF_INET,
						 SOCK_STREAM | SOCK_NONBLOCK, 0));
			ASSERT_LE(0, fd[i]);
			p[i] = edu_free_port();
			ASSERT_EQ(0, edu_bind_to(fd[i], EDU_LOOPBACK, p[i]));
		}
		ASSERT_ERRNO(EINPROGRESS, edu_connect_to(fd[0], EDU_LOOPBACK,
							 p[1]));
		ASSERT_ERRNO(EINPROGRESS, edu_connect_to(fd[1], EDU_LOOPBACK,
							 p[0]));
		for (i = 0; i < 2; i++) {
			ASSERT_EQ(0, edu_wait(fd[i], POLLOUT, 3000))
				TH_LOG("case %d socket %d", k, i);
			ASSERT_EQ(0, edu_so_error(fd[i]))
				TH_LOG("case %d socket %d", k, i);
			ASSERT_EQ(p[!i], edu_peer_port(fd[i]));
		}
		for (i = 0; i < 2; i++) {
			ASSERT_EQ(2, send(fd[i], i ? "b" : "a", 2, 0));
			ASSERT_EQ(0, edu_wait(fd[!i], POLLIN, 3000));
			ASSERT_EQ(2, recv(fd[!i], buf, sizeof(buf), 0));
			ASSERT_EQ(i ? 'b' : 'a', buf[0]);
		}
		edu_close(fd[0]);
		edu_close(fd[1]);
	}
}

/* -------------------------------------------------------- backlog -- */

#define CLIENTS		3

/*
 * The accept queue holds backlog + 1 connections: with backlog 1 and three
 * kernel TCP clients, two can be accepted at once and the third's SYN is
 * dropped (its client still connecting); once the listener accepts, the
 * retransmitted SYN gets in and every client connects.  Linux TCP answers
 * a SYN beyond the SYN queue with a syncookie, which AF_EDU does not do:
 * the reference runs without them (net.ipv4.tcp_syncookies = 0).
 */
TEST_F(edu, listen__backlog_bound)
{
	struct edu_proc_line pl;
	int edu, l, port, i, n, a[CLIENTS], c[CLIENTS];
	double end;
	char ch;

	ASSERT_EQ(0, edu_sh("sysctl -qw net.ipv4.tcp_syncookies=0"));
	for (edu = 0; edu < 2; edu++) {
		l = edu ? edu_open(SOCK_NONBLOCK) :
			  edu_track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK,
					   0));
		ASSERT_LE(0, l);
		port = edu_listen_on(l, EDU_LOOPBACK, 1);
		ASSERT_LT(0, port);
		for (i = 0; i < CLIENTS; i++) {
			c[i] = edu_track(socket(AF_INET,
						SOCK_STREAM | SOCK_NONBLOCK, 0));
			ASSERT_LE(0, c[i]);
			ASSERT_ERRNO(EINPROGRESS,
				     edu_connect_to(c[i], EDU_LOOPBACK, port));
		}
		edu_msleep(300);
		if (edu) {
			ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(l),
						   &pl));
			ASSERT_EQ(2U, pl.rx_queue);
		}
		/* Exactly backlog + 1 are there to take. */
		for (n = 0; n < CLIENTS; n++) {
			a[n] = edu_track(accept(l, NULL, NULL));
			if (a[n] < 0)
				break;
		}
		ASSERT_EQ(EAGAIN, errno);
		ASSERT_EQ(2, n) TH_LOG("%s: %d accepted at once", FAM(edu), n);
		/* The rest come with their SYNs' retransmission (1 s). */
		end = edu_now() + 4;
		while (n < CLIENTS && edu_now() < end) {
			if (edu_wait(l, POLLIN, 100))
				continue;
			a[n] = edu_track(accept(l, NULL, NULL));
			if (a[n] >= 0)
				n++;
		}
		ASSERT_EQ(CLIENTS, n) TH_LOG("%s: %d accepted", FAM(edu), n);
		for (i = 0; i < CLIENTS; i++) {
			ASSERT_EQ(0, edu_wait(c[i], POLLOUT, 1000));
			ASSERT_EQ(0, edu_so_error(c[i]));
			ASSERT_EQ(1, write(c[i], "c", 1));
			ASSERT_EQ(0, edu_wait(a[i], POLLIN, 1000));
			ASSERT_EQ(1, read(a[i], &ch, 1));
		}
		for (i = 0; i < CLIENTS; i++) {
			edu_close(a[i]);
			edu_close(c[i]);
		}
		edu_close(l);
	}
}

TEST_HARNESS_MAIN
