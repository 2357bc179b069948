/* SPDX-License-Identifier: GPL-2.0 */
/*
 * edu_test.h - helpers shared by the AF_EDU kselftests.
 *
 * Every test case runs on the "edu" fixture defined here: its setup moves
 * the test into a fresh network namespace (so ports and /proc/net/edu hold
 * only what the case made) and checks that the module's live-object counts
 * start at zero.  The case runs in a child process; its teardown runs in
 * the parent once that child has exited, so every socket the case opened
 * is closed and its network namespaces are gone (which purges TIME-WAIT
 * records), and checks that every count in /sys/kernel/edu/objects is back
 * to zero, so a leak fails the case that caused it.
 *
 * Include after kselftest_harness.h.
 */
#ifndef EDU_TEST_H
#define EDU_TEST_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/edu.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define EDU_SYSFS_OBJECTS	"/sys/kernel/edu/objects/"
#define EDU_PROC		"/proc/net/edu"
#define EDU_NOBODY		65534U

/* The header of /proc/net/tcp, which /proc/net/edu repeats. */
#define EDU_PROC_HEADER \
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"

/* TCP states as /proc/net/tcp shows them (include/net/tcp_states.h). */
#define EDU_ST_CLOSE	0x07U
#define EDU_ST_LISTEN	0x0AU

#define EDU_MAX_FDS	512

/* Read a live-object count; -1 if the file cannot be read. */
static inline long edu_count(const char *name)
{
	char path[128], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), EDU_SYSFS_OBJECTS "%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

static inline long edu_sockets(void)
{
	return edu_count("sockets");
}

static inline long edu_ports(void)
{
	return edu_count("ports");
}

static inline void edu_msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static inline double edu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Wait up to a second for both counts to reach zero.  Closing an
 * unconnected socket frees it at once; the wait only covers a release that
 * another CPU may still be finishing.
 */
static inline bool edu_counts_settle_zero(void)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (edu_sockets() == 0 && edu_ports() == 0)
			return true;
		edu_msleep(10);
	}
	return false;
}

/* Read the first line of a small file of numbers into @v (up to @n). */
static inline int edu_read_ints(const char *path, int *v, int n)
{
	FILE *f = fopen(path, "r");
	int i;

	if (!f)
		return -1;
	for (i = 0; i < n; i++)
		if (fscanf(f, "%d", &v[i]) != 1)
			break;
	fclose(f);
	return i;
}

static inline void edu_local_port_range(int *lo, int *hi)
{
	int v[2] = { 32768, 60999 };

	edu_read_ints("/proc/sys/net/ipv4/ip_local_port_range", v, 2);
	*lo = v[0];
	*hi = v[1];
}

static inline int edu_unprivileged_port_start(void)
{
	int v = 1024;

	edu_read_ints("/proc/sys/net/ipv4/ip_unprivileged_port_start", &v, 1);
	return v;
}

static inline struct sockaddr_in edu_sin(const char *addr, unsigned short port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	inet_pton(AF_INET, addr, &sin.sin_addr);
	return sin;
}

static inline int edu_bind_to(int fd, const char *addr, unsigned short port)
{
	struct sockaddr_in sin = edu_sin(addr, port);

	return bind(fd, (struct sockaddr *)&sin, sizeof(sin));
}

/* The local port of @fd in host order, or -1. */
static inline int edu_local_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (getsockname(fd, (struct sockaddr *)&sin, &len))
		return -1;
	return ntohs(sin.sin_port);
}

static inline int edu_set_int(int fd, int level, int opt, int val)
{
	return setsockopt(fd, level, opt, &val, sizeof(val));
}

/*
 * A kernel TCP socket bound to @addr:@port (optionally with SO_REUSEADDR);
 * returns the fd, or -1 with errno from bind().
 */
static inline int edu_tcp_bound(const char *addr, unsigned short port,
				bool reuse)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int err;

	if (fd < 0)
		return -1;
	if (reuse)
		edu_set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (edu_bind_to(fd, addr, port)) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/*
 * A port that nothing in this namespace holds right now: kernel TCP picks
 * it, and gives it back at once (an unconnected socket leaves no TIME_WAIT).
 */
