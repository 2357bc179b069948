// SPDX-License-Identifier: GPL-2.0
/*
 * close_test.c - ending connections: the peer's FIN (EOF, POLLRDHUP),
 * half-close with shutdown(), RST on close with unread data and with
 * SO_LINGER {1, 0}, what reads, writes, SO_ERROR and poll() report after
 * the peer's RST, and the closing states /proc/net/edu shows.
 *
 * Each case runs with kernel TCP on both ends first, as the reference,
 * then with AF_EDU on the end under test and kernel TCP on the other.
 */
#include <signal.h>

#include "kselftest_harness.h"
#include "edu_test.h"

#define TRACE		8
#define ALL_EVENTS	(POLLIN | POLLOUT | POLLRDHUP | POLLERR | POLLHUP)

/* The line of @fd's socket; its state, or -1 if it is not listed. */
static int proc_state(int fd)
{
	struct edu_proc_line l;

	if (edu_proc_find(EDU_PROC, edu_inode(fd), &l) != 1)
		return -1;
	return l.st;
}

/* Wait up to 5 s for @fd's /proc/net/edu state to become @st. */
static int wait_state(int fd, int st)
{
	int i, cur = -1;

	for (i = 0; i < 500; i++) {
		cur = proc_state(fd);
		if (cur == st)
			break;
		edu_msleep(10);
	}
	return cur;
}

/* Wait up to 5 s until all of @events are set; returns the revents. */
static int wait_events(int fd, int events)
{
	int i, ev = 0;

	for (i = 0; i < 500; i++) {
		ev = edu_poll1(fd, ALL_EVENTS, 0);
		if ((ev & events) == events)
			break;
		edu_msleep(10);
	}
	return ev;
}

/* ------------------------------------------------------------ FIN -- */

/*
 * The peer writes and closes: we see POLLIN | POLLRDHUP (and CLOSE-WAIT),
 * read the data, then 0, again and again.
 */
TEST_F(edu, close__peer_fin)
{
	int edu, a, b, ev[2];
	char buf[16];

	for (edu = 0; edu < 2; edu++) {
		/* b is the end under test; a is kernel TCP. */
		edu_connect_pair(_metadata, self, EDU_LO, false, edu, &a, &b);
		ASSERT_EQ(4, write(a, "data", 4));
		ASSERT_EQ(0, edu_close(a));
		ev[edu] = wait_events(b, POLLIN | POLLRDHUP);
		ASSERT_EQ(POLLIN | POLLOUT | POLLRDHUP, ev[edu])
			TH_LOG("%s: revents %#x", edu_family_name(edu),
			       ev[edu]);
		if (edu)
			ASSERT_EQ(EDU_ST_CLOSE_WAIT,
				  wait_state(b, EDU_ST_CLOSE_WAIT));
		ASSERT_EQ(4, read(b, buf, sizeof(buf)));
		ASSERT_EQ(0, memcmp(buf, "data", 4));
		ASSERT_EQ(0, read(b, buf, sizeof(buf)));
		ASSERT_EQ(0, read(b, buf, sizeof(buf)));
		ASSERT_EQ(0, recv(b, buf, sizeof(buf), MSG_DONTWAIT));
		ASSERT_EQ(POLLIN | POLLOUT | POLLRDHUP,
			  edu_poll1(b, ALL_EVENTS, 0));
		ASSERT_EQ(0, edu_so_error(b));
	}
	ASSERT_EQ(ev[0], ev[1]);
}

/* A blocked read() is woken by the FIN and returns 0. */
struct closer {
	pthread_t thread;
	int fd;
};

static void *closer_fn(void *arg)
{
	struct closer *c = arg;

	edu_msleep(200);
	shutdown(c->fd, SHUT_WR);
	return NULL;
}

