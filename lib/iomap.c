// SPDX-License-Identifier: GPL-2.0-only
/* The iterator: one call to the source per extent, one call to the actor. */
#include <errno.h>
#include <stddef.h>

#include "daxtool/iomap.h"

static void clip(struct dt_extent *ext, uint64_t pos, uint64_t end,
		 uint64_t size)
{
	uint64_t ext_end = ext->offset + ext->length;
	/* a hole is whatever lies between data: cutting it is no news */
	uint32_t clipped = ext->type == DT_HOLE ? 0 : DT_F_CLIPPED;
	uint64_t page_end = size > UINT64_MAX - 4095 ? UINT64_MAX :
			    (size + 4095) & ~4095ULL;

	/* past the page that holds EOF: the tail block of a file whose
	 * size is not block aligned is not "past EOF" */
	if (ext_end > page_end && ext->type != DT_HOLE)
		ext->flags |= DT_F_PAST_EOF;
	if (ext->offset < pos) {
		if (ext->addr != DT_NO_ADDR)
			ext->addr += pos - ext->offset;
		if (ext->phys != DT_NO_ADDR)
			ext->phys += pos - ext->offset;
		ext->offset = pos;
		ext->flags |= clipped;
	}
	if (ext_end > end) {
		ext_end = end;
		ext->flags |= clipped;
	}
	ext->length = ext_end - ext->offset;
}

int dt_iomap_iter(struct dt_source *src, uint64_t pos, uint64_t len,
		  dt_actor_fn actor, void *arg)
{
	uint64_t end = pos + len;

	if (end < pos)
		return -EOVERFLOW;
	while (pos < end) {
		struct dt_extent ext = { .addr = DT_NO_ADDR, .phys = DT_NO_ADDR };
		int ret = src->ops->begin(src, pos, end - pos, &ext);

		if (ret)
			return ret;
		/* A source must answer for pos and make progress, with
		 * addresses that do not run past 2^64 - 1. */
		if (ext.offset > pos || ext.length == 0 ||
		    ext.offset + ext.length <= pos ||
		    ext.offset + ext.length < ext.offset ||
		    (unsigned)ext.type >= DT_NR_TYPES ||
		    (ext.addr != DT_NO_ADDR && ext.addr > DT_NO_ADDR - ext.length) ||
		    (ext.phys != DT_NO_ADDR && ext.phys > DT_NO_ADDR - ext.length))
			return -EIO;
		clip(&ext, pos, end, src->size);
		ret = actor(&ext, arg);
		if (ret)
			return ret;
		pos = ext.offset + ext.length;
	}
	return 0;
}

void dt_source_release(struct dt_source *src)
{
	if (src->ops && src->ops->release)
		src->ops->release(src);
	src->ops = NULL;
	src->priv = NULL;
}
