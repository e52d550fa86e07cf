// SPDX-License-Identifier: GPL-2.0-only
/*
 * The clock: CLOCK_MONOTONIC through the vDSO, some 20 ns a reading where
 * the clocksource is the TSC, against a 4 KiB fault of 1 µs or more. A
 * raw rdtsc would save half of that but needs its own calibration and is
 * not safe to trust on every virtual machine; the saving is under 1% of
 * a fault, so the clock everybody can check wins.
 *
 * The fault loop reads the clock once per touch and takes the difference
 * to the previous reading (see fault.c), so each sample carries exactly
 * one reading's cost: that is the overhead measured here and reported.
 */
#include <stdlib.h>
#include <time.h>

#include "bench.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void bench_timer_calibrate(struct bench_timer *tm)
{
	enum { ROUNDS = 15, READS = 20000 };
	double per[ROUNDS];
	struct timespec res;

	tm->clock = "CLOCK_MONOTONIC";
	tm->resolution_ns = clock_getres(CLOCK_MONOTONIC, &res) ? 0 :
		(uint64_t)res.tv_sec * 1000000000ULL + (uint64_t)res.tv_nsec;
	/* the median of several rounds: one preempted round must not count */
	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = bench_now(), t = t0;

		for (int i = 0; i < READS; i++)
			t = bench_now();
		per[r] = (double)(t - t0) / READS;
	}
	qsort(per, ROUNDS, sizeof(per[0]), cmp_double);
	tm->overhead_ns = per[ROUNDS / 2];
}
