// SPDX-License-Identifier: GPL-2.0
/*
 * sockopt_test.c - the socket options, flags and paths that servers and
 * clients (nginx, sshd and ssh, curl, iperf3) use beyond the basics:
 * TCP_CORK and MSG_MORE, sendfile() and splice(), TCP_QUICKACK,
 * TCP_DEFER_ACCEPT, IP_TOS and IP_TTL, TCP_SYNCNT, TCP_LINGER2,
 * TCP_WINDOW_CLAMP, TCP_FASTOPEN, SO_LINGER and SO_REUSEPORT.
 *
 * Each option's values are checked against kernel TCP's on the same
 * kernel (the same calls on an AF_INET socket must give the same answers),
 * and then its effect on the wire or on the data: segments counted with
 * TCP_INFO's tcpi_data_segs_out, TOS and TTL bytes read by a packet
 * socket, the bytes of a file checked at the receiver.  Where kernel TCP
 * behaves the same way, the case runs on both.
 */
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <netinet/ip.h>
#include <sys/sendfile.h>
#include <sys/utsname.h>

#include "kselftest_harness.h"
#include "edu_test.h"

/* /proc/net/tcp's state numbers (include/net/tcp_states.h). */
#define ST_SYN_RECV	0x03U

/*
 * A short segment held by TCP_CORK or MSG_MORE goes after one RTO, at
 * least 200 ms: a check that it is still held is only meaningful this soon
 * after it was written (a stalled VM skips it).
 */
#define HELD_MS		150

static unsigned int data_segs_out(int fd)
{
	struct edu_tcp_info ti;

	return edu_tcp_info(fd, &ti) < 0 ? ~0U : ti.tcpi_data_segs_out;
}

static unsigned int notsent(int fd)
{
	struct edu_tcp_info ti;

	return edu_tcp_info(fd, &ti) < 0 ? ~0U : ti.tcpi_notsent_bytes;
}

static int new_socket(bool edu)
{
	return edu ? socket(AF_EDU, SOCK_STREAM, EDUPROTO_TCP) :
		     socket(AF_INET, SOCK_STREAM, 0);
}

/*
 * setsockopt() then getsockopt() of an int: returns 0 or the errno of the
 * set; *@got is what get says afterwards (-12345 if it failed).
 */
static int set_get(int fd, int level, int opt, int val, socklen_t len,
		   int *got)
{
	socklen_t glen = sizeof(*got);
	int err = 0;

	if (setsockopt(fd, level, opt, &val, len))
		err = errno;
	if (getsockopt(fd, level, opt, got, &glen))
		*got = -12345;
	return err;
}

