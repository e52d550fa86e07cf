/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the reference loops of bench/tools share with each other, and
 * nothing with daxtool: the clock, pinning to one CPU, and how much of a
 * mapping smaps counts as mapped with 2 MiB pages.
 */
#ifndef DAXTOOL_BENCH_TOOLS_LOOPS_H
#define DAXTOOL_BENCH_TOOLS_LOOPS_H

#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Run on the first CPU this process may use, so that a loop's timing is
 * one CPU's. */
static inline void pin_first_cpu(void)
{
	cpu_set_t set, one;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (CPU_ISSET(c, &set)) {
			CPU_ZERO(&one);
			CPU_SET(c, &one);
			sched_setaffinity(0, sizeof(one), &one);
			return;
		}
	}
}

/* kB mapped with 2 MiB pages in the mapping that starts at @start
 * (AnonHugePages, ShmemPmdMapped, FilePmdMapped; fsdax and device-DAX
 * mappings are not counted there); -1 if smaps cannot be read */
static inline long pmd_kib(const void *start)
{
	char want[32], buf[256];
	FILE *f = fopen("/proc/self/smaps", "r");
	int in = 0;
	long kib = 0, v;

	if (!f)
		return -1;
	snprintf(want, sizeof(want), "%lx-", (unsigned long)(uintptr_t)start);
	while (fgets(buf, sizeof(buf), f)) {
		if (!in) {
			in = !strncmp(buf, want, strlen(want));
			continue;
		}
		if (!strncmp(buf, "VmFlags:", 8))
			break;	/* the mapping's last line */
		if (sscanf(buf, "AnonHugePages: %ld", &v) == 1 ||
		    sscanf(buf, "ShmemPmdMapped: %ld", &v) == 1 ||
		    sscanf(buf, "FilePmdMapped: %ld", &v) == 1)
			kib += v;
	}
	fclose(f);
	return kib;
}

#endif
