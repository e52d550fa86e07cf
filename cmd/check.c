// SPDX-License-Identifier: GPL-2.0-only
/*
 * daxtool check: will this file or device get 2 MiB (PMD) mappings, and
 * if not, exactly why. Is DAX really on; then every 2 MiB window of the
 * file, decided from its extents and their physical addresses; then the
 * fix for each reason seen.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "daxtool/fmt.h"
#include "daxtool/parse-options.h"
#include "daxtool/pmd.h"
#include "daxtool/print.h"
#include "daxtool/sources.h"
#include "daxtool/target.h"
#include "daxtool/topology.h"
#include "daxtool/util.h"
#include "builtin.h"

static const char *const check_usage[] = {
	"daxtool check [options] FILE|/dev/daxX.Y|MOUNTPOINT...",
	"daxtool check [options] --layout FILE.json",
	"",
	"Exit status: 0 when DAX is on and every 2 MiB window can be mapped",
	"with a 2 MiB page (for a directory: when new files there get DAX);",
	"1 when DAX is off (an empty file too), when some window cannot, or",
	"on failure; 2 on bad usage.",
	NULL
};

enum { ACCESS_WRITE, ACCESS_READ };
static const char *const access_names[] = { "write", "read", NULL };

struct check_opts {
	bool json, human, verbose, private_map;
	int access;
	const char *layout, *vaddr_s;
	uint64_t offset, vaddr;
};

/* What the windows add up to. */
struct tally {
	const struct check_opts *o;
	uint64_t windows, by_status[DT_NR_PMD_STATUS], by_reason[DT_NR_REASONS];
	uint64_t eligible_bytes;
	uint64_t page_bytes[3];		/* mapped with 4K, 2M, 1G pages */
	struct dt_print_mark list_mark;
	bool listed_any;
	/* on CXL memory: the region, and the devices of the window being
	 * walked (interleave positions, 1 << position), or unknown */
	const struct dt_topology *topo;
	const struct dt_cxl_region *cxl;
	uint64_t cxl_end;		/* the page that holds EOF ends here */
	uint32_t cxl_positions;
	bool cxl_unknown, cxl_any_unknown;
	uint64_t cxl_multi;		/* windows on more than one device */
};

/* --- advice: one row per reason, the first that fits the filesystem --- */