/* Read exactly @n bytes within @ms; returns what was read. */
static long read_n(int fd, void *buf, long n, int ms)
{
	double end = edu_now() + ms / 1000.0;
	long got = 0;
	ssize_t r;

	while (got < n) {
		int left = (end - edu_now()) * 1000;

		if (left <= 0 || edu_poll1(fd, POLLIN, left) <= 0)
			break;
		r = recv(fd, (char *)buf + got, n - got, MSG_DONTWAIT);
		if (r <= 0) {
			if (r < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			break;
		}
		got += r;
	}
	return got;
}

/* Bytes waiting to be read on @fd right now. */
static int inq(int fd)
{
	int n = -1;

	ioctl(fd, FIONREAD, &n);
	return n;
}

/*
 * A listener of the given family on loopback; its port in *@port.  The
 * caller tracks it.
 */
static int listener(bool edu, int backlog, int *port)
{
	int fd = new_socket(edu);

	if (fd < 0)
		return -1;
	*port = edu_listen_on(fd, EDU_LOOPBACK, backlog);
	return *port < 0 ? -1 : fd;
}

/*
 * Connect @cli (options already set) to a new listener of family @srv_edu
 * over loopback and accept; the accepted socket, tracked, or -1.  The
 * listener is closed again.
 */
static int __connect_accept(struct _test_data_edu *self, int cli,
			    bool srv_edu)
{
	int lfd, port, srv = -1;

	lfd = __edu_track(self, listener(srv_edu, 8, &port));
	if (lfd < 0)
		return -1;
	if (!edu_connect_to(cli, EDU_LOOPBACK, port) &&
	    !edu_wait(lfd, POLLIN, 5000))
		srv = __edu_track(self, accept(lfd, NULL, NULL));
	__edu_close(self, lfd);
	return srv;
}

#define connect_accept(cli, srv_edu)	__connect_accept(self, (cli), (srv_edu))

/* The family of the socket a case runs on, for its log lines. */
#define FAM(edu)	edu_family_name(edu)

/* ------------------------------------------------ values, as Linux's -- */

/*
 * One setsockopt() and the getsockopt() after it, on AF_EDU and on kernel
 * TCP, both unconnected.  @err and @got are the expected outcome; ANY
 * means whatever kernel TCP says, for values that depend on the kernel.
 */
#define ANY	(-99999)

struct opt_case {
	const char *name;
	int level, opt, val;
	socklen_t len;
	int err, got;
};

#define OPT(level, opt, val, len, err, got) \
	{ #opt " " #val, level, opt, val, len, err, got }

static const struct opt_case opt_cases[] = {
	/* TCP_CORK: a flag; an int or EINVAL. */
	OPT(SOL_TCP, TCP_CORK, 1, 4, 0, 1),
	OPT(SOL_TCP, TCP_CORK, 0, 4, 0, 0),
	OPT(SOL_TCP, TCP_CORK, 7, 4, 0, 1),
	OPT(SOL_TCP, TCP_CORK, 0, 2, EINVAL, 1),
	OPT(SOL_TCP, TCP_CORK, 0, 4, 0, 0),
	/* TCP_QUICKACK: reported as !pingpong; 1 by default. */
	OPT(SOL_TCP, TCP_QUICKACK, 0, 4, 0, 0),
	OPT(SOL_TCP, TCP_QUICKACK, 1, 4, 0, 1),
	OPT(SOL_TCP, TCP_QUICKACK, 2, 4, 0, 1),
	OPT(SOL_TCP, TCP_QUICKACK, 0, 3, EINVAL, 1),
	/* TCP_DEFER_ACCEPT: seconds, rounded up to whole SYN-ACK timeouts. */
	OPT(SOL_TCP, TCP_DEFER_ACCEPT, 1, 4, 0, 1),
	OPT(SOL_TCP, TCP_DEFER_ACCEPT, 2, 4, 0, 3),
	OPT(SOL_TCP, TCP_DEFER_ACCEPT, 5, 4, 0, 7),
	OPT(SOL_TCP, TCP_DEFER_ACCEPT, 30, 4, 0, 31),
	OPT(SOL_TCP, TCP_DEFER_ACCEPT, 200, 4, 0, 247),
	OPT(SOL_TCP, TCP_DEFER_ACCEPT, 1000000, 4, 0, 29887),
	OPT(SOL_TCP, TCP_DEFER_ACCEPT, -5, 4, 0, 0),
	OPT(SOL_TCP, TCP_DEFER_ACCEPT, 0, 4, 0, 0),
	OPT(SOL_TCP, TCP_DEFER_ACCEPT, 5, 1, EINVAL, 0),
	/* TCP_SYNCNT: 1 to 127; the namespace's syn_retries (6) before. */
	OPT(SOL_TCP, TCP_SYNCNT, 0, 4, EINVAL, 6),
	OPT(SOL_TCP, TCP_SYNCNT, 3, 4, 0, 3),
	OPT(SOL_TCP, TCP_SYNCNT, 127, 4, 0, 127),
	OPT(SOL_TCP, TCP_SYNCNT, 128, 4, EINVAL, 127),
	OPT(SOL_TCP, TCP_SYNCNT, -1, 4, EINVAL, 127),
	/* TCP_LINGER2: seconds, capped at 120; 0 the default; <0 none. */
	OPT(SOL_TCP, TCP_LINGER2, 0, 4, 0, 60),
	OPT(SOL_TCP, TCP_LINGER2, 10, 4, 0, 10),
	OPT(SOL_TCP, TCP_LINGER2, 1000, 4, 0, 120),
	OPT(SOL_TCP, TCP_LINGER2, -7, 4, 0, -1),
	OPT(SOL_TCP, TCP_LINGER2, 0, 4, 0, 60),
	/* TCP_WINDOW_CLAMP: 0 before connecting; a floor the kernel's. */
	OPT(SOL_TCP, TCP_WINDOW_CLAMP, 10000, 4, 0, 10000),
	OPT(SOL_TCP, TCP_WINDOW_CLAMP, 100, 4, 0, ANY),
	OPT(SOL_TCP, TCP_WINDOW_CLAMP, -1, 4, 0, ANY),
	OPT(SOL_TCP, TCP_WINDOW_CLAMP, 0, 4, 0, 0),
	/* TCP_FASTOPEN: a queue length, capped at somaxconn (4096). */
	OPT(SOL_TCP, TCP_FASTOPEN, 5, 4, 0, 5),
	OPT(SOL_TCP, TCP_FASTOPEN, 100000, 4, 0, 4096),
	OPT(SOL_TCP, TCP_FASTOPEN, -1, 4, EINVAL, 4096),
	OPT(SOL_TCP, TCP_FASTOPEN_CONNECT, 1, 4, 0, 1),
	OPT(SOL_TCP, TCP_FASTOPEN_CONNECT, 2, 4, EINVAL, 1),
	OPT(SOL_TCP, TCP_FASTOPEN_CONNECT, 0, 4, 0, 0),
	/* IP_TOS: an int or one byte (none: 0); ECN bits are not set. */
	OPT(SOL_IP, IP_TOS, 0x48, 4, 0, 0x48),
	OPT(SOL_IP, IP_TOS, 0x4b, 4, 0, 0x48),
	OPT(SOL_IP, IP_TOS, 0x148, 4, 0, 0x48),
	OPT(SOL_IP, IP_TOS, 0x20, 1, 0, 0x20),
	OPT(SOL_IP, IP_TOS, 0x10, 0, 0, 0),
	/* IP_TTL: 1 to 255, -1 the default (ip_default_ttl, 64). */
	OPT(SOL_IP, IP_TTL, 7, 4, 0, 7),
	OPT(SOL_IP, IP_TTL, 0, 4, EINVAL, 7),
	OPT(SOL_IP, IP_TTL, 256, 4, EINVAL, 7),
	OPT(SOL_IP, IP_TTL, 200, 1, 0, 200),
	OPT(SOL_IP, IP_TTL, -1, 4, 0, 64),
	OPT(SOL_IP, IP_TTL, 5, 0, EINVAL, 64),
};

TEST_F(edu, sockopt__values_as_linux)
{
	int efd = edu_open(0), tfd = tcp_open();
	unsigned int i;

	ASSERT_LE(0, efd);
	ASSERT_LE(0, tfd);
	for (i = 0; i < ARRAY_SIZE(opt_cases); i++) {
		const struct opt_case *c = &opt_cases[i];
		int egot, tgot, eerr, terr;

		eerr = set_get(efd, c->level, c->opt, c->val, c->len, &egot);
		terr = set_get(tfd, c->level, c->opt, c->val, c->len, &tgot);
		EXPECT_EQ(terr, eerr) TH_LOG("%s (len %u): errno %d, TCP %d",
					     c->name, c->len, eerr, terr);
		EXPECT_EQ(tgot, egot) TH_LOG("%s (len %u): got %d, TCP %d",
					     c->name, c->len, egot, tgot);
		EXPECT_EQ(c->err, eerr) TH_LOG("%s: errno %d", c->name, eerr);
		if (c->got != ANY)
			EXPECT_EQ(c->got, egot) TH_LOG("%s: got %d", c->name,
						       egot);
	}
}

/* The same, on a connected pair: what only a connection changes. */
TEST_F(edu, sockopt__connected_values_as_linux)
{
	int fds[2], srv[2], i, got[2], err[2];

	for (i = 0; i < 2; i++) {
		fds[i] = edu_track(new_socket(!i));
		ASSERT_LE(0, fds[i]);
		srv[i] = connect_accept(fds[i], false);
		ASSERT_LE(0, srv[i]);
	}
	for (i = 0; i < 2; i++) {
		/* No lifting the clamp, no Fast Open once connected. */
		err[i] = set_get(fds[i], SOL_TCP, TCP_WINDOW_CLAMP, 0, 4,
				 &got[i]);
		EXPECT_EQ(EINVAL, err[i]) TH_LOG("%s", FAM(!i));
		err[i] = set_get(fds[i], SOL_TCP, TCP_FASTOPEN, 5, 4, &got[i]);
		EXPECT_EQ(EINVAL, err[i]) TH_LOG("%s", FAM(!i));
		err[i] = set_get(fds[i], SOL_TCP, TCP_FASTOPEN_CONNECT, 1, 4,
				 &got[i]);
		EXPECT_EQ(EINVAL, err[i]) TH_LOG("%s", FAM(!i));
		EXPECT_EQ(0, got[i]);
		/* TCP_QUICKACK 0 then 2, with no ACK owed: 1 again. */
		EXPECT_EQ(0, set_get(fds[i], SOL_TCP, TCP_QUICKACK, 0, 4,
				     &got[i]));
		EXPECT_EQ(0, got[i]);
		EXPECT_EQ(0, set_get(fds[i], SOL_TCP, TCP_QUICKACK, 2, 4,
				     &got[i]));
		EXPECT_EQ(1, got[i]);
	}
}

/* getsockopt() at SOL_IP: one byte when asked for less than an int. */
TEST_F(edu, ip__getsockopt_lengths)
{
	int fds[2], i;

	fds[0] = edu_open(0);
	fds[1] = tcp_open();
	for (i = 0; i < 2; i++) {
		unsigned char buf[64];
		socklen_t len;

		ASSERT_LE(0, fds[i]);
		ASSERT_EQ(0, edu_set_int(fds[i], SOL_IP, IP_TOS, 0x28));
		memset(buf, 0xee, sizeof(buf));
		len = 1;
		ASSERT_EQ(0, getsockopt(fds[i], SOL_IP, IP_TOS, buf, &len));
		EXPECT_EQ(1, len) TH_LOG("%s", FAM(!i));
		EXPECT_EQ(0x28, buf[0]);
		EXPECT_EQ(0xee, buf[1]);
		len = 0;
		ASSERT_EQ(0, getsockopt(fds[i], SOL_IP, IP_TOS, buf, &len));
		EXPECT_EQ(0, len);
		len = 8;
		ASSERT_EQ(0, getsockopt(fds[i], SOL_IP, IP_TTL, buf, &len));
		EXPECT_EQ(4, len);
		/* No IP options: an empty answer, as sshd checks. */
		len = sizeof(buf);
		ASSERT_EQ(0, getsockopt(fds[i], SOL_IP, IP_OPTIONS, buf, &len));
		EXPECT_EQ(0, len) TH_LOG("%s", FAM(!i));
		len = -1;
		EXPECT_ERRNO(EINVAL, getsockopt(fds[i], SOL_IP, IP_TOS, buf,
						&len));
	}
}

/* SO_LINGER is the socket core's, and close() honours it (socket.c). */
TEST_F(edu, so_linger__round_trip)
{
	struct linger lg = { 1, 5 }, got;
	socklen_t len = sizeof(got);
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	ASSERT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_LINGER, &got, &len));
	EXPECT_EQ(1, got.l_onoff);
	EXPECT_EQ(5, got.l_linger);
}

