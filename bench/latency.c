// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench latency: see latency.h. Building the cycle writes the working set
 * and faults it in, so nothing a run times is a fault; the chasing thread
 * is the runner's first, pinned like every thread. Afterwards each run's
 * mapping is verified (pages.h): the pass keeps the run that got the
 * fewest windows of its page size, and says so loudly where that is not
 * all of them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>

#include "daxtool/fmt.h"
#include "daxtool/util.h"
#include "explain.h"
#include "latency.h"

/* --page-size: the passes */
enum { LAT_PAGE_4K, LAT_PAGE_2M, LAT_PAGE_1G, LAT_PAGE_ALL };
static const char *const page_size_names[] = { "4k", "2m", "1g", "all", NULL };
static const uint64_t page_size_bytes[] = { BENCH_4K, BENCH_2M, BENCH_1G };

#define DEFAULT_DELAYS "0,50,100,200,500,1000,2000,5000"
/* traffic runs this long before the chase is timed under it */
#define SETTLE_NS (10 * 1000000ULL)

static struct lat_opts lo;
static struct lat_bench lb;
static struct bench_pages scratch;	/* a loaded run's verification */

/* ---- the options ---------------------------------------------------------- */

static const char *const lat_usage[] = {
	"daxtool bench latency [options] [/dev/daxX.Y|DIR|FILE|emulated|anon|hugetlb]",
	"",
	"Load-to-use latency: a dependent-load pointer chase over a random",
	"cycle of the working set's lines, for working sets from --min-ws to",
	"--max-ws, once per page size the target allows. --loaded adds the",
	"chase's latency under traffic from the other threads. Building the",
	"cycle writes the memory: an existing file or device needs --force.",
	BENCH_USAGE_EXIT,
	NULL
};

static const struct opt lat_options[] = {
	OPT_CHOICE('p', "page-size", &lo.page, page_size_names, "4k|2m|1g|all",
		   "the page sizes to compare (default all the target allows)"),
	BENCH_OPT_SIZE(lo.common),
	OPT_SIZE(0, "min-ws", &lo.min_ws, "SIZE",
		 "the smallest working set (default 16K)"),
	OPT_SIZE(0, "max-ws", &lo.max_ws, "SIZE",
		 "the largest working set (default the target's size)"),
	OPT_SIZE(0, "stride", &lo.stride, "SIZE",
		 "bytes per line of the chase (default 64)"),
	OPT_SIZE(0, "group", &lo.group, "SIZE",
		 "chase the lines of each SIZE bytes together, one TLB miss "
		 "per group (default 0: random over the whole working set)"),
	OPT_UINT('r', "repeats", &lo.repeats, "N",
		 "timed repeats per point, the median reported (default 5)"),
	OPT_SIZE(0, "max-loads", &lo.max_loads, "N",
		 "loads per repeat at most; 0: a whole lap (default 1M)"),
	OPT_SIZE(0, "seed", &lo.seed, "N", "the cycle's seed (default 1)"),
	OPT_BOOLEAN(0, "loaded", &lo.loaded,
		    "also the latency under traffic from the other threads"),
	OPT_UINT('t', "threads", &lo.threads, "N",
		 "with --loaded: one chases, N-1 make traffic (default every "
		 "allowed CPU, at least 2)"),
	OPT_CHOICE(0, "traffic", &lo.traffic, chase_traffic_names,
		   "read|write|mix", "the traffic of --loaded (default read)"),
	OPT_STRING(0, "delays", &lo.delays, "NS,NS...",
		   "what a traffic thread waits after each 64-byte access, a "
		   "point each (default " DEFAULT_DELAYS ")"),
	OPT_SIZE(0, "loaded-ws", &lo.loaded_ws, "SIZE",
		 "the chase's working set under load (default half the "
		 "target; the traffic gets the rest)"),
	OPT_BOOLEAN(0, "no-chart", &lo.no_chart, "no chart of the curve"),
	BENCH_OPT_SPARSE(lo.common),
	BENCH_OPT_FORCE(lo.common),
	BENCH_OPT_FAIL_ON_FALLBACK(lo.common),
	BENCH_OPT_JSON(lo.common),
	OPT_END(),
};

