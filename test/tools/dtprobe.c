// SPDX-License-Identifier: GPL-2.0-only
/*
 * dtprobe: measure what the kernel really did, as an oracle for tests.
 *
 *   dtprobe [-w] [-s SIZE] PATH OFFSET...
 *
 * Maps PATH (a file or a device-DAX device) shared, at a 2 MiB-aligned
 * address, the file offset congruent with it. For each OFFSET, touches
 * the byte there (a write with -w), then the next 4 KiB page if it is in
 * the same 2 MiB window, and prints one line:
 *
 *   OFFSET PHYS FAULTS_FIRST FAULTS_SECOND
 *
 * PHYS is the physical address of the byte, from /proc/self/pagemap (root
 * only; 0 otherwise); the fault counts are page faults (minor and
 * major) from getrusage.
 * A window mapped by one 2 MiB entry takes no fault on its second touch.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define PMD (2UL << 20)

/* minor and major: a DAX write fault that zeroes new or unwritten
 * blocks counts as major */
static long faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt + ru.ru_majflt;
}

static uint64_t phys_of(int pm, const volatile char *va)
{
	uint64_t e = 0, page = (uintptr_t)va / 4096;

	if (pm < 0 || pread(pm, &e, 8, (off_t)(page * 8)) != 8)
		return 0;
	if (!(e & (1ULL << 63)))
		return 0;			/* not present */
	e &= (1ULL << 55) - 1;			/* the PFN */
	return e * 4096 + ((uintptr_t)va & 4095);
}

int main(int argc, char **argv)
{
	int opt, write_ = 0, fd, pm;
	unsigned long long size = 0;
	struct stat st;
	char *base, *map;

	while ((opt = getopt(argc, argv, "ws:")) != -1) {
		if (opt == 'w')
			write_ = 1;
		else if (opt == 's')
			size = strtoull(optarg, NULL, 0);
		else
			return 2;
	}
	if (optind + 1 >= argc) {
		fprintf(stderr, "usage: dtprobe [-w] [-s SIZE] PATH OFFSET...\n");
		return 2;
	}
	fd = open(argv[optind], write_ ? O_RDWR : O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(argv[optind]);
		return 1;
	}
	if (!size)
		size = (unsigned long long)st.st_size;
	if (!size) {
		fprintf(stderr, "dtprobe: give -s SIZE for a device\n");
		return 2;
	}
	/* reserve, then map at the first 2 MiB boundary inside */
	base = mmap(NULL, size + PMD, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (base == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	map = (char *)(((uintptr_t)base + PMD - 1) & ~(PMD - 1));
	map = mmap(map, size, PROT_READ | (write_ ? PROT_WRITE : 0),
		   MAP_SHARED | MAP_FIXED, fd, 0);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	pm = open("/proc/self/pagemap", O_RDONLY);
	for (int i = optind + 1; i < argc; i++) {
		unsigned long long off = strtoull(argv[i], NULL, 0);
		volatile char *p = map + off;
		long f0, f1, f2;

		if (off >= size) {
			fprintf(stderr, "dtprobe: offset %llu past the end\n", off);
			return 1;
		}
		f0 = faults();
		if (write_)
			*p = (char)0x5a;
		else
			(void)*p;
		f1 = faults();
		if ((off & ~(PMD - 1)) == ((off + 4096) & ~(PMD - 1)) &&
		    off + 4096 < size) {
			if (write_)
				p[4096] = (char)0x5a;
			else
				(void)p[4096];
		}
		f2 = faults();
		printf("%llu %" PRIu64 " %ld %ld\n", off, phys_of(pm, p),
		       f1 - f0, f2 - f1);
	}
	return 0;
}
