/* SPDX-License-Identifier: GPL-2.0 */
/*
 * edu.h - private definitions shared by the files of the edu module.
 *
 * The module implements TCP (RFC 9293) as the socket family AF_EDU.  Every
 * internal structure and the prototypes of every file live here, grouped by
 * the file that defines them, in the way include/net/tcp.h serves net/ipv4.
 */
#ifndef _EDU_H
#define _EDU_H

#include <linux/atomic.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/inet_sock.h>

#include "options.h"
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>

#include <uapi/linux/edu.h>

#include "compat.h"
#include "cong.h"
#include "rtt.h"

/**
 * struct edu_stats - what one connection has done, for TCP_INFO and EDU_INFO
 * @bytes_acked: how far SND.UNA advanced: data, and the SYN of an active
 *	open and the FIN, as Linux counts (RFC 4898's
 *	tcpEStatsAppHCThruOctetsAcked); a passive open's SYN-ACK is not
 *	counted, as Linux creates its child with the SYN-ACK acknowledged
 * @bytes_received: how far RCV.NXT advanced past the peer's SYN: data and
 *	the FIN (tcpEStatsAppHCThruOctetsReceived, as Linux)
 * @bytes_sent: payload bytes transmitted, retransmissions included
 * @bytes_retrans: payload bytes transmitted again
 * @segs_out: segments sent, pure ACKs and RSTs included
 * @segs_in: segments received (a GRO-merged skb counts its segments); a
 *	passive open's count starts with the SYN its listener took
 * @data_segs_out: segments sent carrying payload
 * @data_segs_in: segments received carrying payload
 * @retrans_segs: segments transmitted again (SYN and FIN included)
 * @rto_expiries: retransmission timeouts that sent data, a SYN or a FIN
 *	again (window probes are not counted)
 * @ofo_segs_in: segments that arrived beyond RCV.NXT, for the
 *	out-of-order queue
 * @window_probes: probes of a zero window (RFC 9293 section 3.8.6.1)
 * @rcv_mss: the largest segment payload received so far, at most advmss
 * @data_sent: jiffies when payload was last transmitted
 * @data_rcvd: jiffies when payload last arrived
 *
 * Plain increments under the socket lock, like the TCB they sit in.
 */
struct edu_stats {
	u64 bytes_acked;
	u64 bytes_received;
	u64 bytes_sent;
	u64 bytes_retrans;
	u32 segs_out;
	u32 segs_in;
	u32 data_segs_out;
	u32 data_segs_in;
	u32 retrans_segs;
	u32 rto_expiries;
	u32 ofo_segs_in;
	u32 window_probes;
	u16 rcv_mss;
	unsigned long data_sent;
	unsigned long data_rcvd;
};

