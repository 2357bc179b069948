// SPDX-License-Identifier: GPL-2.0
/*
 * socket.c - the socket layer of AF_EDU: socket(), bind(), connect(),
 * listen(), accept(), getsockname(), poll(), shutdown(), setsockopt() and
 * close(), and the end of a connection (edu_done()).  Sending and receiving
 * data are in stream.c.
 *
 * The user-visible behaviour follows Linux TCP (net/ipv4/af_inet.c and
 * tcp.c): the same errno for the same mistake, so a program moved from
 * AF_INET to AF_EDU sees no difference.
 */
#define pr_fmt(fmt) "edu: " fmt

#include <linux/capability.h>
#include <linux/in.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/socket.h>
#include <linux/sockios.h>
#include <linux/workqueue.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "edu.h"
#include "trace.h"

static const struct proto_ops edu_stream_ops;

/**
 * edu_set_state() - move a socket to a new TCP state
 * @sk: the socket, locked by the caller
 * @state: the new state, in Linux's TCP_* numbering (net/tcp_states.h),
 *	which /proc/net/edu shows as TCP's /proc/net/tcp does
 *
 * The one writer of sk_state, so that whatever must follow a state change
 * follows every one.  The release store pairs with inet_sk_state_load() in
 * lockless readers (poll, /proc).
 */
void edu_set_state(struct sock *sk, int state)
{
	trace_edu_state(sk, NULL, sk->sk_state, state);
	/* Pairs with the acquire in inet_sk_state_load(). */
	smp_store_release(&sk->sk_state, state);
}

static void edu_sk_destruct(struct sock *sk)
{
	struct edu_net *en = edu_pernet(sock_net(sk));

	/*
	 * Unlink last, under the list lock: /proc readers hold that lock
	 * while they look at a socket, so they never see it freed.
	 */
	spin_lock_bh(&en->sk_list_lock);
	list_del(&edu_sk(sk)->net_node);
	spin_unlock_bh(&en->sk_list_lock);

	skb_queue_purge(&sk->sk_receive_queue);
	edu_ofo_purge(sk);
	skb_queue_purge(&sk->sk_write_queue);
	sk_mem_reclaim(sk);
	dst_release(rcu_dereference_protected(sk->sk_dst_cache, 1));
	edu_object_dec(EDU_OBJ_SOCKETS);
}

/* Give up the port of a connection that ended in softirq. */
static void edu_unbind_work(struct work_struct *work)
{
	struct edu_sock *esk = container_of(work, struct edu_sock,
					    unbind_work);
	struct sock *sk = &esk->inet.sk;

	lock_sock(sk);
	edu_port_unbind(sk);
	release_sock(sk);
	sock_put(sk);
}

/* What every AF_EDU socket needs, whether created by socket() or a SYN. */
static void edu_sock_init(struct sock *sk, int protocol)
{
	struct edu_net *en = edu_pernet(sock_net(sk));
	struct edu_sock *esk = edu_sk(sk);
	const struct edu_sysctl *sysctl = &en->sysctl;

	/*
	 * Never IPPROTO_TCP: BPF helpers take any full socket carrying it for
	 * a struct tcp_sock, which ours is not.
	 */
	sk->sk_protocol = protocol;
	sk->sk_type = SOCK_STREAM;
	edu_set_state(sk, TCP_CLOSE);
	sk->sk_destruct = edu_sk_destruct;
	sk->sk_write_space = edu_write_space;
	sk->sk_backlog_rcv = edu_rcv;	/* the socket core does not set it */
	/* The namespace's rmem and wmem defaults, as tcp_init_sock(). */
	WRITE_ONCE(sk->sk_rcvbuf, max_t(int, READ_ONCE(sysctl->rmem[1]),
					SOCK_MIN_RCVBUF));
	WRITE_ONCE(sk->sk_sndbuf, max_t(int, READ_ONCE(sysctl->wmem[1]),
					SOCK_MIN_SNDBUF));

	INIT_HLIST_NODE(&esk->bind_node);
	INIT_HLIST_NODE(&esk->hash_node);
	INIT_LIST_HEAD(&esk->accept_queue);
	INIT_LIST_HEAD(&esk->accept_node);
	spin_lock_init(&esk->accept_lock);
	atomic_set(&esk->syn_pending, 0);
	INIT_WORK(&esk->unbind_work, edu_unbind_work);
	edu_timers_init(sk);
	esk->tcb.mss = EDU_MSS_DEFAULT;
	esk->tcb.advmss = EDU_MSS_DEFAULT;
	esk->tcb.rto = EDU_RTO_INIT;
	esk->tcb.rcv_ratio = 128;
	esk->ofo_root = RB_ROOT;
	inet_sk(sk)->uc_ttl = -1;	/* IP_TTL: the route's */
	/* Set up again with the real MSS when the connection opens. */
	edu_cc_init(&esk->tcb.cc, READ_ONCE(sysctl->cong), EDU_MSS_DEFAULT,
		    READ_ONCE(sysctl->initial_cwnd), 0);

	edu_object_inc(EDU_OBJ_SOCKETS);
	spin_lock_bh(&en->sk_list_lock);
	list_add_tail(&esk->net_node, &en->sk_list);
	spin_unlock_bh(&en->sk_list_lock);
}

/*
 * Where the kernel lets a family answer the SOL_SOCKET options itself,
 * AF_EDU does, for SO_REUSEPORT (edu_setsockopt()); the rest go on to the
 * socket core as before.
 */
static void edu_custom_sockopt(struct socket *sock)
{
#if EDU_HAVE_CUSTOM_SOCKOPT
	set_bit(SOCK_CUSTOM_SOCKOPT, &sock->flags);
#endif
}

