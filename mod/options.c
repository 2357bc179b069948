// SPDX-License-Identifier: GPL-2.0
/*
 * options.c - TCP option parsing and writing, RFC 9293 section 3.2.
 *
 * Options may appear on any segment (MUST-5).  Unknown options carrying a
 * length are skipped (MUST-6).  A malformed length never makes the parser
 * read outside the option space (MUST-7): it stops and reports the space
 * malformed, keeping what it found before; the caller decides (as Linux,
 * the receive path then ignores the options and keeps the segment).
 * Options that only mean something on a SYN (MSS, window scale,
 * SACK-permitted) are ignored elsewhere, as Linux does (RFC 9293 section
 * 3.7.1, RFC 7323 section 2.2).
 */
#include <linux/errno.h>
#include <linux/types.h>

#include "options.h"

static u16 edu_get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static u32 edu_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* Record one option of known kind whose length was already checked. */
static void edu_option_record(const u8 *opt, bool syn,
			      struct edu_tcp_options *out)
{
	switch (opt[0]) {
	case EDU_OPT_MSS:
		if (!syn)
			break;
		out->mss = edu_get_be16(opt + 2);
		out->saw_mss = true;
		break;
	case EDU_OPT_WSCALE:
		if (!syn)
			break;
		out->wscale = opt[2] > EDU_MAX_WSCALE ? EDU_MAX_WSCALE : opt[2];
		out->saw_wscale = true;
		break;
	case EDU_OPT_SACK_PERM:
		if (syn)
			out->sack_ok = true;
		break;
	case EDU_OPT_TIMESTAMP:
		out->tsval = edu_get_be32(opt + 2);
		out->tsecr = edu_get_be32(opt + 6);
		out->saw_tstamp = true;
		break;
	}
}

/* The length a known option kind must have, or 0 for any length >= 2. */
static unsigned int edu_option_fixed_len(u8 kind)
{
	switch (kind) {
	case EDU_OPT_MSS:
		return EDU_OPTLEN_MSS;
	case EDU_OPT_WSCALE:
		return EDU_OPTLEN_WSCALE;
	case EDU_OPT_SACK_PERM:
		return EDU_OPTLEN_SACK_PERM;
	case EDU_OPT_TIMESTAMP:
		return EDU_OPTLEN_TIMESTAMP;
	}
	return 0;
}

/**
 * edu_options_parse() - parse the options of one TCP segment
 * @opt: the option bytes (after the 20-byte fixed header)
 * @len: their number, at most EDU_MAX_OPTION_SPACE
 * @syn: whether the segment carries SYN
 * @out: filled with what was found; cleared first
 *
 * A known option with the wrong length is skipped by its length field,
 * like an unknown one, as Linux does; only lengths that cannot be walked
 * (below 2, or past the end) make the option space malformed.
 *
 * Return: 0, or -EINVAL if the option space is malformed.
 */
int edu_options_parse(const u8 *opt, unsigned int len, bool syn,
		      struct edu_tcp_options *out)
{
	unsigned int i = 0;

	*out = (struct edu_tcp_options){};
	if (len > EDU_MAX_OPTION_SPACE)
		return -EINVAL;

	while (i < len) {
		unsigned int optlen, fixed;
		u8 kind = opt[i];

		if (kind == EDU_OPT_EOL)
			break;
		if (kind == EDU_OPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return -EINVAL;
		optlen = opt[i + 1];
		if (optlen < 2 || optlen > len - i)
			return -EINVAL;
		fixed = edu_option_fixed_len(kind);
		if (fixed && optlen == fixed)
			edu_option_record(opt + i, syn, out);
		i += optlen;
	}
	return 0;
}

static void edu_put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/**
 * edu_options_write_ts() - write the timestamps option, NOP-aligned
 * @buf: at least EDU_TS_SPACE bytes
 * @tsval: TSval, our clock
 * @tsecr: TSecr, the peer's TSval echoed (RFC 7323 section 3.2)
 *
 * Two NOPs in front keep the 10-byte option, and what follows it, on a
 * 4-byte boundary, as RFC 7323 appendix A suggests and Linux does.
 *
 * Return: EDU_TS_SPACE.
 */
unsigned int edu_options_write_ts(u8 *buf, u32 tsval, u32 tsecr)
{
	buf[0] = EDU_OPT_NOP;
	buf[1] = EDU_OPT_NOP;
	buf[2] = EDU_OPT_TIMESTAMP;
	buf[3] = EDU_OPTLEN_TIMESTAMP;
	edu_put_be32(buf + 4, tsval);
	edu_put_be32(buf + 8, tsecr);
	return EDU_TS_SPACE;
}

/**
 * edu_options_write_syn() - write the options of a SYN or SYN-ACK
 * @buf: at least EDU_MAX_OPTION_SPACE bytes
 * @mss: the MSS to offer (RFC 9293 section 3.7.1, MUST-14)
 * @wscale: the window scale shift to offer (RFC 7323 section 2.2), or -1
 *	for no window scale option
 * @ts: whether to offer timestamps (RFC 7323 section 3.2)
 * @tsval: TSval, if @ts
 * @tsecr: TSecr, if @ts: 0 in a SYN, the SYN's TSval in a SYN-ACK
 *
 * The window scale option is 3 bytes; a NOP in front of it keeps the
 * options a multiple of 4 long, as the data offset requires.
 *
 * Return: the number of bytes written, a multiple of 4.
 */
unsigned int edu_options_write_syn(u8 *buf, u16 mss, int wscale, bool ts,
				   u32 tsval, u32 tsecr)
{
	unsigned int len = 0;

	buf[len++] = EDU_OPT_MSS;
	buf[len++] = EDU_OPTLEN_MSS;
	buf[len++] = mss >> 8;
	buf[len++] = mss & 0xff;
	if (ts)
		len += edu_options_write_ts(buf + len, tsval, tsecr);
	if (wscale >= 0) {
		buf[len++] = EDU_OPT_NOP;
		buf[len++] = EDU_OPT_WSCALE;
		buf[len++] = EDU_OPTLEN_WSCALE;
		buf[len++] = wscale > EDU_MAX_WSCALE ? EDU_MAX_WSCALE : wscale;
	}
	return len;
}
