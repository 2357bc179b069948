// SPDX-License-Identifier: GPL-2.0
/*
 * sysctl.c - the tunables of each network namespace, /proc/sys/net/edu/:
 * buffer sizes, retry limits, timers, the initial window and the default
 * congestion control.  Names, units and defaults are those of Linux's
 * net.ipv4.tcp_* sysctls (Documentation/sysctl.rst lists them).
 *
 * Every namespace starts from the defaults, not from another namespace's
 * values, and registers its own copy of the table, whose pointers are
 * moved into its struct edu_sysctl: the values (.data) and the bounds
 * that are other tunables (.extra1, .extra2; rto_min_ms and rto_max_ms
 * bound each other), as net/ipv4/sysctl_net_ipv4.c moves init_net's.
 * Every write is checked whole before anything changes: out of range,
 * malformed or incomplete input gets EINVAL, an unknown congestion control
 * ENOENT, and the value stays as it was.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>
#include <net/tcp.h>

#include "edu.h"

/*
 * The defaults, and the storage the template table points into.  Never
 * written: each namespace copies it into its own struct edu_sysctl.
 */
static struct edu_sysctl edu_sysctl_defaults = {
	/* tcp_rmem and tcp_wmem as Linux sets them (tcp_init()). */
	.rmem			= { 4096, 131072, 6291456 },
	.wmem			= { 4096, 16384, 4194304 },
	.syn_retries		= 6,		/* TCP_SYN_RETRIES */
	.synack_retries		= 5,		/* TCP_SYNACK_RETRIES */
	.retries2		= 15,		/* TCP_RETR2 */
	.orphan_retries		= 0,
	.fin_timeout		= 60,		/* TCP_FIN_TIMEOUT */
	.keepalive_time		= 7200,		/* TCP_KEEPALIVE_TIME */
	.keepalive_intvl	= 75,		/* TCP_KEEPALIVE_INTVL */
	.keepalive_probes	= 9,		/* TCP_KEEPALIVE_PROBES */
	.rto_min_ms		= 200,		/* TCP_RTO_MIN */
	.rto_max_ms		= 120000,	/* TCP_RTO_MAX */
	.delack_ms		= 40,		/* TCP_DELACK_MIN */
	.initial_cwnd		= EDU_INIT_CWND_SEGS,
	.window_scaling		= 1,		/* tcp_window_scaling */
	.timestamps		= 1,		/* tcp_timestamps */
	.moderate_rcvbuf	= 1,		/* tcp_moderate_rcvbuf */
};

/* Fixed bounds. */
static const int edu_syn_retries_max = MAX_TCP_SYNCNT;		/* 127 */
static const int edu_u8_max = U8_MAX;
static const int edu_fin_timeout_max = TCP_FIN_TIMEOUT_MAX / HZ; /* 120 */
static const int edu_keepidle_max = MAX_TCP_KEEPIDLE;		/* 32767 */
static const int edu_keepintvl_max = MAX_TCP_KEEPINTVL;		/* 32767 */
static const int edu_keepcnt_max = MAX_TCP_KEEPCNT;		/* 127 */
static const int edu_rto_max_floor = 1000;	/* as tcp_rto_max_ms */
static const int edu_rto_max_max = 120000;	/* TCP_RTO_MAX */
static const int edu_delack_max = 200;		/* TCP_DELACK_MAX */
static const int edu_initial_cwnd_max = 100;

/*
 * rmem and wmem: exactly three integers, each at least 1, in order (min
 * <= default <= max), or nothing changes.  proc_dointvec_minmax() on the
 * table itself would store the values one by one as it parses them, so
 * a bad third value would leave the first two changed; it parses into a
 * copy here instead.  A write that continues at a later file position is
 * ignored, as sysctl_writes_strict has Linux do.
 */
