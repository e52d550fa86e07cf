// SPDX-License-Identifier: GPL-2.0-only
/* daxtool list: DAX regions, namespaces, devices and mounts, and the CXL
 * objects (cmd/list-cxl.c). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "daxtool/iomap.h"
#include "daxtool/parse-options.h"
#include "daxtool/print.h"
#include "daxtool/topology.h"
#include "daxtool/util.h"
#include "builtin.h"
#include "list.h"

static const char *const list_usage[] = {
	"daxtool list [options]",
	NULL
};

/* "region1" matches -r region1 and -r 1, as in ndctl and daxctl */
bool list_match(const char *filter, const char *prefix, const char *name)
{
	size_t n = strlen(prefix);

	if (!filter)
		return true;
	if (!strcmp(filter, name))
		return true;
	return !strncmp(name, prefix, n) && !strcmp(name + n, filter);
}


/*
 * The largest page a mapping can get: device-DAX maps in pages of its
 * alignment, up to 1 GiB; fsdax at most 2 MiB (the kernel has no 1 GiB
 * path for filesystems); other modes map no memory directly (0).
 */
static uint64_t max_page(const char *mode, uint64_t align)
{
	static const struct { const char *mode; uint64_t limit; } modes[] = {
		{ "devdax", DT_PUD_SIZE }, { "fsdax", DT_PMD_SIZE },
	};
	static const uint64_t sizes[] = { DT_PUD_SIZE, DT_PMD_SIZE, 4096 };

	for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
		if (strcmp(mode, modes[i].mode))
			continue;
		for (size_t j = 0; j < ARRAY_SIZE(sizes); j++)
			if (sizes[j] <= modes[i].limit && align &&
			    align % sizes[j] == 0)
				return sizes[j];
		return 4096;
	}
	return 0;
}

static const struct dt_region *nd_region(const struct dt_topology *t,
					 const char *name)
{
	for (unsigned i = 0; i < t->nr_regions; i++)
		if (!strcmp(t->regions[i].devname, name))
			return &t->regions[i];
	return NULL;
}

/* What a region is made of on CXL: its CXL region and memory devices,
 * in interleave order (none for an NVDIMM's) */
static void region_cxl(const struct dt_topology *t, const struct dt_region *r)
{
	const struct dt_cxl_region *c = dt_cxl_region_by_name(t, r->cxl_region);
	dt_print_str_opt(DT_ANY, "cxl_region", " cxl %s", r->cxl_region, NULL);
	dt_print_begin_inline_array("cxl_memdevs");
	for (unsigned i = 0; c && i < c->nr_targets; i++)
		dt_print_str(DT_ANY, NULL, i ? ",%s" : " on %s", c->memdevs[i]);
	dt_print_end_array();
}

static void list_regions(const struct dt_topology *t, const struct list_opts *o)
{
	unsigned head = 0;

	dt_print_begin_array("regions");
	for (unsigned i = 0; i < t->nr_regions; i++) {
		const struct dt_region *r = &t->regions[i];

		if (!list_match(o->region, "region", r->devname) ||
		    !list_memdev_keeps(t, o, r->cxl_region))
			continue;
		if (!head++)
			dt_print_text("regions:\n");
		dt_print_begin_object(NULL);
		dt_print_str(DT_ANY, "dev", "  %-12s", r->devname);
		dt_print_str(DT_ANY, "type", " %-5s", r->type);
		dt_print_size(DT_ANY, "size", " size %-8s", r->size);
		dt_print_size(DT_ANY, "align", " align %-5s", r->align);
		dt_print_addr(DT_ANY, "resource", " resource %s", r->resource);
		dt_print_i64_opt(DT_ANY, "numa_node", " node %" PRId64, r->numa_node, "?");
		dt_print_str(DT_ANY, "persistence_domain", " persistence %s", r->persistence);
		dt_print_bool(DT_ANY, "enabled", r->enabled ? NULL : " (disabled)", r->enabled);
		region_cxl(t, r);
		dt_print_end_row();
	}
	dt_print_end_array();
}

