/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace.h - the module's tracepoints, TRACE_SYSTEM edu: a connection's
 * state changes, every segment sent and received, retransmissions, timer
 * expiries and congestion window changes (Documentation/observability.rst).
 *
 * They are ordinary tracepoints: off, each costs a patched-out branch; on,
 * each event copies what it shows into the ring buffer (no pointer in an
 * event is ever dereferenced after it is recorded; sk= is only printed,
 * hashed, to tell objects apart).  tools/edu-trace draws one connection
 * from them.  The call sites are one line each, in the files where the
 * thing happens; whatever needs working out (which timer, why a segment
 * goes again) is worked out here, in TP_fast_assign(), so only while the
 * event is enabled.
 *
 * The events print RFC 9293's state names, and addresses as
 * ADDRESS:PORT: src and dst for a segment as it travels, local and remote
 * for the rest.  Works with the TRACE_EVENT() of every supported kernel.
 *
 * mod/trace.c includes this with CREATE_TRACE_POINTS; as its header is not
 * under include/trace/events, Kbuild gives that file -I$(src).
 */
#ifndef _EDU_TRACE_DEFS_H
#define _EDU_TRACE_DEFS_H

#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/tcp.h>

#include "edu.h"

/* Which timer expired (edu_timer); the first three share tcb's rtx_timer. */
enum edu_trace_timer {
	EDU_TIMER_RETRANSMIT,	/* data, SYN or FIN unacknowledged */
	EDU_TIMER_PROBE,	/* nothing in flight, window too small: probe */
	EDU_TIMER_FIN_WAIT2,	/* an orphan waited long enough in FIN-WAIT-2 */
	EDU_TIMER_DELACK,	/* delayed ACK */
	EDU_TIMER_KEEPALIVE,	/* keepalive */
	EDU_TIMER_TIMEWAIT,	/* 2*MSL of a TIME-WAIT record */
};

/* Why a segment goes again (edu_retransmit). */
enum edu_trace_rtx {
	EDU_RTX_TIMEOUT,	/* retransmission timeout: the flight again */
	EDU_RTX_DUPACK,		/* fast retransmit, third duplicate ACK */
	EDU_RTX_PARTIAL,	/* NewReno partial ACK during fast recovery */
	EDU_RTX_SYN,		/* SYN-ACK again: the peer's SYN came again */
	EDU_RTX_LOCAL_DROP,	/* its last transmission never left the host */
};

/* What moved the congestion window (edu_cwnd). */
enum edu_trace_cwnd {
	EDU_CWND_INIT,		/* connection established: initial window */
	EDU_CWND_ACK,		/* new data acknowledged */
	EDU_CWND_DUPACK,	/* duplicate ACK: fast recovery, inflation */
	EDU_CWND_TIMEOUT,	/* retransmission timeout */
};

/* Where congestion control is, for edu_cwnd's phase. */
enum edu_trace_phase {
	EDU_PHASE_SLOW_START,
	EDU_PHASE_CONG_AVOID,
	EDU_PHASE_RECOVERY,
	EDU_PHASE_LOSS,
};

/* The rest runs only while an event is enabled, from TP_fast_assign(). */

/* Local and remote address of a socket or of a TIME-WAIT record. */
static inline void edu_trace_addrs(const struct sock *sk,
				   const struct edu_timewait *tw, u8 *laddr,
				   u16 *lport, u8 *raddr, u16 *rport)
{
	__be32 saddr = tw ? tw->saddr : inet_sk(sk)->inet_saddr;
	__be32 daddr = tw ? tw->daddr : inet_sk(sk)->inet_daddr;

	memcpy(laddr, &saddr, 4);
	memcpy(raddr, &daddr, 4);
	*lport = ntohs(tw ? tw->sport : inet_sk(sk)->inet_sport);
	*rport = ntohs(tw ? tw->dport : inet_sk(sk)->inet_dport);
}

