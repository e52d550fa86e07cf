// SPDX-License-Identifier: GPL-2.0-only
/*
 * chaseloop: the smallest pointer chase that is still right, as the
 * yardstick for `daxtool bench latency` (as faultloop is for faults). It
 * shares no code with daxtool on purpose: the chase is written again
 * here, in the plainest way, so that the two can be set against each
 * other.
 *
 *   chaseloop [--size N] [--ws N] [--seed S] [--stride N] [--repeat R]
 *             [--pages 4k|2m] FILE|anon
 *
 * Maps FILE (a file or a device-DAX device, MAP_SHARED) or anonymous
 * memory (MAP_PRIVATE, as daxtool's emulated target) at a 2 MiB-aligned
 * address (1 GiB from 1 GiB up), --size bytes (default: the file's size;
 * for anon and devices it must be given). Over the first --ws bytes
 * (default: all) it links the --stride (64) byte lines into one random
 * cycle, Sattolo's algorithm with splitmix64 from --seed (0), which
 * OVERWRITES them; walks one lap untimed; then times --repeat (5) runs of
 * max(lines, 2^20) dependent loads, rounded up to 16, and prints the
 * median and the fastest in ns per load, on one line:
 *
 *   ws 16384 lines 256 loads 1048576 ns_per_load 1.02 min 1.01 pmd_kib 0
 *
 * pmd_kib: the mapping's 2 MiB-mapped memory as smaps counts it
 * (AnonHugePages, ShmemPmdMapped, FilePmdMapped; fsdax and device-DAX
 * mappings are not counted there). --pages asks for 4 KiB or 2 MiB pages
 * with madvise (default: what the kernel gives). It runs on the first CPU
 * it may use.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "loops.h"

#define MIN_LOADS ((uint64_t)1 << 20)

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [0, n) */
static uint64_t below(uint64_t *s, uint64_t n)
{
	unsigned __int128 m = (unsigned __int128)splitmix64(s) * n;

	if ((uint64_t)m < n) {
		uint64_t t = -n % n;

		while ((uint64_t)m < t)
			m = (unsigned __int128)splitmix64(s) * n;
	}
	return (uint64_t)(m >> 64);
}

static __attribute__((noinline)) void *chase(void *p, uint64_t n)
{
	for (uint64_t i = n / 16; i; i--) {
#define L p = *(void **)p;
		L L L L L L L L L L L L L L L L
#undef L
	}
	for (uint64_t i = n % 16; i; i--)
		p = *(void **)p;
	return p;
}