/*
 * socket(AF_EDU, type, protocol): only stream sockets exist, and only TCP
 * over IPv4 for now.  IPv6 (EDUPROTO_TCP6) is reserved in the uapi.
 */
static int edu_create(struct net *net, struct socket *sock, int protocol,
		      int kern)
{
	struct sock *sk;

	if (sock->type != SOCK_STREAM)
		return -ESOCKTNOSUPPORT;
	if (protocol != EDUPROTO_TCP)
		return -EPROTONOSUPPORT;

	sock->state = SS_UNCONNECTED;
	sock->ops = &edu_stream_ops;
	edu_custom_sockopt(sock);

	sk = sk_alloc(net, edu_family, GFP_KERNEL, &edu_proto, kern);
	if (!sk)
		return -ENOBUFS;
	sock_init_data(sock, sk);
	edu_sock_init(sk, protocol);
	return 0;
}

/**
 * edu_child_alloc() - a new connection for a listener that received a SYN
 * @parent: the listener, locked
 *
 * The child inherits the listener's buffer sizes, options and owner.  It
 * holds a reference on the listener until it is established and queued for
 * accept(), or dies.  Its own first reference belongs to the accept queue.
 *
 * Return: the child, or NULL if memory is short.
 */
struct sock *edu_child_alloc(const struct sock *parent)
{
	const struct edu_tcb *ptcb = &edu_sk(parent)->tcb;
	struct edu_tcb *tcb;
	struct sock *sk;

	sk = sk_alloc(sock_net(parent), parent->sk_family, GFP_ATOMIC,
		      &edu_proto, 0);
	if (!sk)
		return NULL;
	sock_init_data(NULL, sk);
	edu_sock_init(sk, parent->sk_protocol);
	sk->sk_uid = parent->sk_uid;
	sk->sk_rcvbuf = READ_ONCE(parent->sk_rcvbuf);
	sk->sk_sndbuf = READ_ONCE(parent->sk_sndbuf);
	/* Sizes the application set stay fixed (edu_sndbuf_expand()). */
	sk->sk_userlocks = parent->sk_userlocks &
			   (SOCK_SNDBUF_LOCK | SOCK_RCVBUF_LOCK);
	sk->sk_bound_dev_if = parent->sk_bound_dev_if;
	sk->sk_mark = READ_ONCE(parent->sk_mark);
	sk->sk_priority = READ_ONCE(parent->sk_priority);
	sk->sk_flags = parent->sk_flags & (BIT(SOCK_KEEPOPEN) |
					   BIT(SOCK_LINGER));
	sk->sk_lingertime = parent->sk_lingertime;
	inet_sk(sk)->tos = inet_sk(parent)->tos;
	inet_sk(sk)->uc_ttl = inet_sk(parent)->uc_ttl;
	tcb = &edu_sk(sk)->tcb;
	tcb->nodelay = ptcb->nodelay;
	tcb->cork = ptcb->cork;
	tcb->cc.ops = ptcb->cc.ops;
	tcb->user_mss = ptcb->user_mss;
	tcb->user_timeout = ptcb->user_timeout;
	tcb->keepalive_time = ptcb->keepalive_time;
	tcb->keepalive_intvl = ptcb->keepalive_intvl;
	tcb->keepalive_probes = ptcb->keepalive_probes;
	/* Set without the socket lock, read once. */
	tcb->defer_accept = READ_ONCE(ptcb->defer_accept);
	tcb->syn_retries = READ_ONCE(ptcb->syn_retries);
	tcb->linger2 = READ_ONCE(ptcb->linger2);
	tcb->window_clamp = READ_ONCE(ptcb->window_clamp);
	sock_hold((struct sock *)parent);
	edu_sk(sk)->parent = (struct sock *)parent;
	atomic_inc(&edu_sk(parent)->syn_pending);
	return sk;
}

/**
 * edu_done() - the connection is over: CLOSED (RFC 9293 section 3.3.2)
 * @sk: the socket, locked; the caller holds a reference
 *
 * Stops the timers, makes the socket unfindable and frees its queues.  A
 * socket the application still holds stays for it to read the outcome; an
 * orphan gives up its port (from process context) and is freed when the
 * last reference goes.  A child that never reached accept() drops the
 * listener and the reference the accept queue would have taken.
 */
void edu_done(struct sock *sk)
{
	struct edu_sock *esk = edu_sk(sk);
	struct sock *parent = esk->parent;

	edu_set_state(sk, TCP_CLOSE);
	edu_timers_stop(sk);
	edu_unhash(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	sock_set_flag(sk, SOCK_DONE);
	skb_queue_purge(&sk->sk_write_queue);
	sk->sk_wmem_queued = 0;
	esk->send_head = NULL;
	esk->rtx_head = NULL;
	edu_ofo_purge(sk);

	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
	} else if (esk->shadow) {
		sock_hold(sk);
		if (!queue_work(edu_wq, &esk->unbind_work))
			sock_put(sk);
	}
	if (parent) {
		esk->parent = NULL;
		atomic_dec(&edu_sk(parent)->syn_pending);
		sock_put(parent);
		sock_put(sk);
	}
}

/*
 * Stop listening (shutdown(SHUT_RD) or close()): called with the socket
 * lock held.  The state changes under the accept queue's lock, so that no
 * child joins the queue after it was emptied; the children waiting there
 * are reset, as Linux does (inet_csk_listen_stop()).  Blocked accept()
 * callers see the state change and return EINVAL.
 */
