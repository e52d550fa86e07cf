// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pointer chase of `daxtool bench latency` and its chart: the cycle
 * is one cycle through every line, the same for a seed; a walk of n
 * loads comes back where it started; the sweep's sizes; the traffic of
 * loaded latency moves what it says; the chart's frame and where a point
 * lands in it.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"

#include "chase.h"
#include "chart.h"

/* page-aligned memory (aligned_alloc wants a multiple of the alignment) */
static char *buffer(size_t size)
{
	char *p = aligned_alloc(4096, (size + 4095) / 4096 * 4096);

	if (!p) {
		perror("t-chase: aligned_alloc");
		exit(1);
	}
	return p;
}

/*
 * Walk the built cycle: every pointer at a line of the working set, each
 * line reached once, back at the start after exactly c->lines loads.
 * With groups: the lines of each group one after the other, each group
 * entered once. NULL, or what is wrong.
 */
static const char *cycle_wrong(const struct chase *c)
{
	unsigned char *seen = calloc(c->lines, 1);
	size_t per = c->group ? c->group / c->stride : c->lines;
	size_t groups = (c->lines + per - 1) / per, entered = 0;
	size_t prev_group = (size_t)-1;
	const char *why = NULL;
	void *p = c->start;

	if (!seen)
		return "out of memory";
	for (size_t k = 0; k < c->lines; k++) {
		uintptr_t off = (uintptr_t)p - (uintptr_t)c->base;
		size_t i = off / c->stride;

		if ((uintptr_t)p < (uintptr_t)c->base || off % c->stride ||
		    i >= c->lines) {
			why = "a pointer off the lines";
			break;
		}
		if (k && p == c->start) {
			why = "back at the start too soon";
			break;
		}
		if (seen[i]++) {
			why = "a line reached twice";
			break;
		}
		if (i / per != prev_group) {
			entered++;
			prev_group = i / per;
		}
		p = *(void **)p;
	}
	if (!why && p != c->start)
		why = "not back at the start after one lap";
	if (!why && entered != groups)
		why = "a group not walked whole";
	free(seen);
	return why;
}

static void test_cycles(void)
{
	static const size_t lines[] = { 1, 2, 3, 7, 64, 65, 1000, 4096 };
	static const uint64_t seeds[] = { 0, 1, 42, 0xdeadbeefcafeULL };
	static const size_t strides[] = { 64, 8, 256 };
	static const size_t groups[] = { 0, 4096, 512 };
	char *buf = buffer(4096 * 256 + 4096);

	for (size_t s = 0; s < 3; s++)
	for (size_t g = 0; g < 3; g++)
	for (size_t l = 0; l < sizeof(lines) / sizeof(lines[0]); l++)
	for (size_t k = 0; k < 4; k++) {
		struct chase_opts o = {
			.stride = strides[s], .seed = seeds[k],
			.group = groups[g] && groups[g] >= strides[s] ?
				 groups[g] : 0,
		};
		struct chase c;
		const char *why = "chase_build failed";
		size_t size = lines[l] * strides[s] + strides[s] / 2;

		if (!chase_build(&c, buf, size, &o))
			why = c.lines != lines[l] ? "wrong number of lines" :
			      cycle_wrong(&c);
		CHECK(!why, "cycle: %zu lines of %zu bytes, group %zu, seed "
		      "%#llx: %s", lines[l], strides[s], o.group,
		      (unsigned long long)seeds[k], why ? why : "one cycle");
	}
	free(buf);
}

/* how many of the first @n lines of @a and @b point to different offsets */
static size_t differ(const char *a, const char *b, size_t n)
{
	size_t d = 0;

	for (size_t i = 0; i < n; i++)
		d += *(char *const *)(a + i * 64) - a !=
		     *(char *const *)(b + i * 64) - b;
	return d;
}

static void test_seeds(void)
{
	size_t size = 1000 * 64, next = 0, d;
	char *a = buffer(size), *b = buffer(size);
	struct chase_opts o = { .seed = 7 };
	struct chase c;

	chase_build(&c, a, size, &o);
	chase_build(&c, b, size, &o);
	CHECK(differ(a, b, 1000) == 0, "seed: the same seed, the same cycle");
	o.seed = 8;
	chase_build(&c, b, size, &o);
	d = differ(a, b, 1000);
	CHECK(d > 900, "seed: another seed, another cycle (%zu of 1000 "
	      "lines differ)", d);
	/* random: a line leads to the next in memory about 1 time in 1000 */
	for (size_t i = 0; i + 1 < 1000; i++)
		next += *(char **)(a + i * 64) == a + (i + 1) * 64;
	CHECK(next < 20, "seed: the order is not the memory's (%zu lines "
	      "lead to the next)", next);
	free(a);
	free(b);
}

