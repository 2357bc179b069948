// SPDX-License-Identifier: GPL-2.0
/*
 * stream.c - the byte stream as the application sees it: send() copies
 * into the write queue, recv() copies out of the receive queue, and the
 * socket's buffer limits (SO_SNDBUF, SO_RCVBUF) bound both.
 *
 * The write queue holds segments of at most one MSS, filled in order; the
 * last one grows until full, so small writes coalesce as Nagle intends.
 * The receive queue holds in-order payload only; bytes are consumed from
 * its head at tcb.copied_seq.
 */
#include <linux/sched/signal.h>
#include <asm/ioctls.h>
#include <linux/sockios.h>
#include <linux/uio.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "edu.h"
#include "seq.h"

/**
 * edu_write_space() - wake writers when the write queue has room again
 * @sk: the socket
 *
 * The stream variant of sk_write_space: writers wait on the queued bytes
 * (sk_wmem_queued against SO_SNDBUF), not on bytes in flight below IP.
 * Only a writer that found the queue full (SOCK_NOSPACE, set by sendmsg()
 * and poll()) is woken, as Linux TCP does: this is also called each time
 * a transmitted segment is freed (sock_wfree()) and on every ACK, and a
 * wake-up for each would be a spurious EPOLLOUT edge for EPOLLET users.
 */
void edu_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	struct socket_wq *wq;

	if (!sock || !test_bit(SOCK_NOSPACE, &sock->flags) ||
	    !sk_stream_is_writeable(sk))
		return;
	clear_bit(SOCK_NOSPACE, &sock->flags);
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM |
					   EPOLLWRBAND);
	if (wq && wq->fasync_list && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sock_wake_async(wq, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

/**
 * edu_sndbuf_expand() - let the send buffer hold twice the window
 * @sk: the socket, locked
 *
 * As Linux's tcp_sndbuf_expand(): unless the application set SO_SNDBUF,
 * the send buffer grows to twice the congestion window (at least the
 * initial window), so that a window's worth can be in flight while as
 * much again waits to go, counting each segment at the memory it takes
 * (the write queue holds one skb per segment), up to the namespace's
 * wmem max.  It starts at wmem's default, which is small (16 KiB, as
 * tcp_wmem's): called when the connection is established and on each ACK
 * that moves SND.UNA.  It never shrinks.
 */
void edu_sndbuf_expand(struct sock *sk)
{
	const struct edu_sysctl *sysctl = edu_net_sysctl(sock_net(sk));
	const struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	u32 mss = edu_send_mss(tcb);
	u32 per_mss, segs;
	int sndmem;

	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK)
		return;
	/* A segment's skb: its head is a power-of-two allocation. */
	per_mss = MAX_TCP_HEADER + mss +
		  SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	per_mss = roundup_pow_of_two(per_mss) +
		  SKB_DATA_ALIGN(sizeof(struct sk_buff));
	segs = max_t(u32, READ_ONCE(sysctl->initial_cwnd), tcb->cc.cwnd / mss);
	sndmem = min_t(u64, 2ULL * segs * per_mss,
		       READ_ONCE(sysctl->wmem[2]));
	if (sk->sk_sndbuf < sndmem)
		WRITE_ONCE(sk->sk_sndbuf, sndmem);
}

/* A new, empty segment at the tail of the write queue. */
static struct sk_buff *edu_new_segment(struct sock *sk)
{
	struct edu_sock *esk = edu_sk(sk);
	struct sk_buff *skb;

	skb = alloc_skb(MAX_TCP_HEADER + edu_send_mss(&esk->tcb),
			sk->sk_allocation);
	if (!skb)
		return NULL;
	skb_reserve(skb, MAX_TCP_HEADER);
	edu_skb_track(skb);
	EDU_SKB_CB(skb)->seq = esk->tcb.write_seq;
	EDU_SKB_CB(skb)->end_seq = esk->tcb.write_seq;
	EDU_SKB_CB(skb)->flags = 0;
	sk_wmem_queued_add(sk, skb->truesize);
	__skb_queue_tail(&sk->sk_write_queue, skb);
	if (!esk->send_head)
		esk->send_head = skb;
	return skb;
}

/*
 * The segment the next bytes go into: the last one if it is unsent, not
 * full and carries no FIN, else a new one if SO_SNDBUF allows.
 */
static struct sk_buff *edu_tail_segment(struct sock *sk)
{
	struct edu_sock *esk = edu_sk(sk);
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);

	if (skb && esk->send_head && skb->len < edu_send_mss(&esk->tcb) &&
	    skb_tailroom(skb) && !(EDU_SKB_CB(skb)->flags & TCPHDR_FIN))
		return skb;
	if (!sk_stream_memory_free(sk))
		return NULL;
	return edu_new_segment(sk);
}

