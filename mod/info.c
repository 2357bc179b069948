// SPDX-License-Identifier: GPL-2.0
/*
 * info.c - a connection seen from inside, for the program that holds it:
 *
 *  - getsockopt(SOL_TCP, TCP_INFO) fills Linux's struct tcp_info (the
 *    layout of include/uapi/linux/tcp.h) with every field AF_EDU tracks,
 *    in Linux's units, so that programs and tools written for kernel TCP
 *    read it unchanged; the fields AF_EDU has no counterpart for are 0;
 *  - getsockopt(SOL_EDU, EDU_INFO) gives struct edu_info of
 *    uapi/linux/edu.h: the TCB under the names of RFC 9293 section 3.3.1,
 *    the RTO estimator, congestion control, the queues and the counts.
 *
 * Both are snapshots taken with the socket locked, and both copy
 * min(len, sizeof) bytes and write that length back, as tcp_getsockopt()
 * does: a struct that grows at its end stays compatible both ways.
 * Documentation/observability.rst lists each field and where it comes from.
 */
#include <linux/tcp.h>
#include <linux/uaccess.h>
#include <net/dst.h>
#include <net/tcp.h>

#include "edu.h"

/*
 * The write queue's sent segments, as Linux's packets_out, retrans_out
 * and lost_out count them: every segment up to the send head is
 * unacknowledged; from esk->rtx_head on, after a timeout, they count lost
 * until sent again (edu_in_flight()); before it, those sent more than once
 * are retransmissions still in flight.
 */
struct edu_queue_counts {
	u32 unacked;
	u32 retrans;
	u32 lost;
};

static void edu_count_sent(struct sock *sk, struct edu_queue_counts *qc)
{
	struct edu_sock *esk = edu_sk(sk);
	struct sk_buff *skb;
	bool lost = false;

	memset(qc, 0, sizeof(*qc));
	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (skb == esk->send_head)
			break;
		if (skb == esk->rtx_head)
			lost = true;
		qc->unacked++;
		if (lost)
			qc->lost++;
		else if (EDU_SKB_CB(skb)->retransmitted)
			qc->retrans++;
	}
}

/*
 * Linux's icsk_ca_state for the recovery phase (enum tcp_ca_state).
 * Duplicate ACKs short of the third are Linux's Disorder.
 */
static u8 edu_tcp_ca_state(const struct edu_tcb *tcb)
{
	switch (tcb->cc.state) {
	case EDU_CA_RECOVERY:
		return TCP_CA_Recovery;
	case EDU_CA_LOSS:
		return TCP_CA_Loss;
	}
	return tcb->dupacks ? TCP_CA_Disorder : TCP_CA_Open;
}

/* Milliseconds since @stamp (jiffies), 0 if it never happened. */
static u32 edu_msecs_since(unsigned long now, unsigned long stamp)
{
	return stamp ? jiffies_to_msecs(now - stamp) : 0;
}

/*
 * struct tcp_info from the TCB.  A listener gets what Linux gives one: the
 * state, and the accept queue's length and bound in tcpi_unacked and
 * tcpi_sacked.
 */
