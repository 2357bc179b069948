// SPDX-License-Identifier: GPL-2.0
/*
 * netem_test.c - transfers over a hostile link: the veth pair between two
 * namespaces with a netem qdisc on both ends, so that segments and ACKs
 * alike are lost (1%, 5%, 20%), delayed with jitter, reordered, duplicated,
 * corrupted, or all of that at once.
 *
 * Each condition is one case, and moves in turn: AF_EDU -> kernel TCP,
 * kernel TCP -> AF_EDU, and AF_EDU <-> AF_EDU in full duplex (both ends
 * send and receive at once).  Every byte is checked where it lands
 * (edu_pattern()); that, and every transfer ending with its FIN, is the
 * pass/fail.  Each one is repeated with kernel TCP at both ends on the same
 * link, as the reference, and the times of both are printed in a table,
 * per case and again for the whole run at its end.  The times are figures
 * to compare, never a threshold: a transfer fails only if its bytes are
 * wrong, or if it makes no progress for EDU_STALL_MS.
 */
#include <sys/mman.h>

/*
 * Under 20% loss both ways a retransmission and its ACK both get through
 * only two times in three, and each failure doubles the timeout: gaps of
 * tens of seconds happen to kernel TCP too.  A stall is a failure only
 * after two minutes.
 */
#define EDU_STALL_MS	120000
/*
 * The last FINs cross the lossy link too: kernel TCP's orphans may keep
 * the namespaces, and with them AF_EDU's TIME-WAIT records, for a while;
 * the records end on their own after 60 s.
 */
#define EDU_SETTLE_MS	70000

#include "kselftest_harness.h"
#include "edu_test.h"

#define KB		1024

/*
 * Waiting for the handshake: under 20% loss the SYN, SYN-ACK or the ACK
 * may be lost several times in a row, and the retransmissions back off
 * (1 s, 2 s, 4 s...).
 */
#define SETUP_MS	60000

struct cond {
	const char *name;	/* as the table shows it */
	const char *netem;	/* the arguments of "tc qdisc add ... netem" */
	bool csum_sw;		/* checksums computed and verified in software */
	size_t len;		/* bytes per transfer (each way in duplex) */
};

/*
 * The limit of 10000 packets (netem's default is 1000) keeps netem's own
 * queue from overflowing under the 50 ms delays, so only the impairments
 * asked for happen.
 *
 * Jitter reorders too: netem sends each packet at its own randomly delayed
 * time, so one that drew a shorter delay overtakes the ones before it.
 */
static const struct cond loss1 = {
	"loss 1%", "limit 10000 loss 1%", false, 1024 * KB,
};

static const struct cond loss5 = {
	"loss 5%", "limit 10000 loss 5%", false, 512 * KB,
};

/*
 * At 20% both ways a kernel TCP sender facing AF_EDU, which has neither
 * SACK nor timestamps yet, gets no RTT sample from ACKs of retransmitted
 * data and keeps its RTO backed off for tens of seconds: few segments, so
 * that few losses have to be waited out.
 */
static const struct cond loss20 = {
	"loss 20%", "limit 10000 loss 20%", false, 32 * KB,
};

static const struct cond delay = {
	"delay 50ms+-10ms", "limit 10000 delay 50ms 10ms", false, 512 * KB,
};

/* netem reorders only delayed traffic: 25% (correlated 50%) go at once. */
static const struct cond reorder = {
	"reorder 25%", "limit 10000 delay 10ms reorder 25% 50%", false,
	512 * KB,
};

static const struct cond duplicate = {
	"duplicate 5%", "limit 10000 duplicate 5%", false, 1024 * KB,
};

static const struct cond corrupt = {
	"corrupt 1%", "limit 10000 corrupt 1%", true, 1024 * KB,
};

static const struct cond all = {
	"all at once",
	"limit 10000 delay 50ms 10ms reorder 25% 50% loss 5% duplicate 5% corrupt 1%",
	true, 256 * KB,
};

/* --------------------------------------------------------- the table -- */

enum dir { EDU_TO_TCP, TCP_TO_EDU, EDU_DUPLEX, __DIR_MAX };