TEST_F(edu, close__fin_wakes_reader)
{
	struct closer c;
	int edu, b;
	char buf[16];
	double t0;

	for (edu = 0; edu < 2; edu++) {
		edu_connect_pair(_metadata, self, EDU_LO, false, edu, &c.fd,
				 &b);
		ASSERT_EQ(0, pthread_create(&c.thread, NULL, closer_fn, &c));
		t0 = edu_now();
		ASSERT_EQ(0, read(b, buf, sizeof(buf)))
			TH_LOG("%s: %s", edu_family_name(edu),
			       strerror(errno));
		ASSERT_LE(0.15, edu_now() - t0);
		ASSERT_EQ(0, pthread_join(c.thread, NULL));
	}
}

/*
 * Half-close: the end that shut down writing still reads what the peer
 * sends after its EOF.  Run with AF_EDU half-closing (as client and as
 * accepted socket), and with AF_EDU seeing the other end half-close.
 */
static void half_close(struct __test_metadata *_metadata,
		       struct _test_data_edu *self, bool cli_edu,
		       bool srv_edu, bool cli_shuts)
{
	int cli, srv, x, y;
	char buf[16];

	edu_connect_pair(_metadata, self, EDU_LO, cli_edu, srv_edu, &cli,
			 &srv);
	x = cli_shuts ? cli : srv;	/* half-closes */
	y = cli_shuts ? srv : cli;
	ASSERT_EQ(3, write(x, "req", 3));
	ASSERT_EQ(0, shutdown(x, SHUT_WR));
	ASSERT_ERRNO(EPIPE, send(x, "z", 1, MSG_NOSIGNAL));
	ASSERT_EQ(0, edu_wait(y, POLLRDHUP, 5000));
	ASSERT_EQ(3, read(y, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "req", 3));
	ASSERT_EQ(0, read(y, buf, sizeof(buf)));
	/* The answer flows the other way, after the EOF. */
	ASSERT_EQ(5, write(y, "reply", 5))
		TH_LOG("write after EOF: %s", strerror(errno));
	ASSERT_EQ(0, edu_wait(x, POLLIN, 5000));
	ASSERT_EQ(5, read(x, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "reply", 5));
	ASSERT_EQ(0, edu_poll1(x, POLLIN | POLLRDHUP, 0));
	ASSERT_EQ(0, edu_close(y));
	ASSERT_EQ(0, edu_wait(x, POLLRDHUP, 5000));
	ASSERT_EQ(0, read(x, buf, sizeof(buf)));
	/* Both directions closed: POLLHUP, as kernel TCP. */
	ASSERT_EQ(POLLIN | POLLOUT | POLLRDHUP | POLLHUP,
		  edu_poll1(x, ALL_EVENTS, 0));
}

TEST_F(edu, shutdown__half_close)
{
	half_close(_metadata, self, false, false, true);	/* reference */
	half_close(_metadata, self, true, false, true);
	half_close(_metadata, self, false, true, false);
	half_close(_metadata, self, true, false, false);
	half_close(_metadata, self, false, true, true);
	half_close(_metadata, self, true, true, true);
}

/* shutdown(SHUT_RDWR): the peer sees EOF; we read 0 and cannot write. */
TEST_F(edu, shutdown__rdwr)
{
	int edu, a, b, ev[2];
	char buf[16];

	for (edu = 0; edu < 2; edu++) {
		edu_connect_pair(_metadata, self, EDU_LO, false, edu, &a, &b);
		ASSERT_EQ(0, shutdown(b, SHUT_RDWR));
		ASSERT_EQ(0, read(b, buf, sizeof(buf)));
		ASSERT_ERRNO(EPIPE, send(b, "z", 1, MSG_NOSIGNAL));
		ASSERT_EQ(0, edu_wait(a, POLLRDHUP, 5000));
		ASSERT_EQ(0, read(a, buf, sizeof(buf)));
		ev[edu] = edu_poll1(b, ALL_EVENTS, 0);
		/* Still connected as far as getpeername() goes. */
		ASSERT_EQ(edu_local_port(a), edu_peer_port(b));
	}
	ASSERT_EQ(ev[0], ev[1]) TH_LOG("TCP %#x, AF_EDU %#x", ev[0], ev[1]);
}