/**
 * struct edu_tcb - the transmission control block of RFC 9293 section 3.3.1
 * @snd_una: SND.UNA, oldest unacknowledged sequence number
 * @snd_nxt: SND.NXT, next sequence number to be sent
 * @snd_wnd: SND.WND, send window advertised by the peer
 * @snd_up: SND.UP, send urgent pointer
 * @snd_wl1: SND.WL1, segment sequence number used for the last window update
 * @snd_wl2: SND.WL2, segment acknowledgment number used for the last update
 * @iss: ISS, initial send sequence number
 * @rcv_nxt: RCV.NXT, next sequence number expected on an incoming segment
 * @rcv_wnd: RCV.WND, receive window we last advertised
 * @rcv_up: RCV.UP, receive urgent pointer
 * @irs: IRS, initial receive sequence number
 * @write_seq: sequence number after the last byte the application queued
 * @copied_seq: sequence number of the next byte the application will read
 * @rcv_wup: RCV.NXT when @rcv_wnd was advertised; the advertised right
 *	edge is @rcv_wup + @rcv_wnd, which must never move left
 * @max_wnd: largest window the peer ever offered (sender SWS avoidance)
 * @snd_wscale: the peer's window scale shift, applied to SEG.WND of every
 *	segment but a SYN (RFC 7323 section 2.3); 0 without window scaling
 * @rcv_wscale: our window scale shift: the window we advertise is sent
 *	shifted right by it; 0 without window scaling
 * @wscale_ok: window scaling is on: we offered it in our SYN (or, passive,
 *	the peer did and we answer it); cleared if the other side did not
 * @ts_ok: timestamps are on (RFC 7323 section 3): offered in our SYN (or
 *	answering the peer's), cleared if the other SYN lacks them; then
 *	every segment we send carries them
 * @ts_recent: TS.Recent, the peer's TSval we echo (RFC 7323 section 4.3)
 * @ts_off: offset of our TSval from the clock, per connection (RFC 7323
 *	section 5.4: not a global clock an observer could read)
 * @undo_tsval: TSval of the fast retransmission that began the current
 *	recovery (Eifel detection, RFC 3522); 0: none to judge
 * @mss: effective send MSS (RFC 9293 section 3.7.1)
 * @advmss: the MSS we offer, from the route's MTU
 * @user_mss: TCP_MAXSEG: a cap on the MSS (0: none)
 * @rto: current retransmission timeout, in jiffies
 * @rtt: the RFC 6298 estimator (SRTT, RTTVAR)
 * @cc: congestion control (RFC 5681 cwnd and ssthresh, RFC 6582 recovery)
 * @retransmits: expiries of the retransmission timer for the same data
 * @backoff: how often @rto has doubled since it was last computed from
 *	the estimator (Linux's icsk_backoff)
 * @rcv_ratio: payload bytes per byte of memory of received segments, in
 *	1/256 (so that the advertised window fits the receive buffer)
 * @dupacks: duplicate ACKs in a row (RFC 5681 section 3.2 counts three)
 * @delack_segs: full-sized segments received and not yet acknowledged
 * @ack_pending: an ACK is owed to the peer (delayed-ACK timer running)
 * @nodelay: TCP_NODELAY: Nagle's algorithm off
 * @cork: TCP_CORK: segments shorter than the MSS wait for more data
 * @pingpong: TCP_QUICKACK set to 0 (Linux's "pingpong" mode), reported
 *	back by getsockopt(); ACKs are delayed either way (RFC 9293 3.8.6.3)
 * @defer_accept: TCP_DEFER_ACCEPT, in SYN-ACK timeouts as Linux keeps it:
 *	a child whose handshake ends without data waits that many timeouts
 *	for data before accept() may take it
 * @defer_acked: a deferred child has seen the peer's ACK of its SYN-ACK
 *	and dropped it, waiting for data (Linux's inet_rsk(req)->acked)
 * @syn_retries: TCP_SYNCNT: SYN (or SYN-ACK) retransmissions before giving
 *	up (0: the namespace's syn_retries or synack_retries)
 * @linger2: TCP_LINGER2 in jiffies: how long an orphan waits in FIN-WAIT-2
 *	(0: the namespace's fin_timeout; negative: not at all, it is reset)
 * @window_clamp: TCP_WINDOW_CLAMP: the largest window advertised (0: none)
 * @fastopen_qlen: TCP_FASTOPEN's queue length, kept for getsockopt(); no
 *	Fast Open cookie is ever issued, so every client does the handshake
 * @fastopen_connect: TCP_FASTOPEN_CONNECT, kept for getsockopt(); connect()
 *	does the handshake, as Linux does without a cached cookie
 * @rcv_tstamp: jiffies when the last segment arrived (keepalive idle time)
 * @rcv_rtt_us: the round trip as the receiver sees it, from the TSecr of
 *	arriving data (RFC 7323 section 4), smoothed; 0 before a sample
 * @rcvq_space: bytes the application read in the last measured round trip
 *	(receive-buffer autotuning, edu_rcv_space_adjust())
 * @rcvq_seq: copied_seq when that round trip began
 * @rcvq_time: jiffies when it began (0: not started)
 * @keepalive_time: TCP_KEEPIDLE in seconds (0: the namespace's default)
 * @keepalive_intvl: TCP_KEEPINTVL in seconds (0: the default)
 * @keepalive_probes: TCP_KEEPCNT (0: the default)
 * @user_timeout: TCP_USER_TIMEOUT in milliseconds: how long data may stay
 *	unacknowledged before the connection is given up (0: retries2)
 * @rtx_stamp: for @user_timeout, jiffies when the oldest unacknowledged
 *	data was first sent, or when the first window probe went unanswered
 *	(0: nothing outstanding; set at the first timer expiry)
 * @probes_out: keepalive probes sent and not answered
 * @passive: the connection came from a listener (MUST-11: SYN-RECEIVED
 *	returns to LISTEN on RST, only for passive opens)
 * @stats: what the connection has done so far (TCP_INFO, EDU_INFO)
 *
 * The names are the RFC's so that the code reads beside the specification.
 * All fields are written with the socket lock held (process context, or the
 * receive path with the socket not owned by the user).
 */
