// SPDX-License-Identifier: GPL-2.0-only
/*
 * The benchmark runner: see runner.h. Everything the workloads share is
 * here, once: the options they all take, pinning, barriers, progress,
 * the SIGBUS guard, the kernel's counters over a run, cleanup and
 * interruption, the document's frame and the exit status.
 *
 * One thread runs on the main thread, pinned like any worker: a loop in a
 * thread of its own measured a few per cent apart from the same loop in a
 * program's only thread, and the reference for one thread is the latter
 * (bench/tools/faultloop.c, streamloop.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "daxtool/fmt.h"
#include "daxtool/print.h"
#include "daxtool/util.h"
#include "copy.h"
#include "runner.h"

/* ---- the options every workload takes ---------------------------------- */

static void check_common(const struct bench_opts *o, int argc,
			 const char **argv)
{
	char a[32], b[32];

	if (argc > 1)
		usage_error("unexpected argument '%s': one TARGET at most", argv[1]);
	if (!o->threads || o->threads > 1024)
		usage_error("--threads: give 1 to 1024");
	if (!o->runs || o->runs > BENCH_MAX_RUNS)
		usage_error("--runs: give 1 to %u", BENCH_MAX_RUNS);
	if (!o->size_given)
		return;
	if (!o->size)
		usage_error("--size 0: give more than 0");
	if (o->size > BENCH_MAX_SIZE)
		usage_error("--size %" PRIu64 " (%s): too large: no process can "
			    "map more than %s", o->size,
			    dt_fmt_size(a, sizeof(a), o->size),
			    dt_fmt_size(b, sizeof(b), BENCH_MAX_SIZE));
}

/* ---- slices, counters, fallbacks ---------------------------------------- */

void bench_split(struct bench_run *run, uint64_t units, uint64_t granule)
{
	uint64_t whole = units / granule;

	for (unsigned i = 0; i < run->nthreads; i++) {
		struct bench_thread *th = &run->threads[i];
		uint64_t a = whole * i / run->nthreads * granule;
		uint64_t b = i + 1 == run->nthreads ? units :
			     whole * (i + 1) / run->nthreads * granule;

		th->first = a;
		th->count = b - a;
	}
}

static const char *const vmstat_names[2] = {
	"thp_fault_alloc", "thp_fault_fallback",
};

void bench_counters_begin(struct bench_run *run)
{
	for (int i = 0; i < 2; i++)
		run->vmstat0[i] = bench_vmstat(vmstat_names[i]);
}

void bench_counters_end(struct bench_run *run)
{
	int64_t *delta[2] = { &run->thp_alloc, &run->thp_fallback };

	for (int i = 0; i < 2; i++)
		*delta[i] = run->vmstat0[i] < 0 ? -1 :
			    bench_vmstat(vmstat_names[i]) - run->vmstat0[i];
}

void bench_note_fallback(struct bench *b, const struct bench_pages *p,
			 const char *label)
{
	if (!bench_pages_fell_back(p))
		return;
	if (!b->fallback.windows)
		DT_COPY(b->fallback.label, label);
	b->fallback.windows += p->windows - p->pmd_windows;
	b->fallback.of += p->windows;
}