static void test_walk(void)
{
	static const size_t lines[] = { 1, 2, 7, 16, 17, 1000 };
	char *buf = buffer(1000 * 64);
	struct chase_opts o = { .seed = 3 };

	for (size_t l = 0; l < sizeof(lines) / sizeof(lines[0]); l++) {
		struct chase c;
		size_t n = lines[l], back = 0;

		chase_build(&c, buf, n * 64, &o);
		for (size_t k = 1; k <= n; k++)
			if (chase_walk(c.start, k) == c.start)
				back = back ? back : k;
		CHECK(back == n, "walk: %zu lines: back at the start after "
		      "%zu loads", n, back);
		CHECK(chase_walk(c.start, 3 * n + 16 * n) == c.start,
		      "walk: %zu lines: and after %zu laps", n, (size_t)19);
		CHECK(chase_walk(c.start, 0) == c.start, "walk: 0 loads stay");
	}
	free(buf);
}

static void test_measure(void)
{
	size_t size = 64 << 10;
	char *buf = buffer(size);
	struct chase_opts o = { .seed = 1, .min_loads = 4096, .repeats = 4 };
	struct chase_result r;
	struct chase c;
	double samples[4] = { -1, -1, -1, -1 };
	atomic_bool stop = true;
	unsigned done;

	CHECK(chase_build(&c, buf, size, &o) == 0, "measure: build 64K");
	CHECK(chase_loads(&c, &o) == 4096, "measure: loads: the minimum "
	      "(%llu)", (unsigned long long)chase_loads(&c, &o));
	o.min_loads = 0;
	CHECK(chase_loads(&c, &o) == CHASE_MIN_LOADS,
	      "measure: loads: the default minimum");
	o.min_loads = 100;
	CHECK(chase_loads(&c, &o) == 1024, "measure: loads: at least a lap");
	o.max_loads = 200;
	CHECK(chase_loads(&c, &o) == 208, "measure: loads: the maximum, "
	      "rounded up to 16 (%llu)",
	      (unsigned long long)chase_loads(&c, &o));
	o.min_loads = 4096;
	o.max_loads = 0;

	done = chase_measure(&c, &o, &r, samples);
	CHECK(done == 4 && r.repeats == 4, "measure: 4 repeats done");
	CHECK(r.size == size && r.lines == 1024 && r.loads == 4096,
	      "measure: size, lines, loads");
	CHECK(r.ns_min > 0 && r.ns_min <= r.ns_median &&
	      r.ns_median <= r.ns_max && r.ns_min <= r.ns_mean &&
	      r.ns_mean <= r.ns_max && r.ns_stddev >= 0,
	      "measure: min %.2f <= median %.2f, mean %.2f <= max %.2f ns",
	      r.ns_min, r.ns_median, r.ns_mean, r.ns_max);
	CHECK(samples[3] > 0 && samples[0] > 0, "measure: samples kept");
	/* 1024 lines, one lap warm and 4 * 4096 loads: a whole number of
	 * laps, so the chase stands at the start again */
	CHECK(c.cur == c.start, "measure: the walk goes on from where it "
	      "stood");
	o.stop = &stop;
	done = chase_measure(&c, &o, &r, NULL);
	CHECK(done == 0 && r.repeats == 0 && isnan(r.ns_median),
	      "measure: stopped before the first repeat: none, NaN");
	free(buf);
}

static void test_options(void)
{
	char *buf = buffer(4096);
	struct chase c;

	CHECK(chase_opts_check(&(struct chase_opts){ .stride = 12 }, 0),
	      "options: a stride of 12 is refused");
	CHECK(chase_opts_check(&(struct chase_opts){ .group = 100 }, 0),
	      "options: a group not a multiple of the stride is refused");
	CHECK(chase_opts_check(&(struct chase_opts){ .min_loads = 10,
			       .max_loads = 5 }, 0),
	      "options: minimum loads above the maximum are refused");
	CHECK(chase_opts_check(&(struct chase_opts){ .repeats = 1001 }, 0),
	      "options: more than 1000 repeats are refused");
	CHECK(chase_opts_check(&(struct chase_opts){ 0 }, 32),
	      "options: a working set under one line is refused");
	CHECK(!chase_opts_check(&(struct chase_opts){ .group = 4096 }, 4096),
	      "options: the defaults with a 4K group are fine");
	CHECK(chase_build(&c, buf, 0, &(struct chase_opts){ 0 }) == -EINVAL,
	      "options: building over 0 bytes: -EINVAL");
	CHECK(chase_build(&c, buf + 1, 4000, &(struct chase_opts){ 0 }) ==
	      -EINVAL, "options: building at a misaligned address: -EINVAL");
	free(buf);
}

