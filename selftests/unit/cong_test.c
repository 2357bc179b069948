// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of mod/cong.h: RFC 5681's congestion window with Reno, and
 * RFC 6582's NewReno fast recovery, in userspace under ASan and UBSan.
 */
#include "kselftest_harness.h"
#include "../../mod/cong.h"

#define MSS	1000u
#define ISS	0xfffff000u	/* sequence numbers wrap during the tests */

static const struct edu_cong_ops reno = {
	.name		= "reno",
	.ssthresh	= edu_reno_ssthresh,
	.cong_avoid	= edu_reno_cong_avoid,
};

static struct edu_cc fresh(void)
{
	struct edu_cc cc;

	edu_cc_init(&cc, &reno, MSS, EDU_INIT_CWND_SEGS, ISS);
	return cc;
}

/* RFC 6928: ten segments; RFC 5681 3.1: ssthresh arbitrarily high. */
TEST(edu_cc_init__initial_window)
{
	struct edu_cc cc = fresh();

	EXPECT_EQ(10 * MSS, cc.cwnd);
	EXPECT_EQ(~0U, cc.ssthresh);
	EXPECT_EQ(EDU_CA_OPEN, cc.state);
}

/* The initial window the namespace's initial_cwnd asks for. */
TEST(edu_cc_init__configured_window)
{
	struct edu_cc cc;

	edu_cc_init(&cc, &reno, MSS, 4, ISS);
	EXPECT_EQ(4 * MSS, cc.cwnd);
	edu_cc_init(&cc, &reno, MSS, 1, ISS);
	EXPECT_EQ(MSS, cc.cwnd);
	EXPECT_EQ(ISS, cc.recover);
}

/* Slow start: the window grows by what is acknowledged. */
TEST(edu_reno_cong_avoid__slow_start)
{
	struct edu_cc cc = fresh();

	EXPECT_FALSE(edu_cc_ack(&cc, 2 * MSS, ISS + 2 * MSS, ISS + 10 * MSS,
				MSS, true));
	EXPECT_EQ(12 * MSS, cc.cwnd);
	/* A stretch ACK counts in full, as in Linux. */
	edu_cc_ack(&cc, 8 * MSS, ISS + 10 * MSS, ISS + 20 * MSS, MSS, true);
	EXPECT_EQ(20 * MSS, cc.cwnd);
}

/* Slow start stops at ssthresh; the rest counts toward avoidance. */
TEST(edu_reno_cong_avoid__up_to_ssthresh)
{
	struct edu_cc cc = fresh();

	cc.ssthresh = 11 * MSS;
	edu_reno_cong_avoid(&cc, 3 * MSS, MSS);
	EXPECT_EQ(11 * MSS, cc.cwnd);
	EXPECT_EQ(2 * MSS, cc.bytes_acked);
}

/* Congestion avoidance: one SMSS per window of acknowledged bytes. */
TEST(edu_reno_cong_avoid__one_segment_per_window)
{
	struct edu_cc cc = fresh();
	unsigned int i;

	cc.ssthresh = 10 * MSS;
	for (i = 0; i < 9; i++)
		edu_reno_cong_avoid(&cc, MSS, MSS);
	EXPECT_EQ(10 * MSS, cc.cwnd);
	edu_reno_cong_avoid(&cc, MSS, MSS);
	EXPECT_EQ(11 * MSS, cc.cwnd);
	EXPECT_EQ(0u, cc.bytes_acked);
	/* The next increase takes 11 segments' worth. */
	for (i = 0; i < 10; i++)
		edu_reno_cong_avoid(&cc, MSS, MSS);
	EXPECT_EQ(11 * MSS, cc.cwnd);
	edu_reno_cong_avoid(&cc, MSS, MSS);
	EXPECT_EQ(12 * MSS, cc.cwnd);
}

/* Equation (4): max(FlightSize / 2, 2 * SMSS). */
TEST(edu_reno_ssthresh__half_the_flight)
{
	struct edu_cc cc = fresh();

	EXPECT_EQ(10 * MSS, edu_reno_ssthresh(&cc, 20 * MSS, MSS));
	EXPECT_EQ(2 * MSS, edu_reno_ssthresh(&cc, 3 * MSS, MSS));
	EXPECT_EQ(2 * MSS, edu_reno_ssthresh(&cc, 0, MSS));
}