static void edu_listen_stop(struct sock *sk)
{
	struct edu_sock *esk = edu_sk(sk);
	struct edu_sock *child, *tmp;
	LIST_HEAD(children);

	spin_lock_bh(&esk->accept_lock);
	edu_set_state(sk, TCP_CLOSE);
	list_splice_init(&esk->accept_queue, &children);
	WRITE_ONCE(sk->sk_ack_backlog, 0);
	spin_unlock_bh(&esk->accept_lock);
	edu_unhash(sk);

	list_for_each_entry_safe(child, tmp, &children, accept_node) {
		struct sock *csk = &child->inet.sk;

		list_del_init(&child->accept_node);
		lock_sock_nested(csk, SINGLE_DEPTH_NESTING);
		sock_set_flag(csk, SOCK_DEAD);
		if (csk->sk_state != TCP_CLOSE) {
			edu_send_active_reset(csk);
			edu_done(csk);
		}
		release_sock(csk);
		sock_put(csk);		/* the queue's reference */
	}
	sk->sk_state_change(sk);
}

/* Bytes received and not yet read. */
static bool edu_unread_data(const struct sock *sk)
{
	return !skb_queue_empty(&sk->sk_receive_queue);
}

/*
 * close(): RFC 9293 section 3.10.4.  Unread data, or SO_LINGER with a zero
 * timeout, aborts with a RST (RFC 2525 section 2.17); otherwise our FIN
 * follows the queued data and the connection closes on its own, orphaned,
 * while the application goes on.  SO_LINGER with a timeout waits for the
 * FIN to be acknowledged.  TCP_LINGER2 below zero resets a connection
 * left in FIN-WAIT-2, as tcp_close() does, instead of waiting for the
 * peer's FIN.
 */
static void edu_close(struct sock *sk, long timeout)
{
	bool abort;

	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (sk->sk_state == TCP_LISTEN) {
		edu_listen_stop(sk);
		return;
	}
	abort = edu_unread_data(sk) ||
		(sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime);
	skb_queue_purge(&sk->sk_receive_queue);

	switch (sk->sk_state) {
	case TCP_CLOSE:
		return;
	case TCP_SYN_SENT:
		edu_done(sk);
		return;
	}
	if (abort) {
		edu_send_active_reset(sk);
		if ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT))
			edu_mib_inc(sock_net(sk), EDU_MIB_ESTABRESETS);
		edu_done(sk);
		return;
	}
	switch (sk->sk_state) {
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
		edu_set_state(sk, TCP_FIN_WAIT1);
		edu_send_fin(sk);
		break;
	case TCP_CLOSE_WAIT:
		edu_set_state(sk, TCP_LAST_ACK);
		edu_send_fin(sk);
		break;
	}
	if (timeout)
		sk_stream_wait_close(sk, timeout);
	/* TCP_LINGER2 < 0: no orphan waits in FIN-WAIT-2, it is reset. */
	if (sk->sk_state == TCP_FIN_WAIT2 && edu_sk(sk)->tcb.linger2 < 0) {
		edu_send_active_reset(sk);
		edu_done(sk);
	}
}

static int edu_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;

	lock_sock(sk);
	edu_close(sk, sock_flag(sk, SOCK_LINGER) ? sk->sk_lingertime : 0);
	sock_orphan(sk);
	if (sk->sk_state == TCP_CLOSE)
		edu_port_unbind(sk);
	else if (sk->sk_state == TCP_FIN_WAIT2)
		sk_reset_timer(sk, &edu_sk(sk)->rtx_timer,
			       jiffies + edu_fin_timeout(sk));
	release_sock(sk);

	sock->sk = NULL;
	sock_put(sk);
	return 0;
}

/*
 * bind() with the checks and errno of Linux's inet_bind(), in its order.
 * The port itself is claimed in bind.c, which also keeps kernel TCP and
 * AF_EDU from holding the same port.
 */
static int edu_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	struct net *net = sock_net(sk);
	u16 port;
	int err;

	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	if (sin->sin_family != AF_INET) {
		/*
		 * Like inet_bind(): AF_UNSPEC with INADDR_ANY is accepted for
		 * old programs; anything else is the wrong family.
		 */
		if (sin->sin_family != AF_UNSPEC ||
		    sin->sin_addr.s_addr != htonl(INADDR_ANY))
			return -EAFNOSUPPORT;
	}

	port = ntohs(sin->sin_port);
	if (port && port < READ_ONCE(net->ipv4.sysctl_ip_prot_sock) &&
	    !ns_capable(net->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;

	lock_sock(sk);
	if (sk->sk_state != TCP_CLOSE || inet_sk(sk)->inet_num)
		err = -EINVAL;
	else
		err = edu_port_bind(sk, sin->sin_addr.s_addr, port);
	release_sock(sk);
	return err;
}

/*
 * Wait until the handshake ends; socket lock held.  Returns @pending
 * (EINPROGRESS, or EALREADY for a repeated connect()) if the wait timed
 * out, as inet_stream_connect() does.
 */
static int edu_wait_connect(struct sock *sk, long *timeo, int pending)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int err = 0;

	add_wait_queue(sk_sleep(sk), &wait);
	while ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		if (!*timeo) {
			err = pending;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(*timeo);
			break;
		}
		sk_wait_event(sk, timeo,
			      !((1 << sk->sk_state) &
				(TCPF_SYN_SENT | TCPF_SYN_RECV)), &wait);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}

/*
 * Route to the peer, take a local address and port if the socket has none
 * (an ephemeral port, as Linux's autobind), and send the SYN.
 */
