/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `daxtool bench latency`: load-to-use latency over the mapping of a
 * target, by a dependent-load pointer chase (chase.h). An entry of the
 * runner's table (runner.h); its output is latency-report.c's.
 *
 * A pass is one page size (4 KiB, 2 MiB), verified afterwards as every
 * workload's are (pages.h). Its first run is the idle curve: working sets
 * swept from --min-ws to --max-ws, one chasing thread. With --loaded, the
 * pass has a run per delay of --delays: the chase over the first
 * --loaded-ws bytes while the other threads make read, write or mixed
 * traffic over the rest of the target, each waiting that long after every
 * 64-byte access, from full speed (delay 0) towards idle.
 */
#ifndef DAXTOOL_BENCH_LATENCY_H
#define DAXTOOL_BENCH_LATENCY_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "bench.h"
#include "chase.h"
#include "pages.h"
#include "runner.h"

#define LAT_MAX_PASSES	3	/* 4 KiB, 2 MiB, 1 GiB */
#define LAT_MAX_SIZES	64	/* working sets of a sweep */
#define LAT_MAX_DELAYS	32
/* loads timed per repeat, at most, unless --max-loads says otherwise: a
 * partial lap is still a random sample of the lines */
#define LAT_MAX_LOADS	((uint64_t)1 << 20)

struct lat_opts {
	struct bench_opts common;
	int page;			/* --page-size: an index; LAT_PAGE_ALL */
	unsigned threads;		/* --threads as given; 0: the default */
	uint64_t min_ws, max_ws;	/* 0: the default */
	uint64_t stride, group, max_loads, seed;
	unsigned repeats;
	bool loaded;
	int traffic;			/* enum chase_traffic_kind */
	const char *delays;		/* "0,100,1000", ns */
	uint64_t loaded_ws;		/* 0: half the target */
	bool no_chart;
};

/* One point of the loaded curve. */
struct lat_point {
	uint64_t delay_ns;		/* asked, after every access */
	uint64_t delay_spins;		/* what waits that long here */
	struct chase_result chase;
	uint64_t bytes;			/* the traffic moved, all threads */
	uint64_t ns;			/* over the longest thread's time */
	double bw;			/* bytes / s; NaN: no traffic ran */
};

/* One page size. */
struct lat_pass {
	uint64_t page_size;
	char label[32];			/* "4K pages" */
	struct chase_result idle[LAT_MAX_SIZES];
	unsigned nidle;
	struct lat_point loaded[LAT_MAX_DELAYS];
	/* what the mapping was made of: the run with the fewest windows of
	 * the page size asked for */
	struct bench_pages pages;
	bool verified;			/* pages holds a run's */
	struct bench_reasons why;	/* 2 MiB asked, not got: why */
};

struct lat_bench {
	const struct lat_opts *o;
	struct chase_opts copts;
	size_t sizes[LAT_MAX_SIZES];	/* the idle sweep */
	unsigned nsizes;
	uint64_t delays[LAT_MAX_DELAYS];	/* ns */
	unsigned ndelays;
	uint64_t min_ws, max_ws, loaded_ws;	/* as used */
	double ns_per_spin;		/* the delay's calibration */
	struct lat_pass passes[LAT_MAX_PASSES];
	unsigned npasses;
	/* the page sizes the target cannot run, and why */
	struct {
		uint64_t page_size;
		char why[200];
	} skipped[LAT_MAX_PASSES];
	unsigned nskipped;
	/* a loaded run as it goes */
	struct chase chase;
	struct chase_traffic_result *traffic;	/* per thread */
	atomic_uint started;
};

extern const struct bench_workload bench_latency;

/* latency-report.c: the workload's part of the document */
void lat_report(const struct bench *b, const struct lat_bench *l);

#endif
