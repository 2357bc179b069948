// SPDX-License-Identifier: GPL-2.0
/*
 * input.c - receiving segments: the netfilter hook that takes AF_EDU's
 * segments before kernel TCP sees them, and the processing of RFC 9293
 * section 3.10.7, "SEGMENT ARRIVES", in its order.
 *
 * The hook sits at NF_INET_LOCAL_IN of every namespace, after the filter
 * table (so firewall rules apply) and after IP reassembly.  A segment that
 * belongs to an AF_EDU connection, listener or TIME-WAIT record is taken
 * (NF_STOLEN); every other packet goes on to the kernel untouched.  A
 * segment for an AF_EDU port that no longer exists therefore reaches kernel
 * TCP, which finds no socket and answers with the RST that RFC 9293
 * section 3.10.7.1 prescribes for the CLOSED state.
 *
 * Processing runs with the socket locked: in softirq holding its spinlock,
 * or, when the application owns the socket, later from its backlog in
 * release_sock().
 */
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/tcp.h>

#include "edu.h"
#include "options.h"
#include "rtt.h"
#include "seq.h"
#include "trace.h"

/*
 * What the peer's SYN or SYN-ACK @skb offers, for the connection @sk:
 * the effective send MSS (MUST-15, MUST-16: 536 without the option), and
 * window scaling (RFC 7323 section 2.2).  Scaling is on only if both SYNs
 * carry the option: @sk->tcb.wscale_ok says whether ours does (an active
 * open) or would (a passive one); without the peer's, both shifts are 0.
 */
static void edu_rcv_syn_options(struct sock *sk, const struct sk_buff *skb)
{
	const struct tcphdr *th = tcp_hdr(skb);
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	struct edu_tcp_options opts;
	u16 mss = EDU_MSS_DEFAULT;

	if (edu_options_parse((const u8 *)(th + 1),
			      th->doff * 4 - sizeof(*th), th->syn, &opts))
		opts = (struct edu_tcp_options){};
	if (opts.saw_mss && opts.mss)
		mss = opts.mss;
	tcb->mss = min(mss, tcb->advmss);
	/*
	 * RFC 7323 section 3.2: timestamps are on if both SYNs carry them;
	 * then every segment has 12 bytes of options that the MSS, which
	 * counts payload behind a bare header, must make room for.
	 */
	tcb->ts_ok = tcb->ts_ok && opts.saw_tstamp;
	if (tcb->ts_ok) {
		tcb->ts_recent = opts.tsval;
		tcb->mss -= EDU_TS_SPACE;
	}
	tcb->wscale_ok = tcb->wscale_ok && opts.saw_wscale;
	tcb->snd_wscale = tcb->wscale_ok ? opts.wscale : 0;
	if (!tcb->wscale_ok)
		tcb->rcv_wscale = 0;
}

/* SEG.WND in bytes: RFC 7323 section 2.3, a SYN's window is never scaled. */
static u32 edu_seg_wnd(const struct edu_tcb *tcb,
		       const struct edu_skb_cb *cb)
{
	if (cb->flags & TCPHDR_SYN)
		return cb->wnd;
	return (u32)cb->wnd << tcb->snd_wscale;
}

/*
 * Report a reset to the application (MUST-12: an abort, told apart from a
 * normal close) and close: RFC 9293 section 3.10.7.4, "second, check the
 * RST bit".  The errno is the one Linux TCP reports (tcp_reset()).
 */
static void edu_reset(struct sock *sk)
{
	switch (sk->sk_state) {
	case TCP_SYN_SENT:
		WRITE_ONCE(sk->sk_err, ECONNREFUSED);
		break;
	case TCP_CLOSE_WAIT:
		WRITE_ONCE(sk->sk_err, EPIPE);
		break;
	case TCP_CLOSE:
		return;
	default:
		WRITE_ONCE(sk->sk_err, ECONNRESET);
	}
	if ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT))
		edu_mib_inc(sock_net(sk), EDU_MIB_ESTABRESETS);
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))
		edu_mib_inc(sock_net(sk), EDU_MIB_ATTEMPTFAILS);
	if (!sock_flag(sk, SOCK_DEAD))
		sk_error_report(sk);
	edu_done(sk);
}

/*
 * A child reached ESTABLISHED: hand it to its listener's accept queue, or
 * reset it if the listener stopped listening meanwhile.  The listener's
 * state changes under its accept_lock, so the check and the enqueue are one.
 */
static void edu_child_established(struct sock *child)
{
	struct edu_sock *esk = edu_sk(child);
	struct sock *parent = esk->parent;
	struct edu_sock *pesk = edu_sk(parent);
	bool queued = false;

	spin_lock_bh(&pesk->accept_lock);
	if (parent->sk_state == TCP_LISTEN) {
		list_add_tail(&esk->accept_node, &pesk->accept_queue);
		sk_acceptq_added(parent);
		queued = true;
	}
	spin_unlock_bh(&pesk->accept_lock);

	if (!queued) {
		edu_send_active_reset(child);
		edu_done(child);
		return;
	}
	/* The queue now holds the child's first reference. */
	atomic_dec(&pesk->syn_pending);
	esk->parent = NULL;
	parent->sk_data_ready(parent);
	sock_put(parent);
}

