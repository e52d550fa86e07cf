// SPDX-License-Identifier: GPL-2.0-only
/*
 * The output of the fault workloads: one JSON document whose shape never
 * depends on the flags (see doc/json.md), or a short table, what the
 * verification found, log2 latency histograms and, for pmd-fault, the
 * cost of a 2 MiB window both ways. A 2 MiB pass that did not get 2 MiB
 * mappings is said loudly, with the reasons explain_fallback() found.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "daxtool/out.h"
#include "daxtool/util.h"
#include "fault.h"

static const char *const access_names[] = { "read", "write" };

static void out_str_or_null(const char *key, const char *fmt, const char *s)
{
	if (s && s[0])
		dt_out_str(key, fmt, s);
	else
		dt_out_null(key);
}

static void out_i64_or_null(const char *key, int64_t v)
{
	if (v < 0)
		dt_out_null(key);
	else
		dt_out_i64(key, NULL, v);
}

static double ratio(const struct fault_result *r, const struct fault_run *run)
{
	return r->windows ? (double)run->pmd_windows / (double)r->windows : 0;
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

/* ---- the target and the run's shape ------------------------------------ */

static void print_target(const struct fault_bench *b)
{
	dt_out_str("workload", "daxtool bench %s: ", b->o->workload);
	bench_target_print(&b->target);
	dt_out_text("  %u thread%s, %u run%s\n", b->o->threads,
		    b->o->threads > 1 ? "s" : "", b->o->runs,
		    b->o->runs > 1 ? "s" : "");
}

/* ---- a result ----------------------------------------------------------- */

static void print_verify_json(const struct fault_result *r,
			      const struct fault_run *w)
{
	const bool per_window = r->pmd_method && !strcmp(r->pmd_method, "touch");
	unsigned listed = 0;

	dt_out_u64("pmd_windows", NULL, w->pmd_windows);
	if (r->windows)
		dt_out_double("pmd_ratio", NULL, ratio(r, w));
	else
		dt_out_null("pmd_ratio");
	out_str_or_null("pmd_method", NULL, r->pmd_method);
	if (w->touched && r->windows)
		dt_out_double("touch_ratio", NULL, (double)w->touch_windows /
			      (double)r->windows);
	else
		dt_out_null("touch_ratio");
	if (r->page_size >= BENCH_2M && r->windows)
		dt_out_bool("pmd_fallback", NULL, fell_back(r));
	else
		dt_out_null("pmd_fallback");
	if (per_window) {
		dt_out_begin_inline_array("fallback_windows");
		for (uint64_t i = 0; i < r->windows && listed < FAULT_MAX_LISTED; i++)
			if (!w->pmd[i]) {
				dt_out_u64(NULL, NULL, i * BENCH_2M);
				listed++;
			}
		dt_out_end_array();
	} else {
		dt_out_null("fallback_windows");
	}
	dt_out_begin_array("fallback_reasons");
	for (unsigned i = 0; i < r->nr_reasons; i++)
		dt_out_str(NULL, NULL, r->reasons[i]);
	dt_out_end_array();
	dt_out_begin_object("smaps");
	out_str_or_null("field", NULL, w->smaps.field);
	if (w->smaps.field) {
		dt_out_u64("kb", NULL, w->smaps.kb);
		dt_out_double("ratio", NULL, w->smaps.ratio);
	} else {
		dt_out_null("kb");
		dt_out_null("ratio");
	}
	out_str_or_null("note", NULL, w->smaps.why);
	dt_out_end_object();
	dt_out_begin_object("vmstat");
	out_i64_or_null("thp_fault_alloc", w->thp_alloc);
	out_i64_or_null("thp_fault_fallback", w->thp_fallback);
	dt_out_end_object();
	if (w->traced) {
		dt_out_begin_object("trace");
		dt_out_u64("pmd_nopage", NULL, w->trace.pmd_nopage);
		dt_out_u64("pmd_fallback", NULL, w->trace.pmd_fallback);
		dt_out_u64("pmd_other", NULL, w->trace.pmd_other);
		dt_out_u64("pte", NULL, w->trace.pte);
		dt_out_u64("lost", NULL, w->trace.lost);
		dt_out_end_object();
	} else {
		dt_out_null("trace");
	}
}

static void min_med_max(const char *key, double lo, double med, double hi)
{
	dt_out_begin_object(key);
	dt_out_double("min", NULL, lo);
	dt_out_double("median", NULL, med);
	dt_out_double("max", NULL, hi);
	dt_out_end_object();
}

