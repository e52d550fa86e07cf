// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copy and persistence methods for bench rw. The vector loops are built
 * for their instruction set with target attributes and only called after
 * __builtin_cpu_supports() says the CPU has it.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <immintrin.h>

#include "copy.h"
#include "pmem.h"

/* ---- plain libc -------------------------------------------------------- */

static uint64_t memcpy_read(void *buf, const void *map, size_t len)
{
	memcpy(buf, map, len);
	return 0;
}

static void memcpy_write(void *map, const void *buf, size_t len)
{
	memcpy(map, buf, len);
}

/* ---- AVX2: 32-byte vectors, 4 per 128-byte step ------------------------- */

__attribute__((target("avx2")))
static uint64_t avx2_load(void *buf, const void *map, size_t len)
{
	const __m256i *s = map;
	__m256i acc = _mm256_setzero_si256();

	(void)buf;
	for (size_t i = 0; i < len / 32; i += 4)
		acc = _mm256_xor_si256(acc, _mm256_xor_si256(
			_mm256_xor_si256(_mm256_load_si256(s + i), _mm256_load_si256(s + i + 1)),
			_mm256_xor_si256(_mm256_load_si256(s + i + 2), _mm256_load_si256(s + i + 3))));
	return (uint64_t)_mm256_extract_epi64(acc, 0) ^ (uint64_t)_mm256_extract_epi64(acc, 3);
}

__attribute__((target("avx2")))
static void avx2_store(void *map, const void *buf, size_t len)
{
	__m256i *d = map;
	const __m256i *s = buf;

	for (size_t i = 0; i < len / 32; i += 4) {
		_mm256_store_si256(d + i, _mm256_load_si256(s + i));
		_mm256_store_si256(d + i + 1, _mm256_load_si256(s + i + 1));
		_mm256_store_si256(d + i + 2, _mm256_load_si256(s + i + 2));
		_mm256_store_si256(d + i + 3, _mm256_load_si256(s + i + 3));
	}
}

__attribute__((target("avx2")))
static uint64_t avx2_load_nt(void *buf, const void *map, size_t len)
{
	const __m256i *s = map;
	__m256i acc = _mm256_setzero_si256();

	(void)buf;
	for (size_t i = 0; i < len / 32; i += 4)
		acc = _mm256_xor_si256(acc, _mm256_xor_si256(
			_mm256_xor_si256(_mm256_stream_load_si256(s + i), _mm256_stream_load_si256(s + i + 1)),
			_mm256_xor_si256(_mm256_stream_load_si256(s + i + 2), _mm256_stream_load_si256(s + i + 3))));
	return (uint64_t)_mm256_extract_epi64(acc, 0) ^ (uint64_t)_mm256_extract_epi64(acc, 3);
}

__attribute__((target("avx2")))
static void avx2_store_nt(void *map, const void *buf, size_t len)
{
	__m256i *d = map;
	const __m256i *s = buf;

	for (size_t i = 0; i < len / 32; i += 4) {
		_mm256_stream_si256(d + i, _mm256_load_si256(s + i));
		_mm256_stream_si256(d + i + 1, _mm256_load_si256(s + i + 1));
		_mm256_stream_si256(d + i + 2, _mm256_load_si256(s + i + 2));
		_mm256_stream_si256(d + i + 3, _mm256_load_si256(s + i + 3));
	}
	_mm_sfence();	/* streaming stores are weakly ordered */
}

/* ---- AVX-512: 64-byte vectors, 4 per 256-byte step ---------------------- */

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
static uint64_t avx512_load(void *buf, const void *map, size_t len)
{
	const __m512i *s = map;
	__m512i acc = _mm512_setzero_si512();

	(void)buf;
	for (size_t i = 0; i < len / 64; i += 4)
		acc = _mm512_xor_si512(acc, _mm512_xor_si512(
			_mm512_xor_si512(_mm512_load_si512(s + i), _mm512_load_si512(s + i + 1)),
			_mm512_xor_si512(_mm512_load_si512(s + i + 2), _mm512_load_si512(s + i + 3))));
	return fold512(acc);
}