struct edu_tcb {
	u32 snd_una;
	u32 snd_nxt;
	u32 snd_wnd;
	u32 snd_up;
	u32 snd_wl1;
	u32 snd_wl2;
	u32 iss;
	u32 rcv_nxt;
	u32 rcv_wnd;
	u32 rcv_up;
	u32 irs;
	u32 write_seq;
	u32 copied_seq;
	u32 rcv_wup;
	u32 max_wnd;
	u8 snd_wscale;
	u8 rcv_wscale;
	bool wscale_ok;
	bool ts_ok;
	u32 ts_recent;
	u32 ts_off;
	u32 undo_tsval;
	u16 mss;
	u16 advmss;
	u16 user_mss;
	u32 rto;
	struct edu_rtt rtt;
	struct edu_cc cc;
	u32 rcv_ratio;
	u32 rcv_rtt_us;
	u32 rcvq_space;
	u32 rcvq_seq;
	unsigned long rcvq_time;
	u8 dupacks;
	u8 retransmits;
	u8 backoff;
	u8 delack_segs;
	bool ack_pending;
	bool nodelay;
	bool cork;
	bool pingpong;
	bool passive;
	u8 defer_accept;
	bool defer_acked;
	u8 syn_retries;
	bool fastopen_connect;
	int linger2;
	u32 window_clamp;
	int fastopen_qlen;
	unsigned long rcv_tstamp;
	u16 keepalive_time;
	u16 keepalive_intvl;
	u8 keepalive_probes;
	u8 probes_out;
	u32 user_timeout;
	unsigned long rtx_stamp;
	struct edu_stats stats;
};

/**
 * struct edu_skb_cb - per-segment state, kept in skb->cb
 * @seq: first sequence number (SEG.SEQ)
 * @end_seq: SEG.SEQ + SEG.LEN (SYN and FIN count one each)
 * @ack_seq: SEG.ACK of an incoming segment
 * @wnd: SEG.WND of an incoming segment
 * @has_ts: an incoming segment carries the timestamps option
 * @tsval: its SEG.TSval (RFC 7323 section 3.2)
 * @tsecr: its SEG.TSecr
 * @flags: TCPHDR_* control bits
 * @sent_us: when an outgoing segment was last sent (0: never)
 * @retransmitted: an outgoing segment was sent more than once (no RTT
 *	sample from it: Karn's algorithm)
 *
 * On the write queue an skb is one segment's payload (at most one MSS),
 * headers are added to a clone at transmission.  On the receive queue it
 * is payload only, the headers pulled.
 */
struct edu_skb_cb {
	u32 seq;
	u32 end_seq;
	u32 ack_seq;
	u16 wnd;
	u8 flags;
	u8 retransmitted;
	u32 sent_us;
	u32 tsval;
	u32 tsecr;
	bool has_ts;
};

#define EDU_SKB_CB(skb) ((struct edu_skb_cb *)&((skb)->cb[0]))

