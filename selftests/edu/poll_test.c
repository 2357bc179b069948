// SPDX-License-Identifier: GPL-2.0
/*
 * poll_test.c - readiness as event loops see it: epoll, level- and
 * edge-triggered, and select() on AF_EDU stream sockets, for arriving
 * data, a writable connection, the peer's FIN (EPOLLRDHUP) and RST
 * (EPOLLHUP | EPOLLERR), a listener with a pending connection and a
 * nonblocking connect() that completes.
 *
 * Each case runs first on a kernel TCP socket, the reference, then on an
 * AF_EDU socket; the peer is kernel TCP unless the case says otherwise.
 * The masks asserted are exact: they are what tcp_poll() reports.
 */
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>

#include "kselftest_harness.h"
#include "edu_test.h"

#define EV_IN		(EPOLLIN | EPOLLRDNORM)
#define EV_OUT		(EPOLLOUT | EPOLLWRNORM)
#define EV_RDHUP	(EV_IN | EPOLLRDHUP)
#define EV_ALL		(EV_IN | EV_OUT | EPOLLRDHUP | EPOLLPRI | EPOLLERR | \
			 EPOLLHUP)
/* What a socket reset by its peer reports, as tcp_poll(). */
#define EV_RESET	(EV_RDHUP | EV_OUT | EPOLLHUP | EPOLLERR)

/*
 * Wait up to @ms for one event on @ep; returns its mask, 0 if none came,
 * -1 if epoll_wait() failed or reported more than the one fd.
 */
static int ep_wait(int ep, int ms)
{
	struct epoll_event ev[2];
	int n;

	do {
		n = epoll_wait(ep, ev, 2, ms);
	} while (n < 0 && errno == EINTR);
	if (n < 0 || n > 1)
		return -1;
	return n ? (int)ev[0].events : 0;
}

/* An epoll instance watching @fd for @events; returns it, or -1. */
static int ep_watch(int fd, unsigned int events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0)
		return -1;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) {
		close(ep);
		return -1;
	}
	return ep;
}

/* The socket under test (AF_EDU if @edu) connected to a kernel TCP peer. */
#define PAIR(edu, s, peer) \
	edu_connect_pair(_metadata, self, EDU_LO, edu, false, &(s), &(peer))

#define FAM(edu)	edu_family_name(edu)

/* -------------------------------------------------- level-triggered -- */

/*
 * Level-triggered: every epoll_wait() reports the current state, EPOLLIN
 * as long as bytes are unread, EPOLLOUT while writable, EPOLLRDHUP once
 * the peer has shut down writing.
 */
TEST_F(edu, epoll__level_triggered)
{
	int edu, s, peer, ep;
	char buf[16];

	for (edu = 0; edu < 2; edu++) {
		PAIR(edu, s, peer);
		ep = edu_track(ep_watch(s, EV_IN | EV_OUT | EPOLLRDHUP));
		ASSERT_LE(0, ep);
		ASSERT_EQ(EV_OUT, ep_wait(ep, 1000)) TH_LOG("%s", FAM(edu));
		ASSERT_EQ(EV_OUT, ep_wait(ep, 0));

		ASSERT_EQ(5, write(peer, "hello", 5));
		ASSERT_EQ(EV_IN | EV_OUT, ep_wait(ep, 1000))
			TH_LOG("%s: data arrived", FAM(edu));
		/* Still unread: reported again, and again. */
		ASSERT_EQ(EV_IN | EV_OUT, ep_wait(ep, 0));
		ASSERT_EQ(EV_IN | EV_OUT, ep_wait(ep, 0));
		ASSERT_EQ(2, recv(s, buf, 2, 0));
		ASSERT_EQ(EV_IN | EV_OUT, ep_wait(ep, 0))
			TH_LOG("%s: 3 bytes left", FAM(edu));
		ASSERT_EQ(3, recv(s, buf, sizeof(buf), 0));
		ASSERT_EQ(EV_OUT, ep_wait(ep, 0))
			TH_LOG("%s: all read", FAM(edu));

		ASSERT_EQ(0, shutdown(peer, SHUT_WR));
		ASSERT_EQ(EV_RDHUP | EV_OUT, ep_wait(ep, 1000))
			TH_LOG("%s: peer's FIN", FAM(edu));
		ASSERT_EQ(EV_RDHUP | EV_OUT, ep_wait(ep, 0));
		ASSERT_EQ(0, recv(s, buf, sizeof(buf), 0));
		ASSERT_EQ(EV_RDHUP | EV_OUT, ep_wait(ep, 0));
		/* Both directions shut down: EPOLLHUP too. */
		ASSERT_EQ(0, shutdown(s, SHUT_WR));
		ASSERT_EQ(EV_RDHUP | EV_OUT | EPOLLHUP, ep_wait(ep, 1000))
			TH_LOG("%s: both shut down", FAM(edu));
	}
}

