/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the reference loops of bench/tools share with each other, and
 * nothing with daxtool: how much of a mapping smaps counts as mapped with
 * 2 MiB pages.
 */
#ifndef DAXTOOL_BENCH_TOOLS_PMD_KIB_H
#define DAXTOOL_BENCH_TOOLS_PMD_KIB_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

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