/**
 * struct edu_sock - an AF_EDU socket
 * @inet: the IPv4 socket; must be first, because the IP layer's helpers
 *	(route lookup, PMTU, IP ID) use inet_sk(sk)
 * @net_node: link in edu_net.sk_list; protected by edu_net.sk_list_lock
 * @bind_node: link in edu_net.bind_hash while bound; protected by
 *	edu_net.bind_lock
 * @shadow: kernel TCP socket bound to our local port, so that kernel TCP
 *	and AF_EDU share one port space (see bind.c); NULL while unbound.
 *	Written under the socket lock and edu_net.bind_lock.
 * @hash_node: link in edu_net.ehash (connections) or edu_net.lhash
 *	(listeners); protected by edu_net.hash_lock.  A hashed socket holds a
 *	reference on itself, dropped when unhashed.
 * @accept_queue: established children waiting for accept(); protected by
 *	@accept_lock, which the receive path may take in softirq
 * @accept_node: link of a child in its listener's @accept_queue
 * @accept_lock: protects @accept_queue
 * @parent: for a child in SYN-RECEIVED, its listener (a reference held)
 * @syn_pending: for a listener, its children still in SYN-RECEIVED (the
 *	SYN queue), bounded by the backlog like Linux's
 * @send_head: first skb of sk_write_queue not yet sent, or NULL
 * @rtx_head: after a retransmission timeout, the next skb of the flight to
 *	send again (all of the flight counts as lost, as Linux marks it);
 *	NULL when there is nothing left to resend that way
 * @ofo_root: the out-of-order queue (ofo.c), skbs by sequence number
 * @rtx_timer: retransmission timer; also the zero-window probe, the
 *	FIN-WAIT-2 timeout of an orphan
 * @delack_timer: delayed-ACK timer (RFC 9293 section 3.8.6.3)
 * @unbind_work: gives up the port from process context when a connection
 *	ends in softirq (shadow sockets cannot be released there)
 * @tcb: the transmission control block
 */
struct edu_sock {
	struct inet_sock inet;
	struct list_head net_node;
	struct hlist_node bind_node;
	struct socket *shadow;
	struct hlist_node hash_node;
	struct list_head accept_queue;
	struct list_head accept_node;
	spinlock_t accept_lock;		/* protects accept_queue */
	struct sock *parent;
	atomic_t syn_pending;
	struct sk_buff *send_head;
	struct sk_buff *rtx_head;
	struct rb_root ofo_root;
	struct timer_list rtx_timer;
	struct timer_list delack_timer;
	struct work_struct unbind_work;
	struct edu_tcb tcb;
};

/**
 * struct edu_timewait - a connection in TIME-WAIT (RFC 9293 section 3.6)
 * @node: link in edu_net.twhash; protected by edu_net.hash_lock
 * @net: the namespace (no reference: records are purged at its exit)
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 * @snd_nxt: SND.NXT when the connection entered TIME-WAIT
 * @rcv_nxt: RCV.NXT, just past the peer's FIN
 * @rcv_wnd: the window still open to the peer, advertised again in the
 *	ACKs sent from TIME-WAIT (as Linux's tw_rcv_wnd)
 * @timer: expires after 2*MSL
 *
 * A connection that closed first waits 2*MSL before the 4-tuple may be
 * reused, re-acknowledging a retransmitted FIN.  Only what that needs is
 * kept: the full socket is freed on entry.
 */
struct edu_timewait {
	struct hlist_node node;
	struct net *net;
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	u32 snd_nxt;
	u32 rcv_nxt;
	u16 rcv_wnd;
	bool ts_ok;
	u32 ts_recent;
	u32 ts_off;
	struct timer_list timer;
};

static inline struct edu_sock *edu_sk(const struct sock *sk)
{
	return (struct edu_sock *)sk;
}

/*
 * Counters of one namespace (mib.c), shown in /proc/net/edu_snmp.  Names
 * follow Linux's TCP MIB where one exists.
 */
