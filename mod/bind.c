// SPDX-License-Identifier: GPL-2.0
/*
 * bind.c - the local port space: which AF_EDU socket holds which port.
 *
 * AF_EDU speaks real TCP, so a port it uses must not be used by kernel TCP
 * at the same time, or the two stacks would fight over the same segments.
 * Each bound AF_EDU socket therefore holds a "shadow": a kernel TCP socket
 * bound to the same address and port and never listened on or connected.
 * Kernel TCP's own bind() and port selection then avoid the port, and a
 * port kernel TCP already holds makes our bind fail with EADDRINUSE, both
 * with kernel TCP's exact rules.  Ephemeral ports come from the shadow too,
 * so they follow ip_local_port_range and its reserved ports.
 *
 * Between AF_EDU sockets the rules of Linux's inet_csk_bind_conflict() are
 * applied here, on a per-namespace table of bound sockets, because shadows
 * never listen and so cannot tell kernel TCP that SO_REUSEADDR no longer
 * applies to a listening port.  SO_REUSEPORT lets sockets of the same
 * owner share a port, listening or not; their shadows carry the flag too,
 * so that kernel TCP lets each of them bind, and so lets a kernel TCP
 * socket of the same owner with SO_REUSEPORT share the port as well, as
 * it would join a group of kernel TCP listeners.
 *
 * Locking: edu_net.bind_lock (a mutex) protects the table.  Callers hold
 * the socket lock; creating and binding a shadow may sleep.
 */
#define pr_fmt(fmt) "edu: " fmt

#include <linux/hash.h>
#include <linux/in.h>
#include <linux/net.h>
#include <net/inet_sock.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "edu.h"

/**
 * edu_bind_net_init() - initialise a namespace's table of bound sockets
 * @en: the namespace's state
 */
void edu_bind_net_init(struct edu_net *en)
{
	mutex_init(&en->bind_lock);
	__hash_init(en->bind_hash, ARRAY_SIZE(en->bind_hash));
}

static struct hlist_head *edu_bind_bucket(struct edu_net *en, u16 port)
{
	return &en->bind_hash[hash_32(port, EDU_BIND_HASH_BITS)];
}

/*
 * Would @sk, bound to @addr:@port, clash with @sk2 already there?  The
 * rules of inet_bind_conflict(): addresses overlap when either is the
 * wildcard or they are equal; devices when either is unbound or they are
 * the same; SO_REUSEADDR on both lets them share unless @sk2 listens, and
 * SO_REUSEPORT on both lets them share anyway if they have the same owner
 * (sk_uid).  The same test serves bind() and listen() (where Linux
 * re-checks the port): the first of several SO_REUSEADDR sockets may
 * listen, the others then may neither listen nor bind.
 */
static bool edu_bind_conflict(const struct sock *sk, __be32 addr,
			      const struct sock *sk2)
{
	__be32 addr2 = sk2->sk_rcv_saddr;

	if (sk2 == sk)
		return false;
	if (sk->sk_bound_dev_if && sk2->sk_bound_dev_if &&
	    sk->sk_bound_dev_if != sk2->sk_bound_dev_if)
		return false;
	if (addr && addr2 && addr != addr2)
		return false;
	if (sk->sk_reuse && sk2->sk_reuse &&
	    inet_sk_state_load(sk2) != TCP_LISTEN)
		return false;
	if (sk->sk_reuseport && sk2->sk_reuseport &&
	    uid_eq(sk->sk_uid, sk2->sk_uid))
		return false;
	return true;
}

static bool edu_port_in_use(struct edu_net *en, const struct sock *sk,
			    __be32 addr, u16 port)
{
	struct edu_sock *other;

	lockdep_assert_held(&en->bind_lock);
	hlist_for_each_entry(other, edu_bind_bucket(en, port), bind_node) {
		if (other->inet.inet_num == port &&
		    edu_bind_conflict(sk, addr, &other->inet.sk))
			return true;
	}
	return false;
}

static void edu_shadow_release(struct socket *shadow)
{
	sock_release(shadow);
	edu_object_dec(EDU_OBJ_PORTS);
}

/*
 * Create a kernel TCP socket and bind it to @addr:@port (0: any free
 * port), with @reuse as its SO_REUSEADDR.  Returns the socket, the port
 * actually bound in @bound, or an ERR_PTR (EADDRINUSE, EADDRNOTAVAIL...).
 */
static struct socket *edu_shadow_bind(struct sock *sk, __be32 addr, u16 port,
				      bool reuse, u16 *bound)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = addr,
		.sin_port = htons(port),
	};
	struct socket *shadow;
	int err;

	err = sock_create_kern(sock_net(sk), AF_INET, SOCK_STREAM, IPPROTO_TCP,
			       &shadow);
	if (err)
		return ERR_PTR(err);
	edu_object_inc(EDU_OBJ_PORTS);

	/*
	 * Bound to the same device, with our SO_REUSEPORT, the shadow clashes
	 * exactly as we do.  (Its owner is whoever binds: that of the
	 * bind() call, which kernel TCP compares for SO_REUSEPORT.)
	 */
	shadow->sk->sk_bound_dev_if = sk->sk_bound_dev_if;
	shadow->sk->sk_reuse = reuse ? SK_CAN_REUSE : SK_NO_REUSE;
	shadow->sk->sk_reuseport = sk->sk_reuseport;

	err = kernel_bind(shadow, (struct sockaddr *)&sin, sizeof(sin));
	if (!err)
		err = kernel_getsockname(shadow, (struct sockaddr *)&sin);
	if (err < 0) {
		edu_shadow_release(shadow);
		return ERR_PTR(err);
	}
	*bound = ntohs(sin.sin_port);
	return shadow;
}