static inline int edu_free_port(void)
{
	int fd = edu_tcp_bound("0.0.0.0", 0, false);
	int port;

	if (fd < 0)
		return -1;
	port = edu_local_port(fd);
	close(fd);
	return port;
}

/* A free port below ip_unprivileged_port_start, or -1. */
static inline int edu_free_privileged_port(void)
{
	int port = edu_unprivileged_port_start() - 1;
	int fd;

	for (; port >= 600; port--) {
		fd = edu_tcp_bound("0.0.0.0", port, false);
		if (fd >= 0) {
			close(fd);
			return port;
		}
	}
	return -1;
}

/* Bring up the loopback device of the current namespace. */
static inline int edu_lo_up(void)
{
	struct ifreq ifr;
	int fd, ret;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	ret = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (!ret && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		ret = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return ret;
}

/* Enter a new network namespace with loopback up. */
static inline int edu_new_netns(void)
{
	if (unshare(CLONE_NEWNET))
		return -1;
	return edu_lo_up();
}

/* Become the unprivileged user "nobody" (drops every capability). */
static inline int edu_drop_privs(void)
{
	if (setgroups(0, NULL) ||
	    setresgid(EDU_NOBODY, EDU_NOBODY, EDU_NOBODY) ||
	    setresuid(EDU_NOBODY, EDU_NOBODY, EDU_NOBODY))
		return -1;
	return 0;
}

/* One line of /proc/net/edu, parsed. */
struct edu_proc_line {
	int sl;
	unsigned int laddr, raddr;		/* as the kernel prints a __be32 */
	unsigned int lport, rport;
	unsigned int st;
	unsigned int tx_queue, rx_queue;
	unsigned int tr;
	unsigned long when;
	unsigned int retrnsmt;
	unsigned int uid;
	int timeout;
	unsigned long inode;
	char raw[512];
};

static inline bool edu_proc_parse(const char *s, struct edu_proc_line *l)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->raw, sizeof(l->raw), "%s", s);
	l->raw[strcspn(l->raw, "\n")] = '\0';
	return sscanf(s, "%d: %8X:%4X %8X:%4X %2X %8X:%8X %2X:%8lX %8X %u %d %lu",
		      &l->sl, &l->laddr, &l->lport, &l->raddr, &l->rport,
		      &l->st, &l->tx_queue, &l->rx_queue, &l->tr, &l->when,
		      &l->retrnsmt, &l->uid, &l->timeout, &l->inode) == 14;
}

/*
 * Find the line of the socket with inode @ino in @path (/proc/net/edu, or
 * another namespace's /proc/PID/net/edu).  Returns 1 and fills @out when
 * found, 0 when not, -1 when the file cannot be read or a line is
 * malformed.
 */
static inline int edu_proc_find(const char *path, unsigned long ino,
				struct edu_proc_line *out)
{
	struct edu_proc_line l;
	char buf[512];
	int ret = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f)) {	/* the header */
		fclose(f);
		return -1;
	}
	while (fgets(buf, sizeof(buf), f)) {
		if (!edu_proc_parse(buf, &l)) {
			ret = -1;
			break;
		}
		if (l.inode == ino) {
			if (out)
				*out = l;
			ret = 1;
			break;
		}
	}
	fclose(f);
	return ret;
}

/* The number of socket lines in @path, or -1. */
static inline int edu_proc_count(const char *path)
{
	char buf[512];
	int n = -1;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f))
		n++;
	fclose(f);
	return n;
}

static inline unsigned long edu_inode(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return 0;
	return st.st_ino;
}

/* ------------------------------------------------------------ fixture -- */

/*
 * The fixture every case uses.  Sockets the case opens through edu_open()
 * or edu_track() are remembered for edu_close(); whatever way the case
 * ends, its process exits and that closes them all.
 */
static inline bool edu_objects_settle_zero(char *which, size_t n, int ms);

