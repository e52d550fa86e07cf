// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fault workloads. A pass maps the target afresh, 2 MiB-aligned, and
 * touches the first byte of every unit (a 4 KiB page, or a 2 MiB window)
 * once, in order, split between the runner's pinned threads; each first
 * touch is timed. Then it verifies what each 2 MiB window was mapped with
 * (pages.h): the 2 MiB pass touches the last page of each window
 * afterwards and counts the faults; the 4 KiB pass counts the faults of
 * each window while it touches it, outside the timed brackets, and a
 * window whose first touch was its only fault is PMD-mapped.
 *
 * Timing: the clock is read once after every touch and a sample is the
 * difference to the previous reading, so each sample holds the touch,
 * one clock reading (env.timer.overhead_ns) and a loop step, and the
 * samples of a thread add up to its whole run.
 */
#include <errno.h>
#include <math.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "daxtool/fmt.h"
#include "daxtool/util.h"
#include "explain.h"
#include "fault.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Samples are kept, 4 bytes each: past this, ask for a smaller --size. */
#define MAX_SAMPLES (1ULL << 28)

/* non-zero data: writing zeros is 2-3x faster on some memory */
#define PATTERN 0x5aa5c33c0ff0f00fULL

const char *const fault_method_names[FAULT_NR_METHODS] = {
	[FAULT_TOUCH] = "touch", [FAULT_MAP_POPULATE] = "MAP_POPULATE",
	[FAULT_MADV_POPULATE_READ] = "MADV_POPULATE_READ",
	[FAULT_MADV_POPULATE_WRITE] = "MADV_POPULATE_WRITE",
};

/* The madvise() of each populate method (0: none). */
static const int method_advice[FAULT_NR_METHODS] = {
	[FAULT_MADV_POPULATE_READ] = MADV_POPULATE_READ,
	[FAULT_MADV_POPULATE_WRITE] = MADV_POPULATE_WRITE,
};

static struct fault_opts fo;
static struct fault_bench fb;

/* ---- the options ---------------------------------------------------------- */

static const char *const page_size_names[] = { "4k", "2m", "1g", NULL };
/* --access: enum bench_access, of which a mapping is read or write */
static const char *const access_names[] = {
	[BENCH_READ] = "read", [BENCH_WRITE] = "write", NULL,
};
static const uint64_t page_size_bytes[] = { BENCH_4K, BENCH_2M, BENCH_1G };

static const char *const fault_usage[] = {
	"daxtool bench fault [options] [/dev/daxX.Y|DIR|FILE|emulated|anon|hugetlb]",
	BENCH_USAGE_EXIT,
	NULL
};

static const char *const pmd_fault_usage[] = {
	"daxtool bench pmd-fault [options] [/dev/daxX.Y|DIR|FILE|emulated|anon|hugetlb]",
	BENCH_USAGE_EXIT,
	NULL
};

/* The options both workloads take. */
#define FAULT_OPTIONS(o)						\
	BENCH_OPT_SIZE((o).common),					\
	OPT_CHOICE('a', "access", &(o).access, access_names, "read|write", \
		   "default: write where daxtool made the memory, else read"), \
	BENCH_OPT_THREADS((o).common,					\
			  "split the target between N pinned threads"),	\
	BENCH_OPT_RUNS((o).common),					\
	OPT_BOOLEAN(0, "populate", &(o).populate,			\
		    "also time MAP_POPULATE / MADV_POPULATE_WRITE"),	\
	OPT_BOOLEAN(0, "cold", &(o).cold,				\
		    "emulated targets: do not prewarm; memory the faults " \
		    "allocate"),					\
	OPT_BOOLEAN(0, "prewarm", &(o).prewarm,				\
		    "emulated targets: touch and free the memory before " \
		    "each run (the default where it applies)"),		\
	BENCH_OPT_SPARSE((o).common),					\
	BENCH_OPT_FORCE((o).common),					\
	OPT_BOOLEAN(0, "trace", &(o).trace,				\
		    "count fs_dax:dax_pmd_fault_done results (root)"),	\
	BENCH_OPT_FAIL_ON_FALLBACK((o).common),				\
	BENCH_OPT_JSON((o).common)

static const struct opt fault_options[] = {
	OPT_CHOICE('p', "page-size", &fo.page, page_size_names, "4k|2m|1g",
		   "the page size to fault (default 4k)"),
	FAULT_OPTIONS(fo),
	OPT_END(),
};

static const struct opt pmd_fault_options[] = {
	FAULT_OPTIONS(fo),
	OPT_END(),
};

