/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cong.h - congestion control: the congestion window of RFC 5681 and the
 * NewReno fast recovery of RFC 6582, behind a small table of operations.
 *
 * The state machine here is the part every algorithm shares: when to
 * enter fast recovery, how the window is inflated and deflated during it,
 * what a retransmission timeout does.  An algorithm (struct edu_cong_ops)
 * decides only how the window grows on new acknowledgments and how far it
 * falls on loss, as Linux's tcp_congestion_ops do; Reno is the first.
 *
 * Everything is in bytes, as in RFC 5681, and sequence numbers are
 * compared modulo 2^32.  The functions are pure (no socket, no clock): this
 * header also compiles in userspace, where selftests/unit/cong_test.c
 * drives it through the RFCs' scenarios under ASan and UBSan.
 */
#ifndef _EDU_CONG_H
#define _EDU_CONG_H

#include <linux/types.h>

#include "seq.h"

/*
 * The default initial window, in segments: RFC 6928 (ten segments, as
 * Linux's TCP_INIT_CWND).  The namespace's initial_cwnd sysctl sets it.
 */
#define EDU_INIT_CWND_SEGS	10U

/**
 * enum edu_ca_state - where the sender is in loss recovery
 * @EDU_CA_OPEN: no loss being repaired: slow start or congestion avoidance
 * @EDU_CA_RECOVERY: fast recovery after three duplicate ACKs (RFC 6582)
 * @EDU_CA_LOSS: after a retransmission timeout, until everything that was
 *	in flight then is acknowledged (RFC 5681 section 3.1, slow start
 *	from one segment)
 */
enum edu_ca_state {
	EDU_CA_OPEN,
	EDU_CA_RECOVERY,
	EDU_CA_LOSS,
};

/**
 * struct edu_cc - a connection's congestion state (RFC 5681 section 3.1)
 * @cwnd: congestion window, bytes
 * @ssthresh: slow start threshold, bytes
 * @bytes_acked: bytes acknowledged in congestion avoidance since the last
 *	increase (byte counting, RFC 5681 section 3.1 and RFC 3465)
 * @recover: RFC 6582 "recover": the highest sequence number sent when
 *	fast recovery or the timeout began
 * @state: enum edu_ca_state
 * @prior_cwnd: @cwnd when fast recovery began, for edu_cc_undo()
 * @prior_ssthresh: @ssthresh then
 * @ops: the algorithm
 */
struct edu_cc {
	u32 cwnd;
	u32 ssthresh;
	u32 bytes_acked;
	u32 recover;
	u8 state;
	u32 prior_cwnd;
	u32 prior_ssthresh;
	const struct edu_cong_ops *ops;
};

/**
 * struct edu_cong_ops - a congestion control algorithm
 * @name: its name, as TCP_CONGESTION and EDU_CC spell it
 * @ssthresh: the new slow start threshold after a loss, given the flight
 *	size (bytes in flight when the loss was detected)
 * @cong_avoid: grow the window for @acked newly acknowledged bytes,
 *	outside recovery
 */
struct edu_cong_ops {
	const char *name;
	u32 (*ssthresh)(const struct edu_cc *cc, u32 flight, u32 mss);
	void (*cong_avoid)(struct edu_cc *cc, u32 acked, u32 mss);
};

/*
 * Reno (RFC 5681).  On loss, ssthresh = max(FlightSize / 2, 2*SMSS),
 * equation (4).
 */
static inline u32 edu_reno_ssthresh(const struct edu_cc *cc, u32 flight,
				    u32 mss)
{
	return flight / 2 > 2 * mss ? flight / 2 : 2 * mss;
}

/*
 * Reno's growth (RFC 5681 section 3.1).  Below ssthresh, slow start: the
 * window grows by the bytes acknowledged (byte counting, RFC 3465; like
 * Linux, without the L limit, so that stretch ACKs from GRO or delayed ACKs
 * count in full), but not past ssthresh; what is left over counts toward
 * congestion avoidance.  There, one SMSS per window's worth of acknowledged
 * bytes: about one segment per round trip.
 */