static inline unsigned int edu_trace_netns(const struct sock *sk,
					   const struct edu_timewait *tw)
{
	return tw ? tw->net->ns.inum : sock_net(sk)->ns.inum;
}

/* The retransmission timer's three uses, told apart. */
static inline int edu_trace_timer_kind(const struct sock *sk, int which)
{
	const struct edu_tcb *tcb;

	if (!sk || which != EDU_TIMER_RETRANSMIT)
		return which;
	tcb = &edu_sk(sk)->tcb;
	if (sk->sk_state == TCP_FIN_WAIT2)
		return EDU_TIMER_FIN_WAIT2;
	if (tcb->snd_una == tcb->snd_nxt)
		return EDU_TIMER_PROBE;
	return EDU_TIMER_RETRANSMIT;
}

/*
 * Why @skb, sent before, goes again: after a timeout every segment of the
 * flight goes from esk->rtx_head on.  A segment still at the send head
 * was sent, but the IP layer refused it (a qdisc dropped it, no buffer),
 * so SND.NXT did not move past it.  In fast recovery the third duplicate
 * ACK sends the head (dupacks is 3), a partial ACK too (dupacks is back
 * to 0); otherwise it is the SYN-ACK, for a SYN that came again.
 */
static inline int edu_trace_rtx_reason(const struct sock *sk,
				       const struct sk_buff *skb)
{
	const struct edu_sock *esk = edu_sk(sk);

	if (skb == esk->rtx_head)
		return EDU_RTX_TIMEOUT;
	if (skb == esk->send_head)
		return EDU_RTX_LOCAL_DROP;
	if (esk->tcb.cc.state == EDU_CA_RECOVERY)
		return esk->tcb.dupacks >= 3 ? EDU_RTX_DUPACK :
					       EDU_RTX_PARTIAL;
	return EDU_RTX_SYN;
}

static inline int edu_trace_phase(const struct edu_cc *cc)
{
	if (cc->state == EDU_CA_RECOVERY)
		return EDU_PHASE_RECOVERY;
	if (cc->state == EDU_CA_LOSS)
		return EDU_PHASE_LOSS;
	return cc->cwnd < cc->ssthresh ? EDU_PHASE_SLOW_START :
					 EDU_PHASE_CONG_AVOID;
}

/* The state a segment or timer finds: a TIME-WAIT record's, or none. */
static inline int edu_trace_state(const struct sock *sk,
				  const struct edu_timewait *tw)
{
	if (tw)
		return TCP_TIME_WAIT;
	return sk ? sk->sk_state : 0;
}

/* A TIME-WAIT record has no TCB: its timer event shows zeros. */
static inline const struct edu_tcb *edu_trace_tcb(const struct sock *sk)
{
	static const struct edu_tcb none;

	return sk ? &edu_sk(sk)->tcb : &none;
}

static inline int edu_trace_cwnd_reason(const struct edu_tcb *tcb,
					int reason)
{
	return reason == EDU_CWND_ACK && tcb->dupacks ? EDU_CWND_DUPACK :
							 reason;
}

static inline u16 edu_trace_segs(const struct sk_buff *skb)
{
	return max_t(u16, skb_shinfo(skb)->gso_segs, 1);
}

/* Payload bytes of a segment whose TCP header is at the transport header. */
static inline unsigned int edu_trace_seg_len(const struct sk_buff *skb)
{
	return skb->len - skb_transport_offset(skb) - tcp_hdr(skb)->doff * 4;
}

#endif /* _EDU_TRACE_DEFS_H */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM edu

#if !defined(_EDU_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _EDU_TRACE_H

#include <linux/tracepoint.h>

/*
 * The values the events print by name, exported so that perf and
 * trace-cmd, which read the format files, can print them too.  (The
 * TCPHDR_* flags are macros: the format files have their values.)
 */
