// SPDX-License-Identifier: GPL-2.0-only
#include <stddef.h>
#include <linux/magic.h>

#include "daxtool/fs.h"
#include "daxtool/util.h"

#ifndef XFS_SUPER_MAGIC
#define XFS_SUPER_MAGIC 0x58465342
#endif

static const struct { uint64_t magic; const char *name; } fs_names[] = {
	{ EXT4_SUPER_MAGIC,	"ext4" },	/* ext2/3/4 share it */
	{ XFS_SUPER_MAGIC,	"xfs" },
	{ BTRFS_SUPER_MAGIC,	"btrfs" },
	{ TMPFS_MAGIC,		"tmpfs" },
	{ 0x2fc12fc1,		"zfs" },
	{ 0xf2f52010,		"f2fs" },
	{ 0x01021997,		"9p" },
	{ OVERLAYFS_SUPER_MAGIC, "overlay" },
	{ NFS_SUPER_MAGIC,	"nfs" },
	{ 0x65735546,		"fuse" },
	{ RAMFS_MAGIC,		"ramfs" },
	{ HUGETLBFS_MAGIC,	"hugetlbfs" },
	{ PROC_SUPER_MAGIC,	"proc" },
	{ SYSFS_MAGIC,		"sysfs" },
	{ DEBUGFS_MAGIC,	"debugfs" },
	{ TRACEFS_MAGIC,	"tracefs" },
	{ CGROUP2_SUPER_MAGIC,	"cgroup2" },
};

const char *dt_fs_name(uint64_t f_type)
{
	for (size_t i = 0; i < ARRAY_SIZE(fs_names); i++)
		if (fs_names[i].magic == f_type)
			return fs_names[i].name;
	return NULL;
}
