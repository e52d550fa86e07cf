/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libpmem, loaded when a benchmark starts (daxtool/dlib.h): only the
 * benchmarks use it, and loading it costs more than a map or a check.
 */
#ifndef BENCH_PMEM_H
#define BENCH_PMEM_H

#include <stdbool.h>
#include <libpmem.h>

#include "daxtool/dlib.h"

#define PMEM_FNS(X) X(pmem_flush) X(pmem_has_auto_flush) X(pmem_is_pmem) \
	X(pmem_map_file) X(pmem_memcpy) X(pmem_msync) X(pmem_persist) \
	X(pmem_unmap)

struct bench_pmem { PMEM_FNS(DT_DLIB_PTR) };
extern struct bench_pmem pm;

/* Load it (once); false with the reason in *why. */
bool bench_pmem_load(const char **why);

#endif