TRACE_DEFINE_ENUM(TCP_ESTABLISHED);
TRACE_DEFINE_ENUM(TCP_SYN_SENT);
TRACE_DEFINE_ENUM(TCP_SYN_RECV);
TRACE_DEFINE_ENUM(TCP_FIN_WAIT1);
TRACE_DEFINE_ENUM(TCP_FIN_WAIT2);
TRACE_DEFINE_ENUM(TCP_TIME_WAIT);
TRACE_DEFINE_ENUM(TCP_CLOSE);
TRACE_DEFINE_ENUM(TCP_CLOSE_WAIT);
TRACE_DEFINE_ENUM(TCP_LAST_ACK);
TRACE_DEFINE_ENUM(TCP_LISTEN);
TRACE_DEFINE_ENUM(TCP_CLOSING);
TRACE_DEFINE_ENUM(EDU_TIMER_RETRANSMIT);
TRACE_DEFINE_ENUM(EDU_TIMER_PROBE);
TRACE_DEFINE_ENUM(EDU_TIMER_FIN_WAIT2);
TRACE_DEFINE_ENUM(EDU_TIMER_DELACK);
TRACE_DEFINE_ENUM(EDU_TIMER_KEEPALIVE);
TRACE_DEFINE_ENUM(EDU_TIMER_TIMEWAIT);
TRACE_DEFINE_ENUM(EDU_RTX_TIMEOUT);
TRACE_DEFINE_ENUM(EDU_RTX_DUPACK);
TRACE_DEFINE_ENUM(EDU_RTX_PARTIAL);
TRACE_DEFINE_ENUM(EDU_RTX_SYN);
TRACE_DEFINE_ENUM(EDU_RTX_LOCAL_DROP);
TRACE_DEFINE_ENUM(EDU_CWND_INIT);
TRACE_DEFINE_ENUM(EDU_CWND_ACK);
TRACE_DEFINE_ENUM(EDU_CWND_DUPACK);
TRACE_DEFINE_ENUM(EDU_CWND_TIMEOUT);
TRACE_DEFINE_ENUM(EDU_PHASE_SLOW_START);
TRACE_DEFINE_ENUM(EDU_PHASE_CONG_AVOID);
TRACE_DEFINE_ENUM(EDU_PHASE_RECOVERY);
TRACE_DEFINE_ENUM(EDU_PHASE_LOSS);

/* RFC 9293's names; 0 for a segment sent with no socket (state=-). */
#define edu_show_state(state)						\
	__print_symbolic(state, { 0, "-" },				\
			 { TCP_ESTABLISHED, "ESTABLISHED" },		\
			 { TCP_SYN_SENT, "SYN-SENT" },			\
			 { TCP_SYN_RECV, "SYN-RECEIVED" },		\
			 { TCP_FIN_WAIT1, "FIN-WAIT-1" },		\
			 { TCP_FIN_WAIT2, "FIN-WAIT-2" },		\
			 { TCP_TIME_WAIT, "TIME-WAIT" },		\
			 { TCP_CLOSE, "CLOSED" },			\
			 { TCP_CLOSE_WAIT, "CLOSE-WAIT" },		\
			 { TCP_LAST_ACK, "LAST-ACK" },			\
			 { TCP_LISTEN, "LISTEN" },			\
			 { TCP_CLOSING, "CLOSING" })

#define edu_show_flags(flags)						\
	__print_flags(flags, ",",					\
		      { TCPHDR_FIN, "FIN" },				\
		      { TCPHDR_SYN, "SYN" },				\
		      { TCPHDR_RST, "RST" },				\
		      { TCPHDR_PSH, "PSH" },				\
		      { TCPHDR_ACK, "ACK" },				\
		      { TCPHDR_URG, "URG" },				\
		      { TCPHDR_ECE, "ECE" },				\
		      { TCPHDR_CWR, "CWR" })

