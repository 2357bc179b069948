// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - module entry points: register the AF_EDU family, its protocol
 * and the per-network-namespace state, and take them down in reverse.
 */
#define pr_fmt(fmt) "edu: " fmt

#include <linux/module.h>
#include <linux/net.h>
#include <linux/socket.h>

#include "edu.h"

/*
 * The family number.  AF_EDU (19) is free on every supported kernel; the
 * parameter exists for a kernel where it is not.  Read-only once loaded,
 * because the socket layer keys everything on it.
 */
int edu_family = AF_EDU;
module_param_named(family, edu_family, int, 0444);
MODULE_PARM_DESC(family, "address family number to register (default 19)");

unsigned int edu_net_id __read_mostly;

/* Work that must leave softirq: giving up the port of a finished orphan. */
struct workqueue_struct *edu_wq;

static int __net_init edu_net_init(struct net *net)
{
	struct edu_net *en = edu_pernet(net);
	int err;

	en->net = net;
	INIT_LIST_HEAD(&en->sk_list);
	spin_lock_init(&en->sk_list_lock);
	edu_bind_net_init(en);
	edu_hash_net_init(en);

	err = edu_proc_net_init(net);
	if (err)
		return err;
	err = edu_mib_net_init(net);
	if (err)
		goto out_proc;
	/* Before the hook: the receive path reads the tunables. */
	err = edu_sysctl_net_init(net);
	if (err)
		goto out_mib;
	/* Last: from here on segments are taken from kernel TCP. */
	err = edu_input_net_init(net);
	if (err)
		goto out_sysctl;
	return 0;

out_sysctl:
	edu_sysctl_net_exit(net);
out_mib:
	edu_mib_net_exit(net);
out_proc:
	edu_proc_net_exit(net);
	return err;
}

static void __net_exit edu_net_exit(struct net *net)
{
	struct edu_net *en = edu_pernet(net);

	edu_input_net_exit(net);
	/* TIME-WAIT records hold no reference on the namespace. */
	edu_tw_purge(en);
	edu_sysctl_net_exit(net);
	edu_mib_net_exit(net);
	edu_proc_net_exit(net);
	/*
	 * Every user socket, orphans included, holds a reference on its
	 * namespace, so none can be left by the time it is torn down.
	 */
	WARN_ON_ONCE(!list_empty(&en->sk_list));
}

static struct pernet_operations edu_net_ops = {
	.init = edu_net_init,
	.exit = edu_net_exit,
	.id   = &edu_net_id,
	.size = sizeof(struct edu_net),
};

static int __init edu_init(void)
{
	int err;

	if (edu_family <= AF_UNSPEC || edu_family >= NPROTO) {
		pr_err("family=%d is out of range 1..%d\n", edu_family,
		       NPROTO - 1);
		return -EINVAL;
	}
	edu_socket_init_family(edu_family);

	edu_wq = alloc_workqueue("edu", 0, 0);
	if (!edu_wq)
		return -ENOMEM;

	err = proto_register(&edu_proto, 1);
	if (err)
		goto out_wq;

	err = register_pernet_subsys(&edu_net_ops);
	if (err)
		goto out_proto;

	err = edu_sysfs_init();
	if (err)
		goto out_pernet;

	/* Last: from here on sockets can be created. */
	err = sock_register(&edu_family_ops);
	if (err) {
		pr_err("cannot register family %d: %d\n", edu_family, err);
		goto out_sysfs;
	}

	pr_info("AF_EDU registered as family %d\n", edu_family);
	return 0;

out_sysfs:
	edu_sysfs_exit();
out_pernet:
	unregister_pernet_subsys(&edu_net_ops);
out_proto:
	proto_unregister(&edu_proto);
out_wq:
	destroy_workqueue(edu_wq);
	return err;
}

static void __exit edu_exit(void)
{
	/*
	 * The module cannot be unloaded while a socket exists (each holds a
	 * module reference through its proto_ops and proto), so once the
	 * family is gone nothing of ours can run.
	 */
	sock_unregister(edu_family);
	edu_sysfs_exit();
	unregister_pernet_subsys(&edu_net_ops);
	proto_unregister(&edu_proto);
	/* Waits for the last port release to finish running. */
	destroy_workqueue(edu_wq);
}

module_init(edu_init);
module_exit(edu_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The edu developers");
MODULE_DESCRIPTION("TCP implemented from scratch as the socket family AF_EDU");
MODULE_ALIAS_NETPROTO(PF_EDU);
