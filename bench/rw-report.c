// SPDX-License-Identifier: GPL-2.0-only
/*
 * The output of bench rw, between the target and the env the runner
 * prints: what was asked, fio's jobs[] shape with the read and write
 * directions (bandwidth, IOPS, latency), what the data and the page
 * sizes were found to be afterwards, and fio's figures beside daxtool's.
 * Each value is one call that prints it in both outputs (see
 * include/daxtool/print.h).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxtool/print.h"
#include "daxtool/util.h"
#include "rw.h"

/* One direction: the median run's figures, and the samples of every
 * run, each run's threads in turn, the runs in order. */
struct dir_total {
	const struct rw_dir_run *m;
	struct bench_samples lat;
};

static void sum_dir(const struct rw_bench *r, unsigned nthreads,
		    enum rw_dir dir, struct dir_total *d)
{
	memset(d, 0, sizeof(*d));
	d->m = &r->runs[r->median][dir];
	for (unsigned k = 0; k < r->nruns; k++)
		for (unsigned i = 0; i < nthreads; i++)
			if (bench_samples_append(&d->lat,
						 &r->th[i].runs[k].lat[dir]))
				return;	/* the statistics of those kept */
}

/* runs{}: the bandwidth and runtime of each run, and each run's own
 * latency statistics (null where nothing was timed): runner.h's shape;
 * in text under the direction's line, with more than one run. */
static void print_runs(const struct rw_bench *r, enum rw_dir dir, bool ran,
		       bool timed)
{
	const unsigned n = r->nruns;
	const bool show = ran && n > 1;
	double bw[n], runtime[n];
	struct bench_run_lat lat[n];
	char prefix[32];

	for (unsigned k = 0; k < n; k++) {
		bw[k] = (double)r->runs[k][dir].bw;
		runtime[k] = (double)r->runs[k][dir].runtime_ns;
		lat[k] = r->runs[k][dir].lat;
	}
	snprintf(prefix, sizeof(prefix), "  %-5s ", rw_dir_names[dir]);
	bench_runs_begin(show ? prefix : NULL, n);
	bench_runs_values("bw_bytes", bw, n, r->median, BENCH_RUNS_BW,
			  show ? " bw" : NULL);
	bench_runs_values("runtime_ns", runtime, n, r->median,
			  BENCH_RUNS_NS_INT, show ? ", runtime" : NULL);
	bench_runs_lat("lat_ns", timed ? lat : NULL, n);
	bench_runs_end(show ? prefix : NULL);
}

static const struct bench_lat_text lat_line = {
	.mean = ", latency mean %s", .pct = " %s", .pct_label = true,
};

/* One direction, the median run's figures: in text "read  16M:
 * 12.5G/s, 3265257 IOPS over 1.3ms, latency ..." where it ran, the
 * latency of every run's samples, then each run's figures. */
static void print_dir(const struct rw_bench *r, enum rw_dir dir,
		      struct dir_total *d)
{
	const char *name = rw_dir_names[dir];
	const struct rw_dir_run *m = d->m;
	const bool ran = m->ops > 0;
	const bool timed = ran && !r->o->no_lat && d->lat.n;
	struct bench_lat l;

	dt_print_begin_object(name);
	if (ran)
		dt_print_text("  %-5s", name);
	dt_print_size(DT_ANY, "io_bytes", bench_when(ran, " %s"), m->bytes);
	dt_print_size(DT_ANY, "bw_bytes", bench_when(ran, ": %s/s"), m->bw);
	dt_print_double(DT_ANY, "iops", bench_when(ran, ", %.0f IOPS"), m->iops);
	dt_print_u64(DT_JSON, "runtime", NULL, m->runtime_ns / 1000000);	/* ms, as fio */
	bench_print_ns(DT_ANY, "runtime_ns", bench_when(ran, " over %s"),
		       (double)m->runtime_ns, true, NULL);
	dt_print_u64(DT_JSON, "total_ios", NULL, m->ops);
	if (ran && !timed) {
		dt_print_null(DT_ANY, "lat_ns", " (%s)\n",
			      "bandwidth only: no per-operation timing");
	} else if (ran) {
		bench_lat_compute(d->lat.v, d->lat.n, r->custom_pcts ?
				  &r->pcts : NULL, &l);
		bench_lat_print("lat_ns", &l, &lat_line);
		dt_print_text("\n");
	}
	print_runs(r, dir, ran, timed);
	if (timed)
		bench_lat_histogram(name, &l);
	dt_print_end_object();
}