static int edu_connect_init(struct sock *sk, const struct sockaddr_in *sin)
{
	struct inet_sock *inet = inet_sk(sk);
	struct flowi4 fl4;
	struct rtable *rt;
	__be32 saddr;
	int err;

	rt = ip_route_output_ports(sock_net(sk), &fl4, sk, sin->sin_addr.s_addr,
				   inet->inet_saddr, sin->sin_port,
				   inet->inet_sport, IPPROTO_TCP,
				   RT_TOS(inet->tos), sk->sk_bound_dev_if);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	if (rt->rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST)) {
		ip_rt_put(rt);
		return -ENETUNREACH;
	}
	saddr = inet->inet_saddr ?: fl4.saddr;
	ip_rt_put(rt);

	if (!inet->inet_num) {
		err = edu_port_bind(sk, htonl(INADDR_ANY), 0);
		if (err)
			return err;
	}
	inet->inet_saddr = saddr;
	inet->inet_rcv_saddr = saddr;
	inet->inet_daddr = fl4.daddr;
	inet->inet_dport = sin->sin_port;
	sk_dst_reset(sk);

	err = edu_connect_start(sk);
	if (err) {
		inet->inet_daddr = 0;
		inet->inet_dport = 0;
	}
	return err;
}

/*
 * connect(): active OPEN, RFC 9293 section 3.10.1, with the errno of
 * Linux's inet_stream_connect() for each misuse.  Blocking waits for the
 * handshake (SO_SNDTIMEO bounds it); nonblocking returns EINPROGRESS and
 * poll() reports POLLOUT, SO_ERROR the outcome.
 */
static int edu_connect(struct socket *sock, struct sockaddr *uaddr,
		       int addr_len, int flags)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	long timeo;
	int err;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;

	lock_sock(sk);
	switch (sock->state) {
	case SS_CONNECTED:
		err = -EISCONN;
		goto out;
	case SS_CONNECTING:
		err = -EALREADY;
		break;
	case SS_UNCONNECTED:
		err = -EISCONN;
		if (sk->sk_state != TCP_CLOSE)
			goto out;
		err = -EINVAL;
		if (addr_len < (int)sizeof(*sin))
			goto out;
		err = -EAFNOSUPPORT;
		if (sin->sin_family != AF_INET)
			goto out;
		err = edu_connect_init(sk, sin);
		if (err)
			goto out;
		sock->state = SS_CONNECTING;
		err = -EINPROGRESS;
		break;
	default:
		err = -EINVAL;
		goto out;
	}

	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		if (!timeo)
			goto out;
		err = edu_wait_connect(sk, &timeo, err);
		if (err)
			goto out;
	}
	if (sk->sk_state == TCP_CLOSE) {
		err = sock_error(sk) ?: -ECONNABORTED;
		sock->state = SS_UNCONNECTED;
		goto out;
	}
	sock->state = SS_CONNECTED;
	err = 0;
out:
	release_sock(sk);
	return err;
}

static int edu_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	int err = 0;

	lock_sock(sk);
	if (sock->state != SS_UNCONNECTED) {
		err = -EINVAL;
		goto out;
	}
	if (sk->sk_state != TCP_LISTEN) {
		if (sk->sk_state != TCP_CLOSE) {
			err = -EINVAL;
			goto out;
		}
		/* An unbound socket listens on an ephemeral port, as in TCP. */
		if (!inet_sk(sk)->inet_num) {
			err = edu_port_bind(sk, htonl(INADDR_ANY), 0);
			if (err)
				goto out;
		}
		err = edu_port_listen(sk);
		if (err)
			goto out;
		edu_set_state(sk, TCP_LISTEN);
		edu_hash_listener(sk);
	}
	/* listen() on a listener only changes the backlog, as in TCP. */
	WRITE_ONCE(sk->sk_max_ack_backlog,
		   min_t(u32, max(backlog, 0),
			 READ_ONCE(sock_net(sk)->core.sysctl_somaxconn)));
out:
	release_sock(sk);
	return err;
}

/* Take the first established child off the queue, or NULL. */
static struct sock *edu_accept_dequeue(struct sock *sk)
{
	struct edu_sock *esk = edu_sk(sk);
	struct edu_sock *child;

	spin_lock_bh(&esk->accept_lock);
	child = list_first_entry_or_null(&esk->accept_queue, struct edu_sock,
					 accept_node);
	if (child) {
		list_del_init(&child->accept_node);
		sk_acceptq_removed(sk);
	}
	spin_unlock_bh(&esk->accept_lock);
	return child ? &child->inet.sk : NULL;
}

/*
 * Wait for a child on the accept queue, as inet_csk_wait_for_connect()
 * does: exclusive wake-ups, so one connection wakes one accept().
 * Called and returns with the socket lock held.
 */
static int edu_accept_wait(struct sock *sk, long timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int err = 0;

	add_wait_queue_exclusive(sk_sleep(sk), &wait);
	for (;;) {
		if (!list_empty(&edu_sk(sk)->accept_queue))
			break;
		err = -EAGAIN;
		if (!timeo)
			break;
		err = sock_intr_errno(timeo);
		if (signal_pending(current))
			break;
		release_sock(sk);
		timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, timeo);
		lock_sock(sk);
		err = -EINVAL;
		if (sk->sk_state != TCP_LISTEN)
			break;
		err = 0;
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}

static int __edu_accept(struct socket *sock, struct socket *newsock,
			int flags)
{
	struct sock *sk = sock->sk;
	struct sock *child;
	int err;

	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != TCP_LISTEN)
		goto out;
	err = edu_accept_wait(sk, sock_rcvtimeo(sk, flags & O_NONBLOCK));
	if (err)
		goto out;
	child = edu_accept_dequeue(sk);
	if (!child) {
		err = -EAGAIN;
		goto out;
	}
	lock_sock_nested(child, SINGLE_DEPTH_NESTING);
	sock_graft(child, newsock);
	edu_custom_sockopt(newsock);
	newsock->state = SS_CONNECTED;
	release_sock(child);
	/* The queue's reference on the child passes to newsock. */
out:
	release_sock(sk);
	return err;
}

