/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CXL part of the topology, from libcxl: memory devices, the ports
 * from the CXL root down to each device's endpoint, their HDM decoders
 * and the regions made of them. Plain data, like the rest of
 * daxtool/topology.h, which holds these arrays.
 *
 * Each region is tied to what the rest of the topology made of it by
 * host physical address (HPA), the one name both sides share: the
 * NVDIMM region of a pmem region spans the CXL region's range, and a
 * device-DAX device's memory lies inside it. A ram region's dax region
 * is its child in the device tree (libdaxctl's path).
 */
#ifndef DAXTOOL_CXL_H
#define DAXTOOL_CXL_H

#include <stdbool.h>
#include <stdint.h>

#define DT_CXL_NAME 64
/* CXL interleaves across 1, 2, 3, 4, 6, 8, 12 or 16 targets */
#define DT_CXL_MAX_WAYS 16
#define DT_CXL_NONE UINT64_MAX		/* an unknown address or number */

struct dt_cxl_memdev {
	char devname[DT_CXL_NAME];	/* mem0 */
	char host[DT_CXL_NAME];		/* its PCI device, 0000:0d:00.0 */
	char endpoint[DT_CXL_NAME];	/* endpoint2, "" if not enabled */
	uint64_t serial;		/* DT_CXL_NONE if unknown */
	uint64_t pmem_size, ram_size;	/* active partitions */
	int numa_node;			/* -1 if unknown */
	bool enabled;
};

/* The kinds of port, from the top: the CXL root (one per platform
 * bus), host bridges (depth 1), switch ports, and each memory device's
 * endpoint. */
enum dt_cxl_port_kind {
	DT_CXL_ROOT, DT_CXL_HOST_BRIDGE, DT_CXL_SWITCH, DT_CXL_ENDPOINT,
};
extern const char *const dt_cxl_port_kinds[];

struct dt_cxl_port {
	char devname[DT_CXL_NAME];	/* root0, port1, endpoint2 */
	char parent[DT_CXL_NAME];	/* "" for a root */
	char host[DT_CXL_NAME];		/* ACPI0017:00, ACPI0016:00, mem0 */
	char memdev[DT_CXL_NAME];	/* an endpoint's device, else "" */
	enum dt_cxl_port_kind kind;
	int depth;
	unsigned nr_dports;
	char (*dports)[DT_CXL_NAME];	/* its downstream ports */
	bool enabled;
};

struct dt_cxl_decoder {
	char devname[DT_CXL_NAME];	/* decoder0.0 */
	char port[DT_CXL_NAME];		/* root0 */
	enum dt_cxl_port_kind kind;	/* of its port */
	uint64_t resource, size;	/* the HPA range it decodes */
	unsigned ways, granularity;	/* 0 if unknown */
	char region[DT_CXL_NAME];	/* "" if none */
	/* where the HPA goes: dports in position order (root and switch
	 * decoders); "" where a position is unknown */
	unsigned nr_targets;
	char targets[DT_CXL_MAX_WAYS][DT_CXL_NAME];
	/* an endpoint decoder's side of the device */
	char memdev[DT_CXL_NAME];
	char mode[8];			/* pmem, ram, mixed, none */
	uint64_t dpa_resource, dpa_size;
	/* a root decoder's window: what regions it may hold */
	bool pmem_capable, volatile_capable;
	/* a root decoder's window: by which arithmetic it picks the host
	 * bridge of an address, from the ACPI CEDT window of the same
	 * range (daxtool/cedt.h): "modulo" or "xor"; "" where not known,
	 * and arith_why then says why */
	char arith[8];
	char arith_why[256];
};

struct dt_cxl_region {
	char devname[DT_CXL_NAME];	/* region0 (on the CXL bus) */
	char decoder[DT_CXL_NAME];	/* its root decoder */
	char type[8];			/* pmem, ram; "" if unknown */
	uint64_t resource, size;	/* DT_CXL_NONE / 0 if not set up */
	unsigned ways, granularity;
	bool committed, enabled;
	/* by position: endpoint decoder and its memory device */
	unsigned nr_targets;
	char decoders[DT_CXL_MAX_WAYS][DT_CXL_NAME];
	char memdevs[DT_CXL_MAX_WAYS][DT_CXL_NAME];
	char nd_region[DT_CXL_NAME];	/* pmem: the NVDIMM region, or "" */
	char dax_region[DT_CXL_NAME];	/* ram: the dax region, or "" */
};

struct dt_topology;

/* Read the CXL objects into @t (nothing where there is no CXL); 0 or
 * -ENOMEM. Then tie them to @t's NVDIMM regions and devices. */
int dt_cxl_load(struct dt_topology *t);
void dt_cxl_free(struct dt_topology *t);

/* The region named @name ("region0"), or NULL. */
const struct dt_cxl_region *dt_cxl_region_by_name(const struct dt_topology *t,
						  const char *name);
/* The region whose HPA range holds [start, start + size), or NULL. */
const struct dt_cxl_region *dt_cxl_region_at(const struct dt_topology *t,
					     uint64_t start, uint64_t size);
struct dt_cedt_window;

/*
 * Give each root decoder of @t the interleave arithmetic of the CEDT
 * window (@w, @nr of them) with its base and size, or, where @err is
 * not 0 (dt_cedt_read's -errno) or no window matches, the reason it is
 * not known (arith_why). dt_cxl_load does this with the machine's CEDT.
 */
void dt_cxl_set_windows(struct dt_topology *t, const struct dt_cedt_window *w,
			unsigned nr, int err);

/*
 * Where host physical range [phys, phys + len) lives on CXL memory: its
 * region, the memory device holding the first byte and that byte's
 * device physical address (DPA), and every device the range touches, in
 * interleave order from the first byte's. By the region's modulo
 * interleave arithmetic: HPA offset o from the region's start is on
 * position (o / granularity) % ways, at DPA
 *	dpa_resource + o / (granularity * ways) * granularity + o % granularity
 * of that position's endpoint decoder. This holds for any number of ways
 * (3, 6 and 12 too: the device drops the position from the granule
 * number by dividing by the ways, CXL 3.0 8.2.4.19.13; the kernel's
 * cxl_dpa_to_hpa() is its inverse) and across host bridges when the root
 * decoder's window picks them by modulo arithmetic too (its granularity
 * is then the region's, which the kernel requires). Where the arithmetic
 * is not known (a root decoder that interleaves over host bridges by XOR
 * arithmetic, or whose arithmetic the CEDT could not tell: arith_why; a
 * region not set up), memdev is NULL, dpa DT_CXL_NONE and @why says so.
 */
struct dt_cxl_loc {
	const struct dt_cxl_region *region;	/* NULL: not on CXL memory */
	const char *memdev;
	uint64_t dpa;
	unsigned pos;				/* memdev's interleave position */
	unsigned nr_memdevs;
	const char *memdevs[DT_CXL_MAX_WAYS];
	const char *why;
};
void dt_cxl_locate(const struct dt_topology *t, uint64_t phys, uint64_t len,
		   struct dt_cxl_loc *loc);

/*
 * How many of @region's devices a range of @len bytes of contiguous host
 * physical addresses starting on a granule boundary spans: every one of
 * the @ways once it holds as many granules, else one per granule. 0
 * where the region's interleave is not set up.
 */
unsigned dt_cxl_span(const struct dt_cxl_region *region, uint64_t len);

/* Whether @region interleaves over @memdev. */
bool dt_cxl_region_has(const struct dt_cxl_region *region,
		       const char *memdev);

#endif