/* The median run's threads. */
static void print_threads(const struct bench_run *run, const struct rw_bench *r)
{
	dt_print_begin_array("threads");
	for (unsigned i = 0; i < run->nthreads; i++) {
		const struct bench_thread *th = &run->threads[i];
		const struct rw_tally *c = &r->th[i].runs[run->index];
		char dig[20];

		snprintf(dig, sizeof(dig), "%016" PRIx64, c->digest);
		dt_print_begin_row(NULL);
		dt_print_i64(DT_JSON, "cpu", NULL, th->cpu);
		dt_print_u64(DT_JSON, "read_bytes", NULL, c->bytes[RW_DIR_READ]);
		dt_print_u64(DT_JSON, "write_bytes", NULL,
			     c->bytes[RW_DIR_WRITE]);
		dt_print_u64(DT_JSON, "runtime_ns", NULL, th->t1 - th->t0);
		dt_print_str(DT_JSON, "offsets_digest", NULL, dig);
		dt_print_end_object();
	}
	dt_print_end_array();
}

static void print_jobs(const struct bench *b, const struct rw_bench *r,
		       struct dir_total *d)
{
	const struct bench_run *run = bench_run_of(b, 0, r->median);

	dt_print_begin_array("jobs");
	dt_print_begin_object(NULL);
	dt_print_str(DT_JSON, "jobname", NULL, "daxtool");
	for (int dir = 0; dir < RW_NR_DIRS; dir++) {
		sum_dir(r, run->nthreads, dir, &d[dir]);
		print_dir(r, dir, &d[dir]);
	}
	print_threads(run, r);
	dt_print_end_object();
	dt_print_end_array();
}

/* What was asked; what does not apply (--loops under --runtime, or the
 * reverse, the mix of a pattern that does not mix) is null. */
static void print_options(const struct bench *b, const struct rw_bench *r)
{
	const struct rw_opts *o = r->o;
	const struct rw_pattern_info *p = &rw_patterns[o->pattern];
	const bool mix = p->reads && p->writes;
	const unsigned loops = o->runtime_s ? 0 : o->loops;
	const unsigned threads = b->o->threads;

	dt_print_begin_object("options");
	dt_print_str(DT_ANY, "rw", "  %s", rw_pattern_names[o->pattern]);
	dt_print_i64_opt(DT_ANY, "rwmixread", " (%" PRId64 "%% reads)",
			 mix ? (int64_t)o->rwmixread : -1, NULL);
	dt_print_size(DT_ANY, "bs", ", bs %s", o->bs);
	dt_print_size(DT_ANY, "page_size", ", %s pages", r->page_size);
	dt_print_str(DT_ANY, "copy", ", copy %s", r->copy->name);
	dt_print_str(DT_ANY, "copy_what", " (%s)", r->copy->what);
	dt_print_str(DT_ANY, "persist", ", persist %s", persist_names[o->persist]);
	dt_print_u64(DT_ANY, "threads", threads == 1 ? ", %" PRIu64 " thread" :
		     ", %" PRIu64 " threads", threads);
	dt_print_u64(DT_ANY, "runs", r->nruns == 1 ? ", %" PRIu64 " run" :
		     ", %" PRIu64 " runs", r->nruns);
	dt_print_u64_opt(DT_ANY, "loops", loops == 1 ? ", %" PRIu64 " loop" :
			 ", %" PRIu64 " loops", loops, NULL);
	dt_print_u64_opt(DT_ANY, "runtime_s", ", %" PRIu64 " s", o->runtime_s, NULL);
	dt_print_u64(DT_ANY, "ramp_time_s", bench_when(o->ramp_s, ", ramp %"
		     PRIu64 " s"), o->ramp_s);
	/* the random offsets, and the mix, are drawn from the seed */
	if (mix || p->random)	/* any value is a seed, 0 too: no _opt */
		dt_print_u64(DT_ANY, "seed", ", seed %" PRIu64, o->seed);
	else
		dt_print_null(DT_JSON, "seed", NULL, NULL);
	dt_print_bool(DT_ANY, "prefault", bench_when(o->no_prefault,
		      ", faults included"), !o->no_prefault);
	dt_print_bool(DT_ANY, "lat", bench_when(o->no_lat, ", bandwidth only"),
		      !o->no_lat);
	dt_print_end_row();
}

