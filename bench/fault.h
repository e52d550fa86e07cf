/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fault workloads, `daxtool bench fault` and `daxtool bench
 * pmd-fault`: time the first touch of every 4 KiB page or 2 MiB window of
 * a target, then verify what each window was really mapped with. Two
 * entries of the runner's table (runner.h); their output is
 * fault-report.c's.
 */
#ifndef DAXTOOL_BENCH_FAULT_H
#define DAXTOOL_BENCH_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include "bench.h"
#include "pages.h"
#include "runner.h"

#define FAULT_MAX_PASSES 6	/* 3 page sizes, each touched and populated */

/* How a pass faults the mapping in. */
enum fault_method {
	FAULT_TOUCH,			/* every unit's first touch, timed */
	FAULT_MAP_POPULATE,		/* the mmap() call */
	FAULT_MADV_POPULATE_READ,	/* one madvise() per thread */
	FAULT_MADV_POPULATE_WRITE,
	FAULT_NR_METHODS
};
extern const char *const fault_method_names[];

struct fault_opts {
	struct bench_opts common;
	int page;			/* --page-size, an index */
	uint64_t page_sizes[3];		/* the passes, in order */
	unsigned nr_page_sizes;
	bool compare;			/* pmd-fault: the two side by side */
	int access;			/* enum bench_access, -1: default */
	/* --cold, --prewarm: the regime asked for; prewarming is the
	 * default where it applies (bench_prewarm_applies()) */
	bool populate, cold, prewarm, trace;
};

/* What a pass adds to each of its runs (struct bench_run). */
struct fault_run {
	double unit_ns;			/* mean first-touch latency (touch)
					   or runtime per unit (populate) */
	/* this run's samples alone (touch): what compare's interval over
	 * runs needs, where the pooled lat_ns would be too narrow */
	struct bench_run_lat lat;
	struct bench_pages pages;
};

/* One pass: one page size, one method, all its runs. */
struct fault_result {
	uint64_t page_size;
	enum fault_method method;
	enum bench_access access;
	unsigned nthreads, nruns;
	uint64_t units;			/* pages or windows touched, per run */
	uint64_t window;		/* verified in: 2 MiB, or 1 GiB */
	uint64_t windows;		/* whole windows */
	uint64_t units_per_window;
	char name[48];			/* "2M touch", "4K MAP_POPULATE" */
	char label[48];			/* "2M write pass", for progress */
	struct bench_samples lat;	/* nruns * units samples, ns */
	struct bench_lat stats;		/* over all runs */
	struct fault_run *runs;
	unsigned median, worst;		/* run indexes */
	struct bench_reasons why;	/* a 2 MiB pass that fell back */
};

struct fault_bench {
	const struct fault_opts *o;
	struct fault_result results[FAULT_MAX_PASSES];
	unsigned nr_results;
	/* the passes that could not run on this target, and why */
	struct {
		uint64_t page_size;
		char why[200];
	} skipped[3];
	unsigned nr_skipped;
	uint32_t *win_faults;		/* per window, the 4 KiB pass's */
	bool prewarm;			/* before each run */
};

extern const struct bench_workload bench_fault, bench_pmd_fault;

/* fault-report.c: the workload's part of the document */
void fault_report(const struct bench *b, const struct fault_bench *f);

#endif
