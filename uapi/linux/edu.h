/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * edu: TCP implemented from scratch as the socket family AF_EDU.
 *
 * This header is the contract between the edu kernel module and the
 * programs that use it; the module includes it for the shared constants.
 * It stands on its own in userspace (C99 and later, no kernel headers).
 *
 * A program changes only its socket() call:
 *
 *	int fd = socket(AF_EDU, SOCK_STREAM, EDUPROTO_TCP);
 *
 * and then uses ordinary struct sockaddr_in (sin_family = AF_INET) and
 * struct sockaddr_in6 (sin6_family = AF_INET6) addresses, as AF_SMC does.
 */
#ifndef _UAPI_LINUX_EDU_H
#define _UAPI_LINUX_EDU_H

/*
 * The address/protocol family.  19 is unregistered on Linux 6.1 and 6.12
 * (it was Econet, removed in 3.5).  The module parameter "family" can move
 * the module to another free slot; programs then pass that number instead.
 */
#define AF_EDU		19
#define PF_EDU		AF_EDU

/* Protocols of the family, the third argument of socket(). */
#define EDUPROTO_TCP	0	/* TCP over IPv4 */
#define EDUPROTO_TCP6	1	/* TCP over IPv6 (not yet: EPROTONOSUPPORT) */
#define EDUPROTO_MAX	2

/*
 * Socket option level for AF_EDU-specific options: setsockopt(fd, SOL_EDU,
 * ...).  Standard TCP options keep SOL_TCP (IPPROTO_TCP) as usual.  The
 * kernel's own SOL_* numbers run up to about 300; 0x4544 ("ED") stays well
 * clear of any it may add.
 */
#define SOL_EDU		0x4544

/*
 * Reserved SOL_EDU option numbers, implemented by the observability work.
 * Until then the module answers ENOPROTOOPT.
 */
#define EDU_INFO	1	/* getsockopt: struct edu_info (the TCB) */
#define EDU_CC		2	/* congestion control algorithm name */

#endif /* _UAPI_LINUX_EDU_H */
