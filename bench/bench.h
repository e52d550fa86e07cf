/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * daxtool bench: what the workloads share. A *target* is what a workload
 * maps and touches (target.c; emulated memory, and the choice among it,
 * emulate.c); the clock and its calibration (timer.c);
 * latency statistics named as fio names them (stats.c); the environment
 * that shaped a result (env.c); what the kernel says about the mapping
 * afterwards (probe.c, trace.c); cleanup and signals (cleanup.c,
 * sigbus.c). The runner that drives every workload is runner.h; the
 * page-size verification pages.h; the workloads are fault.c and rw.c.
 */
#ifndef DAXTOOL_BENCH_H
#define DAXTOOL_BENCH_H

#include <sched.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/types.h>

#include "daxtool/print.h"
#include "daxtool/stat.h"
#include "daxtool/target.h"
#include "daxtool/util.h"

#define BENCH_4K	((uint64_t)4096)
#define BENCH_2M	((uint64_t)2 << 20)
#define BENCH_1G	((uint64_t)1 << 30)
/* What a target daxtool makes itself gets when --size is not given. */
#define BENCH_DEFAULT_SIZE ((uint64_t)256 << 20)

/*
 * What a step of a benchmark returns: BENCH_OK, or the exit status it
 * failed with, its message printed. No in-band sentinels.
 */
enum bench_ret {
	BENCH_OK = DT_EXIT_OK,
	BENCH_FAIL = DT_EXIT_FAIL,
	BENCH_USAGE = DT_EXIT_USAGE,	/* the options do not fit */
};

/* ---- targets: target.c ------------------------------------------------ */

enum bench_kind {
	BENCH_DEVDAX,		/* /dev/daxX.Y */
	BENCH_FSDAX,		/* a file with STATX_ATTR_DAX */
	BENCH_ANON,		/* emulated: anonymous memory */
	BENCH_HUGETLB,		/* emulated: memfd_create(MFD_HUGETLB) */
	BENCH_SHMEM,		/* emulated: a file on tmpfs */
	BENCH_FILE,		/* an ordinary file: the page cache */
	BENCH_NR_KINDS
};

/* What a mapping allows, or a workload does (a mix: readwrite). */
enum bench_access { BENCH_READ, BENCH_WRITE, BENCH_READWRITE,
		    BENCH_NR_ACCESS };
extern const char *const bench_access_names[];	/* "read", "write", ... */

struct bench_kind_info {
	const char *name;	/* the JSON target.kind */
	const char *label;	/* what text output calls it */
	bool emulated;		/* not DAX memory */
	int advice_2m, advice_4k;	/* madvise() for each pass, or -1 */
	/* the smaps field that tells PMD mappings apart reliably for this
	 * kind, or NULL (fsdax: FilePmdMapped is always 0 there) */
	const char *smaps_field;
	/* the field is the page size of the whole VMA (KernelPageSize),
	 * not a count of what is PMD-mapped */
	bool smaps_per_vma;
};

extern const struct bench_kind_info bench_kinds[BENCH_NR_KINDS];

/* --size can be no larger: more than any process can map (x86-64 with
 * 5-level page tables), and room left for the alignment around it */
#define BENCH_MAX_SIZE ((uint64_t)1 << 56)

/*
 * Without --size, an existing file or device is used up to this much:
 * its first 1 GiB. That is 262144 timed 4 KiB faults and 512 2 MiB
 * windows, plenty for stable percentiles; it costs 1 MiB of samples (4
 * bytes a page) and 2 MiB of page tables a run, and at most 1 GiB of page
 * cache for a file that is not DAX. The same size on every machine keeps
 * results comparable; --size asks for more.
 */
#define BENCH_DEFAULT_CAP BENCH_1G

