// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fio bridge (bench/fio.c): fio's --output-format=json read back, on
 * a document in the shape fio 3.x writes (notes before it, numbers as fio
 * types them), its failures, the job file written for fio, its warm-up,
 * and when fio was fault-bound.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fio.h"
#include "tap.h"

/* fio 3.33's output for a randrw job, cut to what is read, with the note
 * fio prints on stdout before the document. */
static const char canned[] =
	"note: both iodepth >= 1 and synchronous I/O engine are selected, "
	"queue depth will be capped at 1\n"
	"{\n"
	"  \"fio version\" : \"fio-3.33\",\n"
	"  \"timestamp\" : 1733100000,\n"
	"  \"global options\" : { \"ioengine\" : \"mmap\" },\n"
	"  \"jobs\" : [\n"
	"    {\n"
	"      \"jobname\" : \"daxtool\",\n"
	"      \"groupid\" : 0,\n"
	"      \"error\" : 0,\n"
	"      \"read\" : {\n"
	"        \"io_bytes\" : 8388608,\n"
	"        \"io_kbytes\" : 8192,\n"
	"        \"bw_bytes\" : 4294967296,\n"
	"        \"bw\" : 4194304,\n"
	"        \"iops\" : 1048576.512,\n"
	"        \"runtime\" : 2,\n"
	"        \"total_ios\" : 2048,\n"
	"        \"lat_ns\" : { \"min\" : 100, \"max\" : 9000, \"mean\" : 812.25,\n"
	"                     \"stddev\" : 40.5, \"N\" : 2048 }\n"
	"      },\n"
	"      \"write\" : {\n"
	"        \"io_bytes\" : 0,\n"
	"        \"bw_bytes\" : 0,\n"
	"        \"iops\" : 0.000000,\n"
	"        \"runtime\" : 0,\n"
	"        \"lat_ns\" : { \"min\" : 0, \"max\" : 0, \"mean\" : 0.000000 }\n"
	"      },\n"
	"      \"usr_cpu\" : 50.25,\n"
	"      \"sys_cpu\" : 48.5,\n"
	"      \"ctx\" : 12,\n"
	"      \"majf\" : 3,\n"
	"      \"minf\" : 262144\n"
	"    }\n"
	"  ]\n"
	"}\n";

static void test_parse(void)
{
	struct fio_result r;
	char err[160] = "";

	CHECK(fio_parse(canned, &r, err, sizeof(err)) == 0,
	      "parse: fio 3.33's document, after its note (%s)", err);
	CHECK(!strcmp(r.version, "fio-3.33") && r.error == 0,
	      "parse: version and error");
	CHECK(r.read.io_bytes == 8388608 && r.read.bw_bytes == 4294967296ULL &&
	      r.read.runtime_ms == 2 && r.read.iops == 1048576.512 &&
	      r.read.lat_mean_ns == 812.25,
	      "parse: read's io_bytes, bw_bytes (past 2^32), runtime, iops, lat_ns.mean");
	CHECK(r.write.io_bytes == 0 && r.write.bw_bytes == 0 && r.write.iops == 0,
	      "parse: a direction fio did not run is zeros");
	CHECK(r.minf == 262144 && r.majf == 3 && r.usr_cpu == 50.25 &&
	      r.sys_cpu == 48.5,
	      "parse: the job's minf, majf, usr_cpu and sys_cpu");
	CHECK(fio_parse("{ \"jobs\" : [ { \"read\" : {}, \"write\" : {} } ] }",
			&r, err, sizeof(err)) == 0 && r.minf == 0 &&
	      r.majf == 0 && r.usr_cpu == 0 && r.sys_cpu == 0,
	      "parse: no fault or CPU figures in the document: zeros");
}

/* The rule of fio_fault_bound(), at its edges. */
static void test_fault_bound(void)
{
	static const struct {
		uint64_t minf, majf, read, write;
		double sys;
		bool bound;
		const char *why, *name;
	} cases[] = {
		{ 262144, 0, 1 << 30, 0, 67.1, true, "262144 page faults for "
		  "262144 4 KiB pages moved", "a cold pass: a fault per page" },
		{ 262143, 0, 1 << 30, 0, 5, false, "",
		  "one fault short of a fault per page, little system time" },
		{ 262143, 1, 1 << 30, 0, 5, true, "262144 page faults",
		  "major faults count too" },
		{ 262144, 0, 1 << 29, 1 << 29, 1, true, "for 262144 4 KiB pages",
		  "both directions' bytes count" },
		{ 262144, 0, 1 << 30, 1 << 30, 1, false, "",
		  "a fault per two pages, little system time" },
		{ 311296, 0, (uint64_t)4 << 30, 0, 44, true, "44% of its time in "
		  "the kernel", "loops: each pass faults again, less than a "
		  "fault per page, much system time" },
		{ 0, 0, (uint64_t)10 << 30, 0, FIO_SYS_CPU_BOUND, true,
		  "10% of its time", "system time at the bound" },
		{ 0, 0, (uint64_t)10 << 30, 0, 9.99, false, "",
		  "warm: no faults, system time under the bound" },
		{ 5, 0, 0, 0, 0, false, "", "nothing moved: no verdict" },
		{ 1, 0, 100, 0, 0, true, "1 page fault for 1 4 KiB page moved",
		  "less than a page moved rounds up to a page" },
	};
	struct fio_result r;
	char why[200];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.minf = cases[i].minf;
		r.majf = cases[i].majf;
		r.read.io_bytes = cases[i].read;
		r.write.io_bytes = cases[i].write;
		r.sys_cpu = cases[i].sys;
		strcpy(why, "stale");
		CHECK(fio_fault_bound(&r, why, sizeof(why)) == cases[i].bound &&
		      (cases[i].bound ? strstr(why, cases[i].why) != NULL :
		       why[0] == '\0'),
		      "fault-bound: %s (%s)", cases[i].name, why);
	}
}

