// SPDX-License-Identifier: GPL-2.0-only
/*
 * daxtool list, the CXL part: memory devices, ports (root, host bridges,
 * switches, endpoints), HDM decoders and regions, from libcxl.
 *
 * The filters: --region keeps the CXL regions of that name, their
 * decoders and memory devices; --memdev keeps that device, the ports
 * and decoders from the root down to it and the regions on it. Ports
 * are not listed with --region; no CXL object is with --namespace,
 * --dev or --mode, which name NVDIMM and device-DAX objects.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "daxtool/print.h"
#include "daxtool/util.h"
#include "list.h"

bool list_memdev_keeps(const struct dt_topology *t, const struct list_opts *o,
		       const char *cxl_region)
{
	const struct dt_cxl_region *r;
	unsigned n = 0;

	if (!o->memdev)
		return true;
	r = cxl_region ? dt_cxl_region_by_name(t, cxl_region) : NULL;
	if (!r)
		return false;
	for (unsigned i = 0; i < r->nr_targets; i++)
		n += list_match(o->memdev, "mem", r->memdevs[i]);
	return n > 0;
}

static const struct dt_cxl_port *port_by_name(const struct dt_topology *t,
					      const char *name)
{
	for (unsigned i = 0; i < t->nr_cxl_ports; i++)
		if (!strcmp(t->cxl_ports[i].devname, name))
			return &t->cxl_ports[i];
	return NULL;
}

/* Whether port @name is on the way from the root to a memory device
 * --memdev names (its endpoint included). */
static bool on_memdev_path(const struct dt_topology *t,
			   const struct list_opts *o, const char *name)
{
	if (!o->memdev)
		return true;
	for (unsigned i = 0; i < t->nr_cxl_ports; i++) {
		const struct dt_cxl_port *p = &t->cxl_ports[i];
		unsigned hops = 0;

		if (p->kind != DT_CXL_ENDPOINT || !list_match(o->memdev, "mem", p->memdev))
			continue;
		for (; p && hops++ < 64; p = p->parent[0] ? port_by_name(t, p->parent) : NULL)
			if (!strcmp(p->devname, name))
				return true;
	}
	return false;
}

/* CXL objects are listed at all with these filters */
static bool cxl_filtered_out(const struct list_opts *o)
{
	return o->ns || o->dev || o->mode;
}

static bool region_kept(const struct list_opts *o, const struct dt_cxl_region *r)
{
	if (cxl_filtered_out(o) || !list_match(o->region, "region", r->devname))
		return false;
	if (!o->memdev)
		return true;
	for (unsigned i = 0; i < r->nr_targets; i++)
		if (list_match(o->memdev, "mem", r->memdevs[i]))
			return true;
	return false;
}

static void names(const char *key, const char *fmt, unsigned nr,
		  const char (*v)[DT_CXL_NAME])
{
	dt_print_begin_inline_array(key);
	for (unsigned i = 0; i < nr; i++) {
		enum dt_pmode m = fmt ? DT_ANY : DT_JSON;

		if (v[i][0])
			dt_print_str(m, NULL, i ? ",%s" : fmt, v[i]);
		else
			dt_print_null(m, NULL, i ? ",%s" : fmt, "?");
	}
	dt_print_end_array();
}