/* --------------------------------------------------- edge-triggered -- */

/*
 * Edge-triggered: an event once per change: each arrival of data is one
 * EPOLLIN event even while earlier bytes are unread, and nothing comes
 * between arrivals, nor from reading.
 */
TEST_F(edu, epoll__edge_triggered)
{
	int edu, s, peer, ep;
	char buf[16];

	for (edu = 0; edu < 2; edu++) {
		PAIR(edu, s, peer);
		ep = edu_track(ep_watch(s, EV_IN | EV_OUT | EPOLLRDHUP |
					     EPOLLET));
		ASSERT_LE(0, ep);
		ASSERT_EQ(EV_OUT, ep_wait(ep, 1000));
		ASSERT_EQ(0, ep_wait(ep, 100)) TH_LOG("%s: idle", FAM(edu));

		ASSERT_EQ(1, write(peer, "a", 1));
		ASSERT_EQ(EV_IN | EV_OUT, ep_wait(ep, 1000))
			TH_LOG("%s: first arrival", FAM(edu));
		ASSERT_EQ(0, ep_wait(ep, 100))
			TH_LOG("%s: reported twice", FAM(edu));

		/* A new arrival is a new edge, though "a" is unread. */
		ASSERT_EQ(1, write(peer, "b", 1));
		ASSERT_EQ(EV_IN | EV_OUT, ep_wait(ep, 1000))
			TH_LOG("%s: second arrival", FAM(edu));
		ASSERT_EQ(0, ep_wait(ep, 100));

		ASSERT_EQ(1, recv(s, buf, 1, 0));
		ASSERT_EQ(0, ep_wait(ep, 100))
			TH_LOG("%s: an event from reading", FAM(edu));
		ASSERT_EQ(1, recv(s, buf, sizeof(buf), 0));
		ASSERT_EQ('b', buf[0]);
		ASSERT_EQ(0, ep_wait(ep, 100));

		ASSERT_EQ(0, shutdown(peer, SHUT_WR));
		ASSERT_EQ(EV_RDHUP | EV_OUT, ep_wait(ep, 1000))
			TH_LOG("%s: peer's FIN", FAM(edu));
		ASSERT_EQ(0, ep_wait(ep, 100));
	}
}

/*
 * Edge-triggered EPOLLOUT: reported once for a writable socket, not again
 * when ACKs merely free space nobody waited for; again once a full send
 * buffer (EAGAIN) has drained.
 */
TEST_F(edu, epoll__edge_triggered_out)
{
	static char buf[65536];
	int edu, s, peer, ep, i;
	long total, got;
	ssize_t n;
	double t0;

	for (edu = 0; edu < 2; edu++) {
		PAIR(edu, s, peer);
		ep = edu_track(ep_watch(s, EV_OUT | EPOLLET));
		ASSERT_LE(0, ep);
		ASSERT_EQ(EV_OUT, ep_wait(ep, 1000));
		ASSERT_EQ(0, ep_wait(ep, 100));

		/* Sent, acknowledged, read: no new edge. */
		for (i = 0; i < 5; i++) {
			ASSERT_EQ(1000, send(s, buf, 1000, 0));
			ASSERT_EQ(0, edu_wait(peer, POLLIN, 1000));
			ASSERT_EQ(1000, recv(peer, buf, sizeof(buf),
					     MSG_WAITALL | MSG_DONTWAIT));
		}
		ASSERT_EQ(0, ep_wait(ep, 200))
			TH_LOG("%s: EPOLLOUT on an ACK nobody waited for",
			       FAM(edu));

		/*
		 * Fill the send buffer: the next EPOLLOUT is an edge.  Full
		 * means it stays full: ACKs of what was in flight (and the
		 * send buffer growing with the congestion window) may make
		 * room again for a while, so fill until 100 ms without a
		 * reader brought no room.
		 */
		total = 0;
		do {
			ASSERT_GT(64L << 20, total);
			for (got = 0; (n = send(s, buf, sizeof(buf),
						MSG_DONTWAIT)) > 0; got += n)
				total += n;
			ASSERT_EQ(EAGAIN, errno);
			edu_msleep(100);
		} while (got);
		for (i = 0; i < 10 && ep_wait(ep, 0) > 0; i++)
			;
		ASSERT_EQ(0, ep_wait(ep, 100)) TH_LOG("%s: full", FAM(edu));
		t0 = edu_now();
		for (got = 0; got < total; got += n) {
			ASSERT_EQ(0, edu_wait(peer, POLLIN, 2000))
				TH_LOG("%s: %ld of %ld bytes", FAM(edu), got,
				       total);
			n = recv(peer, buf, sizeof(buf), MSG_DONTWAIT);
			ASSERT_LT(0, n);
		}
		TH_LOG("%s: %ld bytes drained in %.2f s", FAM(edu), total,
		       edu_now() - t0);
		ASSERT_EQ(EV_OUT, ep_wait(ep, 1000))
			TH_LOG("%s: drained, no EPOLLOUT", FAM(edu));
	}
}

