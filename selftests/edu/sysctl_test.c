// SPDX-License-Identifier: GPL-2.0
/*
 * sysctl_test.c - the tunables of /proc/sys/net/edu/: every file with its
 * default (Linux's net.ipv4.tcp_* defaults), bad writes refused with
 * EINVAL (ENOENT for an unknown congestion control) and the value kept,
 * values private to their network namespace, and each taking effect on
 * AF_EDU's sockets.
 *
 * Every case runs in a namespace of its own (the edu fixture), so what it
 * writes goes with it.
 */
#include "kselftest_harness.h"
#include "edu_test.h"

#define SYSCTL_DIR	"/proc/sys/net/edu/"

/* Write @val to net.edu.@name in one write(); 0, or -1 with its errno. */
static int sysctl_write(const char *name, const char *val)
{
	char path[128];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), SYSCTL_DIR "%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	err = errno;
	close(fd);
	errno = err;
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

static int sysctl_set(const char *name, int val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d\n", val);
	return sysctl_write(name, buf);
}

/* net.edu.@name as text, without the newline; "" if it cannot be read. */
static const char *sysctl_read(const char *name)
{
	static char buf[128];
	char path[128];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	snprintf(path, sizeof(path), SYSCTL_DIR "%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static int sysctl_get(const char *name)
{
	const char *s = sysctl_read(name);

	return *s ? atoi(s) : -1;
}

/* Assert that writing @val to @name fails with @err and changes nothing. */
static void assert_refused(struct __test_metadata *_metadata, int err,
			   const char *name, const char *val)
{
	char old[128];

	snprintf(old, sizeof(old), "%s", sysctl_read(name));
	errno = 0;
	ASSERT_EQ(-1, sysctl_write(name, val))
		TH_LOG("%s accepted \"%s\"", name, val);
	ASSERT_EQ(err, errno)
		TH_LOG("%s: errno %d for \"%s\"", name, errno, val);
	ASSERT_STREQ(old, sysctl_read(name))
		TH_LOG("%s changed by \"%s\"", name, val);
}

#define ASSERT_REFUSED(err, name, val) \
	assert_refused(_metadata, (err), (name), (val))

/* The value net.edu.@name has in a new network namespace. */
static const char *sysctl_read_fresh(const char *name)
{
	static char buf[128];
	int here = edu_netns_open();

	buf[0] = '\0';
	if (here < 0 || unshare(CLONE_NEWNET))
		return buf;
	snprintf(buf, sizeof(buf), "%s", sysctl_read(name));
	if (setns(here, CLONE_NEWNET)) {
		perror("setns back");
		abort();
	}
	close(here);
	return buf;
}

static const struct {
	const char *name;
	const char *value;
} defaults[] = {
	{ "rmem", "4096\t131072\t6291456" },
	{ "wmem", "4096\t16384\t4194304" },
	{ "syn_retries", "6" },
	{ "synack_retries", "5" },
	{ "retries2", "15" },
	{ "orphan_retries", "0" },
	{ "fin_timeout", "60" },
	{ "keepalive_time", "7200" },
	{ "keepalive_intvl", "75" },
	{ "keepalive_probes", "9" },
	{ "rto_min_ms", "200" },
	{ "rto_max_ms", "120000" },
	{ "delack_ms", "40" },
	{ "initial_cwnd", "10" },
	{ "window_scaling", "1" },
	{ "timestamps", "1" },
	{ "moderate_rcvbuf", "1" },
	{ "congestion_control", "reno" },
};

/* The integer tunables and their ranges (rto_* with the other at default). */
static const struct {
	const char *name;
	int min, max;
} ranges[] = {
	{ "syn_retries", 1, 127 },
	{ "synack_retries", 0, 255 },
	{ "retries2", 0, 255 },
	{ "orphan_retries", 0, 255 },
	{ "fin_timeout", 1, 120 },
	{ "keepalive_time", 1, 32767 },
	{ "keepalive_intvl", 1, 32767 },
	{ "keepalive_probes", 1, 127 },
	{ "rto_min_ms", 1, 120000 },
	{ "rto_max_ms", 1000, 120000 },
	{ "delack_ms", 1, 200 },
	{ "initial_cwnd", 1, 100 },
	{ "window_scaling", 0, 1 },
	{ "timestamps", 0, 1 },
	{ "moderate_rcvbuf", 0, 1 },
};

/* ------------------------------------------------------------ files -- */

/*
 * Every file exists, root may write it, and it reads Linux's default; a
 * new socket starts from them (buffers, keepalive, congestion control).
 */
TEST_F(edu, sysctl__defaults)
{
	char path[128], cc[32] = "";
	socklen_t len = sizeof(cc);
	struct stat st;
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(defaults); i++) {
		snprintf(path, sizeof(path), SYSCTL_DIR "%s", defaults[i].name);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("no %s", path);
		ASSERT_EQ(0644, st.st_mode & 0777) TH_LOG("%s mode", path);
		ASSERT_STREQ(defaults[i].value, sysctl_read(defaults[i].name));
	}
	fd = edu_open(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(131072, edu_get_int(fd, SOL_SOCKET, SO_RCVBUF));
	ASSERT_EQ(16384, edu_get_int(fd, SOL_SOCKET, SO_SNDBUF));
	ASSERT_EQ(7200, edu_get_int(fd, SOL_TCP, TCP_KEEPIDLE));
	ASSERT_EQ(75, edu_get_int(fd, SOL_TCP, TCP_KEEPINTVL));
	ASSERT_EQ(9, edu_get_int(fd, SOL_TCP, TCP_KEEPCNT));
	ASSERT_EQ(0, getsockopt(fd, SOL_TCP, TCP_CONGESTION, cc, &len));
	ASSERT_STREQ("reno", cc);
}

/*
 * Each integer takes its bounds and refuses what is past them, negative
 * numbers and garbage with EINVAL, leaving the value as it was.
 */
TEST_F(edu, sysctl__int_ranges)
{
	static const char *const garbage[] = {
		"\n", "abc\n", "5x\n", "-\n", "99999999999\n", "1.5\n",
	};
	char buf[32];
	unsigned int i, k;

	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		const char *name = ranges[i].name;
		int def = sysctl_get(name);

		ASSERT_EQ(0, sysctl_set(name, ranges[i].min));
		ASSERT_EQ(ranges[i].min, sysctl_get(name));
		ASSERT_EQ(0, sysctl_set(name, ranges[i].max));
		ASSERT_EQ(ranges[i].max, sysctl_get(name));
		ASSERT_EQ(0, sysctl_set(name, def));
		snprintf(buf, sizeof(buf), "%d\n", ranges[i].min - 1);
		ASSERT_REFUSED(EINVAL, name, buf);
		snprintf(buf, sizeof(buf), "%d\n", ranges[i].max + 1);
		ASSERT_REFUSED(EINVAL, name, buf);
		ASSERT_REFUSED(EINVAL, name, "-5\n");
		for (k = 0; k < ARRAY_SIZE(garbage); k++)
			ASSERT_REFUSED(EINVAL, name, garbage[k]);
		ASSERT_EQ(def, sysctl_get(name));
	}
}

/* rto_min_ms and rto_max_ms bound each other: min <= max, max >= 1 s. */
TEST_F(edu, sysctl__rto_bounds)
{
	ASSERT_EQ(0, sysctl_set("rto_max_ms", 3000));
	ASSERT_REFUSED(EINVAL, "rto_min_ms", "3001\n");
	ASSERT_EQ(0, sysctl_set("rto_min_ms", 3000));
	ASSERT_REFUSED(EINVAL, "rto_max_ms", "2999\n");
	ASSERT_EQ(0, sysctl_set("rto_min_ms", 500));
	ASSERT_EQ(0, sysctl_set("rto_max_ms", 1000));
	ASSERT_REFUSED(EINVAL, "rto_max_ms", "999\n");
	ASSERT_REFUSED(EINVAL, "rto_min_ms", "1001\n");
}

/*
 * rmem and wmem take exactly three integers, each at least 1, in order;
 * anything else is refused whole.
 */
TEST_F(edu, sysctl__mem_triples)
{
	static const char *const names[] = { "rmem", "wmem" };
	static const char *const bad[] = {
		"4096\n", "4096 65536\n", "4096 65536 100000 200000\n",
		"65536 4096 100000\n", "4096 100000 65536\n", "0 4096 65536\n",
		"-1 4096 65536\n", "4096 65536 x\n", "a b c\n", "\n",
		"4096 65536 99999999999\n",
	};
	unsigned int i, k;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		for (k = 0; k < ARRAY_SIZE(bad); k++)
			ASSERT_REFUSED(EINVAL, names[i], bad[k]);
		ASSERT_EQ(0, sysctl_write(names[i], "1 1 1\n"));
		ASSERT_STREQ("1\t1\t1", sysctl_read(names[i]));
		ASSERT_EQ(0, sysctl_write(names[i], "8192\t65536   1048576\n"));
		ASSERT_STREQ("8192\t65536\t1048576", sysctl_read(names[i]));
	}
}