/* ------------------------------------------------ TCP_CORK, MSG_MORE -- */

/*
 * A client of family @edu with TCP_MAXSEG 1000 connected to a kernel TCP
 * server over loopback; its send MSS (1000, or 988 between kernel TCPs,
 * which use timestamps) in *@mss.
 */
static int __mss_pair(struct _test_data_edu *self, bool edu, int *srv,
		      unsigned int *mss)
{
	struct edu_tcp_info ti;
	int cli = __edu_track(self, new_socket(edu));

	if (cli < 0 || edu_set_int(cli, SOL_TCP, TCP_MAXSEG, 1000))
		return -1;
	*srv = __connect_accept(self, cli, false);
	if (*srv < 0 || edu_tcp_info(cli, &ti) < 0)
		return -1;
	*mss = ti.tcpi_snd_mss;
	return cli;
}

#define mss_pair(edu, srv, mss)	__mss_pair(self, (edu), (srv), (mss))

/* Write @len bytes of pattern at stream offset @off in 100-byte pieces. */
static int write_pieces(int fd, unsigned long long off, size_t len, int flags)
{
	char buf[100];
	size_t n;

	while (len) {
		n = len < sizeof(buf) ? len : sizeof(buf);
		edu_pattern(1, off, buf, n);
		if (send(fd, buf, n, flags) != (ssize_t)n)
			return -1;
		off += n;
		len -= n;
	}
	return 0;
}

/* Check that @srv receives stream bytes [@off, @off + @len) within @ms. */
static bool receives(int srv, unsigned long long off, long len, int ms)
{
	static char buf[65536];

	return len <= (long)sizeof(buf) && read_n(srv, buf, len, ms) == len &&
	       edu_pattern_check(1, off, buf, len) < 0;
}

/*
 * TCP_CORK with TCP_NODELAY, as nginx's tcp_nopush: small writes wait
 * until they fill a segment, which goes at once; the rest waits for
 * uncorking, which sends it whatever is in flight.
 */
static void cork_coalesces(struct __test_metadata *_metadata,
			   struct _test_data_edu *self, bool edu)
{
	unsigned int mss, segs;
	int cli, srv;
	double t0;

	cli = mss_pair(edu, &srv, &mss);
	ASSERT_LE(0, cli) TH_LOG("%s: %s", FAM(edu), strerror(errno));
	ASSERT_EQ(0, edu_set_int(cli, SOL_TCP, TCP_NODELAY, 1));
	ASSERT_EQ(0, edu_set_int(cli, SOL_TCP, TCP_CORK, 1));
	segs = data_segs_out(cli);

	/* A segment's worth in 100-byte writes: one full segment. */
	t0 = edu_now();
	ASSERT_EQ(0, write_pieces(cli, 0, mss, 0));
	ASSERT_TRUE(receives(srv, 0, mss, 2000)) TH_LOG("%s", FAM(edu));
	EXPECT_EQ(segs + 1, data_segs_out(cli))
		TH_LOG("%s: mss %u", FAM(edu), mss);
	/* 300 bytes more: held, TCP_NODELAY or not. */
	t0 = edu_now();
	ASSERT_EQ(0, write_pieces(cli, mss, 300, 0));
	edu_msleep(20);
	if (edu_now() - t0 < HELD_MS / 1000.0) {
		EXPECT_EQ(segs + 1, data_segs_out(cli)) TH_LOG("%s", FAM(edu));
		EXPECT_EQ(300, notsent(cli)) TH_LOG("%s", FAM(edu));
		EXPECT_EQ(0, inq(srv));
	} else {
		TH_LOG("%s: too slow to see the cork hold", FAM(edu));
	}
	/* Uncorked: they go, in one segment. */
	ASSERT_EQ(0, edu_set_int(cli, SOL_TCP, TCP_CORK, 0));
	EXPECT_EQ(0, notsent(cli));
	ASSERT_TRUE(receives(srv, mss, 300, 2000));
	EXPECT_EQ(segs + 2, data_segs_out(cli)) TH_LOG("%s", FAM(edu));
}

TEST_F(edu, cork__coalesces)
{
	cork_coalesces(_metadata, self, true);
}

TEST_F(edu, cork__coalesces_tcp)
{
	cork_coalesces(_metadata, self, false);
}

/*
 * Corked data that nothing fills up goes after one RTO (at least 200 ms):
 * tcp(7)'s "200 millisecond ceiling".
 */
static void cork_timeout(struct __test_metadata *_metadata,
			 struct _test_data_edu *self, bool edu)
{
	unsigned int mss;
	int cli, srv;
	double t0, dt;

	cli = mss_pair(edu, &srv, &mss);
	ASSERT_LE(0, cli);
	ASSERT_EQ(0, edu_set_int(cli, SOL_TCP, TCP_CORK, 1));
	t0 = edu_now();
	ASSERT_EQ(0, write_pieces(cli, 0, 300, 0));
	ASSERT_TRUE(receives(srv, 0, 300, 5000)) TH_LOG("%s", FAM(edu));
	dt = edu_now() - t0;
	TH_LOG("%s: corked 300 bytes went after %.0f ms", FAM(edu), dt * 1000);
	EXPECT_LE(0.15, dt);
	EXPECT_GE(3.0, dt);
	EXPECT_EQ(1, edu_get_int(cli, SOL_TCP, TCP_CORK));
}

TEST_F(edu, cork__timeout)
{
	cork_timeout(_metadata, self, true);
}

TEST_F(edu, cork__timeout_tcp)
{
	cork_timeout(_metadata, self, false);
}

/* MSG_MORE corks one call: the next write without it sends them all. */
static void msg_more(struct __test_metadata *_metadata,
		     struct _test_data_edu *self, bool edu)
{
	unsigned int mss, segs;
	int cli, srv;
	double t0;

