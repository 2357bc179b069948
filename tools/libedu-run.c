// SPDX-License-Identifier: GPL-2.0
/*
 * libedu-run.so - the preload library behind tools/edu-run: makes the TCP
 * sockets of an unmodified, dynamically linked program AF_EDU sockets.
 *
 * Only socket() is changed.  An IPv4 stream socket for TCP becomes
 *
 *	socket(AF_EDU, type, EDUPROTO_TCP)
 *
 * with the caller's SOCK_NONBLOCK and SOCK_CLOEXEC flags.  Nothing else
 * needs translating: AF_EDU takes the usual struct sockaddr_in and answers
 * the usual SOL_SOCKET and SOL_TCP options, so bind(), connect(), accept(),
 * poll() and the rest reach the module unchanged, and accepted sockets of
 * an AF_EDU listener are AF_EDU already.  Everything else (UDP, AF_UNIX,
 * raw, MPTCP...) passes through untouched.  IPv6 stream sockets stay
 * kernel TCP for now: AF_EDU answers EDUPROTO_TCP6 with EPROTONOSUPPORT.
 *
 * setsockopt() and getsockopt() are wrapped to name, under
 * EDU_RUN_DEBUG=1, the options AF_EDU does not support (ENOPROTOOPT), so
 * the gaps a real program runs into can be found; the call and its errno
 * are passed through unchanged.  One option is translated: where the
 * kernel's socket core refuses SO_REUSEPORT to AF_EDU (EOPNOTSUPP, Linux
 * 6.1; 6.12 lets the module answer it), it is set again as SOL_EDU's
 * EDU_REUSEPORT, which is the same.
 *
 * Environment (the first two are set by tools/edu-run):
 *	EDU_RUN_FAMILY=N	the family number of the module (family=N)
 *	EDU_RUN_VERBOSE=1	print each converted socket on stderr (-v)
 *	EDU_RUN_DEBUG=1		that, and IPv6 pass-throughs and ENOPROTOOPTs
 *	EDU_RUN_FALLBACK=1	without the module, use kernel TCP
 *
 * Calls that are not converted must stay as cheap as without the library:
 * they take no lock and allocate nothing.  The configuration is read once
 * (pthread_once: after the first call, a plain load), and messages are
 * formatted on the stack and written with a single write(2), so that lines
 * from concurrent threads do not interleave.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/edu.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

typedef int socket_fn(int domain, int type, int protocol);
typedef int setsockopt_fn(int fd, int level, int name, const void *val,
			  socklen_t len);
typedef int getsockopt_fn(int fd, int level, int name, void *val,
			  socklen_t *len);

static struct {
	socket_fn *socket;
	setsockopt_fn *setsockopt;
	getsockopt_fn *getsockopt;
	int family;
	bool verbose, debug, fallback;
} conf;

static pthread_once_t conf_once = PTHREAD_ONCE_INIT;

/* Set once AF_EDU turned out to be missing: report (or fall back) once. */
static int edu_missing;

/* One line on stderr, "edu-run[PID]: ...", errno preserved. */
static void say(const char *fmt, ...)
{
	int saved = errno, n;
	char line[256];
	va_list ap;

	n = snprintf(line, sizeof(line), "edu-run[%d]: ", (int)getpid());
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	line[n++] = '\n';
	/* A failed write to stderr has nowhere left to be reported. */
	n = write(STDERR_FILENO, line, n);
	errno = saved;
}

static bool env_set(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0");
}

static void conf_init(void)
{
	const char *family = getenv("EDU_RUN_FAMILY");

	/* The next definitions in the search order: normally libc's. */
	conf.socket = (socket_fn *)dlsym(RTLD_NEXT, "socket");
	conf.setsockopt = (setsockopt_fn *)dlsym(RTLD_NEXT, "setsockopt");
	conf.getsockopt = (getsockopt_fn *)dlsym(RTLD_NEXT, "getsockopt");
	if (!conf.socket || !conf.setsockopt || !conf.getsockopt) {
		say("no socket functions to wrap: %s", dlerror());
		_exit(127);
	}
	conf.family = family && *family ? atoi(family) : AF_EDU;
	conf.debug = env_set("EDU_RUN_DEBUG");
	conf.verbose = conf.debug || env_set("EDU_RUN_VERBOSE");
	conf.fallback = env_set("EDU_RUN_FALLBACK");
}

/*
 * Another library's constructor may create a socket before ours has run,
 * so every wrapper makes sure of the configuration; this one only brings
 * the dlsym() calls forward, before the program starts its threads.
 */
static void __attribute__((constructor)) edu_run_init(void)
{
	pthread_once(&conf_once, conf_init);
}

