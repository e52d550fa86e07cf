// SPDX-License-Identifier: GPL-2.0-only
/* Statistics for comparing results; see include/daxtool/stat.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "daxtool/stat.h"

/* ---- the log-linear histogram ------------------------------------------ */

/* log2 of DT_HIST_SUB, and of DT_HIST_EXACT */
#define SUB_BITS 5

unsigned dt_hist_index(uint64_t v)
{
	unsigned k;

	if (v > UINT32_MAX)
		v = UINT32_MAX;
	if (v < DT_HIST_EXACT)
		return (unsigned)v;
	k = 63 - (unsigned)__builtin_clzll(v);	/* 6 .. 31 */
	/* the top SUB_BITS + 1 bits: 32 .. 63 */
	return (k - SUB_BITS) * DT_HIST_SUB + (unsigned)(v >> (k - SUB_BITS));
}

uint64_t dt_hist_lo(unsigned i)
{
	unsigned k;

	if (i < DT_HIST_EXACT)
		return i;
	k = i / DT_HIST_SUB + SUB_BITS - 1;
	return (uint64_t)(i % DT_HIST_SUB + DT_HIST_SUB) << (k - SUB_BITS);
}

uint64_t dt_hist_width(unsigned i)
{
	if (i < DT_HIST_EXACT)
		return 1;
	return (uint64_t)1 << (i / DT_HIST_SUB - 1);
}

int dt_hist_find(uint64_t lo)
{
	unsigned i;

	if (lo > UINT32_MAX)
		return -1;
	i = dt_hist_index(lo);
	return dt_hist_lo(i) == lo ? (int)i : -1;
}

double dt_hist_span(unsigned i)
{
	return (double)(dt_hist_width(i) - 1);
}

double dt_hist_mid(unsigned i)
{
	return (double)dt_hist_lo(i) + dt_hist_span(i) / 2;
}

/* ---- random numbers ----------------------------------------------------- */

