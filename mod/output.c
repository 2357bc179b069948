// SPDX-License-Identifier: GPL-2.0
/*
 * output.c - building and sending segments.
 *
 * The module builds the TCP and IP headers itself and hands the packet to
 * ip_local_out(), so netfilter, routing, GSO and tcpdump see ordinary TCP.
 * The write queue (sk_write_queue) holds one skb per segment, payload only;
 * a clone gets the headers when the segment goes out, and the original
 * stays queued until acknowledged, for retransmission.
 *
 * Everything here runs with the socket locked (process context owning it,
 * or softirq holding its spinlock).  Transmission never happens with a lock
 * the receive path takes: on loopback the peer's answer can be processed
 * before ip_local_out() returns.
 */
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/secure_seq.h>
#include <net/tcp.h>

#include "edu.h"
#include "options.h"
#include "seq.h"
#include "trace.h"

/* Add the IP header and send; consumes @skb and a reference on @rt. */
static int edu_ip_xmit(struct net *net, struct sock *sk, struct sk_buff *skb,
		       struct rtable *rt, __be32 saddr, __be32 daddr)
{
	struct iphdr *iph;

	skb_dst_set(skb, &rt->dst);
	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = sk ? READ_ONCE(inet_sk(sk)->tos) : 0;	/* IP_TOS */
	/* DF: path MTU discovery (RFC 1191); segments fit the route's MTU. */
	iph->frag_off = htons(IP_DF);
	/* IP_TTL, or the route's hop limit (ip_select_ttl()). */
	iph->ttl = sk && READ_ONCE(inet_sk(sk)->uc_ttl) > 0 ?
		   READ_ONCE(inet_sk(sk)->uc_ttl) :
		   ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_TCP;
	iph->saddr = saddr;
	iph->daddr = daddr;
	ip_select_ident(net, skb, sk);
	if (sk) {
		skb->priority = READ_ONCE(sk->sk_priority);
		skb->mark = READ_ONCE(sk->sk_mark);
	}
	edu_mib_inc(net, EDU_MIB_OUTSEGS);
	trace_edu_segment_send(net, sk, NULL, skb);
	/* ip_local_out() sets tot_len and the IP checksum. */
	return ip_local_out(net, sk, skb);
}

/* TCP checksum by offload (MUST-2): the stack or the device completes it. */
static void edu_csum_partial(struct sk_buff *skb, __be32 saddr, __be32 daddr)
{
	struct tcphdr *th = tcp_hdr(skb);

	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct tcphdr, check);
	th->check = ~tcp_v4_check(skb->len, saddr, daddr, 0);
}

/* The socket's route, cached in the socket while valid. */
static struct rtable *edu_route(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct dst_entry *dst = __sk_dst_check(sk, 0);
	struct flowi4 fl4;
	struct rtable *rt;

	if (dst)
		return container_of(dst_clone(dst), struct rtable, dst);
	rt = ip_route_output_ports(sock_net(sk), &fl4, sk, inet->inet_daddr,
				   inet->inet_saddr, inet->inet_dport,
				   inet->inet_sport, IPPROTO_TCP,
				   RT_TOS(inet->tos), sk->sk_bound_dev_if);
	if (IS_ERR(rt))
		return rt;
	sk_dst_set(sk, dst_clone(&rt->dst));
	return rt;
}

/*
 * The largest window we advertise: what the window field can carry, 65535
 * shifted by our window scale (RFC 7323 section 2.3), and no more than
 * TCP_WINDOW_CLAMP.
 */
static u32 edu_wnd_max(const struct sock *sk)
{
	const struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	u32 clamp = READ_ONCE(tcb->window_clamp);
	u32 max = EDU_MAX_WINDOW << READ_ONCE(tcb->rcv_wscale);

	return clamp ? min(clamp, max) : max;
}

/**
 * edu_rcv_space() - the receive window the buffer can back right now
 * @sk: the socket
 *
 * The free receive buffer, scaled by the payload-to-memory ratio of the
 * segments received so far (tcb.rcv_ratio; half, before any arrived), so
 * that a full window fits in SO_RCVBUF however the driver allocated the
 * segments, as Linux's scaling_ratio does.  At most what the window field
 * can carry (65535 shifted by our window scale, RFC 7323 section 2.3), and
 * at most TCP_WINDOW_CLAMP.
 *
 * Return: window in bytes.
 */
