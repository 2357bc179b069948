// SPDX-License-Identifier: GPL-2.0
/*
 * accept_test.c - accept() on AF_EDU listeners: the errors of a socket that
 * does not listen, an empty queue (nonblocking, timed out), and the ways a
 * blocked accept() is woken (shutdown, signals).
 */
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include "kselftest_harness.h"
#include "edu_test.h"

TEST_F(edu, accept__not_listening)
{
	int fd = edu_open(0), nb = edu_open(SOCK_NONBLOCK);

	ASSERT_LE(0, fd);
	ASSERT_LE(0, nb);
	/* Unbound, then bound: EINVAL, without blocking. */
	ASSERT_ERRNO(EINVAL, accept(fd, NULL, NULL));
	ASSERT_ERRNO(EINVAL, accept(nb, NULL, NULL));
	ASSERT_ERRNO(EINVAL, accept4(fd, NULL, NULL, SOCK_CLOEXEC));
	ASSERT_EQ(0, edu_bind_to(fd, "127.0.0.1", 0));
	ASSERT_ERRNO(EINVAL, accept(fd, NULL, NULL));
	ASSERT_COUNTS(2, 1);
}

TEST_F(edu, accept__nonblocking_empty)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = edu_open(SOCK_NONBLOCK);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, listen(fd, 8));
	ASSERT_ERRNO(EAGAIN, accept(fd, NULL, NULL));
	ASSERT_ERRNO(EAGAIN, accept(fd, (struct sockaddr *)&sin, &len));
	ASSERT_ERRNO(EAGAIN, accept4(fd, NULL, NULL,
				     SOCK_NONBLOCK | SOCK_CLOEXEC));
	/* Nothing is written to the address on failure. */
	ASSERT_EQ(sizeof(sin), len);
	ASSERT_COUNTS(1, 1);
}

TEST_F(edu, accept4__nonblocking_fd)
{
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, listen(fd, 8));
	/* O_NONBLOCK set after creation, through fcntl(). */
	ASSERT_EQ(0, fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK));
	ASSERT_ERRNO(EAGAIN, accept4(fd, NULL, NULL, SOCK_CLOEXEC));
	ASSERT_ERRNO(EAGAIN, accept(fd, NULL, NULL));
	/* accept4()'s flags are for the new socket, and checked first. */
	ASSERT_ERRNO(EINVAL, accept4(fd, NULL, NULL, 0x40000000));
}

TEST_F(edu, accept__bad_pointers)
{
	socklen_t len = -1;
	int fd = edu_open(SOCK_NONBLOCK);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, listen(fd, 8));
	/* Whatever the pointers, an empty queue is EAGAIN, not a crash. */
	ASSERT_EQ(-1, accept(fd, (struct sockaddr *)1, (socklen_t *)1));
	ASSERT_EQ(-1, accept(fd, (struct sockaddr *)1, &len));
	ASSERT_EQ(-1, accept(fd, NULL, (socklen_t *)1));
}

/*
 * An accepted socket starts with its listener's options, as kernel TCP's
 * (inet_csk_clone_lock()): TCP_NODELAY, TCP_USER_TIMEOUT, keepalive and
 * its timings, TCP_MAXSEG, and the same on both families.
 */
static void inherits(struct __test_metadata *_metadata,
		     struct _test_data_edu *self, bool edu)
{
	static const struct { int level, opt, val; } opts[] = {
		{ SOL_TCP, TCP_NODELAY, 1 },
		{ SOL_TCP, TCP_USER_TIMEOUT, 4321 },
		{ SOL_SOCKET, SO_KEEPALIVE, 1 },
		{ SOL_TCP, TCP_KEEPIDLE, 77 },
		{ SOL_TCP, TCP_KEEPINTVL, 7 },
		{ SOL_TCP, TCP_KEEPCNT, 3 },
	};
	int lfd, cli, srv, port;
	unsigned int i;

