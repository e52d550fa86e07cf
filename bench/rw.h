/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `daxtool bench rw`: loads and stores over the mapping of a target, with
 * a choice of copy method and persistence method, and fio's names for
 * what it reports; `--fio` runs the same workload through fio beside it.
 */
#ifndef DAXTOOL_BENCH_RW_H
#define DAXTOOL_BENCH_RW_H

#include <stdbool.h>
#include <stdint.h>

#include "bench.h"
#include "copy.h"

enum rw_pattern { RW_READ, RW_WRITE, RW_RANDREAD, RW_RANDWRITE, RW_RW,
		  RW_RANDRW, RW_NR };
extern const char *const rw_pattern_names[];	/* fio's names */

struct rw_opts {
	const char *target;
	int pattern;			/* enum rw_pattern */
	unsigned rwmixread;		/* percent of reads in rw/randrw */
	uint64_t bs;
	uint64_t size;			/* --size; 0: not given, as in fault.h */
	unsigned threads;
	unsigned runtime_s, loops, ramp_s;
	uint64_t seed;
	const char *percentiles;	/* "50:99:99.9", fio's syntax; NULL:
					   fio's default list */
	const char *copy;		/* a copy method's name */
	int persist;			/* enum persist_method */
	bool no_prefault, no_lat, force, sparse, json;
	bool fio, fio_job;		/* run fio too / print its job */
};

/* Run the workload and print it; returns an exit status. */
int rw_bench(const struct rw_opts *o, struct dt_ctx *ctx);

#endif