u32 edu_rcv_space(const struct sock *sk)
{
	int space = READ_ONCE(sk->sk_rcvbuf) - atomic_read(&sk->sk_rmem_alloc);
	const struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	u32 ratio = READ_ONCE(tcb->rcv_ratio);

	if (space <= 0)
		return 0;
	return min_t(u32, (u64)space * ratio >> 8, edu_wnd_max(sk));
}

/**
 * edu_rcv_wscale() - the window scale shift to offer in our SYN
 * @sk: a socket about to send a SYN or a SYN-ACK
 *
 * RFC 7323 section 2.2: the shift is fixed for the connection's life, so
 * it is chosen for the largest buffer the socket may ever have: tcp_rmem's
 * maximum, or the SO_RCVBUF the application fixed, as Linux's
 * tcp_select_initial_window() does, but no more than TCP_WINDOW_CLAMP;
 * the smallest shift that lets that be advertised in 16 bits, at most 14.
 *
 * Return: the shift count.
 */
u8 edu_rcv_wscale(const struct sock *sk)
{
	u32 space = READ_ONCE(sk->sk_rcvbuf);
	u8 wscale = 0;

	if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK))
		space = max_t(u32, space,
			      READ_ONCE(edu_net_sysctl(sock_net(sk))->rmem[2]));
	if (edu_sk(sk)->tcb.window_clamp)
		space = min(space, edu_sk(sk)->tcb.window_clamp);
	while (space > EDU_MAX_WINDOW && wscale < EDU_MAX_WSCALE) {
		space >>= 1;
		wscale++;
	}
	return wscale;
}

/*
 * Receiver-side silly window avoidance, RFC 9293 section 3.8.6.2.2
 * (MUST-39): the right edge moves only by at least min(Fr * RCV.BUFF,
 * Eff.snd.MSS), Fr = 1/2.  Eff.snd.MSS is the peer's, the largest segment
 * it may send us: the MSS we offered, less the timestamps option if
 * every segment carries one (edu_rcv_full_mss()).  RCV.BUFF is the largest
 * window this buffer can ever offer, so that the step can always be
 * reached.
 */
static u32 edu_rcv_sws_step(const struct sock *sk)
{
	const struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	u32 buff = min_t(u32, (u64)READ_ONCE(sk->sk_rcvbuf) *
			 tcb->rcv_ratio >> 8, edu_wnd_max(sk));

	return min_t(u32, buff / 2, edu_rcv_full_mss(tcb));
}

/**
 * edu_rcv_wnd_left() - the window still open to the peer
 * @tcb: the connection
 *
 * Return: the advertised right edge less RCV.NXT, the window an arriving
 * segment meets (RFC 9293 section 3.10.7.4).
 */
u32 edu_rcv_wnd_left(const struct edu_tcb *tcb)
{
	u32 edge = tcb->rcv_wup + tcb->rcv_wnd;

	return edu_seq_after(edge, tcb->rcv_nxt) ? edge - tcb->rcv_nxt : 0;
}

/*
 * The window to advertise now (RFC 9293 section 3.8.6), as the header's
 * field carries it.  The right edge never moves left (shrinking is
 * discouraged, section 3.8.6), and moves right only by the silly-window
 * step.  RFC 7323 section 2.3: the field holds the window shifted right
 * by our scale, except on a SYN, which is never scaled (so at most 65535
 * there); the window is rounded up to the scale's unit, as Linux does,
 * because rounding down could move the right edge left.
 */
static u16 edu_select_window(struct sock *sk, bool syn)
{
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	u8 wscale = syn ? 0 : tcb->rcv_wscale;
	u32 cur = edu_rcv_wnd_left(tcb);
	u32 wnd = edu_rcv_space(sk);

	if (wnd < cur + edu_rcv_sws_step(sk))
		wnd = cur;
	wnd = min(ALIGN(wnd, 1U << wscale), EDU_MAX_WINDOW << wscale);
	tcb->rcv_wnd = wnd;
	tcb->rcv_wup = tcb->rcv_nxt;
	return wnd >> wscale;
}

/*
 * Push the TCP header onto @skb (payload only) for @sk's connection and
 * send it.  SYNs carry the MSS option (MUST-14); every segment but the
 * first SYN acknowledges RCV.NXT.
 */
