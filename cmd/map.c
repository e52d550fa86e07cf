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

#include "daxtool/fs.h"
#include "daxtool/iomap.h"
#include "daxtool/out.h"
#include "daxtool/sources.h"
#include "daxtool/target.h"
#include "daxtool/util.h"
#include "builtin.h"
#include "parse-options.h"

static const char *const source_names[] = { "auto", "fiemap", "seek", NULL };

static const char *const map_usage[] = {
	"daxtool map [options] FILE...",
	"daxtool map [options] --layout FILE.json",
	NULL
};

struct map_opts {
	bool json, human, graph, sync, no_retry;
	const char *range, *layout;
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

static void print_flags(uint32_t flags)
{
	char text[160];
	size_t n = 0;

	if (dt_out_json()) {
		dt_out_begin_inline_array("flags");
		for (unsigned b = 0; b < DT_NR_FLAGS; b++)
			if (flags & (1u << b))
				dt_out_str(NULL, NULL, dt_flag_name(b));
		dt_out_end_array();
		return;
	}
	text[0] = '\0';
	for (unsigned b = 0; b < DT_NR_FLAGS; b++)
		if (flags & (1u << b))
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s",
					      n ? "," : "", dt_flag_name(b));
	dt_out_text_str("%s\n", n ? text : "-");
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

static int map_actor(const struct dt_extent *ext, void *arg)
{
	struct map_ctx *ctx = arg;
	uint64_t pmd = dt_extent_pmd_bytes(ext, DT_PMD_SIZE);
	char align[16];

	ctx->nr[ext->type]++;
	ctx->bytes[ext->type] += ext->length;
	if (ext->type == DT_HOLE)
		ctx->pmd_hole_bytes += pmd;
	else
		ctx->pmd_bytes += pmd;
	graph_add(&ctx->graph, ext);

	dt_out_begin_row(NULL);
	dt_out_size("offset", "  %12s", ext->offset);
	dt_out_size("length", " %12s", ext->length);
	dt_out_str("type", " %-9s", dt_type_name(ext->type));
	if (ext->addr != DT_NO_ADDR)
		dt_out_addr("addr", " %14s", ext->addr);
	else
		dt_out_text_str(" %14s", "-");
	if (ext->phys != DT_NO_ADDR)
		dt_out_addr("phys", " %14s", ext->phys);
	else
		dt_out_text_str(" %14s", "-");
	dt_out_u64("align", NULL, dt_extent_align(ext));
	dt_out_text_str(" %6s  ", dt_fmt_size(align, sizeof(align),
					      dt_extent_align(ext)));
	/* the device addr is an offset on, and the one phys is in */
	dt_out_str_opt("dev", NULL, ext->addr == DT_NO_ADDR ? NULL :
		       dt_target_dev_name(ctx->tg, ext->device));
	dt_out_str_opt("phys_dev", NULL, ext->phys_dev);
	dt_out_text_str("%-8s ", ext->phys_dev ? ext->phys_dev : "-");
	print_flags(ext->flags);
	dt_out_end_object();

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
	dt_out_text("  [%s]\n  # data  u unwritten  d delalloc  i inline  "
		    ". hole  : mixed\n", line);
	free(line);
}

static void print_summary(const struct map_ctx *c, uint64_t range_len)
{
	uint64_t data = c->bytes[DT_MAPPED] + c->bytes[DT_DELALLOC] +
			c->bytes[DT_INLINE];
	uint64_t nr_ext = c->nr[DT_MAPPED] + c->nr[DT_DELALLOC] +
			  c->nr[DT_INLINE] + c->nr[DT_UNWRITTEN];

	dt_out_begin_object("summary");
	dt_out_size("bytes", "  summary: range %s", range_len);
	dt_out_u64("extents", ", %" PRIu64 " extents", nr_ext);
	dt_out_u64("holes", ", %" PRIu64 " holes", c->nr[DT_HOLE]);
	dt_out_u64("unwritten", ", %" PRIu64 " unwritten", c->nr[DT_UNWRITTEN]);
	dt_out_u64("delalloc", NULL, c->nr[DT_DELALLOC]);
	dt_out_size("data_bytes", ", data %s", data);
	dt_out_size("unwritten_bytes", NULL, c->bytes[DT_UNWRITTEN]);
	dt_out_size("hole_bytes", ", holes %s", c->bytes[DT_HOLE]);
	dt_out_size("pmd_bytes", ", 2M-mappable %s", c->pmd_bytes);
	dt_out_text(" (%.0f%%)", data + c->bytes[DT_UNWRITTEN] ?
		    100.0 * (double)c->pmd_bytes /
		    (double)(data + c->bytes[DT_UNWRITTEN]) : 0.0);
	dt_out_size("pmd_hole_bytes", ", 2M holes %s", c->pmd_hole_bytes);
	dt_out_size("past_eof_bytes", c->past_eof_bytes ?
		    ", allocated past EOF %s" : NULL, c->past_eof_bytes);
	dt_out_text("\n");
	dt_out_end_object();
}

/* The range to map, checked against the size; a range running past the
 * end is clipped to it, with a note. */
static int get_range(const char *path, const struct map_opts *o,
		     uint64_t size, uint64_t *off, uint64_t *len, char *note,
		     size_t notelen)
{
	char a[24], b[24];
	bool has_len;
	const char *why;

	*off = 0;
	*len = size;
	note[0] = '\0';
	if (!o->range)
		return 0;
	if (dt_parse_range(o->range, off, len, &has_len, &why))
		usage_error("--range: invalid range '%s': %s", o->range, why);
	if (*off >= size && (size || has_len || *off)) {
		dt_err("%s: range starts at %s, at or past end of file (size %s)",
		       path, dt_fmt_num(a, sizeof(a), *off),
		       dt_fmt_num(b, sizeof(b), size));
		return -1;
	}
	if (!has_len) {
		*len = size - *off;
	} else if (*len > size - *off) {
		snprintf(note, notelen, "range %s runs past end of file "
			 "(size %s): mapped to the end", o->range,
			 dt_fmt_num(b, sizeof(b), size));
		*len = size - *off;
	}
	return 0;
}

static void print_backing(const struct dt_target *tg)
{
	const struct dt_backing *b = &tg->backing;
	/* in text, only a pmem backing is news: the rest is in a note */
	bool text = b->namespace[0] || b->base != DT_NO_ADDR || b->stack[0];

	if (!b->dev[0] || tg->kind == DT_TARGET_LAYOUT) {
		dt_out_null("backing");
		return;
	}
	dt_out_begin_object("backing");
	dt_out_str("dev", text ? "  backing %s" : NULL, b->dev);
	dt_out_str_opt("namespace", " (%s", b->namespace);
	if (b->mode[0])
		dt_out_str("mode", !text ? NULL : b->namespace[0] ? ", %s" :
			   " (%s", b->mode);
	else
		dt_out_null("mode");
	dt_out_size("align", text && b->align ? ", align %s" : NULL, b->align);
	if (text)
		dt_out_text(b->namespace[0] || b->mode[0] ? ")" : "");
	dt_out_size("size", NULL, b->dev_size);
	dt_out_bool("realtime", text && tg->realtime ? ", the xfs realtime "
		    "device" : NULL, tg->realtime);
	dt_out_str_opt("stack", text && b->stack[0] ? ", %s" : NULL, b->stack);
	if (b->base != DT_NO_ADDR)
		dt_out_addr("base", ", byte 0 at physical %s", b->base);
	else
		dt_out_null("base");
	dt_out_text(text ? "\n" : "");
	dt_out_end_object();
}

static void print_header(const struct dt_target *tg, uint64_t off,
			 uint64_t len, const char *note)
{
	const struct dt_source *src = &tg->src;
	char dev[32];

	dt_out_str("path", "%s:", tg->path);
	dt_out_size("size", " size %s", src->size);
	dt_out_str("source", ", source %s", tg->kind == DT_TARGET_LAYOUT ?
		   "layout" : src->ops->name == NULL ? "?" :
		   tg->has_src && !strcmp(src->ops->name, "stack") ? "fiemap" :
		   src->ops->name);
	if (tg->kind != DT_TARGET_LAYOUT) {
		dev_t d = tg->kind == DT_TARGET_FILE ? tg->st.st_dev :
			  tg->st.st_rdev;

		snprintf(dev, sizeof(dev), "%u:%u", major(d), minor(d));
		dt_out_str("device", ", device %s", dev);
	} else {
		dt_out_null("device");
	}
	if (tg->kind == DT_TARGET_FILE)
		dt_out_str("fs", ", %s", tg->ds.fs);
	else
		dt_out_null("fs");
	dt_out_text("\n");
	print_backing(tg);
	dt_out_begin_object("range");
	dt_out_size("offset", off || len != src->size ?
		    "  range %s" : NULL, off);
	dt_out_size("length", off || len != src->size ? "+%s\n" : NULL, len);
	dt_out_end_object();
	dt_out_begin_inline_array("caveats");
	for (unsigned b = 0; b < 32; b++)
		if (src->caveats & (1u << b) &&
		    (1u << b) != DT_CAVEAT_NO_ADDR)
			dt_out_str(NULL, "  note: %s\n", dt_caveat_text(b));
	if (tg->phys_why[0] && !(src->caveats & DT_CAVEAT_NO_ADDR) &&
	    tg->kind != DT_TARGET_LAYOUT) {
		char text[320];

		snprintf(text, sizeof(text), "physical addresses unknown%s: %s",
			 tg->dev && tg->dev->kind == DT_DEV_TABLE ?
			 " in part" : "", tg->phys_why);
		dt_out_str(NULL, "  note: %s\n", text);
	}
	if (note[0])
		dt_out_str(NULL, "  note: %s\n", note);
	dt_out_end_array();
	dt_out_text("  %12s %12s %-9s %14s %14s %6s  %-8s %s\n", "OFFSET",
		    "LENGTH", "TYPE", "ADDR", "PHYS", "ALIGN", "DEV", "FLAGS");
}

/* How many times a file that changed size while mapped is mapped again. */
#define MAP_TRIES 5

/* Walk the target once into the output. 0, -ESTALE if the file changed
 * size meanwhile, or -1 (error printed). */
static int walk_once(struct dt_target *tg, const struct map_opts *o,
		     struct map_ctx *ctx, uint64_t *size)
{
	const char *path = tg->path;
	uint64_t off, len;
	struct stat st2;
	char note[160];
	int ret;

