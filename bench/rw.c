// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench rw: block-sized loads and stores over the mapping of a target.
 * The region is prefaulted first (faults are bench fault's business, and
 * would be counted as bandwidth here), sources rotate through a buffer
 * larger than the caches and hold non-zero data (zero lines store faster
 * and would flatter every number), and the latency of each operation is
 * timed with the clock bench fault uses, unless --no-lat asks for bare
 * bandwidth. Afterwards every block written is read back, and the page
 * sizes of the mapping are verified as bench fault verifies them
 * (pages.h): where the target can be mapped with 2 MiB pages, they are
 * asked for, and a window that did not get one is said loudly.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "daxtool/util.h"
#include "explain.h"
#include "rw.h"

#define SRC_RING ((size_t)64 << 20)	/* larger than the last-level cache */
#define MAX_SAMPLES ((size_t)1 << 22)	/* per thread, direction and run */
/* per thread and direction over every run: 64 MiB */
#define MAX_SAMPLES_ALL ((size_t)1 << 24)

const char *const rw_pattern_names[] = {
	[RW_READ] = "read", [RW_WRITE] = "write", [RW_RANDREAD] = "randread",
	[RW_RANDWRITE] = "randwrite", [RW_RW] = "rw", [RW_RANDRW] = "randrw",
	[RW_NR] = NULL,
};

const struct rw_pattern_info rw_patterns[RW_NR] = {
	[RW_READ] = { .reads = true },
	[RW_WRITE] = { .writes = true },
	[RW_RANDREAD] = { .random = true, .reads = true },
	[RW_RANDWRITE] = { .random = true, .writes = true },
	[RW_RW] = { .reads = true, .writes = true },
	[RW_RANDRW] = { .random = true, .reads = true, .writes = true },
};

const char *const rw_dir_names[RW_NR_DIRS] = {
	[RW_DIR_READ] = "read", [RW_DIR_WRITE] = "write",
};

static struct rw_opts ro;
static struct rw_bench rb;

/* --page-size */
static const char *const page_names[] = { "4k", "2m", "1g", NULL };
static const uint64_t page_bytes[] = { BENCH_4K, BENCH_2M, BENCH_1G };

/* ---- the options ---------------------------------------------------------- */

static const char *const rw_usage[] = {
	"daxtool bench rw [options] [/dev/daxX.Y|DIR|FILE|emulated|anon|hugetlb]",
	BENCH_USAGE_EXIT,
	NULL
};

static char copy_help[320];

static const struct opt rw_options[] = {
	OPT_CHOICE(0, "rw", &ro.pattern, rw_pattern_names,
		   "read|write|randread|randwrite|rw|randrw",
		   "the pattern, as fio names it (default read)"),
	OPT_UINT(0, "rwmixread", &ro.rwmixread, "PCT",
		 "rw, randrw: percent of reads (default 50)"),
	OPT_SIZE('b', "bs", &ro.bs, "SIZE", "block size (default 4k)"),
	OPT_CHOICE('p', "page-size", &ro.page, page_names, "4k|2m|1g",
		   "the pages to map with (default the largest the target allows)"),
	BENCH_OPT_SIZE(ro.common),
	BENCH_OPT_THREADS(ro.common, "split the region between N pinned threads"),
	BENCH_OPT_RUNS(ro.common),
	OPT_UINT(0, "runtime", &ro.runtime_s, "SECS",
		 "run for SECS instead of --loops"),
	OPT_UINT(0, "loops", &ro.loops, "N", "passes over the region (default 4)"),
	OPT_UINT(0, "ramp-time", &ro.ramp_s, "SECS", "run SECS unmeasured first"),
	OPT_SIZE(0, "seed", &ro.seed, "N", "seed of the random offsets (default 1)"),
	OPT_STRING(0, "percentiles", &ro.percentiles, "P:P...",
		   "latency percentiles (default fio's list)"),
	OPT_STRING('c', "copy", &ro.copy, copy_help,
		   "how data moves (default memcpy)"),
	OPT_CHOICE(0, "persist", &ro.persist, persist_names,
		   "none|flush|drain|msync|map_sync",
		   "make writes durable per block (default none)"),
	OPT_BOOLEAN(0, "no-prefault", &ro.no_prefault,
		    "let faults into the timed run"),
	OPT_BOOLEAN(0, "no-lat", &ro.no_lat,
		    "bandwidth only: no per-operation timing"),
	OPT_BOOLEAN(0, "no-limit", &ro.no_limit,
		    "no streaming loop over the mapping after the run"),
	BENCH_OPT_SPARSE(ro.common),
	BENCH_OPT_FORCE(ro.common),
	OPT_BOOLEAN(0, "fio", &ro.fio, "run the same workload through fio too"),
	OPT_BOOLEAN(0, "fio-cold", &ro.fio_cold,
		    "--fio without its warm-up: fio's page faults measured"),
	OPT_BOOLEAN(0, "fio-job", &ro.fio_job,
		    "print the fio job for the workload, run nothing"),
	BENCH_OPT_FAIL_ON_FALLBACK(ro.common),
	BENCH_OPT_JSON(ro.common),
	OPT_END(),
};

