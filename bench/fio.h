/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fio bridge: the same workload as a fio job, run by fio, and fio's
 * JSON read back with json-c, so daxtool's numbers stand beside fio's.
 */
#ifndef DAXTOOL_BENCH_FIO_H
#define DAXTOOL_BENCH_FIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* fio's ioengine for each kind of target */
enum fio_engine { FIO_DEVDAX, FIO_LIBPMEM, FIO_MMAP, FIO_NR_ENGINES };
extern const char *const fio_engine_names[];	/* "dev-dax", ... */

struct fio_job {
	enum fio_engine engine;
	const char *filename;
	uint64_t size;		/* in all; split between the jobs */
	uint64_t bs;
	const char *rw;		/* read, write, randread, ... */
	unsigned rwmixread;
	unsigned numjobs;
	unsigned runtime_s;	/* 0: run the loops */
	unsigned loops;
	unsigned ramp_s;
	uint64_t seed;
	bool direct;		/* libpmem: non-temporal stores */
	bool force_pmem;	/* the job runs with PMEM_IS_PMEM_FORCE=1 */
};

struct fio_dir {
	uint64_t io_bytes, bw_bytes, runtime_ms;
	double iops, lat_mean_ns;
};

struct fio_result {
	struct fio_dir read, write;
	int error;		/* fio's own per-job error */
	char version[32];
};

/* The job file, as fio reads it. */
void fio_job_write(FILE *f, const struct fio_job *j);
/* Is fio on PATH? */
bool fio_available(void);
/* Run @j through fio; 0, or -1 with @err saying why. */
int fio_run(const struct fio_job *j, struct fio_result *r, char *err,
	    size_t errlen);
/* Parse fio's --output-format=json document; 0 or -1 with @err. */
int fio_parse(const char *json, struct fio_result *r, char *err,
	      size_t errlen);

#endif