static void defaults(void)
{
	lo = (struct lat_opts) { .common = { .threads = 1, .runs = 1 },
				 .page = LAT_PAGE_ALL, .stride = CHASE_LINE,
				 .repeats = CHASE_REPEATS,
				 .max_loads = LAT_MAX_LOADS, .seed = 1,
				 .traffic = CHASE_TRAFFIC_READ };
}

/* "0,100,1000" into lb.delays; NULL, or why not. */
static const char *parse_delays(const char *s, char *msg, size_t len)
{
	const char *p = s;

	lb.ndelays = 0;
	for (;;) {
		char *end;
		unsigned long long v;

		errno = 0;
		v = strtoull(p, &end, 10);
		if (end == p || *p == '-' || errno || v > 1000000000ULL ||
		    (*end && *end != ',')) {
			snprintf(msg, len, "--delays '%s': give ns from 0 to "
				 "1000000000, separated by commas", s);
			return msg;
		}
		if (lb.ndelays == LAT_MAX_DELAYS) {
			snprintf(msg, len, "--delays: %d at most",
				 LAT_MAX_DELAYS);
			return msg;
		}
		lb.delays[lb.ndelays++] = v;
		if (!*end)
			return NULL;
		p = end + 1;
	}
}

/* The first option that does not fit the others, and why; NULL if none. */
static const char *bad_option(char *msg, size_t len)
{
	const char *why;

	if (lo.threads > 1024)
		return "--threads: give 1 to 1024";
	if (!lo.loaded) {
		if (lo.threads > 1)
			return "--threads: the idle curve is one chasing thread; "
			       "add --loaded for threads that make traffic";
		if (lo.delays || lo.loaded_ws)
			return lo.delays ? "--delays is for --loaded" :
			       "--loaded-ws is for --loaded";
	} else if (lo.threads == 1) {
		return "--loaded --threads 1: one thread chases, the others "
		       "make the traffic: give 2 or more";
	}
	if (!lo.repeats || lo.repeats > CHASE_MAX_REPEATS)
		return "--repeats: give 1 to 1000";
	if (lo.min_ws && lo.max_ws && lo.min_ws > lo.max_ws)
		return "--min-ws is larger than --max-ws";
	lb.copts = (struct chase_opts) { .stride = lo.stride, .group = lo.group,
					 .seed = lo.seed,
					 .max_loads = lo.max_loads,
					 .repeats = lo.repeats };
	if (!lo.stride)
		return "--stride 0: give a multiple of 8 bytes";
	why = chase_opts_check(&lb.copts, 0);
	if (why) {
		snprintf(msg, len, "--stride %" PRIu64 ", --group %" PRIu64
			 ": %s", lo.stride, lo.group, why);
		return msg;
	}
	if (lo.loaded)
		return parse_delays(lo.delays ? lo.delays : DEFAULT_DELAYS,
				    msg, len);
	return NULL;
}

static enum bench_ret check(struct bench *b)
{
	char msg[256];
	const char *why = bad_option(msg, sizeof(msg));

	if (why) {
		dt_err("%s", why);
		return BENCH_USAGE;
	}
	if (lo.loaded && !lo.threads) {
		unsigned n = bench_cpus_allowed(NULL, CPU_SETSIZE);

		lo.threads = n < 2 ? 2 : n;
	}
	lo.common.threads = lo.threads ? lo.threads : 1;
	b->topen.granule = lo.page == LAT_PAGE_4K ? BENCH_4K :
			   lo.page == LAT_PAGE_1G ? BENCH_1G : BENCH_2M;
	b->topen.access = BENCH_WRITE;	/* the cycle is written */
	b->topen.writer = "building the chase's cycle";
	/* the emulation chosen must allow the 4 KiB pass */
	b->topen.need_4k = lo.page == LAT_PAGE_4K || lo.page == LAT_PAGE_ALL;
	b->topen.huge_page = lo.page == LAT_PAGE_1G ? BENCH_1G : 0;
	return BENCH_OK;
}

