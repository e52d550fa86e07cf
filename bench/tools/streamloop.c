// SPDX-License-Identifier: GPL-2.0-only
/*
 * streamloop read|write SIZE LOOPS: the memory's streaming limit, as near
 * as a plain loop gets: AVX-512 loads, or non-temporal stores copying from
 * a 64 MiB source too large for the caches (the same traffic a write that
 * moves real data makes), over a prefaulted region of SIZE bytes, LOOPS
 * times. Prints bytes per second. The rw benchmark sets daxtool's 2 MiB
 * sequential figures against it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <immintrin.h>

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

int main(int argc, char **argv)
{
	struct timespec a, b;
	size_t size;
	unsigned loops;
	uint64_t sink = 0;
	char *p, *src;

	if (argc != 4 || !__builtin_cpu_supports("avx512f")) {
		fprintf(stderr, "usage: streamloop read|write SIZE LOOPS (needs AVX-512F)\n");
		return 2;
	}
	size = strtoull(argv[2], NULL, 0) & ~(size_t)255;
	loops = (unsigned)atoi(argv[3]);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	src = aligned_alloc(4096, SRC);
	if (!src)
		return 1;
	memset(p, 0x5a, size);	/* real data, not the zero page */
	memset(src, 0xa5, SRC);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (unsigned l = 0; l < loops; l++) {
		if (argv[1][0] == 'r')
			sink ^= rd(p, size);
		else
			wr(p, src, size);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.0f\n", (double)size * loops / ((double)(b.tv_sec - a.tv_sec) +
						  (double)(b.tv_nsec - a.tv_nsec) / 1e9));
	return sink == 42;	/* keeps the loads */
}
