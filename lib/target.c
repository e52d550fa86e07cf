// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one target model (see include/daxtool/target.h): a path opened
 * once, classified by a table of file types, with its device stack made
 * from the run's topology. The extents of a file translate through the
 * device they are really on: the data device, or the realtime device of
 * an xfs realtime file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "daxtool/sources.h"
#include "daxtool/target.h"
#include "daxtool/util.h"

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

static const char *const kind_names[DT_NR_TARGET_KINDS] = {
	[DT_TARGET_FILE] = "file", [DT_TARGET_DEVDAX] = "devdax",
	[DT_TARGET_BLOCK] = "block", [DT_TARGET_DIR] = "directory",
	[DT_TARGET_NEW] = "new", [DT_TARGET_MEMORY] = "memory",
	[DT_TARGET_LAYOUT] = "layout",
};

static const struct { const char *name; enum dt_memory m; } memory_names[] = {
	{ "emulated", DT_MEM_EMULATED }, { "anon", DT_MEM_ANON },
	{ "hugetlb", DT_MEM_HUGETLB },
};

const char *dt_target_kind_name(const struct dt_target *t)
{
	if (t->kind == DT_TARGET_FILE && t->ds.on)
		return "fsdax";
	return (unsigned)t->kind < DT_NR_TARGET_KINDS ? kind_names[t->kind] : "?";
}

const char *dt_memory_name(enum dt_memory m)
{
	for (size_t i = 0; i < ARRAY_SIZE(memory_names); i++)
		if (memory_names[i].m == m)
			return memory_names[i].name;
	return "?";
}

const char *dt_target_dev_name(const struct dt_target *t, dev_t devt)
{
	const struct dt_dev *d = dt_devset_find(t->devs, devt);

	return d ? d->name : NULL;
}

/* A hint for a path that does not exist where devices live. */
static const char *dev_hint(const struct dt_topology *topo)
{
	return topo->nr_devs || topo->nr_namespaces ?
		"; 'daxtool list' shows this machine's DAX devices" :
		"; this machine has no DAX devices ('daxtool list'): the "
		"benchmarks run on emulated memory (targets emulated, anon, "
		"hugetlb) or a file on any filesystem";
}

/* Is directory @dir on devtmpfs (where a missing name is a device that
 * is not there, not a file to create)? */
static bool on_devtmpfs(const struct dt_topology *topo, const char *dir)
{
	struct stat st;
	const struct dt_mount *m;

	if (stat(dir, &st) < 0)
		return false;
	m = dt_topology_mount_by_devt(topo, st.st_dev);
	return m && !strcmp(m->fstype, "devtmpfs");
}

static void parent_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, len, ".");
	else if (slash == path)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

/* New files in a directory get DAX if the mount says always, or inode
 * with the directory's flag (which they inherit). */
static void directory_dax(struct dt_target *t)
{
	struct dt_dax_state *ds = &t->ds;

	ds->on = ds->bdev_dax > 0 &&
		(!strcmp(ds->mount_dax, "always") ||
		 (!strcmp(ds->mount_dax, "inode") && ds->inode_flag == 1));
	if (!ds->on && !ds->why[0])
		snprintf(ds->why, sizeof(ds->why), "%s is mounted dax=inode "
			 "and the directory's DAX flag is not set, so new files "
			 "do not get DAX", ds->fs);
}

/* The device stack a file's extents are on: the filesystem's device, or
 * for an xfs realtime file the realtime device. */
static void file_devices(struct dt_target *t, const struct dt_topology *topo)
{
	struct dt_dax_state *ds = &t->ds;
	const struct dt_dev *data = dt_devset_load(t->devs, topo, t->st.st_dev);
	struct stat rt;

	t->mount = dt_topology_mount_by_devt(topo, t->st.st_dev);
	if (!data) {
		snprintf(t->phys_why, sizeof(t->phys_why), "%s", strerror(ENOMEM));
		return;
	}
	dt_backing_of_dev(topo, data, &t->backing);
	dt_dax_state(t->fd, &t->st, topo, &t->backing, ds);
	t->dev = data;
	if (!strcmp(ds->fs, "btrfs")) {
		t->dev = NULL;
		snprintf(t->phys_why, sizeof(t->phys_why), "btrfs reports "
			 "filesystem-logical addresses, not device offsets");
		return;
	}
	if (ds->realtime) {
		t->realtime = true;
		t->dev = NULL;
		if (!ds->rtdev[0] || stat(ds->rtdev, &rt) < 0 ||
		    !S_ISBLK(rt.st_mode)) {
			snprintf(t->phys_why, sizeof(t->phys_why), "an xfs "
				 "realtime file, and the realtime device %.160s%s",
				 ds->rtdev[0] ? ds->rtdev : "is not in the "
				 "mount options", ds->rtdev[0] ? " cannot be "
				 "opened" : "");
			/* its addresses are on a device not known: none */
			t->dev = dt_devset_add_opaque(t->devs, 0, "rtdev",
						      UINT64_MAX, t->phys_why);
			return;
		}
		t->dev = dt_devset_load(t->devs, topo, rt.st_rdev);
		if (t->dev)
			dt_backing_of_dev(topo, t->dev, &t->backing);
	}
	if (t->dev) {
		const struct dt_dev *capped = dt_dev_capped(t->dev);

		dt_dev_why_unknown(t->dev, t->phys_why, sizeof(t->phys_why));
		t->params.max_io = capped ? capped->max_io : 0;
	}
}

