// SPDX-License-Identifier: GPL-2.0-only
/* The engine, driven by layouts given as data. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "daxtool/iomap.h"
#include "daxtool/sources.h"
#include "daxtool/topology.h"
#include "collect.h"
#include "tap.h"

#define M (1ULL << 20)


/* A source that counts the calls into the layout source it wraps. */
static struct walk *counting;
static const struct dt_source_ops *counted_ops;

static int counting_begin(struct dt_source *src, uint64_t pos, uint64_t len,
			  struct dt_extent *ext)
{
	counting->begins++;
	return counted_ops->begin(src, pos, len, ext);
}

static const struct dt_source_ops counting_ops = {
	.name = "counting", .begin = counting_begin,
};

static int walk_layout(const char *json, uint64_t pos, uint64_t len,
		       struct walk *w)
{
	struct dt_source src;
	char err[256];
	int ret;

	memset(w, 0, sizeof(*w));
	ret = dt_layout_source_string(&src, json, err, sizeof(err));
	if (ret) {
		printf("# layout: %s\n", err);
		return ret;
	}
	counting = w;
	counted_ops = src.ops;
	src.ops = &counting_ops;
	if (len == UINT64_MAX)
		len = src.size - pos;
	ret = dt_iomap_iter(&src, pos, len, collect, w);
	src.ops = counted_ops;
	dt_source_release(&src);
	return ret;
}

static int is(const struct dt_extent *e, uint64_t off, uint64_t len,
	      enum dt_type type)
{
	return e->offset == off && e->length == len && e->type == type;
}

static void test_holes_in_full(void)
{
	struct walk w;
	int ret = walk_layout("{\"size\":16777216,\"extents\":["
		"{\"offset\":0,\"length\":2097152,\"type\":\"mapped\",\"addr\":1073741824},"
		"{\"offset\":10485760,\"length\":2097152,\"type\":\"mapped\",\"addr\":2147483648}]}",
		0, UINT64_MAX, &w);

	CHECK(ret == 0, "holes: walk succeeds");
	CHECK(w.nr == 4, "holes: 2 extents and 2 holes make 4 callouts (got %d)", w.nr);
	CHECK(w.begins == 4, "holes: one source call per extent (got %d)", w.begins);
	CHECK(is(&w.ext[0], 0, 2 * M, DT_MAPPED), "holes: leading data");
	CHECK(is(&w.ext[1], 2 * M, 8 * M, DT_HOLE),
	      "holes: interior hole is one extent of its full 8 MiB");
	CHECK(w.ext[1].addr == DT_NO_ADDR, "holes: a hole has no address");
	CHECK(is(&w.ext[2], 10 * M, 2 * M, DT_MAPPED), "holes: second extent");
	CHECK(is(&w.ext[3], 12 * M, 4 * M, DT_HOLE),
	      "holes: trailing hole runs to EOF in one piece");
}

static void test_clipping(void)
{
	struct walk w;
	int ret = walk_layout("{\"size\":16777216,\"extents\":["
		"{\"offset\":0,\"length\":2097152,\"type\":\"mapped\",\"addr\":1073741824},"
		"{\"offset\":10485760,\"length\":2097152,\"type\":\"unwritten\",\"addr\":2147483648}]}",
		1 * M, 10 * M, &w);

	CHECK(ret == 0 && w.nr == 3, "clip: 3 extents in [1M, 11M) (got %d)", w.nr);
	CHECK(is(&w.ext[0], 1 * M, 1 * M, DT_MAPPED), "clip: head clipped to the range");
	CHECK(w.ext[0].addr == (1ULL << 30) + M,
	      "clip: a head-clipped extent's address moves with its offset");
	CHECK(w.ext[0].flags & DT_F_CLIPPED, "clip: head flagged clipped");
	CHECK(is(&w.ext[1], 2 * M, 8 * M, DT_HOLE), "clip: hole in between, whole");
	CHECK(is(&w.ext[2], 10 * M, 1 * M, DT_UNWRITTEN), "clip: tail clipped to the range");
	CHECK(w.ext[2].addr == 2ULL << 30, "clip: tail keeps its address");

	ret = walk_layout("{\"size\":16777216,\"extents\":[]}", 3 * M, 2 * M, &w);
	CHECK(ret == 0 && w.nr == 1 && is(&w.ext[0], 3 * M, 2 * M, DT_HOLE),
	      "clip: a range inside a hole is one hole of the range's size");
}

