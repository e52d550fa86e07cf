/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Why a mapping that asked for 2 MiB pages did not get them everywhere:
 * one sentence each, measured facts first, then what is known of the
 * target, then daxtool check's reasons for the very windows that fell
 * back (explain.c).
 */
#ifndef DAXTOOL_BENCH_EXPLAIN_H
#define DAXTOOL_BENCH_EXPLAIN_H

#include "pages.h"
#include "runner.h"

/* The reasons @p (of @run, NULL if none; the workload did @access) fell
 * back, into @out. */
void bench_explain(const struct bench *b, const struct bench_pages *p,
		   const struct bench_run *run, enum bench_access access,
		   struct bench_reasons *out);

#endif
