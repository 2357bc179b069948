// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of mod/seq.h, sequence arithmetic (RFC 9293 section 3.4),
 * compiled in userspace under ASan and UBSan.
 */
#include <stdint.h>

#include "kselftest_harness.h"
#include "../../mod/seq.h"

TEST(edu_seq_before__plain)
{
	EXPECT_TRUE(edu_seq_before(1, 2));
	EXPECT_FALSE(edu_seq_before(2, 1));
	EXPECT_FALSE(edu_seq_before(5, 5));
}

TEST(edu_seq_before__wraps)
{
	/* 0xfffffff0 comes just before 0x10 once the space wraps. */
	EXPECT_TRUE(edu_seq_before(0xfffffff0u, 0x10));
	EXPECT_FALSE(edu_seq_before(0x10, 0xfffffff0u));
	EXPECT_TRUE(edu_seq_after(0, UINT32_MAX));
}

TEST(edu_seq_before__half_space)
{
	/* Just under 2^31 apart still orders; the window never exceeds it. */
	EXPECT_TRUE(edu_seq_before(0, 0x7fffffffu));
	EXPECT_TRUE(edu_seq_after(0, 0x80000001u));
}

TEST(edu_seq_leq_geq__equal)
{
	EXPECT_TRUE(edu_seq_leq(7, 7));
	EXPECT_TRUE(edu_seq_geq(7, 7));
	EXPECT_TRUE(edu_seq_leq(UINT32_MAX, 0));
	EXPECT_FALSE(edu_seq_geq(UINT32_MAX, 0));
}

TEST(edu_seq_in_range__bounds)
{
	EXPECT_TRUE(edu_seq_in_range(100, 100, 200));
	EXPECT_TRUE(edu_seq_in_range(199, 100, 200));
	EXPECT_FALSE(edu_seq_in_range(200, 100, 200));
	EXPECT_FALSE(edu_seq_in_range(99, 100, 200));
	/* An empty range holds nothing. */
	EXPECT_FALSE(edu_seq_in_range(100, 100, 100));
}

TEST(edu_seq_in_range__wraps)
{
	EXPECT_TRUE(edu_seq_in_range(UINT32_MAX, 0xfffffff0u, 0x10));
	EXPECT_TRUE(edu_seq_in_range(0, 0xfffffff0u, 0x10));
	EXPECT_FALSE(edu_seq_in_range(0x10, 0xfffffff0u, 0x10));
	EXPECT_FALSE(edu_seq_in_range(0xffffffe0u, 0xfffffff0u, 0x10));
}

/* RFC 9293 3.10.7.4: zero length, zero window: only SEG.SEQ = RCV.NXT. */
TEST(edu_seq_acceptable__empty_segment_zero_window)
{
	EXPECT_TRUE(edu_seq_acceptable(1000, 0, 1000, 0));
	EXPECT_FALSE(edu_seq_acceptable(1001, 0, 1000, 0));
	EXPECT_FALSE(edu_seq_acceptable(999, 0, 1000, 0));
}

/* Zero length, open window: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND. */
TEST(edu_seq_acceptable__empty_segment_open_window)
{
	EXPECT_TRUE(edu_seq_acceptable(1000, 0, 1000, 10));
	EXPECT_TRUE(edu_seq_acceptable(1009, 0, 1000, 10));
	EXPECT_FALSE(edu_seq_acceptable(1010, 0, 1000, 10));
	EXPECT_FALSE(edu_seq_acceptable(999, 0, 1000, 10));
}

/* Data into a zero window is never acceptable. */
TEST(edu_seq_acceptable__data_zero_window)
{
	EXPECT_FALSE(edu_seq_acceptable(1000, 1, 1000, 0));
	EXPECT_FALSE(edu_seq_acceptable(1000, 100, 1000, 0));
}

/* Data with an open window: its first or its last byte in the window. */
TEST(edu_seq_acceptable__data_open_window)
{
	/* Starts inside. */
	EXPECT_TRUE(edu_seq_acceptable(1005, 100, 1000, 10));
	/* Starts before, ends inside: an old segment with new bytes. */
	EXPECT_TRUE(edu_seq_acceptable(990, 15, 1000, 10));
	/* Entirely old: last byte RCV.NXT-1. */
	EXPECT_FALSE(edu_seq_acceptable(990, 10, 1000, 10));
	/* Entirely beyond the window. */
	EXPECT_FALSE(edu_seq_acceptable(1010, 5, 1000, 10));
}

TEST(edu_seq_acceptable__wraps)
{
	EXPECT_TRUE(edu_seq_acceptable(2, 10, 0xfffffff0u, 100));
	EXPECT_TRUE(edu_seq_acceptable(0xffffffeeu, 10, 0xfffffff0u, 100));
	EXPECT_FALSE(edu_seq_acceptable(0xffffffe0u, 10, 0xfffffff0u, 100));
}

/* RFC 9293 3.4: SND.UNA < SEG.ACK =< SND.NXT. */
TEST(edu_ack_acceptable__bounds)
{
	EXPECT_FALSE(edu_ack_acceptable(100, 100, 200));
	EXPECT_TRUE(edu_ack_acceptable(101, 100, 200));
	EXPECT_TRUE(edu_ack_acceptable(200, 100, 200));
	EXPECT_FALSE(edu_ack_acceptable(201, 100, 200));
	EXPECT_TRUE(edu_ack_acceptable(5, UINT32_MAX - 5, 10));
}

TEST_HARNESS_MAIN
