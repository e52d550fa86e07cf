/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fault workloads, `daxtool bench fault` and `daxtool bench
 * pmd-fault`: time the first touch of every 4 KiB page or 2 MiB window of
 * a target, then verify what each window was really mapped with.
 */
#ifndef DAXTOOL_BENCH_FAULT_H
#define DAXTOOL_BENCH_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include "bench.h"

#define FAULT_MAX_PASSES 4
#define FAULT_MAX_REASONS 16
/* fallback_windows lists at most this many offsets */
#define FAULT_MAX_LISTED 4096

struct fault_opts {
	const char *workload;		/* "fault", "pmd-fault" */
	const char *target;		/* NULL: the default */
	uint64_t size;			/* --size; 0: not given, the target's
					   default (0 itself is refused) */
	uint64_t page_sizes[2];		/* the passes, in order */
	unsigned nr_page_sizes;
	int access;			/* enum bench_access, -1: default */
	unsigned threads, runs;
	bool populate, prewarm, sparse, force, trace, json;
};

/* One thread of one run. */
struct fault_thread {
	int cpu;
	pid_t tid;
	uint64_t first, count;		/* the units it touches */
	uint64_t t0, t1;		/* clock at its start and end */
	uint64_t faults, major;		/* its own, getrusage */
	uint64_t lat_sum;		/* of its samples, ns */
	uintptr_t bus_addr;		/* where SIGBUS hit; 0: it did not */
	int err;			/* errno of MADV_POPULATE_* */
};

struct fault_run {
	uint64_t runtime_ns;
	uint64_t faults, major;
	double unit_ns;			/* mean first-touch latency (fault
					   mode) or runtime per unit */
	uint64_t pmd_windows;		/* by the method below */
	const char *method;		/* "touch", "smaps", "faults", NULL */
	bool touched;			/* the second-touch check ran: */
	uint64_t touch_windows;		/* the windows it found PMD-mapped */
	uint8_t *pmd;			/* per window, by second touch */
	int64_t thp_alloc, thp_fallback;	/* vmstat deltas; -1 unknown */
	struct bench_smaps smaps;
	bool traced;
	struct bench_trace_counts trace;
	struct fault_thread *threads;
};

/* One pass: one page size, one mode (touch or populate), all its runs. */
struct fault_result {
	uint64_t page_size;
	bool populate;
	const char *method;		/* "touch", "MAP_POPULATE", ... */
	enum bench_access access;
	unsigned nthreads, nruns;
	uint64_t units;			/* pages or windows touched, per run */
	uint64_t windows;		/* whole 2 MiB windows */
	uint64_t units_per_window;
	uint32_t *lat;			/* nruns * units samples, ns */
	struct bench_lat stats;		/* over all runs */
	struct fault_run *runs;
	unsigned median, worst;		/* run indexes */
	const char *pmd_method;		/* the worst run's method */
	char reasons[FAULT_MAX_REASONS][320];
	unsigned nr_reasons;
};

struct fault_bench {
	const struct fault_opts *o;
	struct dt_ctx *ctx;
	struct bench_target target;
	struct bench_env env;
	struct fault_result results[FAULT_MAX_PASSES];
	unsigned nr_results;
	/* passes that could not run on this target, and why */
	uint64_t skipped_page_size;
	const char *skipped_why;
	const char *trace_why;		/* --trace not possible: why */
};

/* Run the workload and print it; returns the exit status. */
int fault_bench(const struct fault_opts *o, struct dt_ctx *ctx);

/* fault-report.c */
void fault_report(struct fault_bench *b);

/*
 * explain.c: why the windows of a pass were not all PMD-mapped, one
 * sentence each in r->reasons; measured facts first.
 */
void explain_fallback(const struct fault_bench *b, struct fault_result *r);

#endif