static const struct {
	enum dt_reason reason;
	const char *fs;		/* NULL: any */
	const char *text;	/* %1$s: namespace, %2$s: path, %3$s: the
				   device stack, %4$s: its smallest piece,
				   %5$s: its device-mapper device that caps
				   accesses the most */
} advice[] = {
	{ DT_R_MISALIGNED_PHYSICAL, "xfs", "align xfs allocations to 2 MiB: "
	  "mkfs.xfs -d su=2m,sw=1 for a new filesystem, or xfs_io -c "
	  "'extsize 2m' on the directory before its files are created" },
	{ DT_R_MISALIGNED_PHYSICAL, "ext4", "align ext4 allocations to 2 MiB: "
	  "mkfs.ext4 -E stride=512,stripe_width=512 for a new filesystem, or "
	  "mount -o stripe=512" },
	{ DT_R_MISALIGNED_PHYSICAL, NULL, "the data must sit on 2 MiB "
	  "boundaries in physical memory: allocate it in 2 MiB-aligned pieces" },
	{ DT_R_UNALIGNED_ALLOCATION, "xfs", "align xfs allocations to 2 MiB: "
	  "mkfs.xfs -d su=2m,sw=1, or xfs_io -c 'extsize 2m' on the directory, "
	  "and fallocate before writing" },
	{ DT_R_UNALIGNED_ALLOCATION, "ext4", "align ext4 allocations to 2 MiB: "
	  "mkfs.ext4 -E stride=512,stripe_width=512 or mount -o stripe=512, "
	  "and fallocate before writing" },
	{ DT_R_UNALIGNED_ALLOCATION, NULL, "fallocate the file before writing it" },
	{ DT_R_EXTENT_TOO_SHORT, NULL, "allocate the file in one piece before "
	  "writing it, e.g. fallocate -l SIZE %2$s, rather than in small writes" },
	{ DT_R_MIXED_HOLE_DATA, NULL, "fill the holes: fallocate the whole "
	  "file before writing it" },
	{ DT_R_BEYOND_EOF, NULL, "make the size a multiple of 2 MiB (truncate "
	  "-s or fallocate): the last window reaches past the end" },
	{ DT_R_DEVICE_ALIGN, NULL, "reconfigure the namespace with 2 MiB "
	  "alignment (this destroys its data): ndctl create-namespace -f -e "
	  "%1$s -m devdax -a 2M" },
	{ DT_R_MISALIGNED_VIRTUAL, NULL, "map at a 2 MiB-aligned virtual "
	  "address with the file offset congruent to it: reserve SIZE + 2 MiB "
	  "with mmap, then MAP_FIXED at the first 2 MiB boundary inside" },
	{ DT_R_PRIVATE_WRITE, NULL, "map it MAP_SHARED: private mappings copy "
	  "written pages into 4 KiB anonymous memory" },
	{ DT_R_SHARED_EXTENT, "xfs", "unshare the extents: xfs_io -c "
	  "'funshare 0 SIZE' %2$s" },
	{ DT_R_SHARED_EXTENT, NULL, "copy the file without reflinks" },
	{ DT_R_DELALLOC, NULL, "flush the file (sync) so its blocks are placed "
	  "and check again" },
	{ DT_R_INLINE, NULL, "inline data cannot be mapped directly: make the "
	  "file larger than the inode can hold" },
	{ DT_R_DEVICE_MAX_IO, NULL, "raise the limit of the device-mapper "
	  "device to 2 MiB or more (it caps DAX accesses through striped "
	  "targets): echo 2048 > /sys/block/%5$s/queue/max_sectors_kb" },
	{ DT_R_DEVICE_VMA_ALIGN, NULL, "map device-DAX at an address and a "
	  "file offset that are multiples of its alignment, with a length that "
	  "is one too (let mmap choose the address: for device-DAX it picks an "
	  "aligned one)" },
	{ DT_R_DEVICE_OFFSET_ALIGN, NULL, "map device-DAX from a file offset "
	  "that is a multiple of its alignment" },
	{ DT_R_DEVICE_BOUNDARY, NULL, "the device-mapper table (%3$s) ends a "
	  "piece every %4$s: make every segment start and every stripe chunk a "
	  "multiple of 2 MiB (dm-stripe: a chunk of 4096 sectors)" },
};

/* Advice for DAX being off: depends on why. */
static const char *not_dax_advice(const struct dt_target *s, char *buf,
				  size_t len)
{
	const struct dt_dax_state *ds = &s->ds;

	if (ds->bdev_dax == 0 && s->backing.namespace[0])
		snprintf(buf, len, "reconfigure the namespace for DAX (this "
			 "destroys its data): ndctl create-namespace -f -e %s "
			 "-m fsdax -a 2M, then make the filesystem again",
			 s->backing.namespace);
	else if (ds->bdev_dax > 0 && !strcmp(ds->mount_dax, "never"))
		snprintf(buf, len, "mount the filesystem with -o dax=always");
	else if (ds->bdev_dax > 0 && !strcmp(ds->mount_dax, "inode"))
		snprintf(buf, len, "set the file's DAX flag (xfs_io -c 'chattr "
			 "+x' %s, then drop its pages from the cache), or mount "
			 "with -o dax=always", s->path);
	else
		return NULL;	/* not persistent memory: nothing to do */
	return buf;
}

static void print_advice(const struct dt_target *s, const uint64_t *by_reason)
{
	uint64_t cut = s->dev ? dt_dev_min_cut(s->dev) : 0;
	const struct dt_dev *capped = s->dev ? dt_dev_capped(s->dev) : NULL;
	char buf[512], piece[24] = "?";
	bool head = false;

	if (cut)
		dt_fmt_size(piece, sizeof(piece), cut);

	dt_print_begin_array("advice");
	for (int r = 0; r < DT_NR_REASONS; r++) {
		const char *text = NULL;

		if (!by_reason[r])
			continue;
		if (r == DT_R_NOT_DAX) {
			text = not_dax_advice(s, buf, sizeof(buf));
		} else {
			for (size_t i = 0; i < ARRAY_SIZE(advice) && !text; i++)
				if (advice[i].reason == (enum dt_reason)r &&
				    (!advice[i].fs || !strcmp(advice[i].fs, s->ds.fs))) {
					snprintf(buf, sizeof(buf), advice[i].text,
						 s->backing.namespace[0] ?
						 s->backing.namespace : "NAMESPACE",
						 s->kind == DT_TARGET_LAYOUT ?
						 "FILE" : s->path,
						 s->backing.stack[0] ?
						 s->backing.stack : s->backing.dev,
						 piece, capped ? capped->name : "DM");
					text = buf;
				}
		}
		if (text && !head) {
			dt_print_text("  advice:\n");
			head = true;
		}
		if (text)
			dt_print_str(DT_ANY, NULL, "    - %s\n", text);
	}
	dt_print_end_array();
}