static int open_memory(struct dt_target *t, enum dt_memory m)
{
	t->kind = DT_TARGET_MEMORY;
	t->memory = m;
	return 0;
}

static int open_layout(struct dt_target *t, char *err, size_t errlen)
{
	char why[256] = "";
	struct stat st;
	int ret;

	/* a layout is a small regular file: a fifo would block, /dev/zero
	 * would never end */
	if (stat(t->path, &st) == 0 && !S_ISREG(st.st_mode))
		FAIL("%s: a layout must be a regular file (this is %s)", t->path,
		     S_ISDIR(st.st_mode) ? "a directory" : S_ISFIFO(st.st_mode) ?
		     "a fifo" : "a special file");
	ret = dt_layout_source(&t->src, t->path, why, sizeof(why));
	if (ret)
		FAIL("%s: %s", t->path, why[0] ? why : strerror(-ret));
	t->kind = DT_TARGET_LAYOUT;
	t->has_src = true;
	t->ds.on = true;	/* a what-if: DAX assumed */
	DT_COPY(t->ds.fs, "layout");
	t->params.size = t->src.size;
	return 0;
}

static int open_missing(struct dt_target *t, const struct dt_topology *topo,
			unsigned flags, char *err, size_t errlen)
{
	char dir[PATH_MAX];

	parent_of(t->path, dir, sizeof(dir));
	if (on_devtmpfs(topo, dir))
		FAIL("%s: no such device%s", t->path, dev_hint(topo));
	if (!(flags & DT_OPEN_CREATE))
		FAIL("%s: %s", t->path, strerror(ENOENT));
	t->fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->fd < 0 || fstat(t->fd, &t->st) < 0)
		FAIL("%s: %s", t->path, strerror(errno));
	t->kind = DT_TARGET_NEW;
	t->devs = dt_devset_new();
	if (!t->devs)
		FAIL("%s: %s", t->path, strerror(ENOMEM));
	file_devices(t, topo);
	directory_dax(t);
	t->params.dax = t->ds.on;
	t->params.aligned_alloc = t->ds.aligned_alloc;
	return 0;
}

static int open_devdax(struct dt_target *t, const struct dt_topology *topo,
		       char *err, size_t errlen)
{
	const struct dt_daxdev *d = dt_topology_dev_by_devt(topo, t->st.st_rdev);

	if (!d)
		FAIL("%s: is a character device, not a device-DAX device%s",
		     t->path, dev_hint(topo));
	t->kind = DT_TARGET_DEVDAX;
	t->daxdev = d;
	dt_backing_of_daxdev(topo, d, &t->backing);
	t->ds.on = true;
	DT_COPY(t->ds.fs, "devdax");
	t->ds.statx_dax = t->ds.inode_flag = t->ds.bdev_dax = -1;
	t->params.dax = true;
	t->params.dev_align = d->align;
	t->params.size = d->size;
	return 0;
}

static int open_block(struct dt_target *t, const struct dt_topology *topo,
		      char *err, size_t errlen)
{
	t->kind = DT_TARGET_BLOCK;
	t->devs = dt_devset_new();
	t->dev = t->devs ? dt_devset_load(t->devs, topo, t->st.st_rdev) : NULL;
	if (!t->dev)
		FAIL("%s: %s", t->path, strerror(ENOMEM));
	dt_backing_of_dev(topo, t->dev, &t->backing);
	dt_dev_why_unknown(t->dev, t->phys_why, sizeof(t->phys_why));
	t->params.size = t->dev->size;
	return 0;
}

