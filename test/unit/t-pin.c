// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pinning (bench/pin.c): which CPU each thread of a run gets from a given
 * affinity mask. Threads take the mask's CPUs in turn, so under taskset
 * they stay on the CPUs allowed, and share them only when there are more
 * threads than CPUs.
 */
#include <sched.h>
#include <string.h>

#include "bench.h"
#include "tap.h"

static cpu_set_t mask_of(const int *cpus, unsigned n)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	for (unsigned i = 0; i < n; i++)
		CPU_SET(cpus[i], &set);
	return set;
}

/* The CPUs @nthreads threads get from a mask of @cpus, as a string. */
static const char *assign(const int *mcpus, unsigned m, unsigned nthreads)
{
	static char buf[256];
	int cpus[CPU_SETSIZE];
	cpu_set_t set = mask_of(mcpus, m);
	unsigned n = bench_cpus_of_mask(&set, cpus, CPU_SETSIZE);
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < nthreads && len < sizeof(buf) - 8; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%d",
					i ? " " : "", bench_thread_cpu(cpus, n, i));
	return buf;
}

static void test_masks(void)
{
	static const int all4[] = { 0, 1, 2, 3 }, odd[] = { 1, 3 },
			 high[] = { 5, 63, 64, 1023 }, one[] = { 7 };
	static const struct {
		const int *cpus;
		unsigned n, threads;
		const char *want, *what;
	} cases[] = {
		{ all4, 4, 4, "0 1 2 3", "4 threads on 4 CPUs: one each" },
		{ all4, 4, 2, "0 1", "2 threads on 4 CPUs: the first two" },
		{ odd, 2, 3, "1 3 1", "taskset -c 1,3, 3 threads: 1, 3, then 1 again" },
		{ odd, 2, 1, "1", "taskset -c 1,3, 1 thread: CPU 1, not CPU 0" },
		{ high, 4, 5, "5 63 64 1023 5", "CPUs past 63 and at the end of the set" },
		{ one, 1, 3, "7 7 7", "one CPU allowed: every thread on it" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *got = assign(cases[i].cpus, cases[i].n, cases[i].threads);

		CHECK(!strcmp(got, cases[i].want), "pin: %s (%s, want %s)",
		      cases[i].what, got, cases[i].want);
	}
}

static void test_counts(void)
{
	static const int cpus8[] = { 0, 2, 4, 6, 8, 10, 12, 14 };
	cpu_set_t set = mask_of(cpus8, 8), empty;
	int got[4];

	CHECK(bench_cpus_of_mask(&set, NULL, 0) == 8,
	      "count: a mask of 8 CPUs, counted without a list");
	CHECK(bench_cpus_of_mask(&set, got, 4) == 4 && got[0] == 0 && got[3] == 6,
	      "count: at most @max listed, in order");
	CPU_ZERO(&empty);
	CHECK(bench_cpus_of_mask(&empty, got, 4) == 0 &&
	      bench_thread_cpu(got, 0, 0) == -1,
	      "an empty mask: no CPU, threads not pinned (-1)");
}

static void test_own_mask(void)
{
	cpu_set_t set;
	int cpus[CPU_SETSIZE];
	unsigned n;

	if (sched_getaffinity(0, sizeof(set), &set) < 0) {
		printf("SKIP own mask: sched_getaffinity failed\n");
		return;
	}
	n = bench_cpus_allowed(cpus, CPU_SETSIZE);
	CHECK(n == (unsigned)CPU_COUNT(&set) && n > 0,
	      "own mask: as many CPUs as sched_getaffinity allows (%u)", n);
	for (unsigned i = 0; i < n; i++)
		if (!CPU_ISSET(cpus[i], &set)) {
			CHECK(0, "own mask: CPU %d is not in the mask", cpus[i]);
			return;
		}
	CHECK(1, "own mask: every CPU listed is allowed");
}

int main(void)
{
	test_masks();
	test_counts();
	test_own_mask();
	TAP_EXIT();
}
