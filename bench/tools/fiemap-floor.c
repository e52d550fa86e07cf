// SPDX-License-Identifier: GPL-2.0-only
/*
 * fiemap-floor FILE: the least a FIEMAP-based tool can spend on FILE:
 * FIEMAP in batches of 1024 extents, nothing printed. The map benchmark
 * shows it beside the tools, so the kernel's own share is plain to see.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>

#define BATCH 1024

int main(int argc, char **argv)
{
	struct fiemap *fm;
	unsigned long long pos = 0, n = 0;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: fiemap-floor FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	fm = calloc(1, sizeof(*fm) + BATCH * sizeof(struct fiemap_extent));
	if (fd < 0 || !fm) {
		perror(argv[1]);
		return 1;
	}
	for (;;) {
		struct fiemap_extent *last;

		memset(fm, 0, sizeof(*fm));
		fm->fm_start = pos;
		fm->fm_length = FIEMAP_MAX_OFFSET - pos;
		fm->fm_extent_count = BATCH;
		if (ioctl(fd, FS_IOC_FIEMAP, fm) < 0) {
			perror("FIEMAP");
			return 1;
		}
		if (!fm->fm_mapped_extents)
			break;
		n += fm->fm_mapped_extents;
		last = &fm->fm_extents[fm->fm_mapped_extents - 1];
		if (last->fe_flags & FIEMAP_EXTENT_LAST)
			break;
		pos = last->fe_logical + last->fe_length;
	}
	printf("%llu\n", n);
	return 0;
}