static void fault_defaults(void)
{
	fo = (struct fault_opts) { .common = { .threads = 1, .runs = 1 },
				   .access = -1 };
}

static void pmd_fault_defaults(void)
{
	fault_defaults();
	fo.compare = true;
}

static enum bench_ret check(struct bench *b)
{
	const uint64_t *sizes = fo.compare ? page_size_bytes :
				&page_size_bytes[fo.page];
	uint64_t granule;
	char a[32], c[32];

	/* pmd-fault: every page size, those the target cannot have skipped
	 * with why; the windows are 2 MiB, and 1 GiB only where that pass
	 * runs, on a target of 1 GiB pages alone */
	fo.nr_page_sizes = fo.compare ? 3 : 1;
	memcpy(fo.page_sizes, sizes, fo.nr_page_sizes * sizeof(*sizes));
	granule = fo.compare ? BENCH_2M : fo.page_sizes[0];
	if (fo.common.size_given && fo.common.size % granule) {
		dt_err("--size %s: not a multiple of %s%s",
		       dt_fmt_size(a, sizeof(a), fo.common.size),
		       dt_fmt_size(c, sizeof(c), granule), fo.compare ?
		       ": the passes map the same 2 MiB windows" :
		       ", the page size");
		return BENCH_USAGE;
	}
	if (fo.cold && fo.prewarm) {
		dt_err("--cold and --prewarm: give one (prewarm is the default)");
		return BENCH_USAGE;
	}
	b->topen.granule = granule;
	b->topen.access = fo.access;
	b->topen.need_4k = fo.page_sizes[0] == BENCH_4K;
	b->topen.huge_page = fo.compare ? 0 : fo.page_sizes[0] >= BENCH_1G ?
			     BENCH_1G : 0;
	b->topen.cold = fo.cold;
	return BENCH_OK;
}

/* ---- the plan: the passes this target can run ------------------------------ */

static enum fault_method populate_method(const struct bench *b,
					 uint64_t page_size)
{
	const struct bench_kind_info *ki = &bench_kinds[b->target.kind];
	int advice = page_size >= BENCH_2M ? ki->advice_2m : ki->advice_4k;

	if (b->target.access == BENCH_WRITE)
		return FAULT_MADV_POPULATE_WRITE;
	/* MAP_POPULATE populates before any madvise() could apply, and
	 * cannot be split between threads */
	return advice < 0 && fo.common.threads == 1 ? FAULT_MAP_POPULATE :
	       FAULT_MADV_POPULATE_READ;
}

static void add_result(const struct bench *b, uint64_t page_size,
		       bool populate)
{
	struct fault_result *r = &fb.results[fb.nr_results++];
	const struct bench_target *t = &b->target;
	char ps[16];

	r->page_size = page_size;
	r->method = populate ? populate_method(b, page_size) : FAULT_TOUCH;
	r->access = t->access;
	r->nthreads = fo.common.threads;
	r->nruns = fo.common.runs;
	r->units = t->size / page_size;
	/* verified in 2 MiB windows; a 1 GiB page's are 1 GiB */
	r->window = page_size >= BENCH_1G ? BENCH_1G : BENCH_2M;
	r->windows = t->size / r->window;
	r->units_per_window = page_size < BENCH_2M ? BENCH_2M / page_size : 1;
	dt_fmt_size(ps, sizeof(ps), page_size);
	snprintf(r->name, sizeof(r->name), "%s %s", ps,
		 fault_method_names[r->method]);
	snprintf(r->label, sizeof(r->label), "%s %s pass", ps,
		 populate ? fault_method_names[r->method] :
		 bench_access_names[r->access]);
}

/* The regime asked for, against the target: --cold and --prewarm are
 * for emulated memory, and --cold for memory the faults allocate. */
static enum bench_ret regime_check(struct bench *b)
{
	const struct bench_target *t = &b->target;
	const char *opt = fo.cold ? "--cold" : "--prewarm";

	if ((fo.cold || fo.prewarm) && !bench_kinds[t->kind].emulated) {
		dt_err("%s is for emulated targets: %s is DAX memory", opt,
		       t->path);
		return BENCH_USAGE;
	}
	if (fo.cold && bench_regime(t, false, false) ==
	    BENCH_REGIME_PREALLOCATED) {
		dt_err("--cold: %s: its pages exist before the run, so there is "
		       "no cold regime to measure%s", t->path[0] ? t->path :
		       t->kind == BENCH_HUGETLB ? "hugetlb" :
		       bench_kinds[t->kind].name, t->kind == BENCH_HUGETLB ?
		       " (anon has one)" : "");
		return BENCH_USAGE;
	}
	fb.prewarm = !fo.cold && bench_prewarm_applies(t);
	return BENCH_OK;
}

