/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What backs a file or device, down to physical addresses: the block
 * device a filesystem lives on, the pmem namespace behind it, and the
 * physical address of its byte 0 (after the fsdax info block). Where the
 * translation cannot be made, @why says so rather than guess.
 */
#ifndef DAXTOOL_BACKING_H
#define DAXTOOL_BACKING_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "daxtool/iomap.h"
#include "daxtool/topology.h"

struct dt_backing {
	char dev[DT_NAME];		/* pmem0p1, dax0.0, vda; "" if none */
	char namespace[DT_NAME];	/* namespace0.0, or "" */
	char mode[16];			/* fsdax, raw, devdax, or "" */
	uint64_t align;			/* the namespace's or device's, 0 unknown */
	uint64_t dev_size;		/* bytes */
	uint64_t base;			/* physical address of byte 0, or DT_NO_ADDR */
	char why[192];			/* why base is unknown */
};

/* The backing of a file on the filesystem of device @st_dev; btrfs
 * (@btrfs) gives filesystem-logical addresses and is never translated. */
void dt_backing_of_file(const struct dt_topology *t, dev_t st_dev,
			bool btrfs, struct dt_backing *b);
/* The backing of device-DAX device @d. */
void dt_backing_of_daxdev(const struct dt_topology *t,
			  const struct dt_daxdev *d, struct dt_backing *b);

#endif