static void defaults(void)
{
	ro = (struct rw_opts) { .common = { .threads = 1, .runs = 1 },
				.pattern = RW_READ,
				.page = -1,
				.rwmixread = 50, .bs = 4096, .loops = 4,
				.seed = 1, .copy = "memcpy" };
	snprintf(copy_help, sizeof(copy_help), "%s", copy_method_names());
}

/* What the workload does to the target: a mix only where both happen
 * (rw and randrw with --rwmixread 1 to 99). */
static enum bench_access rw_access(void)
{
	const struct rw_pattern_info *p = &rw_patterns[ro.pattern];
	bool reads = p->reads, writes = p->writes;

	if (reads && writes) {
		reads = ro.rwmixread > 0;
		writes = ro.rwmixread < 100;
	}
	return reads && writes ? BENCH_READWRITE : reads ? BENCH_READ :
	       BENCH_WRITE;
}

/* The first option that does not fit the others, and why; NULL if none. */
static const char *bad_option(char *msg, size_t len)
{
	if (!ro.bs || ro.bs % 64)
		return "--bs must be a multiple of 64 bytes (a cache line)";
	if (rb.copy->feature && ro.bs % 256) {
		snprintf(msg, len, "--copy %s moves 256 bytes a step: --bs must "
			 "be a multiple of 256", rb.copy->name);
		return msg;
	}
	if (ro.bs > SRC_RING)
		return "--bs larger than 64M";
	if (ro.rwmixread > 100)
		return "--rwmixread is a percentage";
	if (!ro.loops && !ro.runtime_s)
		return "--loops 0: give --runtime instead";
	if (ro.persist != PERSIST_NONE && rw_access() == BENCH_READ) {
		snprintf(msg, len, "--persist %s: persist applies to writes, "
			 "and --rw %s%s only reads", persist_names[ro.persist],
			 rw_pattern_names[ro.pattern],
			 rw_patterns[ro.pattern].writes ? " --rwmixread 100" : "");
		return msg;
	}
	rb.custom_pcts = ro.percentiles != NULL;
	if (rb.custom_pcts &&
	    bench_pcts_parse(ro.percentiles, &rb.pcts, msg, len))
		return msg;
	return NULL;
}

static enum bench_ret check(struct bench *b)
{
	static char writer[32];
	char msg[256];
	const char *why;

	rb = (struct rw_bench) { .o = &ro };
	rb.copy = copy_method_find(ro.copy, &why);
	if (!rb.copy) {
		dt_err("%s", why);
		return BENCH_FAIL;	/* the machine lacks it: not usage */
	}
	why = bad_option(msg, sizeof(msg));
	if (why) {
		dt_err("%s", why);
		return BENCH_USAGE;
	}
	ro.fio |= ro.fio_cold;
	if (ro.fio && !ro.fio_job && ro.common.threads > 1) {
		/* numjobs with offset_increment: each job should map its own
		 * slice, but these engines map every job at the file's start
		 * (mmap until fio 3.42; dev-dax and libpmem still) */
		dt_err("--fio with --threads %u: fio's mmap, dev-dax and libpmem "
		       "engines map every job at the start of the file, so fio "
		       "would not run the same workload: compare with --threads 1",
		       ro.common.threads);
		return BENCH_USAGE;
	}
	if (ro.fio && !ro.fio_job && !fio_available()) {
		dt_err("--fio: fio is not installed (Debian: apt-get install fio)");
		return BENCH_FAIL;
	}
	b->topen.granule = ro.bs;
	/* reads: the target's default, writable where daxtool made the
	 * memory, so it can be filled with data first */
	b->topen.access = rw_patterns[ro.pattern].writes ? BENCH_WRITE : -1;
	snprintf(writer, sizeof(writer), "--rw %s", rw_pattern_names[ro.pattern]);
	b->topen.writer = writer;
	b->topen.need_4k = ro.page == 0;	/* --page-size 4k */
	b->topen.huge_page = ro.page == 2 ? BENCH_1G : 0;
	return BENCH_OK;
}