	cli = mss_pair(edu, &srv, &mss);
	ASSERT_LE(0, cli);
	segs = data_segs_out(cli);
	t0 = edu_now();
	ASSERT_EQ(0, write_pieces(cli, 0, 300, MSG_MORE));
	edu_msleep(20);
	if (edu_now() - t0 < HELD_MS / 1000.0) {
		EXPECT_EQ(segs, data_segs_out(cli)) TH_LOG("%s", FAM(edu));
		EXPECT_EQ(300, notsent(cli));
	} else {
		TH_LOG("%s: too slow to see MSG_MORE hold", FAM(edu));
	}
	ASSERT_EQ(0, write_pieces(cli, 300, 100, 0));
	ASSERT_TRUE(receives(srv, 0, 400, 2000));
	EXPECT_EQ(segs + 1, data_segs_out(cli)) TH_LOG("%s", FAM(edu));
	/* A full segment goes at once even with MSG_MORE; its tail waits. */
	segs = data_segs_out(cli);
	t0 = edu_now();
	ASSERT_EQ(0, write_pieces(cli, 400, mss, MSG_MORE));
	ASSERT_EQ(0, write_pieces(cli, 400 + mss, 50, MSG_MORE));
	ASSERT_TRUE(receives(srv, 400, mss, 2000));
	if (edu_now() - t0 < HELD_MS / 1000.0) {
		EXPECT_EQ(segs + 1, data_segs_out(cli)) TH_LOG("%s", FAM(edu));
		EXPECT_EQ(50, notsent(cli));
	}
	ASSERT_EQ(0, edu_set_int(cli, SOL_TCP, TCP_NODELAY, 1));
	ASSERT_TRUE(receives(srv, 400 + mss, 50, 2000));
}

TEST_F(edu, msg_more__holds_one_call)
{
	msg_more(_metadata, self, true);
}

TEST_F(edu, msg_more__holds_one_call_tcp)
{
	msg_more(_metadata, self, false);
}

/* ------------------------------------------------- sendfile, splice -- */

