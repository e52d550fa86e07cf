/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The benchmark runner, in the shape of perf's bench/mem-functions.c. A
 * workload is a table entry, struct bench_workload: its name, its option
 * table and their defaults, and a few hooks. bench_run() does everything
 * else, the same way for every workload:
 *
 *   the options     the workload's table; the checks of the options all
 *                   workloads take, then its check()
 *   the target      opened as check() asked (b->topen)
 *   setup()         the passes and their runs, the regime
 *   each run        prepare() maps and cuts the units into slices
 *                   (bench_split); the threads, pinned from the affinity
 *                   mask, start together at a barrier, each running body()
 *                   under the SIGBUS guard, with progress on a terminal
 *                   and the run's faults, /proc/vmstat and trace counts
 *                   taken around them; finish() verifies and unmaps
 *   summarise()     statistics, explanations, what comes after the runs
 *   the document    target, report(), env: text or JSON, one print layer
 *
 * and throughout: what was created is removed on every way out, SIGINT
 * and SIGTERM say what was interrupted, and the exit status says whether
 * the page size asked for was got (--fail-on-fallback).
 */
#ifndef DAXTOOL_BENCH_RUNNER_H
#define DAXTOOL_BENCH_RUNNER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "daxtool/parse-options.h"
#include "bench.h"
#include "pages.h"

/* The options every workload takes, inside each workload's own. */
struct bench_opts {
	const char *target;		/* NULL: the default */
	uint64_t size;			/* --size, where @size_given */
	bool size_given;
	unsigned threads;
	unsigned runs;			/* --runs, where the workload takes it;
					   1 otherwise */
	bool sparse, force, fail_on_fallback, json;
};

/* Their table entries, for the workloads' tables. */
#define BENCH_OPT_SIZE(o)						\
	OPT_SIZE_GIVEN('s', "size", &(o).size, &(o).size_given, "SIZE",	\
		       "bytes to map (default: a device or file whole, else 256M)")
#define BENCH_OPT_THREADS(o, help)					\
	OPT_UINT('t', "threads", &(o).threads, "N", help)
#define BENCH_OPT_RUNS(o)						\
	OPT_UINT('r', "runs", &(o).runs, "N",				\
		 "run N times; print min/median/max")
#define BENCH_OPT_SPARSE(o)						\
	OPT_BOOLEAN(0, "sparse", &(o).sparse,				\
		    "a file daxtool creates: do not fallocate it")
#define BENCH_OPT_FORCE(o)						\
	OPT_BOOLEAN(0, "force", &(o).force,				\
		    "allow writing to an existing file or device")
#define BENCH_OPT_FAIL_ON_FALLBACK(o)					\
	OPT_BOOLEAN(0, "fail-on-fallback", &(o).fail_on_fallback,	\
		    "exit 1 if a window that asked for 2 MiB got 4 KiB pages")
#define BENCH_OPT_JSON(o)						\
	OPT_BOOLEAN('j', "json", &(o).json, "print JSON")

/* The end of every workload's usage: its exit status, a paragraph. */
#define BENCH_USAGE_EXIT						\
	"",								\
	"Exit status: 0 success; 1 failure, and with --fail-on-fallback a",	\
	"window that asked for 2 MiB pages and got 4 KiB pages (the output",	\
	"is printed whole first); 2 usage error; 130 interrupted by Ctrl-C",	\
	"(what was done is said on stderr, nothing else printed)."

/* One thread of a run. */
struct bench_thread {
	unsigned index;
	int cpu;			/* pinned to; -1: not pinned */
	pid_t tid;
	uint64_t first, count;		/* its slice of the units */
	uint64_t t0, t1;		/* its timed part: the runner brackets
					   body(), which may start t0 later */
	uint64_t faults, major;		/* its own, over body() (getrusage) */
	uint64_t lat_sum;		/* its samples add up to this, ns */
	_Atomic uint64_t done;		/* units done, for progress */
	uintptr_t bus_addr;		/* where SIGBUS hit; 0: it did not */
	int err;			/* an errno body() met */
};