	if (get_range(path, o, tg->src.size, &off, &len, note, sizeof(note)))
		return -1;
	if (o->graph && !dt_out_json()) {
		ctx->graph.width = term_width() - 4;
		ctx->graph.start = off;
		ctx->graph.len = len;
		ctx->graph.cells = calloc(ctx->graph.width, 1);
	}
	dt_out_begin_object(NULL);
	print_header(tg, off, len, note);
	dt_out_begin_array("extents");
	ret = dt_iomap_iter(&tg->src, off, len, map_actor, ctx);
	dt_out_end_array();
	/* What lies past EOF (preallocation) is counted, not listed. */
	if (ret == 0 && off + len == tg->src.size && tg->kind == DT_TARGET_FILE) {
		uint64_t eof = (tg->src.size + 4095) & ~4095ULL;

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
		dt_err("%s: %s: %s", path, tg->src.ops->name, ret == -EIO ?
		       "source returned an invalid extent" : strerror(-ret));
		return -1;
	}
	if (ctx->graph.cells)
		print_graph(&ctx->graph);
	print_summary(ctx, len);
	dt_out_end_object();
	return 0;
}

/* Map one target into the output; on failure the output rolls back. A
 * file that changes size while it is mapped (being appended to) is
 * mapped again, a few times, before daxtool gives up. */
static int map_one(struct dt_ctx *dctx, const char *path, const struct map_opts *o)
{
	const char *delay = getenv("DAXTOOL_TEST_MAP_DELAY_MS");
	struct dt_out_mark mark = dt_out_mark();
	struct dt_target tg;
	char err[512];
	uint64_t now = 0;
	int ret = -1;

	for (int try = 1; try <= (o->no_retry ? 1 : MAP_TRIES); try++) {
		struct map_ctx ctx = { .opts = o, .tg = &tg };

		if (dt_target_open(&tg, dctx, path, o->layout ? DT_OPEN_LAYOUT :
				   DT_OPEN_BLOCK, err, sizeof(err)) ||
		    dt_target_source(&tg, (enum dt_src_choice)o->source, o->sync,
				     err, sizeof(err))) {
			dt_target_close(&tg);
			dt_err("%s", err);
			return -1;
		}
		if (delay && try == 1)
			ctx.delay_ms = (unsigned)atoi(delay);
		ret = walk_once(&tg, o, &ctx, &now);
		free(ctx.graph.cells);
		if (ret == -ESTALE) {
			bool clean = dt_out_rollback(mark);
			char a[24], b[24];

			if (clean && try < (o->no_retry ? 1 : MAP_TRIES)) {
				dt_target_close(&tg);
				continue;
			}
			dt_err("%s: the file changed size while being mapped "
			       "(%s -> %s bytes)%s; the map would be "
			       "inconsistent%s", path,
			       dt_fmt_num(a, sizeof(a), (uint64_t)tg.st.st_size),
			       dt_fmt_num(b, sizeof(b), now), try > 1 ?
			       ", each time it was tried" : "",
			       clean ? "" : ": the part printed above is not to "
			       "be trusted");
			ret = -1;
		} else if (ret) {
			dt_out_rollback(mark);
		}
		dt_target_close(&tg);
		break;
	}
	return ret;
}

int cmd_map(int argc, const char **argv, struct dt_ctx *ctx)
{
	struct map_opts o = { 0 };
	const struct opt opts[] = {
		OPT_BOOLEAN('j', "json", &o.json, "print JSON (one array, an object per file)"),
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

	dt_out_init(o.json, o.human);
	dt_out_begin_array(NULL);
	if (o.layout)
		failed = map_one(ctx, o.layout, &o) < 0;
	for (int i = 0; i < argc; i++) {
		if (i)
			dt_out_text("\n");
		failed |= map_one(ctx, argv[i], &o) < 0;
	}
	dt_out_end_array();
	if (dt_out_finish() < 0) {
		dt_err("writing output: %s", strerror(errno));
		return DT_EXIT_FAIL;
	}
	return failed ? DT_EXIT_FAIL : DT_EXIT_OK;
}
