// SPDX-License-Identifier: GPL-2.0-only
/*
 * Latency statistics, named as fio names them so that the parsers labs
 * already have keep working: lat_ns {min, max, mean, stddev, N,
 * percentile {"1.000000": ..., ...}} with fio's default percentile list,
 * or the one --percentiles gives. fio estimates its percentiles from a
 * histogram; here every sample is kept, so they are exact (nearest rank).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxtool/print.h"
#include "daxtool/util.h"
#include "bench.h"

const struct bench_pcts bench_pcts_fio = {
	.n = 17,
	.micro = { 1000000, 5000000, 10000000, 20000000, 30000000, 40000000,
		   50000000, 60000000, 70000000, 80000000, 90000000, 95000000,
		   99000000, 99500000, 99900000, 99950000, 99990000 },
	.key = { "1.000000", "5.000000", "10.000000", "20.000000",
		 "30.000000", "40.000000", "50.000000", "60.000000",
		 "70.000000", "80.000000", "90.000000", "95.000000",
		 "99.000000", "99.500000", "99.900000", "99.950000",
		 "99.990000" },
};

/*
 * fio's keys are "%f" of the percentile: six decimals. A percentile
 * with more precision than that is refused, not rounded: its key would
 * name another percentile (99.9999999 would be "100.000000") or collide
 * with one (1e-7 and 2e-7 would both be "0.000000"). So a percentile is
 * taken where its key reads back as the same number, and then it is a
 * whole number of millionths, and the ranks are integer arithmetic.
 */
int bench_pcts_parse(const char *s, struct bench_pcts *p, char *why,
		     size_t len)
{
	const char *q = s;

	p->n = 0;
	for (;;) {
		size_t tok = strcspn(q, ":");
		char *end;
		double v;

		if (p->n == BENCH_MAX_PCT) {
			snprintf(why, len, "--percentiles: more than %d "
				 "percentiles", BENCH_MAX_PCT);
			return -1;
		}
		v = strtod(q, &end);
		if (!tok) {
			snprintf(why, len, "--percentiles: an empty item: "
				 "give numbers joined by ':'");
			return -1;
		}
		if (end != q + tok || !isfinite(v) || v <= 0 || v > 100) {
			snprintf(why, len, "--percentiles: '%.*s' is not a "
				 "number in (0, 100]%s", (int)(tok < 40 ? tok : 40),
				 q, tok > 40 ? "..." : "");
			return -1;
		}
		snprintf(p->key[p->n], sizeof(p->key[0]), "%f", v);
		if (strtod(p->key[p->n], NULL) != v) {
			snprintf(why, len, "--percentiles: '%.*s' has more "
				 "than 6 decimals: fio's key for it, '%s', "
				 "would name another percentile",
				 (int)(tok < 40 ? tok : 40), q, p->key[p->n]);
			return -1;
		}
		p->micro[p->n] = (uint32_t)(v * 1e6 + 0.5);
		for (unsigned i = 0; i < p->n; i++)
			if (p->micro[i] == p->micro[p->n]) {
				snprintf(why, len, "--percentiles: %s is "
					 "given twice", p->key[i]);
				return -1;
			}
		p->n++;
		if (!q[tok])
			return 0;
		q += tok + 1;
	}
}

/* Newton's square root: the one libm function needed here is not worth
 * a library (and its errno path). */
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

uint64_t bench_nearest_rank(const uint32_t *s, size_t n, uint32_t micro)
{
	/* the smallest sample with p% at or below it: rank ceil(n p / 100);
	 * n < 2^35 and micro <= 10^8 keep it in 64 bits */
	uint64_t rank = ((uint64_t)n * micro + 99999999) / 100000000;

	if (!n)
		return 0;
	return s[rank < 1 ? 0 : rank > n ? n - 1 : rank - 1];
}

/* The batches of @n samples in time order: batch k holds samples
 * [k n / B, (k + 1) n / B), whose mean, median and 99th percentile it
 * keeps. Each batch is sorted in place, which the sort of them all that
 * follows does not mind. */
static void batches(uint32_t *s, size_t n, struct bench_lat *l)
{
	const unsigned nb = n < BENCH_BATCHES ? (unsigned)n : BENCH_BATCHES;

	l->nbatch = nb;
	l->batch_size = n / nb;
	for (unsigned k = 0; k < nb; k++) {
		size_t lo = (size_t)k * n / nb, hi = (size_t)(k + 1) * n / nb;
		double sum = 0;

		for (size_t i = lo; i < hi; i++)
			sum += s[i];
		l->batch_mean[k] = sum / (double)(hi - lo);
		sort_u32(s + lo, hi - lo);
		l->batch_p50[k] = bench_nearest_rank(s + lo, hi - lo, 50000000);
		l->batch_p99[k] = bench_nearest_rank(s + lo, hi - lo, 99000000);
	}
}

