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

#include "daxtool/out.h"
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
#define MAX_PCT 64

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
	double pct[MAX_PCT];
	unsigned npct;
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

static int parse_percentiles(struct rw_ctx *c, const char *s)
{
	char buf[512], *save = NULL;

	if (!s) {
		c->npct = 0;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *p = strtok_r(buf, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
		char *end;
		double v = strtod(p, &end);

		if (*end || end == p || v <= 0 || v > 100 || c->npct == MAX_PCT)
			return -1;
		c->pct[c->npct++] = v;
	}
	return c->npct ? 0 : -1;
}

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

static void lat_custom(const char *key, uint32_t *s, size_t n, const struct rw_ctx *c)
{
	struct bench_lat l;
	char name[32];

	bench_lat_compute(s, n, &l);	/* sorts s */
	dt_out_begin_object(key);
	dt_out_u64("min", NULL, n ? l.min : 0);
	dt_out_u64("max", NULL, n ? l.max : 0);
	dt_out_double("mean", NULL, l.mean);
	dt_out_double("stddev", NULL, l.stddev);
	dt_out_u64("N", NULL, n);
	dt_out_begin_object("percentile");
	for (unsigned i = 0; i < c->npct; i++) {
		uint64_t rank = (uint64_t)((double)n * c->pct[i] / 100.0 + 0.9999);

		snprintf(name, sizeof(name), "%f", c->pct[i]);
		if (n)
			dt_out_u64(name, NULL, s[rank ? rank - 1 : 0]);
		else
			dt_out_null(name);
	}
	dt_out_end_object();
	dt_out_end_object();
}

struct dir_total {
	uint64_t ops, bytes, runtime_ns;
	uint32_t *lat;
	size_t nlat;
};

static void print_dir(const struct rw_ctx *c, const char *name,
		      struct dir_total *d)
{
	const struct rw_opts *o = c->o;
	double secs = (double)d->runtime_ns / 1e9;
	double bw = secs > 0 ? (double)d->bytes / secs : 0;
	struct bench_lat l;
	char a[24], b[24], p50[16], p99[16], mean[16];

	dt_out_begin_object(name);
	dt_out_u64("io_bytes", NULL, d->bytes);
	dt_out_u64("bw_bytes", NULL, (uint64_t)bw);
	dt_out_double("iops", NULL, secs > 0 ? (double)d->ops / secs : 0);
	dt_out_u64("runtime", NULL, d->runtime_ns / 1000000);	/* ms, as fio */
	dt_out_u64("runtime_ns", NULL, d->runtime_ns);
	dt_out_u64("total_ios", NULL, d->ops);
	if (!d->ops) {
		dt_out_end_object();
		return;
	}
	dt_out_text("  %-5s %s in %.3f s: %s/s, %.0f IOPS", name,
		    dt_fmt_size(a, sizeof(a), d->bytes), secs,
		    dt_fmt_size(b, sizeof(b), (uint64_t)bw),
		    secs > 0 ? (double)d->ops / secs : 0);
	if (o->no_lat || !d->nlat) {
		dt_out_null("lat_ns");
		dt_out_text(" (bandwidth only: no per-operation timing)\n");
		dt_out_end_object();
		return;
	}
	if (c->npct) {
		lat_custom("lat_ns", d->lat, d->nlat, c);
		bench_lat_compute(d->lat, d->nlat, &l);
	} else {
		bench_lat_compute(d->lat, d->nlat, &l);
		bench_lat_print("lat_ns", &l);
	}
	dt_out_text(", latency mean %s p50 %s p99 %s\n",
		    bench_fmt_ns(mean, sizeof(mean), l.mean),
		    bench_fmt_ns(p50, sizeof(p50), (double)l.pct[6]),
		    bench_fmt_ns(p99, sizeof(p99), (double)l.pct[12]));
	if (!dt_out_json())
		bench_lat_histogram(name, &l);
	dt_out_end_object();
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

static void print_fio(const struct rw_ctx *c, const struct fio_result *r,
		      const char *engine, const struct dir_total *d)
{
	const struct fio_dir *fd[2] = { &r->read, &r->write };
	static const char *const names[2] = { "read", "write" };

	dt_out_begin_object("fio");
	dt_out_str("engine", "  fio %s", engine);
	dt_out_str("version", " (%s), the same workload:\n", r->version);
	for (int dir = 0; dir < 2; dir++) {
		double ours = d[dir].runtime_ns ? (double)d[dir].bytes * 1e9 /
			      (double)d[dir].runtime_ns : 0;
		char bw[24], io[24];

		dt_out_begin_object(names[dir]);
		dt_out_u64("io_bytes", NULL, fd[dir]->io_bytes);
		dt_out_u64("bw_bytes", NULL, fd[dir]->bw_bytes);
		dt_out_double("iops", NULL, fd[dir]->iops);
		dt_out_u64("runtime", NULL, fd[dir]->runtime_ms);
		if (fd[dir]->bw_bytes && ours > 0)
			dt_out_double("ratio", NULL, ours / (double)fd[dir]->bw_bytes);
		else
			dt_out_null("ratio");
		dt_out_end_object();
		if (!fd[dir]->io_bytes)
			continue;
		dt_out_text("  %-5s fio %s moved, %s/s; daxtool/fio %.2fx\n",
			    names[dir], dt_fmt_size(io, sizeof(io), fd[dir]->io_bytes),
			    dt_fmt_size(bw, sizeof(bw), fd[dir]->bw_bytes),
			    fd[dir]->bw_bytes ? ours / (double)fd[dir]->bw_bytes : 0);
	}
	dt_out_end_object();
	(void)c;
}

/* ---- the benchmark --------------------------------------------------------- */

static int check_opts(struct rw_ctx *c, const char **why)
{
	const struct rw_opts *o = c->o;
	static char msg[160];

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
	if (parse_percentiles(c, o->percentiles)) {
		*why = "--percentiles wants numbers in (0, 100] joined by ':'";
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
		       o->threads > 1 ? "s" : "", o->bs);
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
	dt_out_init(o->json, true);
	dt_out_begin_object(NULL);
	dt_out_str("workload", "daxtool bench %s: ", "rw");
	bench_target_print(&c.t);
	dt_out_begin_object("options");
	dt_out_str("rw", "  %s", rw_pattern_names[o->pattern]);
	dt_out_u64("rwmixread", strstr(rw_pattern_names[o->pattern], "rw") ?
		   " (%" PRIu64 "% reads)" : NULL, o->rwmixread);
	dt_out_size("bs", ", bs %s", o->bs);
	dt_out_str("copy", ", copy %s", c.copy->name);
	dt_out_str("copy_what", " (%s)", c.copy->what);
	dt_out_str("persist", ", persist %s", persist_names[o->persist]);
	dt_out_u64("threads", ", %" PRIu64 " thread", o->threads);
	dt_out_text("%s", o->threads > 1 ? "s" : "");
	dt_out_u64("loops", o->runtime_s ? NULL : ", %" PRIu64 " loops", o->loops);
	dt_out_u64("runtime_s", o->runtime_s ? ", %" PRIu64 " s" : NULL, o->runtime_s);
	dt_out_u64("ramp_time_s", o->ramp_s ? ", ramp %" PRIu64 " s" : NULL, o->ramp_s);
	dt_out_u64("seed", NULL, o->seed);
	dt_out_bool("prefault", o->no_prefault ? ", faults included" : NULL,
		    !o->no_prefault);
	dt_out_bool("lat", NULL, !o->no_lat);
	dt_out_text("\n");
	dt_out_end_object();

	sum_dir(&c, DIR_READ, &d[0]);
	sum_dir(&c, DIR_WRITE, &d[1]);
	dt_out_begin_array("jobs");
	dt_out_begin_object(NULL);
	dt_out_str("jobname", NULL, "daxtool");
	print_dir(&c, "read", &d[0]);
	print_dir(&c, "write", &d[1]);
	dt_out_begin_array("threads");
	for (unsigned t = 0; t < o->threads; t++) {
		char dig[20];

		snprintf(dig, sizeof(dig), "%016" PRIx64, c.th[t].digest);
		dt_out_begin_row(NULL);
		dt_out_i64("cpu", NULL, c.th[t].cpu);
		dt_out_u64("read_bytes", NULL, c.th[t].bytes[0]);
		dt_out_u64("write_bytes", NULL, c.th[t].bytes[1]);
		dt_out_u64("runtime_ns", NULL, c.th[t].t1 - c.th[t].t0);
		dt_out_str("offsets_digest", NULL, dig);
		dt_out_end_object();
	}
	dt_out_end_array();
	dt_out_end_object();
	dt_out_end_array();
	if (c.written) {
		dt_out_u64("verify_errors", bad ? "  verify: %" PRIu64 " blocks "
			   "do not hold what was written\n" : "  verify: every "
			   "block written holds its data\n", bad);
	} else {
		dt_out_null("verify_errors");
	}
	if (fio_ok)
		print_fio(&c, &fr, fio_engine(&c.t), d);
	else
		dt_out_null("fio");
	bench_env_print(&c.env, &c.t);
	dt_out_begin_object("libpmem_path");
	dt_out_str("flush", "       libpmem: flush with %s", copy_flush_path());
	dt_out_str("memcpy", ", copy with %s", copy_memcpy_path());
	dt_out_str("basis", " (%s)\n", "from the CPU's features and the PMEM_* variables");
	dt_out_end_object();
	dt_out_end_object();
	free(d[0].lat);
	free(d[1].lat);
	ret = dt_out_finish() < 0 ? DT_EXIT_FAIL : bad ? DT_EXIT_FAIL : DT_EXIT_OK;
	if (bad)
		dt_err("%" PRIu64 " blocks written do not hold their data", bad);

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
