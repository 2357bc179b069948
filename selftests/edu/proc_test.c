// SPDX-License-Identifier: GPL-2.0
/*
 * proc_test.c - /proc/net/edu (one line per AF_EDU socket and TIME-WAIT
 * connection of the network namespace, laid out as /proc/net/tcp), network namespaces, and the live
 * object counts in /sys/kernel/edu/objects.
 */
#include <linux/sockios.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "edu_test.h"

/* The line /proc/net/edu must show for @l's values, byte for byte. */
static void expected_line(const struct edu_proc_line *l, char *buf, size_t n)
{
	snprintf(buf, n,
		 "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu",
		 l->sl, l->laddr, l->lport, l->raddr, l->rport, l->st,
		 l->tx_queue, l->rx_queue, l->tr, l->when, l->retrnsmt, l->uid,
		 l->timeout, l->inode);
}

/*
 * The TCB columns after the inode, in the header's order: snd_una,
 * snd_nxt, rcv_nxt (hex), snd_wnd, rcv_wnd, rto, cwnd, ssthresh, srtt.
 */
enum {
	TCB_SND_UNA, TCB_SND_NXT, TCB_RCV_NXT, TCB_SND_WND, TCB_RCV_WND,
	TCB_RTO, TCB_CWND, TCB_SSTHRESH, TCB_SRTT, TCB_COLS
};

static bool tcb_columns(const char *raw, unsigned long *v)
{
	char buf[512], *tok, *save;
	int i = 0, col;

	snprintf(buf, sizeof(buf), "%s", raw);
	for (tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save), i++) {
		col = i - 10;	/* sl ... inode come first */
		if (col < 0)
			continue;
		if (col >= TCB_COLS)
			return false;
		v[col] = strtoul(tok, NULL, col <= TCB_RCV_NXT ? 16 : 10);
	}
	return i == 10 + TCB_COLS;
}

static int first_line(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	int ret = -1;

	if (!f)
		return -1;
	if (fgets(buf, n, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		ret = 0;
	}
	fclose(f);
	return ret;
}

TEST_F(edu, proc__header)
{
	char edu[256], tcp[256];
	size_t n;

	ASSERT_EQ(0, first_line(EDU_PROC, edu, sizeof(edu)));
	ASSERT_EQ(0, strncmp(edu, EDU_PROC_HEADER, strlen(EDU_PROC_HEADER)))
		TH_LOG("header: '%s'", edu);
	/* Kernel TCP's columns (it pads with blanks), then the TCB's. */
	ASSERT_EQ(0, first_line("/proc/net/tcp", tcp, sizeof(tcp)));
	n = strlen(tcp);
	while (n && tcp[n - 1] == ' ')
		tcp[--n] = '\0';
	/* TCP's columns first, then the TCB's, named. */
	ASSERT_EQ(0, strncmp(tcp, edu, n)) TH_LOG("header: '%s'", edu);
	ASSERT_STREQ(" snd_una  snd_nxt  rcv_nxt  snd_wnd rcv_wnd rto cwnd ssthresh srtt",
		     edu + n);
}

TEST_F(edu, proc__empty_namespace)
{
	ASSERT_EQ(0, edu_proc_count(EDU_PROC));
}

TEST_F(edu, proc__fresh_socket)
{
	struct edu_proc_line l;
	char want[256];
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(1, edu_proc_count(EDU_PROC));
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(fd), &l));
	ASSERT_EQ(0, l.sl);
	ASSERT_EQ(0U, l.laddr);
	ASSERT_EQ(0U, l.lport);
	ASSERT_EQ(0U, l.raddr);
	ASSERT_EQ(0U, l.rport);
	ASSERT_EQ(EDU_ST_CLOSE, l.st);
	ASSERT_EQ(0U, l.tx_queue);
	ASSERT_EQ(0U, l.rx_queue);
	ASSERT_EQ(0U, l.tr);
	ASSERT_EQ(0UL, l.when);
	ASSERT_EQ(0U, l.retrnsmt);
	ASSERT_EQ(getuid(), (uid_t)l.uid);
	ASSERT_EQ(0, l.timeout);
	/* The layout of /proc/net/tcp, field widths included; TCB after. */
	expected_line(&l, want, sizeof(want));
	ASSERT_EQ(0, strncmp(want, l.raw, strlen(want)))
		TH_LOG("want '%s', got '%s'", want, l.raw);
	ASSERT_EQ(' ', l.raw[strlen(want)]);
}