static int edu_send_segment(struct sock *sk, struct sk_buff *skb, u32 seq,
			    u8 flags)
{
	struct inet_sock *inet = inet_sk(sk);
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	u8 opts[EDU_MAX_OPTION_SPACE];
	unsigned int optlen = 0;
	struct tcphdr *th;
	struct rtable *rt;

	rt = edu_route(sk);
	if (IS_ERR(rt)) {
		edu_mib_inc(sock_net(sk), EDU_MIB_NOROUTE);
		kfree_skb(skb);
		return PTR_ERR(rt);
	}
	/*
	 * RFC 7323: a SYN offers window scaling and timestamps (a SYN-ACK
	 * only those the SYN offered), and once timestamps are on every
	 * segment carries them, echoing TS.Recent (section 3.2).  Only our
	 * first SYN has no TSecr to echo.
	 */
	if (flags & TCPHDR_SYN)
		optlen = edu_options_write_syn(opts, tcb->advmss,
					       tcb->wscale_ok ?
					       tcb->rcv_wscale : -1,
					       tcb->ts_ok,
					       edu_tsval(tcb->ts_off),
					       flags & TCPHDR_ACK ?
					       tcb->ts_recent : 0);
	else if (tcb->ts_ok)
		optlen = edu_options_write_ts(opts, edu_tsval(tcb->ts_off),
					      tcb->ts_recent);

	th = skb_push(skb, sizeof(*th) + optlen);
	skb_reset_transport_header(skb);
	memset(th, 0, sizeof(*th));
	th->source = inet->inet_sport;
	th->dest = inet->inet_dport;
	th->seq = htonl(seq);
	if (flags & TCPHDR_ACK)
		th->ack_seq = htonl(tcb->rcv_nxt);
	th->doff = (sizeof(*th) + optlen) / 4;
	tcp_flag_byte(th) = flags;
	th->window = htons(edu_select_window(sk, flags & TCPHDR_SYN));
	memcpy(th + 1, opts, optlen);
	edu_csum_partial(skb, inet->inet_saddr, inet->inet_daddr);

	if (flags & TCPHDR_ACK)
		edu_ack_sent(sk);
	if (flags & TCPHDR_RST)
		edu_mib_inc(sock_net(sk), EDU_MIB_OUTRSTS);
	tcb->stats.segs_out++;
	skb_set_owner_w(skb, sk);
	return edu_ip_xmit(sock_net(sk), sk, skb, rt, inet->inet_saddr,
			   inet->inet_daddr);
}

/* A segment with no payload: ACK, RST, SYN or a window probe. */
static void edu_send_control(struct sock *sk, u32 seq, u8 flags)
{
	struct sk_buff *skb = alloc_skb(MAX_TCP_HEADER, GFP_ATOMIC);

	if (!skb)
		return;
	skb_reserve(skb, MAX_TCP_HEADER);
	edu_send_segment(sk, skb, seq, flags);
}

/*
 * Send a queued segment: a copy goes out, the original stays queued until
 * acknowledged.  If an earlier copy is still in flight (a retransmission
 * while it sits in a queue), the headroom is shared, so the data is copied.
 */
static int edu_transmit_queued(struct sock *sk, struct sk_buff *skb)
{
	struct edu_skb_cb *cb = EDU_SKB_CB(skb);
	struct edu_stats *stats = &edu_sk(sk)->tcb.stats;
	struct sk_buff *copy;
	u8 flags = cb->flags;

	if (!(flags & TCPHDR_SYN) || sk->sk_state != TCP_SYN_SENT)
		flags |= TCPHDR_ACK;
	if (skb->len && skb_queue_is_last(&sk->sk_write_queue, skb))
		flags |= TCPHDR_PSH;
	copy = skb_cloned(skb) ? pskb_copy(skb, GFP_ATOMIC) :
				 skb_clone(skb, GFP_ATOMIC);
	if (!copy)
		return -ENOBUFS;
	/* For RTT samples: when, and whether this is a retransmission. */
	if (cb->sent_us) {
		trace_edu_retransmit(sk, skb);
		cb->retransmitted = 1;
		stats->retrans_segs++;
		stats->bytes_retrans += skb->len;
	}
	cb->sent_us = edu_now_us() ?: 1;
	if (skb->len) {
		stats->data_segs_out++;
		stats->bytes_sent += skb->len;
		stats->data_sent = jiffies;
	}
	return edu_send_segment(sk, copy, cb->seq, flags);
}

/**
 * edu_send_ack() - acknowledge RCV.NXT now
 * @sk: the socket, locked
 */
void edu_send_ack(struct sock *sk)
{
	edu_send_control(sk, edu_sk(sk)->tcb.snd_nxt, TCPHDR_ACK);
}

/**
 * edu_send_active_reset() - abort the connection with a RST (3.10.4)
 * @sk: the socket, locked
 */
void edu_send_active_reset(struct sock *sk)
{
	edu_send_control(sk, edu_sk(sk)->tcb.snd_nxt, TCPHDR_RST | TCPHDR_ACK);
}

