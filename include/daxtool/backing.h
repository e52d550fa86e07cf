/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What backs a file or device, as the commands show it: the device the
 * data is on, the pmem namespace behind it where there is one, and the
 * physical address of its byte 0 where one base covers it all (a
 * namespace or a partition of one). A device-mapper device has no single
 * base: its extents translate piece by piece (devstack.h), and @stack
 * describes it. Where no translation can be made, @why says so.
 *
 * On CXL memory (a namespace of a CXL pmem region, or device-DAX in a
 * CXL region), @cxl is that region: its memory devices in interleave
 * order, the ways and the granularity. It is a pointer into the run's
 * topology, which outlives every target.
 */
#ifndef DAXTOOL_BACKING_H
#define DAXTOOL_BACKING_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "daxtool/iomap.h"
#include "daxtool/print.h"
#include "daxtool/topology.h"

struct dt_dev;

struct dt_backing {
	char dev[DT_NAME];		/* pmem0p1, dax0.0, dm-0, vda; "" if none */
	char namespace[DT_NAME];	/* namespace0.0, or "" */
	char ns_uuid[37];		/* its uuid, or "": none or no label */
	char mode[16];			/* fsdax, raw, devdax, or "" */
	char region[DT_NAME];		/* region0, or "" */
	char persistence[24];		/* the region's domain, or "" */
	uint64_t align;			/* the namespace's or device's, 0 unknown */
	uint64_t dev_size;		/* bytes */
	uint64_t base;			/* physical address of byte 0, or DT_NO_ADDR */
	const struct dt_cxl_region *cxl;	/* NULL: not on CXL memory */
	char stack[192];		/* "dm-0: linear over pmem1, pmem1.1", or "" */
	char why[320];			/* why physical addresses are unknown */
};

/* The backing of block device stack @dev. */
void dt_backing_of_dev(const struct dt_topology *t, const struct dt_dev *dev,
		       struct dt_backing *b);
/* The backing of device-DAX device @d. */
void dt_backing_of_daxdev(const struct dt_topology *t,
			  const struct dt_daxdev *d, struct dt_backing *b);

/*
 * The CXL region behind @b, as every command prints it: the members
 * region, type, ways, granularity and memdevs of an object the caller
 * opened; text (in @m) "CXL region0 (pmem), 2-way interleave of 256-byte
 * granules over mem0,mem1". Nothing where @b is not on CXL memory.
 */
void dt_backing_print_cxl_members(const struct dt_backing *b, enum dt_pmode m);
/* "cxl": that object, or null where @b is not on CXL memory; in text,
 * @lead before it. */
void dt_backing_print_cxl(const struct dt_backing *b, enum dt_pmode m,
			  const char *lead);

#endif