__attribute__((target("avx512f")))
static void avx512_store(void *map, const void *buf, size_t len)
{
	__m512i *d = map;
	const __m512i *s = buf;

	for (size_t i = 0; i < len / 64; i += 4) {
		_mm512_store_si512(d + i, _mm512_load_si512(s + i));
		_mm512_store_si512(d + i + 1, _mm512_load_si512(s + i + 1));
		_mm512_store_si512(d + i + 2, _mm512_load_si512(s + i + 2));
		_mm512_store_si512(d + i + 3, _mm512_load_si512(s + i + 3));
	}
}

__attribute__((target("avx512f")))
static uint64_t avx512_load_nt(void *buf, const void *map, size_t len)
{
	const __m512i *s = map;
	__m512i acc = _mm512_setzero_si512();

	(void)buf;
	for (size_t i = 0; i < len / 64; i += 4)
		acc = _mm512_xor_si512(acc, _mm512_xor_si512(
			_mm512_xor_si512(_mm512_stream_load_si512((void *)(s + i)),
					 _mm512_stream_load_si512((void *)(s + i + 1))),
			_mm512_xor_si512(_mm512_stream_load_si512((void *)(s + i + 2)),
					 _mm512_stream_load_si512((void *)(s + i + 3)))));
	return fold512(acc);
}

__attribute__((target("avx512f")))
static void avx512_store_nt(void *map, const void *buf, size_t len)
{
	__m512i *d = map;
	const __m512i *s = buf;

	for (size_t i = 0; i < len / 64; i += 4) {
		_mm512_stream_si512(d + i, _mm512_load_si512(s + i));
		_mm512_stream_si512(d + i + 1, _mm512_load_si512(s + i + 1));
		_mm512_stream_si512(d + i + 2, _mm512_load_si512(s + i + 2));
		_mm512_stream_si512(d + i + 3, _mm512_load_si512(s + i + 3));
	}
	_mm_sfence();
}

/* ---- libpmem: its own choice of instructions, with its flags ------------ */

#define PMEM_WRITE(name, flags)						\
static void name(void *map, const void *buf, size_t len)		\
{									\
	pm.pmem_memcpy(map, buf, len, (flags));				\
}
PMEM_WRITE(pmem_write, 0)
PMEM_WRITE(pmem_write_nodrain, PMEM_F_MEM_NODRAIN)
PMEM_WRITE(pmem_write_nt, PMEM_F_MEM_NONTEMPORAL)
PMEM_WRITE(pmem_write_t, PMEM_F_MEM_TEMPORAL)

/* reads through libpmem are plain loads: memcpy */

const struct copy_method copy_methods[] = {
	{ "memcpy", "libc memcpy", NULL, memcpy_read, memcpy_write, false, false },
	{ "avx2", "AVX2 load/store loop", "avx2", avx2_load, avx2_store, false, false },
	{ "avx2-nt", "AVX2 loop, non-temporal stores", "avx2", avx2_load_nt, avx2_store_nt, true, false },
	{ "avx512", "AVX-512 load/store loop", "avx512f", avx512_load, avx512_store, false, false },
	{ "avx512-nt", "AVX-512 loop, non-temporal stores", "avx512f", avx512_load_nt, avx512_store_nt, true, false },
	{ "pmem", "libpmem pmem_memcpy, persist", NULL, memcpy_read, pmem_write, false, true },
	{ "pmem-nodrain", "libpmem pmem_memcpy, PMEM_F_MEM_NODRAIN", NULL, memcpy_read, pmem_write_nodrain, false, false },
	{ "pmem-nt", "libpmem pmem_memcpy, PMEM_F_MEM_NONTEMPORAL", NULL, memcpy_read, pmem_write_nt, true, true },
	{ "pmem-t", "libpmem pmem_memcpy, PMEM_F_MEM_TEMPORAL", NULL, memcpy_read, pmem_write_t, false, true },
};
const unsigned nr_copy_methods = sizeof(copy_methods) / sizeof(copy_methods[0]);