#if EDU_HAVE_PROTO_ACCEPT_ARG
static int edu_accept(struct socket *sock, struct socket *newsock,
		      struct proto_accept_arg *arg)
{
	return __edu_accept(sock, newsock, arg->flags);
}
#else
static int edu_accept(struct socket *sock, struct socket *newsock, int flags,
		      bool kern)
{
	return __edu_accept(sock, newsock, flags);
}
#endif

/*
 * getsockname()/getpeername(): AF_INET addresses, as AF_SMC does, so code
 * that inspects them needs no change.  Returns the address length.
 */
static int edu_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	DECLARE_SOCKADDR(struct sockaddr_in *, sin, uaddr);
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	lock_sock(sk);
	if (peer) {
		if (!inet->inet_dport ||
		    (1 << sk->sk_state) & (TCPF_CLOSE | TCPF_SYN_SENT |
					   TCPF_LISTEN)) {
			release_sock(sk);
			return -ENOTCONN;
		}
		sin->sin_port = inet->inet_dport;
		sin->sin_addr.s_addr = inet->inet_daddr;
	} else {
		sin->sin_port = inet->inet_sport;
		sin->sin_addr.s_addr = inet->inet_saddr ?: inet->inet_rcv_saddr;
	}
	release_sock(sk);
	return sizeof(*sin);
}

/*
 * poll(): the mask tcp_poll() gives in the same state, so event loops
 * behave as with kernel TCP.  A fresh or closed socket reports EPOLLHUP
 * and EPOLLOUT; a listener is readable when a child waits.
 */
static __poll_t edu_poll(struct file *file, struct socket *sock,
			 poll_table *wait)
{
	struct sock *sk = sock->sk;
	__poll_t mask = 0;
	u8 shutdown;
	int state;

	sock_poll_wait(file, sock, wait);

	state = inet_sk_state_load(sk);
	if (state == TCP_LISTEN)
		return list_empty_careful(&edu_sk(sk)->accept_queue) ?
		       0 : EPOLLIN | EPOLLRDNORM;

	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (state != TCP_SYN_SENT && state != TCP_SYN_RECV) {
		if (!skb_queue_empty_lockless(&sk->sk_receive_queue))
			mask |= EPOLLIN | EPOLLRDNORM;
		if (shutdown & SEND_SHUTDOWN) {
			mask |= EPOLLOUT | EPOLLWRNORM;
		} else if (sk_stream_is_writeable(sk)) {
			mask |= EPOLLOUT | EPOLLWRNORM;
		} else {
			sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
			set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
			/* Recheck: an ACK may have freed space meanwhile. */
			smp_mb__after_atomic();
			if (sk_stream_is_writeable(sk))
				mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	/* Pairs with the write of sk_err before sk_error_report(). */
	smp_rmb();
	if (READ_ONCE(sk->sk_err))
		mask |= EPOLLERR;
	return mask;
}

/*
 * shutdown() as inet_shutdown(): on a listener SHUT_RD (or SHUT_RDWR)
 * stops listening and wakes accept(); on an unconnected socket ENOTCONN,
 * though the shutdown bits are still recorded and poll() waiters woken, as
 * Linux does so that other threads polling the socket see EPOLLHUP.
 */
static int edu_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	/* SHUT_RD (0) -> RCV_SHUTDOWN (1), ..., SHUT_RDWR -> SHUTDOWN_MASK. */
	how++;
	if ((how & ~SHUTDOWN_MASK) || !how)
		return -EINVAL;

	lock_sock(sk);
	if (sock->state == SS_CONNECTING)
		sock->state = (1 << sk->sk_state) &
			      (TCPF_SYN_SENT | TCPF_SYN_RECV | TCPF_CLOSE) ?
			      SS_DISCONNECTING : SS_CONNECTED;
	switch (sk->sk_state) {
	case TCP_LISTEN:
		if (how & RCV_SHUTDOWN) {
			edu_listen_stop(sk);
			edu_port_unlisten(sk);
		}
		break;
	case TCP_SYN_SENT:
		/* As tcp_disconnect(): abandon the attempt. */
		edu_done(sk);
		break;
	case TCP_CLOSE:
		err = -ENOTCONN;
		fallthrough;
	default:
		/* SHUT_WR: our FIN after the queued data (3.10.4). */
		if ((how & SEND_SHUTDOWN) &&
		    !(sk->sk_shutdown & SEND_SHUTDOWN) &&
		    (1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_SYN_RECV |
					   TCPF_CLOSE_WAIT)) {
			WRITE_ONCE(sk->sk_shutdown,
				   sk->sk_shutdown | SEND_SHUTDOWN);
			edu_set_state(sk, sk->sk_state == TCP_CLOSE_WAIT ?
				      TCP_LAST_ACK : TCP_FIN_WAIT1);
			edu_send_fin(sk);
		}
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
		break;
	}
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

/*
 * TCP_CONGESTION: choose the congestion control algorithm by name, as in
 * Linux (ENOENT for one that does not exist).  The window carries over.
 */
static int edu_set_congestion(struct sock *sk, sockptr_t optval,
			      unsigned int optlen)
{
	const struct edu_cong_ops *ops;
	char name[TCP_CA_NAME_MAX];

	if (optlen < 1)
		return -EINVAL;
	optlen = min_t(unsigned int, optlen, sizeof(name) - 1);
	if (copy_from_sockptr(name, optval, optlen))
		return -EFAULT;
	name[optlen] = '\0';
	ops = edu_cong_find(name);
	if (!ops)
		return -ENOENT;
	lock_sock(sk);
	edu_sk(sk)->tcb.cc.ops = ops;
	release_sock(sk);
	return 0;
}

/*
 * TCP_DEFER_ACCEPT's seconds, kept as a count of SYN-ACK timeouts as Linux
 * keeps them (secs_to_retrans() in net/ipv4/tcp.c): the first timeout
 * after @timeout seconds, each next one after twice the last, at most
 * @rto_max: the number of timeouts whose sum first reaches @secs.
 */
static u8 edu_secs_to_retrans(int secs, int timeout, int rto_max)
{
	int period = timeout;
	u8 n = 1;

	if (secs <= 0)
		return 0;
	while (secs > period && n < U8_MAX) {
		n++;
		timeout = min(timeout << 1, rto_max);
		period += timeout;
	}
	return n;
}

/* The other way: the seconds that @n timeouts take. */
static int edu_retrans_to_secs(u8 n, int timeout, int rto_max)
{
	int period;

	if (!n)
		return 0;
	period = timeout;
	while (--n) {
		timeout = min(timeout << 1, rto_max);
		period += timeout;
	}
	return period;
}

/*
 * TCP_QUICKACK as Linux's __tcp_sock_set_quickack(): 0 enters "pingpong"
 * mode, anything else leaves it and sends an ACK that the delayed-ACK timer
 * holds back right now; an even value enters pingpong mode again after
 * that ACK.  AF_EDU has no quick-ACK mode of its own to leave or enter: it
 * always acknowledges every second full segment at once and delays the
 * others by delack_ms (RFC 9293 section 3.8.6.3), so the mode is only
 * reported back.
 */
static void edu_quickack(struct sock *sk, int val)
{
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;

	if (!val) {
		tcb->pingpong = true;
		return;
	}
	tcb->pingpong = false;
	if ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT) &&
	    tcb->ack_pending) {
		edu_send_ack(sk);
		if (!(val & 1))
			tcb->pingpong = true;
	}
}

