// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated memory, where there is no DAX: anonymous memory, hugetlb, and
 * a file on a private tmpfs mounted huge=always; and the choice among
 * them for the target "emulated" (which is also the target without one,
 * on a machine without device-DAX).
 *
 * A DAX fault maps memory that exists already. A fault on anonymous
 * memory allocates and zeroes its page (2 MiB of it for a huge page), and
 * on a virtual machine may wait for the hypervisor to back it. Hugetlb
 * pages allocated up front, and a tmpfs file written whole before the
 * runs, behave most like DAX: there a 2 MiB fault costs about what one or
 * two 4 KiB faults cost, not hundreds. So "emulated" takes the first of
 * these the machine and the benchmark allow:
 *
 *   hugetlb     a memfd of 2 MiB pages, fallocated (and so zeroed) up
 *               front. Where too few are free and daxtool runs as root,
 *               the 2 MiB pool (nr_hugepages) is raised by what the run
 *               needs and lowered again at exit, on errors and signals
 *               too; where the kernel gives fewer, it is lowered at once.
 *               Not for a benchmark that maps 4 KiB pages too (the 4 KiB
 *               pass of pmd-fault compares like with like: the same
 *               memory), nor with --cold or --sparse.
 *   tmpfs-huge  as root: a tmpfs mounted huge=always on a temporary
 *               directory, and a file there written whole (fallocate
 *               alone leaves tmpfs pages to be zeroed at their first
 *               fault); unmounted and removed on every way out.
 *   anon        anonymous memory.
 *
 * The target's "emulation" member says which, and why not the better
 * ones. The words anon and hugetlb name that memory and nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>

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
#ifndef MFD_HUGE_1GB
#define MFD_HUGE_1GB (30U << 26)
#endif

#define THP_DIR "/sys/kernel/mm/transparent_hugepage/"

/* Whether /proc/cpuinfo's flags have @flag (pdpe1gb: 1 GiB pages). */
static bool cpu_has(const char *flag)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[4096];
	bool has = false;

	if (!f)
		return false;
	while (!has && fgets(line, sizeof(line), f)) {
		char *w, *save = NULL;

		if (strncmp(line, "flags", 5))
			continue;
		for (w = strtok_r(strchr(line, ':'), ": \t\n", &save); w;
		     w = strtok_r(NULL, " \t\n", &save))
			if (!strcmp(w, flag))
				has = true;
		break;
	}
	fclose(f);
	return has;
}

/* "2 MiB", "1 GiB": a huge page's size as the messages say it */
static const char *page_words(uint64_t size)
{
	return size >= BENCH_1G ? "1 GiB" : "2 MiB";
}

/* hugetlb's page size for these options: 2 MiB unless 1 GiB is asked */
static uint64_t huge_page(const struct bench_target_opts *o)
{
	return o->huge_page ? o->huge_page : BENCH_2M;
}

/* The pool of huge pages of @size, whatever the default huge page size:
 * "/sys/kernel/mm/hugepages/hugepages-2048kB/" + @file */
/* A file of the pool of @size pages, as a value: the path lives to the
 * end of the expression that asks for it. */
struct pool_path { char s[96]; };

static struct pool_path pool_file(uint64_t size, const char *file)
{
	struct pool_path p;

	snprintf(p.s, sizeof(p.s), "/sys/kernel/mm/hugepages/"
		 "hugepages-%" PRIu64 "kB/%s", size >> 10, file);
	return p;
}
#define pool(size, file) (pool_file(size, file).s)

const char *const bench_emul_names[BENCH_NR_EMULS] = {
	[BENCH_EMUL_HUGETLB] = "hugetlb", [BENCH_EMUL_TMPFS] = "tmpfs-huge",
	[BENCH_EMUL_ANON] = "anon",
};

static int write_u64(const char *path, uint64_t v)
{
	FILE *f = fopen(path, "we");
	int ok;

	if (!f)
		return -1;
	ok = fprintf(f, "%" PRIu64 "\n", v) > 0;
	/* the kernel says no at the write, which fclose() does */
	if (fclose(f) != 0 || !ok)
		return -1;
	return 0;
}

