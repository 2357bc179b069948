// SPDX-License-Identifier: GPL-2.0
/*
 * timewait.c - TIME-WAIT, RFC 9293 sections 3.3.2 and 3.6.
 *
 * The side that closes first waits 2*MSL in TIME-WAIT, so that the last
 * ACK can be resent if the peer's FIN comes again and no old segment of
 * this connection is taken for one of the next connection with the same
 * 4-tuple.  As in Linux, the full socket is freed on entry and a small
 * record (struct edu_timewait) stands in for it.
 *
 * Ownership: a record is freed by whoever takes it out of the table, once
 * its timer can no longer run: the timer itself when it expires, the
 * receive path when a RST or a new SYN ends TIME-WAIT early, or the
 * namespace's exit.  Records hold no reference on their namespace, so that
 * a namespace can go away while TIME-WAIT lasts; its exit purges them.
 */
#include <linux/slab.h>
#include <linux/timer.h>
#include <net/ip.h>
#include <net/tcp.h>

#include "edu.h"
#include "seq.h"
#include "trace.h"

static void edu_tw_free(struct edu_timewait *tw)
{
	trace_edu_state(NULL, tw, TCP_TIME_WAIT, TCP_CLOSE);
	kfree(tw);
	edu_object_dec(EDU_OBJ_TIMEWAIT);
}

static void edu_tw_expire(struct timer_list *t)
{
	struct edu_timewait *tw = from_timer(tw, t, timer);
	struct edu_net *en = edu_pernet(tw->net);
	bool mine;

	trace_edu_timer(NULL, tw, EDU_TIMER_TIMEWAIT);
	spin_lock_bh(&en->hash_lock);
	mine = !hlist_unhashed(&tw->node);
	if (mine)
		hlist_del_init(&tw->node);
	spin_unlock_bh(&en->hash_lock);
	/* If not, whoever unhashed it waits for us, then frees it. */
	if (mine)
		edu_tw_free(tw);
}

/**
 * edu_tw_enter() - replace a connection entering TIME-WAIT by a record
 * @sk: the socket, locked; still in the connection table
 *
 * The record is hashed before the socket is unhashed, so that no segment
 * of the connection finds neither.  The caller then closes the socket.
 */
void edu_tw_enter(struct sock *sk)
{
	struct edu_net *en = edu_pernet(sock_net(sk));
	struct inet_sock *inet = inet_sk(sk);
	struct edu_timewait *tw;
	u32 h;

	tw = kzalloc(sizeof(*tw), GFP_ATOMIC);
	if (!tw)
		return;		/* closes at once; rare, as in Linux */
	edu_object_inc(EDU_OBJ_TIMEWAIT);
	edu_mib_inc(sock_net(sk), EDU_MIB_TIMEWAITS);
	tw->net = sock_net(sk);
	tw->saddr = inet->inet_saddr;
	tw->daddr = inet->inet_daddr;
	tw->sport = inet->inet_sport;
	tw->dport = inet->inet_dport;
	tw->snd_nxt = edu_sk(sk)->tcb.snd_nxt;
	tw->rcv_nxt = edu_sk(sk)->tcb.rcv_nxt;
	tw->ts_ok = edu_sk(sk)->tcb.ts_ok;
	tw->ts_recent = edu_sk(sk)->tcb.ts_recent;
	tw->ts_off = edu_sk(sk)->tcb.ts_off;
	/* The window as the header's field carries it (RFC 7323 2.3). */
	tw->rcv_wnd = min(edu_rcv_wnd_left(&edu_sk(sk)->tcb) >>
			  edu_sk(sk)->tcb.rcv_wscale, EDU_MAX_WINDOW);
	timer_setup(&tw->timer, edu_tw_expire, 0);
	trace_edu_state(sk, tw, sk->sk_state, TCP_TIME_WAIT);

	h = edu_ehashfn(en, tw->saddr, tw->sport, tw->daddr, tw->dport);
	spin_lock_bh(&en->hash_lock);
	hlist_add_head(&tw->node, &en->twhash[h]);
	mod_timer(&tw->timer, jiffies + EDU_TIMEWAIT_LEN);
	spin_unlock_bh(&en->hash_lock);
}