#define edu_show_timer(timer)						\
	__print_symbolic(timer,						\
			 { EDU_TIMER_RETRANSMIT, "retransmit" },	\
			 { EDU_TIMER_PROBE, "probe" },			\
			 { EDU_TIMER_FIN_WAIT2, "fin_wait2" },		\
			 { EDU_TIMER_DELACK, "delack" },		\
			 { EDU_TIMER_KEEPALIVE, "keepalive" },		\
			 { EDU_TIMER_TIMEWAIT, "timewait" })

#define edu_show_rtx(reason)						\
	__print_symbolic(reason,					\
			 { EDU_RTX_TIMEOUT, "timeout" },		\
			 { EDU_RTX_DUPACK, "dupack" },			\
			 { EDU_RTX_PARTIAL, "partial_ack" },		\
			 { EDU_RTX_SYN, "syn" },			\
			 { EDU_RTX_LOCAL_DROP, "local_drop" })

#define edu_show_cwnd(reason)						\
	__print_symbolic(reason,					\
			 { EDU_CWND_INIT, "init" },			\
			 { EDU_CWND_ACK, "ack" },			\
			 { EDU_CWND_DUPACK, "dupack" },			\
			 { EDU_CWND_TIMEOUT, "timeout" })

#define edu_show_phase(phase)						\
	__print_symbolic(phase,						\
			 { EDU_PHASE_SLOW_START, "slow_start" },	\
			 { EDU_PHASE_CONG_AVOID, "cong_avoid" },	\
			 { EDU_PHASE_RECOVERY, "recovery" },		\
			 { EDU_PHASE_LOSS, "loss" })

/*
 * The events' bodies are laid out as checkpatch --strict wants them (each
 * argument under its macro's opening parenthesis), not as most of
 * include/trace/events is.
 */

/**
 * edu_state - a connection changed state
 * @sk: the socket, or NULL for a TIME-WAIT record
 * @tw: the TIME-WAIT record, or NULL; both when a socket enters TIME-WAIT
 * @oldstate: the state before
 * @newstate: the state after
 *
 * From edu_set_state(), the one writer of sk_state, and from the TIME-WAIT
 * records: entering TIME-WAIT (tw=1; the socket itself then goes to
 * CLOSED and is freed, as Linux's does), and the record's end.  Setting a
 * socket to the state it is in is not an event.
 */
TRACE_EVENT_CONDITION(edu_state,
		      TP_PROTO(const struct sock *sk,
			       const struct edu_timewait *tw,
			       int oldstate, int newstate),
		      TP_ARGS(sk, tw, oldstate, newstate),
		      TP_CONDITION(oldstate != newstate),
		      TP_STRUCT__entry(__field(const void *, skaddr)
				       __field(bool, tw)
				       __field(unsigned int, net)
				       __array(u8, laddr, 4)
				       __array(u8, raddr, 4)
				       __field(u16, lport)
				       __field(u16, rport)
				       __field(int, oldstate)
				       __field(int, newstate)),
		      TP_fast_assign(__entry->skaddr = tw ? (void *)tw : sk;
				     __entry->tw = !!tw;
				     __entry->net = edu_trace_netns(sk, tw);
				     edu_trace_addrs(sk, tw, __entry->laddr,
						     &__entry->lport,
						     __entry->raddr,
						     &__entry->rport);
				     __entry->oldstate = oldstate;
				     __entry->newstate = newstate;),
		      TP_printk("local=%pI4:%u remote=%pI4:%u old=%s new=%s sk=%p tw=%d net=%u",
				__entry->laddr, __entry->lport,
				__entry->raddr, __entry->rport,
				edu_show_state(__entry->oldstate),
				edu_show_state(__entry->newstate),
				__entry->skaddr, __entry->tw, __entry->net));

/*
 * A segment, from its headers: the IP header at the network header, the
 * TCP header at the transport header.  src and dst as it travels.
 */