/*
 * How long the teardown waits for the objects to go.  A TIME-WAIT record
 * goes with its namespace, which kernel TCP's orphans still closing keep
 * alive: a test whose link loses FINs may wait for the record's 60 s.
 */
#ifndef EDU_SETTLE_MS
#define EDU_SETTLE_MS	5000
#endif

FIXTURE(edu) {
	int fds[EDU_MAX_FDS];
	int nfds;
	pid_t case_pid;		/* the process the case runs in */
	int orig_netns;		/* its namespace before setup, in that process */
};

FIXTURE_SETUP(edu)
{
	char which[256];

	self->nfds = 0;
	self->case_pid = getpid();
	self->orig_netns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->orig_netns);
	ASSERT_EQ(0, edu_new_netns()) {
		TH_LOG("cannot enter a new network namespace: %s",
		       strerror(errno));
	}
	/* Counts are module-wide: nonzero here means an earlier case leaked. */
	edu_counts_settle_zero();
	ASSERT_EQ(0, edu_sockets()) TH_LOG("sockets count not 0 at start");
	ASSERT_EQ(0, edu_ports()) TH_LOG("ports count not 0 at start");
	ASSERT_TRUE(edu_objects_settle_zero(which, sizeof(which), 0))
		TH_LOG("objects not 0 at start:%s", which);
}

/*
 * Run in the parent, after the case's process has exited: its sockets are
 * closed and its network namespaces are being destroyed (asynchronously,
 * by the kernel's cleanup_net work).  Connections that close actively end
 * in TIME-WAIT, which only the namespace's destruction purges, so the
 * counts get a few seconds to settle.
 */
FIXTURE_TEARDOWN_PARENT(edu)
{
	char which[256];
	double t0;

	if (getpid() == self->case_pid) {
		/*
		 * After a failed ASSERT the harness can lose track of which
		 * process it is in (its "child" is not volatile across the
		 * longjmp) and run this in the case's own process: do what
		 * its exit would, close everything and leave the namespace.
		 */
		if (setns(self->orig_netns, CLONE_NEWNET))
			TH_LOG("cannot leave the namespace: %s",
			       strerror(errno));
		close_range(3, ~0U, 0);
	}
	t0 = edu_now();
	/*
	 * Not EXPECT_*(): a failed ASSERT in the case's process leaves the
	 * shared _metadata->trigger set, and their TH_LOG would then print
	 * whatever the outcome here.
	 */
	if (!edu_objects_settle_zero(which, sizeof(which), EDU_SETTLE_MS)) {
		TH_LOG("AF_EDU objects leaked (still there after %.1f s):%s",
		       edu_now() - t0, which);
		_metadata->exit_code = KSFT_FAIL;
	}
}

/*
 * struct _test_data_edu is what the harness's FIXTURE_DATA(edu) names.
 * Remember @fd for the teardown; returns @fd.
 */
static inline int __edu_track(struct _test_data_edu *self, int fd)
{
	if (fd >= 0 && self->nfds < EDU_MAX_FDS)
		self->fds[self->nfds++] = fd;
	return fd;
}

/* Close @fd now (and forget it), e.g. to check what closing frees. */
static inline int __edu_close(struct _test_data_edu *self, int fd)
{
	int i;

	for (i = 0; i < self->nfds; i++)
		if (self->fds[i] == fd)
			self->fds[i] = -1;
	return close(fd);
}

#define edu_track(fd)		__edu_track(self, (fd))
#define edu_close(fd)		__edu_close(self, (fd))
/* socket(AF_EDU, SOCK_STREAM | @flags, EDUPROTO_TCP), tracked. */
#define edu_open(flags) \
	edu_track(socket(AF_EDU, SOCK_STREAM | (flags), EDUPROTO_TCP))
/* A kernel TCP socket, tracked. */
#define tcp_open()		edu_track(socket(AF_INET, SOCK_STREAM, 0))

/* Assert that a call fails with @err. */
#define ASSERT_ERRNO(err, call) do {					\
	errno = 0;							\
	ASSERT_EQ(-1, (long)(call));					\
	ASSERT_EQ(err, errno) TH_LOG("%s: errno %d (%s), expected %s",	\
				     #call, errno, strerror(errno), #err); \
} while (0)