enum edu_mib {
	EDU_MIB_ACTIVEOPENS,	/* connect() sent a SYN */
	EDU_MIB_PASSIVEOPENS,	/* a listener answered a SYN */
	EDU_MIB_ATTEMPTFAILS,	/* SYN-SENT/SYN-RECEIVED to CLOSED */
	EDU_MIB_ESTABRESETS,	/* ESTABLISHED/CLOSE-WAIT reset */
	EDU_MIB_CURRESTAB,	/* in ESTABLISHED/CLOSE-WAIT now (a gauge) */
	EDU_MIB_INSEGS,		/* segments received for AF_EDU */
	EDU_MIB_OUTSEGS,	/* segments sent */
	EDU_MIB_RETRANSSEGS,	/* segments retransmitted */
	EDU_MIB_INERRS,		/* segments dropped as malformed */
	EDU_MIB_OUTRSTS,	/* RSTs sent */
	EDU_MIB_INCSUMERRORS,	/* segments dropped for a bad checksum */
	EDU_MIB_RTOEXPIRES,	/* retransmission timer expiries */
	EDU_MIB_OFODROP,	/* out-of-order segments dropped */
	EDU_MIB_RCVQDROP,	/* in-order data dropped, receive buffer full */
	EDU_MIB_BACKLOGDROP,	/* dropped, socket backlog full */
	EDU_MIB_LISTENOVERFLOWS, /* SYNs dropped, accept queue full */
	EDU_MIB_NOROUTE,	/* segments not sent, no route */
	EDU_MIB_TIMEWAITS,	/* connections that entered TIME-WAIT */
	EDU_MIB_ABORTONDATA,	/* reset: data after the application closed */
	EDU_MIB_KEEPALIVEPROBES, /* keepalive probes sent */
	EDU_MIB_KEEPALIVETIMEOUTS, /* connections ended by keepalive */
	EDU_MIB_OFOQUEUE,	/* segments kept in the out-of-order queue */
	EDU_MIB_OFOPRUNED,	/* out-of-order segments pruned for memory */
	EDU_MIB_FASTRETRANS,	/* fast retransmits (three duplicate ACKs) */
	EDU_MIB_PARTIALACKS,	/* NewReno partial ACKs (RFC 6582) */
	EDU_MIB_ZEROWINDOWPROBES, /* probes of a zero window (3.8.6.1) */
	EDU_MIB_RECOVERYUNDO,	/* fast recoveries undone: spurious (RFC 3522) */
	__EDU_MIB_MAX
};

/**
 * struct edu_sysctl - a namespace's tunables, /proc/sys/net/edu/ (sysctl.c)
 * @rmem: receive buffer min, default, max in bytes (tcp_rmem): the default
 *	is a new socket's SO_RCVBUF; min and max are kept for tcp_rmem's
 *	layout, unused so far (no memory pressure, no receive autotuning)
 * @wmem: send buffer min, default, max in bytes (tcp_wmem): the default is
 *	a new socket's SO_SNDBUF, max the most it grows to with the
 *	congestion window (edu_sndbuf_expand()); min unused so far
 * @syn_retries: SYN retransmissions before connect() fails with ETIMEDOUT
 * @synack_retries: SYN-ACK retransmissions before a child is dropped
 * @retries2: retransmissions of the same data before the connection ends
 *	(RFC 9293's R2, counted in retransmissions as Linux's tcp_retries2)
 * @orphan_retries: the same for an orphan; 0 means 8 (tcp_orphan_retries)
 * @fin_timeout: seconds an orphan waits in FIN-WAIT-2 for the peer's FIN
 * @keepalive_time: seconds idle before the first keepalive probe
 * @keepalive_intvl: seconds between keepalive probes
 * @keepalive_probes: unanswered keepalive probes that end the connection
 * @rto_min_ms: floor of the retransmission timeout (RFC 6298 2.4)
 * @rto_max_ms: ceiling of the retransmission timeout and its backoff
 * @delack_ms: how long an ACK may wait for data to ride on (MUST-40)
 * @initial_cwnd: initial congestion window, in segments (RFC 6928)
 * @window_scaling: offer and accept window scaling (RFC 7323 section 2)
 * @timestamps: offer and accept timestamps (RFC 7323 section 3)
 * @moderate_rcvbuf: grow receive buffers with what the application reads
 *	per round trip, up to rmem's maximum (tcp_moderate_rcvbuf)
 * @cong: congestion control that new sockets start with
 *
 * Names, units and defaults are those of Linux's net.ipv4.tcp_* sysctls.
 * The sysctl handlers write them (WRITE_ONCE()); the rest of the module
 * reads them where they are used, with READ_ONCE() and no lock, so a
 * change applies to each socket from its next use of the value.
 */