/* --- the windows --- */

/* The devices an extent of the window is on, by the interleave
 * arithmetic (dt_cxl_locate); holes and unplaced data are on none. */
static void cxl_extent(const struct dt_extent *ext, void *arg)
{
	struct tally *t = arg;
	struct dt_cxl_loc loc;

	/* what lies past EOF is not mapped: not the window's */
	if (ext->type == DT_HOLE || ext->phys == DT_NO_ADDR ||
	    ext->offset >= t->cxl_end)
		return;
	dt_cxl_locate(t->topo, ext->phys, ext->offset + ext->length > t->cxl_end ?
		      t->cxl_end - ext->offset : ext->length, &loc);
	if (loc.region != t->cxl || !loc.memdev) {
		t->cxl_unknown = true;
		return;
	}
	for (unsigned i = 0; i < loc.nr_memdevs; i++)
		t->cxl_positions |= 1u << ((loc.pos + i) % t->cxl->ways);
}

/* cxl_devices: the memory devices the window's data is on, in interleave
 * position order; null off CXL memory or where the arithmetic is not
 * known */
static void print_window_cxl(const struct tally *t)
{
	unsigned n = 0;

	if (!t->cxl || t->cxl_unknown) {
		dt_print_null(t->cxl ? DT_ANY : DT_JSON, "cxl_devices",
			      " cxl %s", "?");
		return;
	}
	dt_print_begin_inline_array("cxl_devices");
	for (unsigned i = 0; i < t->cxl->nr_targets; i++)
		if (t->cxl_positions & (1u << i))
			dt_print_str(DT_ANY, NULL, n++ ? ",%s" : " cxl %s",
				     t->cxl->memdevs[i]);
	dt_print_end_array();
	if (!n)
		dt_print_text(" cxl -");
}

static void print_window(const struct tally *t, const struct dt_pmd_window *w)
{
	unsigned n = 0;

	dt_print_begin_row(NULL);
	dt_print_addr(DT_ANY, "offset", "    %-12s", w->offset);
	dt_print_u64(w->count > 1 ? DT_ANY : DT_JSON, "count",
		     " x%-6" PRIu64, w->count);
	dt_print_str(DT_ANY, "status", " %-8s", dt_pmd_status_name(w->status));
	dt_print_size_opt(DT_JSON, "page_size", NULL, w->page_size, NULL);
	dt_print_str(DT_ANY, "type", " %-9s", dt_type_name(w->type));
	/* A layout's or an untranslated address is addr, not phys. */
	dt_print_addr_opt(DT_ANY, "phys", " phys %-14s", w->physical ?
			  w->phys : DT_NO_ADDR, NULL);
	dt_print_addr_opt(w->physical ? DT_JSON : DT_ANY, "addr",
			  " addr %-14s", w->phys, NULL);
	dt_print_begin_inline_array("reasons");
	for (int r = 0; r < DT_NR_REASONS; r++)
		if (w->reasons & (1u << r))
			dt_print_str(DT_ANY, NULL, n++ ? ",%s" : " %s",
				     dt_reason_name(r));
	dt_print_end_array();
	dt_print_begin_inline_array("extent_boundaries");
	for (unsigned i = 0; i < w->nr_bounds && i < DT_MAX_BOUNDS; i++)
		dt_print_addr(DT_ANY, NULL, i ? ",%s" : " (extents change at %s",
			      w->bounds[i]);
	dt_print_end_array();
	if (w->nr_bounds > DT_MAX_BOUNDS)
		dt_print_text(", ...");
	dt_print_text(w->nr_bounds ? ")" : "");
	print_window_cxl(t);
	dt_print_end_row();
}

