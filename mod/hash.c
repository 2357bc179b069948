// SPDX-License-Identifier: GPL-2.0
/*
 * hash.c - the connection tables: which socket a segment belongs to.
 *
 * Per namespace, connections are hashed by their 4-tuple and listeners by
 * their local port (struct edu_net).  The receive path looks them up in
 * softirq, so the tables are protected by a spinlock taken with BHs off,
 * and a lookup returns the socket with a reference held.  A hashed socket
 * holds a reference on itself: it lives at least as long as it can be
 * found, even after the application closed it (an orphan finishing its
 * close on the wire).
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/uidgid.h>
#include <net/inet_sock.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "edu.h"

/* A 4-tuple's hash, keyed with the namespace's secret. */
static u32 edu_flowhash(const struct edu_net *en, __be32 laddr, __be16 lport,
			__be32 raddr, __be16 rport)
{
	return jhash_3words((__force u32)laddr, (__force u32)raddr,
			    (__force u32)lport << 16 | (__force u32)rport,
			    en->hash_rnd);
}

/**
 * edu_ehashfn() - hash a 4-tuple into the connection tables
 * @en: the namespace's state (its secret)
 * @laddr: local address
 * @lport: local port
 * @raddr: remote address
 * @rport: remote port
 *
 * Return: the bucket index, below 1 << EDU_EHASH_BITS.
 */
u32 edu_ehashfn(const struct edu_net *en, __be32 laddr, __be16 lport,
		__be32 raddr, __be16 rport)
{
	return edu_flowhash(en, laddr, lport, raddr, rport) &
	       ((1 << EDU_EHASH_BITS) - 1);
}

static struct hlist_head *edu_lhash_bucket(struct edu_net *en, u16 port)
{
	return &en->lhash[port & ((1 << EDU_LHASH_BITS) - 1)];
}

static bool edu_sk_match(const struct sock *sk, __be32 raddr, __be16 rport,
			 __be32 laddr, __be16 lport)
{
	const struct inet_sock *inet = inet_sk(sk);

	return inet->inet_daddr == raddr && inet->inet_dport == rport &&
	       inet->inet_saddr == laddr && inet->inet_sport == lport;
}

/**
 * edu_hash_connection() - make a connection findable by its 4-tuple
 * @sk: socket with local and remote address and port set, locked
 *
 * Return: 0, or -EADDRNOTAVAIL if the 4-tuple is already in use by another
 * connection or a TIME-WAIT record.
 */
int edu_hash_connection(struct sock *sk)
{
	struct edu_net *en = edu_pernet(sock_net(sk));
	struct inet_sock *inet = inet_sk(sk);
	struct edu_timewait *tw;
	struct edu_sock *other;
	u32 h;

	h = edu_ehashfn(en, inet->inet_saddr, inet->inet_sport,
			inet->inet_daddr, inet->inet_dport);
	spin_lock_bh(&en->hash_lock);
	hlist_for_each_entry(other, &en->ehash[h], hash_node) {
		if (edu_sk_match(&other->inet.sk, inet->inet_daddr,
				 inet->inet_dport, inet->inet_saddr,
				 inet->inet_sport))
			goto in_use;
	}
	hlist_for_each_entry(tw, &en->twhash[h], node) {
		if (tw->daddr == inet->inet_daddr &&
		    tw->dport == inet->inet_dport &&
		    tw->saddr == inet->inet_saddr &&
		    tw->sport == inet->inet_sport)
			goto in_use;
	}
	sock_hold(sk);
	hlist_add_head(&edu_sk(sk)->hash_node, &en->ehash[h]);
	spin_unlock_bh(&en->hash_lock);
	return 0;

in_use:
	spin_unlock_bh(&en->hash_lock);
	return -EADDRNOTAVAIL;
}

/**
 * edu_hash_listener() - make a listening socket findable by its port
 * @sk: bound socket entering LISTEN, locked
 */
void edu_hash_listener(struct sock *sk)
{
	struct edu_net *en = edu_pernet(sock_net(sk));

	spin_lock_bh(&en->hash_lock);
	sock_hold(sk);
	hlist_add_head(&edu_sk(sk)->hash_node,
		       edu_lhash_bucket(en, inet_sk(sk)->inet_num));
	spin_unlock_bh(&en->hash_lock);
}

/**
 * edu_unhash() - make a socket unfindable, dropping the table's reference
 * @sk: the socket; the caller holds a reference of its own
 */
void edu_unhash(struct sock *sk)
{
	struct edu_net *en = edu_pernet(sock_net(sk));
	bool hashed;

	spin_lock_bh(&en->hash_lock);
	hashed = !hlist_unhashed(&edu_sk(sk)->hash_node);
	if (hashed)
		hlist_del_init(&edu_sk(sk)->hash_node);
	spin_unlock_bh(&en->hash_lock);
	if (hashed)
		sock_put(sk);
}

