// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs.c - /sys/kernel/edu: module-wide state that is not per namespace.
 *
 * /sys/kernel/edu/family is the address family number the module
 * registered (its family= parameter).  /sys/kernel/edu/objects/<name>
 * holds the number of live objects of each kind the module allocates or
 * keeps.  The counts are global on purpose: a leak in any namespace is a
 * leak of the module, and tests read them after each case to prove that
 * everything was freed.
 */
#include <linux/kobject.h>
#include <linux/skbuff.h>
#include <linux/sysfs.h>
#include <net/sock.h>

#include "edu.h"

atomic_long_t edu_objects[__EDU_OBJ_MAX];

static struct kobject *edu_kobj;

/*
 * objects/skbs: the sk_buffs the sockets' queues hold, counted by a
 * destructor of the module's own rather than at each enqueue and dequeue
 * (there are many of those, and one missed would make the count drift):
 * an skb is counted from when a queue takes it until it is freed, however
 * that happens (read, acknowledged, pruned, replaced, purged).
 *
 *  - The receive and out-of-order queues: edu_skb_set_owner_r() instead of
 *    skb_set_owner_r(); the destructor is sock_rfree(), which undoes the
 *    charge to sk_rmem_alloc, then the count.  An skb moves from the
 *    out-of-order queue to the receive queue with its destructor.
 *  - The write queue: edu_skb_track() on each skb put there.  These skbs
 *    are charged to sk_wmem_queued by hand and have no owner (skb->sk is
 *    NULL), so the destructor only counts.
 *
 * Safety: a destructor in module text must not run after the module is
 * gone, so an skb carrying one never leaves the module.  Transmission
 * sends a clone (skb_clone() clears the destructor) or a copy
 * (pskb_copy() does not copy it), owned by skb_set_owner_w(), whose
 * destructor is the kernel's sock_wfree(): the kernel code that compares
 * skb->destructor with sock_wfree (skb_orphan_partial(), GSO, IP
 * fragmentation) sees what it expects.  Received skbs are only read and
 * freed by the module.  Every queue is purged before its socket is freed
 * (edu_sk_destruct()), and each socket holds a module reference, so no
 * counted skb outlives the module.  Nothing else in the kernel compares a
 * receive-queue skb's destructor with sock_rfree (only tcp.c, for its own
 * sockets), and pskb_expand_head() treats an owned skb alike whatever its
 * destructor.
 *
 * Not counted: the socket's backlog (segments that arrived while the
 * application held the lock, not yet processed; the socket core owns and
 * drains it at release_sock()), segments being processed, and segments in
 * flight below IP.
 */
static void edu_skb_rfree(struct sk_buff *skb)
{
	sock_rfree(skb);
	edu_object_dec(EDU_OBJ_SKBS);
}

static void edu_skb_untrack(struct sk_buff *skb)
{
	edu_object_dec(EDU_OBJ_SKBS);
}

/**
 * edu_skb_set_owner_r() - charge a received skb to @sk, and count it
 * @skb: the segment, about to join the receive or out-of-order queue
 * @sk: the socket, locked
 *
 * skb_set_owner_r(), with the counting destructor.
 */
void edu_skb_set_owner_r(struct sk_buff *skb, struct sock *sk)
{
	skb_set_owner_r(skb, sk);
	skb->destructor = edu_skb_rfree;
	edu_object_inc(EDU_OBJ_SKBS);
}

/**
 * edu_skb_track() - count an skb the write queue keeps until it is freed
 * @skb: a new skb, with no destructor
 */
void edu_skb_track(struct sk_buff *skb)
{
	WARN_ON_ONCE(skb->destructor);
	skb->destructor = edu_skb_untrack;
	edu_object_inc(EDU_OBJ_SKBS);
}

static ssize_t edu_object_show(enum edu_object obj, char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&edu_objects[obj]));
}

static ssize_t sockets_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return edu_object_show(EDU_OBJ_SOCKETS, buf);
}

static ssize_t ports_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return edu_object_show(EDU_OBJ_PORTS, buf);
}

static ssize_t timewait_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	return edu_object_show(EDU_OBJ_TIMEWAIT, buf);
}

static ssize_t skbs_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return edu_object_show(EDU_OBJ_SKBS, buf);
}

static struct kobj_attribute edu_attr_sockets = __ATTR_RO(sockets);
static struct kobj_attribute edu_attr_ports = __ATTR_RO(ports);
static struct kobj_attribute edu_attr_timewait = __ATTR_RO(timewait);
static struct kobj_attribute edu_attr_skbs = __ATTR_RO(skbs);

static struct attribute *edu_object_attrs[] = {
	&edu_attr_sockets.attr,
	&edu_attr_ports.attr,
	&edu_attr_timewait.attr,
	&edu_attr_skbs.attr,
	NULL,
};

static const struct attribute_group edu_object_group = {
	.name = "objects",
	.attrs = edu_object_attrs,
};

/* The family number, fixed at load (main.c's family= parameter). */
static ssize_t family_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", edu_family);
}

static struct kobj_attribute edu_attr_family = __ATTR_RO(family);

static struct attribute *edu_top_attrs[] = {
	&edu_attr_family.attr,
	NULL,
};

static const struct attribute_group edu_top_group = {
	.attrs = edu_top_attrs,
};

static const struct attribute_group *edu_groups[] = {
	&edu_top_group,
	&edu_object_group,
	NULL,
};

/**
 * edu_sysfs_init() - create /sys/kernel/edu and its groups
 *
 * Return: 0 or a negative errno.
 */
int edu_sysfs_init(void)
{
	int err;

	edu_kobj = kobject_create_and_add("edu", kernel_kobj);
	if (!edu_kobj)
		return -ENOMEM;
	err = sysfs_create_groups(edu_kobj, edu_groups);
	if (err)
		kobject_put(edu_kobj);
	return err;
}

/**
 * edu_sysfs_exit() - remove /sys/kernel/edu
 */
void edu_sysfs_exit(void)
{
	sysfs_remove_groups(edu_kobj, edu_groups);
	kobject_put(edu_kobj);
}