/*
 * Segments to a listener: RFC 9293 section 3.10.7.2.  A RST is ignored, an
 * ACK answered with a RST, and a SYN creates a child connection in
 * SYN-RECEIVED, which answers with SYN-ACK.
 */
static void edu_rcv_listen(struct sock *sk, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct edu_skb_cb *cb = EDU_SKB_CB(skb);
	union tcp_seq_and_ts_off isn;
	struct inet_sock *cinet;
	struct edu_tcb *tcb;
	struct sock *child;

	if (th->rst)
		return;
	if (th->ack) {
		edu_send_reset(sock_net(sk), skb);
		return;
	}
	if (!th->syn)
		return;
	/* MUST-57: a SYN to a broadcast or multicast address is dropped. */
	if (skb_rtable(skb) &&
	    skb_rtable(skb)->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST))
		return;
	/*
	 * Both queues are bounded by the backlog: the accept queue, and the
	 * SYN queue of children still in SYN-RECEIVED, so that a flood of
	 * SYNs cannot make the kernel hold more (Linux without syncookies).
	 */
	if (sk_acceptq_is_full(sk) ||
	    atomic_read(&edu_sk(sk)->syn_pending) >=
	    max_t(u32, READ_ONCE(sk->sk_max_ack_backlog), 1)) {
		edu_mib_inc(sock_net(sk), EDU_MIB_LISTENOVERFLOWS);
		return;
	}

	child = edu_child_alloc(sk);
	if (!child)
		return;
	cinet = inet_sk(child);
	cinet->inet_saddr = iph->daddr;
	cinet->inet_rcv_saddr = iph->daddr;
	cinet->inet_daddr = iph->saddr;
	cinet->inet_sport = th->dest;
	cinet->inet_dport = th->source;
	cinet->inet_num = ntohs(th->dest);

	tcb = &edu_sk(child)->tcb;
	tcb->passive = true;
	tcb->stats.segs_in = 1;		/* the SYN, as Linux counts it */
	tcb->irs = cb->seq;
	tcb->rcv_nxt = cb->seq + 1;
	tcb->rcv_wup = tcb->rcv_nxt;
	tcb->copied_seq = tcb->rcv_nxt;
	tcb->snd_wnd = cb->wnd;		/* never scaled on a SYN */
	tcb->max_wnd = cb->wnd;
	tcb->snd_wl1 = cb->seq;
	tcb->advmss = edu_route_mss(child);
	if (edu_sk(sk)->tcb.user_mss)
		tcb->advmss = min(tcb->advmss, edu_sk(sk)->tcb.user_mss);
	tcb->wscale_ok = READ_ONCE(edu_net_sysctl(sock_net(sk))->window_scaling);
	tcb->rcv_wscale = edu_rcv_wscale(child);
	tcb->ts_ok = READ_ONCE(edu_net_sysctl(sock_net(sk))->timestamps);
	edu_rcv_syn_options(child, skb);
	isn = secure_tcp_seq_and_ts_off(sock_net(sk), iph->daddr, iph->saddr,
					th->dest, th->source);
	tcb->iss = isn.seq;
	tcb->ts_off = isn.ts_off;
	tcb->snd_una = tcb->iss;
	tcb->snd_nxt = tcb->iss;
	tcb->write_seq = tcb->iss;
	tcb->rto = EDU_RTO_INIT;
	if (!tcb->advmss) {
		edu_done(child);	/* drops the child and the parent */
		return;
	}

	bh_lock_sock_nested(child);
	edu_set_state(child, TCP_SYN_RECV);
	if (edu_hash_connection(child)) {
		bh_unlock_sock(child);
		edu_done(child);
		return;
	}
	edu_mib_inc(sock_net(sk), EDU_MIB_PASSIVEOPENS);
	edu_send_synack(child);
	bh_unlock_sock(child);
}

/*
 * Free what a new SND.UNA acknowledges from the write queue, and take a
 * round-trip sample from the newest segment it fully acknowledges, unless
 * any segment it acknowledges was retransmitted (Karn's algorithm, RFC
 * 6298 section 3): the ACK may then answer the retransmission, and a
 * segment sent once long before it, which waited in the peer's
 * out-of-order queue for the hole to be filled, would give a round trip
 * as long as the whole recovery (Linux discards such samples too).  The RTO
 * is then recomputed, which also ends any backoff (section 5.7's spirit, as
 * Linux does once an ACK makes progress).  If the segments counted lost
 * after a timeout (esk->rtx_head) are acknowledged, the resending moves on
 * to the first one left.
 */