/**
 * edu_send_mss() - the payload size to cut the stream into
 * @tcb: the connection
 *
 * The effective MSS, but at most half the largest window the peer offered
 * (as Linux's tcp_bound_to_half_wnd()): with a small window, a segment as
 * big as the whole window would stall until the window emptied.
 *
 * Return: bytes per segment.
 */
u32 edu_send_mss(const struct edu_tcb *tcb)
{
	u32 cutoff = tcb->max_wnd > EDU_MSS_DEFAULT ? tcb->max_wnd / 2 :
						      tcb->max_wnd;

	if (!cutoff)
		return tcb->mss;
	return max_t(u32, min_t(u32, tcb->mss, cutoff), 64);
}

/*
 * Cut the unsent @skb after @len bytes; the rest becomes a new segment
 * right behind it, carrying the FIN if there was one.
 */
static int edu_split(struct sock *sk, struct sk_buff *skb, u32 len)
{
	struct edu_skb_cb *cb = EDU_SKB_CB(skb), *ncb;
	u32 rest = skb->len - len;
	struct sk_buff *nskb;

	nskb = alloc_skb(MAX_TCP_HEADER + rest, GFP_ATOMIC);
	if (!nskb)
		return -ENOBUFS;
	skb_reserve(nskb, MAX_TCP_HEADER);
	edu_skb_track(nskb);
	skb_put_data(nskb, skb->data + len, rest);
	skb_trim(skb, len);
	ncb = EDU_SKB_CB(nskb);
	ncb->seq = cb->seq + len;
	ncb->end_seq = cb->end_seq;
	ncb->flags = cb->flags;
	cb->end_seq = ncb->seq;
	cb->flags &= ~TCPHDR_FIN;
	sk_wmem_queued_add(sk, nskb->truesize);
	__skb_queue_after(&sk->sk_write_queue, skb, nskb);
	return 0;
}

/* Send the first unsent segment and move SND.NXT and the send head on. */
static int edu_send_head(struct sock *sk)
{
	struct edu_sock *esk = edu_sk(sk);
	struct sk_buff *skb = esk->send_head;
	int err;

	err = edu_transmit_queued(sk, skb);
	if (err)
		return err;
	if (edu_seq_after(EDU_SKB_CB(skb)->end_seq, esk->tcb.snd_nxt))
		esk->tcb.snd_nxt = EDU_SKB_CB(skb)->end_seq;
	esk->send_head = skb_queue_is_last(&sk->sk_write_queue, skb) ?
			 NULL : skb->next;
	return 0;
}

/**
 * edu_send_probe() - probe a window too small for the next segment
 * @sk: the socket, locked, with unsent data and nothing in flight
 *
 * RFC 9293 section 3.8.6.1.  If the window has any room, as much of the
 * next segment as fits goes out (as Linux's tcp_write_wakeup()): silly
 * window avoidance must not stall a connection whose peer offers a window
 * just short of a segment.  A window of zero gets a segment with an old
 * sequence number (SND.UNA - 1), which the peer answers with an ACK
 * carrying its current window and cannot take as data.  A SYN or a bare
 * FIN is not held by the window: if one is waiting (its transmission
 * was dropped before it left the host), it goes itself; in SYN-SENT the
 * window is not even known.
 */
void edu_send_probe(struct sock *sk)
{
	struct edu_sock *esk = edu_sk(sk);
	struct edu_tcb *tcb = &esk->tcb;
	struct sk_buff *skb = esk->send_head;
	u32 usable = tcb->snd_wnd;

	if (skb && (usable || !skb->len)) {
		if (skb->len > usable && edu_split(sk, skb, usable))
			return;
		edu_send_head(sk);
		return;
	}
	edu_send_control(sk, tcb->snd_una - 1, TCPHDR_ACK);
}

/**
 * edu_in_flight() - bytes the network holds for us, as far as we know
 * @sk: the socket, locked
 *
 * RFC 5681's FlightSize is SND.NXT - SND.UNA.  After a retransmission
 * timeout, though, everything from esk->rtx_head on counts as lost and no
 * longer in the network (as Linux's "lost" mark): only what was sent again
 * since then, SND.UNA up to the next segment to resend, is in flight.
 *
 * Return: bytes in flight.
 */
