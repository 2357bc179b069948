// SPDX-License-Identifier: GPL-2.0
/*
 * socket.c - the socket layer of AF_EDU: socket(), bind(), listen(),
 * accept(), getsockname(), poll(), shutdown(), close() and the calls that
 * are not available in a given state.
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
#include <net/sock.h>
#include <net/tcp_states.h>

#include "edu.h"

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
	skb_queue_purge(&sk->sk_write_queue);
	sk_mem_reclaim(sk);
	dst_release(rcu_dereference_protected(sk->sk_dst_cache, 1));
	edu_object_dec(EDU_OBJ_SOCKETS);
}

/*
 * socket(AF_EDU, type, protocol): only stream sockets exist, and only TCP
 * over IPv4 for now.  IPv6 (EDUPROTO_TCP6) is reserved in the uapi.
 */
static int edu_create(struct net *net, struct socket *sock, int protocol,
		      int kern)
{
	struct edu_net *en = edu_pernet(net);
	struct edu_sock *esk;
	struct sock *sk;

	if (sock->type != SOCK_STREAM)
		return -ESOCKTNOSUPPORT;
	if (protocol != EDUPROTO_TCP)
		return -EPROTONOSUPPORT;

	sock->state = SS_UNCONNECTED;
	sock->ops = &edu_stream_ops;

	sk = sk_alloc(net, edu_family, GFP_KERNEL, &edu_proto, kern);
	if (!sk)
		return -ENOBUFS;
	sock_init_data(sock, sk);

	/*
	 * Never IPPROTO_TCP: BPF helpers take any full socket carrying it for
	 * a struct tcp_sock, which ours is not.
	 */
	sk->sk_protocol = protocol;
	edu_set_state(sk, TCP_CLOSE);
	sk->sk_destruct = edu_sk_destruct;

	esk = edu_sk(sk);
	INIT_HLIST_NODE(&esk->bind_node);
	INIT_LIST_HEAD(&esk->accept_queue);
	INIT_LIST_HEAD(&esk->accept_node);
	spin_lock_init(&esk->accept_lock);

	edu_object_inc(EDU_OBJ_SOCKETS);
	spin_lock_bh(&en->sk_list_lock);
	list_add_tail(&esk->net_node, &en->sk_list);
	spin_unlock_bh(&en->sk_list_lock);
	return 0;
}

/*
 * Stop listening (shutdown(SHUT_RD) or close()): called with the socket
 * lock held.  Blocked accept() callers see the state change and return
 * EINVAL.
 */
static void edu_listen_stop(struct sock *sk)
{
	edu_set_state(sk, TCP_CLOSE);
	sk->sk_state_change(sk);
}

static int edu_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;

	lock_sock(sk);
	if (sk->sk_state == TCP_LISTEN)
		edu_listen_stop(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;
	edu_port_unbind(sk);
	sock_orphan(sk);
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
 * The TCP core (connection establishment) is not part of the module yet;
 * until it is, connect() says so plainly.
 */
static int edu_connect(struct socket *sock, struct sockaddr *uaddr,
		       int addr_len, int flags)
{
	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;
	return -EOPNOTSUPP;
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
	int state;

	sock_poll_wait(file, sock, wait);

	state = inet_sk_state_load(sk);
	if (state == TCP_LISTEN)
		return list_empty_careful(&edu_sk(sk)->accept_queue) ?
		       0 : EPOLLIN | EPOLLRDNORM;

	if (sk->sk_shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (state != TCP_SYN_SENT && state != TCP_SYN_RECV)
		mask |= EPOLLOUT | EPOLLWRNORM;
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
	switch (sk->sk_state) {
	case TCP_LISTEN:
		if (how & RCV_SHUTDOWN) {
			edu_listen_stop(sk);
			edu_port_unlisten(sk);
		}
		break;
	case TCP_CLOSE:
		err = -ENOTCONN;
		fallthrough;
	default:
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
		break;
	}
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

/*
 * Options at SOL_SOCKET are handled by the socket core.  TCP-level and
 * SOL_EDU options come with the TCP core and observability work.
 */
static int edu_setsockopt(struct socket *sock, int level, int optname,
			  sockptr_t optval, unsigned int optlen)
{
	return -ENOPROTOOPT;
}

static int edu_getsockopt(struct socket *sock, int level, int optname,
			  char __user *optval, int __user *optlen)
{
	return -ENOPROTOOPT;
}

/*
 * Sending needs a connection.  Like tcp_sendmsg() on an unconnected
 * socket: EPIPE, with SIGPIPE unless MSG_NOSIGNAL.
 */
static int edu_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	return sk_stream_error(sock->sk, msg->msg_flags, -EPIPE);
}

/* Like tcp_recvmsg() on an unconnected or listening socket. */
static int edu_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		       int flags)
{
	return -ENOTCONN;
}

/* No socket ioctls yet: the socket core tries the device ioctls next. */
static int edu_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	return -ENOIOCTLCMD;
}

/*
 * .family is the default AF_EDU: the socket core reads the family from
 * edu_family_ops, which follows the module parameter; nothing it does with
 * our sockets looks at proto_ops.family.
 */
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
	.mmap		= sock_no_mmap,
};

struct proto edu_proto = {
	.name		= "EDU",
	.owner		= THIS_MODULE,
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