static const char * const dir_name[__DIR_MAX] = {
	[EDU_TO_TCP] = "AF_EDU -> TCP",
	[TCP_TO_EDU] = "TCP -> AF_EDU",
	[EDU_DUPLEX] = "AF_EDU <-> AF_EDU",
};

struct row {
	const char *cond;
	enum dir dir;
	size_t len;
	double edu_secs, tcp_secs;	/* < 0: did not complete */
	long retrans;			/* AF_EDU's RetransSegs, both ends */
};

#define MAX_ROWS	64

/*
 * Shared with the processes the cases run in, so that the harness's
 * process can print every case's rows at the end.
 */
static struct {
	int n;
	struct row rows[MAX_ROWS];
} *table;

static pid_t main_pid;

static void __attribute__((constructor)) table_init(void)
{
	void *p = mmap(NULL, sizeof(*table), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	main_pid = getpid();
	table = p == MAP_FAILED ? NULL : p;
	if (table)
		table->n = 0;
}

static void print_header(void)
{
	ksft_print_msg("%-17s %-18s %8s %9s %9s %8s\n", "condition",
		       "direction", "bytes", "AF_EDU s", "TCP s",
		       "retrans");
	fflush(stdout);
}

static void print_secs(char *buf, size_t n, double secs)
{
	if (secs < 0)
		snprintf(buf, n, "FAIL");
	else
		snprintf(buf, n, "%.2f", secs);
}

static void print_row(const struct row *r)
{
	char edu[16], tcp[16];

	print_secs(edu, sizeof(edu), r->edu_secs);
	print_secs(tcp, sizeof(tcp), r->tcp_secs);
	ksft_print_msg("%-17s %-18s %8zu %9s %9s %8ld\n", r->cond,
		       dir_name[r->dir], r->len, edu, tcp, r->retrans);
	/* The cases end with _exit(): nothing buffered may stay behind. */
	fflush(stdout);
}

static void __attribute__((destructor)) table_print(void)
{
	int i;

	if (!table || getpid() != main_pid || !table->n)
		return;
	ksft_print_msg("netem matrix: seconds per transfer %s\n",
		       "(duplex: until both directions are done)");
	print_header();
	for (i = 0; i < table->n && i < MAX_ROWS; i++)
		print_row(&table->rows[i]);
}

static void record(const struct row *r)
{
	print_row(r);
	if (table && table->n < MAX_ROWS)
		table->rows[table->n++] = *r;
}

/* ------------------------------------------------------------- helpers -- */

/* The same counter summed over this namespace and the peer's @ns. */
static long snmp_both(int ns, const char *name)
{
	int here = edu_netns_open();
	long val = edu_counter(name);

	if (here < 0)
		return -1;
	if (!setns(ns, CLONE_NEWNET)) {
		val += edu_counter(name);
		if (setns(here, CLONE_NEWNET))
			abort();	/* lost in the other namespace */
	}
	close(here);
	return val;
}

/* Checksums computed in full by the sender, verified by the receiver. */
#define OFFLOAD_OFF(dev)	"ethtool -K " dev " tx off rx off >/dev/null"

/*
 * The veth pair with netem on both of its ends, so that the data and the
 * ACKs are impaired alike.  Returns the peer namespace's fd.
 */
static int hostile_link(struct __test_metadata *_metadata,
			struct _test_data_edu *self, const struct cond *c)
{
	int ns = edu_track(edu_veth_peer());
	char peer[64];

	ASSERT_LE(0, ns) TH_LOG("cannot set up the veth pair");
	snprintf(peer, sizeof(peer), "nsenter --net=/proc/%d/fd/%d",
		 getpid(), ns);
	/*
	 * netem corrupt flips a bit anywhere in the frame; the receiver
	 * must find it by the checksum.  On veth, a segment the sending
	 * stack leaves to checksum offload arrives marked
	 * CHECKSUM_PARTIAL, and the receiving stack takes it as good
	 * without computing anything (nothing on the way is supposed to
	 * alter it), so a bit netem flipped in it could pass unnoticed.
	 * With tx offload off on both ends every checksum is computed in
	 * full by the sender and verified in software by the receiver
	 * (CHECKSUM_NONE), as on a real wire, and a corrupted segment is
	 * really detected and dropped.
	 */
	if (c->csum_sw) {
		ASSERT_EQ(0, edu_sh("%s && %s %s", OFFLOAD_OFF("edu_h"),
				    peer, OFFLOAD_OFF("edu_p")));
	}
	ASSERT_EQ(0, edu_sh("%s edu_h root netem %s && %s %s edu_p root netem %s",
			    "tc qdisc add dev", c->netem, peer,
			    "tc qdisc add dev", c->netem))
		TH_LOG("tc netem %s failed", c->netem);
	TH_LOG("%s: netem %s on both ends%s", c->name, c->netem,
	       c->csum_sw ? ", checksums in software" : "");
	return ns;
}

/*
 * A connection from a client in this namespace to a server in the peer's
 * @ns, as edu_connect_pair() but waiting long enough for a handshake
 * through the impairments.
 */
static void pair(struct __test_metadata *_metadata,
		 struct _test_data_edu *self, int ns, bool cli_edu,
		 bool srv_edu, int *cli, int *srv)
{
	int lfd, port;

	lfd = edu_open_in(ns, srv_edu);
	ASSERT_LE(0, lfd);
	port = edu_listen_on(lfd, EDU_VETH_PEER, 8);
	ASSERT_LT(0, port) TH_LOG("%s listen: %s", edu_family_name(srv_edu),
				  strerror(errno));
	*cli = cli_edu ? edu_open(0) : tcp_open();
	ASSERT_LE(0, *cli);
	ASSERT_EQ(0, edu_connect_to(*cli, EDU_VETH_PEER, port))
		TH_LOG("%s connect to %s: %s", edu_family_name(cli_edu),
		       edu_family_name(srv_edu), strerror(errno));
	ASSERT_EQ(0, edu_wait(lfd, POLLIN, SETUP_MS))
		TH_LOG("%s: no connection to accept", edu_family_name(srv_edu));
	*srv = edu_track(accept(lfd, NULL, NULL));
	ASSERT_LE(0, *srv) TH_LOG("accept: %s", strerror(errno));
	edu_close(lfd);
}

/* Join a pump; false (with the reason logged) unless it moved @len intact. */
static bool pump_ok(struct __test_metadata *_metadata, struct edu_pump *p,
		    size_t len, const char *what)
{
	const char *dir = p->dir == EDU_PUMP_SEND ? "send" : "receive";

	if (pthread_join(p->thread, NULL)) {
		TH_LOG("%s: cannot join the %s thread", what, dir);
		return false;
	}
	if (p->done == -2) {
		TH_LOG("%s: %s: byte %ld is wrong", what, dir, p->bad);
		return false;
	}
	if (p->done != (long)len) {
		TH_LOG("%s: %s: %ld of %zu bytes, then %s", what, dir,
		       p->done < 0 ? 0 : p->done, len, strerror(p->err));
		return false;
	}
	return true;
}

/*
 * One transfer from a client (AF_EDU if @cli_edu) to a server (AF_EDU if
 * @srv_edu), or both ways at once if @duplex.  Returns the seconds until
 * the last byte and FIN arrived, checked; -1 if they did not.
 */
static double run(struct __test_metadata *_metadata,
		  struct _test_data_edu *self, int ns, bool cli_edu,
		  bool srv_edu, bool duplex, size_t len)
{
	unsigned int seed = len * 31 + cli_edu * 2 + srv_edu;
	struct edu_pump p[4];
	char what[64];
	double secs, t0;
	int cli = -1, srv = -1, i, n = duplex ? 4 : 2;
	bool ok = true;

	snprintf(what, sizeof(what), "%s %s %s", edu_family_name(cli_edu),
		 duplex ? "<->" : "->", edu_family_name(srv_edu));
	t0 = edu_now();
	pair(_metadata, self, ns, cli_edu, srv_edu, &cli, &srv);
	if (getenv("NETEM_DEBUG"))
		TH_LOG("%s: connected in %.2f s", what, edu_now() - t0);
	/* The receivers first, so each clock starts before the data. */
	ASSERT_EQ(0, edu_pump_start(&p[0], EDU_PUMP_RECV, srv, seed, 0));
	if (duplex)
		ASSERT_EQ(0, edu_pump_start(&p[2], EDU_PUMP_RECV, cli,
					    seed + 1, 0));
	ASSERT_EQ(0, edu_pump_start(&p[1], EDU_PUMP_SEND, cli, seed, len));
	if (duplex)
		ASSERT_EQ(0, edu_pump_start(&p[3], EDU_PUMP_SEND, srv,
					    seed + 1, len));
	/* Join them all, whatever happens, before the sockets close. */
	for (i = 0; i < n; i++)
		if (!pump_ok(_metadata, &p[i], len, what))
			ok = false;
	secs = p[0].secs;
	if (duplex && p[2].secs > secs)
		secs = p[2].secs;
	if (!ok)
		edu_dump(ns);
	t0 = edu_now();
	edu_close(cli);
	edu_close(srv);
	/*
	 * The closing handshake crosses the impaired link too: let AF_EDU's
	 * orphans finish while their peer is still there to answer, so the
	 * next transfer, and the teardown's count, start from nothing.
	 */
	while (edu_sockets() > 0 && edu_now() - t0 < 60)
		edu_msleep(100);
	if (getenv("NETEM_DEBUG"))
		TH_LOG("%s: closed in %.2f s", what, edu_now() - t0);
	return ok ? secs : -1;
}

/*
 * Everything one condition runs: each direction with AF_EDU, then with
 * kernel TCP at both ends on the same link.  Rows are printed as they
 * come; a failed transfer fails the case after its row.
 */
static void matrix(struct __test_metadata *_metadata,
		   struct _test_data_edu *self, const struct cond *c)
{
	static const bool cli_edu[__DIR_MAX] = { true, false, true };
	static const bool srv_edu[__DIR_MAX] = { false, true, true };
	int ns = hostile_link(_metadata, self, c);
	struct row r;
	long before;
	int d;

	print_header();
	for (d = 0; d < __DIR_MAX; d++) {
		memset(&r, 0, sizeof(r));
		r.cond = c->name;
		r.dir = d;
		r.len = c->len;
		before = snmp_both(ns, "RetransSegs");
		r.edu_secs = run(_metadata, self, ns, cli_edu[d], srv_edu[d],
				 d == EDU_DUPLEX, c->len);
		r.retrans = snmp_both(ns, "RetransSegs") - before;
		r.tcp_secs = run(_metadata, self, ns, false, false,
				 d == EDU_DUPLEX, c->len);
		record(&r);
		ASSERT_LE(0, r.edu_secs)
			TH_LOG("%s, %s: the transfer failed", c->name,
			       dir_name[d]);
		ASSERT_LE(0, r.tcp_secs)
			TH_LOG("%s, %s: the kernel TCP reference failed",
			       c->name, dir_name[d]);
	}
}

/*
 * The harness's limit per case is generous (six transfers, each through
 * a handshake that may back off for seconds); what fails a transfer is a
 * stall of EDU_STALL_MS or a wrong byte, never its speed.
 */
TEST_F_TIMEOUT(edu, netem__loss_1pct, 180)
{
	matrix(_metadata, self, &loss1);
}

TEST_F_TIMEOUT(edu, netem__loss_5pct, 180)
{
	matrix(_metadata, self, &loss5);
}

TEST_F_TIMEOUT(edu, netem__loss_20pct, 600)
{
	matrix(_metadata, self, &loss20);
}

TEST_F_TIMEOUT(edu, netem__delay_jitter, 180)
{
	matrix(_metadata, self, &delay);
}

TEST_F_TIMEOUT(edu, netem__reorder, 180)
{
	matrix(_metadata, self, &reorder);
}

TEST_F_TIMEOUT(edu, netem__duplicate, 180)
{
	matrix(_metadata, self, &duplicate);
}

TEST_F_TIMEOUT(edu, netem__corrupt, 180)
{
	matrix(_metadata, self, &corrupt);
}

TEST_F_TIMEOUT(edu, netem__all, 600)
{
	matrix(_metadata, self, &all);
}

TEST_HARNESS_MAIN