u32 edu_in_flight(const struct sock *sk)
{
	const struct edu_sock *esk = edu_sk(sk);

	if (esk->rtx_head) {
		u32 lost = EDU_SKB_CB(esk->rtx_head)->seq;

		/* (The peer may have acknowledged part of that segment.) */
		return edu_seq_after(lost, esk->tcb.snd_una) ?
		       lost - esk->tcb.snd_una : 0;
	}
	return esk->tcb.snd_nxt - esk->tcb.snd_una;
}

/*
 * May a segment of @len bytes go out now?  The congestion window (RFC 5681
 * section 3.1) limits data in flight; a segment with no payload (FIN) and
 * the first segment when nothing is in flight always may, so that a window
 * smaller than a segment never stalls the connection.
 */
static bool edu_cwnd_allows(const struct sock *sk, u32 len)
{
	u32 in_flight = edu_in_flight(sk);

	return !len || !in_flight ||
	       in_flight + len <= edu_sk(sk)->tcb.cc.cwnd;
}

/*
 * After a timeout, send the segments counted lost again, oldest first, as
 * far as the congestion window (one segment after the timeout, growing by
 * slow start with each ACK) and the peer's window allow: "go back N",
 * paced.  The first of them goes even into a closed window (RFC 9293
 * section 3.8.6.1: retransmissions are not held back by it).
 */
static void edu_push_lost(struct sock *sk)
{
	struct edu_sock *esk = edu_sk(sk);
	struct edu_tcb *tcb = &esk->tcb;
	struct sk_buff *skb;

	while ((skb = esk->rtx_head)) {
		struct edu_skb_cb *cb = EDU_SKB_CB(skb);
		bool first = !edu_seq_after(cb->seq, tcb->snd_una);

		if (!first && (!edu_cwnd_allows(sk, skb->len) ||
			       edu_seq_after(cb->end_seq - !!(cb->flags &
							      TCPHDR_FIN),
					     tcb->snd_una + tcb->snd_wnd)))
			break;
		if (edu_transmit_queued(sk, skb))
			break;
		edu_mib_inc(sock_net(sk), EDU_MIB_RETRANSSEGS);
		esk->rtx_head = skb_queue_is_last(&sk->sk_write_queue, skb) ||
				skb->next == esk->send_head ? NULL : skb->next;
	}
}

/*
 * Nagle's algorithm (RFC 9293 section 3.7.4) and TCP_CORK: may the short
 * last segment wait for more data?  Linux's tcp_nagle_check(), but with
 * Nagle as the RFC has it (any data in flight holds a short segment back,
 * not only a short one: no Minshall variant).
 */
static bool edu_nagle_holds(const struct sock *sk, enum edu_push_how how)
{
	const struct edu_tcb *tcb = &edu_sk(sk)->tcb;

	switch (how) {
	case EDU_PUSH_NOW:
		return false;
	case EDU_PUSH_MORE:
		return true;
	default:
		return tcb->cork ||
		       (!tcb->nodelay && tcb->snd_nxt != tcb->snd_una);
	}
}

/**
 * __edu_push() - send what the window, Nagle and TCP_CORK allow
 * @sk: the socket, locked
 * @how: what to do with a short last segment (enum edu_push_how)
 *
 * RFC 9293 section 3.8.6: never beyond SND.UNA + SND.WND (MUST-34: a
 * window that shrank below what is in flight is simply a window of zero).
 * Section 3.8.6.2.1, sender-side silly window avoidance (MUST-38): a
 * segment goes out if it is full-sized, or if the usable window holds it
 * all and Nagle's algorithm (section 3.7.4, which TCP_NODELAY turns off,
 * MUST-17) does not hold it back: short segments wait while data is
 * unacknowledged.  TCP_CORK and MSG_MORE hold a short last segment
 * whatever is in flight (section 3.9.1.2's MAY-16: collect unpushed data),
 * until it fills up, the application uncorks or the retransmission timer
 * sends it (edu_send_held()).  A SYN or a FIN is never held back.  A
 * segment larger than the usable window is cut to fit if at least half
 * the largest window offered is usable.  The congestion window (RFC 5681)
 * bounds the data in flight as well.
 */