static inline void edu_reno_cong_avoid(struct edu_cc *cc, u32 acked, u32 mss)
{
	if (cc->cwnd < cc->ssthresh) {
		u32 room = cc->ssthresh - cc->cwnd;
		u32 grow = acked < room ? acked : room;

		cc->cwnd += grow;
		acked -= grow;
		if (!acked)
			return;
	}
	cc->bytes_acked += acked;
	if (cc->bytes_acked >= cc->cwnd) {
		cc->bytes_acked -= cc->cwnd;
		cc->cwnd += mss;
	}
}

/**
 * edu_cc_init() - the state of a new connection
 * @cc: the state
 * @ops: the algorithm
 * @mss: the sender's MSS
 * @init_segs: the initial window in segments (EDU_INIT_CWND_SEGS unless
 *	configured otherwise)
 * @iss: the initial send sequence number (nothing recovered yet)
 *
 * RFC 5681 section 3.1: ssthresh starts "arbitrarily high"; the initial
 * window is @init_segs segments (ten by default, RFC 6928).
 */
static inline void edu_cc_init(struct edu_cc *cc,
			       const struct edu_cong_ops *ops, u32 mss,
			       u32 init_segs, u32 iss)
{
	cc->ops = ops;
	cc->cwnd = init_segs * mss;
	cc->ssthresh = ~0U;
	cc->bytes_acked = 0;
	cc->recover = iss;
	cc->state = EDU_CA_OPEN;
}

/**
 * edu_cc_dupack() - a duplicate ACK arrived
 * @cc: the state
 * @dupacks: duplicate ACKs in a row, this one included
 * @ack: SEG.ACK (= SND.UNA)
 * @snd_nxt: SND.NXT, the highest sequence number sent plus one
 * @flight: bytes in flight (SND.NXT - SND.UNA)
 * @mss: the sender's MSS
 *
 * RFC 6582 section 3.2.  The third duplicate ACK starts fast retransmit,
 * unless it does not cover more than "recover" (then the duplicates were
 * caused by the previous recovery's retransmissions, step 2).  The
 * window becomes ssthresh plus the three segments that left the network
 * (step 3).  Each further duplicate ACK means one more segment left:
 * the window is inflated by one SMSS (step 4).
 *
 * Return: true if the first unacknowledged segment must be retransmitted
 * now (fast retransmit).
 */
static inline bool edu_cc_dupack(struct edu_cc *cc, unsigned int dupacks,
				 u32 ack, u32 snd_nxt, u32 flight, u32 mss)
{
	if (cc->state == EDU_CA_RECOVERY) {
		cc->cwnd += mss;
		return false;
	}
	if (cc->state != EDU_CA_OPEN || dupacks != 3 ||
	    !edu_seq_after(ack, cc->recover))
		return false;
	cc->recover = snd_nxt - 1;
	cc->prior_cwnd = cc->cwnd;
	cc->prior_ssthresh = cc->ssthresh;
	cc->ssthresh = cc->ops->ssthresh(cc, flight, mss);
	cc->cwnd = cc->ssthresh + 3 * mss;
	cc->bytes_acked = 0;
	cc->state = EDU_CA_RECOVERY;
	return true;
}

/**
 * edu_cc_undo() - fast recovery was entered for nothing: take it back
 * @cc: the state
 *
 * The Eifel response (RFC 4015), as Linux's tcp_undo_cwnd_reduction():
 * when the segment retransmitted was not lost after all, only late (the
 * detection, RFC 3522, is the caller's), the window and threshold go
 * back to what they were before the recovery, and it ends.  "recover"
 * stays, so duplicate ACKs still on their way start no new recovery.
 *
 * Return: true if a recovery was undone.
 */
static inline bool edu_cc_undo(struct edu_cc *cc)
{
	if (cc->state != EDU_CA_RECOVERY)
		return false;
	if (cc->cwnd < cc->prior_cwnd)
		cc->cwnd = cc->prior_cwnd;
	if (cc->ssthresh < cc->prior_ssthresh)
		cc->ssthresh = cc->prior_ssthresh;
	cc->bytes_acked = 0;
	cc->state = EDU_CA_OPEN;
	return true;
}