/* ------------------------------------------------------- FIN and RST -- */

/* The peer's shutdown(SHUT_WR): EPOLLRDHUP with EPOLLIN, while writable. */
TEST_F(edu, epoll__rdhup)
{
	int edu, s, peer, ep;
	char c;

	for (edu = 0; edu < 2; edu++) {
		PAIR(edu, s, peer);
		ep = edu_track(ep_watch(s, EPOLLRDHUP));
		ASSERT_LE(0, ep);
		ASSERT_EQ(0, ep_wait(ep, 100));
		ASSERT_EQ(0, shutdown(peer, SHUT_WR));
		ASSERT_EQ(EPOLLRDHUP, ep_wait(ep, 1000)) TH_LOG("%s",
								FAM(edu));
		ASSERT_EQ(EV_RDHUP | EV_OUT, edu_poll1(s, EV_ALL, 0));
		/* Still writable: the other direction is open. */
		ASSERT_EQ(1, send(s, "x", 1, MSG_NOSIGNAL));
		ASSERT_EQ(0, edu_wait(peer, POLLIN, 1000));
		ASSERT_EQ(1, read(peer, &c, 1));
		ASSERT_EQ(0, recv(s, &c, 1, 0));
	}
}

/* Close @fd with SO_LINGER {1, 0}: it sends a RST. */
static void linger0_close(struct __test_metadata *_metadata,
			  struct _test_data_edu *self, int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	ASSERT_EQ(0, edu_close(fd));
}

#define LINGER0_CLOSE(fd)	linger0_close(_metadata, self, (fd))

/*
 * The peer resets (SO_LINGER {1, 0} close): EPOLLHUP | EPOLLERR with
 * EPOLLIN, EPOLLRDHUP and EPOLLOUT, as tcp_poll(); EPOLLERR clears once
 * SO_ERROR has been read.  The resetting peer is kernel TCP, then AF_EDU.
 */
TEST_F(edu, epoll__reset)
{
	int k, edu, peer_edu, s, peer, ep;

	for (k = 0; k < 3; k++) {
		/* TCP <- TCP, AF_EDU <- TCP, AF_EDU <- AF_EDU. */
		edu = k > 0;
		peer_edu = k > 1;
		edu_connect_pair(_metadata, self, EDU_LO, edu, peer_edu, &s,
				 &peer);
		ep = edu_track(ep_watch(s, EV_IN | EV_OUT | EPOLLET));
		ASSERT_LE(0, ep);
		ASSERT_EQ(EV_OUT, ep_wait(ep, 1000));
		LINGER0_CLOSE(peer);
		/* Errors and hang-ups are reported whether asked for or not. */
		ASSERT_EQ(EV_IN | EV_OUT | EPOLLHUP | EPOLLERR,
			  ep_wait(ep, 1000))
			TH_LOG("%s reset by %s", FAM(edu), FAM(peer_edu));
		ASSERT_EQ(EV_RESET, edu_poll1(s, EV_ALL, 0));
		ASSERT_EQ(ECONNRESET, edu_so_error(s));
		ASSERT_EQ(EV_RDHUP | EV_OUT | EPOLLHUP,
			  edu_poll1(s, EV_ALL, 0))
			TH_LOG("%s: after SO_ERROR", FAM(edu));
	}
}

/* ------------------------------------------------ listener, connect -- */

