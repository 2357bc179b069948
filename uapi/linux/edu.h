/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * edu: TCP implemented from scratch as the socket family AF_EDU.
 *
 * This header is the contract between the edu kernel module and the
 * programs that use it; the module includes it for the shared constants.
 * It stands on its own in userspace (C99 and later); of the kernel's
 * headers it needs only <linux/types.h>, for __u32 and __u64.
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

#include <linux/types.h>

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
 * SOL_EDU option numbers.  EDU_CC is reserved and answers ENOPROTOOPT:
 * the algorithm is chosen with TCP_CONGESTION at SOL_TCP, as in Linux.
 * EDU_REUSEPORT (an int, 0 or not) is SO_REUSEPORT by another name, for
 * kernels whose socket core refuses SO_REUSEPORT to families other than
 * AF_INET and AF_INET6 without letting the family answer it (Linux 6.1);
 * getsockopt(SOL_SOCKET, SO_REUSEPORT) reads it back everywhere.
 */
#define EDU_INFO	1	/* getsockopt: struct edu_info (the TCB) */
#define EDU_CC		2	/* congestion control algorithm name */
#define EDU_REUSEPORT	3	/* SO_REUSEPORT, set through SOL_EDU */

/* struct edu_info's ca_state: where the sender is in loss recovery. */
#define EDU_INFO_CA_OPEN	0	/* slow start or congestion avoidance */
#define EDU_INFO_CA_RECOVERY	1	/* fast recovery (RFC 6582) */
#define EDU_INFO_CA_LOSS	2	/* after a retransmission timeout */

/*
 * getsockopt(fd, SOL_EDU, EDU_INFO, &info, &len): a snapshot of the
 * connection, taken with the socket locked.  The transmission control
 * block goes under the names of RFC 9293 section 3.3.1, then the RTO
 * estimator (RFC 6298), congestion control (RFC 5681, RFC 6582), the
 * queues and what the connection has done since it began.  Sequence
 * numbers are absolute, as on the wire; windows, queues and congestion
 * state are in bytes.
 *
 * Versioning: the module copies min(len, sizeof(struct edu_info)) bytes
 * and writes that length back to len, as TCP_INFO does.  Fields are only
 * ever appended, never moved, resized or given a new meaning, so a program
 * built against an older header gets the fields it knows, and one built
 * against a newer header learns from len which fields the module filled.
 * Every field is a __u32 or an aligned __u64: the layout has no padding
 * and is the same for 32- and 64-bit programs.
 */
struct edu_info {
	/* The state, in Linux's TCP numbering (TCP_ESTABLISHED = 1...). */
	__u32 state;

	/* The TCB (RFC 9293 section 3.3.1). */
	__u32 snd_una;		/* SND.UNA: oldest unacknowledged */
	__u32 snd_nxt;		/* SND.NXT: next to send */
	__u32 snd_wnd;		/* SND.WND: the peer's window */
	__u32 snd_up;		/* SND.UP: send urgent pointer */
	__u32 snd_wl1;		/* SND.WL1: SEG.SEQ of the last window update */
	__u32 snd_wl2;		/* SND.WL2: SEG.ACK of the last window update */
	__u32 iss;		/* ISS: initial send sequence number */
	__u32 rcv_nxt;		/* RCV.NXT: next expected */
	__u32 rcv_wnd;		/* RCV.WND: the window last advertised */
	__u32 rcv_up;		/* RCV.UP: receive urgent pointer */
	__u32 irs;		/* IRS: initial receive sequence number */
	__u32 mss;		/* effective send MSS (section 3.7.1) */
	__u32 advmss;		/* the MSS offered to the peer */

	/* Retransmission timeout (RFC 6298). */
	__u32 srtt_us;		/* SRTT, microseconds (0: no sample yet) */
	__u32 rttvar_us;	/* RTTVAR, microseconds */
	__u32 rto_ms;		/* current RTO, backoff included */
	__u32 rtt_samples;	/* round-trip samples taken */
	/* Timer expiries for the same data, or window probes unanswered. */
	__u32 retransmits;
	/* How often the RTO has doubled since it was computed from SRTT. */
	__u32 backoff;
	__u32 probes;		/* keepalive probes not answered */

	/* Congestion control (RFC 5681, RFC 6582), bytes. */
	__u32 cwnd;		/* congestion window */
	/* Slow start threshold; 0xffffffff: "arbitrarily high", no loss yet. */
	__u32 ssthresh;
	__u32 ca_state;		/* EDU_INFO_CA_* */
	__u32 dupacks;		/* duplicate ACKs in a row */
	__u32 recover;		/* RFC 6582 "recover" */
	/* FlightSize: sent, not acknowledged, not counted lost. */
	__u32 in_flight;

	/* Queues, bytes. */
	__u32 snd_queue;	/* written, not yet acknowledged (SIOCOUTQ) */
	__u32 snd_unsent;	/* written, not yet sent */
	__u32 rcv_queue;	/* received in order, not yet read (SIOCINQ) */
	__u32 ofo_bytes;	/* held in the out-of-order queue */
	__u32 ofo_segs;		/* segments in the out-of-order queue */

	/* Since the connection began. */
	__u32 retrans_segs;	/* segments sent again (SYN, FIN included) */
	__u32 rto_expiries;	/* retransmission timeouts that resent data */
	__u32 ofo_segs_in;	/* segments that arrived beyond RCV.NXT */
	__u32 window_probes;	/* probes of a zero window (3.8.6.1) */
	__u32 segs_out;		/* segments sent, pure ACKs included */
	__u32 segs_in;		/* segments received */
	__u32 data_segs_out;	/* segments sent carrying data */
	__u32 data_segs_in;	/* segments received carrying data */
	__u64 bytes_acked;	/* how far SND.UNA advanced (as TCP_INFO's) */
	__u64 bytes_received;	/* how far RCV.NXT advanced (as TCP_INFO's) */
	__u64 bytes_sent;	/* data bytes sent, retransmissions included */
	__u64 bytes_retrans;	/* data bytes sent again */
};

#endif /* _UAPI_LINUX_EDU_H */
