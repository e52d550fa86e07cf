// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stacked sources: an upper address space (a file) over a lower one (the
 * device it lives on). Each answer is the upper extent at pos, cut where
 * the lower extent under it ends, with phys taken from the lower one.
 */
#include <errno.h>
#include <stdlib.h>

#include "daxtool/sources.h"

struct stack {
	struct dt_source upper, lower;
};

static int stack_begin(struct dt_source *src, uint64_t pos, uint64_t len,
		       struct dt_extent *ext)
{
	struct stack *s = src->priv;
	struct dt_extent low = { .addr = DT_NO_ADDR, .phys = DT_NO_ADDR };
	uint64_t dev, end;
	int ret;

	ret = s->upper.ops->begin(&s->upper, pos, len, ext);
	if (ret)
		return ret;
	if (ext->offset > pos || ext->offset + ext->length <= pos)
		return -EIO;
	/* start the answer at pos, so the device offset is addr's */
	if (ext->offset < pos) {
		if (ext->addr != DT_NO_ADDR)
			ext->addr += pos - ext->offset;
		ext->length -= pos - ext->offset;
		ext->offset = pos;
	}
	if (ext->type == DT_HOLE || ext->type == DT_DELALLOC ||
	    ext->addr == DT_NO_ADDR ||
	    (ext->flags & (DT_F_UNKNOWN | DT_F_LOGICAL)))
		return 0;
	dev = ext->addr;
	ret = s->lower.ops->begin(&s->lower, dev, ext->length, &low);
	if (ret)
		return ret;
	if (low.offset > dev || low.offset + low.length <= dev)
		return 0;	/* not below: no physical address */
	/* cut where the lower piece ends: another device, or a gap */
	end = low.offset + low.length - dev;
	if (ext->length > end) {
		ext->length = end;
		ext->flags &= ~DT_F_LAST;
		if (low.flags & DT_F_DEV_CUT)
			ext->flags |= DT_F_DEV_CUT;
	}
	ext->device = low.device ? low.device : ext->device;
	ext->max_io = low.max_io;
	if (low.type == DT_HOLE || low.addr == DT_NO_ADDR) {
		/* not backed below, or not translatable: no physical
		 * address, and the device offset is not one either */
		ext->flags |= DT_F_NO_PHYS;
		return 0;
	}
	ext->phys = low.addr + (dev - low.offset);
	ext->phys_dev = low.phys_dev;
	return 0;
}

static void stack_release(struct dt_source *src)
{
	struct stack *s = src->priv;

	dt_source_release(&s->upper);
	dt_source_release(&s->lower);
	free(s);
}

static const struct dt_source_ops stack_ops = {
	.name = "stack", .begin = stack_begin, .release = stack_release,
};

int dt_stack_source(struct dt_source *src, struct dt_source *upper,
		    struct dt_source *lower)
{
	struct stack *s = malloc(sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->upper = *upper;
	s->lower = *lower;
	*src = (struct dt_source) {
		.ops = &stack_ops, .size = upper->size,
		.caveats = upper->caveats, .priv = s,
	};
	return 0;
}