	ASSERT_EQ(0, edu_lo_up());
	lfd = edu ? edu_open(0) : tcp_open();
	ASSERT_LE(0, lfd);
	for (i = 0; i < ARRAY_SIZE(opts); i++)
		ASSERT_EQ(0, edu_set_int(lfd, opts[i].level, opts[i].opt,
					 opts[i].val));
	port = edu_listen_on(lfd, EDU_LOOPBACK, 8);
	ASSERT_LT(0, port);
	cli = tcp_open();
	ASSERT_LE(0, cli);
	ASSERT_EQ(0, edu_connect_to(cli, EDU_LOOPBACK, port));
	srv = edu_track(accept(lfd, NULL, NULL));
	ASSERT_LE(0, srv);
	for (i = 0; i < ARRAY_SIZE(opts); i++)
		EXPECT_EQ(opts[i].val, edu_get_int(srv, opts[i].level,
						   opts[i].opt))
			TH_LOG("%s: option %d of level %d",
			       edu_family_name(edu), opts[i].opt,
			       opts[i].level);
}

TEST_F(edu, accept__inherits_options)
{
	inherits(_metadata, self, true);
}

/* The reference: kernel TCP does the same (a test of the test). */
TEST_F(edu, accept__inherits_options_tcp)
{
	inherits(_metadata, self, false);
}

TEST_F(edu, accept__rcvtimeo)
{
	struct timeval tv = { 0, 200000 };
	double t0, dt;
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	ASSERT_EQ(0, listen(fd, 8));
	t0 = edu_now();
	ASSERT_ERRNO(EAGAIN, accept(fd, NULL, NULL));
	dt = edu_now() - t0;
	ASSERT_LE(0.15, dt) TH_LOG("returned after %.3f s", dt);
	ASSERT_GE(5.0, dt) TH_LOG("returned after %.3f s", dt);
}

/* ------------------------------------------------------ blocked accept -- */

struct waiter {
	pthread_t thread;
	int fd;
	int done;	/* read and written with __atomic */
	int ret, err;
};

static void *waiter_fn(void *arg)
{
	struct waiter *w = arg;

	w->ret = accept(w->fd, NULL, NULL);
	w->err = errno;
	__atomic_store_n(&w->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static int waiter_start(struct waiter *w, int fd)
{
	memset(w, 0, sizeof(*w));
	w->fd = fd;
	return pthread_create(&w->thread, NULL, waiter_fn, w);
}

/* Wait up to @ms for the waiter to return; 0 if it did. */
static int waiter_join(struct waiter *w, int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return pthread_timedjoin_np(w->thread, NULL, &ts);
}

TEST_F(edu, accept__woken_by_shutdown)
{
	struct waiter w;
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, listen(fd, 8));
	ASSERT_EQ(0, waiter_start(&w, fd));
	edu_msleep(150);
	ASSERT_EQ(0, w.done) TH_LOG("accept() returned %d (%s) at once",
				    w.ret, strerror(w.err));
	/* SHUT_WR does not stop a listener. */
	ASSERT_EQ(0, shutdown(fd, SHUT_WR));
	edu_msleep(100);
	ASSERT_EQ(0, w.done);
	/* SHUT_RD does: accept() returns EINVAL. */
	ASSERT_EQ(0, shutdown(fd, SHUT_RD));
	ASSERT_EQ(0, waiter_join(&w, 5000)) TH_LOG("accept() still blocked");
	ASSERT_EQ(-1, w.ret);
	ASSERT_EQ(EINVAL, w.err);
	/* No longer listening: shutdown again is ENOTCONN, as in TCP. */
	ASSERT_ERRNO(ENOTCONN, shutdown(fd, SHUT_RD));
}

/* Every blocked accept() wakes, though they wait exclusively. */
TEST_F(edu, accept__all_waiters_woken)
{
	struct waiter w[3];
	int fd = edu_open(0);
	int i;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, listen(fd, 8));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, waiter_start(&w[i], fd));
	edu_msleep(200);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, w[i].done);
	ASSERT_EQ(0, shutdown(fd, SHUT_RDWR));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, waiter_join(&w[i], 5000))
			TH_LOG("waiter %d still blocked", i);
		ASSERT_EQ(-1, w[i].ret);
		ASSERT_EQ(EINVAL, w[i].err);
	}
}

