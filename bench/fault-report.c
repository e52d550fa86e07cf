// SPDX-License-Identifier: GPL-2.0-only
/*
 * The output of the fault workloads: one JSON document whose shape never
 * depends on the flags (see doc/json.md), or in text a table with one
 * row a pass, each followed by what its verification found, then log2
 * latency histograms and, for pmd-fault, the cost of a 2 MiB window both
 * ways. A 2 MiB pass that did not get 2 MiB mappings is said loudly, with
 * the reasons bench_explain() found, and its ratios are marked as what
 * was measured. The runner prints the document's frame: the target
 * before, the env after.
 *
 * Each value is one call that prints it in both outputs (see
 * include/daxtool/print.h): a row's columns are the JSON members of its
 * result, in their order.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "daxtool/fmt.h"
#include "daxtool/print.h"
#include "daxtool/util.h"
#include "fault.h"

static double per_sec(uint64_t n, uint64_t ns)
{
	return ns ? (double)n * 1e9 / (double)ns : 0;
}

/* The mean time a unit of a thread's took. */
static double thread_unit_ns(const struct fault_result *r,
			     const struct bench_thread *th)
{
	if (!th->count)
		return 0;
	return (double)(r->method != FAULT_TOUCH ? th->t1 - th->t0 :
			th->lat_sum) / (double)th->count;
}

static const struct fault_run *worst(const struct fault_result *r)
{
	return &r->runs[r->worst];
}

/* ---- what the verification found -------------------------------------- */

static void print_verify(const struct fault_result *r,
			 const struct bench_run *run)
{
	const struct bench_pages *p = &worst(r)->pages;
	const bool v = r->windows > 0;		/* a verification to show */

	dt_print_text("      %s: ", r->name);
	bench_pages_print(p);
	dt_print_begin_object("vmstat");
	dt_print_i64_opt(DT_ANY, "thp_fault_alloc",
			 bench_when(v, "; thp_fault_alloc +%" PRId64),
			 run->thp_alloc, NULL);
	dt_print_i64_opt(DT_ANY, "thp_fault_fallback",
			 bench_when(v, ", thp_fault_fallback +%" PRId64),
			 run->thp_fallback, NULL);
	dt_print_end_object();
	if (run->traced) {
		const struct bench_trace_counts *c = &run->trace;

		dt_print_begin_object("trace");
		dt_print_u64(DT_ANY, "pmd_nopage",
			     bench_when(v, "; trace: PMD NOPAGE %" PRIu64),
			     c->pmd_nopage);
		dt_print_u64(DT_ANY, "pmd_fallback",
			     bench_when(v, ", FALLBACK %" PRIu64), c->pmd_fallback);
		dt_print_u64(DT_ANY, "pmd_other", bench_when(v, ", other %" PRIu64),
			     c->pmd_other);
		dt_print_u64(DT_ANY, "pte", bench_when(v, ", 4K %" PRIu64), c->pte);
		dt_print_u64(DT_ANY, "lost", bench_when(v && c->lost,
			     c->lost == 1 ? " (%" PRIu64 " event lost)" :
			     " (%" PRIu64 " events lost)"), c->lost);
		dt_print_end_object();
	} else {
		dt_print_null(DT_JSON, "trace", NULL, NULL);
	}
	if (v && r->nruns > 1)
		dt_print_text(" (the worst of %u runs)", r->nruns);
	dt_print_text("\n");
	bench_pages_print_note(p);
	bench_pages_print_fallback(p, r->name, &r->why);
}

/* ---- the runs and the threads ------------------------------------------ */

/* runs{}: runtime and time per unit over the runs, and each run's own
 * latency statistics (null where nothing was timed): runner.h's shape */
static void print_runs(const struct bench *b, unsigned pass,
		       const struct fault_result *r)
{
	const bool show = r->nruns > 1;
	double runtime[r->nruns], unit[r->nruns];
	struct bench_run_lat lat[r->nruns];
	char prefix[64];

	for (unsigned k = 0; k < r->nruns; k++) {
		runtime[k] = (double)bench_run_of(b, pass, k)->runtime_ns;
		unit[k] = r->runs[k].unit_ns;
		lat[k] = r->runs[k].lat;
	}
	snprintf(prefix, sizeof(prefix), "      %s, ", r->name);
	bench_runs_begin(show ? prefix : NULL, r->nruns);
	bench_runs_values("runtime_ns", runtime, r->nruns, r->median,
			  BENCH_RUNS_NS_INT, show ? " runtime" : NULL);
	bench_runs_values("unit_ns", unit, r->nruns, r->median, BENCH_RUNS_NS,
			  show ? ", per unit" : NULL);
	bench_runs_lat("lat_ns", r->method != FAULT_TOUCH ? NULL : lat,
		       r->nruns);
	bench_runs_end(show ? prefix : NULL);
}