static enum bench_ret plan(struct bench *b)
{
	const struct bench_target *t = &b->target;
	char a[32];

	for (unsigned i = 0; i < fo.nr_page_sizes; i++) {
		const char *why;
		char buf[200];

		/* a 2 MiB pass on a 4K device runs, and shows the fallback;
		 * 1 GiB pages are tried only where they can be had */
		if (!bench_page_possible(t, fo.page_sizes[i],
					 fo.page_sizes[i] < BENCH_1G, &why,
					 buf, sizeof(buf))) {
			if (fo.nr_page_sizes == 1) {
				dt_err("--page-size %s: %s", dt_fmt_size(a,
				       sizeof(a), fo.page_sizes[i]), why);
				return BENCH_USAGE;
			}
			fb.skipped[fb.nr_skipped].page_size = fo.page_sizes[i];
			DT_COPY(fb.skipped[fb.nr_skipped++].why, why);
			continue;
		}
		add_result(b, fo.page_sizes[i], false);
		if (fo.populate)
			add_result(b, fo.page_sizes[i], true);
	}
	if (!fb.nr_results) {
		dt_err("%s: %s", t->path[0] ? t->path : bench_kinds[t->kind].name,
		       fb.skipped[0].why);
		return BENCH_USAGE;
	}
	if (fo.common.threads > 1 && t->size / BENCH_2M < fo.common.threads) {
		dt_err("--threads %u: the threads split the target by 2 MiB "
		       "windows and %s has %" PRIu64 ": give --size %" PRIu64
		       "M or more", fo.common.threads, dt_fmt_size(a, sizeof(a),
		       t->size), t->size / BENCH_2M,
		       (uint64_t)2 * fo.common.threads);
		return BENCH_USAGE;
	}
	if (t->size / BENCH_4K * fo.common.runs > MAX_SAMPLES) {
		dt_err("%s x %u run%s is too many pages to time one by one: "
		       "give a smaller --size", dt_fmt_size(a, sizeof(a), t->size),
		       fo.common.runs, bench_s(fo.common.runs));
		return BENCH_FAIL;
	}
	return regime_check(b);
}

static enum bench_ret alloc_result(struct fault_result *r)
{
	r->runs = calloc(r->nruns, sizeof(*r->runs));
	if (!r->runs)
		return BENCH_FAIL;
	if (r->method == FAULT_TOUCH &&
	    bench_samples_alloc(&r->lat, (size_t)r->nruns * r->units))
		return BENCH_FAIL;
	for (unsigned k = 0; k < r->nruns; k++) {
		if (bench_pages_init_window(&r->runs[k].pages, r->window,
					    r->windows, r->page_size >= BENCH_2M))
			return BENCH_FAIL;
		r->runs[k].pages.small = r->page_size < BENCH_2M;
	}
	return BENCH_OK;
}

static void open_trace(struct bench *b)
{
	const char *why = NULL;

	if (!fo.trace)
		return;
	if (b->target.kind != BENCH_FSDAX)
		why = "the fs_dax tracepoints see filesystem DAX faults only";
	else
		b->trace = bench_trace_open(&why);
	if (why)
		dt_warn("--trace: %s: not tracing", why);
}

static enum bench_ret setup(struct bench *b)
{
	enum bench_ret ret;

	memset(&fb, 0, sizeof(fb));
	fb.o = &fo;
	b->access = b->target.access;
	ret = plan(b);
	if (ret)
		return ret;
	for (unsigned i = 0; i < fb.nr_results; i++)
		if (alloc_result(&fb.results[i]))
			goto nomem;
	fb.win_faults = calloc(b->target.size / BENCH_2M + 1,
			       sizeof(*fb.win_faults));
	if (!fb.win_faults)
		goto nomem;
	open_trace(b);
	b->env.regime = bench_regime(&b->target, fb.prewarm, false);
	b->nr_passes = fb.nr_results;
	b->nr_runs = fo.common.runs;
	return BENCH_OK;
nomem:
	dt_err("%s", strerror(ENOMEM));
	return BENCH_FAIL;
}

/* ---- a run ----------------------------------------------------------------- */

