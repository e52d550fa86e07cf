// SPDX-License-Identifier: GPL-2.0-only
/*
 * daxtool bench: benchmarks in two levels, as in perf bench. `daxtool
 * bench` lists them; `daxtool bench NAME [options] [TARGET]` runs one. A
 * benchmark is one row of the table below: its options are parsed here,
 * its workload lives in bench/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "daxtool/fmt.h"
#include "daxtool/print.h"
#include "daxtool/util.h"
#include "builtin.h"
#include "pmem.h"
#include "fault.h"
#include "rw.h"
#include "parse-options.h"

struct bench_cmd {
	const char *name;
	int (*fn)(int argc, const char **argv, struct dt_ctx *ctx);
	const char *summary;
};

static int bench_fault(int argc, const char **argv, struct dt_ctx *ctx);
static int bench_pmd_fault(int argc, const char **argv, struct dt_ctx *ctx);
static int bench_rw(int argc, const char **argv, struct dt_ctx *ctx);

static const struct bench_cmd benchmarks[] = {
	{ "fault", bench_fault,
	  "time first-touch faults of one page size, verify what was mapped" },
	{ "pmd-fault", bench_pmd_fault,
	  "4 KiB against 2 MiB faults on the same target, verified" },
	{ "rw", bench_rw,
	  "loads and stores over the mapping: bandwidth, latency, fio beside it" },
};

static const char *const rw_usage[] = {
	"daxtool bench rw [options] [/dev/daxX.Y|DIR|FILE|emulated|anon|hugetlb]",
	NULL
};

static const char *const fault_usage[] = {
	"daxtool bench fault [options] [/dev/daxX.Y|DIR|FILE|emulated|anon|hugetlb]",
	NULL
};

static const char *const pmd_fault_usage[] = {
	"daxtool bench pmd-fault [options] [/dev/daxX.Y|DIR|FILE|emulated|anon|hugetlb]",
	NULL
};

static const char targets_help[] =
	"\nTARGET: a device-DAX device (/dev/daxX.Y); a directory or a path that\n"
	"does not exist (a file is created there and removed afterwards); an\n"
	"existing file (read-only unless --force); or emulated memory: emulated\n"
	"or anon (anonymous memory), hugetlb (2 MiB huge pages). Without one:\n"
	"the first device-DAX device, else anonymous memory.\n";

static const char *const accesses[] = { "read", "write", NULL };

/* --size: whether it was given, beside its value (every value is one a
 * user can type); left 0, the target's default, when it is not */
static bool size_given;

/* The options every fault workload takes. */
#define FAULT_OPTIONS(o) \
	OPT_SIZE_GIVEN('s', "size", &(o).size, &size_given, "SIZE", \
		       "bytes to map (default: a device or file whole, else 256M)"), \
	OPT_CHOICE('a', "access", &(o).access, accesses, "read|write", \
		   "default: write where daxtool made the memory, else read"), \
	OPT_UINT('t', "threads", &(o).threads, "N", \
		 "split the target between N pinned threads"), \
	OPT_UINT('r', "runs", &(o).runs, "N", \
		 "run N times; print min/median/max"), \
	OPT_BOOLEAN(0, "populate", &(o).populate, \
		    "also time MAP_POPULATE / MADV_POPULATE_WRITE"), \
	OPT_BOOLEAN(0, "prewarm", &(o).prewarm, \
		    "emulated targets: touch and free the memory first"), \
	OPT_BOOLEAN(0, "sparse", &(o).sparse, \
		    "a file daxtool creates: do not fallocate it"), \
	OPT_BOOLEAN(0, "force", &(o).force, \
		    "allow writing to an existing file or device"), \
	OPT_BOOLEAN(0, "trace", &(o).trace, \
		    "count fs_dax:dax_pmd_fault_done results (root)"), \
	OPT_BOOLEAN('j', "json", &(o).json, "print JSON")

