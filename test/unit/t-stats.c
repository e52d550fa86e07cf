// SPDX-License-Identifier: GPL-2.0-only
/*
 * The benchmarks' statistics (bench/stats.c): exact nearest-rank
 * percentiles on small arrays whose answers are known by hand, the
 * mean, standard deviation and log2 histogram, fio's percentile syntax,
 * sample buffers, and the edges: no samples, one sample, all equal.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "tap.h"

static const uint32_t ten[] = { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 };

/* The percentiles of fio's list, by key, on 1..100 in shuffled order:
 * nearest rank of 1..100 at p is ceil(p), at p <= 1 it is 1. */
static void test_nearest_rank(void)
{
	static const struct { uint32_t micro; uint64_t want; } cases[] = {
		{ 1, 10 },		/* 0.000001%: the first sample */
		{ 10000000, 10 },	/* 10%: rank 1 */
		{ 10000001, 20 },	/* just past: rank 2 */
		{ 50000000, 50 },	/* median: rank 5, not 55 */
		{ 90000000, 90 },
		{ 99000000, 100 },	/* rank ceil(9.9) = 10 */
		{ 100000000, 100 },	/* the max */
	};
	uint32_t one = 7;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		CHECK(bench_nearest_rank(ten, 10, cases[i].micro) == cases[i].want,
		      "nearest rank: %u millionths of a percent of 10..100 is %llu",
		      cases[i].micro, (unsigned long long)cases[i].want);
	CHECK(bench_nearest_rank(NULL, 0, 50000000) == 0,
	      "nearest rank: no samples give 0");
	CHECK(bench_nearest_rank(&one, 1, 1) == 7 &&
	      bench_nearest_rank(&one, 1, 50000000) == 7 &&
	      bench_nearest_rank(&one, 1, 100000000) == 7,
	      "nearest rank: one sample is every percentile");
}

static void test_compute(void)
{
	uint32_t s[100];
	struct bench_lat l;
	bool rising = true;

	/* 1..100, shuffled: the result must not depend on the order */
	for (uint32_t i = 0; i < 100; i++)
		s[i] = (i * 37) % 100 + 1;
	bench_lat_compute(s, 100, NULL, &l);
	CHECK(l.n == 100 && l.min == 1 && l.max == 100,
	      "compute: N, min and max of 1..100");
	CHECK(l.mean == 50.5, "compute: the mean of 1..100 is 50.5");
	/* sample standard deviation of 1..100: sqrt(100 * 101 / 12) */
	CHECK(fabs(l.stddev - sqrt(841.6666666666666)) < 1e-6,
	      "compute: stddev of 1..100 is 29.011 (n - 1)");
	CHECK(l.p50 == 50 && l.p99 == 99, "compute: p50 50 and p99 99, named");
	CHECK(l.pcts == &bench_pcts_fio && l.pcts->n == 17,
	      "compute: fio's 17 percentiles by default");
	for (unsigned i = 0; i < l.pcts->n; i++)
		CHECK(l.pct[i] == (l.pcts->micro[i] + 999999) / 1000000,
		      "compute: percentile %s of 1..100 is its ceiling",
		      l.pcts->key[i]);
	for (unsigned i = 1; i < 100; i++)
		rising &= s[i - 1] <= s[i];
	CHECK(rising, "compute: sorts the samples in place");
}

/* Radix sort path: more than 4096 samples, values across all bytes. */
static void test_large(void)
{
	enum { N = 100000 };
	uint32_t *s = malloc(N * sizeof(*s));
	struct bench_lat l;
	uint64_t x = 1;

	if (!s) {
		CHECK(0, "large: malloc");
		return;
	}
	for (size_t i = 0; i < N; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		s[i] = (uint32_t)(x >> 33) | 1;
	}
	s[12345] = UINT32_MAX;
	s[54321] = 1;
	bench_lat_compute(s, N, NULL, &l);
	bool sorted = true;

	for (size_t i = 1; i < N; i++)
		sorted &= s[i - 1] <= s[i];
	CHECK(sorted && l.min == 1 && l.max == UINT32_MAX,
	      "large: %d samples sorted, min and max kept", N);
	CHECK(l.p50 == s[N / 2 - 1] && l.p99 == s[N / 100 * 99 - 1],
	      "large: p50 and p99 are the samples at rank n/2 and 99n/100");
	free(s);
}

