/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How bench rw moves data: the copy methods (memcpy, vector load/store
 * loops with plain or non-temporal stores, libpmem's pmem_memcpy with its
 * flags) and the persistence methods (flush, drain, msync, MAP_SYNC).
 * Vector loops are chosen by name and refused, with the missing feature
 * named, where the CPU lacks it.
 */
#ifndef DAXTOOL_BENCH_COPY_H
#define DAXTOOL_BENCH_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A read copies @len bytes from the mapping at @map into @buf (or only
 * loads them, for the load loops, and returns a sum so the compiler
 * cannot drop the loads); a write copies @buf to @map.
 */
typedef uint64_t (*copy_read_fn)(void *buf, const void *map, size_t len);
typedef void (*copy_write_fn)(void *map, const void *buf, size_t len);

struct copy_method {
	const char *name;	/* --copy NAME */
	const char *what;	/* for help and the env block */
	const char *feature;	/* the CPU feature it needs, or NULL */
	copy_read_fn read;
	copy_write_fn write;
	bool nontemporal;	/* its stores bypass the cache */
	bool persists;		/* it flushes and drains by itself (libpmem) */
};

extern const struct copy_method copy_methods[];
extern const unsigned nr_copy_methods;

/* The method called @name; NULL with *why set if unknown or if the CPU
 * lacks what it needs. */
const struct copy_method *copy_method_find(const char *name, const char **why);
/* "memcpy|avx2|..." for help text. */
const char *copy_method_names(void);
/* The fastest method this CPU has for plain copies. */
const char *copy_default(void);

/*
 * What libpmem will use, from the CPU's features and the PMEM_* variables
 * the way libpmem 1.x decides at load: "clwb", "clflushopt", "clflush",
 * or "none (eADR)"; "movnt avx512f", "movnt avx", "movnt sse2", "mov".
 */
const char *copy_flush_path(void);
const char *copy_memcpy_path(void);

enum persist_method {
	PERSIST_NONE,		/* nothing: data may sit in the CPU cache */
	PERSIST_FLUSH,		/* pmem_flush (clwb/clflushopt) per op */
	PERSIST_DRAIN,		/* pmem_flush + pmem_drain (sfence) per op */
	PERSIST_MSYNC,		/* msync per op */
	PERSIST_MAP_SYNC,	/* MAP_SYNC mapping, flush + drain per op */
	PERSIST_NR
};
extern const char *const persist_names[];	/* NULL-terminated */

/* Make @len bytes at @addr durable as @m says; 0 or -errno. */
int persist_range(enum persist_method m, void *addr, size_t len);

#endif