void __edu_push(struct sock *sk, enum edu_push_how how)
{
	struct edu_sock *esk = edu_sk(sk);
	struct edu_tcb *tcb = &esk->tcb;
	struct sk_buff *skb;

	/* What a timeout counted lost goes before new data. */
	edu_push_lost(sk);
	while (!esk->rtx_head && (skb = esk->send_head)) {
		struct edu_skb_cb *cb = EDU_SKB_CB(skb);
		u32 wnd_end = tcb->snd_una + tcb->snd_wnd;
		u32 usable = edu_seq_after(wnd_end, cb->seq) ?
			     wnd_end - cb->seq : 0;

		/* The window limits data; SYN and FIN may go beyond it. */
		if (skb->len > usable) {
			if (!usable || usable < min(edu_send_mss(tcb),
						    tcb->max_wnd / 2) ||
			    edu_split(sk, skb, usable))
				break;
		}
		if (skb->len < edu_send_mss(tcb) &&
		    !(cb->flags & (TCPHDR_FIN | TCPHDR_SYN)) &&
		    skb_queue_is_last(&sk->sk_write_queue, skb) &&
		    edu_nagle_holds(sk, how))
			break;
		if (!edu_cwnd_allows(sk, skb->len))
			break;
		if (edu_send_head(sk))
			break;
	}
	/*
	 * Data in flight: the retransmission timer.  Nothing in flight but
	 * data waiting for the window, or held by TCP_CORK or MSG_MORE: the
	 * same timer sends probes, or what was held.
	 */
	if (tcb->snd_nxt != tcb->snd_una || esk->send_head)
		edu_rtx_arm(sk);
}

/**
 * edu_send_held() - the timer sends what TCP_CORK or MSG_MORE held back
 * @sk: the socket, locked, with nothing in flight
 *
 * A short segment held for more data that did not come goes once the
 * retransmission timer expires, one RTO (at least rto_min_ms, 200 ms)
 * after it was held, as Linux's probe timer sends it: the "200 ms
 * ceiling" of TCP_CORK in tcp(7).  Nothing is held if the window is what
 * stops the segment; that is a window probe's job.
 *
 * Return: true if the held segment was sent.
 */
bool edu_send_held(struct sock *sk)
{
	struct edu_sock *esk = edu_sk(sk);
	struct edu_tcb *tcb = &esk->tcb;
	struct sk_buff *skb = esk->send_head;

	if (!skb || tcb->snd_nxt != tcb->snd_una ||
	    edu_seq_after(EDU_SKB_CB(skb)->seq + skb->len,
			  tcb->snd_una + tcb->snd_wnd))
		return false;
	__edu_push(sk, EDU_PUSH_NOW);
	return tcb->snd_nxt != tcb->snd_una;
}

/**
 * edu_retransmit_head() - send the oldest unacknowledged segment again
 * @sk: the socket, locked
 */
void edu_retransmit_head(struct sock *sk)
{
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	if (!skb || skb == edu_sk(sk)->send_head)
		return;
	edu_mib_inc(sock_net(sk), EDU_MIB_RETRANSSEGS);
	edu_transmit_queued(sk, skb);
}

/**
 * edu_retransmit_all() - after a timeout, send the flight again
 * @sk: the socket, locked
 *
 * RFC 6298 section 5.4 resends the earliest segment.  Without selective
 * acknowledgments, though, a timeout means that anything after the first
 * lost segment may be lost too: resending one segment per timeout would
 * recover one segment per RTO.  Like Linux, which after a timeout marks
 * the whole flight lost, the flight is sent again from SND.UNA ("go back
 * N"), SND.NXT unchanged, paced by the congestion window, which the
 * timeout has just brought down to one segment (RFC 5681 section 3.1).
 * What the receiver already holds in its out-of-order queue is acknowledged
 * cumulatively as the hole fills, which moves the resending past it.
 */
void edu_retransmit_all(struct sock *sk)
{
	struct edu_sock *esk = edu_sk(sk);
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	if (!skb || skb == esk->send_head)
		return;
	esk->rtx_head = skb;
	edu_push_lost(sk);
}

/* Queue a payload-less segment (SYN or FIN) on the write queue. */
static int edu_queue_control(struct sock *sk, u8 flags)
{
	struct edu_sock *esk = edu_sk(sk);
	struct sk_buff *skb = alloc_skb(MAX_TCP_HEADER, sk->sk_allocation);
	struct edu_skb_cb *cb;

	if (!skb)
		return -ENOBUFS;
	skb_reserve(skb, MAX_TCP_HEADER);
	edu_skb_track(skb);
	cb = EDU_SKB_CB(skb);
	cb->seq = esk->tcb.write_seq;
	cb->end_seq = cb->seq + 1;
	cb->flags = flags;
	esk->tcb.write_seq++;
	sk_wmem_queued_add(sk, skb->truesize);
	__skb_queue_tail(&sk->sk_write_queue, skb);
	if (!esk->send_head)
		esk->send_head = skb;
	return 0;
}