#define EXPECT_ERRNO(err, call) do {					\
	errno = 0;							\
	EXPECT_EQ(-1, (long)(call));					\
	EXPECT_EQ(err, errno) TH_LOG("%s: errno %d (%s), expected %s",	\
				     #call, errno, strerror(errno), #err); \
} while (0)

/* Assert the live counts (sockets, ports) right now. */
#define ASSERT_COUNTS(nsock, nport) do {				\
	ASSERT_EQ(nsock, edu_sockets());				\
	ASSERT_EQ(nport, edu_ports());					\
} while (0)

/* ----------------------------------------- connections and transfers -- */

#include <dirent.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <sys/uio.h>
#include <sys/wait.h>

/* TCP states as /proc/net/tcp shows them, for connections. */
#define EDU_ST_ESTABLISHED	0x01U
#define EDU_ST_SYN_SENT		0x02U
#define EDU_ST_FIN_WAIT1	0x04U
#define EDU_ST_FIN_WAIT2	0x05U
#define EDU_ST_TIME_WAIT	0x06U
#define EDU_ST_CLOSE_WAIT	0x08U
#define EDU_ST_LAST_ACK		0x09U

/* The veth pair between the case's namespace and a peer namespace. */
#define EDU_VETH_HERE		"10.0.1.1"
#define EDU_VETH_PEER		"10.0.1.2"
/* An address whose packets a dummy device swallows (edu_blackhole()). */
#define EDU_BLACKHOLE		"10.0.9.2"

/*
 * Check every count in /sys/kernel/edu/objects (whatever objects the
 * module counts) until all are zero, for up to @ms milliseconds.  On
 * failure @which lists the nonzero ones (" name=count...").
 */
static inline bool edu_objects_settle_zero(char *which, size_t n, int ms)
{
	double end = edu_now() + ms / 1000.0;
	struct dirent *de;
	char name[64];
	size_t used;
	bool zero;
	long v;
	DIR *d;

	for (;;) {
		which[0] = '\0';
		used = 0;
		zero = true;
		d = opendir(EDU_SYSFS_OBJECTS);
		if (!d) {
			snprintf(which, n, " (cannot read %s)",
				 EDU_SYSFS_OBJECTS);
			return false;
		}
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(name, sizeof(name), "%.63s", de->d_name);
			v = edu_count(name);
			if (v == 0)
				continue;
			zero = false;
			if (used < n)
				used += snprintf(which + used, n - used,
						 " %s=%ld", name, v);
		}
		closedir(d);
		if (zero || edu_now() >= end)
			return zero;
		edu_msleep(10);
	}
}

/* Run a shell command line (printf format); 0 if it exited with 0. */
static inline int edu_sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static inline int edu_connect_to(int fd, const char *addr, unsigned short port)
{
	struct sockaddr_in sin = edu_sin(addr, port);

	return connect(fd, (struct sockaddr *)&sin, sizeof(sin));
}

/* Bind @fd to @addr:0 and listen; returns the port, or -1. */
static inline int edu_listen_on(int fd, const char *addr, int backlog)
{
	if (edu_bind_to(fd, addr, 0) || listen(fd, backlog))
		return -1;
	return edu_local_port(fd);
}

/* The peer's port of @fd in host order, or -1. */
static inline int edu_peer_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (getpeername(fd, (struct sockaddr *)&sin, &len))
		return -1;
	return ntohs(sin.sin_port);
}

static inline int edu_get_int(int fd, int level, int opt)
{
	socklen_t len = sizeof(int);
	int val = -1;

	if (getsockopt(fd, level, opt, &val, &len))
		return -1;
	return val;
}

static inline int edu_so_error(int fd)
{
	return edu_get_int(fd, SOL_SOCKET, SO_ERROR);
}

/* poll() one fd for @events; returns revents, 0 on timeout, -1 on error. */
static inline int edu_poll1(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n = poll(&p, 1, ms);

	return n < 0 ? -1 : n ? p.revents : 0;
}