static void edu_fill_tcp_info(struct sock *sk, struct tcp_info *info)
{
	struct edu_sock *esk = edu_sk(sk);
	const struct edu_tcb *tcb = &esk->tcb;
	const struct edu_stats *stats = &tcb->stats;
	unsigned long now = jiffies;
	struct edu_queue_counts qc;
	struct dst_entry *dst;
	bool probing;
	u32 mss;

	memset(info, 0, sizeof(*info));
	info->tcpi_state = inet_sk_state_load(sk);
	if (info->tcpi_state == TCP_LISTEN) {
		info->tcpi_unacked = READ_ONCE(sk->sk_ack_backlog);
		info->tcpi_sacked = READ_ONCE(sk->sk_max_ack_backlog);
		return;
	}

	lock_sock(sk);
	mss = tcb->mss ?: EDU_MSS_DEFAULT;
	info->tcpi_ca_state = edu_tcp_ca_state(tcb);
	/*
	 * The retransmission timer also probes a closed window (RFC 9293
	 * section 3.8.6.1), counting unanswered probes in tcb->retransmits;
	 * Linux counts those in icsk_probes_out, with no retransmits.
	 * Keepalive probes are the other probes.
	 */
	probing = tcb->snd_una == tcb->snd_nxt && esk->send_head;
	info->tcpi_retransmits = probing ? 0 : tcb->retransmits;
	info->tcpi_probes = probing ? tcb->retransmits : tcb->probes_out;
	info->tcpi_backoff = tcb->backoff;
	/* Of the options, RFC 7323's: no SACK or ECN. */
	if (tcb->ts_ok)
		info->tcpi_options |= TCPI_OPT_TIMESTAMPS;
	if (tcb->wscale_ok) {
		info->tcpi_options |= TCPI_OPT_WSCALE;
		info->tcpi_snd_wscale = tcb->snd_wscale;
		info->tcpi_rcv_wscale = tcb->rcv_wscale;
	}

	info->tcpi_rto = jiffies_to_usecs(tcb->rto);
	info->tcpi_ato = READ_ONCE(edu_net_sysctl(sock_net(sk))->delack_ms) *
			  USEC_PER_MSEC;
	info->tcpi_snd_mss = tcb->mss;
	/* Before any data, Linux's guess: the default MSS of RFC 9293. */
	info->tcpi_rcv_mss = stats->rcv_mss ?:
			     min_t(u32, tcb->advmss, EDU_MSS_DEFAULT);

	edu_count_sent(sk, &qc);
	info->tcpi_unacked = qc.unacked;
	info->tcpi_lost = qc.lost;
	info->tcpi_retrans = qc.retrans;

	info->tcpi_last_data_sent = edu_msecs_since(now, stats->data_sent);
	info->tcpi_last_data_recv = edu_msecs_since(now, stats->data_rcvd);
	info->tcpi_last_ack_recv = edu_msecs_since(now, tcb->rcv_tstamp);

	dst = __sk_dst_get(sk);
	if (dst)
		info->tcpi_pmtu = dst_mtu(dst);
	info->tcpi_rtt = tcb->rtt.srtt_us;
	info->tcpi_rttvar = tcb->rtt.rttvar_us;
	/* Segments, as Linux; no loss yet is Linux's "infinite". */
	info->tcpi_snd_ssthresh = tcb->cc.ssthresh == ~0U ?
				  TCP_INFINITE_SSTHRESH :
				  tcb->cc.ssthresh / mss;
	info->tcpi_snd_cwnd = max_t(u32, tcb->cc.cwnd / mss, 1);
	info->tcpi_advmss = tcb->advmss;
	/* The duplicate ACK threshold (RFC 5681 section 3.2), fixed. */
	info->tcpi_reordering = 3;

	info->tcpi_total_retrans = stats->retrans_segs;
	info->tcpi_bytes_acked = stats->bytes_acked;
	info->tcpi_bytes_received = stats->bytes_received;
	info->tcpi_segs_out = stats->segs_out;
	info->tcpi_segs_in = stats->segs_in;
	info->tcpi_notsent_bytes = max_t(s32, tcb->write_seq - tcb->snd_nxt,
					 0);
	info->tcpi_data_segs_in = stats->data_segs_in;
	info->tcpi_data_segs_out = stats->data_segs_out;
	info->tcpi_bytes_sent = stats->bytes_sent;
	info->tcpi_bytes_retrans = stats->bytes_retrans;
	info->tcpi_rcv_ooopack = stats->ofo_segs_in;
	info->tcpi_rcv_rtt = tcb->rcv_rtt_us;
	info->tcpi_rcv_space = tcb->rcvq_space;
	info->tcpi_snd_wnd = tcb->snd_wnd;
#if EDU_HAVE_TCPI_RCV_WND
	info->tcpi_rcv_wnd = tcb->rcv_wnd;
	info->tcpi_total_rto = min_t(u32, stats->rto_expiries, U16_MAX);
#endif
	release_sock(sk);
}

