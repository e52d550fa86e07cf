// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fault workloads. A pass maps the target afresh, 2 MiB-aligned, and
 * touches the first byte of every unit (a 4 KiB page, or a 2 MiB window)
 * once, in order, split between pinned threads; each first touch is
 * timed. Then it verifies what each 2 MiB window was mapped with:
 *
 *   a window mapped by one PMD takes no fault on a second touch anywhere
 *   inside it; a window of 4 KiB entries takes one per page.
 *
 * The 2 MiB pass touches the last page of each window afterwards and
 * counts the faults (getrusage, per thread); the 4 KiB pass counts the
 * faults of each window while it touches it, outside the timed brackets,
 * and a window whose first touch was its only fault is PMD-mapped.
 *
 * Timing: the clock is read once after every touch and a sample is the
 * difference to the previous reading, so each sample holds the touch,
 * one clock reading (env.timer.overhead_ns) and a loop step, and the
 * samples of a thread add up to its whole run.
 *
 * A file truncated under the benchmark turns touches into SIGBUS: the
 * handler jumps back out of the loop (sigsetjmp/siglongjmp, per thread)
 * and the benchmark stops with an error that names the file.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "daxtool/fmt.h"
#include "daxtool/print.h"
#include "daxtool/util.h"
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

/* Everything the threads of one run share. */
struct run_ctx {
	struct fault_bench *b;
	struct fault_result *r;
	struct fault_run *run;
	char *map;
	bool write;
	int advice;			/* MADV_POPULATE_*, or -1: touch */
	uint32_t *lat;			/* this run's samples */
	uint32_t *win_faults;		/* per window (4 KiB pass) */
	pthread_barrier_t ready, go;
	struct worker *workers;
};

struct worker {
	struct run_ctx *c;
	struct fault_thread *th;
	_Atomic uint64_t done;		/* units touched, for progress */
	uint64_t f0, m0;
};

/* where loaded values go, so that no load is optimised away */
static _Atomic uint64_t sink;

/* The touch loops are not instrumented under AddressSanitizer: its
 * shadow-memory checks would take faults of their own, and the fault
 * counts are the measurement. */
#define TOUCH_LOOP __attribute__((noinline, no_sanitize_address))

static inline uint32_t clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* The 4 KiB pass: one page after another, with the faults of each 2 MiB
 * window counted between windows, where no sample sees it. */
static void TOUCH_LOOP
touch_windows(struct worker *w, char *base, uint64_t n)
{
	const struct fault_result *r = w->c->r;
	const uint64_t unit = r->page_size, upw = r->units_per_window;
	uint32_t *lat = w->c->lat + w->th->first;
	uint32_t *wf = w->c->win_faults + w->th->first / upw;
	const bool write = w->c->write;
	uint64_t acc = 0, sum = 0;

	for (uint64_t i = 0; i < n; wf++) {
		uint64_t end = i + upw < n ? i + upw : n;
		uint64_t f0 = bench_thread_faults(NULL);
		uint64_t prev = bench_now();

		for (; i < end; i++) {
			volatile uint64_t *p = (volatile uint64_t *)(base + i * unit);
			uint64_t now;

			if (write)
				*p = PATTERN ^ i;
			else
				acc += *p;
			now = bench_now();
			lat[i] = clamp32(now - prev);
			sum += now - prev;
			prev = now;
		}
		*wf = clamp32(bench_thread_faults(NULL) - f0);
		atomic_store_explicit(&w->done, i, memory_order_relaxed);
		w->th->lat_sum = sum;
	}
	atomic_fetch_add_explicit(&sink, acc, memory_order_relaxed);
}

/* The 2 MiB pass: one touch per window, one chain of clock readings. */
static void TOUCH_LOOP
touch_units(struct worker *w, char *base, uint64_t n)
{
	const uint64_t unit = w->c->r->page_size;
	uint32_t *lat = w->c->lat + w->th->first;
	const bool write = w->c->write;
	uint64_t acc = 0, sum = 0, prev = bench_now();

	for (uint64_t i = 0; i < n; i++) {
		volatile uint64_t *p = (volatile uint64_t *)(base + i * unit);
		uint64_t now;

		if (write)
			*p = PATTERN ^ i;
		else
			acc += *p;
		now = bench_now();
		lat[i] = clamp32(now - prev);
		sum += now - prev;
		prev = now;
		if ((i & 15) == 15)
			atomic_store_explicit(&w->done, i + 1, memory_order_relaxed);
	}
	atomic_store_explicit(&w->done, n, memory_order_relaxed);
	w->th->lat_sum = sum;
	atomic_fetch_add_explicit(&sink, acc, memory_order_relaxed);
}

