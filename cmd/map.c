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

#include "daxtool/backing.h"
#include "daxtool/fs.h"
#include "daxtool/iomap.h"
#include "daxtool/out.h"
#include "daxtool/sources.h"
#include "daxtool/topology.h"
#include "daxtool/util.h"
#include "builtin.h"
#include "parse-options.h"

enum { SRC_AUTO, SRC_FIEMAP, SRC_SEEK };
static const char *const source_names[] = { "auto", "fiemap", "seek", NULL };

static const char *const map_usage[] = {
	"daxtool map [options] FILE...",
	"daxtool map [options] --layout FILE.json",
	NULL
};

struct map_opts {
	bool json, human, graph, sync;
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

/* Open @path for mapping: a regular file or a character device (device-DAX
 * is decided by the caller), or an error that says why not. */
static int open_target(const char *path, struct stat *st)
{
	static const struct { mode_t fmt; const char *what; } kinds[] = {
		{ S_IFDIR, "is a directory" },
		{ S_IFIFO, "is a fifo, not a regular file" },
		{ S_IFSOCK, "is a socket, not a regular file" },
		{ S_IFBLK, "is a block device, not a regular file" },
	};
	/* O_NONBLOCK: opening a fifo must not wait for a writer */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		dt_err("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, st) < 0) {
		dt_err("%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		if ((st->st_mode & S_IFMT) == kinds[i].fmt) {
			dt_err("%s: %s", path, kinds[i].what);
			close(fd);
			return -1;
		}
	}
	return fd;
}

static int pick_source(struct dt_source *src, int fd, const char *path,
		       const struct map_opts *o)
{
	int ret = -EOPNOTSUPP;

	if (o->source != SRC_SEEK)
		ret = dt_fiemap_source(src, fd, o->sync);
	if (ret == -EOPNOTSUPP && o->source != SRC_FIEMAP)
		ret = dt_seek_source(src, fd);
	if (ret == -EOPNOTSUPP)
		dt_err("%s: the filesystem does not support %s", path,
		       o->source == SRC_FIEMAP ? "FIEMAP" :
		       o->source == SRC_SEEK ? "SEEK_DATA/SEEK_HOLE" :
		       "FIEMAP nor SEEK_DATA/SEEK_HOLE");
	else if (ret)
		dt_err("%s: %s: %s", path, o->source == SRC_SEEK ? "seek" :
		       "fiemap", strerror(-ret));
	return ret;
}

/* The range to map, checked against the size. */
static int get_range(const char *path, const struct map_opts *o,
		     uint64_t size, uint64_t *off, uint64_t *len)
{
	bool has_len;
	const char *why;

	*off = 0;
	*len = size;
	if (!o->range)
		return 0;
	if (dt_parse_range(o->range, off, len, &has_len, &why))
		usage_error("--range: invalid range '%s': %s", o->range, why);
	if (*off >= size && (size || has_len || *off)) {
		dt_err("%s: range starts at %" PRIu64 ", at or past end of "
		       "file (size %" PRIu64 ")", path, *off, size);
		return -1;
	}
	if (!has_len)
		*len = size - *off;
	else if (*off + *len > size) {
		dt_err("%s: range %" PRIu64 ":%" PRIu64 " ends past end of "
		       "file (size %" PRIu64 ")", path, *off, *len, size);
		return -1;
	}
	return 0;
}

/* Everything known about one target before its walk. */
struct target {
	const char *path;
	const char *source;		/* fiemap, seek, layout, devdax */
	struct dt_source src;
	int fd;
	bool has_st, has_sfs, has_backing;
	struct stat st;
	struct statfs sfs;
	struct dt_backing backing;
	char phys_caveat[256];
};

static void print_backing(const struct target *tg)
{
	const struct dt_backing *b = &tg->backing;
	/* in text, only a pmem backing is news: the rest is in a note */
	bool text = b->namespace[0] || b->base != DT_NO_ADDR;

	if (!tg->has_backing || !b->dev[0]) {
		dt_out_null("backing");
		return;
	}
	dt_out_begin_object("backing");
	dt_out_str("dev", text ? "  backing %s" : NULL, b->dev);
	if (b->namespace[0])
		dt_out_str("namespace", " (%s", b->namespace);
	else
		dt_out_null("namespace");
	if (b->mode[0])
		dt_out_str("mode", !text ? NULL : b->namespace[0] ? ", %s" :
			   " (%s", b->mode);
	else
		dt_out_null("mode");
	dt_out_size("align", text && b->align ? ", align %s" : NULL, b->align);
	if (text)
		dt_out_text(b->namespace[0] || b->mode[0] ? ")" : "");
	dt_out_size("size", NULL, b->dev_size);
	if (b->base != DT_NO_ADDR)
		dt_out_addr("base", ", byte 0 at physical %s\n", b->base);
	else
		dt_out_null("base");
	dt_out_end_object();
}

static void print_header(const struct target *tg, uint64_t off, uint64_t len)
{
	const struct dt_source *src = &tg->src;
	const char *fs = tg->has_sfs ? dt_fs_name((uint64_t)tg->sfs.f_type) : NULL;
	char dev[32];

	dt_out_str("path", "%s:", tg->path);
	dt_out_size("size", " size %s", src->size);
	dt_out_str("source", ", source %s", tg->source ? tg->source :
		   src->ops->name);
	if (tg->has_st) {
		dev_t d = S_ISCHR(tg->st.st_mode) ? tg->st.st_rdev : tg->st.st_dev;

		snprintf(dev, sizeof(dev), "%u:%u", major(d), minor(d));
		dt_out_str("device", ", device %s", dev);
	} else {
		dt_out_null("device");
	}
	if (fs)
		dt_out_str("fs", ", %s", fs);
	else if (tg->has_sfs) {
		char magic[24];

		snprintf(magic, sizeof(magic), "0x%lx",
			 (unsigned long)tg->sfs.f_type);
		dt_out_str("fs", ", fs %s", magic);
	} else {
		dt_out_null("fs");
	}
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
	if (tg->phys_caveat[0])
		dt_out_str(NULL, "  note: %s\n", tg->phys_caveat);
	dt_out_end_array();
	dt_out_text("  %12s %12s %-9s %14s %14s %6s  %s\n", "OFFSET", "LENGTH",
		    "TYPE", "ADDR", "PHYS", "ALIGN", "FLAGS");
}

/* A device-DAX device: its physical ranges are its extents. */
static int open_devdax(struct target *tg)
{
	const struct dt_daxdev *d = dt_topology_dev_by_devt(dt_topology_cached(),
							    tg->st.st_rdev);
	int ret;

	if (!d) {
		dt_err("%s: is a character device, not a regular file or a "
		       "device-DAX device", tg->path);
		return -1;
	}
	ret = dt_devdax_source(&tg->src, d->mappings, d->nr_mappings, d->size);
	if (ret) {
		dt_err("%s: %s: %s", tg->path, d->devname, strerror(-ret));
		return -1;
	}
	dt_backing_of_daxdev(dt_topology_cached(), d, &tg->backing);
	tg->has_backing = true;
	return 0;
}

/* A file: its extents from the filesystem, stacked on the pmem namespace
 * under it for physical addresses, where there is one. */
static int open_file(struct target *tg, const struct map_opts *o)
{
	struct dt_source file = { 0 }, dev = { 0 };
	struct dt_backing *b = &tg->backing;

	if (fstatfs(tg->fd, &tg->sfs) == 0)
		tg->has_sfs = true;
	if (pick_source(&file, tg->fd, tg->path, o))
		return -1;
	tg->source = file.ops->name;
	dt_backing_of_file(dt_topology_cached(), tg->st.st_dev, tg->has_sfs &&
			   tg->sfs.f_type == BTRFS_SUPER_MAGIC, b);
	tg->has_backing = true;
	if (b->base == DT_NO_ADDR || (file.caveats & DT_CAVEAT_NO_ADDR)) {
		if (!(file.caveats & DT_CAVEAT_NO_ADDR))
			snprintf(tg->phys_caveat, sizeof(tg->phys_caveat),
				 "physical addresses unknown: %s", b->why);
		tg->src = file;
		return 0;
	}
	if (dt_linear_source(&dev, b->dev_size, b->base) ||
	    dt_stack_source(&tg->src, &file, &dev)) {
		dt_source_release(&file);
		dt_source_release(&dev);
		dt_err("%s: %s", tg->path, strerror(ENOMEM));
		return -1;
	}
	return 0;
}

/* Map one target into the output; on failure the output rolls back. */
static int map_one(const char *path, const struct map_opts *o)
{
	struct map_ctx ctx = { .opts = o };
	struct dt_out_mark mark = dt_out_mark();
	struct target tg = { .path = path, .fd = -1 };
	struct stat st2;
	const char *delay = getenv("DAXTOOL_TEST_MAP_DELAY_MS");
	uint64_t off, len;
	char err[256] = "";
	int ret;

	if (o->layout) {
		ret = dt_layout_source(&tg.src, path, err, sizeof(err));
		if (ret) {
			dt_err("%s: %s", path, err[0] ? err : strerror(-ret));
			return -1;
		}
	} else {
		tg.fd = open_target(path, &tg.st);
		if (tg.fd < 0)
			return -1;
		tg.has_st = true;
		ret = S_ISCHR(tg.st.st_mode) ? open_devdax(&tg) :
		      open_file(&tg, o);
		if (ret) {
			close(tg.fd);
			return -1;
		}
	}
	ret = get_range(path, o, tg.src.size, &off, &len);
	if (ret)
		goto out;

	if (delay)
		ctx.delay_ms = (unsigned)atoi(delay);
	if (o->graph && !dt_out_json()) {
		ctx.graph.width = term_width() - 4;
		ctx.graph.start = off;
		ctx.graph.len = len;
		ctx.graph.cells = calloc(ctx.graph.width, 1);
	}
	dt_out_begin_object(NULL);
	print_header(&tg, off, len);
	dt_out_begin_array("extents");
	ret = dt_iomap_iter(&tg.src, off, len, map_actor, &ctx);
	dt_out_end_array();
	/* What lies past EOF (preallocation) is counted, not listed. */
	if (ret == 0 && off + len == tg.src.size && S_ISREG(tg.st.st_mode)) {
		uint64_t eof = (tg.src.size + 4095) & ~4095ULL;

		ret = dt_iomap_iter(&tg.src, eof, INT64_MAX - eof,
				    past_eof_actor, &ctx);
	}
	if (ret == 0 && S_ISREG(tg.st.st_mode) && fstat(tg.fd, &st2) == 0 &&
	    st2.st_size != tg.st.st_size)
		ret = -ESTALE;
	if (ret) {
		if (ret == -ESTALE)
			dt_err("%s: the file changed size while being mapped "
			       "(%" PRIu64 " -> %" PRIu64 " bytes); the map "
			       "would be inconsistent", path,
			       (uint64_t)tg.st.st_size, (uint64_t)st2.st_size);
		else
			dt_err("%s: %s: %s", path, tg.src.ops->name,
			       ret == -EIO ? "source returned an invalid "
			       "extent" : strerror(-ret));
		dt_out_rollback(mark);
		ret = -1;
		goto out;
	}
	if (ctx.graph.cells)
		print_graph(&ctx.graph);
	print_summary(&ctx, len);
	dt_out_end_object();
out:
	free(ctx.graph.cells);
	dt_source_release(&tg.src);
	if (tg.fd >= 0)
		close(tg.fd);
	return ret;
}

int cmd_map(int argc, const char **argv)
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
		failed = map_one(o.layout, &o) < 0;
	for (int i = 0; i < argc; i++) {
		if (i)
			dt_out_text("\n");
		failed |= map_one(argv[i], &o) < 0;
	}
	dt_out_end_array();
	if (dt_out_finish() < 0) {
		dt_err("writing output: %s", strerror(errno));
		return DT_EXIT_FAIL;
	}
	return failed ? DT_EXIT_FAIL : DT_EXIT_OK;
}