/* ---- the plan ------------------------------------------------------------- */

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

/* The windows a pass's pages are verified in: 1 GiB for 1 GiB pages. */
static uint64_t window_of(uint64_t page_size)
{
	return page_size >= BENCH_1G ? BENCH_1G : BENCH_2M;
}

static enum bench_ret plan_passes(const struct bench *b)
{
	const struct bench_target *t = &b->target;
	unsigned first = lo.page == LAT_PAGE_ALL ? 0 : (unsigned)lo.page;
	unsigned last = lo.page == LAT_PAGE_ALL ? LAT_PAGE_1G : (unsigned)lo.page;
	char a[16], buf[200];

	for (unsigned i = first; i <= last; i++) {
		struct lat_pass *p = &lb.passes[lb.npasses];
		const char *why;

		if (!bench_page_possible(t, page_size_bytes[i], false, &why, buf,
					 sizeof(buf))) {
			if (lo.page != LAT_PAGE_ALL) {
				dt_err("--page-size %s: %s", page_size_names[i],
				       why);
				return BENCH_USAGE;
			}
			lb.skipped[lb.nskipped].page_size = page_size_bytes[i];
			DT_COPY(lb.skipped[lb.nskipped++].why, why);
			continue;
		}
		p->page_size = page_size_bytes[i];
		snprintf(p->label, sizeof(p->label), "%s pages",
			 dt_fmt_size(a, sizeof(a), p->page_size));
		if (bench_pages_init_window(&p->pages, window_of(p->page_size),
					    t->size / window_of(p->page_size),
					    p->page_size >= BENCH_2M))
			return BENCH_FAIL;
		p->pages.small = p->page_size < BENCH_2M;
		lb.npasses++;
	}
	if (!lb.npasses) {
		dt_err("%s: %s", t->path[0] ? t->path : bench_kinds[t->kind].name,
		       lb.skipped[0].why);
		return BENCH_USAGE;
	}
	return BENCH_OK;
}

/* The working sets against the target's size. */
static enum bench_ret plan_sizes(const struct bench *b)
{
	const uint64_t size = b->target.size;
	const uint64_t nt = lo.common.threads - 1;
	char a[32], c[32];

	lb.max_ws = lo.max_ws ? lo.max_ws : size;
	if (lb.max_ws > size) {
		dt_err("--max-ws %s: larger than the target (%s)",
		       dt_fmt_size(a, sizeof(a), lb.max_ws),
		       dt_fmt_size(c, sizeof(c), size));
		return BENCH_USAGE;
	}
	lb.min_ws = lo.min_ws ? lo.min_ws : CHASE_SWEEP_START;
	if (lb.min_ws > lb.max_ws)
		lb.min_ws = lb.max_ws;	/* one point: the target is small */
	if (lb.max_ws < lo.stride) {
		dt_err("--max-ws %s: smaller than one line of %" PRIu64 " bytes",
		       dt_fmt_size(a, sizeof(a), lb.max_ws), lo.stride);
		return BENCH_USAGE;
	}
	lb.nsizes = (unsigned)chase_sweep_sizes(lb.min_ws, lb.max_ws, lo.stride,
						lb.sizes, LAT_MAX_SIZES);
	if (!lo.loaded)
		return BENCH_OK;
	/* the chase in the first windows, the traffic after them */
	lb.loaded_ws = lo.loaded_ws ? lo.loaded_ws : size / 2;
	if (lb.loaded_ws < lo.stride ||
	    round_up(lb.loaded_ws, BENCH_2M) + nt * BENCH_4K > size) {
		dt_err("--loaded-ws %s of %s: give at least one line to chase "
		       "and leave the traffic a 4 KiB page per thread after the "
		       "chase's 2 MiB windows", dt_fmt_size(a, sizeof(a),
		       lb.loaded_ws), dt_fmt_size(c, sizeof(c), size));
		return BENCH_USAGE;
	}
	return BENCH_OK;
}

static enum bench_ret setup(struct bench *b)
{
	enum bench_ret ret;