static void edu_clean_acked(struct sock *sk)
{
	const struct edu_sysctl *sysctl = edu_net_sysctl(sock_net(sk));
	struct edu_sock *esk = edu_sk(sk);
	struct edu_tcb *tcb = &esk->tcb;
	bool sample = true, acked = false, lost_acked = false;
	u32 sent_us = 0;
	struct sk_buff *skb;

	while ((skb = skb_peek(&sk->sk_write_queue)) &&
	       skb != esk->send_head &&
	       edu_seq_leq(EDU_SKB_CB(skb)->end_seq, tcb->snd_una)) {
		acked = true;
		if (EDU_SKB_CB(skb)->retransmitted)
			sample = false;
		sent_us = EDU_SKB_CB(skb)->sent_us;
		if (skb == esk->rtx_head) {
			esk->rtx_head = NULL;
			lost_acked = true;
		}
		__skb_unlink(skb, &sk->sk_write_queue);
		sk_wmem_queued_add(sk, -skb->truesize);
		kfree_skb(skb);
	}
	if (lost_acked) {
		skb = skb_peek(&sk->sk_write_queue);
		if (skb != esk->send_head)
			esk->rtx_head = skb;
	}
	if (acked && sample)
		edu_rtt_sample(&tcb->rtt, edu_now_us() - sent_us);
	tcb->backoff = 0;
	tcb->rto = usecs_to_jiffies(edu_rtt_rto(&tcb->rtt,
						jiffies_to_usecs(1),
						jiffies_to_usecs(EDU_RTO_INIT),
						READ_ONCE(sysctl->rto_min_ms) *
						USEC_PER_MSEC,
						READ_ONCE(sysctl->rto_max_ms) *
						USEC_PER_MSEC));
}

/*
 * The connection is about to be established: congestion control starts
 * (RFC 5681 section 3.1) with the namespace's initial_cwnd (ten segments
 * by default, RFC 6928), or with one segment if our SYN or SYN-ACK had to
 * be retransmitted (a lossy or slow path; RFC 5681 section 3.1 makes this
 * a MUST), unless TCP_DEFER_ACCEPT was what kept it waiting.  The send
 * buffer grows to hold that window, as Linux's tcp_init_buffer_space()
 * has it.  TCP_INFO's idle clocks start now too, as Linux's.
 */
static void edu_cc_start(struct sock *sk)
{
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;

	edu_cc_init(&tcb->cc, tcb->cc.ops, tcb->mss,
		    READ_ONCE(edu_net_sysctl(sock_net(sk))->initial_cwnd),
		    tcb->iss);
	if (tcb->retransmits && !tcb->defer_acked)
		tcb->cc.cwnd = tcb->mss;
	trace_edu_cwnd(sk, 0, 0, EDU_CWND_INIT);
	tcb->stats.data_sent = jiffies;
	tcb->stats.data_rcvd = jiffies;
	edu_sndbuf_expand(sk);
}

/*
 * Segments in SYN-SENT: RFC 9293 section 3.10.7.3.  The first check is the
 * ACK: it must acknowledge our SYN (ISS < SEG.ACK =< SND.NXT), else RST.
 */
static void edu_rcv_syn_sent(struct sock *sk, struct sk_buff *skb)
{
	struct edu_skb_cb *cb = EDU_SKB_CB(skb);
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	const struct tcphdr *th = tcp_hdr(skb);
	bool ack_ok = false;

	if (th->ack) {
		ack_ok = edu_ack_acceptable(cb->ack_seq, tcb->iss,
					    tcb->snd_nxt);
		if (!ack_ok) {
			edu_send_reset(sock_net(sk), skb);
			return;
		}
	}
	if (th->rst) {
		if (ack_ok)
			edu_reset(sk);
		return;
	}
	if (!th->syn)
		return;

	tcb->irs = cb->seq;
	tcb->rcv_nxt = cb->seq + 1;
	tcb->rcv_wup = tcb->rcv_nxt;
	tcb->copied_seq = tcb->rcv_nxt;
	edu_rcv_syn_options(sk, skb);
	tcb->snd_wnd = cb->wnd;
	tcb->max_wnd = cb->wnd;
	tcb->snd_wl1 = cb->seq;
	tcb->snd_wl2 = cb->ack_seq;

	if (ack_ok) {
		/* Our SYN is acknowledged: the connection is established. */
		edu_cc_start(sk);
		tcb->stats.bytes_acked += cb->ack_seq - tcb->snd_una;
		tcb->snd_una = cb->ack_seq;
		edu_clean_acked(sk);
		tcb->retransmits = 0;
		tcb->rtx_stamp = 0;
		/*
		 * RFC 6298 section 5.2: all is acknowledged, so the SYN's
		 * timer stops; left running, it would fire at the SYN's RTO
		 * on the first data sent meanwhile, not at that data's own.
		 */
		if (tcb->snd_una == tcb->snd_nxt)
			sk_stop_timer(sk, &edu_sk(sk)->rtx_timer);
		edu_set_state(sk, TCP_ESTABLISHED);
		edu_keepalive_reset(sk);
		edu_send_ack(sk);
		edu_push(sk);
		sk->sk_state_change(sk);
		sk->sk_write_space(sk);
		return;
	}
	/*
	 * Simultaneous open (MUST-10): both sent SYN.  Go to SYN-RECEIVED and
	 * answer <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>: our queued SYN again,
	 * now with ACK.
	 */
	edu_set_state(sk, TCP_SYN_RECV);
	edu_retransmit_head(sk);
}

/*
 * The ACK field, RFC 9293 section 3.10.7.4 "fifth": SND.UNA moves on, the
 * acknowledged segments are freed, the send window is updated from the
 * most recent segment (SND.WL1/SND.WL2), and the close states advance once
 * our FIN is acknowledged.  Return: false if the segment must be dropped.
 */
