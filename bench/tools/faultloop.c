// SPDX-License-Identifier: GPL-2.0-only
/*
 * faultloop: the smallest fault benchmark that is still right, as the
 * yardstick for `daxtool bench fault` (bench/b-fault.sh): map, touch one
 * byte per page, read the clock and getrusage around the whole loop. No
 * per-fault timing, no statistics, nothing to get in the way.
 *
 *   faultloop [-2] [-H] [-p] SIZE_MIB
 *
 *   -2   2 MiB pages: MADV_HUGEPAGE and one touch per 2 MiB (default:
 *        MADV_NOHUGEPAGE and one touch per 4 KiB)
 *   -H   hugetlb: a memfd of 2 MiB pages, allocated up front (as daxtool's
 *        hugetlb target), instead of anonymous memory
 *   -p   prewarm: touch and free SIZE of memory first (as --prewarm)
 *
 * It runs on the first CPU it may use, as daxtool's first thread does.
 * Prints: "touches N faults N ns N ns_per_touch X".
 */
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "loops.h"

#define PMD (2UL << 20)

#ifndef MFD_HUGE_2MB
#define MFD_HUGE_2MB (21U << 26)
#endif

static long faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt + ru.ru_majflt;
}

static void prewarm(size_t size)
{
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return;
	madvise(p, size, MADV_HUGEPAGE);
	for (size_t off = 0; off < size; off += 4096)
		p[off] = 0x5a;
	munmap(p, size);
}

int main(int argc, char **argv)
{
	int opt, huge = 0, hugetlb = 0, warm = 0, fd = -1;
	size_t size, step;
	char *base, *map;
	uint64_t t0, t1;
	long f0, f1;

	while ((opt = getopt(argc, argv, "2Hp")) != -1) {
		switch (opt) {
		case '2': huge = 1; break;
		case 'H': hugetlb = huge = 1; break;
		case 'p': warm = 1; break;
		default: return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: faultloop [-2] [-H] [-p] SIZE_MIB\n");
		return 2;
	}
	size = strtoul(argv[optind], NULL, 10) << 20;
	step = huge ? PMD : 4096;
	if (!size || size % PMD) {
		fprintf(stderr, "faultloop: SIZE_MIB must be a multiple of 2\n");
		return 2;
	}
	pin_first_cpu();
	if (hugetlb) {
		fd = memfd_create("faultloop", MFD_HUGETLB | MFD_HUGE_2MB);
		if (fd < 0 || fallocate(fd, 0, 0, (off_t)size) < 0) {
			perror("faultloop: hugetlb");
			return 1;
		}
	}
	if (warm && !hugetlb)
		prewarm(size);
	/* a 2 MiB-aligned address, as daxtool maps */
	base = mmap(NULL, size + PMD, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
		    MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		perror("faultloop: mmap");
		return 1;
	}
	map = (char *)(((uintptr_t)base + PMD - 1) & ~(PMD - 1));
	map = hugetlb ? mmap(map, size, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_FIXED, fd, 0) :
			mmap(map, size, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (map == MAP_FAILED) {
		perror("faultloop: mmap");
		return 1;
	}
	if (!hugetlb)
		madvise(map, size, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);

	f0 = faults();
	t0 = now_ns();
	for (size_t off = 0; off < size; off += step)
		*(volatile char *)(map + off) = 0x5a;
	t1 = now_ns();
	f1 = faults();

	printf("touches %zu faults %ld ns %llu ns_per_touch %.1f\n",
	       size / step, f1 - f0, (unsigned long long)(t1 - t0),
	       (double)(t1 - t0) / (double)(size / step));
	return 0;
}
