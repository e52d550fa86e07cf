// SPDX-License-Identifier: GPL-2.0-only
/* The backing of a device stack or a device-DAX device, for display. */
#include <inttypes.h>
#include <string.h>

#include "daxtool/backing.h"
#include "daxtool/devstack.h"
#include "daxtool/print.h"
#include "daxtool/util.h"

static void region_of(const struct dt_topology *t, const char *region,
		      struct dt_backing *b)
{
	DT_COPY(b->region, region);
	for (unsigned i = 0; i < t->nr_regions; i++)
		if (!strcmp(t->regions[i].devname, region)) {
			DT_COPY(b->persistence, t->regions[i].persistence);
			/* a namespace of a CXL pmem region */
			b->cxl = dt_cxl_region_by_name(t, t->regions[i].cxl_region);
		}
}

/* The uuid of the namespace @b names, from the topology. */
static void ns_uuid_of(const struct dt_topology *t, struct dt_backing *b)
{
	for (unsigned i = 0; b->namespace[0] && i < t->nr_namespaces; i++)
		if (!strcmp(t->namespaces[i].devname, b->namespace))
			DT_COPY(b->ns_uuid, t->namespaces[i].uuid);
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
		ns_uuid_of(t, b);
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
	/* its memory in a CXL region: pmem, or ram (whose dax region is no
	 * NVDIMM region) */
	b->cxl = dt_cxl_region_by_name(t, d->cxl_region);
	for (unsigned i = 0; i < t->nr_namespaces; i++)
		if (!strcmp(t->namespaces[i].chardev, d->devname)) {
			DT_COPY(b->namespace, t->namespaces[i].devname);
			region_of(t, t->namespaces[i].region, b);
		}
	ns_uuid_of(t, b);
}

void dt_backing_print_cxl_members(const struct dt_backing *b, enum dt_pmode m)
{
	const struct dt_cxl_region *r = b->cxl;
	enum dt_pmode pm = m;

	if (!r)
		return;
	dt_print_str(pm, "region", "CXL %s", r->devname);
	dt_print_str_opt(pm, "type", " (%s)", r->type, NULL);
	dt_print_u64_opt(pm, "ways", ", %" PRIu64 "-way interleave", r->ways,
			 ", interleave not set up");
	dt_print_u64_opt(pm, "granularity", " of %" PRIu64 "-byte granules",
			 r->granularity, NULL);
	dt_print_begin_inline_array("memdevs");
	for (unsigned i = 0; i < r->nr_targets; i++)
		dt_print_str(pm, NULL, i ? ",%s" : " over %s", r->memdevs[i]);
	dt_print_end_array();
}

void dt_backing_print_cxl(const struct dt_backing *b, enum dt_pmode m,
			  const char *lead)
{
	if (!b->cxl) {
		dt_print_null(DT_JSON, "cxl", NULL, NULL);
		return;
	}
	if ((m & DT_TEXT) && lead)
		dt_print_text("%s", lead);
	dt_print_begin_object("cxl");
	dt_backing_print_cxl_members(b, m);
	dt_print_end_object();
}
