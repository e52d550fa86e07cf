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

#include "daxtool/out.h"
#include "daxtool/pmd.h"
#include "daxtool/sources.h"
#include "daxtool/target.h"
#include "daxtool/topology.h"
#include "daxtool/util.h"
#include "builtin.h"
#include "parse-options.h"

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
	struct dt_out_mark list_mark;
	bool listed_any;
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

	dt_out_begin_array("advice");
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
			dt_out_text("  advice:\n");
			head = true;
		}
		if (text)
			dt_out_str(NULL, "    - %s\n", text);
	}
	dt_out_end_array();
}

/* --- the windows --- */

static void print_window(const struct dt_pmd_window *w)
{
	char text[256];
	size_t n = 0;

	dt_out_begin_row(NULL);
	dt_out_addr("offset", "    %-12s", w->offset);
	dt_out_str("status", " %-8s", dt_pmd_status_name(w->status));
	dt_out_str("type", " %-9s", dt_type_name(w->type));
	/* an address: not dt_out_u64_opt, 0 is one. A layout's or an
	 * untranslated address is addr, not phys. */
	if (w->phys != DT_NO_ADDR && w->physical)
		dt_out_addr("phys", " phys %-14s", w->phys);
	else
		dt_out_null("phys");
	if (w->phys != DT_NO_ADDR)
		dt_out_addr("addr", w->physical ? NULL : " addr %-14s", w->phys);
	else
		dt_out_null("addr");
	dt_out_begin_inline_array("reasons");
	text[0] = '\0';
	for (int r = 0; r < DT_NR_REASONS; r++)
		if (w->reasons & (1u << r)) {
			dt_out_str(NULL, NULL, dt_reason_name(r));
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s",
					      n ? "," : " ", dt_reason_name(r));
		}
	dt_out_end_array();
	dt_out_text("%s", text);
	dt_out_begin_inline_array("extent_boundaries");
	for (unsigned i = 0; i < w->nr_bounds && i < DT_MAX_BOUNDS; i++)
		dt_out_addr(NULL, i ? ",%s" : " (extents change at %s", w->bounds[i]);
	if (w->nr_bounds > DT_MAX_BOUNDS)
		dt_out_text(", ...");
	if (w->nr_bounds)
		dt_out_text(")");
	dt_out_end_array();
	dt_out_text("\n");
	dt_out_end_object();
}

static int window_fn(const struct dt_pmd_window *w, void *arg)
{
	struct tally *t = arg;

	t->windows++;
	t->by_status[w->status]++;
	if (w->status == DT_PMD_YES || w->status == DT_PMD_ZERO)
		t->eligible_bytes += DT_PMD_SIZE;
	for (int r = 0; r < DT_NR_REASONS; r++)
		if (w->reasons & (1u << r))
			t->by_reason[r]++;
	if ((w->status == DT_PMD_NO && !(w->reasons & (1u << DT_R_NOT_DAX))) ||
	    w->status == DT_PMD_UNKNOWN ||
	    t->o->verbose) {
		if (!t->listed_any)
			dt_out_text(t->o->verbose ? "  windows:\n" :
				    "  windows that fall back to 4 KiB pages:\n");
		t->listed_any = true;
		print_window(w);
	}
	return 0;
}

/* --- the subject: file, device, directory or layout --- */

static void print_dax(const struct dt_target *s)
{
	const struct dt_dax_state *ds = &s->ds;
	const struct dt_backing *b = &s->backing;

	dt_out_begin_object("dax");
	dt_out_bool("on", NULL, ds->on);
	dt_out_bool_opt("statx_dax", NULL, ds->statx_dax);
	dt_out_bool_opt("inode_flag", NULL, ds->inode_flag);
	dt_out_str_opt("mount_dax", NULL, ds->mount_dax);
	dt_out_bool_opt("bdev_dax", NULL, ds->bdev_dax);
	dt_out_str("fs", NULL, ds->fs);
	dt_out_str_opt("dev", NULL, b->dev);
	dt_out_str_opt("namespace", NULL, b->namespace);
	dt_out_str_opt("mode", NULL, b->mode);
	dt_out_u64_opt("align", NULL, b->align);
	dt_out_bool("realtime", NULL, s->realtime);
	dt_out_str_opt("stack", NULL, b->stack);
	dt_out_str_opt("why_not", NULL, ds->on ? NULL : ds->why);
	dt_out_end_object();
	dt_out_begin_object("allocation");
	dt_out_bool("aligned", NULL, ds->aligned_alloc);
	dt_out_str_opt("hint", NULL, ds->alloc_hint);
	dt_out_end_object();

	if (!ds->on)
		return;		/* text: one paragraph, at the end */
	/* text: one line for what it is, one for DAX */
	dt_out_text("%s: %s", s->path, dt_target_kind_name(s));
	if (b->dev[0])
		dt_out_text(" on %s%s", s->realtime ? "the realtime device " :
			    "", b->dev);
	if (b->namespace[0])
		dt_out_text(" (%s, %s, align %s)", b->namespace, b->mode,
			    dt_fmt_size((char[24]){ 0 }, 24, b->align));
	dt_out_text("\n");
	if (b->stack[0])
		dt_out_text("  device stack: %s\n", b->stack);
	if (s->phys_why[0] && s->kind != DT_TARGET_LAYOUT)
		dt_out_text("  note: physical addresses unknown%s: %s\n",
			    s->dev && s->dev->kind == DT_DEV_TABLE ? " in part" :
			    "", s->phys_why);
	dt_out_text("  DAX is on%s%s%s\n", ds->mount_dax[0] ? " (dax=" : "",
		    ds->mount_dax, ds->mount_dax[0] ? ")" : "");
	if (s->kind != DT_TARGET_DEVDAX)
		dt_out_text("  allocation: %s%s%s\n", ds->aligned_alloc ?
			    "aligned to 2 MiB (" : "not aligned to 2 MiB by the "
			    "filesystem", ds->alloc_hint, ds->aligned_alloc ?
			    ")" : "");
}

