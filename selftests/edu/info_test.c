// SPDX-License-Identifier: GPL-2.0
/*
 * info_test.c - a connection seen from inside: getsockopt(SOL_TCP,
 * TCP_INFO) in Linux's struct tcp_info, getsockopt(SOL_EDU, EDU_INFO) in
 * struct edu_info, the columns /proc/net/edu shows beside them, and the
 * CurrEstab and ZeroWindowProbes lines of /proc/net/edu_snmp.
 *
 * Where kernel TCP has the same field, the case runs the same steps on
 * kernel TCP and expects the same value: programs written for TCP_INFO
 * must read AF_EDU's unchanged.
 */
#include <stddef.h>

#include "kselftest_harness.h"
#include "edu_test.h"

/* Linux's values (include/net/tcp_states.h, include/net/tcp.h). */
#define ST_ESTABLISHED	1
#define ST_SYN_SENT	2
#define ST_FIN_WAIT1	4
#define ST_FIN_WAIT2	5
#define ST_CLOSE	7
#define ST_CLOSE_WAIT	8
#define ST_LISTEN	10
#define TCP_CA_OPEN	0
#define INFINITE_SSTHRESH 0x7fffffffU

static int edu_info(int fd, struct edu_info *ei)
{
	socklen_t len = sizeof(*ei);

	memset(ei, 0, sizeof(*ei));
	if (getsockopt(fd, SOL_EDU, EDU_INFO, ei, &len))
		return -1;
	return len;
}

/* The state TCP_INFO reports, or -1. */
static int tcp_state(int fd)
{
	struct edu_tcp_info ti;

	return edu_tcp_info(fd, &ti) < 0 ? -1 : ti.tcpi_state;
}

/* Wait up to @ms for @fd to reach @state; true if it did. */
static bool wait_state(int fd, int state, int ms)
{
	double end = edu_now() + ms / 1000.0;

	while (tcp_state(fd) != state) {
		if (edu_now() > end)
			return false;
		edu_msleep(5);
	}
	return true;
}

/* Wait up to @ms for everything @fd sent to be acknowledged. */
static bool wait_acked(int fd, int ms)
{
	double end = edu_now() + ms / 1000.0;
	struct edu_tcp_info ti;

	for (;;) {
		if (edu_tcp_info(fd, &ti) > 0 && !ti.tcpi_unacked &&
		    !ti.tcpi_notsent_bytes)
			return true;
		if (edu_now() > end)
			return false;
		edu_msleep(5);
	}
}

/* A counter of /proc/net/edu_snmp in namespace @ns, or -1. */
static long counter_in(int ns, const char *name)
{
	int here = edu_netns_open();
	long val = -1;

	if (here < 0)
		return -1;
	if (!setns(ns, CLONE_NEWNET)) {
		val = edu_counter(name);
		if (setns(here, CLONE_NEWNET))
			abort();	/* lost in the other namespace */
	}
	close(here);
	return val;
}

/* Wait up to @ms for CurrEstab to read @n; returns what it read last. */
static long wait_curr_estab(long n, int ms)
{
	double end = edu_now() + ms / 1000.0;
	long v;

	while ((v = edu_counter("CurrEstab")) != n && edu_now() < end)
		edu_msleep(5);
	return v;
}

/*
 * Move @len bytes of stream @seed from @a to @b, both nonblocking for the
 * duration, checking every byte.  Returns 0, or -1 on an error or a wrong
 * byte or a stall.
 */
