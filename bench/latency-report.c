// SPDX-License-Identifier: GPL-2.0-only
/*
 * The output of bench latency, between the target and the env the runner
 * prints: what was asked; per page size, the pages the mapping was found
 * to have, the idle curve and the loaded points, each point's latency in
 * fio's lat_ns shape (a sample is one repeat's ns per load); and in text
 * a chart of the idle curves. Each value is one call that prints it in
 * both outputs (include/daxtool/print.h).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "daxtool/fmt.h"
#include "daxtool/print.h"
#include "chart.h"
#include "latency.h"

#define NS_FMT " %8.2f"

/* fio's lat_ns of one point: min, max, mean, stddev, N and the median as
 * percentile 50; text "  min  max  mean  median", or the median alone. */
static void print_lat(const struct chase_result *r, bool median_only)
{
	const bool have = r->repeats > 0;
	const char *fmt = median_only ? NULL : NS_FMT;
	static const char standin[] = "        -";

	dt_print_begin_object("lat_ns");
	dt_print_double_opt(DT_ANY, "min", fmt, have ? r->ns_min : NAN, standin);
	dt_print_double_opt(DT_ANY, "max", fmt, have ? r->ns_max : NAN, standin);
	dt_print_double_opt(DT_ANY, "mean", fmt, have ? r->ns_mean : NAN, standin);
	dt_print_double_opt(DT_JSON, "stddev", NULL, have ? r->ns_stddev : NAN, NULL);
	dt_print_u64(DT_JSON, "N", NULL, r->repeats);
	dt_print_begin_object("percentile");
	dt_print_double_opt(DT_ANY, "50.000000", NS_FMT, have ? r->ns_median : NAN,
			    standin);
	dt_print_end_object();
	dt_print_end_object();
}

static void print_point(const struct chase_result *r)
{
	dt_print_size(DT_ANY, "ws_bytes", "  %11s", r->size);
	dt_print_u64(DT_JSON, "lines", NULL, r->lines);
	dt_print_u64(DT_JSON, "loads", NULL, r->loads);
	print_lat(r, false);
}

static void print_options(const struct bench *b, const struct lat_bench *l)
{
	const struct lat_opts *o = l->o;

	dt_print_begin_object("options");
	dt_print_u64(DT_ANY, "stride", "  chase: %" PRIu64 "-byte lines",
		     o->stride);
	/* 0: no groups, one random cycle over the working set */
	dt_print_size(DT_ANY, "group", o->group ? ", in groups of %s" :
		      ", random over the working set", o->group);
	dt_print_u64(DT_ANY, "repeats", ", %" PRIu64 " timed repeats a point",
		     o->repeats);
	/* 0: every repeat a whole lap */
	dt_print_u64(DT_ANY, "max_loads", o->max_loads ? " of up to %" PRIu64
		     " loads" : " of a lap each", o->max_loads);
	dt_print_u64(DT_ANY, "seed", ", seed %" PRIu64 "\n", o->seed);
	dt_print_size(DT_JSON, "min_ws", NULL, l->min_ws);
	dt_print_size(DT_JSON, "max_ws", NULL, l->max_ws);
	dt_print_bool(DT_JSON, "loaded", NULL, o->loaded);
	dt_print_u64(DT_JSON, "threads", NULL, b->o->threads);
	dt_print_str_opt(DT_JSON, "traffic", NULL, o->loaded ?
			 chase_traffic_names[o->traffic] : NULL, NULL);
	dt_print_size_opt(DT_JSON, "loaded_ws", NULL, l->loaded_ws, NULL);
	dt_print_double_opt(DT_JSON, "ns_per_spin", NULL, o->loaded ?
			    l->ns_per_spin : NAN, NULL);
	dt_print_end_object();
}

/* "4K pages: 0 of 128 windows PMD-mapped, by second touch; smaps ...",
 * and loudly where the mapping is not of the page size asked for. */
static void print_pages(const struct lat_pass *p)
{
	const struct bench_pages *pg = &p->pages;

	dt_print_begin_object("pages");
	bench_pages_print(pg);
	dt_print_double_opt(DT_JSON, "pmd_ratio", NULL, bench_pages_ratio(pg),
			    NULL);
	dt_print_text("\n");
	bench_pages_print_note(pg);
	bench_pages_print_fallback(pg, p->label, &p->why);
	dt_print_end_object();
}