static void list_memdevs(const struct dt_topology *t, const struct list_opts *o)
{
	unsigned head = 0;

	dt_print_begin_array("cxl_memdevs");
	for (unsigned i = 0; i < t->nr_cxl_memdevs; i++) {
		const struct dt_cxl_memdev *m = &t->cxl_memdevs[i];
		bool in_region = !o->region;

		if (cxl_filtered_out(o) || !list_match(o->memdev, "mem", m->devname))
			continue;
		for (unsigned r = 0; !in_region && r < t->nr_cxl_regions; r++)
			in_region = region_kept(o, &t->cxl_regions[r]) &&
				dt_cxl_region_has(&t->cxl_regions[r], m->devname);
		if (!in_region)
			continue;
		if (!head++)
			dt_print_text("cxl memdevs:\n");
		dt_print_begin_object(NULL);
		dt_print_str(DT_ANY, "dev", "  %-8s", m->devname);
		dt_print_str_opt(DT_ANY, "host", " host %s", m->host, "?");
		if (m->serial == DT_CXL_NONE)
			dt_print_null(DT_ANY, "serial", " serial %s", "?");
		else
			dt_print_u64(DT_ANY, "serial", " serial %#" PRIx64, m->serial);
		dt_print_size(DT_ANY, "size", " size %s", m->pmem_size + m->ram_size);
		dt_print_size(DT_ANY, "pmem_size", " pmem %s", m->pmem_size);
		dt_print_size(DT_ANY, "ram_size", " ram %s", m->ram_size);
		dt_print_i64_opt(DT_ANY, "numa_node", " node %" PRId64, m->numa_node, "?");
		dt_print_str_opt(DT_ANY, "endpoint", " endpoint %s", m->endpoint, "-");
		dt_print_bool(DT_ANY, "enabled", m->enabled ? NULL : " (disabled)", m->enabled);
		dt_print_end_row();
	}
	dt_print_end_array();
}

static void list_ports(const struct dt_topology *t, const struct list_opts *o)
{
	unsigned head = 0;

	dt_print_begin_array("cxl_ports");
	for (unsigned i = 0; i < t->nr_cxl_ports; i++) {
		const struct dt_cxl_port *p = &t->cxl_ports[i];

		if (cxl_filtered_out(o) || o->region || !on_memdev_path(t, o, p->devname))
			continue;
		if (!head++)
			dt_print_text("cxl ports:\n");
		dt_print_begin_object(NULL);
		dt_print_str(DT_ANY, "dev", "  %-10s", p->devname);
		dt_print_str(DT_ANY, "kind", " %-11s", dt_cxl_port_kinds[p->kind]);
		dt_print_str_opt(DT_ANY, "host", " host %s", p->host, "?");
		dt_print_str_opt(DT_ANY, "parent", " parent %s", p->parent, NULL);
		dt_print_i64(DT_JSON, "depth", NULL, p->depth);
		dt_print_str_opt(DT_ANY, "memdev", " memdev %s", p->memdev, NULL);
		if (p->nr_dports)
			dt_print_text(" dports");
		names("dports", " %s", p->nr_dports, (const char (*)[DT_CXL_NAME])p->dports);
		/* a root has no driver of its own to be bound to */
		dt_print_bool_opt(DT_ANY, "enabled", p->enabled ? NULL : " (disabled)",
				  p->kind == DT_CXL_ROOT ? -1 : p->enabled, NULL);
		dt_print_end_row();
	}
	dt_print_end_array();
}

static bool decoder_kept(const struct dt_topology *t, const struct list_opts *o,
			 const struct dt_cxl_decoder *d)
{
	if (cxl_filtered_out(o) || !on_memdev_path(t, o, d->port))
		return false;
	if (!o->region)
		return true;
	if (d->region[0])
		return list_match(o->region, "region", d->region);
	/* a root decoder names no region: it is the region's */
	for (unsigned i = 0; i < t->nr_cxl_regions; i++)
		if (!strcmp(t->cxl_regions[i].decoder, d->devname) &&
		    region_kept(o, &t->cxl_regions[i]))
			return true;
	return false;
}