static void list_namespaces(const struct dt_topology *t,
			    const struct list_opts *o)
{
	unsigned head = 0;

	dt_print_begin_array("namespaces");
	for (unsigned i = 0; i < t->nr_namespaces; i++) {
		const struct dt_namespace *n = &t->namespaces[i];

		const struct dt_region *r = nd_region(t, n->region);

		if (!list_match(o->region, "region", n->region) ||
		    !list_match(o->ns, "namespace", n->devname) ||
		    (o->dev && !list_match(o->dev, "dax", n->chardev)) ||
		    (o->mode && strcmp(o->mode, n->mode)) ||
		    !list_memdev_keeps(t, o, r ? r->cxl_region : NULL))
			continue;
		if (!head++)
			dt_print_text("namespaces:\n");
		dt_print_begin_object(NULL);
		dt_print_str(DT_ANY, "dev", "  %-14s", n->devname);
		dt_print_str(DT_ANY, "region", " %-8s", n->region);
		dt_print_str(DT_ANY, "mode", " %-7s", n->mode);
		dt_print_size(DT_ANY, "size", " size %-8s", n->size);
		dt_print_size(DT_ANY, "align", " align %-5s", n->align);
		dt_print_size_opt(DT_ANY | DT_HUMAN, "max_page_size", " pages to %-3s",
				  max_page(n->mode, n->align), "-");
		dt_print_addr(DT_ANY, "resource", " resource %s", n->resource);
		dt_print_str_opt(DT_ANY, "blockdev", " block %s", n->blockdev, NULL);
		dt_print_str_opt(DT_ANY, "chardev", " char %s", n->chardev, NULL);
		dt_print_addr_opt(DT_ANY, "data_resource", " data at %s",
				  n->data_resource, NULL);
		dt_print_i64_opt(DT_JSON, "numa_node", NULL, n->numa_node, NULL);
		dt_print_bool(DT_ANY, "enabled", n->enabled ? NULL : " (disabled)", n->enabled);
		dt_print_end_row();
	}
	dt_print_end_array();
}

static void list_devices(const struct dt_topology *t, const struct list_opts *o)
{
	unsigned head = 0;

	dt_print_begin_array("devices");
	for (unsigned i = 0; i < t->nr_devs; i++) {
		const struct dt_daxdev *d = &t->devs[i];
		char devt[24];

		if (!list_match(o->region, "region", d->region) ||
		    !list_match(o->dev, "dax", d->devname) ||
		    (o->mode && strcmp(o->mode, d->mode)) || o->ns ||
		    !list_memdev_keeps(t, o, d->cxl_region))
			continue;
		snprintf(devt, sizeof(devt), "%d:%d", d->major, d->minor);
		if (!head++)
			dt_print_text("devices:\n");
		dt_print_begin_object(NULL);
		dt_print_str(DT_ANY, "dev", "  %-10s", d->devname);
		dt_print_str(DT_JSON, "chardev", NULL, d->devname);	/* schema 1 */
		dt_print_str(DT_ANY, "region", " %-8s", d->region);
		dt_print_str(DT_ANY, "mode", " %-10s", d->mode);
		dt_print_size(DT_ANY, "size", " size %-8s", d->size);
		dt_print_size(DT_ANY, "align", " align %-5s", d->align);
		dt_print_size_opt(DT_ANY | DT_HUMAN, "max_page_size", " pages to %-3s",
				  max_page(d->mode, d->align), "-");
		dt_print_i64_opt(DT_ANY, "numa_node", " node %" PRId64, d->numa_node, "?");
		dt_print_str(DT_ANY, "devt", " %s", devt);
		dt_print_str_opt(DT_ANY, "cxl_region", " cxl %s", d->cxl_region, NULL);
		dt_print_bool(DT_ANY, "enabled", d->enabled ? NULL : " (disabled)", d->enabled);
		dt_print_text("\n");
		dt_print_begin_array("mappings");
		for (unsigned m = 0; m < d->nr_mappings; m++) {
			const struct dt_mapping *mp = &d->mappings[m];

			dt_print_begin_row(NULL);
			dt_print_size(DT_ANY, "offset", "    offset %-8s", mp->offset);
			dt_print_addr(DT_ANY, "start", " phys %s", mp->start);
			dt_print_addr(DT_ANY, "end", "-%s", mp->start + mp->size - 1);
			dt_print_size(DT_ANY, "size", " size %s\n", mp->size);
			dt_print_end_object();
		}
		dt_print_end_array();
		dt_print_end_object();
	}
	dt_print_end_array();
}