/* The mmap() call with MAP_POPULATE is the run: one thread, this one. */
static enum bench_ret map_populate(struct bench *b, struct bench_run *run,
				   int advice)
{
	const struct fault_result *r = &fb.results[run->pass];
	struct bench_thread *th = &run->threads[0];
	uint64_t f0, m0;

	bench_counters_begin(run);
	f0 = bench_thread_faults(&m0);
	th->t0 = bench_now();
	if (bench_target_map(&b->target, advice, true))
		return BENCH_FAIL;
	th->t1 = bench_now();
	bench_counters_end(run);
	th->cpu = -1;
	th->tid = gettid();
	th->count = r->units;
	th->faults = bench_thread_faults(&th->major) - f0;
	th->major -= m0;
	run->runtime_ns = th->t1 - th->t0;
	run->faults = th->faults;
	run->major = th->major;
	run->done = true;
	return BENCH_OK;
}

static enum bench_ret prepare(struct bench *b, struct bench_run *run)
{
	const struct fault_result *r = &fb.results[run->pass];
	struct bench_target *t = &b->target;
	const struct bench_kind_info *ki = &bench_kinds[t->kind];
	int advice = r->page_size >= BENCH_2M ? ki->advice_2m : ki->advice_4k;

	run->label = r->label;
	run->units = r->units;
	/* before every run: what the last run freed is not all of it, and
	 * the 2 MiB pass wants whole huge pages back */
	if (fb.prewarm && bench_prewarm(t->size))
		return BENCH_FAIL;
	if (bench_target_reset(t))
		return BENCH_FAIL;
	if (r->method == FAULT_MAP_POPULATE)
		return map_populate(b, run, advice);
	if (bench_target_map(t, advice, false))
		return BENCH_FAIL;
	bench_split(run, r->units, r->units_per_window);
	return BENCH_OK;
}

/* Touches in a row, each first touch timed: a sample is the clock's
 * difference to the previous reading. Inlined into the loops below, so
 * that its state stays in registers. */
struct touch {
	char *base;
	uint64_t unit;
	bool write;
	uint32_t *lat;
	uint64_t acc, sum, prev;
};

static inline __attribute__((always_inline)) void
touch_span(struct touch *t, uint64_t i, uint64_t end)
{
	for (; i < end; i++) {
		volatile uint64_t *p = (volatile uint64_t *)(t->base + i * t->unit);
		uint64_t now;

		if (t->write)
			*p = PATTERN ^ i;
		else
			t->acc += *p;
		now = bench_now();
		t->lat[i] = bench_clamp32(now - t->prev);
		t->sum += now - t->prev;
		t->prev = now;
	}
}

/* The 4 KiB pass: one page after another, with the faults of each 2 MiB
 * window counted between windows, where no sample sees it. */
static void BENCH_TOUCH_LOOP
touch_windows(struct touch t, struct bench_thread *th, uint64_t upw,
	      uint32_t *wf)
{
	const uint64_t n = th->count;

	for (uint64_t i = 0; i < n; i += upw, wf++) {
		uint64_t end = i + upw < n ? i + upw : n;
		uint64_t f0 = bench_thread_faults(NULL);

		t.prev = bench_now();
		touch_span(&t, i, end);
		*wf = bench_clamp32(bench_thread_faults(NULL) - f0);
		atomic_store_explicit(&th->done, end, memory_order_relaxed);
		th->lat_sum = t.sum;
	}
	bench_consume(t.acc);
}

/* The 2 MiB pass: one touch per window, one chain of clock readings. */
static void BENCH_TOUCH_LOOP
touch_units(struct touch t, struct bench_thread *th)
{
	const uint64_t n = th->count;

	t.prev = bench_now();
	for (uint64_t i = 0; i < n; i += 16) {
		uint64_t end = i + 16 < n ? i + 16 : n;

		touch_span(&t, i, end);
		atomic_store_explicit(&th->done, end, memory_order_relaxed);
	}
	th->lat_sum = t.sum;
	bench_consume(t.acc);
}

/* The timed part of a thread's run: touches, or one MADV_POPULATE_*. */
static void body(struct bench *b, struct bench_run *run,
		 struct bench_thread *th)
{
	const struct fault_result *r = &fb.results[run->pass];
	char *base = b->target.map + th->first * r->page_size;
	struct touch t = {
		.base = base, .unit = r->page_size,
		.write = r->access == BENCH_WRITE,
		.lat = r->lat.v + (uint64_t)run->index * r->units + th->first,
	};

	if (r->method != FAULT_TOUCH) {
		if (madvise(base, th->count * r->page_size,
			    method_advice[r->method]) < 0)
			th->err = errno;
		atomic_store_explicit(&th->done, th->count, memory_order_relaxed);
		return;
	}
	if (r->units_per_window > 1)
		touch_windows(t, th, r->units_per_window, fb.win_faults +
			      th->first / r->units_per_window);
	else
		touch_units(t, th);
}