static void print_runs_json(const struct fault_result *r)
{
	double rlo = 1e300, rhi = 0, ulo = 1e300, uhi = 0;

	for (unsigned k = 0; k < r->nruns; k++) {
		const struct fault_run *run = &r->runs[k];
		double rt = (double)run->runtime_ns;

		rlo = rt < rlo ? rt : rlo;
		rhi = rt > rhi ? rt : rhi;
		ulo = run->unit_ns < ulo ? run->unit_ns : ulo;
		uhi = run->unit_ns > uhi ? run->unit_ns : uhi;
	}
	dt_out_begin_object("runs");
	dt_out_u64("count", NULL, r->nruns);
	min_med_max("runtime_ns", rlo, (double)r->runs[r->median].runtime_ns, rhi);
	min_med_max("unit_ns", ulo, r->runs[r->median].unit_ns, uhi);
	dt_out_end_object();
}

static void print_threads_json(const struct fault_result *r)
{
	const struct fault_run *run = &r->runs[r->median];
	unsigned n = !strcmp(r->method, "MAP_POPULATE") ? 1 : r->nthreads;

	dt_out_begin_array("per_thread");
	for (unsigned i = 0; i < n; i++) {
		const struct fault_thread *th = &run->threads[i];

		dt_out_begin_row(NULL);
		dt_out_u64("thread", NULL, i);
		if (th->cpu >= 0)
			dt_out_i64("cpu", NULL, th->cpu);
		else
			dt_out_null("cpu");
		dt_out_u64("units", NULL, th->count);
		dt_out_u64("faults", NULL, th->faults);
		dt_out_u64("runtime_ns", NULL, th->t1 - th->t0);
		dt_out_double("unit_ns", NULL, !th->count ? 0 : r->populate ?
			      (double)(th->t1 - th->t0) / (double)th->count :
			      (double)th->lat_sum / (double)th->count);
		dt_out_end_object();
	}
	dt_out_end_array();
}

static void print_row_text(const struct fault_result *r)
{
	const struct fault_run *m = &r->runs[r->median];
	const struct fault_run *w = &r->runs[r->worst];
	char ps[16], mean[16], p50[16] = "-", p99[16] = "-", max[16] = "-";
	char rt[16], pmd[16] = "-";

	if (r->windows)
		snprintf(pmd, sizeof(pmd), "%.2f", ratio(r, w));
	if (!r->populate) {
		bench_fmt_ns(p50, sizeof(p50), (double)r->stats.pct[6]);
		bench_fmt_ns(p99, sizeof(p99), (double)r->stats.pct[12]);
		bench_fmt_ns(max, sizeof(max), (double)r->stats.max);
	}
	dt_out_text("  %5s %-20s %9" PRIu64 " %9" PRIu64 " %5s %9s %8s %8s %8s "
		    "%10.0f %7.2f %8s\n",
		    dt_fmt_size(ps, sizeof(ps), r->page_size),
		    r->populate ? r->method : access_names[r->access],
		    r->units, m->faults, pmd,
		    bench_fmt_ns(mean, sizeof(mean), r->populate ? m->unit_ns :
				 r->stats.mean),
		    p50, p99, max, per_sec(m->faults, m->runtime_ns),
		    per_sec(r->units * r->page_size, m->runtime_ns) / (1 << 30),
		    bench_fmt_ns(rt, sizeof(rt), (double)m->runtime_ns));
}

static void print_result(const struct fault_result *r)
{
	const struct fault_run *m = &r->runs[r->median];
	const struct fault_run *w = &r->runs[r->worst];

	dt_out_begin_object(NULL);
	dt_out_u64("page_size", NULL, r->page_size);
	dt_out_str("mode", NULL, r->populate ? "populate" : "touch");
	dt_out_str("method", NULL, r->method);
	dt_out_str("access", NULL, access_names[r->access]);
	dt_out_u64("threads", NULL, r->nthreads);
	dt_out_u64("units", NULL, r->units);
	dt_out_u64("windows", NULL, r->windows);
	dt_out_u64("faults", NULL, m->faults);
	dt_out_u64("major_faults", NULL, m->major);
	print_verify_json(r, w);
	bench_lat_print("lat_ns", r->populate ? NULL : &r->stats);
	dt_out_double("unit_ns", NULL, m->unit_ns);
	dt_out_double("iops", NULL, per_sec(r->units, m->runtime_ns));
	dt_out_double("faults_per_sec", NULL, per_sec(m->faults, m->runtime_ns));
	dt_out_u64("bw_bytes", NULL, (uint64_t)per_sec(r->units * r->page_size,
						       m->runtime_ns));
	dt_out_u64("runtime_ns", NULL, m->runtime_ns);
	print_runs_json(r);
	print_threads_json(r);
	print_row_text(r);
	dt_out_end_object();
}