struct edu_sysctl {
	int rmem[3];
	int wmem[3];
	int syn_retries;
	int synack_retries;
	int retries2;
	int orphan_retries;
	int fin_timeout;
	int keepalive_time;
	int keepalive_intvl;
	int keepalive_probes;
	int rto_min_ms;
	int rto_max_ms;
	int delack_ms;
	int initial_cwnd;
	int window_scaling;
	int timestamps;
	int moderate_rcvbuf;
	const struct edu_cong_ops *cong;
};

#define EDU_BIND_HASH_BITS	8
#define EDU_EHASH_BITS		10
#define EDU_LHASH_BITS		6

/**
 * struct edu_net - per network namespace state
 * @net: the namespace this belongs to
 * @sk_list: every AF_EDU socket of the namespace, for /proc/net/edu
 * @sk_list_lock: protects @sk_list; taken with BHs off because a socket may
 *	be destroyed from softirq
 * @bind_lock: protects @bind_hash; process context only (bind, listen,
 *	close), may sleep while held
 * @bind_hash: bound sockets hashed by local port
 * @hash_lock: protects @ehash, @twhash and @lhash; taken with BHs off, the
 *	receive path looks sockets up in softirq.  /proc/net/edu alone holds
 *	it together with @sk_list_lock, which it takes first
 * @ehash: connections (any state but LISTEN and CLOSED) by 4-tuple
 * @twhash: TIME-WAIT records by 4-tuple
 * @lhash: listening sockets by local port
 * @hash_rnd: secret mixed into the connection hash, so that a peer cannot
 *	choose 4-tuples that all land in one bucket
 * @mib: counters (/proc/net/edu_snmp)
 * @sysctl: tunables (/proc/sys/net/edu/)
 * @sysctl_hdr: the namespace's registration of its copy of the sysctl table
 */
struct edu_net {
	struct net *net;
	struct list_head sk_list;
	spinlock_t sk_list_lock;	/* protects sk_list */
	struct mutex bind_lock;		/* protects bind_hash */
	struct hlist_head bind_hash[1 << EDU_BIND_HASH_BITS];
	spinlock_t hash_lock;		/* protects ehash, twhash, lhash */
	struct hlist_head ehash[1 << EDU_EHASH_BITS];
	struct hlist_head twhash[1 << EDU_EHASH_BITS];
	struct hlist_head lhash[1 << EDU_LHASH_BITS];
	u32 hash_rnd;
	atomic_long_t mib[__EDU_MIB_MAX];
	struct edu_sysctl sysctl;
	struct ctl_table_header *sysctl_hdr;
};

/* main.c */
extern unsigned int edu_net_id;
extern struct workqueue_struct *edu_wq;
extern int edu_family;

static inline struct edu_net *edu_pernet(const struct net *net)
{
	return net_generic(net, edu_net_id);
}

/* The tunables of @net's namespace; read each with READ_ONCE(). */
static inline const struct edu_sysctl *edu_net_sysctl(const struct net *net)
{
	return &edu_pernet(net)->sysctl;
}

/*
 * Live-object counts (sysfs.c): every object the module allocates is counted
 * while alive, so tests can prove that nothing leaked after each case.
 */
enum edu_object {
	EDU_OBJ_SOCKETS,	/* struct edu_sock */
	EDU_OBJ_PORTS,		/* shadow TCP sockets holding a port */
	EDU_OBJ_TIMEWAIT,	/* struct edu_timewait */
	EDU_OBJ_SKBS,		/* sk_buffs in the sockets' queues (sysfs.c) */
	__EDU_OBJ_MAX
};