/**
 * edu_send_fin() - queue our FIN after the data and send what can go
 * @sk: the socket, locked, in ESTABLISHED, SYN-RECEIVED or CLOSE-WAIT
 *
 * RFC 9293 section 3.10.4: the FIN follows all data queued before it.  If
 * the last queued segment is not yet sent, the FIN rides on it.
 */
void edu_send_fin(struct sock *sk)
{
	struct edu_sock *esk = edu_sk(sk);
	struct sk_buff *tail = skb_peek_tail(&sk->sk_write_queue);

	if (tail && esk->send_head && !(EDU_SKB_CB(tail)->flags & TCPHDR_FIN)) {
		EDU_SKB_CB(tail)->flags |= TCPHDR_FIN;
		EDU_SKB_CB(tail)->end_seq++;
		esk->tcb.write_seq++;
	} else if (edu_queue_control(sk, TCPHDR_FIN)) {
		/* No memory: a bare FIN from the timer's retry instead. */
		return;
	}
	edu_push(sk);
}

/**
 * edu_route_mss() - the MSS to offer, from the route's MTU (MUST-16)
 * @sk: a socket with its addresses set, locked
 *
 * Return: the MTU less the IP and TCP headers, or 0 if there is no route.
 */
u16 edu_route_mss(struct sock *sk)
{
	struct rtable *rt = edu_route(sk);
	unsigned int mtu;

	if (IS_ERR(rt))
		return 0;
	mtu = dst_mtu(&rt->dst);
	ip_rt_put(rt);
	return min_t(unsigned int, mtu - sizeof(struct iphdr) -
		     sizeof(struct tcphdr), 0xffff);
}

/**
 * edu_connect_start() - active OPEN: choose the ISS and send the SYN
 * @sk: a bound socket with its remote address set, locked
 *
 * RFC 9293 section 3.4.1: the ISS comes from the kernel's RFC 6528
 * generator (a clock plus a keyed hash of the 4-tuple), MUST-8 and MUST-9.
 * The socket is hashed and in SYN-SENT before the SYN leaves, so that an
 * answer processed at once (loopback) finds it.
 *
 * Return: 0 or a negative errno (EADDRNOTAVAIL, ENETUNREACH...).
 */
int edu_connect_start(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	union tcp_seq_and_ts_off isn;
	int err;

	tcb->advmss = edu_route_mss(sk);
	if (!tcb->advmss)
		return -ENETUNREACH;
	if (tcb->user_mss)
		tcb->advmss = min(tcb->advmss, tcb->user_mss);
	tcb->mss = EDU_MSS_DEFAULT;
	isn = secure_tcp_seq_and_ts_off(sock_net(sk), inet->inet_saddr,
					inet->inet_daddr, inet->inet_sport,
					inet->inet_dport);
	tcb->iss = isn.seq;
	tcb->ts_off = isn.ts_off;
	tcb->ts_ok = READ_ONCE(edu_net_sysctl(sock_net(sk))->timestamps);
	tcb->ts_recent = 0;
	tcb->snd_una = tcb->iss;
	tcb->snd_nxt = tcb->iss;
	tcb->write_seq = tcb->iss;
	tcb->snd_wnd = 0;
	tcb->rcv_nxt = 0;
	tcb->rcv_wnd = 0;
	tcb->rcv_wup = 0;
	/* RFC 7323 section 2.2: offered in the SYN, on if the SYN-ACK agrees. */
	tcb->wscale_ok = READ_ONCE(edu_net_sysctl(sock_net(sk))->window_scaling);
	tcb->rcv_wscale = tcb->wscale_ok ? edu_rcv_wscale(sk) : 0;
	tcb->snd_wscale = 0;
	tcb->rto = EDU_RTO_INIT;
	tcb->retransmits = 0;
	tcb->backoff = 0;
	tcb->rtx_stamp = 0;
	/* A socket may connect again after a failed attempt. */
	WRITE_ONCE(sk->sk_shutdown, 0);
	sock_reset_flag(sk, SOCK_DONE);

	err = edu_hash_connection(sk);
	if (err)
		return err;
	err = edu_queue_control(sk, TCPHDR_SYN);
	if (err) {
		edu_unhash(sk);
		return err;
	}
	edu_set_state(sk, TCP_SYN_SENT);
	edu_mib_inc(sock_net(sk), EDU_MIB_ACTIVEOPENS);
	edu_push(sk);
	return 0;
}

/**
 * edu_send_synack() - answer a SYN: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
 * @sk: a child in SYN-RECEIVED, locked, its ISS chosen
 */
