// SPDX-License-Identifier: GPL-2.0-only
/*
 * The output of the fault workloads: one JSON document whose shape never
 * depends on the flags (see doc/json.md), or in text a table with one
 * row a pass, each followed by what its verification found, then log2
 * latency histograms and, for pmd-fault, the cost of a 2 MiB window both
 * ways. A 2 MiB pass that did not get 2 MiB mappings is said loudly, with
 * the reasons explain_fallback() found.
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

static double ratio(const struct fault_result *r, const struct fault_run *run)
{
	return r->windows ? (double)run->pmd_windows / (double)r->windows : NAN;
}

static bool fell_back(const struct fault_result *r)
{
	return r->page_size >= BENCH_2M && r->windows &&
	       r->runs[r->worst].pmd_windows < r->windows;
}

static const char *pass_name(char *buf, size_t len, const struct fault_result *r)
{
	char ps[16];

	snprintf(buf, len, "%s %s", dt_fmt_size(ps, sizeof(ps), r->page_size),
		 r->populate ? r->method : "touch");
	return buf;
}

static double per_sec(uint64_t n, uint64_t ns)
{
	return ns ? (double)n * 1e9 / (double)ns : 0;
}

/* The mean time a unit of a thread's took. */
static double thread_unit_ns(const struct fault_result *r,
			     const struct fault_thread *th)
{
	if (!th->count)
		return 0;
	return (double)(r->populate ? th->t1 - th->t0 : th->lat_sum) /
	       (double)th->count;
}

/* ---- what the verification found -------------------------------------- */

/* "by second touch", "by smaps", "by the fault count" */
static const char *method_fmt(const char *method)
{
	if (!method)
		return ", by %s";
	if (!strcmp(method, "touch"))
		return ", by second %s";
	if (!strcmp(method, "faults"))
		return ", by the %s count";
	return ", by %s";
}

