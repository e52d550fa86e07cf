// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench rw: block-sized loads and stores over the mapping of a target.
 * The region is prefaulted first (faults are bench fault's business, and
 * would be counted as bandwidth here), sources rotate through a buffer
 * larger than the caches and hold non-zero data (zero lines store faster
 * and would flatter every number), and the latency of each operation is
 * timed with the clock bench fault uses, unless --no-lat asks for bare
 * bandwidth.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
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

#include "daxtool/fmt.h"
#include "daxtool/print.h"
#include "daxtool/util.h"
#include "fio.h"
#include "rw.h"

const char *const rw_pattern_names[] = {
	[RW_READ] = "read", [RW_WRITE] = "write", [RW_RANDREAD] = "randread",
	[RW_RANDWRITE] = "randwrite", [RW_RW] = "rw", [RW_RANDRW] = "randrw",
	[RW_NR] = NULL,
};

static bool pattern_random(int p) { return p == RW_RANDREAD || p == RW_RANDWRITE || p == RW_RANDRW; }
static bool pattern_reads(int p) { return p != RW_WRITE && p != RW_RANDWRITE; }
static bool pattern_writes(int p) { return p != RW_READ && p != RW_RANDREAD; }

#define SRC_RING ((size_t)64 << 20)	/* larger than the last-level cache */
#define MAX_SAMPLES ((size_t)1 << 22)	/* per thread and direction */

enum { DIR_READ, DIR_WRITE };

struct rw_ctx;

struct rw_thread {
	struct rw_ctx *ctx;
	unsigned index;
	int cpu;
	pthread_t th;
	uint64_t first, nblocks;	/* its slice, in blocks */
	uint64_t rng, digest;		/* offsets, and their FNV-1a digest */
	char *src, *dst;
	uint32_t *lat[2];
	size_t nlat[2];
	uint64_t ops[2], bytes[2];
	uint64_t t0, t1;
	uint64_t sink;
	uintptr_t bus_addr;		/* where SIGBUS hit, 0 if it did not */
	int err;
};

struct rw_ctx {
	const struct rw_opts *o;
	const struct copy_method *copy;
	struct bench_target t;
	struct bench_env env;
	uint64_t nblocks;
	uint8_t *written;		/* per block, for --verify */
	struct rw_thread *th;
	atomic_uint_fast64_t progress;	/* bytes moved, for the progress line */
	struct bench_pcts pcts;		/* --percentiles */
	bool custom_pcts;		/* given, else fio's list */
};