TEST_F(edu, proc__bound_socket)
{
	struct sockaddr_in sin = edu_sin("127.0.0.1", 0);
	struct edu_proc_line l;
	char addr[64];
	int fd = edu_open(0);
	int port;

	ASSERT_LE(0, fd);
	port = edu_free_port();
	ASSERT_LT(0, port);
	ASSERT_EQ(0, edu_bind_to(fd, "127.0.0.1", port));
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(fd), &l));
	ASSERT_EQ(sin.sin_addr.s_addr, l.laddr);
	ASSERT_EQ((unsigned int)port, l.lport);
	ASSERT_EQ(EDU_ST_CLOSE, l.st);
	snprintf(addr, sizeof(addr), " 0100007F:%04X 00000000:0000 07 ", port);
	ASSERT_NE(NULL, strstr(l.raw, addr)) TH_LOG("line: '%s'", l.raw);
}

TEST_F(edu, proc__listener)
{
	struct edu_proc_line l;
	int fd = edu_open(0);
	int port;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, listen(fd, 3));
	port = edu_local_port(fd);
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(fd), &l));
	ASSERT_EQ(EDU_ST_LISTEN, l.st);
	ASSERT_EQ(0U, l.laddr);
	ASSERT_EQ((unsigned int)port, l.lport);
	ASSERT_EQ(0U, l.rx_queue);	/* nothing waiting to be accepted */
	/* Stopped listening, it shows closed again. */
	ASSERT_EQ(0, shutdown(fd, SHUT_RD));
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(fd), &l));
	ASSERT_EQ(EDU_ST_CLOSE, l.st);
}

/*
 * A listener's line next to kernel TCP's for a listener of the same
 * address and backlog: identical but for the port and the inode (and the
 * columns that /proc/net/tcp adds after the inode).
 */
TEST_F(edu, proc__listener_like_tcp)
{
	struct edu_proc_line e, t;
	char want[256];
	int fd = edu_open(0), tcp = tcp_open();
	FILE *f;
	char buf[512];

	ASSERT_LE(0, fd);
	ASSERT_LE(0, tcp);
	ASSERT_EQ(0, edu_bind_to(fd, "127.0.0.1", 0));
	ASSERT_EQ(0, edu_bind_to(tcp, "127.0.0.1", 0));
	ASSERT_EQ(0, listen(fd, 0));
	ASSERT_EQ(0, listen(tcp, 0));
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(fd), &e));

	f = fopen("/proc/net/tcp", "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(buf, sizeof(buf), f));
	ASSERT_NE(NULL, fgets(buf, sizeof(buf), f));
	fclose(f);
	ASSERT_TRUE(edu_proc_parse(buf, &t)) TH_LOG("tcp line: %s", buf);
	ASSERT_EQ(edu_inode(tcp), t.inode);

	t.lport = e.lport;
	t.inode = e.inode;
	expected_line(&t, want, sizeof(want));
	ASSERT_EQ(0, strncmp(want, e.raw, strlen(want)))
		TH_LOG("want '%s', got '%s'", want, e.raw);
}

TEST_F(edu, proc__uid)
{
	struct edu_proc_line l;
	int root = edu_open(0), fd;

	ASSERT_LE(0, root);
	ASSERT_EQ(0, edu_drop_privs());
	fd = edu_open(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(fd), &l));
	ASSERT_EQ(EDU_NOBODY, l.uid);
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(root), &l));
	ASSERT_EQ(0U, l.uid);
}

