/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Load-to-use latency, the core of `daxtool bench latency`: a dependent-
 * load pointer chase, as lmbench's lat_mem_rd and multichase run it, over
 * memory the caller has mapped (a device-DAX device, an fsdax file,
 * emulated memory). Nothing here maps, pins or prints; there is no global
 * state: everything a call uses is in its arguments.
 *
 * The working set, the first @size bytes of a mapping, is cut into lines
 * of @stride bytes (64: a cache line). Each line's first word holds the
 * address of the next line, the lines forming one random cycle, so that
 *
 *	p = *(void **)p;
 *
 * repeated walks every line once per lap and each load's address is known
 * only when the previous load has completed: the time per load is the
 * latency of the level of the memory hierarchy the working set fits in.
 * The order is random so that no prefetcher can guess the next line.
 *
 * Building the cycle writes the working set (the previous contents are
 * lost), so it also faults every page of it in before anything is timed.
 */
#ifndef DAXTOOL_BENCH_CHASE_H
#define DAXTOOL_BENCH_CHASE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CHASE_LINE		64		/* the default stride */
#define CHASE_SWEEP_START	((size_t)16 << 10)	/* L1-sized */
#define CHASE_MIN_LOADS		((uint64_t)1 << 20)
#define CHASE_REPEATS		5
#define CHASE_MAX_REPEATS	1000
#define CHASE_UNROLL		16	/* loads per loop iteration */

struct chase_opts {
	/* bytes per line: a multiple of sizeof(void *); 0: CHASE_LINE */
	size_t stride;
	/*
	 * The layout of the cycle:
	 *   0: random over the whole working set (lat_mem_rd's and
	 *      multichase's default): beyond the TLB's reach nearly every
	 *      load is a TLB miss as well as a cache miss, so 4 KiB and
	 *      2 MiB pages give different curves.
	 *   N: the lines of each N bytes (a multiple of @stride, e.g. 4096)
	 *      are visited together, in a random order, and the groups in a
	 *      random order: one TLB miss per group, so what is left is the
	 *      cache and memory latency alone.
	 */
	size_t group;
	uint64_t seed;		/* the same seed gives the same cycle */
	/* loads timed per repeat: at least one lap of the cycle and at least
	 * @min_loads (0: CHASE_MIN_LOADS), at most @max_loads (0: no limit;
	 * a partial lap is still a random sample of the lines) */
	uint64_t min_loads, max_loads;
	/* 0: CHASE_REPEATS; at most CHASE_MAX_REPEATS */
	unsigned repeats;
	/* set (by another thread, or a signal handler) to stop between
	 * repeats and between sizes; NULL: never */
	const atomic_bool *stop;
};

/* A built cycle. @cur is where the chase stands: each walk continues
 * from where the previous one stopped. */
struct chase {
	char *base;
	size_t size;		/* the working set: lines * stride bytes */
	size_t stride, group;	/* group 0: the whole working set */
	size_t lines;
	void *start;		/* base: the first line */
	void *cur;
};

/* NULL if @o can chase a working set of @size bytes, else why not (a
 * sentence for a usage error). @size 0: check only the options. */
const char *chase_opts_check(const struct chase_opts *o, size_t size);

/*
 * Build the cycle over the first @size bytes of @base (rounded down to a
 * whole number of lines) with Sattolo's algorithm: one cycle through
 * every line exactly once, the same for the same seed. Works in place,
 * without memory of its own, so a working set may be as large as the
 * mapping. @base must be aligned to sizeof(void *). 0, or -EINVAL (see
 * chase_opts_check).
 */
int chase_build(struct chase *c, void *base, size_t size,
		const struct chase_opts *o);

/* Follow @n pointers from @p (16 loads per loop iteration) and return
 * where the chase ends: use the result, so the loads cannot be dropped. */
void *chase_walk(void *p, uint64_t n);

/* The loads timed per repeat for @c under @o: a multiple of CHASE_UNROLL. */
uint64_t chase_loads(const struct chase *c, const struct chase_opts *o);

/*
 * One point of the curve. A sample is one repeat: chase_loads() loads
 * between two readings of CLOCK_MONOTONIC (some 20 ns against a
 * millisecond or more), divided by their number. fio's lat_ns object
 * {min, max, mean, stddev, N} can be printed from it, N being repeats.
 */
