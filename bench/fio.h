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
	unsigned runtime_ms;	/* 0: run the loops; else time_based */
	unsigned loops;
	unsigned ramp_ms;	/* fio's ramp_time: run unmeasured first */
	uint64_t seed;
	bool direct;		/* libpmem: non-temporal stores */
	bool force_pmem;	/* the job runs with PMEM_IS_PMEM_FORCE=1 */
	bool warm;		/* made by fio_job_warm() */
};

struct fio_dir {
	uint64_t io_bytes, bw_bytes, runtime_ms;
	double iops, lat_mean_ns;
};

struct fio_result {
	struct fio_dir read, write;
	/* of the measured part (fio resets them when ramp_time ends),
	 * summed over the jobs: page faults, and CPU time in percent of
	 * the runtime */
	uint64_t minf, majf;
	double usr_cpu, sys_cpu;
	int error;		/* fio's own per-job error */
	char version[32];
};

/*
 * The warm-up. fio's engines that map the target (mmap, libpmem,
 * dev-dax) map it when a loop opens the file and unmap it when the loop
 * closes it, so every pass of `loops` faults every page again, and an
 * extra loop cannot warm the next. Only a time_based run keeps one
 * mapping, wrapping around at the end of the region, and its ramp_time
 * is unmeasured: fio resets the bandwidth, the latencies and the fault
 * and CPU counters when the ramp ends. So a warm job is time_based,
 * with a ramp of one cold pass (as long as fio took for it, measured
 * first) times 3/2 plus FIO_RAMP_EXTRA_MS, and measures for the given
 * time: the job's runtime, else @measured_ms (daxtool's own run), at
 * least FIO_MIN_RUNTIME_MS. The job's own ramp is kept where it is
 * longer. An unknown (0) cold pass leaves the job's own ramp, or where
 * it has none gives FIO_RAMP_GUESS_MS; an unknown measured time gives
 * FIO_MIN_RUNTIME_MS.
 */
#define FIO_RAMP_EXTRA_MS 250
#define FIO_RAMP_GUESS_MS 10000
#define FIO_MIN_RUNTIME_MS 1000
void fio_job_warm(struct fio_job *j, uint64_t cold_pass_ms,
		  uint64_t measured_ms);

/*
 * fio was fault-bound, its bandwidth a measure of page faults more than
 * of memory, where in its measured part it took at least one fault
 * (minor or major) per 4 KiB it moved (every page of the region faulted
 * on every pass), or spent FIO_SYS_CPU_BOUND percent or more of its
 * time in the kernel (its engines make no system call per operation:
 * that time is faults). Returns the verdict, and @why says which
 * measure decided, with the numbers.
 */
#define FIO_SYS_CPU_BOUND 10.0
bool fio_fault_bound(const struct fio_result *r, char *why, size_t len);

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