/* ------------------------------------------------------------ RST -- */

/*
 * Wait for @fd (kernel TCP) to be reset; it reads the @data that came
 * before the RST, then ECONNRESET.
 */
static void expect_reset(struct __test_metadata *_metadata, int fd,
			 const char *why, const char *data)
{
	char buf[16];
	int ev;

	ev = wait_events(fd, POLLERR);
	ASSERT_NE(0, ev & POLLERR) TH_LOG("%s: no RST, revents %#x", why, ev);
	ASSERT_NE(0, ev & POLLHUP) TH_LOG("%s: revents %#x", why, ev);
	if (data) {
		ASSERT_EQ((ssize_t)strlen(data), read(fd, buf, sizeof(buf)));
		ASSERT_EQ(0, memcmp(buf, data, strlen(data)));
	}
	ASSERT_ERRNO(ECONNRESET, read(fd, buf, sizeof(buf)));
}

/* Closing with unread data sends RST, not FIN (RFC 9293 3.10.4). */
TEST_F(edu, close__unread_data_sends_rst)
{
	int edu, a, b;

	for (edu = 0; edu < 2; edu++) {
		edu_connect_pair(_metadata, self, EDU_LO, false, edu, &a, &b);
		ASSERT_EQ(4, write(a, "data", 4));
		ASSERT_EQ(0, edu_wait(b, POLLIN, 5000));
		ASSERT_EQ(0, edu_close(b));
		expect_reset(_metadata, a, edu_family_name(edu), NULL);
	}
}

TEST_F(edu, close__linger_zero_sends_rst)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int edu, a, b;

	for (edu = 0; edu < 2; edu++) {
		edu_connect_pair(_metadata, self, EDU_LO, edu, false, &b, &a);
		ASSERT_EQ(0, setsockopt(b, SOL_SOCKET, SO_LINGER, &lg,
					sizeof(lg)));
		/* Data already delivered stays readable before the RST. */
		ASSERT_EQ(4, write(b, "data", 4));
		ASSERT_EQ(0, edu_wait(a, POLLIN, 5000));
		ASSERT_EQ(0, edu_close(b));
		expect_reset(_metadata, a, edu_family_name(edu), "data");
	}
}

/* SO_LINGER {1, 0} also aborts a connection no data flowed on. */
TEST_F(edu, close__linger_zero_idle)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	char which[256];
	int edu, a, b;

	for (edu = 0; edu < 2; edu++) {
		edu_connect_pair(_metadata, self, EDU_LO, false, edu, &a, &b);
		ASSERT_EQ(0, setsockopt(b, SOL_SOCKET, SO_LINGER, &lg,
					sizeof(lg)));
		ASSERT_EQ(0, edu_close(b));
		expect_reset(_metadata, a, edu_family_name(edu), NULL);
	}
	/* An abort leaves no TIME-WAIT behind: everything is freed now. */
	ASSERT_TRUE(edu_objects_settle_zero(which, sizeof(which), 2000))
		TH_LOG("left after the abort:%s", which);
}

/*
 * The peer resets the connection (SO_LINGER {1, 0} close).  @first says
 * what we do first: 0 write, 1 SO_ERROR, 2 read.  Returns a trace of
 * results (errno values or 0) to compare with kernel TCP's.
 */