static const char *type_name(int type)
{
	static const char * const names[] = {
		"SOCK_STREAM", "SOCK_STREAM|SOCK_CLOEXEC",
		"SOCK_STREAM|SOCK_NONBLOCK", "SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC",
	};

	return names[!!(type & SOCK_CLOEXEC) + 2 * !!(type & SOCK_NONBLOCK)];
}

/* The module could not make the socket: say so, or use kernel TCP. */
static int edu_unavailable(int domain, int type, int protocol)
{
	bool first = !__atomic_exchange_n(&edu_missing, 1, __ATOMIC_RELAXED);

	if (conf.fallback) {
		if (first)
			say("AF_EDU (family %d) is not available; EDU_RUN_FALLBACK=1: kernel TCP",
			    conf.family);
		return conf.socket(domain, type, protocol);
	}
	/* Never silently: the program must not seem to run over AF_EDU. */
	if (first)
		say("AF_EDU (family %d) is not available: is the edu module loaded?",
		    conf.family);
	errno = EAFNOSUPPORT;
	return -1;
}

int socket(int domain, int type, int protocol)
{
	int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	bool tcp = base == SOCK_STREAM &&
		   (protocol == 0 || protocol == IPPROTO_TCP);
	int fd;

	pthread_once(&conf_once, conf_init);
	if (!tcp || (domain != AF_INET && domain != AF_INET6))
		return conf.socket(domain, type, protocol);

	if (domain == AF_INET6) {
		if (conf.debug)
			say("AF_INET6 %s stays kernel TCP: AF_EDU has no IPv6 yet",
			    type_name(type));
		return conf.socket(domain, type, protocol);
	}

	/*
	 * Without the module, each socket(AF_EDU) makes the kernel run
	 * modprobe for net-pf-N again: once that has failed under fallback,
	 * go to kernel TCP directly.
	 */
	if (conf.fallback && __atomic_load_n(&edu_missing, __ATOMIC_RELAXED))
		return conf.socket(domain, type, protocol);

	fd = conf.socket(conf.family, type, EDUPROTO_TCP);
	if (fd < 0 && errno == EAFNOSUPPORT)
		return edu_unavailable(domain, type, protocol);
	if (fd >= 0 && conf.verbose)
		say("fd %d is AF_EDU (asked for AF_INET, %s, protocol %d)",
		    fd, type_name(type), protocol);
	return fd;
}

/* Names of the options real programs set, for the EDU_RUN_DEBUG lines. */
#define OPT(level, name) { level, name, #name }
static const struct {
	int level, name;
	const char *str;
} opt_names[] = {
	OPT(SOL_SOCKET, SO_REUSEADDR), OPT(SOL_SOCKET, SO_REUSEPORT),
	OPT(SOL_SOCKET, SO_KEEPALIVE), OPT(SOL_SOCKET, SO_LINGER),
	OPT(SOL_SOCKET, SO_SNDBUF), OPT(SOL_SOCKET, SO_RCVBUF),
	OPT(SOL_SOCKET, SO_SNDBUFFORCE), OPT(SOL_SOCKET, SO_RCVBUFFORCE),
	OPT(SOL_SOCKET, SO_SNDLOWAT), OPT(SOL_SOCKET, SO_RCVLOWAT),
	OPT(SOL_SOCKET, SO_SNDTIMEO), OPT(SOL_SOCKET, SO_RCVTIMEO),
	OPT(SOL_SOCKET, SO_ERROR), OPT(SOL_SOCKET, SO_TYPE),
	OPT(SOL_SOCKET, SO_PRIORITY), OPT(SOL_SOCKET, SO_MARK),
	OPT(SOL_SOCKET, SO_BINDTODEVICE), OPT(SOL_SOCKET, SO_OOBINLINE),
	OPT(SOL_SOCKET, SO_TIMESTAMP), OPT(SOL_SOCKET, SO_TIMESTAMPING),
	OPT(SOL_SOCKET, SO_BUSY_POLL), OPT(SOL_SOCKET, SO_INCOMING_CPU),
	OPT(SOL_SOCKET, SO_ZEROCOPY), OPT(SOL_SOCKET, SO_MAX_PACING_RATE),
	OPT(SOL_SOCKET, SO_ATTACH_FILTER), OPT(SOL_SOCKET, SO_PEERCRED),
	OPT(IPPROTO_TCP, TCP_NODELAY), OPT(IPPROTO_TCP, TCP_MAXSEG),
	OPT(IPPROTO_TCP, TCP_CORK), OPT(IPPROTO_TCP, TCP_KEEPIDLE),
	OPT(IPPROTO_TCP, TCP_KEEPINTVL), OPT(IPPROTO_TCP, TCP_KEEPCNT),
	OPT(IPPROTO_TCP, TCP_SYNCNT), OPT(IPPROTO_TCP, TCP_LINGER2),
	OPT(IPPROTO_TCP, TCP_DEFER_ACCEPT), OPT(IPPROTO_TCP, TCP_WINDOW_CLAMP),
	OPT(IPPROTO_TCP, TCP_INFO), OPT(IPPROTO_TCP, TCP_QUICKACK),
	OPT(IPPROTO_TCP, TCP_CONGESTION), OPT(IPPROTO_TCP, TCP_MD5SIG),
	OPT(IPPROTO_TCP, TCP_USER_TIMEOUT), OPT(IPPROTO_TCP, TCP_FASTOPEN),
	OPT(IPPROTO_TCP, TCP_FASTOPEN_CONNECT), OPT(IPPROTO_TCP, TCP_NOTSENT_LOWAT),
	OPT(IPPROTO_TCP, TCP_CC_INFO), OPT(IPPROTO_TCP, TCP_ULP),
	OPT(IPPROTO_TCP, TCP_INQ), OPT(IPPROTO_TCP, TCP_TX_DELAY),
	OPT(IPPROTO_IP, IP_TOS), OPT(IPPROTO_IP, IP_TTL),
	OPT(IPPROTO_IP, IP_OPTIONS), OPT(IPPROTO_IP, IP_RECVERR),
	OPT(IPPROTO_IP, IP_MTU_DISCOVER), OPT(IPPROTO_IP, IP_MTU),
	OPT(IPPROTO_IP, IP_FREEBIND), OPT(IPPROTO_IP, IP_TRANSPARENT),
	OPT(IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT),
	OPT(IPPROTO_IPV6, IPV6_V6ONLY),
};

