// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pinning: thread i of a run goes to the i-th CPU the affinity mask
 * allows, round robin. Under taskset the mask is the CPUs given, and the
 * threads stay inside it; CPU numbers are never made up from a count.
 */
#include <sched.h>

#include "bench.h"

unsigned bench_cpus_of_mask(const cpu_set_t *mask, int *cpus, unsigned max)
{
	unsigned n = 0;

	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, mask))
			continue;
		if (cpus && n < max)
			cpus[n] = c;
		n++;
	}
	return cpus && n > max ? max : n;
}

unsigned bench_cpus_allowed(int *cpus, unsigned max)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 0;
	return bench_cpus_of_mask(&set, cpus, max);
}

int bench_thread_cpu(const int *cpus, unsigned ncpus, unsigned i)
{
	return ncpus ? cpus[i % ncpus] : -1;
}

void bench_pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);	/* best effort */
}