/*
 * The stream every transfer sends: byte @off of the stream with @seed.
 * splitmix64 of the 8-byte word index, so any window can be made (and
 * checked) without the ones before it.
 */
static inline unsigned long long edu_mix64(unsigned long long x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static inline void edu_pattern(unsigned int seed, unsigned long long off, void *buf,
			       size_t len)
{
	unsigned char *p = buf;
	unsigned long long w = 0, idx = ULLONG_MAX;
	size_t i;

	for (i = 0; i < len; i++, off++) {
		if (off / 8 != idx) {
			idx = off / 8;
			w = edu_mix64(idx ^ ((unsigned long long)seed << 40));
		}
		p[i] = w >> (8 * (off % 8));
	}
}

/* Offset of the first byte of @buf that is not the stream's, or -1. */
static inline long edu_pattern_check(unsigned int seed, unsigned long long off,
				     const void *buf, size_t len)
{
	unsigned char want[4096];
	const unsigned char *p = buf;
	size_t i, k, n;

	for (i = 0; i < len; i += n) {
		n = len - i < sizeof(want) ? len - i : sizeof(want);
		edu_pattern(seed, off + i, want, n);
		if (memcmp(want, p + i, n))
			for (k = 0; k < n; k++)
				if (want[k] != p[i + k])
					return i + k;
	}
	return -1;
}

/*
 * Wait up to @ms for @fd to be ready for @events; 0 when it is, -1 with
 * errno ETIMEDOUT (or poll's) when not.  Keeps a broken peer from hanging
 * a case until the harness kills it.
 */
static inline int edu_wait(int fd, short events, int ms)
{
	int r = edu_poll1(fd, events, ms);

	if (r > 0)
		return 0;
	if (!r)
		errno = ETIMEDOUT;
	return -1;
}

/*
 * A counter of the calling thread's namespace's /proc/net/edu_snmp, by
 * name; -1 if there is none.
 */
static inline long edu_counter(const char *name)
{
	char names[2048], values[2048], *n, *v, *sn, *sv;
	FILE *f = fopen("/proc/net/edu_snmp", "r");
	long ret = -1;

	if (!f)
		return -1;
	if (fgets(names, sizeof(names), f) && fgets(values, sizeof(values), f)) {
		n = strtok_r(names, "\n ", &sn);
		v = strtok_r(values, "\n ", &sv);
		while (n && v) {
			if (!strcmp(n, name))
				ret = atol(v);
			n = strtok_r(NULL, "\n ", &sn);
			v = strtok_r(NULL, "\n ", &sv);
		}
	}
	fclose(f);
	return ret;
}

/* No progress for this long: a failure.  A test may set its own first. */
#ifndef EDU_STALL_MS
#define EDU_STALL_MS	20000
#endif

/*
 * Write bytes *@off up to @end of stream @seed to @fd, in chunks of up to
 * @chunk bytes, advancing *@off.  Before each chunk waits up to @wait_ms
 * for room (0: not at all).  Returns 0 once *@off reaches @end; -1 on an
 * error, with errno (EAGAIN: no room in time, told apart from the
 * socket's own errors such as a TCP_USER_TIMEOUT's ETIMEDOUT).
 */
static inline int edu_send_range(int fd, unsigned int seed, size_t *off,
				 size_t end, size_t chunk, int wait_ms)
{
	static __thread unsigned char buf[65536];
	size_t n;
	ssize_t w;

	if (chunk > sizeof(buf))
		chunk = sizeof(buf);
	while (*off < end) {
		n = end - *off < chunk ? end - *off : chunk;
		edu_pattern(seed, *off, buf, n);
		if (wait_ms && !edu_poll1(fd, POLLOUT, wait_ms)) {
			errno = EAGAIN;
			return -1;
		}
		w = send(fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR || (errno == EAGAIN && wait_ms))
				continue;
			return -1;
		}
		*off += w;
	}
	return 0;
}

/*
 * Write @len bytes of stream @seed to @fd in chunks of up to @chunk bytes.
 * Returns the bytes written; less than @len with errno set on an error.
 */
