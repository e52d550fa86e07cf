// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pointer chase: the cycle (Sattolo's algorithm, in place), the
 * timed walk, the sweep of working-set sizes, and the traffic of loaded
 * latency. See chase.h for what each measures.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chase.h"

const char *const chase_traffic_names[] = {
	[CHASE_TRAFFIC_READ] = "read",
	[CHASE_TRAFFIC_WRITE] = "write",
	[CHASE_TRAFFIC_MIX] = "mix",
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static bool stopped(const atomic_bool *stop)
{
	return stop && atomic_load_explicit(stop, memory_order_relaxed);
}

/* ---- the cycle -------------------------------------------------------- */

/* splitmix64: a seed of any value, 0 included, gives a good sequence */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [0, n), n > 0: Lemire's multiply and reject, no bias */
static uint64_t below(uint64_t *s, uint64_t n)
{
	unsigned __int128 m = (unsigned __int128)rnd(s) * n;

	if ((uint64_t)m < n) {
		uint64_t thresh = -n % n;	/* 2^64 mod n */

		while ((uint64_t)m < thresh)
			m = (unsigned __int128)rnd(s) * n;
	}
	return (uint64_t)(m >> 64);
}

static size_t stride_of(const struct chase_opts *o)
{
	return o->stride ? o->stride : CHASE_LINE;
}

const char *chase_opts_check(const struct chase_opts *o, size_t size)
{
	size_t stride = stride_of(o);

	if (stride % sizeof(void *))
		return "the stride must be a multiple of the pointer size (8)";
	if (o->group && o->group % stride)
		return "the group must be a multiple of the stride";
	if (o->max_loads && o->min_loads > o->max_loads)
		return "the minimum number of loads is above the maximum";
	if (o->repeats > CHASE_MAX_REPEATS)
		return "too many repeats: at most 1000";
	if (size && size < stride)
		return "the working set is smaller than one line";
	return NULL;
}

static inline void **line_at(char *base, size_t stride, size_t i)
{
	return (void **)(base + i * stride);
}

/*
 * Sattolo's algorithm over @n lines: start from every line pointing to
 * itself, then for i from n - 1 down to 1 swap line i's pointer with that
 * of a line j < i drawn at random. Each swap joins i's cycle to j's, so
 * the end is one cycle of all n, and every one of the (n - 1)! cycles is
 * as likely.
 */
static void sattolo(char *base, size_t stride, size_t n, uint64_t *seed)
{
	for (size_t i = 0; i < n; i++)
		*line_at(base, stride, i) = line_at(base, stride, i);
	for (size_t i = n - 1; i > 0; i--) {
		void **a = line_at(base, stride, i);
		void **b = line_at(base, stride, (size_t)below(seed, i));
		void *t = *a;

		*a = *b;
		*b = t;
	}
}

int chase_build(struct chase *c, void *base, size_t size,
		const struct chase_opts *o)
{
	size_t stride = stride_of(o);
	size_t per, groups;
	uint64_t seed = o->seed;
	char *b = base;

	if (!size || chase_opts_check(o, size) || (uintptr_t)base %
	    sizeof(void *))
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->base = b;
	c->stride = stride;
	c->lines = size / stride;
	c->size = c->lines * stride;
	c->group = o->group;
	per = o->group ? o->group / stride : c->lines;
	if (per > c->lines)
		per = c->lines;
	groups = (c->lines + per - 1) / per;

	/*
	 * One group (the random layout) is one Sattolo cycle. With groups,
	 * first a Sattolo cycle of the groups' first lines; then each group
	 * becomes a cycle of its own lines, and the line that led back to
	 * the group's first leads to the next group's first instead: the
	 * groups are walked in the order of the first cycle, each whole.
	 */
	if (groups == 1) {
		sattolo(b, stride, c->lines, &seed);
	} else {
		size_t gstride = per * stride;

		sattolo(b, gstride, groups, &seed);
		for (size_t g = 0; g < groups; g++) {
			char *first = b + g * gstride;
			size_t n = g == groups - 1 ? c->lines - g * per : per;
			void *next = *(void **)first, **q;

			sattolo(first, stride, n, &seed);
			for (q = (void **)first; *q != first; q = *q)
				;
			*q = next;
		}
	}
	c->start = c->cur = b;
	return 0;
}

/* ---- the timed walk --------------------------------------------------- */

#define STEP p = *(void **)p;

void *chase_walk(void *p, uint64_t n)
{
	for (uint64_t i = n / CHASE_UNROLL; i; i--) {
		STEP STEP STEP STEP STEP STEP STEP STEP
		STEP STEP STEP STEP STEP STEP STEP STEP
	}
	for (uint64_t i = n % CHASE_UNROLL; i; i--) {
		STEP
	}
	return p;
}

#undef STEP

uint64_t chase_loads(const struct chase *c, const struct chase_opts *o)
{
	uint64_t min = o->min_loads ? o->min_loads : CHASE_MIN_LOADS;
	uint64_t n = c->lines > min ? c->lines : min;

	if (o->max_loads && n > o->max_loads)
		n = o->max_loads;
	return (n + CHASE_UNROLL - 1) / CHASE_UNROLL * CHASE_UNROLL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* min, max, mean, sample stddev and median of @n values; sorts them */
static void summarize(double *v, unsigned n, struct chase_result *r)
{
	double sum = 0, sq = 0;

	if (!n) {
		r->ns_median = r->ns_min = r->ns_max = r->ns_mean =
			r->ns_stddev = NAN;
		return;
	}
	qsort(v, n, sizeof(*v), cmp_double);
	for (unsigned i = 0; i < n; i++)
		sum += v[i];
	r->ns_mean = sum / n;
	for (unsigned i = 0; i < n; i++)
		sq += (v[i] - r->ns_mean) * (v[i] - r->ns_mean);
	r->ns_stddev = n > 1 ? sqrt(sq / (n - 1)) : 0;
	r->ns_min = v[0];
	r->ns_max = v[n - 1];
	r->ns_median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

unsigned chase_measure(struct chase *c, const struct chase_opts *o,
		       struct chase_result *r, double *samples)
{
	unsigned want = o->repeats ? o->repeats : CHASE_REPEATS, done = 0;
	uint64_t loads = chase_loads(c, o);
	double v[CHASE_MAX_REPEATS];
	void *p = c->cur;

	if (want > CHASE_MAX_REPEATS)
		want = CHASE_MAX_REPEATS;
	memset(r, 0, sizeof(*r));
	r->size = c->size;
	r->lines = c->lines;
	r->loads = loads;
	/* warm: a lap, or as many loads as a repeat if fewer */
	p = chase_walk(p, c->lines < loads ? c->lines : loads);
	for (; done < want && !stopped(o->stop); done++) {
		uint64_t t0 = now_ns(), t1;

		p = chase_walk(p, loads);
		t1 = now_ns();
		v[done] = (double)(t1 - t0) / (double)loads;
	}
	c->cur = p;	/* the next walk goes on from here; and p is used */
	r->repeats = done;
	if (samples)
		memcpy(samples, v, done * sizeof(*v));
	summarize(v, done, r);
	return done;
}

/* ---- the sweep -------------------------------------------------------- */

size_t chase_sweep_sizes(size_t start, size_t max, size_t stride,
			 size_t *sizes, size_t cap)
{
	size_t n = 0, last = 0;

	if (!stride)
		stride = CHASE_LINE;
	if (!start)
		start = CHASE_SWEEP_START;
	max -= max % stride;
	if (!max)
		return 0;
	for (size_t s = start; s <= max; s *= 2) {
		size_t v = s - s % stride;

		if (v && v != last) {
			if (sizes && n < cap)
				sizes[n] = v;
			n++;
			last = v;
		}
		if (s > max / 2)
			break;	/* the next is past max, or wraps */
	}
	if (last < max) {
		if (sizes && n < cap)
			sizes[n] = max;
		n++;
	}
	return n;
}

int chase_sweep(void *base, size_t max, size_t start,
		const struct chase_opts *o, struct chase_result *res,
		size_t cap, chase_point_fn *point, void *arg)
{
	size_t sizes[2 * sizeof(size_t) * 8];	/* doublings, and max */
	size_t n = chase_sweep_sizes(start, max, stride_of(o), sizes,
				     sizeof(sizes) / sizeof(sizes[0]));
	size_t done = 0;

	if (chase_opts_check(o, max) || !n)
		return -EINVAL;
	for (; done < n && done < cap && !stopped(o->stop); done++) {
		struct chase c;

		if (chase_build(&c, base, sizes[done], o) < 0)
			return -EINVAL;
		if (!chase_measure(&c, o, &res[done], NULL))
			break;	/* stopped */
		if (point)
			point(&res[done], arg);
	}
	return (int)done;
}

/* ---- loaded latency: traffic ------------------------------------------ */

void chase_spin(uint64_t n)
{
	for (; n; n--) {
#if defined(__x86_64__) || defined(__i386__)
		__asm__ __volatile__("pause" ::: "memory");
#elif defined(__aarch64__)
		__asm__ __volatile__("yield" ::: "memory");
#else
		__asm__ __volatile__("" ::: "memory");
#endif
	}
}

double chase_spin_calibrate(void)
{
	enum { ROUNDS = 7 };
	double per[ROUNDS];
	uint64_t n = 1000;

	/* grow a round to a millisecond or more: the clock is then noise */
	for (;;) {
		uint64_t t0 = now_ns(), t;

		chase_spin(n);
		t = now_ns() - t0;
		if (t >= 1000000 || n >= (uint64_t)1 << 32)
			break;
		n *= t < 1000 ? 64 : 2;
	}
	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = now_ns();

		chase_spin(n);
		per[r] = (double)(now_ns() - t0) / (double)n;
	}
	qsort(per, ROUNDS, sizeof(per[0]), cmp_double);
	return per[ROUNDS / 2];
}

uint64_t chase_delay_for_ns(double ns, double ns_per_spin)
{
	if (!(ns > 0) || !(ns_per_spin > 0))
		return 0;
	return (uint64_t)llround(ns / ns_per_spin);
}

static uint64_t read_line(const volatile uint64_t *w)
{
	return w[0] ^ w[1] ^ w[2] ^ w[3] ^ w[4] ^ w[5] ^ w[6] ^ w[7];
}

static void write_line(volatile uint64_t *w, uint64_t v)
{
	w[0] = v; w[1] = v; w[2] = v; w[3] = v;
	w[4] = v; w[5] = v; w[6] = v; w[7] = v;
}

int chase_traffic(const struct chase_traffic *t,
		  struct chase_traffic_result *r)
{
	size_t lines = t->size / 64, i = 0;
	uint64_t n = 0, sink = 0, t0;
	unsigned phase = 0;	/* the mix: lines 0 and 1 read, 2 written */

	memset(r, 0, sizeof(*r));
	if (!lines || !t->stop || (uintptr_t)t->base % 64 ||
	    (unsigned)t->kind >= CHASE_TRAFFIC_NR)
		return -EINVAL;
	t0 = now_ns();
	do {
		for (int k = 0; k < 64; k++) {
			volatile uint64_t *w = (volatile uint64_t *)
				(t->base + i * 64);
			bool wr = t->kind == CHASE_TRAFFIC_WRITE ||
				  (t->kind == CHASE_TRAFFIC_MIX && phase == 2);

			if (wr)
				write_line(w, n);
			else
				sink ^= read_line(w);
			if (++phase == 3)
				phase = 0;
			if (++i == lines)
				i = 0;
			n++;
			if (t->delay)
				chase_spin(t->delay);
		}
	} while (!atomic_load_explicit(t->stop, memory_order_relaxed));
	r->ns = now_ns() - t0;
	r->accesses = n;
	r->bytes = n * 64;
	/* the loads are volatile already; this only keeps sink used */
	__asm__ __volatile__("" : : "r"(sink));
	return 0;
}