static void print_verify(const struct fault_result *r,
			 const struct fault_run *w)
{
	const bool per_window = r->pmd_method && !strcmp(r->pmd_method, "touch");
	const bool v = r->windows > 0;		/* a verification to show */
	unsigned listed = 0;
	char name[48];

	dt_print_text("      %s: ", pass_name(name, sizeof(name), r));
	dt_print_u64(DT_ANY, "pmd_windows", bench_when(v, "%" PRIu64 " of"),
		     w->pmd_windows);
	dt_print_u64(DT_ANY, "windows", !v ? "no whole 2 MiB window to verify" :
		     r->windows == 1 ? " %" PRIu64 " window PMD-mapped" :
		     " %" PRIu64 " windows PMD-mapped", r->windows);
	dt_print_str_opt(DT_ANY, "pmd_method", bench_when(v, method_fmt(r->pmd_method)),
			 r->pmd_method, "nothing");
	dt_print_double_opt(DT_JSON, "touch_ratio", NULL, w->touched && v ?
			    (double)w->touch_windows / (double)r->windows : NAN,
			    NULL);
	dt_print_begin_object("smaps");
	dt_print_str_opt(DT_ANY, "field", bench_when(v, "; smaps %s"),
			 w->smaps.field, NULL);
	dt_print_i64_opt(DT_ANY, "kb", bench_when(v, " %" PRId64 " kB"),
			 w->smaps.field ? (int64_t)w->smaps.kb : -1, NULL);
	dt_print_double_opt(DT_ANY, "ratio", bench_when(v, " (ratio %.2f)"),
			    w->smaps.field ? w->smaps.ratio : NAN, NULL);
	dt_print_str_opt(DT_JSON, "note", NULL, w->smaps.why, NULL);
	dt_print_end_object();
	dt_print_begin_object("vmstat");
	dt_print_i64_opt(DT_ANY, "thp_fault_alloc",
			 bench_when(v, "; thp_fault_alloc +%" PRId64),
			 w->thp_alloc, NULL);
	dt_print_i64_opt(DT_ANY, "thp_fault_fallback",
			 bench_when(v, ", thp_fault_fallback +%" PRId64),
			 w->thp_fallback, NULL);
	dt_print_end_object();
	if (w->traced) {
		dt_print_begin_object("trace");
		dt_print_u64(DT_ANY, "pmd_nopage",
			     bench_when(v, "; trace: PMD NOPAGE %" PRIu64),
			     w->trace.pmd_nopage);
		dt_print_u64(DT_ANY, "pmd_fallback",
			     bench_when(v, ", FALLBACK %" PRIu64),
			     w->trace.pmd_fallback);
		dt_print_u64(DT_ANY, "pmd_other", bench_when(v, ", other %" PRIu64),
			     w->trace.pmd_other);
		dt_print_u64(DT_ANY, "pte", bench_when(v, ", 4K %" PRIu64),
			     w->trace.pte);
		dt_print_u64(DT_ANY, "lost", bench_when(v && w->trace.lost,
			     w->trace.lost == 1 ? " (%" PRIu64 " event lost)" :
			     " (%" PRIu64 " events lost)"), w->trace.lost);
		dt_print_end_object();
	} else {
		dt_print_null(DT_JSON, "trace", NULL, NULL);
	}
	if (v && r->nruns > 1)
		dt_print_text(" (the worst of %u runs)", r->nruns);
	dt_print_text("\n");
	/* smaps and the touches measure differently: disagreeing is news */
	if (v && w->touched && w->touch_windows != w->pmd_windows)
		dt_print_text("        note: a second touch took no fault in %"
			      PRIu64 " window%s, but smaps counts %" PRIu64
			      ": the kernel mapped whole large folios with "
			      "4 KiB entries in one fault\n", w->touch_windows,
			      bench_s(w->touch_windows), w->pmd_windows);

	dt_print_bool_opt(DT_JSON, "pmd_fallback", NULL,
			  r->page_size >= BENCH_2M && v ? fell_back(r) : -1, NULL);
	if (fell_back(r))
		dt_print_text("\n  !!! %s: %s 2 MiB MAPPINGS: %" PRIu64 " of %"
			      PRIu64 " window%s fell back to 4 KiB pages "
			      "(pmd_ratio %.2f) !!!\n  why:\n", name,
			      w->pmd_windows ? "NOT ALL" : "NO",
			      r->windows - w->pmd_windows, r->windows,
			      bench_s(r->windows), ratio(r, w));
	if (per_window) {
		dt_print_begin_inline_array("fallback_windows");
		for (uint64_t i = 0; i < r->windows && listed < FAULT_MAX_LISTED; i++)
			if (!w->pmd[i]) {
				dt_print_u64(DT_JSON, NULL, NULL, i * BENCH_2M);
				listed++;
			}
		dt_print_end_array();
	} else {
		dt_print_null(DT_JSON, "fallback_windows", NULL, NULL);
	}
	dt_print_begin_array("fallback_reasons");
	for (unsigned i = 0; i < r->nr_reasons; i++)
		dt_print_str(DT_ANY, NULL, "    - %s\n", r->reasons[i]);
	dt_print_end_array();
}

/* ---- the runs and the threads ------------------------------------------ */

/* {min, median, max} of a time over the runs; in text "LABEL a / b / c"
 * where @label is not NULL */