static const char *level_name(int level)
{
	switch (level) {
	case SOL_SOCKET:
		return "SOL_SOCKET";
	case IPPROTO_TCP:
		return "SOL_TCP";
	case IPPROTO_IP:
		return "SOL_IP";
	case IPPROTO_IPV6:
		return "SOL_IPV6";
	case SOL_EDU:
		return "SOL_EDU";
	}
	return NULL;
}

/* Is @fd an AF_EDU socket?  Leaves errno as it was. */
static bool is_edu(int fd)
{
	int saved = errno, domain = -1;
	socklen_t len = sizeof(domain);
	bool edu;

	edu = !conf.getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) &&
	      domain == conf.family;
	errno = saved;
	return edu;
}

/*
 * Name an option a converted socket refused with ENOPROTOOPT.  Only failed
 * calls get here, so asking the socket its family costs nothing otherwise;
 * it also covers accepted sockets, which socket() never saw.  Not every
 * line is a gap: kernel TCP refuses some options too (SOL_IPV6 ones on an
 * IPv4 socket, say), and the program sees the same errno it would there.
 */
static void report_option(const char *call, int fd, int level, int name)
{
	const char *lstr = level_name(level), *nstr = NULL;
	char lbuf[16], nbuf[16];
	int saved = errno;
	size_t i;

	if (!is_edu(fd))
		return;
	for (i = 0; i < ARRAY_SIZE(opt_names); i++)
		if (opt_names[i].level == level && opt_names[i].name == name)
			nstr = opt_names[i].str;
	if (!lstr) {
		snprintf(lbuf, sizeof(lbuf), "%d", level);
		lstr = lbuf;
	}
	if (!nstr) {
		snprintf(nbuf, sizeof(nbuf), "%d", name);
		nstr = nbuf;
	}
	say("%s(fd %d, %s, %s): ENOPROTOOPT from AF_EDU",
	    call, fd, lstr, nstr);
	errno = saved;
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	int ret;

	pthread_once(&conf_once, conf_init);
	ret = conf.setsockopt(fd, level, name, val, len);
	if (ret < 0 && errno == EOPNOTSUPP && level == SOL_SOCKET &&
	    name == SO_REUSEPORT && is_edu(fd))
		ret = conf.setsockopt(fd, SOL_EDU, EDU_REUSEPORT, val, len);
	if (ret < 0 && errno == ENOPROTOOPT && conf.debug)
		report_option("setsockopt", fd, level, name);
	return ret;
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	int ret;

	pthread_once(&conf_once, conf_init);
	ret = conf.getsockopt(fd, level, name, val, len);
	if (ret < 0 && errno == ENOPROTOOPT && conf.debug)
		report_option("getsockopt", fd, level, name);
	return ret;
}