/* A file of @len bytes of stream @seed; its fd, or -1. */
static int pattern_file(unsigned int seed, size_t len)
{
	char path[] = "/tmp/edu-sockopt-XXXXXX", buf[65536];
	size_t off, n;
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	unlink(path);
	for (off = 0; off < len; off += n) {
		n = len - off < sizeof(buf) ? len - off : sizeof(buf);
		edu_pattern(seed, off, buf, n);
		if (write(fd, buf, n) != (ssize_t)n) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

/*
 * sendfile() of a 3 MB file (and an odd 7 bytes) from AF_EDU to @srv_edu:
 * half with an offset pointer, the rest from the file position; every
 * byte arrives, in order.
 */
static void sendfile_bytes(struct __test_metadata *_metadata,
			   struct _test_data_edu *self, bool srv_edu)
{
	const size_t len = (3 << 20) + 7;
	struct edu_pump rx;
	off_t off = 0;
	ssize_t n;
	int cli, srv, file;
	size_t done;

	file = edu_track(pattern_file(7, len));
	ASSERT_LE(0, file);
	cli = edu_open(0);
	ASSERT_LE(0, cli);
	srv = connect_accept(cli, srv_edu);
	ASSERT_LE(0, srv);
	ASSERT_EQ(0, edu_pump_start(&rx, EDU_PUMP_RECV, srv, 7, 0));

	for (done = 0; done < len / 2; done += n) {
		n = sendfile(cli, file, &off, len / 2 - done);
		ASSERT_LT(0, n) TH_LOG("sendfile: %s", strerror(errno));
	}
	ASSERT_EQ(len / 2, (size_t)off);
	ASSERT_EQ((off_t)off, lseek(file, off, SEEK_SET));
	for (; done < len; done += n) {
		/* More than is left: sendfile() stops at the end of file. */
		n = sendfile(cli, file, NULL, len);
		ASSERT_LT(0, n) TH_LOG("sendfile: %s", strerror(errno));
	}
	ASSERT_EQ(len, done);
	ASSERT_EQ(0, sendfile(cli, file, NULL, len));
	ASSERT_EQ(0, shutdown(cli, SHUT_WR));
	pthread_join(rx.thread, NULL);
	EXPECT_EQ(-1, rx.bad) TH_LOG("byte %ld is wrong", rx.bad);
	EXPECT_EQ((long)len, rx.done) TH_LOG("to %s: %s", FAM(srv_edu),
					     strerror(rx.err));
}

TEST_F(edu, sendfile__bytes_to_tcp)
{
	sendfile_bytes(_metadata, self, false);
}

TEST_F(edu, sendfile__bytes_to_edu)
{
	sendfile_bytes(_metadata, self, true);
}

/*
 * sendfile() asked for more than the file holds: each piece goes with
 * MSG_MORE, and the end of the file (splice_eof) must push the last short
 * segment at once rather than leave it corked.
 */
static void sendfile_tail(struct __test_metadata *_metadata,
			  struct _test_data_edu *self, bool edu)
{
	int cli, srv, file;
	ssize_t n;

	file = edu_track(pattern_file(1, 3000));
	ASSERT_LE(0, file);
	ASSERT_EQ(0, lseek(file, 0, SEEK_SET));
	cli = edu_track(new_socket(edu));
	ASSERT_LE(0, cli);
	srv = connect_accept(cli, false);
	ASSERT_LE(0, srv);
	n = sendfile(cli, file, NULL, 1 << 20);
	ASSERT_EQ(3000, n) TH_LOG("%s: %s", FAM(edu), strerror(errno));
	EXPECT_EQ(0, notsent(cli)) TH_LOG("%s: the tail is held", FAM(edu));
	EXPECT_TRUE(receives(srv, 0, 3000, 100)) TH_LOG("%s", FAM(edu));
}

TEST_F(edu, sendfile__tail_not_held)
{
	sendfile_tail(_metadata, self, true);
}

TEST_F(edu, sendfile__tail_not_held_tcp)
{
	sendfile_tail(_metadata, self, false);
}

/* splice() from a pipe into AF_EDU, 1 MB in pieces of up to 64 KB. */
TEST_F(edu, splice__from_pipe)
{
	const long len = 1 << 20;
	static char buf[65536];
	struct edu_pump rx;
	int p[2], cli, srv;
	long done, n, w;
	ssize_t m;

	ASSERT_EQ(0, pipe(p));
	edu_track(p[0]);
	edu_track(p[1]);
	cli = edu_open(0);
	ASSERT_LE(0, cli);
	srv = connect_accept(cli, false);
	ASSERT_LE(0, srv);
	ASSERT_EQ(0, edu_pump_start(&rx, EDU_PUMP_RECV, srv, 5, 0));
	for (done = 0; done < len; done += n) {
		n = len - done < 16384 ? len - done : 16384;
		edu_pattern(5, done, buf, n);
		ASSERT_EQ(n, write(p[1], buf, n));
		for (w = 0; w < n; w += m) {
			m = splice(p[0], NULL, cli, NULL, n - w, 0);
			ASSERT_LT(0, m) TH_LOG("splice: %s", strerror(errno));
		}
	}
	ASSERT_EQ(0, shutdown(cli, SHUT_WR));
	pthread_join(rx.thread, NULL);
	EXPECT_EQ(-1, rx.bad);
	EXPECT_EQ(len, rx.done);
}

/* --------------------------------------------------- TCP_QUICKACK -- */

/*
 * TCP_QUICKACK 1 sends the ACK that the delayed-ACK timer holds back: with
 * delack_ms at its 200 ms, a small segment from a kernel TCP peer waits for
 * its ACK, and the option sends it before the call returns.  A stalled VM
 * can let the timer fire first; a few tries tell that apart.
 */
TEST_F(edu, quickack__acks_now)
{
	int cli, srv, i, seen = 0;
	char buf[16];

	ASSERT_EQ(0, edu_sh("echo 200 > /proc/sys/net/edu/delack_ms"));
	cli = tcp_open();
	ASSERT_LE(0, cli);
	ASSERT_EQ(0, edu_set_int(cli, SOL_TCP, TCP_NODELAY, 1));
	srv = connect_accept(cli, true);
	ASSERT_LE(0, srv);
	for (i = 0; i < 5 && !seen; i++) {
		long before, after;
		double t0;

		edu_msleep(300);	/* whatever ACK was owed is sent */
		ASSERT_EQ(10, send(cli, "0123456789", 10, 0));
		ASSERT_EQ(0, edu_wait(srv, POLLIN, 2000));
		t0 = edu_now();
		before = edu_counter("OutSegs");
		ASSERT_EQ(0, edu_set_int(srv, SOL_TCP, TCP_QUICKACK, 1));
		after = edu_counter("OutSegs");
		ASSERT_EQ(10, recv(srv, buf, sizeof(buf), 0));
		if (edu_now() - t0 > HELD_MS / 1000.0) {
			TH_LOG("try %d too slow", i);
			continue;
		}
		EXPECT_EQ(before + 1, after);
		seen = 1;
	}
	EXPECT_TRUE(seen);
	/* Nothing owed now: no segment. */
	edu_msleep(300);
	{
		long before = edu_counter("OutSegs");

		ASSERT_EQ(0, edu_set_int(srv, SOL_TCP, TCP_QUICKACK, 1));
		EXPECT_EQ(before, edu_counter("OutSegs"));
	}
}

/* ----------------------------------------------- TCP_DEFER_ACCEPT -- */

/*
 * A listener (of family @srv_edu) with TCP_DEFER_ACCEPT: a client's
 * connect() completes, but accept() sees nothing until data arrives, and
 * then the connection comes with its data.
 */
static void defer_waits(struct __test_metadata *_metadata,
			struct _test_data_edu *self, bool srv_edu,
			bool cli_edu)
{
	int lfd, port, cli, srv;
	char buf[16];

	lfd = edu_track(listener(srv_edu, 8, &port));
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, edu_set_int(lfd, SOL_TCP, TCP_DEFER_ACCEPT, 5));
	cli = edu_track(new_socket(cli_edu));
	ASSERT_LE(0, cli);
	ASSERT_EQ(0, edu_connect_to(cli, EDU_LOOPBACK, port));
	EXPECT_EQ(0, edu_poll1(lfd, POLLIN, 1500))
		TH_LOG("%s listener readable with no data", FAM(srv_edu));
	ASSERT_EQ(0, fcntl(lfd, F_SETFL, O_NONBLOCK));
	ASSERT_ERRNO(EAGAIN, accept(lfd, NULL, NULL));
	if (srv_edu) {
		struct edu_proc_line l;
		char line[512];
		FILE *f = fopen(EDU_PROC, "r");
		bool syn_recv = false;

		ASSERT_NE(NULL, f);
		while (fgets(line, sizeof(line), f))
			if (edu_proc_parse(line, &l) && (int)l.lport == port &&
			    l.st == ST_SYN_RECV)
				syn_recv = true;
		fclose(f);
		EXPECT_TRUE(syn_recv) TH_LOG("no SYN-RECEIVED child on port %d",
					     port);
	}
	ASSERT_EQ(5, send(cli, "hello", 5, 0));
	ASSERT_EQ(0, edu_wait(lfd, POLLIN, 3000));
	srv = edu_track(accept(lfd, NULL, NULL));
	ASSERT_LE(0, srv);
	ASSERT_EQ(5, read_n(srv, buf, 5, 2000));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	/* And the connection works both ways. */
	ASSERT_EQ(3, send(srv, "bye", 3, 0));
	ASSERT_EQ(3, read_n(cli, buf, 3, 2000));
}

TEST_F(edu, defer_accept__waits_for_data)
{
	defer_waits(_metadata, self, true, false);
}

TEST_F(edu, defer_accept__waits_for_data_edu_client)
{
	defer_waits(_metadata, self, true, true);
}

TEST_F(edu, defer_accept__waits_for_data_tcp)
{
	defer_waits(_metadata, self, false, false);
}

/*
 * With no data, the deferral ends: after its timeouts (1 s for a value of
 * 1) the SYN-ACK goes again, the client's answer completes the connection
 * and accept() returns it, empty.
 */
static void defer_expires(struct __test_metadata *_metadata,
			  struct _test_data_edu *self, bool srv_edu)
{
	int lfd, port, cli, srv;
	double t0, dt;

	lfd = edu_track(listener(srv_edu, 8, &port));
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, edu_set_int(lfd, SOL_TCP, TCP_DEFER_ACCEPT, 1));
	cli = tcp_open();
	ASSERT_LE(0, cli);
	t0 = edu_now();
	ASSERT_EQ(0, edu_connect_to(cli, EDU_LOOPBACK, port));
	ASSERT_EQ(0, edu_wait(lfd, POLLIN, 6000)) TH_LOG("%s", FAM(srv_edu));
	dt = edu_now() - t0;
	TH_LOG("%s: accepted without data after %.2f s", FAM(srv_edu), dt);
	EXPECT_LE(0.8, dt);
	srv = edu_track(accept4(lfd, NULL, NULL, SOCK_NONBLOCK));
	ASSERT_LE(0, srv);
	EXPECT_ERRNO(EAGAIN, recv(srv, &dt, 1, 0));
	ASSERT_EQ(2, send(cli, "hi", 2, 0));
	EXPECT_EQ(2, read_n(srv, &dt, 2, 2000));
}

TEST_F(edu, defer_accept__expires)
{
	defer_expires(_metadata, self, true);
}

TEST_F(edu, defer_accept__expires_tcp)
{
	defer_expires(_metadata, self, false);
}

/* ------------------------------------------------- IP_TOS, IP_TTL -- */

/*
 * A packet socket on loopback: every IPv4 packet, both ways (loopback
 * shows each one going out and coming in).
 */
static int packet_socket(void)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IP),
		.sll_ifindex = if_nametoindex("lo"),
	};
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK, htons(ETH_P_IP));

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		close(fd);
		return -1;
	}
	return fd;
}

struct seen_seg {
	int tos, ttl;		/* of the last one seen; -1: none */
	int n;
};