static inline size_t edu_send_stream(int fd, unsigned int seed, size_t len,
				     size_t chunk)
{
	size_t done = 0;

	edu_send_range(fd, seed, &done, len, chunk, EDU_STALL_MS);
	return done;
}

/*
 * Read stream @seed from @fd until EOF, checking every byte.  Returns the
 * bytes read; -1 with errno on a read error; -2 if a byte was wrong, its
 * offset in *@bad.
 */
static inline long edu_recv_stream(int fd, unsigned int seed, long *bad)
{
	static __thread unsigned char buf[65536];
	long done = 0, off;
	ssize_t r;

	*bad = -1;
	for (;;) {
		if (edu_wait(fd, POLLIN, EDU_STALL_MS))
			return -1;
		r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		if (!r)
			return done;
		off = edu_pattern_check(seed, done, buf, r);
		if (off >= 0) {
			*bad = done + off;
			return -2;
		}
		done += r;
	}
}

/*
 * One side of a transfer, run in a thread: sends @len bytes of stream
 * @seed and shuts down writing (EDU_PUMP_SEND), or reads and checks until
 * EOF (EDU_PUMP_RECV).
 */
enum edu_pump_dir { EDU_PUMP_SEND, EDU_PUMP_RECV };

struct edu_pump {
	pthread_t thread;
	enum edu_pump_dir dir;
	int fd;
	unsigned int seed;
	size_t len, chunk;
	long done, bad;
	int err;
	double secs;
};

static inline void *edu_pump_fn(void *arg)
{
	struct edu_pump *p = arg;
	double t0 = edu_now();

	errno = 0;
	if (p->dir == EDU_PUMP_SEND) {
		p->done = edu_send_stream(p->fd, p->seed, p->len,
					  p->chunk ? p->chunk : 65536);
		p->err = errno;
		if ((size_t)p->done == p->len && shutdown(p->fd, SHUT_WR))
			p->err = errno;
	} else {
		p->done = edu_recv_stream(p->fd, p->seed, &p->bad);
		p->err = errno;
	}
	p->secs = edu_now() - t0;
	return NULL;
}

static inline int edu_pump_start(struct edu_pump *p, enum edu_pump_dir dir,
				 int fd, unsigned int seed, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->dir = dir;
	p->fd = fd;
	p->seed = seed;
	p->len = len;
	p->bad = -1;
	return pthread_create(&p->thread, NULL, edu_pump_fn, p);
}

/* The network namespace the calling thread is in, as an fd. */
static inline int edu_netns_open(void)
{
	return open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
}

/*
 * socket(@domain, @type, @proto) in the namespace @nsfd; the calling
 * thread is back in its own namespace afterwards.
 */
static inline int edu_socket_in(int nsfd, int domain, int type, int proto)
{
	int here = edu_netns_open();
	int fd, err;

	if (here < 0)
		return -1;
	if (setns(nsfd, CLONE_NEWNET)) {
		close(here);
		return -1;
	}
	fd = socket(domain, type, proto);
	err = errno;
	if (setns(here, CLONE_NEWNET)) {
		/* Lost in the other namespace: nothing sensible to go on. */
		perror("setns back");
		abort();
	}
	close(here);
	errno = err;
	return fd;
}

/*
 * Make a peer network namespace joined to the current one by a veth pair:
 * here edu_h (EDU_VETH_HERE/24), there edu_p (EDU_VETH_PEER/24), both up,
 * loopback up there too.  Returns an fd of the peer namespace (which keeps
 * it alive; it dies with the case's process), or -1.
 */