/**
 * edu_sendmsg() - send(), write(), sendmsg(): queue bytes for sending
 * @sock: the socket
 * @msg: the data
 * @size: its length
 *
 * RFC 9293 section 3.10.2 (SEND).  Waits for the handshake to finish, then
 * copies into the write queue, waiting (or EAGAIN when nonblocking) while
 * SO_SNDBUF is full; a write cut short by a signal or a timeout returns
 * what was queued, as TCP does.  Errors as tcp_sendmsg(): EPIPE (with
 * SIGPIPE unless MSG_NOSIGNAL) once sending is shut down, the pending
 * socket error otherwise.  MSG_MORE holds the last short segment back for
 * the next write, as TCP_CORK does (__edu_push()); splice() and sendfile()
 * come here too, with MSG_MORE on every piece but the last (6.1's
 * sendpage falls back to sock_no_sendpage(), 6.12 sends pages with
 * MSG_SPLICE_PAGES: either way the bytes are copied into the write queue).
 *
 * Return: bytes queued, or a negative errno.
 */
int edu_sendmsg(struct socket *sock, struct msghdr *msg, size_t size)
{
	struct sock *sk = sock->sk;
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	/* MSG_MORE: TCP_CORK for this call (the last short segment waits). */
	enum edu_push_how how = msg->msg_flags & MSG_MORE ? EDU_PUSH_MORE :
							   EDU_PUSH_NAGLE;
	int copied = 0, err;
	long timeo;

	lock_sock(sk);
	timeo = sock_sndtimeo(sk, msg->msg_flags & MSG_DONTWAIT);
	if (!((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT))) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto error;
	}

	while (msg_data_left(msg)) {
		struct sk_buff *skb;
		size_t chunk;

		err = -EPIPE;
		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
			goto error;

		skb = edu_tail_segment(sk);
		if (!skb) {
			/* Let what is queued go before waiting for room. */
			edu_push(sk);
			set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
			err = sk_stream_wait_memory(sk, &timeo);
			if (err)
				goto error;
			continue;
		}
		chunk = min_t(size_t, msg_data_left(msg),
			      min_t(size_t, edu_send_mss(tcb) - skb->len,
				    skb_tailroom(skb)));
		if (!copy_from_iter_full(skb_put(skb, chunk), chunk,
					 &msg->msg_iter)) {
			skb_trim(skb, skb->len - chunk);
			err = -EFAULT;
			goto error;
		}
		EDU_SKB_CB(skb)->end_seq += chunk;
		tcb->write_seq += chunk;
		copied += chunk;
		if (skb->len >= edu_send_mss(tcb))
			__edu_push(sk, how);
	}
	__edu_push(sk, how);
	release_sock(sk);
	return copied;

error:
	__edu_push(sk, how);
	if (copied) {
		release_sock(sk);
		return copied;
	}
	if (err == -EPIPE)
		err = sock_error(sk) ?: -EPIPE;
	err = sk_stream_error(sk, msg->msg_flags, err);
	release_sock(sk);
	return err;
}

/* The first queued skb holding the byte at @seq, or NULL. */
static struct sk_buff *edu_skb_at(struct sock *sk, u32 seq)
{
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_receive_queue, skb) {
		if (edu_seq_before(seq, EDU_SKB_CB(skb)->seq + skb->len))
			return skb;
	}
	return NULL;
}

/*
 * Nothing to copy: should recvmsg() return what it has, or wait?  Sets
 * *@err when it should return with an error or end of file (0).
 */