/*
 * Read the packet socket dry; for segments from port @sport with the
 * given SYN bit and, unless @len < 0, that much payload, note the TOS and
 * TTL bytes.
 */
static void scan(int pfd, int sport, int syn, int len, struct seen_seg *s)
{
	unsigned char pkt[70000];
	ssize_t n;

	s->tos = -1;
	s->ttl = -1;
	s->n = 0;
	while ((n = recv(pfd, pkt, sizeof(pkt), 0)) > 0) {
		const struct iphdr *iph = (const void *)pkt;
		const unsigned char *th;
		int ihl = iph->ihl * 4, plen;

		if (n < ihl + 20 || iph->protocol != IPPROTO_TCP)
			continue;
		th = pkt + ihl;
		plen = ntohs(iph->tot_len) - ihl - (th[12] >> 4) * 4;
		if ((th[0] << 8 | th[1]) != sport || !!(th[13] & 0x02) != syn ||
		    (len >= 0 && plen != len))
			continue;
		s->tos = iph->tos;
		s->ttl = iph->ttl;
		s->n++;
	}
}

/*
 * IP_TOS and IP_TTL set on a listener go on its children's SYN-ACK and
 * data, those of a client on its SYN and data, and a change on a
 * connected socket applies to the next segment.
 */
TEST_F(edu, ip_tos__on_the_wire)
{
	int pfd, lfd, port, cli, srv, cport;
	struct seen_seg s;
	char buf[64];

	pfd = edu_track(packet_socket());
	ASSERT_LE(0, pfd) TH_LOG("packet socket: %s", strerror(errno));
	lfd = edu_track(listener(true, 8, &port));
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, edu_set_int(lfd, SOL_IP, IP_TOS, 0x28));
	ASSERT_EQ(0, edu_set_int(lfd, SOL_IP, IP_TTL, 33));
	cli = edu_open(0);
	ASSERT_LE(0, cli);
	ASSERT_EQ(0, edu_set_int(cli, SOL_IP, IP_TOS, 0x10));
	ASSERT_EQ(0, edu_connect_to(cli, EDU_LOOPBACK, port));
	cport = edu_local_port(cli);
	ASSERT_EQ(0, edu_wait(lfd, POLLIN, 2000));
	srv = edu_track(accept(lfd, NULL, NULL));
	ASSERT_LE(0, srv);
	EXPECT_EQ(0x28, edu_get_int(srv, SOL_IP, IP_TOS));
	EXPECT_EQ(33, edu_get_int(srv, SOL_IP, IP_TTL));

	ASSERT_EQ(7, send(cli, "client!", 7, 0));
	ASSERT_EQ(6, send(srv, "server", 6, 0));
	ASSERT_EQ(7, read_n(srv, buf, 7, 2000));
	ASSERT_EQ(6, read_n(cli, buf, 6, 2000));
	scan(pfd, cport, 1, -1, &s);
	EXPECT_EQ(0x10, s.tos) TH_LOG("the client's SYN");
	EXPECT_EQ(64, s.ttl);
	/* (scan() read everything: look again from a fresh capture.) */
	close(pfd);
	pfd = edu_track(packet_socket());
	ASSERT_LE(0, pfd);

	ASSERT_EQ(5, send(cli, "again", 5, 0));
	ASSERT_EQ(5, read_n(srv, buf, 5, 2000));
	scan(pfd, cport, 0, 5, &s);
	EXPECT_EQ(0x10, s.tos) TH_LOG("the client's data");
	EXPECT_EQ(64, s.ttl);

	/* A change on a connected socket: the next segment has it. */
	ASSERT_EQ(0, edu_set_int(cli, SOL_IP, IP_TOS, 0x48));
	ASSERT_EQ(0, edu_set_int(cli, SOL_IP, IP_TTL, 9));
	ASSERT_EQ(0, edu_set_int(srv, SOL_IP, IP_TTL, -1));
	ASSERT_EQ(4, send(cli, "more", 4, 0));
	ASSERT_EQ(4, read_n(srv, buf, 4, 2000));
	ASSERT_EQ(3, send(srv, "ack", 3, 0));
	ASSERT_EQ(3, read_n(cli, buf, 3, 2000));
	scan(pfd, cport, 0, 4, &s);
	EXPECT_EQ(0x48, s.tos) TH_LOG("the client's data after IP_TOS");
	EXPECT_EQ(9, s.ttl);
	close(pfd);
	pfd = edu_track(packet_socket());
	ASSERT_LE(0, pfd);
	ASSERT_EQ(3, send(srv, "srv", 3, 0));
	ASSERT_EQ(3, read_n(cli, buf, 3, 2000));
	scan(pfd, port, 0, 3, &s);
	EXPECT_EQ(0x28, s.tos) TH_LOG("the accepted socket's data");
	EXPECT_EQ(64, s.ttl);
}

/* The listener's SYN-ACK carries its IP_TOS, as kernel TCP's does. */
static void synack_tos(struct __test_metadata *_metadata,
		       struct _test_data_edu *self, bool edu)
{
	int pfd, lfd, port, cli;
	struct seen_seg s;

	pfd = edu_track(packet_socket());
	ASSERT_LE(0, pfd);
	lfd = edu_track(listener(edu, 8, &port));
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, edu_set_int(lfd, SOL_IP, IP_TOS, 0x48));
	cli = tcp_open();
	ASSERT_LE(0, cli);
	ASSERT_EQ(0, edu_connect_to(cli, EDU_LOOPBACK, port));
	ASSERT_EQ(0, edu_wait(lfd, POLLIN, 2000));
	scan(pfd, port, 1, -1, &s);
	EXPECT_LT(0, s.n) TH_LOG("%s: no SYN-ACK seen", FAM(edu));
	EXPECT_EQ(0x48, s.tos) TH_LOG("%s", FAM(edu));
}

TEST_F(edu, ip_tos__synack)
{
	synack_tos(_metadata, self, true);
}

TEST_F(edu, ip_tos__synack_tcp)
{
	synack_tos(_metadata, self, false);
}

/* ------------------------------------------------------ TCP_SYNCNT -- */

/* TCP_SYNCNT 1: one SYN retransmission, then ETIMEDOUT, after 1 + 2 s. */
static void syncnt_gives_up(struct __test_metadata *_metadata,
			    struct _test_data_edu *self, bool edu)
{
	double t0, dt;
	int fd;

	ASSERT_EQ(0, edu_blackhole());
	fd = edu_track(new_socket(edu));
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, edu_set_int(fd, SOL_TCP, TCP_SYNCNT, 1));
	t0 = edu_now();
	ASSERT_ERRNO(ETIMEDOUT, edu_connect_to(fd, EDU_BLACKHOLE, 80));
	dt = edu_now() - t0;
	TH_LOG("%s: gave up after %.2f s", FAM(edu), dt);
	EXPECT_LE(2.5, dt);
	EXPECT_GE(6.0, dt);
}

TEST_F(edu, syncnt__gives_up)
{
	syncnt_gives_up(_metadata, self, true);
}

TEST_F(edu, syncnt__gives_up_tcp)
{
	syncnt_gives_up(_metadata, self, false);
}

