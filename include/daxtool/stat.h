/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Statistics for comparing two results (daxtool compare): the latency
 * histogram bench writes and compare reads back, a seeded random number
 * generator, a bootstrap of the difference of a statistic between two
 * histograms, and Welch's t interval on the difference of two means.
 *
 * The histogram is log-linear, as fio's and HdrHistogram's: below 64 ns
 * a bucket per nanosecond; above, each power of two cut in 32 buckets of
 * equal width, so a bucket is at most 1/32 (3.1%) of its values wide.
 * A bucket is named by its lowest value, its width follows from that
 * (dt_hist_width), and it stands for its middle value.
 *
 * Every interval is two-sided at @level (0.95: 95%); a change is
 * significant when its interval excludes zero. The bootstrap is
 * deterministic: the same inputs and seed give the same interval.
 */
#ifndef DAXTOOL_STAT_H
#define DAXTOOL_STAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DT_HIST_SUB	32	/* buckets per power of two */
#define DT_HIST_EXACT	64	/* values below this have a bucket each */
#define DT_HIST_BUCKETS	896	/* 0 .. 2^32 - 1 */

/* The bucket of @v (values past 2^32 - 1 go in the last). */
unsigned dt_hist_index(uint64_t v);
/* A bucket's lowest value and its width. */
uint64_t dt_hist_lo(unsigned i);
uint64_t dt_hist_width(unsigned i);
/* The bucket whose lowest value is @lo, or -1 where no bucket starts
 * there. */
int dt_hist_find(uint64_t lo);
/* The value a bucket stands for: its middle; and the span of its
 * values, lowest to highest (0 for a bucket of one value). */
double dt_hist_mid(unsigned i);
double dt_hist_span(unsigned i);

/* splitmix64: small, fast, and the same sequence everywhere. */
struct dt_rng { uint64_t s; };
void dt_rng_seed(struct dt_rng *r, uint64_t seed);
uint64_t dt_rng_u64(struct dt_rng *r);
double dt_rng_unit(struct dt_rng *r);		/* in [0, 1) */
double dt_rng_normal(struct dt_rng *r);		/* N(0, 1) */
/* Binomial(n, p): exact by inversion where n p (1 - p) is small, else
 * the normal approximation, rounded and kept in [0, n]. */
uint64_t dt_rng_binomial(struct dt_rng *r, uint64_t n, double p);

/* A distribution as weighted values: @n values @v (ascending) with
 * counts @c; @w (may be NULL) the span of each value's bucket, which
 * it is the middle of: a quantile is interpolated inside it, as
 * histogram quantiles are, so that a bucket's width is not lost. */
struct dt_dist {
	size_t n;
	const double *v;
	const uint64_t *c;
	const double *w;
};
uint64_t dt_dist_total(const struct dt_dist *d);
/* Statistics of @d's values with counts @c (NULL: d->c): the mean; the
 * nearest-rank quantile at @p in (0, 1] (as bench takes percentiles),
 * placed inside its bucket by its rank there where @d has spans. NaN for
 * no values. */
double dt_dist_mean(const struct dt_dist *d, const uint64_t *c);
double dt_dist_quantile(const struct dt_dist *d, const uint64_t *c, double p);

/* What an interval is of. */
enum dt_stat_kind { DT_STAT_MEAN, DT_STAT_QUANTILE };

/* An estimate of a difference (new - base) and its interval. */
struct dt_ci {
	double base, new;	/* the statistic of each side */
	double diff;		/* new - base */
	double lo, hi;		/* the interval of diff; NaN: none */
};
/* Whether the interval excludes zero. */
bool dt_ci_significant(const struct dt_ci *ci);

/*
 * The bootstrap: @reps times, draw a sample of each side's size from
 * each side's histogram (a multinomial draw over its buckets), take the
 * statistic of both and keep the difference; the interval is the
 * percentile interval of those differences. 0, or -1 where a side has no
 * values or memory runs out.
 */
int dt_boot_diff(const struct dt_dist *base, const struct dt_dist *new,
		 enum dt_stat_kind kind, double p, unsigned reps,
		 uint64_t seed, double level, struct dt_ci *ci);

/* Mean and sample standard deviation of @n values (n - 1; 0 for n 1). */
void dt_mean_sd(const double *v, size_t n, double *mean, double *sd);

/*
 * Welch's interval of the difference of two means, from each side's
 * mean, sample standard deviation and count (each at least 2): the
 * difference +- t(df) times its standard error, df by Welch-Satterthwaite.
 * Where both deviations are 0 the interval is the difference itself.
 * 0, or -1 where a side has fewer than 2 values.
 */
int dt_welch_diff(double m1, double s1, double n1, double m2, double s2,
		  double n2, double level, struct dt_ci *ci);

/* Student's t: the quantile at @q in (0, 1) for @df > 0 degrees of
 * freedom (need not be whole), and its distribution function. */
double dt_t_quantile(double q, double df);
double dt_t_cdf(double t, double df);

#endif
