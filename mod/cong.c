// SPDX-License-Identifier: GPL-2.0
/*
 * cong.c - the congestion control algorithms AF_EDU offers.
 *
 * The shared machinery (RFC 5681's window, RFC 6582's fast recovery) is in
 * cong.h; this file holds the table of algorithms a connection can use and
 * their operations.  Reno is the only one yet, and the default; another
 * algorithm is added by writing its struct edu_cong_ops and listing it in
 * edu_cong_algos[].
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "edu.h"

static const struct edu_cong_ops edu_reno = {
	.name		= "reno",
	.ssthresh	= edu_reno_ssthresh,
	.cong_avoid	= edu_reno_cong_avoid,
};

/* Every algorithm; the first is the default. */
static const struct edu_cong_ops *const edu_cong_algos[] = {
	&edu_reno,
};

/**
 * edu_cong_default() - the algorithm a new connection starts with
 *
 * Return: its operations.
 */
const struct edu_cong_ops *edu_cong_default(void)
{
	return edu_cong_algos[0];
}

/**
 * edu_cong_find() - look an algorithm up by name
 * @name: a NUL-terminated name, as TCP_CONGESTION takes it
 *
 * Return: its operations, or NULL if there is none of that name.
 */
const struct edu_cong_ops *edu_cong_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(edu_cong_algos); i++)
		if (!strcmp(edu_cong_algos[i]->name, name))
			return edu_cong_algos[i];
	return NULL;
}
