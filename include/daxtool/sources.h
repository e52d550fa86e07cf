/* SPDX-License-Identifier: GPL-2.0-only */
/* The engine's sources: where extents come from. */
#ifndef DAXTOOL_SOURCES_H
#define DAXTOOL_SOURCES_H

#include "daxtool/iomap.h"

/*
 * FIEMAP, batched: one ioctl answers many extents; holes between, before
 * and after them are synthesised. Opens on @fd (not owned). Returns
 * -EOPNOTSUPP when the filesystem has no FIEMAP. @sync flushes dirty data
 * first so delayed allocations get their place.
 */
int dt_fiemap_source(struct dt_source *src, int fd, bool sync);

/* SEEK_DATA/SEEK_HOLE: data and holes only; unwritten reads as hole. */
int dt_seek_source(struct dt_source *src, int fd);

/*
 * An extent list given as JSON data, for tests and what-if studies:
 *   { "size": N, "extents": [ { "offset", "length", "type",
 *                               "addr"?, "flags"? [] }, ... ] }
 * or a `daxtool map --json` document holding one such object. On error,
 * returns -EINVAL and writes a message naming the place into @err.
 */
int dt_layout_source(struct dt_source *src, const char *path,
		     char *err, size_t errlen);
int dt_layout_source_string(struct dt_source *src, const char *json,
			    char *err, size_t errlen);
/*
 * The same from @len bytes at @buf (no NUL needed). Strict JSON (RFC
 * 8259; duplicate keys and \u0000 are errors too); integers are
 * non-negative and whole, "size" and every extent's end at most 2^63 - 1
 * (the largest file size), addr + length and phys + length at most
 * 2^64 - 1. Errors say the line and column. A file is read only if it
 * is a regular file of at most DT_LAYOUT_MAX_BYTES.
 */
int dt_layout_parse(struct dt_source *src, const char *buf, size_t len,
		    char *err, size_t errlen);
#define DT_LAYOUT_MAX_BYTES (1 << 30)

/*
 * A device-DAX device @name: its physical ranges (libdaxctl's mappings),
 * one extent each, addr the physical address. Block devices translate
 * through their device stack: dt_devstack_source() in devstack.h.
 */
struct dt_mapping;
int dt_devdax_source(struct dt_source *src, const char *name,
		     const struct dt_mapping *maps, unsigned nr, uint64_t size);

/*
 * Stack @lower under @upper: extents of @upper, each with phys set from
 * @lower's address for upper's addr, split where @lower's extents end.
 * Mappings compose: file -> device -> physical. Takes ownership of both
 * (released with the stack). Upper extents with no device address
 * (holes, delalloc, unknown or logical) pass through with no phys.
 */
int dt_stack_source(struct dt_source *src, struct dt_source *upper,
		    struct dt_source *lower);

#endif