static void print_summary(const struct tally *t)
{
	char a[24], b[24];

	dt_out_begin_object("summary");
	dt_out_u64("windows", NULL, t->windows);
	dt_out_u64("eligible", "  2 MiB windows: %" PRIu64, t->by_status[DT_PMD_YES] +
		   t->by_status[DT_PMD_ZERO]);
	dt_out_text(" of %" PRIu64 " get a 2 MiB page (%s of %s", t->windows,
		    dt_fmt_size(a, sizeof(a), t->eligible_bytes),
		    dt_fmt_size(b, sizeof(b), t->windows * DT_PMD_SIZE));
	dt_out_u64("pmd", NULL, t->by_status[DT_PMD_YES]);
	dt_out_u64("zero_pmd", t->by_status[DT_PMD_ZERO] ? "; %" PRIu64
		   " of them reads of the huge zero page" : NULL,
		   t->by_status[DT_PMD_ZERO]);
	dt_out_text(")\n");
	dt_out_u64("pte", NULL, t->by_status[DT_PMD_NO]);
	dt_out_u64("unknown", t->by_status[DT_PMD_UNKNOWN] ? "    %" PRIu64
		   " windows: cannot tell, their physical addresses are unknown "
		   "(see the note above)\n" : NULL, t->by_status[DT_PMD_UNKNOWN]);
	dt_out_u64("bytes", NULL, t->windows * DT_PMD_SIZE);
	dt_out_u64("eligible_bytes", NULL, t->eligible_bytes);
	dt_out_begin_object("reasons");
	for (int r = 0; r < DT_NR_REASONS; r++)
		dt_out_u64(dt_reason_name(r), NULL, t->by_reason[r]);
	dt_out_end_object();
	dt_out_end_object();
	for (int r = 0; r < DT_NR_REASONS; r++)
		if (t->by_reason[r])
			dt_out_text("    %-22s %6" PRIu64 " window%s: %s\n",
				    dt_reason_name(r), t->by_reason[r],
				    t->by_reason[r] == 1 ? " " : "s",
				    dt_reason_text(r));
}

/* Returns 0 if all is eligible, 1 if not, -1 on failure. */
static int check_one(struct dt_ctx *ctx, const char *path,
		     const struct check_opts *o)
{
	struct dt_target s;
	struct tally t = { .o = o };
	struct dt_out_mark mark = dt_out_mark();
	char err[512];
	int ret;

	if (dt_target_open(&s, ctx, path, o->layout ? DT_OPEN_LAYOUT :
			   DT_OPEN_DIR, err, sizeof(err)) ||
	    (s.kind != DT_TARGET_DIR &&
	     dt_target_source(&s, DT_SRC_AUTO, false, err, sizeof(err)))) {
		dt_target_close(&s);
		dt_err("%s", err);
		return -1;
	}
	s.params.dax = s.ds.on;
	s.params.write = o->access == ACCESS_WRITE;
	s.params.private_map = o->private_map;
	s.params.vaddr_delta = (o->vaddr - o->offset) & (DT_PMD_SIZE - 1);

	dt_out_begin_object(NULL);
	dt_out_str("path", NULL, path);
	dt_out_str("kind", NULL, dt_target_kind_name(&s));
	dt_out_u64("size", NULL, s.params.size);
	dt_out_str("access", NULL, access_names[o->access]);
	print_dax(&s);
	dt_out_begin_array("windows");
	if (s.has_src) {
		ret = dt_pmd_analyse(&s.src, &s.params, window_fn, &t);
		if (ret) {
			dt_out_rollback(mark);
			dt_err("%s: %s", path, strerror(-ret));
			ret = -1;
			goto out;
		}
	}
	dt_out_end_array();
	if (s.has_src && (s.ds.on || dt_out_json())) {
		print_summary(&t);	/* without DAX, text says it in a paragraph */
	} else if (!s.has_src) {
		dt_out_null("summary");
		if (!s.ds.on)
			t.by_reason[DT_R_NOT_DAX] = 1;
	}
	if (!s.ds.on) {
		char sz[24];

		dt_out_text("%s: not DAX: %s.", path, s.ds.why);
		if (s.has_src)
			dt_out_text(" Its mappings go through the page cache, so "
				    "none of its %" PRIu64 " windows of 2 MiB (%s) "
				    "is mapped directly; huge pages there depend "
				    "on the page cache, which check does not "
				    "predict.", t.windows,
				    dt_fmt_size(sz, sizeof(sz), t.windows * DT_PMD_SIZE));
		else
			dt_out_text(" New files here do not get DAX.");
		dt_out_text("\n");
	}
	print_advice(&s, t.by_reason);
	dt_out_end_object();
	/* not DAX is 1, whether there are windows or not (an empty file) */
	ret = !s.ds.on || t.by_status[DT_PMD_NO] ||
	      t.by_status[DT_PMD_UNKNOWN] ? 1 : 0;
out:
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

	dt_out_init(o.json, o.human);
	dt_out_begin_array(NULL);
	for (int i = 0; i < (o.layout ? 1 : argc); i++) {
		int r;

		if (i)
			dt_out_text("\n");
		r = check_one(ctx, o.layout ? o.layout : argv[i], &o);
		if (r < 0 || r > worst)
			worst = 1;
	}
	dt_out_end_array();
	if (dt_out_finish() < 0) {
		dt_err("writing output: %s", strerror(errno));
		return DT_EXIT_FAIL;
	}
	return worst ? DT_EXIT_FAIL : DT_EXIT_OK;
}
