/* SPDX-License-Identifier: GPL-2.0 */
/*
 * options.h - TCP options: parsing what arrives, writing what we send.
 *
 * Pure code, no kernel state: options.c also compiles in userspace, where
 * selftests/unit/options_test.c runs it under ASan and UBSan.
 */
#ifndef _EDU_OPTIONS_H
#define _EDU_OPTIONS_H

#include <linux/types.h>

/* Option kinds and lengths (RFC 9293 section 3.2, RFC 7323, RFC 2018). */
#define EDU_OPT_EOL		0
#define EDU_OPT_NOP		1
#define EDU_OPT_MSS		2
#define EDU_OPT_WSCALE		3
#define EDU_OPT_SACK_PERM	4
#define EDU_OPT_SACK		5
#define EDU_OPT_TIMESTAMP	8

#define EDU_OPTLEN_MSS		4
#define EDU_OPTLEN_WSCALE	3
#define EDU_OPTLEN_SACK_PERM	2
#define EDU_OPTLEN_TIMESTAMP	10

/* NOP, NOP, timestamps: what every segment carries once they are on. */
#define EDU_TS_SPACE		12

/* The TCP header is at most 60 bytes, so options at most 40. */
#define EDU_MAX_OPTION_SPACE	40

/* RFC 7323 section 2.3: a shift count above 14 is used as 14. */
#define EDU_MAX_WSCALE		14

/**
 * struct edu_tcp_options - the options found in one segment
 * @mss: maximum segment size offered (valid if @saw_mss)
 * @wscale: window scale shift count, at most EDU_MAX_WSCALE
 * @tsval: timestamp value (valid if @saw_tstamp)
 * @tsecr: timestamp echo reply (valid if @saw_tstamp)
 * @saw_mss: an MSS option was present (SYN only)
 * @saw_wscale: a window scale option was present (SYN only)
 * @sack_ok: SACK-permitted was present (SYN only)
 * @saw_tstamp: a timestamp option was present
 */
struct edu_tcp_options {
	u16 mss;
	u8 wscale;
	u32 tsval;
	u32 tsecr;
	bool saw_mss;
	bool saw_wscale;
	bool sack_ok;
	bool saw_tstamp;
};

int edu_options_parse(const u8 *opt, unsigned int len, bool syn,
		      struct edu_tcp_options *out);
unsigned int edu_options_write_syn(u8 *buf, u16 mss, int wscale, bool ts,
				   u32 tsval, u32 tsecr);
unsigned int edu_options_write_ts(u8 *buf, u32 tsval, u32 tsecr);

#endif /* _EDU_OPTIONS_H */
