/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `daxtool bench rw`: loads and stores over the mapping of a target, with
 * a choice of copy method and persistence method, and fio's names for
 * what it reports; `--fio` runs the same workload through fio beside it.
 * An entry of the runner's table (runner.h); its output is rw-report.c's.
 */
#ifndef DAXTOOL_BENCH_RW_H
#define DAXTOOL_BENCH_RW_H

#include <stdbool.h>
#include <stdint.h>

#include "bench.h"
#include "copy.h"
#include "fio.h"
#include "pages.h"
#include "runner.h"

/* The patterns, as fio names them. */
enum rw_pattern { RW_READ, RW_WRITE, RW_RANDREAD, RW_RANDWRITE, RW_RW,
		  RW_RANDRW, RW_NR };
extern const char *const rw_pattern_names[];	/* NULL-terminated */

struct rw_pattern_info {
	bool random, reads, writes;
};
extern const struct rw_pattern_info rw_patterns[RW_NR];

/* The two directions of fio's jobs[].read and .write. */
enum rw_dir { RW_DIR_READ, RW_DIR_WRITE, RW_NR_DIRS };
extern const char *const rw_dir_names[RW_NR_DIRS];

struct rw_opts {
	struct bench_opts common;
	int pattern;			/* enum rw_pattern */
	int page;			/* --page-size: an index; -1: the
					   largest the target allows */
	unsigned rwmixread;		/* percent of reads in rw/randrw */
	uint64_t bs;
	unsigned runtime_s, loops, ramp_s;
	uint64_t seed;
	const char *percentiles;	/* "50:99:99.9", fio's syntax; NULL:
					   fio's default list */
	const char *copy;		/* a copy method's name */
	int persist;			/* enum persist_method */
	bool no_prefault, no_lat;
	bool no_limit;			/* no streaming loop after the run */
	bool fio, fio_job;		/* run fio too / print its job */
	bool fio_cold;			/* fio without its warm-up */
};

/* What a thread did in one measured run. */
struct rw_tally {
	uint64_t digest;		/* of the offsets: FNV-1a */
	struct bench_samples lat[RW_NR_DIRS];
	uint64_t ops[RW_NR_DIRS], bytes[RW_NR_DIRS];
};

/* What a thread keeps beside its struct bench_thread. */
struct rw_thread {
	uint64_t rng;			/* the offsets */
	char *src, *dst;
	struct rw_tally *runs;		/* one a measured run */
	uint64_t sink;
	/* the streaming loop over its slice, after it */
	uint64_t limit_bytes[RW_NR_DIRS], limit_ns[RW_NR_DIRS];
	char *limit_buf;		/* for a limit that copies out */
};

/* One direction of a measured run, over its threads. */
struct rw_dir_run {
	uint64_t ops, bytes, runtime_ns;
	uint64_t bw;			/* bytes/s */
	double iops;
	struct bench_run_lat lat;	/* its samples alone */
};

struct rw_bench {
	const struct rw_opts *o;
	const struct copy_method *copy;
	struct bench_pcts pcts;		/* --percentiles */
	bool custom_pcts;		/* given, else fio's list */
	uint64_t nblocks;
	uint8_t *written;		/* per block: verified afterwards */
	uint64_t bad;			/* blocks that do not read back */
	struct rw_thread *th;
	/* the measured runs (--runs), the runner's first; the limit's come
	 * after them */
	unsigned nruns;
	struct rw_dir_run (*runs)[RW_NR_DIRS];
	unsigned median;		/* by bandwidth: the run jobs[] shows */
	uint64_t page_size;		/* mapped with, asked for */
	struct bench_pages pages;	/* what the mapping was made of */
	struct bench_reasons why;	/* where 2 MiB was asked and not got */
	struct fio_job fio_job;		/* the job fio measured */
	uint64_t fio_cold_ms;		/* its cold pass, before a warm job */
	struct fio_result fio;
	bool fio_ok;
	/* the limit: the streaming loop of each direction that ran, a run
	 * each after the run, in the same threads over the same mapping;
	 * NULL: not measured */
	const struct copy_method *limit[RW_NR_DIRS];
	char limit_label[RW_NR_DIRS][16];
};

extern const struct bench_workload bench_rw;

/* fio's engine for the target */
enum fio_engine rw_fio_engine(const struct bench_target *t);

/* rw-report.c: the workload's part of the document */
void rw_report(const struct bench *b, const struct rw_bench *r);

#endif