/* A listener is readable while a connection waits to be accepted. */
TEST_F(edu, epoll__listener)
{
	int edu, l, c, a, ep, port;

	for (edu = 0; edu < 2; edu++) {
		l = edu ? edu_open(0) : tcp_open();
		ASSERT_LE(0, l);
		port = edu_listen_on(l, EDU_LOOPBACK, 4);
		ASSERT_LT(0, port);
		ep = edu_track(ep_watch(l, EV_IN | EV_OUT | EPOLLRDHUP));
		ASSERT_LE(0, ep);
		ASSERT_EQ(0, ep_wait(ep, 100))
			TH_LOG("%s: idle listener", FAM(edu));
		c = tcp_open();
		ASSERT_EQ(0, edu_connect_to(c, EDU_LOOPBACK, port));
		ASSERT_EQ(EV_IN, ep_wait(ep, 1000)) TH_LOG("%s", FAM(edu));
		ASSERT_EQ(EV_IN, ep_wait(ep, 0));
		a = edu_track(accept(l, NULL, NULL));
		ASSERT_LE(0, a);
		ASSERT_EQ(0, ep_wait(ep, 0)) TH_LOG("%s: accepted", FAM(edu));
		edu_close(a);
		edu_close(c);
		edu_close(ep);
		edu_close(l);
	}
}

/* Delay every packet on loopback by @ms, so handshakes can be watched. */
static int lo_delay(int ms)
{
	return edu_sh("tc qdisc add dev lo root netem delay %dms", ms);
}

/*
 * A nonblocking connect(): nothing while the handshake is under way, then
 * EPOLLOUT once it completes; a refused one reports EPOLLERR | EPOLLHUP
 * with its error in SO_ERROR.
 */
TEST_F(edu, epoll__connect_nonblocking)
{
	int edu, l, c, ep, port, closed;
	double t0;

	ASSERT_EQ(0, lo_delay(50));
	l = tcp_open();
	port = edu_listen_on(l, EDU_LOOPBACK, 8);
	ASSERT_LT(0, port);
	closed = edu_free_port();
	ASSERT_LT(0, closed);
	for (edu = 0; edu < 2; edu++) {
		c = edu ? edu_open(SOCK_NONBLOCK) :
			  edu_track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK,
					   0));
		ASSERT_LE(0, c);
		ep = edu_track(ep_watch(c, EV_IN | EV_OUT | EPOLLRDHUP |
					   EPOLLET));
		ASSERT_LE(0, ep);
		t0 = edu_now();
		ASSERT_ERRNO(EINPROGRESS, edu_connect_to(c, EDU_LOOPBACK,
							 port));
		ASSERT_EQ(0, ep_wait(ep, 0)) TH_LOG("%s: SYN-SENT", FAM(edu));
		ASSERT_EQ(0, edu_poll1(c, EV_ALL, 0));
		ASSERT_EQ(EV_OUT, ep_wait(ep, 2000)) TH_LOG("%s", FAM(edu));
		/* Two 50 ms trips: the SYN and the SYN-ACK. */
		ASSERT_LE(0.09, edu_now() - t0);
		ASSERT_EQ(0, edu_so_error(c));
		ASSERT_EQ(0, ep_wait(ep, 0));

		c = edu ? edu_open(SOCK_NONBLOCK) :
			  edu_track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK,
					   0));
		ASSERT_LE(0, c);
		ep = edu_track(ep_watch(c, EV_OUT | EPOLLET));
		ASSERT_LE(0, ep);
		ASSERT_ERRNO(EINPROGRESS, edu_connect_to(c, EDU_LOOPBACK,
							 closed));
		ASSERT_EQ(0, ep_wait(ep, 0));
		ASSERT_EQ(EV_OUT | EPOLLERR | EPOLLHUP, ep_wait(ep, 2000))
			TH_LOG("%s: refused", FAM(edu));
		ASSERT_EQ(ECONNREFUSED, edu_so_error(c));
		ASSERT_EQ(EV_RDHUP | EV_OUT | EPOLLHUP,
			  edu_poll1(c, EV_ALL, 0));
	}
}

/* ----------------------------------------------------------- select -- */

/* Which of read, write, except select() reports for @fd, as bits 1, 2, 4. */
static int select1(int fd, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	fd_set r, w, e;
	int n;

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	FD_SET(fd, &r);
	FD_SET(fd, &w);
	FD_SET(fd, &e);
	n = select(fd + 1, &r, &w, &e, &tv);
	if (n < 0)
		return -1;
	return FD_ISSET(fd, &r) | FD_ISSET(fd, &w) << 1 | FD_ISSET(fd, &e) << 2;
}

