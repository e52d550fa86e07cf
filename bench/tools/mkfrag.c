// SPDX-License-Identifier: GPL-2.0-only
/*
 * mkfrag [--punch] FILE COUNT [STRIDE]: a file of COUNT extents of one
 * 4 KiB block, one every STRIDE blocks (default 2), so COUNT - 1 holes.
 * Used by the tests and benchmarks to build heavily fragmented files.
 *
 * By default every block is written (the extents are mapped data). With
 * --punch no data is written: one fallocate of the whole range, then the
 * holes punched, so the extents are unwritten; a million extents take
 * seconds and almost no I/O.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/falloc.h>

#define BLK 4096

static int write_blocks(int fd, long count, long stride)
{
	char block[BLK];

	memset(block, 0xa5, sizeof(block));
	for (long i = 0; i < count; i++)
		if (pwrite(fd, block, sizeof(block), (off_t)(i * stride) * BLK) !=
		    (ssize_t)sizeof(block))
			return -1;
	return 0;
}

static int punch_holes(int fd, long count, long stride)
{
	off_t hole = (off_t)(stride - 1) * BLK;

	if (fallocate(fd, 0, 0, (off_t)((count - 1) * stride + 1) * BLK) < 0)
		return -1;
	for (long i = 0; i < count - 1; i++)
		if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      (off_t)(i * stride + 1) * BLK, hole) < 0)
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	long count, stride = 2;
	int punch = 0, fd;

	if (argc > 1 && !strcmp(argv[1], "--punch")) {
		punch = 1;
		argc--;
		argv++;
	}
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: mkfrag [--punch] FILE COUNT [STRIDE]\n");
		return 2;
	}
	count = atol(argv[2]);
	if (argc == 4)
		stride = atol(argv[3]);
	if (count <= 0 || stride <= 1) {
		fprintf(stderr, "mkfrag: COUNT must be > 0 and STRIDE > 1\n");
		return 2;
	}
	fd = open(argv[1], O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	if ((punch ? punch_holes(fd, count, stride) : write_blocks(fd, count, stride)) < 0 ||
	    fsync(fd) < 0 || close(fd) < 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
