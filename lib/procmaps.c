// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/PID/maps, a line per mapping:
 *   START-END PERMS OFFSET MAJOR:MINOR INODE   PATH
 * (hex but INODE; PATH may hold spaces, and ends " (deleted)" for a
 * removed file).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxtool/procmaps.h"

int dt_maps_parse_line(char *line, struct dt_vma *v)
{
	static const char deleted[] = " (deleted)";
	char perms[8];
	size_t len;
	int n = 0;
	char *p;

	memset(v, 0, sizeof(*v));
	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64
		   " %x:%x %" SCNu64 "%n", &v->start, &v->end, perms,
		   &v->offset, &v->major, &v->minor, &v->ino, &n) < 7 || !n ||
	    v->end <= v->start || strlen(perms) != 4)
		return -1;
	v->shared = perms[3] == 's';
	p = line + n;
	p += strspn(p, " \t");
	p[strcspn(p, "\n")] = '\0';
	len = strlen(p);
	if (len > sizeof(deleted) - 1 &&
	    !strcmp(p + len - (sizeof(deleted) - 1), deleted)) {
		p[len - (sizeof(deleted) - 1)] = '\0';
		v->deleted = true;
	}
	v->path = p;
	return v->ino && *p == '/' ? 0 : 1;
}

int dt_maps_read(int pid, int (*fn)(const struct dt_vma *v, void *arg),
		 void *arg)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	int ret = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (!ret && getline(&line, &cap, f) > 0) {
		struct dt_vma v;

		if (dt_maps_parse_line(line, &v) == 0)
			ret = fn(&v, arg);
	}
	free(line);
	if (ferror(f) && !ret)
		ret = -EIO;
	fclose(f);
	return ret;
}