static int window_fn(const struct dt_pmd_window *w, void *arg)
{
	struct tally *t = arg;

	t->windows += w->count;
	t->by_status[w->status] += w->count;
	if (w->page_size >= DT_PMD_SIZE)
		t->eligible_bytes += w->count * DT_PMD_SIZE;
	if (w->page_size)
		t->page_bytes[w->page_size == 4096 ? 0 : w->page_size ==
			      DT_PMD_SIZE ? 1 : 2] += w->count * DT_PMD_SIZE;
	for (int r = 0; r < DT_NR_REASONS; r++)
		if (w->reasons & (1u << r))
			t->by_reason[r] += w->count;
	/* a run's windows start on the same interleave position (2 MiB is
	 * a multiple of ways x granularity): all span what the first does */
	if (t->cxl && t->cxl_unknown)
		t->cxl_any_unknown = true;
	else if (t->cxl && __builtin_popcount(t->cxl_positions) > 1)
		t->cxl_multi += w->count;
	if ((w->status == DT_PMD_NO && !(w->reasons & (1u << DT_R_NOT_DAX))) ||
	    w->status == DT_PMD_UNKNOWN || w->status == DT_PMD_REFUSED ||
	    t->o->verbose) {
		if (!t->listed_any)
			dt_print_text(t->o->verbose ? "  windows:\n" :
				      "  windows that fall back to 4 KiB pages:\n");
		t->listed_any = true;
		print_window(t, w);
	}
	t->cxl_positions = 0;
	t->cxl_unknown = false;
	return 0;
}

/* --- the target: file, device, directory or layout --- */

/*
 * What the target is and whether DAX is on. Text: one line for what it
 * is, then a line each for the device stack, what is unknown, DAX and
 * the allocation; for a target that is not DAX, one paragraph saying so.
 */
static void print_dax(const struct dt_target *s)
{
	const struct dt_dax_state *ds = &s->ds;
	const struct dt_backing *b = &s->backing;
	enum dt_pmode on = ds->on ? DT_ANY : DT_JSON;
	bool ns = b->namespace[0];

	dt_print_str(on, "kind", " %s", dt_target_kind_name(s));
	dt_print_u64(DT_JSON, "size", NULL, s->params.size);
	dt_print_begin_object("dax");
	dt_print_bool(DT_ANY, "on", ds->on ? NULL : " not DAX:", ds->on);
	dt_print_str_opt(DT_ANY, "why_not", " %s.", ds->on ? NULL : ds->why, NULL);
	dt_print_str_opt(on, "dev", s->realtime ? " on the realtime device %s" :
			 " on %s", b->dev, NULL);
	dt_print_str_opt(on, "namespace", " (%s", b->namespace, NULL);
	dt_print_str_opt(ns ? on : DT_JSON, "mode", ", %s", b->mode, NULL);
	dt_print_size_opt((ns ? on : DT_JSON) | DT_HUMAN, "align",
			  ", align %s)", b->align, "?)");
	dt_print_text(ds->on ? "\n" : "");
	dt_print_bool(DT_JSON, "realtime", NULL, s->realtime);
	dt_print_str_opt(on, "stack", "  device stack: %s\n", b->stack, NULL);
	if (ds->on && s->phys_why[0] && s->kind != DT_TARGET_LAYOUT)
		dt_print_text("  note: physical addresses unknown%s: %s\n",
			      s->dev && s->dev->kind == DT_DEV_TABLE ?
			      " in part" : "", s->phys_why);
	dt_print_bool_opt(DT_JSON, "statx_dax", NULL, ds->statx_dax, NULL);
	dt_print_bool_opt(DT_JSON, "inode_flag", NULL, ds->inode_flag, NULL);
	dt_print_bool_opt(DT_JSON, "bdev_dax", NULL, ds->bdev_dax, NULL);
	dt_print_text(ds->on ? "  DAX is on" : "");
	dt_print_str_opt(on, "mount_dax", " (dax=%s)", ds->mount_dax, NULL);
	dt_print_text(ds->on ? "\n" : "");
	dt_print_str(DT_JSON, "fs", NULL, ds->fs);
	dt_print_end_object();

	dt_print_begin_object("allocation");
	on = ds->on && s->kind != DT_TARGET_DEVDAX ? DT_ANY : DT_JSON;
	dt_print_bool(on, "aligned", ds->aligned_alloc ? "  allocation: aligned "
		      "to 2 MiB" : "  allocation: not aligned to 2 MiB by the "
		      "filesystem", ds->aligned_alloc);
	dt_print_str_opt(on, "hint", " (%s)", ds->alloc_hint, NULL);
	dt_print_text(on == DT_ANY ? "\n" : "");
	dt_print_end_object();
}