/* An unknown algorithm is refused (ENOENT, as tcp_congestion_control). */
TEST_F(edu, sysctl__congestion_control)
{
	char cc[32] = "";
	socklen_t len = sizeof(cc);
	int fd;

	ASSERT_REFUSED(ENOENT, "congestion_control", "cubic\n");
	ASSERT_REFUSED(ENOENT, "congestion_control", "\n");
	ASSERT_REFUSED(ENOENT, "congestion_control", "renoreno\n");
	ASSERT_EQ(0, sysctl_write("congestion_control", "reno\n"));
	ASSERT_STREQ("reno", sysctl_read("congestion_control"));
	fd = edu_open(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, getsockopt(fd, SOL_TCP, TCP_CONGESTION, cc, &len));
	ASSERT_STREQ("reno", cc);
}

/*
 * Values belong to their namespace: a change here is not seen in a new
 * one, which starts from the defaults, not from the initial namespace's
 * values (changed here for a moment to show it).
 */
TEST_F(edu, sysctl__per_namespace)
{
	int here = edu_netns_open(), init_old, fd;
	char fresh[128];

	ASSERT_LE(0, here);
	ASSERT_EQ(0, sysctl_set("syn_retries", 2));
	ASSERT_EQ(0, sysctl_write("rmem", "4096 65536 6291456\n"));
	ASSERT_STREQ("6", sysctl_read_fresh("syn_retries"));
	ASSERT_STREQ("4096\t131072\t6291456", sysctl_read_fresh("rmem"));
	fd = edu_open(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(65536, edu_get_int(fd, SOL_SOCKET, SO_RCVBUF));

	/* The initial namespace: its own values, not ours. */
	ASSERT_EQ(0, setns(self->orig_netns, CLONE_NEWNET));
	init_old = sysctl_get("syn_retries");
	ASSERT_EQ(0, sysctl_set("syn_retries", init_old == 3 ? 4 : 3));
	snprintf(fresh, sizeof(fresh), "%s", sysctl_read_fresh("syn_retries"));
	ASSERT_EQ(0, sysctl_set("syn_retries", init_old));
	ASSERT_EQ(0, setns(here, CLONE_NEWNET));
	close(here);
	ASSERT_NE(2, init_old);
	ASSERT_STREQ("6", fresh);
	ASSERT_EQ(2, sysctl_get("syn_retries"));
}

/* ------------------------------------------------------ their effect -- */

/*
 * The rto column of /proc/net/edu (milliseconds) for @fd; -1 if not found.
 * Found by its name in the header: each data line joins tx_queue:rx_queue
 * and tr:tm->when, which the header names apart.
 */
static int proc_rto(int fd)
{
	char head[512], line[512], *tok, *save;
	struct edu_proc_line l;
	int col = -1, i = 0;
	FILE *f;

	if (edu_proc_find(EDU_PROC, edu_inode(fd), &l) != 1)
		return -1;
	f = fopen(EDU_PROC, "r");
	if (!f)
		return -1;
	if (!fgets(head, sizeof(head), f))
		head[0] = '\0';
	fclose(f);
	for (tok = strtok_r(head, "\n ", &save); tok;
	     tok = strtok_r(NULL, "\n ", &save), i++)
		if (!strcmp(tok, "rto"))
			col = i - 2;
	snprintf(line, sizeof(line), "%s", l.raw);
	i = 0;
	for (tok = strtok_r(line, "\n ", &save); tok;
	     tok = strtok_r(NULL, "\n ", &save), i++)
		if (i == col)
			return atoi(tok);
	return -1;
}

/* Send @len bytes from @a to @b and read them there, in one thread. */
static void transfer(struct __test_metadata *_metadata, int a, int b,
		     size_t len)
{
	static char buf[65536];
	double end = edu_now() + 20;
	size_t sent = 0, got = 0;
	struct pollfd p[2] = {
		{ .fd = a, .events = POLLOUT }, { .fd = b, .events = POLLIN },
	};
	ssize_t n;

	while (got < len) {
		ASSERT_GT(end, edu_now())
			TH_LOG("%zu of %zu bytes after 20 s", got, len);
		if (sent < len) {
			n = send(a, buf, len - sent < sizeof(buf) ?
				 len - sent : sizeof(buf), MSG_DONTWAIT);
			ASSERT_TRUE(n >= 0 || errno == EAGAIN)
				TH_LOG("send: %s", strerror(errno));
			if (n > 0)
				sent += n;
		}
		n = recv(b, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0) {
			got += n;
			continue;
		}
		ASSERT_NE(0, n) TH_LOG("EOF after %zu bytes", got);
		ASSERT_EQ(EAGAIN, errno);
		p[0].events = sent < len ? POLLOUT : 0;
		poll(p, 2, 10);
	}
}

/* Close @fd with a RST (SO_LINGER {1, 0}): nothing lingers after it. */
static void abort_close(struct __test_metadata *_metadata,
			struct _test_data_edu *self, int fd)
{
	struct linger lg = { 1, 0 };

	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	__edu_close(self, fd);
}

/*
 * rmem's and wmem's defaults are a new socket's SO_RCVBUF and SO_SNDBUF
 * (kernel TCP's stay tcp_rmem's and tcp_wmem's), which a listener's
 * children inherit.  Established, the send buffer grows with the window
 * up to wmem's max, unless the application set SO_SNDBUF.
 */
TEST_F(edu, sysctl__rmem_wmem)
{
	int fd, tcp, a, b, l, port, sndbuf;

	ASSERT_EQ(0, sysctl_write("rmem", "4096 65536 6291456\n"));
	ASSERT_EQ(0, sysctl_write("wmem", "4096 32768 4194304\n"));
	fd = edu_open(0);
	tcp = tcp_open();
	ASSERT_LE(0, fd);
	ASSERT_LE(0, tcp);
	ASSERT_EQ(65536, edu_get_int(fd, SOL_SOCKET, SO_RCVBUF));
	ASSERT_EQ(32768, edu_get_int(fd, SOL_SOCKET, SO_SNDBUF));
	ASSERT_EQ(131072, edu_get_int(tcp, SOL_SOCKET, SO_RCVBUF));
	ASSERT_EQ(16384, edu_get_int(tcp, SOL_SOCKET, SO_SNDBUF));

	/* The child of an AF_EDU listener made with those defaults. */
	l = edu_open(0);
	ASSERT_LE(0, l);
	port = edu_listen_on(l, EDU_LOOPBACK, 1);
	ASSERT_LT(0, port);
	ASSERT_EQ(0, sysctl_write("rmem", "4096 131072 6291456\n"));
	ASSERT_EQ(0, edu_connect_to(tcp, EDU_LOOPBACK, port));
	ASSERT_EQ(0, edu_wait(l, POLLIN, 5000));
	b = edu_track(accept(l, NULL, NULL));
	ASSERT_LE(0, b);
	ASSERT_EQ(65536, edu_get_int(b, SOL_SOCKET, SO_RCVBUF));

	/* Growth up to wmem's max, 40000 here, from the default 16384. */
	ASSERT_EQ(0, sysctl_write("wmem", "4096 16384 40000\n"));
	edu_connect_pair(_metadata, self, EDU_LO, true, false, &a, &b);
	sndbuf = edu_get_int(a, SOL_SOCKET, SO_SNDBUF);
	ASSERT_EQ(40000, sndbuf) TH_LOG("SO_SNDBUF %d", sndbuf);
	ASSERT_EQ(0, sysctl_write("wmem", "4096 16384 4194304\n"));
	edu_connect_pair(_metadata, self, EDU_LO, true, false, &a, &b);
	transfer(_metadata, a, b, 1 << 20);
	sndbuf = edu_get_int(a, SOL_SOCKET, SO_SNDBUF);
	ASSERT_LT(65536, sndbuf) TH_LOG("SO_SNDBUF %d", sndbuf);
	ASSERT_GE(4194304, sndbuf) TH_LOG("SO_SNDBUF %d", sndbuf);

	/* SO_SNDBUF set by the application stays, also for children. */
	l = edu_open(0);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, edu_set_int(l, SOL_SOCKET, SO_SNDBUF, 8192));
	port = edu_listen_on(l, EDU_LOOPBACK, 1);
	ASSERT_LT(0, port);
	a = edu_open(0);
	ASSERT_LE(0, a);
	ASSERT_EQ(0, edu_set_int(a, SOL_SOCKET, SO_SNDBUF, 8192));
	ASSERT_EQ(0, edu_connect_to(a, EDU_LOOPBACK, port));
	ASSERT_EQ(0, edu_wait(l, POLLIN, 5000));
	b = edu_track(accept(l, NULL, NULL));
	ASSERT_LE(0, b);
	transfer(_metadata, a, b, 1 << 18);
	transfer(_metadata, b, a, 1 << 18);
	ASSERT_EQ(16384, edu_get_int(a, SOL_SOCKET, SO_SNDBUF));
	ASSERT_EQ(16384, edu_get_int(b, SOL_SOCKET, SO_SNDBUF));
}

