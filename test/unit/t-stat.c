// SPDX-License-Identifier: GPL-2.0-only
/*
 * The statistics compare uses (lib/stat.c): the histogram's buckets, the
 * t distribution against its tables, Welch's interval on a worked
 * example, and the bootstrap on known distributions: a known difference
 * falls inside its interval and is significant, and between two samples
 * of one distribution the interval excludes zero at about the documented
 * rate (5% at 95%), no more. Deterministic: the same seed, the same
 * interval. And the batches bench keeps for one run (lat_ns.batches):
 * cut in time order, and on samples that drift, as a run's do, Welch on
 * the batch means keeps about the documented rate where a test that
 * takes the samples as independent does not.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxtool/stat.h"
#include "daxtool/util.h"
#include "bench.h"
#include "tap.h"

static void test_hist(void)
{
	bool ok = true, order = true, find = true;
	uint64_t prev_hi = 0;

	/* every value lands in the bucket whose range holds it */
	for (uint64_t v = 0; v < 5000000; v += v < 4096 ? 1 : 997) {
		unsigned i = dt_hist_index(v);

		ok &= dt_hist_lo(i) <= v && v < dt_hist_lo(i) + dt_hist_width(i);
	}
	CHECK(ok, "hist: each value is inside its bucket");
	/* buckets tile 0 .. 2^32 without gaps, each at most 1/32 wide */
	for (unsigned i = 0; i < DT_HIST_BUCKETS; i++) {
		order &= dt_hist_lo(i) == prev_hi;
		order &= i < DT_HIST_EXACT ||
			 dt_hist_width(i) * DT_HIST_SUB <= dt_hist_lo(i);
		prev_hi = dt_hist_lo(i) + dt_hist_width(i);
		find &= dt_hist_find(dt_hist_lo(i)) == (int)i;
	}
	CHECK(order && prev_hi == (uint64_t)1 << 32,
	      "hist: the buckets tile [0, 2^32), none wider than 1/32 of its values");
	CHECK(find, "hist: each bucket is found by its lowest value");
	CHECK(dt_hist_find(65) == -1 && dt_hist_find((uint64_t)1 << 33) == -1,
	      "hist: a value that starts no bucket is refused");
	CHECK(dt_hist_index(UINT64_MAX) == DT_HIST_BUCKETS - 1,
	      "hist: values past 2^32 - 1 go in the last bucket");
	CHECK(dt_hist_index(63) == 63 && dt_hist_index(64) == 64 &&
	      dt_hist_width(64) == 2 && dt_hist_lo(65) == 66,
	      "hist: exact below 64, then buckets of 2 from 64");
	CHECK(dt_hist_mid(64) == 64.5 && dt_hist_mid(10) == 10,
	      "hist: a bucket stands for its middle");
}