/* ---- the worker ---------------------------------------------------------- */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void record(struct rw_thread *w, int dir, uint64_t ns)
{
	if (w->nlat[dir] < MAX_SAMPLES)
		w->lat[dir][w->nlat[dir]++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
}

/* One pass of operations until @deadline (ns) or @ops operations. */
static void run_ops(struct rw_thread *w, uint64_t ops, uint64_t deadline,
		    bool measure)
{
	struct rw_ctx *c = w->ctx;
	const struct rw_opts *o = c->o;
	const uint64_t bs = o->bs, src_blocks = SRC_RING / bs;
	bool rnd = pattern_random(o->pattern);
	bool lat = measure && !o->no_lat;
	uint64_t i, seq = 0;

	for (i = 0; i < ops || deadline; i++) {
		uint64_t blk = rnd ? splitmix(&w->rng) % w->nblocks : seq++ % w->nblocks;
		int dir = !pattern_reads(o->pattern) ? DIR_WRITE :
			  !pattern_writes(o->pattern) ? DIR_READ :
			  splitmix(&w->rng) % 100 < o->rwmixread ? DIR_READ : DIR_WRITE;
		char *addr = c->t.map + (w->first + blk) * bs;
		uint64_t t0 = 0;

		if (deadline && (i & 15) == 0 && bench_now() >= deadline)
			break;
		if (lat)
			t0 = bench_now();
		if (dir == DIR_READ) {
			w->sink ^= c->copy->read(w->dst, addr, bs);
		} else {
			/* block k always gets source chunk k: --verify knows
			 * what each block must hold, whatever the order */
			c->copy->write(addr, w->src + ((w->first + blk) % src_blocks) * bs, bs);
			persist_range(o->persist, addr, bs);
			if (c->written)
				c->written[w->first + blk] = 1;
		}
		if (lat)
			record(w, dir, bench_now() - t0);
		if (measure) {
			w->ops[dir]++;
			w->bytes[dir] += bs;
			w->digest = (w->digest ^ (w->first + blk)) * 0x100000001b3ULL;
			if ((w->ops[0] + w->ops[1]) % 256 == 0)
				atomic_fetch_add(&c->progress, 256 * bs);
		}
	}
}

static void *worker(void *arg)
{
	struct rw_thread *w = arg;
	struct rw_ctx *c = w->ctx;
	const struct rw_opts *o = c->o;
	sigjmp_buf jb;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);	/* best effort */
	bench_bus_jmp = &jb;
	if (sigsetjmp(jb, 1)) {
		w->bus_addr = bench_bus_addr;
		w->t1 = bench_now();
		return NULL;
	}
	if (o->ramp_s)
		run_ops(w, 0, bench_now() + o->ramp_s * 1000000000ULL, false);
	w->t0 = bench_now();
	if (o->runtime_s)
		run_ops(w, 0, w->t0 + o->runtime_s * 1000000000ULL, true);
	else
		run_ops(w, (uint64_t)o->loops * w->nblocks, 0, true);
	w->t1 = bench_now();
	bench_bus_jmp = NULL;
	return NULL;
}

/* ---- setting up ----------------------------------------------------------- */

/* Fill the source ring with non-zero data; the destination for reads. */
static int alloc_buffers(struct rw_thread *w, uint64_t bs)
{
	uint64_t s = 0x5eed ^ w->index;

	w->src = aligned_alloc(4096, SRC_RING);
	w->dst = aligned_alloc(4096, (bs + 4095) & ~4095ULL);
	w->lat[0] = malloc(MAX_SAMPLES * sizeof(uint32_t));
	w->lat[1] = malloc(MAX_SAMPLES * sizeof(uint32_t));
	if (!w->src || !w->dst || !w->lat[0] || !w->lat[1])
		return -ENOMEM;
	for (size_t i = 0; i < SRC_RING / 8; i++)
		((uint64_t *)w->src)[i] = splitmix(&s) | 1;	/* never a zero word */
	return 0;
}

static void free_buffers(struct rw_thread *w)
{
	free(w->src);
	free(w->dst);
	free(w->lat[0]);
	free(w->lat[1]);
}

/*
 * Touch every page, so no fault lands in a timed operation. Memory
 * daxtool made itself is filled with non-zero data too: reads of holes,
 * unwritten extents or untouched anonymous memory would all read one
 * shared zero page, from the cache, and report a bandwidth no memory has.
 */
static void prefault(struct rw_ctx *c)
{
	int advice = c->t.access == BENCH_WRITE ? MADV_POPULATE_WRITE :
		     MADV_POPULATE_READ;
	volatile char *p = (volatile char *)c->t.map;

	if (c->t.access == BENCH_WRITE &&
	    (c->t.created || bench_kinds[c->t.kind].emulated)) {
		memset(c->t.map, 0x5a, c->t.size);
		return;
	}
	if (madvise(c->t.map, c->t.size, advice) == 0)
		return;
	for (uint64_t off = 0; off < c->t.size; off += BENCH_4K)
		(void)p[off];	/* older kernels: read faults at least */
}

/* Every block written holds its source chunk: the bytes really moved. */
static uint64_t verify(const struct rw_ctx *c)
{
	const uint64_t bs = c->o->bs, src_blocks = SRC_RING / bs;
	uint64_t bad = 0;

	for (unsigned t = 0; t < c->o->threads; t++) {
		const struct rw_thread *w = &c->th[t];

		for (uint64_t b = w->first; b < w->first + w->nblocks; b++)
			if (c->written[b] && memcmp(c->t.map + b * bs,
						    w->src + (b % src_blocks) * bs, bs))
				bad++;
	}
	return bad;
}

