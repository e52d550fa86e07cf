// SPDX-License-Identifier: GPL-2.0-only
/*
 * FIEMAP source. One ioctl fetches a batch of extents; begin() answers
 * from the batch until pos runs past what the batch knows, then fetches
 * the next one from pos. FIEMAP reports data only, so every gap between,
 * before and after the extents it returns is answered as a hole.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/magic.h>

#include "daxtool/sources.h"

#define BATCH 1024

struct fiemap_src {
	int fd;
	uint32_t sync;		/* FIEMAP_FLAG_SYNC on the first fetch */
	uint32_t extra_flags;	/* DT_F_* every mapped extent gets */
	dev_t dev;
	uint64_t known_start;	/* the batch describes [known_start, known_end) */
	uint64_t known_end;
	unsigned idx;		/* where the last answer was found */
	struct fiemap fm;	/* followed by BATCH extents */
};

static const struct { uint32_t fe; uint32_t dt; } flag_map[] = {
	{ FIEMAP_EXTENT_LAST,		DT_F_LAST },
	{ FIEMAP_EXTENT_UNKNOWN,	DT_F_UNKNOWN },
	{ FIEMAP_EXTENT_ENCODED,	DT_F_ENCODED },
	{ FIEMAP_EXTENT_DATA_ENCRYPTED,	DT_F_ENCRYPTED },
	{ FIEMAP_EXTENT_NOT_ALIGNED,	DT_F_NOT_ALIGNED },
	{ FIEMAP_EXTENT_DATA_TAIL,	DT_F_TAIL },
	{ FIEMAP_EXTENT_MERGED,		DT_F_MERGED },
	{ FIEMAP_EXTENT_SHARED,		DT_F_SHARED },
};

static enum dt_type fe_type(uint32_t fe)
{
	if (fe & FIEMAP_EXTENT_DELALLOC)
		return DT_DELALLOC;
	if (fe & FIEMAP_EXTENT_DATA_INLINE)
		return DT_INLINE;
	if (fe & FIEMAP_EXTENT_UNWRITTEN)
		return DT_UNWRITTEN;
	return DT_MAPPED;
}

/*
 * Ask from pos to the end of the address space, not just to the range's
 * end: filesystems trim the extents they return to the length asked for,
 * and only whole extents tell where they really end (past EOF, say).
 */
static int fetch(struct fiemap_src *f, uint64_t pos)
{
	uint64_t len = FIEMAP_MAX_OFFSET - pos;
	struct fiemap *fm = &f->fm;
	struct fiemap_extent *last;

	memset(fm, 0, sizeof(*fm));
	fm->fm_start = pos;
	fm->fm_length = len;
	fm->fm_flags = f->sync;
	fm->fm_extent_count = BATCH;
	if (ioctl(f->fd, FS_IOC_FIEMAP, fm) < 0)
		return errno == ENOTTY || errno == EOPNOTSUPP ||
		       errno == EINVAL ? -EOPNOTSUPP : -errno;
	f->sync = 0;
	f->idx = 0;
	f->known_start = pos;
	f->known_end = pos + len;
	/*
	 * A full batch knows nothing past its last extent, unless that
	 * extent is the file's last.
	 */
	if (fm->fm_mapped_extents == BATCH) {
		last = &fm->fm_extents[BATCH - 1];
		if (!(last->fe_flags & FIEMAP_EXTENT_LAST) &&
		    last->fe_logical + last->fe_length < f->known_end)
			f->known_end = last->fe_logical + last->fe_length;
	}
	return 0;
}

static int fiemap_begin(struct dt_source *src, uint64_t pos, uint64_t len,
			struct dt_extent *ext)
{
	struct fiemap_src *f = src->priv;
	struct fiemap *fm = &f->fm;
	int ret;

	(void)len;	/* the iterator clips; a batch runs to the end */
	if (pos < f->known_start || pos >= f->known_end) {
		ret = fetch(f, pos);
		if (ret)
			return ret;
	}
	if (f->idx >= fm->fm_mapped_extents ||
	    fm->fm_extents[f->idx].fe_logical > pos)
		f->idx = 0;
	/* Skip extents that end at or before pos (the file may have changed,
	 * and some filesystems return the extent before fm_start). */
	while (f->idx < fm->fm_mapped_extents &&
	       fm->fm_extents[f->idx].fe_logical +
	       fm->fm_extents[f->idx].fe_length <= pos)
		f->idx++;

	ext->device = f->dev;
	if (f->idx == fm->fm_mapped_extents) {
		/* Nothing more in the batch: a hole to what the batch knows. */
		ext->offset = pos;
		ext->length = f->known_end - pos;
		ext->type = DT_HOLE;
		ext->addr = DT_NO_ADDR;
		return 0;
	}

	const struct fiemap_extent *fe = &fm->fm_extents[f->idx];

	if (fe->fe_logical > pos) {
		ext->offset = pos;
		ext->length = fe->fe_logical - pos;
		ext->type = DT_HOLE;
		ext->addr = DT_NO_ADDR;
		return 0;
	}
	ext->offset = fe->fe_logical;
	ext->length = fe->fe_length;
	ext->type = fe_type(fe->fe_flags);
	ext->flags = f->extra_flags;
	for (size_t i = 0; i < sizeof(flag_map) / sizeof(flag_map[0]); i++)
		if (fe->fe_flags & flag_map[i].fe)
			ext->flags |= flag_map[i].dt;
	ext->addr = (fe->fe_flags & (FIEMAP_EXTENT_UNKNOWN |
				     FIEMAP_EXTENT_DELALLOC)) ?
		DT_NO_ADDR : fe->fe_physical;
	return 0;
}

static void fiemap_release(struct dt_source *src)
{
	free(src->priv);
}

static const struct dt_source_ops fiemap_ops = {
	.name = "fiemap",
	.begin = fiemap_begin,
	.release = fiemap_release,
};

int dt_fiemap_source(struct dt_source *src, int fd, bool sync)
{
	struct fiemap_src *f;
	struct statfs sfs;
	struct stat st;
	int ret;

	if (fstat(fd, &st) < 0)
		return -errno;
	f = calloc(1, sizeof(*f) + BATCH * sizeof(struct fiemap_extent));
	if (!f)
		return -ENOMEM;
	f->fd = fd;
	f->dev = st.st_dev;
	f->sync = sync ? FIEMAP_FLAG_SYNC : 0;
	/* btrfs answers with its own logical addresses, not device offsets */
	if (fstatfs(fd, &sfs) == 0 && sfs.f_type == BTRFS_SUPER_MAGIC)
		f->extra_flags = DT_F_LOGICAL;
	/* Probe now, so that a caller can fall back before printing. */
	ret = fetch(f, 0);
	if (ret) {
		free(f);
		return ret;
	}
	*src = (struct dt_source) {
		.ops = &fiemap_ops, .size = st.st_size, .priv = f,
	};
	return 0;
}
