// SPDX-License-Identifier: GPL-2.0-only
/*
 * The CXL topology, read once through libcxl (loaded when there is a CXL
 * bus to list, see daxtool/dlib.h), and tied to the NVDIMM and device-DAX
 * objects by host physical address (see daxtool/cxl.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cxl/libcxl.h>

#include "daxtool/cedt.h"
#include "daxtool/dlib.h"
#include "daxtool/topology.h"
#include "daxtool/util.h"

#define COPY DT_COPY

#define CXL_FNS(X) X(cxl_new) X(cxl_unref) X(cxl_set_log_priority) \
	 X(cxl_memdev_get_first) X(cxl_memdev_get_next) \
	 X(cxl_memdev_get_devname) X(cxl_memdev_get_host) \
	 X(cxl_memdev_get_serial) X(cxl_memdev_get_numa_node) \
	 X(cxl_memdev_get_pmem_size) X(cxl_memdev_get_ram_size) \
	 X(cxl_memdev_get_endpoint) X(cxl_memdev_is_enabled) \
	 X(cxl_bus_get_first) X(cxl_bus_get_next) X(cxl_bus_get_port) \
	 X(cxl_port_get_first) X(cxl_port_get_next_all) \
	 X(cxl_port_get_devname) X(cxl_port_get_parent) X(cxl_port_get_host) \
	 X(cxl_port_get_depth) X(cxl_port_is_enabled) \
	 X(cxl_port_is_root) X(cxl_port_is_endpoint) \
	 X(cxl_port_to_endpoint) X(cxl_endpoint_get_first) \
	 X(cxl_endpoint_get_next) X(cxl_endpoint_get_port) \
	 X(cxl_endpoint_get_devname) X(cxl_endpoint_get_memdev) \
	 X(cxl_dport_get_first) X(cxl_dport_get_next) X(cxl_dport_get_devname) \
	 X(cxl_decoder_get_first) X(cxl_decoder_get_next) \
	 X(cxl_decoder_get_devname) X(cxl_decoder_get_resource) \
	 X(cxl_decoder_get_size) X(cxl_decoder_get_dpa_resource) \
	 X(cxl_decoder_get_dpa_size) X(cxl_decoder_get_mode) \
	 X(cxl_decoder_get_interleave_ways) \
	 X(cxl_decoder_get_interleave_granularity) \
	 X(cxl_decoder_get_region) X(cxl_decoder_get_memdev) \
	 X(cxl_decoder_get_nr_targets) X(cxl_decoder_get_target_by_position) \
	 X(cxl_decoder_is_pmem_capable) X(cxl_decoder_is_volatile_capable) \
	 X(cxl_target_get_devname) \
	 X(cxl_region_get_first) X(cxl_region_get_next) \
	 X(cxl_region_get_devname) X(cxl_region_get_resource) \
	 X(cxl_region_get_size) X(cxl_region_get_interleave_ways) \
	 X(cxl_region_get_interleave_granularity) \
	 X(cxl_region_get_target_decoder) X(cxl_region_decode_is_committed) \
	 X(cxl_region_is_enabled)

static struct { CXL_FNS(DT_DLIB_PTR) } cx;
static struct dt_dlib cx_lib = DT_DLIB(DT_SO_CXL, CXL_FNS, cx);

const char *const dt_cxl_port_kinds[] = {
	[DT_CXL_ROOT] = "root", [DT_CXL_HOST_BRIDGE] = "host_bridge",
	[DT_CXL_SWITCH] = "switch", [DT_CXL_ENDPOINT] = "endpoint",
};

/* libcxl says "unknown" with ULLONG_MAX, and an unset size with 0 */
static uint64_t known(unsigned long long v)
{
	return v == ULLONG_MAX ? DT_CXL_NONE : v;
}

static enum dt_cxl_port_kind port_kind(struct cxl_port *port)
{
	if (cx.cxl_port_is_root(port))
		return DT_CXL_ROOT;
	if (cx.cxl_port_is_endpoint(port))
		return DT_CXL_ENDPOINT;
	return cx.cxl_port_get_depth(port) == 1 ? DT_CXL_HOST_BRIDGE :
		DT_CXL_SWITCH;
}