/* Sort @n samples in place; their mean, median and 99th percentile. */
static void summary(uint32_t *s, size_t n, double *mean, uint64_t *p50,
		    uint64_t *p99)
{
	double sum = 0;

	sort_u32(s, n);
	for (size_t i = 0; i < n; i++)
		sum += s[i];
	*mean = n ? sum / (double)n : NAN;
	*p50 = bench_nearest_rank(s, n, 50000000);
	*p99 = bench_nearest_rank(s, n, 99000000);
}

void bench_lat_compute(uint32_t *s, size_t n, const struct bench_pcts *p,
		       struct bench_lat *l)
{
	double sq = 0;

	memset(l, 0, sizeof(*l));
	l->pcts = p ? p : &bench_pcts_fio;
	l->n = n;
	if (!n)
		return;
	batches(s, n, l);
	summary(s, n, &l->mean, &l->p50, &l->p99);
	l->min = s[0];
	l->max = s[n - 1];
	for (size_t i = 0; i < n; i++) {
		sq += ((double)s[i] - l->mean) * ((double)s[i] - l->mean);
		l->hist[s[i] ? 63 - __builtin_clzll(s[i]) : 0]++;
		l->fine[dt_hist_index(s[i])]++;
	}
	l->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
	for (unsigned i = 0; i < l->pcts->n; i++)
		l->pct[i] = bench_nearest_rank(s, n, l->pcts->micro[i]);
}

