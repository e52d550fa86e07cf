// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/PID/maps lines as the kernel writes them (show_map_vma): files,
 * a removed file, paths with spaces, anonymous memory and the named
 * kernel areas; then this process's own maps, read back.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daxtool/procmaps.h"
#include "tap.h"

static void test_lines(void)
{
	static const struct {
		const char *line;
		int ret;
		uint64_t start, end, offset, ino;
		unsigned major, minor;
		bool shared, deleted;
		const char *path;
	} t[] = {
		{ "7f3700000000-7f3740000000 rw-s 00000000 00:05 318                        /dev/dax0.0\n",
		  0, 0x7f3700000000, 0x7f3740000000, 0, 318, 0, 5, true, false, "/dev/dax0.0" },
		{ "7fe29b610000-7fe29be10000 rw-s 00200000 103:00 4099                      /mnt/xfs/wb4k\n",
		  0, 0x7fe29b610000, 0x7fe29be10000, 0x200000, 4099, 0x103, 0, true, false, "/mnt/xfs/wb4k" },
		{ "7f7942400000-7f7942c00000 r--p 00000000 fd:01 131 /mnt/a dir/my file (1)\n",
		  0, 0x7f7942400000, 0x7f7942c00000, 0, 131, 0xfd, 1, false, false, "/mnt/a dir/my file (1)" },
		{ "7f0000000000-7f0000200000 rw-s 00000000 103:00 4100                      /mnt/xfs/gone (deleted)\n",
		  0, 0x7f0000000000, 0x7f0000200000, 0, 4100, 0x103, 0, true, true, "/mnt/xfs/gone" },
		{ "7f0000000000-7f0000200000 rw-s 00000000 103:00 4101 /mnt/xfs/ends in (deleted) (deleted)",
		  0, 0x7f0000000000, 0x7f0000200000, 0, 4101, 0x103, 0, true, true, "/mnt/xfs/ends in (deleted)" },
		{ "7f0000000000-7f0000001000 rw-s 00000000 00:01 1025                       /memfd:x (deleted)\n",
		  0, 0x7f0000000000, 0x7f0000001000, 0, 1025, 0, 1, true, true, "/memfd:x" },
		{ "55f74a8f9000-55f74a91a000 rw-p 00000000 00:00 0                          [heap]\n",
		  1, 0x55f74a8f9000, 0x55f74a91a000, 0, 0, 0, 0, false, false, "[heap]" },
		{ "7fb5d81ef000-7fb5d81f3000 rw-p 00000000 00:00 0 \n",
		  1, 0x7fb5d81ef000, 0x7fb5d81f3000, 0, 0, 0, 0, false, false, "" },
		{ "7fb5d81ef000-7fb5d81f3000 ---p 00000000 00:00 0",
		  1, 0x7fb5d81ef000, 0x7fb5d81f3000, 0, 0, 0, 0, false, false, "" },
		{ "7ffe67d1a000-7ffe67d3b000 rw-p 00000000 00:00 0                          [stack]\n",
		  1, 0x7ffe67d1a000, 0x7ffe67d3b000, 0, 0, 0, 0, false, false, "[stack]" },
		{ "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n",
		  1, 0xffffffffff600000, 0xffffffffff601000, 0, 0, 0, 0, false, false, "[vsyscall]" },
		/* an inode without an absolute path: not a file to audit */
		{ "7f0000000000-7f0000001000 rw-s 00000000 00:01 7 anon_inode:[io_uring]\n",
		  1, 0x7f0000000000, 0x7f0000001000, 0, 7, 0, 1, true, false, "anon_inode:[io_uring]" },
	};
	static const char *const bad[] = {
		"", "\n", "garbage", "7f00-7f10 rw-s", "7f00-7f10 rw-s 0 00:05",
		"7f10-7f00 rw-s 00000000 00:05 3 /x",	/* end before start */
		"7f00-7f10 rw-sx 00000000 00:05 3 /x",	/* perms not 4 */
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char buf[256];
		struct dt_vma v;
		int ret;

		snprintf(buf, sizeof(buf), "%s", t[i].line);
		ret = dt_maps_parse_line(buf, &v);
		CHECK(ret == t[i].ret && v.start == t[i].start &&
		      v.end == t[i].end && v.offset == t[i].offset &&
		      v.ino == t[i].ino && v.major == t[i].major &&
		      v.minor == t[i].minor && v.shared == t[i].shared &&
		      v.deleted == t[i].deleted && v.path &&
		      !strcmp(v.path, t[i].path),
		      "maps line %zu: %s, path '%s'", i,
		      t[i].ret ? "not a file" : "a file", t[i].path);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char buf[256];
		struct dt_vma v;

		snprintf(buf, sizeof(buf), "%s", bad[i]);
		CHECK(dt_maps_parse_line(buf, &v) == -1,
		      "maps line %zu is no mapping", i);
	}
}

struct found { const char *path; uint64_t start; bool shared, seen; };

static int find_fn(const struct dt_vma *v, void *arg)
{
	struct found *f = arg;

	if (!strcmp(v->path, f->path) && v->start == f->start) {
		f->seen = true;
		f->shared = v->shared;
	}
	return 0;
}

/* This process maps a file with a space in its name: read back. */
static void test_self(void)
{
	char path[] = "/tmp/daxtool unit maps XXXXXX";
	struct found f = { path, 0, false, false };
	int fd = mkstemp(path);
	void *p;

	if (fd < 0 || ftruncate(fd, 8192)) {
		check_(0, "maps of this process: a temporary file");
		return;
	}
	p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		check_(0, "maps of this process: mmap");
		close(fd);
		unlink(path);
		return;
	}
	f.start = (uintptr_t)p;
	CHECK(dt_maps_read(getpid(), find_fn, &f) == 0 && f.seen && f.shared,
	      "maps of this process: the shared mapping of '%s' at %p", path, p);
	CHECK(dt_maps_read(0x3fffffff, find_fn, &f) < 0,
	      "maps of a process that does not exist: an error");
	munmap(p, 8192);
	close(fd);
	unlink(path);
}

int main(void)
{
	test_lines();
	test_self();
	TAP_EXIT();
}
