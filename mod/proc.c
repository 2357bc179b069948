// SPDX-License-Identifier: GPL-2.0
/*
 * proc.c - /proc/net/edu: one line per AF_EDU socket and TIME-WAIT record
 * of the namespace, in the column layout of /proc/net/tcp (net/ipv4/tcp_ipv4.c), so that anyone
 * who reads that file, and the tools that parse it, can read this one.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uidgid.h>
#include <net/tcp_states.h>

#include "edu.h"

/*
 * The walk covers the namespace's sockets (edu_net.sk_list), then its
 * TIME-WAIT records (edu_net.twhash), as /proc/net/tcp lists both.  Both
 * locks are held from start to stop, sk_list_lock first; nothing else
 * takes the two together.
 */
struct edu_seq_iter {
	struct seq_net_private p;	/* must be first: seq_file_net() */
	bool timewait;			/* v is a record, not a socket */
	unsigned int bucket;		/* twhash bucket of the record */
};

/* The first TIME-WAIT record in bucket @b or after, or NULL. */
static struct edu_timewait *edu_seq_tw_from(struct edu_net *en,
					    struct edu_seq_iter *it,
					    unsigned int b)
{
	for (; b < ARRAY_SIZE(en->twhash); b++) {
		if (!hlist_empty(&en->twhash[b])) {
			it->bucket = b;
			return hlist_entry(en->twhash[b].first,
					   struct edu_timewait, node);
		}
	}
	return NULL;
}

/* The entry after @v (SEQ_START_TOKEN: the first entry), or NULL. */
static void *edu_seq_advance(struct seq_file *seq, void *v)
{
	struct edu_net *en = edu_pernet(seq_file_net(seq));
	struct edu_seq_iter *it = seq->private;
	struct edu_timewait *tw;
	struct list_head *node;

	if (it->timewait) {
		tw = v;
		if (tw->node.next)
			return hlist_entry(tw->node.next, struct edu_timewait,
					   node);
		return edu_seq_tw_from(en, it, it->bucket + 1);
	}
	node = v == SEQ_START_TOKEN ? en->sk_list.next :
				      ((struct list_head *)v)->next;
	if (node != &en->sk_list)
		return node;
	it->timewait = true;
	return edu_seq_tw_from(en, it, 0);
}

static void *edu_seq_start(struct seq_file *seq, loff_t *pos)
	__acquires(&en->sk_list_lock) __acquires(&en->hash_lock)
{
	struct edu_net *en = edu_pernet(seq_file_net(seq));
	struct edu_seq_iter *it = seq->private;
	void *v = SEQ_START_TOKEN;
	loff_t n;

	spin_lock_bh(&en->sk_list_lock);
	spin_lock(&en->hash_lock);
	it->timewait = false;
	for (n = *pos; v && n > 0; n--)
		v = edu_seq_advance(seq, v);
	return v;
}

static void *edu_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	++*pos;
	return edu_seq_advance(seq, v);
}

static void edu_seq_stop(struct seq_file *seq, void *v)
	__releases(&en->hash_lock) __releases(&en->sk_list_lock)
{
	struct edu_net *en = edu_pernet(seq_file_net(seq));

	spin_unlock(&en->hash_lock);
	spin_unlock_bh(&en->sk_list_lock);
}

/*
 * The timer columns as /proc/net/tcp fills them: which timer is pending
 * (1 retransmission, 4 zero-window probe, 2 keepalive, 0 none) and the
 * clock ticks (USER_HZ) until it fires.  The retransmission timer also
 * paces window probes: nothing in flight means it is probing.
 */
static int edu_seq_timer(struct sock *sk, const struct edu_tcb *tcb,
			 unsigned long *when)
{
	struct edu_sock *esk = edu_sk(sk);
	unsigned long expires;
	int timer;

	if (timer_pending(&esk->rtx_timer)) {
		timer = READ_ONCE(tcb->snd_una) == READ_ONCE(tcb->snd_nxt) ?
			4 : 1;
		expires = READ_ONCE(esk->rtx_timer.expires);
	} else if (timer_pending(&sk->sk_timer)) {
		timer = 2;
		expires = READ_ONCE(sk->sk_timer.expires);
	} else {
		*when = 0;
		return 0;
	}
	*when = jiffies_delta_to_clock_t((long)(expires - jiffies));
	return timer;
}

/*
 * The queue columns mean what they mean in /proc/net/tcp: bytes written
 * and not yet acknowledged (write_seq - SND.UNA) and bytes received and
 * not yet read (RCV.NXT - copied_seq); for a listener, nothing and the
 * accept queue's length.
 */
