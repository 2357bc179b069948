// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - instantiates the tracepoints declared in trace.h (TRACE_SYSTEM
 * edu): the one file that includes it with CREATE_TRACE_POINTS.
 */
#include "edu.h"

#define CREATE_TRACE_POINTS
#include "trace.h"
