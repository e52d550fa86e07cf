/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The devices under a block device, down to physical memory: partitions,
 * device-mapper linear and striped tables, pmem namespaces. A device
 * offset translates, through the device it is really on, into the
 * namespace it lands on and the physical address there. Where a layer
 * cannot be translated (md, dm-crypt and other targets, a pmem device
 * without a namespace), the device says why and nothing is guessed.
 *
 * A set is built either from the machine (dt_devset_load: sysfs names
 * the devices, libdevmapper reads the tables, the topology names the
 * namespaces) or from data, for tests and what-if studies.
 */
#ifndef DAXTOOL_DEVSTACK_H
#define DAXTOOL_DEVSTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "daxtool/iomap.h"
#include "daxtool/topology.h"

enum dt_dev_kind {
	DT_DEV_PMEM,		/* a pmem namespace's block device, or devdax */
	DT_DEV_TABLE,		/* segments over other devices: a partition,
				   a device-mapper table */
	DT_DEV_OPAQUE,		/* cannot be translated: why says so */
};

enum dt_seg_type { DT_SEG_LINEAR, DT_SEG_STRIPE, DT_SEG_OPAQUE };

struct dt_dev;

struct dt_leg {
	struct dt_dev *dev;
	uint64_t offset;	/* bytes into dev */
};

struct dt_seg {
	uint64_t start, len;	/* bytes, in the device */
	enum dt_seg_type type;
	char target[16];	/* linear, striped, crypt, partition, ... */
	uint64_t chunk;		/* striped: chunk bytes */
	unsigned nr_legs;	/* linear: 1; striped: the stripes */
	struct dt_leg *legs;
};

struct dt_dev {
	char name[DT_NAME];	/* pmem1, dm-0, pmem0p1, dax0.0 */
	dev_t devt;
	uint64_t size;
	enum dt_dev_kind kind;
	/* DT_DEV_PMEM */
	char namespace[DT_NAME];
	char mode[16];
	char region[DT_NAME];
	uint64_t align;
	uint64_t base;		/* physical address of byte 0, or DT_NO_ADDR */
	/* DT_DEV_TABLE */
	bool dm;		/* a device-mapper table, not a partition */
	/* the most one DAX access may map through a target that splits
	 * I/O (striped): the queue's max_sectors; 0 if none or unknown */
	uint64_t max_io;
	unsigned nr_segs;
	struct dt_seg *segs;
	bool nodev;		/* no block device at all (tmpfs, nfs) */
	/* DT_DEV_OPAQUE, or PMEM with no base */
	char why[192];
};

struct dt_devset;

/* Where one device offset lands. */
struct dt_devloc {
	uint64_t phys;		/* physical address, or DT_NO_ADDR */
	uint64_t len;		/* bytes from there on that stay contiguous */
	const struct dt_dev *leaf;	/* the device it lands on, NULL if none */
	bool cut;		/* len ends at a segment or stripe chunk end of
				   a device-mapper table (not the device's end) */
	uint64_t max_io;	/* the most one DAX access maps from here, on
				   the way down (dm max_io); 0: no such cap */
	const char *why;	/* phys unknown: why */
};

struct dt_devset *dt_devset_new(void);
void dt_devset_free(struct dt_devset *set);
const struct dt_dev *dt_devset_find(const struct dt_devset *set, dev_t devt);

/* From data. Each returns the device, or NULL with @err set. */
struct dt_dev *dt_devset_add_pmem(struct dt_devset *set, dev_t devt,
				  const char *name, uint64_t size,
				  uint64_t base, uint64_t align);
struct dt_dev *dt_devset_add_opaque(struct dt_devset *set, dev_t devt,
				    const char *name, uint64_t size,
				    const char *why);
/*
 * A table in dmsetup's form, one target a line: "START LEN TARGET ARGS"
 * in 512-byte sectors, devices as MAJ:MIN (already in the set):
 *   linear  MAJ:MIN OFFSET
 *   striped NR CHUNK MAJ:MIN OFFSET ...
 *   anything else is opaque: its segment says so.
 * A partition is one line "0 LEN partition MAJ:MIN START".
 */
struct dt_dev *dt_devset_add_table(struct dt_devset *set, dev_t devt,
				   const char *name, bool dm,
				   const char *table, char *err, size_t errlen);

/* From the machine: the device @devt and everything under it, named from
 * the topology @t. Never fails for an unknown device: it is opaque. NULL
 * only when memory runs out. */
const struct dt_dev *dt_devset_load(struct dt_devset *set,
				    const struct dt_topology *t, dev_t devt);

/* Translate @off of @dev. */
void dt_dev_locate(const struct dt_dev *dev, uint64_t off,
		   struct dt_devloc *loc);

/*
 * What a stack cannot translate, one clause per reason ("dm-1: crypt
 * target: ..."), or "" where every layer translates. And a one-line
 * description of the stack ("dm-0: linear over pmem1, pmem1.1").
 */
void dt_dev_why_unknown(const struct dt_dev *dev, char *buf, size_t len);
void dt_dev_describe(const struct dt_dev *dev, char *buf, size_t len);
/* The smallest segment or stripe chunk in the stack whose boundaries cut
 * 2 MiB windows (not a multiple of it), or 0 if none. */
uint64_t dt_dev_min_cut(const struct dt_dev *dev);
/* The device-mapper device under @dev whose striped targets cap one DAX
 * access the most (its queue's max_sectors), or NULL if none. */
const struct dt_dev *dt_dev_capped(const struct dt_dev *dev);
/* The only pmem device under @dev, or NULL if none or several. */
const struct dt_dev *dt_dev_single_leaf(const struct dt_dev *dev);

/*
 * A source over the device's address space: at each offset one extent as
 * far as the translation stays contiguous, addr = phys the physical
 * address (DT_NO_ADDR where unknown), phys_dev the device it is on, and
 * DT_F_DEV_CUT where it ends at a table boundary, max_io the most one DAX
 * access maps there (0: no cap). The device belongs to
 * the set, which must outlive the source.
 */
int dt_devstack_source(struct dt_source *src, const struct dt_dev *dev);

#endif