static bool edu_rcv_ack(struct sock *sk, struct sk_buff *skb)
{
	struct edu_skb_cb *cb = EDU_SKB_CB(skb);
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	u32 cwnd = tcb->cc.cwnd, ssthresh = tcb->cc.ssthresh;
	bool fin_acked;

	if (edu_seq_after(cb->ack_seq, tcb->snd_nxt)) {
		/* Acknowledges something not yet sent: ACK and drop. */
		edu_send_ack(sk);
		return false;
	}
	/* Nothing in flight: this answers a window probe, the peer lives. */
	if (tcb->snd_una == tcb->snd_nxt) {
		tcb->retransmits = 0;
		tcb->rtx_stamp = 0;
	}
	/*
	 * A duplicate ACK (RFC 5681 section 2): nothing new acknowledged, no
	 * data, same window, data outstanding.  The third one means the
	 * segment at SND.UNA was lost: fast retransmit, and NewReno fast
	 * recovery (RFC 5681 section 3.2, RFC 6582 section 3.2); each further
	 * one inflates the window by a segment that left the network.
	 */
	if (cb->ack_seq == tcb->snd_una && cb->seq == cb->end_seq &&
	    edu_seg_wnd(tcb, cb) == tcb->snd_wnd &&
	    tcb->snd_una != tcb->snd_nxt) {
		if (tcb->dupacks < U8_MAX)
			tcb->dupacks++;
		if (edu_cc_dupack(&tcb->cc, tcb->dupacks, tcb->snd_una,
				  tcb->snd_nxt, edu_in_flight(sk), tcb->mss)) {
			edu_mib_inc(sock_net(sk), EDU_MIB_FASTRETRANS);
			edu_retransmit_head(sk);
			/* The retransmission's TSval, to judge it by. */
			if (tcb->ts_ok)
				tcb->undo_tsval = edu_tsval(tcb->ts_off) ?: 1;
		}
	} else if (cb->ack_seq != tcb->snd_una) {
		tcb->dupacks = 0;
	}
	if (edu_seq_after(cb->ack_seq, tcb->snd_una)) {
		u32 acked = cb->ack_seq - tcb->snd_una;
		bool grow = edu_cc_limited(&tcb->cc, edu_in_flight(sk),
					   tcb->mss);

		/* A passive open's SYN-ACK is not counted, as in Linux. */
		tcb->stats.bytes_acked += acked - (tcb->passive &&
						   tcb->snd_una == tcb->iss &&
						   !tcb->stats.bytes_acked);
		tcb->snd_una = cb->ack_seq;
		edu_clean_acked(sk);
		tcb->retransmits = 0;
		tcb->rtx_stamp = 0;
		/*
		 * Eifel detection (RFC 3522): the first ACK of new data in a
		 * recovery echoes the TSval of the segment that filled the
		 * hole (RFC 7323 section 4.3).  Older than the fast
		 * retransmission's: the original arrived, only reordered or
		 * late, and the recovery is undone (RFC 4015).
		 */
		if (tcb->undo_tsval) {
			if (cb->has_ts &&
			    (s32)(cb->tsecr - tcb->undo_tsval) < 0 &&
			    edu_cc_undo(&tcb->cc))
				edu_mib_inc(sock_net(sk), EDU_MIB_RECOVERYUNDO);
			tcb->undo_tsval = 0;
		}
		/*
		 * The congestion window grows, or, in fast recovery, a
		 * partial ACK shows the next segment lost as well: it goes
		 * again at once (RFC 6582 section 3.2, step 5).
		 */
		if (edu_cc_ack(&tcb->cc, acked, tcb->snd_una, tcb->snd_nxt,
			       tcb->mss, grow)) {
			edu_mib_inc(sock_net(sk), EDU_MIB_PARTIALACKS);
			edu_retransmit_head(sk);
		}
		/* RFC 6298 section 5.2/5.3: stop or restart the timer. */
		if (tcb->snd_una == tcb->snd_nxt && !edu_sk(sk)->send_head)
			sk_stop_timer(sk, &edu_sk(sk)->rtx_timer);
		else
			sk_reset_timer(sk, &edu_sk(sk)->rtx_timer,
				       jiffies + tcb->rto);
		edu_sndbuf_expand(sk);	/* room for a larger window */
		sk->sk_write_space(sk);
	}
	trace_edu_cwnd(sk, cwnd, ssthresh, EDU_CWND_ACK);
	/*
	 * RFC 9293 3.10.7.4: if SND.UNA =< SEG.ACK =< SND.NXT, update SND.WND,
	 * but only from a segment newer than the last update (WL1, WL2).
	 */
	if (edu_seq_geq(cb->ack_seq, tcb->snd_una) &&
	    (edu_seq_before(tcb->snd_wl1, cb->seq) ||
	     (tcb->snd_wl1 == cb->seq &&
	      edu_seq_leq(tcb->snd_wl2, cb->ack_seq)))) {
		tcb->snd_wnd = edu_seg_wnd(tcb, cb);
		tcb->snd_wl1 = cb->seq;
		tcb->snd_wl2 = cb->ack_seq;
		tcb->max_wnd = max(tcb->max_wnd, tcb->snd_wnd);
	}

	fin_acked = tcb->snd_una == tcb->write_seq &&
		    (sk->sk_shutdown & SEND_SHUTDOWN);
	switch (sk->sk_state) {
	case TCP_FIN_WAIT1:
		if (fin_acked) {
			edu_set_state(sk, TCP_FIN_WAIT2);
			sk->sk_state_change(sk);
			/*
			 * An orphan waits for the peer's FIN only so long,
			 * or not at all with TCP_LINGER2 < 0 (as Linux).
			 */
			if (sock_flag(sk, SOCK_DEAD)) {
				if (tcb->linger2 < 0) {
					edu_done(sk);
					return false;
				}
				sk_reset_timer(sk, &edu_sk(sk)->rtx_timer,
					       jiffies + edu_fin_timeout(sk));
			}
		}
		break;
	case TCP_CLOSING:
		if (fin_acked) {
			edu_tw_enter(sk);
			edu_done(sk);
			return false;
		}
		break;
	case TCP_LAST_ACK:
		if (fin_acked) {
			edu_done(sk);
			return false;
		}
		break;
	}
	return true;
}

