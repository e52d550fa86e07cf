// SPDX-License-Identifier: GPL-2.0-only
/*
 * daxtool map: a file's extents and holes, one row per extent, with the
 * alignment a 2 MiB mapping needs. The engine walks the file once; the
 * actor here prints each extent and adds it to the summary.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "daxtool/fmt.h"
#include "daxtool/fs.h"
#include "daxtool/iomap.h"
#include "daxtool/parse-options.h"
#include "daxtool/print.h"
#include "daxtool/sources.h"
#include "daxtool/target.h"
#include "daxtool/util.h"
#include "builtin.h"

static const char *const source_names[] = { "auto", "fiemap", "seek", NULL };

static const char *const map_usage[] = {
	"daxtool map [options] FILE...",
	"daxtool map [options] --layout FILE.json",
	NULL
};

struct map_opts {
	bool json, ndjson, human, graph, sync, no_retry;
	const char *range, *layout;
	uint64_t range_off, range_len;	/* --range, parsed */
	bool range_has_len;
	int source;
};

/* Graph cells: which extent types each 1/width of the range holds. */
struct graph {
	unsigned width;
	uint64_t start, len;
	uint8_t *cells;
};

struct map_ctx {
	const struct map_opts *opts;
	const struct dt_target *tg;
	struct graph graph;
	unsigned delay_ms;		/* DAXTOOL_TEST_MAP_DELAY_MS */
	uint64_t nr[DT_NR_TYPES];	/* extents per type */
	uint64_t bytes[DT_NR_TYPES];	/* bytes per type */
	uint64_t pmd_bytes;		/* data in PMD-mappable windows */
	uint64_t pud_bytes;		/* in PUD-mappable windows, where the
					   device can map 1 GiB pages */
	bool pud;			/* it can: device-DAX aligned 1G */
	const struct dt_topology *topo;	/* for CXL memory; NULL for a layout */
	uint64_t pmd_hole_bytes;	/* holes the huge zero page could map */
	uint64_t past_eof_bytes;	/* allocated past EOF (preallocation) */
};

static int past_eof_actor(const struct dt_extent *ext, void *arg)
{
	struct map_ctx *ctx = arg;

	if (ext->type != DT_HOLE)
		ctx->past_eof_bytes += ext->length;
	return 0;
}

/* Where the extent's physical range is on CXL memory, once known to be
 * there: the row's "cxl" object. */
static void print_cxl(const struct dt_cxl_loc *loc)
{
	dt_print_begin_object("cxl");
	dt_print_str(DT_ANY, "region", "  cxl %s", loc->region->devname);
	dt_print_str_opt(DT_ANY, "memdev", " %s", loc->memdev, " ?");
	dt_print_addr_opt(DT_ANY, "dpa", " dpa %s", loc->dpa, NULL);
	dt_print_begin_inline_array("memdevs");
	for (unsigned i = 0; i < loc->nr_memdevs; i++)
		if (i)
			dt_print_str(DT_ANY, NULL, i > 1 ? ",%s" : " (then %s", loc->memdevs[i]);
		else
			dt_print_str(DT_JSON, NULL, NULL, loc->memdevs[i]);
	dt_print_end_array();
	if (loc->nr_memdevs > 1)
		dt_print_text(")");
	dt_print_str_opt(DT_ANY, "why", " (%s)", loc->why, NULL);
	dt_print_end_object();
}

static void graph_add(struct graph *g, const struct dt_extent *ext)
{
	uint64_t a, b;

	if (!g->cells || !g->len)
		return;
	/* cells [a, b) meet the extent; a small extent still marks one */
	a = (uint64_t)((unsigned __int128)(ext->offset - g->start) * g->width /
		       g->len);
	b = (uint64_t)(((unsigned __int128)(ext->offset + ext->length - g->start) *
			g->width + g->len - 1) / g->len);
	if (b <= a)
		b = a + 1;
	for (uint64_t i = a; i < b && i < g->width; i++)
		g->cells[i] |= (uint8_t)(1u << ext->type);
}

