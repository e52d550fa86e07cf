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

#endif