/* ---- reporting ------------------------------------------------------------ */

struct dir_total {
	uint64_t ops, bytes, runtime_ns;
	uint32_t *lat;
	size_t nlat;
};

static const struct bench_lat_text lat_line = {
	.mean = ", latency mean %s", .pct = " %s", .pct_label = true,
};

/* One direction: in text "read  16M: 12.5G/s, 3265257 IOPS over 1.3ms,
 * latency ...", where it ran. */
static void print_dir(const struct rw_ctx *c, const char *name,
		      struct dir_total *d)
{
	const struct rw_opts *o = c->o;
	const bool ran = d->ops > 0;
	double secs = (double)d->runtime_ns / 1e9;
	struct bench_lat l;

	dt_print_begin_object(name);
	if (ran)
		dt_print_text("  %-5s", name);
	dt_print_size(DT_ANY, "io_bytes", bench_when(ran, " %s"), d->bytes);
	dt_print_size(DT_ANY, "bw_bytes", bench_when(ran, ": %s/s"),
		      (uint64_t)(secs > 0 ? (double)d->bytes / secs : 0));
	dt_print_double(DT_ANY, "iops", bench_when(ran, ", %.0f IOPS"),
			secs > 0 ? (double)d->ops / secs : 0);
	dt_print_u64(DT_JSON, "runtime", NULL, d->runtime_ns / 1000000);	/* ms, as fio */
	bench_print_ns(DT_ANY, "runtime_ns", bench_when(ran, " over %s"),
		       (double)d->runtime_ns, true, NULL);
	dt_print_u64(DT_JSON, "total_ios", NULL, d->ops);
	if (!ran) {
		dt_print_end_object();
		return;
	}
	if (o->no_lat || !d->nlat) {
		dt_print_null(DT_ANY, "lat_ns", " (%s)\n",
			      "bandwidth only: no per-operation timing");
		dt_print_end_object();
		return;
	}
	bench_lat_compute(d->lat, d->nlat, c->custom_pcts ? &c->pcts : NULL, &l);
	bench_lat_print("lat_ns", &l, &lat_line);
	dt_print_text("\n");
	bench_lat_histogram(name, &l);
	dt_print_end_object();
}

static void sum_dir(const struct rw_ctx *c, int dir, struct dir_total *d)
{
	size_t n = 0;

	memset(d, 0, sizeof(*d));
	for (unsigned t = 0; t < c->o->threads; t++) {
		d->ops += c->th[t].ops[dir];
		d->bytes += c->th[t].bytes[dir];
		if (c->th[t].t1 - c->th[t].t0 > d->runtime_ns)
			d->runtime_ns = c->th[t].t1 - c->th[t].t0;
		n += c->th[t].nlat[dir];
	}
	d->lat = malloc((n ? n : 1) * sizeof(uint32_t));
	for (unsigned t = 0; t < c->o->threads && d->lat; t++) {
		memcpy(d->lat + d->nlat, c->th[t].lat[dir],
		       c->th[t].nlat[dir] * sizeof(uint32_t));
		d->nlat += c->th[t].nlat[dir];
	}
}

static const char *fio_engine(const struct bench_target *t)
{
	switch (t->kind) {
	case BENCH_DEVDAX:	return "dev-dax";
	case BENCH_FSDAX:	return "libpmem";
	default:		return "mmap";
	}
}

static void fill_fio_job(const struct rw_ctx *c, struct fio_job *j,
			 const char *filename)
{
	const struct rw_opts *o = c->o;

	*j = (struct fio_job) {
		.engine = fio_engine(&c->t), .filename = filename,
		.size = c->nblocks * o->bs, .bs = o->bs,
		.rw = rw_pattern_names[o->pattern], .rwmixread = o->rwmixread,
		.numjobs = o->threads, .runtime_s = o->runtime_s,
		.loops = o->loops, .ramp_s = o->ramp_s, .seed = o->seed,
		.direct = c->copy->nontemporal,
		.force_pmem = getenv("PMEM_IS_PMEM_FORCE") != NULL,
	};
}