static int move_bytes(int a, int b, unsigned int seed, size_t len)
{
	static unsigned char buf[16384];
	size_t sent = 0, got = 0;
	double end = edu_now() + 20;
	ssize_t n;

	while (got < len) {
		if (edu_now() > end)
			return -1;
		if (sent < len) {
			n = len - sent < sizeof(buf) ? len - sent : sizeof(buf);
			edu_pattern(seed, sent, buf, n);
			n = send(a, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
			if (n < 0 && errno != EAGAIN)
				return -1;
			if (n > 0)
				sent += n;
		}
		n = recv(b, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN)
			return -1;
		if (n == 0)
			return -1;
		if (n > 0) {
			if (edu_pattern_check(seed, got, buf, n) >= 0)
				return -1;
			got += n;
		}
		if (n < 0)
			edu_poll1(b, POLLIN, 10);
	}
	return 0;
}

/*
 * /proc/net/edu columns of the socket with inode @ino, by the header's
 * names.  The header names tx_queue and rx_queue, tr and tm->when apart,
 * where the lines join each pair with a colon: the second of each pair is
 * dropped.  Returns the number of columns, 0 if the socket is not listed.
 */
#define PROC_COLS 40

struct proc_cols {
	int n;
	char names[PROC_COLS][24];
	char values[PROC_COLS][24];
};

static int proc_columns(unsigned long ino, struct proc_cols *pc)
{
	static const char sep[] = { ' ', '\n', '\0' };
	char head[512], line[512], *tok, *save;
	FILE *f = fopen(EDU_PROC, "r");
	int n = 0, i;

	memset(pc, 0, sizeof(*pc));
	if (!f)
		return 0;
	if (!fgets(head, sizeof(head), f)) {
		fclose(f);
		return 0;
	}
	for (tok = strtok_r(head, sep, &save); tok && n < PROC_COLS;
	     tok = strtok_r(NULL, sep, &save)) {
		if (!strcmp(tok, "rx_queue") || !strcmp(tok, "tm->when"))
			continue;
		snprintf(pc->names[n++], sizeof(pc->names[0]), "%s", tok);
	}
	while (fgets(line, sizeof(line), f)) {
		struct edu_proc_line l;

		if (!edu_proc_parse(line, &l) || l.inode != ino)
			continue;
		i = 0;
		for (tok = strtok_r(line, sep, &save); tok && i < n;
		     tok = strtok_r(NULL, sep, &save))
			snprintf(pc->values[i++], sizeof(pc->values[0]), "%s",
				 tok);
		pc->n = i;
		break;
	}
	fclose(f);
	return pc->n;
}

/* A column's value: @base 16 or 10; ULONG_MAX if there is no such column. */
static unsigned long proc_col(const struct proc_cols *pc, const char *name,
			      int base)
{
	int i;

	for (i = 0; i < pc->n; i++)
		if (!strcmp(pc->names[i], name))
			return strtoul(pc->values[i], NULL, base);
	return ULONG_MAX;
}

/* ------------------------------------------------------------ TCP_INFO -- */

/*
 * A socket that never connected, beside a kernel TCP socket: the same
 * length copied, and the same defaults (RTO 1 s, MSS 536, ten segments of
 * window, no ssthresh yet).
 */
TEST_F(edu, info__tcp_info_fresh)
{
	struct edu_tcp_info e, t;
	int fd = edu_open(0), tcp = tcp_open();
	int elen, tlen;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, tcp);
	elen = edu_tcp_info(fd, &e);
	tlen = edu_tcp_info(tcp, &t);
	ASSERT_LT(0, tlen);
	ASSERT_EQ(tlen, elen) TH_LOG("kernel TCP copies %d bytes", tlen);
	ASSERT_EQ(ST_CLOSE, e.tcpi_state);
	ASSERT_EQ(t.tcpi_state, e.tcpi_state);
	ASSERT_EQ(t.tcpi_ca_state, e.tcpi_ca_state);
	ASSERT_EQ(t.tcpi_rto, e.tcpi_rto);
	ASSERT_EQ(1000000U, e.tcpi_rto);
	ASSERT_EQ(t.tcpi_snd_mss, e.tcpi_snd_mss);
	ASSERT_EQ(t.tcpi_snd_cwnd, e.tcpi_snd_cwnd);
	ASSERT_EQ(t.tcpi_snd_ssthresh, e.tcpi_snd_ssthresh);
	ASSERT_EQ(INFINITE_SSTHRESH, e.tcpi_snd_ssthresh);
	ASSERT_EQ(t.tcpi_reordering, e.tcpi_reordering);
	ASSERT_EQ(0U, e.tcpi_retransmits);
	ASSERT_EQ(0U, e.tcpi_unacked);
	ASSERT_EQ(0ULL, e.tcpi_bytes_acked);
	ASSERT_EQ(0U, e.tcpi_segs_out);
	ASSERT_EQ(0U, e.tcpi_segs_in);
}

/*
 * A listener, as Linux reports one: its state, and the accept queue's
 * length and bound in tcpi_unacked and tcpi_sacked.  EDU_INFO shows the
 * state too.
 */
TEST_F(edu, info__listener)
{
	struct edu_tcp_info ti;
	struct edu_info ei;
	int fam, l, c, port;

	for (fam = 0; fam < 2; fam++) {
		l = fam ? edu_open(0) : tcp_open();
		ASSERT_LE(0, l);
		port = edu_listen_on(l, EDU_LOOPBACK, 5);
		ASSERT_LT(0, port);
		ASSERT_LT(0, edu_tcp_info(l, &ti));
		ASSERT_EQ(ST_LISTEN, ti.tcpi_state);
		ASSERT_EQ(0U, ti.tcpi_unacked);
		ASSERT_EQ(5U, ti.tcpi_sacked);
		c = edu_open(0);
		ASSERT_LE(0, c);
		ASSERT_EQ(0, edu_connect_to(c, EDU_LOOPBACK, port));
		ASSERT_EQ(0, edu_wait(l, POLLIN, 5000));
		ASSERT_LT(0, edu_tcp_info(l, &ti));
		ASSERT_EQ(1U, ti.tcpi_unacked) TH_LOG("%s",
						      edu_family_name(fam));
		ASSERT_EQ(5U, ti.tcpi_sacked);
		if (fam) {
			ASSERT_EQ((int)sizeof(ei), edu_info(l, &ei));
			ASSERT_EQ(ST_LISTEN, ei.state);
		}
	}
}

/*
 * A connection after a transfer: AF_EDU to AF_EDU, then kernel TCP to
 * AF_EDU and AF_EDU to kernel TCP, each beside kernel TCP to kernel TCP.
 * Byte counts as Linux's: the active opener's SYN is acknowledged (one
 * byte), the passive opener's SYN-ACK is not counted; the segments one
 * end sent are those the other received; the RTT has a sample; the
 * congestion window is at least the initial ten segments.
 */