/* One run of a pass. */
struct bench_run {
	unsigned pass, index;
	const char *label;		/* "2M write pass", for progress */
	bool done;			/* prepare() ran it: no threads */
	bool keep_map;			/* the next run uses the mapping as
					   this one leaves it (prepare() says) */
	/* threads that wait on each other stop when this is set: by a body
	 * (bench latency's chase, when it is done with the traffic), and by
	 * the runner when a thread's body ended on SIGBUS */
	atomic_bool stop;
	uint64_t units;			/* in all, for progress; 0: unknown, */
	uint64_t unit_bytes;		/* then bytes moved are shown */
	unsigned nthreads;
	struct bench_thread *threads;
	uint64_t runtime_ns;		/* first start to last end */
	uint64_t faults, major;		/* over the threads */
	int64_t thp_alloc, thp_fallback;	/* /proc/vmstat; -1 unknown */
	int64_t vmstat0[2];
	bool traced;			/* the fs_dax tracepoints counted: */
	struct bench_trace_counts trace;
};

/* A window that asked for 2 MiB pages and did not get one: the first pass
 * it happened in, and how many in all. */
struct bench_fallback {
	uint64_t windows, of;
	char label[48];
};

struct bench_workload;

/* A benchmark as it runs: what the hooks get. */
struct bench {
	const struct bench_workload *w;
	const struct bench_opts *o;
	struct dt_ctx *ctx;
	struct bench_target_opts topen;	/* check() says how to open it */
	struct bench_target target;
	enum bench_access access;	/* what the workload does to it */
	struct bench_env env;
	int cpus[CPU_SETSIZE];		/* the affinity mask's, in order */
	unsigned ncpus;
	struct bench_trace *trace;	/* counted around each run; NULL */
	unsigned nr_passes, nr_runs;	/* setup() says */
	struct bench_run *runs;		/* nr_passes x nr_runs */
	struct bench_fallback fallback;
	bool done;			/* setup() said all there was to say */
	/* the runs are printed, but wrong (bench rw's data does not read
	 * back): said after the document, exit 1 */
	char failure[256];
};

struct bench_workload {
	const char *name;		/* daxtool bench NAME */
	const char *summary;
	const char *const *usage;
	const struct opt *options;	/* its table, beside its code */
	struct bench_opts *opts;	/* the common ones, in its options */
	void (*defaults)(void);		/* the options before parsing */

	/* The options against each other; b->topen filled in. BENCH_USAGE
	 * (or BENCH_FAIL: the machine cannot) with the error printed. */
	enum bench_ret (*check)(struct bench *b);
	/* The target open: b->nr_passes, b->nr_runs, b->access, the
	 * regime; b->done where there is nothing to run. */
	enum bench_ret (*setup)(struct bench *b);
	/* Before a run's threads: map, bench_split(); or run it itself
	 * (run->done, bench_counters_begin/end around it). */
	enum bench_ret (*prepare)(struct bench *b, struct bench_run *run);
	/* One thread's timed part, in its slice. */
	void (*body)(struct bench *b, struct bench_run *run,
		     struct bench_thread *th);
	/* After the threads: verify; unmap. */
	enum bench_ret (*finish)(struct bench *b, struct bench_run *run);
	/* After every run; NULL: nothing to do. */
	enum bench_ret (*summarise)(struct bench *b);
	/* Its part of the document, between the target and the env. */
	void (*report)(struct bench *b);
	/* Whatever happened, at the end: free what it holds. */
	void (*teardown)(struct bench *b);
	/* libpmem's instructions go in the document, after the env */
	bool libpmem_path;
};

/* Run @w with its arguments (argv[0] is its name): the exit status. */
int bench_run(const struct bench_workload *w, int argc, const char **argv,
	      struct dt_ctx *ctx);