	/* lb holds what check() parsed */
	ret = plan_passes(b);
	if (!ret)
		ret = plan_sizes(b);
	if (ret)
		return ret;
	lb.o = &lo;
	lb.traffic = calloc(lo.common.threads, sizeof(*lb.traffic));
	if (!lb.traffic)
		goto nomem;
	if (lo.loaded) {
		lb.ns_per_spin = chase_spin_calibrate();
		for (unsigned i = 0; i < lb.ndelays; i++)
			for (unsigned p = 0; p < lb.npasses; p++) {
				struct lat_point *pt = &lb.passes[p].loaded[i];

				pt->delay_ns = lb.delays[i];
				pt->delay_spins = chase_delay_for_ns(
					(double)lb.delays[i], lb.ns_per_spin);
			}
	}
	b->access = BENCH_WRITE;	/* the cycle is written, whatever the traffic */
	b->env.regime = bench_regime(&b->target, false, true);
	b->nr_passes = lb.npasses;
	b->nr_runs = 1 + (lo.loaded ? lb.ndelays : 0);
	return BENCH_OK;
nomem:
	dt_err("%s", strerror(ENOMEM));
	return BENCH_FAIL;
}

/* ---- a run ----------------------------------------------------------------- */

/* The loaded run's memory: the cycle over the first loaded_ws bytes, the
 * traffic's slices after the chase's windows. */
static enum bench_ret prepare_loaded(struct bench *b, struct bench_run *run)
{
	const struct bench_target *t = &b->target;
	const uint64_t off = round_up(lb.loaded_ws, BENCH_2M);
	const uint64_t nt = run->nthreads - 1;
	const uint64_t slice = (t->size - off) / nt / 64 * 64;

	if (chase_build(&lb.chase, t->map, lb.loaded_ws, &lb.copts) < 0) {
		dt_err("cannot build the chase over %" PRIu64 " bytes",
		       lb.loaded_ws);
		return BENCH_FAIL;
	}
	for (unsigned i = 1; i < run->nthreads; i++) {
		run->threads[i].first = off + (i - 1) * slice;
		run->threads[i].count = slice;
	}
	atomic_store(&run->stop, false);
	atomic_store(&lb.started, 0);
	run->units = 1;
	return BENCH_OK;
}

static enum bench_ret prepare(struct bench *b, struct bench_run *run)
{
	const struct lat_pass *p = &lb.passes[run->pass];
	struct bench_target *t = &b->target;
	const struct bench_kind_info *ki = &bench_kinds[t->kind];

	if (bench_target_reset(t) ||
	    bench_target_map(t, p->page_size >= BENCH_2M ? ki->advice_2m :
			     ki->advice_4k, false))
		return BENCH_FAIL;
	/* every window written, so that what is verified afterwards is what
	 * the run had, and with non-zero data: traffic reading memory never
	 * written would read the shared zero page, from the cache */
	memset(t->map, 0x5a, t->size);
	run->label = p->label;
	if (run->index)
		return prepare_loaded(b, run);
	run->nthreads = 1;	/* the idle curve: the chase alone */
	run->units = lb.nsizes;
	return BENCH_OK;
}

static void point_done(const struct chase_result *r, void *arg)
{
	struct bench_thread *th = arg;

	(void)r;
	atomic_fetch_add_explicit(&th->done, 1, memory_order_relaxed);
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ULL),
			       (long)(ns % 1000000000ULL) };

	nanosleep(&ts, NULL);
}

/* The chase under load: once every traffic thread runs, and a little
 * after, so that the traffic is steady. */
static void chase_loaded(struct bench_run *run, struct lat_point *pt)
{
	while (atomic_load(&lb.started) < run->nthreads - 1 &&
	       !atomic_load(&run->stop))
		sleep_ns(100000);
	sleep_ns(SETTLE_NS);
	chase_measure(&lb.chase, &lb.copts, &pt->chase, NULL);
	atomic_store(&run->stop, true);
}

static void body(struct bench *b, struct bench_run *run,
		 struct bench_thread *th)
{
	struct lat_pass *p = &lb.passes[run->pass];
	struct lat_point *pt;
	struct chase_traffic tr;
	int n;

