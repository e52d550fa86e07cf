// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fio bridge (bench/fio.c): fio's --output-format=json read back, on
 * a document in the shape fio 3.x writes (notes before it, numbers as fio
 * types them), its failures, and the job file written for fio.
 */
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
	"      \"sys_cpu\" : 48.5,\n"
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
	test_job();
	TAP_EXIT();
}
