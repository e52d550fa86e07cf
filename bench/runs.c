// SPDX-License-Identifier: GPL-2.0-only
/*
 * The runs of a result (runner.h): which run is the median, each run's
 * own latency statistics, and the "runs" object every workload with
 * --runs prints, in one shape, so that compare reads them all alike.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "daxtool/print.h"
#include "runner.h"

void bench_run_lat(const uint32_t *samples, size_t n, struct bench_run_lat *l)
{
	if (bench_lat_brief(samples, n, &l->mean, &l->p50, &l->p99))
		*l = (struct bench_run_lat) { .mean = NAN };	/* no memory: null */
}

static int cmp_at(const void *x, const void *y, void *arg)
{
	const double *v = arg;
	double a = v[*(const unsigned *)x], b = v[*(const unsigned *)y];

	return (a > b) - (a < b);
}

unsigned bench_runs_median(const double *v, unsigned n)
{
	unsigned idx[n ? n : 1];

	if (!n)
		return 0;
	for (unsigned k = 0; k < n; k++)
		idx[k] = k;
	qsort_r(idx, n, sizeof(idx[0]), cmp_at, (void *)v);
	return idx[(n - 1) / 2];
}

void bench_runs_begin(const char *prefix, unsigned n)
{
	char fmt[128];

	snprintf(fmt, sizeof(fmt), "%s%%" PRIu64 " runs, min/median/max:",
		 prefix ? prefix : "");
	dt_print_begin_object("runs");
	dt_print_u64(DT_ANY, "count", bench_when(prefix, fmt), n);
}

void bench_runs_end(const char *prefix)
{
	if (prefix)
		dt_print_text("\n");
	dt_print_end_object();
}

/* One value: a time, or a bandwidth (text "2.1G/s"). */
static void value(const char *key, const char *fmt, double v,
		  enum bench_runs_unit u, enum dt_pmode m)
{
	char f[64];

	if (u != BENCH_RUNS_BW) {
		bench_print_ns(m, key, fmt, v, u == BENCH_RUNS_NS_INT, NULL);
		return;
	}
	if (fmt)
		snprintf(f, sizeof(f), "%s/s", fmt);
	dt_print_size(m, key, fmt ? f : NULL, isnan(v) || v < 0 ? 0 :
		      (uint64_t)v);
}

void bench_runs_values(const char *key, const double *v, unsigned n,
		       unsigned median, enum bench_runs_unit u,
		       const char *label)
{
	double lo = INFINITY, hi = -INFINITY;
	char fmt[64];

	for (unsigned k = 0; k < n; k++) {
		lo = v[k] < lo ? v[k] : lo;
		hi = v[k] > hi ? v[k] : hi;
	}
	if (!n)
		lo = hi = NAN;
	snprintf(fmt, sizeof(fmt), "%s %%s", label ? label : "");
	dt_print_begin_object(key);
	value("min", bench_when(label, fmt), lo, u, DT_ANY);
	value("median", bench_when(label, " / %s"), n ? v[median] : NAN, u,
	      DT_ANY);
	value("max", bench_when(label, " / %s"), hi, u, DT_ANY);
	/* every run's, in order: what compare's interval over runs needs */
	dt_print_begin_inline_array("values");
	for (unsigned k = 0; k < n; k++)
		value(NULL, NULL, v[k], u, DT_JSON);
	dt_print_end_array();
	dt_print_end_object();
}

void bench_runs_lat(const char *key, const struct bench_run_lat *l,
		    unsigned n)
{
	if (!l) {
		dt_print_null(DT_JSON, key, NULL, NULL);
		return;
	}
	dt_print_begin_object(key);
	dt_print_begin_inline_array("mean");
	for (unsigned k = 0; k < n; k++)
		dt_print_double_opt(DT_JSON, NULL, NULL, l[k].mean, NULL);
	dt_print_end_array();
	dt_print_begin_inline_array("p50");
	for (unsigned k = 0; k < n; k++)
		dt_print_u64(DT_JSON, NULL, NULL, l[k].p50);
	dt_print_end_array();
	dt_print_begin_inline_array("p99");
	for (unsigned k = 0; k < n; k++)
		dt_print_u64(DT_JSON, NULL, NULL, l[k].p99);
	dt_print_end_array();
	dt_print_end_object();
}
