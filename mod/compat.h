/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - the differences between the kernels edu supports (6.1, 6.12).
 *
 * Everything version-dependent is decided here, so the rest of the module
 * is written against one API.
 */
#ifndef _EDU_COMPAT_H
#define _EDU_COMPAT_H

#include <linux/net.h>
#include <linux/version.h>
#include <net/net_namespace.h>

/*
 * Linux 6.10 folded accept()'s flags and kern arguments into struct
 * proto_accept_arg (commit "net: have do_accept() take a struct
 * proto_accept_arg argument").
 */
#if KERNEL_VERSION(6, 10, 0) <= LINUX_VERSION_CODE
#define EDU_HAVE_PROTO_ACCEPT_ARG 1
#else
#define EDU_HAVE_PROTO_ACCEPT_ARG 0
#endif

/*
 * struct tcp_info grows at its end.  6.1's ends at tcpi_snd_wnd; 6.12's
 * goes on with tcpi_rcv_wnd, tcpi_rehash and the tcpi_total_rto fields,
 * all there by 6.7.
 */
#if KERNEL_VERSION(6, 7, 0) <= LINUX_VERSION_CODE
#define EDU_HAVE_TCPI_RCV_WND 1
#else
#define EDU_HAVE_TCPI_RCV_WND 0
#endif

/*
 * SO_REUSEPORT: the socket core refuses it (EOPNOTSUPP) to any family but
 * AF_INET and AF_INET6 (sk_is_inet(); Debian's 6.12 and 6.1 both do).
 * Kernels with SOCK_CUSTOM_SOCKOPT (6.12, not 6.1) let a family take the
 * SOL_SOCKET options itself, so AF_EDU answers SO_REUSEPORT there; on 6.1
 * only SOL_EDU's EDU_REUSEPORT sets it (edu-run's library falls back to
 * it).
 */
#ifdef SOCK_CUSTOM_SOCKOPT
#define EDU_HAVE_CUSTOM_SOCKOPT 1
#else
#define EDU_HAVE_CUSTOM_SOCKOPT 0
#endif

/*
 * Linux 6.11 made the table argument of sysctl handlers const (commit
 * "sysctl: treewide: constify the ctl_table argument of proc_handlers").
 * Handlers take an EDU_CTL_CONST struct ctl_table *.
 */
#if KERNEL_VERSION(6, 11, 0) <= LINUX_VERSION_CODE
#define EDU_CTL_CONST const
#else
#define EDU_CTL_CONST
#endif

/*
 * Linux 6.6 sized sysctl tables by their number of entries
 * (register_net_sysctl_sz()), and later kernels no longer accept the
 * empty entry that terminated them; 6.1 still needs it.  Tables end with
 * that entry, and @n counts the entries before it.
 */
static inline struct ctl_table_header *
edu_register_net_sysctl(struct net *net, const char *path,
			struct ctl_table *table, size_t n)
{
#if KERNEL_VERSION(6, 6, 0) <= LINUX_VERSION_CODE
	return register_net_sysctl_sz(net, path, table, n);
#else
	return register_net_sysctl(net, path, table);
#endif
}

#endif /* _EDU_COMPAT_H */