/* A /proc/meminfo value in kB; 0 if it is not there. */
static uint64_t meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[128];
	size_t n = strlen(key);
	unsigned long long v = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtoull(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

/* ---- anonymous memory ----------------------------------------------------- */

static enum bench_ret open_anon(struct bench_target *t, struct dt_ctx *ctx,
				const struct bench_target_opts *o,
				struct bench_err *e)
{
	(void)ctx;
	t->kind = BENCH_ANON;
	if (o->huge_page >= BENCH_1G)
		return bench_fail(e, BENCH_USAGE, "--page-size 1g: anonymous "
				  "memory has no 1 GiB pages (hugetlb memory of "
				  "1 GiB pages has, and device-DAX aligned 1G)");
	if (dt_read_u64(THP_DIR "hpage_pmd_size", &t->align))
		t->align = BENCH_2M;
	return bench_target_size(t, o, BENCH_DEFAULT_SIZE, 0, "memory", e);
}

/* ---- hugetlb -------------------------------------------------------------- */

/*
 * A memfd of 2 MiB pages, allocated (and zeroed) up front by fallocate,
 * so that a fault only maps a page that exists: the nearest thing to
 * device-DAX that ordinary memory offers.
 */
static enum bench_ret hugetlb_memfd(struct bench_target *t,
				    struct bench_err *e)
{
	const uint64_t ps = t->align;
	uint64_t need = t->size / ps, have = 0, total = 0;
	char a[16];

	DT_COPY(a, page_words(ps));
	t->fd = memfd_create("daxtool-bench", MFD_CLOEXEC | MFD_HUGETLB |
			     (ps >= BENCH_1G ? MFD_HUGE_1GB : MFD_HUGE_2MB));
	if (t->fd < 0) {
		bool none = errno == EINVAL || errno == ENODEV;

		return bench_fail(e, BENCH_FAIL, "memfd_create(MFD_HUGETLB): "
				  "%s%s%s%s%s", strerror(errno), none ?
				  " (no hugetlbfs for " : "", none ? a : "",
				  none ? " pages in this kernel" : "", none &&
				  ps >= BENCH_1G && !cpu_has("pdpe1gb") ?
				  ": the CPU has no 1 GiB pages, no pdpe1gb)" :
				  none ? ")" : "");
	}
	t->own_fd = true;
	if (fallocate(t->fd, 0, 0, (off_t)t->size) == 0)
		return BENCH_OK;
	if (errno != ENOSPC && errno != ENOMEM)
		return bench_fail(e, BENCH_FAIL, "fallocate: %s", strerror(errno));
	dt_read_u64(pool(ps, "free_hugepages"), &have);
	dt_read_u64(pool(ps, "nr_hugepages"), &total);
	return bench_fail(e, BENCH_FAIL, "%" PRIu64 " free %s huge page%s "
			  "needed, %" PRIu64 " free; reserve %s with: echo %"
			  PRIu64 " > %s", need, a, bench_s(need), have,
			  need == 1 ? "it" : "them",
			  need + total - (have < total ? have : total),
			  pool(ps, "nr_hugepages"));
}

/* The word hugetlb: that memory, or an error that says how to get it. */
static enum bench_ret open_hugetlb(struct bench_target *t, struct dt_ctx *ctx,
				   const struct bench_target_opts *o,
				   struct bench_err *e)
{
	char msg[sizeof(e->msg)];
	enum bench_ret ret;

	(void)ctx;
	t->kind = BENCH_HUGETLB;
	t->align = huge_page(o);
	ret = bench_target_size(t, o, BENCH_DEFAULT_SIZE > t->align ?
				BENCH_DEFAULT_SIZE : t->align, 0, "memory", e);
	if (ret)
		return ret;
	if (t->size % t->align)
		return bench_fail(e, BENCH_USAGE, "hugetlb: --size must be a "
				  "multiple of %s, the huge page size",
				  dt_fmt_size(msg, sizeof(msg), t->align));
	ret = hugetlb_memfd(t, e);
	if (ret) {
		DT_COPY(msg, e->msg);
		bench_fail(e, ret, "hugetlb: %s", msg);
	}
	return ret;
}

/*
 * Make @need 2 MiB huge pages available: where fewer are free (less those
 * reserved by mappings already), raise the pool by the difference, as
 * root, and say how many were added; the cleanup lowers it again by
 * that many at exit. Memory the pool takes is taken from everything
 * else: at most half of what is available.
 */
static enum bench_ret reserve_hugepages(struct bench_target *t, uint64_t need,
					struct bench_err *e)
{
	struct bench_emulation *m = &t->emul;
	const uint64_t ps = t->align;
	uint64_t nr, nr2, free, resv, avail, lack, mem;
	char a[32], b[32], p[16];
	int h;

	DT_COPY(p, page_words(ps));
	if (dt_read_u64(pool(ps, "nr_hugepages"), &nr) ||
	    dt_read_u64(pool(ps, "free_hugepages"), &free) ||
	    dt_read_u64(pool(ps, "resv_hugepages"), &resv))
		return bench_fail(e, BENCH_FAIL, "this kernel has no pool of "
				  "%s huge pages (%s: %s)%s", p,
				  pool(ps, ""), strerror(errno), ps >= BENCH_1G &&
				  !cpu_has("pdpe1gb") ? "; the CPU has no 1 GiB "
				  "pages (no pdpe1gb in /proc/cpuinfo)" : "");
	avail = free > resv ? free - resv : 0;
	if (avail >= need)
		return BENCH_OK;
	lack = need - avail;
	if (geteuid() != 0)
		return bench_fail(e, BENCH_FAIL, "%" PRIu64 " free %s huge "
				  "page%s, %" PRIu64 " needed, and cannot reserve "
				  "more: not root", avail, p, bench_s(avail), need);
	mem = meminfo_kb("MemAvailable") * 1024;
	if (lack * ps > mem / 2)
		return bench_fail(e, BENCH_FAIL, "%" PRIu64 " more %s huge "
				  "pages needed (%s): more than half the "
				  "available memory (%s)", lack, p,
				  dt_fmt_size(a, sizeof(a), lack * ps),
				  dt_fmt_size(b, sizeof(b), mem));
	if (nr + lack > INT_MAX)
		return bench_fail(e, BENCH_FAIL, "%" PRIu64 " huge pages: too "
				  "many", nr + lack);
	/* listed before it is raised: a signal in between lowers it too */
	h = bench_cleanup_lower(pool(ps, "nr_hugepages"), (int)lack, (int)nr);
	if (h < 0)
		return bench_fail(e, BENCH_FAIL, "too many things to clean up");
	m->hugepages_cleanup = h;
	if (write_u64(pool(ps, "nr_hugepages"), nr + lack) < 0)
		return bench_fail(e, BENCH_FAIL, "raising %s from %" PRIu64
				  " to %" PRIu64 ": %s", pool(ps, "nr_hugepages"),
				  nr, nr + lack, strerror(errno));
	if (dt_read_u64(pool(ps, "nr_hugepages"), &nr2))
		nr2 = nr;
	m->hugepages_added = nr2 > nr ? (int)(nr2 - nr) : 0;
	bench_cleanup_lower_by(h, m->hugepages_added);
	if ((uint64_t)m->hugepages_added < lack)
		return bench_fail(e, BENCH_FAIL, "%" PRIu64 " more %s huge "
				  "pages asked of the kernel, it gave %d (too "
				  "little free memory in %s pieces)", lack, p,
				  m->hugepages_added, p);
	return BENCH_OK;
}

static enum bench_ret emulate_hugetlb(struct bench_target *t,
				      struct dt_ctx *ctx,
				      const struct bench_target_opts *o,
				      struct bench_err *e)
{
	const uint64_t ps = huge_page(o);
	char a[32], p[16];
	enum bench_ret ret;

	(void)ctx;
	DT_COPY(p, page_words(ps));
	if (o->need_4k)
		return bench_fail(e, BENCH_FAIL, "it has %s pages only, and "
				  "this benchmark maps the same memory with 4 "
				  "KiB pages too", p);
	if (o->cold || o->sparse)
		return bench_fail(e, BENCH_FAIL, "its pages are allocated before "
				  "the run, and %s asks for memory the faults "
				  "allocate", o->cold ? "--cold" : "--sparse");
	t->kind = BENCH_HUGETLB;
	t->align = ps;
	ret = bench_target_size(t, o, BENCH_DEFAULT_SIZE > ps ?
				BENCH_DEFAULT_SIZE : ps, 0, "memory", e);
	if (ret)
		return ret;
	if (t->size % ps)
		return bench_fail(e, BENCH_FAIL, "--size %s is not a multiple "
				  "of its %s pages", dt_fmt_size(a, sizeof(a),
				  t->size), p);
	ret = reserve_hugepages(t, t->size / ps, e);
	return ret ? ret : hugetlb_memfd(t, e);
}

/* ---- a file on a private tmpfs mounted huge=always -------------------------- */

/*
 * Whether this kernel maps the file's huge pages with 4 KiB entries where
 * 4 KiB pages are asked for. Linux 6.1 maps a huge tmpfs folio with a PMD
 * whatever the mapping's MADV_NOHUGEPAGE says; later kernels do not. One
 * window is mapped as a 4 KiB pass maps it, touched, and smaps asked.
 */
static bool maps_4k(struct bench_target *t)
{
	struct bench_smaps s;
	uint64_t size = t->size;
	bool ok;

	t->size = BENCH_2M;
	ok = bench_target_map(t, bench_kinds[t->kind].advice_4k, false) == 0;
	if (ok) {
		bench_consume(*(volatile const uint64_t *)t->map);
		bench_smaps(t, BENCH_WRITE, &s);
		ok = s.field && s.kb == 0;
		bench_target_unmap(t);
	}
	t->size = size;
	return ok;
}

static enum bench_ret emulate_tmpfs(struct bench_target *t, struct dt_ctx *ctx,
				    const struct bench_target_opts *o,
				    struct bench_err *e)
{
	struct bench_emulation *m = &t->emul;
	const char *tmp = getenv("TMPDIR");
	char shmem[32], opts[128], path[4200], a[32], b[32];
	uint64_t size, mem;
	enum bench_ret ret;

	if (geteuid() != 0)
		return bench_fail(e, BENCH_FAIL, "mounting a tmpfs needs root");
	if (access(THP_DIR "shmem_enabled", F_OK))
		return bench_fail(e, BENCH_FAIL, "this kernel has no transparent "
				  "huge pages for tmpfs (%sshmem_enabled: %s)",
				  THP_DIR, strerror(errno));
	bench_read_choice(THP_DIR "shmem_enabled", shmem, sizeof(shmem));
	if (!strcmp(shmem, "deny"))
		return bench_fail(e, BENCH_FAIL, THP_DIR "shmem_enabled is "
				  "deny: tmpfs gets no huge pages");
	ret = bench_target_size(t, o, BENCH_DEFAULT_SIZE, 0, "memory", e);
	if (ret)
		return ret;
	size = (t->size + BENCH_2M - 1) & ~(BENCH_2M - 1);
	mem = meminfo_kb("MemAvailable") * 1024;
	if (size > mem / 2)
		return bench_fail(e, BENCH_FAIL, "a file of %s: more than half "
				  "the available memory (%s)",
				  dt_fmt_size(a, sizeof(a), size),
				  dt_fmt_size(b, sizeof(b), mem));
	snprintf(m->mnt, sizeof(m->mnt), "%s/.daxtool-tmpfs.XXXXXX",
		 tmp && tmp[0] == '/' ? tmp : "/tmp");
	if (!mkdtemp(m->mnt))
		return bench_fail(e, BENCH_FAIL, "%s: %s", m->mnt, strerror(errno));
	/* listed before it is mounted: a signal in between undoes it too */
	m->dir_cleanup = bench_cleanup_add(m->mnt, BENCH_CLEAN_DIR);
	m->mount_cleanup = bench_cleanup_add(m->mnt, BENCH_CLEAN_MOUNT);
	if (m->dir_cleanup < 0 || m->mount_cleanup < 0)
		return bench_fail(e, BENCH_FAIL, "too many things to clean up");
	snprintf(opts, sizeof(opts), "size=%" PRIu64 ",huge=always,mode=0700,"
		 "nr_inodes=16", size);
	if (mount("tmpfs", m->mnt, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  opts) < 0)
		return bench_fail(e, BENCH_FAIL, "mount -t tmpfs -o %s %s: %s",
				  opts, m->mnt, strerror(errno));
	/* the target model finds a file's mount among the mounts it read
	 * once: read them again, with this one */
	dt_ctx_free(ctx);
	snprintf(path, sizeof(path), "%s/bench", m->mnt);
	ret = bench_target_create(t, ctx, path, o, e);
	if (ret)
		return ret;
	if (t->kind != BENCH_SHMEM || t->align < BENCH_2M)
		return bench_fail(e, BENCH_FAIL, "%s: not on the tmpfs mounted "
				  "huge=always", path);
	if (o->need_4k && !maps_4k(t))
		return bench_fail(e, BENCH_FAIL, "this kernel maps tmpfs huge "
				  "pages with PMDs even where 4 KiB pages are "
				  "asked for (MADV_NOHUGEPAGE), and this benchmark "
				  "maps the same memory with 4 KiB pages too");
	t->label = "EMULATED: tmpfs huge=always, not DAX";
	return BENCH_OK;
}

/* ---- the choice ------------------------------------------------------------- */

typedef enum bench_ret (*emul_open_fn)(struct bench_target *, struct dt_ctx *,
				       const struct bench_target_opts *,
				       struct bench_err *);

/* Most DAX-like first. */
static const emul_open_fn emul_open[BENCH_NR_EMULS] = {
	[BENCH_EMUL_HUGETLB] = emulate_hugetlb,
	[BENCH_EMUL_TMPFS] = emulate_tmpfs,
	[BENCH_EMUL_ANON] = open_anon,
};

/* Undo a choice that did not work out: close what it opened, remove
 * what it made, give back what it reserved; the word as it was. */
static void undo(struct bench_target *t, const struct dt_target *word)
{
	bench_target_close(t);
	t->kind = BENCH_ANON;
	t->label = NULL;
	t->path[0] = '\0';
	t->fd = -1;
	t->own_fd = false;
	t->size = t->align = 0;
	t->sparse = t->prefilled = false;
	t->dev[0] = '\0';
	t->tg = *word;
	t->emul.hugepages_added = 0;
}

static enum bench_ret emulate(struct bench_target *t, struct dt_ctx *ctx,
			      const struct bench_target_opts *o,
			      struct bench_err *e)
{
	struct bench_emulation *m = &t->emul;
	/* the word, as opened: memory, which holds nothing to close */
	const struct dt_target word = t->tg;

	m->on = true;
	/* 1 GiB pages: hugetlb's, or none; its reason is the error */
	for (int i = huge_page(o) >= BENCH_1G ? BENCH_EMUL_HUGETLB : 0;
	     i < BENCH_NR_EMULS; i++) {
		enum bench_ret ret = emul_open[i](t, ctx, o, e);

		if (ret == BENCH_OK) {
			m->chosen = (enum bench_emul)i;
			return BENCH_OK;
		}
		if (i + 1 == BENCH_NR_EMULS || huge_page(o) >= BENCH_1G)
			return ret;	/* the last: its error is the error */
		m->passed[m->nr_passed].e = (enum bench_emul)i;
		DT_COPY(m->passed[m->nr_passed].why, e->msg);
		m->nr_passed++;
		e->msg[0] = '\0';
		undo(t, &word);
	}
	return BENCH_FAIL;
}

enum bench_ret bench_open_memory(struct bench_target *t, struct dt_ctx *ctx,
				 const struct bench_target_opts *o,
				 struct bench_err *e)
{
	static const emul_open_fn open_word[DT_NR_MEMORY] = {
		[DT_MEM_ANON] = open_anon, [DT_MEM_HUGETLB] = open_hugetlb,
		[DT_MEM_EMULATED] = emulate,
	};

	return open_word[t->tg.memory](t, ctx, o, e);
}

void bench_emulation_close(struct bench_target *t)
{
	struct bench_emulation *m = &t->emul;

	/* the last made first: the mount, its directory, then the pool
	 * (its pages are free once the memfd is closed) */
	bench_cleanup_done(m->mount_cleanup);
	bench_cleanup_done(m->dir_cleanup);
	bench_cleanup_done(m->hugepages_cleanup);
	m->mount_cleanup = m->dir_cleanup = m->hugepages_cleanup = -1;
}

void bench_emulation_print(const struct bench_target *t)
{
	const struct bench_emulation *m = &t->emul;

	if (!m->on) {
		dt_print_null(DT_JSON, "emulation", NULL, NULL);
		return;
	}
	dt_print_begin_object("emulation");
	dt_print_str(DT_ANY, "chosen", "  emulation: %s, the most DAX-like "
		     "one possible here", bench_emul_names[m->chosen]);
	dt_print_u64(DT_ANY, "hugepages_reserved", bench_when(
		     m->hugepages_added, "; %" PRIu64 " huge pages of 2 MiB "
		     "reserved for the run, given back at exit"),
		     (uint64_t)m->hugepages_added);
	dt_print_text("\n");
	dt_print_begin_array("passed_over");
	for (unsigned i = 0; i < m->nr_passed; i++) {
		dt_print_begin_row(NULL);
		dt_print_str(DT_ANY, "name", "    not %s",
			     bench_emul_names[m->passed[i].e]);
		dt_print_str(DT_ANY, "why", ": %s\n", m->passed[i].why);
		dt_print_end_object();
	}
	dt_print_end_array();
	dt_print_end_object();
}
