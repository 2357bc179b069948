// SPDX-License-Identifier: GPL-2.0
/*
 * flow_test.c - flow control against a receiver that stops reading.
 *
 * The sender fills the connection until send() says EAGAIN: its send
 * buffer and the receiver's receive buffer are full, the window the
 * receiver advertises is zero.  Then nothing is read for STALL_S seconds.
 * Meanwhile the sender must keep refusing data (EAGAIN, never an error),
 * hold no more than its buffers allow, probe the closed window only with
 * backoff (RFC 9293 section 3.8.6.1: no spinning, so a few dozen segments
 * at most), and not give up, since the receiver answers every probe.  When
 * reading resumes, the window reopens, the rest of the stream follows, and
 * every byte arrives in order.
 *
 * Each direction is a case: AF_EDU to kernel TCP, kernel TCP to AF_EDU,
 * and AF_EDU to AF_EDU, over the veth pair between two namespaces.  Two
 * more end a transfer in the middle, by a vanished peer and by a reset.
 */
#include <fcntl.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "edu_test.h"

#define STALL_S		30
#define MORE		(1024 * 1024)	/* sent after reading resumes */
#define CHUNK		16384

/*
 * Send stream @seed from offset *@off until send() would block; fails the
 * case on any error but EAGAIN, or if far more goes in than two buffers
 * can hold.
 */
static void fill(struct __test_metadata *_metadata, int fd, unsigned int seed,
		 size_t *off)
{
	size_t start = *off, cap = *off + 64 * 1024 * 1024;

	ASSERT_EQ(-1, edu_send_range(fd, seed, off, cap, CHUNK, 0))
		TH_LOG("64 MB went into a connection nobody reads");
	ASSERT_EQ(EAGAIN, errno) TH_LOG("send: %s", strerror(errno));
	ASSERT_LT(start, *off) TH_LOG("no room at all");
}

/* Send stream @seed from offset @off to @end, blocking, then SHUT_WR. */
static void drain_rest(struct __test_metadata *_metadata, int ns, int fd,
		       unsigned int seed, size_t off, size_t end)
{
	if (edu_send_range(fd, seed, &off, end, CHUNK, EDU_STALL_MS)) {
		edu_dump(ns);
		ASSERT_TRUE(0) TH_LOG("send stopped at byte %zu: %s", off,
				      strerror(errno));
	}
	ASSERT_EQ(0, shutdown(fd, SHUT_WR));
}

/* The segments AF_EDU sent from this namespace, or 0 if @edu is false. */
static long out_segs(bool edu)
{
	return edu ? edu_counter("OutSegs") : 0;
}

static void stalled_receiver(struct __test_metadata *_metadata,
			     struct _test_data_edu *self, bool snd_edu,
			     bool rcv_edu)
{
	unsigned int seed = 77 + snd_edu * 2 + rcv_edu;
	int ns, snd, rcv, sndbuf, rcvbuf, inq, outq, i;
	size_t off = 0, stalled;
	struct edu_pump pump;
	long segs;
	char c;

	ns = edu_track(edu_veth_peer());
	ASSERT_LE(0, ns) TH_LOG("cannot set up the veth pair");
	edu_connect_pair(_metadata, self, ns, snd_edu, rcv_edu, &snd, &rcv);
	/* Fill it; what the window took lands in the receiver's buffer. */
	fill(_metadata, snd, seed, &off);
	edu_msleep(500);
	fill(_metadata, snd, seed, &off);
	stalled = off;
	segs = out_segs(snd_edu);
	TH_LOG("%s -> %s: %zu bytes in before the stall",
	       edu_family_name(snd_edu), edu_family_name(rcv_edu), stalled);

	for (i = 0; i < STALL_S; i++) {
		edu_msleep(1000);
		ASSERT_EQ(0, edu_so_error(snd)) TH_LOG("after %d s", i + 1);
		ASSERT_EQ(0, edu_so_error(rcv)) TH_LOG("after %d s", i + 1);
		/* Still full: no more goes in. */
		errno = 0;
		ASSERT_EQ(-1, send(snd, &c, 1, MSG_DONTWAIT | MSG_NOSIGNAL))
			TH_LOG("a send went through after %d s", i + 1);
		ASSERT_EQ(EAGAIN, errno);
		/*
		 * Bounded: an AF_EDU end holds at most what its buffer
		 * allows.  (Kernel TCP's may grow by autotuning, and its
		 * send queue may pass SO_SNDBUF by a segment's overhead.)
		 */
		sndbuf = edu_get_int(snd, SOL_SOCKET, SO_SNDBUF);
		rcvbuf = edu_get_int(rcv, SOL_SOCKET, SO_RCVBUF);
		ASSERT_EQ(0, ioctl(snd, SIOCOUTQ, &outq));
		ASSERT_EQ(0, ioctl(rcv, SIOCINQ, &inq));
		if (snd_edu)
			ASSERT_GE(sndbuf, outq) TH_LOG("SIOCOUTQ %d", outq);
		if (rcv_edu)
			ASSERT_GE(rcvbuf, inq) TH_LOG("SIOCINQ %d", inq);
	}
	ASSERT_EQ((long)stalled, (long)off);
	if (snd_edu) {
		/*
		 * Window probes back off from the RTO (200 ms) up to 120 s:
		 * about eight in 30 s.  A sender that spins sends thousands.
		 */
		segs = out_segs(true) - segs;
		TH_LOG("AF_EDU sent %ld segments in %d s of zero window", segs,
		       STALL_S);
		ASSERT_GT(40, segs);
		ASSERT_LT(2, segs) TH_LOG("no window probes");
	}

	/* Reading resumes: the whole stream must arrive, in order. */
	ASSERT_EQ(0, edu_pump_start(&pump, EDU_PUMP_RECV, rcv, seed, 0));
	drain_rest(_metadata, ns, snd, seed, off, off + MORE);
	ASSERT_EQ(0, pthread_join(pump.thread, NULL));
	ASSERT_NE(-2, pump.done) TH_LOG("byte %ld is wrong", pump.bad);
	ASSERT_EQ((long)(stalled + MORE), pump.done)
		TH_LOG("%ld of %zu bytes, then %s", pump.done, stalled + MORE,
		       strerror(pump.err));
	ASSERT_EQ(0, edu_close(snd));
	ASSERT_EQ(0, edu_close(rcv));
}