/* struct edu_info from the TCB (uapi/linux/edu.h says what each is). */
static void edu_fill_edu_info(struct sock *sk, struct edu_info *info)
{
	struct edu_sock *esk = edu_sk(sk);
	const struct edu_tcb *tcb = &esk->tcb;
	const struct edu_stats *stats = &tcb->stats;
	struct sk_buff *skb;

	BUILD_BUG_ON(EDU_INFO_CA_OPEN != EDU_CA_OPEN);
	BUILD_BUG_ON(EDU_INFO_CA_RECOVERY != EDU_CA_RECOVERY);
	BUILD_BUG_ON(EDU_INFO_CA_LOSS != EDU_CA_LOSS);
	/* No padding: the same layout for 32- and 64-bit programs. */
	BUILD_BUG_ON(sizeof(*info) % sizeof(__u64));

	memset(info, 0, sizeof(*info));
	lock_sock(sk);
	info->state = sk->sk_state;

	info->snd_una = tcb->snd_una;
	info->snd_nxt = tcb->snd_nxt;
	info->snd_wnd = tcb->snd_wnd;
	info->snd_up = tcb->snd_up;
	info->snd_wl1 = tcb->snd_wl1;
	info->snd_wl2 = tcb->snd_wl2;
	info->iss = tcb->iss;
	info->rcv_nxt = tcb->rcv_nxt;
	info->rcv_wnd = tcb->rcv_wnd;
	info->rcv_up = tcb->rcv_up;
	info->irs = tcb->irs;
	info->mss = tcb->mss;
	info->advmss = tcb->advmss;

	info->srtt_us = tcb->rtt.srtt_us;
	info->rttvar_us = tcb->rtt.rttvar_us;
	info->rto_ms = jiffies_to_msecs(tcb->rto);
	info->rtt_samples = tcb->rtt.samples;
	info->retransmits = tcb->retransmits;
	info->backoff = tcb->backoff;
	info->probes = tcb->probes_out;

	info->cwnd = tcb->cc.cwnd;
	info->ssthresh = tcb->cc.ssthresh;
	info->ca_state = tcb->cc.state;
	info->dupacks = tcb->dupacks;
	info->recover = tcb->cc.recover;
	info->in_flight = edu_in_flight(sk);

	info->snd_queue = tcb->write_seq - tcb->snd_una;
	info->snd_unsent = max_t(s32, tcb->write_seq - tcb->snd_nxt, 0);
	info->rcv_queue = edu_inq(sk);
	for (skb = skb_rb_first(&esk->ofo_root); skb; skb = skb_rb_next(skb)) {
		info->ofo_bytes += skb->len;
		info->ofo_segs++;
	}

	info->retrans_segs = stats->retrans_segs;
	info->rto_expiries = stats->rto_expiries;
	info->ofo_segs_in = stats->ofo_segs_in;
	info->window_probes = stats->window_probes;
	info->segs_out = stats->segs_out;
	info->segs_in = stats->segs_in;
	info->data_segs_out = stats->data_segs_out;
	info->data_segs_in = stats->data_segs_in;
	info->bytes_acked = stats->bytes_acked;
	info->bytes_received = stats->bytes_received;
	info->bytes_sent = stats->bytes_sent;
	info->bytes_retrans = stats->bytes_retrans;
	release_sock(sk);
}

/* Copy min(@len, @size) bytes of @info out and write that length back. */
static int edu_info_copy(const void *info, unsigned int size, int len,
			 char __user *optval, int __user *optlen)
{
	len = min_t(unsigned int, len, size);
	if (put_user(len, optlen) || copy_to_user(optval, info, len))
		return -EFAULT;
	return 0;
}

/**
 * edu_getsockopt_tcp_info() - getsockopt(SOL_TCP, TCP_INFO)
 * @sk: the socket, not locked
 * @len: the caller's buffer length, already checked not negative
 * @optval: the caller's buffer
 * @optlen: where the length copied goes
 *
 * Return: 0, or -EFAULT if a user pointer is bad.
 */
int edu_getsockopt_tcp_info(struct sock *sk, int len, char __user *optval,
			    int __user *optlen)
{
	struct tcp_info info;

	edu_fill_tcp_info(sk, &info);
	return edu_info_copy(&info, sizeof(info), len, optval, optlen);
}

/**
 * edu_getsockopt_edu_info() - getsockopt(SOL_EDU, EDU_INFO)
 * @sk: the socket, not locked
 * @len: the caller's buffer length, already checked not negative
 * @optval: the caller's buffer
 * @optlen: where the length copied goes
 *
 * Return: 0, or -EFAULT if a user pointer is bad.
 */
int edu_getsockopt_edu_info(struct sock *sk, int len, char __user *optval,
			    int __user *optlen)
{
	struct edu_info info;

	edu_fill_edu_info(sk, &info);
	return edu_info_copy(&info, sizeof(info), len, optval, optlen);
}