static void print_threads(const struct fault_result *r,
			  const struct bench_run *run)
{
	unsigned n = r->method == FAULT_MAP_POPULATE ? 1 : r->nthreads;
	const bool show = n > 1;

	if (show)
		dt_print_text("      %s, per thread:", r->name);
	dt_print_begin_array("per_thread");
	for (unsigned i = 0; i < n; i++) {
		const struct bench_thread *th = &run->threads[i];

		dt_print_begin_row(NULL);
		dt_print_u64(DT_ANY, "thread", bench_when(show, i ?
			     "; thread %" PRIu64 : " thread %" PRIu64), i);
		dt_print_i64_opt(DT_ANY, "cpu", bench_when(show, " (cpu %" PRId64 ")"),
				 th->cpu, NULL);
		dt_print_u64(DT_JSON, "units", NULL, th->count);
		dt_print_u64(DT_ANY, "faults", bench_when(show, th->faults == 1 ?
			     " %" PRIu64 " fault" : " %" PRIu64 " faults"),
			     th->faults);
		bench_print_ns(DT_ANY, "runtime_ns", bench_when(show, " in %s"),
			       (double)(th->t1 - th->t0), true, NULL);
		bench_print_ns(DT_ANY, "unit_ns", bench_when(show, ", %s a unit"),
			       thread_unit_ns(r, th), false, NULL);
		dt_print_end_object();
	}
	dt_print_end_array();
	if (show)
		dt_print_text("\n");
}

/* ---- a result: one row, then what it found ----------------------------- */

static const struct bench_lat_text lat_columns = {
	.min = " %8s", .max = " %8s", .pct = " %8s", .standin = "-",
};

static void print_result(const struct bench *b, unsigned pass,
			 const struct fault_result *r)
{
	const struct bench_run *m = bench_run_of(b, pass, r->median);
	const bool populate = r->method != FAULT_TOUCH;

	dt_print_begin_object(NULL);
	dt_print_size(DT_ANY | DT_HUMAN, "page_size", "  %5s", r->page_size);
	dt_print_str(DT_JSON, "mode", NULL, populate ? "populate" : "touch");
	/* the column says how: the method of a populate pass, else the
	 * access of the touches */
	dt_print_str(DT_ANY, "method", bench_when(populate, " %-19s"),
		     fault_method_names[r->method]);
	dt_print_str(DT_ANY, "access", bench_when(!populate, " %-19s"),
		     bench_access_names[r->access]);
	dt_print_u64(DT_JSON, "threads", NULL, r->nthreads);
	dt_print_u64(DT_ANY, "units", " %9" PRIu64, r->units);
	dt_print_u64(DT_ANY, "faults", " %9" PRIu64, m->faults);
	dt_print_u64(DT_JSON, "major_faults", NULL, m->major);
	dt_print_double_opt(DT_ANY, "pmd_ratio", " %5.2f",
			    bench_pages_ratio(&worst(r)->pages), "-");
	bench_print_ns(DT_ANY, "unit_ns", " %8s", r->runs[r->median].unit_ns,
		       false, NULL);
	bench_lat_print("lat_ns", populate ? NULL : &r->stats, &lat_columns);
	dt_print_double(DT_JSON, "iops", NULL, per_sec(r->units, m->runtime_ns));
	dt_print_double(DT_ANY, "faults_per_sec", " %10.0f",
			per_sec(m->faults, m->runtime_ns));
	dt_print_size(DT_ANY | DT_HUMAN, "bw_bytes", " %6s/s",
		      (uint64_t)per_sec(r->units * r->page_size, m->runtime_ns));
	bench_print_ns(DT_ANY, "runtime_ns", " %8s\n", (double)m->runtime_ns,
		       true, NULL);
	print_verify(r, bench_run_of(b, pass, r->worst));
	print_runs(b, pass, r);
	print_threads(r, m);
	dt_print_end_object();
}

/* ---- pmd-fault: the two passes side by side ---------------------------- */

/* The touch pass of @page_size, or -1. */
static int find(const struct fault_bench *f, uint64_t page_size)
{
	for (unsigned i = 0; i < f->nr_results; i++)
		if (f->results[i].page_size == page_size &&
		    f->results[i].method == FAULT_TOUCH)
			return (int)i;
	return -1;
}

