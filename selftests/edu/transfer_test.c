// SPDX-License-Identifier: GPL-2.0
/*
 * transfer_test.c - the byte stream: transfers of 0 bytes to 100 MB in
 * each direction between AF_EDU and kernel TCP and between two AF_EDU
 * sockets, over loopback and over a veth pair between two network
 * namespaces, each checked byte for byte and ended by the sender's FIN;
 * full-duplex echo; the receive flags (MSG_PEEK, MSG_WAITALL,
 * MSG_DONTWAIT), readv/writev, a send buffer that fills up, and segments
 * delivered with their checksum unverified or merged by GRO.
 *
 * Every transfer sends a deterministic pseudo-random stream (edu_pattern())
 * so that the receiver can check each byte where it lands.
 */
#include <linux/sockios.h>
#include <signal.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "edu_test.h"

#define MB		(1024 * 1024)

/* Join a pump and check that it moved @len bytes intact. */
static void pump_join(struct __test_metadata *_metadata, struct edu_pump *p,
		      size_t len)
{
	const char *what = p->dir == EDU_PUMP_SEND ? "send" : "receive";

	ASSERT_EQ(0, pthread_join(p->thread, NULL));
	ASSERT_NE(-2, p->done) TH_LOG("%s: byte %ld is wrong", what, p->bad);
	ASSERT_EQ((long)len, p->done)
		TH_LOG("%s: %ld of %zu bytes, then %s", what, p->done, len,
		       strerror(p->err));
}

/*
 * Send @len bytes from the client to the server and check them; the
 * client's shutdown(SHUT_WR) must reach the server as EOF.
 */
static void transfer(struct __test_metadata *_metadata,
		     struct _test_data_edu *self, int ns, bool src_edu,
		     bool dst_edu, size_t len)
{
	struct edu_pump snd, rcv;
	unsigned int seed = len * 31 + src_edu * 2 + dst_edu;
	int src, dst;
	char c;

	edu_connect_pair(_metadata, self, ns, src_edu, dst_edu, &src, &dst);
	ASSERT_EQ(0, edu_pump_start(&rcv, EDU_PUMP_RECV, dst, seed, 0));
	ASSERT_EQ(0, edu_pump_start(&snd, EDU_PUMP_SEND, src, seed, len));
	pump_join(_metadata, &snd, len);
	pump_join(_metadata, &rcv, len);
	if (len >= 10 * MB)
		TH_LOG("%s -> %s: %zu MB in %.2f s", edu_family_name(src_edu),
		       edu_family_name(dst_edu), len / MB, rcv.secs);
	/* EOF stays EOF. */
	ASSERT_EQ(0, read(dst, &c, 1));
	ASSERT_EQ(0, edu_close(src));
	ASSERT_EQ(0, edu_close(dst));
}

