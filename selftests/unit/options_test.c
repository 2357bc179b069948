// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of mod/options.c, TCP option parsing (RFC 9293 section 3.2,
 * MUST-4 to MUST-7), compiled in userspace under ASan and UBSan.  Option
 * bytes are copied into exactly-sized heap buffers so that ASan catches
 * any read past the option space.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../mod/options.h"

static int parse(const u8 *bytes, unsigned int len, bool syn,
		 struct edu_tcp_options *out)
{
	u8 *copy = malloc(len ? len : 1);
	int ret;

	if (len)
		memcpy(copy, bytes, len);
	ret = edu_options_parse(copy, len, syn, out);
	free(copy);
	return ret;
}

TEST(edu_options_parse__linux_syn)
{
	/* What Linux puts on a SYN: MSS, SACK-perm, TS, NOP, WS. */
	const u8 opt[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1,
			   0, 0, 0, 0, 1, 3, 3, 7 };
	struct edu_tcp_options o;

	ASSERT_EQ(0, parse(opt, sizeof(opt), true, &o));
	EXPECT_TRUE(o.saw_mss);
	EXPECT_EQ(1460, o.mss);
	EXPECT_TRUE(o.sack_ok);
	EXPECT_TRUE(o.saw_tstamp);
	EXPECT_EQ(1u, o.tsval);
	EXPECT_EQ(0u, o.tsecr);
	EXPECT_TRUE(o.saw_wscale);
	EXPECT_EQ(7, o.wscale);
}

/* SYN-only options mean nothing on other segments; timestamps do. */
TEST(edu_options_parse__syn_only_ignored_later)
{
	const u8 opt[] = { 2, 4, 0x05, 0xb4, 3, 3, 7, 4, 2,
			   8, 10, 0, 0, 0, 9, 0, 0, 0, 8 };
	struct edu_tcp_options o;

	ASSERT_EQ(0, parse(opt, sizeof(opt), false, &o));
	EXPECT_FALSE(o.saw_mss);
	EXPECT_FALSE(o.saw_wscale);
	EXPECT_FALSE(o.sack_ok);
	EXPECT_TRUE(o.saw_tstamp);
	EXPECT_EQ(9u, o.tsval);
	EXPECT_EQ(8u, o.tsecr);
}

TEST(edu_options_parse__empty)
{
	struct edu_tcp_options o;

	ASSERT_EQ(0, parse(NULL, 0, true, &o));
	EXPECT_FALSE(o.saw_mss);
}

/* MUST-6: an unknown option is skipped by its length. */
TEST(edu_options_parse__unknown_skipped)
{
	const u8 opt[] = { 99, 6, 1, 2, 3, 4, 2, 4, 0x02, 0x18 };
	struct edu_tcp_options o;

	ASSERT_EQ(0, parse(opt, sizeof(opt), true, &o));
	EXPECT_TRUE(o.saw_mss);
	EXPECT_EQ(536, o.mss);
}

/* EOL ends the list: what follows is padding, even if it looks valid. */
TEST(edu_options_parse__eol_stops)
{
	const u8 opt[] = { 0, 2, 4, 0x05, 0xb4 };
	struct edu_tcp_options o;

	ASSERT_EQ(0, parse(opt, sizeof(opt), true, &o));
	EXPECT_FALSE(o.saw_mss);
}

/* MUST-7: a zero length would loop forever; it is malformed. */
TEST(edu_options_parse__zero_length)
{
	const u8 opt[] = { 2, 0, 0, 0 };
	struct edu_tcp_options o;

	EXPECT_EQ(-EINVAL, parse(opt, sizeof(opt), true, &o));
}

TEST(edu_options_parse__length_one)
{
	const u8 opt[] = { 99, 1, 1, 1 };
	struct edu_tcp_options o;

	EXPECT_EQ(-EINVAL, parse(opt, sizeof(opt), true, &o));
}

/* An option running past the end of the option space is malformed. */
TEST(edu_options_parse__past_end)
{
	const u8 opt[] = { 1, 1, 8, 10, 0, 0, 0, 1 };
	struct edu_tcp_options o;

	EXPECT_EQ(-EINVAL, parse(opt, sizeof(opt), true, &o));
}

/* A kind byte with no room for its length byte is malformed. */
TEST(edu_options_parse__truncated_kind)
{
	const u8 opt[] = { 1, 1, 1, 2 };
	struct edu_tcp_options o;

	EXPECT_EQ(-EINVAL, parse(opt, sizeof(opt), true, &o));
}

/* A known kind with the wrong length is skipped, not believed. */
TEST(edu_options_parse__known_kind_wrong_length)
{
	const u8 opt[] = { 2, 3, 0x05, 1, 2, 4, 0x02, 0x18 };
	struct edu_tcp_options o;

	ASSERT_EQ(0, parse(opt, sizeof(opt), true, &o));
	EXPECT_EQ(536, o.mss);
}

