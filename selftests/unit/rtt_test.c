// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of mod/rtt.h, the RFC 6298 estimator, in userspace under ASan
 * and UBSan.
 */
#include "kselftest_harness.h"
#include "../../mod/rtt.h"

#define MS	1000u
#define G	4000u		/* a 4 ms clock */
#define INIT	(1000 * MS)
#define MIN	(200 * MS)
#define MAX	(120000 * MS)

static u32 rto(const struct edu_rtt *r)
{
	return edu_rtt_rto(r, G, INIT, MIN, MAX);
}

/* Section 2.1: before any sample, the initial RTO. */
TEST(edu_rtt_rto__no_sample)
{
	struct edu_rtt r = {};

	EXPECT_EQ(INIT, rto(&r));
}

/* Section 2.2: first sample R: SRTT = R, RTTVAR = R/2, RTO = R + 4R/2. */
TEST(edu_rtt_sample__first)
{
	struct edu_rtt r = {};

	edu_rtt_sample(&r, 100 * MS);
	EXPECT_EQ(100 * MS, r.srtt_us);
	EXPECT_EQ(50 * MS, r.rttvar_us);
	EXPECT_EQ(300 * MS, rto(&r));
}

/* Section 2.3: RTTVAR first (with the old SRTT), then SRTT. */
TEST(edu_rtt_sample__second)
{
	struct edu_rtt r = {};

	edu_rtt_sample(&r, 100 * MS);
	edu_rtt_sample(&r, 200 * MS);
	/* RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 37.5 + 25 */
	EXPECT_EQ(62500u, r.rttvar_us);
	/* SRTT = 7/8 * 100 + 1/8 * 200 = 112.5 */
	EXPECT_EQ(112500u, r.srtt_us);
	EXPECT_EQ(112500u + 4 * 62500u, rto(&r));
}

/* A steady RTT: RTTVAR decays, SRTT converges, RTO reaches the floor. */
TEST(edu_rtt_sample__steady_converges)
{
	struct edu_rtt r = {};
	int i;

	for (i = 0; i < 200; i++)
		edu_rtt_sample(&r, 10 * MS);
	EXPECT_EQ(10 * MS, r.srtt_us);
	EXPECT_LE(r.rttvar_us, 10u);
	EXPECT_EQ(MIN, rto(&r));	/* 10 ms + max(G, ~0) < 200 ms */
}

/* Section 2.3: the clock granularity bounds the variance term below. */
TEST(edu_rtt_rto__granularity)
{
	struct edu_rtt r = { .srtt_us = 300 * MS, .rttvar_us = 0,
			     .samples = 5 };

	EXPECT_EQ(300 * MS + G, rto(&r));
}

/* Section 2.5: a ceiling, and no overflow on huge samples. */
TEST(edu_rtt_rto__ceiling)
{
	struct edu_rtt r = {};

	edu_rtt_sample(&r, 0xf0000000u);
	EXPECT_EQ(MAX, rto(&r));
}

/* A zero sample (same-tick ACK) is legal and keeps RTO at the floor. */
TEST(edu_rtt_sample__zero)
{
	struct edu_rtt r = {};

	edu_rtt_sample(&r, 0);
	EXPECT_EQ(0u, r.srtt_us);
	EXPECT_EQ(MIN, rto(&r));
}

TEST_HARNESS_MAIN