/*
 * syn_retries 1: a SYN into a black hole is sent twice, and connect()
 * fails with ETIMEDOUT after 1 + 2 s instead of the default's 127 s.
 */
TEST_F(edu, sysctl__syn_retries)
{
	struct timeval tv = { 20, 0 };
	double t0, dt;
	int fd;

	ASSERT_EQ(0, edu_blackhole());
	ASSERT_EQ(0, sysctl_set("syn_retries", 1));
	fd = edu_open(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	t0 = edu_now();
	ASSERT_ERRNO(ETIMEDOUT, edu_connect_to(fd, EDU_BLACKHOLE, 80));
	dt = edu_now() - t0;
	ASSERT_LE(2.5, dt) TH_LOG("gave up after %.3f s", dt);
	ASSERT_GE(5.0, dt) TH_LOG("gave up after %.3f s", dt);
}

/* SYN-RECEIVED children listed in /proc/net/edu. */
static int syn_recv_count(void)
{
	struct edu_proc_line l;
	char buf[512];
	int n = 0;
	FILE *f = fopen(EDU_PROC, "r");

	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f))
		if (edu_proc_parse(buf, &l) && l.st == 0x03)
			n++;
	fclose(f);
	return n;
}

/*
 * synack_retries 1: a child whose SYN-ACKs are all lost is dropped after
 * 1 + 2 s (the default, 5, keeps it 63 s).  The client, kernel TCP in the
 * peer namespace, sends its SYN twice (its tcp_syn_retries 1), both while
 * the child lives.
 */