static bool edu_recv_should_stop(struct sock *sk, int copied, long timeo,
				 int *err)
{
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;

	*err = 0;
	if (copied)
		return sk->sk_err || sk->sk_state == TCP_CLOSE ||
		       (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo ||
		       signal_pending(current);
	/*
	 * Every byte before the peer's FIN is read (the FIN takes the one
	 * sequence number left between copied_seq and RCV.NXT, RFC 9293
	 * section 3.4): end of file, even if a RST came after it, as
	 * tcp_recvmsg() does; SO_ERROR still reports the reset.
	 */
	if ((sk->sk_shutdown & RCV_SHUTDOWN) &&
	    tcb->rcv_nxt - tcb->copied_seq == 1)
		return true;
	if (sk->sk_err) {
		*err = sock_error(sk);
		return true;
	}
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		return true;
	if (sk->sk_state == TCP_CLOSE) {
		/* Never connected; after a reset, end of file (SOCK_DONE). */
		if (!sock_flag(sk, SOCK_DONE))
			*err = -ENOTCONN;
		return true;
	}
	if (!timeo) {
		*err = -EAGAIN;
		return true;
	}
	if (signal_pending(current)) {
		*err = sock_intr_errno(timeo);
		return true;
	}
	return false;
}

/**
 * edu_rcv_rtt_sample() - a round-trip sample for the receiving side
 * @sk: the socket, locked
 * @tsecr: the TSecr of a data segment that advanced RCV.NXT
 *
 * A receiver that sends no data has no RTT estimate of its own (RFC 6298
 * samples come from ACKs of data sent).  With timestamps on, each data
 * segment echoes the TSval of an ACK we sent: the time since then is a
 * round trip, as Linux's tcp_rcv_rtt_measure_ts() takes it, in the TSval
 * clock's milliseconds (0 counts as 1).  Smoothed with a gain of 1/8.
 */
void edu_rcv_rtt_sample(struct sock *sk, u32 tsecr)
{
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	s32 ms = edu_tsval(tcb->ts_off) - tsecr;
	u32 us;

	if (!tsecr || ms < 0 || ms > 60 * MSEC_PER_SEC)
		return;
	us = max_t(u32, ms, 1) * USEC_PER_MSEC;
	tcb->rcv_rtt_us = tcb->rcv_rtt_us ?
			  tcb->rcv_rtt_us - tcb->rcv_rtt_us / 8 + us / 8 : us;
}

/*
 * Receive-buffer autotuning, as Linux's tcp_rcv_space_adjust() ("dynamic
 * right-sizing"): once a round trip, see how much the application read
 * in it; if more than in the last one, let the buffer hold twice that
 * (the window must keep up with a sender whose window doubles each round
 * trip in slow start), plus some segments of slack, at the memory per
 * byte the segments take (rcv_ratio), up to rmem's maximum.  Never for a
 * buffer the application sized with SO_RCVBUF, nor with moderate_rcvbuf
 * off.  The round trip is the receiver's (edu_rcv_rtt_sample()), else the
 * sender's estimator; without either nothing is tuned.
 */
static void edu_rcv_space_adjust(struct sock *sk)
{
	const struct edu_sysctl *sysctl = edu_net_sysctl(sock_net(sk));
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	u32 rtt_us = tcb->rcv_rtt_us ?: tcb->rtt.srtt_us;
	u32 copied;
	u64 rcvbuf;

	if (!tcb->rcvq_time) {
		tcb->rcvq_time = jiffies;
		tcb->rcvq_seq = tcb->copied_seq;
		tcb->rcvq_space = EDU_INIT_CWND_SEGS * tcb->advmss;
		return;
	}
	if (!rtt_us || time_before(jiffies, tcb->rcvq_time +
				   max_t(unsigned long,
					 usecs_to_jiffies(rtt_us), 1)))
		return;
	copied = tcb->copied_seq - tcb->rcvq_seq;
	if (copied > tcb->rcvq_space) {
		if (READ_ONCE(sysctl->moderate_rcvbuf) &&
		    !(sk->sk_userlocks & SOCK_RCVBUF_LOCK)) {
			rcvbuf = (2ULL * copied + 16 * tcb->advmss) * 256 /
				 max_t(u32, tcb->rcv_ratio, 1);
			rcvbuf = min_t(u64, rcvbuf, READ_ONCE(sysctl->rmem[2]));
			if (rcvbuf > READ_ONCE(sk->sk_rcvbuf))
				WRITE_ONCE(sk->sk_rcvbuf, rcvbuf);
		}
		tcb->rcvq_space = copied;
	}
	tcb->rcvq_seq = tcb->copied_seq;
	tcb->rcvq_time = jiffies;
}

/**
 * edu_recvmsg() - recv(), read(), recvmsg(): copy received bytes out
 * @sock: the socket
 * @msg: where to
 * @len: how much at most
 * @flags: MSG_PEEK, MSG_WAITALL, MSG_DONTWAIT, MSG_TRUNC, MSG_ERRQUEUE
 *
 * RFC 9293 section 3.10.3 (RECEIVE), with tcp_recvmsg()'s behaviour: 0 at
 * end of file (the peer's FIN), the pending error once after a reset,
 * ENOTCONN if never connected.  MSG_TRUNC discards instead of copying.
 * Reading reopens the window (edu_maybe_send_window_update()).
 *
 * Return: bytes read, or a negative errno.
 */
int edu_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		int flags)
{
	struct sock *sk = sock->sk;
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	u32 peek_seq, *seq;
	int copied = 0, err = 0, target;
	long timeo;

	/*
	 * The error queue, as tcp_recvmsg(): AF_EDU queues nothing there (no
	 * timestamping, no zerocopy), so this is EAGAIN, never stream data.
	 */
	if (flags & MSG_ERRQUEUE)
		return sock_recv_errqueue(sk, msg, len, SOL_IP, IP_RECVERR);

	lock_sock(sk);
	if (sk->sk_state == TCP_LISTEN) {
		copied = -ENOTCONN;
		goto out;
	}
	/*
	 * Urgent data (RFC 9293 section 3.8.5) is not supported yet: as TCP
	 * with no urgent byte to read, EINVAL, after a listener's ENOTCONN.
	 */
	if (flags & MSG_OOB) {
		copied = -EINVAL;
		goto out;
	}
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);
	peek_seq = tcb->copied_seq;
	seq = (flags & MSG_PEEK) ? &peek_seq : &tcb->copied_seq;

	while (copied < len) {
		struct sk_buff *skb = edu_skb_at(sk, *seq);
		u32 offset, used;

		if (!skb) {
			if (copied >= target ||
			    edu_recv_should_stop(sk, copied, timeo, &err))
				break;
			edu_maybe_send_window_update(sk);
			sk_wait_data(sk, &timeo,
				     skb_peek_tail(&sk->sk_receive_queue));
			continue;
		}
		offset = *seq - EDU_SKB_CB(skb)->seq;
		used = min_t(size_t, skb->len - offset, len - copied);
		if (!(flags & MSG_TRUNC) &&
		    skb_copy_datagram_msg(skb, offset, msg, used)) {
			if (!copied)
				err = -EFAULT;
			break;
		}
		*seq += used;
		copied += used;
		if (!(flags & MSG_PEEK) && offset + used == skb->len) {
			__skb_unlink(skb, &sk->sk_receive_queue);
			consume_skb(skb);
		}
	}
	if (!(flags & MSG_PEEK) && copied) {
		edu_rcv_space_adjust(sk);
		edu_maybe_send_window_update(sk);
	}
	if (!copied)
		copied = err;