TEST_F(edu, proc__gone_after_close)
{
	unsigned long ino;
	int fd = edu_open(0), other = edu_open(0);

	ASSERT_LE(0, fd);
	ASSERT_LE(0, other);
	ASSERT_EQ(0, listen(fd, 1));
	ino = edu_inode(fd);
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, ino, NULL));
	ASSERT_EQ(2, edu_proc_count(EDU_PROC));
	ASSERT_EQ(0, edu_close(fd));
	ASSERT_EQ(0, edu_proc_find(EDU_PROC, ino, NULL));
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(other), NULL));
	ASSERT_EQ(1, edu_proc_count(EDU_PROC));
	ASSERT_EQ(0, edu_close(other));
	ASSERT_EQ(0, edu_proc_count(EDU_PROC));
}

/*
 * Many sockets, read back in small pieces so that the listing is resumed
 * many times: every socket exactly once, slots numbered 0, 1, 2...
 */
TEST_F(edu, proc__many_sockets)
{
	enum { N = 300 };
	static unsigned long inodes[N];
	static char text[N * 160 + 4096];
	struct edu_proc_line l;
	size_t len = 0;
	ssize_t n;
	char *line, *save;
	int i, fd, lines = 0, found = 0;

	for (i = 0; i < N; i++) {
		fd = edu_open(0);
		ASSERT_LE(0, fd);
		inodes[i] = edu_inode(fd);
		if (i % 3 == 0)
			ASSERT_EQ(0, listen(fd, 1));
	}
	ASSERT_COUNTS(N, N / 3);

	fd = open(EDU_PROC, O_RDONLY);
	ASSERT_LE(0, fd);
	while ((n = read(fd, text + len, 100)) > 0) {
		len += n;
		ASSERT_GT(sizeof(text) - 100, len);
	}
	close(fd);
	ASSERT_EQ(0, n);
	text[len] = '\0';

	line = strtok_r(text, "\n", &save);	/* the header */
	ASSERT_NE(NULL, line);
	while ((line = strtok_r(NULL, "\n", &save))) {
		ASSERT_TRUE(edu_proc_parse(line, &l)) TH_LOG("line: %s", line);
		ASSERT_EQ(lines, l.sl);
		for (i = 0; i < N; i++) {
			if (inodes[i] == l.inode) {
				inodes[i] = 0;
				found++;
				break;
			}
		}
		lines++;
	}
	ASSERT_EQ(N, lines);
	ASSERT_EQ(N, found);
}

/*
 * Connections in TIME-WAIT are listed after the sockets, as /proc/net/tcp
 * lists them: state 06, timer 3 counting down from 2*MSL (60 s, in clock
 * ticks), no inode.  The sockets themselves show CLOSE.  Read in small
 * pieces, so that the walk resumes inside the TIME-WAIT table too.
 */