DECLARE_EVENT_CLASS(edu_segment,
		    TP_PROTO(const struct net *net, const struct sock *sk,
			     const struct edu_timewait *tw,
			     const struct sk_buff *skb),
		    TP_ARGS(net, sk, tw, skb),
		    TP_STRUCT__entry(__field(const void *, skaddr)
				     __field(bool, tw)
				     __field(unsigned int, net)
				     __array(u8, saddr, 4)
				     __array(u8, daddr, 4)
				     __field(u16, sport)
				     __field(u16, dport)
				     __field(int, state)
				     __field(u8, flags)
				     __field(u32, seq)
				     __field(u32, ack)
				     __field(u16, win)
				     __field(u32, len)
				     __field(u16, segs)),
		    TP_fast_assign(const struct tcphdr *th = tcp_hdr(skb);

				   __entry->skaddr = tw ? (void *)tw : sk;
				   __entry->tw = !!tw;
				   __entry->net = net->ns.inum;
				   memcpy(__entry->saddr, &ip_hdr(skb)->saddr,
					  4);
				   memcpy(__entry->daddr, &ip_hdr(skb)->daddr,
					  4);
				   __entry->sport = ntohs(th->source);
				   __entry->dport = ntohs(th->dest);
				   __entry->state = edu_trace_state(sk, tw);
				   __entry->flags = tcp_flag_byte(th);
				   __entry->seq = ntohl(th->seq);
				   __entry->ack = ntohl(th->ack_seq);
				   __entry->win = ntohs(th->window);
				   __entry->len = edu_trace_seg_len(skb);
				   __entry->segs = edu_trace_segs(skb);),
		    TP_printk("src=%pI4:%u dst=%pI4:%u state=%s flags=%s seq=%u ack=%u win=%u len=%u segs=%u sk=%p tw=%d net=%u",
			      __entry->saddr, __entry->sport,
			      __entry->daddr, __entry->dport,
			      edu_show_state(__entry->state),
			      edu_show_flags(__entry->flags),
			      __entry->seq, __entry->ack, __entry->win,
			      __entry->len, __entry->segs, __entry->skaddr,
			      __entry->tw, __entry->net));

/**
 * edu_segment_send - a segment leaves, to ip_local_out()
 * @net: the namespace
 * @sk: the socket sending it, or NULL (a RST answering a segment, an ACK
 *	from a TIME-WAIT record): state=-
 * @tw: always NULL
 * @skb: the segment, its IP and TCP headers filled in
 */
DEFINE_EVENT(edu_segment, edu_segment_send,
	     TP_PROTO(const struct net *net, const struct sock *sk,
		      const struct edu_timewait *tw,
		      const struct sk_buff *skb),
	     TP_ARGS(net, sk, tw, skb));

/**
 * edu_segment_recv - a segment arrives for a socket or TIME-WAIT record
 * @net: the namespace
 * @sk: the socket, in the state the segment finds it in; or NULL
 * @tw: the TIME-WAIT record, or NULL
 * @skb: the segment, checksum verified; a GRO-merged one is one event,
 *	segs= tells how many it merged
 */
DEFINE_EVENT(edu_segment, edu_segment_recv,
	     TP_PROTO(const struct net *net, const struct sock *sk,
		      const struct edu_timewait *tw,
		      const struct sk_buff *skb),
	     TP_ARGS(net, sk, tw, skb));

/**
 * edu_retransmit - a segment of the write queue goes again
 * @sk: the socket
 * @skb: the queued segment (payload only); its edu_segment_send follows
 *
 * seq, len and flags are the queued segment's (ACK and PSH are added when
 * it is sent); retransmits and rto_ms the TCB's at that moment.
 */