/* A flag of /proc/cpuinfo (clwb, clflushopt: not in __builtin_cpu_supports). */
static bool cpu_flag(const char *flag)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[4096];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *p;

		if (strncmp(line, "flags", 5))
			continue;
		for (p = strstr(line, flag); p && !found; p = strstr(p + 1, flag))
			found = (p[-1] == ' ' || p[-1] == '\t') &&
				(p[strlen(flag)] == ' ' || p[strlen(flag)] == '\n');
		break;
	}
	fclose(f);
	return found;
}

static bool cpu_has(const char *feature)
{
	/* a test hook: act as if the CPU lacked a feature */
	const char *lacks = getenv("DAXTOOL_TEST_CPU_LACKS");

	if (lacks && strstr(lacks, feature))
		return false;
	__builtin_cpu_init();
	if (!strcmp(feature, "avx2"))
		return __builtin_cpu_supports("avx2");
	if (!strcmp(feature, "avx512f"))
		return __builtin_cpu_supports("avx512f");
	return false;
}

const struct copy_method *copy_method_find(const char *name, const char **why)
{
	static char msg[400];

	for (unsigned i = 0; i < nr_copy_methods; i++) {
		const struct copy_method *m = &copy_methods[i];

		if (strcmp(m->name, name))
			continue;
		if (m->feature && !cpu_has(m->feature)) {
			snprintf(msg, sizeof(msg), "--copy %s needs %s, which "
				 "this CPU lacks", name, !strcmp(m->feature,
				 "avx512f") ? "AVX-512F" : "AVX2");
			*why = msg;
			return NULL;
		}
		return m;
	}
	snprintf(msg, sizeof(msg), "unknown copy method '%s' (one of %s)",
		 name, copy_method_names());
	*why = msg;
	return NULL;
}

const char *copy_method_names(void)
{
	static char names[256];

	if (!names[0])
		for (unsigned i = 0; i < nr_copy_methods; i++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names),
				 "%s%s", i ? "|" : "", copy_methods[i].name);
	return names;
}

const char *copy_default(void)
{
	return "memcpy";
}

/* an environment variable set to a value other than "0" */
static bool env_on(const char *name, bool dflt)
{
	const char *v = getenv(name);

	return v ? strcmp(v, "0") != 0 : dflt;
}

const char *copy_flush_path(void)
{
	__builtin_cpu_init();
	if (pm.pmem_has_auto_flush() == 1)
		return "none (eADR: the CPU caches are persistent)";
	if (env_on("PMEM_NO_FLUSH", false))
		return "none (PMEM_NO_FLUSH)";
	if (!env_on("PMEM_NO_CLWB", false) &&
	    cpu_flag("clwb"))
		return "clwb";
	if (!env_on("PMEM_NO_CLFLUSHOPT", false) && cpu_flag("clflushopt"))
		return "clflushopt";
	return "clflush";
}

const char *copy_memcpy_path(void)
{
	__builtin_cpu_init();
	if (env_on("PMEM_NO_MOVNT", false))
		return "mov (PMEM_NO_MOVNT)";
	if (__builtin_cpu_supports("avx512f") && env_on("PMEM_AVX512F", false))
		return "movnt avx512f";
	if (__builtin_cpu_supports("avx") && env_on("PMEM_AVX", true))
		return "movnt avx";
	return "movnt sse2";
}

const char *const persist_names[] = {
	[PERSIST_NONE] = "none", [PERSIST_FLUSH] = "flush",
	[PERSIST_DRAIN] = "drain", [PERSIST_MSYNC] = "msync",
	[PERSIST_MAP_SYNC] = "map_sync", [PERSIST_NR] = NULL,
};

int persist_range(enum persist_method m, void *addr, size_t len)
{
	switch (m) {
	case PERSIST_NONE:
		return 0;
	case PERSIST_FLUSH:
		pm.pmem_flush(addr, len);
		return 0;
	case PERSIST_DRAIN:
	case PERSIST_MAP_SYNC:
		pm.pmem_persist(addr, len);
		return 0;
	case PERSIST_MSYNC:
		return pm.pmem_msync(addr, len) ? -errno : 0;
	case PERSIST_NR:
		break;
	}
	return -EINVAL;
}