static void transfer_case(struct __test_metadata *_metadata,
			  struct _test_data_edu *self, bool cli_edu,
			  bool srv_edu)
{
	enum { N = 200000, BACK = 3000 };
	struct edu_tcp_info c0, c, s, tc, ts;
	int cli, srv, tcli, tsrv;
	const char *what;
	char buf[64];

	snprintf(buf, sizeof(buf), "%s to %s", edu_family_name(cli_edu),
		 edu_family_name(srv_edu));
	what = buf;
	edu_connect_pair(_metadata, self, EDU_LO, cli_edu, srv_edu, &cli,
			 &srv);
	edu_connect_pair(_metadata, self, EDU_LO, false, false, &tcli, &tsrv);
	ASSERT_TRUE(wait_acked(cli, 2000));
	ASSERT_LT(0, edu_tcp_info(cli, &c0));
	ASSERT_EQ(ST_ESTABLISHED, c0.tcpi_state);
	ASSERT_LE(10U, c0.tcpi_snd_cwnd) TH_LOG("%s", what);
	ASSERT_EQ(1ULL, c0.tcpi_bytes_acked) TH_LOG("%s", what);
	ASSERT_EQ(0ULL, c0.tcpi_bytes_received) TH_LOG("%s", what);

	ASSERT_EQ(0, move_bytes(cli, srv, 1, N)) TH_LOG("%s", what);
	ASSERT_EQ(0, move_bytes(srv, cli, 2, BACK)) TH_LOG("%s", what);
	ASSERT_EQ(0, move_bytes(tcli, tsrv, 1, N));
	ASSERT_EQ(0, move_bytes(tsrv, tcli, 2, BACK));
	ASSERT_TRUE(wait_acked(cli, 2000));
	ASSERT_TRUE(wait_acked(srv, 2000));
	ASSERT_TRUE(wait_acked(tcli, 2000));
	ASSERT_TRUE(wait_acked(tsrv, 2000));
	edu_msleep(100);	/* delayed ACKs out */
	ASSERT_LT(0, edu_tcp_info(cli, &c));
	ASSERT_LT(0, edu_tcp_info(srv, &s));
	ASSERT_LT(0, edu_tcp_info(tcli, &tc));
	ASSERT_LT(0, edu_tcp_info(tsrv, &ts));

	ASSERT_EQ(ST_ESTABLISHED, c.tcpi_state);
	ASSERT_EQ(ST_ESTABLISHED, s.tcpi_state);
	ASSERT_EQ(TCP_CA_OPEN, c.tcpi_ca_state);
	/* Linux's byte counts, exactly. */
	ASSERT_EQ(tc.tcpi_bytes_acked, c.tcpi_bytes_acked) TH_LOG("%s", what);
	ASSERT_EQ(1ULL + N, c.tcpi_bytes_acked) TH_LOG("%s", what);
	ASSERT_EQ(ts.tcpi_bytes_acked, s.tcpi_bytes_acked) TH_LOG("%s", what);
	ASSERT_EQ((unsigned long long)BACK, s.tcpi_bytes_acked);
	ASSERT_EQ((unsigned long long)N, s.tcpi_bytes_received);
	ASSERT_EQ((unsigned long long)BACK, c.tcpi_bytes_received);
	ASSERT_EQ(tc.tcpi_bytes_received, c.tcpi_bytes_received);
	ASSERT_EQ(ts.tcpi_bytes_received, s.tcpi_bytes_received);
	if (cli_edu) {
		/* Every segment sent was received, none twice. */
		ASSERT_LE((unsigned long long)N, c.tcpi_bytes_sent);
		ASSERT_EQ(0U, c.tcpi_total_retrans);
		ASSERT_EQ(c.tcpi_bytes_sent, (unsigned long long)N +
					     c.tcpi_bytes_retrans);
		if (srv_edu) {
			ASSERT_EQ(c.tcpi_segs_out, s.tcpi_segs_in);
			ASSERT_EQ(s.tcpi_segs_out, c.tcpi_segs_in);
			ASSERT_EQ(c.tcpi_data_segs_out, s.tcpi_data_segs_in);
			ASSERT_EQ(s.tcpi_data_segs_out, c.tcpi_data_segs_in);
		}
		ASSERT_LE(N / c.tcpi_snd_mss, c.tcpi_data_segs_out);
		ASSERT_LT(c0.tcpi_segs_out, c.tcpi_segs_out);
		ASSERT_LT(c0.tcpi_segs_in, c.tcpi_segs_in);
		/* A sample was taken; the RTO follows from it. */
		ASSERT_LT(0U, c.tcpi_rtt);
		ASSERT_LE(200000U, c.tcpi_rto);
		ASSERT_GT(1000000U, c.tcpi_rto);
		/*
		 * Ten segments or more: the peer's window (65535 bytes, one
		 * loopback segment) limits the sender, so the congestion
		 * window has no cause to grow (RFC 7661).
		 */
		ASSERT_LE(10U, c.tcpi_snd_cwnd) TH_LOG("%s", what);
		ASSERT_EQ(INFINITE_SSTHRESH, c.tcpi_snd_ssthresh);
		/* Loopback's route MTU (IP's 65535 cap) less 40 bytes. */
		ASSERT_EQ(65535U, c.tcpi_pmtu);
		ASSERT_EQ(65495U, c.tcpi_advmss);
		ASSERT_LT(0U, c.tcpi_snd_wnd);
		/* 6.1's struct tcp_info ends before tcpi_rcv_wnd. */
		if ((size_t)edu_tcp_info(cli, &c) >=
		    offsetof(struct edu_tcp_info, tcpi_rehash))
			ASSERT_LT(0U, c.tcpi_rcv_wnd);
		/* Idle clocks: data went both ways just now. */
		ASSERT_GT(2000U, c.tcpi_last_data_sent);
		ASSERT_GT(2000U, c.tcpi_last_data_recv);
		ASSERT_GT(2000U, c.tcpi_last_ack_recv);
		ASSERT_LT(0U, c.tcpi_rcv_mss);
		ASSERT_EQ(0U, c.tcpi_unacked);
		ASSERT_EQ(0U, c.tcpi_notsent_bytes);
	}
	if (srv_edu) {
		ASSERT_LE(N / s.tcpi_advmss, s.tcpi_data_segs_in);
		ASSERT_EQ(0U, s.tcpi_rcv_ooopack);
		ASSERT_LT(0U, s.tcpi_rcv_mss);
		ASSERT_GE(s.tcpi_advmss, s.tcpi_rcv_mss);
	}

	/* The FIN counts one byte each way, as in Linux. */
	ASSERT_EQ(0, shutdown(cli, SHUT_WR));
	ASSERT_EQ(0, shutdown(tcli, SHUT_WR));
	ASSERT_TRUE(wait_state(cli, ST_FIN_WAIT2, 2000));
	ASSERT_TRUE(wait_state(tcli, ST_FIN_WAIT2, 2000));
	ASSERT_LT(0, edu_tcp_info(cli, &c));
	ASSERT_LT(0, edu_tcp_info(srv, &s));
	ASSERT_LT(0, edu_tcp_info(tcli, &tc));
	ASSERT_LT(0, edu_tcp_info(tsrv, &ts));
	ASSERT_EQ(tc.tcpi_bytes_acked, c.tcpi_bytes_acked) TH_LOG("%s", what);
	ASSERT_EQ(2ULL + N, c.tcpi_bytes_acked);
	ASSERT_EQ(ts.tcpi_bytes_received, s.tcpi_bytes_received);
	ASSERT_EQ(1ULL + N, s.tcpi_bytes_received);
	ASSERT_EQ(ST_CLOSE_WAIT, s.tcpi_state);
}