TEST_F(edu, proc__timewait)
{
	enum { N = 40 };
	static char text[(2 * N + 1) * 200];
	static int cli[N], srv[N], port[N];
	unsigned long v[TCB_COLS];
	struct edu_proc_line l;
	size_t len = 0;
	ssize_t n;
	char *line, *save;
	int i, fd, tw = 0, closed = 0;
	long hz = sysconf(_SC_CLK_TCK);

	for (i = 0; i < N; i++) {
		edu_connect_pair(_metadata, self, EDU_LO, true, false, &cli[i],
				 &srv[i]);
		port[i] = edu_local_port(cli[i]);
		ASSERT_EQ(0, shutdown(cli[i], SHUT_WR));
		ASSERT_EQ(0, edu_close(srv[i]));
	}
	for (i = 0; i < 500 && edu_count("timewait") < N; i++)
		edu_msleep(10);
	ASSERT_EQ(N, edu_count("timewait"));

	fd = open(EDU_PROC, O_RDONLY);
	ASSERT_LE(0, fd);
	while ((n = read(fd, text + len, 100)) > 0) {
		len += n;
		ASSERT_GT(sizeof(text) - 100, len);
	}
	close(fd);
	ASSERT_EQ(0, n);
	text[len] = '\0';

	line = strtok_r(text, "\n", &save);	/* the header */
	ASSERT_NE(NULL, line);
	while ((line = strtok_r(NULL, "\n", &save))) {
		ASSERT_TRUE(edu_proc_parse(line, &l)) TH_LOG("line: %s", line);
		ASSERT_EQ(closed + tw, l.sl);
		if (l.st == EDU_ST_CLOSE) {
			ASSERT_EQ(0, tw) TH_LOG("a socket after the records");
			closed++;
			continue;
		}
		ASSERT_EQ(EDU_ST_TIME_WAIT, l.st) TH_LOG("line: %s", line);
		ASSERT_EQ(0x0100007FU, l.laddr);
		ASSERT_EQ(0x0100007FU, l.raddr);
		ASSERT_EQ(3, l.tr);
		ASSERT_LT(50 * hz, (long)l.when) TH_LOG("line: %s", line);
		ASSERT_GE(60 * hz, (long)l.when) TH_LOG("line: %s", line);
		ASSERT_EQ(0, l.inode);
		/* The estimator and congestion state went with the socket. */
		ASSERT_TRUE(tcb_columns(l.raw, v)) TH_LOG("line: %s", line);
		ASSERT_EQ(0UL, v[TCB_RTO]);
		ASSERT_EQ(0UL, v[TCB_CWND]);
		ASSERT_EQ(0UL, v[TCB_SSTHRESH]);
		ASSERT_EQ(0UL, v[TCB_SRTT]);
		for (i = 0; i < N; i++) {
			if (port[i] == (int)l.lport) {
				port[i] = 0;
				break;
			}
		}
		ASSERT_GT(N, i) TH_LOG("unknown or repeated: %s", line);
		tw++;
	}
	ASSERT_EQ(N, closed);
	ASSERT_EQ(N, tw);
}

/* ---------------------------------------------------------- namespaces -- */

/*
 * A socket belongs to the namespace it was made in: it shows in that
 * namespace's /proc/net/edu only, and ports are per namespace too.
 */
TEST_F(edu, proc__per_namespace)
{
	struct edu_proc_line l;
	unsigned long ino_a, ino_b;
	int a, b, port, parent;

	parent = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, parent);
	edu_track(parent);

	a = edu_open(0);
	ASSERT_LE(0, a);
	port = edu_free_port();
	ASSERT_LT(0, port);
	ASSERT_EQ(0, edu_bind_to(a, "127.0.0.1", port));
	ino_a = edu_inode(a);

	ASSERT_EQ(0, edu_new_netns());
	ASSERT_EQ(0, edu_proc_count(EDU_PROC));
	ASSERT_EQ(0, edu_proc_find(EDU_PROC, ino_a, NULL));

	/* AF_EDU works here, and the parent's port is free here. */
	b = edu_open(0);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, edu_bind_to(b, "127.0.0.1", port)) TH_LOG("%s",
							       strerror(errno));
	ASSERT_EQ(0, listen(b, 1));
	ASSERT_EQ(port, edu_local_port(b));
	ino_b = edu_inode(b);
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, ino_b, &l));
	ASSERT_EQ(EDU_ST_LISTEN, l.st);
	ASSERT_EQ(1, edu_proc_count(EDU_PROC));
	/* Kernel TCP of this namespace sees b's port as taken... */
	ASSERT_ERRNO(EADDRINUSE, edu_tcp_bound("0.0.0.0", port, true));
	ASSERT_COUNTS(2, 2);

	/* ...and back in the parent, a is there and b is not. */
	ASSERT_EQ(0, setns(parent, CLONE_NEWNET));
	ASSERT_EQ(1, edu_proc_count(EDU_PROC));
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, ino_a, NULL));
	ASSERT_EQ(0, edu_proc_find(EDU_PROC, ino_b, NULL));
	ASSERT_ERRNO(EADDRINUSE, edu_tcp_bound("127.0.0.1", port, false));

	/* b outlives every task of its namespace; closing it frees all. */
	ASSERT_EQ(0, edu_close(b));
	ASSERT_COUNTS(1, 1);
}