extern atomic_long_t edu_objects[__EDU_OBJ_MAX];

static inline void edu_object_inc(enum edu_object obj)
{
	atomic_long_inc(&edu_objects[obj]);
}

static inline void edu_object_dec(enum edu_object obj)
{
	atomic_long_dec(&edu_objects[obj]);
}

static inline void edu_mib_inc(const struct net *net, enum edu_mib item)
{
	atomic_long_inc(&edu_pernet(net)->mib[item]);
}

/* A microsecond clock for RTT samples; wraps after 71 minutes, harmlessly. */
static inline u32 edu_now_us(void)
{
	return (u32)div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

/*
 * Fixed timers, as Linux TCP's (include/net/tcp.h); the others are
 * tunables (struct edu_sysctl).
 */
#define EDU_RTO_INIT		(1 * HZ)	/* RFC 6298 section 2.1 */
#define EDU_TIMEWAIT_LEN	(60 * HZ)	/* 2*MSL */
#define EDU_MSS_DEFAULT		536		/* MUST-15 */
#define EDU_MAX_WINDOW		65535U		/* the header's 16 bits */

/*
 * How long an orphan waits in FIN-WAIT-2: TCP_LINGER2 if set (positive),
 * else the namespace's fin_timeout.
 */
static inline unsigned long edu_fin_timeout(const struct sock *sk)
{
	int linger2 = READ_ONCE(edu_sk(sk)->tcb.linger2);

	if (linger2 > 0)
		return linger2;
	return READ_ONCE(edu_net_sysctl(sock_net(sk))->fin_timeout) * HZ;
}

/* The ceiling of the retransmission timeout, in jiffies (rto_max_ms). */
static inline unsigned long edu_rto_max(const struct sock *sk)
{
	const struct edu_sysctl *sysctl = edu_net_sysctl(sock_net(sk));

	return msecs_to_jiffies(READ_ONCE(sysctl->rto_max_ms));
}

/* socket.c */
extern struct proto edu_proto;
extern struct net_proto_family edu_family_ops;
void edu_socket_init_family(int family);
void edu_set_state(struct sock *sk, int state);
void edu_done(struct sock *sk);
void edu_write_space(struct sock *sk);
struct sock *edu_child_alloc(const struct sock *parent);

/* stream.c */
int edu_sendmsg(struct socket *sock, struct msghdr *msg, size_t size);
int edu_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		int flags);
int edu_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);
int edu_inq(struct sock *sk);
void edu_rcv_rtt_sample(struct sock *sk, u32 tsecr);
void edu_sndbuf_expand(struct sock *sk);

/* hash.c */
int edu_hash_connection(struct sock *sk);
void edu_hash_listener(struct sock *sk);
void edu_unhash(struct sock *sk);
struct sock *edu_lookup(struct net *net, __be32 raddr, __be16 rport,
			__be32 laddr, __be16 lport, int dif);
u32 edu_ehashfn(const struct edu_net *en, __be32 laddr, __be16 lport,
		__be32 raddr, __be16 rport);
void edu_hash_net_init(struct edu_net *en);

/* timewait.c */
void edu_tw_enter(struct sock *sk);
bool edu_tw_exists(struct net *net, __be32 raddr, __be16 rport,
		   __be32 laddr, __be16 lport);
bool edu_tw_rcv(struct net *net, struct sk_buff *skb);
void edu_tw_purge(struct edu_net *en);

/* input.c */
int edu_input_net_init(struct net *net);
void edu_input_net_exit(struct net *net);
int edu_rcv(struct sock *sk, struct sk_buff *skb);

/* ofo.c */
void edu_ofo_queue(struct sock *sk, struct sk_buff *skb);
bool edu_ofo_drain(struct sock *sk);
bool edu_ofo_make_room(struct sock *sk, unsigned int need);
void edu_ofo_purge(struct sock *sk);

/* cong.c */
const struct edu_cong_ops *edu_cong_default(void);
const struct edu_cong_ops *edu_cong_find(const char *name);

