/* SPDX-License-Identifier: GPL-2.0-only */
/* A process's file mappings, from /proc/PID/maps. */
#ifndef DAXTOOL_PROCMAPS_H
#define DAXTOOL_PROCMAPS_H

#include <stdbool.h>
#include <stdint.h>

struct dt_vma {
	uint64_t start, end;	/* virtual, end exclusive */
	uint64_t offset;	/* the file offset mapped at start */
	unsigned major, minor;	/* the file's filesystem (s_dev) */
	uint64_t ino;
	bool shared;		/* MAP_SHARED */
	const char *path;	/* as maps shows it; valid during the call */
};

/*
 * Call @fn for each mapping of a file (inode not 0, path absolute) in
 * /proc/@pid/maps. Returns 0, -errno if the file cannot be read (the
 * process is gone: -ENOENT or -ESRCH), or fn's non-zero return.
 */
int dt_maps_read(int pid, int (*fn)(const struct dt_vma *v, void *arg),
		 void *arg);

#endif