/*
 * The TCB columns: a fresh socket shows its defaults (RTO 1 s, a window
 * of ten 536-byte segments, no ssthresh yet, no RTT sample); after a
 * transfer, the sequence numbers of both ends match, and the RTT has been
 * sampled.
 */
TEST_F(edu, proc__tcb_columns)
{
	unsigned long c[TCB_COLS], s[TCB_COLS];
	struct edu_proc_line l;
	char buf[4096];
	int fd = edu_open(0), cli, srv;

	ASSERT_LE(0, fd);
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(fd), &l));
	ASSERT_TRUE(tcb_columns(l.raw, c)) TH_LOG("line: '%s'", l.raw);
	ASSERT_EQ(1000UL, c[TCB_RTO]);
	ASSERT_EQ(5360UL, c[TCB_CWND]);
	ASSERT_EQ(4294967295UL, c[TCB_SSTHRESH]);
	ASSERT_EQ(0UL, c[TCB_SRTT]);

	edu_connect_pair(_metadata, self, EDU_LO, true, true, &cli, &srv);
	memset(buf, 'x', sizeof(buf));
	ASSERT_EQ((ssize_t)sizeof(buf), send(cli, buf, sizeof(buf), 0));
	ASSERT_EQ(0, edu_wait(srv, POLLIN, 5000));
	ASSERT_EQ((ssize_t)sizeof(buf), recv(srv, buf, sizeof(buf),
					     MSG_WAITALL));
	edu_msleep(100);	/* the delayed ACK */
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(cli), &l));
	ASSERT_TRUE(tcb_columns(l.raw, c)) TH_LOG("line: '%s'", l.raw);
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(srv), &l));
	ASSERT_TRUE(tcb_columns(l.raw, s)) TH_LOG("line: '%s'", l.raw);
	ASSERT_EQ(c[TCB_SND_NXT], s[TCB_RCV_NXT]);
	ASSERT_EQ(c[TCB_SND_UNA], c[TCB_SND_NXT]);
	ASSERT_EQ(s[TCB_SND_NXT], c[TCB_RCV_NXT]);
	ASSERT_LT(0UL, c[TCB_SRTT]);
	ASSERT_LE(200UL, c[TCB_RTO]);
	ASSERT_LE(10UL * 536, c[TCB_CWND]);
	ASSERT_EQ(4294967295UL, c[TCB_SSTHRESH]);
	ASSERT_LT(0UL, c[TCB_SND_WND]);
	ASSERT_LT(0UL, s[TCB_RCV_WND]);
}

/*
 * tx_queue and rx_queue count bytes as in /proc/net/tcp: written and not
 * acknowledged, received and not read (a FIN is no byte); tr:tm->when name
 * the pending timer, keepalive (2) on an idle connection, retransmission
 * (1) while data goes unacknowledged.
 */