	if (!run->index) {
		n = chase_sweep(b->target.map, lb.max_ws, lb.min_ws, &lb.copts,
				p->idle, LAT_MAX_SIZES, point_done, th);
		p->nidle = n > 0 ? (unsigned)n : 0;
		if (n < 0)
			th->err = EINVAL;
		return;
	}
	pt = &p->loaded[run->index - 1];
	if (!th->index) {
		chase_loaded(run, pt);
		return;
	}
	tr = (struct chase_traffic) {
		.base = b->target.map + th->first, .size = th->count,
		.kind = (enum chase_traffic_kind)lo.traffic,
		.delay = pt->delay_spins, .stop = &run->stop,
	};
	atomic_fetch_add(&lb.started, 1);
	if (chase_traffic(&tr, &lb.traffic[th->index]) < 0) {
		th->err = EINVAL;
		atomic_store(&run->stop, true);
	}
}

/* ---- afterwards ------------------------------------------------------------ */

/* Fewer windows of the page size asked for than @than. */
static bool worse(const struct bench_pages *p, const struct bench_pages *than)
{
	return p->small ? p->pmd_windows > than->pmd_windows :
	       p->pmd_windows < than->pmd_windows;
}

/* Each window faulted again and touched twice, smaps as the run left it;
 * the pass keeps the worst run's. */
static enum bench_ret verify(struct bench *b, struct lat_pass *p)
{
	struct bench_pages *v = p->verified ? &scratch : &p->pages;

	if (p->verified)
		bench_pages_free(&scratch);
	if (p->verified && bench_pages_init_window(&scratch, p->pages.window,
						   p->pages.windows,
						   p->pages.asked))
		return BENCH_FAIL;
	scratch.small = p->pages.small;
	bench_pages_smaps(&b->target, BENCH_WRITE, v);
	if (bench_pages_touch(&b->target, v, true))
		return BENCH_FAIL;
	bench_pages_settle(v);
	if (p->verified && worse(v, &p->pages)) {
		struct bench_pages tmp = p->pages;

		p->pages = scratch;
		scratch = tmp;
	}
	p->verified = true;
	return BENCH_OK;
}

static void sum_traffic(const struct bench_run *run, struct lat_point *pt)
{
	pt->bytes = pt->ns = 0;
	for (unsigned i = 1; i < run->nthreads; i++) {
		pt->bytes += lb.traffic[i].bytes;
		if (lb.traffic[i].ns > pt->ns)
			pt->ns = lb.traffic[i].ns;
	}
	pt->bw = pt->ns ? (double)pt->bytes * 1e9 / (double)pt->ns : 0;
}

static enum bench_ret finish(struct bench *b, struct bench_run *run)
{
	struct lat_pass *p = &lb.passes[run->pass];

	for (unsigned i = 0; i < run->nthreads; i++)
		if (run->threads[i].err) {
			dt_err("%s: the chase could not run over this mapping",
			       p->label);
			return BENCH_FAIL;
		}
	if (run->index)
		sum_traffic(run, &p->loaded[run->index - 1]);
	if (verify(b, p))
		return BENCH_FAIL;
	if (run->index + 1 == b->nr_runs && bench_pages_fell_back(&p->pages)) {
		bench_explain(b, &p->pages, run, BENCH_WRITE, &p->why);
		bench_note_fallback(b, &p->pages, p->label);
	}
	return BENCH_OK;
}

static void report(struct bench *b)
{
	lat_report(b, &lb);
}

static void teardown(struct bench *b)
{
	(void)b;
	for (unsigned i = 0; i < lb.npasses; i++)
		bench_pages_free(&lb.passes[i].pages);
	bench_pages_free(&scratch);
	free(lb.traffic);
	memset(&lb, 0, sizeof(lb));
}

const struct bench_workload bench_latency = {
	.name = "latency",
	.summary = "load-to-use latency by working set and page size, idle and loaded",
	.usage = lat_usage, .options = lat_options, .opts = &lo.common,
	.defaults = defaults, .check = check, .setup = setup,
	.prepare = prepare, .body = body, .finish = finish,
	.report = report, .teardown = teardown,
};
