/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the kernel's <linux/types.h>, so that the pure
 * parts of the module (mod/seq.h, mod/options.c) compile unchanged in the
 * unit tests.  The system header gives __u32, __be16...; the kernel-only
 * short names are added here.
 */
#ifndef _EDU_UNIT_LINUX_TYPES_H
#define _EDU_UNIT_LINUX_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#endif
