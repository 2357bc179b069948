// SPDX-License-Identifier: GPL-2.0
/*
 * mib.c - /proc/net/edu_snmp: the counters of a namespace, in the two-line
 * "Name: fields" / "Name: values" format of /proc/net/snmp.  Names are
 * Linux's TCP MIB names where one exists.  Documentation/observability.rst
 * says what each one counts.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/tcp_states.h>

#include "edu.h"

static const char * const edu_mib_names[__EDU_MIB_MAX] = {
	[EDU_MIB_ACTIVEOPENS]		= "ActiveOpens",
	[EDU_MIB_PASSIVEOPENS]		= "PassiveOpens",
	[EDU_MIB_ATTEMPTFAILS]		= "AttemptFails",
	[EDU_MIB_ESTABRESETS]		= "EstabResets",
	[EDU_MIB_CURRESTAB]		= "CurrEstab",
	[EDU_MIB_INSEGS]		= "InSegs",
	[EDU_MIB_OUTSEGS]		= "OutSegs",
	[EDU_MIB_RETRANSSEGS]		= "RetransSegs",
	[EDU_MIB_INERRS]		= "InErrs",
	[EDU_MIB_OUTRSTS]		= "OutRsts",
	[EDU_MIB_INCSUMERRORS]		= "InCsumErrors",
	[EDU_MIB_RTOEXPIRES]		= "RtoExpires",
	[EDU_MIB_OFODROP]		= "OfoDrop",
	[EDU_MIB_RCVQDROP]		= "RcvQDrop",
	[EDU_MIB_BACKLOGDROP]		= "BacklogDrop",
	[EDU_MIB_LISTENOVERFLOWS]	= "ListenOverflows",
	[EDU_MIB_NOROUTE]		= "NoRoute",
	[EDU_MIB_TIMEWAITS]		= "TimeWaits",
	[EDU_MIB_ABORTONDATA]		= "AbortOnData",
	[EDU_MIB_KEEPALIVEPROBES]	= "KeepAliveProbes",
	[EDU_MIB_KEEPALIVETIMEOUTS]	= "KeepAliveTimeouts",
	[EDU_MIB_OFOQUEUE]		= "OfoQueue",
	[EDU_MIB_OFOPRUNED]		= "OfoPruned",
	[EDU_MIB_FASTRETRANS]		= "FastRetrans",
	[EDU_MIB_PARTIALACKS]		= "PartialAcks",
	[EDU_MIB_ZEROWINDOWPROBES]	= "ZeroWindowProbes",
	[EDU_MIB_RECOVERYUNDO]		= "RecoveryUndo",
};

/*
 * CurrEstab, as Linux's TCP MIB (RFC 4022 tcpCurrEstab): the connections
 * of the namespace in ESTABLISHED or CLOSE-WAIT right now, children not
 * yet accepted included.  A gauge, so it is counted here, at read time,
 * from the namespace's socket list, rather than kept up to date on every
 * state change.
 */
static long edu_curr_estab(struct edu_net *en)
{
	struct edu_sock *esk;
	long n = 0;

	spin_lock_bh(&en->sk_list_lock);
	list_for_each_entry(esk, &en->sk_list, net_node)
		if ((1 << inet_sk_state_load(&esk->inet.sk)) &
		    (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT))
			n++;
	spin_unlock_bh(&en->sk_list_lock);
	return n;
}

static int edu_snmp_show(struct seq_file *seq, void *v)
{
	/* A single_open_net() file: private is the namespace itself. */
	struct edu_net *en = edu_pernet(seq->private);
	int i;

	seq_puts(seq, "Edu:");
	for (i = 0; i < __EDU_MIB_MAX; i++)
		seq_printf(seq, " %s", edu_mib_names[i]);
	seq_puts(seq, "\nEdu:");
	for (i = 0; i < __EDU_MIB_MAX; i++)
		seq_printf(seq, " %ld", i == EDU_MIB_CURRESTAB ?
			   edu_curr_estab(en) : atomic_long_read(&en->mib[i]));
	seq_putc(seq, '\n');
	return 0;
}

/**
 * edu_mib_net_init() - create /proc/net/edu_snmp in a namespace
 * @net: the namespace
 *
 * Return: 0 or -ENOMEM.
 */
int edu_mib_net_init(struct net *net)
{
	if (!proc_create_net_single("edu_snmp", 0444, net->proc_net,
				    edu_snmp_show, NULL))
		return -ENOMEM;
	return 0;
}

/**
 * edu_mib_net_exit() - remove /proc/net/edu_snmp from a namespace
 * @net: the namespace
 */
void edu_mib_net_exit(struct net *net)
{
	remove_proc_entry("edu_snmp", net->proc_net);
}