/* The run @index of pass @pass. */
static inline struct bench_run *bench_run_of(const struct bench *b,
					     unsigned pass, unsigned index)
{
	return &b->runs[pass * b->nr_runs + index];
}

/*
 * Cut @units into the run's thread slices, in whole @granules (2 MiB
 * windows of pages, say): thread i gets the granules from i/n to (i+1)/n
 * of them, the last one what is left over as well.
 */
void bench_split(struct bench_run *run, uint64_t units, uint64_t granule);

/* The kernel's counters over a run (vmstat; the runner's own around the
 * threads). */
void bench_counters_begin(struct bench_run *run);
void bench_counters_end(struct bench_run *run);

/* A mapping that asked for 2 MiB pages and did not get them everywhere,
 * for --fail-on-fallback. */
void bench_note_fallback(struct bench *b, const struct bench_pages *p,
			 const char *label);

/* A test hook: hold a run after mapping until the file changes size or
 * DAXTOOL_TEST_BENCH_DELAY_MS pass, so that a test can truncate the file,
 * or interrupt the run, without racing. Once per invocation: the first
 * run, or the run DAXTOOL_TEST_BENCH_HOLD_RUN counts from 1 (@ordinal
 * counts from 0 over every pass). */
void bench_test_hold(const struct bench_target *t, unsigned ordinal);

/* ---- the runs of a result, kept and reported alike: runs.c --------------- */

/*
 * With --runs N a workload runs the same thing N times (bench_run's
 * nr_runs: N, and after them whatever else it runs), shows the median
 * run's figures as the result's, and keeps each run's in "runs": count;
 * {min, median, max, values} of each value over the runs (median: the
 * median run's; values: every run's, in the order they ran, what
 * compare's interval over runs uses); lat_ns {mean, p50, p99}, arrays of
 * each run's own latency statistics, where pooled samples would hide the
 * spread from run to run.
 */
#define BENCH_MAX_RUNS 1000

/* One run's own latency statistics: its samples alone. */
struct bench_run_lat {
	double mean;			/* NaN: unknown (no memory) */
	uint64_t p50, p99;
};

/* The statistics of @n samples of one run, left as they are. */
void bench_run_lat(const uint32_t *samples, size_t n, struct bench_run_lat *l);

/* The median run by @v (one value a run, @n of them): its index; the
 * lower of the two middle ones for an even @n. */
unsigned bench_runs_median(const double *v, unsigned n);

/* What a value over the runs is: a time in ns (an integer, or not), or
 * a bandwidth in bytes/s (an integer; text "2.1G/s"). */
enum bench_runs_unit { BENCH_RUNS_NS_INT, BENCH_RUNS_NS, BENCH_RUNS_BW };

/* Begin the "runs" object: its count @n, and in text where @prefix is
 * not NULL "PREFIX3 runs, min/median/max:"; the values follow, then
 * bench_runs_end() with the same @prefix. */
void bench_runs_begin(const char *prefix, unsigned n);
void bench_runs_end(const char *prefix);
/* {min, median, max, values} of @v over @n runs, the median that of run
 * @median; in text "LABEL a / b / c" where @label is not NULL. */
void bench_runs_values(const char *key, const double *v, unsigned n,
		       unsigned median, enum bench_runs_unit u,
		       const char *label);
/* lat_ns {mean, p50, p99} of each of @n runs; @l NULL: null (nothing
 * was timed). */
void bench_runs_lat(const char *key, const struct bench_run_lat *l,
		    unsigned n);

/* ---- progress on stderr, a terminal's only: progress.c ------------------ */

struct bench_progress {
	pthread_t thread;
	bool running;
	atomic_bool stop;
	const struct bench_run *run;
	char label[128];
};

/* After two seconds: "LABEL: 45%", or "LABEL: 123 MiB moved". */
void bench_progress_start(struct bench_progress *pg, const struct bench *b,
			  const struct bench_run *run);
void bench_progress_stop(struct bench_progress *pg);

#endif