static void print_comparison(const struct bench *b, const struct fault_bench *f)
{
	const int si = find(f, BENCH_4K), hi = find(f, BENCH_2M);
	const struct fault_result *s = si < 0 ? NULL : &f->results[si];
	const struct fault_result *h = hi < 0 ? NULL : &f->results[hi];
	const bool both = s && h;
	const bool fell = h && bench_pages_fell_back(&worst(h)->pages);
	/* a window's worth of 4 KiB first touches against one 2 MiB one,
	 * from the median runs, as are the runtimes */
	double w4 = both ? s->runs[s->median].unit_ns *
		    (double)s->units_per_window : NAN;
	double w2 = both ? h->runs[h->median].unit_ns : NAN;
	uint64_t r4 = both ? bench_run_of(b, (unsigned)si, s->median)->runtime_ns : 0;
	uint64_t r2 = both ? bench_run_of(b, (unsigned)hi, h->median)->runtime_ns : 0;
	/* a 2 MiB pass that fell back: its ratio is not a PMD's */
	const char *mark = fell ? " (ratio of what was measured: the 2M pass "
			   "fell back)" : "";
	char note[768] = "", a[16], fmt[2][128];

	if (!f->o->compare) {
		dt_print_null(DT_JSON, "comparison", NULL, NULL);
		return;
	}
	for (unsigned i = 0, n = 0; i < f->nr_skipped; i++)
		n += (unsigned)snprintf(note + n, n < sizeof(note) ?
					sizeof(note) - n : 0, "%sno %s pass: %s",
					i ? "; " : "", dt_fmt_size(a, sizeof(a),
					f->skipped[i].page_size),
					f->skipped[i].why);
	snprintf(fmt[0], sizeof(fmt[0]), ": %%.2fx%s\n", mark);
	snprintf(fmt[1], sizeof(fmt[1]), "  the whole 4 KiB pass / the 2 MiB "
		 "pass: %%.2fx%s\n", mark);
	dt_print_begin_object("comparison");
	dt_print_text("\n");
	bench_print_ns(DT_ANY, "window_4k_ns", "  per 2 MiB window: 512 4 KiB "
		       "faults %s", w4, false, NULL);
	bench_print_ns(DT_ANY, "window_2m_ns", ", one 2 MiB fault %s", w2,
		       false, NULL);
	dt_print_double_opt(DT_ANY, "window_ratio", fmt[0],
			    both ? (w2 > 0 ? w4 / w2 : 0) : NAN, NULL);
	dt_print_u64_opt(DT_JSON, "runtime_4k_ns", NULL, r4, NULL);
	dt_print_u64_opt(DT_JSON, "runtime_2m_ns", NULL, r2, NULL);
	dt_print_double_opt(DT_ANY, "runtime_ratio", fmt[1], both ? (r2 ?
			    (double)r4 / (double)r2 : 0) : NAN, NULL);
	dt_print_bool_opt(DT_JSON, "pmd_ok", NULL, h ? !fell : -1, NULL);
	dt_print_str_opt(DT_ANY, "note", "  note: %s\n", note, NULL);
	dt_print_end_object();
}

void fault_report(const struct bench *b, const struct fault_bench *f)
{
	const unsigned threads = b->o->threads, runs = b->o->runs;

	dt_print_text("  %u thread%s, %u run%s\n", threads, bench_s(threads),
		      runs, bench_s(runs));
	dt_print_text("\n  %5s %-19s %9s %9s %5s %8s %8s %8s %8s %8s %10s %8s %8s\n",
		      "PAGE", "ACCESS/METHOD", "UNITS", "FAULTS", "PMD", "MEAN",
		      "MIN", "MAX", "P50", "P99", "FAULTS/S", "BW", "RUNTIME");
	dt_print_begin_array("results");
	for (unsigned i = 0; i < f->nr_results; i++)
		print_result(b, i, &f->results[i]);
	dt_print_end_array();
	for (unsigned i = 0; i < f->nr_results; i++)
		if (f->results[i].method == FAULT_TOUCH)
			bench_lat_histogram(f->results[i].name,
					    &f->results[i].stats);
	dt_print_begin_array("skipped");
	for (unsigned i = 0; i < f->nr_skipped; i++) {
		dt_print_begin_row(NULL);
		dt_print_size(DT_JSON, "page_size", NULL, f->skipped[i].page_size);
		dt_print_str(DT_JSON, "why", NULL, f->skipped[i].why);
		dt_print_end_object();
	}
	dt_print_end_array();
	print_comparison(b, f);
}