struct chase_result {
	size_t size;		/* working-set bytes */
	size_t lines;
	uint64_t loads;		/* timed per repeat */
	unsigned repeats;	/* done: fewer than asked if stopped */
	double ns_median;	/* ns per load: the figure to report */
	double ns_min, ns_max, ns_mean, ns_stddev;	/* over the repeats */
};

/*
 * The idle latency of @c: one untimed lap (or chase_loads() loads, if
 * fewer) to warm the caches and TLB, then o->repeats timed repeats.
 * @samples, if not NULL, gets each repeat's ns per load (o->repeats
 * entries), e.g. for percentiles. Returns the repeats done: fewer, even
 * 0 (then the figures are NaN), when o->stop was set.
 */
unsigned chase_measure(struct chase *c, const struct chase_opts *o,
		       struct chase_result *r, double *samples);

/*
 * The working-set sizes of a sweep, lat_mem_rd's way: @start (0:
 * CHASE_SWEEP_START), doubling while at most @max, then @max itself if
 * the last doubling fell short of it; each rounded down to a multiple of
 * @stride (0: CHASE_LINE). Writes at most @cap sizes to @sizes (NULL: only
 * count) and returns how many there are. 0 if @max is under one line.
 */
size_t chase_sweep_sizes(size_t start, size_t max, size_t stride,
			 size_t *sizes, size_t cap);

typedef void chase_point_fn(const struct chase_result *r, void *arg);

/*
 * The curve: for each size of chase_sweep_sizes(@start, @max, ...), the
 * cycle rebuilt over the first that many bytes of @base and measured.
 * Results go to @res (at most @cap), and, as each is done, to @point
 * (NULL: none), e.g. for progress. Returns the points measured (fewer if
 * o->stop was set, or @cap was short), or -EINVAL.
 */
int chase_sweep(void *base, size_t max, size_t start,
		const struct chase_opts *o, struct chase_result *res,
		size_t cap, chase_point_fn *point, void *arg);

/*
 * Loaded latency, as Intel MLC's --loaded_latency measures it: one thread
 * chases (chase_measure) while others run chase_traffic() over other
 * memory of the same target, each injecting its accesses at a rate set by
 * a delay. An access is one 64-byte line, in address order, wrapping at
 * the end of the region; after each, the thread spins @delay times (a
 * PAUSE instruction on x86, YIELD on arm64). Delay 0 is full speed, the
 * right end of the bandwidth-latency curve; growing delays move towards
 * idle. A thread's rate is about 64 B / (access time + delay * ns per
 * spin), with ns per spin from chase_spin_calibrate().
 *
 * Reads load each word of the line; writes store each word (ordinary
 * stores: the line is also read for ownership, so the memory moves twice
 * the bytes counted); the mix is MLC's W2, two lines read per line
 * written. Bytes counted are 64 per access, whatever the direction.
 */
enum chase_traffic_kind {
	CHASE_TRAFFIC_READ,
	CHASE_TRAFFIC_WRITE,
	CHASE_TRAFFIC_MIX,	/* 2 reads : 1 write */
	CHASE_TRAFFIC_NR
};
/* "read", "write", "mix" */
extern const char *const chase_traffic_names[];

struct chase_traffic {
	char *base;		/* 64-byte aligned */
	size_t size;		/* whole lines are used; at least one */
	enum chase_traffic_kind kind;
	uint64_t delay;		/* spins after each access */
	const atomic_bool *stop;	/* must be set to return */
};

struct chase_traffic_result {
	uint64_t bytes;		/* moved, 64 per access */
	uint64_t accesses;
	uint64_t ns;		/* from start to stop, CLOCK_MONOTONIC */
};

/* Run until *t->stop is set (checked after every 64 accesses: 64 at
 * least); 0, or -EINVAL.
 * The threads and their pinning are the caller's. */
int chase_traffic(const struct chase_traffic *t,
		  struct chase_traffic_result *r);

/* Spin @n times: the busy-wait of the delay. */
void chase_spin(uint64_t n);
/* ns per spin on this CPU: the median of a few timed rounds. */
double chase_spin_calibrate(void);
/* The delay (spins) that waits about @ns */
uint64_t chase_delay_for_ns(double ns, double ns_per_spin);

#endif
