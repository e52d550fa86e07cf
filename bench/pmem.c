// SPDX-License-Identifier: GPL-2.0-only
/* libpmem, loaded when a benchmark starts; see pmem.h. */
#include "pmem.h"

struct bench_pmem pm;
static struct dt_dlib pm_lib = DT_DLIB(DT_SO_PMEM, PMEM_FNS, pm);

bool bench_pmem_load(const char **why)
{
	bool ok = dt_dlib_load(&pm_lib);

	if (!ok && why)
		*why = pm_lib.err;
	return ok;
}
