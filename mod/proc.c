// SPDX-License-Identifier: GPL-2.0
/*
 * proc.c - /proc/net/edu: one line per AF_EDU socket of the namespace, in
 * the column layout of /proc/net/tcp (net/ipv4/tcp_ipv4.c), so that anyone
 * who reads that file, and the tools that parse it, can read this one.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uidgid.h>
#include <net/tcp_states.h>

#include "edu.h"

static void *edu_seq_start(struct seq_file *seq, loff_t *pos)
	__acquires(&en->sk_list_lock)
{
	struct edu_net *en = edu_pernet(seq_file_net(seq));

	spin_lock_bh(&en->sk_list_lock);
	return seq_list_start_head(&en->sk_list, *pos);
}

static void *edu_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct edu_net *en = edu_pernet(seq_file_net(seq));

	return seq_list_next(v, &en->sk_list, pos);
}

static void edu_seq_stop(struct seq_file *seq, void *v)
	__releases(&en->sk_list_lock)
{
	struct edu_net *en = edu_pernet(seq_file_net(seq));

	spin_unlock_bh(&en->sk_list_lock);
}

/*
 * The queue columns mean what they mean in /proc/net/tcp: bytes not yet
 * acknowledged and bytes not yet read; for a listener, nothing and the
 * accept queue's length.
 */
static void edu_seq_show_sock(struct seq_file *seq, struct sock *sk, int sl)
{
	const struct inet_sock *inet = inet_sk(sk);
	const struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	int state = inet_sk_state_load(sk);
	u32 tx_queue, rx_queue;

	if (state == TCP_LISTEN) {
		rx_queue = READ_ONCE(sk->sk_ack_backlog);
		tx_queue = 0;
	} else {
		rx_queue = sk_rmem_alloc_get(sk);
		tx_queue = READ_ONCE(sk->sk_wmem_queued);
	}

	/*
	 * TCP's columns, then the TCB (RFC 9293 names, read without the
	 * socket lock: a snapshot that may be a segment old).
	 */
	seq_printf(seq,
		   "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %08X %08X %08X %7u %7u %u\n",
		   sl, inet->inet_rcv_saddr, ntohs(inet->inet_sport),
		   inet->inet_daddr, ntohs(inet->inet_dport), state,
		   tx_queue, rx_queue, 0, 0UL, tcb->retransmits,
		   from_kuid_munged(seq_user_ns(seq), sock_i_uid(sk)), 0,
		   sock_i_ino(sk), READ_ONCE(tcb->snd_una),
		   READ_ONCE(tcb->snd_nxt), READ_ONCE(tcb->rcv_nxt),
		   READ_ONCE(tcb->snd_wnd), READ_ONCE(tcb->rcv_wnd),
		   jiffies_to_msecs(READ_ONCE(tcb->rto)));
}

static int edu_seq_show(struct seq_file *seq, void *v)
{
	struct edu_net *en = edu_pernet(seq_file_net(seq));

	if (v == &en->sk_list) {
		seq_puts(seq, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode snd_una  snd_nxt  rcv_nxt  snd_wnd rcv_wnd rto\n");
		return 0;
	}
	/* Position 0 is the header, so the slot number is one less. */
	edu_seq_show_sock(seq, &list_entry(v, struct edu_sock, net_node)->inet.sk,
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
			     sizeof(struct seq_net_private)))
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
