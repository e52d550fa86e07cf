// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "daxtool/sources.h"
#include "daxtool/subject.h"
#include "daxtool/util.h"

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

static int open_layout(struct dt_subject *s, char *err, size_t errlen)
{
	char why[256] = "";
	int ret = dt_layout_source(&s->src, s->path, why, sizeof(why));

	if (ret)
		FAIL("%s: %s", s->path, why[0] ? why : strerror(-ret));
	s->kind = "layout";
	s->has_src = true;
	s->ds.on = true;	/* a what-if: DAX assumed */
	DT_COPY(s->ds.fs, "layout");
	s->params.size = s->src.size;
	return 0;
}

static int open_devdax(struct dt_subject *s, const struct dt_topology *t,
		       char *err, size_t errlen)
{
	const struct dt_daxdev *d = dt_topology_dev_by_devt(t, s->st.st_rdev);
	int ret;

	if (!d)
		FAIL("%s: is a character device, not a device-DAX device", s->path);
	s->kind = "devdax";
	dt_backing_of_daxdev(t, d, &s->backing);
	s->ds.on = true;
	DT_COPY(s->ds.fs, "devdax");
	s->ds.statx_dax = s->ds.inode_flag = s->ds.bdev_dax = -1;
	s->params.dev_align = d->align;
	s->params.size = d->size;
	ret = dt_devdax_source(&s->src, d->mappings, d->nr_mappings, d->size);
	if (ret)
		FAIL("%s: %s", s->path, strerror(-ret));
	s->has_src = true;
	return 0;
}

/* New files in a directory get DAX if the mount says always, or inode
 * with the directory's flag (which they inherit). */
static void open_directory(struct dt_subject *s)
{
	s->kind = "directory";
	s->ds.on = s->ds.bdev_dax > 0 &&
		(!strcmp(s->ds.mount_dax, "always") ||
		 (!strcmp(s->ds.mount_dax, "inode") && s->ds.inode_flag == 1));
	if (!s->ds.on && !s->ds.why[0])
		snprintf(s->ds.why, sizeof(s->ds.why), "%s is mounted "
			 "dax=inode and the directory's DAX flag is not set, "
			 "so new files do not get DAX", s->ds.fs);
}

/* A file: FIEMAP (or SEEK_DATA), stacked on the pmem namespace under it. */
static int open_file(struct dt_subject *s, char *err, size_t errlen)
{
	struct dt_source file, dev;
	int ret;

	s->kind = s->ds.on ? "fsdax" : "file";
	s->params.size = (uint64_t)s->st.st_size;
	ret = dt_fiemap_source(&file, s->fd, false);
	if (ret == -EOPNOTSUPP)
		ret = dt_seek_source(&file, s->fd);
	if (ret)
		FAIL("%s: %s", s->path, strerror(-ret));
	if (s->backing.base == DT_NO_ADDR) {
		s->src = file;
	} else if (dt_linear_source(&dev, s->backing.dev_size, s->backing.base) ||
		   dt_stack_source(&s->src, &file, &dev)) {
		dt_source_release(&file);
		FAIL("%s: %s", s->path, strerror(ENOMEM));
	}
	s->has_src = true;
	return 0;
}

int dt_subject_open(struct dt_subject *s, const char *path, bool layout,
		    const struct dt_topology *t, char *err, size_t errlen)
{
	static const struct { mode_t fmt; const char *what; } bad[] = {
		{ S_IFIFO, "is a fifo" }, { S_IFSOCK, "is a socket" },
		{ S_IFBLK, "is a block device: check a file on its filesystem" },
	};

	memset(s, 0, sizeof(*s));
	s->path = path;
	s->fd = -1;
	if (layout)
		return open_layout(s, err, errlen);
	s->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (s->fd < 0 || fstat(s->fd, &s->st) < 0)
		FAIL("%s: %s", path, strerror(errno));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if ((s->st.st_mode & S_IFMT) == bad[i].fmt)
			FAIL("%s: %s", path, bad[i].what);
	if (S_ISCHR(s->st.st_mode))
		return open_devdax(s, t, err, errlen);
	dt_backing_of_file(t, s->st.st_dev, false, &s->backing);
	dt_dax_state(s->fd, &s->st, t, &s->backing, &s->ds);
	s->params.dax = s->ds.on;
	s->params.aligned_alloc = s->ds.aligned_alloc;
	if (S_ISDIR(s->st.st_mode)) {
		open_directory(s);
		return 0;
	}
	return open_file(s, err, errlen);
}

void dt_subject_close(struct dt_subject *s)
{
	if (s->has_src)
		dt_source_release(&s->src);
	s->has_src = false;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}
