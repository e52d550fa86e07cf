// SPDX-License-Identifier: GPL-2.0-only
/*
 * Targets: what a workload maps and touches. Real DAX (a device-DAX
 * device, a file on a filesystem mounted -o dax) and, where there is none
 * or the user asks, emulated memory (emulate.c: hugetlb, a tmpfs file,
 * anonymous memory) and the page cache, each labelled as what it is in
 * every output.
 *
 * Data safety: an existing file or device is opened read-only unless the
 * workload writes and --force says it may. Files daxtool creates (in a
 * directory, or at a path that does not exist yet) are removed afterwards,
 * on errors and on SIGINT/SIGTERM/SIGHUP too.
 *
 * Size: --size, else a file daxtool creates and memory get 256 MiB, and
 * an existing file or device its first BENCH_DEFAULT_CAP bytes at most (a
 * note on stderr says so where that is less than all of it).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "daxtool/fmt.h"
#include "daxtool/print.h"
#include "daxtool/target.h"
#include "daxtool/topology.h"
#include "daxtool/util.h"
#include "bench.h"

const char *const bench_access_names[BENCH_NR_ACCESS] = {
	[BENCH_READ] = "read", [BENCH_WRITE] = "write",
	[BENCH_READWRITE] = "readwrite",
};

const struct bench_kind_info bench_kinds[BENCH_NR_KINDS] = {
	/* device-DAX maps in its own alignment, whatever madvise says; and
	 * MADV_NOHUGEPAGE would turn its faults into SIGBUS */
	[BENCH_DEVDAX] = { "devdax", "device-DAX", false, -1, -1,
			   "KernelPageSize", true },
	[BENCH_FSDAX] = { "fsdax", "filesystem DAX", false, MADV_HUGEPAGE,
			  MADV_NOHUGEPAGE, NULL },
	[BENCH_ANON] = { "emulated-anon", "EMULATED: anonymous memory, not "
			 "DAX", true, MADV_HUGEPAGE, MADV_NOHUGEPAGE,
			 "AnonHugePages" },
	[BENCH_HUGETLB] = { "emulated-hugetlb", "EMULATED: hugetlb memory, "
			    "not DAX", true, -1, -1, "KernelPageSize", true },
	[BENCH_SHMEM] = { "emulated-shmem", "EMULATED: tmpfs, not DAX", true,
			  MADV_HUGEPAGE, MADV_NOHUGEPAGE, "ShmemPmdMapped" },
	[BENCH_FILE] = { "file", "page cache, NOT DAX", true, MADV_HUGEPAGE,
			 MADV_NOHUGEPAGE, "FilePmdMapped" },
};

enum bench_ret bench_fail(struct bench_err *e, enum bench_ret ret,
			  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return ret;
}

const char *bench_target_label(const struct bench_target *t)
{
	return t->label ? t->label : bench_kinds[t->kind].label;
}

enum bench_ret bench_target_size(struct bench_target *t,
				 const struct bench_target_opts *o,
				 uint64_t dflt, uint64_t max, const char *what,
				 struct bench_err *e)
{
	char a[32], b[32];

	if (!o->size) {
		t->size = dflt - dflt % o->granule;
		if (!t->size)
			return bench_fail(e, BENCH_FAIL, "%s: %s is %s: smaller "
					  "than one %s page", t->path[0] ? t->path :
					  bench_kinds[t->kind].name, what,
					  dt_fmt_size(a, sizeof(a), dflt),
					  dt_fmt_size(b, sizeof(b), o->granule));
		return BENCH_OK;
	}
	if (max && o->size > max)
		return bench_fail(e, BENCH_FAIL, "%s: --size %s is larger than "
				  "the %s (%s)", t->path[0] ? t->path :
				  bench_kinds[t->kind].name,
				  dt_fmt_size(a, sizeof(a), o->size), what,
				  dt_fmt_size(b, sizeof(b), max));
	t->size = o->size;
	return BENCH_OK;
}

/*
 * An existing file or device of @whole bytes: without --size, the first
 * BENCH_DEFAULT_CAP bytes at most, said on stderr where that is less than
 * all of it (a sparse file of a terabyte is cheap to make and costly to
 * fault whole).
 */