/* An extent's row. The device addr is an offset on, and the one phys is
 * in. The last column, "cxl", is null where the extent is not on CXL
 * memory (or where is unknown); where it is, the row goes out without it
 * (extent_cols_cxl) and print_cxl() adds the object. */
static const struct dt_col extent_col[] = {
	{ DT_ANY, DT_C_SIZE, "offset", "  %12s", NULL, NULL },
	{ DT_ANY, DT_C_SIZE, "length", " %12s", NULL, NULL },
	{ DT_ANY, DT_C_STR, "type", " %-9s", NULL, NULL },
	{ DT_ANY, DT_C_ADDR, "addr", " %14s", "-", NULL },
	{ DT_ANY, DT_C_ADDR, "phys", " %14s", "-", NULL },
	{ DT_ANY | DT_HUMAN, DT_C_SIZE, "align", " %6s  ", NULL, NULL },
	{ DT_JSON, DT_C_STR, "dev", NULL, NULL, NULL },
	{ DT_ANY, DT_C_STR, "phys_dev", "%-8s ", "-", NULL },
	{ DT_ANY, DT_C_FLAGS, "flags", "%s", "-", .name = dt_flag_name },
	{ DT_JSON, DT_C_STR, "cxl", NULL, NULL, NULL },	/* null only */
};
#define EXTENT_COLS (sizeof(extent_col) / sizeof(extent_col[0]))
static struct dt_cols extent_cols = DT_COLS(extent_col);
static struct dt_cols extent_cols_cxl = {
	.col = extent_col, .n = EXTENT_COLS - 1,
};