static int sizes_are(size_t start, size_t max, size_t stride,
		     const size_t *want, size_t n)
{
	size_t got[70];
	size_t k = chase_sweep_sizes(start, max, stride, got, 70);

	if (k != n || chase_sweep_sizes(start, max, stride, NULL, 0) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (got[i] != want[i])
			return 0;
	return 1;
}

#define K ((size_t)1 << 10)
#define M ((size_t)1 << 20)

static void count_point(const struct chase_result *r, void *arg)
{
	size_t *n = arg;

	if (r->repeats)
		(*n)++;
}

static void test_sweep(void)
{
	size_t a[] = { 16 * K, 32 * K, 64 * K, 128 * K, 256 * K, 512 * K, M };
	size_t b[] = { 16 * K, 32 * K, 64 * K, 128 * K, 256 * K, 512 * K,
		       1000 * K };
	size_t c[] = { 24 * K, 48 * K, 96 * K, 100 * K };
	size_t d[] = { 8 * K };
	size_t e[] = { 4 * K, 12 * K };
	size_t f[] = { 64, 128, 192 };
	size_t cut[3];
	struct chase_result res[8];
	struct chase_opts o = { .min_loads = 1024, .repeats = 3 };
	size_t points = 0;
	char *buf = buffer(256 * K);
	int n;

	CHECK(sizes_are(16 * K, M, 64, a, 7), "sweep: 16K to 1M, doubling");
	CHECK(sizes_are(0, M, 0, a, 7), "sweep: the defaults start at 16K");
	CHECK(sizes_are(16 * K, 1000 * K, 64, b, 7),
	      "sweep: a maximum off the doublings is the last point");
	CHECK(sizes_are(24 * K, 100 * K, 64, c, 4),
	      "sweep: from a start that is no power of two");
	CHECK(sizes_are(16 * K, 8 * K, 64, d, 1),
	      "sweep: a maximum under the start: that one size");
	CHECK(sizes_are(1000, 12 * K + 100, 4096, e, 2),
	      "sweep: sizes in whole lines of a 4K stride");
	CHECK(sizes_are(64, 200, 64, f, 3), "sweep: 1, 2, then 3 lines");
	CHECK(chase_sweep_sizes(16 * K, 32, 64, NULL, 0) == 0,
	      "sweep: under one line: no point");
	CHECK(chase_sweep_sizes(16 * K, M, 64, cut, 3) == 7 &&
	      cut[2] == 64 * K, "sweep: a short array gets the first sizes");
	CHECK(chase_sweep_sizes(1, SIZE_MAX, 1, NULL, 0) ==
	      sizeof(size_t) * 8 + 1, "sweep: up to SIZE_MAX without "
	      "wrapping: 1 to 2^63, and SIZE_MAX");

	n = chase_sweep(buf, 256 * K, 16 * K, &o, res, 8, count_point,
			&points);
	CHECK(n == 5 && points == 5, "sweep: 16K to 256K measured: 5 points "
	      "(%d)", n);
	CHECK(n == 5 && res[0].size == 16 * K && res[4].size == 256 * K &&
	      res[4].lines == 4096 && res[4].repeats == 3 &&
	      res[4].ns_median > 0, "sweep: the points' sizes and figures");
	CHECK(chase_sweep(buf, 256 * K, 16 * K, &o, res, 2, NULL, NULL) == 2,
	      "sweep: no more points than room for");
	o.stride = 12;
	CHECK(chase_sweep(buf, 256 * K, 16 * K, &o, res, 8, NULL, NULL) ==
	      -EINVAL, "sweep: bad options: -EINVAL");
	free(buf);
}

struct traffic_job {
	struct chase_traffic t;
	struct chase_traffic_result r;
	int ret;
	atomic_bool started;
};

static void *traffic_thread(void *arg)
{
	struct traffic_job *j = arg;

	atomic_store(&j->started, true);
	j->ret = chase_traffic(&j->t, &j->r);
	return NULL;
}

static bool untouched(const char *buf, size_t size)
{
	for (size_t i = 0; i < size; i++)
		if ((unsigned char)buf[i] != 0xff)
			return false;
	return true;
}

static void test_traffic(void)
{
	size_t size = 256 * K;
	char *buf = buffer(size);
	atomic_bool stop = false;
	struct timespec ms20 = { 0, 20 * 1000 * 1000 };
	double per_spin = chase_spin_calibrate();

	CHECK(per_spin > 0 && per_spin < 10000, "traffic: a spin takes "
	      "%.2f ns", per_spin);
	CHECK(chase_delay_for_ns(100, 2) == 50 &&
	      chase_delay_for_ns(0, 2) == 0 && chase_delay_for_ns(5, 0) == 0,
	      "traffic: delays for ns");
	for (int kind = 0; kind < CHASE_TRAFFIC_NR; kind++) {
		for (int delay = 0; delay <= 50; delay += 50) {
			struct traffic_job j = { .t = {
				.base = buf, .size = size,
				.kind = (enum chase_traffic_kind)kind,
				.delay = (uint64_t)delay, .stop = &stop,
			} };
			pthread_t th;

			memset(buf, 0xff, size);
			atomic_store(&stop, false);
			pthread_create(&th, NULL, traffic_thread, &j);
			while (!atomic_load(&j.started))	/* a loaded machine */
				sched_yield();
			nanosleep(&ms20, NULL);
			atomic_store(&stop, true);
			pthread_join(th, NULL);
			CHECK(j.ret == 0 && j.r.accesses > 0 &&
			      j.r.accesses % 64 == 0 &&
			      j.r.bytes == 64 * j.r.accesses &&
			      j.r.ns >= 10 * 1000 * 1000,
			      "traffic: %s, delay %d: %llu bytes in %.1f ms",
			      chase_traffic_names[kind], delay,
			      (unsigned long long)j.r.bytes, j.r.ns / 1e6);
			CHECK((kind == CHASE_TRAFFIC_READ) ==
			      untouched(buf, size),
			      "traffic: %s, delay %d: %s the memory",
			      chase_traffic_names[kind], delay,
			      kind == CHASE_TRAFFIC_READ ? "reading leaves" :
			      "writing changes");
		}
	}
	{
		struct chase_traffic t = { .base = buf + 8, .size = size,
					   .stop = &stop };
		struct chase_traffic_result r;

		CHECK(chase_traffic(&t, &r) == -EINVAL,
		      "traffic: misaligned: -EINVAL");
		t.base = buf;
		t.stop = NULL;
		CHECK(chase_traffic(&t, &r) == -EINVAL,
		      "traffic: no stop flag: -EINVAL");
	}
	free(buf);
}

/* ---- the chart -------------------------------------------------------- */

struct lines {
	char text[64][CHART_MAX_WIDTH + 1];
	int n;
	int too_long;
};

static void keep_line(const char *s, void *arg)
{
	struct lines *l = arg;

	if (strlen(s) > CHART_MAX_WIDTH)
		l->too_long = 1;
	else if (l->n < 64)
		snprintf(l->text[l->n], sizeof(l->text[0]), "%s", s);
	l->n++;
}

/* the line holding @mark at column @col: its index, or -1 */
static int line_with(const struct lines *l, int from, int to, unsigned col,
		     char mark)
{
	int found = -1;

	for (int i = from; i < to; i++) {
		if (strlen(l->text[i]) > col && l->text[i][col] == mark) {
			if (found >= 0)
				return -2;	/* twice */
			found = i;
		}
	}
	return found;
}

static void test_chart(void)
{
	static const double x4[] = { 16 * K, 256 * K, 64 * M };
	static const double y4[] = { 1, 10, 100 };
	static const double x2[] = { 16 * K, 256 * K, 4 * M };
	static const double y2[] = { 1, 3, 20 };
	const struct chart_series s[2] = {
		{ "4K pages", '*', x4, y4, 3 },
		{ "2M pages", 'o', x2, y2, 3 },
	};
	struct chart_opts o = { .width = 72, .height = 17, .log_y = true,
				.title = "ns per load" };
	struct lines *l = calloc(1, sizeof(*l));
	int n, longest = 0, axis, at;

	if (!l)
		exit(1);
	n = chart_render(&o, s, 2, keep_line, l);
	/* title, 17 rows, axis, size labels, legend */
	CHECK(n == 21 && l->n == 21, "chart: 21 lines (%d)", n);
	for (int i = 0; i < l->n && i < 64; i++)
		if ((int)strlen(l->text[i]) > longest)
			longest = (int)strlen(l->text[i]);
	axis = 1 + 17;
	CHECK(!l->too_long && longest == 72, "chart: no line over the width "
	      "(%d)", longest);
	CHECK(strlen(l->text[axis]) == 72 &&
	      l->text[axis][CHART_GUTTER - 1] == '+' &&
	      l->text[axis][71] != ' ', "chart: the axis spans the width");
	CHECK(!strcmp(l->text[0], "ns per load"), "chart: the title first");
	/* log2 from 16K to 64M: 12 doublings over columns 8..71 (63
	 * steps), so 256K, 4 doublings in, lands 21 columns in */
	CHECK(line_with(l, 1, 18, CHART_GUTTER + 21, '*') >= 0,
	      "chart: 256K at column %d", CHART_GUTTER + 21);
	/* log10 from 1 to 100 over rows 0..16: 10 is the middle, row 8 */
	at = line_with(l, 1, 18, CHART_GUTTER + 21, '*');
	CHECK(at == 1 + 8, "chart: 10 ns half way up (line %d)", at);
	CHECK(line_with(l, 1, 18, CHART_GUTTER + 63, '*') == 1,
	      "chart: the largest size, the largest latency: top right");
	CHECK(line_with(l, 1, 18, CHART_GUTTER, '#') == 17,
	      "chart: both series at 16K, 1 ns: overlap mark, bottom left");
	CHECK(line_with(l, 1, 18, CHART_GUTTER + 42, 'o') >= 0,
	      "chart: the second series' 4M at column %d", CHART_GUTTER + 42);
	CHECK(!strncmp(l->text[1], "   100 |", 8) &&
	      !strncmp(l->text[9], "    10 |", 8) &&
	      !strncmp(l->text[17], "     1 |", 8),
	      "chart: y labels 100, 10, 1 on their rows");
	CHECK(strstr(l->text[axis + 1], "16K") == l->text[axis + 1] +
	      CHART_GUTTER - 1 && strstr(l->text[axis + 1], "1M") &&
	      strstr(l->text[axis + 1], "64M"), "chart: size labels: %.72s",
	      l->text[axis + 1]);
	CHECK(strstr(l->text[axis + 2], "* 4K pages") &&
	      strstr(l->text[axis + 2], "o 2M pages"), "chart: the legend");

	memset(l, 0, sizeof(*l));
	o = (struct chart_opts){ .width = 40, .height = 5 };
	n = chart_render(&o, s, 1, keep_line, l);
	CHECK(n == 5 + 2 + 1 && strlen(l->text[5]) == 40,
	      "chart: linear, 40 by 5: 8 lines, the axis 40 wide");
	CHECK(!strncmp(l->text[0], "   100 |", 8) &&
	      !strncmp(l->text[4], "     0 |", 8),
	      "chart: linear from 0 to a round number");

	memset(l, 0, sizeof(*l));
	n = chart_render(&o, &(struct chart_series){ NULL, 0, x4, y4, 0 },
			 1, keep_line, l);
	CHECK(n == 7, "chart: no points, no legend: the frame, 7 lines");
	o.width = CHART_MIN_WIDTH - 1;
	CHECK(chart_render(&o, s, 2, keep_line, l) == -EINVAL,
	      "chart: too narrow: -EINVAL");
	o.width = 72;
	o.height = 2;
	CHECK(chart_render(&o, s, 2, keep_line, l) == -EINVAL,
	      "chart: too low: -EINVAL");
	{
		char b[16];

		CHECK(!strcmp(chart_fmt_size(b, sizeof(b), 16 * K), "16K") &&
		      !strcmp(chart_fmt_size(b, sizeof(b), 64 * M), "64M") &&
		      !strcmp(chart_fmt_size(b, sizeof(b), 1.5 * 1024 * M),
			      "1.5G") &&
		      !strcmp(chart_fmt_size(b, sizeof(b), 512), "512"),
		      "chart: size labels 16K, 64M, 1.5G, 512");
	}
	free(l);
}

int main(void)
{
	test_cycles();
	test_seeds();
	test_walk();
	test_measure();
	test_options();
	test_sweep();
	test_traffic();
	test_chart();
	TAP_EXIT();
}