static inline int edu_veth_peer(void)
{
	int here = edu_netns_open();
	int peer = -1, ok;

	if (here < 0)
		return -1;
	if (unshare(CLONE_NEWNET) || edu_lo_up())
		goto out;
	peer = edu_netns_open();
	if (peer < 0)
		goto out;
	if (setns(here, CLONE_NEWNET)) {
		perror("setns back");
		abort();
	}
	ok = !edu_sh("ip link add edu_h type veth peer name edu_p netns /proc/%d/fd/%d",
		     getpid(), peer) &&
	     !edu_sh("ip addr add %s/24 dev edu_h && ip link set edu_h up",
		     EDU_VETH_HERE);
	if (ok) {
		if (setns(peer, CLONE_NEWNET)) {
			perror("setns peer");
			abort();
		}
		ok = !edu_sh("ip addr add %s/24 dev edu_p && ip link set edu_p up",
			     EDU_VETH_PEER);
	}
	if (setns(here, CLONE_NEWNET)) {
		perror("setns back");
		abort();
	}
	if (ok)
		ok = !edu_sh("ping -q -c 1 -W 5 %s >/dev/null", EDU_VETH_PEER);
	if (!ok) {
		close(peer);
		peer = -1;
	}
out:
	close(here);
	return peer;
}

/*
 * A dummy device on 10.0.9.1/24: packets to EDU_BLACKHOLE are routed to it
 * and silently dropped (it has no ARP), so a SYN there is never answered.
 */
static inline int edu_blackhole(void)
{
	return edu_sh("ip link add edu_bh type dummy && %s && %s",
		      "ip addr add 10.0.9.1/24 dev edu_bh",
		      "ip link set edu_bh up");
}

/* A tracked socket in namespace @nsfd: AF_EDU if @edu, else kernel TCP. */
static inline int __edu_open_in(struct _test_data_edu *self, int nsfd,
				bool edu)
{
	if (edu)
		return __edu_track(self, edu_socket_in(nsfd, AF_EDU,
						       SOCK_STREAM,
						       EDUPROTO_TCP));
	return __edu_track(self, edu_socket_in(nsfd, AF_INET, SOCK_STREAM, 0));
}

#define edu_open_in(nsfd, edu)	__edu_open_in(self, (nsfd), (edu))

/*
 * After a failure: the connections and counters of both ends, and the
 * kernel log's tail, for the report.
 */
static inline void edu_dump(int ns)
{
	char peer[64];

	snprintf(peer, sizeof(peer), "nsenter --net=/proc/%d/fd/%d",
		 getpid(), ns);
	fflush(stdout);
	edu_sh("{ echo here:; %s; echo peer:; %s %s; dmesg | tail -20; } | %s",
	       "cat /proc/net/edu /proc/net/edu_snmp", peer,
	       "cat /proc/net/edu /proc/net/edu_snmp", "sed 's/^/# /' >&2");
}

#define EDU_LOOPBACK	"127.0.0.1"
#define EDU_LO		-1	/* no peer namespace: over loopback */

static inline const char *edu_family_name(bool edu)
{
	return edu ? "AF_EDU" : "TCP";
}

/*
 * A connection from a client (AF_EDU if @cli_edu) in the case's namespace
 * to a server (AF_EDU if @srv_edu), over loopback, or, if @ns is a peer
 * namespace from edu_veth_peer(), with the server there, over the veth.
 * Both ends are tracked; the listener is closed again.
 */
static inline void edu_connect_pair(struct __test_metadata *_metadata,
				    struct _test_data_edu *self, int ns,
				    bool cli_edu, bool srv_edu, int *cli,
				    int *srv)
{
	const char *addr = ns >= 0 ? EDU_VETH_PEER : EDU_LOOPBACK;
	int lfd, port;

	if (ns >= 0)
		lfd = __edu_open_in(self, ns, srv_edu);
	else if (srv_edu)
		lfd = __edu_track(self, socket(AF_EDU, SOCK_STREAM,
					       EDUPROTO_TCP));
	else
		lfd = __edu_track(self, socket(AF_INET, SOCK_STREAM, 0));
	ASSERT_LE(0, lfd);
	port = edu_listen_on(lfd, addr, 8);
	ASSERT_LT(0, port) TH_LOG("%s listen: %s", edu_family_name(srv_edu),
				  strerror(errno));
	if (cli_edu)
		*cli = __edu_track(self, socket(AF_EDU, SOCK_STREAM,
						EDUPROTO_TCP));
	else
		*cli = __edu_track(self, socket(AF_INET, SOCK_STREAM, 0));
	ASSERT_LE(0, *cli);
	ASSERT_EQ(0, edu_connect_to(*cli, addr, port))
		TH_LOG("%s connect to %s: %s", edu_family_name(cli_edu),
		       edu_family_name(srv_edu), strerror(errno));
	ASSERT_EQ(0, edu_wait(lfd, POLLIN, 5000));
	*srv = __edu_track(self, accept(lfd, NULL, NULL));
	ASSERT_LE(0, *srv) TH_LOG("accept: %s", strerror(errno));
	__edu_close(self, lfd);
}

