// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device-DAX address spaces.
 * Device-DAX has no FIEMAP: its extents are the physical ranges the
 * device is made of, in device-offset order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daxtool/sources.h"
#include "daxtool/topology.h"

struct ranges {
	const char *name;	/* the device the ranges are in, or NULL */
	unsigned nr;
	struct dt_mapping map[];
};

static int ranges_begin(struct dt_source *src, uint64_t pos, uint64_t len,
			struct dt_extent *ext)
{
	const struct ranges *r = src->priv;
	unsigned lo = 0, hi = r->nr;

	(void)len;
	while (lo < hi) {	/* the first range ending after pos */
		unsigned mid = lo + (hi - lo) / 2;

		if (r->map[mid].offset + r->map[mid].size <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	ext->offset = pos;
	if (lo == r->nr || r->map[lo].offset > pos) {
		/* not backed: only where the ranges do not cover the size */
		ext->type = DT_HOLE;
		ext->length = lo == r->nr ? UINT64_MAX - pos :
			      r->map[lo].offset - pos;
		return 0;
	}
	ext->offset = r->map[lo].offset;
	ext->length = r->map[lo].size;
	ext->type = DT_MAPPED;
	ext->addr = r->map[lo].start;
	ext->phys = r->map[lo].start;
	ext->phys_dev = r->name;
	return 0;
}

static void ranges_release(struct dt_source *src)
{
	free(src->priv);
}

static const struct dt_source_ops devdax_ops = {
	.name = "devdax", .begin = ranges_begin, .release = ranges_release,
};

static int ranges_source(struct dt_source *src, const struct dt_source_ops *ops,
			 const char *name, const struct dt_mapping *maps,
			 unsigned nr, uint64_t size)
{
	struct ranges *r = malloc(sizeof(*r) + nr * sizeof(r->map[0]));

	if (!r)
		return -ENOMEM;
	r->name = name;
	r->nr = nr;
	memcpy(r->map, maps, nr * sizeof(r->map[0]));
	for (unsigned i = 1; i < nr; i++)
		if (r->map[i].offset < r->map[i - 1].offset + r->map[i - 1].size) {
			free(r);
			return -EINVAL;	/* ranges must be sorted, disjoint */
		}
	*src = (struct dt_source) { .ops = ops, .size = size, .priv = r };
	return 0;
}

int dt_devdax_source(struct dt_source *src, const char *name,
		     const struct dt_mapping *maps, unsigned nr, uint64_t size)
{
	return ranges_source(src, &devdax_ops, name, maps, nr, size);
}