/*
 * SOL_IP, as Linux's do_ip_setsockopt() for the options a TCP socket of
 * AF_EDU has: IP_TOS (the TOS byte of every segment the socket sends, its
 * ECN bits kept, as for any stream socket) and IP_TTL.  The value is an
 * int, or a single byte, or nothing at all, which means 0.
 */
static int edu_setsockopt_ip(struct sock *sk, int optname, sockptr_t optval,
			     unsigned int optlen)
{
	int val = 0;

	if (optname != IP_TOS && optname != IP_TTL)
		return -ENOPROTOOPT;
	if (optlen >= sizeof(int)) {
		if (copy_from_sockptr(&val, optval, sizeof(val)))
			return -EFAULT;
	} else if (optlen >= 1) {
		u8 ucval;

		if (copy_from_sockptr(&ucval, optval, 1))
			return -EFAULT;
		val = ucval;
	}
	if (optname == IP_TOS) {
		/* Locks the socket; sets sk_priority, drops the route. */
		ip_sock_set_tos(sk, val);
		return 0;
	}
	/* IP_TTL: 1 to 255, or -1 for the route's (ip_default_ttl). */
	if (optlen < 1 || (val != -1 && (val < 1 || val > 255)))
		return -EINVAL;
	WRITE_ONCE(inet_sk(sk)->uc_ttl, val);
	return 0;
}

/*
 * SO_REUSEPORT, which the socket core refuses to a family that is not
 * AF_INET or AF_INET6: several sockets of one owner may then bind the same
 * address and port, and listeners among them share the connections
 * (bind.c, hash.c).  Like sk_setsockopt(), an int, any state.
 */
static int edu_set_reuseport(struct sock *sk, sockptr_t optval,
			     unsigned int optlen)
{
	int val;

	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	sk->sk_reuseport = !!val;
	return 0;
}

/*
 * Options at SOL_SOCKET are handled by the socket core, but for
 * SO_REUSEPORT where the kernel lets the family answer it (6.12), and
 * SOL_EDU's EDU_REUSEPORT, which is the same.  At SOL_TCP, as
 * Linux: TCP_NODELAY (MUST-17), TCP_CORK, TCP_MAXSEG, the keepalive
 * settings, TCP_USER_TIMEOUT, TCP_CONGESTION, TCP_QUICKACK,
 * TCP_DEFER_ACCEPT, TCP_SYNCNT, TCP_LINGER2, TCP_WINDOW_CLAMP and,
 * accepted without effect, TCP_FASTOPEN and TCP_FASTOPEN_CONNECT.  At
 * SOL_IP: IP_TOS and IP_TTL.  SOL_EDU has nothing to set: EDU_INFO is
 * read-only and EDU_CC reserved (ENOPROTOOPT).
 */
