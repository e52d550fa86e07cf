/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PMD analyser: for every 2 MiB-aligned window of a file or device,
 * will a 2 MiB (PMD) fault map it, and if not, why not; for device-DAX
 * aligned 1G, the 1 GiB (PUD) entry that maps it, or why the kernel
 * refuses the mapping. It is an actor on
 * the iomap engine: one walk over the extents, never one call per page.
 */
#ifndef DAXTOOL_PMD_H
#define DAXTOOL_PMD_H

#include <stdbool.h>
#include <stdint.h>

#include "daxtool/iomap.h"

/* Why a window falls back to 4 KiB pages: the JSON vocabulary. */
enum dt_reason {
	DT_R_NOT_DAX,		/* no DAX: page cache, not direct mappings */
	DT_R_DEVICE_ALIGN,	/* device-DAX alignment is not 2 MiB */
	DT_R_MISALIGNED_VIRTUAL,/* virtual address not congruent to offset */
	DT_R_PRIVATE_WRITE,	/* a private mapping copies on write */
	DT_R_BEYOND_EOF,	/* the window reaches past i_size */
	DT_R_EXTENT_TOO_SHORT,	/* no single extent covers the window */
	DT_R_MIXED_HOLE_DATA,	/* part hole, part data */
	DT_R_MISALIGNED_PHYSICAL,/* phys not congruent to offset mod 2 MiB */
	DT_R_UNALIGNED_ALLOCATION,/* a write allocates; the fs does not align */
	DT_R_SHARED_EXTENT,	/* reflinked: a write must copy */
	DT_R_DELALLOC,		/* allocation pending: not placed yet */
	DT_R_INLINE,		/* data inside the inode */
	DT_R_DEVICE_BOUNDARY,	/* a device-mapper segment or stripe chunk
				   ends inside the window */
	DT_R_DEVICE_MAX_IO,	/* device-mapper caps one access below 2 MiB */
	DT_R_DEVICE_VMA_ALIGN,	/* device-DAX: the mapping's address is
				   not aligned to the device's alignment:
				   mmap fails (EINVAL) */
	DT_R_DEVICE_OFFSET_ALIGN,/* device-DAX: the file offset is not: the
				   kernel maps the data at the offset
				   rounded down, other bytes than asked */
	DT_NR_REASONS
};

/* What a fault on the window gets. */
enum dt_pmd_status {
	DT_PMD_YES,		/* a PMD maps the window */
	DT_PMD_ZERO,		/* a read maps the huge zero page (hole or
				   unwritten): a PMD, of zeros */
	DT_PMD_NO,		/* falls back to 4 KiB entries */
	DT_PMD_UNKNOWN,		/* cannot tell: the physical address is not
				   known, and it decides */
	DT_PMD_PUD,		/* a 1 GiB entry maps it (device-DAX aligned
				   1G) */
	DT_PMD_REFUSED,		/* no valid mapping: device-DAX refuses an
				   address out of its alignment, and maps
				   an offset out of it at the wrong place */
	DT_NR_PMD_STATUS
};

#define DT_MAX_BOUNDS 8

struct dt_pmd_window {
	uint64_t offset;		/* of the first window */
	uint64_t count;			/* windows alike from there: inside one
					   extent, whole windows share their
					   verdict and are reported once */
	enum dt_pmd_status status;
	uint64_t page_size;		/* what maps it: 4096, 2 MiB or 1 GiB;
					   0 where unknown or refused */
	uint32_t reasons;		/* 1 << enum dt_reason */
	enum dt_type type;		/* of the extent at the window's start */
	uint64_t phys;			/* at the window's start, or DT_NO_ADDR */
	bool physical;			/* phys is a translated physical address,
					   not a layout's or a device offset */
	unsigned nr_bounds;		/* where extents change inside it */
	uint64_t bounds[DT_MAX_BOUNDS];	/* the first DT_MAX_BOUNDS of them */
};

struct dt_pmd_params {
	bool dax;			/* DAX is on for this file or device */
	bool write;			/* write faults, not read */
	bool private_map;		/* MAP_PRIVATE */
	bool aligned_alloc;		/* the fs allocates 2 MiB-aligned */
	uint64_t dev_align;		/* device-DAX alignment, 0 if not */
	uint64_t max_io;		/* where a write allocates: the most one
					   DAX access maps through the device
					   stack, 0 if no cap */
	uint64_t vaddr_delta;		/* (vaddr - file offset) mod 1 GiB */
	uint64_t map_offset;		/* the file offset mapped at vaddr */
	uint64_t size;			/* i_size or device size */
	/* called with each extent of a window, clipped to the window,
	 * before the window is reported (for a run of windows alike: of
	 * the first), for what a caller adds to a window; NULL: none */
	void (*extent_fn)(const struct dt_extent *ext, void *arg);
	void *extent_arg;
};

typedef int (*dt_pmd_fn)(const struct dt_pmd_window *w, void *arg);

/*
 * Walk [0, size rounded up to 2 MiB) of @src and call @fn once per run of
 * windows alike (w->count of them: 1, or the whole windows one extent
 * covers), in order, so a file of any size takes one call per extent. Returns 0, -errno from the source, or fn's non-zero return.
 */
int dt_pmd_analyse(struct dt_source *src, const struct dt_pmd_params *p,
		   dt_pmd_fn fn, void *arg);

const char *dt_reason_name(enum dt_reason r);
const char *dt_reason_text(enum dt_reason r);
const char *dt_pmd_status_name(enum dt_pmd_status s);

#endif