/* fio_job_warm(): the ramp from the cold pass, the measured time, and
 * the job file that says so. */
static void test_warm(void)
{
	static const struct {
		unsigned runtime_ms, ramp_ms;
		uint64_t cold, measured;
		unsigned want_ramp, want_runtime;
		const char *name;
	} cases[] = {
		{ 0, 0, 4000, 300, 6250, 1000, "loops: ramp 3/2 of the cold pass "
		  "and 250 ms; at least 1 s measured" },
		{ 0, 0, 1, 2500, 251, 2500, "loops: measured as long as daxtool's "
		  "own run" },
		{ 5000, 0, 4000, 300, 6250, 5000, "--runtime: kept" },
		{ 5000, 20000, 4000, 300, 20000, 5000, "--ramp-time longer than "
		  "the computed ramp: kept" },
		{ 0, 0, 0, 0, FIO_RAMP_GUESS_MS, FIO_MIN_RUNTIME_MS,
		  "no cold pass known: the guess" },
		{ 2000, 3000, 0, 0, 3000, 2000, "no cold pass known: --ramp-time "
		  "instead of the guess" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fio_job j = {
			.engine = FIO_MMAP, .filename = "/dev/shm/f",
			.size = 1 << 30, .bs = 4096, .rw = "read", .loops = 4,
			.runtime_ms = cases[i].runtime_ms,
			.ramp_ms = cases[i].ramp_ms,
		};

		fio_job_warm(&j, cases[i].cold, cases[i].measured);
		CHECK(j.warm && j.ramp_ms == cases[i].want_ramp &&
		      j.runtime_ms == cases[i].want_runtime,
		      "warm: %s (ramp %u ms, runtime %u ms)", cases[i].name,
		      j.ramp_ms, j.runtime_ms);
	}

	struct fio_job j = {
		.engine = FIO_MMAP, .filename = "/dev/shm/f", .size = 1 << 30,
		.bs = 4096, .rw = "read", .loops = 4,
	};
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	fio_job_warm(&j, 4000, 300);
	f = open_memstream(&text, &len);
	if (!f) {
		CHECK(0, "warm job: open_memstream");
		return;
	}
	fio_job_write(f, &j);
	fclose(f);
	CHECK(strstr(text, "time_based=1\nruntime=1000ms\nramp_time=6250ms\n") &&
	      !strstr(text, "loops=") && strstr(text, "# warm: time_based"),
	      "warm job: time_based, runtime and ramp_time in ms, no loops, "
	      "said in a comment");
	free(text);
}

static void test_errors(void)
{
	static const struct { const char *json, *err; } bad[] = {
		{ "fio: failed to open file\n", "not JSON" },
		{ "{ \"fio version\" : \"fio-3.33\" }", "has no jobs" },
		{ "{ \"jobs\" : [] }", "has no jobs" },
		{ "{ \"jobs\" : {} }", "has no jobs" },
		{ "{ \"jobs\" : [ { \"read\" : {} } ] }", "no read or write" },
		{ "{ \"jobs\" : [ { \"read\" : {}, \"write\" : {} ", "not JSON" },
	};
	struct fio_result r;
	char err[160];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CHECK(fio_parse(bad[i].json, &r, err, sizeof(err)) < 0 &&
		      strstr(err, bad[i].err),
		      "parse: refused, '%s' (%s)", bad[i].err, err);
	}
	CHECK(fio_parse("{ \"jobs\" : [ { \"error\" : 5, \"read\" : {}, "
			"\"write\" : {} } ] }", &r, err, sizeof(err)) == 0 &&
	      r.error == 5, "parse: fio's own job error is read");
}

static void test_job(void)
{
	struct fio_job j = {
		.engine = FIO_LIBPMEM, .filename = "/mnt/xfs/f", .size = 64 << 20,
		.bs = 4096, .rw = "randrw", .rwmixread = 70, .numjobs = 2,
		.loops = 3, .seed = 42, .direct = true,
	};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f) {
		CHECK(0, "job: open_memstream");
		return;
	}
	fio_job_write(f, &j);
	fclose(f);
	CHECK(strstr(text, "ioengine=libpmem\nfilename=/mnt/xfs/f\n") &&
	      strstr(text, "size=33554432\noffset_increment=33554432\n") &&
	      strstr(text, "rw=randrw\nrwmixread=70\n") &&
	      strstr(text, "numjobs=2\n") && strstr(text, "loops=3\n") &&
	      strstr(text, "direct=1\nrandseed=42\n") && !strstr(text, "runtime="),
	      "job: the engine, each job's slice, the mix, loops and seed");
	free(text);
	CHECK(!strcmp(fio_engine_names[FIO_DEVDAX], "dev-dax") &&
	      !strcmp(fio_engine_names[FIO_MMAP], "mmap"),
	      "job: fio's names of its engines");
}

int main(void)
{
	test_parse();
	test_errors();
	test_fault_bound();
	test_job();
	test_warm();
	TAP_EXIT();
}