/* ---- fio, on the same target ------------------------------------------------ */

enum fio_engine rw_fio_engine(const struct bench_target *t)
{
	static const enum fio_engine by_kind[BENCH_NR_KINDS] = {
		[BENCH_DEVDAX] = FIO_DEVDAX, [BENCH_FSDAX] = FIO_LIBPMEM,
		[BENCH_ANON] = FIO_MMAP, [BENCH_HUGETLB] = FIO_MMAP,
		[BENCH_SHMEM] = FIO_MMAP, [BENCH_FILE] = FIO_MMAP,
	};

	return by_kind[t->kind];
}

static void fill_fio_job(const struct bench *b, struct fio_job *j,
			 const char *filename)
{
	*j = (struct fio_job) {
		.engine = rw_fio_engine(&b->target), .filename = filename,
		.size = rb.nblocks * ro.bs, .bs = ro.bs,
		.rw = rw_pattern_names[ro.pattern], .rwmixread = ro.rwmixread,
		.numjobs = ro.common.threads, .runtime_ms = ro.runtime_s * 1000,
		.loops = ro.loops, .ramp_ms = ro.ramp_s * 1000, .seed = ro.seed,
		.direct = rb.copy->nontemporal,
		.force_pmem = getenv("PMEM_IS_PMEM_FORCE") != NULL,
	};
}

/* A tmpfs file the size of the target, for fio on emulated memory;
 * removed on every way out. */