TEST_F(edu, info__tcp_info_transfer_edu_to_edu)
{
	transfer_case(_metadata, self, true, true);
}

TEST_F(edu, info__tcp_info_transfer_edu_to_tcp)
{
	transfer_case(_metadata, self, true, false);
}

TEST_F(edu, info__tcp_info_transfer_tcp_to_edu)
{
	transfer_case(_metadata, self, false, true);
}

/*
 * Short and bad buffers, for both options, as tcp_getsockopt() treats
 * them: min(len, size) bytes copied and that length returned, the rest of
 * the buffer untouched; a negative length EINVAL; a bad pointer EFAULT.
 */
TEST_F(edu, info__short_and_bad_buffers)
{
	static const struct { int level, opt; size_t size; } opts[] = {
		{ SOL_TCP, TCP_INFO, 0 },
		{ SOL_EDU, EDU_INFO, sizeof(struct edu_info) },
	};
	unsigned char buf[1024], zero[1024];
	struct edu_tcp_info ti;
	unsigned int i;
	socklen_t len;
	size_t size;
	int fd = edu_open(0), tcp = tcp_open();

	ASSERT_LE(0, fd);
	ASSERT_LE(0, tcp);
	memset(zero, 0xa5, sizeof(zero));
	for (i = 0; i < ARRAY_SIZE(opts); i++) {
		int level = opts[i].level, opt = opts[i].opt;

		/* TCP_INFO: the size of this kernel's struct tcp_info. */
		size = opts[i].size ?: (size_t)edu_tcp_info(tcp, &ti);
		/* A generous buffer: the whole struct, the rest untouched. */
		memset(buf, 0xa5, sizeof(buf));
		len = sizeof(buf);
		ASSERT_EQ(0, getsockopt(fd, level, opt, buf, &len));
		ASSERT_EQ(size, len);
		ASSERT_EQ(0, memcmp(buf + size, zero, sizeof(buf) - size));
		/* A short one: a prefix, the length says how much. */
		memset(buf, 0xa5, sizeof(buf));
		len = 5;
		ASSERT_EQ(0, getsockopt(fd, level, opt, buf, &len));
		ASSERT_EQ(5U, len);
		ASSERT_EQ(ST_CLOSE, buf[0]) TH_LOG("option %d", opt);
		ASSERT_EQ(0, memcmp(buf + 5, zero, sizeof(buf) - 5));
		/* Nothing at all. */
		len = 0;
		ASSERT_EQ(0, getsockopt(fd, level, opt, buf, &len));
		ASSERT_EQ(0U, len);
		/* A negative length, bad pointers. */
		len = -1;
		ASSERT_ERRNO(EINVAL, getsockopt(fd, level, opt, buf, &len));
		len = sizeof(buf);
		ASSERT_ERRNO(EFAULT, getsockopt(fd, level, opt, (void *)8,
						&len));
		ASSERT_ERRNO(EFAULT, getsockopt(fd, level, opt, buf,
						(socklen_t *)8));
		ASSERT_ERRNO(EFAULT, getsockopt(fd, level, opt, buf, NULL));
	}
	/* EDU_INFO is for reading; EDU_CC stays reserved. */
	ASSERT_ERRNO(ENOPROTOOPT, setsockopt(fd, SOL_EDU, EDU_INFO, buf, 8));
	len = sizeof(buf);
	ASSERT_ERRNO(ENOPROTOOPT, getsockopt(fd, SOL_EDU, EDU_CC, buf, &len));
}

/* ------------------------------------------------------------ EDU_INFO -- */

/*
 * EDU_INFO of both ends of an AF_EDU connection after a transfer each
 * way: each end's ISS is the other's IRS, SND.NXT the other's RCV.NXT, all
 * acknowledged, the queues empty; and each agrees with TCP_INFO and with
 * its own line of /proc/net/edu, column by column.
 */
