// SPDX-License-Identifier: GPL-2.0
/*
 * edurun_probe.c - a helper of edurun_test.sh, not a test.  It makes
 * sockets through libc's socket(), as any program does, and prints what
 * the kernel says they are, so the test can compare a run under edu-run
 * with a plain one.
 *
 *   edurun_probe SPEC...
 *	a socket per SPEC, FAMILY:TYPE:PROTO[:OPT], made and closed in turn;
 *	prints a line for each, "domain=D type=T protocol=P nonblock=0|1
 *	cloexec=0|1" from SO_DOMAIN, SO_TYPE, SO_PROTOCOL and fcntl(), or
 *	"error=ENAME".  FAMILY: inet, inet6, unix; TYPE: stream, dgram,
 *	seqpacket or raw, +nonblock, +cloexec; PROTO: a number, tcp, udp,
 *	sctp or mptcp.  With OPT (tcp_info, or tcp.N for SOL_TCP option N)
 *	the line ends " getsockopt=ok|ENAME" for getsockopt(SOL_TCP, OPT);
 *	with OPT reuseport, " reuseport=V|ENAME": setsockopt(SO_REUSEPORT, 1)
 *	and what getsockopt(SO_REUSEPORT) then says.
 *   edurun_probe threads N M
 *	N threads, released at once, each make M IPv4 TCP sockets and keep
 *	them open until all are made; prints "sockets=N*M family=F fds=K"
 *	if every socket has the same family F and K distinct descriptors,
 *	else the first anomaly, and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

static int sockopt(int fd, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	return getsockopt(fd, SOL_SOCKET, name, &v, &len) ? -1 : v;
}

/* Make the socket SPEC describes, print one line; 2 if SPEC is bad. */
static int probe_one(char *spec)
{
	char *family = strsep(&spec, ":"), *types = strsep(&spec, ":");
	char *protocol = strsep(&spec, ":"), *option = spec, *t;
	int domain, type = 0, proto, fd, opt = -1;

	if (!types || !protocol)
		return 2;
	if (!strcmp(family, "inet"))
		domain = AF_INET;
	else if (!strcmp(family, "inet6"))
		domain = AF_INET6;
	else if (!strcmp(family, "unix"))
		domain = AF_UNIX;
	else
		return 2;
	while ((t = strsep(&types, "+"))) {
		if (!strcmp(t, "stream"))
			type |= SOCK_STREAM;
		else if (!strcmp(t, "dgram"))
			type |= SOCK_DGRAM;
		else if (!strcmp(t, "seqpacket"))
			type |= SOCK_SEQPACKET;
		else if (!strcmp(t, "raw"))
			type |= SOCK_RAW;
		else if (!strcmp(t, "nonblock"))
			type |= SOCK_NONBLOCK;
		else if (!strcmp(t, "cloexec"))
			type |= SOCK_CLOEXEC;
		else
			return 2;
	}
	if (!strcmp(protocol, "tcp"))
		proto = IPPROTO_TCP;
	else if (!strcmp(protocol, "udp"))
		proto = IPPROTO_UDP;
	else if (!strcmp(protocol, "sctp"))
		proto = IPPROTO_SCTP;
	else if (!strcmp(protocol, "mptcp"))
		proto = IPPROTO_MPTCP;
	else
		proto = atoi(protocol);
	if (option && strcmp(option, "reuseport")) {
		opt = !strcmp(option, "tcp_info") ? TCP_INFO :
		      !strncmp(option, "tcp.", 4) ? atoi(option + 4) : -1;
		if (opt < 0)
			return 2;
	}

	fd = socket(domain, type, proto);
	if (fd < 0) {
		printf("error=%s\n", strerrorname_np(errno));
		return 0;
	}
	printf("domain=%d type=%d protocol=%d nonblock=%d cloexec=%d",
	       sockopt(fd, SO_DOMAIN), sockopt(fd, SO_TYPE),
	       sockopt(fd, SO_PROTOCOL), !!(fcntl(fd, F_GETFL) & O_NONBLOCK),
	       !!(fcntl(fd, F_GETFD) & FD_CLOEXEC));
	if (opt >= 0) {
		char buf[512];
		socklen_t len = sizeof(buf);

		if (getsockopt(fd, IPPROTO_TCP, opt, buf, &len))
			printf(" getsockopt=%s", strerrorname_np(errno));
		else
			printf(" getsockopt=ok");
	}
	if (option && !strcmp(option, "reuseport")) {
		int one = 1;

		if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)))
			printf(" reuseport=%s", strerrorname_np(errno));
		else
			printf(" reuseport=%d", sockopt(fd, SO_REUSEPORT));
	}
	printf("\n");
	close(fd);
	return 0;
}

static pthread_barrier_t start, made;
static int per_thread;

/* Make per_thread sockets; return the first failing errno, or 0. */
static void *maker(void *arg)
{
	int *fds = arg, i, err = 0;

	pthread_barrier_wait(&start);
	for (i = 0; i < per_thread; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fds[i] < 0 && !err)
			err = errno;
	}
	/* Nobody closes before all are made, so no descriptor is reused. */
	pthread_barrier_wait(&made);
	return (void *)(long)err;
}

static int probe_threads(int nthreads, int nsocks)
{
	int *fds = calloc((size_t)nthreads * nsocks, sizeof(*fds));
	pthread_t *tids = calloc(nthreads, sizeof(*tids));
	int i, family = -1, distinct = 0, fail = 0;
	char *seen;
	void *err;

	if (!fds || !tids || nthreads < 1 || nsocks < 1)
		return 2;
	per_thread = nsocks;
	pthread_barrier_init(&start, NULL, nthreads);
	pthread_barrier_init(&made, NULL, nthreads + 1);
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&tids[i], NULL, maker, fds + i * nsocks))
			return 2;
	pthread_barrier_wait(&made);
	for (i = 0; i < nthreads; i++) {
		pthread_join(tids[i], &err);
		if (err && !fail) {
			printf("error=%s\n", strerrorname_np((int)(long)err));
			fail = 1;
		}
	}
	seen = calloc(1 << 16, 1);
	if (!seen)
		return 2;
	for (i = 0; !fail && i < nthreads * nsocks; i++) {
		int f = sockopt(fds[i], SO_DOMAIN);

		if (family < 0)
			family = f;
		if (f != family || fds[i] >= 1 << 16) {
			printf("fd %d: family %d, the first was %d\n",
			       fds[i], f, family);
			fail = 1;
		} else if (!seen[fds[i]]++) {
			distinct++;
		}
	}
	if (!fail)
		printf("sockets=%d family=%d fds=%d\n", nthreads * nsocks,
		       family, distinct);
	return fail;
}

int main(int argc, char **argv)
{
	int i, ret = argc < 2 ? 2 : 0;

	if (argc == 4 && !strcmp(argv[1], "threads"))
		return probe_threads(atoi(argv[2]), atoi(argv[3]));
	for (i = 1; i < argc && !ret; i++)
		ret = probe_one(argv[i]);
	if (ret == 2)
		fprintf(stderr, "usage: %s SPEC... | threads N M\n", argv[0]);
	return ret;
}