static int parse_size(const char *s, uint64_t *v)
{
	char *end;
	unsigned shift = 0;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (end == s || errno || *s == '-')
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	}
	if (*end || (shift && *v > (UINT64_MAX >> shift)))
		return -1;
	*v <<= shift;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void usage(void)
{
	fprintf(stderr, "usage: chaseloop [--size N] [--ws N] [--seed S] "
		"[--stride N] [--repeat R] [--pages 4k|2m] FILE|anon\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "ws", required_argument, NULL, 'w' },
		{ "seed", required_argument, NULL, 'S' },
		{ "stride", required_argument, NULL, 't' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "pages", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t size = 0, ws = 0, seed = 0, stride = 64, repeat = 5;
	uint64_t lines, loads, align, rs;
	int opt, advice = -1, fd = -1;
	const char *path;
	char *base, *map;
	double per[1000];
	void *p;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		uint64_t *dst = opt == 's' ? &size : opt == 'w' ? &ws :
				opt == 'S' ? &seed : opt == 't' ? &stride :
				opt == 'r' ? &repeat : NULL;

		if (opt == 'p') {
			if (!strcmp(optarg, "4k") || !strcmp(optarg, "4K"))
				advice = MADV_NOHUGEPAGE;
			else if (!strcmp(optarg, "2m") || !strcmp(optarg, "2M"))
				advice = MADV_HUGEPAGE;
			else {
				fprintf(stderr, "chaseloop: --pages: "
					"4k or 2m\n");
				return 2;
			}
			continue;
		}
		if (!dst) {
			usage();
			return 2;
		}
		if (parse_size(optarg, dst) < 0) {
			fprintf(stderr, "chaseloop: %s: not a number\n",
				optarg);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage();
		return 2;
	}
	path = argv[optind];
	if (!stride || stride % sizeof(void *) || !repeat || repeat > 1000) {
		fprintf(stderr, "chaseloop: the stride must be a multiple of "
			"8, the repeats 1 to 1000\n");
		return 2;
	}
	if (strcmp(path, "anon")) {
		struct stat st;

		fd = open(path, O_RDWR);
		if (fd < 0 || fstat(fd, &st) < 0) {
			fprintf(stderr, "chaseloop: %s: %s\n", path,
				strerror(errno));
			return 1;
		}
		if (S_ISREG(st.st_mode)) {
			if (!size)
				size = (uint64_t)st.st_size;
			if (size > (uint64_t)st.st_size) {
				fprintf(stderr, "chaseloop: %s: %lld bytes, "
					"fewer than --size\n", path,
					(long long)st.st_size);
				return 1;
			}
		}
	}
	if (!size) {
		fprintf(stderr, "chaseloop: %s: give --size\n", path);
		return 2;
	}
	if (!ws)
		ws = size;
	lines = ws / stride;
	if (ws > size || !lines) {
		fprintf(stderr, "chaseloop: --ws must be one line (%llu "
			"bytes) to --size\n", (unsigned long long)stride);
		return 2;
	}
	pin_first_cpu();

	align = size >= (1ULL << 30) ? 1ULL << 30 : 2ULL << 20;
	rs = size + align;
	base = mmap(NULL, rs, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
		    MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		perror("chaseloop: mmap");
		return 1;
	}
	map = (char *)(((uintptr_t)base + align - 1) & ~(uintptr_t)(align - 1));
	map = fd < 0 ? mmap(map, size, PROT_READ | PROT_WRITE, MAP_PRIVATE |
			    MAP_ANONYMOUS | MAP_FIXED, -1, 0) :
		       mmap(map, size, PROT_READ | PROT_WRITE, MAP_SHARED |
			    MAP_FIXED, fd, 0);
	if (map == MAP_FAILED) {
		fprintf(stderr, "chaseloop: mmap %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	if (advice >= 0 && madvise(map, size, advice) < 0) {
		perror("chaseloop: madvise");
		return 1;
	}

	/* Sattolo: every line to itself, then swap i's with a j < i's */
	for (uint64_t i = 0; i < lines; i++)
		*(void **)(map + i * stride) = map + i * stride;
	for (uint64_t i = lines - 1; i > 0; i--) {
		void **a = (void **)(map + i * stride);
		void **b = (void **)(map + below(&seed, i) * stride);
		void *t = *a;

		*a = *b;
		*b = t;
	}

	loads = lines > MIN_LOADS ? lines : MIN_LOADS;
	loads = (loads + 15) / 16 * 16;
	p = chase(map, lines < loads ? lines : loads);
	for (uint64_t r = 0; r < repeat; r++) {
		uint64_t t0 = now_ns();

		p = chase(p, loads);
		per[r] = (double)(now_ns() - t0) / (double)loads;
	}
	qsort(per, repeat, sizeof(per[0]), cmp_double);
	printf("ws %llu lines %llu loads %llu ns_per_load %.2f min %.2f "
	       "pmd_kib %ld\n", (unsigned long long)(lines * stride),
	       (unsigned long long)lines, (unsigned long long)loads,
	       repeat % 2 ? per[repeat / 2] :
	       (per[repeat / 2 - 1] + per[repeat / 2]) / 2, per[0],
	       pmd_kib(map));
	return p == NULL;	/* uses the end of the chase: never NULL */
}
