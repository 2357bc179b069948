/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - the differences between the kernels edu supports (6.1, 6.12).
 *
 * Everything version-dependent is decided here, so the rest of the module
 * is written against one API.
 */
#ifndef _EDU_COMPAT_H
#define _EDU_COMPAT_H

#include <linux/version.h>

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

#endif /* _EDU_COMPAT_H */