/* The page sizes the mapping had: "pages: 8 of 8 windows PMD-mapped, by
 * second touch; smaps ...", and loudly where 2 MiB was asked for and not
 * got. */
static void print_pages(const struct rw_bench *r)
{
	const struct bench_pages *p = &r->pages;

	dt_print_begin_object("pages");
	dt_print_text("  pages: ");
	bench_pages_print(p);
	dt_print_double_opt(DT_JSON, "pmd_ratio", NULL, bench_pages_ratio(p),
			    NULL);
	dt_print_text("\n");
	bench_pages_print_note(p);
	bench_pages_print_fallback(p, "rw", &r->why);
	dt_print_end_object();
}

/* The limit of each direction: a bare streaming loop, in the same threads
 * over the same mapping right after the run; daxtool's bandwidth as a
 * fraction of it. */
static void print_limit(const struct rw_bench *r, const struct dir_total *d)
{
	if (r->o->no_limit) {
		dt_print_null(DT_JSON, "limit", NULL, NULL);
		return;
	}
	dt_print_begin_object("limit");
	for (int dir = 0; dir < RW_NR_DIRS; dir++) {
		const struct copy_method *m = r->limit[dir];
		uint64_t bytes = 0, ns = 0;
		double bw, ours;

		if (!m) {
			dt_print_null(DT_JSON, rw_dir_names[dir], NULL, NULL);
			continue;
		}
		for (unsigned i = 0; i < r->o->common.threads; i++) {
			bytes += r->th[i].limit_bytes[dir];
			if (r->th[i].limit_ns[dir] > ns)
				ns = r->th[i].limit_ns[dir];
		}
		bw = ns ? (double)bytes * 1e9 / (double)ns : NAN;
		ours = d[dir].m->runtime_ns ? (double)d[dir].m->bytes * 1e9 /
		       (double)d[dir].m->runtime_ns : NAN;
		dt_print_begin_object(rw_dir_names[dir]);
		dt_print_text("  limit %-5s", rw_dir_names[dir]);
		dt_print_str(DT_ANY, "copy", " %s", m->name);
		dt_print_str(DT_JSON, "copy_what", NULL, m->what);
		dt_print_u64(DT_JSON, "io_bytes", NULL, bytes);
		dt_print_size(DT_ANY, "bw_bytes", " sequential, same mapping and "
			      "threads: %s/s", isnan(bw) ? 0 : (uint64_t)bw);
		dt_print_double_opt(DT_ANY, "ratio", "; daxtool/limit: %.2f",
				    bw > 0 ? ours / bw : NAN, "unknown");
		dt_print_end_row();
	}
	dt_print_end_object();
}

/* How fio ran: "warm: a cold pass took 4839 ms, then 7508 ms unmeasured
 * (ramp_time)", or cold, where every page it touches faults in what it
 * measures. */
static void print_fio_warmup(const struct rw_bench *r)
{
	const struct fio_job *j = &r->fio_job;

	dt_print_bool(DT_ANY, "warmup", j->warm ? ", warm:" : ", cold "
		      "(--fio-cold): its page faults are measured", j->warm);
	dt_print_u64_opt(DT_ANY, "cold_pass_ms", " a cold pass took %" PRIu64
			 " ms,", j->warm ? r->fio_cold_ms : 0, NULL);
	dt_print_u64(DT_ANY, "ramp_time_ms", j->warm ? " then %" PRIu64 " ms "
		     "unmeasured (ramp_time)" : bench_when(j->ramp_ms, ", "
		     "ramp_time %" PRIu64 " ms"), j->ramp_ms);
	dt_print_text("\n");
}

/* fio's page faults and CPU time in what it measured, and loudly where
 * they made it fault-bound (fio.h says when). */