static int map_actor(const struct dt_extent *ext, void *arg)
{
	struct map_ctx *ctx = arg;
	uint64_t pmd = dt_extent_pmd_bytes(ext, DT_PMD_SIZE);
	struct dt_cxl_loc loc = { 0 };

	ctx->nr[ext->type]++;
	ctx->bytes[ext->type] += ext->length;
	if (ext->type == DT_HOLE)
		ctx->pmd_hole_bytes += pmd;
	else
		ctx->pmd_bytes += pmd;
	if (ctx->pud && ext->type != DT_HOLE)
		ctx->pud_bytes += dt_extent_pmd_bytes(ext, DT_PUD_SIZE);
	graph_add(&ctx->graph, ext);

	if (ctx->topo && ext->phys != DT_NO_ADDR)
		dt_cxl_locate(ctx->topo, ext->phys, ext->length, &loc);
	dt_print_begin_row(NULL);
	if (dt_print_ndjson())
		dt_print_str(DT_JSON, "record", NULL, "extent");
	{
		const struct dt_cval v[EXTENT_COLS] = {
			{ true, .u = ext->offset },
			{ true, .u = ext->length },
			{ true, .s = dt_type_name(ext->type) },
			{ ext->addr != DT_NO_ADDR, .u = ext->addr },
			{ ext->phys != DT_NO_ADDR, .u = ext->phys },
			{ true, .u = dt_extent_align(ext) },
			{ ext->addr != DT_NO_ADDR,
			  .s = dt_target_dev_name(ctx->tg, ext->device) },
			{ true, .s = ext->phys_dev },
			{ true, .u = ext->flags & ((1u << DT_NR_FLAGS) - 1) },
			{ false },
		};

		dt_print_cols(loc.region ? &extent_cols_cxl : &extent_cols, v);
	}
	if (loc.region)
		print_cxl(&loc);
	dt_print_end_row();

	if (ctx->delay_ms) {
		/* A test hook: widen the window in which a file can change
		 * while it is mapped. Once, after the first extent. */
		struct timespec ts = { ctx->delay_ms / 1000,
				       (ctx->delay_ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
		ctx->delay_ms = 0;
	}
	return 0;
}

static unsigned term_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	if (cols && atoi(cols) >= 20)
		return (unsigned)atoi(cols);
	return 80;
}

static void print_graph(const struct graph *g)
{
	/* one character per cell: a pure cell shows its type, ':' a mix */
	static const char type_char[DT_NR_TYPES] = {
		[DT_HOLE] = '.', [DT_DELALLOC] = 'd', [DT_MAPPED] = '#',
		[DT_UNWRITTEN] = 'u', [DT_INLINE] = 'i',
	};
	char *line = malloc(g->width + 1);

	if (!line)
		return;
	for (unsigned i = 0; i < g->width; i++) {
		uint8_t c = g->cells[i];

		line[i] = !c ? ' ' : (c & (c - 1)) ? ':' :
			  type_char[__builtin_ctz(c)];
	}
	line[g->width] = '\0';
	dt_print_text("  [%s]\n  # data  u unwritten  d delalloc  i inline  "
		    ". hole  : mixed\n", line);
	free(line);
}

static void print_summary(const struct map_ctx *c, const char *path,
			  uint64_t range_len)
{
	uint64_t data = c->bytes[DT_MAPPED] + c->bytes[DT_DELALLOC] +
			c->bytes[DT_INLINE];
	uint64_t nr_ext = c->nr[DT_MAPPED] + c->nr[DT_DELALLOC] +
			  c->nr[DT_INLINE] + c->nr[DT_UNWRITTEN];
	uint64_t alloc = data + c->bytes[DT_UNWRITTEN];

	if (dt_print_ndjson()) {
		dt_print_begin_row(NULL);
		dt_print_str(DT_JSON, "record", NULL, "summary");
		dt_print_str(DT_JSON, "path", NULL, path);
	} else {
		dt_print_begin_object("summary");
	}
	dt_print_size(DT_ANY, "bytes", "  summary: range %s", range_len);
	dt_print_u64(DT_ANY, "extents", nr_ext == 1 ? ", %" PRIu64 " extent" :
		     ", %" PRIu64 " extents", nr_ext);
	dt_print_u64(DT_ANY, "holes", c->nr[DT_HOLE] == 1 ? ", %" PRIu64 " hole" :
		     ", %" PRIu64 " holes", c->nr[DT_HOLE]);
	dt_print_u64(DT_ANY, "unwritten", ", %" PRIu64 " unwritten",
		     c->nr[DT_UNWRITTEN]);
	dt_print_u64(DT_JSON, "delalloc", NULL, c->nr[DT_DELALLOC]);
	dt_print_size(DT_ANY, "data_bytes", ", data %s", data);
	dt_print_size(DT_JSON, "unwritten_bytes", NULL, c->bytes[DT_UNWRITTEN]);
	dt_print_size(DT_ANY, "hole_bytes", ", holes %s", c->bytes[DT_HOLE]);
	dt_print_size(DT_ANY, "pmd_bytes", ", 2M-mappable %s", c->pmd_bytes);
	if (alloc)
		dt_print_text(" (%.0f%% of the data and unwritten bytes)",
			      100.0 * (double)c->pmd_bytes / (double)alloc);
	if (c->pud)
		dt_print_size(DT_ANY, "pud_bytes", ", 1G-mappable %s", c->pud_bytes);
	else
		dt_print_null(DT_JSON, "pud_bytes", NULL, NULL);
	dt_print_size(DT_ANY, "pmd_hole_bytes", ", 2M holes %s", c->pmd_hole_bytes);
	dt_print_size(DT_ANY, "past_eof_bytes", c->past_eof_bytes ?
		      ", allocated past EOF %s" : NULL, c->past_eof_bytes);
	dt_print_end_row();
}

/* The range to map: --range, checked against the size; a range running
 * past the end is clipped to it, with a note. */
static int get_range(const char *path, const struct map_opts *o,
		     uint64_t size, uint64_t *off, uint64_t *len, char *note,
		     size_t notelen, char *err, size_t errlen)
{
	char a[24], b[24];

	*off = 0;
	*len = size;
	note[0] = '\0';
	if (!o->range)
		return 0;
	*off = o->range_off;
	if (*off >= size && (size || o->range_has_len || *off)) {
		snprintf(err, errlen, "%s: range starts at %s, at or past end "
			 "of file (size %s)", path, dt_fmt_num(a, sizeof(a), *off),
			 dt_fmt_num(b, sizeof(b), size));
		return -1;
	}
	*len = size - *off;
	if (o->range_has_len && o->range_len < *len)
		*len = o->range_len;
	else if (o->range_has_len && o->range_len > *len)
		snprintf(note, notelen, "range %s runs past end of file "
			 "(size %s): mapped to the end", o->range,
			 dt_fmt_num(b, sizeof(b), size));
	return 0;
}

static void print_backing(const struct dt_target *tg)
{
	const struct dt_backing *b = &tg->backing;
	/* in text, only a pmem backing is news: the rest is in a note */
	enum dt_pmode t = b->namespace[0] || b->base != DT_NO_ADDR ||
			  b->stack[0] ? DT_ANY : DT_JSON;
	bool paren = b->namespace[0] || b->mode[0];

	if (!b->dev[0] || tg->kind == DT_TARGET_LAYOUT) {
		dt_print_null(DT_JSON, "backing", NULL, NULL);
		return;
	}
	dt_print_begin_object("backing");
	dt_print_str(t, "dev", "  backing %s", b->dev);
	dt_print_str_opt(t, "namespace", " (%s", b->namespace, NULL);
	dt_print_str_opt(t, "mode", b->namespace[0] ? ", %s" : " (%s", b->mode,
			 NULL);
	dt_print_size_opt(t, "align", ", align %s", b->align, NULL);
	if (t == DT_ANY && paren)
		dt_print_text(")");
	dt_print_size(DT_JSON, "size", NULL, b->dev_size);
	dt_print_bool(t, "realtime", tg->realtime ? ", the xfs realtime device" :
		      NULL, tg->realtime);
	dt_print_str_opt(t, "stack", ", %s", b->stack, NULL);
	dt_print_addr_opt(t, "base", ", byte 0 at physical %s", b->base, NULL);
	dt_backing_print_cxl(b, t, "\n    on ");
	if (t == DT_ANY)
		dt_print_text("\n");
	dt_print_end_object();
}

static void print_header(const struct dt_target *tg, uint64_t off,
			 uint64_t len, const char *note)
{
	const struct dt_source *src = &tg->src;
	bool ranged = off || len != src->size;
	char devt[32] = "";

	if (tg->kind != DT_TARGET_LAYOUT) {
		dev_t d = tg->kind == DT_TARGET_FILE ? tg->st.st_dev :
			  tg->st.st_rdev;

		snprintf(devt, sizeof(devt), "%u:%u", major(d), minor(d));
	}
	dt_print_str(DT_ANY, "path", "%s:", tg->path);
	dt_print_size(DT_ANY, "size", " size %s", src->size);
	dt_print_str(DT_ANY, "source", ", source %s", tg->kind == DT_TARGET_LAYOUT ?
		     "layout" : src->ops->name == NULL ? "?" :
		     tg->has_src && !strcmp(src->ops->name, "stack") ? "fiemap" :
		     src->ops->name);
	dt_print_str_opt(DT_ANY, "devt", ", device %s", devt, NULL);
	dt_print_str_opt(DT_JSON, "device", NULL, devt, NULL);	/* schema 1 */
	dt_print_str_opt(DT_ANY, "fs", ", %s", tg->kind == DT_TARGET_FILE ?
			 tg->ds.fs : NULL, NULL);
	dt_print_text("\n");
	print_backing(tg);
	dt_print_begin_object("range");
	dt_print_size(ranged ? DT_ANY : DT_JSON, "offset", "  range %s", off);
	dt_print_size(ranged ? DT_ANY : DT_JSON, "length", "+%s\n", len);
	dt_print_end_object();
	dt_print_begin_inline_array("caveats");
	for (unsigned b = 0; b < 32; b++)
		if (src->caveats & (1u << b) &&
		    (1u << b) != DT_CAVEAT_NO_ADDR)
			dt_print_str(DT_ANY, NULL, "  note: %s\n", dt_caveat_text(b));
	if (tg->phys_why[0] && !(src->caveats & DT_CAVEAT_NO_ADDR) &&
	    tg->kind != DT_TARGET_LAYOUT) {
		char text[320];

		snprintf(text, sizeof(text), "physical addresses unknown%s: %s",
			 tg->dev && tg->dev->kind == DT_DEV_TABLE ?
			 " in part" : "", tg->phys_why);
		dt_print_str(DT_ANY, NULL, "  note: %s\n", text);
	}
	if (note[0])
		dt_print_str(DT_ANY, NULL, "  note: %s\n", note);
	dt_print_end_array();
	dt_print_text("  %12s %12s %-9s %14s %14s %6s  %-8s %s\n", "OFFSET",
		      "LENGTH", "TYPE", "ADDR", "PHYS", "ALIGN", "DEV", "FLAGS");
}

/* How many times a file that changed size while mapped is mapped again. */
#define MAP_TRIES 5

/* Walk the target once into the output: 0, -ESTALE if the file changed
 * size meanwhile (*size: its size now), or -1 with @err set. */
static int walk_once(struct dt_target *tg, const struct map_opts *o,
		     struct map_ctx *ctx, uint64_t *size, char *err,
		     size_t errlen)
{
	const char *path = tg->path;
	bool nd = dt_print_ndjson();
	uint64_t off, len;
	struct stat st2;
	char note[160];
	int ret;

	if (get_range(path, o, tg->src.size, &off, &len, note, sizeof(note),
		      err, errlen))
		return -1;
	if (o->graph && !dt_print_json()) {
		ctx->graph.width = term_width() - 4;
		ctx->graph.start = off;
		ctx->graph.len = len;
		ctx->graph.cells = calloc(ctx->graph.width, 1);
	}
	if (nd) {
		dt_print_begin_row(NULL);
		dt_print_str(DT_JSON, "record", NULL, "file");
	} else {
		dt_print_begin_object(NULL);
	}
	dt_print_meta();
	print_header(tg, off, len, note);
	if (nd)
		dt_print_end_object();
	else
		dt_print_begin_array("extents");
	ret = dt_iomap_iter(&tg->src, off, len, map_actor, ctx);
	if (!nd)
		dt_print_end_array();
	/* What lies past EOF (preallocation) is counted, not listed. */
	if (ret == 0 && off + len == tg->src.size && tg->kind == DT_TARGET_FILE) {
		uint64_t eof = (tg->src.size + 4095) & ~4095ULL;

		if (eof < INT64_MAX)
			ret = dt_iomap_iter(&tg->src, eof, INT64_MAX - eof,
					    past_eof_actor, ctx);
	}
	*size = (uint64_t)tg->st.st_size;
	if (ret == 0 && tg->kind == DT_TARGET_FILE && fstat(tg->fd, &st2) == 0 &&
	    st2.st_size != tg->st.st_size) {
		*size = (uint64_t)st2.st_size;
		return -ESTALE;
	}
	if (ret) {
		snprintf(err, errlen, "%s: %s: %s", path, tg->src.ops->name,
			 ret == -EIO ? "source returned an invalid extent" :
			 strerror(-ret));
		return -1;
	}
	if (ctx->graph.cells)
		print_graph(&ctx->graph);
	print_summary(ctx, path, len);
	if (!nd)
		dt_print_end_object();
	return 0;
}

/* A target that failed: in the output (JSON: an error member), and on
 * stderr. */
static int map_failed(struct dt_print_mark mark, const char *path,
		      const char *err)
{
	bool dropped = dt_print_fail(mark, path, err);

	dt_err("%s%s", err, dropped || dt_print_json() ? "" :
	       " (the part printed above is incomplete)");
	return -1;
}

/* Map one target into the output. A file that changes size while it is
 * mapped (being appended to) is mapped again, a few times, as long as
 * none of its map was written out yet. */
static int map_one(struct dt_ctx *dctx, const char *path, const struct map_opts *o)
{
	const char *delay = getenv("DAXTOOL_TEST_MAP_DELAY_MS");
	unsigned tries = o->no_retry ? 1 : MAP_TRIES;
	struct dt_print_mark mark = dt_print_mark();
	struct dt_target tg;
	char err[512];
	uint64_t now = 0;
	int ret = -1;

	for (unsigned try = 1; try <= tries; try++) {
		struct map_ctx ctx = { .opts = o, .tg = &tg,
			.topo = o->layout ? NULL : dt_ctx_topology(dctx) };
		char a[24], b[24];

		if (dt_target_open(&tg, dctx, path, o->layout ? DT_OPEN_LAYOUT :
				   DT_OPEN_BLOCK, err, sizeof(err)) ||
		    dt_target_source(&tg, (enum dt_src_choice)o->source, o->sync,
				     err, sizeof(err))) {
			dt_target_close(&tg);
			return map_failed(mark, path, err);
		}
		if (delay && try == 1)
			ctx.delay_ms = (unsigned)atoi(delay);
		/* only device-DAX maps 1 GiB pages, when aligned so */
		ctx.pud = tg.kind == DT_TARGET_DEVDAX &&
			  tg.backing.align >= DT_PUD_SIZE;
		ret = walk_once(&tg, o, &ctx, &now, err, sizeof(err));
		free(ctx.graph.cells);
		if (ret == -ESTALE && try < tries && dt_print_rollback(mark)) {
			dt_target_close(&tg);
			continue;
		}
		if (ret == -ESTALE)
			snprintf(err, sizeof(err), "%s: the file changed size "
				 "while being mapped (%s -> %s bytes)%s; the map "
				 "would be inconsistent", path,
				 dt_fmt_num(a, sizeof(a), (uint64_t)tg.st.st_size),
				 dt_fmt_num(b, sizeof(b), now), try > 1 ?
				 ", each time it was tried" : "");
		dt_target_close(&tg);
		return ret ? map_failed(mark, path, err) : 0;
	}
	return ret;
}

int cmd_map(int argc, const char **argv, struct dt_ctx *ctx)
{
	struct map_opts o = { 0 };
	const struct opt opts[] = {
		OPT_BOOLEAN('j', "json", &o.json, "print JSON: one array, an object per file"),
		OPT_BOOLEAN(0, "ndjson", &o.ndjson, "print JSON lines: per file a \"file\" line, "
			    "one line per extent, a \"summary\" line"),
		OPT_BOOLEAN('u', "human", &o.human, "sizes as 4K, 2M, 1G in text output"),
		OPT_STRING('r', "range", &o.range, "OFF[:LEN]", "map only this part of the file"),
		OPT_CHOICE('s', "source", &o.source, source_names, "auto|fiemap|seek",
			   "where extents come from (auto: FIEMAP, else SEEK_DATA)"),
		OPT_STRING('l', "layout", &o.layout, "FILE.json", "map a layout given as JSON instead of a file"),
		OPT_BOOLEAN('g', "graph", &o.graph, "draw the layout on one line (text output)"),
		OPT_BOOLEAN(0, "sync", &o.sync, "flush dirty data first, so delayed allocations are placed"),
		OPT_BOOLEAN(0, "no-retry", &o.no_retry, "fail at once if the file changes size while mapped"),
		OPT_END(),
	};
	int failed = 0;

	argc = parse_options(argc, argv, opts, map_usage);
	if (o.layout && argc)
		usage_error("--layout maps the layout file; give no FILE");
	if (!o.layout && !argc)
		usage_with_options(map_usage, opts);
	if (o.json && o.ndjson)
		usage_error("--json and --ndjson: choose one");
	/* options are checked before any target is opened */
	if (o.range) {
		const char *why;

		if (dt_parse_range(o.range, &o.range_off, &o.range_len,
				   &o.range_has_len, &why))
			usage_error("--range: invalid range '%s': %s", o.range,
				    why);
	}

	dt_print_init(o.ndjson ? DT_PF_NDJSON : o.json ? DT_PF_JSON :
		      DT_PF_TEXT, o.human);
	if (!o.ndjson)
		dt_print_begin_array(NULL);
	if (o.layout)
		failed = map_one(ctx, o.layout, &o) < 0;
	for (int i = 0; i < argc; i++) {
		if (i)
			dt_print_text("\n");
		failed |= map_one(ctx, argv[i], &o) < 0;
	}
	if (!o.ndjson)
		dt_print_end_array();
	if (dt_print_finish() < 0) {
		dt_err("writing output: %s", strerror(errno));
		return DT_EXIT_FAIL;
	}
	return failed ? DT_EXIT_FAIL : DT_EXIT_OK;
}
