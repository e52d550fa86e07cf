// SPDX-License-Identifier: GPL-2.0-only
/*
 * Targets: what a workload maps and touches. Real DAX (a device-DAX
 * device, a file on a filesystem mounted -o dax) and, where there is none
 * or the user asks, emulated memory (anonymous, hugetlb, tmpfs) and the
 * page cache, each labelled as what it is in every output.
 *
 * Data safety: an existing file or device is opened read-only unless the
 * workload writes and --force says it may. Files daxtool creates (in a
 * directory, or at a path that does not exist yet) are removed afterwards,
 * on errors and on SIGINT/SIGTERM/SIGHUP too.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
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

/* Older headers lack these; the kernel's values. */
#ifndef MFD_HUGETLB
#define MFD_HUGETLB 0x0004U
#endif
#ifndef MFD_HUGE_2MB
#define MFD_HUGE_2MB (21U << 26)
#endif

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

static uint64_t read_sys_u64(const char *path, uint64_t dflt)
{
	FILE *f = fopen(path, "re");
	unsigned long long v;

	if (!f)
		return dflt;
	if (fscanf(f, "%llu", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}

/* The size to use: --size, else @dflt; a multiple of @granule and at
 * most @max (0: no limit). */
static enum bench_ret pick_size(struct bench_target *t,
				const struct bench_target_opts *o,
				uint64_t dflt, uint64_t max, const char *what)
{
	char a[32], b[32];

	if (!o->size) {
		t->size = dflt - dflt % o->granule;
		if (!t->size) {
			dt_err("%s: %s is %s: smaller than one %s page", t->path,
			       what, dt_fmt_size(a, sizeof(a), dflt),
			       dt_fmt_size(b, sizeof(b), o->granule));
			return BENCH_FAIL;
		}
		return BENCH_OK;
	}
	if (max && o->size > max) {
		dt_err("%s: --size %s is larger than the %s (%s)",
		       t->path[0] ? t->path : bench_kinds[t->kind].name,
		       dt_fmt_size(a, sizeof(a), o->size), what,
		       dt_fmt_size(b, sizeof(b), max));
		return BENCH_FAIL;
	}
	t->size = o->size;
	return BENCH_OK;
}

/* ---- memory ----------------------------------------------------------- */

static enum bench_ret open_anon(struct bench_target *t, const char *spec,
				const struct bench_target_opts *o)
{
	(void)spec;
	t->kind = BENCH_ANON;
	t->align = read_sys_u64("/sys/kernel/mm/transparent_hugepage/"
				"hpage_pmd_size", BENCH_2M);
	return pick_size(t, o, BENCH_DEFAULT_SIZE, 0, "memory");
}

static uint64_t meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[128];
	size_t n = strlen(key);
	unsigned long long v = 0;

	if (!f)
		return BENCH_OK;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtoull(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

/*
 * hugetlb: a memfd of 2 MiB pages, allocated (and zeroed) up front by
 * fallocate, so that a fault only maps a page that exists: the nearest
 * thing to device-DAX that ordinary memory offers.
 */
static enum bench_ret open_hugetlb(struct bench_target *t, const char *spec,
				   const struct bench_target_opts *o)
{
	enum bench_ret ret;

	(void)spec;
	t->kind = BENCH_HUGETLB;
	t->align = BENCH_2M;
	ret = pick_size(t, o, BENCH_DEFAULT_SIZE, 0, "memory");
	if (ret)
		return ret;
	if (t->size % BENCH_2M) {
		dt_err("hugetlb: --size must be a multiple of 2M, the huge page size");
		return BENCH_USAGE;
	}
	t->fd = memfd_create("daxtool-bench", MFD_CLOEXEC | MFD_HUGETLB |
			     MFD_HUGE_2MB);
	if (t->fd < 0) {
		dt_err("hugetlb: memfd_create(MFD_HUGETLB): %s%s",
		       strerror(errno), errno == EINVAL ? " (no hugetlbfs "
		       "support for 2 MiB pages in this kernel)" : "");
		return BENCH_FAIL;
	}
	if (fallocate(t->fd, 0, 0, (off_t)t->size) < 0) {
		uint64_t need = t->size / BENCH_2M;
		uint64_t have = meminfo_kb("HugePages_Free");

		if (errno == ENOSPC || errno == ENOMEM)
			dt_err("hugetlb: %" PRIu64 " free 2 MiB huge page%s needed, "
			       "%" PRIu64 " free; reserve %s with: echo %" PRIu64
			       " > /proc/sys/vm/nr_hugepages", need, bench_s(need),
			       have, need == 1 ? "it" : "them",
			       need + meminfo_kb("HugePages_Total") - have);
		else
			dt_err("hugetlb: fallocate: %s", strerror(errno));
		return BENCH_FAIL;
	}
	return BENCH_OK;
}

/* ---- device-DAX --------------------------------------------------------- */

static enum bench_ret open_devdax(struct bench_target *t,
				  const struct bench_target_opts *o)
{
	const struct dt_daxdev *d = t->tg.daxdev;
	char a[32], b[32];
	enum bench_ret ret;

	t->kind = BENCH_DEVDAX;
	t->align = d->align;
	DT_COPY(t->dev, d->devname);
	/* a device's size is its alignment's multiple: the default is all */
	ret = pick_size(t, o, d->size - d->size % (d->align > o->granule ?
			d->align : o->granule), d->size, "device");
	if (ret)
		return ret;
	if (d->align && t->size % d->align) {
		dt_err("%s: --size %s is not a multiple of the device's "
		       "alignment (%s): device-DAX maps only whole %s pages",
		       t->path, dt_fmt_size(a, sizeof(a), t->size),
		       dt_fmt_size(b, sizeof(b), d->align), b);
		return BENCH_USAGE;
	}
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

static int fill_file(struct bench_target *t)
{
	int err;

	if (t->sparse)
		err = ftruncate(t->fd, (off_t)t->size) ? errno : 0;
	else
		err = posix_fallocate(t->fd, 0, (off_t)t->size);
	if (err) {
		char a[32];

		dt_err("%s: %s %s: %s", t->path, t->sparse ? "truncate to" :
		       "fallocate", dt_fmt_size(a, sizeof(a), t->size),
		       strerror(err));
		return -1;
	}
	return 0;
}

/* A fresh file at @path (which must not exist), removed afterwards. */
static enum bench_ret create_file(struct bench_target *t, struct dt_ctx *ctx,
				  const char *path,
				  const struct bench_target_opts *o)
{
	char err[512];
	enum bench_ret ret;
	int fd;

	ret = pick_size(t, o, BENCH_DEFAULT_SIZE, 0, "file");
	if (ret)
		return ret;
	DT_COPY(t->path, path);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		dt_err("%s: %s", path, strerror(errno));
		return BENCH_FAIL;
	}
	close(fd);
	t->created = true;
	t->cleanup = bench_cleanup_add(path, false);
	if (t->cleanup < 0) {
		unlink(path);
		dt_err("%s: too many files to clean up", path);
		return BENCH_FAIL;
	}
	t->sparse = o->sparse;
	dt_target_close(&t->tg);
	if (dt_target_open(&t->tg, ctx, t->path, DT_OPEN_WRITE, err, sizeof(err))) {
		dt_err("%s", err);
		return BENCH_FAIL;
	}
	classify_file(t);
	return fill_file(t) ? BENCH_FAIL : BENCH_OK;
}

static enum bench_ret create_in_dir(struct bench_target *t,
				    struct dt_ctx *ctx, const char *dir,
				    const struct bench_target_opts *o)
{
	char path[4096];
	int fd;

	/* mkstemp makes a name nobody else has; create_file opens it anew */
	if ((size_t)snprintf(path, sizeof(path), "%s/.daxtool-bench.XXXXXX",
			     dir) >= sizeof(path)) {
		dt_err("%s: path too long", dir);
		return BENCH_FAIL;
	}
	fd = mkstemp(path);
	if (fd < 0) {
		dt_err("%s: cannot create a file there: %s", dir, strerror(errno));
		return BENCH_FAIL;
	}
	close(fd);
	unlink(path);
	return create_file(t, ctx, path, o);
}

static enum bench_ret open_existing(struct bench_target *t,
				    const struct bench_target_opts *o)
{
	uint64_t size = (uint64_t)t->tg.st.st_size;

	classify_file(t);
	return pick_size(t, o, size, size, "file");
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
				    const struct bench_target_opts *o)
{
	t->access = o->access >= 0 ? (enum bench_access)o->access :
		    made ? BENCH_WRITE : BENCH_READ;
	if (t->access == BENCH_WRITE && !made && !o->force) {
		dt_err("%s: exists: %s would overwrite its data; add "
		       "--force to allow that, or give a directory to create "
		       "a file in", t->path, o->writer ? o->writer :
		       "--access write");
		return BENCH_FAIL;
	}
	return BENCH_OK;
}

static enum bench_ret open_target(struct bench_target *t, struct dt_ctx *ctx,
				  const char *spec,
				  const struct bench_target_opts *o)
{
	char dflt[80], err[512];
	bool made;
	enum bench_ret ret;

	if (!spec)
		spec = default_target(dt_ctx_topology(ctx), dflt, sizeof(dflt));
	/* classified once, read-only; reopened for writing once allowed */
	if (dt_target_open(&t->tg, ctx, spec, DT_OPEN_CREATE | DT_OPEN_MEMORY |
			   DT_OPEN_DIR, err, sizeof(err))) {
		dt_err("%s", err);
		return BENCH_FAIL;
	}
	if (t->tg.kind != DT_TARGET_MEMORY)
		DT_COPY(t->path, spec);
	made = t->tg.kind == DT_TARGET_MEMORY || t->tg.kind == DT_TARGET_NEW ||
	       t->tg.kind == DT_TARGET_DIR;
	if (decide_access(t, made, o))
		return BENCH_FAIL;
	if (t->access == BENCH_WRITE && !made) {
		dt_target_close(&t->tg);
		if (dt_target_open(&t->tg, ctx, spec, DT_OPEN_WRITE, err,
				   sizeof(err))) {
			dt_err("%s", err);
			return BENCH_FAIL;
		}
	}
	switch (t->tg.kind) {
	case DT_TARGET_MEMORY:
		ret = t->tg.memory == DT_MEM_HUGETLB ? open_hugetlb(t, spec, o) :
		      open_anon(t, spec, o);
		t->own_fd = t->fd >= 0;
		return ret;
	case DT_TARGET_NEW:
		return create_file(t, ctx, spec, o);
	case DT_TARGET_DIR:
		return create_in_dir(t, ctx, spec, o);
	case DT_TARGET_DEVDAX:
		t->fd = t->tg.fd;
		return open_devdax(t, o);
	case DT_TARGET_FILE:
		return open_existing(t, o);
	default:
		break;
	}
	dt_err("%s: is not a target: give a device-DAX device, a file, a "
	       "directory, or one of emulated, anon, hugetlb", spec);
	return BENCH_FAIL;
}

enum bench_ret bench_target_open(struct bench_target *t, struct dt_ctx *ctx,
				 const char *spec,
				 const struct bench_target_opts *o)
{
	enum bench_ret ret;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	t->tg.fd = -1;
	t->cleanup = -1;
	ret = open_target(t, ctx, spec, o);
	if (ret)
		bench_target_close(t);	/* and remove what it made */
	return ret;
}

bool bench_target_page_ok(const struct bench_target *t, uint64_t page_size,
			  const char **why)
{
	static char buf[160];
	char a[16];

	*why = NULL;
	if (t->kind == BENCH_HUGETLB && page_size != BENCH_2M) {
		*why = "hugetlb memory has 2 MiB pages only";
		return false;
	}
	if (t->kind == BENCH_DEVDAX && t->align > page_size) {
		snprintf(buf, sizeof(buf), "%s is aligned %s: device-DAX maps "
			 "only in pages of its alignment", t->dev,
			 dt_fmt_size(a, sizeof(a), t->align));
		*why = buf;
		return false;
	}
	return true;
}

int bench_target_reset(struct bench_target *t)
{
	if (!t->created)
		return 0;
	/* truncating frees the blocks (and the page cache): the next run
	 * allocates afresh, as the first one did */
	if (ftruncate(t->fd, 0) < 0) {
		dt_err("%s: truncate: %s", t->path, strerror(errno));
		return -1;
	}
	return fill_file(t);
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
}

int bench_prewarm(uint64_t size)
{
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		       MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		dt_err("--prewarm: mmap: %s", strerror(errno));
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
	char note[160];

	dt_print_begin_object("target");
	dt_print_str(DT_ANY, "kind", "%s", ki->name);
	dt_print_str(DT_ANY, "label", " (%s)\n", ki->label);
	dt_print_str_opt(DT_ANY, "path", "  target %s", t->path,
			 t->kind == BENCH_HUGETLB ? "memfd of 2 MiB hugetlb pages" :
			 "anonymous memory");
	dt_print_bool(DT_ANY, "created", bench_when(t->created, " (created"),
		      t->created);
	dt_print_bool(DT_ANY, "sparse", !t->created ? NULL : t->sparse ?
		      " sparse, removed afterwards)" :
		      ", fallocated, removed afterwards)", t->sparse);
	dt_print_size(DT_ANY, "size", ", %s", t->size);
	dt_print_str(DT_ANY, "access", ", %s", bench_access_names[access]);
	dt_print_size_opt(DT_ANY, "align", ", align %s", t->align, NULL);
	dt_print_str_opt(DT_ANY, "dev", ", on %s", t->dev, NULL);
	dt_print_str_opt(DT_JSON, "device", NULL, t->dev, NULL);
	dt_print_str_opt(DT_ANY, "fs", " (%s)", bench_target_fs(t), NULL);
	dt_print_bool_opt(DT_JSON, "statx_dax", NULL,
			  t->tg.kind == DT_TARGET_FILE ? t->tg.ds.statx_dax : -1,
			  NULL);
	dt_print_text("\n");
	/* the label names what it is; no '%' in it */
	snprintf(note, sizeof(note), "  note: %s: the figures are not DAX "
		 "figures\n", ki->label);
	dt_print_bool(DT_ANY, "emulated", bench_when(ki->emulated, note),
		      ki->emulated);
	dt_print_end_object();
}