static void test_empty_and_all_hole(void)
{
	struct walk w;
	int ret = walk_layout("{\"size\":0,\"extents\":[]}", 0, 0, &w);

	CHECK(ret == 0 && w.nr == 0 && w.begins == 0,
	      "empty: an empty file makes no callouts");
	ret = walk_layout("{\"size\":8388608,\"extents\":[]}", 0, UINT64_MAX, &w);
	CHECK(ret == 0 && w.nr == 1 && is(&w.ext[0], 0, 8 * M, DT_HOLE),
	      "one hole: a sparse file with no data is one 8 MiB hole");
}

static void test_past_eof(void)
{
	struct walk w;
	int ret = walk_layout("{\"size\":3145728,\"extents\":["
		"{\"offset\":2097152,\"length\":4194304,\"type\":\"unwritten\",\"addr\":4194304},"
		"{\"offset\":8388608,\"length\":4096,\"type\":\"mapped\",\"addr\":65536}]}",
		0, UINT64_MAX, &w);

	CHECK(ret == 0 && w.nr == 2, "past EOF: hole + extent up to EOF (got %d)", w.nr);
	CHECK(is(&w.ext[1], 2 * M, 1 * M, DT_UNWRITTEN),
	      "past EOF: the extent is shown clipped at EOF");
	CHECK(w.ext[1].flags & DT_F_PAST_EOF, "past EOF: flagged past_eof");
	CHECK(!(w.ext[0].flags & DT_F_PAST_EOF), "past EOF: the hole is not");

	/* a tail block that only rounds EOF up to the page is not past EOF */
	ret = walk_layout("{\"size\":5000,\"extents\":["
		"{\"offset\":0,\"length\":8192,\"type\":\"mapped\",\"addr\":8192}]}",
		0, UINT64_MAX, &w);
	CHECK(ret == 0 && w.nr == 1 && w.ext[0].length == 5000 &&
	      !(w.ext[0].flags & DT_F_PAST_EOF),
	      "past EOF: the block holding EOF is clipped, not flagged");
}

static void test_adjacent_types(void)
{
	static const enum dt_type want[] = {
		DT_MAPPED, DT_UNWRITTEN, DT_DELALLOC, DT_INLINE, DT_MAPPED };
	struct walk w;
	int ret = walk_layout("{\"extents\":["
		"{\"offset\":0,\"length\":4096,\"type\":\"mapped\",\"addr\":4096},"
		"{\"offset\":4096,\"length\":4096,\"type\":\"unwritten\",\"addr\":8192},"
		"{\"offset\":8192,\"length\":4096,\"type\":\"delalloc\",\"flags\":[\"unknown\"]},"
		"{\"offset\":12288,\"length\":100,\"type\":\"inline\",\"flags\":[\"not_aligned\"]},"
		"{\"offset\":12388,\"length\":3996,\"type\":\"mapped\",\"addr\":12388,\"flags\":[\"shared\",\"last\"]}]}",
		0, UINT64_MAX, &w);
	int same = ret == 0 && w.nr == 5;

	for (int i = 0; same && i < 5; i++)
		same = w.ext[i].type == want[i] &&
		       (i == 0 || w.ext[i].offset ==
			w.ext[i - 1].offset + w.ext[i - 1].length);
	CHECK(same, "adjacent: 5 extents of different types, no holes between");
	CHECK(w.ext[4].flags == (DT_F_SHARED | DT_F_LAST),
	      "adjacent: flags come through (shared,last)");
	CHECK(w.ext[2].addr == DT_NO_ADDR, "adjacent: delalloc has no address");
}

/* Sources that break the contract must not hang or crash the walk. */
static int bad_begin(struct dt_source *src, uint64_t pos, uint64_t len,
		     struct dt_extent *ext)
{
	(void)len;
	ext->offset = pos + (src->size == 1);	/* 1: starts after pos */
	ext->length = src->size == 2 ? 0 : 4096;	/* 2: no progress */
	ext->type = src->size == 3 ? DT_NR_TYPES : DT_MAPPED;
	return src->size == 4 ? -EIO : 0;
}

