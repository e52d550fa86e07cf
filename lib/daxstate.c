// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <xfs/xfs.h>

#include "daxtool/daxstate.h"
#include "daxtool/fs.h"
#include "daxtool/iomap.h"
#include "daxtool/util.h"

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif

/* the value of "key=N" in a comma-separated option list, or 0 */
static unsigned long long option(const char *opts, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = opts; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, key, n) && p[n] == '=')
			return strtoull(p + n + 1, NULL, 10);
	return 0;
}

/* The value of "key=VALUE" in a comma-separated option list, or "". */
static void option_str(const char *opts, const char *key, char *buf, size_t len)
{
	size_t n = strlen(key);

	buf[0] = '\0';
	for (const char *p = opts; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, key, n) && p[n] == '=') {
			size_t v = strcspn(p + n + 1, ",");

			snprintf(buf, len, "%.*s", (int)v, p + n + 1);
			return;
		}
}

/* An xfs realtime file (or a directory whose new files are): its data live on the realtime device, allocated
 * in realtime extents (the file's extent size hint, else the
 * filesystem's). */
static void realtime(int fd, const struct fsxattr *fsx, const struct dt_mount *m,
		     struct dt_dax_state *ds)
{
	struct xfs_fsop_geom geo;

	ds->realtime = true;
	if (m)
		option_str(m->options, "rtdev", ds->rtdev, sizeof(ds->rtdev));
	if (fsx->fsx_extsize)
		ds->rt_extsize = fsx->fsx_extsize;
	else if (ioctl(fd, XFS_IOC_FSGEOMETRY, &geo) == 0)
		ds->rt_extsize = (uint64_t)geo.rtextsize * geo.blocksize;
	if (ds->rt_extsize && ds->rt_extsize % DT_PMD_SIZE == 0) {
		snprintf(ds->alloc_hint, sizeof(ds->alloc_hint),
			 "xfs realtime extent size %lluK",
			 (unsigned long long)ds->rt_extsize >> 10);
		ds->aligned_alloc = true;
	}
}

/* Does the filesystem put new allocations on 2 MiB boundaries? */
static void alignment(int fd, const struct dt_mount *m, struct dt_dax_state *ds)
{
	struct fsxattr fsx;
	unsigned long long v;

	if (!strcmp(ds->fs, "xfs")) {
		if (ioctl(fd, FS_IOC_FSGETXATTR, &fsx) == 0 &&
		    (fsx.fsx_xflags & (FS_XFLAG_REALTIME | FS_XFLAG_RTINHERIT))) {
			realtime(fd, &fsx, m, ds);
			return;
		}
		if (ioctl(fd, FS_IOC_FSGETXATTR, &fsx) == 0 && fsx.fsx_extsize &&
		    fsx.fsx_extsize % DT_PMD_SIZE == 0) {
			snprintf(ds->alloc_hint, sizeof(ds->alloc_hint),
				 "xfs extent size hint %uK", fsx.fsx_extsize >> 10);
			ds->aligned_alloc = true;
			return;
		}
		v = m ? option(m->options, "sunit") * 512 : 0;	/* sectors */
		if (v && v % DT_PMD_SIZE == 0) {
			snprintf(ds->alloc_hint, sizeof(ds->alloc_hint),
				 "xfs stripe unit %lluK", v >> 10);
			ds->aligned_alloc = true;
		}
	} else if (!strcmp(ds->fs, "ext4")) {
		struct statfs sfs;

		v = m ? option(m->options, "stripe") : 0;	/* blocks */
		if (v && fstatfs(fd, &sfs) == 0)
			v *= (unsigned long long)sfs.f_bsize;
		if (v && v % DT_PMD_SIZE == 0) {
			snprintf(ds->alloc_hint, sizeof(ds->alloc_hint),
				 "ext4 stripe %lluK", v >> 10);
			ds->aligned_alloc = true;
		}
	}
}

static void explain(const struct dt_backing *b, const struct dt_dax_state *ds,
		    char *out, size_t len)
{
	const char *dev = b->dev[0] ? b->dev : NULL;

	if (ds->bdev_dax < 0)
		snprintf(out, len, "%s has no block device, so no memory to map "
			 "directly: it cannot do DAX%s", ds->fs,
			 !strcmp(ds->fs, "tmpfs") ? " (for huge pages on tmpfs, "
			 "mount it -o huge=always)" : "");
	else if (!ds->bdev_dax && b->namespace[0])
		snprintf(out, len, "%s is on %s, namespace %s in %s mode, which "
			 "cannot do DAX", ds->fs, dev, b->namespace, b->mode);
	else if (!ds->bdev_dax)
		snprintf(out, len, "%s is on %s, which does not support DAX: it "
			 "is not persistent memory", ds->fs, dev);
	else if (!strcmp(ds->mount_dax, "never"))
		snprintf(out, len, "%s on %s is mounted dax=never", ds->fs, dev);
	else if (!strcmp(ds->mount_dax, "inode") && ds->inode_flag == 0)
		snprintf(out, len, "%s on %s is mounted dax=inode and this "
			 "file's DAX flag is not set", ds->fs, dev);
	else if (ds->statx_dax == 0)
		snprintf(out, len, "the kernel says the file is not in DAX "
			 "state (STATX_ATTR_DAX is clear) although %s on %s "
			 "could do DAX", ds->fs, dev);
	else
		snprintf(out, len, "the kernel does not say the file is DAX");
}

void dt_dax_state(int fd, const struct stat *st, const struct dt_topology *t,
		  const struct dt_backing *b, struct dt_dax_state *ds)
{
	const struct dt_mount *m = dt_topology_mount_by_devt(t, st->st_dev);
	struct statx stx;
	struct fsxattr fsx;
	struct statfs sfs;
	const char *fs = NULL;

	memset(ds, 0, sizeof(*ds));
	ds->statx_dax = ds->inode_flag = -1;
	if (fstatfs(fd, &sfs) == 0)
		fs = dt_fs_name((uint64_t)sfs.f_type);
	DT_COPY(ds->fs, fs ? fs : "unknown");
	if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) == 0 &&
	    (stx.stx_attributes_mask & STATX_ATTR_DAX))
		ds->statx_dax = !!(stx.stx_attributes & STATX_ATTR_DAX);
	if (ioctl(fd, FS_IOC_FSGETXATTR, &fsx) == 0)
		ds->inode_flag = !!(fsx.fsx_xflags & FS_XFLAG_DAX);
	ds->bdev_dax = b->dev[0] ? dt_bdev_dax_capable(major(st->st_dev),
						       minor(st->st_dev)) : -1;
	DT_COPY(ds->mount_dax, m ? m->dax : ds->bdev_dax > 0 ? "" : "never");
	alignment(fd, m, ds);
	/* the kernel's word decides; the rest explains. Kernels before 5.8
	 * do not say: then the mount and the device must. */
	if (ds->statx_dax >= 0)
		ds->on = ds->statx_dax == 1;
	else
		ds->on = ds->bdev_dax > 0 &&
			 (!strcmp(ds->mount_dax, "always") ||
			  (!strcmp(ds->mount_dax, "inode") && ds->inode_flag == 1));
	if (!ds->on)
		explain(b, ds, ds->why, sizeof(ds->why));
}
