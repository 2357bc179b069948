// SPDX-License-Identifier: GPL-2.0
/*
 * timer.c - the per-connection timers: retransmission (which also sends
 * zero-window probes and bounds an orphan's FIN-WAIT-2), delayed ACK and
 * keepalive (RFC 9293 section 3.8.4, on sk->sk_timer as in Linux).
 *
 * Each timer callback takes the socket's spinlock.  If the application owns
 * the socket at that moment, the callback tries again a little later rather
 * than working under its feet.  A pending timer holds a reference on the
 * socket (sk_reset_timer()), so the socket outlives its callbacks.
 */
#include <linux/timer.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "edu.h"
#include "trace.h"

#define EDU_TIMER_RETRY	(HZ / 50)	/* socket busy: try again */

/* Past the handshake: congestion control is running. */
static bool edu_synchronized(const struct sock *sk)
{
	return !((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV));
}

/* Give up on the connection: the peer is gone (MUST-20, MUST-22). */
static void edu_timeout(struct sock *sk)
{
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))
		edu_mib_inc(sock_net(sk), EDU_MIB_ATTEMPTFAILS);
	WRITE_ONCE(sk->sk_err, ETIMEDOUT);
	if (!sock_flag(sk, SOCK_DEAD))
		sk_error_report(sk);
	edu_done(sk);
}

/*
 * How often an orphan (closed by the application, still closing on the
 * wire) retransmits before it gives up: orphan_retries, whose 0 means 8
 * while the RTO is below its ceiling, as Linux's tcp_orphan_retries().
 * Nobody waits for an orphan, so it does not get retries2's quarter of an
 * hour.
 */
static unsigned int edu_orphan_retries(const struct sock *sk)
{
	unsigned int retries =
		READ_ONCE(edu_net_sysctl(sock_net(sk))->orphan_retries);

	if (!retries && edu_sk(sk)->tcb.rto < edu_rto_max(sk))
		return 8;
	return retries;
}

/*
 * TCP_USER_TIMEOUT (RFC 5482, RFC 9293 section 3.8.3's USER TIMEOUT): has
 * data stayed unacknowledged that long?  The clock starts when the oldest
 * unacknowledged data was first sent, taken as one RTO before its first
 * retransmission.  Return: jiffies left (0: expired), or ULONG_MAX if no
 * user timeout is set.
 */
static unsigned long edu_user_timeout_left(struct sock *sk)
{
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;
	unsigned long limit = msecs_to_jiffies(READ_ONCE(tcb->user_timeout));
	unsigned long spent;

	if (!tcb->user_timeout || !tcb->rtx_stamp)
		return tcb->user_timeout ? limit : ULONG_MAX;
	spent = jiffies - tcb->rtx_stamp;
	return spent >= limit ? 0 : limit - spent;
}

/*
 * A SYN-ACK timeout of a child whose peer completed the handshake without
 * data, which TCP_DEFER_ACCEPT keeps waiting (edu_defer_accept()), as
 * Linux's syn_ack_recalc(): the child is dropped, silently (the peer
 * learns of it by a RST to its first data), after the larger of the
 * deferral and *@limit timeouts; the SYN-ACK is not sent again before the
 * deferral's last timeout, so that the peer's answer to it can complete
 * the connection then.  Return: true to go on and resend the SYN-ACK, with
 * *@limit raised to the deferral; false if it was handled here.
 */
static bool edu_defer_timeout(struct sock *sk, unsigned int *limit)
{
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;

	*limit = max_t(unsigned int, *limit, tcb->defer_accept);
	if (tcb->retransmits >= *limit) {
		edu_done(sk);
		return false;
	}
	if (tcb->retransmits + 1 >= tcb->defer_accept)
		return true;
	tcb->retransmits++;
	tcb->rto = min_t(unsigned long, tcb->rto * 2, edu_rto_max(sk));
	sk_reset_timer(sk, &edu_sk(sk)->rtx_timer, jiffies + tcb->rto);
	return false;
}