void bench_test_hold(const struct bench_target *t, unsigned ordinal)
{
	static bool done;
	const char *env = getenv("DAXTOOL_TEST_BENCH_DELAY_MS");
	const char *at = getenv("DAXTOOL_TEST_BENCH_HOLD_RUN");
	uint64_t until;
	struct stat st0, st;

	if (done || !env || ordinal + 1 != (at ? strtoul(at, NULL, 10) : 1))
		return;
	done = true;
	/* the test waits for this, not for a guess at how long runs take */
	if (getenv("DAXTOOL_TEST_BENCH_HELD")) {
		int fd = open(getenv("DAXTOOL_TEST_BENCH_HELD"),
			      O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

		if (fd >= 0)
			close(fd);
	}
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

/* ---- the threads of a run ------------------------------------------------ */

struct worker {
	struct bench *b;
	struct bench_run *run;
	struct bench_thread *th;
	pthread_barrier_t *ready, *go;
};

/* body() under the SIGBUS guard, bracketed by the clock and the thread's
 * fault counts. */
static void thread_run(struct bench *b, struct bench_run *run,
		       struct bench_thread *th)
{
	uint64_t f0, m0;
	sigjmp_buf jb;

	f0 = bench_thread_faults(&m0);
	if (sigsetjmp(jb, 1)) {
		bench_bus_jmp = NULL;
		th->bus_addr = bench_bus_addr;
		atomic_store(&run->stop, true);	/* nobody waits for it */
		goto out;
	}
	bench_bus_jmp = &jb;
	th->t0 = bench_now();
	b->w->body(b, run, th);
out:
	th->t1 = bench_now();
	bench_bus_jmp = NULL;
	th->faults = bench_thread_faults(&th->major) - f0;
	th->major -= m0;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	bench_pin(w->th->cpu);
	w->th->tid = gettid();
	pthread_barrier_wait(w->ready);
	pthread_barrier_wait(w->go);
	thread_run(w->b, w->run, w->th);
	return NULL;
}

static void trace_start(struct bench *b, struct bench_run *run)
{
	pid_t tids[run->nthreads];

	for (unsigned i = 0; i < run->nthreads; i++)
		tids[i] = run->threads[i].tid;
	run->traced = b->trace &&
		      bench_trace_start(b->trace, tids, run->nthreads) == 0;
}

static void run_here(struct bench *b, struct bench_run *run,
		     struct bench_progress *pg)
{
	struct bench_thread *th = &run->threads[0];
	cpu_set_t saved;
	bool restore = sched_getaffinity(0, sizeof(saved), &saved) == 0;

	bench_pin(th->cpu);
	th->tid = gettid();
	trace_start(b, run);
	bench_progress_start(pg, b, run);
	thread_run(b, run, th);
	bench_progress_stop(pg);
	if (restore)
		sched_setaffinity(0, sizeof(saved), &saved);
}

static void run_workers(struct bench *b, struct bench_run *run,
			struct bench_progress *pg)
{
	const unsigned n = run->nthreads;
	pthread_barrier_t ready, go;
	struct worker w[n];
	pthread_t tid[n];

	pthread_barrier_init(&ready, NULL, n + 1);
	pthread_barrier_init(&go, NULL, n + 1);
	for (unsigned i = 0; i < n; i++) {
		int ret;

		w[i] = (struct worker) { b, run, &run->threads[i], &ready, &go };
		ret = pthread_create(&tid[i], NULL, worker_main, &w[i]);
		if (ret) {
			/* the barriers count on every thread: give up hard */
			dt_err("cannot start thread %u: %s", i, strerror(ret));
			exit(DT_EXIT_FAIL);
		}
	}
	pthread_barrier_wait(&ready);
	trace_start(b, run);
	bench_progress_start(pg, b, run);
	pthread_barrier_wait(&go);
	for (unsigned i = 0; i < n; i++)
		pthread_join(tid[i], NULL);
	bench_progress_stop(pg);
	pthread_barrier_destroy(&ready);
	pthread_barrier_destroy(&go);
}

static enum bench_ret run_threads(struct bench *b, struct bench_run *run)
{
	struct bench_progress pg;
	uint64_t t0 = UINT64_MAX, t1 = 0;

	bench_counters_begin(run);
	if (run->nthreads == 1)
		run_here(b, run, &pg);
	else
		run_workers(b, run, &pg);
	if (run->traced)
		bench_trace_stop(b->trace, &run->trace);
	bench_counters_end(run);
	for (unsigned i = 0; i < run->nthreads; i++) {
		const struct bench_thread *th = &run->threads[i];

		t0 = th->t0 < t0 ? th->t0 : t0;
		t1 = th->t1 > t1 ? th->t1 : t1;
		run->faults += th->faults;
		run->major += th->major;
	}
	run->runtime_ns = t1 > t0 ? t1 - t0 : 0;
	for (unsigned i = 0; i < run->nthreads; i++)
		if (run->threads[i].bus_addr) {
			bench_sigbus_report(&b->target, run->threads[i].bus_addr);
			return BENCH_FAIL;
		}
	return BENCH_OK;
}

/* ---- the runs ------------------------------------------------------------- */

static enum bench_ret alloc_runs(struct bench *b)
{
	const unsigned n = b->nr_passes * b->nr_runs;

	b->runs = calloc(n ? n : 1, sizeof(*b->runs));
	if (!b->runs)
		return BENCH_FAIL;
	for (unsigned i = 0; i < n; i++) {
		struct bench_run *run = &b->runs[i];

		run->pass = i / b->nr_runs;
		run->index = i % b->nr_runs;
		run->label = "";
		run->thp_alloc = run->thp_fallback = -1;
		run->nthreads = b->o->threads;
		run->threads = calloc(run->nthreads, sizeof(*run->threads));
		if (!run->threads)
			return BENCH_FAIL;
		for (unsigned t = 0; t < run->nthreads; t++) {
			run->threads[t].index = t;
			run->threads[t].cpu = bench_thread_cpu(b->cpus, b->ncpus, t);
		}
	}
	return BENCH_OK;
}

static void free_runs(struct bench *b)
{
	for (unsigned i = 0; b->runs && i < b->nr_passes * b->nr_runs; i++)
		free(b->runs[i].threads);
	free(b->runs);
	b->runs = NULL;
}

static enum bench_ret run_one(struct bench *b, struct bench_run *run,
			      unsigned ordinal)
{
	enum bench_ret ret = b->w->prepare(b, run);

	if (!ret && !run->done) {
		bench_test_hold(&b->target, ordinal);
		ret = run_threads(b, run);
	}
	if (!ret && b->env.is_pmem < 0)
		bench_env_target(&b->env, &b->target);
	if (!ret)
		ret = b->w->finish(b, run);
	if (ret || !run->keep_map)
		bench_target_unmap(&b->target);
	return ret;
}

static enum bench_ret run_all(struct bench *b)
{
	const unsigned n = b->nr_passes * b->nr_runs;
	enum bench_ret ret;

	if (alloc_runs(b)) {
		dt_err("%s", strerror(ENOMEM));
		return BENCH_FAIL;
	}
	for (unsigned i = 0; i < n; i++) {
		ret = run_one(b, &b->runs[i], i);
		if (ret)
			return ret;
		bench_interrupt_runs_done(i + 1);
	}
	return BENCH_OK;
}

/* ---- the document and the exit status ------------------------------------ */

static void print_libpmem_path(void)
{
	dt_print_begin_object("libpmem_path");
	dt_print_str(DT_ANY, "flush", "       libpmem: flush with %s",
		     copy_flush_path());
	dt_print_str(DT_ANY, "memcpy", ", copy with %s", copy_memcpy_path());
	dt_print_str(DT_ANY, "basis", " (%s)\n",
		     "from the CPU's features and the PMEM_* variables");
	dt_print_end_object();
}

static enum bench_ret print_document(struct bench *b)
{
	bench_interrupt_disarm();
	dt_print_init(b->o->json ? DT_PF_JSON : DT_PF_TEXT, true);	/* sizes as 2M in text */
	dt_print_begin_object(NULL);
	dt_print_meta();
	dt_print_str(DT_ANY, "workload", "daxtool bench %s: ", b->w->name);
	bench_target_print(&b->target, b->access);
	b->w->report(b);
	bench_env_print(&b->env, &b->target);
	if (b->w->libpmem_path)
		print_libpmem_path();
	bench_context_print(b->ctx);
	dt_print_end_object();
	if (dt_print_finish() < 0) {
		dt_err("writing output: %s", strerror(errno));
		return BENCH_FAIL;
	}
	return BENCH_OK;
}

static enum bench_ret fallback_status(const struct bench *b)
{
	const struct bench_fallback *f = &b->fallback;

	if (!b->o->fail_on_fallback || !f->windows)
		return BENCH_OK;
	dt_err("--fail-on-fallback: %s: %" PRIu64 " of %" PRIu64 " window%s "
	       "fell back to 4 KiB pages", f->label, f->windows, f->of,
	       bench_s(f->of));
	return BENCH_FAIL;
}

/* More threads than CPUs to pin them to: they take turns, and say so. */
static void note_cpus(const struct bench *b)
{
	if (b->ncpus && b->o->threads > b->ncpus)
		dt_warn("note: %u threads on %u allowed CPU%s: threads share "
			"CPUs", b->o->threads, b->ncpus, b->ncpus == 1 ? "" : "s");
}

int bench_run(const struct bench_workload *w, int argc, const char **argv,
	      struct dt_ctx *ctx)
{
	static struct bench b;
	const struct bench_opts *o = w->opts;
	enum bench_ret ret;
	char cmd[64];

	memset(&b, 0, sizeof(b));
	b.w = w;
	b.o = o;
	b.ctx = ctx;
	w->defaults();
	argc = parse_options(argc, argv, w->options, w->usage);
	check_common(o, argc, argv);
	w->opts->target = argc ? argv[0] : NULL;
	b.topen.size = o->size_given ? o->size : 0;
	b.topen.sparse = o->sparse;
	b.topen.force = o->force;
	b.topen.access = -1;
	ret = w->check(&b);
	if (ret)
		return ret;

	bench_sigbus_install();
	bench_env_load(&b.env);
	b.ncpus = bench_cpus_allowed(b.cpus, CPU_SETSIZE);
	ret = bench_target_open(&b.target, ctx, o->target, &b.topen);
	if (!ret)
		ret = w->setup(&b);
	if (ret || b.done)
		goto out;
	note_cpus(&b);
	snprintf(cmd, sizeof(cmd), "daxtool: bench %s", w->name);
	bench_interrupt_arm(cmd, b.nr_passes * b.nr_runs);
	ret = run_all(&b);
	if (!ret && w->summarise)
		ret = w->summarise(&b);
	if (!ret)
		ret = print_document(&b);
	if (!ret && b.failure[0]) {
		dt_err("%s", b.failure);
		ret = BENCH_FAIL;
	}
	if (!ret)
		ret = fallback_status(&b);
out:
	bench_interrupt_disarm();
	bench_trace_close(b.trace);
	w->teardown(&b);
	free_runs(&b);
	bench_target_close(&b.target);
	return ret;
}