static void print_fio_faults(const struct rw_bench *r, bool bound,
			     const char *why)
{
	const struct fio_result *f = &r->fio;

	dt_print_u64(DT_ANY, "minf", r->fio_job.warm ? "  fio, measured part: %"
		     PRIu64 " minor faults" : "  fio: %" PRIu64 " minor faults",
		     f->minf);
	dt_print_u64(DT_ANY, "majf", ", %" PRIu64 " major", f->majf);
	dt_print_double(DT_ANY, "usr_cpu", ", %.1f%% user", f->usr_cpu);
	dt_print_double(DT_ANY, "sys_cpu", ", %.1f%% system time\n", f->sys_cpu);
	dt_print_bool(DT_ANY, "fault_bound", bound ? "  !!! fio WAS FAULT-BOUND: "
		      "the ratio is not like for like !!!\n" : NULL, bound);
	dt_print_str_opt(DT_ANY, "fault_bound_why", "  why: %s\n", why, NULL);
	if (bound)
		dt_print_text("  fio's bandwidth counts its page faults, %s; %s\n",
			      r->o->no_prefault ? "daxtool's only those of its "
			      "first pass (--no-prefault)" : "daxtool's none (it "
			      "prefaults)", !r->fio_job.warm ? "without --fio-cold "
			      "fio warms up first" : "this after fio's warm-up: a "
			      "longer --ramp-time helps where the ramp fell short");
}

static void print_fio(const struct bench *b, const struct rw_bench *r,
		      const struct dir_total *d)
{
	const struct fio_dir *fd[RW_NR_DIRS] = { &r->fio.read, &r->fio.write };
	char why[160], note[320];
	bool bound, other;

	if (!r->fio_ok) {
		dt_print_null(DT_JSON, "fio", NULL, NULL);
		return;
	}
	bound = fio_fault_bound(&r->fio, why, sizeof(why));
	/* memory without a path: fio gets a tmpfs file of its own */
	other = !b->target.path[0];
	dt_print_begin_object("fio");
	dt_print_str(DT_ANY, "engine", "  fio %s",
		     fio_engine_names[rw_fio_engine(&b->target)]);
	dt_print_str(DT_ANY, "version", " (%s), the same workload",
		     r->fio.version);
	/* once, after every run: its ratios are to the median run's */
	if (r->nruns > 1)
		dt_print_text(" once, beside daxtool's median run");
	print_fio_warmup(r);
	/* the kind's label has no '%' in it */
	snprintf(note, sizeof(note), "  !!! fio ran on a tmpfs file of its own, "
		 "daxtool on %s: not the same memory, nor the same page sizes; "
		 "give a tmpfs file as the target to compare on one !!!\n",
		 bench_kinds[b->target.kind].label);
	dt_print_bool(DT_ANY, "same_memory", bench_when(other, note), !other);
	for (int dir = 0; dir < RW_NR_DIRS; dir++) {
		const bool ran = fd[dir]->io_bytes > 0;
		double ours = d[dir].m->runtime_ns ? (double)d[dir].m->bytes *
			      1e9 / (double)d[dir].m->runtime_ns : 0;

		dt_print_begin_object(rw_dir_names[dir]);
		if (ran)
			dt_print_text("  %-5s fio", rw_dir_names[dir]);
		dt_print_size(DT_ANY, "io_bytes", bench_when(ran, " %s moved"),
			      fd[dir]->io_bytes);
		dt_print_u64(DT_ANY, "runtime", bench_when(ran, " in %" PRIu64
			     " ms"), fd[dir]->runtime_ms);
		dt_print_size(DT_ANY, "bw_bytes", bench_when(ran, ", %s/s"),
			      fd[dir]->bw_bytes);
		dt_print_double(DT_JSON, "iops", NULL, fd[dir]->iops);
		dt_print_double_opt(DT_ANY, "ratio", bench_when(ran,
				    "; daxtool/fio %.2fx"), fd[dir]->bw_bytes &&
				    ours > 0 ? ours / (double)fd[dir]->bw_bytes :
				    NAN, NULL);
		if (ran)
			dt_print_text(bound || other ? ", not like for like\n" :
				      "\n");
		dt_print_end_object();
	}
	print_fio_faults(r, bound, bound ? why : NULL);
	dt_print_end_object();
}

void rw_report(const struct bench *b, const struct rw_bench *r)
{
	struct dir_total d[RW_NR_DIRS];

	print_options(b, r);
	print_jobs(b, r, d);
	dt_print_i64_opt(DT_ANY, "verify_errors", !r->bad ?
			 "  verify: every block written holds its data\n" :
			 r->bad == 1 ? "  verify: %" PRId64 " block does not "
			 "hold what was written\n" : "  verify: %" PRId64
			 " blocks do not hold what was written\n",
			 r->written ? (int64_t)r->bad : -1, NULL);
	print_pages(r);
	print_limit(r, d);
	print_fio(b, r, d);
	for (int dir = 0; dir < RW_NR_DIRS; dir++)
		bench_samples_free(&d[dir].lat);
}