static int edu_setsockopt(struct socket *sock, int level, int optname,
			  sockptr_t optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	int val, err = 0;

	if (level == SOL_SOCKET) {
		if (optname == SO_REUSEPORT)
			return edu_set_reuseport(sk, optval, optlen);
		return sock_setsockopt(sock, level, optname, optval, optlen);
	}
	if (level == SOL_EDU && optname == EDU_REUSEPORT)
		return edu_set_reuseport(sk, optval, optlen);
	if (level == SOL_IP)
		return edu_setsockopt_ip(sk, optname, optval, optlen);
	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	if (optname == TCP_CONGESTION)
		return edu_set_congestion(sk, optval, optlen);
	switch (optname) {
	case TCP_NODELAY:
	case TCP_CORK:
	case TCP_MAXSEG:
	case TCP_KEEPIDLE:
	case TCP_KEEPINTVL:
	case TCP_KEEPCNT:
	case TCP_USER_TIMEOUT:
	case TCP_QUICKACK:
	case TCP_DEFER_ACCEPT:
	case TCP_SYNCNT:
	case TCP_LINGER2:
	case TCP_WINDOW_CLAMP:
	case TCP_FASTOPEN:
	case TCP_FASTOPEN_CONNECT:
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;

	lock_sock(sk);
	switch (optname) {
	case TCP_NODELAY:
		tcb->nodelay = !!val;
		/* What Nagle or TCP_CORK held goes now, as in Linux. */
		if (val)
			__edu_push(sk, EDU_PUSH_NOW);
		break;
	case TCP_CORK:
		/*
		 * Uncorking sends what the cork held, as far as Nagle lets
		 * it: all of it with TCP_NODELAY (tcp_push_pending_frames()
		 * with TCP_NAGLE_PUSH).
		 */
		tcb->cork = !!val;
		if (!val)
			__edu_push(sk, tcb->nodelay ? EDU_PUSH_NOW :
						      EDU_PUSH_NAGLE);
		break;
	case TCP_QUICKACK:
		edu_quickack(sk, val);
		break;
	case TCP_DEFER_ACCEPT:
		/* Seconds, kept as SYN-ACK timeouts: 1 s doubling to 120 s. */
		WRITE_ONCE(tcb->defer_accept,
			   edu_secs_to_retrans(val, TCP_TIMEOUT_INIT / HZ,
					       TCP_RTO_MAX / HZ));
		break;
	case TCP_SYNCNT:
		if (val < 1 || val > MAX_TCP_SYNCNT)
			err = -EINVAL;
		else
			WRITE_ONCE(tcb->syn_retries, val);
		break;
	case TCP_LINGER2:
		/* Seconds, at most 120; 0 the default, negative: none. */
		if (val < 0)
			WRITE_ONCE(tcb->linger2, -1);
		else if (val > TCP_FIN_TIMEOUT_MAX / HZ)
			WRITE_ONCE(tcb->linger2, TCP_FIN_TIMEOUT_MAX);
		else
			WRITE_ONCE(tcb->linger2, val * HZ);
		break;
	case TCP_WINDOW_CLAMP:
		/* 0 lifts the clamp only before the connection; at least
		 * half SOCK_MIN_RCVBUF, as Linux.
		 */
		if (!val) {
			if (sk->sk_state != TCP_CLOSE)
				err = -EINVAL;
			else
				WRITE_ONCE(tcb->window_clamp, 0);
		} else {
			WRITE_ONCE(tcb->window_clamp,
				   val < SOCK_MIN_RCVBUF / 2 ?
				   SOCK_MIN_RCVBUF / 2 : val);
		}
		break;
	case TCP_FASTOPEN:
		/*
		 * The Fast Open queue of a listener (RFC 7413): accepted
		 * with Linux's checks, but no cookie is ever issued, so each
		 * client falls back to the three-way handshake, as with a
		 * Linux server whose net.ipv4.tcp_fastopen lacks the server
		 * bit.
		 */
		if (val < 0 ||
		    !((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN))) {
			err = -EINVAL;
			break;
		}
		/* Capped at somaxconn, as fastopen_queue_tune() does. */
		val = min_t(u32, val,
			    READ_ONCE(sock_net(sk)->core.sysctl_somaxconn));
		WRITE_ONCE(tcb->fastopen_qlen, val);
		break;
	case TCP_FASTOPEN_CONNECT:
		/*
		 * Accepted as Linux accepts it; connect() then does the
		 * handshake at once, which is what Linux does too when it
		 * has no cookie for the server, and AF_EDU never has one.
		 */
		if (val < 0 || val > 1)
			err = -EINVAL;
		else if (!(READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_fastopen) &
			   TFO_CLIENT_ENABLE))
			err = -EOPNOTSUPP;
		else if (sk->sk_state != TCP_CLOSE)
			err = -EINVAL;
		else
			tcb->fastopen_connect = val;
		break;
	/* Keepalive settings (MUST-27), with Linux's bounds. */
	case TCP_KEEPIDLE:
		if (val < 1 || val > MAX_TCP_KEEPIDLE) {
			err = -EINVAL;
			break;
		}
		tcb->keepalive_time = val;
		edu_keepalive_reset(sk);
		break;
	case TCP_KEEPINTVL:
		if (val < 1 || val > MAX_TCP_KEEPINTVL)
			err = -EINVAL;
		else
			tcb->keepalive_intvl = val;
		break;
	case TCP_KEEPCNT:
		if (val < 1 || val > MAX_TCP_KEEPCNT)
			err = -EINVAL;
		else
			tcb->keepalive_probes = val;
		break;
	case TCP_USER_TIMEOUT:
		/* Milliseconds that data may stay unacknowledged; 0: off. */
		if (val < 0)
			err = -EINVAL;
		else
			WRITE_ONCE(tcb->user_timeout, val);
		break;
	case TCP_MAXSEG:
		/* As Linux: 88..65535, or 0 for the default; before SYN. */
		if (val && (val < TCP_MIN_MSS || val > MAX_TCP_WINDOW))
			err = -EINVAL;
		else if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN))
			tcb->user_mss = val;
		break;
	}
	release_sock(sk);
	return err;
}

/*
 * getsockopt() at SOL_IP, as Linux's do_ip_getsockopt(): IP_TOS, IP_TTL,
 * and IP_OPTIONS, which is always empty (AF_EDU neither sends IP options
 * nor keeps a SYN's).  An int, or one byte if @len is shorter.
 */