static int edu_proc_mem(EDU_CTL_CONST struct ctl_table *table, int write,
			void *buffer, size_t *lenp, loff_t *ppos)
{
	int *mem = table->data;
	int val[3] = { 0 };
	struct ctl_table tmp = *table;
	size_t len = *lenp;
	int err, i;

	if (!write)
		return proc_dointvec_minmax(table, write, buffer, lenp, ppos);
	if (*ppos) {
		*ppos += *lenp;
		return 0;
	}
	tmp.data = val;
	err = proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (err)
		return err;
	/* Fewer than three (0 is below the minimum), more, or unordered. */
	if (*lenp != len || !val[2] || val[0] > val[1] || val[1] > val[2])
		return -EINVAL;
	for (i = 0; i < 3; i++)
		WRITE_ONCE(mem[i], val[i]);
	return 0;
}

/*
 * rto_max_ms: from rto_min_ms (.extra1, the namespace's) but never below
 * one second, as Linux's tcp_rto_max_ms, up to 120 s.
 */
static int edu_proc_rto_max(EDU_CTL_CONST struct ctl_table *table, int write,
			    void *buffer, size_t *lenp, loff_t *ppos)
{
	struct ctl_table tmp = *table;
	int min = max(READ_ONCE(*(int *)table->extra1), edu_rto_max_floor);

	tmp.extra1 = &min;
	return proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
}

/*
 * congestion_control: the name of the algorithm new sockets start with,
 * as Linux's tcp_congestion_control; an unknown name gets ENOENT.
 */
static int edu_proc_cong(EDU_CTL_CONST struct ctl_table *table, int write,
			 void *buffer, size_t *lenp, loff_t *ppos)
{
	const struct edu_cong_ops **cong = table->data;
	const struct edu_cong_ops *ops;
	char name[TCP_CA_NAME_MAX];
	struct ctl_table tmp = {
		.data = name,
		.maxlen = sizeof(name),
	};
	int err;

	strscpy(name, READ_ONCE(*cong)->name, sizeof(name));
	err = proc_dostring(&tmp, write, buffer, lenp, ppos);
	if (err || !write)
		return err;
	ops = edu_cong_find(name);
	if (!ops)
		return -ENOENT;
	WRITE_ONCE(*cong, ops);
	return 0;
}

/* An int tunable of struct edu_sysctl, or an array of three (rmem, wmem). */
#define EDU_SYSCTL_INTS(name, n, handler, lo, hi) {			\
	.procname	= #name,					\
	.data		= &edu_sysctl_defaults.name,			\
	.maxlen		= (n) * sizeof(int),				\
	.mode		= 0644,						\
	.proc_handler	= handler,					\
	.extra1		= (void *)(lo),					\
	.extra2		= (void *)(hi),					\
}

#define EDU_SYSCTL_INT(name, handler, lo, hi) \
	EDU_SYSCTL_INTS(name, 1, handler, lo, hi)

/*
 * The template every namespace copies.  Pointers into edu_sysctl_defaults
 * are moved into the namespace's own struct edu_sysctl; the others (the
 * fixed bounds) stay.
 */
