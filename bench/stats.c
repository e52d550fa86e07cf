// SPDX-License-Identifier: GPL-2.0-only
/*
 * Latency statistics, named as fio names them so that the parsers labs
 * already have keep working: lat_ns {min, max, mean, stddev, N,
 * percentile {"1.000000": ..., ...}} with fio's default percentile list.
 * fio estimates its percentiles from a histogram; here every sample is
 * kept, so they are exact (nearest rank).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxtool/out.h"
#include "daxtool/util.h"
#include "bench.h"

/* in hundredths of a percent, so that ranks are integer arithmetic */
static const unsigned pct_bp[BENCH_NR_PCT] = {
	100, 500, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 9500,
	9900, 9950, 9990, 9995, 9999,
};

const double bench_pct[BENCH_NR_PCT] = {
	1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.95,
	99.99,
};

/* the JSON keys, as fio prints them ("%f") */
static const char *const pct_key[BENCH_NR_PCT] = {
	"1.000000", "5.000000", "10.000000", "20.000000", "30.000000",
	"40.000000", "50.000000", "60.000000", "70.000000", "80.000000",
	"90.000000", "95.000000", "99.000000", "99.500000", "99.900000",
	"99.950000", "99.990000",
};

/* Newton's square root: the one libm function needed here is not worth
 * a library (and its errno path). */
static double sqrt_(double x)
{
	double r = x > 1 ? x : 1;

	if (x <= 0)
		return 0;
	for (int i = 0; i < 200; i++) {
		double next = 0.5 * (r + x / r);

		if (next >= r)
			break;
		r = next;
	}
	return r;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* LSD radix sort, four passes of a byte: millions of samples in a few
 * milliseconds, where qsort takes a large part of a second. */
static void sort_u32(uint32_t *v, size_t n)
{
	uint32_t *tmp = n > 4096 ? malloc(n * sizeof(*v)) : NULL;
	uint32_t *src = v, *dst = tmp;

	if (!tmp) {
		qsort(v, n, sizeof(*v), cmp_u32);
		return;
	}
	for (unsigned shift = 0; shift < 32; shift += 8) {
		size_t count[257] = { 0 };

		for (size_t i = 0; i < n; i++)
			count[((src[i] >> shift) & 0xff) + 1]++;
		for (int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			dst[count[(src[i] >> shift) & 0xff]++] = src[i];
		uint32_t *t = src;

		src = dst;
		dst = t;
	}
	/* four passes: the sorted data is back in v */
	free(tmp);
}

void bench_lat_compute(uint32_t *s, size_t n, struct bench_lat *l)
{
	double sum = 0, sq = 0;

	memset(l, 0, sizeof(*l));
	l->n = n;
	if (!n)
		return;
	sort_u32(s, n);
	l->min = s[0];
	l->max = s[n - 1];
	for (size_t i = 0; i < n; i++) {
		sum += s[i];
		l->hist[s[i] ? 63 - __builtin_clzll(s[i]) : 0]++;
	}
	l->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		sq += ((double)s[i] - l->mean) * ((double)s[i] - l->mean);
	l->stddev = n > 1 ? sqrt_(sq / (double)(n - 1)) : 0;
	for (int p = 0; p < BENCH_NR_PCT; p++) {
		/* nearest rank: the smallest sample with p% at or below it */
		uint64_t rank = ((uint64_t)n * pct_bp[p] + 9999) / 10000;

		l->pct[p] = s[rank ? rank - 1 : 0];
	}
}

void bench_lat_print(const char *key, const struct bench_lat *l)
{
	bool have = l && l->n;

	dt_out_begin_object(key);
	if (have) {
		dt_out_u64("min", NULL, l->min);
		dt_out_u64("max", NULL, l->max);
		dt_out_double("mean", NULL, l->mean);
		dt_out_double("stddev", NULL, l->stddev);
	} else {
		dt_out_null("min");
		dt_out_null("max");
		dt_out_null("mean");
		dt_out_null("stddev");
	}
	dt_out_u64("N", NULL, have ? l->n : 0);
	dt_out_begin_object("percentile");
	for (int p = 0; p < BENCH_NR_PCT; p++) {
		if (have)
			dt_out_u64(pct_key[p], NULL, l->pct[p]);
		else
			dt_out_null(pct_key[p]);
	}
	dt_out_end_object();
	dt_out_end_object();
}

const char *bench_fmt_ns(char *buf, size_t len, double ns)
{
	static const struct { double div; const char *unit; } units[] = {
		{ 1e9, "s" }, { 1e6, "ms" }, { 1e3, "us" }, { 1, "ns" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (ns < units[i].div && units[i].div > 1)
			continue;
		double v = ns / units[i].div;

		snprintf(buf, len, v < 10 && units[i].div > 1 ? "%.1f%s" :
			 "%.0f%s", v, units[i].unit);
		return buf;
	}
	snprintf(buf, len, "%.0fns", ns);
	return buf;
}

void bench_lat_histogram(const char *title, const struct bench_lat *l)
{
	enum { WIDTH = 40 };
	int lo = 63, hi = 0;
	uint64_t top = 0;

	if (dt_out_json() || !l->n)
		return;
	for (int k = 0; k < 64; k++) {
		if (!l->hist[k])
			continue;
		lo = k < lo ? k : lo;
		hi = k;
		top = l->hist[k] > top ? l->hist[k] : top;
	}
	dt_out_text("\n  %s: latency, log2 buckets\n", title);
	for (int k = lo; k <= hi; k++) {
		char a[16], b[16], bar[WIDTH + 1];
		int w = (int)((l->hist[k] * WIDTH + top - 1) / top);

		memset(bar, '#', (size_t)w);
		memset(bar + w, ' ', (size_t)(WIDTH - w));
		bar[WIDTH] = '\0';
		dt_out_text("    %7s - %-7s |%s| %9llu %5.1f%%\n",
			    bench_fmt_ns(a, sizeof(a), (double)(1ULL << k)),
			    bench_fmt_ns(b, sizeof(b), (double)(2ULL << k)),
			    bar, (unsigned long long)l->hist[k],
			    100.0 * (double)l->hist[k] / (double)l->n);
	}
}