/*
 * The segment text, RFC 9293 section 3.10.7.4 "seventh".  The part already
 * received is trimmed off the front, what lies beyond the window off the
 * back (with the FIN, then outside too).  Data at RCV.NXT goes to the
 * receive queue, and whatever the out-of-order queue held that now
 * follows in sequence goes after it; data beyond RCV.NXT waits in the
 * out-of-order queue (ofo.c).  Out-of-order data, and data that fills a
 * hole, is acknowledged at once (RFC 5681 section 4.2), the first so that
 * the sender's fast retransmit sees duplicate ACKs, the second so that its
 * recovery ends quickly.  Set *@fin if the data delivered now reaches the
 * peer's FIN (from the out-of-order queue; the caller sees the segment's
 * own).  Return: true if @skb was queued (consumed).
 */
static bool edu_rcv_data(struct sock *sk, struct sk_buff *skb, bool *ack_now,
			 bool *fin)
{
	struct edu_skb_cb *cb = EDU_SKB_CB(skb);
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	u32 seq = cb->seq + !!(cb->flags & TCPHDR_SYN);
	u32 edge = tcb->rcv_nxt + edu_rcv_wnd_left(tcb);
	u32 len = skb->len;

	if (!len)
		return false;
	tcb->stats.data_rcvd = jiffies;
	tcb->stats.rcv_mss = max_t(u32, tcb->stats.rcv_mss,
				   min_t(u32, skb_shinfo(skb)->gso_size ?: len,
					 edu_rcv_full_mss(tcb)));
	if (edu_seq_before(seq, tcb->rcv_nxt)) {
		u32 dup = tcb->rcv_nxt - seq;

		if (dup >= len || !pskb_pull(skb, dup)) {
			*ack_now = true;
			return false;
		}
		seq = tcb->rcv_nxt;
		len = skb->len;
	}
	if (edu_seq_after(seq + len, edge)) {
		if (!edu_seq_after(edge, seq) || pskb_trim(skb, edge - seq)) {
			*ack_now = true;
			return false;
		}
		len = skb->len;
		cb->flags &= ~TCPHDR_FIN;	/* the FIN is outside too */
	}

	cb->seq = seq;
	cb->end_seq = seq + len + !!(cb->flags & TCPHDR_FIN);
	skb_dst_drop(skb);
	if (edu_seq_after(seq, tcb->rcv_nxt)) {
		*ack_now = true;
		edu_ofo_queue(sk, skb);
		return true;
	}

	/*
	 * In-order data may take the room of data queued farther ahead: the
	 * hole must be fillable, or the connection would stall.  Then it is
	 * taken if the buffer holds it, with slack: the window it came in
	 * was promised from an estimate of the memory per byte
	 * (edu_rcv_space()), and a promise made can no longer be taken back
	 * (RFC 9293 section 3.8.6), so data inside it is not dropped unless
	 * its segments cost more than twice what they carry (then up to twice
	 * SO_RCVBUF is held, and a sender of tiny segments waits for reads).
	 */
	if (atomic_read(&sk->sk_rmem_alloc) > READ_ONCE(sk->sk_rcvbuf))
		edu_ofo_make_room(sk, 0);
	if (atomic_read(&sk->sk_rmem_alloc) + skb->truesize >
	    2U * READ_ONCE(sk->sk_rcvbuf)) {
		edu_mib_inc(sock_net(sk), EDU_MIB_RCVQDROP);
		*ack_now = true;
		return false;
	}
	/*
	 * What a segment costs per byte, for the next window (1/256),
	 * smoothed; tiny segments say nothing about the bulk of the data.
	 */
	if (len >= EDU_MSS_DEFAULT)
		tcb->rcv_ratio = (3 * tcb->rcv_ratio +
				  clamp_t(u32, ((u64)len << 8) / skb->truesize,
					  32, 255)) / 4;
	edu_skb_set_owner_r(skb, sk);
	__skb_queue_tail(&sk->sk_receive_queue, skb);
	if (tcb->ts_ok && cb->has_ts)
		edu_rcv_rtt_sample(sk, cb->tsecr);
	tcb->rcv_nxt += len;
	tcb->stats.bytes_received += len;
	cb->end_seq = tcb->rcv_nxt;

	if (!RB_EMPTY_ROOT(&edu_sk(sk)->ofo_root)) {
		*fin = edu_ofo_drain(sk);
		*ack_now = true;
	} else if (len >= edu_rcv_full_mss(tcb)) {
		/*
		 * RFC 9293 3.8.6.3: ACK at least every second full-sized
		 * segment; a GRO-merged skb counts for the segments in it.
		 */
		tcb->delack_segs = min_t(u32, tcb->delack_segs +
					 len / edu_rcv_full_mss(tcb), U8_MAX);
		if (tcb->delack_segs >= 2)
			*ack_now = true;
	}
	sk->sk_data_ready(sk);
	return true;
}