/* Only the third duplicate ACK starts fast retransmit (RFC 5681 3.2). */
TEST(edu_cc_dupack__third_starts_recovery)
{
	struct edu_cc cc = fresh();
	u32 una = ISS + 1 + 5 * MSS, nxt = una + 20 * MSS;

	cc.cwnd = 20 * MSS;
	EXPECT_FALSE(edu_cc_dupack(&cc, 1, una, nxt, 20 * MSS, MSS));
	EXPECT_FALSE(edu_cc_dupack(&cc, 2, una, nxt, 20 * MSS, MSS));
	EXPECT_EQ(20 * MSS, cc.cwnd);
	EXPECT_TRUE(edu_cc_dupack(&cc, 3, una, nxt, 20 * MSS, MSS));
	EXPECT_EQ(EDU_CA_RECOVERY, cc.state);
	EXPECT_EQ(10 * MSS, cc.ssthresh);
	EXPECT_EQ(13 * MSS, cc.cwnd);		/* ssthresh + 3 SMSS */
	EXPECT_EQ(nxt - 1, cc.recover);
	/* Step 4: inflation by one SMSS per further duplicate. */
	EXPECT_FALSE(edu_cc_dupack(&cc, 4, una, nxt, 20 * MSS, MSS));
	EXPECT_EQ(14 * MSS, cc.cwnd);
}

/* A partial ACK retransmits and deflates (RFC 6582 3.2 step 5). */
/*
 * RFC 7661: the window grows only while it limits the sender; in slow
 * start a flight of half the window is enough, in congestion avoidance it
 * must fill the window to within a segment.
 */
TEST(edu_cc_limited__validation)
{
	struct edu_cc cc = fresh();

	EXPECT_TRUE(edu_cc_limited(&cc, 5 * MSS, MSS));
	EXPECT_FALSE(edu_cc_limited(&cc, 4 * MSS, MSS));
	cc.ssthresh = 5 * MSS;
	EXPECT_TRUE(edu_cc_limited(&cc, 9 * MSS, MSS));
	EXPECT_FALSE(edu_cc_limited(&cc, 8 * MSS, MSS));
}

/* An application-limited sender's ACKs leave the window as it is. */
TEST(edu_cc_ack__app_limited)
{
	struct edu_cc cc = fresh();

	EXPECT_FALSE(edu_cc_ack(&cc, 2 * MSS, ISS + 2 * MSS, ISS + 2 * MSS,
				MSS, false));
	EXPECT_EQ(10 * MSS, cc.cwnd);
	edu_cc_ack(&cc, 2 * MSS, ISS + 4 * MSS, ISS + 4 * MSS, MSS, true);
	EXPECT_EQ(12 * MSS, cc.cwnd);
}

TEST(edu_cc_ack__partial_ack)
{
	struct edu_cc cc = fresh();
	u32 una = ISS + 1, nxt = una + 20 * MSS;

	edu_cc_dupack(&cc, 3, una, nxt, 20 * MSS, MSS);
	edu_cc_dupack(&cc, 4, una, nxt, 20 * MSS, MSS);	/* 14 SMSS */
	EXPECT_TRUE(edu_cc_ack(&cc, 4 * MSS, una + 4 * MSS, nxt, MSS, true));
	EXPECT_EQ(EDU_CA_RECOVERY, cc.state);
	EXPECT_EQ(11 * MSS, cc.cwnd);		/* 14 - 4 + 1 */
	/* Less than one SMSS acknowledged: no SMSS added back. */
	EXPECT_TRUE(edu_cc_ack(&cc, 100, una + 4 * MSS + 100, nxt, MSS, true));
	EXPECT_EQ(11 * MSS - 100, cc.cwnd);
}

/* The full ACK ends recovery: min(ssthresh, FlightSize + SMSS). */
TEST(edu_cc_ack__full_ack)
{
	struct edu_cc cc = fresh();
	u32 una = ISS + 1, nxt = una + 20 * MSS;

	edu_cc_dupack(&cc, 3, una, nxt, 20 * MSS, MSS);
	/* New data went out meanwhile: SND.NXT moved beyond recover. */
	EXPECT_FALSE(edu_cc_ack(&cc, 20 * MSS, nxt, nxt + 2 * MSS, MSS, true));
	EXPECT_EQ(EDU_CA_OPEN, cc.state);
	EXPECT_EQ(3 * MSS, cc.cwnd);		/* flight 2 SMSS + 1 */
	/* With a large flight, ssthresh bounds it. */
	cc = fresh();
	edu_cc_dupack(&cc, 3, una, nxt, 20 * MSS, MSS);
	edu_cc_ack(&cc, 20 * MSS, nxt, nxt + 30 * MSS, MSS, true);
	EXPECT_EQ(10 * MSS, cc.cwnd);
}

/*
 * Duplicate ACKs that do not cover more than "recover" come from the
 * last recovery: no second fast retransmit (RFC 6582 3.2 step 2).
 */