/* ----------------------------------------------------- TCP_LINGER2 -- */

/* The state of the AF_EDU socket on local port @port, or -1 if none. */
static int edu_state_of(int port)
{
	struct edu_proc_line l;
	char line[512];
	int st = -1;
	FILE *f = fopen(EDU_PROC, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (edu_proc_parse(line, &l) && (int)l.lport == port)
			st = l.st;
	fclose(f);
	return st;
}

/*
 * An orphan in FIN-WAIT-2 waits TCP_LINGER2's seconds for the peer's FIN
 * instead of fin_timeout's 60, then goes without a word.
 */
TEST_F(edu, linger2__orphan_waits_less)
{
	int cli, srv, port, st = 0;
	double t0;

	cli = edu_open(0);
	ASSERT_LE(0, cli);
	ASSERT_EQ(0, edu_set_int(cli, SOL_TCP, TCP_LINGER2, 1));
	srv = connect_accept(cli, false);
	ASSERT_LE(0, srv);
	port = edu_local_port(cli);
	t0 = edu_now();
	ASSERT_EQ(0, edu_close(cli));
	while (edu_now() - t0 < 5 && (st = edu_state_of(port)) != -1) {
		if (edu_now() - t0 < 0.5 && st != (int)EDU_ST_FIN_WAIT2 &&
		    st != (int)EDU_ST_FIN_WAIT1)
			break;
		edu_msleep(20);
	}
	EXPECT_EQ(-1, st) TH_LOG("state %#x after %.1f s", st, edu_now() - t0);
	EXPECT_LE(0.8, edu_now() - t0);
	/* The peer saw our FIN, and no RST. */
	EXPECT_EQ(0, recv(srv, &st, 1, MSG_DONTWAIT));
	EXPECT_EQ(0, edu_so_error(srv));
}

/* TCP_LINGER2 < 0: closing in FIN-WAIT-2 resets at once (tcp_close()). */
TEST_F(edu, linger2__negative_resets)
{
	int cli, srv, port, i, err = 0;

	cli = edu_open(0);
	ASSERT_LE(0, cli);
	srv = connect_accept(cli, false);
	ASSERT_LE(0, srv);
	port = edu_local_port(cli);
	ASSERT_EQ(0, shutdown(cli, SHUT_WR));
	for (i = 0; i < 100 && edu_state_of(port) != (int)EDU_ST_FIN_WAIT2; i++)
		edu_msleep(10);
	ASSERT_EQ(EDU_ST_FIN_WAIT2, edu_state_of(port));
	ASSERT_EQ(0, edu_set_int(cli, SOL_TCP, TCP_LINGER2, -1));
	ASSERT_EQ(0, edu_close(cli));
	for (i = 0; i < 100 && edu_state_of(port) != -1; i++)
		edu_msleep(10);
	EXPECT_EQ(-1, edu_state_of(port));
	for (i = 0; i < 100 && !(err = edu_so_error(srv)); i++)
		edu_msleep(10);
	/* Kernel TCP in CLOSE-WAIT reports a RST as EPIPE (tcp_reset()). */
	EXPECT_EQ(EPIPE, err);
}

/* ------------------------------------------------ TCP_WINDOW_CLAMP -- */

/*
 * TCP_WINDOW_CLAMP 4096 on a listener: its child never offers more (kernel
 * TCP's sender sees at most that), and 256 KB still get through intact.
 */
TEST_F(edu, window_clamp__bounds_the_window)
{
	const long len = 256 << 10;
	struct edu_tcp_info ti;
	struct edu_pump tx, rx;
	struct edu_info ei;
	unsigned int maxwnd = 0;
	int lfd, port, cli, srv;
	socklen_t elen;

	lfd = edu_track(listener(true, 8, &port));
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, edu_set_int(lfd, SOL_TCP, TCP_WINDOW_CLAMP, 4096));
	cli = tcp_open();
	ASSERT_LE(0, cli);
	ASSERT_EQ(0, edu_connect_to(cli, EDU_LOOPBACK, port));
	ASSERT_EQ(0, edu_wait(lfd, POLLIN, 2000));
	srv = edu_track(accept(lfd, NULL, NULL));
	ASSERT_LE(0, srv);
	EXPECT_EQ(4096, edu_get_int(srv, SOL_TCP, TCP_WINDOW_CLAMP));
	ASSERT_EQ(0, edu_pump_start(&rx, EDU_PUMP_RECV, srv, 9, 0));
	ASSERT_EQ(0, edu_pump_start(&tx, EDU_PUMP_SEND, cli, 9, len));
	while (pthread_tryjoin_np(tx.thread, NULL) == EBUSY) {
		elen = sizeof(ei);
		if (!getsockopt(srv, SOL_EDU, EDU_INFO, &ei, &elen) &&
		    ei.rcv_wnd > maxwnd)
			maxwnd = ei.rcv_wnd;
		if (edu_tcp_info(cli, &ti) >= 0 && ti.tcpi_snd_wnd > maxwnd)
			maxwnd = ti.tcpi_snd_wnd;
		edu_msleep(1);
	}
	pthread_join(rx.thread, NULL);
	EXPECT_EQ(len, rx.done);
	EXPECT_EQ(-1, rx.bad);
	EXPECT_LT(0, maxwnd);
	EXPECT_GE(4096, maxwnd);
}

/* ---------------------------------------------------- TCP_FASTOPEN -- */

/*
 * Fast Open is accepted and reported back, and changes nothing: the
 * listener issues no cookie, a TCP_FASTOPEN_CONNECT client does the
 * handshake in connect(), and data flows both ways.
 */
TEST_F(edu, fastopen__accepted_plain_handshake)
{
	int lfd, port, cli, srv;
	char buf[8];

	lfd = edu_track(listener(true, 8, &port));
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, edu_set_int(lfd, SOL_TCP, TCP_FASTOPEN, 16));
	EXPECT_EQ(16, edu_get_int(lfd, SOL_TCP, TCP_FASTOPEN));
	cli = edu_open(0);
	ASSERT_LE(0, cli);
	ASSERT_EQ(0, edu_set_int(cli, SOL_TCP, TCP_FASTOPEN_CONNECT, 1));
	ASSERT_EQ(0, edu_connect_to(cli, EDU_LOOPBACK, port));
	ASSERT_EQ(0, edu_wait(lfd, POLLIN, 2000));
	srv = edu_track(accept(lfd, NULL, NULL));
	ASSERT_LE(0, srv);
	ASSERT_EQ(4, send(cli, "tfo?", 4, 0));
	ASSERT_EQ(4, read_n(srv, buf, 4, 2000));
	ASSERT_EQ(2, send(srv, "no", 2, 0));
	ASSERT_EQ(2, read_n(cli, buf, 2, 2000));
}

/* ---------------------------------------------------- SO_REUSEPORT -- */

/*
 * SO_REUSEPORT on @fd.  Where the socket core refuses it to AF_EDU (6.1:
 * EOPNOTSUPP, before the family is asked), SOL_EDU's EDU_REUSEPORT, as
 * edu-run's library does.  Returns 0 or -1.
 */