static enum bench_ret existing_size(struct bench_target *t,
				    const struct bench_target_opts *o,
				    uint64_t dflt, uint64_t whole,
				    const char *what, struct bench_err *e)
{
	char a[32], b[32];
	enum bench_ret ret;

	t->whole_size = whole;
	t->size_capped = !o->size && dflt > BENCH_DEFAULT_CAP;
	ret = bench_target_size(t, o, t->size_capped ? BENCH_DEFAULT_CAP : dflt,
				whole, what, e);
	if (!ret && t->size_capped)
		dt_warn("note: using the first %s of %s (%s); give --size to "
			"use more", dt_fmt_size(a, sizeof(a), t->size), t->path,
			dt_fmt_size(b, sizeof(b), whole));
	return ret;
}

/* ---- device-DAX --------------------------------------------------------- */

static enum bench_ret open_devdax(struct bench_target *t,
				  const struct bench_target_opts *o,
				  struct bench_err *e)
{
	const struct dt_daxdev *d = t->tg.daxdev;
	char a[32], b[32];
	enum bench_ret ret;

	t->kind = BENCH_DEVDAX;
	t->align = d->align;
	DT_COPY(t->dev, d->devname);
	/* a device's size is its alignment's multiple, and so is the cap
	 * (1 GiB): the default is all of it, or the cap */
	ret = existing_size(t, o, d->size - d->size % (d->align > o->granule ?
			    d->align : o->granule), d->size, "device", e);
	if (ret)
		return ret;
	if (d->align && t->size % d->align)
		return bench_fail(e, BENCH_USAGE, "%s: --size %s is not a "
				  "multiple of the device's alignment (%s): "
				  "device-DAX maps only whole %s pages", t->path,
				  dt_fmt_size(a, sizeof(a), t->size),
				  dt_fmt_size(b, sizeof(b), d->align), b);
	return BENCH_OK;
}

/* ---- files -------------------------------------------------------------- */

const char *bench_target_fs(const struct bench_target *t)
{
	return t->tg.kind == DT_TARGET_FILE ? t->tg.ds.fs : "";
}

const char *bench_target_mount_opts(const struct bench_target *t)
{
	return t->tg.mount ? t->tg.mount->options : "";
}

/* fsdax, tmpfs or the page cache, as the target model says. */
static void classify_file(struct bench_target *t)
{
	const char *opts = bench_target_mount_opts(t);

	t->fd = t->tg.fd;
	DT_COPY(t->dev, t->tg.backing.dev);
	if (t->tg.ds.on) {
		t->kind = BENCH_FSDAX;
		t->align = t->tg.backing.align;
	} else if (!strcmp(t->tg.ds.fs, "tmpfs")) {
		t->kind = BENCH_SHMEM;
		/* huge= decides whether tmpfs allocates 2 MiB pages */
		t->align = strstr(opts, "huge=always") ||
			   strstr(opts, "huge=within_size") ||
			   strstr(opts, "huge=advise") ? BENCH_2M : BENCH_4K;
	} else {
		t->kind = BENCH_FILE;
		t->align = 0;
	}
}

/* Write the file whole, so that its pages exist and hold data: tmpfs
 * allocates pages at fallocate() but zeroes them at their first fault. */
static int prefill(struct bench_target *t)
{
	const size_t chunk = 1 << 20;
	char *buf = malloc(chunk);
	int err = 0;

	if (!buf)
		return ENOMEM;
	memset(buf, 0x5a, chunk);	/* non-zero, as the workloads write */
	for (uint64_t off = 0; off < t->size && !err; ) {
		size_t n = t->size - off < chunk ? (size_t)(t->size - off) : chunk;
		ssize_t w = pwrite(t->fd, buf, n, (off_t)off);

		if (w < 0 && errno != EINTR)
			err = errno;
		else if (w == 0)
			err = ENOSPC;
		else if (w > 0)
			off += (uint64_t)w;
	}
	free(buf);
	return err;
}

static const char *const fill_names[] = { "fallocate", "truncate to",
					  "write" };

static int fill_file(struct bench_target *t, struct bench_err *e)
{
	int err, how = t->sparse ? 1 : t->prefilled ? 2 : 0;
	char a[32];

	if (t->sparse)
		err = ftruncate(t->fd, (off_t)t->size) ? errno : 0;
	else if (t->prefilled)
		err = prefill(t);
	else
		err = posix_fallocate(t->fd, 0, (off_t)t->size);
	if (err) {
		bench_fail(e, BENCH_FAIL, "%s: %s %s: %s", t->path,
			   fill_names[how], dt_fmt_size(a, sizeof(a), t->size),
			   strerror(err));
		return -1;
	}
	return 0;
}