/*
 * The FIN bit, RFC 9293 section 3.10.7.4 "eighth", once RCV.NXT has reached
 * it: it is acknowledged at once, the application reads end of file, and
 * the state moves on.
 */
static void edu_rcv_fin(struct sock *sk)
{
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;

	tcb->rcv_nxt++;
	tcb->stats.bytes_received++;
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
	sock_set_flag(sk, SOCK_DONE);

	switch (sk->sk_state) {
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
		edu_set_state(sk, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT1:
		/* Simultaneous close: our FIN is not acknowledged yet. */
		edu_set_state(sk, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT2:
		edu_send_ack(sk);
		edu_tw_enter(sk);
		edu_done(sk);
		return;
	}
	edu_send_ack(sk);
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
	}
}

/*
 * TCP_DEFER_ACCEPT: a passive open whose handshake ends with a bare ACK,
 * no data, stays in SYN-RECEIVED, out of accept()'s reach, and the ACK is
 * dropped, as Linux's tcp_check_req() drops it, until the listener's count
 * of SYN-ACK timeouts has passed; the retransmission timer then sends the
 * SYN-ACK once more, and the peer's answer completes the connection,
 * data or not (edu_rtx_handler()).  Data (or a FIN) completes it at once.
 * The SYN-ACK's round trip is unknown from then on (no RTT sample).
 * Return: true if the segment was such an ACK, to be dropped.
 */
static bool edu_defer_accept(struct sock *sk, const struct sk_buff *skb)
{
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	struct sk_buff *synack;

	if (!tcb->passive || tcb->retransmits >= tcb->defer_accept ||
	    EDU_SKB_CB(skb)->end_seq != tcb->rcv_nxt)
		return false;
	tcb->defer_acked = true;
	synack = skb_peek(&sk->sk_write_queue);
	if (synack)
		EDU_SKB_CB(synack)->retransmitted = 1;
	return true;
}

/*
 * Segments in the synchronized states and SYN-RECEIVED: RFC 9293 section
 * 3.10.7.4, its steps in order.
 */
static void edu_rcv_established(struct sock *sk, struct sk_buff *skb)
{
	struct edu_skb_cb *cb = EDU_SKB_CB(skb);
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	const struct tcphdr *th = tcp_hdr(skb);
	bool ack_now = false, fin = false, has_fin, queued;
	u32 fin_seq;

	/* A retransmitted SYN while we wait for its ACK: SYN-ACK again. */
	if (sk->sk_state == TCP_SYN_RECV && th->syn && !th->ack &&
	    cb->seq == tcb->irs) {
		edu_retransmit_head(sk);
		goto drop;
	}

	/*
	 * Simultaneous open (section 3.5, Figure 8, line 6): in SYN-RECEIVED
	 * reached from SYN-SENT, the peer's SYN,ACK repeats its SYN (SEG.SEQ
	 * = IRS) and acknowledges ours.  The sequence check would find it
	 * unacceptable, as it starts before RCV.NXT, yet the figure has it
	 * establish the connection.  As Linux does, the SYN, already
	 * received, is taken off and the rest processed from RCV.NXT; the
	 * duplicate SYN is acknowledged (3.10.7.4, first).
	 */
	if (sk->sk_state == TCP_SYN_RECV && !tcb->passive && th->syn &&
	    th->ack && !th->rst && cb->seq == tcb->irs &&
	    cb->ack_seq == tcb->snd_nxt) {
		cb->seq++;
		cb->flags &= ~TCPHDR_SYN;
		ack_now = true;
	}

	/* First, the sequence number: the four cases of 3.10.7.4. */
	if (!edu_seq_acceptable(cb->seq, cb->end_seq - cb->seq, tcb->rcv_nxt,
				edu_rcv_wnd_left(tcb))) {
		if (!th->rst)
			edu_send_ack(sk);
		goto drop;
	}

	/*
	 * Second, RST.  RFC 5961 section 3.2 (which RFC 9293 recommends):
	 * only a RST exactly at RCV.NXT resets; one elsewhere in the window
	 * gets a challenge ACK, so that a blind attacker must guess exactly.
	 */
	if (th->rst) {
		if (cb->seq != tcb->rcv_nxt) {
			edu_send_ack(sk);
			goto drop;
		}
		if (sk->sk_state == TCP_SYN_RECV && tcb->passive) {
			/* MUST-11: a passive open goes back to LISTEN. */
			edu_done(sk);
			goto drop;
		}
		edu_reset(sk);
		goto drop;
	}

	/* Fourth, SYN in a synchronized state: challenge ACK (RFC 5961 4.2). */
	if (cb->flags & TCPHDR_SYN) {
		edu_send_ack(sk);
		goto drop;
	}

	/*
	 * RFC 7323 section 4.3: TS.Recent takes the TSval of an acceptable
	 * segment that starts at or before the last ACK we sent
	 * (Last.ACK.sent is RCV.NXT when we last sent, rcv_wup), and is not
	 * older than TS.Recent: so the echo tells the peer the RTT of the
	 * segment that advanced the window, not of one held back behind a
	 * hole or delayed.
	 */
	if (tcb->ts_ok && cb->has_ts && !edu_seq_after(cb->seq, tcb->rcv_wup) &&
	    (s32)(cb->tsval - tcb->ts_recent) >= 0)
		tcb->ts_recent = cb->tsval;

	/* Fifth, the ACK field. */
	if (!th->ack)
		goto drop;
	if (sk->sk_state == TCP_SYN_RECV) {
		if (!edu_ack_acceptable(cb->ack_seq, tcb->snd_una,
					tcb->snd_nxt)) {
			edu_send_reset(sock_net(sk), skb);
			goto drop;
		}
		if (edu_defer_accept(sk, skb))
			goto drop;
		edu_set_state(sk, TCP_ESTABLISHED);
		edu_keepalive_reset(sk);
		edu_cc_start(sk);
		tcb->snd_wl1 = cb->seq;
		tcb->snd_wl2 = cb->ack_seq;
		tcb->snd_wnd = edu_seg_wnd(tcb, cb);
		if (edu_sk(sk)->parent)
			edu_child_established(sk);
		else
			sk->sk_state_change(sk);	/* simultaneous open */
		if (sk->sk_state == TCP_CLOSE)
			goto drop;
	}
	if (!edu_rcv_ack(sk, skb))
		goto drop;

	/*
	 * Seventh, the segment text; eighth, the FIN.  (Once queued, the
	 * segment may be freed: what it says is kept.)
	 */
	fin_seq = cb->end_seq - 1;
	has_fin = cb->flags & TCPHDR_FIN;
	queued = false;
	/*
	 * New data for an application that closed: nobody will read it.  As
	 * Linux (and RFC 9293 section 3.10.4's abort), reset the connection
	 * rather than acknowledge it into the void.
	 */
	if ((1 << sk->sk_state) & (TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2) &&
	    (sk->sk_shutdown & RCV_SHUTDOWN) &&
	    edu_seq_after(cb->end_seq - !!(cb->flags & TCPHDR_FIN),
			  tcb->rcv_nxt)) {
		edu_send_active_reset(sk);
		edu_mib_inc(sock_net(sk), EDU_MIB_ABORTONDATA);
		edu_done(sk);
		goto drop;
	}
	if ((1 << sk->sk_state) &
	    (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2)) {
		__skb_pull(skb, th->doff * 4);
		queued = edu_rcv_data(sk, skb, &ack_now, &fin);
	}
	/*
	 * A FIN counts once RCV.NXT reaches it, in the states that have not
	 * seen one (the application's SHUT_RD does not matter here).
	 */
	fin |= has_fin && fin_seq == tcb->rcv_nxt;
	if (fin && (1 << sk->sk_state) &
	    (TCPF_SYN_RECV | TCPF_ESTABLISHED | TCPF_FIN_WAIT1 |
	     TCPF_FIN_WAIT2)) {
		edu_rcv_fin(sk);
		ack_now = false;
	} else if (ack_now) {
		edu_send_ack(sk);
	} else if (queued) {
		edu_delack_arm(sk);
	}
	if (sk->sk_state != TCP_CLOSE)
		edu_push(sk);
	if (queued)
		return;
drop:
	kfree_skb(skb);
}

/**
 * edu_rcv() - process one segment for a socket
 * @sk: the socket, locked (spinlock in softirq, or owned, from the backlog)
 * @skb: the segment, TCP header at skb->data, control block filled
 *
 * Return: 0; the segment is always consumed.
 */
int edu_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct edu_stats *stats = &edu_sk(sk)->tcb.stats;
	u16 segs = max_t(u16, skb_shinfo(skb)->gso_segs, 1);

	trace_edu_segment_recv(sock_net(sk), sk, NULL, skb);
	/* Any segment shows the peer alive (keepalive, RFC 9293 3.8.4). */
	edu_sk(sk)->tcb.rcv_tstamp = jiffies;
	edu_sk(sk)->tcb.probes_out = 0;
	/* A listener's segments are counted by the children they make. */
	if (sk->sk_state != TCP_LISTEN) {
		stats->segs_in += segs;
		if (skb->len > tcp_hdr(skb)->doff * 4)
			stats->data_segs_in += segs;
	}

	switch (sk->sk_state) {
	case TCP_LISTEN:
		edu_rcv_listen(sk, skb);
		break;
	case TCP_SYN_SENT:
		edu_rcv_syn_sent(sk, skb);
		break;
	case TCP_CLOSE:
		/* Closed while the segment waited: as CLOSED, answer RST. */
		edu_send_reset(sock_net(sk), skb);
		break;
	default:
		edu_rcv_established(sk, skb);
		return 0;
	}
	kfree_skb(skb);
	return 0;
}