static void after_reset(struct __test_metadata *_metadata,
			struct _test_data_edu *self, bool edu, int first,
			int trace[TRACE])
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int a, b, i = 0;
	char buf[16];

	edu_connect_pair(_metadata, self, EDU_LO, edu, false, &b, &a);
	ASSERT_EQ(0, setsockopt(a, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	ASSERT_EQ(0, edu_close(a));
	trace[i++] = wait_events(b, POLLERR | POLLHUP);
	if (first == 1) {
		trace[i++] = edu_so_error(b);
	} else if (first == 2) {
		errno = 0;
		trace[i++] = read(b, buf, sizeof(buf)) < 0 ? errno : 0;
	}
	/* Then write: the error once, then EPIPE. */
	errno = 0;
	trace[i++] = send(b, "x", 1, MSG_NOSIGNAL) < 0 ? errno : 0;
	errno = 0;
	trace[i++] = send(b, "x", 1, MSG_NOSIGNAL) < 0 ? errno : 0;
	trace[i++] = edu_so_error(b);
	errno = 0;
	trace[i++] = read(b, buf, sizeof(buf)) < 0 ? errno : 0;
	while (i < TRACE)
		trace[i++] = -1;
}

TEST_F(edu, close__after_peer_reset)
{
	int first, tcp[TRACE], edu[TRACE], i;

	for (first = 0; first < 3; first++) {
		after_reset(_metadata, self, false, first, tcp);
		after_reset(_metadata, self, true, first, edu);
		for (i = 0; i < TRACE; i++) {
			int t = tcp[i], e = edu[i];

			EXPECT_EQ(t, e)
				TH_LOG("first %d, step %d: TCP %d, AF_EDU %d",
				       first, i, t, e);
		}
	}
	/* What kernel TCP does, written down. */
	after_reset(_metadata, self, true, 1, edu);
	ASSERT_EQ(ECONNRESET, edu[1]);
	ASSERT_EQ(EPIPE, edu[2]);
	ASSERT_EQ(EPIPE, edu[3]);
	ASSERT_EQ(0, edu[4]);
}

/* Without MSG_NOSIGNAL, writing to a reset connection raises SIGPIPE. */
static int sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	__atomic_add_fetch(&sigpipes, 1, __ATOMIC_SEQ_CST);
}

TEST_F(edu, close__sigpipe)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int edu, a, b;

	ASSERT_NE(SIG_ERR, signal(SIGPIPE, on_sigpipe));
	for (edu = 0; edu < 2; edu++) {
		__atomic_store_n(&sigpipes, 0, __ATOMIC_SEQ_CST);
		edu_connect_pair(_metadata, self, EDU_LO, edu, false, &b, &a);
		ASSERT_EQ(0, setsockopt(a, SOL_SOCKET, SO_LINGER, &lg,
					sizeof(lg)));
		ASSERT_EQ(0, edu_close(a));
		wait_events(b, POLLERR);
		ASSERT_EQ(ECONNRESET, edu_so_error(b));
		ASSERT_ERRNO(EPIPE, write(b, "x", 1));
		ASSERT_EQ(1, __atomic_load_n(&sigpipes, __ATOMIC_SEQ_CST))
			TH_LOG("%s", edu_family_name(edu));
	}
}

/* ------------------------------------------------ closing states -- */

/*
 * Active close by AF_EDU: FIN-WAIT-2 once the FIN is acknowledged; when
 * the peer closes too, the socket is done (CLOSE), the connection in
 * TIME-WAIT (shown as its own line, without an inode, if listed at all).
 * Passive close: CLOSE-WAIT until we close.
 */