/*
 * The retransmission timer expired (RFC 6298 section 5.4-5.6): resend what
 * is in flight (edu_retransmit_all()) and back off, RTO doubling up to
 * rto_max_ms (120 s).  Congestion control learns of the timeout first: the window falls
 * to one segment (RFC 5681 section 3.1), so the flight goes again in slow
 * start.
 * SYNs use the same procedure with their own retry limit (MUST-22).  The
 * limits are the namespace's tunables (syn_retries, synack_retries,
 * retries2, orphan_retries for orphans), whose names and defaults are
 * kernel TCP's, so that by default AF_EDU gives up when kernel TCP would;
 * R2 is counted in retransmissions, as Linux does.  With
 * TCP_USER_TIMEOUT set, that time replaces R2 for data (as in Linux), and
 * the timer never runs past it.
 */
static void edu_rtx_handler(struct sock *sk)
{
	const struct edu_sysctl *sysctl = edu_net_sysctl(sock_net(sk));
	struct edu_sock *esk = edu_sk(sk);
	struct edu_tcb *tcb = &esk->tcb;
	unsigned long left = ULONG_MAX;
	unsigned int limit;

	trace_edu_timer(sk, NULL, EDU_TIMER_RETRANSMIT);
	switch (sk->sk_state) {
	case TCP_CLOSE:
	case TCP_LISTEN:
		return;
	case TCP_FIN_WAIT2:
		/* An orphan waited long enough for the peer's FIN. */
		if (sock_flag(sk, SOCK_DEAD) && tcb->snd_una == tcb->snd_nxt) {
			edu_done(sk);
			return;
		}
		break;
	case TCP_SYN_SENT:
		limit = tcb->syn_retries ?: READ_ONCE(sysctl->syn_retries);
		goto check;
	case TCP_SYN_RECV:
		/*
		 * A child whose listener has closed is dropped at its next
		 * expiry, as Linux's reqsk_timer_handler() drops requests:
		 * nobody will accept it.
		 */
		if (esk->parent &&
		    READ_ONCE(esk->parent->sk_state) != TCP_LISTEN) {
			edu_done(sk);
			return;
		}
		limit = tcb->syn_retries ?: READ_ONCE(sysctl->synack_retries);
		if (tcb->defer_acked && !edu_defer_timeout(sk, &limit))
			return;
		goto check;
	}
	limit = sock_flag(sk, SOCK_DEAD) ? edu_orphan_retries(sk) :
		READ_ONCE(sysctl->retries2);
check:
	if (tcb->snd_una == tcb->snd_nxt && !esk->send_head)
		return;		/* everything acknowledged meanwhile */
	/* TCP_CORK or MSG_MORE held a short segment long enough. */
	if (edu_send_held(sk))
		return;
	/*
	 * The user timeout's clock: data (or SYN) in flight since it was
	 * first sent, or window probes since the first one went unanswered
	 * (an answer stops it, edu_rcv_ack()), as Linux's tcp_probe_timer().
	 */
	if (!tcb->rtx_stamp)
		tcb->rtx_stamp = (tcb->snd_una != tcb->snd_nxt ?
				  jiffies - tcb->rto : jiffies) ?: 1;
	left = edu_user_timeout_left(sk);
	if (left != ULONG_MAX)
		limit = UINT_MAX;
	if (tcb->retransmits >= limit || !left) {
		edu_timeout(sk);
		return;
	}
	edu_mib_inc(sock_net(sk), EDU_MIB_RTOEXPIRES);
	if (tcb->snd_una == tcb->snd_nxt) {
		/* A window too small for the next segment, nothing in flight. */
		if (!tcb->snd_wnd) {
			edu_mib_inc(sock_net(sk), EDU_MIB_ZEROWINDOWPROBES);
			tcb->stats.window_probes++;
		}
		edu_send_probe(sk);
	} else {
		u32 cwnd = tcb->cc.cwnd, ssthresh = tcb->cc.ssthresh;

		tcb->stats.rto_expiries++;
		if (edu_synchronized(sk))
			edu_cc_timeout(&tcb->cc, !tcb->retransmits,
				       tcb->snd_nxt, edu_in_flight(sk),
				       tcb->mss);
		trace_edu_cwnd(sk, cwnd, ssthresh, EDU_CWND_TIMEOUT);
		edu_retransmit_all(sk);
	}
	if (tcb->retransmits < U8_MAX)
		tcb->retransmits++;
	tcb->dupacks = 0;
	tcb->rto = min_t(unsigned long, tcb->rto * 2, edu_rto_max(sk));
	if (tcb->backoff < U8_MAX)
		tcb->backoff++;
	sk_reset_timer(sk, &esk->rtx_timer,
		       jiffies + min_t(unsigned long, tcb->rto, left));
}