static enum bench_ret populate_error(const struct bench *b,
				     const struct fault_result *r, int err)
{
	const struct bench_target *t = &b->target;

	dt_err("%s: madvise(%s): %s%s", t->path[0] ? t->path :
	       bench_kinds[t->kind].name, fault_method_names[r->method],
	       strerror(err), err == EINVAL ?
	       " (MADV_POPULATE_* needs Linux 5.14 or later)" : "");
	return BENCH_FAIL;
}

/* ---- a pass, summed up ------------------------------------------------------ */

/* The median run by runtime, the worst by PMD-mapped windows, the
 * statistics of every sample, and why a 2 MiB pass fell back: right after
 * its runs, while its file's extents are the ones it ran on. */
static void summarise_pass(struct bench *b, unsigned pass)
{
	struct fault_result *r = &fb.results[pass];
	double runtime[r->nruns];
	const struct fault_run *w;

	for (unsigned k = 0; k < r->nruns; k++) {
		const struct bench_run *run = bench_run_of(b, pass, k);
		struct fault_run *fr = &r->runs[k];
		uint64_t sum = 0;

		for (unsigned i = 0; i < run->nthreads; i++)
			sum += run->threads[i].lat_sum;
		fr->unit_ns = !r->units ? 0 : r->method != FAULT_TOUCH ?
			      (double)run->runtime_ns / (double)r->units :
			      (double)sum / (double)r->units;
		runtime[k] = (double)run->runtime_ns;
		if (fr->pages.pmd_windows < r->runs[r->worst].pages.pmd_windows)
			r->worst = k;
	}
	r->median = bench_runs_median(runtime, r->nruns);
	if (r->method == FAULT_TOUCH) {
		for (unsigned k = 0; k < r->nruns; k++)
			bench_run_lat(r->lat.v + (size_t)k * r->units, r->units,
				      &r->runs[k].lat);
		r->lat.n = (size_t)r->nruns * r->units;
		bench_lat_compute(r->lat.v, r->lat.n, NULL, &r->stats);
	}
	w = &r->runs[r->worst];
	if (!bench_pages_fell_back(&w->pages))
		return;
	bench_explain(b, &w->pages, bench_run_of(b, pass, r->worst), r->access,
		      &r->why);
	bench_note_fallback(b, &w->pages, r->name);
}

static enum bench_ret finish(struct bench *b, struct bench_run *run)
{
	struct fault_result *r = &fb.results[run->pass];
	struct bench_pages *p = &r->runs[run->index].pages;

	for (unsigned i = 0; !run->done && i < run->nthreads; i++)
		if (run->threads[i].err)
			return populate_error(b, r, run->threads[i].err);
	bench_pages_smaps(&b->target, r->access, p);
	if (r->method != FAULT_TOUCH) {
		/* everything is mapped already: no touch tells anything */
		bench_pages_estimate(p, run->faults);
	} else {
		if (r->units_per_window > 1)
			bench_pages_count(p, fb.win_faults);
		else if (bench_pages_touch(&b->target, p, false))
			return BENCH_FAIL;
		bench_pages_settle(p);
	}
	if (run->index + 1 == r->nruns)
		summarise_pass(b, run->pass);
	return BENCH_OK;
}

static void report(struct bench *b)
{
	fault_report(b, &fb);
}

static void teardown(struct bench *b)
{
	(void)b;
	for (unsigned i = 0; i < fb.nr_results; i++) {
		struct fault_result *r = &fb.results[i];

		for (unsigned k = 0; r->runs && k < r->nruns; k++)
			bench_pages_free(&r->runs[k].pages);
		free(r->runs);
		bench_samples_free(&r->lat);
	}
	free(fb.win_faults);
	memset(&fb, 0, sizeof(fb));
}

const struct bench_workload bench_fault = {
	.name = "fault",
	.summary = "time first-touch faults of one page size, verify what was mapped",
	.usage = fault_usage, .options = fault_options, .opts = &fo.common,
	.defaults = fault_defaults, .check = check, .setup = setup,
	.prepare = prepare, .body = body, .finish = finish,
	.report = report, .teardown = teardown,
};

const struct bench_workload bench_pmd_fault = {
	.name = "pmd-fault",
	.summary = "4 KiB, 2 MiB and 1 GiB faults side by side, as the target allows, verified",
	.usage = pmd_fault_usage, .options = pmd_fault_options,
	.opts = &fo.common, .defaults = pmd_fault_defaults, .check = check,
	.setup = setup, .prepare = prepare, .body = body, .finish = finish,
	.report = report, .teardown = teardown,
};