TEST_F(edu, close__proc_states)
{
	struct edu_proc_line l;
	char buf[512];
	int a, b, lport, st, tw = 0;
	FILE *f;

	edu_connect_pair(_metadata, self, EDU_LO, true, false, &b, &a);
	lport = edu_local_port(b);
	ASSERT_EQ(EDU_ST_ESTABLISHED, proc_state(b));
	ASSERT_EQ(0, shutdown(b, SHUT_WR));
	ASSERT_EQ(EDU_ST_FIN_WAIT2, wait_state(b, EDU_ST_FIN_WAIT2));
	ASSERT_EQ(0, edu_close(a));
	/*
	 * As in Linux, the socket itself is CLOSE and a TIME-WAIT record,
	 * with no inode, stands for the connection.
	 */
	st = wait_state(b, EDU_ST_CLOSE);
	ASSERT_EQ(EDU_ST_CLOSE, st) TH_LOG("state %#x", st);
	f = fopen(EDU_PROC, "r");
	ASSERT_NE(NULL, f);
	while (fgets(buf, sizeof(buf), f))
		if (edu_proc_parse(buf, &l) && l.lport == (unsigned int)lport &&
		    l.st == EDU_ST_TIME_WAIT)
			tw++;
	fclose(f);
	ASSERT_EQ(1, tw) TH_LOG("TIME-WAIT lines for port %d: %d", lport, tw);

	/* Passive close. */
	edu_connect_pair(_metadata, self, EDU_LO, false, true, &a, &b);
	ASSERT_EQ(0, edu_close(a));
	ASSERT_EQ(EDU_ST_CLOSE_WAIT, wait_state(b, EDU_ST_CLOSE_WAIT));
	ASSERT_EQ(0, shutdown(b, SHUT_WR));
	/* LAST-ACK, then closed once kernel TCP acknowledges our FIN. */
	ASSERT_EQ(EDU_ST_CLOSE, wait_state(b, EDU_ST_CLOSE));
}

/*
 * A socket closed in CLOSE-WAIT goes on alone (orphaned) through LAST-ACK
 * and is freed once kernel TCP acknowledges its FIN; the passive closer
 * keeps no TIME-WAIT, so nothing at all is left.
 */
TEST_F(edu, close__orphan_last_ack_freed)
{
	char which[256];
	int a, b;

	edu_connect_pair(_metadata, self, EDU_LO, false, true, &a, &b);
	ASSERT_EQ(0, edu_close(a));	/* kernel TCP closes first */
	ASSERT_EQ(0, edu_wait(b, POLLRDHUP, 5000));
	ASSERT_EQ(0, edu_close(b));
	ASSERT_TRUE(edu_objects_settle_zero(which, sizeof(which), 3000))
		TH_LOG("left:%s", which);
}

/*
 * An orphan in FIN-WAIT-2 whose peer never closes ends after the
 * namespace's net.edu.fin_timeout (tcp_fin_timeout's counterpart), as in
 * Linux, freeing everything.
 */
TEST_F(edu, close__orphan_fin_wait2_timeout)
{
	char which[256];
	int a, b;

	ASSERT_EQ(0, edu_sh("echo 1 > /proc/sys/net/edu/fin_timeout"));
	edu_connect_pair(_metadata, self, EDU_LO, true, false, &a, &b);
	ASSERT_EQ(0, edu_close(a));	/* AF_EDU closes; kernel TCP does not */
	ASSERT_TRUE(edu_objects_settle_zero(which, sizeof(which), 4000))
		TH_LOG("left:%s", which);
	/* The peer sees our FIN; its own close finds nobody there. */
	ASSERT_EQ(0, edu_wait(b, POLLRDHUP, 1000));
}

/*
 * SO_LINGER with a timeout: close() waits for the queued data to be
 * acknowledged, at most that long.  The peer reads nothing, so the data
 * cannot all be acknowledged and close() returns after about a second.
 */
TEST_F(edu, close__linger_timeout_waits)
{
	struct linger lin = { .l_onoff = 1, .l_linger = 1 };
	static char buf[65536];
	double t0, dt;
	int a, b, fl;

	edu_connect_pair(_metadata, self, EDU_LO, true, false, &a, &b);
	fl = fcntl(a, F_GETFL);
	ASSERT_EQ(0, fcntl(a, F_SETFL, fl | O_NONBLOCK));
	while (send(a, buf, sizeof(buf), MSG_NOSIGNAL) > 0)
		;
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, fcntl(a, F_SETFL, fl));
	ASSERT_EQ(0, setsockopt(a, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin)));
	t0 = edu_now();
	ASSERT_EQ(0, edu_close(a));
	dt = edu_now() - t0;
	ASSERT_LE(0.7, dt) TH_LOG("close() returned after %.2f s", dt);
	ASSERT_GE(5.0, dt) TH_LOG("close() returned after %.2f s", dt);
}

TEST_HARNESS_MAIN