TEST_F(edu, sysctl__synack_retries)
{
	int ns = edu_track(edu_veth_peer());
	int l, c, port, n = 0;
	double t0, dt;

	ASSERT_LE(0, ns);
	ASSERT_EQ(0, edu_sh("nsenter --net=/proc/%d/fd/%d sh -c %s", getpid(),
			    ns, "'echo 1 >/proc/sys/net/ipv4/tcp_syn_retries'"));
	ASSERT_EQ(0, sysctl_set("synack_retries", 1));
	l = edu_open(0);
	ASSERT_LE(0, l);
	port = edu_listen_on(l, EDU_VETH_HERE, 8);
	ASSERT_LT(0, port);
	ASSERT_EQ(0, edu_sh("tc qdisc add dev edu_h root netem loss 100%%"));
	c = edu_open_in(ns, false);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, fcntl(c, F_SETFL, O_NONBLOCK));
	ASSERT_ERRNO(EINPROGRESS, edu_connect_to(c, EDU_VETH_HERE, port));
	t0 = edu_now();
	while (edu_now() - t0 < 2 && (n = syn_recv_count()) == 0)
		edu_msleep(10);
	ASSERT_EQ(1, n) TH_LOG("no child in SYN-RECEIVED");
	t0 = edu_now();
	while (edu_now() - t0 < 10 && syn_recv_count() > 0)
		edu_msleep(20);
	dt = edu_now() - t0;
	ASSERT_EQ(0, syn_recv_count());
	ASSERT_LE(2.0, dt) TH_LOG("child dropped after %.3f s", dt);
	ASSERT_GE(5.0, dt) TH_LOG("child dropped after %.3f s", dt);
}