static int stop_actor(const struct dt_extent *ext, void *arg)
{
	(void)ext;
	return ++*(int *)arg == 2 ? 42 : 0;
}

static void test_contract(void)
{
	static const struct dt_source_ops bad = { .name = "bad", .begin = bad_begin };
	static const char *const what[] = { "", "extent after pos",
		"zero-length extent", "unknown type", "source error" };
	struct walk w;

	for (uint64_t k = 1; k <= 4; k++) {
		struct dt_source src = { .ops = &bad, .size = k };

		memset(&w, 0, sizeof(w));
		CHECK(dt_iomap_iter(&src, 0, 1 << 20, collect, &w) == -EIO &&
		      w.nr == 0, "contract: %s is -EIO, nothing reported", what[k]);
	}
	struct dt_source src = { .ops = &bad, .size = 100 };
	int calls = 0;

	CHECK(dt_iomap_iter(&src, 0, 1 << 20, stop_actor, &calls) == 42 &&
	      calls == 2, "contract: an actor's non-zero return stops the walk");
	CHECK(dt_iomap_iter(&src, UINT64_MAX - 1, 10, stop_actor, &calls) ==
	      -EOVERFLOW, "contract: a range that wraps is refused");
}

static void test_layout_errors(void)
{
	static const struct { const char *json, *want; } cases[] = {
		{ "{\"extents\":[", "invalid JSON" },
		{ "{\"extents\":[]} x", "invalid JSON" },
		{ "[1,2]", "holds 2 layouts" },
		{ "{\"size\":1}", "\"extents\" is missing" },
		{ "{\"extents\":[{\"offset\":0,\"type\":\"mapped\"}]}", "extents[0]: \"length\" is missing" },
		{ "{\"extents\":[{\"offset\":-4096,\"length\":1,\"type\":\"mapped\"}]}", "extents[0]: \"offset\" is negative" },
		{ "{\"extents\":[{\"offset\":0,\"length\":0,\"type\":\"hole\"}]}", "extents[0]: \"length\" is 0" },
		{ "{\"extents\":[{\"offset\":0,\"length\":1,\"type\":\"cow\"}]}", "extents[0]: unknown type \"cow\"" },
		{ "{\"extents\":[{\"offset\":0,\"length\":1,\"type\":\"hole\",\"flags\":[\"x\"]}]}", "extents[0]: unknown flag \"x\"" },
		{ "{\"extents\":[{\"offset\":0,\"length\":8192,\"type\":\"hole\"},"
		  "{\"offset\":4096,\"length\":1,\"type\":\"mapped\"}]}", "extents[1]: overlaps" },
		{ "{\"extents\":[{\"offset\":9223372036854775807,\"length\":2,\"type\":\"hole\"}]}", "overflows" },
		{ "{\"extents\":[{\"offset\":1.5,\"length\":2,\"type\":\"hole\"}]}", "not an integer" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dt_source src;
		char err[256] = "";
		int ret = dt_layout_source_string(&src, cases[i].json, err,
						  sizeof(err));

		CHECK(ret == -EINVAL && strstr(err, cases[i].want),
		      "layout error %zu: '%s' (got '%s')", i, cases[i].want, err);
		if (!ret)
			dt_source_release(&src);
	}

	/* a `daxtool map --json` document feeds back as a layout */
	struct walk w;
	int ret = walk_layout("[{\"path\":\"f\",\"size\":8192,\"extents\":["
		"{\"offset\":0,\"length\":4096,\"type\":\"hole\",\"align\":4096,\"flags\":[]},"
		"{\"offset\":4096,\"length\":4096,\"type\":\"mapped\",\"addr\":8192,\"align\":4096,\"flags\":[\"last\",\"clipped\"]}]}]",
		0, UINT64_MAX, &w);
	CHECK(ret == 0 && w.nr == 2 && w.ext[1].flags == DT_F_LAST,
	      "layout: map --json output is a layout; clipped is the walk's to say");
}

static void test_alignment(void)
{
	static const struct {
		uint64_t off, len, addr; enum dt_type t; uint64_t align, pmd;
		uint64_t phys;
	} cases[] = {
		{ 0, 4 * M, 2 * M, DT_MAPPED, 2 * M, 4 * M, 0 },
		{ 0, 4 * M, 6 * M, DT_MAPPED, 2 * M, 4 * M, 0 },
		{ 0, 4 * M, 4 * M + 4096, DT_MAPPED, 4096, 0, 0 },
		{ 4096, 4 * M, 2 * M + 4096, DT_MAPPED, 4096, 2 * M, 0 },
		{ 0, 2 * M - 4096, 0, DT_MAPPED, 1ULL << 30, 0, 0 },
		{ 1 * M, 4 * M, DT_NO_ADDR, DT_HOLE, 1 * M, 2 * M, 0 },
		{ 0, 8 * M, 1ULL << 30, DT_UNWRITTEN, 1ULL << 30, 8 * M, 0 },
		{ 0, 8 * M, DT_NO_ADDR, DT_DELALLOC, 1ULL << 30, 0, 0 },
		/* where phys is known it decides, not the disk offset */
		{ 0, 4 * M, 2 * M, DT_MAPPED, 4096, 0, 3 * M + 4096 },
		{ 0, 4 * M, 4096, DT_MAPPED, 2 * M, 4 * M, 6 * M },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dt_extent e = {
			.offset = cases[i].off, .length = cases[i].len,
			.addr = cases[i].addr, .type = cases[i].t,
			.phys = cases[i].phys ? cases[i].phys : DT_NO_ADDR,
		};
		CHECK(dt_extent_align(&e) == cases[i].align &&
		      dt_extent_pmd_bytes(&e, DT_PMD_SIZE) == cases[i].pmd,
		      "alignment %zu: align %" PRIu64 " pmd bytes %" PRIu64, i,
		      cases[i].align, cases[i].pmd);
	}
}

/* file -> device -> physical: a layout over device ranges */
static void test_stack(void)
{
	static const struct dt_mapping ranges[] = {
		{ .offset = 0, .start = 64 * M, .size = 4 * M },
		{ .offset = 4 * M, .start = 1024 * M + 4096, .size = 4 * M },
	};
	struct dt_source file, dev, st;
	struct walk w = { 0 };
	char err[256];
	int ret;

	ret = dt_layout_source_string(&file, "{\"size\":8388608,\"extents\":["
		"{\"offset\":0,\"length\":2097152,\"type\":\"mapped\",\"addr\":2097152},"
		"{\"offset\":4194304,\"length\":4194304,\"type\":\"unwritten\",\"addr\":2097152},"
		"{\"offset\":8388608,\"length\":4096,\"type\":\"mapped\",\"addr\":9999999999}]}",
		err, sizeof(err));
	CHECK(ret == 0, "stack: file layout loads");
	CHECK(dt_devdax_source(&dev, "dax0.0", ranges, 2, 8 * M) == 0, "stack: device ranges load");
	CHECK(dt_stack_source(&st, &file, &dev) == 0, "stack: stacks");
	ret = dt_iomap_iter(&st, 0, st.size, collect, &w);
	CHECK(ret == 0 && w.nr == 4, "stack: 3 pieces and a hole (got %d)", w.nr);
	CHECK(is(&w.ext[0], 0, 2 * M, DT_MAPPED) && w.ext[0].addr == 2 * M &&
	      w.ext[0].phys == 66 * M, "stack: device offset 2M is phys 66M");
	CHECK(is(&w.ext[1], 2 * M, 2 * M, DT_HOLE) && w.ext[1].phys == DT_NO_ADDR,
	      "stack: a hole has no phys");
	CHECK(is(&w.ext[2], 4 * M, 2 * M, DT_UNWRITTEN) && w.ext[2].phys == 66 * M,
	      "stack: split where the device range ends");
	CHECK(is(&w.ext[3], 6 * M, 2 * M, DT_UNWRITTEN) &&
	      w.ext[3].addr == 4 * M && w.ext[3].phys == 1024 * M + 4096,
	      "stack: and goes on in the next range, at its physical address");
	CHECK(dt_extent_align(&w.ext[3]) == 4096 &&
	      dt_extent_pmd_bytes(&w.ext[3], DT_PMD_SIZE) == 0,
	      "stack: alignment comes from phys, not the device offset");
	dt_source_release(&st);

}

int main(void)
{
	test_stack();
	test_holes_in_full();
	test_clipping();
	test_empty_and_all_hole();
	test_past_eof();
	test_adjacent_types();
	test_contract();
	test_layout_errors();
	test_alignment();
	TAP_EXIT();
}