/* sysctl.c */
int edu_sysctl_net_init(struct net *net);
void edu_sysctl_net_exit(struct net *net);

/* output.c */

/**
 * enum edu_push_how - what __edu_push() does with a short last segment
 * @EDU_PUSH_NAGLE: what the socket's options say: TCP_CORK holds it,
 *	Nagle's algorithm holds it while data is in flight (unless
 *	TCP_NODELAY)
 * @EDU_PUSH_MORE: hold it, more data follows (MSG_MORE)
 * @EDU_PUSH_NOW: send it, neither Nagle nor TCP_CORK hold it back (what
 *	Linux's TCP_NAGLE_PUSH does)
 */
enum edu_push_how {
	EDU_PUSH_NAGLE,
	EDU_PUSH_MORE,
	EDU_PUSH_NOW,
};

int edu_connect_start(struct sock *sk);
u32 edu_send_mss(const struct edu_tcb *tcb);
void __edu_push(struct sock *sk, enum edu_push_how how);
bool edu_send_held(struct sock *sk);

/* Send what the window, Nagle's algorithm and TCP_CORK allow. */
static inline void edu_push(struct sock *sk)
{
	__edu_push(sk, EDU_PUSH_NAGLE);
}

u32 edu_in_flight(const struct sock *sk);
void edu_send_ack(struct sock *sk);
void edu_send_synack(struct sock *sk);
void edu_send_fin(struct sock *sk);
void edu_send_active_reset(struct sock *sk);
void edu_send_reset(struct net *net, struct sk_buff *skb);
void edu_send_tw_ack(struct edu_timewait *tw, struct sk_buff *skb);
void edu_retransmit_head(struct sock *sk);
void edu_retransmit_all(struct sock *sk);
void edu_send_probe(struct sock *sk);
u16 edu_route_mss(struct sock *sk);
u32 edu_rcv_space(const struct sock *sk);
u8 edu_rcv_wscale(const struct sock *sk);

/*
 * Our TSval clock (RFC 7323 section 5.4): milliseconds, as Linux's, plus a
 * per-connection offset.
 */
static inline u32 edu_tsval(u32 ts_off)
{
	return jiffies_to_msecs(jiffies) + ts_off;
}

/*
 * The payload of a full-sized segment the peer sends us: the MSS we
 * offered less the timestamps every segment then carries.
 */
static inline u32 edu_rcv_full_mss(const struct edu_tcb *tcb)
{
	return tcb->advmss - (tcb->ts_ok ? EDU_TS_SPACE : 0);
}

u32 edu_rcv_wnd_left(const struct edu_tcb *tcb);
void edu_maybe_send_window_update(struct sock *sk);

/* timer.c */
void edu_timers_init(struct sock *sk);
void edu_timers_stop(struct sock *sk);
void edu_rtx_arm(struct sock *sk);
void edu_delack_arm(struct sock *sk);
void edu_ack_sent(struct sock *sk);
void edu_keepalive_set(struct sock *sk, int on);
void edu_keepalive_reset(struct sock *sk);

/* mib.c */
int edu_mib_net_init(struct net *net);
void edu_mib_net_exit(struct net *net);

/* bind.c */
int edu_port_bind(struct sock *sk, __be32 addr, u16 port);
int edu_port_listen(struct sock *sk);
void edu_port_unlisten(struct sock *sk);
void edu_port_unbind(struct sock *sk);
void edu_bind_net_init(struct edu_net *en);

/* info.c */
int edu_getsockopt_tcp_info(struct sock *sk, int len, char __user *optval,
			    int __user *optlen);
int edu_getsockopt_edu_info(struct sock *sk, int len, char __user *optval,
			    int __user *optlen);

/* proc.c */
int edu_proc_net_init(struct net *net);
void edu_proc_net_exit(struct net *net);

/* sysfs.c */
int edu_sysfs_init(void);
void edu_sysfs_exit(void);
void edu_skb_set_owner_r(struct sk_buff *skb, struct sock *sk);
void edu_skb_track(struct sk_buff *skb);

#endif /* _EDU_H */