TEST_F(edu, proc__queues_and_timers)
{
	struct edu_proc_line l;
	char buf[3000];
	int ns, cli, srv;

	edu_connect_pair(_metadata, self, EDU_LO, true, true, &cli, &srv);
	memset(buf, 'q', sizeof(buf));
	ASSERT_EQ((ssize_t)sizeof(buf), send(cli, buf, sizeof(buf), 0));
	ASSERT_EQ(0, shutdown(cli, SHUT_WR));
	edu_msleep(300);
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(srv), &l));
	ASSERT_EQ(0x08U, l.st) TH_LOG("line: '%s'", l.raw);	/* CLOSE-WAIT */
	ASSERT_EQ(3000U, l.rx_queue) TH_LOG("line: '%s'", l.raw);
	ASSERT_EQ(0U, l.tx_queue);
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(cli), &l));
	ASSERT_EQ(0U, l.tx_queue) TH_LOG("line: '%s'", l.raw);
	ASSERT_EQ(0U, l.tr) TH_LOG("line: '%s'", l.raw);
	ASSERT_EQ(0UL, l.when);
	ASSERT_EQ((ssize_t)sizeof(buf), recv(srv, buf, sizeof(buf),
					     MSG_WAITALL));
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(srv), &l));
	ASSERT_EQ(0U, l.rx_queue) TH_LOG("line: '%s'", l.raw);

	/* Idle with SO_KEEPALIVE: the keepalive timer, due within 100 s. */
	ASSERT_EQ(0, edu_set_int(srv, SOL_TCP, TCP_KEEPIDLE, 100));
	ASSERT_EQ(0, edu_set_int(srv, SOL_SOCKET, SO_KEEPALIVE, 1));
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(srv), &l));
	ASSERT_EQ(2U, l.tr) TH_LOG("line: '%s'", l.raw);
	ASSERT_LT(0UL, l.when);
	ASSERT_GE(100UL * sysconf(_SC_CLK_TCK), l.when);

	/* Data the peer never acknowledges: the retransmission timer. */
	ns = edu_track(edu_veth_peer());
	ASSERT_LE(0, ns) TH_LOG("cannot set up the veth pair");
	edu_connect_pair(_metadata, self, ns, true, true, &cli, &srv);
	ASSERT_EQ(0, edu_sh("tc qdisc add dev edu_h root netem loss 100%%"));
	ASSERT_EQ(1000, send(cli, buf, 1000, 0));
	edu_msleep(50);
	ASSERT_EQ(1, edu_proc_find(EDU_PROC, edu_inode(cli), &l));
	ASSERT_EQ(1000U, l.tx_queue) TH_LOG("line: '%s'", l.raw);
	ASSERT_EQ(1U, l.tr) TH_LOG("line: '%s'", l.raw);
	ASSERT_LT(0UL, l.when);
	ASSERT_GE((unsigned long)sysconf(_SC_CLK_TCK), l.when);
	/* The link back: the retransmission gets through, for a clean close. */
	ASSERT_EQ(0, edu_sh("tc qdisc del dev edu_h root"));
	ASSERT_EQ(1000, recv(srv, buf, 1000, MSG_WAITALL));
}

/* Many namespaces come and go with sockets in them; nothing is left. */
TEST_F(edu, proc__namespace_teardown)
{
	int i, status;
	pid_t pid;

	for (i = 0; i < 4; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			int fd;

			if (edu_new_netns())
				_exit(1);
			fd = socket(AF_EDU, SOCK_STREAM, 0);
			if (fd < 0 || listen(fd, 1))
				_exit(2);
			if (edu_proc_count(EDU_PROC) != 1)
				_exit(3);
			/* Exit without closing: the exit closes it. */
			_exit(0);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_EQ(0, WEXITSTATUS(status));
	}
	ASSERT_TRUE(edu_counts_settle_zero());
}

/* -------------------------------------------------------- live counts -- */

TEST_F(edu, objects__counts)
{
	int a = edu_open(0), b = edu_open(0), c = edu_open(0);

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_LE(0, c);
	ASSERT_COUNTS(3, 0);
	ASSERT_EQ(0, edu_bind_to(a, "127.0.0.1", 0));
	ASSERT_COUNTS(3, 1);
	ASSERT_EQ(0, listen(b, 1));
	ASSERT_COUNTS(3, 2);
	/* Listening on a bound socket takes no second port. */
	ASSERT_EQ(0, listen(a, 1));
	ASSERT_COUNTS(3, 2);
	ASSERT_EQ(0, edu_close(a));
	ASSERT_COUNTS(2, 1);
	ASSERT_EQ(0, edu_close(c));
	ASSERT_COUNTS(1, 1);
	ASSERT_EQ(0, edu_close(b));
	ASSERT_COUNTS(0, 0);
}