static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);	/* best effort */
}

/* The timed part of a thread's run: touches or one MADV_POPULATE_*. */
static void worker_run(struct worker *w)
{
	struct run_ctx *c = w->c;
	struct fault_thread *th = w->th;
	char *base = c->map + th->first * c->r->page_size;
	sigjmp_buf jb;

	if (sigsetjmp(jb, 1)) {
		bench_bus_jmp = NULL;
		th->bus_addr = bench_bus_addr;
		goto out;
	}
	bench_bus_jmp = &jb;
	w->f0 = bench_thread_faults(&w->m0);
	th->t0 = bench_now();
	if (c->advice >= 0) {
		if (madvise(base, th->count * c->r->page_size, c->advice) < 0)
			th->err = errno;
		atomic_store_explicit(&w->done, th->count, memory_order_relaxed);
	} else if (c->r->units_per_window > 1) {
		touch_windows(w, base, th->count);
	} else {
		touch_units(w, base, th->count);
	}
out:
	th->t1 = bench_now();
	bench_bus_jmp = NULL;
	th->faults = bench_thread_faults(&th->major) - w->f0;
	th->major -= w->m0;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	pin(w->th->cpu);
	w->th->tid = gettid();
	pthread_barrier_wait(&w->c->ready);
	pthread_barrier_wait(&w->c->go);
	worker_run(w);
	return NULL;
}

/* ---- progress, on a terminal, for runs longer than a couple of seconds */

struct progress {
	pthread_t thread;
	bool running;
	atomic_bool stop;
	struct run_ctx *c;
	char label[96];
};

static void *progress_main(void *arg)
{
	struct progress *pg = arg;
	uint64_t start = bench_now(), total = pg->c->r->units;
	bool shown = false;

	while (!atomic_load(&pg->stop)) {
		struct timespec ts = { 0, 100 * 1000000L };
		uint64_t done = 0;

		nanosleep(&ts, NULL);
		if (bench_now() - start < 2000000000ULL)
			continue;
		for (unsigned i = 0; i < pg->c->r->nthreads; i++)
			done += atomic_load_explicit(&pg->c->workers[i].done,
						     memory_order_relaxed);
		fprintf(stderr, "\r  %s: %3.0f%%", pg->label,
			100.0 * (double)done / (double)(total ? total : 1));
		shown = true;
	}
	if (shown)
		fputs("\r\033[K", stderr);
	return NULL;
}

static void progress_start(struct progress *pg, struct run_ctx *c, unsigned k)
{
	char ps[16];

	pg->running = false;
	if (!isatty(STDERR_FILENO))
		return;
	pg->c = c;
	atomic_store(&pg->stop, false);
	snprintf(pg->label, sizeof(pg->label), "daxtool bench %s: %s %s pass, "
		 "run %u of %u", c->b->o->workload,
		 dt_fmt_size(ps, sizeof(ps), c->r->page_size),
		 c->r->populate ? c->r->method : c->write ? "write" : "read",
		 k + 1, c->r->nruns);
	pg->running = !pthread_create(&pg->thread, NULL, progress_main, pg);
}

static void progress_stop(struct progress *pg)
{
	if (!pg->running)
		return;
	atomic_store(&pg->stop, true);
	pthread_join(pg->thread, NULL);
}

/* ---- one run ------------------------------------------------------------ */

/* The CPUs we may run on, for pinning thread i to cpus[i % n]. */
static unsigned allowed_cpus(int *cpus, unsigned max)
{
	cpu_set_t set;
	unsigned n = 0;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 0;
	for (int c = 0; c < CPU_SETSIZE && n < max; c++)
		if (CPU_ISSET(c, &set))
			cpus[n++] = c;
	return n;
}