static int load_memdevs(struct dt_topology *t, struct cxl_ctx *ctx)
{
	struct cxl_memdev *m;

	for (m = cx.cxl_memdev_get_first(ctx); m; m = cx.cxl_memdev_get_next(m)) {
		struct dt_cxl_memdev *d = dt_push((void **)&t->cxl_memdevs,
						  &t->nr_cxl_memdevs, sizeof(*d));
		struct cxl_endpoint *ep = cx.cxl_memdev_get_endpoint(m);

		if (!d)
			return -ENOMEM;
		COPY(d->devname, cx.cxl_memdev_get_devname(m));
		COPY(d->host, cx.cxl_memdev_get_host(m));
		COPY(d->endpoint, ep ? cx.cxl_endpoint_get_devname(ep) : "");
		d->serial = known(cx.cxl_memdev_get_serial(m));
		d->pmem_size = cx.cxl_memdev_get_pmem_size(m);
		d->ram_size = cx.cxl_memdev_get_ram_size(m);
		d->numa_node = cx.cxl_memdev_get_numa_node(m);
		d->enabled = cx.cxl_memdev_is_enabled(m) > 0;
	}
	return 0;
}

static int load_decoder(struct dt_topology *t, struct cxl_port *port,
			struct cxl_decoder *dec)
{
	struct dt_cxl_decoder *d = dt_push((void **)&t->cxl_decoders,
					   &t->nr_cxl_decoders, sizeof(*d));
	struct cxl_region *region = cx.cxl_decoder_get_region(dec);
	int nr = cx.cxl_decoder_get_nr_targets(dec);

	if (!d)
		return -ENOMEM;
	COPY(d->devname, cx.cxl_decoder_get_devname(dec));
	COPY(d->port, cx.cxl_port_get_devname(port));
	d->kind = port_kind(port);
	d->resource = known(cx.cxl_decoder_get_resource(dec));
	d->size = known(cx.cxl_decoder_get_size(dec));
	d->ways = cx.cxl_decoder_get_interleave_ways(dec);
	d->granularity = cx.cxl_decoder_get_interleave_granularity(dec);
	if (d->ways == UINT_MAX)
		d->ways = 0;
	if (d->granularity == UINT_MAX)
		d->granularity = 0;
	COPY(d->region, region ? cx.cxl_region_get_devname(region) : "");
	d->dpa_resource = d->dpa_size = DT_CXL_NONE;
	if (d->kind == DT_CXL_ENDPOINT) {
		struct cxl_memdev *m = cx.cxl_decoder_get_memdev(dec);

		COPY(d->memdev, m ? cx.cxl_memdev_get_devname(m) : "");
		COPY(d->mode, cxl_decoder_mode_name(cx.cxl_decoder_get_mode(dec)));
		d->dpa_resource = known(cx.cxl_decoder_get_dpa_resource(dec));
		d->dpa_size = known(cx.cxl_decoder_get_dpa_size(dec));
		return 0;
	}
	d->pmem_capable = cx.cxl_decoder_is_pmem_capable(dec);
	d->volatile_capable = cx.cxl_decoder_is_volatile_capable(dec);
	/* where each position of the interleave goes */
	for (int i = 0; i < nr && i < DT_CXL_MAX_WAYS; i++) {
		struct cxl_target *tg = cx.cxl_decoder_get_target_by_position(dec, i);

		COPY(d->targets[i], tg ? cx.cxl_target_get_devname(tg) : "");
		d->nr_targets = (unsigned)i + 1;
	}
	return 0;
}

static int load_region(struct dt_topology *t, struct cxl_decoder *root,
		       struct cxl_region *region)
{
	struct dt_cxl_region *r = dt_push((void **)&t->cxl_regions,
					  &t->nr_cxl_regions, sizeof(*r));

	if (!r)
		return -ENOMEM;
	COPY(r->devname, cx.cxl_region_get_devname(region));
	COPY(r->decoder, cx.cxl_decoder_get_devname(root));
	r->resource = known(cx.cxl_region_get_resource(region));
	r->size = known(cx.cxl_region_get_size(region));
	r->ways = cx.cxl_region_get_interleave_ways(region);
	r->granularity = cx.cxl_region_get_interleave_granularity(region);
	if (r->ways == UINT_MAX)
		r->ways = 0;
	if (r->granularity == UINT_MAX)
		r->granularity = 0;
	r->committed = cx.cxl_region_decode_is_committed(region) > 0;
	r->enabled = cx.cxl_region_is_enabled(region) > 0;
	for (unsigned i = 0; i < r->ways && i < DT_CXL_MAX_WAYS; i++) {
		struct cxl_decoder *ep = cx.cxl_region_get_target_decoder(region, (int)i);
		struct cxl_memdev *m = ep ? cx.cxl_decoder_get_memdev(ep) : NULL;

		COPY(r->decoders[i], ep ? cx.cxl_decoder_get_devname(ep) : "");
		COPY(r->memdevs[i], m ? cx.cxl_memdev_get_devname(m) : "");
		/* the kernel makes every endpoint of a region one mode:
		 * the region's type */
		if (ep && !r->type[0])
			COPY(r->type, cxl_decoder_mode_name(cx.cxl_decoder_get_mode(ep)));
		r->nr_targets = i + 1;
	}
	if (strcmp(r->type, "pmem") && strcmp(r->type, "ram"))
		r->type[0] = '\0';
	return 0;
}