void dt_rng_seed(struct dt_rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t dt_rng_u64(struct dt_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double dt_rng_unit(struct dt_rng *r)
{
	return (double)(dt_rng_u64(r) >> 11) * 0x1.0p-53;
}

double dt_rng_normal(struct dt_rng *r)
{
	/* Box-Muller, one of the pair: simple, and the stream stays the
	 * same length whatever came before */
	double u = 1 - dt_rng_unit(r), v = dt_rng_unit(r);

	return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

uint64_t dt_rng_binomial(struct dt_rng *r, uint64_t n, double p)
{
	bool flip = p > 0.5;
	double q, mean, x;

	if (!n || p <= 0)
		return 0;
	if (p >= 1)
		return n;
	if (flip)
		p = 1 - p;
	q = 1 - p;
	mean = (double)n * p;
	if (mean * q < 30) {
		/* inversion: walk the distribution function; (1 - p)^n is at
		 * least e^-60 here, no underflow */
		double pr = pow(q, (double)n), cdf = pr, u = dt_rng_unit(r);
		uint64_t k = 0;

		while (u > cdf && k < n) {
			pr *= (double)(n - k) / (double)(k + 1) * p / q;
			k++;
			cdf += pr;
			if (pr < 1e-300 && cdf < u)	/* rounding: the tail */
				break;
		}
		return flip ? n - k : k;
	}
	x = floor(mean + sqrt(mean * q) * dt_rng_normal(r) + 0.5);
	if (x < 0)
		x = 0;
	if (x > (double)n)
		x = (double)n;
	return flip ? n - (uint64_t)x : (uint64_t)x;
}

/* ---- weighted values ---------------------------------------------------- */

uint64_t dt_dist_total(const struct dt_dist *d)
{
	uint64_t t = 0;

	for (size_t i = 0; i < d->n; i++)
		t += d->c[i];
	return t;
}

static uint64_t total_of(const struct dt_dist *d, const uint64_t *c)
{
	uint64_t t = 0;

	for (size_t i = 0; i < d->n; i++)
		t += c[i];
	return t;
}

double dt_dist_mean(const struct dt_dist *d, const uint64_t *c)
{
	double sum = 0;
	uint64_t t;

	c = c ? c : d->c;
	t = total_of(d, c);
	if (!t)
		return NAN;
	for (size_t i = 0; i < d->n; i++)
		sum += d->v[i] * (double)c[i];
	return sum / (double)t;
}

double dt_dist_quantile(const struct dt_dist *d, const uint64_t *c, double p)
{
	uint64_t t, rank, seen = 0;

	c = c ? c : d->c;
	t = total_of(d, c);
	if (!t)
		return NAN;
	/* nearest rank: the smallest value with p of them at or below */
	rank = (uint64_t)ceil(p * (double)t - 1e-9);
	rank = rank < 1 ? 1 : rank > t ? t : rank;
	for (size_t i = 0; i < d->n; i++) {
		if (seen + c[i] >= rank) {
			double f = ((double)(rank - seen) - 0.5) / (double)c[i];

			return d->w ? d->v[i] + (f - 0.5) * d->w[i] : d->v[i];
		}
		seen += c[i];
	}
	return d->v[d->n - 1];
}

static double stat_of(const struct dt_dist *d, const uint64_t *c,
		      enum dt_stat_kind kind, double p)
{
	return kind == DT_STAT_MEAN ? dt_dist_mean(d, c) :
	       dt_dist_quantile(d, c, p);
}

bool dt_ci_significant(const struct dt_ci *ci)
{
	if (isnan(ci->lo) || isnan(ci->hi))
		return false;
	return ci->lo > 0 || ci->hi < 0;
}

/* ---- the bootstrap -------------------------------------------------------- */

/* A multinomial draw of @d's total over its buckets, into @out:
 * conditional binomials, one a bucket. */
static void draw(struct dt_rng *r, const struct dt_dist *d, uint64_t total,
		 uint64_t *out)
{
	uint64_t left = total, mass = total;

	for (size_t i = 0; i < d->n; i++) {
		out[i] = left && mass ? dt_rng_binomial(r, left,
				(double)d->c[i] / (double)mass) : 0;
		left -= out[i];
		mass -= d->c[i];
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The empirical quantile of sorted @v at @q, interpolated. */
static double sorted_quantile(const double *v, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t i = (size_t)pos;

	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (pos - (double)i) * (v[i + 1] - v[i]);
}

int dt_boot_diff(const struct dt_dist *base, const struct dt_dist *new,
		 enum dt_stat_kind kind, double p, unsigned reps,
		 uint64_t seed, double level, struct dt_ci *ci)
{
	uint64_t tb = dt_dist_total(base), tn = dt_dist_total(new);
	uint64_t *cb, *cn;
	double *diff;
	struct dt_rng r;

	ci->base = ci->new = ci->diff = ci->lo = ci->hi = NAN;
	if (!tb || !tn || !reps)
		return -1;
	ci->base = stat_of(base, NULL, kind, p);
	ci->new = stat_of(new, NULL, kind, p);
	ci->diff = ci->new - ci->base;
	cb = calloc(base->n, sizeof(*cb));
	cn = calloc(new->n, sizeof(*cn));
	diff = calloc(reps, sizeof(*diff));
	if (!cb || !cn || !diff) {
		free(cb);
		free(cn);
		free(diff);
		return -1;
	}
	dt_rng_seed(&r, seed);
	for (unsigned k = 0; k < reps; k++) {
		draw(&r, base, tb, cb);
		draw(&r, new, tn, cn);
		diff[k] = stat_of(new, cn, kind, p) - stat_of(base, cb, kind, p);
	}
	qsort(diff, reps, sizeof(*diff), cmp_double);
	ci->lo = sorted_quantile(diff, reps, (1 - level) / 2);
	ci->hi = sorted_quantile(diff, reps, 1 - (1 - level) / 2);
	free(cb);
	free(cn);
	free(diff);
	return 0;
}

/* ---- Welch ----------------------------------------------------------------- */

void dt_mean_sd(const double *v, size_t n, double *mean, double *sd)
{
	double sum = 0, sq = 0;

	*mean = NAN;
	*sd = NAN;
	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	*mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		sq += (v[i] - *mean) * (v[i] - *mean);
	*sd = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
}

/* The continued fraction of the incomplete beta function (Lentz). */
static double beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;

	d = fabs(d) < tiny ? tiny : d;
	d = 1 / d;
	h = d;
	for (int m = 1; m <= 300; m++) {
		double m2 = 2.0 * m, aa, del;

		aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
		d = 1 + aa * d;
		d = fabs(d) < tiny ? tiny : d;
		c = 1 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		d = 1 / d;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + aa * d;
		d = fabs(d) < tiny ? tiny : d;
		c = 1 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		d = 1 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-15)
			break;
	}
	return h;
}

/* The regularised incomplete beta function I_x(a, b). */
static double inc_beta(double a, double b, double x)
{
	double front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
		    b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_cf(a, b, x) / a;
	return 1 - front * beta_cf(b, a, 1 - x) / b;
}

double dt_t_cdf(double t, double df)
{
	double tail = 0.5 * inc_beta(df / 2, 0.5, df / (df + t * t));

	return t >= 0 ? 1 - tail : tail;
}

double dt_t_quantile(double q, double df)
{
	double lo = 0, hi = 1;

	if (!(q > 0 && q < 1) || !(df > 0))
		return NAN;
	if (q == 0.5)
		return 0;
	if (q < 0.5)
		return -dt_t_quantile(1 - q, df);
	while (dt_t_cdf(hi, df) < q && hi < 1e12)
		hi *= 2;
	for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
		double mid = (lo + hi) / 2;

		if (dt_t_cdf(mid, df) < q)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

int dt_welch_diff(double m1, double s1, double n1, double m2, double s2,
		  double n2, double level, struct dt_ci *ci)
{
	double v1, v2, se, df, t;

	ci->base = m1;
	ci->new = m2;
	ci->diff = m2 - m1;
	ci->lo = ci->hi = NAN;
	if (!(n1 >= 2 && n2 >= 2) || isnan(m1) || isnan(m2) || isnan(s1) ||
	    isnan(s2))
		return -1;
	v1 = s1 * s1 / n1;
	v2 = s2 * s2 / n2;
	se = sqrt(v1 + v2);
	if (se == 0) {
		ci->lo = ci->hi = ci->diff;
		return 0;
	}
	df = (v1 + v2) * (v1 + v2) /
	     (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1));
	t = dt_t_quantile(1 - (1 - level) / 2, df);
	ci->lo = ci->diff - t * se;
	ci->hi = ci->diff + t * se;
	return 0;
}