enum bench_ret bench_target_create(struct bench_target *t, struct dt_ctx *ctx,
				   const char *path,
				   const struct bench_target_opts *o,
				   struct bench_err *e)
{
	enum bench_ret ret;
	int fd;

	DT_COPY(t->path, path);
	ret = bench_target_size(t, o, BENCH_DEFAULT_SIZE, 0, "file", e);
	if (ret)
		return ret;
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return bench_fail(e, BENCH_FAIL, "%s: %s", path, strerror(errno));
	close(fd);
	t->created = true;
	t->cleanup = bench_cleanup_add(path, BENCH_CLEAN_FILE);
	if (t->cleanup < 0) {
		unlink(path);
		t->created = false;
		return bench_fail(e, BENCH_FAIL, "%s: too many files to clean up",
				  path);
	}
	t->sparse = o->sparse;
	dt_target_close(&t->tg);
	if (dt_target_open(&t->tg, ctx, t->path, DT_OPEN_WRITE, e->msg,
			   sizeof(e->msg)))
		return BENCH_FAIL;
	classify_file(t);
	/* tmpfs: written whole, so that a fault only maps a page; with
	 * --cold, sparse, so that the faults allocate (fallocate would
	 * allocate and leave the zeroing to them) */
	if (t->kind == BENCH_SHMEM) {
		t->sparse = o->sparse || o->cold;
		t->prefilled = !t->sparse;
	}
	return fill_file(t, e) ? BENCH_FAIL : BENCH_OK;
}

static enum bench_ret create_in_dir(struct bench_target *t,
				    struct dt_ctx *ctx, const char *dir,
				    const struct bench_target_opts *o,
				    struct bench_err *e)
{
	char path[4096];
	int fd;

	/* mkstemp makes a name nobody else has; bench_target_create()
	 * opens it anew */
	if ((size_t)snprintf(path, sizeof(path), "%s/.daxtool-bench.XXXXXX",
			     dir) >= sizeof(path))
		return bench_fail(e, BENCH_FAIL, "%s: path too long", dir);
	fd = mkstemp(path);
	if (fd < 0)
		return bench_fail(e, BENCH_FAIL, "%s: cannot create a file "
				  "there: %s", dir, strerror(errno));
	close(fd);
	unlink(path);
	return bench_target_create(t, ctx, path, o, e);
}

static enum bench_ret open_existing(struct bench_target *t,
				    const struct bench_target_opts *o,
				    struct bench_err *e)
{
	uint64_t size = (uint64_t)t->tg.st.st_size;

	classify_file(t);
	return existing_size(t, o, size, size, "file", e);
}

/* ---- picking the target ------------------------------------------------- */

/* With no target: the first device-DAX device, read-only; else memory. */
static const char *default_target(const struct dt_topology *topo, char *buf,
				  size_t len)
{
	for (unsigned i = 0; i < topo->nr_devs; i++) {
		if (topo->devs[i].enabled && !strcmp(topo->devs[i].mode, "devdax")) {
			snprintf(buf, len, "/dev/%s", topo->devs[i].devname);
			if (access(buf, R_OK) == 0)
				return buf;
		}
	}
	return "emulated";
}

/* Writing to what daxtool did not make needs --force; the default access
 * is write only on what it made. */
static enum bench_ret decide_access(struct bench_target *t, bool made,
				    const struct bench_target_opts *o,
				    struct bench_err *e)
{
	t->access = o->access >= 0 ? (enum bench_access)o->access :
		    made ? BENCH_WRITE : BENCH_READ;
	if (t->access == BENCH_WRITE && !made && !o->force)
		return bench_fail(e, BENCH_FAIL, "%s: exists: %s would "
				  "overwrite its data; add --force to allow "
				  "that, or give a directory to create a file "
				  "in", t->path, o->writer ? o->writer :
				  "--access write");
	return BENCH_OK;
}

static enum bench_ret open_target(struct bench_target *t, struct dt_ctx *ctx,
				  const char *spec,
				  const struct bench_target_opts *o,
				  struct bench_err *e)
{
	char dflt[80];
	bool made;
	enum bench_ret ret;

