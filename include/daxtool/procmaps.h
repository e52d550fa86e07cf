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
	bool deleted;		/* the file was removed: " (deleted)" */
	const char *path;	/* as maps shows it, without " (deleted)";
				   valid during the call */
};

/*
 * Parse one line of /proc/PID/maps (its newline is dropped, and a
 * " (deleted)" after the path, into @v->deleted; the path points into
 * @line). 0 for a mapping of a file (inode not 0, an absolute path), 1
 * for any other mapping (anonymous, [heap], [stack], ...), -1 for a line
 * that is no mapping.
 */
int dt_maps_parse_line(char *line, struct dt_vma *v);

/*
 * Call @fn for each mapping of a file (inode not 0, path absolute) in
 * /proc/@pid/maps. Returns 0, -errno if the file cannot be read (the
 * process is gone: -ENOENT or -ESRCH), or fn's non-zero return.
 */
int dt_maps_read(int pid, int (*fn)(const struct dt_vma *v, void *arg),
		 void *arg);

#endif