/*
 * What every timer callback does: run @handler with the socket locked, or,
 * if the application owns the socket, try @timer again shortly.  Drops the
 * reference the pending timer held.
 */
static void edu_timer_run(struct sock *sk, struct timer_list *timer,
			  void (*handler)(struct sock *sk))
{
	bh_lock_sock(sk);
	if (sock_owned_by_user(sk))
		sk_reset_timer(sk, timer, jiffies + EDU_TIMER_RETRY);
	else
		handler(sk);
	bh_unlock_sock(sk);
	sock_put(sk);
}

static void edu_rtx_timer(struct timer_list *t)
{
	struct edu_sock *esk = from_timer(esk, t, rtx_timer);

	edu_timer_run(&esk->inet.sk, t, edu_rtx_handler);
}

static void edu_delack_handler(struct sock *sk)
{
	trace_edu_timer(sk, NULL, EDU_TIMER_DELACK);
	if (edu_sk(sk)->tcb.ack_pending && sk->sk_state != TCP_CLOSE)
		edu_send_ack(sk);
}

static void edu_delack_timer(struct timer_list *t)
{
	struct edu_sock *esk = from_timer(esk, t, delack_timer);

	edu_timer_run(&esk->inet.sk, t, edu_delack_handler);
}

/*
 * The socket's keepalive settings (TCP_KEEPIDLE, TCP_KEEPINTVL,
 * TCP_KEEPCNT), or the namespace's (keepalive_time, keepalive_intvl,
 * keepalive_probes), read at each use as Linux does.
 */
static unsigned long edu_keepalive_time(const struct sock *sk)
{
	const struct edu_tcb *tcb = &edu_sk(sk)->tcb;

	return (tcb->keepalive_time ?:
		READ_ONCE(edu_net_sysctl(sock_net(sk))->keepalive_time)) *
	       (unsigned long)HZ;
}

static unsigned long edu_keepalive_intvl(const struct sock *sk)
{
	const struct edu_tcb *tcb = &edu_sk(sk)->tcb;

	return (tcb->keepalive_intvl ?:
		READ_ONCE(edu_net_sysctl(sock_net(sk))->keepalive_intvl)) *
	       (unsigned long)HZ;
}

static unsigned int edu_keepalive_probes(const struct sock *sk)
{
	const struct edu_tcb *tcb = &edu_sk(sk)->tcb;

	return tcb->keepalive_probes ?:
	       READ_ONCE(edu_net_sysctl(sock_net(sk))->keepalive_probes);
}

/*
 * RFC 9293 section 3.8.4: a keepalive probe goes only when nothing is
 * outstanding and the connection has been idle for the interval (MUST-26);
 * one unanswered probe does not end it (MUST-29), only the configured
 * number of them (TCP_KEEPCNT) does, with ETIMEDOUT.  The probe is the
 * zero-window probe's segment, SND.UNA - 1, which any live peer ACKs.
 */
static void edu_keepalive_handler(struct sock *sk)
{
	struct edu_sock *esk = edu_sk(sk);
	struct edu_tcb *tcb = &esk->tcb;
	unsigned long idle, when;

	trace_edu_timer(sk, NULL, EDU_TIMER_KEEPALIVE);
	if (!sock_flag(sk, SOCK_KEEPOPEN) ||
	    !((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT |
				     TCPF_FIN_WAIT2)))
		return;
	when = edu_keepalive_time(sk);
	if (tcb->snd_una != tcb->snd_nxt || esk->send_head) {
		/* The retransmission timer watches the peer meanwhile. */
		sk_reset_timer(sk, &sk->sk_timer, jiffies + when);
		return;
	}
	idle = jiffies - tcb->rcv_tstamp;
	if (idle < when) {
		sk_reset_timer(sk, &sk->sk_timer, jiffies + when - idle);
		return;
	}
	if (tcb->probes_out >= edu_keepalive_probes(sk)) {
		edu_mib_inc(sock_net(sk), EDU_MIB_KEEPALIVETIMEOUTS);
		WRITE_ONCE(sk->sk_err, ETIMEDOUT);
		if (!sock_flag(sk, SOCK_DEAD))
			sk_error_report(sk);
		edu_done(sk);
		return;
	}
	edu_mib_inc(sock_net(sk), EDU_MIB_KEEPALIVEPROBES);
	edu_send_probe(sk);
	tcb->probes_out++;
	sk_reset_timer(sk, &sk->sk_timer, jiffies + edu_keepalive_intvl(sk));
}