static int set_reuseport(int fd, int val)
{
	struct utsname u;

	if (!edu_set_int(fd, SOL_SOCKET, SO_REUSEPORT, val))
		return 0;
	/* Only 6.1 may refuse it: 6.12 lets AF_EDU answer. */
	if (errno != EOPNOTSUPP || uname(&u) || strncmp(u.release, "6.1.", 4))
		return -1;
	return edu_set_int(fd, SOL_EDU, EDU_REUSEPORT, val);
}

TEST_F(edu, reuseport__option)
{
	int fd = edu_open(0), val;
	socklen_t len = 2;

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, edu_get_int(fd, SOL_SOCKET, SO_REUSEPORT));
	EXPECT_EQ(0, edu_get_int(fd, SOL_EDU, EDU_REUSEPORT));
	ASSERT_EQ(0, set_reuseport(fd, 1)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(1, edu_get_int(fd, SOL_SOCKET, SO_REUSEPORT));
	EXPECT_EQ(1, edu_get_int(fd, SOL_EDU, EDU_REUSEPORT));
	ASSERT_EQ(0, edu_set_int(fd, SOL_EDU, EDU_REUSEPORT, 0));
	EXPECT_EQ(0, edu_get_int(fd, SOL_SOCKET, SO_REUSEPORT));
	ASSERT_EQ(0, edu_set_int(fd, SOL_EDU, EDU_REUSEPORT, 7));
	EXPECT_EQ(1, edu_get_int(fd, SOL_SOCKET, SO_REUSEPORT));
	val = 0;
	EXPECT_ERRNO(EINVAL, setsockopt(fd, SOL_EDU, EDU_REUSEPORT, &val, len));
	/* The other SOL_SOCKET options still reach the socket core. */
	ASSERT_EQ(0, edu_set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1));
	EXPECT_EQ(1, edu_get_int(fd, SOL_SOCKET, SO_KEEPALIVE));
	EXPECT_ERRNO(ENOPROTOOPT, edu_set_int(fd, SOL_SOCKET, 0x7fff, 1));
}

/* bind() in a process of user nobody; its errno, or 0. */
static int bind_as_nobody(bool edu, int port)
{
	int st, fd;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		if (edu_drop_privs())
			_exit(100);
		fd = new_socket(edu);
		if (fd < 0 || set_reuseport(fd, 1))
			_exit(101);
		_exit(edu_bind_to(fd, EDU_LOOPBACK, port) ? errno : 0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/*
 * Who may share a port, as kernel TCP decides: sockets of the same owner
 * that all set SO_REUSEPORT, listening or not; not one without it, nor
 * one of another user.
 */
static void reuseport_bind(struct __test_metadata *_metadata,
			   struct _test_data_edu *self, bool edu)
{
	int port = edu_free_port(), a, b, c, d, e;

	ASSERT_LT(0, port);
	a = edu_track(new_socket(edu));
	b = edu_track(new_socket(edu));
	c = edu_track(new_socket(edu));
	d = edu_track(new_socket(edu));
	e = tcp_open();
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_LE(0, c);
	ASSERT_LE(0, d);
	ASSERT_EQ(0, set_reuseport(a, 1));
	ASSERT_EQ(0, set_reuseport(b, 1));
	ASSERT_EQ(0, set_reuseport(d, 1));
	ASSERT_EQ(0, edu_bind_to(a, EDU_LOOPBACK, port)) TH_LOG("%s", FAM(edu));
	ASSERT_EQ(0, edu_bind_to(b, EDU_LOOPBACK, port)) TH_LOG("%s", FAM(edu));
	EXPECT_ERRNO(EADDRINUSE, edu_bind_to(c, EDU_LOOPBACK, port));
	EXPECT_ERRNO(EADDRINUSE, edu_bind_to(e, EDU_LOOPBACK, port));
	/* The wildcard overlaps too. */
	EXPECT_ERRNO(EADDRINUSE, edu_bind_to(c, "0.0.0.0", port));
	ASSERT_EQ(0, listen(a, 8));
	ASSERT_EQ(0, listen(b, 8)) TH_LOG("%s: %s", FAM(edu), strerror(errno));
	ASSERT_EQ(0, edu_bind_to(d, EDU_LOOPBACK, port)) TH_LOG("%s", FAM(edu));
	EXPECT_EQ(EADDRINUSE, bind_as_nobody(edu, port)) TH_LOG("%s", FAM(edu));
}

TEST_F(edu, reuseport__bind_rules)
{
	reuseport_bind(_metadata, self, true);
}

TEST_F(edu, reuseport__bind_rules_tcp)
{
	reuseport_bind(_metadata, self, false);
}

/*
 * Two listeners of one owner on one port: connections spread over both,
 * by the hash of their 4-tuple; once one closes, the other takes all.
 */
static void reuseport_share(struct __test_metadata *_metadata,
			    struct _test_data_edu *self, bool edu)
{
	int port = edu_free_port(), l[2], got[2] = { 0, 0 }, i, k, n;
	double end;

	ASSERT_LT(0, port);
	for (i = 0; i < 2; i++) {
		l[i] = edu_track(new_socket(edu));
		ASSERT_LE(0, l[i]);
		ASSERT_EQ(0, set_reuseport(l[i], 1));
		ASSERT_EQ(0, edu_bind_to(l[i], EDU_LOOPBACK, port));
		ASSERT_EQ(0, listen(l[i], 64));
		ASSERT_EQ(0, fcntl(l[i], F_SETFL, O_NONBLOCK));
	}
	for (n = 0; n < 40; n++) {
		int cli = tcp_open();

		ASSERT_LE(0, cli);
		ASSERT_EQ(0, edu_connect_to(cli, EDU_LOOPBACK, port))
			TH_LOG("%s: connection %d: %s", FAM(edu), n,
			       strerror(errno));
	}
	end = edu_now() + 5;
	while (got[0] + got[1] < n && edu_now() < end) {
		for (i = 0; i < 2; i++) {
			while ((k = accept(l[i], NULL, NULL)) >= 0) {
				edu_track(k);
				got[i]++;
			}
		}
		edu_msleep(10);
	}
	TH_LOG("%s: %d and %d of %d connections", FAM(edu), got[0], got[1], n);
	EXPECT_EQ(n, got[0] + got[1]);
	EXPECT_LT(0, got[0]);
	EXPECT_LT(0, got[1]);

	/* The group shrinks to one: it takes every connection. */
	ASSERT_EQ(0, edu_close(l[0]));
	for (i = 0; i < 10; i++) {
		int cli = tcp_open();

		ASSERT_LE(0, cli);
		ASSERT_EQ(0, edu_connect_to(cli, EDU_LOOPBACK, port));
		ASSERT_EQ(0, edu_wait(l[1], POLLIN, 2000));
		k = edu_track(accept(l[1], NULL, NULL));
		ASSERT_LE(0, k);
	}
}

TEST_F(edu, reuseport__listeners_share)
{
	reuseport_share(_metadata, self, true);
}

TEST_F(edu, reuseport__listeners_share_tcp)
{
	reuseport_share(_metadata, self, false);
}

TEST_HARNESS_MAIN