/* The record for a 4-tuple; called under edu_net.hash_lock. */
static struct edu_timewait *edu_tw_find(struct edu_net *en, __be32 raddr,
					__be16 rport, __be32 laddr,
					__be16 lport)
{
	struct edu_timewait *tw;
	u32 h = edu_ehashfn(en, laddr, lport, raddr, rport);

	hlist_for_each_entry(tw, &en->twhash[h], node) {
		if (tw->daddr == raddr && tw->dport == rport &&
		    tw->saddr == laddr && tw->sport == lport)
			return tw;
	}
	return NULL;
}

/**
 * edu_tw_exists() - is a 4-tuple in TIME-WAIT?
 * @net: the namespace
 * @raddr: remote address
 * @rport: remote port
 * @laddr: local address
 * @lport: local port
 *
 * Return: true if a TIME-WAIT record holds the 4-tuple.
 */
bool edu_tw_exists(struct net *net, __be32 raddr, __be16 rport,
		   __be32 laddr, __be16 lport)
{
	struct edu_net *en = edu_pernet(net);
	bool found;

	spin_lock_bh(&en->hash_lock);
	found = edu_tw_find(en, raddr, rport, laddr, lport);
	spin_unlock_bh(&en->hash_lock);
	return found;
}

/**
 * edu_tw_rcv() - handle a segment that may belong to a TIME-WAIT record
 * @net: the namespace it arrived in
 * @skb: the segment, TCP header at skb->data, checksum verified
 *
 * RFC 9293 section 3.10.7.4 in TIME-WAIT: a retransmitted FIN is
 * acknowledged again and restarts the 2*MSL wait; a RST ends the wait; a
 * new SYN beyond the old connection's sequence space ends it too and goes
 * on to a listener, as Linux allows (RFC 6191's idea without timestamps);
 * data is answered with an ACK, a bare ACK is dropped.
 *
 * Return: true if the segment was consumed (the caller frees it), false if
 * there is no record for it or a listener should see it.  A RST that ends
 * the wait is consumed.
 */
bool edu_tw_rcv(struct net *net, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct edu_net *en = edu_pernet(net);
	struct edu_timewait *found;
	bool kill = false;

	spin_lock_bh(&en->hash_lock);
	found = edu_tw_find(en, iph->saddr, th->source, iph->daddr, th->dest);
	if (!found) {
		spin_unlock_bh(&en->hash_lock);
		return false;
	}
	trace_edu_segment_recv(net, NULL, found, skb);
	if (th->rst ||
	    (th->syn && !th->ack &&
	     edu_seq_after(ntohl(th->seq), found->rcv_nxt))) {
		hlist_del_init(&found->node);
		kill = true;
	} else if (th->fin || skb->len > ip_hdrlen(skb) + th->doff * 4) {
		/*
		 * A FIN again (our last ACK was lost) or data: acknowledge.
		 * A bare ACK is not answered, or two ends in TIME-WAIT would
		 * ACK each other's ACKs until it ends.
		 */
		if (th->fin)
			mod_timer_pending(&found->timer,
					  jiffies + EDU_TIMEWAIT_LEN);
		edu_send_tw_ack(found, skb);
	}
	spin_unlock_bh(&en->hash_lock);

	if (kill) {
		del_timer_sync(&found->timer);
		edu_tw_free(found);
		/* A new SYN goes on to the listener, if there is one. */
		return th->rst;
	}
	return true;
}

/**
 * edu_tw_purge() - free every TIME-WAIT record of a namespace at its exit
 * @en: the namespace's state
 */
void edu_tw_purge(struct edu_net *en)
{
	struct edu_timewait *tw;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(en->twhash); i++) {
		for (;;) {
			spin_lock_bh(&en->hash_lock);
			tw = hlist_entry_safe(en->twhash[i].first,
					      struct edu_timewait, node);
			if (tw)
				hlist_del_init(&tw->node);
			spin_unlock_bh(&en->hash_lock);
			if (!tw)
				break;
			/* Unhashed by us: the timer, if it runs, leaves it. */
			del_timer_sync(&tw->timer);
			edu_tw_free(tw);
		}
	}
}