TEST_F(edu, info__edu_info_agrees)
{
	enum { N = 100000, BACK = 5000 };
	struct edu_tcp_info tc;
	struct edu_info c, s;
	struct proc_cols pc;
	int cli, srv;

	edu_connect_pair(_metadata, self, EDU_LO, true, true, &cli, &srv);
	ASSERT_EQ(0, move_bytes(cli, srv, 3, N));
	ASSERT_EQ(0, move_bytes(srv, cli, 4, BACK));
	ASSERT_TRUE(wait_acked(cli, 2000));
	ASSERT_TRUE(wait_acked(srv, 2000));
	edu_msleep(100);
	ASSERT_EQ((int)sizeof(c), edu_info(cli, &c));
	ASSERT_EQ((int)sizeof(s), edu_info(srv, &s));

	ASSERT_EQ(ST_ESTABLISHED, c.state);
	ASSERT_EQ(ST_ESTABLISHED, s.state);
	ASSERT_EQ(c.iss, s.irs);
	ASSERT_EQ(s.iss, c.irs);
	ASSERT_EQ(c.iss + 1 + N, c.snd_una);
	ASSERT_EQ(c.snd_una, c.snd_nxt);
	ASSERT_EQ(c.snd_nxt, s.rcv_nxt);
	ASSERT_EQ(s.iss + 1 + BACK, s.snd_nxt);
	ASSERT_EQ(s.snd_nxt, c.rcv_nxt);
	ASSERT_EQ(s.snd_una, s.snd_nxt);
	/* The last window update came with the last ACK. */
	ASSERT_EQ(c.snd_una, c.snd_wl2);
	ASSERT_GE((unsigned int)BACK, c.rcv_nxt - c.snd_wl1);
	ASSERT_LT(0U, c.snd_wnd);
	ASSERT_LT(0U, c.rcv_wnd);
	/* Loopback's 65495, less the timestamps option every segment has. */
	ASSERT_EQ(65495U - 12, c.mss);
	ASSERT_EQ(65495U, c.advmss);
	/* The estimator and congestion control. */
	ASSERT_LT(0U, c.srtt_us);
	ASSERT_LT(0U, c.rtt_samples);
	ASSERT_LE(200U, c.rto_ms);
	ASSERT_EQ(0U, c.retransmits);
	ASSERT_EQ(0U, c.backoff);
	ASSERT_EQ(EDU_INFO_CA_OPEN, c.ca_state);
	ASSERT_LE(10U * c.mss, c.cwnd);
	ASSERT_EQ(0xffffffffU, c.ssthresh);
	ASSERT_EQ(0U, c.in_flight);
	/* Queues empty, counts consistent. */
	ASSERT_EQ(0U, c.snd_queue);
	ASSERT_EQ(0U, c.snd_unsent);
	ASSERT_EQ(0U, c.rcv_queue);
	ASSERT_EQ(0U, s.rcv_queue);
	ASSERT_EQ(0U, s.ofo_bytes);
	ASSERT_EQ(0U, s.ofo_segs);
	ASSERT_EQ(0U, c.retrans_segs);
	ASSERT_EQ(0U, c.rto_expiries);
	ASSERT_EQ(1ULL + N, c.bytes_acked);
	ASSERT_EQ((unsigned long long)BACK, s.bytes_acked);
	ASSERT_EQ((unsigned long long)N, s.bytes_received);
	ASSERT_EQ((unsigned long long)N, c.bytes_sent);
	ASSERT_EQ(0ULL, c.bytes_retrans);
	ASSERT_EQ(c.segs_out, s.segs_in);
	ASSERT_EQ(s.segs_out, c.segs_in);

	/* TCP_INFO says the same in its own units. */
	ASSERT_LT(0, edu_tcp_info(cli, &tc));
	ASSERT_EQ(c.state, tc.tcpi_state);
	ASSERT_EQ(c.mss, tc.tcpi_snd_mss);
	ASSERT_EQ(c.advmss, tc.tcpi_advmss);
	ASSERT_EQ(c.srtt_us, tc.tcpi_rtt);
	ASSERT_EQ(c.rttvar_us, tc.tcpi_rttvar);
	ASSERT_EQ(c.rto_ms * 1000, tc.tcpi_rto);
	ASSERT_EQ(c.cwnd / c.mss, tc.tcpi_snd_cwnd);
	ASSERT_EQ(c.snd_wnd, tc.tcpi_snd_wnd);
	ASSERT_EQ(c.bytes_acked, tc.tcpi_bytes_acked);
	ASSERT_EQ(c.bytes_received, tc.tcpi_bytes_received);
	ASSERT_EQ(c.bytes_sent, tc.tcpi_bytes_sent);
	ASSERT_EQ(c.segs_out, tc.tcpi_segs_out);
	ASSERT_EQ(c.segs_in, tc.tcpi_segs_in);
	ASSERT_EQ(c.data_segs_out, tc.tcpi_data_segs_out);
	ASSERT_EQ(c.data_segs_in, tc.tcpi_data_segs_in);
	ASSERT_EQ(c.retrans_segs, tc.tcpi_total_retrans);

	/* And /proc/net/edu, by the header's column names. */
	ASSERT_LT(0, proc_columns(edu_inode(cli), &pc));
	ASSERT_EQ(c.state, proc_col(&pc, "st", 16));
	ASSERT_EQ(c.snd_una, proc_col(&pc, "snd_una", 16));
	ASSERT_EQ(c.snd_nxt, proc_col(&pc, "snd_nxt", 16));
	ASSERT_EQ(c.rcv_nxt, proc_col(&pc, "rcv_nxt", 16));
	ASSERT_EQ(c.snd_wnd, proc_col(&pc, "snd_wnd", 10));
	ASSERT_EQ(c.rcv_wnd, proc_col(&pc, "rcv_wnd", 10));
	ASSERT_EQ(c.rto_ms, proc_col(&pc, "rto", 10));
	ASSERT_EQ(c.cwnd, proc_col(&pc, "cwnd", 10));
	ASSERT_EQ(c.ssthresh, proc_col(&pc, "ssthresh", 10));
	ASSERT_EQ(c.srtt_us, proc_col(&pc, "srtt", 10));
	ASSERT_EQ(c.retransmits, proc_col(&pc, "retrnsmt", 16));
	ASSERT_LT(0, proc_columns(edu_inode(srv), &pc));
	ASSERT_EQ(s.snd_nxt, proc_col(&pc, "snd_nxt", 16));
	ASSERT_EQ(s.rcv_nxt, proc_col(&pc, "rcv_nxt", 16));
	ASSERT_EQ(s.cwnd, proc_col(&pc, "cwnd", 10));
	ASSERT_EQ(s.srtt_us, proc_col(&pc, "srtt", 10));
}

/* ------------------------------------------------------ the close states -- */

/*
 * TCP_INFO and EDU_INFO follow a close step by step: the side that shuts
 * down first goes to FIN-WAIT-2, the other to CLOSE-WAIT; when the other
 * shuts down too, the first goes on as a TIME-WAIT record (the socket
 * shows CLOSE, as Linux's does) and the second ends in CLOSE once its FIN
 * is acknowledged.  CurrEstab counts ESTABLISHED and CLOSE-WAIT along.
 */