/* ---- text only: verification, warnings, histograms, threads, runs ---- */

static void text_verify(const struct fault_result *r)
{
	const struct fault_run *w = &r->runs[r->worst];
	char name[48];

	pass_name(name, sizeof(name), r);
	if (!r->windows) {
		dt_out_text("  %s: no whole 2 MiB window to verify\n", name);
		return;
	}
	dt_out_text("  %s: %" PRIu64 " of %" PRIu64 " windows PMD-mapped, by %s",
		    name, w->pmd_windows, r->windows,
		    !r->pmd_method ? "nothing" :
		    !strcmp(r->pmd_method, "touch") ? "second touch" :
		    !strcmp(r->pmd_method, "smaps") ? "smaps" : "fault count");
	if (w->smaps.field)
		dt_out_text("; smaps %s %" PRIu64 " kB (%.0f%%)", w->smaps.field,
			    w->smaps.kb, 100 * w->smaps.ratio);
	if (w->thp_fallback >= 0 && w->thp_alloc >= 0)
		dt_out_text("; thp_fault_alloc +%" PRId64 ", thp_fault_fallback +%"
			    PRId64, w->thp_alloc, w->thp_fallback);
	if (w->traced)
		dt_out_text("; trace: PMD NOPAGE %" PRIu64 ", FALLBACK %" PRIu64
			    ", 4K %" PRIu64 "%s", w->trace.pmd_nopage,
			    w->trace.pmd_fallback, w->trace.pte,
			    w->trace.lost ? " (events lost)" : "");
	if (r->nruns > 1)
		dt_out_text(" (the worst of %u runs)", r->nruns);
	dt_out_text("\n");
	/* smaps and the touches measure differently: disagreeing is news */
	if (w->touched && w->touch_windows != w->pmd_windows)
		dt_out_text("    note: a second touch took no fault in %" PRIu64
			    " windows, but smaps counts %" PRIu64 ": the kernel "
			    "mapped whole large folios with 4 KiB entries in "
			    "one fault\n", w->touch_windows, w->pmd_windows);
}

static void text_loud(const struct fault_result *r)
{
	const struct fault_run *w = &r->runs[r->worst];
	char name[48];

	if (!fell_back(r))
		return;
	pass_name(name, sizeof(name), r);
	dt_out_text("\n  !!! %s: %s 2 MiB MAPPINGS: %" PRIu64 " of %" PRIu64
		    " windows fell back to 4 KiB pages (pmd_ratio %.2f) !!!\n"
		    "  why:\n", name, w->pmd_windows ? "NOT ALL" : "NO",
		    r->windows - w->pmd_windows, r->windows, ratio(r, w));
	for (unsigned i = 0; i < r->nr_reasons; i++)
		dt_out_text("    - %s\n", r->reasons[i]);
}