/**
 * edu_port_bind() - claim a local address and port for @sk
 * @sk: an unbound AF_EDU socket, locked by the caller
 * @addr: local address, or INADDR_ANY
 * @port: local port in host order, or 0 for an ephemeral port
 *
 * Return: 0, or -EADDRINUSE when kernel TCP or another AF_EDU socket holds
 * the port, -EADDRNOTAVAIL for an address that is not local, or another
 * negative errno from creating the shadow socket.
 */
int edu_port_bind(struct sock *sk, __be32 addr, u16 port)
{
	struct edu_net *en = edu_pernet(sock_net(sk));
	struct inet_sock *inet = inet_sk(sk);
	struct socket *shadow;
	u16 bound;

	sock_owned_by_me(sk);
	shadow = edu_shadow_bind(sk, addr, port, sk->sk_reuse, &bound);
	if (IS_ERR(shadow))
		return PTR_ERR(shadow);

	mutex_lock(&en->bind_lock);
	if (edu_port_in_use(en, sk, addr, bound)) {
		mutex_unlock(&en->bind_lock);
		edu_shadow_release(shadow);
		return -EADDRINUSE;
	}
	inet->inet_rcv_saddr = addr;
	inet->inet_saddr = addr;
	inet->inet_num = bound;
	inet->inet_sport = htons(bound);
	if (addr)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	if (port)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	edu_sk(sk)->shadow = shadow;
	hlist_add_head(&edu_sk(sk)->bind_node, edu_bind_bucket(en, bound));
	mutex_unlock(&en->bind_lock);
	return 0;
}

/*
 * Replace the shadow of bound @sk by one bound to the same address and port
 * with SO_REUSEADDR set to @reuse.  If that cannot be had, fall back to the
 * other setting; if the port itself is lost (taken by someone else in the
 * moment it was free), unbind @sk.  Return: 0 or -EADDRINUSE.
 */
static int edu_shadow_rebind(struct sock *sk, bool reuse)
{
	struct edu_sock *esk = edu_sk(sk);
	u16 port = inet_sk(sk)->inet_num;
	struct socket *shadow;
	u16 bound;

	edu_shadow_release(esk->shadow);
	shadow = edu_shadow_bind(sk, sk->sk_rcv_saddr, port, reuse, &bound);
	if (IS_ERR(shadow))
		shadow = edu_shadow_bind(sk, sk->sk_rcv_saddr, port, !reuse,
					 &bound);
	if (IS_ERR(shadow)) {
		esk->shadow = NULL;
		edu_port_unbind(sk);
		return -EADDRINUSE;
	}
	esk->shadow = shadow;
	return 0;
}

/**
 * edu_port_listen() - check that a bound socket may listen on its port
 * @sk: a bound AF_EDU socket about to enter LISTEN, locked by the caller
 *
 * Linux re-checks the port at listen() time: another socket already
 * listening there forbids it, SO_REUSEADDR or not.  Against AF_EDU sockets
 * the table tells.  So that kernel TCP also sees the port as held by a
 * listener (its SO_REUSEADDR sockets must then be refused), a shadow bound
 * with SO_REUSEADDR is re-bound without it.  That fails only while other
 * non-listening SO_REUSEADDR sockets share the port, which Linux allows
 * too; the shadow then keeps SO_REUSEADDR.
 *
 * Return: 0 or -EADDRINUSE.
 */
int edu_port_listen(struct sock *sk)
{
	struct edu_net *en = edu_pernet(sock_net(sk));
	bool in_use;

	sock_owned_by_me(sk);
	mutex_lock(&en->bind_lock);
	in_use = edu_port_in_use(en, sk, sk->sk_rcv_saddr,
				 inet_sk(sk)->inet_num);
	mutex_unlock(&en->bind_lock);
	if (in_use)
		return -EADDRINUSE;
	if (!edu_sk(sk)->shadow->sk->sk_reuse)
		return 0;
	return edu_shadow_rebind(sk, false);
}

/**
 * edu_port_unlisten() - a listener has stopped listening but stays bound
 * @sk: the AF_EDU socket, locked by the caller
 *
 * As tcp_set_state(TCP_CLOSE): a port that bind() did not choose
 * explicitly (SOCK_BINDPORT_LOCK) is given up.  Otherwise the port stays
 * bound, and SO_REUSEADDR sharing is possible again, so the shadow gets
 * its SO_REUSEADDR back.
 */
void edu_port_unlisten(struct sock *sk)
{
	sock_owned_by_me(sk);
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK)) {
		edu_port_unbind(sk);
		return;
	}
	if (sk->sk_reuse && edu_sk(sk)->shadow &&
	    !edu_sk(sk)->shadow->sk->sk_reuse)
		edu_shadow_rebind(sk, true);
}

/**
 * edu_port_unbind() - give up the local port of @sk, if it holds one
 * @sk: an AF_EDU socket, locked by the caller
 */
void edu_port_unbind(struct sock *sk)
{
	struct edu_net *en = edu_pernet(sock_net(sk));
	struct edu_sock *esk = edu_sk(sk);

	sock_owned_by_me(sk);
	if (!hlist_unhashed(&esk->bind_node)) {
		mutex_lock(&en->bind_lock);
		hlist_del_init(&esk->bind_node);
		mutex_unlock(&en->bind_lock);
	}
	if (esk->shadow) {
		edu_shadow_release(esk->shadow);
		esk->shadow = NULL;
	}
	/* The socket no longer has a port (__inet_put_port()). */
	inet_sk(sk)->inet_num = 0;
	inet_sk(sk)->inet_sport = 0;
}