TEST_F(edu, objects__reuseaddr_listen)
{
	int fd = edu_open(0);

	ASSERT_LE(0, fd);
	/* listen() re-binds the port without SO_REUSEADDR: still one port. */
	ASSERT_EQ(0, edu_set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, edu_bind_to(fd, "127.0.0.1", 0));
	ASSERT_COUNTS(1, 1);
	ASSERT_EQ(0, listen(fd, 1));
	ASSERT_COUNTS(1, 1);
}

TEST_F(edu, objects__read_only)
{
	/* The counts are for reading only. */
	ASSERT_EQ(-1, open(EDU_SYSFS_OBJECTS "sockets", O_WRONLY));
	ASSERT_EQ(-1, open(EDU_SYSFS_OBJECTS "ports", O_WRONLY));
	ASSERT_EQ(-1, open(EDU_SYSFS_OBJECTS "skbs", O_WRONLY));
	ASSERT_EQ(-1, open("/sys/kernel/edu/family", O_WRONLY));
}

/* Wait up to 2 s for the skbs count to be @n; return the last one read. */
static long skbs_settle(long n)
{
	long v = -1;
	int i;

	for (i = 0; i < 200; i++) {
		v = edu_count("skbs");
		if (v == n)
			break;
		edu_msleep(10);
	}
	return v;
}

/* Wait up to 2 s for @fd to have @n bytes unread; return the last count. */
static int inq_settle(int fd, int n)
{
	int i, q = -1;

	for (i = 0; i < 200; i++) {
		if (ioctl(fd, SIOCINQ, &q))
			return -1;
		if (q == n)
			break;
		edu_msleep(10);
	}
	return q;
}

/*
 * objects/skbs counts each skb a queue holds: unread segments, one skb
 * each on the receive queue; the sender's write queue holds its segments
 * until they are acknowledged, then nothing.  A segment read in part stays.
 */
TEST_F(edu, objects__skbs)
{
	char buf[300] = { 0 };
	int cli, srv, i, q;

	ASSERT_EQ(0, edu_lo_up());
	ASSERT_EQ(0, edu_count("skbs"));
	edu_connect_pair(_metadata, self, EDU_LO, true, true, &cli, &srv);
	/* The SYN and SYN-ACK were freed when acknowledged. */
	ASSERT_EQ(0, skbs_settle(0));
	ASSERT_EQ(0, edu_set_int(cli, IPPROTO_TCP, TCP_NODELAY, 1));
	for (i = 1; i <= 3; i++) {
		ASSERT_EQ(100, write(cli, buf, 100));
		/* Each write its own segment: wait for it to arrive. */
		ASSERT_EQ(100 * i, inq_settle(srv, 100 * i));
	}
	/* Once the (delayed) ACK came, the receive queue's three alone. */
	ASSERT_EQ(3, skbs_settle(3));
	ASSERT_EQ(0, ioctl(cli, SIOCOUTQ, &q));
	ASSERT_EQ(0, q);
	ASSERT_EQ(50, read(srv, buf, 50));
	ASSERT_EQ(3, edu_count("skbs"));
	ASSERT_EQ(50, read(srv, buf, 50));
	ASSERT_EQ(2, edu_count("skbs"));
	ASSERT_EQ(200, read(srv, buf, sizeof(buf)));
	ASSERT_EQ(0, edu_count("skbs"));
	/* Unread data is freed by close() (an abort), as the sender's copy. */
	ASSERT_EQ(100, write(cli, buf, 100));
	ASSERT_EQ(0, edu_wait(srv, POLLIN, 2000));
	ASSERT_LT(0, edu_count("skbs"));
	ASSERT_EQ(0, edu_close(srv));
	ASSERT_EQ(0, skbs_settle(0));
	ASSERT_EQ(0, edu_close(cli));
	ASSERT_EQ(0, edu_count("skbs"));
}

TEST_HARNESS_MAIN