	if (!spec)
		spec = default_target(dt_ctx_topology(ctx), dflt, sizeof(dflt));
	/* classified once, read-only; reopened for writing once allowed */
	if (dt_target_open(&t->tg, ctx, spec, DT_OPEN_CREATE | DT_OPEN_MEMORY |
			   DT_OPEN_DIR, e->msg, sizeof(e->msg)))
		return BENCH_FAIL;
	if (t->tg.kind != DT_TARGET_MEMORY)
		DT_COPY(t->path, spec);
	made = t->tg.kind == DT_TARGET_MEMORY || t->tg.kind == DT_TARGET_NEW ||
	       t->tg.kind == DT_TARGET_DIR;
	ret = decide_access(t, made, o, e);
	if (ret)
		return ret;
	if (t->access == BENCH_WRITE && !made) {
		dt_target_close(&t->tg);
		if (dt_target_open(&t->tg, ctx, spec, DT_OPEN_WRITE, e->msg,
				   sizeof(e->msg)))
			return BENCH_FAIL;
	}
	switch (t->tg.kind) {
	case DT_TARGET_MEMORY:
		return bench_open_memory(t, ctx, o, e);
	case DT_TARGET_NEW:
		return bench_target_create(t, ctx, spec, o, e);
	case DT_TARGET_DIR:
		return create_in_dir(t, ctx, spec, o, e);
	case DT_TARGET_DEVDAX:
		t->fd = t->tg.fd;
		return open_devdax(t, o, e);
	case DT_TARGET_FILE:
		return open_existing(t, o, e);
	default:
		break;
	}
	return bench_fail(e, BENCH_FAIL, "%s: is not a target: give a "
			  "device-DAX device, a file, a directory, or one of "
			  "emulated, anon, hugetlb", spec);
}

enum bench_ret bench_target_open(struct bench_target *t, struct dt_ctx *ctx,
				 const char *spec,
				 const struct bench_target_opts *o)
{
	struct bench_err e = { "" };
	enum bench_ret ret;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	t->tg.fd = -1;
	t->cleanup = -1;
	t->emul.hugepages_cleanup = -1;
	t->emul.dir_cleanup = t->emul.mount_cleanup = -1;
	ret = open_target(t, ctx, spec, o, &e);
	if (ret) {
		dt_err("%s", e.msg);
		bench_target_close(t);	/* and remove what it made */
	}
	return ret;
}

int bench_target_reset(struct bench_target *t)
{
	struct bench_err e;

	/* a prefilled file keeps its pages: they are the point of it */
	if (!t->created || t->prefilled)
		return 0;
	/* truncating frees the blocks (and the page cache): the next run
	 * allocates afresh, as the first one did */
	if (ftruncate(t->fd, 0) < 0) {
		dt_err("%s: truncate: %s", t->path, strerror(errno));
		return -1;
	}
	if (fill_file(t, &e)) {
		dt_err("%s", e.msg);
		return -1;
	}
	return 0;
}

