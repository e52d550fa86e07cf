/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Is DAX really on for this file, and if not, why not: the kernel's own
 * word (STATX_ATTR_DAX), the mount's dax= mode, the per-inode DAX flag,
 * the block device's DAX support and the namespace under it. Also whether
 * the filesystem aligns allocations to 2 MiB (xfs stripe unit or extent
 * size hint, ext4 stripe).
 */
#ifndef DAXTOOL_DAXSTATE_H
#define DAXTOOL_DAXSTATE_H

#include <stdbool.h>
#include <sys/stat.h>

#include "daxtool/backing.h"
#include "daxtool/topology.h"

struct dt_dax_state {
	bool on;
	int statx_dax;			/* STATX_ATTR_DAX: 1, 0, -1 unknown */
	int inode_flag;			/* FS_XFLAG_DAX: 1, 0, -1 unknown */
	int bdev_dax;			/* queue/dax: 1, 0, -1 no block device */
	char fs[32];			/* ext4, xfs, tmpfs, ... */
	char mount_dax[8];		/* always, inode, never, "" unknown */
	bool aligned_alloc;		/* allocations aligned to 2 MiB */
	bool realtime;			/* an xfs realtime file: its data are
					   on the realtime device */
	uint64_t rt_extsize;		/* its realtime extent size, 0 unknown */
	char rtdev[256];		/* the mount's rtdev=, "" if none */
	char alloc_hint[64];		/* what says so: "xfs sunit 2M", ... */
	char why[320];			/* a short paragraph when off */
};

/* For an open file or directory @fd with stat @st, on backing @b. */
void dt_dax_state(int fd, const struct stat *st, const struct dt_topology *t,
		  const struct dt_backing *b, struct dt_dax_state *ds);

#endif