/* Student's t against its tables. */
static void test_t(void)
{
	static const struct { double df, q975; } tab[] = {
		{ 1, 12.7062 }, { 2, 4.3027 }, { 3, 3.1824 }, { 5, 2.5706 },
		{ 10, 2.2281 }, { 30, 2.0423 }, { 1000, 1.9623 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(tab); i++)
		CHECK(fabs(dt_t_quantile(0.975, tab[i].df) - tab[i].q975) < 5e-4,
		      "t: the 97.5%% point at %g degrees of freedom is %g",
		      tab[i].df, tab[i].q975);
	CHECK(fabs(dt_t_quantile(0.95, 4) - 2.1318) < 5e-4,
	      "t: the 95%% point at 4 degrees of freedom is 2.1318");
	CHECK(dt_t_quantile(0.025, 10) == -dt_t_quantile(0.975, 10),
	      "t: symmetric");
	CHECK(fabs(dt_t_cdf(0, 7) - 0.5) < 1e-12 &&
	      fabs(dt_t_cdf(2.2281, 10) - 0.975) < 1e-4,
	      "t: the distribution function at 0 and at a table point");
	CHECK(isnan(dt_t_quantile(1, 3)) && isnan(dt_t_quantile(0.9, 0)),
	      "t: no quantile at 1 or with no degrees of freedom");
}

static void test_welch(void)
{
	/* two samples worked by hand: a = 1..5 (mean 3, sd 1.5811),
	 * b = 3..7 (mean 5); se = 1, df = 8, t(0.975, 8) = 2.3060 */
	const double a[] = { 1, 2, 3, 4, 5 }, b[] = { 3, 4, 5, 6, 7 };
	double ma, sa, mb, sb;
	struct dt_ci ci;

	dt_mean_sd(a, 5, &ma, &sa);
	dt_mean_sd(b, 5, &mb, &sb);
	CHECK(ma == 3 && fabs(sa - sqrt(2.5)) < 1e-12 && mb == 5,
	      "mean and sd of 1..5");
	CHECK(!dt_welch_diff(ma, sa, 5, mb, sb, 5, 0.95, &ci) &&
	      ci.diff == 2 && fabs(ci.lo - (2 - 2.3060)) < 1e-3 &&
	      fabs(ci.hi - (2 + 2.3060)) < 1e-3,
	      "welch: 1..5 against 3..7: 2 +- 2.306, not significant");
	CHECK(!dt_ci_significant(&ci), "welch: that interval holds zero");
	CHECK(!dt_welch_diff(10, 0.1, 5, 11, 0.1, 5, 0.95, &ci) &&
	      dt_ci_significant(&ci) && ci.lo > 0.8 && ci.hi < 1.2,
	      "welch: a difference of 1 with deviations of 0.1 is significant");
	CHECK(!dt_welch_diff(10, 0, 3, 10, 0, 3, 0.95, &ci) &&
	      ci.lo == 0 && ci.hi == 0 && !dt_ci_significant(&ci),
	      "welch: identical constant runs: no change");
	CHECK(dt_welch_diff(10, 1, 1, 11, 1, 5, 0.95, &ci) == -1 &&
	      isnan(ci.lo), "welch: one run is no interval");
}

/* A histogram of @n samples of a log-normal latency around @median ns
 * (a fault's shape: a bulk and a long tail), into @v, @c, @w. */
struct h { double v[DT_HIST_BUCKETS], w[DT_HIST_BUCKETS];
	   uint64_t c[DT_HIST_BUCKETS], raw[DT_HIST_BUCKETS];
	   struct dt_dist d; };

static void sample(struct h *h, struct dt_rng *r, unsigned n, double median,
		   double sigma)
{
	memset(h->raw, 0, sizeof(h->raw));
	for (unsigned i = 0; i < n; i++)
		h->raw[dt_hist_index((uint64_t)(median *
				     exp(sigma * dt_rng_normal(r))))]++;
	h->d = (struct dt_dist){ .v = h->v, .c = h->c, .w = h->w };
	for (unsigned i = 0; i < DT_HIST_BUCKETS; i++) {
		if (!h->raw[i])
			continue;
		h->v[h->d.n] = dt_hist_mid(i);
		h->w[h->d.n] = dt_hist_span(i);
		h->c[h->d.n++] = h->raw[i];
	}
}

static struct h ha, hb;

static void test_boot(void)
{
	struct dt_rng r;
	struct dt_ci ci, again;
	unsigned false_mean = 0, false_p50 = 0, trials = 200;
	bool inside = true;

	dt_rng_seed(&r, 1);
	/* a known difference: medians 10000 and 11000 ns (10%) */
	sample(&ha, &r, 20000, 10000, 0.3);
	sample(&hb, &r, 20000, 11000, 0.3);
	CHECK(!dt_boot_diff(&ha.d, &hb.d, DT_STAT_QUANTILE, 0.5, 1000, 7, 0.95,
			    &ci) && dt_ci_significant(&ci) &&
	      ci.lo < 1000 && ci.hi > 1000 && ci.lo > 700,
	      "bootstrap: a 10%% shift of the median is significant, its interval "
	      "[%.0f, %.0f] holds 1000", ci.lo, ci.hi);
	dt_boot_diff(&ha.d, &hb.d, DT_STAT_QUANTILE, 0.5, 1000, 7, 0.95, &again);
	CHECK(again.lo == ci.lo && again.hi == ci.hi,
	      "bootstrap: the same seed gives the same interval");
	/* the mean of a log-normal: median * e^(sigma^2 / 2) */
	CHECK(!dt_boot_diff(&ha.d, &hb.d, DT_STAT_MEAN, 0, 1000, 7, 0.95, &ci) &&
	      dt_ci_significant(&ci) &&
	      ci.lo < 1000 * exp(0.045) && ci.hi > 1000 * exp(0.045),
	      "bootstrap: the mean's difference %.0f is inside [%.0f, %.0f]",
	      1000 * exp(0.045), ci.lo, ci.hi);
	CHECK(!dt_boot_diff(&ha.d, &ha.d, DT_STAT_MEAN, 0, 500, 7, 0.95, &ci) &&
	      ci.diff == 0 && !dt_ci_significant(&ci),
	      "bootstrap: a histogram against itself: no change");

	/* two samples of one distribution: the 95% interval excludes zero
	 * about 5% of the time; more than 12% of 200 would be a fault */
	for (unsigned t = 0; t < trials; t++) {
		sample(&ha, &r, 2000, 10000, 0.3);
		sample(&hb, &r, 2000, 10000, 0.3);
		dt_boot_diff(&ha.d, &hb.d, DT_STAT_MEAN, 0, 400, t, 0.95, &ci);
		false_mean += dt_ci_significant(&ci);
		inside &= ci.lo <= ci.diff && ci.diff <= ci.hi;
		dt_boot_diff(&ha.d, &hb.d, DT_STAT_QUANTILE, 0.5, 400, t, 0.95, &ci);
		false_p50 += dt_ci_significant(&ci);
	}
	CHECK(false_mean <= trials * 12 / 100,
	      "bootstrap: the mean, same distribution: %u of %u significant "
	      "(about 5%% expected)", false_mean, trials);
	CHECK(false_p50 <= trials * 12 / 100,
	      "bootstrap: the median, same distribution: %u of %u significant "
	      "(about 5%% expected)", false_p50, trials);
	CHECK(false_mean > 0 || false_p50 > 0,
	      "bootstrap: not so wide that nothing is ever significant");
	CHECK(inside, "bootstrap: the estimate is inside its interval");
	{
		struct dt_dist none = { 0 };

		CHECK(dt_boot_diff(&none, &ha.d, DT_STAT_MEAN, 0, 10, 1, 0.95,
				   &ci) == -1, "bootstrap: no samples, no interval");
	}
}

static void test_binomial(void)
{
	struct dt_rng r;
	double sum = 0, sq = 0;
	const unsigned n = 20000;
	bool range = true;

	dt_rng_seed(&r, 3);
	for (unsigned i = 0; i < n; i++) {
		uint64_t x = dt_rng_binomial(&r, 50, 0.1);

		range &= x <= 50;
		sum += (double)x;
		sq += (double)x * (double)x;
	}
	CHECK(range && fabs(sum / n - 5) < 0.1 &&
	      fabs(sq / n - (sum / n) * (sum / n) - 4.5) < 0.3,
	      "binomial(50, 0.1): mean 5, variance 4.5 (inversion)");
	sum = 0;
	for (unsigned i = 0; i < n; i++)
		sum += (double)dt_rng_binomial(&r, 100000, 0.3);
	CHECK(fabs(sum / n - 30000) < 5,
	      "binomial(100000, 0.3): mean 30000 (normal)");
	CHECK(dt_rng_binomial(&r, 10, 0) == 0 && dt_rng_binomial(&r, 10, 1) == 10 &&
	      dt_rng_binomial(&r, 0, 0.5) == 0, "binomial: the edges");
}

static void test_quantile(void)
{
	const double v[] = { 10, 20, 30 };
	const uint64_t c[] = { 1, 2, 1 };
	struct dt_dist d = { .n = 3, .v = v, .c = c };

	CHECK(dt_dist_mean(&d, NULL) == 20, "dist: the weighted mean");
	CHECK(dt_dist_quantile(&d, NULL, 0.25) == 10 &&
	      dt_dist_quantile(&d, NULL, 0.5) == 20 &&
	      dt_dist_quantile(&d, NULL, 1) == 30,
	      "dist: nearest-rank quantiles");
}

/* @n samples around @level ns: an AR(1) drift (each step keeps @rho of
 * the last, as a machine's state lingers) plus independent noise. */
static void drifting(uint32_t *s, size_t n, struct dt_rng *r, double level,
		     double rho)
{
	double d = 0;

	for (size_t i = 0; i < n; i++) {
		double x;

		d = rho * d + sqrt(1 - rho * rho) * dt_rng_normal(r) * 300;
		x = level + d + dt_rng_normal(r) * 200;
		s[i] = (uint32_t)(x > 1 ? x : 1);
	}
}

static void test_batches(void)
{
	enum { N = 8192, TRIALS = 300 };
	static uint32_t a[N], b[N];
	struct bench_lat la, lb;
	struct dt_rng r;
	unsigned batch_fp = 0, iid_fp = 0;
	bool order = true;

	/* time order: batch k of 0..N-1 holds k N / 32 .. (k + 1) N / 32 - 1 */
	for (size_t i = 0; i < N; i++)
		a[i] = (uint32_t)i;
	bench_lat_compute(a, N, NULL, &la);
	for (unsigned k = 0; k < la.nbatch; k++)
		order &= la.batch_mean[k] == k * 256 + 127.5 &&
			 la.batch_p50[k] == k * 256 + 127 &&
			 la.batch_p99[k] == k * 256 + 253;
	CHECK(la.nbatch == BENCH_BATCHES && la.batch_size == N / BENCH_BATCHES &&
	      order, "batches: 32 in time order, each its mean, p50, p99");
	CHECK(la.p50 == 4095 && la.min == 0 && la.max == N - 1,
	      "batches: the whole's statistics are the same");
	for (size_t i = 0; i < 5; i++)
		a[i] = 100 + (uint32_t)i;
	bench_lat_compute(a, 5, NULL, &la);
	CHECK(la.nbatch == 5 && la.batch_size == 1 && la.batch_mean[4] == 104,
	      "batches: fewer samples than batches: a batch each");

	/* two runs of one drifting distribution: the interval on the batch
	 * means excludes zero at about 5%; Welch on the samples, as if
	 * independent, far more often */
	dt_rng_seed(&r, 42);
	for (unsigned t = 0; t < TRIALS; t++) {
		double m1, s1, m2, s2;
		struct dt_ci ci;

		drifting(a, N, &r, 10000, 0.95);
		drifting(b, N, &r, 10000, 0.95);
		bench_lat_compute(a, N, NULL, &la);
		bench_lat_compute(b, N, NULL, &lb);
		dt_mean_sd(la.batch_mean, la.nbatch, &m1, &s1);
		dt_mean_sd(lb.batch_mean, lb.nbatch, &m2, &s2);
		dt_welch_diff(m1, s1, la.nbatch, m2, s2, lb.nbatch, 0.95, &ci);
		batch_fp += dt_ci_significant(&ci);
		dt_welch_diff(la.mean, la.stddev, N, lb.mean, lb.stddev, N,
			      0.95, &ci);
		iid_fp += dt_ci_significant(&ci);
	}
	printf("# drifting runs of one distribution: batch means significant "
	       "%u/%u, samples as independent %u/%u\n", batch_fp, TRIALS,
	       iid_fp, TRIALS);
	CHECK(batch_fp <= TRIALS * 10 / 100,
	      "batch means: no false significance beyond the rate (5%%, +5%%)");
	CHECK(iid_fp >= TRIALS * 30 / 100,
	      "the samples as independent: far too often (what batches fix)");
}

int main(void)
{
	test_hist();
	test_t();
	test_welch();
	test_quantile();
	test_binomial();
	test_boot();
	test_batches();
	TAP_EXIT();
}