/*
 * Linux's struct tcp_info as 6.12 lays it out (include/uapi/linux/tcp.h).
 * glibc's <netinet/tcp.h> stops at tcpi_total_retrans and the system's
 * <linux/tcp.h> clashes with it, so the tests have their own copy; the kernel
 * fills as much of it as its own struct has (6.1 stops at tcpi_snd_wnd).
 */
struct edu_tcp_info {
	__u8	tcpi_state;
	__u8	tcpi_ca_state;
	__u8	tcpi_retransmits;
	__u8	tcpi_probes;
	__u8	tcpi_backoff;
	__u8	tcpi_options;
	__u8	tcpi_snd_wscale : 4, tcpi_rcv_wscale : 4;
	__u8	tcpi_delivery_rate_app_limited:1, tcpi_fastopen_client_fail:2;
	__u32	tcpi_rto;
	__u32	tcpi_ato;
	__u32	tcpi_snd_mss;
	__u32	tcpi_rcv_mss;
	__u32	tcpi_unacked;
	__u32	tcpi_sacked;
	__u32	tcpi_lost;
	__u32	tcpi_retrans;
	__u32	tcpi_fackets;
	__u32	tcpi_last_data_sent;
	__u32	tcpi_last_ack_sent;
	__u32	tcpi_last_data_recv;
	__u32	tcpi_last_ack_recv;
	__u32	tcpi_pmtu;
	__u32	tcpi_rcv_ssthresh;
	__u32	tcpi_rtt;
	__u32	tcpi_rttvar;
	__u32	tcpi_snd_ssthresh;
	__u32	tcpi_snd_cwnd;
	__u32	tcpi_advmss;
	__u32	tcpi_reordering;
	__u32	tcpi_rcv_rtt;
	__u32	tcpi_rcv_space;
	__u32	tcpi_total_retrans;
	__u64	tcpi_pacing_rate;
	__u64	tcpi_max_pacing_rate;
	__u64	tcpi_bytes_acked;
	__u64	tcpi_bytes_received;
	__u32	tcpi_segs_out;
	__u32	tcpi_segs_in;
	__u32	tcpi_notsent_bytes;
	__u32	tcpi_min_rtt;
	__u32	tcpi_data_segs_in;
	__u32	tcpi_data_segs_out;
	__u64	tcpi_delivery_rate;
	__u64	tcpi_busy_time;
	__u64	tcpi_rwnd_limited;
	__u64	tcpi_sndbuf_limited;
	__u32	tcpi_delivered;
	__u32	tcpi_delivered_ce;
	__u64	tcpi_bytes_sent;
	__u64	tcpi_bytes_retrans;
	__u32	tcpi_dsack_dups;
	__u32	tcpi_reord_seen;
	__u32	tcpi_rcv_ooopack;
	__u32	tcpi_snd_wnd;
	__u32	tcpi_rcv_wnd;
	__u32	tcpi_rehash;
	__u16	tcpi_total_rto;
	__u16	tcpi_total_rto_recoveries;
	__u32	tcpi_total_rto_time;
};

/* TCP_INFO of @fd into @ti; returns the length the kernel copied, or -1. */
static inline int edu_tcp_info(int fd, struct edu_tcp_info *ti)
{
	socklen_t len = sizeof(*ti);

	memset(ti, 0, sizeof(*ti));
	if (getsockopt(fd, SOL_TCP, TCP_INFO, ti, &len))
		return -1;
	return len;
}

#endif /* EDU_TEST_H */
