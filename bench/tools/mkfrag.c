// SPDX-License-Identifier: GPL-2.0-only
/*
 * mkfrag FILE COUNT [STRIDE]: write COUNT 4 KiB blocks, one every STRIDE
 * blocks (default 2), so the file has COUNT extents and COUNT - 1 holes.
 * Used by the tests and benchmarks to build heavily fragmented files.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char block[4096];
	long count, stride = 2;
	int fd;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: mkfrag FILE COUNT [STRIDE]\n");
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
	memset(block, 0xa5, sizeof(block));
	for (long i = 0; i < count; i++) {
		if (pwrite(fd, block, sizeof(block), (off_t)(i * stride) * 4096) !=
		    (ssize_t)sizeof(block)) {
			perror(argv[1]);
			return 1;
		}
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