int bench_lat_brief(const uint32_t *s, size_t n, double *mean, uint64_t *p50,
		    uint64_t *p99)
{
	uint32_t *v = malloc((n ? n : 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	if (n)		/* no samples (a direction not run): s may be NULL */
		memcpy(v, s, n * sizeof(*v));
	summary(v, n, mean, p50, p99);
	free(v);
	return 0;
}

/* ---- sample buffers ------------------------------------------------------ */

int bench_samples_alloc(struct bench_samples *s, size_t cap)
{
	memset(s, 0, sizeof(*s));
	s->v = malloc((cap ? cap : 1) * sizeof(*s->v));
	if (!s->v)
		return -ENOMEM;
	/* touched now, so that storing a sample never faults in the loop */
	memset(s->v, 0, (cap ? cap : 1) * sizeof(*s->v));
	s->cap = cap;
	return 0;
}

void bench_samples_free(struct bench_samples *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int bench_samples_append(struct bench_samples *dst,
			 const struct bench_samples *src)
{
	size_t cap = dst->cap;

	dst->dropped += src->dropped;
	if (!src->n)
		return 0;
	if (dst->n + src->n > cap) {
		void *mem = dst->v;

		if (dt_grow(&mem, &cap, dst->n + src->n, sizeof(*dst->v)))
			return -ENOMEM;
		dst->v = mem;
		dst->cap = cap;
	}
	memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n += src->n;
	return 0;
}

/* "99.900000" -> "99.9" */
static const char *pct_name(char *buf, size_t len, const char *key)
{
	size_t n;

	dt_strlcpy(buf, key, len);
	n = strlen(buf);
	while (n && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

/* A percentile in text: through @tx->pct, after " p99.9" with a label. */
static void print_pct_text(const struct bench_lat_text *tx, const char *key,
			   double v)
{
	char fmt[48], name[16];

	if (tx->pct_label)
		snprintf(fmt, sizeof(fmt), " p%s%s", pct_name(name,
			 sizeof(name), key), tx->pct);
	bench_print_ns(DT_TEXT, key, tx->pct_label ? fmt : tx->pct, v, true,
		       tx->standin);
}

/* hist: {sub_buckets, buckets: [[lo, count], ...]}, the buckets that
 * hold samples in order, each named by its lowest value (daxtool/stat.h);
 * null without samples. JSON only. */
static void print_hist(const struct bench_lat *l)
{
	if (!l) {
		dt_print_null(DT_JSON, "hist", NULL, NULL);
		return;
	}
	dt_print_begin_object("hist");
	dt_print_u64(DT_JSON, "sub_buckets", NULL, DT_HIST_SUB);
	dt_print_begin_inline_array("buckets");
	for (unsigned i = 0; i < DT_HIST_BUCKETS; i++) {
		if (!l->fine[i])
			continue;
		dt_print_begin_inline_array(NULL);
		dt_print_u64(DT_JSON, NULL, NULL, dt_hist_lo(i));
		dt_print_u64(DT_JSON, NULL, NULL, l->fine[i]);
		dt_print_end_array();
	}
	dt_print_end_array();
	dt_print_end_object();
}

/* batches: {count, size, mean: [...], p50: [...], p99: [...]}, each
 * batch's in time order; null without samples. JSON only. */
static void print_batches(const struct bench_lat *l)
{
	if (!l) {
		dt_print_null(DT_JSON, "batches", NULL, NULL);
		return;
	}
	dt_print_begin_object("batches");
	dt_print_u64(DT_JSON, "count", NULL, l->nbatch);
	dt_print_u64(DT_JSON, "size", NULL, l->batch_size);
	dt_print_begin_inline_array("mean");
	for (unsigned k = 0; k < l->nbatch; k++)
		dt_print_double(DT_JSON, NULL, NULL, l->batch_mean[k]);
	dt_print_end_array();
	dt_print_begin_inline_array("p50");
	for (unsigned k = 0; k < l->nbatch; k++)
		dt_print_u64(DT_JSON, NULL, NULL, l->batch_p50[k]);
	dt_print_end_array();
	dt_print_begin_inline_array("p99");
	for (unsigned k = 0; k < l->nbatch; k++)
		dt_print_u64(DT_JSON, NULL, NULL, l->batch_p99[k]);
	dt_print_end_array();
	dt_print_end_object();
}

void bench_lat_print(const char *key, const struct bench_lat *l,
		     const struct bench_lat_text *tx)
{
	static const struct bench_lat_text none;
	const bool have = l && l->n;
	const struct bench_pcts *p = l && l->pcts ? l->pcts : &bench_pcts_fio;
	/* text shows every percentile of a list given; of fio's, p50 and
	 * p99 */
	const bool all = p != &bench_pcts_fio;

	if (!tx)
		tx = &none;
	dt_print_begin_object(key);
	bench_print_ns(DT_ANY, "min", tx->min, have ? (double)l->min : NAN,
		       true, tx->standin);
	bench_print_ns(DT_ANY, "max", tx->max, have ? (double)l->max : NAN,
		       true, tx->standin);
	bench_print_ns(DT_ANY, "mean", tx->mean, have ? l->mean : NAN, false,
		       tx->standin);
	dt_print_double_opt(DT_JSON, "stddev", NULL, have ? l->stddev : NAN,
			    NULL);
	dt_print_u64(DT_JSON, "N", NULL, have ? l->n : 0);
	dt_print_begin_object("percentile");
	for (unsigned i = 0; i < p->n; i++) {
		double v = have ? (double)l->pct[i] : NAN;

		bench_print_ns(DT_JSON, p->key[i], NULL, v, true, NULL);
		if (all && tx->pct)
			print_pct_text(tx, p->key[i], v);
	}
	if (!all && tx->pct) {
		print_pct_text(tx, "50.000000", have ? (double)l->p50 : NAN);
		print_pct_text(tx, "99.000000", have ? (double)l->p99 : NAN);
	}
	dt_print_end_object();
	print_hist(have ? l : NULL);
	print_batches(have ? l : NULL);
	dt_print_end_object();
}

const char *bench_fmt_ns(char *buf, size_t len, double ns)
{
	static const struct { double div; const char *unit; } units[] = {
		{ 1e9, "s" }, { 1e6, "ms" }, { 1e3, "us" }, { 1, "ns" },
	};

	/* the unit and the decimal chosen by the figure as rounded: 999.7ns
	 * is 1.0us, 9.97us is 10us */
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (ns < units[i].div * 0.9995 && units[i].div > 1)
			continue;
		double v = ns / units[i].div;

		snprintf(buf, len, v < 9.95 && units[i].div > 1 ? "%.1f%s" :
			 "%.0f%s", v, units[i].unit);
		return buf;
	}
	snprintf(buf, len, "%.0fns", ns);
	return buf;
}

void bench_print_ns(enum dt_pmode m, const char *key, const char *fmt,
		    double ns, bool integer, const char *standin)
{
	const enum dt_pmode json = m & DT_JSON;
	char buf[16];

	if (isnan(ns)) {
		dt_print_null(m, key, fmt, standin);
		return;
	}
	/* the number in JSON, and in text as a person reads a time */
	if (integer)
		dt_print_u64(json, key, NULL, (uint64_t)ns);
	else
		dt_print_double(json, key, NULL, ns);
	if (m & DT_TEXT)
		dt_print_str(DT_TEXT, key, fmt, bench_fmt_ns(buf, sizeof(buf), ns));
}

void bench_lat_histogram(const char *title, const struct bench_lat *l)
{
	enum { WIDTH = 40 };
	int lo = 63, hi = 0;
	uint64_t top = 0;

	if (!l->n)
		return;
	for (int k = 0; k < 64; k++) {
		if (!l->hist[k])
			continue;
		lo = k < lo ? k : lo;
		hi = k;
		top = l->hist[k] > top ? l->hist[k] : top;
	}
	dt_print_text("\n  %s: latency, log2 buckets\n", title);
	for (int k = lo; k <= hi; k++) {
		char a[16], b[16], bar[WIDTH + 1];
		int w = (int)((l->hist[k] * WIDTH + top - 1) / top);

		memset(bar, '#', (size_t)w);
		memset(bar + w, ' ', (size_t)(WIDTH - w));
		bar[WIDTH] = '\0';
		dt_print_text("    %7s - %-7s |%s| %9llu %5.1f%%\n",
			    bench_fmt_ns(a, sizeof(a), (double)(1ULL << k)),
			    bench_fmt_ns(b, sizeof(b), (double)(2ULL << k)),
			    bar, (unsigned long long)l->hist[k],
			    100.0 * (double)l->hist[k] / (double)l->n);
	}
}