TEST(edu_cc_dupack__not_beyond_recover)
{
	struct edu_cc cc = fresh();
	u32 una = ISS + 1, nxt = una + 20 * MSS;

	edu_cc_timeout(&cc, true, nxt, 20 * MSS, MSS);
	edu_cc_ack(&cc, 5 * MSS, una + 5 * MSS, nxt, MSS, true);
	EXPECT_EQ(EDU_CA_LOSS, cc.state);
	cc.state = EDU_CA_OPEN;		/* as if slow start had moved on */
	EXPECT_FALSE(edu_cc_dupack(&cc, 3, una + 5 * MSS, nxt, 15 * MSS,
				   MSS));
	EXPECT_EQ(EDU_CA_OPEN, cc.state);
	/* Beyond recover, fast retransmit again. */
	EXPECT_TRUE(edu_cc_dupack(&cc, 3, nxt, nxt + 10 * MSS, 10 * MSS,
				  MSS));
}

/* A timeout: ssthresh from the flight, one segment, slow start. */
TEST(edu_cc_timeout__loss_window)
{
	struct edu_cc cc = fresh();
	u32 una = ISS + 1, nxt = una + 16 * MSS;

	edu_cc_timeout(&cc, true, nxt, 16 * MSS, MSS);
	EXPECT_EQ(MSS, cc.cwnd);
	EXPECT_EQ(8 * MSS, cc.ssthresh);
	EXPECT_EQ(EDU_CA_LOSS, cc.state);
	/* The backoff's next expiry keeps ssthresh (RFC 5681 3.1). */
	edu_cc_timeout(&cc, false, nxt, 16 * MSS, MSS);
	EXPECT_EQ(8 * MSS, cc.ssthresh);
	/* Slow start from one segment; recover acknowledged: open. */
	edu_cc_ack(&cc, MSS, una + MSS, nxt, MSS, true);
	EXPECT_EQ(2 * MSS, cc.cwnd);
	edu_cc_ack(&cc, 15 * MSS, nxt, nxt, MSS, true);
	EXPECT_EQ(EDU_CA_OPEN, cc.state);
	/* Slow start to ssthresh (6 SMSS), the other 9 SMSS in avoidance. */
	EXPECT_EQ(9 * MSS, cc.cwnd);
	EXPECT_EQ(1 * MSS, cc.bytes_acked);
}

/* A timeout ends fast recovery. */
TEST(edu_cc_timeout__during_recovery)
{
	struct edu_cc cc = fresh();
	u32 una = ISS + 1, nxt = una + 20 * MSS;

	edu_cc_dupack(&cc, 3, una, nxt, 20 * MSS, MSS);
	edu_cc_timeout(&cc, true, nxt, 20 * MSS, MSS);
	EXPECT_EQ(EDU_CA_LOSS, cc.state);
	EXPECT_EQ(MSS, cc.cwnd);
	/* Further duplicates do not inflate the loss window. */
	EXPECT_FALSE(edu_cc_dupack(&cc, 5, una, nxt, 20 * MSS, MSS));
	EXPECT_EQ(MSS, cc.cwnd);
}

/*
 * RFC 4015: a recovery found spurious is undone, the window and threshold
 * back to what they were; "recover" stays, so the duplicate ACKs still
 * coming start no new one.  Outside recovery there is nothing to undo.
 */
TEST(edu_cc_undo__spurious_recovery)
{
	struct edu_cc cc;
	u32 cwnd;

	edu_cc_init(&cc, &reno, MSS, 10, 0);
	cc.cwnd = 20 * MSS;
	cwnd = cc.cwnd;
	ASSERT_FALSE(edu_cc_undo(&cc));
	ASSERT_TRUE(edu_cc_dupack(&cc, 3, 1000, 1000 + 20 * MSS, 20 * MSS,
				  MSS));
	ASSERT_EQ(EDU_CA_RECOVERY, cc.state);
	ASSERT_GT(cwnd, cc.cwnd);
	ASSERT_TRUE(edu_cc_undo(&cc));
	ASSERT_EQ(EDU_CA_OPEN, cc.state);
	ASSERT_EQ(cwnd, cc.cwnd);
	ASSERT_EQ(~0U, cc.ssthresh);
	ASSERT_FALSE(edu_cc_undo(&cc));
	/* More duplicates of the same ACK: below "recover", no recovery. */
	ASSERT_FALSE(edu_cc_dupack(&cc, 3, 1000, 1000 + 20 * MSS, 20 * MSS,
				   MSS));
	ASSERT_EQ(EDU_CA_OPEN, cc.state);
}

TEST_HARNESS_MAIN
