/* SPDX-License-Identifier: GPL-2.0 */
/*
 * seq.h - sequence number arithmetic, RFC 9293 section 3.4.
 *
 * Sequence numbers live in a 32-bit space that wraps, so "before" means
 * "less than, modulo 2^32": a is before b when b - a, taken as a signed
 * 32-bit number, is positive.  This holds while the two are less than 2^31
 * apart, which the window limits guarantee (RFC 9293 section 3.4, RFC 7323
 * section 2.3).
 *
 * Pure functions of their arguments: this header also compiles in userspace,
 * where selftests/unit/seq_test.c checks it under ASan and UBSan.
 */
#ifndef _EDU_SEQ_H
#define _EDU_SEQ_H

#include <linux/types.h>

/*
 * a < b in sequence space.  The subtraction is done unsigned (defined on
 * wrap) and only its result reinterpreted as signed.
 */
static inline bool edu_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

/* a > b in sequence space. */
static inline bool edu_seq_after(u32 a, u32 b)
{
	return edu_seq_before(b, a);
}

/* a <= b in sequence space. */
static inline bool edu_seq_leq(u32 a, u32 b)
{
	return !edu_seq_after(a, b);
}

/* a >= b in sequence space. */
static inline bool edu_seq_geq(u32 a, u32 b)
{
	return !edu_seq_before(a, b);
}

/*
 * low <= seq < high, for a range of fewer than 2^32 numbers starting at
 * low.  An empty range (low == high) contains nothing.
 */
static inline bool edu_seq_in_range(u32 seq, u32 low, u32 high)
{
	return seq - low < high - low;
}

/*
 * The segment acceptability test of RFC 9293 section 3.10.7.4 ("first
 * check sequence number"), its four cases:
 *
 *	len  wnd   test
 *	0    0     SEG.SEQ = RCV.NXT
 *	0    >0    RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
 *	>0   0     not acceptable
 *	>0   >0    RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
 *	           or RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND
 *
 * @seg_len counts SYN and FIN as one each, as SEG.LEN does.
 */
static inline bool edu_seq_acceptable(u32 seg_seq, u32 seg_len, u32 rcv_nxt,
				      u32 rcv_wnd)
{
	u32 rcv_end = rcv_nxt + rcv_wnd;

	if (!seg_len)
		return rcv_wnd ? edu_seq_in_range(seg_seq, rcv_nxt, rcv_end) :
				 seg_seq == rcv_nxt;
	if (!rcv_wnd)
		return false;
	return edu_seq_in_range(seg_seq, rcv_nxt, rcv_end) ||
	       edu_seq_in_range(seg_seq + seg_len - 1, rcv_nxt, rcv_end);
}

/*
 * An acceptable ACK acknowledges something sent and not yet acknowledged:
 * SND.UNA < SEG.ACK =< SND.NXT (RFC 9293 section 3.4).
 */
static inline bool edu_ack_acceptable(u32 seg_ack, u32 snd_una, u32 snd_nxt)
{
	return edu_seq_after(seg_ack, snd_una) && edu_seq_leq(seg_ack, snd_nxt);
}

#endif /* _EDU_SEQ_H */