static void edu_seq_show_sock(struct seq_file *seq, struct sock *sk, int sl)
{
	const struct inet_sock *inet = inet_sk(sk);
	const struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	int state = inet_sk_state_load(sk);
	u32 tx_queue, rx_queue;
	unsigned long when;
	int timer;

	if (state == TCP_LISTEN) {
		rx_queue = READ_ONCE(sk->sk_ack_backlog);
		tx_queue = 0;
	} else {
		/*
		 * Lockless: either difference may be a moment old.  A FIN
		 * received takes a sequence number but is no byte to read.
		 */
		tx_queue = READ_ONCE(tcb->write_seq) - READ_ONCE(tcb->snd_una);
		rx_queue = max_t(int, READ_ONCE(tcb->rcv_nxt) -
				 READ_ONCE(tcb->copied_seq), 0);
		if (rx_queue && (state == TCP_CLOSE_WAIT ||
				 state == TCP_LAST_ACK || state == TCP_CLOSING))
			rx_queue--;
	}
	timer = edu_seq_timer(sk, tcb, &when);

	/*
	 * TCP's columns, then the TCB (RFC 9293 names, read without the
	 * socket lock: a snapshot that may be a segment old): the windows in
	 * bytes, the RTO in milliseconds, cwnd and ssthresh in bytes (RFC
	 * 5681), SRTT in microseconds (RFC 6298).
	 */
	seq_printf(seq,
		   "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %08X %08X %08X %7u %7u %u %u %u %u\n",
		   sl, inet->inet_rcv_saddr, ntohs(inet->inet_sport),
		   inet->inet_daddr, ntohs(inet->inet_dport), state,
		   tx_queue, rx_queue, timer, when, tcb->retransmits,
		   from_kuid_munged(seq_user_ns(seq), sock_i_uid(sk)), 0,
		   sock_i_ino(sk), READ_ONCE(tcb->snd_una),
		   READ_ONCE(tcb->snd_nxt), READ_ONCE(tcb->rcv_nxt),
		   READ_ONCE(tcb->snd_wnd), READ_ONCE(tcb->rcv_wnd),
		   jiffies_to_msecs(READ_ONCE(tcb->rto)),
		   READ_ONCE(tcb->cc.cwnd), READ_ONCE(tcb->cc.ssthresh),
		   READ_ONCE(tcb->rtt.srtt_us));
}

/*
 * A TIME-WAIT record, as /proc/net/tcp shows one: state 06, timer 3 with
 * the time left in clock ticks (USER_HZ), no owner.  Nothing is in flight
 * or unread; the TCB columns show where the sequence spaces ended, and the
 * estimator and congestion columns, gone with the socket, show 0.
 */
static void edu_seq_show_tw(struct seq_file *seq, struct edu_timewait *tw,
			    int sl)
{
	long left = (long)(READ_ONCE(tw->timer.expires) - jiffies);

	seq_printf(seq,
		   "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %08X %08X %08X %7u %7u %u %u %u %u\n",
		   sl, tw->saddr, ntohs(tw->sport), tw->daddr, ntohs(tw->dport),
		   TCP_TIME_WAIT, 0, 0, 3, jiffies_delta_to_clock_t(left), 0, 0,
		   0, 0UL, tw->snd_nxt, tw->snd_nxt, tw->rcv_nxt, 0, 0, 0, 0, 0,
		   0);
}

static int edu_seq_show(struct seq_file *seq, void *v)
{
	struct edu_seq_iter *it = seq->private;

	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode snd_una  snd_nxt  rcv_nxt  snd_wnd rcv_wnd rto cwnd ssthresh srtt\n");
		return 0;
	}
	/* Position 0 is the header, so the slot number is one less. */
	if (it->timewait)
		edu_seq_show_tw(seq, v, seq->index - 1);
	else
		edu_seq_show_sock(seq, &list_entry(v, struct edu_sock,
						   net_node)->inet.sk,
				  seq->index - 1);
	return 0;
}

static const struct seq_operations edu_seq_ops = {
	.start = edu_seq_start,
	.next  = edu_seq_next,
	.stop  = edu_seq_stop,
	.show  = edu_seq_show,
};

/**
 * edu_proc_net_init() - create /proc/net/edu in a namespace
 * @net: the namespace
 *
 * Return: 0 or -ENOMEM.
 */
int edu_proc_net_init(struct net *net)
{
	if (!proc_create_net("edu", 0444, net->proc_net, &edu_seq_ops,
			     sizeof(struct edu_seq_iter)))
		return -ENOMEM;
	return 0;
}

/**
 * edu_proc_net_exit() - remove /proc/net/edu from a namespace
 * @net: the namespace
 */
void edu_proc_net_exit(struct net *net)
{
	remove_proc_entry("edu", net->proc_net);
}
