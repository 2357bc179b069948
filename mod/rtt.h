/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtt.h - the retransmission timeout estimator of RFC 6298.
 *
 * SRTT and RTTVAR in microseconds, updated from round-trip samples; RTO
 * derived from them.  Pure functions of their arguments: this header also
 * compiles in userspace, where selftests/unit/rtt_test.c checks it against
 * the RFC's formulas under ASan and UBSan.
 */
#ifndef _EDU_RTT_H
#define _EDU_RTT_H

#include <linux/types.h>

/**
 * struct edu_rtt - the estimator's state
 * @srtt_us: SRTT, the smoothed round-trip time
 * @rttvar_us: RTTVAR, the round-trip time variation
 * @samples: number of samples taken (0: no estimate yet)
 */
struct edu_rtt {
	u32 srtt_us;
	u32 rttvar_us;
	u32 samples;
};

/*
 * Take a round-trip sample R (RFC 6298 section 2.2 and 2.3).  The first
 * sets SRTT = R, RTTVAR = R/2; later ones, with alpha = 1/8, beta = 1/4:
 *
 *	RTTVAR <- (1 - beta) * RTTVAR + beta * |SRTT - R|
 *	SRTT   <- (1 - alpha) * SRTT + alpha * R
 *
 * RTTVAR is updated first, with the old SRTT, as the RFC specifies.  The
 * caller follows Karn's algorithm: no samples from retransmitted segments.
 */
static inline void edu_rtt_sample(struct edu_rtt *rtt, u32 r_us)
{
	u32 delta;

	if (!rtt->samples++) {
		rtt->srtt_us = r_us;
		rtt->rttvar_us = r_us / 2;
		return;
	}
	delta = rtt->srtt_us > r_us ? rtt->srtt_us - r_us : r_us - rtt->srtt_us;
	rtt->rttvar_us = rtt->rttvar_us - rtt->rttvar_us / 4 + delta / 4;
	rtt->srtt_us = rtt->srtt_us - rtt->srtt_us / 8 + r_us / 8;
}

/*
 * RTO = SRTT + max(G, K * RTTVAR), K = 4 (RFC 6298 section 2.3), within
 * [@min_us, @max_us]: RFC 6298 asks for at least one second (2.4); Linux,
 * and so AF_EDU, uses 200 ms, and 120 s as the ceiling (2.5).  Without a
 * sample, @init_us (section 2.1).
 */
static inline u32 edu_rtt_rto(const struct edu_rtt *rtt, u32 g_us,
			      u32 init_us, u32 min_us, u32 max_us)
{
	u64 rto;

	if (!rtt->samples)
		return init_us;
	rto = (u64)rtt->srtt_us +
	      ((u64)4 * rtt->rttvar_us > g_us ? (u64)4 * rtt->rttvar_us : g_us);
	if (rto < min_us)
		return min_us;
	return rto > max_us ? max_us : (u32)rto;
}

#endif /* _EDU_RTT_H */