/*
 * On CXL memory: the region, and what its interleave means for 2 MiB and
 * 1 GiB windows and for a page of the device's alignment: how many
 * memory devices each spans (still one mapping). Null elsewhere.
 */
static void print_cxl(const struct dt_target *s, const struct dt_topology *topo)
{
	const struct dt_backing *b = &s->backing;
	const struct dt_cxl_region *r = b->cxl;
	enum dt_pmode m = s->ds.on ? DT_ANY : DT_JSON;
	struct dt_cxl_loc loc = { 0 };

	if (!r) {
		dt_print_null(DT_JSON, "cxl", NULL, NULL);
		return;
	}
	/* the arithmetic is known for the region as a whole, or not */
	if (r->resource != DT_CXL_NONE)
		dt_cxl_locate(topo, r->resource, 1, &loc);
	if (!loc.why && !loc.memdev)
		loc.why = "the region's host physical range is not set";
	dt_print_text(m == DT_ANY ? "  " : "");
	dt_print_begin_object("cxl");
	dt_backing_print_cxl_members(b, m);
	if (loc.why) {
		dt_print_null(DT_JSON, "pmd_devices", NULL, NULL);
		dt_print_null(DT_JSON, "pud_devices", NULL, NULL);
		dt_print_null(DT_JSON, "align_devices", NULL, NULL);
	} else {
		dt_print_u64(m, "pmd_devices", ": a 2 MiB window spans %"
			     PRIu64 " of them", dt_cxl_span(r, DT_PMD_SIZE));
		dt_print_u64(m, "pud_devices", ", a 1 GiB window %" PRIu64,
			     dt_cxl_span(r, DT_PUD_SIZE));
		dt_print_u64_opt(b->align ? m : DT_JSON, "align_devices",
				 ", a page of the device's alignment %" PRIu64,
				 b->align ? dt_cxl_span(r, b->align) : 0, NULL);
		dt_print_text(m == DT_ANY ? "; each is still one mapping" : "");
	}
	dt_print_size_opt(DT_JSON, "align", NULL, b->align, NULL);
	dt_print_str_opt(m, "why", " (which device holds what is not "
			 "known: %s)", loc.why, NULL);
	dt_print_text(m == DT_ANY ? "\n" : "");
	dt_print_end_object();
}

/* The text of a file that is not DAX, after print_dax's first line. */
static void print_not_dax(const struct dt_target *s)
{
	/* the windows dt_pmd_analyse walks: the size rounded up */
	uint64_t windows = s->params.size / DT_PMD_SIZE +
			   !!(s->params.size % DT_PMD_SIZE);
	char sz[24];

	if (s->ds.on)
		return;
	if (s->has_src)
		dt_print_text(" Its mappings go through the page cache, so none "
			      "of its %" PRIu64 " window%s of 2 MiB (%s) is mapped "
			      "directly; huge pages there depend on the page "
			      "cache, which check does not predict.", windows,
			      windows == 1 ? "" : "s",
			      dt_fmt_size(sz, sizeof(sz), windows * DT_PMD_SIZE));
	else
		dt_print_text(" New files here do not get DAX.");
	dt_print_text("\n");
}