static void print_idle(const struct lat_pass *p)
{
	dt_print_text("    working set      min      max     mean   median "
		      "(ns per load)\n");
	dt_print_begin_array("idle");
	for (unsigned i = 0; i < p->nidle; i++) {
		dt_print_begin_row(NULL);
		print_point(&p->idle[i]);
		dt_print_end_row();
	}
	dt_print_end_array();
}

static void print_loaded(const struct lat_bench *l, const struct lat_pass *p)
{
	const struct lat_opts *o = l->o;
	char a[32];

	if (!o->loaded) {
		dt_print_null(DT_JSON, "loaded", NULL, NULL);
		return;
	}
	dt_print_text("    loaded: the chase over %s, %s traffic from %u "
		      "thread%s over the rest\n", dt_fmt_size(a, sizeof(a),
		      l->loaded_ws), chase_traffic_names[o->traffic],
		      o->common.threads - 1, bench_s(o->common.threads - 1));
	dt_print_text("          delay      traffic    median (ns per load)\n");
	dt_print_begin_array("loaded");
	for (unsigned i = 0; i < l->ndelays; i++) {
		const struct lat_point *pt = &p->loaded[i];

		dt_print_begin_row(NULL);
		bench_print_ns(DT_ANY, "delay_ns", "    %11s", (double)pt->delay_ns,
			       true, NULL);
		dt_print_u64(DT_JSON, "delay_spins", NULL, pt->delay_spins);
		dt_print_size(DT_ANY, "bw_bytes", "  %9s/s", (uint64_t)pt->bw);
		dt_print_u64(DT_JSON, "traffic_bytes", NULL, pt->bytes);
		dt_print_u64(DT_JSON, "ws_bytes", NULL, pt->chase.size);
		dt_print_u64(DT_JSON, "loads", NULL, pt->chase.loads);
		print_lat(&pt->chase, true);
		dt_print_end_row();
	}
	dt_print_end_array();
}

static void chart_line(const char *s, void *arg)
{
	(void)arg;
	dt_print_text("  %s\n", s);
}

/* The idle curves, one series a page size. */
static void print_chart(const struct lat_bench *l)
{
	static const char marks[LAT_MAX_PASSES] = { '*', 'o', '+' };
	double x[LAT_MAX_PASSES][LAT_MAX_SIZES], y[LAT_MAX_PASSES][LAT_MAX_SIZES];
	struct chart_series s[LAT_MAX_PASSES];
	struct chart_opts co = { .log_y = true,
				 .title = "ns per load, by working set" };

	if (dt_print_json() || l->o->no_chart)
		return;
	for (unsigned p = 0; p < l->npasses; p++) {
		const struct lat_pass *pass = &l->passes[p];

		for (unsigned i = 0; i < pass->nidle; i++) {
			x[p][i] = (double)pass->idle[i].size;
			y[p][i] = pass->idle[i].ns_median;
		}
		s[p] = (struct chart_series) { .label = pass->label,
					       .mark = marks[p], .x = x[p],
					       .y = y[p], .n = pass->nidle };
	}
	dt_print_text("\n");
	chart_render(&co, s, l->npasses, chart_line, NULL);
}

void lat_report(const struct bench *b, const struct lat_bench *l)
{
	print_options(b, l);
	dt_print_begin_array("passes");
	for (unsigned i = 0; i < l->npasses; i++) {
		const struct lat_pass *p = &l->passes[i];

		dt_print_begin_object(NULL);
		dt_print_size(DT_ANY, "page_size", "\n  %s pages: ", p->page_size);
		print_pages(p);
		print_idle(p);
		print_loaded(l, p);
		dt_print_end_object();
	}
	dt_print_end_array();
	dt_print_begin_array("skipped");
	if (l->nskipped)
		dt_print_text("\n");
	for (unsigned i = 0; i < l->nskipped; i++) {
		dt_print_begin_row(NULL);
		dt_print_size(DT_ANY, "page_size", "  %s pages: not run",
			      l->skipped[i].page_size);
		dt_print_str(DT_ANY, "why", ": %s\n", l->skipped[i].why);
		dt_print_end_object();
	}
	dt_print_end_array();
	print_chart(l);
}
