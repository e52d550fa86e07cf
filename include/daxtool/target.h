/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one target model: what a path is, which devices its extents are
 * on, and where that is physically. Every command opens what it looks at
 * through dt_target_open(), once; the topology comes from the run's ctx.
 *
 * A target is a regular file (with its filesystem, mount, DAX state and
 * the device stack its data is on: the data device, or for an xfs
 * realtime file the realtime device), a device-DAX device, a block
 * device, a directory or mount point, a path that does not exist yet (a
 * file to create, for the benchmarks), emulated memory named by a word,
 * or a layout given as JSON.
 */
#ifndef DAXTOOL_TARGET_H
#define DAXTOOL_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "daxtool/backing.h"
#include "daxtool/daxstate.h"
#include "daxtool/devstack.h"
#include "daxtool/iomap.h"
#include "daxtool/pmd.h"
#include "daxtool/topology.h"

enum dt_target_kind {
	DT_TARGET_FILE,		/* a regular file */
	DT_TARGET_DEVDAX,	/* /dev/daxX.Y */
	DT_TARGET_BLOCK,	/* a block device */
	DT_TARGET_DIR,		/* a directory or mount point */
	DT_TARGET_NEW,		/* does not exist yet: a file to create */
	DT_TARGET_MEMORY,	/* emulated memory, named */
	DT_TARGET_LAYOUT,	/* an extent list given as JSON */
	DT_NR_TARGET_KINDS
};

/* Emulated memory, by name: anonymous, hugetlb, or "emulated": the
 * most DAX-like emulation the machine allows, chosen where it is used. */
enum dt_memory { DT_MEM_ANON, DT_MEM_HUGETLB, DT_MEM_EMULATED, DT_NR_MEMORY };

/* How to open. */
enum {
	DT_OPEN_LAYOUT	= 1u << 0,	/* the path is a layout file */
	DT_OPEN_CREATE	= 1u << 1,	/* a missing path is a file to create */
	DT_OPEN_MEMORY	= 1u << 2,	/* the memory names are targets */
	DT_OPEN_WRITE	= 1u << 3,	/* open files and devices read-write */
	DT_OPEN_DIR	= 1u << 4,	/* directories are targets */
	DT_OPEN_BLOCK	= 1u << 5,	/* block devices are targets */
};

/* Where extents come from, for a file. */
enum dt_src_choice { DT_SRC_AUTO, DT_SRC_FIEMAP, DT_SRC_SEEK };

struct dt_target {
	const char *path;		/* as given */
	enum dt_target_kind kind;
	enum dt_memory memory;		/* DT_TARGET_MEMORY */
	int fd;				/* -1 if none */
	struct stat st;			/* of the path; of the directory for NEW */
	const struct dt_mount *mount;	/* its filesystem's mount, or NULL */
	struct dt_dax_state ds;		/* DAX on or off, and why */
	/* the device the data is on, as the commands show it */
	struct dt_backing backing;
	const struct dt_daxdev *daxdev;	/* DT_TARGET_DEVDAX */
	/* the stack the extents' addresses translate through: the data
	 * device, or the realtime device of an xfs realtime file */
	struct dt_devset *devs;
	const struct dt_dev *dev;
	bool realtime;
	char phys_why[256];		/* why physical addresses are unknown */
	/* the extents, once dt_target_source() made them */
	struct dt_source src;
	bool has_src;
	struct dt_pmd_params params;	/* dax, dev_align, size, alignment */
};

/*
 * Open and classify @path (@flags: DT_OPEN_*). On failure returns -1 with
 * @err saying why, path included, and a hint where one helps (a device
 * that does not exist: `daxtool list`).
 */
int dt_target_open(struct dt_target *t, struct dt_ctx *ctx, const char *path,
		   unsigned flags, char *err, size_t errlen);
/* Make t->src for a file (@choice, @sync: flush dirty data first), a
 * device-DAX device or a layout: its extents, stacked down to physical
 * addresses. 0, or -1 with @err. */
int dt_target_source(struct dt_target *t, enum dt_src_choice choice,
		     bool sync, char *err, size_t errlen);
void dt_target_close(struct dt_target *t);

/* "fsdax", "devdax", "file", "block", "directory", "new", "memory",
 * "layout": the JSON vocabulary. */
const char *dt_target_kind_name(const struct dt_target *t);
const char *dt_memory_name(enum dt_memory m);
/* The device @devt's name in the target's stacks, or NULL. */
const char *dt_target_dev_name(const struct dt_target *t, dev_t devt);

#endif