TEST_F(edu, info__close_states)
{
	struct edu_info ei;
	int cli, srv;

	ASSERT_EQ(0, edu_counter("CurrEstab"));
	edu_connect_pair(_metadata, self, EDU_LO, true, true, &cli, &srv);
	ASSERT_EQ(2, wait_curr_estab(2, 2000));
	ASSERT_EQ(ST_ESTABLISHED, tcp_state(cli));
	ASSERT_EQ(ST_ESTABLISHED, tcp_state(srv));

	ASSERT_EQ(0, shutdown(cli, SHUT_WR));
	ASSERT_TRUE(wait_state(cli, ST_FIN_WAIT2, 2000));
	ASSERT_TRUE(wait_state(srv, ST_CLOSE_WAIT, 2000));
	ASSERT_EQ((int)sizeof(ei), edu_info(cli, &ei));
	ASSERT_EQ(ST_FIN_WAIT2, ei.state);
	ASSERT_EQ(ei.iss + 2, ei.snd_una);	/* SYN and FIN acknowledged */
	ASSERT_EQ((int)sizeof(ei), edu_info(srv, &ei));
	ASSERT_EQ(ST_CLOSE_WAIT, ei.state);
	ASSERT_EQ(ei.irs + 2, ei.rcv_nxt);	/* SYN and FIN received */
	ASSERT_EQ(1, wait_curr_estab(1, 2000));

	ASSERT_EQ(0, shutdown(srv, SHUT_WR));
	ASSERT_TRUE(wait_state(srv, ST_CLOSE, 2000));
	ASSERT_TRUE(wait_state(cli, ST_CLOSE, 2000));
	ASSERT_EQ(1, edu_count("timewait"));
	ASSERT_EQ((int)sizeof(ei), edu_info(srv, &ei));
	ASSERT_EQ(ST_CLOSE, ei.state);
	ASSERT_EQ(ei.iss + 2, ei.snd_una);
	ASSERT_EQ(0, wait_curr_estab(0, 2000));
}

/*
 * CurrEstab counts the namespace's connections in ESTABLISHED and
 * CLOSE-WAIT, whoever the peer: children not yet accepted, and AF_EDU
 * ends of connections with kernel TCP (whose own ends it never counts).
 * Other namespaces have their own.
 */
TEST_F(edu, info__curr_estab)
{
	int l, port, a, b, c, d, tl, other;

	ASSERT_EQ(0, edu_counter("CurrEstab"));
	l = edu_open(0);
	ASSERT_LE(0, l);
	port = edu_listen_on(l, EDU_LOOPBACK, 8);
	ASSERT_LT(0, port);
	ASSERT_EQ(0, edu_counter("CurrEstab"));

	a = edu_open(0);
	ASSERT_LE(0, a);
	ASSERT_EQ(0, edu_connect_to(a, EDU_LOOPBACK, port));
	ASSERT_EQ(0, edu_wait(l, POLLIN, 5000));
	ASSERT_EQ(2, wait_curr_estab(2, 2000));	/* child not accepted */
	b = edu_track(accept(l, NULL, NULL));
	ASSERT_LE(0, b);
	ASSERT_EQ(2, edu_counter("CurrEstab"));

	c = tcp_open();				/* kernel TCP to AF_EDU */
	ASSERT_LE(0, c);
	ASSERT_EQ(0, edu_connect_to(c, EDU_LOOPBACK, port));
	ASSERT_EQ(3, wait_curr_estab(3, 2000));

	tl = tcp_open();			/* AF_EDU to kernel TCP */
	ASSERT_LE(0, tl);
	port = edu_listen_on(tl, EDU_LOOPBACK, 8);
	ASSERT_LT(0, port);
	d = edu_open(0);
	ASSERT_LE(0, d);
	ASSERT_EQ(0, edu_connect_to(d, EDU_LOOPBACK, port));
	ASSERT_EQ(4, wait_curr_estab(4, 2000));

	/* Another namespace: none of these. */
	other = edu_track(edu_veth_peer());
	ASSERT_LE(0, other);
	ASSERT_EQ(0, counter_in(other, "CurrEstab"));

	/* a half-closes: a leaves, b stays in CLOSE-WAIT. */
	ASSERT_EQ(0, shutdown(a, SHUT_WR));
	ASSERT_EQ(3, wait_curr_estab(3, 2000));
	/* An abort leaves at once; closing the rest empties it. */
	ASSERT_EQ(0, setsockopt(d, SOL_SOCKET, SO_LINGER,
				&(struct linger){ 1, 0 },
				sizeof(struct linger)));
	ASSERT_EQ(0, edu_close(d));
	ASSERT_EQ(2, edu_counter("CurrEstab"));
	ASSERT_EQ(0, edu_close(a));
	ASSERT_EQ(0, edu_close(b));
	ASSERT_EQ(0, edu_close(c));
	ASSERT_EQ(0, edu_close(l));
	ASSERT_EQ(0, wait_curr_estab(0, 2000));
}

/* ---------------------------------------------- retransmission, probes -- */

/*
 * A SYN nobody answers, AF_EDU beside kernel TCP: after the first
 * timeout both show one retransmission, the SYN unacknowledged and
 * retransmitted.  AF_EDU's RTO has doubled to 2 s, one backoff (Linux 6.12
 * keeps its first SYN timeouts at 1 s: tcp_syn_linear_timeouts).
 */