static void print_summary(const struct tally *t, bool text)
{
	enum dt_pmode m = text ? DT_ANY : DT_JSON;
	uint64_t pud = t->by_status[DT_PMD_PUD];
	uint64_t eligible = t->by_status[DT_PMD_YES] + t->by_status[DT_PMD_ZERO] +
			    pud;
	char a[24], b[24];

	dt_print_begin_object("summary");
	dt_print_u64(DT_JSON, "windows", NULL, t->windows);
	dt_print_u64(m, "eligible", "  2 MiB windows: %" PRIu64, eligible);
	if (text)
		dt_print_text(" of %" PRIu64 " get%s a huge page (%s of %s",
			      t->windows, eligible == 1 ? "s" : "",
			      dt_fmt_size(a, sizeof(a), t->eligible_bytes),
			      dt_fmt_size(b, sizeof(b), t->windows * DT_PMD_SIZE));
	dt_print_u64(DT_JSON, "pmd", NULL, t->by_status[DT_PMD_YES]);
	dt_print_u64(pud ? m : DT_JSON, "pud", "; %" PRIu64 " in 1 GiB pages", pud);
	dt_print_u64(t->by_status[DT_PMD_ZERO] ? m : DT_JSON, "zero_pmd",
		     "; %" PRIu64 " of them reads of the huge zero page",
		     t->by_status[DT_PMD_ZERO]);
	if (text)
		dt_print_text(")\n");
	dt_print_u64(DT_JSON, "pte", NULL, t->by_status[DT_PMD_NO]);
	dt_print_u64(t->by_status[DT_PMD_UNKNOWN] ? m : DT_JSON, "unknown",
		     t->by_status[DT_PMD_UNKNOWN] == 1 ? "    %" PRIu64 " window: "
		     "cannot tell, its physical address is unknown (see the note "
		     "above)\n" : "    %" PRIu64 " windows: cannot tell, their "
		     "physical addresses are unknown (see the note above)\n",
		     t->by_status[DT_PMD_UNKNOWN]);
	dt_print_u64(t->by_status[DT_PMD_REFUSED] ? m : DT_JSON, "refused",
		     "    %" PRIu64 " windows: no valid mapping: device-DAX out "
		     "of its alignment (below)\n", t->by_status[DT_PMD_REFUSED]);
	if (!t->cxl || t->cxl_any_unknown)
		dt_print_null(DT_JSON, "cxl_multi_device", NULL, NULL);
	else
		dt_print_u64(m, "cxl_multi_device", t->cxl_multi == 1 ?
			     "    %" PRIu64 " window spans more than one CXL "
			     "memory device (still one mapping)\n" :
			     "    %" PRIu64 " windows span more than one CXL "
			     "memory device (each still one mapping)\n",
			     t->cxl_multi);
	dt_print_u64(DT_JSON, "bytes", NULL, t->windows * DT_PMD_SIZE);
	dt_print_u64(DT_JSON, "eligible_bytes", NULL, t->eligible_bytes);
	dt_print_begin_object("page_bytes");
	dt_print_u64(DT_JSON, "4096", NULL, t->page_bytes[0]);
	dt_print_u64(DT_JSON, "2097152", NULL, t->page_bytes[1]);
	dt_print_u64(DT_JSON, "1073741824", NULL, t->page_bytes[2]);
	dt_print_end_object();
	dt_print_begin_object("reasons");
	for (int r = 0; r < DT_NR_REASONS; r++) {
		if (t->by_reason[r] && text)
			dt_print_text("    %-22s ", dt_reason_name(r));
		dt_print_u64(t->by_reason[r] ? m : DT_JSON, dt_reason_name(r),
			     t->by_reason[r] == 1 ? "%6" PRIu64 " window : " :
			     "%6" PRIu64 " windows: ", t->by_reason[r]);
		if (t->by_reason[r] && text)
			dt_print_text("%s\n", dt_reason_text(r));
	}
	dt_print_end_object();
	dt_print_end_object();
}

