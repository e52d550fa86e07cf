// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEEK_DATA/SEEK_HOLE source, for filesystems without FIEMAP (tmpfs).
 * It knows data from holes and nothing else: no addresses, and unwritten
 * (preallocated) ranges read as holes.
 */
#include <errno.h>
#include <unistd.h>
#include <sys/stat.h>

#include "daxtool/sources.h"

static int seek_begin(struct dt_source *src, uint64_t pos, uint64_t len,
		      struct dt_extent *ext)
{
	int fd = (int)(intptr_t)src->priv;
	uint64_t end = pos + len;
	off_t data, hole;

	ext->offset = pos;
	ext->addr = DT_NO_ADDR;
	data = lseek(fd, (off_t)pos, SEEK_DATA);
	if (data < 0 && errno != ENXIO)
		return -errno;
	if (data < 0 || (uint64_t)data > pos) {
		/* ENXIO: no data from pos on, a hole to the end */
		ext->type = DT_HOLE;
		ext->length = (data < 0 || (uint64_t)data > end ? end :
			       (uint64_t)data) - pos;
		return 0;
	}
	hole = lseek(fd, (off_t)pos, SEEK_HOLE);
	if (hole < 0)
		return errno == ENXIO ? -ESTALE : -errno;
	if ((uint64_t)hole <= pos)	/* changed under us */
		return -ESTALE;
	ext->type = DT_MAPPED;
	ext->flags = DT_F_UNKNOWN;
	ext->length = ((uint64_t)hole > end ? end : (uint64_t)hole) - pos;
	return 0;
}

static const struct dt_source_ops seek_ops = {
	.name = "seek",
	.begin = seek_begin,
};

int dt_seek_source(struct dt_source *src, int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_DATA) < 0 && errno != ENXIO)
		return errno == EINVAL ? -EOPNOTSUPP : -errno;
	*src = (struct dt_source) {
		.ops = &seek_ops, .size = st.st_size,
		.caveats = DT_CAVEAT_UNWRITTEN_AS_HOLE | DT_CAVEAT_NO_ADDR,
		.priv = (void *)(intptr_t)fd,
	};
	return 0;
}