static void list_mounts(const struct dt_topology *t, const struct list_opts *o)
{
	unsigned head = 0;

	dt_print_begin_array("mounts");
	for (unsigned i = 0; i < t->nr_mounts; i++) {
		const struct dt_mount *m = &t->mounts[i];
		char devt[24];

		if (!m->dax_listed || o->region || o->ns || o->dev || o->mode ||
		    o->memdev)
			continue;	/* filters name DAX objects, not mounts */
		snprintf(devt, sizeof(devt), "%u:%u", m->major, m->minor);
		if (!head++)
			dt_print_text("mounts:\n");
		dt_print_begin_object(NULL);
		dt_print_str(DT_ANY, "path", "  %s", m->path);
		dt_print_str(DT_ANY, "source", " %s", m->source);
		dt_print_str(DT_ANY, "fs", " %s", m->fstype);
		dt_print_str(DT_JSON, "fstype", NULL, m->fstype);	/* schema 1 */
		dt_print_str(DT_ANY, "dax", " dax=%s", m->dax);
		dt_print_str(DT_ANY, "devt", " %s", devt);
		dt_print_bool(DT_ANY, "dax_capable", m->dax_capable ? NULL :
			    " (device without DAX)", m->dax_capable);
		dt_print_end_row();
	}
	dt_print_end_array();
}

int cmd_list(int argc, const char **argv, struct dt_ctx *ctx)
{
	static const char *const modes[] = { "fsdax", "devdax", "raw",
		"sector", "system-ram", NULL };
	struct list_opts o = { 0 };
	int mode = -1;
	const struct opt opts[] = {
		OPT_BOOLEAN('j', "json", &o.json, "print JSON"),
		OPT_BOOLEAN('u', "human", &o.human, "sizes as 4K, 2M, 1G in text output"),
		OPT_STRING('r', "region", &o.region, "REGION", "only this region, NVDIMM or CXL (region0 or 0)"),
		OPT_STRING('n', "namespace", &o.ns, "NAMESPACE", "only this namespace (namespace0.0 or 0.0)"),
		OPT_STRING('d', "dev", &o.dev, "DEV", "only this device-DAX device (dax0.0 or 0.0)"),
		OPT_CHOICE('m', "mode", &mode, modes, "fsdax|devdax|raw|sector|system-ram",
			   "only namespaces and devices in this mode"),
		OPT_STRING('M', "memdev", &o.memdev, "MEMDEV",
			   "only this CXL memory device and what is on it (mem0 or 0)"),
		OPT_END(),
	};
	const struct dt_topology *t;
	unsigned nr_mounts = 0;

	argc = parse_options(argc, argv, opts, list_usage);
	if (argc)
		usage_error("unexpected argument '%s'", argv[0]);
	if (mode >= 0)
		o.mode = modes[mode];
	t = dt_ctx_topology(ctx);
	if (ctx->load_err) {
		dt_err("reading the DAX topology: %s", strerror(-ctx->load_err));
		return DT_EXIT_FAIL;
	}
	for (unsigned i = 0; i < t->nr_mounts; i++)
		nr_mounts += t->mounts[i].dax_listed;
	if (!t->nr_regions && !t->nr_devs && !nr_mounts && !t->nr_cxl_memdevs)
		dt_warn("no DAX regions, devices or mounts on this machine");
	dt_print_init(o.json ? DT_PF_JSON : DT_PF_TEXT, o.human);
	dt_print_begin_object(NULL);
	dt_print_meta();
	list_regions(t, &o);
	list_namespaces(t, &o);
	list_devices(t, &o);
	list_mounts(t, &o);
	list_cxl(t, &o);
	dt_print_end_object();
	if (dt_print_finish() < 0) {
		dt_err("writing output: %s", strerror(errno));
		return DT_EXIT_FAIL;
	}
	return DT_EXIT_OK;
}