/* Wait up to @ms for select() to report @fd readable; its bits. */
static int select_rd(int fd, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	fd_set r;
	int n;

	FD_ZERO(&r);
	FD_SET(fd, &r);
	n = select(fd + 1, &r, NULL, NULL, &tv);
	return n < 0 ? -1 : n ? select1(fd, 0) : 0;
}

/* Wait up to @ms for select() to report @fd writable; its bits. */
static int select_wr(int fd, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	fd_set w;
	int n;

	FD_ZERO(&w);
	FD_SET(fd, &w);
	n = select(fd + 1, NULL, &w, NULL, &tv);
	return n < 0 ? -1 : n ? select1(fd, 0) : 0;
}

#define SEL_R	1
#define SEL_W	2

/*
 * select() on a connection: writable when connected, readable when data
 * or the peer's FIN arrives, readable and writable after a reset.
 * Nothing is ever exceptional (no urgent data).
 */
TEST_F(edu, select__connection)
{
	int edu, s, peer;
	char buf[8];

	for (edu = 0; edu < 2; edu++) {
		PAIR(edu, s, peer);
		ASSERT_EQ(SEL_W, select1(s, 0)) TH_LOG("%s", FAM(edu));
		ASSERT_EQ(0, select_rd(s, 100));
		ASSERT_EQ(3, write(peer, "abc", 3));
		ASSERT_EQ(SEL_R | SEL_W, select_rd(s, 1000))
			TH_LOG("%s: data", FAM(edu));
		ASSERT_EQ(3, read(s, buf, sizeof(buf)));
		ASSERT_EQ(SEL_W, select1(s, 0));
		ASSERT_EQ(0, shutdown(peer, SHUT_WR));
		ASSERT_EQ(SEL_R | SEL_W, select_rd(s, 1000))
			TH_LOG("%s: FIN", FAM(edu));
		ASSERT_EQ(0, read(s, buf, sizeof(buf)));
		/* A reset in CLOSE-WAIT: EPIPE, and reads stay at EOF. */
		LINGER0_CLOSE(peer);
		edu_msleep(100);
		ASSERT_EQ(SEL_R | SEL_W, select1(s, 0))
			TH_LOG("%s: reset in CLOSE-WAIT", FAM(edu));
		ASSERT_EQ(0, read(s, buf, sizeof(buf)))
			TH_LOG("%s: %s", FAM(edu), strerror(errno));
		ASSERT_EQ(EPIPE, edu_so_error(s)) TH_LOG("%s", FAM(edu));
		ASSERT_EQ(0, read(s, buf, sizeof(buf)));

		PAIR(edu, s, peer);
		ASSERT_EQ(0, select_rd(s, 0));
		LINGER0_CLOSE(peer);
		ASSERT_EQ(SEL_R | SEL_W, select_rd(s, 1000))
			TH_LOG("%s: reset", FAM(edu));
		ASSERT_ERRNO(ECONNRESET, read(s, buf, sizeof(buf)));
		ASSERT_EQ(0, read(s, buf, sizeof(buf)));
	}
}

/*
 * select() on a listener, readable while a connection is pending, and on
 * a nonblocking connect(), writable once the handshake (slowed down by a
 * 50 ms delay on loopback) is done.
 */
TEST_F(edu, select__listener_and_connect)
{
	int edu, l, c, port;

	ASSERT_EQ(0, lo_delay(50));
	for (edu = 0; edu < 2; edu++) {
		l = edu ? edu_open(0) : tcp_open();
		port = edu_listen_on(l, EDU_LOOPBACK, 4);
		ASSERT_LT(0, port);
		ASSERT_EQ(0, select1(l, 0));
		c = edu ? edu_open(SOCK_NONBLOCK) :
			  edu_track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK,
					   0));
		ASSERT_LE(0, c);
		ASSERT_ERRNO(EINPROGRESS, edu_connect_to(c, EDU_LOOPBACK,
							 port));
		ASSERT_EQ(0, select1(c, 0)) TH_LOG("%s: SYN-SENT", FAM(edu));
		ASSERT_EQ(SEL_W, select_wr(c, 2000))
			TH_LOG("%s: connected", FAM(edu));
		ASSERT_EQ(0, edu_so_error(c));
		ASSERT_EQ(SEL_R, select_rd(l, 2000))
			TH_LOG("%s: listener", FAM(edu));
		ASSERT_LE(0, edu_track(accept(l, NULL, NULL)));
		ASSERT_EQ(0, select1(l, 0));
	}
}

TEST_HARNESS_MAIN