/* Hand a segment to its socket, or to its backlog if the user owns it. */
static void edu_deliver(struct sock *sk, struct sk_buff *skb)
{
	bh_lock_sock_nested(sk);
	if (!sock_owned_by_user(sk)) {
		edu_rcv(sk, skb);
	} else if (sk_add_backlog(sk, skb, READ_ONCE(sk->sk_rcvbuf) +
				  READ_ONCE(sk->sk_sndbuf))) {
		edu_mib_inc(sock_net(sk), EDU_MIB_BACKLOGDROP);
		kfree_skb(skb);
	}
	bh_unlock_sock(sk);
}

/* Check the TCP header and checksum (MUST-3); fill the control block. */
static bool edu_segment_valid(struct net *net, struct sk_buff *skb,
			      unsigned int ihl, const struct nf_hook_state *st)
{
	struct edu_skb_cb *cb;
	struct tcphdr *th;
	unsigned int thlen;

	th = tcp_hdr(skb);
	thlen = th->doff * 4;
	if (thlen < sizeof(*th) || !pskb_may_pull(skb, ihl + thlen) ||
	    skb->len < ihl + thlen) {
		edu_mib_inc(net, EDU_MIB_INERRS);
		return false;
	}
	if (nf_ip_checksum(skb, st->hook, ihl, IPPROTO_TCP)) {
		edu_mib_inc(net, EDU_MIB_INCSUMERRORS);
		edu_mib_inc(net, EDU_MIB_INERRS);
		return false;
	}
	th = tcp_hdr(skb);
	cb = EDU_SKB_CB(skb);
	cb->seq = ntohl(th->seq);
	cb->end_seq = cb->seq + th->syn + th->fin + skb->len - ihl - thlen;
	cb->ack_seq = ntohl(th->ack_seq);
	cb->wnd = ntohs(th->window);
	cb->flags = tcp_flag_byte(th);
	cb->has_ts = false;
	if (thlen > sizeof(*th)) {
		struct edu_tcp_options opts;

		if (!edu_options_parse((const u8 *)(th + 1), thlen - sizeof(*th),
				       th->syn, &opts) && opts.saw_tstamp) {
			cb->has_ts = true;
			cb->tsval = opts.tsval;
			cb->tsecr = opts.tsecr;
		}
	}
	return true;
}