/* Returns 0 if all is eligible, 1 if not, -1 on failure. */
static int check_one(struct dt_ctx *ctx, const char *path,
		     const struct check_opts *o)
{
	struct dt_print_mark mark = dt_print_mark();
	struct tally t = { .o = o };
	struct dt_target s;
	char err[512];
	int ret;

	if (dt_target_open(&s, ctx, path, o->layout ? DT_OPEN_LAYOUT :
			   DT_OPEN_DIR, err, sizeof(err)) ||
	    (s.kind != DT_TARGET_DIR &&
	     dt_target_source(&s, DT_SRC_AUTO, false, err, sizeof(err)))) {
		dt_target_close(&s);
		dt_print_fail(mark, path, err);
		dt_err("%s", err);
		return -1;
	}
	s.params.dax = s.ds.on;
	s.params.write = o->access == ACCESS_WRITE;
	s.params.private_map = o->private_map;
	s.params.vaddr_delta = (o->vaddr - o->offset) & (DT_PUD_SIZE - 1);
	s.params.map_offset = o->offset;
	if (s.backing.cxl && s.kind != DT_TARGET_LAYOUT) {
		t.topo = dt_ctx_topology(ctx);
		t.cxl = s.backing.cxl;
		t.cxl_end = (s.params.size + 4095) & ~4095ULL;
		s.params.extent_fn = cxl_extent;
		s.params.extent_arg = &t;
	}

	dt_print_begin_object(NULL);
	dt_print_meta();
	dt_print_str(DT_ANY, "path", "%s:", path);
	dt_print_str(DT_JSON, "access", NULL, access_names[o->access]);
	print_dax(&s);
	print_cxl(&s, t.topo);
	print_not_dax(&s);
	dt_print_begin_array("windows");
	if (s.has_src) {
		ret = dt_pmd_analyse(&s.src, &s.params, window_fn, &t);
		if (ret) {
			snprintf(err, sizeof(err), "%s: %s", path, strerror(-ret));
			dt_target_close(&s);
			dt_print_fail(mark, path, err);
			dt_err("%s", err);
			return -1;
		}
	}
	dt_print_end_array();
	if (s.has_src)
		print_summary(&t, s.ds.on);
	else
		dt_print_null(DT_JSON, "summary", NULL, NULL);
	if (!s.ds.on)
		t.by_reason[DT_R_NOT_DAX] = 1;
	print_advice(&s, t.by_reason);
	dt_print_end_object();
	/* not DAX is 1, whether there are windows or not (an empty file) */
	ret = !s.ds.on || t.by_status[DT_PMD_NO] ||
	      t.by_status[DT_PMD_UNKNOWN] || t.by_status[DT_PMD_REFUSED] ? 1 : 0;
	dt_target_close(&s);
	return ret;
}

int cmd_check(int argc, const char **argv, struct dt_ctx *ctx)
{
	struct check_opts o = { 0 };
	const struct opt opts[] = {
		OPT_BOOLEAN('j', "json", &o.json, "print JSON (one array, an object per target)"),
		OPT_BOOLEAN('v', "verbose", &o.verbose, "list every window, not only those that fall back"),
		OPT_CHOICE('a', "access", &o.access, access_names, "write|read",
			   "the faults to predict (default write)"),
		OPT_BOOLEAN(0, "private", &o.private_map, "predict a MAP_PRIVATE mapping"),
		OPT_STRING(0, "vaddr", &o.vaddr_s, "ADDR", "the virtual address the mapping will have"),
		OPT_SIZE(0, "offset", &o.offset, "OFF", "the file offset mapped at --vaddr (default 0)"),
		OPT_STRING('l', "layout", &o.layout, "FILE.json", "what if: analyse a layout given as JSON"),
		OPT_BOOLEAN('u', "human", &o.human, "sizes as 4K, 2M, 1G in text output"),
		OPT_END(),
	};
	int worst = 0;

	argc = parse_options(argc, argv, opts, check_usage);
	if (o.layout && argc)
		usage_error("--layout checks the layout file; give no FILE");
	if (!o.layout && !argc)
		usage_with_options(check_usage, opts);
	/* options are checked before any target is opened */
	if (o.vaddr_s) {
		const char *why;

		if (dt_parse_size(o.vaddr_s, &o.vaddr, &why))
			usage_error("--vaddr: invalid address '%s': %s",
				    o.vaddr_s, why);
	}

	dt_print_init(o.json ? DT_PF_JSON : DT_PF_TEXT, o.human);
	dt_print_begin_array(NULL);
	for (int i = 0; i < (o.layout ? 1 : argc); i++) {
		int r;

		if (i)
			dt_print_text("\n");
		r = check_one(ctx, o.layout ? o.layout : argv[i], &o);
		if (r < 0 || r > worst)
			worst = 1;
	}
	dt_print_end_array();
	if (dt_print_finish() < 0) {
		dt_err("writing output: %s", strerror(errno));
		return DT_EXIT_FAIL;
	}
	return worst ? DT_EXIT_FAIL : DT_EXIT_OK;
}