static void transfers(struct __test_metadata *_metadata,
		      struct _test_data_edu *self, bool veth, bool src_edu,
		      bool dst_edu)
{
	static const size_t sizes[] = { 0, 1, MB };
	int ns = EDU_LO;
	unsigned int i;

	if (veth) {
		ns = edu_track(edu_veth_peer());
		ASSERT_LE(0, ns) TH_LOG("cannot set up the veth pair");
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		transfer(_metadata, self, ns, src_edu, dst_edu, sizes[i]);
}

TEST_F(edu, transfer__edu_to_tcp_lo)
{
	transfers(_metadata, self, false, true, false);
}

TEST_F(edu, transfer__tcp_to_edu_lo)
{
	transfers(_metadata, self, false, false, true);
}

TEST_F(edu, transfer__edu_to_edu_lo)
{
	transfers(_metadata, self, false, true, true);
}

TEST_F(edu, transfer__edu_to_tcp_veth)
{
	transfers(_metadata, self, true, true, false);
}

TEST_F(edu, transfer__tcp_to_edu_veth)
{
	transfers(_metadata, self, true, false, true);
}

TEST_F(edu, transfer__edu_to_edu_veth)
{
	transfers(_metadata, self, true, true, true);
}

/*
 * 100 MB over the veth pair, each way.  Kernel TCP moves it in about a
 * second under TCG; the limit leaves AF_EDU a generous margin.
 */
#define BIG	(100 * MB)

TEST_F_TIMEOUT(edu, transfer__edu_to_tcp_100mb, 90)
{
	int ns = edu_track(edu_veth_peer());

	ASSERT_LE(0, ns);
	transfer(_metadata, self, ns, true, false, BIG);
}

TEST_F_TIMEOUT(edu, transfer__tcp_to_edu_100mb, 90)
{
	int ns = edu_track(edu_veth_peer());

	ASSERT_LE(0, ns);
	transfer(_metadata, self, ns, false, true, BIG);
}

/* ------------------------------------------- how the stack delivers -- */

static long snmp(const char *name);

/* An /proc/net/edu_snmp counter of namespace @ns, or -1. */
static long snmp_in(int ns, const char *name)
{
	int here = edu_netns_open();
	long val = -1;

	if (here < 0)
		return -1;
	if (!setns(ns, CLONE_NEWNET)) {
		val = snmp(name);
		if (setns(here, CLONE_NEWNET))
			abort();	/* lost in the other namespace */
	}
	close(here);
	return val;
}

/* An /proc/net/edu_snmp counter of the current namespace, or -1. */
static long snmp(const char *name)
{
	char names[1024], values[1024], *n, *v, *sn, *sv;
	static const char sep[] = { ' ', '\n', '\0' };
	long val = -1;
	FILE *f = fopen("/proc/net/edu_snmp", "r");

	if (!f)
		return -1;
	if (fgets(names, sizeof(names), f) && fgets(values, sizeof(values), f)) {
		n = strtok_r(names, sep, &sn);
		v = strtok_r(values, sep, &sv);
		while (n && v) {
			if (!strcmp(n, name))
				val = atol(v);
			n = strtok_r(NULL, sep, &sn);
			v = strtok_r(NULL, sep, &sv);
		}
	}
	fclose(f);
	return val;
}

/* Run ethtool -K on both ends of the veth pair (@ns: the peer's). */
static int veth_features(int ns, const char *features)
{
	return edu_sh("ethtool -K edu_h %s && nsenter --net=/proc/%d/fd/%d ethtool -K edu_p %s",
		      features, getpid(), ns, features);
}

/*
 * With checksum offload off on the veth pair, segments arrive with their
 * checksum to be verified in software (CHECKSUM_NONE) rather than vouched
 * for by the sender (CHECKSUM_PARTIAL/UNNECESSARY): every byte still
 * arrives, in each direction.
 */
TEST_F(edu, transfer__veth_checksum_in_software)
{
	int ns = edu_track(edu_veth_peer());

	ASSERT_LE(0, ns);
	ASSERT_EQ(0, veth_features(ns, "tx off rx off"));
	transfer(_metadata, self, ns, true, false, MB);
	transfer(_metadata, self, ns, false, true, MB);
	transfer(_metadata, self, ns, true, true, MB);
}

/*
 * With GRO on the veth pair, kernel TCP's segments reach AF_EDU merged:
 * one skb carries several segments.  They are taken whole, and fewer
 * skbs arrive than segments were sent, which shows GRO really merged.
 */
TEST_F(edu, transfer__veth_gro)
{
	int ns = edu_track(edu_veth_peer());
	long before, skbs;

	ASSERT_LE(0, ns);
	ASSERT_EQ(0, veth_features(ns, "gro on"));
	/* The AF_EDU server is in the peer namespace: count there. */
	before = snmp_in(ns, "InSegs");
	ASSERT_LE(0, before);
	transfer(_metadata, self, ns, false, true, 4 * MB);
	skbs = snmp_in(ns, "InSegs") - before;
	TH_LOG("4 MB (%d full segments) in %ld skbs", 4 * MB / 1448, skbs);
	ASSERT_LT(0, skbs);
	ASSERT_GT(4 * MB / 1448, skbs);
}

/* ------------------------------------------------------ full duplex -- */

/* Both ends send 1 MB and receive the other's 1 MB at the same time. */
static void duplex(struct __test_metadata *_metadata,
		   struct _test_data_edu *self, int ns, bool cli_edu,
		   bool srv_edu)
{
	struct edu_pump p[4];
	int cli, srv, i;

	edu_connect_pair(_metadata, self, ns, cli_edu, srv_edu, &cli, &srv);
	ASSERT_EQ(0, edu_pump_start(&p[0], EDU_PUMP_RECV, cli, 2, 0));
	ASSERT_EQ(0, edu_pump_start(&p[1], EDU_PUMP_RECV, srv, 1, 0));
	ASSERT_EQ(0, edu_pump_start(&p[2], EDU_PUMP_SEND, cli, 1, MB));
	ASSERT_EQ(0, edu_pump_start(&p[3], EDU_PUMP_SEND, srv, 2, MB));
	for (i = 0; i < 4; i++)
		pump_join(_metadata, &p[i], MB);
}

TEST_F(edu, duplex__edu_tcp_lo)
{
	duplex(_metadata, self, EDU_LO, true, false);
}

TEST_F(edu, duplex__tcp_edu_lo)
{
	duplex(_metadata, self, EDU_LO, false, true);
}

TEST_F(edu, duplex__edu_edu_lo)
{
	duplex(_metadata, self, EDU_LO, true, true);
}

TEST_F(edu, duplex__edu_tcp_veth)
{
	int ns = edu_track(edu_veth_peer());

	ASSERT_LE(0, ns);
	duplex(_metadata, self, ns, true, false);
	duplex(_metadata, self, ns, false, true);
}

/* ---------------------------------------------------- receive flags -- */

/*
 * The receive-side cases run twice: first with kernel TCP receiving (the
 * reference), then with AF_EDU receiving, from kernel TCP.
 */
#define RECEIVER_PAIR(edu, src, dst) \
	edu_connect_pair(_metadata, self, EDU_LO, false, edu, &(src), &(dst))

TEST_F(edu, recv__peek)
{
	char buf[64];
	int edu, src, dst;

	for (edu = 0; edu < 2; edu++) {
		RECEIVER_PAIR(edu, src, dst);
		ASSERT_EQ(11, write(src, "hello world", 11));
		ASSERT_EQ(0, edu_wait(dst, POLLIN, 5000));
		memset(buf, 0, sizeof(buf));
		ASSERT_EQ(5, recv(dst, buf, 5, MSG_PEEK));
		ASSERT_EQ(0, memcmp(buf, "hello", 5));
		/* Peeking again sees the same bytes, and all of them. */
		ASSERT_EQ(11, recv(dst, buf, sizeof(buf), MSG_PEEK))
			TH_LOG("%s", edu_family_name(edu));
		ASSERT_EQ(0, memcmp(buf, "hello world", 11));
		ASSERT_EQ(POLLIN, edu_poll1(dst, POLLIN, 0));
		/* Now consumed. */
		memset(buf, 0, sizeof(buf));
		ASSERT_EQ(6, recv(dst, buf, 6, 0));
		ASSERT_EQ(0, memcmp(buf, "hello ", 6));
		ASSERT_EQ(5, recv(dst, buf, sizeof(buf), MSG_PEEK));
		ASSERT_EQ(5, recv(dst, buf, sizeof(buf), 0));
		ASSERT_EQ(0, memcmp(buf, "world", 5));
		ASSERT_ERRNO(EAGAIN, recv(dst, buf, sizeof(buf),
					  MSG_DONTWAIT | MSG_PEEK));
		ASSERT_EQ(0, edu_poll1(dst, POLLIN, 0));
	}
}

/* Writes @n chunks of @chunk bytes of stream 7, @ms apart. */
struct dribble {
	pthread_t thread;
	int fd, n, chunk, ms;
};

static void *dribble_fn(void *arg)
{
	struct dribble *d = arg;
	char buf[4096];
	int i;

	for (i = 0; i < d->n; i++) {
		edu_msleep(d->ms);
		edu_pattern(7, (unsigned long long)i * d->chunk, buf, d->chunk);
		if (write(d->fd, buf, d->chunk) != d->chunk)
			break;
	}
	return NULL;
}

TEST_F(edu, recv__waitall)
{
	struct dribble d = { .n = 4, .chunk = 1000, .ms = 100 };
	char buf[4096];
	int edu, src, dst;
	double t0, dt;

	for (edu = 0; edu < 2; edu++) {
		RECEIVER_PAIR(edu, src, dst);
		d.fd = src;
		ASSERT_EQ(0, pthread_create(&d.thread, NULL, dribble_fn, &d));
		t0 = edu_now();
		ASSERT_EQ(4000, recv(dst, buf, 4000, MSG_WAITALL))
			TH_LOG("%s: %s", edu_family_name(edu), strerror(errno));
		dt = edu_now() - t0;
		ASSERT_EQ(-1, edu_pattern_check(7, 0, buf, 4000));
		ASSERT_LE(0.3, dt) TH_LOG("returned after %.3f s", dt);
		ASSERT_EQ(0, pthread_join(d.thread, NULL));
		/* Cut short by EOF: what there is. */
		ASSERT_EQ(3, write(src, "end", 3));
		ASSERT_EQ(0, shutdown(src, SHUT_WR));
		ASSERT_EQ(3, recv(dst, buf, sizeof(buf), MSG_WAITALL));
		ASSERT_EQ(0, recv(dst, buf, sizeof(buf), MSG_WAITALL));
	}
}

TEST_F(edu, recv__dontwait_empty)
{
	char buf[16];
	int edu, src, dst;

	for (edu = 0; edu < 2; edu++) {
		RECEIVER_PAIR(edu, src, dst);
		ASSERT_ERRNO(EAGAIN, recv(dst, buf, sizeof(buf), MSG_DONTWAIT));
		ASSERT_EQ(0, fcntl(dst, F_SETFL, O_NONBLOCK));
		ASSERT_ERRNO(EAGAIN, read(dst, buf, sizeof(buf)));
		ASSERT_EQ(0, edu_poll1(dst, POLLIN, 0));
		ASSERT_EQ(POLLOUT, edu_poll1(dst, POLLIN | POLLOUT, 0));
	}
}

TEST_F(edu, readv_writev)
{
	enum { LEN = 100000 };
	static char in[LEN], out[LEN];
	struct iovec wv[3] = {
		{ out, 1 }, { out + 1, 40000 }, { out + 40001, LEN - 40001 },
	};
	struct iovec rv[3];
	int edu, src, dst, k;
	ssize_t n, got;

	edu_pattern(9, 0, out, LEN);
	for (k = 0; k < 2; k++) {
		/* AF_EDU writes (k = 0), then reads (k = 1). */
		edu_connect_pair(_metadata, self, EDU_LO, !k, k, &src, &dst);
		edu = k;
		ASSERT_EQ(LEN, writev(src, wv, 3))
			TH_LOG("writev: %s", strerror(errno));
		memset(in, 0, sizeof(in));
		for (got = 0; got < LEN; got += n) {
			size_t left = LEN - got, a = left < 7 ? left : 7;

			rv[0] = (struct iovec){ in + got, a };
			rv[1] = (struct iovec){ in + got + a, 0 };
			rv[2] = (struct iovec){ in + got + a, left - a };
			ASSERT_EQ(0, edu_wait(dst, POLLIN, 5000));
			n = readv(dst, rv, 3);
			ASSERT_LT(0, n) TH_LOG("%s readv: %s",
					       edu_family_name(edu),
					       strerror(errno));
		}
		ASSERT_EQ(LEN, got);
		ASSERT_EQ(-1, edu_pattern_check(9, 0, in, LEN));
	}
}

/* -------------------------------------------------------- send buffer -- */

/*
 * Nonblocking sends to a peer that does not read: the send buffer (and the
 * peer's receive window) fill up, send() fails with EAGAIN and POLLOUT
 * clears; once the peer reads, POLLOUT returns and every byte arrives.
 */
static void fill_up(struct __test_metadata *_metadata,
		    struct _test_data_edu *self, bool edu)
{
	static char buf[65536];
	struct edu_pump rcv;
	long total = 0;
	ssize_t n;
	int src, dst;

	edu_connect_pair(_metadata, self, EDU_LO, edu, false, &src, &dst);
	ASSERT_EQ(0, edu_set_int(src, SOL_SOCKET, SO_SNDBUF, 8192));
	ASSERT_EQ(0, edu_set_int(dst, SOL_SOCKET, SO_RCVBUF, 8192));
	ASSERT_EQ(0, fcntl(src, F_SETFL, O_NONBLOCK));
	for (;;) {
		edu_pattern(5, total, buf, sizeof(buf));
		n = send(src, buf, sizeof(buf), MSG_NOSIGNAL);
		if (n < 0 && errno == EAGAIN) {
			/* Let the segments in flight land, then try again. */
			edu_msleep(200);
			edu_pattern(5, total, buf, sizeof(buf));
			n = send(src, buf, sizeof(buf), MSG_NOSIGNAL);
			if (n < 0 && errno == EAGAIN)
				break;
		}
		ASSERT_LT(0, n) TH_LOG("%s send: %s", edu_family_name(edu),
				       strerror(errno));
		total += n;
		ASSERT_GT(16 * MB, total)
			TH_LOG("%s: %ld bytes sent and no EAGAIN",
			       edu_family_name(edu), total);
	}
	TH_LOG("%s: EAGAIN after %ld bytes", edu_family_name(edu), total);
	ASSERT_EQ(0, edu_poll1(src, POLLOUT, 0));
	ASSERT_EQ(0, edu_pump_start(&rcv, EDU_PUMP_RECV, dst, 5, 0));
	ASSERT_EQ(0, edu_wait(src, POLLOUT, 5000));
	ASSERT_EQ(0, shutdown(src, SHUT_WR));
	pump_join(_metadata, &rcv, total);
}

TEST_F(edu, send__nonblocking_full)
{
	fill_up(_metadata, self, false);
	fill_up(_metadata, self, true);
}

/* SIOCINQ: unread bytes; SIOCOUTQ: unacknowledged bytes; as kernel TCP. */
TEST_F(edu, ioctl__inq_outq)
{
	char buf[100] = { 0 };
	int cli, srv, n, i;

	edu_connect_pair(_metadata, self, EDU_LO, true, false, &cli, &srv);
	ASSERT_EQ(100, write(srv, buf, sizeof(buf)));
	ASSERT_EQ(0, edu_wait(cli, POLLIN, 5000));
	ASSERT_EQ(0, ioctl(cli, SIOCINQ, &n));
	ASSERT_EQ(100, n);
	ASSERT_EQ(40, read(cli, buf, 40));
	ASSERT_EQ(0, ioctl(cli, SIOCINQ, &n));
	ASSERT_EQ(60, n);
	ASSERT_EQ(100, write(cli, buf, sizeof(buf)));
	for (i = 0; i < 200; i++) {
		ASSERT_EQ(0, ioctl(cli, SIOCOUTQ, &n));
		if (!n)
			break;
		usleep(10000);
	}
	ASSERT_EQ(0, n) TH_LOG("SIOCOUTQ stays %d", n);
}

static void on_usr1(int sig)
{
	(void)sig;
}

struct kicker {
	pthread_t thread, target;
};

static void *kicker_fn(void *arg)
{
	struct kicker *k = arg;

	edu_msleep(200);
	pthread_kill(k->target, SIGUSR1);
	return NULL;
}

/*
 * A signal interrupts a blocked recv() with EINTR (no SA_RESTART), as on
 * kernel TCP; the connection is unharmed and data still flows.
 */
TEST_F(edu, recv__interrupted_by_signal)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct kicker k = { .target = pthread_self() };
	int cli, srv;
	char c = 'x';

	edu_connect_pair(_metadata, self, EDU_LO, true, false, &cli, &srv);
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, pthread_create(&k.thread, NULL, kicker_fn, &k));
	ASSERT_ERRNO(EINTR, recv(cli, &c, 1, 0));
	ASSERT_EQ(0, pthread_join(k.thread, NULL));
	ASSERT_EQ(1, write(srv, &c, 1));
	ASSERT_EQ(1, recv(cli, &c, 1, 0));
	ASSERT_EQ('x', c);
}

TEST_HARNESS_MAIN
