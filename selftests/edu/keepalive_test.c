// SPDX-License-Identifier: GPL-2.0
/*
 * keepalive_test.c - SO_KEEPALIVE and TCP_KEEPIDLE/KEEPINTVL/KEEPCNT
 * (RFC 9293 section 3.8.4): the options behave as on kernel TCP, probes
 * keep a live idle connection up, and a peer that vanished is detected
 * with ETIMEDOUT after the configured probes.
 */
#include <netinet/tcp.h>

#include "kselftest_harness.h"
#include "edu_test.h"

static void keepalive_fast(struct __test_metadata *_metadata, int fd)
{
	ASSERT_EQ(0, edu_set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1));
	ASSERT_EQ(0, edu_set_int(fd, SOL_TCP, TCP_KEEPIDLE, 1));
	ASSERT_EQ(0, edu_set_int(fd, SOL_TCP, TCP_KEEPINTVL, 1));
	ASSERT_EQ(0, edu_set_int(fd, SOL_TCP, TCP_KEEPCNT, 2));
}

static int get_int(int fd, int level, int name)
{
	socklen_t len = sizeof(int);
	int val = -1;

	if (getsockopt(fd, level, name, &val, &len))
		return -1;
	return val;
}

/* Defaults (MUST-25: off) and bounds as on kernel TCP. */
TEST_F(edu, keepalive__options)
{
	static const int names[] = { TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT };
	int tcp = edu_track(socket(AF_INET, SOCK_STREAM, 0));
	int fd = edu_open(0);
	unsigned int i;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, tcp);
	ASSERT_EQ(0, get_int(fd, SOL_SOCKET, SO_KEEPALIVE));
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		ASSERT_EQ(get_int(tcp, SOL_TCP, names[i]),
			  get_int(fd, SOL_TCP, names[i]));
		ASSERT_ERRNO(EINVAL, edu_set_int(fd, SOL_TCP, names[i], 0));
		ASSERT_EQ(0, edu_set_int(fd, SOL_TCP, names[i], 5));
		ASSERT_EQ(5, get_int(fd, SOL_TCP, names[i]));
	}
	ASSERT_ERRNO(EINVAL, edu_set_int(fd, SOL_TCP, TCP_KEEPIDLE, 32768));
	ASSERT_ERRNO(EINVAL, edu_set_int(fd, SOL_TCP, TCP_KEEPCNT, 128));
}

/*
 * An idle connection to a live peer: probes go out (MUST-26) and are
 * answered, and the connection stays up.
 */
TEST_F(edu, keepalive__live_peer)
{
	int ns = edu_track(edu_veth_peer());
	int cli, srv;
	char c = 'k';

	ASSERT_LE(0, ns);
	edu_connect_pair(_metadata, self, ns, true, false, &cli, &srv);
	keepalive_fast(_metadata, cli);
	usleep(3500 * 1000);
	ASSERT_LE(2, edu_counter("KeepAliveProbes"));
	ASSERT_EQ(0, edu_counter("KeepAliveTimeouts"));
	ASSERT_EQ(0, edu_so_error(cli));
	ASSERT_EQ(1, write(srv, &c, 1));
	ASSERT_EQ(1, read(cli, &c, 1));
	ASSERT_EQ('k', c);
}

/*
 * The peer vanishes (its link drops everything): after TCP_KEEPIDLE and
 * TCP_KEEPCNT unanswered probes, a blocked read() fails with ETIMEDOUT.
 */
TEST_F(edu, keepalive__dead_peer)
{
	int ns = edu_track(edu_veth_peer());
	double t0, dt;
	int cli, srv;
	char c;

	ASSERT_LE(0, ns);
	edu_connect_pair(_metadata, self, ns, true, false, &cli, &srv);
	keepalive_fast(_metadata, cli);
	ASSERT_EQ(0, edu_sh("tc qdisc add dev edu_h root netem loss 100%%"));
	t0 = edu_now();
	ASSERT_ERRNO(ETIMEDOUT, read(cli, &c, 1));
	dt = edu_now() - t0;
	/* Idle 1 s, then two probes 1 s apart, each unanswered. */
	ASSERT_LE(2.0, dt) TH_LOG("timed out after %.2f s", dt);
	ASSERT_GE(15.0, dt) TH_LOG("timed out after %.2f s", dt);
	ASSERT_EQ(1, edu_counter("KeepAliveTimeouts"));
}

TEST_HARNESS_MAIN