/* --size, where given: more than 0, and no more than can be mapped */
static void check_size(uint64_t size)
{
	char a[32], b[32];

	if (!size_given)
		return;
	if (!size)
		usage_error("--size 0: give more than 0");
	if (size > BENCH_MAX_SIZE)
		usage_error("--size %" PRIu64 " (%s): too large: no process can "
			    "map more than %s", size, dt_fmt_size(a, sizeof(a), size),
			    dt_fmt_size(b, sizeof(b), BENCH_MAX_SIZE));
}

static void check_fault_opts(struct fault_opts *o, int argc, const char **argv,
			     uint64_t granule, const char *why)
{
	char a[32], b[32];

	if (argc > 1)
		usage_error("unexpected argument '%s': one TARGET at most", argv[1]);
	o->target = argc ? argv[0] : NULL;
	if (!o->threads || o->threads > 1024)
		usage_error("--threads: give 1 to 1024");
	if (!o->runs || o->runs > 1000)
		usage_error("--runs: give 1 to 1000");
	check_size(o->size);
	if (size_given && o->size % granule)
		usage_error("--size %s: not a multiple of %s%s",
			    dt_fmt_size(a, sizeof(a), o->size),
			    dt_fmt_size(b, sizeof(b), granule), why);
}

static int bench_fault(int argc, const char **argv, struct dt_ctx *ctx)
{
	static const char *const page_sizes[] = { "4k", "2m", NULL };
	static const uint64_t page_bytes[] = { 4096, 2 << 20 };
	struct fault_opts o = { .workload = "fault", .threads = 1, .runs = 1,
				.access = -1 };
	int page = 0;
	const struct opt opts[] = {
		OPT_CHOICE('p', "page-size", &page, page_sizes, "4k|2m",
			   "the page size to fault (default 4k)"),
		FAULT_OPTIONS(o),
		OPT_END(),
	};

	argc = parse_options(argc, argv, opts, fault_usage);
	o.page_sizes[0] = page_bytes[page];
	o.nr_page_sizes = 1;
	check_fault_opts(&o, argc, argv, o.page_sizes[0], ", the page size");
	return fault_bench(&o, ctx);
}

static int bench_pmd_fault(int argc, const char **argv, struct dt_ctx *ctx)
{
	struct fault_opts o = { .workload = "pmd-fault", .threads = 1,
				.runs = 1, .access = -1,
				.page_sizes = { 4096, 2 << 20 },
				.nr_page_sizes = 2 };
	const struct opt opts[] = {
		FAULT_OPTIONS(o),
		OPT_END(),
	};

	argc = parse_options(argc, argv, opts, pmd_fault_usage);
	check_fault_opts(&o, argc, argv, 2 << 20,
			 ": both passes map the same 2 MiB windows");
	return fault_bench(&o, ctx);
}