static void print_fio(const struct fio_result *r, const char *engine,
		      const struct dir_total *d)
{
	const struct fio_dir *fd[2] = { &r->read, &r->write };
	static const char *const names[2] = { "read", "write" };

	dt_print_begin_object("fio");
	dt_print_str(DT_ANY, "engine", "  fio %s", engine);
	dt_print_str(DT_ANY, "version", " (%s), the same workload:\n", r->version);
	for (int dir = 0; dir < 2; dir++) {
		const bool ran = fd[dir]->io_bytes > 0;
		double ours = d[dir].runtime_ns ? (double)d[dir].bytes * 1e9 /
			      (double)d[dir].runtime_ns : 0;

		dt_print_begin_object(names[dir]);
		if (ran)
			dt_print_text("  %-5s fio", names[dir]);
		dt_print_size(DT_ANY, "io_bytes", bench_when(ran, " %s moved"),
			      fd[dir]->io_bytes);
		dt_print_size(DT_ANY, "bw_bytes", bench_when(ran, ", %s/s"),
			      fd[dir]->bw_bytes);
		dt_print_double(DT_JSON, "iops", NULL, fd[dir]->iops);
		dt_print_u64(DT_JSON, "runtime", NULL, fd[dir]->runtime_ms);
		dt_print_double_opt(DT_ANY, "ratio", bench_when(ran,
				    "; daxtool/fio %.2fx"), fd[dir]->bw_bytes &&
				    ours > 0 ? ours / (double)fd[dir]->bw_bytes :
				    NAN, NULL);
		if (ran)
			dt_print_text("\n");
		dt_print_end_object();
	}
	dt_print_end_object();
}

/* What the workload does to the target: "read", "write", or
 * "readwrite" for a mix of both (rw, randrw with --rwmixread 1 to 99). */
static const char *rw_access(const struct rw_opts *o)
{
	bool reads = pattern_reads(o->pattern), writes = pattern_writes(o->pattern);

	if (reads && writes) {	/* a mix: unless it is all one of them */
		reads = o->rwmixread > 0;
		writes = o->rwmixread < 100;
	}
	return reads && writes ? "readwrite" : reads ? "read" : "write";
}

/* What was asked; what does not apply (--loops under --runtime, or the
 * reverse, the mix of a pattern that does not mix) is null. */
static void print_options(const struct rw_ctx *c)
{
	const struct rw_opts *o = c->o;
	const bool mix = pattern_reads(o->pattern) && pattern_writes(o->pattern);
	const unsigned loops = o->runtime_s ? 0 : o->loops;
	/* the random offsets, and the mix, are drawn from the seed */
	const bool seeded = mix || pattern_random(o->pattern);

	dt_print_begin_object("options");
	dt_print_str(DT_ANY, "rw", "  %s", rw_pattern_names[o->pattern]);
	dt_print_i64_opt(DT_ANY, "rwmixread", " (%" PRId64 "%% reads)",
			 mix ? (int64_t)o->rwmixread : -1, NULL);
	dt_print_size(DT_ANY, "bs", ", bs %s", o->bs);
	dt_print_str(DT_ANY, "copy", ", copy %s", c->copy->name);
	dt_print_str(DT_ANY, "copy_what", " (%s)", c->copy->what);
	dt_print_str(DT_ANY, "persist", ", persist %s", persist_names[o->persist]);
	dt_print_u64(DT_ANY, "threads", o->threads == 1 ? ", %" PRIu64 " thread" :
		     ", %" PRIu64 " threads", o->threads);
	dt_print_u64_opt(DT_ANY, "loops", loops == 1 ? ", %" PRIu64 " loop" :
			 ", %" PRIu64 " loops", loops, NULL);
	dt_print_u64_opt(DT_ANY, "runtime_s", ", %" PRIu64 " s", o->runtime_s, NULL);
	dt_print_u64(DT_ANY, "ramp_time_s", bench_when(o->ramp_s, ", ramp %"
		     PRIu64 " s"), o->ramp_s);
	if (seeded)	/* any value is a seed, 0 too: no _opt */
		dt_print_u64(DT_ANY, "seed", ", seed %" PRIu64, o->seed);
	else
		dt_print_null(DT_JSON, "seed", NULL, NULL);
	dt_print_bool(DT_ANY, "prefault", bench_when(o->no_prefault,
		      ", faults included"), !o->no_prefault);
	dt_print_bool(DT_ANY, "lat", bench_when(o->no_lat, ", bandwidth only"),
		      !o->no_lat);
	dt_print_text("\n");
	dt_print_end_object();
}