static void edu_keepalive_timer(struct timer_list *t)
{
	struct sock *sk = from_timer(sk, t, sk_timer);

	edu_timer_run(sk, t, edu_keepalive_handler);
}

/* Start the keepalive clock if the state has a peer to probe. */
static void edu_keepalive_arm(struct sock *sk)
{
	if ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT |
				   TCPF_FIN_WAIT2))
		sk_reset_timer(sk, &sk->sk_timer,
			       jiffies + edu_keepalive_time(sk));
}

/**
 * edu_keepalive_reset() - (re)start the keepalive clock
 * @sk: the socket, locked
 *
 * Called when SO_KEEPALIVE is turned on, when the connection is
 * established, and when TCP_KEEPIDLE changes.
 */
void edu_keepalive_reset(struct sock *sk)
{
	if (sock_flag(sk, SOCK_KEEPOPEN))
		edu_keepalive_arm(sk);
}

/**
 * edu_keepalive_set() - SO_KEEPALIVE turned on or off (MUST-24)
 * @sk: the socket, locked by the socket core
 * @on: the new setting
 *
 * Keepalives are off by default (MUST-25): the socket core keeps the flag,
 * and calls this through struct proto, before it sets SOCK_KEEPOPEN: the
 * timer is armed here without looking at the flag (as tcp_set_keepalive()),
 * and the handler finds it set when the timer fires.
 */
void edu_keepalive_set(struct sock *sk, int on)
{
	if (on)
		edu_keepalive_arm(sk);
	else
		sk_stop_timer(sk, &sk->sk_timer);
}

/**
 * edu_timers_init() - set up a new socket's timers
 * @sk: the socket
 */
void edu_timers_init(struct sock *sk)
{
	timer_setup(&edu_sk(sk)->rtx_timer, edu_rtx_timer, 0);
	timer_setup(&edu_sk(sk)->delack_timer, edu_delack_timer, 0);
	timer_setup(&sk->sk_timer, edu_keepalive_timer, 0);
}

/**
 * edu_timers_stop() - cancel a closing socket's timers
 * @sk: the socket, locked
 *
 * A callback already running waits for the socket lock and then finds the
 * socket closed; the references of cancelled timers are dropped here.
 */
void edu_timers_stop(struct sock *sk)
{
	sk_stop_timer(sk, &edu_sk(sk)->rtx_timer);
	sk_stop_timer(sk, &edu_sk(sk)->delack_timer);
	sk_stop_timer(sk, &sk->sk_timer);
}

/**
 * edu_rtx_arm() - start the retransmission timer unless it runs
 * @sk: the socket, locked
 *
 * RFC 6298 section 5.1: started when a segment with data is sent and the
 * timer is not running; not restarted by further sends.
 */
void edu_rtx_arm(struct sock *sk)
{
	struct edu_sock *esk = edu_sk(sk);

	if (!timer_pending(&esk->rtx_timer))
		sk_reset_timer(sk, &esk->rtx_timer, jiffies + esk->tcb.rto);
}

/**
 * edu_delack_arm() - owe the peer an ACK, sent within delack_ms
 * @sk: the socket, locked
 *
 * RFC 9293 section 3.8.6.3: an ACK may be delayed, by less than 0.5 s
 * (MUST-40; delack_ms is at most 200 ms), so that it can ride on data or
 * a window update.
 */
void edu_delack_arm(struct sock *sk)
{
	struct edu_sock *esk = edu_sk(sk);
	unsigned int ms = READ_ONCE(edu_net_sysctl(sock_net(sk))->delack_ms);

	esk->tcb.ack_pending = true;
	if (!timer_pending(&esk->delack_timer))
		sk_reset_timer(sk, &esk->delack_timer,
			       jiffies + msecs_to_jiffies(ms));
}

/**
 * edu_ack_sent() - a segment carrying the current ACK went out
 * @sk: the socket, locked
 */
void edu_ack_sent(struct sock *sk)
{
	struct edu_tcb *tcb = &edu_sk(sk)->tcb;

	tcb->ack_pending = false;
	tcb->delack_segs = 0;
}
