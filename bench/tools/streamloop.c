// SPDX-License-Identifier: GPL-2.0-only
/*
 * streamloop read|write SIZE LOOPS [anon|anon-2m|FILE]: the memory's
 * streaming limit, as near as a plain loop gets: AVX-512 loads, or
 * non-temporal stores copying from a 64 MiB source too large for the
 * caches (the same traffic a write that moves real data makes), over a
 * prefaulted region of SIZE bytes, LOOPS times. The region is anonymous
 * memory (anon: as the kernel gives it; anon-2m: 2 MiB-aligned, with
 * MADV_HUGEPAGE) or FILE mapped shared (a tmpfs file, say), so that a
 * comparison runs on the same kind of mapping as what it compares with.
 * Prints bytes per second, and the kB smaps counts as 2 MiB-mapped:
 *
 *   17234567890 pmd_kib 262144
 *
 * The rw benchmark sets daxtool's 2 MiB sequential figures against it.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <immintrin.h>

#include "loops.h"

__attribute__((target("avx512f")))
static uint64_t fold512(__m512i v)
{
	uint64_t lane[8], x = 0;

	_mm512_storeu_si512(lane, v);
	for (int i = 0; i < 8; i++)
		x ^= lane[i];	/* xor: sums of loaded data may overflow */
	return x;
}

__attribute__((target("avx512f")))
static uint64_t rd(const char *p, size_t len)
{
	__m512i acc = _mm512_setzero_si512();

	for (size_t i = 0; i < len; i += 256)
		acc = _mm512_xor_si512(acc, _mm512_xor_si512(
			_mm512_xor_si512(_mm512_load_si512(p + i), _mm512_load_si512(p + i + 64)),
			_mm512_xor_si512(_mm512_load_si512(p + i + 128), _mm512_load_si512(p + i + 192))));
	return fold512(acc);
}

#define SRC ((size_t)64 << 20)

__attribute__((target("avx512f")))
static void wr(char *p, const char *src, size_t len)
{
	for (size_t i = 0; i < len; i += 256) {
		const char *s = src + i % SRC;

		_mm512_stream_si512((void *)(p + i), _mm512_load_si512(s));
		_mm512_stream_si512((void *)(p + i + 64), _mm512_load_si512(s + 64));
		_mm512_stream_si512((void *)(p + i + 128), _mm512_load_si512(s + 128));
		_mm512_stream_si512((void *)(p + i + 192), _mm512_load_si512(s + 192));
	}
	_mm_sfence();
}

/* SIZE bytes of @what, at a 2 MiB boundary, prefaulted with real data */
static char *map_region(const char *what, size_t size)
{
	const size_t two_m = (size_t)2 << 20;
	int anon = !strncmp(what, "anon", 4), fd = -1;
	char *r, *p;

	if (!anon && (fd = open(what, O_RDWR)) < 0) {
		perror(what);
		return NULL;
	}
	r = mmap(NULL, size + two_m, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		return NULL;
	p = (char *)(((uintptr_t)r + two_m - 1) & ~(uintptr_t)(two_m - 1));
	p = mmap(p, size, PROT_READ | PROT_WRITE, MAP_FIXED | (anon ?
		 MAP_PRIVATE | MAP_ANONYMOUS : MAP_SHARED), fd, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (!strcmp(what, "anon-2m"))
		madvise(p, size, MADV_HUGEPAGE);
	memset(p, 0x5a, size);	/* real data, not the zero page */
	return p;
}

int main(int argc, char **argv)
{
	struct timespec a, b;
	size_t size;
	unsigned loops;
	uint64_t sink = 0;
	char *p, *src;

	if ((argc != 4 && argc != 5) || !__builtin_cpu_supports("avx512f")) {
		fprintf(stderr, "usage: streamloop read|write SIZE LOOPS "
			"[anon|anon-2m|FILE] (needs AVX-512F)\n");
		return 2;
	}
	size = strtoull(argv[2], NULL, 0) & ~(size_t)255;
	loops = (unsigned)atoi(argv[3]);
	p = map_region(argc == 5 ? argv[4] : "anon", size);
	src = aligned_alloc(4096, SRC);
	if (!p || !src)
		return 1;
	memset(src, 0xa5, SRC);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (unsigned l = 0; l < loops; l++) {
		if (argv[1][0] == 'r')
			sink ^= rd(p, size);
		else
			wr(p, src, size);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.0f pmd_kib %ld\n", (double)size * loops /
	       ((double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9),
	       pmd_kib(p));
	return sink == 42;	/* keeps the loads */
}