static int edu_getsockopt_ip(struct sock *sk, int optname,
			     char __user *optval, int __user *optlen, int len)
{
	const struct net *net = sock_net(sk);
	u8 ucval;
	int val;

	switch (optname) {
	case IP_TOS:
		val = READ_ONCE(inet_sk(sk)->tos);
		break;
	case IP_TTL:
		val = READ_ONCE(inet_sk(sk)->uc_ttl);
		if (val < 0)
			val = READ_ONCE(net->ipv4.sysctl_ip_default_ttl);
		break;
	case IP_OPTIONS:
		return put_user(0, optlen);
	default:
		return -ENOPROTOOPT;
	}
	if (len > 0 && len < sizeof(int) && val >= 0 && val <= 255) {
		ucval = val;
		if (put_user(1, optlen) || copy_to_user(optval, &ucval, 1))
			return -EFAULT;
		return 0;
	}
	len = min_t(unsigned int, len, sizeof(int));
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

/*
 * getsockopt() at SOL_TCP as Linux's do_tcp_getsockopt() for the options
 * AF_EDU has, TCP_INFO among them, at SOL_IP for IP_TOS, IP_TTL and
 * IP_OPTIONS, and at SOL_EDU for EDU_INFO (info.c) and EDU_REUSEPORT.
 */
static int edu_getsockopt(struct socket *sock, int level, int optname,
			  char __user *optval, int __user *optlen)
{
	const struct edu_sysctl *sysctl = edu_net_sysctl(sock_net(sock->sk));
	struct sock *sk = sock->sk;
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	int val, len;

	if (level != SOL_TCP && level != SOL_EDU && level != SOL_IP)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (level == SOL_IP)
		return edu_getsockopt_ip(sk, optname, optval, optlen, len);
	if (level == SOL_EDU) {
		/* EDU_CC is reserved: TCP_CONGESTION chooses the algorithm. */
		if (optname == EDU_REUSEPORT) {
			val = sk->sk_reuseport;
			goto copy_int;
		}
		if (optname != EDU_INFO)
			return -ENOPROTOOPT;
		return edu_getsockopt_edu_info(sk, len, optval, optlen);
	}
	if (optname == TCP_INFO)
		return edu_getsockopt_tcp_info(sk, len, optval, optlen);
	if (optname == TCP_CONGESTION) {
		const char *name = READ_ONCE(tcb->cc.ops)->name;

		len = min_t(unsigned int, len, TCP_CA_NAME_MAX);
		if (put_user(len, optlen) ||
		    copy_to_user(optval, name, min_t(size_t, len,
						     strlen(name) + 1)))
			return -EFAULT;
		return 0;
	}
	switch (optname) {
	case TCP_NODELAY:
		val = READ_ONCE(tcb->nodelay);
		break;
	case TCP_CORK:
		val = READ_ONCE(tcb->cork);
		break;
	case TCP_QUICKACK:
		val = !READ_ONCE(tcb->pingpong);
		break;
	case TCP_DEFER_ACCEPT:
		val = edu_retrans_to_secs(READ_ONCE(tcb->defer_accept),
					  TCP_TIMEOUT_INIT / HZ,
					  TCP_RTO_MAX / HZ);
		break;
	case TCP_SYNCNT:
		val = READ_ONCE(tcb->syn_retries) ?:
		      READ_ONCE(sysctl->syn_retries);
		break;
	case TCP_LINGER2:
		val = READ_ONCE(tcb->linger2);
		if (val >= 0)
			val = val ? val / HZ : READ_ONCE(sysctl->fin_timeout);
		break;
	case TCP_WINDOW_CLAMP:
		val = READ_ONCE(tcb->window_clamp);
		break;
	case TCP_FASTOPEN:
		val = READ_ONCE(tcb->fastopen_qlen);
		break;
	case TCP_FASTOPEN_CONNECT:
		val = READ_ONCE(tcb->fastopen_connect);
		break;
	case TCP_KEEPIDLE:
		val = tcb->keepalive_time ?: READ_ONCE(sysctl->keepalive_time);
		break;
	case TCP_KEEPINTVL:
		val = tcb->keepalive_intvl ?:
		      READ_ONCE(sysctl->keepalive_intvl);
		break;
	case TCP_USER_TIMEOUT:
		val = READ_ONCE(tcb->user_timeout);
		break;
	case TCP_KEEPCNT:
		val = tcb->keepalive_probes ?:
		      READ_ONCE(sysctl->keepalive_probes);
		break;
	case TCP_MAXSEG:
		/* As Linux: the user's cap, or the default, until connected. */
		val = (1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN) ?
		      (tcb->user_mss ?: EDU_MSS_DEFAULT) : READ_ONCE(tcb->mss);
		break;
	default:
		return -ENOPROTOOPT;
	}
copy_int:
	len = min_t(unsigned int, len, sizeof(int));
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

/*
 * The end of a splice() or sendfile() into the socket: each piece of it
 * was sent with MSG_MORE while more was to come, so the last short segment
 * may still be held; it goes now, as tcp_splice_eof() pushes it.
 */
static void edu_splice_eof(struct socket *sock)
{
	struct sock *sk = sock->sk;

	lock_sock(sk);
	edu_push(sk);
	release_sock(sk);
}

static const struct proto_ops edu_stream_ops = {
	.family		= PF_EDU,
	.owner		= THIS_MODULE,
	.release	= edu_release,
	.bind		= edu_bind,
	.connect	= edu_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= edu_accept,
	.getname	= edu_getname,
	.poll		= edu_poll,
	.ioctl		= edu_ioctl,
	.listen		= edu_listen,
	.shutdown	= edu_shutdown,
	.setsockopt	= edu_setsockopt,
	.getsockopt	= edu_getsockopt,
	.sendmsg	= edu_sendmsg,
	.recvmsg	= edu_recvmsg,
	.splice_eof	= edu_splice_eof,
	.mmap		= sock_no_mmap,
};

struct proto edu_proto = {
	.name		= "EDU",
	.owner		= THIS_MODULE,
	.keepalive	= edu_keepalive_set,
	.obj_size	= sizeof(struct edu_sock),
};

struct net_proto_family edu_family_ops __ro_after_init = {
	.create	= edu_create,
	.owner	= THIS_MODULE,
};

/**
 * edu_socket_init_family() - set the family number before registration
 * @family: the AF_* number the module registers (module parameter)
 *
 * Called once from module init, before sock_register(); afterwards the
 * family operations are read-only.
 */
void edu_socket_init_family(int family)
{
	edu_family_ops.family = family;
}