/* ---- the benchmark --------------------------------------------------------- */

static int check_opts(struct rw_ctx *c, const char **why)
{
	const struct rw_opts *o = c->o;
	static char msg[256];

	if (!o->bs || o->bs % 64) {
		*why = "--bs must be a multiple of 64 bytes (a cache line)";
		return -1;
	}
	if (c->copy->feature && o->bs % 256) {
		snprintf(msg, sizeof(msg), "--copy %s moves 256 bytes a step: "
			 "--bs must be a multiple of 256", c->copy->name);
		*why = msg;
		return -1;
	}
	if (o->bs > SRC_RING) {
		*why = "--bs larger than 64M";
		return -1;
	}
	if (o->rwmixread > 100) {
		*why = "--rwmixread is a percentage";
		return -1;
	}
	c->custom_pcts = o->percentiles != NULL;
	if (c->custom_pcts &&
	    bench_pcts_parse(o->percentiles, &c->pcts, msg, sizeof(msg))) {
		*why = msg;
		return -1;
	}
	return 0;
}

int rw_bench(const struct rw_opts *o, struct dt_ctx *ctx)
{
	struct rw_ctx c = { .o = o };
	struct bench_target_opts to = {
		.size = o->size, .granule = o->bs,
		/* reads: the target's default, writable where daxtool made
		 * the memory, so it can be filled with data first */
		.access = pattern_writes(o->pattern) ? BENCH_WRITE : -1,
		.sparse = o->sparse, .force = o->force,
	};
	struct dir_total d[2];
	struct fio_result fr;
	const char *why;
	char shm_path[64] = "";
	bool fio_ok = false;
	uint64_t bad = 0;
	int ret = DT_EXIT_FAIL, r;

	c.copy = copy_method_find(o->copy, &why);
	if (!c.copy) {
		dt_err("%s", why);
		return DT_EXIT_FAIL;	/* the machine lacks it: not usage */
	}
	if (check_opts(&c, &why)) {
		dt_err("%s", why);
		return DT_EXIT_USAGE;
	}
	if (o->fio && !o->fio_job && !fio_available()) {
		dt_err("--fio: fio is not installed (Debian: apt-get install fio)");
		return DT_EXIT_FAIL;
	}
	r = bench_target_open(&c.t, ctx, o->target, &to);
	if (r)
		return r == -2 ? DT_EXIT_USAGE : DT_EXIT_FAIL;
	if (c.t.size < o->bs * o->threads) {
		dt_err("the target is %" PRIu64 " bytes: too small for %u "
		       "thread%s of --bs %" PRIu64, c.t.size, o->threads,
		       bench_s(o->threads), o->bs);
		bench_target_close(&c.t);
		return DT_EXIT_USAGE;
	}
	if (o->persist == PERSIST_MAP_SYNC && c.t.kind != BENCH_FSDAX) {
		dt_err("--persist map_sync needs a file on a DAX filesystem "
		       "(MAP_SYNC); this target is %s", bench_kinds[c.t.kind].label);
		bench_target_close(&c.t);
		return DT_EXIT_FAIL;
	}
	c.nblocks = c.t.size / o->bs;

	if (o->fio_job) {	/* print the job, run nothing */
		struct fio_job j;

		fill_fio_job(&c, &j, c.t.path[0] ? c.t.path : "/dev/shm/daxtool-fio");
		fio_job_write(stdout, &j);
		bench_target_close(&c.t);
		return DT_EXIT_OK;
	}

	c.t.map_flags = o->persist == PERSIST_MAP_SYNC ?
			MAP_SHARED_VALIDATE | MAP_SYNC : 0;
	if (bench_target_map(&c.t, -1, false))
		goto out_close;
	bench_env_load(&c.env);
	bench_env_target(&c.env, &c.t);
	c.env.regime = bench_regime(&c.t, false, !o->no_prefault);
	if (!o->no_prefault)
		prefault(&c);
	c.th = calloc(o->threads, sizeof(*c.th));
	if (!c.th)
		goto out_unmap;
	if (pattern_writes(o->pattern)) {
		c.written = calloc(c.nblocks, 1);
		if (!c.written)
			goto out_unmap;
	}
	bench_sigbus_install();
	for (unsigned t = 0; t < o->threads; t++) {
		struct rw_thread *w = &c.th[t];
		uint64_t per = c.nblocks / o->threads;

		*w = (struct rw_thread) {
			.ctx = &c, .index = t, .cpu = (int)(t % c.env.cpus),
			.first = t * per, .nblocks = t + 1 == o->threads ?
				 c.nblocks - t * per : per,
			.rng = o->seed * 1000003 + t, .digest = 0xcbf29ce484222325ULL,
		};
		if (alloc_buffers(w, o->bs)) {
			dt_err("%s", strerror(ENOMEM));
			goto out_threads;
		}
	}
	for (unsigned t = 0; t < o->threads; t++)
		if (pthread_create(&c.th[t].th, NULL, worker, &c.th[t])) {
			dt_err("cannot start thread %u", t);
			for (unsigned u = 0; u < t; u++)
				pthread_join(c.th[u].th, NULL);
			goto out_threads;
		}
	/* progress on a terminal, after the first two seconds */
	if (isatty(STDERR_FILENO)) {
		uint64_t start = bench_now();

		for (unsigned t = 0; t < o->threads; t++)
			while (pthread_tryjoin_np(c.th[t].th, NULL) == EBUSY) {
				usleep(100000);
				if (bench_now() - start > 2000000000ULL)
					fprintf(stderr, "\r  %" PRIu64 " MiB moved",
						(uint64_t)atomic_load(&c.progress) >> 20);
			}
		if (bench_now() - start > 2000000000ULL)
			fprintf(stderr, "\r\033[K");
	} else {
		for (unsigned t = 0; t < o->threads; t++)
			pthread_join(c.th[t].th, NULL);
	}
	signal(SIGBUS, SIG_DFL);
	for (unsigned t = 0; t < o->threads; t++)
		if (c.th[t].bus_addr) {
			dt_err("%s: SIGBUS at offset %" PRIu64 ": the file shrank "
			       "under the benchmark", c.t.path[0] ? c.t.path :
			       "the target", (uint64_t)(c.th[t].bus_addr -
			       (uintptr_t)c.t.map));
			goto out_threads;
		}
	if (c.written)
		bad = verify(&c);

	/* fio, on the same target, after daxtool */
	if (o->fio) {
		struct fio_job j;
		char err[256];
		const char *file = c.t.path;

		if (!c.t.path[0]) {	/* emulated memory: a tmpfs file */
			int fd;

			snprintf(shm_path, sizeof(shm_path), "/dev/shm/daxtool-fio-%d",
				 (int)getpid());
			fd = open(shm_path, O_CREAT | O_EXCL | O_RDWR, 0600);
			if (fd < 0 || ftruncate(fd, (off_t)c.t.size) < 0) {
				dt_err("%s: %s", shm_path, strerror(errno));
				if (fd >= 0)
					close(fd);
				goto out_threads;
			}
			close(fd);
			file = shm_path;
		}
		fill_fio_job(&c, &j, file);
		if (!strcmp(j.engine, "libpmem") && c.env.is_pmem == 0 && !j.force_pmem) {
			dt_err("--fio: fio's libpmem engine refuses memory that "
			       "libpmem does not call pmem; daxtool does not force "
			       "it: set PMEM_IS_PMEM_FORCE=1 yourself to");
			goto out_threads;
		}
		if (fio_run(&j, &fr, err, sizeof(err))) {
			dt_err("--fio: %s", err);
			goto out_threads;
		}
		fio_ok = true;
	}

	/* the report */
	dt_print_init(o->json ? DT_PF_JSON : DT_PF_TEXT, true);
	dt_print_begin_object(NULL);
	dt_print_meta();
	dt_print_str(DT_ANY, "workload", "daxtool bench %s: ", "rw");
	bench_target_print(&c.t, rw_access(o));
	print_options(&c);
	sum_dir(&c, DIR_READ, &d[0]);
	sum_dir(&c, DIR_WRITE, &d[1]);
	dt_print_begin_array("jobs");
	dt_print_begin_object(NULL);
	dt_print_str(DT_JSON, "jobname", NULL, "daxtool");
	print_dir(&c, "read", &d[0]);
	print_dir(&c, "write", &d[1]);
	dt_print_begin_array("threads");
	for (unsigned t = 0; t < o->threads; t++) {
		char dig[20];

		snprintf(dig, sizeof(dig), "%016" PRIx64, c.th[t].digest);
		dt_print_begin_row(NULL);
		dt_print_i64(DT_JSON, "cpu", NULL, c.th[t].cpu);
		dt_print_u64(DT_JSON, "read_bytes", NULL, c.th[t].bytes[0]);
		dt_print_u64(DT_JSON, "write_bytes", NULL, c.th[t].bytes[1]);
		dt_print_u64(DT_JSON, "runtime_ns", NULL, c.th[t].t1 - c.th[t].t0);
		dt_print_str(DT_JSON, "offsets_digest", NULL, dig);
		dt_print_end_object();
	}
	dt_print_end_array();
	dt_print_end_object();
	dt_print_end_array();
	dt_print_i64_opt(DT_ANY, "verify_errors", !bad ?
			 "  verify: every block written holds its data\n" :
			 bad == 1 ? "  verify: %" PRId64 " block does not hold "
			 "what was written\n" : "  verify: %" PRId64 " blocks "
			 "do not hold what was written\n",
			 c.written ? (int64_t)bad : -1, NULL);
	if (fio_ok)
		print_fio(&fr, fio_engine(&c.t), d);
	else
		dt_print_null(DT_JSON, "fio", NULL, NULL);
	bench_env_print(&c.env, &c.t);
	dt_print_begin_object("libpmem_path");
	dt_print_str(DT_ANY, "flush", "       libpmem: flush with %s", copy_flush_path());
	dt_print_str(DT_ANY, "memcpy", ", copy with %s", copy_memcpy_path());
	dt_print_str(DT_ANY, "basis", " (%s)\n", "from the CPU's features and the PMEM_* variables");
	dt_print_end_object();
	dt_print_end_object();
	free(d[0].lat);
	free(d[1].lat);
	ret = dt_print_finish() < 0 ? DT_EXIT_FAIL : bad ? DT_EXIT_FAIL : DT_EXIT_OK;
	if (bad)
		dt_err("%" PRIu64 " block%s written %s not hold %s data", bad,
		       bench_s(bad), bad == 1 ? "does" : "do",
		       bad == 1 ? "its" : "their");

out_threads:
	for (unsigned t = 0; c.th && t < o->threads; t++)
		free_buffers(&c.th[t]);
	free(c.th);
	free(c.written);
	if (shm_path[0])
		unlink(shm_path);
out_unmap:
	bench_target_unmap(&c.t);
out_close:
	bench_target_close(&c.t);
	return ret;
}