/* RFC 7323 2.3: a shift count above 14 is used as 14. */
TEST(edu_options_parse__wscale_clamped)
{
	const u8 opt[] = { 3, 3, 15, 1 };
	struct edu_tcp_options o;

	ASSERT_EQ(0, parse(opt, sizeof(opt), true, &o));
	EXPECT_EQ(14, o.wscale);
}

TEST(edu_options_parse__too_long_space)
{
	u8 opt[EDU_MAX_OPTION_SPACE + 4];
	struct edu_tcp_options o;

	memset(opt, EDU_OPT_NOP, sizeof(opt));
	EXPECT_EQ(-EINVAL, parse(opt, sizeof(opt), true, &o));
	EXPECT_EQ(0, parse(opt, EDU_MAX_OPTION_SPACE, true, &o));
}

/* Every 4-byte option string: never a crash or out-of-bounds read. */
TEST(edu_options_parse__exhaustive_short)
{
	struct edu_tcp_options o;
	u8 opt[4];
	u32 v;

	for (v = 0; v < (1u << 24); v += 7) {
		opt[0] = v >> 16;
		opt[1] = v >> 8;
		opt[2] = v;
		opt[3] = 1;
		parse(opt, 4, true, &o);
		if (o.saw_wscale)
			ASSERT_LE(o.wscale, EDU_MAX_WSCALE);
	}
}

TEST(edu_options_write_syn__round_trip)
{
	struct edu_tcp_options o;
	u8 buf[EDU_MAX_OPTION_SPACE];
	unsigned int len;

	len = edu_options_write_syn(buf, 1460, -1, false, 0, 0);
	ASSERT_EQ(4u, len);
	ASSERT_EQ(0, parse(buf, len, true, &o));
	EXPECT_TRUE(o.saw_mss);
	EXPECT_EQ(1460, o.mss);
	EXPECT_FALSE(o.saw_wscale);
}

/* RFC 7323 section 2.2: MSS, then NOP and the window scale option. */
TEST(edu_options_write_syn__wscale)
{
	struct edu_tcp_options o;
	u8 buf[EDU_MAX_OPTION_SPACE];
	unsigned int len;
	int ws;

	for (ws = 0; ws <= 20; ws++) {
		len = edu_options_write_syn(buf, 1460, ws, false, 0, 0);
		ASSERT_EQ(8u, len);
		ASSERT_EQ(EDU_OPT_NOP, buf[4]);
		ASSERT_EQ(0, parse(buf, len, true, &o));
		EXPECT_TRUE(o.saw_mss);
		EXPECT_EQ(1460, o.mss);
		EXPECT_TRUE(o.saw_wscale);
		EXPECT_EQ(ws > EDU_MAX_WSCALE ? EDU_MAX_WSCALE : ws, o.wscale);
	}
}

/* RFC 7323 section 3.2: MSS, NOP NOP TS (12 bytes), NOP WS: 20 bytes. */
TEST(edu_options_write_syn__timestamps)
{
	struct edu_tcp_options o;
	u8 buf[EDU_MAX_OPTION_SPACE];
	unsigned int len;

	len = edu_options_write_syn(buf, 1460, 7, true, 0x01020304, 0xfffffffe);
	ASSERT_EQ(20u, len);
	ASSERT_EQ(0, parse(buf, len, true, &o));
	EXPECT_EQ(1460, o.mss);
	EXPECT_TRUE(o.saw_tstamp);
	EXPECT_EQ(0x01020304u, o.tsval);
	EXPECT_EQ(0xfffffffeu, o.tsecr);
	EXPECT_TRUE(o.saw_wscale);
	EXPECT_EQ(7, o.wscale);
}

/* On any segment: NOP NOP TS, parsed back on a SYN or not. */
TEST(edu_options_write_ts__round_trip)
{
	struct edu_tcp_options o;
	u8 buf[EDU_MAX_OPTION_SPACE];

	ASSERT_EQ((unsigned int)EDU_TS_SPACE,
		  edu_options_write_ts(buf, 0x80000001, 7));
	ASSERT_EQ(EDU_OPT_NOP, buf[0]);
	ASSERT_EQ(EDU_OPT_NOP, buf[1]);
	ASSERT_EQ(0, parse(buf, EDU_TS_SPACE, false, &o));
	EXPECT_TRUE(o.saw_tstamp);
	EXPECT_EQ(0x80000001u, o.tsval);
	EXPECT_EQ(7u, o.tsecr);
	EXPECT_FALSE(o.saw_mss);
}

TEST_HARNESS_MAIN