void edu_send_synack(struct sock *sk)
{
	/*
	 * Queued like any SYN, so that the peer's ACK frees it and the
	 * retransmission timer resends it (with ACK, as the state is
	 * SYN-RECEIVED).
	 */
	if (!edu_queue_control(sk, TCPHDR_SYN))
		edu_push(sk);
}

/**
 * edu_maybe_send_window_update() - after a read, reopen the window
 * @sk: the socket, locked
 *
 * When reading frees enough buffer to move the advertised right edge by
 * the silly-window step, tell the peer now instead of waiting for its next
 * segment: a sender facing a closed window would otherwise only learn of
 * it from a probe.
 */
void edu_maybe_send_window_update(struct sock *sk)
{
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;

	if ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 |
				   TCPF_FIN_WAIT2) &&
	    edu_rcv_space(sk) >= edu_rcv_wnd_left(tcb) + edu_rcv_sws_step(sk))
		edu_send_ack(sk);
}

/*
 * A segment answering @in, sent with no socket: routed back the way @in
 * came.  Used for RSTs and TIME-WAIT ACKs; @tw, for the latter, gives the
 * timestamps to carry if the connection had them.
 */
static void edu_send_reply(struct net *net, const struct sk_buff *in,
			   u32 seq, u32 ack, u8 flags, u16 wnd,
			   const struct edu_timewait *tw)
{
	unsigned int optlen = tw && tw->ts_ok ? EDU_TS_SPACE : 0;
	const struct iphdr *iph = ip_hdr(in);
	const struct tcphdr *ith = tcp_hdr(in);
	struct sk_buff *skb;
	struct tcphdr *th;
	struct flowi4 fl4;
	struct rtable *rt;

	rt = ip_route_output_ports(net, &fl4, NULL, iph->saddr, iph->daddr,
				   ith->source, ith->dest, IPPROTO_TCP,
				   RT_TOS(iph->tos), 0);
	if (IS_ERR(rt)) {
		edu_mib_inc(net, EDU_MIB_NOROUTE);
		return;
	}
	skb = alloc_skb(MAX_TCP_HEADER, GFP_ATOMIC);
	if (!skb) {
		ip_rt_put(rt);
		return;
	}
	skb_reserve(skb, MAX_TCP_HEADER);
	th = skb_push(skb, sizeof(*th) + optlen);
	skb_reset_transport_header(skb);
	memset(th, 0, sizeof(*th));
	th->source = ith->dest;
	th->dest = ith->source;
	th->seq = htonl(seq);
	th->ack_seq = htonl(ack);
	th->doff = (sizeof(*th) + optlen) / 4;
	tcp_flag_byte(th) = flags;
	th->window = htons(wnd);
	if (optlen)
		edu_options_write_ts((u8 *)(th + 1), edu_tsval(tw->ts_off),
				     tw->ts_recent);
	edu_csum_partial(skb, iph->daddr, iph->saddr);
	if (flags & TCPHDR_RST)
		edu_mib_inc(net, EDU_MIB_OUTRSTS);
	edu_ip_xmit(net, NULL, skb, rt, iph->daddr, iph->saddr);
}

/**
 * edu_send_reset() - answer an unacceptable segment with a RST
 * @net: the namespace
 * @in: the segment, TCP header at its transport header
 *
 * RFC 9293 section 3.10.7.1: if the segment has ACK, the RST takes its
 * sequence number from SEG.ACK; otherwise it has sequence number zero and
 * acknowledges SEG.SEQ + SEG.LEN.  A RST is never answered (3.10.7).
 */
void edu_send_reset(struct net *net, struct sk_buff *in)
{
	const struct tcphdr *th = tcp_hdr(in);
	u32 seg_len;

	if (th->rst)
		return;
	if (th->ack) {
		edu_send_reply(net, in, ntohl(th->ack_seq), 0, TCPHDR_RST, 0,
			       NULL);
		return;
	}
	seg_len = in->len - th->doff * 4 + th->syn + th->fin;
	edu_send_reply(net, in, 0, ntohl(th->seq) + seg_len,
		       TCPHDR_RST | TCPHDR_ACK, 0, NULL);
}

/**
 * edu_send_tw_ack() - acknowledge a segment that reached TIME-WAIT
 * @tw: the record; called under edu_net.hash_lock
 * @in: the segment
 */
void edu_send_tw_ack(struct edu_timewait *tw, struct sk_buff *in)
{
	edu_send_reply(tw->net, in, tw->snd_nxt, tw->rcv_nxt, TCPHDR_ACK,
		       tw->rcv_wnd, tw);
}