static unsigned int edu_nf_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct net *net = state->net;
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th;
	unsigned int ihl;
	struct sock *sk;

	if (iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	ihl = ip_hdrlen(skb);
	if (!pskb_may_pull(skb, ihl + sizeof(*th)))
		return NF_ACCEPT;
	skb_set_transport_header(skb, ihl);
	iph = ip_hdr(skb);
	th = tcp_hdr(skb);

	sk = edu_lookup(net, iph->saddr, th->source, iph->daddr, th->dest,
			state->in ? state->in->ifindex : 0);
	if (!sk) {
		/* Ours only if a TIME-WAIT record claims it. */
		if (!edu_tw_exists(net, iph->saddr, th->source, iph->daddr,
				   th->dest))
			return NF_ACCEPT;
		if (!edu_segment_valid(net, skb, ihl, state))
			return NF_DROP;
		if (edu_tw_rcv(net, skb)) {
			consume_skb(skb);
			return NF_STOLEN;
		}
		/* A new SYN ended TIME-WAIT: on to a listener, if any. */
		iph = ip_hdr(skb);
		th = tcp_hdr(skb);
		sk = edu_lookup(net, iph->saddr, th->source, iph->daddr,
				th->dest, state->in ? state->in->ifindex : 0);
		if (!sk)
			return NF_ACCEPT;
	} else if (!edu_segment_valid(net, skb, ihl, state)) {
		sock_put(sk);
		return NF_DROP;
	}
	edu_mib_inc(net, EDU_MIB_INSEGS);
	/* From here on the segment is ours: no conntrack, data at TCP. */
	nf_reset_ct(skb);
	__skb_pull(skb, ihl);
	edu_deliver(sk, skb);
	sock_put(sk);
	return NF_STOLEN;
}

/*
 * After the filter table (so that firewall rules apply to AF_EDU as to
 * kernel TCP), before conntrack's confirmation.
 */
static const struct nf_hook_ops edu_nf_ops = {
	.hook		= edu_nf_hook,
	.pf		= NFPROTO_IPV4,
	.hooknum	= NF_INET_LOCAL_IN,
	.priority	= NF_IP_PRI_FILTER + 1,
};

/**
 * edu_input_net_init() - start taking AF_EDU's segments in a namespace
 * @net: the namespace
 *
 * Return: 0 or a negative errno.
 */
int edu_input_net_init(struct net *net)
{
	return nf_register_net_hook(net, &edu_nf_ops);
}

/**
 * edu_input_net_exit() - stop taking segments in a namespace
 * @net: the namespace
 */
void edu_input_net_exit(struct net *net)
{
	nf_unregister_net_hook(net, &edu_nf_ops);
}