/* Split the units between the threads on 2 MiB window boundaries, so
 * that every window is one thread's. */
static void split(const struct fault_result *r, struct fault_thread *th)
{
	int cpus[CPU_SETSIZE];
	unsigned ncpu = allowed_cpus(cpus, CPU_SETSIZE);
	uint64_t upw = r->units_per_window;

	for (unsigned i = 0; i < r->nthreads; i++) {
		uint64_t a = r->windows * i / r->nthreads * upw;
		uint64_t b = i + 1 == r->nthreads ? r->units :
			     r->windows * (i + 1) / r->nthreads * upw;

		if (r->nthreads == 1)
			a = 0;
		th[i] = (struct fault_thread) {
			.cpu = ncpu ? cpus[i % ncpu] : -1,
			.first = a, .count = b - a,
		};
	}
}

/*
 * One thread runs on the main thread, pinned like any worker: a loop in a
 * thread of its own measured a few per cent apart from the same loop in
 * a program's only thread, and the reference for one thread is the
 * latter (bench/tools/faultloop.c).
 */
static void run_here(struct run_ctx *c, unsigned k, struct bench_trace *tr,
		     struct progress *pg)
{
	struct worker *w = &c->workers[0];
	cpu_set_t saved;
	bool restore = sched_getaffinity(0, sizeof(saved), &saved) == 0;

	pin(w->th->cpu);
	w->th->tid = gettid();
	c->run->traced = tr && bench_trace_start(tr, &w->th->tid, 1) == 0;
	progress_start(pg, c, k);
	worker_run(w);
	progress_stop(pg);
	if (restore)
		sched_setaffinity(0, sizeof(saved), &saved);
}

static void run_workers(struct run_ctx *c, unsigned k, struct bench_trace *tr,
			struct progress *pg)
{
	struct fault_result *r = c->r;
	pthread_t tid[r->nthreads];
	pid_t tids[r->nthreads];

	pthread_barrier_init(&c->ready, NULL, r->nthreads + 1);
	pthread_barrier_init(&c->go, NULL, r->nthreads + 1);
	for (unsigned i = 0; i < r->nthreads; i++) {
		int ret = pthread_create(&tid[i], NULL, worker_main,
					 &c->workers[i]);

		if (ret) {
			/* the barriers count on every thread: give up hard */
			dt_err("cannot start thread %u: %s", i, strerror(ret));
			exit(DT_EXIT_FAIL);
		}
	}
	pthread_barrier_wait(&c->ready);
	for (unsigned i = 0; i < r->nthreads; i++)
		tids[i] = c->run->threads[i].tid;
	c->run->traced = tr && bench_trace_start(tr, tids, r->nthreads) == 0;
	progress_start(pg, c, k);
	pthread_barrier_wait(&c->go);
	for (unsigned i = 0; i < r->nthreads; i++)
		pthread_join(tid[i], NULL);
	progress_stop(pg);
	pthread_barrier_destroy(&c->ready);
	pthread_barrier_destroy(&c->go);
}

static int run_threads(struct run_ctx *c, unsigned k, struct bench_trace *tr)
{
	struct fault_result *r = c->r;
	struct fault_run *run = c->run;
	struct progress pg;
	int64_t va = bench_vmstat("thp_fault_alloc");
	int64_t vf = bench_vmstat("thp_fault_fallback");
	uint64_t t0 = UINT64_MAX, t1 = 0;
	int ret = 0;

	c->workers = calloc(r->nthreads, sizeof(*c->workers));
	if (!c->workers) {
		dt_err("%s", strerror(ENOMEM));
		return -1;
	}
	split(r, run->threads);
	for (unsigned i = 0; i < r->nthreads; i++) {
		c->workers[i].c = c;
		c->workers[i].th = &run->threads[i];
	}
	if (r->nthreads == 1)
		run_here(c, k, tr, &pg);
	else
		run_workers(c, k, tr, &pg);
	if (run->traced)
		bench_trace_stop(tr, &run->trace);
	run->thp_alloc = va < 0 ? -1 : bench_vmstat("thp_fault_alloc") - va;
	run->thp_fallback = vf < 0 ? -1 : bench_vmstat("thp_fault_fallback") - vf;

	for (unsigned i = 0; i < r->nthreads; i++) {
		const struct fault_thread *th = &run->threads[i];

		t0 = th->t0 < t0 ? th->t0 : t0;
		t1 = th->t1 > t1 ? th->t1 : t1;
		run->faults += th->faults;
		run->major += th->major;
		if (th->bus_addr && !ret)
			ret = -EFAULT;
		if (th->err && !ret) {
			dt_err("%s: madvise(%s): %s%s", c->b->target.path[0] ?
			       c->b->target.path : bench_kinds[c->b->target.kind].name,
			       r->method, strerror(th->err), th->err == EINVAL ?
			       " (MADV_POPULATE_* needs Linux 5.14 or later)" : "");
			ret = -1;
		}
	}
	run->runtime_ns = t1 > t0 ? t1 - t0 : 0;
	return ret;
}