/**
 * edu_cc_limited() - was the congestion window what held the sender back?
 * @cc: the state
 * @prior_flight: bytes in flight before the ACK
 * @mss: the sender's MSS
 *
 * Congestion window validation (RFC 7661), as Linux's
 * tcp_is_cwnd_limited(): the window grows only while it is used.  In slow
 * start, while the flight is at least half of it (enough for it to double
 * each round trip); in congestion avoidance, while the flight fills it to
 * within a segment.  An application that sends less leaves the window
 * where it is, rather than growing it without bound for a later burst.
 *
 * Return: true if the window may grow.
 */
static inline bool edu_cc_limited(const struct edu_cc *cc, u32 prior_flight,
				  u32 mss)
{
	if (cc->cwnd < cc->ssthresh)
		return prior_flight >= cc->cwnd / 2;
	return prior_flight + mss >= cc->cwnd;
}

/**
 * edu_cc_ack() - an ACK acknowledged new data
 * @cc: the state
 * @acked: bytes newly acknowledged
 * @ack: SEG.ACK, the new SND.UNA
 * @snd_nxt: SND.NXT
 * @mss: the sender's MSS
 * @grow: the window may grow (edu_cc_limited())
 *
 * RFC 6582 section 3.2 steps 5 and 6 in fast recovery: an ACK that covers
 * "recover" ends it, the window deflated to min(ssthresh, FlightSize +
 * SMSS) (option 1); a partial ACK means the next segment was lost too: it
 * is retransmitted, and the window deflated by the amount acknowledged,
 * plus one SMSS if that was at least one SMSS.  After a timeout, slow
 * start runs until "recover" is acknowledged.  Otherwise the algorithm
 * grows the window, if @grow.
 *
 * Return: true if the first unacknowledged segment must be retransmitted
 * now (a partial ACK).
 */
static inline bool edu_cc_ack(struct edu_cc *cc, u32 acked, u32 ack,
			      u32 snd_nxt, u32 mss, bool grow)
{
	u32 flight = snd_nxt - ack;

	switch (cc->state) {
	case EDU_CA_RECOVERY:
		if (edu_seq_after(ack, cc->recover)) {
			u32 full = (flight > mss ? flight : mss) + mss;

			cc->cwnd = cc->ssthresh < full ? cc->ssthresh : full;
			cc->state = EDU_CA_OPEN;
			return false;
		}
		cc->cwnd = cc->cwnd > acked ? cc->cwnd - acked : 0;
		if (acked >= mss)
			cc->cwnd += mss;
		if (cc->cwnd < mss)
			cc->cwnd = mss;
		return true;
	case EDU_CA_LOSS:
		if (edu_seq_after(ack, cc->recover))
			cc->state = EDU_CA_OPEN;
		break;
	}
	if (grow)
		cc->ops->cong_avoid(cc, acked, mss);
	return false;
}

/**
 * edu_cc_timeout() - the retransmission timer expired
 * @cc: the state
 * @first: true for the first expiry for this data (not a backoff)
 * @snd_nxt: SND.NXT
 * @flight: bytes in flight
 * @mss: the sender's MSS
 *
 * RFC 5681 section 3.1: ssthresh from equation (4), but only on the first
 * timeout for the same data (a segment retransmitted by the timer again
 * must not lower it further); the window falls to the loss window, one
 * segment.  Fast recovery, if it was running, is over (RFC 6582 section
 * 3.2 step 6 note: "recover" is set to the highest sequence sent).
 */
static inline void edu_cc_timeout(struct edu_cc *cc, bool first, u32 snd_nxt,
				  u32 flight, u32 mss)
{
	if (first && cc->state != EDU_CA_LOSS)
		cc->ssthresh = cc->ops->ssthresh(cc, flight, mss);
	cc->cwnd = mss;
	cc->bytes_acked = 0;
	cc->recover = snd_nxt - 1;
	cc->state = EDU_CA_LOSS;
}

#endif /* _EDU_CONG_H */