int bench_target_map(struct bench_target *t, int advice, bool populate)
{
	uint64_t align = t->align > BENCH_2M && t->align <= BENCH_1G ?
			 t->align : BENCH_2M;
	int prot = PROT_READ | (t->access == BENCH_WRITE ? PROT_WRITE : 0);
	int flags = MAP_FIXED | (populate ? MAP_POPULATE : 0);
	char *want, *p;

	/*
	 * Reserve the size plus one alignment of address space, then map at
	 * the aligned address inside it, file offset 0 there: the virtual
	 * address and the file offset are congruent modulo 2 MiB, as a PMD
	 * mapping needs. What is left of the reservation stays, PROT_NONE, a
	 * page or more on each side: without it the kernel may merge the
	 * mapping with a neighbour of the same flags (a thread stack), and
	 * smaps would count the two together.
	 */
	t->reserve_len = t->size + align + 2 * BENCH_4K;
	t->reserve = mmap(NULL, t->reserve_len, PROT_NONE, MAP_PRIVATE |
			  MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (t->reserve == MAP_FAILED) {
		t->reserve = NULL;
		dt_err("reserving %" PRIu64 " bytes of address space: %s",
		       (uint64_t)t->reserve_len, strerror(errno));
		return -1;
	}
	want = (char *)(((uintptr_t)t->reserve + BENCH_4K + align - 1) &
			~(uintptr_t)(align - 1));
	if (t->fd < 0)
		p = mmap(want, t->size, prot, flags | MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	else
		p = mmap(want, t->size, prot, flags | MAP_SHARED | t->map_flags,
			 t->fd, 0);
	if (p == MAP_FAILED) {
		dt_err("%s: mmap: %s", t->path[0] ? t->path :
		       bench_kinds[t->kind].name, strerror(errno));
		munmap(t->reserve, t->reserve_len);
		t->reserve = NULL;
		return -1;
	}
	t->map = p;
	t->map_len = t->size;
	if (advice >= 0 && madvise(p, t->size, advice) < 0) {
		dt_err("madvise: %s", strerror(errno));
		bench_target_unmap(t);
		return -1;
	}
	return 0;
}

void bench_target_unmap(struct bench_target *t)
{
	if (t->reserve)
		munmap(t->reserve, t->reserve_len);	/* the mapping too */
	t->reserve = NULL;
	t->map = NULL;
}

void bench_target_close(struct bench_target *t)
{
	bench_target_unmap(t);
	if (t->own_fd && t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	dt_target_close(&t->tg);
	/* a created file is on the cleanup list, removed at exit at the
	 * latest: now is better */
	if (t->created)
		bench_cleanup_done(t->cleanup);
	t->created = false;
	t->cleanup = -1;
	bench_emulation_close(t);
}

int bench_prewarm(uint64_t size)
{
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		       MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		dt_err("prewarming %" PRIu64 " bytes: mmap: %s", size,
		       strerror(errno));
		return -1;
	}
	/* huge pages, so that the memory comes back as the 2 MiB pass wants
	 * it; a non-zero pattern, so that nothing is deduplicated */
	madvise(p, size, MADV_HUGEPAGE);
	for (uint64_t off = 0; off < size; off += BENCH_4K)
		*(volatile uint64_t *)(p + off) = 0x5a5a5a5a5a5a5a5aULL ^ off;
	munmap(p, size);
	return 0;
}

void bench_target_print(const struct bench_target *t, enum bench_access access)
{
	const struct bench_kind_info *ki = &bench_kinds[t->kind];
	const char *label = bench_target_label(t);
	char note[160];

	dt_print_begin_object("target");
	dt_print_str(DT_ANY, "kind", "%s", ki->name);
	dt_print_str(DT_ANY, "label", " (%s)\n", label);
	dt_print_str_opt(DT_ANY, "path", "  target %s", t->path,
			 t->kind != BENCH_HUGETLB ? "anonymous memory" :
			 t->align >= BENCH_1G ? "memfd of 1 GiB hugetlb pages" :
			 "memfd of 2 MiB hugetlb pages");
	dt_print_bool(DT_ANY, "created", bench_when(t->created, " (created"),
		      t->created);
	dt_print_bool(DT_ANY, "sparse", !t->created ? NULL : t->sparse ?
		      " sparse, removed afterwards)" : t->prefilled ?
		      ", prefilled, removed afterwards)" :
		      ", fallocated, removed afterwards)", t->sparse);
	dt_print_bool(DT_JSON, "prefilled", NULL, t->prefilled);
	dt_print_size(DT_ANY, "size", ", %s", t->size);
	dt_print_bool(DT_ANY, "size_capped", bench_when(t->size_capped,
		      " (the default cap"), t->size_capped);
	dt_print_size_opt(DT_ANY, "whole_size", t->size_capped ? ", of %s)" :
			  NULL, t->whole_size, NULL);
	dt_print_str(DT_ANY, "access", ", %s", bench_access_names[access]);
	dt_print_size_opt(DT_ANY, "align", ", align %s", t->align, NULL);
	dt_print_str_opt(DT_ANY, "dev", ", on %s", t->dev, NULL);
	dt_print_str_opt(DT_JSON, "device", NULL, t->dev, NULL);
	dt_print_str_opt(DT_ANY, "fs", " (%s)", bench_target_fs(t), NULL);
	dt_print_bool_opt(DT_JSON, "statx_dax", NULL,
			  t->tg.kind == DT_TARGET_FILE ? t->tg.ds.statx_dax : -1,
			  NULL);
	dt_print_text("\n");
	/* the CXL path: region, its memory devices, ways and granularity */
	dt_backing_print_cxl(&t->tg.backing, DT_ANY, "  on ");
	dt_print_text(t->tg.backing.cxl ? "\n" : "");
	bench_emulation_print(t);
	/* the label names what it is; no '%' in it */
	snprintf(note, sizeof(note), "  note: %s: the figures are not DAX "
		 "figures\n", label);
	dt_print_bool(DT_ANY, "emulated", bench_when(ki->emulated, note),
		      ki->emulated);
	bench_fingerprint_print(t);
	dt_print_end_object();
}