static int bench_rw(int argc, const char **argv, struct dt_ctx *ctx)
{
	static char copy_help[320];
	struct rw_opts o = { .pattern = RW_READ, .rwmixread = 50, .bs = 4096,
			     .threads = 1, .loops = 4,
			     .seed = 1, .copy = "memcpy" };
	const struct opt opts[] = {
		OPT_CHOICE(0, "rw", &o.pattern, rw_pattern_names,
			   "read|write|randread|randwrite|rw|randrw",
			   "the pattern, as fio names it (default read)"),
		OPT_UINT(0, "rwmixread", &o.rwmixread, "PCT",
			 "rw, randrw: percent of reads (default 50)"),
		OPT_SIZE('b', "bs", &o.bs, "SIZE", "block size (default 4k)"),
		OPT_SIZE_GIVEN('s', "size", &o.size, &size_given, "SIZE",
			       "bytes to map (default: a device or file whole, else 256M)"),
		OPT_UINT('t', "threads", &o.threads, "N",
			 "split the region between N pinned threads"),
		OPT_UINT(0, "runtime", &o.runtime_s, "SECS",
			 "run for SECS instead of --loops"),
		OPT_UINT(0, "loops", &o.loops, "N",
			 "passes over the region (default 4)"),
		OPT_UINT(0, "ramp-time", &o.ramp_s, "SECS",
			 "run SECS unmeasured first"),
		OPT_SIZE(0, "seed", &o.seed, "N", "seed of the random offsets (default 1)"),
		OPT_STRING(0, "percentiles", &o.percentiles, "P:P...",
			   "latency percentiles (default fio's list)"),
		OPT_STRING('c', "copy", &o.copy, copy_help,
			   "how data moves (default memcpy)"),
		OPT_CHOICE(0, "persist", &o.persist, persist_names,
			   "none|flush|drain|msync|map_sync",
			   "make writes durable per block (default none)"),
		OPT_BOOLEAN(0, "no-prefault", &o.no_prefault,
			    "let faults into the timed run"),
		OPT_BOOLEAN(0, "no-lat", &o.no_lat,
			    "bandwidth only: no per-operation timing"),
		OPT_BOOLEAN(0, "sparse", &o.sparse,
			    "a file daxtool creates: do not fallocate it"),
		OPT_BOOLEAN(0, "force", &o.force,
			    "allow writing to an existing file or device"),
		OPT_BOOLEAN(0, "fio", &o.fio, "run the same workload through fio too"),
		OPT_BOOLEAN(0, "fio-job", &o.fio_job,
			    "print the fio job for the workload, run nothing"),
		OPT_BOOLEAN('j', "json", &o.json, "print JSON"),
		OPT_END(),
	};

	snprintf(copy_help, sizeof(copy_help), "%s", copy_method_names());
	argc = parse_options(argc, argv, opts, rw_usage);
	if (argc > 1)
		usage_error("unexpected argument '%s': one TARGET at most", argv[1]);
	o.target = argc ? argv[0] : NULL;
	if (!o.threads || o.threads > 1024)
		usage_error("--threads: give 1 to 1024");
	if (!o.loops && !o.runtime_s)
		usage_error("--loops 0: give --runtime instead");
	check_size(o.size);
	return rw_bench(&o, ctx);
}

static void list_benchmarks(FILE *f)
{
	fprintf(f, "usage: daxtool bench BENCHMARK [options] [TARGET]\n\n"
		"benchmarks:\n");
	for (size_t i = 0; i < ARRAY_SIZE(benchmarks); i++)
		fprintf(f, "    %-10s %s\n", benchmarks[i].name,
			benchmarks[i].summary);
	fprintf(f, "%s\nSee 'daxtool bench BENCHMARK -h'.\n", targets_help);
}

int cmd_bench(int argc, const char **argv, struct dt_ctx *ctx)
{
	static char cmd[64];

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		list_benchmarks(stdout);
		return DT_EXIT_OK;
	}
	/* for completion: the benchmarks, and the options at this level */
	if (!strcmp(argv[1], "--list-cmds")) {
		for (size_t i = 0; i < ARRAY_SIZE(benchmarks); i++)
			printf("%s\n", benchmarks[i].name);
		return DT_EXIT_OK;
	}
	if (!strcmp(argv[1], "--list-opts")) {
		printf("--list-cmds\n--help\n");
		return DT_EXIT_OK;
	}
	for (size_t i = 0; i < ARRAY_SIZE(benchmarks); i++) {
		if (strcmp(argv[1], benchmarks[i].name))
			continue;
		const char *why;

		snprintf(cmd, sizeof(cmd), "bench %s", benchmarks[i].name);
		dt_set_cmd(cmd);
		if (!bench_pmem_load(&why)) {
			dt_err("%s (libpmem is needed for the benchmarks: "
			       "install libpmem1)", why);
			return DT_EXIT_FAIL;
		}
		return benchmarks[i].fn(argc - 1, argv + 1, ctx);
	}
	dt_err("'%s' is not a daxtool benchmark. See 'daxtool bench'.", argv[1]);
	return DT_EXIT_USAGE;
}
