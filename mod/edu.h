/* SPDX-License-Identifier: GPL-2.0 */
/*
 * edu.h - private definitions shared by the files of the edu module.
 *
 * The module implements TCP (RFC 9293) as the socket family AF_EDU.  Every
 * internal structure and the prototypes of every file live here, grouped by
 * the file that defines them, in the way include/net/tcp.h serves net/ipv4.
 */
#ifndef _EDU_H
#define _EDU_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <net/inet_sock.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>

#include <uapi/linux/edu.h>

#include "compat.h"

/**
 * struct edu_tcb - the transmission control block of RFC 9293 section 3.3.1
 * @snd_una: SND.UNA, oldest unacknowledged sequence number
 * @snd_nxt: SND.NXT, next sequence number to be sent
 * @snd_wnd: SND.WND, send window advertised by the peer
 * @snd_up: SND.UP, send urgent pointer
 * @snd_wl1: SND.WL1, segment sequence number used for the last window update
 * @snd_wl2: SND.WL2, segment acknowledgment number used for the last update
 * @iss: ISS, initial send sequence number
 * @rcv_nxt: RCV.NXT, next sequence number expected on an incoming segment
 * @rcv_wnd: RCV.WND, receive window we advertise
 * @rcv_up: RCV.UP, receive urgent pointer
 * @irs: IRS, initial receive sequence number
 * @mss: effective send MSS (RFC 9293 section 3.7.1)
 *
 * The names are the RFC's so that the code reads beside the specification.
 * All fields are written with the socket lock held (process context, or the
 * receive path with the socket not owned by the user).
 */
struct edu_tcb {
	u32 snd_una;
	u32 snd_nxt;
	u32 snd_wnd;
	u32 snd_up;
	u32 snd_wl1;
	u32 snd_wl2;
	u32 iss;
	u32 rcv_nxt;
	u32 rcv_wnd;
	u32 rcv_up;
	u32 irs;
	u16 mss;
};

/**
 * struct edu_sock - an AF_EDU socket
 * @inet: the IPv4 socket; must be first, because the IP layer's helpers
 *	(route lookup, PMTU, IP ID) use inet_sk(sk)
 * @net_node: link in edu_net.sk_list; protected by edu_net.sk_list_lock
 * @bind_node: link in edu_net.bind_hash while bound; protected by
 *	edu_net.bind_lock
 * @shadow: kernel TCP socket bound to our local port, so that kernel TCP
 *	and AF_EDU share one port space (see bind.c); NULL while unbound.
 *	Written under the socket lock and edu_net.bind_lock.
 * @accept_queue: established children waiting for accept(); protected by
 *	@accept_lock, which the receive path may take in softirq
 * @accept_node: link of a child in its listener's @accept_queue
 * @accept_lock: protects @accept_queue
 * @tcb: the transmission control block
 */
struct edu_sock {
	struct inet_sock inet;
	struct list_head net_node;
	struct hlist_node bind_node;
	struct socket *shadow;
	struct list_head accept_queue;
	struct list_head accept_node;
	spinlock_t accept_lock;		/* protects accept_queue */
	struct edu_tcb tcb;
};

static inline struct edu_sock *edu_sk(const struct sock *sk)
{
	return (struct edu_sock *)sk;
}

#define EDU_BIND_HASH_BITS	8

/**
 * struct edu_net - per network namespace state
 * @net: the namespace this belongs to
 * @sk_list: every AF_EDU socket of the namespace, for /proc/net/edu
 * @sk_list_lock: protects @sk_list; taken with BHs off because a socket may
 *	be destroyed from softirq
 * @bind_lock: protects @bind_hash; process context only (bind, listen,
 *	close), may sleep while held
 * @bind_hash: bound sockets hashed by local port
 */
struct edu_net {
	struct net *net;
	struct list_head sk_list;
	spinlock_t sk_list_lock;	/* protects sk_list */
	struct mutex bind_lock;		/* protects bind_hash */
	struct hlist_head bind_hash[1 << EDU_BIND_HASH_BITS];
};

/* main.c */
extern unsigned int edu_net_id;
extern int edu_family;

static inline struct edu_net *edu_pernet(const struct net *net)
{
	return net_generic(net, edu_net_id);
}

/*
 * Live-object counts (sysfs.c): every object the module allocates is counted
 * while alive, so tests can prove that nothing leaked after each case.
 */
enum edu_object {
	EDU_OBJ_SOCKETS,	/* struct edu_sock */
	EDU_OBJ_PORTS,		/* shadow TCP sockets holding a port */
	__EDU_OBJ_MAX
};

extern atomic_long_t edu_objects[__EDU_OBJ_MAX];

static inline void edu_object_inc(enum edu_object obj)
{
	atomic_long_inc(&edu_objects[obj]);
}

static inline void edu_object_dec(enum edu_object obj)
{
	atomic_long_dec(&edu_objects[obj]);
}

/* socket.c */
extern struct proto edu_proto;
extern struct net_proto_family edu_family_ops;
void edu_socket_init_family(int family);
void edu_set_state(struct sock *sk, int state);

/* bind.c */
int edu_port_bind(struct sock *sk, __be32 addr, u16 port);
int edu_port_listen(struct sock *sk);
void edu_port_unlisten(struct sock *sk);
void edu_port_unbind(struct sock *sk);
void edu_bind_net_init(struct edu_net *en);

/* proc.c */
int edu_proc_net_init(struct net *net);
void edu_proc_net_exit(struct net *net);

/* sysfs.c */
int edu_sysfs_init(void);
void edu_sysfs_exit(void);

#endif /* _EDU_H */
