// SPDX-License-Identifier: GPL-2.0-only
/* The backing of a device stack or a device-DAX device, for display. */
#include <string.h>

#include "daxtool/backing.h"
#include "daxtool/devstack.h"
#include "daxtool/util.h"

static void region_of(const struct dt_topology *t, const char *region,
		      struct dt_backing *b)
{
	DT_COPY(b->region, region);
	for (unsigned i = 0; i < t->nr_regions; i++)
		if (!strcmp(t->regions[i].devname, region))
			DT_COPY(b->persistence, t->regions[i].persistence);
}

void dt_backing_of_dev(const struct dt_topology *t, const struct dt_dev *dev,
		       struct dt_backing *b)
{
	const struct dt_dev *leaf = dt_dev_single_leaf(dev);
	struct dt_devloc loc;

	memset(b, 0, sizeof(*b));
	b->base = DT_NO_ADDR;
	if (dev->nodev) {
		DT_COPY(b->why, dev->why);
		return;
	}
	DT_COPY(b->dev, dev->name);
	b->dev_size = dev->size;
	if (dev->kind == DT_DEV_TABLE)
		dt_dev_describe(dev, b->stack, sizeof(b->stack));
	dt_dev_why_unknown(dev, b->why, sizeof(b->why));
	if (leaf) {
		DT_COPY(b->namespace, leaf->namespace);
		DT_COPY(b->mode, leaf->mode);
		b->align = leaf->align;
		region_of(t, leaf->region, b);
	}
	/* one base for the whole device, where it is contiguous in physical
	 * memory: a namespace, or a partition of one */
	dt_dev_locate(dev, 0, &loc);
	if (loc.phys != DT_NO_ADDR && loc.len >= dev->size)
		b->base = loc.phys;
}

void dt_backing_of_daxdev(const struct dt_topology *t,
			  const struct dt_daxdev *d, struct dt_backing *b)
{
	memset(b, 0, sizeof(*b));
	DT_COPY(b->dev, d->devname);
	DT_COPY(b->mode, d->mode);
	b->align = d->align;
	b->dev_size = d->size;
	b->base = d->nr_mappings ? d->mappings[0].start : DT_NO_ADDR;
	region_of(t, d->region, b);
	for (unsigned i = 0; i < t->nr_namespaces; i++)
		if (!strcmp(t->namespaces[i].chardev, d->devname)) {
			DT_COPY(b->namespace, t->namespaces[i].devname);
			region_of(t, t->namespaces[i].region, b);
		}
}