TEST_F(edu, info__syn_retransmission)
{
	struct edu_tcp_info ti, tt;
	struct edu_info ei;
	double end;
	int fd, tcp;

	ASSERT_EQ(0, edu_blackhole());
	fd = edu_open(SOCK_NONBLOCK);
	tcp = edu_track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	ASSERT_LE(0, fd);
	ASSERT_LE(0, tcp);
	ASSERT_ERRNO(EINPROGRESS, edu_connect_to(fd, EDU_BLACKHOLE, 9));
	ASSERT_ERRNO(EINPROGRESS, edu_connect_to(tcp, EDU_BLACKHOLE, 9));
	ASSERT_LT(0, edu_tcp_info(fd, &ti));
	ASSERT_EQ(ST_SYN_SENT, ti.tcpi_state);
	ASSERT_EQ(0U, ti.tcpi_retransmits);
	ASSERT_EQ(1U, ti.tcpi_unacked);
	ASSERT_EQ(1U, ti.tcpi_segs_out);

	/* The first expiry comes after 1 s, the second 2 s later. */
	end = edu_now() + 5;
	do {
		edu_msleep(50);
		ASSERT_LT(0, edu_tcp_info(fd, &ti));
		ASSERT_LT(0, edu_tcp_info(tcp, &tt));
	} while ((!ti.tcpi_retransmits || !tt.tcpi_retransmits) &&
		 edu_now() < end);
	ASSERT_EQ(1U, ti.tcpi_retransmits);
	ASSERT_EQ(tt.tcpi_retransmits, ti.tcpi_retransmits);
	ASSERT_EQ(1U, ti.tcpi_backoff);
	ASSERT_EQ(2000000U, ti.tcpi_rto);
	ASSERT_EQ(tt.tcpi_total_retrans, ti.tcpi_total_retrans);
	ASSERT_EQ(1U, ti.tcpi_total_retrans);
	ASSERT_EQ(tt.tcpi_unacked, ti.tcpi_unacked);
	ASSERT_EQ(tt.tcpi_retrans, ti.tcpi_retrans);
	ASSERT_EQ(tt.tcpi_segs_out, ti.tcpi_segs_out);
	ASSERT_EQ(0ULL, ti.tcpi_bytes_retrans);

	ASSERT_EQ((int)sizeof(ei), edu_info(fd, &ei));
	ASSERT_EQ(ST_SYN_SENT, ei.state);
	ASSERT_EQ(1U, ei.retransmits);
	ASSERT_EQ(1U, ei.backoff);
	ASSERT_EQ(1U, ei.rto_expiries);
	ASSERT_EQ(1U, ei.retrans_segs);
	ASSERT_EQ(2000U, ei.rto_ms);
	ASSERT_EQ(ei.iss, ei.snd_una);
	ASSERT_EQ(ei.iss + 1, ei.snd_nxt);
	ASSERT_EQ(1U, ei.snd_queue);	/* the SYN */
	ASSERT_EQ(1, edu_counter("RetransSegs"));
	ASSERT_EQ(1, edu_counter("RtoExpires"));
}

/*
 * A FIN held behind data that a zero window stops: the sender stays in
 * FIN-WAIT-1 and probes the window (RFC 9293 section 3.8.6.1), backing
 * off: TCP_INFO's tcpi_backoff grows, while tcpi_probes, the probes not
 * answered, is reset by each answer, as Linux's.  EDU_INFO and
 * ZeroWindowProbes count the probes.  Once the receiver reads,
 * everything goes, and the FIN: FIN-WAIT-2.
 */
TEST_F_TIMEOUT(edu, info__zero_window_fin_wait1, 60)
{
	static unsigned char buf[16384];
	struct edu_tcp_info ti;
	struct edu_info ei;
	long probes0, done = 0, got = 0, bad;
	double end;
	int l, port, cli, srv;
	ssize_t n;

	l = tcp_open();
	ASSERT_LE(0, l);
	ASSERT_EQ(0, edu_set_int(l, SOL_SOCKET, SO_RCVBUF, 4096));
	port = edu_listen_on(l, EDU_LOOPBACK, 1);
	ASSERT_LT(0, port);
	cli = edu_open(0);
	ASSERT_LE(0, cli);
	ASSERT_EQ(0, edu_set_int(cli, SOL_SOCKET, SO_SNDBUF, 65536));
	ASSERT_EQ(0, edu_connect_to(cli, EDU_LOOPBACK, port));
	srv = edu_track(accept(l, NULL, NULL));
	ASSERT_LE(0, srv);
	probes0 = edu_counter("ZeroWindowProbes");
	ASSERT_LE(0, probes0);

	/* Fill until send() would block, then ask for the FIN. */
	for (;;) {
		edu_pattern(6, done, buf, sizeof(buf));
		n = send(cli, buf, sizeof(buf), MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			ASSERT_EQ(EAGAIN, errno);
			break;
		}
		done += n;
	}
	ASSERT_EQ(0, shutdown(cli, SHUT_WR));

	/* Probes 0.2, 0.6, 1.4 s after the window closed (200 ms RTO). */
	end = edu_now() + 10;
	do {
		edu_msleep(50);
		ASSERT_LT(0, edu_tcp_info(cli, &ti));
	} while ((ti.tcpi_backoff < 2 ||
		  edu_counter("ZeroWindowProbes") - probes0 < 2) &&
		 edu_now() < end);
	ASSERT_EQ(ST_FIN_WAIT1, ti.tcpi_state);
	ASSERT_LE(2U, ti.tcpi_backoff);
	ASSERT_GE(1U, ti.tcpi_probes);		/* answered at once */
	ASSERT_EQ(0U, ti.tcpi_retransmits);
	ASSERT_EQ(0U, ti.tcpi_snd_wnd);
	ASSERT_EQ(0U, ti.tcpi_unacked);
	ASSERT_LT(0U, ti.tcpi_notsent_bytes);
	ASSERT_LE(2, edu_counter("ZeroWindowProbes") - probes0);
	ASSERT_EQ((int)sizeof(ei), edu_info(cli, &ei));
	ASSERT_EQ(ST_FIN_WAIT1, ei.state);
	ASSERT_EQ(0U, ei.snd_wnd);
	ASSERT_EQ(ei.snd_una, ei.snd_nxt);
	ASSERT_EQ(0U, ei.in_flight);
	ASSERT_LT(0U, ei.snd_unsent);
	ASSERT_EQ(ei.snd_unsent, ei.snd_queue);
	ASSERT_GE(1U, ei.retransmits);
	ASSERT_LE(2U, ei.backoff);
	ASSERT_EQ(0U, ei.probes);		/* no keepalive probes */
	ASSERT_LE(2U, ei.window_probes);
	ASSERT_LE((long)ei.window_probes,
		  edu_counter("ZeroWindowProbes") - probes0);
	/* What went in is what is acknowledged and what is left. */
	ASSERT_EQ((unsigned long long)done + 2, ei.bytes_acked + ei.snd_queue);

	/* The receiver reads: everything arrives, the FIN is acknowledged. */
	for (end = edu_now() + 20; edu_now() < end;) {
		ASSERT_EQ(0, edu_wait(srv, POLLIN, 5000));
		n = recv(srv, buf, sizeof(buf), 0);
		ASSERT_LE(0, n);
		if (!n)
			break;
		bad = edu_pattern_check(6, got, buf, n);
		ASSERT_EQ(-1, bad);
		got += n;
	}
	ASSERT_EQ(done, got);
	ASSERT_TRUE(wait_state(cli, ST_FIN_WAIT2, 2000));
	ASSERT_LT(0, edu_tcp_info(cli, &ti));
	ASSERT_EQ(0U, ti.tcpi_probes);
	ASSERT_EQ(0U, ti.tcpi_notsent_bytes);
	ASSERT_EQ((unsigned long long)done + 2, ti.tcpi_bytes_acked);
}