static const struct ctl_table edu_sysctl_table[] = {
	EDU_SYSCTL_INTS(rmem, 3, edu_proc_mem, SYSCTL_ONE, NULL),
	EDU_SYSCTL_INTS(wmem, 3, edu_proc_mem, SYSCTL_ONE, NULL),
	EDU_SYSCTL_INT(syn_retries, proc_dointvec_minmax, SYSCTL_ONE,
		       &edu_syn_retries_max),
	EDU_SYSCTL_INT(synack_retries, proc_dointvec_minmax, SYSCTL_ZERO,
		       &edu_u8_max),
	EDU_SYSCTL_INT(retries2, proc_dointvec_minmax, SYSCTL_ZERO,
		       &edu_u8_max),
	EDU_SYSCTL_INT(orphan_retries, proc_dointvec_minmax, SYSCTL_ZERO,
		       &edu_u8_max),
	EDU_SYSCTL_INT(fin_timeout, proc_dointvec_minmax, SYSCTL_ONE,
		       &edu_fin_timeout_max),
	EDU_SYSCTL_INT(keepalive_time, proc_dointvec_minmax, SYSCTL_ONE,
		       &edu_keepidle_max),
	EDU_SYSCTL_INT(keepalive_intvl, proc_dointvec_minmax, SYSCTL_ONE,
		       &edu_keepintvl_max),
	EDU_SYSCTL_INT(keepalive_probes, proc_dointvec_minmax, SYSCTL_ONE,
		       &edu_keepcnt_max),
	EDU_SYSCTL_INT(rto_min_ms, proc_dointvec_minmax, SYSCTL_ONE,
		       &edu_sysctl_defaults.rto_max_ms),
	EDU_SYSCTL_INT(rto_max_ms, edu_proc_rto_max,
		       &edu_sysctl_defaults.rto_min_ms, &edu_rto_max_max),
	EDU_SYSCTL_INT(delack_ms, proc_dointvec_minmax, SYSCTL_ONE,
		       &edu_delack_max),
	EDU_SYSCTL_INT(initial_cwnd, proc_dointvec_minmax, SYSCTL_ONE,
		       &edu_initial_cwnd_max),
	EDU_SYSCTL_INT(window_scaling, proc_dointvec_minmax, SYSCTL_ZERO,
		       SYSCTL_ONE),
	EDU_SYSCTL_INT(timestamps, proc_dointvec_minmax, SYSCTL_ZERO,
		       SYSCTL_ONE),
	EDU_SYSCTL_INT(moderate_rcvbuf, proc_dointvec_minmax, SYSCTL_ZERO,
		       SYSCTL_ONE),
	{
		.procname	= "congestion_control",
		.data		= &edu_sysctl_defaults.cong,
		.maxlen		= TCP_CA_NAME_MAX,
		.mode		= 0644,
		.proc_handler	= edu_proc_cong,
	},
	{ }	/* the end, for Linux before 6.6 */
};

/* @p if it points into edu_sysctl_defaults, moved to the same place in @s. */
static void *edu_sysctl_move(void *p, struct edu_sysctl *s)
{
	uintptr_t base = (uintptr_t)&edu_sysctl_defaults;
	uintptr_t addr = (uintptr_t)p;

	if (addr < base || addr >= base + sizeof(*s))
		return p;
	return (char *)s + (addr - base);
}

/**
 * edu_sysctl_net_init() - a namespace's tunables, with their defaults
 * @net: the namespace
 *
 * Return: 0, or -ENOMEM.
 */
int edu_sysctl_net_init(struct net *net)
{
	struct edu_net *en = edu_pernet(net);
	struct ctl_table *table;
	unsigned int i;

	en->sysctl = edu_sysctl_defaults;
	en->sysctl.cong = edu_cong_default();

	table = kmemdup(edu_sysctl_table, sizeof(edu_sysctl_table),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(edu_sysctl_table) - 1; i++) {
		table[i].data = edu_sysctl_move(table[i].data, &en->sysctl);
		table[i].extra1 = edu_sysctl_move(table[i].extra1, &en->sysctl);
		table[i].extra2 = edu_sysctl_move(table[i].extra2, &en->sysctl);
	}
	en->sysctl_hdr = edu_register_net_sysctl(net, "net/edu", table,
						 ARRAY_SIZE(edu_sysctl_table) - 1);
	if (!en->sysctl_hdr) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

/**
 * edu_sysctl_net_exit() - remove a namespace's /proc/sys/net/edu/
 * @net: the namespace
 */
void edu_sysctl_net_exit(struct net *net)
{
	struct edu_net *en = edu_pernet(net);
	const struct ctl_table *table = en->sysctl_hdr->ctl_table_arg;

	unregister_net_sysctl_table(en->sysctl_hdr);
	kfree(table);
}