TRACE_EVENT(edu_retransmit,
	    TP_PROTO(const struct sock *sk, const struct sk_buff *skb),
	    TP_ARGS(sk, skb),
	    TP_STRUCT__entry(__field(const void *, skaddr)
			     __field(unsigned int, net)
			     __array(u8, laddr, 4)
			     __array(u8, raddr, 4)
			     __field(u16, lport)
			     __field(u16, rport)
			     __field(int, state)
			     __field(int, reason)
			     __field(u8, flags)
			     __field(u32, seq)
			     __field(u32, len)
			     __field(u8, retransmits)
			     __field(u32, rto_ms)),
	    TP_fast_assign(const struct edu_tcb *tcb = &edu_sk(sk)->tcb;

			   __entry->skaddr = sk;
			   __entry->net = edu_trace_netns(sk, NULL);
			   edu_trace_addrs(sk, NULL, __entry->laddr,
					   &__entry->lport, __entry->raddr,
					   &__entry->rport);
			   __entry->state = sk->sk_state;
			   __entry->reason = edu_trace_rtx_reason(sk, skb);
			   __entry->flags = EDU_SKB_CB(skb)->flags;
			   __entry->seq = EDU_SKB_CB(skb)->seq;
			   __entry->len = skb->len;
			   __entry->retransmits = tcb->retransmits;
			   __entry->rto_ms = jiffies_to_msecs(tcb->rto);),
	    TP_printk("local=%pI4:%u remote=%pI4:%u state=%s reason=%s flags=%s seq=%u len=%u retransmits=%u rto_ms=%u sk=%p net=%u",
		      __entry->laddr, __entry->lport,
		      __entry->raddr, __entry->rport,
		      edu_show_state(__entry->state),
		      edu_show_rtx(__entry->reason),
		      edu_show_flags(__entry->flags),
		      __entry->seq, __entry->len, __entry->retransmits,
		      __entry->rto_ms, __entry->skaddr, __entry->net));

/**
 * edu_timer - a timer expired and its handler runs, the socket locked
 * @sk: the socket, or NULL for a TIME-WAIT record
 * @tw: the TIME-WAIT record, or NULL
 * @which: enum edu_trace_timer; EDU_TIMER_RETRANSMIT for the rtx_timer,
 *	told apart here into retransmit, probe and fin_wait2
 *
 * The TCB's values are those the handler starts from (before any
 * backoff); a TIME-WAIT record has none (zeros).
 */
TRACE_EVENT(edu_timer,
	    TP_PROTO(const struct sock *sk, const struct edu_timewait *tw,
		     int which),
	    TP_ARGS(sk, tw, which),
	    TP_STRUCT__entry(__field(const void *, skaddr)
			     __field(bool, tw)
			     __field(unsigned int, net)
			     __array(u8, laddr, 4)
			     __array(u8, raddr, 4)
			     __field(u16, lport)
			     __field(u16, rport)
			     __field(int, state)
			     __field(int, timer)
			     __field(u8, retransmits)
			     __field(u8, backoff)
			     __field(u8, probes)
			     __field(bool, ack_pending)
			     __field(u32, rto_ms)
			     __field(u32, snd_una)
			     __field(u32, snd_nxt)
			     __field(u32, snd_wnd)),
	    TP_fast_assign(const struct edu_tcb *tcb = edu_trace_tcb(sk);

			   __entry->skaddr = tw ? (void *)tw : sk;
			   __entry->tw = !!tw;
			   __entry->net = edu_trace_netns(sk, tw);
			   edu_trace_addrs(sk, tw, __entry->laddr,
					   &__entry->lport, __entry->raddr,
					   &__entry->rport);
			   __entry->state = edu_trace_state(sk, tw);
			   __entry->timer = edu_trace_timer_kind(sk, which);
			   __entry->retransmits = tcb->retransmits;
			   __entry->backoff = tcb->backoff;
			   __entry->probes = tcb->probes_out;
			   __entry->ack_pending = tcb->ack_pending;
			   __entry->rto_ms = jiffies_to_msecs(tcb->rto);
			   __entry->snd_una = tcb->snd_una;
			   __entry->snd_nxt = tcb->snd_nxt;
			   __entry->snd_wnd = tcb->snd_wnd;),
	    TP_printk("local=%pI4:%u remote=%pI4:%u state=%s timer=%s retransmits=%u backoff=%u rto_ms=%u snd_una=%u snd_nxt=%u snd_wnd=%u probes=%u ack_pending=%d sk=%p tw=%d net=%u",
		      __entry->laddr, __entry->lport,
		      __entry->raddr, __entry->rport,
		      edu_show_state(__entry->state),
		      edu_show_timer(__entry->timer),
		      __entry->retransmits, __entry->backoff,
		      __entry->rto_ms, __entry->snd_una, __entry->snd_nxt,
		      __entry->snd_wnd, __entry->probes,
		      __entry->ack_pending, __entry->skaddr, __entry->tw,
		      __entry->net));