/*
 * Loss on the link from an AF_EDU sender to an AF_EDU receiver in another
 * namespace: the sender's retransmissions show alike in TCP_INFO,
 * EDU_INFO and its namespace's RetransSegs; every payload byte was sent
 * once new and then as often as retransmitted; the receiver saw segments
 * out of order, and counted them as its namespace's OfoQueue did, at
 * least; both ends' byte counts end at the stream's length.
 */
TEST_F_TIMEOUT(edu, info__loss, 120)
{
	enum { N = 1000000 };
	struct edu_tcp_info ct, st;
	struct edu_info c, s;
	long rtx0, ofo0;
	struct edu_pump snd, rcv;
	int ns, cli, srv;

	ns = edu_track(edu_veth_peer());
	ASSERT_LE(0, ns) TH_LOG("cannot set up the veth pair");
	ASSERT_EQ(0, edu_sh("tc qdisc add dev edu_h root netem loss 3%% limit 10000"));
	/* Before the SYN, which may be lost and sent again too. */
	rtx0 = edu_counter("RetransSegs");
	ofo0 = counter_in(ns, "OfoQueue");
	edu_connect_pair(_metadata, self, ns, true, true, &cli, &srv);

	ASSERT_EQ(0, edu_pump_start(&snd, EDU_PUMP_SEND, cli, 7, N));
	ASSERT_EQ(0, edu_pump_start(&rcv, EDU_PUMP_RECV, srv, 7, 0));
	ASSERT_EQ(0, pthread_join(snd.thread, NULL));
	ASSERT_EQ(0, pthread_join(rcv.thread, NULL));
	ASSERT_EQ((long)N, snd.done);
	ASSERT_EQ((long)N, rcv.done) TH_LOG("byte %ld wrong", rcv.bad);
	ASSERT_TRUE(wait_state(cli, ST_FIN_WAIT2, 10000));
	edu_msleep(100);

	ASSERT_LT(0, edu_tcp_info(cli, &ct));
	ASSERT_LT(0, edu_tcp_info(srv, &st));
	ASSERT_EQ((int)sizeof(c), edu_info(cli, &c));
	ASSERT_EQ((int)sizeof(s), edu_info(srv, &s));
	TH_LOG("%u retransmissions (%u timeouts), %u segments out of order",
	       c.retrans_segs, c.rto_expiries, s.ofo_segs_in);
	ASSERT_LT(0U, c.retrans_segs);
	ASSERT_EQ(c.retrans_segs, ct.tcpi_total_retrans);
	ASSERT_EQ(c.retrans_segs, edu_counter("RetransSegs") - rtx0);
	ASSERT_EQ(c.bytes_retrans, ct.tcpi_bytes_retrans);
	ASSERT_LT(0ULL, c.bytes_retrans);
	ASSERT_EQ((unsigned long long)N + c.bytes_retrans, c.bytes_sent);
	ASSERT_EQ(c.bytes_sent, ct.tcpi_bytes_sent);
	ASSERT_EQ(2ULL + N, c.bytes_acked);
	ASSERT_EQ(1ULL + N, s.bytes_received);
	ASSERT_LT(0U, s.ofo_segs_in);
	ASSERT_EQ(s.ofo_segs_in, st.tcpi_rcv_ooopack);
	ASSERT_GE((long)s.ofo_segs_in, counter_in(ns, "OfoQueue") - ofo0);
	ASSERT_LT(0, counter_in(ns, "OfoQueue") - ofo0);
	/* Segments out: each new one once, plus the retransmissions. */
	ASSERT_LE(c.data_segs_out, s.data_segs_in + c.retrans_segs);
	ASSERT_LT(s.data_segs_in, c.data_segs_out);
	/*
	 * A lossless close: were the last ACK of the receiver's FIN lost,
	 * this namespace (and the veth) could be gone before the FIN came
	 * again, leaving the receiver an orphan that retransmits into no
	 * route for orphan_retries (about 100 s), as Linux's would.
	 */
	ASSERT_EQ(0, edu_sh("tc qdisc del dev edu_h root"));
}

TEST_HARNESS_MAIN