static void list_decoders(const struct dt_topology *t, const struct list_opts *o)
{
	unsigned head = 0;

	dt_print_begin_array("cxl_decoders");
	for (unsigned i = 0; i < t->nr_cxl_decoders; i++) {
		const struct dt_cxl_decoder *d = &t->cxl_decoders[i];
		bool ep = d->kind == DT_CXL_ENDPOINT, root = d->kind == DT_CXL_ROOT;

		if (!decoder_kept(t, o, d))
			continue;
		if (!head++)
			dt_print_text("cxl decoders:\n");
		dt_print_begin_object(NULL);
		dt_print_str(DT_ANY, "dev", "  %-12s", d->devname);
		dt_print_str(DT_ANY, "port", " %-10s", d->port);
		dt_print_str(DT_ANY, "kind", " %-11s", dt_cxl_port_kinds[d->kind]);
		dt_print_addr_opt(DT_ANY, "resource", " hpa %s", d->resource, "?");
		dt_print_size_opt(DT_ANY, "size", " size %s",
				  d->size == DT_CXL_NONE ? 0 : d->size, "?");
		dt_print_u64_opt(DT_ANY, "interleave_ways", " ways %" PRIu64, d->ways, "?");
		dt_print_u64_opt(DT_ANY, "interleave_granularity", " granularity %" PRIu64,
				 d->granularity, "?");
		dt_print_str_opt(DT_ANY, "interleave_arithmetic", " %s",
				 root && d->arith[0] ? d->arith : NULL, NULL);
		dt_print_str_opt(DT_ANY, "region", " region %s", d->region, NULL);
		if (d->nr_targets)
			dt_print_text(" targets");
		names("targets", " %s", d->nr_targets, (const char (*)[DT_CXL_NAME])d->targets);
		dt_print_str_opt(DT_ANY, "memdev", " memdev %s", ep ? d->memdev : NULL, NULL);
		dt_print_str_opt(DT_ANY, "mode", " mode %s", ep ? d->mode : NULL, NULL);
		dt_print_addr_opt(DT_ANY, "dpa_resource", " dpa %s",
				  ep ? d->dpa_resource : DT_CXL_NONE, NULL);
		if (ep && d->dpa_size != DT_CXL_NONE)
			dt_print_size(DT_ANY, "dpa_size", " dpa size %s", d->dpa_size);
		else
			dt_print_null(DT_ANY, "dpa_size", NULL, NULL);
		dt_print_bool_opt(DT_ANY, "pmem_capable", root && d->pmem_capable ?
				  " pmem" : NULL, root ? d->pmem_capable : -1, NULL);
		dt_print_bool_opt(DT_ANY, "volatile_capable", root && d->volatile_capable ?
				  " ram" : NULL, root ? d->volatile_capable : -1, NULL);
		dt_print_end_row();
	}
	dt_print_end_array();
}

static void list_regions(const struct dt_topology *t, const struct list_opts *o)
{
	unsigned head = 0;

	dt_print_begin_array("cxl_regions");
	for (unsigned i = 0; i < t->nr_cxl_regions; i++) {
		const struct dt_cxl_region *r = &t->cxl_regions[i];

		if (!region_kept(o, r))
			continue;
		if (!head++)
			dt_print_text("cxl regions:\n");
		dt_print_begin_object(NULL);
		dt_print_str(DT_ANY, "dev", "  %-9s", r->devname);
		dt_print_str_opt(DT_ANY, "type", " %-4s", r->type, "?");
		dt_print_str(DT_ANY, "decoder", " in %s", r->decoder);
		dt_print_addr_opt(DT_ANY, "resource", " hpa %s", r->resource, "-");
		dt_print_size_opt(DT_ANY, "size", " size %s",
				  r->size == DT_CXL_NONE ? 0 : r->size, "-");
		dt_print_u64_opt(DT_ANY, "interleave_ways", " ways %" PRIu64, r->ways, "?");
		dt_print_u64_opt(DT_ANY, "interleave_granularity", " granularity %" PRIu64,
				 r->granularity, "?");
		dt_print_str(DT_ANY, "decode_state", " %s", r->committed ? "commit" : "reset");
		if (r->nr_targets)
			dt_print_text(" memdevs");
		names("memdevs", " %s", r->nr_targets, (const char (*)[DT_CXL_NAME])r->memdevs);
		names("decoders", NULL, r->nr_targets, (const char (*)[DT_CXL_NAME])r->decoders);
		dt_print_str_opt(DT_ANY, "nd_region", " nvdimm %s", r->nd_region, NULL);
		dt_print_str_opt(DT_ANY, "dax_region", " dax %s", r->dax_region, NULL);
		dt_print_bool(DT_ANY, "enabled", r->enabled ? NULL : " (disabled)", r->enabled);
		dt_print_end_row();
	}
	dt_print_end_array();
}

void list_cxl(const struct dt_topology *t, const struct list_opts *o)
{
	list_memdevs(t, o);
	list_ports(t, o);
	list_decoders(t, o);
	list_regions(t, o);
}