int dt_target_open(struct dt_target *t, struct dt_ctx *ctx, const char *path,
		   unsigned flags, char *err, size_t errlen)
{
	static const struct { mode_t fmt; unsigned need; const char *what; } types[] = {
		{ S_IFIFO, 0, "is a fifo, not a regular file" },
		{ S_IFSOCK, 0, "is a socket, not a regular file" },
		{ S_IFDIR, DT_OPEN_DIR, "is a directory" },
		{ S_IFBLK, DT_OPEN_BLOCK, "is a block device: give a file on "
		  "its filesystem (mounted -o dax)" },
	};
	const struct dt_topology *topo;
	int oflags;

	memset(t, 0, sizeof(*t));
	t->path = path;
	t->fd = -1;
	if (flags & DT_OPEN_LAYOUT)
		return open_layout(t, err, errlen);
	for (size_t i = 0; (flags & DT_OPEN_MEMORY) && i < ARRAY_SIZE(memory_names); i++)
		if (!strcmp(path, memory_names[i].name))
			return open_memory(t, memory_names[i].m);
	topo = dt_ctx_topology(ctx);
	if (stat(path, &t->st) < 0) {
		if (errno == ENOENT)
			return open_missing(t, topo, flags, err, errlen);
		FAIL("%s: %s", path, strerror(errno));
	}
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if ((t->st.st_mode & S_IFMT) == types[i].fmt &&
		    !(flags & types[i].need))
			FAIL("%s: %s", path, types[i].what);
	/* O_NONBLOCK: opening a fifo must not wait for a writer */
	oflags = O_NONBLOCK | O_CLOEXEC | O_NOCTTY |
		 ((flags & DT_OPEN_WRITE) && !S_ISDIR(t->st.st_mode) ? O_RDWR :
		  O_RDONLY);
	t->fd = open(path, oflags);
	if (t->fd < 0 || fstat(t->fd, &t->st) < 0)
		FAIL("%s: %s", path, strerror(errno));
	switch (t->st.st_mode & S_IFMT) {
	case S_IFCHR:
		return open_devdax(t, topo, err, errlen);
	case S_IFBLK:
		return open_block(t, topo, err, errlen);
	case S_IFDIR:
	case S_IFREG:
		break;
	default:
		FAIL("%s: is neither a file nor a device", path);
	}
	t->devs = dt_devset_new();
	if (!t->devs)
		FAIL("%s: %s", path, strerror(ENOMEM));
	file_devices(t, topo);
	if (S_ISDIR(t->st.st_mode)) {
		t->kind = DT_TARGET_DIR;
		directory_dax(t);
	} else {
		t->kind = DT_TARGET_FILE;
		t->params.size = (uint64_t)t->st.st_size;
	}
	t->params.dax = t->ds.on;
	t->params.aligned_alloc = t->ds.aligned_alloc;
	return 0;
}

static int file_source(struct dt_target *t, enum dt_src_choice choice,
		       bool sync, char *err, size_t errlen)
{
	static const char *const what[] = {
		[DT_SRC_AUTO] = "FIEMAP nor SEEK_DATA/SEEK_HOLE",
		[DT_SRC_FIEMAP] = "FIEMAP",
		[DT_SRC_SEEK] = "SEEK_DATA/SEEK_HOLE",
	};
	struct dt_source file, dev;
	int ret = -EOPNOTSUPP;

	if (choice != DT_SRC_SEEK)
		ret = dt_fiemap_source(&file, t->fd, sync);
	if (ret == -EOPNOTSUPP && choice != DT_SRC_FIEMAP)
		ret = dt_seek_source(&file, t->fd);
	if (ret == -EOPNOTSUPP)
		FAIL("%s: the filesystem (%s) does not support %s: it has no "
		     "extents to show", t->path, t->ds.fs, what[choice]);
	if (ret)
		FAIL("%s: %s: %s", t->path, choice == DT_SRC_SEEK ? "seek" :
		     "fiemap", strerror(-ret));
	if (!t->dev || (file.caveats & DT_CAVEAT_NO_ADDR)) {
		t->src = file;
		return 0;
	}
	dt_devstack_source(&dev, t->dev);
	ret = dt_stack_source(&t->src, &file, &dev);
	if (ret) {
		dt_source_release(&file);
		FAIL("%s: %s", t->path, strerror(-ret));
	}
	return 0;
}

int dt_target_source(struct dt_target *t, enum dt_src_choice choice,
		     bool sync, char *err, size_t errlen)
{
	const struct dt_daxdev *d = t->daxdev;
	int ret = 0;

	if (t->has_src)
		return 0;
	switch (t->kind) {
	case DT_TARGET_FILE:
		ret = file_source(t, choice, sync, err, errlen);
		break;
	case DT_TARGET_DEVDAX:
		ret = dt_devdax_source(&t->src, d->devname, d->mappings,
				       d->nr_mappings, d->size);
		if (ret)
			FAIL("%s: %s: %s", t->path, d->devname, strerror(-ret));
		break;
	case DT_TARGET_BLOCK:
		ret = dt_devstack_source(&t->src, t->dev);
		break;
	default:
		FAIL("%s: a %s has no extents", t->path, dt_target_kind_name(t));
	}
	if (!ret)
		t->has_src = true;
	return ret;
}

void dt_target_close(struct dt_target *t)
{
	if (t->has_src)
		dt_source_release(&t->src);
	t->has_src = false;
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	dt_devset_free(t->devs);
	t->devs = NULL;
	t->dev = NULL;
}