out:
	release_sock(sk);
	return copied;
}

/**
 * edu_inq() - bytes received in order and not yet read (SIOCINQ)
 * @sk: the socket, locked
 *
 * Return: the byte count.
 */
int edu_inq(struct sock *sk)
{
	struct sk_buff *first = skb_peek(&sk->sk_receive_queue);
	struct sk_buff *skb;
	int n = 0;

	if (!first)
		return 0;
	skb_queue_walk(&sk->sk_receive_queue, skb)
		n += skb->len;
	return n - (edu_sk(sk)->tcb.copied_seq - EDU_SKB_CB(first)->seq);
}

/**
 * edu_ioctl() - SIOCINQ (unread bytes) and SIOCOUTQ (unacknowledged bytes)
 * @sock: the socket
 * @cmd: the request
 * @arg: user pointer to an int
 *
 * Return: 0, -EINVAL on a listener, or -ENOIOCTLCMD for the socket core
 * to try the device ioctls.
 */
int edu_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct sock *sk = sock->sk;
	int answ;

	switch (cmd) {
	case SIOCINQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		lock_sock(sk);
		answ = edu_inq(sk);
		release_sock(sk);
		break;
	case SIOCOUTQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		answ = READ_ONCE(edu_sk(sk)->tcb.write_seq) -
		       READ_ONCE(edu_sk(sk)->tcb.snd_una);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	return put_user(answ, (int __user *)arg);
}