/* Counted by a signal handler: accessed with __atomic only. */
static int signals;

static int signal_count(void)
{
	return __atomic_load_n(&signals, __ATOMIC_SEQ_CST);
}

static void on_signal(int sig)
{
	(void)sig;
	__atomic_add_fetch(&signals, 1, __ATOMIC_SEQ_CST);
}

static int set_handler(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

/*
 * A helper thread: after @signal_ms, SIGUSR1 to @target; after @shut_ms,
 * shutdown(@fd, SHUT_RD) (if nonzero).
 */
struct poker {
	pthread_t thread, target;
	int fd, signal_ms, shut_ms;
};

static void *poker_fn(void *arg)
{
	struct poker *p = arg;

	edu_msleep(p->signal_ms);
	pthread_kill(p->target, SIGUSR1);
	if (p->shut_ms) {
		edu_msleep(p->shut_ms - p->signal_ms);
		shutdown(p->fd, SHUT_RD);
	}
	return NULL;
}

TEST_F(edu, accept__interrupted_by_signal)
{
	struct poker p = { .signal_ms = 150 };
	double t0;
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, listen(fd, 8));
	ASSERT_EQ(0, set_handler(SIGUSR1, 0));	/* no SA_RESTART */
	__atomic_store_n(&signals, 0, __ATOMIC_SEQ_CST);
	p.target = pthread_self();
	p.fd = fd;
	ASSERT_EQ(0, pthread_create(&p.thread, NULL, poker_fn, &p));
	t0 = edu_now();
	ASSERT_ERRNO(EINTR, accept(fd, NULL, NULL));
	ASSERT_LE(0.1, edu_now() - t0);
	ASSERT_EQ(1, signal_count());
	ASSERT_EQ(0, pthread_join(p.thread, NULL));
	/* Still a listener afterwards. */
	ASSERT_EQ(0, fcntl(fd, F_SETFL, O_NONBLOCK));
	ASSERT_ERRNO(EAGAIN, accept(fd, NULL, NULL));
}

/* With SA_RESTART and no timeout, accept() goes on waiting. */
TEST_F(edu, accept__restarted_after_signal)
{
	struct poker p = { .signal_ms = 100, .shut_ms = 400 };
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, listen(fd, 8));
	ASSERT_EQ(0, set_handler(SIGUSR1, SA_RESTART));
	__atomic_store_n(&signals, 0, __ATOMIC_SEQ_CST);
	p.target = pthread_self();
	p.fd = fd;
	ASSERT_EQ(0, pthread_create(&p.thread, NULL, poker_fn, &p));
	/* Woken only by the shutdown, after the signal was handled. */
	ASSERT_ERRNO(EINVAL, accept(fd, NULL, NULL));
	ASSERT_EQ(1, signal_count());
	ASSERT_EQ(0, pthread_join(p.thread, NULL));
}

/* With a timeout (SO_RCVTIMEO), a signal gives EINTR even with SA_RESTART. */
TEST_F(edu, accept__signal_with_rcvtimeo)
{
	struct poker p = { .signal_ms = 100 };
	struct timeval tv = { 5, 0 };
	double t0, dt;
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	ASSERT_EQ(0, listen(fd, 8));
	ASSERT_EQ(0, set_handler(SIGUSR1, SA_RESTART));
	__atomic_store_n(&signals, 0, __ATOMIC_SEQ_CST);
	p.target = pthread_self();
	p.fd = fd;
	ASSERT_EQ(0, pthread_create(&p.thread, NULL, poker_fn, &p));
	t0 = edu_now();
	ASSERT_ERRNO(EINTR, accept(fd, NULL, NULL));
	dt = edu_now() - t0;
	ASSERT_GT(4.0, dt) TH_LOG("returned after %.3f s", dt);
	ASSERT_EQ(1, signal_count());
	ASSERT_EQ(0, pthread_join(p.thread, NULL));
}

TEST_HARNESS_MAIN