static void text_details(const struct fault_result *r)
{
	char name[48], a[16], b[16], c[16];

	pass_name(name, sizeof(name), r);
	if (r->nruns > 1) {
		double lo = 1e300, hi = 0, ulo = 1e300, uhi = 0;

		for (unsigned k = 0; k < r->nruns; k++) {
			double rt = (double)r->runs[k].runtime_ns;

			lo = rt < lo ? rt : lo;
			hi = rt > hi ? rt : hi;
			ulo = r->runs[k].unit_ns < ulo ? r->runs[k].unit_ns : ulo;
			uhi = r->runs[k].unit_ns > uhi ? r->runs[k].unit_ns : uhi;
		}
		dt_out_text("  %s, %u runs, min/median/max: runtime %s / %s / %s",
			    name, r->nruns, bench_fmt_ns(a, sizeof(a), lo),
			    bench_fmt_ns(b, sizeof(b),
					 (double)r->runs[r->median].runtime_ns),
			    bench_fmt_ns(c, sizeof(c), hi));
		dt_out_text(", per unit %s / %s / %s\n",
			    bench_fmt_ns(a, sizeof(a), ulo),
			    bench_fmt_ns(b, sizeof(b), r->runs[r->median].unit_ns),
			    bench_fmt_ns(c, sizeof(c), uhi));
	}
	if (r->nthreads > 1 && strcmp(r->method, "MAP_POPULATE")) {
		const struct fault_run *m = &r->runs[r->median];

		dt_out_text("  %s, per thread:", name);
		for (unsigned i = 0; i < r->nthreads; i++) {
			const struct fault_thread *th = &m->threads[i];

			dt_out_text("%s thread %u (cpu %d) %" PRIu64 " faults in %s, "
				    "%s a unit", i ? ";" : "", i, th->cpu, th->faults,
				    bench_fmt_ns(a, sizeof(a), (double)(th->t1 - th->t0)),
				    bench_fmt_ns(b, sizeof(b), !th->count ? 0 :
						 r->populate ? (double)(th->t1 - th->t0) /
						 (double)th->count : (double)th->lat_sum /
						 (double)th->count));
		}
		dt_out_text("\n");
	}
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
	char a[16], c[16];
	double w4 = 0, w2 = 0;

	if (strcmp(b->o->workload, "pmd-fault")) {
		dt_out_null("comparison");
		return;
	}
	dt_out_begin_object("comparison");
	dt_out_text("\n");
	if (s && h) {
		/* a window's worth of 4 KiB first touches against one 2 MiB
		 * one, from the median runs, as the runtimes */
		w4 = s->runs[s->median].unit_ns * (double)s->units_per_window;
		w2 = h->runs[h->median].unit_ns;
		dt_out_double("window_4k_ns", NULL, w4);
		dt_out_double("window_2m_ns", NULL, w2);
		dt_out_double("window_ratio", NULL, w2 > 0 ? w4 / w2 : 0);
		dt_out_text("  per 2 MiB window: 512 4 KiB faults %s, one 2 MiB "
			    "fault %s: %.2fx\n", bench_fmt_ns(a, sizeof(a), w4),
			    bench_fmt_ns(c, sizeof(c), w2), w2 > 0 ? w4 / w2 : 0);
		dt_out_u64("runtime_4k_ns", NULL, s->runs[s->median].runtime_ns);
		dt_out_u64("runtime_2m_ns", NULL, h->runs[h->median].runtime_ns);
		dt_out_double("runtime_ratio", NULL, h->runs[h->median].runtime_ns ?
			      (double)s->runs[s->median].runtime_ns /
			      (double)h->runs[h->median].runtime_ns : 0);
		dt_out_text("  the whole 4 KiB pass / the 2 MiB pass: %.2fx\n",
			    h->runs[h->median].runtime_ns ?
			    (double)s->runs[s->median].runtime_ns /
			    (double)h->runs[h->median].runtime_ns : 0);
	} else {
		static const char *const keys[] = { "window_4k_ns", "window_2m_ns",
			"window_ratio", "runtime_4k_ns", "runtime_2m_ns",
			"runtime_ratio" };

		for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
			dt_out_null(keys[i]);
	}
	if (h)
		dt_out_bool("pmd_ok", NULL, !fell_back(h));
	else
		dt_out_null("pmd_ok");
	if (h && fell_back(h))
		dt_out_text("  (the 2 MiB pass did not get 2 MiB mappings "
			    "everywhere: this compares what it got)\n");
	if (b->skipped_why) {
		char note[256];

		snprintf(note, sizeof(note), "no %s pass: %s",
			 dt_fmt_size(a, sizeof(a), b->skipped_page_size),
			 b->skipped_why);
		dt_out_str("note", "  note: %s\n", note);
	} else {
		dt_out_null("note");
	}
	dt_out_end_object();
}

void fault_report(struct fault_bench *b)
{
	dt_out_begin_object(NULL);
	print_target(b);
	dt_out_text("\n  %5s %-20s %9s %9s %5s %9s %8s %8s %8s %10s %7s %8s\n",
		    "PAGE", "ACCESS/METHOD", "UNITS", "FAULTS", "PMD", "MEAN",
		    "P50", "P99", "MAX", "FAULTS/S", "GiB/s", "RUNTIME");
	dt_out_begin_array("results");
	for (unsigned i = 0; i < b->nr_results; i++)
		print_result(&b->results[i]);
	dt_out_end_array();
	dt_out_text("\n");
	for (unsigned i = 0; i < b->nr_results; i++)
		text_verify(&b->results[i]);
	for (unsigned i = 0; i < b->nr_results; i++)
		text_details(&b->results[i]);
	for (unsigned i = 0; i < b->nr_results; i++)
		text_loud(&b->results[i]);
	for (unsigned i = 0; i < b->nr_results; i++) {
		char name[48];

		if (b->results[i].populate)
			continue;
		pass_name(name, sizeof(name), &b->results[i]);
		bench_lat_histogram(name, &b->results[i].stats);
	}
	print_comparison(b);
	bench_env_print(&b->env, &b->target);
	dt_out_end_object();
}
