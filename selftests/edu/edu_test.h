/* SPDX-License-Identifier: GPL-2.0 */
/*
 * edu_test.h - helpers shared by the AF_EDU kselftests.
 *
 * Every test case runs on the "edu" fixture defined here: its setup moves
 * the test into a fresh network namespace (so ports and /proc/net/edu hold
 * only what the case made) and checks that the module's live-object counts
 * start at zero; its teardown closes every socket the case opened and
 * checks that the counts are back to zero, so a leak fails the case that
 * caused it.
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
 * or edu_track() are closed by the teardown, whatever way the case ends.
 */
FIXTURE(edu) {
	int fds[EDU_MAX_FDS];
	int nfds;
};

FIXTURE_SETUP(edu)
{
	self->nfds = 0;
	ASSERT_EQ(0, edu_new_netns()) {
		TH_LOG("cannot enter a new network namespace: %s",
		       strerror(errno));
	}
	/* Counts are module-wide: nonzero here means an earlier case leaked. */
	edu_counts_settle_zero();
	ASSERT_EQ(0, edu_sockets()) TH_LOG("sockets count not 0 at start");
	ASSERT_EQ(0, edu_ports()) TH_LOG("ports count not 0 at start");
}

FIXTURE_TEARDOWN(edu)
{
	int i;

	for (i = 0; i < self->nfds; i++)
		if (self->fds[i] >= 0)
			close(self->fds[i]);
	self->nfds = 0;
	edu_counts_settle_zero();
	EXPECT_EQ(0, edu_sockets()) TH_LOG("AF_EDU sockets leaked");
	EXPECT_EQ(0, edu_ports()) TH_LOG("AF_EDU ports leaked");
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

#endif /* EDU_TEST_H */