/*
 * Are @sk and @sk2 listeners of one SO_REUSEPORT group?  As Linux's
 * inet_reuseport_add_sock() groups them: the same port, address and
 * device, SO_REUSEPORT on both, the same owner.
 */
static bool edu_reuseport_group(const struct sock *sk, const struct sock *sk2)
{
	return sk2->sk_reuseport &&
	       inet_sk(sk2)->inet_num == inet_sk(sk)->inet_num &&
	       sk2->sk_rcv_saddr == sk->sk_rcv_saddr &&
	       sk2->sk_bound_dev_if == sk->sk_bound_dev_if &&
	       uid_eq(sk2->sk_uid, sk->sk_uid);
}

/*
 * SO_REUSEPORT: of the group @sk belongs to, the listener that the hash
 * of the segment's 4-tuple picks, so that the connections spread over the
 * group and each one's segments always reach the same listener, as
 * Linux's reuseport_select_sock() does without a BPF program.
 */
static struct sock *edu_reuseport_select(struct edu_net *en, struct sock *sk,
					 u32 hash)
{
	struct hlist_head *head = edu_lhash_bucket(en, inet_sk(sk)->inet_num);
	struct edu_sock *esk;
	u32 n = 0, i;

	hlist_for_each_entry(esk, head, hash_node)
		n += edu_reuseport_group(sk, &esk->inet.sk);
	i = reciprocal_scale(hash, n);
	hlist_for_each_entry(esk, head, hash_node)
		if (edu_reuseport_group(sk, &esk->inet.sk) && !i--)
			return &esk->inet.sk;
	return sk;
}

/*
 * The best listener for a segment to @laddr:@lport: one bound to that
 * address is preferred over one bound to the wildcard, as in Linux; if it
 * has SO_REUSEPORT, @hash chooses among its group.
 */
static struct sock *edu_lookup_listener(struct edu_net *en, __be32 laddr,
					u16 lport, int dif, u32 hash)
{
	struct sock *best = NULL;
	struct edu_sock *esk;

	hlist_for_each_entry(esk, edu_lhash_bucket(en, lport), hash_node) {
		struct sock *sk = &esk->inet.sk;

		if (esk->inet.inet_num != lport ||
		    (sk->sk_bound_dev_if && sk->sk_bound_dev_if != dif))
			continue;
		if (sk->sk_rcv_saddr == laddr) {
			best = sk;
			break;
		}
		if (!sk->sk_rcv_saddr && !best)
			best = sk;
	}
	if (best && best->sk_reuseport)
		best = edu_reuseport_select(en, best, hash);
	return best;
}

/**
 * edu_lookup() - find the socket a segment belongs to
 * @net: the namespace it arrived in
 * @raddr: its source address (the remote end)
 * @rport: its source port
 * @laddr: its destination address (our end)
 * @lport: its destination port
 * @dif: the interface it arrived on
 *
 * A connection with the exact 4-tuple comes first, then a listener on the
 * port (one of an SO_REUSEPORT group by the hash of the 4-tuple).
 * TIME-WAIT records are looked up separately (timewait.c).
 *
 * Return: the socket with a reference held, or NULL.
 */
struct sock *edu_lookup(struct net *net, __be32 raddr, __be16 rport,
			__be32 laddr, __be16 lport, int dif)
{
	struct edu_net *en = edu_pernet(net);
	struct sock *found = NULL;
	struct edu_sock *esk;
	u32 hash, h;

	hash = edu_flowhash(en, laddr, lport, raddr, rport);
	h = hash & ((1 << EDU_EHASH_BITS) - 1);
	spin_lock_bh(&en->hash_lock);
	hlist_for_each_entry(esk, &en->ehash[h], hash_node) {
		if (edu_sk_match(&esk->inet.sk, raddr, rport, laddr, lport)) {
			found = &esk->inet.sk;
			break;
		}
	}
	if (!found)
		found = edu_lookup_listener(en, laddr, ntohs(lport), dif,
					    hash);
	if (found)
		sock_hold(found);
	spin_unlock_bh(&en->hash_lock);
	return found;
}

/**
 * edu_hash_net_init() - initialise a namespace's connection tables
 * @en: the namespace's state
 */
void edu_hash_net_init(struct edu_net *en)
{
	spin_lock_init(&en->hash_lock);
	__hash_init(en->ehash, ARRAY_SIZE(en->ehash));
	__hash_init(en->twhash, ARRAY_SIZE(en->twhash));
	__hash_init(en->lhash, ARRAY_SIZE(en->lhash));
	en->hash_rnd = get_random_u32();
}