/**
 * edu_cwnd - the congestion window or ssthresh changed
 * @sk: the socket, its tcb.cc already updated
 * @prior_cwnd: cwnd before
 * @prior_ssthresh: ssthresh before
 * @reason: enum edu_trace_cwnd; EDU_CWND_ACK is reported as
 *	EDU_CWND_DUPACK when the ACK was a duplicate (tcb.dupacks counts it)
 *
 * Only changes are events, and the initial window.  phase= is where
 * congestion control is now; inflight= the bytes in flight now.
 */
TRACE_EVENT_CONDITION(edu_cwnd,
		      TP_PROTO(const struct sock *sk, u32 prior_cwnd,
			       u32 prior_ssthresh, int reason),
		      TP_ARGS(sk, prior_cwnd, prior_ssthresh, reason),
		      TP_CONDITION(reason == EDU_CWND_INIT ||
				   prior_cwnd != edu_sk(sk)->tcb.cc.cwnd ||
				   prior_ssthresh !=
				   edu_sk(sk)->tcb.cc.ssthresh),
		      TP_STRUCT__entry(__field(const void *, skaddr)
				       __field(unsigned int, net)
				       __array(u8, laddr, 4)
				       __array(u8, raddr, 4)
				       __field(u16, lport)
				       __field(u16, rport)
				       __field(int, state)
				       __field(int, reason)
				       __field(int, phase)
				       __field(u32, cwnd)
				       __field(u32, prior_cwnd)
				       __field(u32, ssthresh)
				       __field(u32, prior_ssthresh)
				       __field(u32, mss)
				       __field(u32, inflight)),
		      TP_fast_assign(const struct edu_tcb *tcb =
						&edu_sk(sk)->tcb;

				     __entry->skaddr = sk;
				     __entry->net = edu_trace_netns(sk, NULL);
				     edu_trace_addrs(sk, NULL, __entry->laddr,
						     &__entry->lport,
						     __entry->raddr,
						     &__entry->rport);
				     __entry->state = sk->sk_state;
				     __entry->reason =
					edu_trace_cwnd_reason(tcb, reason);
				     __entry->phase = edu_trace_phase(&tcb->cc);
				     __entry->cwnd = tcb->cc.cwnd;
				     __entry->prior_cwnd = prior_cwnd;
				     __entry->ssthresh = tcb->cc.ssthresh;
				     __entry->prior_ssthresh = prior_ssthresh;
				     __entry->mss = tcb->mss;
				     __entry->inflight = edu_in_flight(sk);),
		      TP_printk("local=%pI4:%u remote=%pI4:%u state=%s reason=%s phase=%s cwnd=%u prior_cwnd=%u ssthresh=%u prior_ssthresh=%u mss=%u inflight=%u sk=%p net=%u",
				__entry->laddr, __entry->lport,
				__entry->raddr, __entry->rport,
				edu_show_state(__entry->state),
				edu_show_cwnd(__entry->reason),
				edu_show_phase(__entry->phase),
				__entry->cwnd, __entry->prior_cwnd,
				__entry->ssthresh, __entry->prior_ssthresh,
				__entry->mss, __entry->inflight,
				__entry->skaddr, __entry->net));

#endif /* _EDU_TRACE_H */

/* Not under include/trace/events: found through -I$(src), see the top. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