static int load_port(struct dt_topology *t, struct cxl_port *port)
{
	struct dt_cxl_port *p = dt_push((void **)&t->cxl_ports,
					&t->nr_cxl_ports, sizeof(*p));
	struct cxl_port *parent = cx.cxl_port_get_parent(port);
	struct cxl_decoder *dec;
	struct cxl_dport *dp;
	int ret;

	if (!p)
		return -ENOMEM;
	COPY(p->devname, cx.cxl_port_get_devname(port));
	COPY(p->parent, parent ? cx.cxl_port_get_devname(parent) : "");
	COPY(p->host, cx.cxl_port_get_host(port));
	p->kind = port_kind(port);
	p->depth = cx.cxl_port_get_depth(port);
	p->enabled = cx.cxl_port_is_enabled(port) > 0;
	if (p->kind == DT_CXL_ENDPOINT) {
		struct cxl_memdev *m = cx.cxl_endpoint_get_memdev(
			cx.cxl_port_to_endpoint(port));

		COPY(p->memdev, m ? cx.cxl_memdev_get_devname(m) : "");
	}
	for (dp = cx.cxl_dport_get_first(port); dp; dp = cx.cxl_dport_get_next(dp)) {
		char (*n)[DT_CXL_NAME] = dt_push((void **)&p->dports,
						 &p->nr_dports, sizeof(*n));

		if (!n)
			return -ENOMEM;
		COPY(*n, cx.cxl_dport_get_devname(dp));
	}
	for (dec = cx.cxl_decoder_get_first(port); dec; dec = cx.cxl_decoder_get_next(dec)) {
		ret = load_decoder(t, port, dec);
		if (ret)
			return ret;
		if (p->kind != DT_CXL_ROOT)
			continue;
		for (struct cxl_region *r = cx.cxl_region_get_first(dec); r; r = cx.cxl_region_get_next(r)) {
			ret = load_region(t, dec, r);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Each port, from the root down, then the endpoints under it. */
static int load_ports(struct dt_topology *t, struct cxl_ctx *ctx)
{
	for (struct cxl_bus *bus = cx.cxl_bus_get_first(ctx); bus; bus = cx.cxl_bus_get_next(bus)) {
		struct cxl_port *root = cx.cxl_bus_get_port(bus), *port;
		int ret = load_port(t, root);

		for (port = root; !ret && port;
		     port = port == root ? cx.cxl_port_get_first(root) :
					   cx.cxl_port_get_next_all(port, root)) {
			struct cxl_endpoint *ep;

			if (port != root)
				ret = load_port(t, port);
			for (ep = cx.cxl_endpoint_get_first(port); !ret && ep;
			     ep = cx.cxl_endpoint_get_next(ep))
				ret = load_port(t, cx.cxl_endpoint_get_port(ep));
		}
		if (ret)
			return ret;
	}
	return 0;
}

const struct dt_cxl_region *dt_cxl_region_at(const struct dt_topology *t,
					     uint64_t start, uint64_t size)
{
	for (unsigned i = 0; i < t->nr_cxl_regions; i++) {
		const struct dt_cxl_region *r = &t->cxl_regions[i];

		if (r->resource == DT_CXL_NONE || r->size == DT_CXL_NONE ||
		    !r->size || start == DT_CXL_NONE)
			continue;
		if (start >= r->resource && size <= r->size &&
		    start - r->resource <= r->size - size)
			return r;
	}
	return NULL;
}

const struct dt_cxl_region *dt_cxl_region_by_name(const struct dt_topology *t,
						  const char *name)
{
	for (unsigned i = 0; name && i < t->nr_cxl_regions; i++)
		if (!strcmp(t->cxl_regions[i].devname, name))
			return &t->cxl_regions[i];
	return NULL;
}

unsigned dt_cxl_span(const struct dt_cxl_region *region, uint64_t len)
{
	uint64_t granules;

	if (!region->ways || !region->granularity)
		return 0;
	granules = (len + region->granularity - 1) / region->granularity;
	return granules < region->ways ? (unsigned)granules : region->ways;
}

bool dt_cxl_region_has(const struct dt_cxl_region *region, const char *memdev)
{
	for (unsigned i = 0; i < region->nr_targets; i++)
		if (!strcmp(region->memdevs[i], memdev))
			return true;
	return false;
}

static const struct dt_cxl_decoder *decoder_by_name(const struct dt_topology *t,
						    const char *name)
{
	for (unsigned i = 0; i < t->nr_cxl_decoders; i++)
		if (!strcmp(t->cxl_decoders[i].devname, name))
			return &t->cxl_decoders[i];
	return NULL;
}

void dt_cxl_set_windows(struct dt_topology *t, const struct dt_cedt_window *w,
			unsigned nr, int err)
{
	for (unsigned i = 0; i < t->nr_cxl_decoders; i++) {
		struct dt_cxl_decoder *d = &t->cxl_decoders[i];
		const struct dt_cedt_window *win = NULL;
		const char *name;

		if (d->kind != DT_CXL_ROOT)
			continue;
		d->arith[0] = '\0';
		for (unsigned j = 0; !err && j < nr; j++)
			if (w[j].base == d->resource && w[j].size == d->size)
				win = &w[j];
		if (err == -EACCES || err == -EPERM)
			snprintf(d->arith_why, sizeof(d->arith_why),
				 "the ACPI CEDT, which says whether %s picks host bridges by modulo or XOR arithmetic, is readable by root only (%s)",
				 d->devname, DT_CEDT_PATH);
		else if (err == -ENOENT)
			snprintf(d->arith_why, sizeof(d->arith_why),
				 "there is no ACPI CEDT (%s) to say whether %s picks host bridges by modulo or XOR arithmetic",
				 DT_CEDT_PATH, d->devname);
		else if (err)
			snprintf(d->arith_why, sizeof(d->arith_why),
				 "the ACPI CEDT, which says whether %s picks host bridges by modulo or XOR arithmetic, cannot be read: %s",
				 d->devname, strerror(-err));
		else if (!win)
			snprintf(d->arith_why, sizeof(d->arith_why),
				 "no window of the ACPI CEDT has %s's range, so its arithmetic (modulo or XOR) is not known",
				 d->devname);
		else if (d->ways && win->ways != d->ways)
			snprintf(d->arith_why, sizeof(d->arith_why),
				 "the ACPI CEDT window of %s's range interleaves %u ways, the decoder %u",
				 d->devname, win->ways, d->ways);
		else if (!(name = dt_cedt_arith_name(win->arith)))
			snprintf(d->arith_why, sizeof(d->arith_why),
				 "the ACPI CEDT window of %s has an interleave arithmetic daxtool does not know (%u)",
				 d->devname, win->arith);
		else {
			COPY(d->arith, name);
			if (win->arith == DT_CEDT_XOR)
				snprintf(d->arith_why, sizeof(d->arith_why),
					 "%s picks host bridges by XOR arithmetic (ACPI CEDT), which daxtool does not translate",
					 d->devname);
			else
				d->arith_why[0] = '\0';
		}
	}
}

void dt_cxl_locate(const struct dt_topology *t, uint64_t phys, uint64_t len,
		   struct dt_cxl_loc *loc)
{
	const struct dt_cxl_region *r = dt_cxl_region_at(t, phys, len ? len : 1);
	const struct dt_cxl_decoder *root, *ep;
	uint64_t off, g, w, chunks, pos;

	memset(loc, 0, sizeof(*loc));
	loc->dpa = DT_CXL_NONE;
	if (!r)
		return;
	loc->region = r;
	g = r->granularity;
	w = r->ways;
	root = decoder_by_name(t, r->decoder);
	if (!g || !w || r->nr_targets != w) {
		loc->why = "the region's interleave is not set up";
		return;
	}
	if (!root || !root->ways) {
		loc->why = "the region's root decoder is not known";
		return;
	}
	/* over several host bridges: only by modulo arithmetic is the
	 * position the region's own (o / g) % w */
	if (root->ways > 1 && strcmp(root->arith, "modulo")) {
		loc->why = root->arith_why[0] ? root->arith_why :
			"the root decoder's interleave arithmetic is not known";
		return;
	}
	off = phys - r->resource;
	pos = off / g % w;
	ep = decoder_by_name(t, r->decoders[pos]);
	if (!ep || ep->dpa_resource == DT_CXL_NONE || !r->memdevs[pos][0]) {
		loc->why = "the endpoint decoder of its interleave position is unknown";
		return;
	}
	loc->memdev = r->memdevs[pos];
	loc->pos = (unsigned)pos;
	loc->dpa = ep->dpa_resource + off / (g * w) * g + off % g;
	/* the granules the range touches, each on the next position */
	chunks = len ? (off % g + len + g - 1) / g : 1;
	loc->nr_memdevs = (unsigned)(chunks < w ? chunks : w);
	for (unsigned i = 0; i < loc->nr_memdevs; i++)
		loc->memdevs[i] = r->memdevs[(pos + i) % w];
}

/* NVDIMM regions and device-DAX devices made of CXL memory, both ways */
static void link_topology(struct dt_topology *t)
{
	for (unsigned i = 0; i < t->nr_regions; i++) {
		struct dt_region *nr = &t->regions[i];
		const struct dt_cxl_region *c;

		if (nr->resource == ULLONG_MAX)
			continue;
		c = dt_cxl_region_at(t, nr->resource, nr->size);
		if (!c)
			continue;
		COPY(nr->cxl_region, c->devname);
		if (!strcmp(c->type, "pmem"))
			COPY(t->cxl_regions[c - t->cxl_regions].nd_region, nr->devname);
	}
	for (unsigned i = 0; i < t->nr_devs; i++) {
		struct dt_daxdev *d = &t->devs[i];
		const struct dt_cxl_region *c;

		if (!d->nr_mappings)
			continue;
		c = dt_cxl_region_at(t, d->mappings[0].start, d->mappings[0].size);
		if (c)
			COPY(d->cxl_region, c->devname);
	}
	/* a ram region's dax region is its child: dax_regionN under it */
	for (unsigned i = 0; i < t->nr_cxl_regions; i++) {
		struct dt_cxl_region *c = &t->cxl_regions[i];

		if (strcmp(c->type, "ram"))
			continue;
		for (unsigned j = 0; j < t->nr_dax_regions; j++)
			if (!strcmp(t->dax_regions[j].parent, c->devname))
				COPY(c->dax_region, t->dax_regions[j].devname);
	}
}

/* the root decoders' arithmetic, from the machine's CEDT */
static void load_windows(struct dt_topology *t)
{
	struct dt_cedt_window *w;
	unsigned nr;
	int err;

	for (unsigned i = 0; i < t->nr_cxl_decoders; i++)
		if (t->cxl_decoders[i].kind == DT_CXL_ROOT) {
			err = dt_cedt_read(DT_CEDT_PATH, &w, &nr);
			dt_cxl_set_windows(t, w, nr, err);
			free(w);
			return;
		}
}

int dt_cxl_load(struct dt_topology *t)
{
	struct cxl_ctx *ctx;
	int ret;

	if (!dt_dir_has("/sys/bus/cxl/devices", "root"))
		return 0;	/* no CXL root here: nothing to list */
	if (!dt_dlib_load(&cx_lib)) {
		dt_warn("CXL devices not listed: %s", cx_lib.err);
		return 0;
	}
	if (cx.cxl_new(&ctx) < 0)
		return 0;
	cx.cxl_set_log_priority(ctx, 0);
	ret = load_memdevs(t, ctx);
	if (!ret)
		ret = load_ports(t, ctx);
	cx.cxl_unref(ctx);
	if (!ret) {
		link_topology(t);
		load_windows(t);
	}
	return ret;
}

void dt_cxl_free(struct dt_topology *t)
{
	for (unsigned i = 0; i < t->nr_cxl_ports; i++)
		free(t->cxl_ports[i].dports);
	free(t->cxl_memdevs);
	free(t->cxl_ports);
	free(t->cxl_decoders);
	free(t->cxl_regions);
	t->cxl_memdevs = NULL;
	t->cxl_ports = NULL;
	t->cxl_decoders = NULL;
	t->cxl_regions = NULL;
	t->nr_cxl_memdevs = t->nr_cxl_ports = 0;
	t->nr_cxl_decoders = t->nr_cxl_regions = 0;
}