static void test_edges(void)
{
	uint32_t one = 1234, same[5] = { 9, 9, 9, 9, 9 };
	struct bench_lat l;

	bench_lat_compute(NULL, 0, NULL, &l);
	CHECK(l.n == 0 && l.min == 0 && l.max == 0 && l.p50 == 0 &&
	      l.mean == 0 && l.pcts == &bench_pcts_fio,
	      "n = 0: everything 0, the list still fio's");
	bench_lat_compute(&one, 1, NULL, &l);
	CHECK(l.n == 1 && l.min == 1234 && l.max == 1234 && l.mean == 1234 &&
	      l.stddev == 0 && l.p50 == 1234 && l.p99 == 1234 &&
	      l.pct[0] == 1234 && l.pct[16] == 1234,
	      "n = 1: the sample is min, max, mean and every percentile; stddev 0");
	bench_lat_compute(same, 5, NULL, &l);
	CHECK(l.stddev == 0 && l.mean == 9 && l.p99 == 9,
	      "all equal: stddev 0");
}

static void test_histogram(void)
{
	/* 0 and 1 in bucket 0, 2-3 in 1, 4-7 in 2, 1024 in 10, 2^31 in 31 */
	uint32_t s[] = { 0, 1, 2, 3, 4, 7, 1024, 2047, 2048, 1u << 31 };
	uint64_t want[64] = { 0 };
	struct bench_lat l;

	want[0] = 2;
	want[1] = 2;
	want[2] = 2;
	want[10] = 2;
	want[11] = 1;
	want[31] = 1;
	bench_lat_compute(s, ARRAY_SIZE(s), NULL, &l);
	CHECK(!memcmp(l.hist, want, sizeof(want)),
	      "histogram: [2^k, 2^(k+1)) buckets, 0 with 1");
	bench_lat_compute(NULL, 0, NULL, &l);
	for (int k = 0; k < 64; k++)
		want[k] = 0;
	CHECK(!memcmp(l.hist, want, sizeof(want)), "histogram: empty for n = 0");
}

static void test_custom_list(void)
{
	uint32_t s[10];
	struct bench_pcts p;
	struct bench_lat l;
	char why[160];

	memcpy(s, ten, sizeof(s));
	CHECK(bench_pcts_parse("50:99.9:100", &p, why, sizeof(why)) == 0 &&
	      p.n == 3 && !strcmp(p.key[1], "99.900000") && p.micro[1] == 99900000,
	      "percentiles: 50:99.9:100 parsed with fio's keys");
	bench_lat_compute(s, 10, &p, &l);
	CHECK(l.pct[0] == 50 && l.pct[1] == 100 && l.pct[2] == 100 &&
	      l.p50 == 50 && l.p99 == 100,
	      "percentiles: the list asked for, and p50/p99 named beside it");
	CHECK(bench_pcts_parse("50:50.0", &p, why, sizeof(why)) < 0 &&
	      strstr(why, "given twice"), "percentiles: a duplicate is refused");
	CHECK(bench_pcts_parse("0", &p, why, sizeof(why)) < 0 &&
	      strstr(why, "not a number in (0, 100]"),
	      "percentiles: 0 is refused");
	CHECK(bench_pcts_parse("1e-7", &p, why, sizeof(why)) < 0 &&
	      strstr(why, "more than 6 decimals"),
	      "percentiles: more than 6 decimals is refused");
}

static void test_samples(void)
{
	struct bench_samples a, b, all = { 0 };

	CHECK(bench_samples_alloc(&a, 2) == 0 && a.cap == 2 && a.n == 0,
	      "samples: allocated empty");
	bench_sample_add(&a, 5);
	bench_sample_add(&a, (uint64_t)1 << 40);	/* clamped */
	bench_sample_add(&a, 6);			/* past the end */
	CHECK(a.n == 2 && a.v[0] == 5 && a.v[1] == UINT32_MAX && a.dropped == 1,
	      "samples: clamped to 32 bits, the one past cap dropped and counted");
	CHECK(bench_samples_alloc(&b, 0) == 0, "samples: a buffer of none");
	CHECK(bench_samples_append(&all, &a) == 0 &&
	      bench_samples_append(&all, &b) == 0 &&
	      bench_samples_append(&all, &a) == 0 &&
	      all.n == 4 && all.v[2] == 5 && all.dropped == 2,
	      "samples: appended, with what was dropped");
	bench_samples_free(&a);
	bench_samples_free(&b);
	bench_samples_free(&all);
	CHECK(all.v == NULL && all.n == 0, "samples: freed");
}

int main(void)
{
	test_nearest_rank();
	test_compute();
	test_large();
	test_edges();
	test_histogram();
	test_custom_list();
	test_samples();
	TAP_EXIT();
}
