// SPDX-License-Identifier: GPL-2.0
/*
 * ofo.c - the out-of-order queue: data that arrived beyond RCV.NXT, inside
 * the receive window, held until the hole before it is filled.
 *
 * RFC 9293 section 3.10.7.4 ("seventh") lets a receiver keep segments that
 * are acceptable but not next in sequence, and RFC 5681 section 4.2 wants
 * them acknowledged at once (a duplicate ACK, which is what drives the
 * sender's fast retransmit).  Without the queue, every segment after a loss
 * would be lost too and the sender would have to send them all again.
 *
 * The queue is a red-black tree of skbs ordered by sequence number (the
 * skb's rbnode, as Linux's out_of_order_queue).  An skb there holds payload
 * only; its control block gives the first byte (seq) and the end of what
 * it covers (end_seq), a FIN counting one, as on the wire.  Rules:
 *
 *  - a segment that an earlier one already covers is a duplicate: dropped;
 *  - a segment that covers later ones replaces them;
 *  - partial overlaps are kept, and trimmed when delivered in order;
 *  - memory is charged to the receive buffer like in-order data (the
 *    advertised window shrinks with it); when SO_RCVBUF is reached the
 *    farthest-ahead data is pruned first, never data already in order.
 *
 * Locking: all functions run with the socket locked (softirq with the
 * socket not owned by the user, or process context owning it).
 */
#include <linux/rbtree.h>
#include <linux/skbuff.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "edu.h"
#include "seq.h"

static void edu_ofo_drop(struct sock *sk, struct sk_buff *skb)
{
	rb_erase(&skb->rbnode, &edu_sk(sk)->ofo_root);
	kfree_skb(skb);
}

/*
 * Drop segments from the far end of the queue, those beyond @keep_seq,
 * until @need more bytes fit in the receive buffer.  Return: true if they
 * fit.
 */
static bool edu_ofo_prune(struct sock *sk, u32 keep_seq, unsigned int need)
{
	struct sk_buff *last;

	while (atomic_read(&sk->sk_rmem_alloc) + need >
	       READ_ONCE(sk->sk_rcvbuf)) {
		last = skb_rb_last(&edu_sk(sk)->ofo_root);
		if (!last || !edu_seq_after(EDU_SKB_CB(last)->seq, keep_seq))
			return false;
		edu_ofo_drop(sk, last);
		edu_mib_inc(sock_net(sk), EDU_MIB_OFOPRUNED);
	}
	return true;
}

/**
 * edu_ofo_make_room() - free out-of-order data so that in-order data fits
 * @sk: the socket, locked
 * @need: bytes of memory the in-order segment needs
 *
 * Data that fills the hole matters more than data behind it: without this,
 * a queue holding the whole buffer would make the missing segment
 * undeliverable and the connection would stall.
 *
 * Return: true if @need bytes now fit in the receive buffer.
 */
bool edu_ofo_make_room(struct sock *sk, unsigned int need)
{
	return edu_ofo_prune(sk, edu_sk(sk)->tcb.rcv_nxt, need);
}

/**
 * edu_ofo_queue() - keep a segment that arrived ahead of RCV.NXT
 * @sk: the socket, locked
 * @skb: the payload, trimmed to the window; its control block's seq and
 *	end_seq set (end_seq counting a FIN); consumed in every case
 */
void edu_ofo_queue(struct sock *sk, struct sk_buff *skb)
{
	struct rb_root *root = &edu_sk(sk)->ofo_root;
	struct rb_node **p = &root->rb_node, *parent = NULL;
	u32 seq = EDU_SKB_CB(skb)->seq, end = EDU_SKB_CB(skb)->end_seq;
	struct sk_buff *cur, *next;

	edu_sk(sk)->tcb.stats.ofo_segs_in +=
		max_t(u16, skb_shinfo(skb)->gso_segs, 1);
	/* Room in the buffer, at the expense of data even farther ahead. */
	if (!edu_ofo_prune(sk, seq, skb->truesize)) {
		edu_mib_inc(sock_net(sk), EDU_MIB_OFODROP);
		kfree_skb(skb);
		return;
	}

	while (*p) {
		parent = *p;
		cur = rb_to_skb(parent);
		if (edu_seq_before(seq, EDU_SKB_CB(cur)->seq)) {
			p = &parent->rb_left;
			continue;
		}
		if (edu_seq_leq(end, EDU_SKB_CB(cur)->end_seq)) {
			/* All of it is already here: a duplicate. */
			edu_mib_inc(sock_net(sk), EDU_MIB_OFODROP);
			kfree_skb(skb);
			return;
		}
		if (seq == EDU_SKB_CB(cur)->seq) {
			/* Same start, longer: it takes the other's place. */
			rb_replace_node(&cur->rbnode, &skb->rbnode, root);
			kfree_skb(cur);
			goto covered;
		}
		p = &parent->rb_right;
	}
	rb_link_node(&skb->rbnode, parent, p);
	rb_insert_color(&skb->rbnode, root);

covered:
	/* Segments after it that it covers entirely are no longer needed. */
	while ((next = skb_rb_next(skb)) &&
	       edu_seq_leq(EDU_SKB_CB(next)->end_seq, end))
		edu_ofo_drop(sk, next);
	edu_skb_set_owner_r(skb, sk);
	edu_mib_inc(sock_net(sk), EDU_MIB_OFOQUEUE);
}

/**
 * edu_ofo_drain() - move what is now in sequence to the receive queue
 * @sk: the socket, locked, RCV.NXT just advanced
 *
 * Segments that start at or before RCV.NXT are delivered, the part already
 * received trimmed off; segments entirely behind it are dropped.  RCV.NXT
 * advances over the data; a FIN is left for the caller to process.
 *
 * Return: true if the data delivered ends with the peer's FIN, which is
 * now at RCV.NXT.
 */
bool edu_ofo_drain(struct sock *sk)
{
	struct edu_sock *esk = edu_sk(sk);
	struct edu_tcb *tcb = &esk->tcb;
	struct sk_buff *skb;
	bool fin = false;

	while ((skb = skb_rb_first(&esk->ofo_root))) {
		struct edu_skb_cb *cb = EDU_SKB_CB(skb);

		if (edu_seq_after(cb->seq, tcb->rcv_nxt))
			break;
		rb_erase(&skb->rbnode, &esk->ofo_root);
		if (edu_seq_leq(cb->end_seq, tcb->rcv_nxt)) {
			kfree_skb(skb);
			continue;
		}
		/* The overlap with what came before goes (3.10.7.4). */
		if (!pskb_pull(skb, tcb->rcv_nxt - cb->seq)) {
			kfree_skb(skb);		/* no memory: sent again */
			continue;
		}
		cb->seq = tcb->rcv_nxt;
		fin = cb->flags & TCPHDR_FIN;
		tcb->rcv_nxt += skb->len;
		tcb->stats.bytes_received += skb->len;
		if (skb->len) {
			cb->end_seq = tcb->rcv_nxt;
			__skb_queue_tail(&sk->sk_receive_queue, skb);
		} else {
			kfree_skb(skb);
		}
		if (fin)
			break;
	}
	return fin;
}

/**
 * edu_ofo_purge() - free the whole out-of-order queue
 * @sk: the socket, locked
 */
void edu_ofo_purge(struct sock *sk)
{
	struct sk_buff *skb;

	/* (skb_rbtree_purge() does this, but is not exported to modules.) */
	while ((skb = skb_rb_first(&edu_sk(sk)->ofo_root)))
		edu_ofo_drop(sk, skb);
}