/*
 * retries2 4 and rto_max_ms 1000: data to a peer that went silent goes
 * four more times, the RTO (200 ms on the veth) doubling up to 1 s, and
 * the connection ends with ETIMEDOUT 0.2 + 0.4 + 0.8 + 1 + 1 s after the
 * data first went.  Without the ceiling that is 6.2 s; with the default
 * retries2 (15) about a quarter of an hour.
 */
TEST_F(edu, sysctl__retries2_rto_max)
{
	int ns = edu_track(edu_veth_peer());
	struct timeval tv = { 20, 0 };
	double t0, dt;
	int cli, srv;
	char c = 'x';

	ASSERT_LE(0, ns);
	ASSERT_EQ(0, sysctl_set("retries2", 4));
	ASSERT_EQ(0, sysctl_set("rto_max_ms", 1000));
	edu_connect_pair(_metadata, self, ns, true, false, &cli, &srv);
	ASSERT_EQ(0, setsockopt(cli, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	ASSERT_EQ(0, edu_sh("tc qdisc add dev edu_h root netem loss 100%%"));
	TH_LOG("RTO %d ms", proc_rto(cli));
	t0 = edu_now();
	ASSERT_EQ(1, send(cli, &c, 1, 0));
	ASSERT_ERRNO(ETIMEDOUT, recv(cli, &c, 1, 0));
	dt = edu_now() - t0;
	TH_LOG("ETIMEDOUT after %.3f s", dt);
	ASSERT_LE(2.7, dt) TH_LOG("timed out after %.3f s", dt);
	ASSERT_GE(5.0, dt) TH_LOG("timed out after %.3f s", dt);
}

/*
 * orphan_retries 1: an orphan whose FIN is never acknowledged sends it
 * once more and is gone 0.2 + 0.4 s later (the default, 8, takes about
 * 100 s), freeing everything.
 */
TEST_F(edu, sysctl__orphan_retries)
{
	int ns = edu_track(edu_veth_peer());
	char which[256];
	int cli, srv;
	double t0;

	ASSERT_LE(0, ns);
	ASSERT_EQ(0, sysctl_set("orphan_retries", 1));
	edu_connect_pair(_metadata, self, ns, true, false, &cli, &srv);
	ASSERT_EQ(0, edu_sh("tc qdisc add dev edu_h root netem loss 100%%"));
	TH_LOG("RTO %d ms", proc_rto(cli));
	t0 = edu_now();
	ASSERT_EQ(0, edu_close(cli));
	ASSERT_TRUE(edu_objects_settle_zero(which, sizeof(which), 4000))
		TH_LOG("left after %.3f s:%s", edu_now() - t0, which);
	TH_LOG("orphan gone after %.3f s", edu_now() - t0);
}

/*
 * fin_timeout 2: an orphan in FIN-WAIT-2 whose peer never closes is gone
 * after about 2 s (the default is 60 s).
 */
TEST_F(edu, sysctl__fin_timeout)
{
	double t0, dt;
	int a, b;

	ASSERT_EQ(0, sysctl_set("fin_timeout", 2));
	edu_connect_pair(_metadata, self, EDU_LO, true, false, &a, &b);
	t0 = edu_now();
	ASSERT_EQ(0, edu_close(a));	/* the peer, kernel TCP, stays open */
	while (edu_now() - t0 < 10 && edu_sockets() > 0)
		edu_msleep(20);
	dt = edu_now() - t0;
	ASSERT_EQ(0, edu_sockets());
	ASSERT_LE(1.5, dt) TH_LOG("orphan gone after %.3f s", dt);
	ASSERT_GE(4.5, dt) TH_LOG("orphan gone after %.3f s", dt);
}

/*
 * keepalive_time 1, keepalive_intvl 1, keepalive_probes 2: a socket with
 * SO_KEEPALIVE and none of TCP_KEEP* uses them, and finds its vanished
 * peer after 1 s idle and two probes 1 s apart (the defaults would take
 * more than two hours).
 */
TEST_F(edu, sysctl__keepalive)
{
	int ns = edu_track(edu_veth_peer());
	double t0, dt;
	int cli, srv;
	char c;

	ASSERT_LE(0, ns);
	ASSERT_EQ(0, sysctl_set("keepalive_time", 1));
	ASSERT_EQ(0, sysctl_set("keepalive_intvl", 1));
	ASSERT_EQ(0, sysctl_set("keepalive_probes", 2));
	edu_connect_pair(_metadata, self, ns, true, false, &cli, &srv);
	ASSERT_EQ(1, edu_get_int(cli, SOL_TCP, TCP_KEEPIDLE));
	ASSERT_EQ(1, edu_get_int(cli, SOL_TCP, TCP_KEEPINTVL));
	ASSERT_EQ(2, edu_get_int(cli, SOL_TCP, TCP_KEEPCNT));
	ASSERT_EQ(0, edu_set_int(cli, SOL_SOCKET, SO_KEEPALIVE, 1));
	ASSERT_EQ(0, edu_sh("tc qdisc add dev edu_h root netem loss 100%%"));
	t0 = edu_now();
	ASSERT_ERRNO(ETIMEDOUT, read(cli, &c, 1));
	dt = edu_now() - t0;
	ASSERT_LE(2.0, dt) TH_LOG("timed out after %.2f s", dt);
	ASSERT_GE(6.0, dt) TH_LOG("timed out after %.2f s", dt);
	ASSERT_EQ(2, edu_counter("KeepAliveProbes"));
}

/*
 * How long AF_EDU takes to acknowledge one small segment from a kernel
 * TCP sender that sends nothing more: the sender's TCP_INFO shows it
 * unacknowledged until then.  Seconds, or -1.
 */
static double ack_delay(struct __test_metadata *_metadata,
			struct _test_data_edu *self)
{
	struct tcp_info ti;
	socklen_t len;
	double t0;
	int a, b;

	edu_connect_pair(_metadata, self, EDU_LO, false, true, &a, &b);
	edu_msleep(100);
	if (send(a, "x", 1, 0) != 1)
		return -1;
	t0 = edu_now();
	while (edu_now() - t0 < 2) {
		len = sizeof(ti);
		if (getsockopt(a, SOL_TCP, TCP_INFO, &ti, &len))
			return -1;
		if (!ti.tcpi_unacked)
			return edu_now() - t0;
		usleep(1000);
	}
	return -1;
}

/* delack_ms: how long an ACK waits for something to ride on. */
TEST_F(edu, sysctl__delack_ms)
{
	double dt[2];

	dt[0] = ack_delay(_metadata, self);
	ASSERT_EQ(0, sysctl_set("delack_ms", 200));
	dt[1] = ack_delay(_metadata, self);
	TH_LOG("ACK after %.3f s (delack_ms 40), %.3f s (200)", dt[0], dt[1]);
	ASSERT_LE(0.02, dt[0]);
	ASSERT_GE(0.13, dt[0]);
	ASSERT_LE(0.18, dt[1]);
	ASSERT_GE(0.5, dt[1]);
}

/*
 * The first flight of a new connection: AF_EDU to an AF_EDU peer (whose
 * window, 64 KiB, is no limit) over the veth, the link then delaying our
 * segments by a second, so that no ACK comes back while we count the
 * segments that went out at once.  (The case sets an RTO floor of 3 s, so
 * that no retransmission goes meanwhile either.)
 */
static long first_flight(struct __test_metadata *_metadata,
			 struct _test_data_edu *self, int ns)
{
	static char buf[65536];
	long before, segs;
	int cli, srv;

	edu_connect_pair(_metadata, self, ns, true, true, &cli, &srv);
	if (edu_sh("tc qdisc add dev edu_h root netem delay 1000ms"))
		return -1;
	before = edu_counter("OutSegs");
	if (send(cli, buf, sizeof(buf), MSG_DONTWAIT) <= 0)
		return -1;
	edu_msleep(100);
	segs = edu_counter("OutSegs") - before;
	if (edu_sh("tc qdisc del dev edu_h root"))
		return -1;
	abort_close(_metadata, self, cli);
	abort_close(_metadata, self, srv);
	return segs;
}

/* initial_cwnd: the segments of the first flight (RFC 6928: 10). */
TEST_F(edu, sysctl__initial_cwnd)
{
	int ns = edu_track(edu_veth_peer());

	ASSERT_LE(0, ns);
	ASSERT_EQ(0, sysctl_set("rto_min_ms", 3000));
	ASSERT_EQ(10, first_flight(_metadata, self, ns));
	ASSERT_EQ(0, sysctl_set("initial_cwnd", 4));
	ASSERT_EQ(4, first_flight(_metadata, self, ns));
	ASSERT_EQ(0, sysctl_set("initial_cwnd", 20));
	ASSERT_EQ(20, first_flight(_metadata, self, ns));
}

/*
 * The window scale shifts of a connection from AF_EDU to Linux TCP, as
 * TCP_INFO reports them (-1: no window scaling), checked against what
 * Linux's end reports.
 */
static void wscales(struct __test_metadata *_metadata,
		    struct _test_data_edu *self, int *snd, int *rcv)
{
	struct tcp_info ti, peer;
	socklen_t len = sizeof(ti);
	int cli, srv;

	edu_connect_pair(_metadata, self, EDU_LO, true, false, &cli, &srv);
	ASSERT_EQ(0, getsockopt(cli, SOL_TCP, TCP_INFO, &ti, &len));
	len = sizeof(peer);
	ASSERT_EQ(0, getsockopt(srv, SOL_TCP, TCP_INFO, &peer, &len));
	ASSERT_EQ(ti.tcpi_options & TCPI_OPT_WSCALE,
		  peer.tcpi_options & TCPI_OPT_WSCALE);
	*snd = *rcv = -1;
	if (ti.tcpi_options & TCPI_OPT_WSCALE) {
		ASSERT_EQ((int)ti.tcpi_snd_wscale, (int)peer.tcpi_rcv_wscale);
		ASSERT_EQ((int)ti.tcpi_rcv_wscale, (int)peer.tcpi_snd_wscale);
		*snd = ti.tcpi_snd_wscale;
		*rcv = ti.tcpi_rcv_wscale;
	}
	abort_close(_metadata, self, cli);
	abort_close(_metadata, self, srv);
}

/*
 * window_scaling switches RFC 7323 window scaling; rmem's maximum, the
 * largest the receive buffer may be, chooses the shift AF_EDU offers:
 * 7 for 6 MB, 5 for 1 MB (the buffer in 16 bits), as Linux chooses.
 */
TEST_F(edu, sysctl__window_scaling)
{
	int snd, rcv;

	wscales(_metadata, self, &snd, &rcv);
	ASSERT_EQ(7, rcv);
	ASSERT_LE(0, snd);
	ASSERT_EQ(0, sysctl_write("rmem", "4096 131072 1048576"));
	wscales(_metadata, self, &snd, &rcv);
	ASSERT_EQ(5, rcv);
	ASSERT_EQ(0, sysctl_set("window_scaling", 0));
	wscales(_metadata, self, &snd, &rcv);
	ASSERT_EQ(-1, rcv);
	ASSERT_EQ(-1, snd);
}

/*
 * The options TCP_INFO reports for a connection from AF_EDU to Linux TCP
 * (Linux's end must agree), and the MSS AF_EDU sends with (snd_mss).
 */
static int conn_options(struct __test_metadata *_metadata,
			struct _test_data_edu *self, int ns, unsigned int *mss)
{
	struct tcp_info ti, peer;
	socklen_t len = sizeof(ti);
	int cli, srv;

	edu_connect_pair(_metadata, self, ns, true, false, &cli, &srv);
	ASSERT_EQ(0, getsockopt(cli, SOL_TCP, TCP_INFO, &ti, &len));
	len = sizeof(peer);
	ASSERT_EQ(0, getsockopt(srv, SOL_TCP, TCP_INFO, &peer, &len));
	ASSERT_EQ(ti.tcpi_options & TCPI_OPT_TIMESTAMPS,
		  peer.tcpi_options & TCPI_OPT_TIMESTAMPS);
	*mss = ti.tcpi_snd_mss;
	abort_close(_metadata, self, cli);
	abort_close(_metadata, self, srv);
	return ti.tcpi_options;
}

/*
 * timestamps switches RFC 7323 timestamps: on, both ends agree and each
 * segment gives 12 of the MSS's bytes to the option (1460 - 12 on the
 * veth's 1500-byte MTU, as Linux); off, neither.
 */
TEST_F(edu, sysctl__timestamps)
{
	int ns = edu_track(edu_veth_peer());
	unsigned int mss;

	ASSERT_LE(0, ns);
	ASSERT_TRUE(conn_options(_metadata, self, ns, &mss) &
		    TCPI_OPT_TIMESTAMPS);
	ASSERT_EQ(1448U, mss);
	ASSERT_EQ(0, sysctl_set("timestamps", 0));
	ASSERT_FALSE(conn_options(_metadata, self, ns, &mss) &
		     TCPI_OPT_TIMESTAMPS);
	ASSERT_EQ(1460U, mss);
}

/*
 * SO_RCVBUF of an AF_EDU receiver after 4 MB from Linux TCP in the peer
 * namespace, 20 ms away; @set: the application set SO_RCVBUF to that
 * first.
 */
static int rcvbuf_after(struct __test_metadata *_metadata,
			struct _test_data_edu *self, int ns, int set)
{
	struct edu_pump snd, rcv;
	int cli, srv, val = 0;
	socklen_t len = sizeof(val);
	struct tcp_info ti;

	edu_connect_pair(_metadata, self, ns, true, false, &cli, &srv);
	if (set)
		EXPECT_EQ(0, edu_set_int(cli, SOL_SOCKET, SO_RCVBUF, set));
	EXPECT_EQ(0, edu_pump_start(&snd, EDU_PUMP_SEND, srv, 9, 4 << 20));
	EXPECT_EQ(0, edu_pump_start(&rcv, EDU_PUMP_RECV, cli, 9, 0));
	pthread_join(snd.thread, NULL);
	pthread_join(rcv.thread, NULL);
	EXPECT_EQ(4 << 20, rcv.done);
	EXPECT_EQ(0, getsockopt(cli, SOL_SOCKET, SO_RCVBUF, &val, &len));
	TH_LOG("SO_RCVBUF %d after 4 MB in %.2f s", val, rcv.secs);
	/* The receiver's round trip, from timestamps: the 20 ms at least. */
	len = sizeof(ti);
	EXPECT_EQ(0, getsockopt(cli, SOL_TCP, TCP_INFO, &ti, &len));
	EXPECT_LE(20000U, ti.tcpi_rcv_rtt);
	EXPECT_LT(0U, ti.tcpi_rcv_space);
	abort_close(_metadata, self, cli);
	abort_close(_metadata, self, srv);
	return val;
}

/*
 * moderate_rcvbuf: receive-buffer autotuning, as tcp_moderate_rcvbuf.
 * The buffer grows past rmem's default with what the application reads
 * per round trip, up to rmem's maximum; it stays with the switch off, and
 * when the application chose SO_RCVBUF itself.
 */
TEST_F_TIMEOUT(edu, sysctl__moderate_rcvbuf, 120)
{
	int ns = edu_track(edu_veth_peer());

	ASSERT_LE(0, ns);
	ASSERT_EQ(0, edu_sh("tc qdisc add dev edu_h root netem delay 20ms"));
	ASSERT_LT(131072, rcvbuf_after(_metadata, self, ns, 0));
	ASSERT_EQ(0, sysctl_write("rmem", "4096 131072 262144"));
	ASSERT_EQ(262144, rcvbuf_after(_metadata, self, ns, 0));
	ASSERT_EQ(2 * 100000, rcvbuf_after(_metadata, self, ns, 100000));
	ASSERT_EQ(0, sysctl_set("moderate_rcvbuf", 0));
	ASSERT_EQ(131072, rcvbuf_after(_metadata, self, ns, 0));
	ASSERT_EQ(0, edu_sh("tc qdisc del dev edu_h root"));
}

/* The RTO of an AF_EDU connection on loopback after some round trips. */
static int rto_after_transfer(struct __test_metadata *_metadata,
			      struct _test_data_edu *self)
{
	int a, b, i, rto;

	edu_connect_pair(_metadata, self, EDU_LO, true, true, &a, &b);
	for (i = 0; i < 8; i++) {
		transfer(_metadata, a, b, 10000);
		transfer(_metadata, b, a, 10000);
	}
	rto = proc_rto(a);
	abort_close(_metadata, self, a);
	abort_close(_metadata, self, b);
	return rto;
}

/*
 * rto_min_ms is the floor of the RTO: on loopback, where the round trip
 * is far shorter, the RTO is the floor, 200 ms by default.
 */
TEST_F(edu, sysctl__rto_min_ms)
{
	int rto[3];

	rto[0] = rto_after_transfer(_metadata, self);
	ASSERT_EQ(0, sysctl_set("rto_min_ms", 1000));
	rto[1] = rto_after_transfer(_metadata, self);
	ASSERT_EQ(0, sysctl_set("rto_min_ms", 20));
	rto[2] = rto_after_transfer(_metadata, self);
	TH_LOG("RTO %d ms (rto_min_ms 200), %d (1000), %d (20)", rto[0],
	       rto[1], rto[2]);
	ASSERT_EQ(200, rto[0]);
	ASSERT_EQ(1000, rto[1]);
	ASSERT_LE(20, rto[2]);
	ASSERT_GT(200, rto[2]);
}

TEST_HARNESS_MAIN