TEST_F_TIMEOUT(edu, flow__stalled_receiver_edu_to_tcp, 120)
{
	stalled_receiver(_metadata, self, true, false);
}

TEST_F_TIMEOUT(edu, flow__stalled_receiver_tcp_to_edu, 120)
{
	stalled_receiver(_metadata, self, false, true);
}

TEST_F_TIMEOUT(edu, flow__stalled_receiver_edu_to_edu, 120)
{
	stalled_receiver(_metadata, self, true, true);
}

/*
 * Connections that end badly in the middle of a transfer free everything
 * too: the peer vanishes (a link that drops everything) and the sender
 * gives up after TCP_USER_TIMEOUT with ETIMEDOUT; or the peer resets the
 * connection (it closes with unread data, RFC 9293 section 3.10.4) and
 * the sender learns of it as ECONNRESET or EPIPE.  The teardown then
 * finds the live-object counts back at zero.
 */
static void send_until_error(struct __test_metadata *_metadata, int fd,
			     unsigned int seed, int ms)
{
	double t0 = edu_now();
	size_t off = 0;

	while (edu_send_range(fd, seed, &off, SIZE_MAX, CHUNK, 100) &&
	       errno == EAGAIN)
		ASSERT_GT(ms / 1000.0, edu_now() - t0)
			TH_LOG("no error after %d ms", ms);
}

TEST_F_TIMEOUT(edu, flow__peer_vanishes_mid_transfer, 60)
{
	int ns, snd, rcv;
	double t0;

	ns = edu_track(edu_veth_peer());
	ASSERT_LE(0, ns) TH_LOG("cannot set up the veth pair");
	edu_connect_pair(_metadata, self, ns, true, false, &snd, &rcv);
	ASSERT_EQ(0, edu_set_int(snd, SOL_TCP, TCP_USER_TIMEOUT, 2000));
	/* Some data goes through, then the link drops everything. */
	fill(_metadata, snd, 5, &(size_t){ 0 });
	ASSERT_EQ(0, edu_sh("tc qdisc add dev edu_h root netem loss 100%%"));
	t0 = edu_now();
	send_until_error(_metadata, snd, 5, 30000);
	ASSERT_EQ(ETIMEDOUT, errno) TH_LOG("send: %s", strerror(errno));
	TH_LOG("ETIMEDOUT after %.2f s", edu_now() - t0);
	/* The error is reported once; the socket is closed. */
	ASSERT_EQ(0, edu_so_error(snd));
	ASSERT_EQ(0, edu_close(snd));
	ASSERT_EQ(0, edu_close(rcv));
}

TEST_F_TIMEOUT(edu, flow__reset_mid_transfer, 60)
{
	int ns, snd, rcv;

	ns = edu_track(edu_veth_peer());
	ASSERT_LE(0, ns) TH_LOG("cannot set up the veth pair");
	edu_connect_pair(_metadata, self, ns, true, true, &snd, &rcv);
	fill(_metadata, snd, 6, &(size_t){ 0 });
	/* The receiver leaves with unread data: RST. */
	ASSERT_EQ(0, edu_close(rcv));
	send_until_error(_metadata, snd, 6, 20000);
	ASSERT_TRUE(errno == ECONNRESET || errno == EPIPE)
		TH_LOG("send: %s", strerror(errno));
	ASSERT_EQ(0, edu_close(snd));
}

TEST_HARNESS_MAIN