struct bench_target_opts {
	uint64_t size;		/* --size; 0: not given, the target's default */
	uint64_t granule;	/* the size must be a multiple of this */
	int access;		/* enum bench_access, or -1: the target's default */
	const char *writer;	/* what writes, for an error: "--rw write";
				   NULL: "--access write" */
	bool sparse, force;
	/* for the choice of an emulation: the workload maps the memory with
	 * 4 KiB pages too (hugetlb cannot), and asks for memory its faults
	 * allocate (--cold: nothing prefilled) */
	bool need_4k, cold;
	/* hugetlb's page size: BENCH_1G for 1 GiB pages (--page-size 1g,
	 * which no other emulation has); 0: 2 MiB */
	uint64_t huge_page;
};

/* An error an opener met, said once by whoever decides to say it. */
#define BENCH_ERR_LEN 640
struct bench_err {
	char msg[BENCH_ERR_LEN];
};

/* Fill @e and return @ret. */
enum bench_ret bench_fail(struct bench_err *e, enum bench_ret ret,
			  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- emulated memory, and the choice among it: emulate.c --------------- */

/* The emulations, most DAX-like first: DAX faults map memory that
 * exists already, and so do hugetlb pages and a prefilled tmpfs file. */
enum bench_emul { BENCH_EMUL_HUGETLB, BENCH_EMUL_TMPFS, BENCH_EMUL_ANON,
		  BENCH_NR_EMULS };

/* How the target "emulated" (or no target, without device-DAX) was
 * chosen, and what the choice holds until the target is closed. */
struct bench_emulation {
	bool on;			/* the target was chosen this way */
	enum bench_emul chosen;
	/* the better ones, in order, and why each was not possible */
	unsigned nr_passed;
	struct {
		enum bench_emul e;
		char why[BENCH_ERR_LEN];
	} passed[BENCH_NR_EMULS - 1];
	/* 2 MiB huge pages added to the kernel's pool for the run, and the
	 * cleanup that gives them back */
	int hugepages_added, hugepages_cleanup;
	/* the private tmpfs: its directory and mount, and their cleanups */
	char mnt[4096];
	int dir_cleanup, mount_cleanup;
};

/* The names in the JSON: "hugetlb", "tmpfs-huge", "anon". */
extern const char *const bench_emul_names[BENCH_NR_EMULS];

struct bench_target {
	enum bench_kind kind;
	const char *label;	/* NULL: the kind's; see bench_target_label() */
	char path[4096];	/* the file or device used; "" for memory */
	int fd;			/* -1 for anonymous memory */
	uint64_t size;		/* the bytes mapped and touched */
	/* an existing file or device: its size, and whether the default
	 * size is less (BENCH_DEFAULT_CAP); 0 and false otherwise */
	uint64_t whole_size;
	bool size_capped;
	/* the largest page the target can be mapped with, as it says itself:
	 * device-DAX's align, the fsdax namespace's align, the THP or hugetlb
	 * page size; 0 where unknown */
	uint64_t align;
	enum bench_access access;
	bool created;		/* daxtool made the file and removes it */
	int cleanup;		/* its bench_cleanup_add() handle */
	bool sparse;		/* created without fallocate */
	/* a tmpfs file daxtool made and wrote whole before the runs: its
	 * pages exist, and a fault only maps one */
	bool prefilled;
	char dev[64];		/* dax0.0, pmem1; "" */
	/* what the file or device is, in the one target model: its
	 * filesystem and mount, DAX state, backing and device stack */
	struct dt_target tg;
	bool own_fd;		/* fd is the target's own (a memfd) */
	/* extra mmap() flags for a file or device, e.g. MAP_SHARED_VALIDATE
	 * | MAP_SYNC; 0 for a plain MAP_SHARED */
	int map_flags;
	/* where the mapping is */
	char *map;
	size_t map_len;
	void *reserve;		/* the aligned reservation around it */
	size_t reserve_len;
	struct bench_emulation emul;
};

/*
 * Open @spec (NULL: the first device-DAX device, else the emulation
 * "emulated" chooses) and check @o against it: BENCH_OK, else BENCH_FAIL
 * or, when the options do not fit the target, BENCH_USAGE (the error
 * printed).
 */
enum bench_ret bench_target_open(struct bench_target *t, struct dt_ctx *ctx,
				 const char *spec,
				 const struct bench_target_opts *o);
/* What text calls it: "EMULATED: tmpfs huge=always, not DAX". */
const char *bench_target_label(const struct bench_target *t);
/* The filesystem's name and its options, "" where none. */
const char *bench_target_fs(const struct bench_target *t);
const char *bench_target_mount_opts(const struct bench_target *t);
/* Before each run: give a file daxtool created a fresh state again. */
int bench_target_reset(struct bench_target *t);
/* Map t->size at an address aligned to 2 MiB (or the target's larger
 * alignment), offset 0 there; @advice is a madvise() advice or -1;
 * @populate maps with MAP_POPULATE. 0 or -1 (error printed). */
int bench_target_map(struct bench_target *t, int advice, bool populate);
void bench_target_unmap(struct bench_target *t);
/* The "target" object of a benchmark's output (and its text lines);
 * @access: what the workload does to it */
void bench_target_print(const struct bench_target *t, enum bench_access access);
/* Its "fingerprint" object, inside the target's: the identity fields of
 * the target and their hash (context.c) */
void bench_fingerprint_print(const struct bench_target *t);
/* The document's "context": the command line and the host (context.c) */
void bench_context_print(const struct dt_ctx *ctx);
/* Close it, remove what it made and undo what its emulation holds (a
 * mount, huge pages reserved); again is harmless. */
void bench_target_close(struct bench_target *t);
/* Touch @size bytes of anonymous memory and free them: on a virtual
 * machine the hypervisor then backs the memory the timed run gets. */
int bench_prewarm(uint64_t size);

/* Inside the target code (target.c, emulate.c): the size to use, --size
 * or @dflt, a multiple of the granule and at most @max (0: no limit);
 * and a fresh file at @path, which must not exist, removed afterwards. */
enum bench_ret bench_target_size(struct bench_target *t,
				 const struct bench_target_opts *o,
				 uint64_t dflt, uint64_t max, const char *what,
				 struct bench_err *e);
enum bench_ret bench_target_create(struct bench_target *t, struct dt_ctx *ctx,
				   const char *path,
				   const struct bench_target_opts *o,
				   struct bench_err *e);
/* emulate.c: open the memory a word names (t->tg.memory): anon, hugetlb,
 * or for "emulated" the most DAX-like emulation this machine allows for
 * @o, which fills t->emul */
enum bench_ret bench_open_memory(struct bench_target *t, struct dt_ctx *ctx,
				 const struct bench_target_opts *o,
				 struct bench_err *e);
/* Undo what the emulation holds: the mount, the huge pages. */
void bench_emulation_close(struct bench_target *t);
/* The "emulation" member of the target object: null unless chosen. */
void bench_emulation_print(const struct bench_target *t);

/* ---- SIGBUS from a shrunken file: sigbus.c ----------------------------- */

/* Set bench_bus_jmp around a touch loop (NULL outside): a SIGBUS there
 * jumps back with bench_bus_addr set to the faulting address. The runner
 * does this around every workload's body, pages.c around its touches. */
extern __thread sigjmp_buf *bench_bus_jmp;
extern __thread volatile uintptr_t bench_bus_addr;
void bench_sigbus_install(void);
/* What a SIGBUS at @addr in the target's mapping means, said once: the
 * file was truncated under the run, or the memory could not be provided
 * (a sparse file out of space, out of huge pages, a media error). */
void bench_sigbus_report(const struct bench_target *t, uintptr_t addr);

/* ---- cleanup on exit and on signals: cleanup.c ------------------------ */

/* What there is to undo. */
enum bench_cleanup_what {
	BENCH_CLEAN_FILE,	/* remove a file */
	BENCH_CLEAN_DIR,	/* remove an (empty) directory */
	BENCH_CLEAN_MOUNT,	/* unmount a private mount (detached) */
	BENCH_CLEAN_LOWER,	/* lower a setting the run raised */
	BENCH_NR_CLEANUPS
};

/* Undo @what for @path at exit or on SIGINT, SIGTERM or SIGHUP, the last
 * added first. The string is copied. Returns a handle for
 * bench_cleanup_done(), or -1 if the list is full. */
int bench_cleanup_add(const char *path, enum bench_cleanup_what what);
/* Lower the number in the file @path (a sysctl) by @by at exit, not
 * below @floor, its value before the run raised it; where it reads @floor
 * or less already, leave it. Add it before raising the setting. */
int bench_cleanup_lower(const char *path, int by, int floor);
/* Once the setting is raised: by how much it really was. */
void bench_cleanup_lower_by(int handle, int by);
/* Do it now and forget it. */
void bench_cleanup_done(int handle);
/* A child (fio) to pass SIGINT, SIGTERM or SIGHUP on to; 0: none. */
void bench_cleanup_child(pid_t pid);

/*
 * What an interrupted benchmark says on stderr before it dies of the
 * signal (status 130 after Ctrl-C): "daxtool: bench NAME: interrupted[
 * STAGE]: 2 of 5 runs done, nothing printed". Armed by the runner (@cmd:
 * "daxtool: bench NAME"), with the number of runs; the count and the
 * stage ("while fio ran": a string that lives as long as the program) are
 * updated as the runs go.
 */
void bench_interrupt_arm(const char *cmd, unsigned runs);
/* Once the results are being printed: a signal says nothing more. */
void bench_interrupt_disarm(void);
void bench_interrupt_runs_done(unsigned done);
void bench_interrupt_stage(const char *stage);
/* Progress is on the terminal's current line: clear it first. */
void bench_interrupt_progress_shown(bool shown);

/* The touch loops are not instrumented under AddressSanitizer: its
 * shadow-memory checks would take faults of their own, and the fault
 * counts are the measurement. */
#define BENCH_TOUCH_LOOP __attribute__((noinline, no_sanitize_address))

/* Use a loaded value, so that the load cannot be optimised away. */
static inline void bench_consume(uint64_t v)
{
	__asm__ volatile("" : : "r"(v));
}

/* ---- pinning: pin.c ---------------------------------------------------- */

/* The CPUs in @mask, in order, into @cpus (at most @max of them; @cpus
 * NULL: only count). */
unsigned bench_cpus_of_mask(const cpu_set_t *mask, int *cpus, unsigned max);
/* The same for this thread's affinity mask (sched_getaffinity): under
 * taskset, the CPUs it allows; 0 if it cannot be read. */
unsigned bench_cpus_allowed(int *cpus, unsigned max);
/* The CPU thread @i is pinned to: the allowed CPUs in turn, so threads
 * share CPUs only when there are more threads than CPUs; -1 with none. */
int bench_thread_cpu(const int *cpus, unsigned ncpus, unsigned i);
/* Pin the calling thread to @cpu, best effort; -1 leaves it as it is. */
void bench_pin(int cpu);

/* ---- the clock: timer.c ----------------------------------------------- */

static inline uint64_t bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

struct bench_timer {
	const char *clock;	/* "CLOCK_MONOTONIC" */
	double overhead_ns;	/* what one reading costs */
	uint64_t resolution_ns;
};

void bench_timer_calibrate(struct bench_timer *tm);

/* ---- latency statistics: stats.c -------------------------------------- */

#define BENCH_MAX_PCT 64
#define BENCH_BATCHES 32	/* lat_ns.batches: at most this many */

/* A sample, ns: 32 bits, 4 s at the most. */
static inline uint32_t bench_clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/*
 * A sample buffer, allocated and touched before the timed part, so that
 * storing a sample never faults there. Past @cap, samples are dropped
 * (and counted in @dropped): the statistics are of those kept.
 */
struct bench_samples {
	uint32_t *v;
	size_t n, cap;
	uint64_t dropped;
};

int bench_samples_alloc(struct bench_samples *s, size_t cap);
void bench_samples_free(struct bench_samples *s);
static inline void bench_sample_add(struct bench_samples *s, uint64_t ns)
{
	if (s->n < s->cap)
		s->v[s->n++] = bench_clamp32(ns);
	else
		s->dropped++;
}
/* Append @src's samples to @dst, which grows; 0 or -ENOMEM. */
int bench_samples_append(struct bench_samples *dst,
			 const struct bench_samples *src);

/* Percentiles, as fio takes and names them: each in millionths of a
 * percent (exact: a percentile has at most 6 decimals) and its JSON key,
 * fio's "%f" ("99.900000"), which no two of them share. */
struct bench_pcts {
	unsigned n;
	uint32_t micro[BENCH_MAX_PCT];
	char key[BENCH_MAX_PCT][12];
};
/* fio's default list, 1 to 99.99 */
extern const struct bench_pcts bench_pcts_fio;

/* Parse fio's syntax, "50:99:99.9": numbers in (0, 100] of at most 6
 * decimals, none twice, at most BENCH_MAX_PCT. 0, or -1 with @why set. */
int bench_pcts_parse(const char *s, struct bench_pcts *p, char *why,
		     size_t len);

struct bench_lat {
	uint64_t n, min, max;
	double mean, stddev;
	uint64_t p50, p99;	/* the two text shows, whatever the list */
	const struct bench_pcts *pcts;
	uint64_t pct[BENCH_MAX_PCT];	/* of pcts, in its order */
	uint64_t hist[64];	/* hist[k]: samples in [2^k, 2^(k+1)) ns; 0
				   counts in hist[0] */
	/* the log-linear histogram of daxtool/stat.h, for compare: the
	 * JSON's lat_ns.hist */
	uint64_t fine[DT_HIST_BUCKETS];
	/* the samples in time order, cut in nbatch batches of equal size
	 * (BENCH_BATCHES, fewer for fewer samples): each batch's mean, median
	 * and 99th percentile, the JSON's lat_ns.batches; compare's interval
	 * for one run a side is Welch's on these, which sees the drift and
	 * the correlation in a run that a bootstrap of the samples misses */
	unsigned nbatch;
	uint64_t batch_size;		/* the smallest batch's samples */
	double batch_mean[BENCH_BATCHES];
	uint64_t batch_p50[BENCH_BATCHES], batch_p99[BENCH_BATCHES];
};

/* Statistics of @n samples (ns), in the order they were taken, at
 * percentiles @p (NULL: fio's list); sorts the samples in place. */
void bench_lat_compute(uint32_t *samples, size_t n,
		       const struct bench_pcts *p, struct bench_lat *l);
/* The mean, median and 99th percentile of @n samples, left as they are
 * (one run's, of samples of several): 0 or -ENOMEM. */
int bench_lat_brief(const uint32_t *samples, size_t n, double *mean,
		    uint64_t *p50, uint64_t *p99);
/* The nearest-rank percentile (@micro: millionths of a percent) of @n
 * sorted samples: the smallest with that share of them at or below it;
 * 0 for no samples. */
uint64_t bench_nearest_rank(const uint32_t *sorted, size_t n, uint32_t micro);

/* What text shows of a lat_ns object: formats with one %s, a duration
 * ("1.2us"); NULL shows nothing. */
struct bench_lat_text {
	const char *min, *max, *mean;
	/* each percentile shown: those of a list given, or p50 and p99 of
	 * fio's; with @pct_label, "p99.9" goes before each */
	const char *pct;
	bool pct_label;
	const char *standin;	/* in a value's place where there are no
				   samples */
};

/* lat_ns {min, max, mean, stddev, N, percentile{}} as fio names them,
 * then hist, the samples' log-linear histogram (compare bootstraps from
 * it), and in text what @tx says (NULL: nothing). @l NULL or without
 * samples: the same keys, null, N 0. */
void bench_lat_print(const char *key, const struct bench_lat *l,
		     const struct bench_lat_text *tx);
/* An ASCII log2 histogram, text only. */
void bench_lat_histogram(const char *title, const struct bench_lat *l);
/* "1.2us", "350ns", "4.6ms" */
const char *bench_fmt_ns(char *buf, size_t len, double ns);
/* A time in ns: a number in JSON (an integer with @integer), in text
 * through @fmt as bench_fmt_ns writes it. NaN is unknown: null, and
 * @standin in text. */
void bench_print_ns(enum dt_pmode m, const char *key, const char *fmt,
		    double ns, bool integer, const char *standin);

/* Text shows a value only @when: its format, or NULL. */
static inline const char *bench_when(bool when, const char *fmt)
{
	return when ? fmt : NULL;
}

/* "s" unless @n is 1: "1 window", "2 windows" */
static inline const char *bench_s(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* ---- the environment: env.c ------------------------------------------- */

/*
 * The memory regime of an emulated target when the timed run starts:
 * none for DAX, whose memory is the device's; "preallocated" where the
 * pages exist before the run (a hugetlb memfd, a prefilled tmpfs file,
 * or memory prefaulted), else "prewarmed" (as much memory touched and
 * freed before each run: the fault benchmarks' default) or "cold".
 */
enum bench_regime { BENCH_REGIME_NONE, BENCH_REGIME_COLD,
		    BENCH_REGIME_PREWARMED, BENCH_REGIME_PREALLOCATED,
		    BENCH_NR_REGIMES };
extern const char *const bench_regime_names[];	/* NULL for none */

enum bench_auto_flush_from { BENCH_AF_UNKNOWN, BENCH_AF_DOMAIN,
			     BENCH_AF_LIBPMEM, BENCH_NR_AF };

struct bench_env {
	char kernel[128];
	char thp_enabled[32], thp_defrag[32];	/* "" if unknown */
	int is_pmem;		/* libpmem's word, see env.c; -1 unknown */
	int auto_flush;		/* 1, 0, -1 unknown */
	enum bench_auto_flush_from auto_flush_from;
	enum bench_regime regime;
	unsigned cpus;		/* online */
	unsigned cpus_allowed;	/* in the affinity mask: pinning uses these */
	struct bench_timer timer;
};

void bench_env_load(struct bench_env *e);
/* is_pmem and auto_flush, for a target that is mapped */
void bench_env_target(struct bench_env *e, const struct bench_target *t);
void bench_env_print(const struct bench_env *e, const struct bench_target *t);
/* @prewarm: memory touched and freed before each run; @prefaulted: the
 * mapping was populated before the timed part */
enum bench_regime bench_regime(const struct bench_target *t, bool prewarm,
			       bool prefaulted);
/* Whether prewarming changes anything: emulated memory the faults
 * allocate (anonymous memory, the page cache, a tmpfs file not
 * prefilled), whose regime would otherwise be cold. */
bool bench_prewarm_applies(const struct bench_target *t);
/* "[madvise]" -> "madvise" from a sysfs THP file; "" if absent */
void bench_read_choice(const char *path, char *buf, size_t len);

/* ---- what the kernel says about the mapping: probe.c ------------------ */

/* Minor plus major faults of the calling thread (getrusage). */
uint64_t bench_thread_faults(uint64_t *major);
/* A /proc/vmstat counter, or -1 if it is not there. */
int64_t bench_vmstat(const char *name);

struct bench_smaps {
	const char *field;	/* the reliable field used, or NULL */
	uint64_t kb;		/* its value over the mapping */
	double ratio;		/* of the mapping PMD-mapped, by it */
	const char *why;	/* when field is NULL: why no field is used */
};

/* Read /proc/self/smaps for the target's mapping. */
void bench_smaps(const struct bench_target *t, enum bench_access access,
		 struct bench_smaps *s);

/* ---- fs_dax tracepoints: trace.c -------------------------------------- */

struct bench_trace_counts {
	uint64_t pmd_nopage, pmd_fallback, pmd_other, pte;
	uint64_t lost;		/* events the ring buffer dropped */
};

struct bench_trace;
/* Set up a private tracefs instance with fs_dax's fault events, off. NULL
 * with *why set when tracing is not possible. */
struct bench_trace *bench_trace_open(const char **why);
/* Record the events of these threads only, from now on. */
int bench_trace_start(struct bench_trace *tr, const pid_t *tids, unsigned n);
/* Stop and add up what was recorded since start. */
int bench_trace_stop(struct bench_trace *tr, struct bench_trace_counts *c);
void bench_trace_close(struct bench_trace *tr);

#endif