static void min_med_max(const struct fault_result *r, const char *key,
			const char *label, bool integer)
{
	double v, lo = INFINITY, hi = 0, med;
	char fmt[48];

	for (unsigned k = 0; k < r->nruns; k++) {
		v = integer ? (double)r->runs[k].runtime_ns : r->runs[k].unit_ns;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	med = integer ? (double)r->runs[r->median].runtime_ns :
	      r->runs[r->median].unit_ns;
	snprintf(fmt, sizeof(fmt), "%s %%s", label ? label : "");
	dt_print_begin_object(key);
	bench_print_ns(DT_ANY, "min", bench_when(label, fmt), lo, integer, NULL);
	bench_print_ns(DT_ANY, "median", bench_when(label, " / %s"), med,
		       integer, NULL);
	bench_print_ns(DT_ANY, "max", bench_when(label, " / %s"), hi, integer,
		       NULL);
	dt_print_end_object();
}

static void print_runs(const struct fault_result *r)
{
	const bool show = r->nruns > 1;
	char name[48], fmt[96];

	snprintf(fmt, sizeof(fmt), "      %s, %%" PRIu64 " runs, "
		 "min/median/max:", pass_name(name, sizeof(name), r));
	dt_print_begin_object("runs");
	dt_print_u64(DT_ANY, "count", bench_when(show, fmt), r->nruns);
	min_med_max(r, "runtime_ns", show ? " runtime" : NULL, true);
	min_med_max(r, "unit_ns", show ? ", per unit" : NULL, false);
	if (show)
		dt_print_text("\n");
	dt_print_end_object();
}

static void print_threads(const struct fault_result *r)
{
	const struct fault_run *run = &r->runs[r->median];
	unsigned n = !strcmp(r->method, "MAP_POPULATE") ? 1 : r->nthreads;
	const bool show = n > 1;
	char name[48];

	if (show)
		dt_print_text("      %s, per thread:",
			      pass_name(name, sizeof(name), r));
	dt_print_begin_array("per_thread");
	for (unsigned i = 0; i < n; i++) {
		const struct fault_thread *th = &run->threads[i];

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

static void print_result(const struct fault_result *r)
{
	const struct fault_run *m = &r->runs[r->median];
	const struct fault_run *w = &r->runs[r->worst];

	dt_print_begin_object(NULL);
	dt_print_size(DT_ANY | DT_HUMAN, "page_size", "  %5s", r->page_size);
	dt_print_str(DT_JSON, "mode", NULL, r->populate ? "populate" : "touch");
	/* the column says how: the method of a populate pass, else the
	 * access of the touches */
	dt_print_str(DT_ANY, "method", bench_when(r->populate, " %-19s"),
		     r->method);
	dt_print_str(DT_ANY, "access", bench_when(!r->populate, " %-19s"),
		     bench_access_names[r->access]);
	dt_print_u64(DT_JSON, "threads", NULL, r->nthreads);
	dt_print_u64(DT_ANY, "units", " %9" PRIu64, r->units);
	dt_print_u64(DT_ANY, "faults", " %9" PRIu64, m->faults);
	dt_print_u64(DT_JSON, "major_faults", NULL, m->major);
	dt_print_double_opt(DT_ANY, "pmd_ratio", " %5.2f", ratio(r, w), "-");
	bench_print_ns(DT_ANY, "unit_ns", " %8s", m->unit_ns, false, NULL);
	bench_lat_print("lat_ns", r->populate ? NULL : &r->stats, &lat_columns);
	dt_print_double(DT_JSON, "iops", NULL, per_sec(r->units, m->runtime_ns));
	dt_print_double(DT_ANY, "faults_per_sec", " %10.0f",
			per_sec(m->faults, m->runtime_ns));
	dt_print_size(DT_ANY | DT_HUMAN, "bw_bytes", " %6s/s",
		      (uint64_t)per_sec(r->units * r->page_size, m->runtime_ns));
	bench_print_ns(DT_ANY, "runtime_ns", " %8s\n", (double)m->runtime_ns,
		       true, NULL);
	print_verify(r, w);
	print_runs(r);
	print_threads(r);
	dt_print_end_object();
}

/* ---- pmd-fault: the two passes side by side ---------------------------- */

static const struct fault_result *find(const struct fault_bench *b,
				       uint64_t page_size)
{
	for (unsigned i = 0; i < b->nr_results; i++)
		if (b->results[i].page_size == page_size && !b->results[i].populate)
			return &b->results[i];
	return NULL;
}

static void print_comparison(const struct fault_bench *b)
{
	const struct fault_result *s = find(b, BENCH_4K), *h = find(b, BENCH_2M);
	const bool both = s && h;
	/* a window's worth of 4 KiB first touches against one 2 MiB one,
	 * from the median runs, as are the runtimes */
	double w4 = both ? s->runs[s->median].unit_ns *
		    (double)s->units_per_window : NAN;
	double w2 = both ? h->runs[h->median].unit_ns : NAN;
	uint64_t r4 = both ? s->runs[s->median].runtime_ns : 0;
	uint64_t r2 = both ? h->runs[h->median].runtime_ns : 0;
	char note[256] = "", a[16];

	if (strcmp(b->o->workload, "pmd-fault")) {
		dt_print_null(DT_JSON, "comparison", NULL, NULL);
		return;
	}
	if (b->skipped_why)
		snprintf(note, sizeof(note), "no %s pass: %s",
			 dt_fmt_size(a, sizeof(a), b->skipped_page_size),
			 b->skipped_why);
	dt_print_begin_object("comparison");
	dt_print_text("\n");
	bench_print_ns(DT_ANY, "window_4k_ns", "  per 2 MiB window: 512 4 KiB "
		       "faults %s", w4, false, NULL);
	bench_print_ns(DT_ANY, "window_2m_ns", ", one 2 MiB fault %s", w2,
		       false, NULL);
	dt_print_double_opt(DT_ANY, "window_ratio", ": %.2fx\n",
			    both ? (w2 > 0 ? w4 / w2 : 0) : NAN, NULL);
	dt_print_u64_opt(DT_JSON, "runtime_4k_ns", NULL, r4, NULL);
	dt_print_u64_opt(DT_JSON, "runtime_2m_ns", NULL, r2, NULL);
	dt_print_double_opt(DT_ANY, "runtime_ratio", "  the whole 4 KiB pass / "
			    "the 2 MiB pass: %.2fx\n", both ? (r2 ? (double)r4 /
			    (double)r2 : 0) : NAN, NULL);
	dt_print_bool_opt(DT_ANY, "pmd_ok", bench_when(h && fell_back(h),
			  "  (the 2 MiB pass did not get 2 MiB mappings "
			  "everywhere: this compares what it got)\n"),
			  h ? !fell_back(h) : -1, NULL);
	dt_print_str_opt(DT_ANY, "note", "  note: %s\n", note, NULL);
	dt_print_end_object();
}

void fault_report(struct fault_bench *b)
{
	dt_print_begin_object(NULL);
	dt_print_meta();
	dt_print_str(DT_ANY, "workload", "daxtool bench %s: ", b->o->workload);
	bench_target_print(&b->target, NULL);
	dt_print_text("  %u thread%s, %u run%s\n", b->o->threads,
		      bench_s(b->o->threads), b->o->runs, bench_s(b->o->runs));
	dt_print_text("\n  %5s %-19s %9s %9s %5s %8s %8s %8s %8s %8s %10s %8s %8s\n",
		      "PAGE", "ACCESS/METHOD", "UNITS", "FAULTS", "PMD", "MEAN",
		      "MIN", "MAX", "P50", "P99", "FAULTS/S", "BW", "RUNTIME");
	dt_print_begin_array("results");
	for (unsigned i = 0; i < b->nr_results; i++)
		print_result(&b->results[i]);
	dt_print_end_array();
	for (unsigned i = 0; i < b->nr_results; i++) {
		char name[48];

		if (b->results[i].populate)
			continue;
		pass_name(name, sizeof(name), &b->results[i]);
		bench_lat_histogram(name, &b->results[i].stats);
	}
	print_comparison(b);
	bench_env_print(&b->env, &b->target);
	dt_print_end_object();
}