static int shm_file(const struct bench *b, char *path, size_t len, int *handle)
{
	int fd;

	snprintf(path, len, "/dev/shm/daxtool-fio-%d", (int)getpid());
	fd = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		dt_err("%s: %s", path, strerror(errno));
		return -1;
	}
	*handle = bench_cleanup_add(path, BENCH_CLEAN_FILE);
	if (ftruncate(fd, (off_t)b->target.size) < 0) {
		dt_err("%s: %s", path, strerror(errno));
		close(fd);
		bench_cleanup_done(*handle);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

/* How long daxtool's timed run took (the median run), in ms rounded up. */
static uint64_t own_runtime_ms(const struct bench *b)
{
	const struct bench_run *run = bench_run_of(b, 0, rb.median);
	uint64_t ns = 0;

	for (unsigned i = 0; i < run->nthreads; i++)
		if (run->threads[i].t1 - run->threads[i].t0 > ns)
			ns = run->threads[i].t1 - run->threads[i].t0;
	return (ns + 999999) / 1000000;
}

/* Make @j warm (fio.h): one cold pass of fio first, timed, sizes the
 * ramp; the measured part lasts as long as daxtool's did. */
static int fio_warm_up(const struct bench *b, struct fio_job *j, char *err,
		       size_t len)
{
	struct fio_job cold = *j;
	struct fio_result r;
	char why[224];

	cold.runtime_ms = cold.ramp_ms = 0;
	cold.loops = 1;
	if (fio_run(&cold, &r, why, sizeof(why))) {
		snprintf(err, len, "its cold pass, which sizes the warm-up: %s",
			 why);
		return -1;
	}
	rb.fio_cold_ms = r.read.runtime_ms > r.write.runtime_ms ?
			 r.read.runtime_ms : r.write.runtime_ms;
	if (!rb.fio_cold_ms)
		rb.fio_cold_ms = 1;	/* less than 1 ms: known, not 0 */
	fio_job_warm(j, rb.fio_cold_ms, own_runtime_ms(b));
	return 0;
}

/* fio, after daxtool, on the same target: warm unless --fio-cold. */
static enum bench_ret run_fio(const struct bench *b)
{
	const struct bench_target *t = &b->target;
	char shm[64] = "", err[320];
	int handle = -1, ret;
	struct fio_job j;

	if (!t->path[0] && shm_file(b, shm, sizeof(shm), &handle))
		return BENCH_FAIL;
	fill_fio_job(b, &j, t->path[0] ? t->path : shm);
	if (j.engine == FIO_LIBPMEM && b->env.is_pmem == 0 && !j.force_pmem) {
		dt_err("--fio: fio's libpmem engine refuses memory that libpmem "
		       "does not call pmem; daxtool does not force it: set "
		       "PMEM_IS_PMEM_FORCE=1 yourself to");
		ret = -1;
	} else {
		bench_interrupt_stage("while fio ran");
		ret = ro.fio_cold ? 0 : fio_warm_up(b, &j, err, sizeof(err));
		if (!ret)
			ret = fio_run(&j, &rb.fio, err, sizeof(err));
		bench_interrupt_stage(NULL);
		rb.fio_job = j;
		if (ret)
			dt_err("--fio: %s", err);
	}
	bench_cleanup_done(handle);
	if (shm[0])
		unlink(shm);	/* removed, listed for cleanup or not */
	if (ret)
		return BENCH_FAIL;
	rb.fio_ok = true;
	return BENCH_OK;
}

/* ---- setting up ------------------------------------------------------------ */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* ---- the limit: a bare streaming loop over the same mapping ---------------- */

/* The widest loads for reads; for writes the widest non-temporal stores,
 * which stream to memory without reading the lines first. */
static const char *const limit_names[RW_NR_DIRS][3] = {
	[RW_DIR_READ] = { "avx512", "avx2", "memcpy" },
	[RW_DIR_WRITE] = { "avx512-nt", "avx2-nt", "memcpy" },
};
#define LIMIT_CHUNK ((size_t)2 << 20)	/* what a copy out takes at once */

static void pick_limits(void)
{
	const struct rw_pattern_info *p = &rw_patterns[ro.pattern];
	const bool ran[RW_NR_DIRS] = { p->reads && ro.rwmixread > 0,
				       p->writes && ro.rwmixread < 100 };

	for (int d = 0; d < RW_NR_DIRS; d++) {
		const char *why;

		rb.limit[d] = NULL;
		for (int i = 0; ran[d] && !ro.no_limit && !rb.limit[d] && i < 3; i++)
			rb.limit[d] = copy_method_find(limit_names[d][i], &why);
	}
}

/* One direction's loop over the thread's slice, whole 256-byte steps. */
static void BENCH_TOUCH_LOOP limit_dir(const struct bench *b,
				       const struct bench_thread *th,
				       struct rw_thread *w, enum rw_dir dir)
{
	const struct copy_method *m = rb.limit[dir];
	const uint64_t bs = ro.bs, src_blocks = SRC_RING / bs;
	char *base = b->target.map + th->first * bs;
	const size_t len = th->count * bs / 256 * 256;
	uint64_t t0 = bench_now(), sink = 0;

	if (dir == RW_DIR_READ) {
		for (size_t off = 0; off < len; off += LIMIT_CHUNK)
			sink ^= m->read(w->limit_buf, base + off, len - off <
					LIMIT_CHUNK ? len - off : LIMIT_CHUNK);
	} else {
		/* block k gets source chunk k, as in the run: runs of blocks
		 * take contiguous source up to the ring's end, and the data
		 * the run wrote stays what the check expects */
		for (uint64_t k = th->first; k < th->first + th->count;) {
			uint64_t n = src_blocks - k % src_blocks;
			size_t bytes;

			if (n > th->first + th->count - k)
				n = th->first + th->count - k;
			bytes = n * bs / 256 * 256;
			if (bytes)
				m->write(b->target.map + k * bs,
					 w->src + (k % src_blocks) * bs, bytes);
			k += n;
		}
	}
	w->limit_ns[dir] = bench_now() - t0;
	w->limit_bytes[dir] = dir == RW_DIR_READ ? len : th->count * bs / 256 * 256;
	w->sink ^= sink;
}

static unsigned nr_limits(void)
{
	return (rb.limit[RW_DIR_READ] != NULL) + (rb.limit[RW_DIR_WRITE] != NULL);
}

/* The direction of the runner's run @index, a limit run (after the
 * measured ones): the first that has a limit, then the next. */
static enum rw_dir limit_run_dir(unsigned index)
{
	unsigned n = rb.nruns - 1;

	for (int d = 0; d < RW_NR_DIRS; d++)
		if (rb.limit[d] && ++n == index)
			return (enum rw_dir)d;
	return RW_DIR_READ;
}

/* The samples a thread may take in a run, in a direction it runs. */
static size_t samples_cap(enum rw_dir dir)
{
	const struct rw_pattern_info *p = &rw_patterns[ro.pattern];
	uint64_t per = rb.nblocks / ro.common.threads + 1;
	size_t cap = MAX_SAMPLES_ALL / ro.common.runs;

	if (ro.no_lat || (dir == RW_DIR_READ ? !p->reads : !p->writes))
		return 0;
	cap = cap < MAX_SAMPLES ? cap : MAX_SAMPLES;
	if (ro.runtime_s || per * ro.loops > cap)
		return cap;
	return per * ro.loops;
}

/* The source ring holds non-zero data; the destination is for reads. */
static int alloc_thread(struct rw_thread *w, unsigned index)
{
	uint64_t s = 0x5eed ^ index;

	w->src = aligned_alloc(4096, SRC_RING);
	w->dst = aligned_alloc(4096, (ro.bs + 4095) & ~4095ULL);
	w->limit_buf = aligned_alloc(4096, LIMIT_CHUNK);
	w->runs = calloc(rb.nruns, sizeof(*w->runs));
	if (!w->src || !w->dst || !w->limit_buf || !w->runs)
		return -ENOMEM;
	for (unsigned k = 0; k < rb.nruns; k++)
		for (int d = 0; d < RW_NR_DIRS; d++)
			if (bench_samples_alloc(&w->runs[k].lat[d],
						samples_cap(d)))
				return -ENOMEM;
	for (size_t i = 0; i < SRC_RING / 8; i++)
		((uint64_t *)w->src)[i] = splitmix(&s) | 1;	/* never a zero word */
	return 0;
}

/* The page size: --page-size where the target allows it, else the
 * largest it allows (device-DAX: its alignment; else 2 MiB where huge
 * pages can be had). */
static enum bench_ret pick_page(const struct bench_target *t)
{
	char buf[200];
	const char *why;

	if (ro.page < 0) {
		rb.page_size = t->kind == BENCH_DEVDAX && t->align >= BENCH_1G ?
			       BENCH_1G : t->align >= BENCH_2M ? BENCH_2M :
			       BENCH_4K;
		return BENCH_OK;
	}
	if (!bench_page_possible(t, page_bytes[ro.page], false, &why, buf,
				 sizeof(buf))) {
		dt_err("--page-size %s: %s", page_names[ro.page], why);
		return BENCH_USAGE;
	}
	rb.page_size = page_bytes[ro.page];
	return BENCH_OK;
}

static enum bench_ret setup(struct bench *b)
{
	const struct bench_target *t = &b->target;

	b->access = rw_access();
	if (t->size < ro.bs * ro.common.threads) {
		dt_err("the target is %" PRIu64 " bytes: too small for %u "
		       "thread%s of --bs %" PRIu64, t->size, ro.common.threads,
		       bench_s(ro.common.threads), ro.bs);
		return BENCH_USAGE;
	}
	if (ro.persist == PERSIST_MAP_SYNC && t->kind != BENCH_FSDAX) {
		dt_err("--persist map_sync needs a file on a DAX filesystem "
		       "(MAP_SYNC); this target is %s", bench_target_label(t));
		return BENCH_FAIL;
	}
	if (pick_page(t))
		return BENCH_USAGE;
	rb.nblocks = t->size / ro.bs;
	if (ro.fio_job) {	/* print the job, run nothing */
		struct fio_job j;

		/* the emulation's file goes with its mount, when this ends */
		fill_fio_job(b, &j, t->path[0] && !t->emul.on ? t->path :
			     "/dev/shm/daxtool-fio");
		if (!ro.fio_cold)	/* no cold pass: the ramp is a guess */
			fio_job_warm(&j, 0, 0);
		fio_job_write(stdout, &j);
		b->done = true;
		return BENCH_OK;
	}
	rb.nruns = ro.common.runs;
	rb.th = calloc(ro.common.threads, sizeof(*rb.th));
	rb.runs = calloc(rb.nruns, sizeof(*rb.runs));
	if (rw_patterns[ro.pattern].writes)
		rb.written = calloc(rb.nblocks, 1);
	if (!rb.th || !rb.runs ||
	    (rw_patterns[ro.pattern].writes && !rb.written))
		goto nomem;
	for (unsigned i = 0; i < ro.common.threads; i++)
		if (alloc_thread(&rb.th[i], i))
			goto nomem;
	pick_limits();
	/* verified in windows of the page size: 2 MiB, or 1 GiB */
	if (bench_pages_init_window(&rb.pages, rb.page_size >= BENCH_1G ?
				    BENCH_1G : BENCH_2M, t->size / (rb.page_size >=
				    BENCH_1G ? BENCH_1G : BENCH_2M),
				    rb.page_size >= BENCH_2M))
		goto nomem;
	rb.pages.small = rb.page_size < BENCH_2M;
	b->env.regime = bench_regime(t, false, !ro.no_prefault);
	/* the runs, then a run of each limit on the mapping they leave */
	b->nr_passes = 1;
	b->nr_runs = rb.nruns + nr_limits();
	return BENCH_OK;
nomem:
	dt_err("%s", strerror(ENOMEM));
	return BENCH_FAIL;
}

/*
 * Touch every page, so no fault lands in a timed operation. Memory
 * daxtool made itself is filled with non-zero data too: reads of holes,
 * unwritten extents or untouched anonymous memory would all read one
 * shared zero page, from the cache, and report a bandwidth no memory has.
 */
static void prefault(const struct bench_target *t)
{
	int advice = t->access == BENCH_WRITE ? MADV_POPULATE_WRITE :
		     MADV_POPULATE_READ;
	volatile char *p = (volatile char *)t->map;

	if (t->access == BENCH_WRITE && (t->created || bench_kinds[t->kind].emulated)) {
		memset(t->map, 0x5a, t->size);
		return;
	}
	if (madvise(t->map, t->size, advice) == 0)
		return;
	for (uint64_t off = 0; off < t->size; off += BENCH_4K)
		(void)p[off];	/* older kernels: read faults at least */
}

/* A limit run: the runs' mapping, as their verification left it. */
static enum bench_ret prepare_limit(const struct bench *b,
				    struct bench_run *run)
{
	enum rw_dir d = limit_run_dir(run->index);

	snprintf(rb.limit_label[d], sizeof(rb.limit_label[d]), "%s limit",
		 rw_dir_names[d]);
	run->label = rb.limit_label[d];
	run->keep_map = run->index + 1 < b->nr_runs;
	run->units = 0;
	run->unit_bytes = 0;
	bench_split(run, rb.nblocks, 1);
	return BENCH_OK;
}

/* A measured run: the first maps and prefaults, the others run on the
 * mapping as the one before left it, the same workload again. */
static enum bench_ret prepare(struct bench *b, struct bench_run *run)
{
	struct bench_target *t = &b->target;

	if (run->index >= rb.nruns)
		return prepare_limit(b, run);
	run->keep_map = run->index + 1 < b->nr_runs;
	if (!run->index) {
		t->map_flags = ro.persist == PERSIST_MAP_SYNC ?
			       MAP_SHARED_VALIDATE | MAP_SYNC : 0;
		/* huge pages asked for; 4 KiB refused where --page-size 4k
		 * says so */
		if (bench_target_map(t, rb.pages.asked ?
				     bench_kinds[t->kind].advice_2m : ro.page >= 0 ?
				     bench_kinds[t->kind].advice_4k : -1, false))
			return BENCH_FAIL;
		if (!ro.no_prefault)
			prefault(t);
	}
	run->label = rw_pattern_names[ro.pattern];
	run->units = ro.runtime_s ? 0 : ro.loops * rb.nblocks;
	run->unit_bytes = ro.bs;
	bench_split(run, rb.nblocks, 1);
	/* every run the same offsets */
	for (unsigned i = 0; i < run->nthreads; i++) {
		rb.th[i].rng = ro.seed * 1000003 + i;
		rb.th[i].runs[run->index].digest = 0xcbf29ce484222325ULL;
	}
	return BENCH_OK;
}

/* ---- the worker ---------------------------------------------------------- */

/* One pass of operations until @deadline (ns) or @ops operations;
 * @measure: counted in the tally @c. */
static void run_ops(const struct bench *b, struct bench_thread *th,
		    struct rw_tally *c, uint64_t ops, uint64_t deadline,
		    bool measure)
{
	struct rw_thread *w = &rb.th[th->index];
	const struct rw_pattern_info *p = &rw_patterns[ro.pattern];
	const uint64_t bs = ro.bs, src_blocks = SRC_RING / bs;
	const bool lat = measure && !ro.no_lat;
	uint64_t seq = 0;

	for (uint64_t i = 0; i < ops || deadline; i++) {
		uint64_t blk = th->first + (p->random ? splitmix(&w->rng) %
			       th->count : seq++ % th->count);
		enum rw_dir dir = !p->reads ? RW_DIR_WRITE : !p->writes ?
				  RW_DIR_READ : splitmix(&w->rng) % 100 <
				  ro.rwmixread ? RW_DIR_READ : RW_DIR_WRITE;
		char *addr = b->target.map + blk * bs;
		uint64_t t0 = 0;

		if (deadline && (i & 15) == 0 && bench_now() >= deadline)
			break;
		if (lat)
			t0 = bench_now();
		if (dir == RW_DIR_READ) {
			w->sink ^= rb.copy->read(w->dst, addr, bs);
		} else {
			/* block k always gets source chunk k: the check
			 * afterwards knows what each block must hold */
			rb.copy->write(addr, w->src + (blk % src_blocks) * bs, bs);
			persist_range(ro.persist, addr, bs);
			if (rb.written)
				rb.written[blk] = 1;
		}
		if (lat)
			bench_sample_add(&c->lat[dir], bench_now() - t0);
		if (measure) {
			c->ops[dir]++;
			c->bytes[dir] += bs;
			c->digest = (c->digest ^ blk) * 0x100000001b3ULL;
			if ((i & 255) == 255)
				atomic_store_explicit(&th->done, i + 1,
						      memory_order_relaxed);
		}
	}
}

static void body(struct bench *b, struct bench_run *run,
		 struct bench_thread *th)
{
	struct rw_tally *c;

	if (run->index >= rb.nruns) {
		limit_dir(b, th, &rb.th[th->index], limit_run_dir(run->index));
		return;
	}
	c = &rb.th[th->index].runs[run->index];
	if (ro.ramp_s)
		run_ops(b, th, c, 0, bench_now() + ro.ramp_s * 1000000000ULL,
			false);
	th->t0 = bench_now();
	if (ro.runtime_s)
		run_ops(b, th, c, 0, th->t0 + ro.runtime_s * 1000000000ULL, true);
	else
		run_ops(b, th, c, (uint64_t)ro.loops * th->count, 0, true);
}

/* ---- afterwards ---------------------------------------------------------- */

/* Every block written holds its source chunk: the bytes really moved. */
static uint64_t verify_data(const struct bench *b, const struct bench_run *run)
{
	const uint64_t bs = ro.bs, src_blocks = SRC_RING / bs;
	uint64_t bad = 0;

	for (unsigned i = 0; i < run->nthreads; i++) {
		const struct bench_thread *th = &run->threads[i];
		const struct rw_thread *w = &rb.th[i];

		for (uint64_t k = th->first; k < th->first + th->count; k++)
			if (rb.written[k] && memcmp(b->target.map + k * bs,
						    w->src + (k % src_blocks) * bs,
						    bs))
				bad++;
	}
	return bad;
}

static enum bench_ret finish(struct bench *b, struct bench_run *run)
{
	struct bench_target *t = &b->target;

	/* the data, once every run has written it */
	if (run->index + 1 == rb.nruns && rb.written)
		rb.bad = verify_data(b, run);
	/* the next run, or the limit's, on the mapping as this one left it */
	if (run->index + 1 < b->nr_runs)
		return BENCH_OK;
	/* the page sizes the runs and the limit had, after all of them:
	 * smaps as they left the mapping, then each window faulted again and
	 * touched twice (a 4 KiB window is left with one page mapped) */
	bench_pages_smaps(t, t->access, &rb.pages);
	if (bench_pages_touch(t, &rb.pages, true))
		return BENCH_FAIL;
	bench_pages_settle(&rb.pages);
	if (bench_pages_fell_back(&rb.pages)) {
		bench_explain(b, &rb.pages, bench_run_of(b, 0, 0), b->access,
			      &rb.why);
		bench_note_fallback(b, &rb.pages, "rw");
	}
	return BENCH_OK;
}

/* Run @k's direction @dir over its threads: the bytes and operations,
 * the runtime (the longest thread's), and its samples' statistics. */
static int sum_run(const struct bench *b, unsigned k, enum rw_dir dir,
		   struct bench_samples *tmp)
{
	const struct bench_run *run = bench_run_of(b, 0, k);
	struct rw_dir_run *d = &rb.runs[k][dir];
	double secs;

	tmp->n = 0;
	for (unsigned i = 0; i < run->nthreads; i++) {
		const struct bench_thread *th = &run->threads[i];
		const struct rw_tally *c = &rb.th[i].runs[k];

		d->ops += c->ops[dir];
		d->bytes += c->bytes[dir];
		if (th->t1 - th->t0 > d->runtime_ns)
			d->runtime_ns = th->t1 - th->t0;
		if (bench_samples_append(tmp, &c->lat[dir]))
			return -ENOMEM;
	}
	secs = (double)d->runtime_ns / 1e9;
	d->bw = (uint64_t)(secs > 0 ? (double)d->bytes / secs : 0);
	d->iops = secs > 0 ? (double)d->ops / secs : 0;
	bench_run_lat(tmp->v, tmp->n, &d->lat);
	return 0;
}

/* Each run's figures, and the median run: by its bandwidth, both
 * directions' bytes over its runtime. */
static enum bench_ret sum_runs(const struct bench *b)
{
	struct bench_samples tmp = { 0 };
	double bw[rb.nruns];
	int ret = 0;

	for (unsigned k = 0; k < rb.nruns && !ret; k++) {
		uint64_t bytes = 0, ns = 0;

		for (int d = 0; d < RW_NR_DIRS && !ret; d++) {
			ret = sum_run(b, k, d, &tmp);
			bytes += rb.runs[k][d].bytes;
			ns = rb.runs[k][d].runtime_ns;
		}
		bw[k] = ns ? (double)bytes / (double)ns : 0;
	}
	bench_samples_free(&tmp);
	if (ret) {
		dt_err("%s", strerror(-ret));
		return BENCH_FAIL;
	}
	rb.median = bench_runs_median(bw, rb.nruns);
	return BENCH_OK;
}

static enum bench_ret summarise(struct bench *b)
{
	if (sum_runs(b))
		return BENCH_FAIL;
	if (rb.bad)
		snprintf(b->failure, sizeof(b->failure), "%" PRIu64 " block%s "
			 "written %s not hold %s data", rb.bad, bench_s(rb.bad),
			 rb.bad == 1 ? "does" : "do", rb.bad == 1 ? "its" : "their");
	return ro.fio ? run_fio(b) : BENCH_OK;
}

static void report(struct bench *b)
{
	rw_report(b, &rb);
}

static void teardown(struct bench *b)
{
	(void)b;
	for (unsigned i = 0; rb.th && i < ro.common.threads; i++) {
		free(rb.th[i].src);
		free(rb.th[i].dst);
		free(rb.th[i].limit_buf);
		for (unsigned k = 0; rb.th[i].runs && k < rb.nruns; k++)
			for (int d = 0; d < RW_NR_DIRS; d++)
				bench_samples_free(&rb.th[i].runs[k].lat[d]);
		free(rb.th[i].runs);
	}
	free(rb.th);
	free(rb.runs);
	free(rb.written);
	bench_pages_free(&rb.pages);
	memset(&rb, 0, sizeof(rb));
}

const struct bench_workload bench_rw = {
	.name = "rw",
	.summary = "loads and stores over the mapping: bandwidth, latency, fio beside it",
	.usage = rw_usage, .options = rw_options, .opts = &ro.common,
	.defaults = defaults, .check = check, .setup = setup,
	.prepare = prepare, .body = body, .finish = finish,
	.summarise = summarise, .report = report, .teardown = teardown,
	.libpmem_path = true,
};