/* A test hook: hold the run after mapping until the file changes size
 * (or the time is up), so that a test can truncate it under us without
 * racing. Once per invocation. */
static void test_hold(const struct bench_target *t)
{
	static bool done;
	const char *env = getenv("DAXTOOL_TEST_BENCH_DELAY_MS");
	uint64_t until;
	struct stat st0, st;

	if (done || !env)
		return;
	done = true;
	until = bench_now() + strtoull(env, NULL, 10) * 1000000ULL;
	if (t->fd < 0 || fstat(t->fd, &st0) < 0)
		st0.st_size = -1;
	while (bench_now() < until) {
		struct timespec ts = { 0, 10 * 1000000L };

		if (t->fd >= 0 && fstat(t->fd, &st) == 0 &&
		    st.st_size != st0.st_size)
			return;
		nanosleep(&ts, NULL);
	}
}

static void report_sigbus(const struct fault_bench *b, uintptr_t addr)
{
	const struct bench_target *t = &b->target;
	uint64_t off = addr - (uintptr_t)t->map;
	struct stat st;

	if (t->fd >= 0 && fstat(t->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size <= off)
		dt_err("%s: bus error (SIGBUS) at offset %" PRIu64 ": the file "
		       "is now %" PRIu64 " bytes: truncated while the benchmark "
		       "ran", t->path, off, (uint64_t)st.st_size);
	else
		dt_err("%s: bus error (SIGBUS) at offset %" PRIu64 ": the "
		       "memory could not be provided (out of space for a sparse "
		       "file, out of huge pages, or a media error)", t->path[0] ?
		       t->path : bench_kinds[t->kind].name, off);
}

/* Second touches, for the 2 MiB pass: a read of the last page of each
 * window, which a PMD maps and a fault-around (64 KiB) does not reach. */
static void TOUCH_LOOP
probe_windows(const char *map, const struct fault_result *r,
	      struct fault_run *run)
{
	uint64_t acc = 0;

	for (uint64_t w = 0; w < r->windows; w++) {
		uint64_t f0 = bench_thread_faults(NULL);

		acc += *(volatile const uint64_t *)(map + (w + 1) * BENCH_2M -
						    BENCH_4K);
		run->pmd[w] = bench_thread_faults(NULL) == f0;
	}
	atomic_fetch_add_explicit(&sink, acc, memory_order_relaxed);
}

static int second_touch(struct fault_bench *b, struct fault_result *r,
			struct fault_run *run)
{
	sigjmp_buf jb;

	if (sigsetjmp(jb, 1)) {
		bench_bus_jmp = NULL;
		report_sigbus(b, bench_bus_addr);
		return -1;
	}
	bench_bus_jmp = &jb;
	probe_windows(b->target.map, r, run);
	bench_bus_jmp = NULL;
	return 0;
}

/*
 * The windows PMD-mapped, and how that is known. The second touch is the
 * check every target allows; where smaps has a reliable field and says
 * otherwise, smaps wins: since Linux 6.x a fault may map a whole large
 * folio with 4 KiB entries at once (tmpfs, the page cache), and then a
 * second touch takes no fault without a PMD.
 */
static int verify(struct fault_bench *b, struct fault_result *r,
		  struct fault_run *run, const uint32_t *win_faults)
{
	uint64_t by_smaps = run->smaps.field ? (uint64_t)(run->smaps.ratio *
			    (double)r->windows + 0.5) : UINT64_MAX;

	run->pmd_windows = 0;
	run->method = NULL;
	if (!r->windows)
		return 0;
	if (r->populate) {
		/* everything is mapped already: no touch tells anything */
		if (by_smaps != UINT64_MAX) {
			run->pmd_windows = by_smaps;
			run->method = "smaps";
		} else {
			/* each fault maps one PMD or one 4 KiB page */
			uint64_t all = r->windows * 512;
			uint64_t f = run->faults < r->windows ? r->windows :
				     run->faults > all ? all : run->faults;

			run->pmd_windows = (all - f) / 511;
			run->method = "faults";
		}
		return 0;
	}
	if (r->units_per_window > 1) {
		/* the 4 KiB pass: a window whose first touch was its only
		 * fault took none on its second */
		for (uint64_t w = 0; w < r->windows; w++)
			run->pmd[w] = win_faults[w] == 1;
	} else if (second_touch(b, r, run)) {
		return -1;
	}
	run->touched = true;
	run->touch_windows = 0;
	for (uint64_t w = 0; w < r->windows; w++)
		run->touch_windows += run->pmd[w];
	run->pmd_windows = run->touch_windows;
	run->method = "touch";
	if (by_smaps != UINT64_MAX && by_smaps != run->touch_windows) {
		run->pmd_windows = by_smaps;
		run->method = "smaps";
	}
	return 0;
}

static int run_once(struct fault_bench *b, struct fault_result *r,
		    unsigned k, struct bench_trace *tr, uint32_t *win_faults)
{
	struct bench_target *t = &b->target;
	struct fault_run *run = &r->runs[k];
	const struct bench_kind_info *ki = &bench_kinds[t->kind];
	int advice = r->page_size >= BENCH_2M ? ki->advice_2m : ki->advice_4k;
	bool map_populate = r->populate && !strcmp(r->method, "MAP_POPULATE");
	struct run_ctx c = {
		.b = b, .r = r, .run = run, .write = r->access == BENCH_WRITE,
		.lat = r->lat + (uint64_t)k * r->units, .win_faults = win_faults,
		.advice = !r->populate || map_populate ? -1 :
			  r->access == BENCH_WRITE ? MADV_POPULATE_WRITE :
			  MADV_POPULATE_READ,
	};
	uint64_t f0, m0, t0;
	int64_t va, vf;
	int ret;

	/* before every run: what the last run freed is not all of it, and
	 * the 2 MiB pass wants whole huge pages back */
	if (b->o->prewarm && t->kind != BENCH_HUGETLB && bench_prewarm(t->size))
		return -1;
	if (bench_target_reset(t))
		return -1;
	va = bench_vmstat("thp_fault_alloc");
	vf = bench_vmstat("thp_fault_fallback");
	f0 = bench_thread_faults(&m0);
	t0 = bench_now();
	if (bench_target_map(t, advice, map_populate))
		return -1;
	c.map = t->map;
	if (map_populate) {
		/* the mmap call was the run: one thread, this one */
		struct fault_thread *th = &run->threads[0];

		th->t1 = bench_now();
		th->t0 = t0;
		th->cpu = -1;
		th->tid = gettid();
		th->count = r->units;
		th->faults = bench_thread_faults(&th->major) - f0;
		th->major -= m0;
		run->runtime_ns = th->t1 - t0;
		run->faults = th->faults;
		run->major = th->major;
		run->thp_alloc = va < 0 ? -1 : bench_vmstat("thp_fault_alloc") - va;
		run->thp_fallback = vf < 0 ? -1 :
				    bench_vmstat("thp_fault_fallback") - vf;
		ret = 0;
	} else {
		test_hold(t);
		ret = run_threads(&c, k, tr);
		if (ret == -EFAULT) {
			for (unsigned i = 0; i < r->nthreads; i++)
				if (run->threads[i].bus_addr) {
					report_sigbus(b, run->threads[i].bus_addr);
					break;
				}
			ret = -1;
		}
	}
	if (!ret)
		bench_smaps(t, r->access, &run->smaps);
	if (!ret)
		ret = verify(b, r, run, win_faults);
	if (!ret && b->env.is_pmem < 0)
		bench_env_target(&b->env, t);
	free(c.workers);
	bench_target_unmap(t);
	return ret;
}

/* ---- the whole workload ------------------------------------------------- */

static int cmp_runtime(const void *a, const void *b, void *arg)
{
	const struct fault_run *runs = arg;
	uint64_t x = runs[*(const unsigned *)a].runtime_ns;
	uint64_t y = runs[*(const unsigned *)b].runtime_ns;

	return (x > y) - (x < y);
}

static void summarise(struct fault_result *r)
{
	unsigned idx[r->nruns];

	for (unsigned k = 0; k < r->nruns; k++) {
		struct fault_run *run = &r->runs[k];
		uint64_t sum = 0;

		for (unsigned i = 0; i < r->nthreads; i++)
			sum += run->threads[i].lat_sum;
		run->unit_ns = !r->units ? 0 : r->populate ?
			       (double)run->runtime_ns / (double)r->units :
			       (double)sum / (double)r->units;
		idx[k] = k;
		if (run->pmd_windows < r->runs[r->worst].pmd_windows)
			r->worst = k;
	}
	qsort_r(idx, r->nruns, sizeof(idx[0]), cmp_runtime, r->runs);
	r->median = idx[(r->nruns - 1) / 2];
	r->pmd_method = r->runs[r->worst].method;
	if (!r->populate)
		bench_lat_compute(r->lat, (size_t)r->nruns * r->units, NULL,
				  &r->stats);
}

static int alloc_result(struct fault_result *r)
{
	size_t n = (size_t)r->nruns * r->units;

	r->lat = r->populate ? NULL : malloc((n ? n : 1) * sizeof(*r->lat));
	r->runs = calloc(r->nruns, sizeof(*r->runs));
	if ((!r->populate && !r->lat) || !r->runs)
		return -1;
	/* touched now, so that storing a sample never faults in the loop */
	if (r->lat)
		memset(r->lat, 0, n * sizeof(*r->lat));
	for (unsigned k = 0; k < r->nruns; k++) {
		r->runs[k].threads = calloc(r->nthreads, sizeof(struct fault_thread));
		r->runs[k].pmd = calloc(r->windows ? r->windows : 1, 1);
		if (!r->runs[k].threads || !r->runs[k].pmd)
			return -1;
	}
	return 0;
}

static void free_result(struct fault_result *r)
{
	for (unsigned k = 0; r->runs && k < r->nruns; k++) {
		free(r->runs[k].threads);
		free(r->runs[k].pmd);
	}
	free(r->runs);
	free(r->lat);
}

static const char *populate_method(const struct fault_bench *b,
				   uint64_t page_size)
{
	const struct bench_kind_info *ki = &bench_kinds[b->target.kind];
	int advice = page_size >= BENCH_2M ? ki->advice_2m : ki->advice_4k;

	if (b->target.access == BENCH_WRITE)
		return "MADV_POPULATE_WRITE";
	/* MAP_POPULATE populates before any madvise() could apply, and
	 * cannot be split between threads */
	return advice < 0 && b->o->threads == 1 ? "MAP_POPULATE" :
	       "MADV_POPULATE_READ";
}

static void add_result(struct fault_bench *b, uint64_t page_size, bool populate)
{
	struct fault_result *r = &b->results[b->nr_results++];
	const struct bench_target *t = &b->target;

	r->page_size = page_size;
	r->populate = populate;
	r->method = populate ? populate_method(b, page_size) : "touch";
	r->access = t->access;
	r->nthreads = b->o->threads;
	r->nruns = b->o->runs;
	r->units = t->size / page_size;
	r->windows = t->size / BENCH_2M;
	r->units_per_window = page_size < BENCH_2M ? BENCH_2M / page_size : 1;
}

/* The passes this target can run; a usage error (-2) if none. */
static int plan(struct fault_bench *b)
{
	const struct fault_opts *o = b->o;
	const struct bench_target *t = &b->target;
	char a[32];

	for (unsigned i = 0; i < o->nr_page_sizes; i++) {
		const char *why;

		if (!bench_target_page_ok(t, o->page_sizes[i], &why)) {
			if (o->nr_page_sizes == 1) {
				dt_err("--page-size %s: %s", dt_fmt_size(a,
				       sizeof(a), o->page_sizes[i]), why);
				return -2;
			}
			b->skipped_page_size = o->page_sizes[i];
			b->skipped_why = why;
			continue;
		}
		add_result(b, o->page_sizes[i], false);
		if (o->populate)
			add_result(b, o->page_sizes[i], true);
	}
	if (!b->nr_results) {
		dt_err("%s: %s", t->path[0] ? t->path : bench_kinds[t->kind].name,
		       b->skipped_why);
		return -2;
	}
	if (o->threads > 1 && t->size / BENCH_2M < o->threads) {
		dt_err("--threads %u: the threads split the target by 2 MiB "
		       "windows and %s has %" PRIu64 ": give --size %" PRIu64
		       "M or more", o->threads, dt_fmt_size(a, sizeof(a), t->size),
		       t->size / BENCH_2M, (uint64_t)2 * o->threads);
		return -2;
	}
	if (t->size / BENCH_4K * o->runs > MAX_SAMPLES) {
		dt_err("%s x %u run%s is too many pages to time one by one: "
		       "give a smaller --size", dt_fmt_size(a, sizeof(a), t->size),
		       o->runs, bench_s(o->runs));
		return -1;
	}
	if (o->prewarm && !bench_kinds[t->kind].emulated) {
		dt_err("--prewarm is for emulated targets: %s is DAX memory",
		       t->path);
		return -2;
	}
	return 0;
}

static int run_all(struct fault_bench *b, struct bench_trace *tr)
{
	uint32_t *win_faults = calloc(b->target.size / BENCH_2M + 1,
				      sizeof(*win_faults));

	if (!win_faults) {
		dt_err("%s", strerror(ENOMEM));
		return -1;
	}
	for (unsigned i = 0; i < b->nr_results; i++) {
		struct fault_result *r = &b->results[i];

		if (alloc_result(r)) {
			dt_err("%s", strerror(ENOMEM));
			free(win_faults);
			return -1;
		}
		for (unsigned k = 0; k < r->nruns; k++) {
			if (run_once(b, r, k, tr, win_faults)) {
				free(win_faults);
				return -1;
			}
		}
		summarise(r);
		if (r->windows && r->runs[r->worst].pmd_windows < r->windows &&
		    r->page_size >= BENCH_2M)
			explain_fallback(b, r);
	}
	free(win_faults);
	return 0;
}

int fault_bench(const struct fault_opts *o, struct dt_ctx *ctx)
{
	static struct fault_bench b;
	struct bench_target_opts to = {
		.size = o->size, .access = o->access, .sparse = o->sparse,
		.force = o->force,
		.granule = o->page_sizes[o->nr_page_sizes - 1],
	};
	struct bench_trace *tr = NULL;
	int ret;

	memset(&b, 0, sizeof(b));
	b.o = o;
	b.ctx = ctx;
	bench_sigbus_install();
	bench_env_load(&b.env);
	ret = bench_target_open(&b.target, ctx, o->target, &to);
	if (!ret)
		ret = plan(&b);
	if (ret)
		goto out;
	if (o->trace) {
		if (b.target.kind != BENCH_FSDAX)
			b.trace_why = "the fs_dax tracepoints see filesystem DAX "
				      "faults only";
		else
			tr = bench_trace_open(&b.trace_why);
		if (b.trace_why)
			dt_warn("--trace: %s: not tracing", b.trace_why);
	}
	b.env.regime = bench_regime(&b.target, o->prewarm, false);
	ret = run_all(&b, tr);
	bench_trace_close(tr);
	if (!ret) {
		dt_print_init(o->json ? DT_PF_JSON : DT_PF_TEXT, true);	/* sizes as 2M in text */
		fault_report(&b);
		if (dt_print_finish() < 0) {
			dt_err("writing output: %s", strerror(errno));
			ret = -1;
		}
	}
out:
	for (unsigned i = 0; i < b.nr_results; i++)
		free_result(&b.results[i]);
	bench_target_close(&b.target);
	return !ret ? DT_EXIT_OK : ret == -2 ? DT_EXIT_USAGE : DT_EXIT_FAIL;
}
