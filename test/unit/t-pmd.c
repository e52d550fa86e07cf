// SPDX-License-Identifier: GPL-2.0-only
/* The PMD analyser: every reason, from layouts given as data. */
#include <inttypes.h>
#include <string.h>

#include "daxtool/pmd.h"
#include "daxtool/sources.h"
#include "collect.h"
#include "tap.h"

#define M (1ULL << 20)


static int begins;
static const struct dt_source_ops *inner;

static int counting_begin(struct dt_source *src, uint64_t pos, uint64_t len,
			  struct dt_extent *ext)
{
	begins++;
	return inner->begin(src, pos, len, ext);
}

static const struct dt_source_ops counting = { .name = "c", .begin = counting_begin };

static int analyse(const char *json, struct dt_pmd_params p, struct result *r)
{
	struct dt_source src;
	char err[256];
	int ret;

	memset(r, 0, sizeof(*r));
	if (dt_layout_source_string(&src, json, err, sizeof(err))) {
		printf("# layout: %s\n", err);
		return -1;
	}
	if (!p.size)
		p.size = src.size;
	inner = src.ops;
	src.ops = &counting;
	begins = 0;
	ret = dt_pmd_analyse(&src, &p, collect_window, r);
	src.ops = inner;
	dt_source_release(&src);
	return ret;
}

#define ONE_4M_MAPPED "{\"size\":4194304,\"extents\":[{\"offset\":0,\"length\":4194304,\"type\":\"mapped\",\"phys\":1073741824}]}"

static bool only(const struct result *r, int i, enum dt_pmd_status st,
		 uint32_t reasons)
{
	return i < r->nr && r->w[i].status == st && r->w[i].reasons == reasons;
}

#define R(x) (1u << (x))
static const struct dt_pmd_params dax_write = { .dax = true, .write = true };
static const struct dt_pmd_params dax_read = { .dax = true };

static void test_reasons(void)
{
	struct result r;
	struct dt_pmd_params p;

	CHECK(analyse(ONE_4M_MAPPED, dax_write, &r) == 0 && r.nr == 2 &&
	      only(&r, 0, DT_PMD_YES, 0) && only(&r, 1, DT_PMD_YES, 0),
	      "aligned extent: both windows get a PMD");
	CHECK(r.w[1].phys == (1ULL << 30) + 2 * M, "aligned extent: phys of window 2");

	p = dax_write; p.dax = false;
	CHECK(analyse(ONE_4M_MAPPED, p, &r) == 0 && only(&r, 0, DT_PMD_NO, R(DT_R_NOT_DAX)) &&
	      only(&r, 1, DT_PMD_NO, R(DT_R_NOT_DAX)), "not_dax: alone, whatever else");

	p = dax_write; p.dev_align = 4096;
	CHECK(analyse(ONE_4M_MAPPED, p, &r) == 0 && only(&r, 0, DT_PMD_NO, R(DT_R_DEVICE_ALIGN)),
	      "device_align: 4K device-DAX");
	p.dev_align = 1ULL << 30;
	CHECK(analyse(ONE_4M_MAPPED, p, &r) == 0 && only(&r, 0, DT_PMD_PUD, 0) &&
	      r.w[0].page_size == 1ULL << 30,
	      "1G device-DAX: a 1 GiB page (pud), not a fallback");
	p.vaddr_delta = 2 * M;
	CHECK(analyse(ONE_4M_MAPPED, p, &r) == 0 &&
	      only(&r, 0, DT_PMD_REFUSED, R(DT_R_DEVICE_VMA_ALIGN)) &&
	      r.w[0].page_size == 0,
	      "1G device-DAX at a 2 MiB-aligned, not 1 GiB-aligned address: refused");
	p.vaddr_delta = 0; p.map_offset = 2 * M;
	CHECK(analyse(ONE_4M_MAPPED, p, &r) == 0 &&
	      only(&r, 0, DT_PMD_REFUSED, R(DT_R_DEVICE_OFFSET_ALIGN)),
	      "1G device-DAX from an offset of 2 MiB: other bytes than asked");
	p.map_offset = 0;
	p.dev_align = 2 * M; p.vaddr_delta = 4096;
	CHECK(analyse(ONE_4M_MAPPED, p, &r) == 0 &&
	      only(&r, 0, DT_PMD_REFUSED, R(DT_R_DEVICE_VMA_ALIGN)),
	      "2M device-DAX at an address not 2 MiB-aligned: refused, not 4 KiB pages");
	p.vaddr_delta = 0;
	CHECK(analyse(ONE_4M_MAPPED, p, &r) == 0 && r.w[0].page_size == 2 * M,
	      "2M device-DAX: the page size is 2 MiB");
	p.dev_align = 2 * M;
	CHECK(analyse(ONE_4M_MAPPED, p, &r) == 0 && only(&r, 0, DT_PMD_YES, 0),
	      "device_align: 2M device-DAX is fine");

	p = dax_write; p.vaddr_delta = 4096;
	CHECK(analyse(ONE_4M_MAPPED, p, &r) == 0 && only(&r, 1, DT_PMD_NO, R(DT_R_MISALIGNED_VIRTUAL)),
	      "misaligned_virtual");

	p = dax_write; p.private_map = true;
	CHECK(analyse(ONE_4M_MAPPED, p, &r) == 0 && only(&r, 0, DT_PMD_NO, R(DT_R_PRIVATE_WRITE)),
	      "private_write");
	p.write = false;
	CHECK(analyse(ONE_4M_MAPPED, p, &r) == 0 && only(&r, 0, DT_PMD_YES, 0),
	      "private read is fine");

	p = dax_write; p.size = 3 * M + 100;
	CHECK(analyse(ONE_4M_MAPPED, p, &r) == 0 && r.nr == 2 && only(&r, 0, DT_PMD_YES, 0) &&
	      only(&r, 1, DT_PMD_NO, R(DT_R_BEYOND_EOF)), "beyond_eof: the window past EOF");

	CHECK(analyse("{\"extents\":["
		"{\"offset\":0,\"length\":1048576,\"type\":\"mapped\",\"phys\":1073741824},"
		"{\"offset\":1048576,\"length\":524288,\"type\":\"mapped\",\"phys\":1074790400},"
		"{\"offset\":1572864,\"length\":2621440,\"type\":\"unwritten\",\"phys\":1075314688}]}",
		dax_write, &r) == 0 && only(&r, 0, DT_PMD_NO, R(DT_R_EXTENT_TOO_SHORT)) &&
	      r.w[0].nr_bounds == 2 && r.w[0].bounds[0] == M && r.w[0].bounds[1] == M + M / 2,
	      "extent_too_short: with the boundaries inside the window");
	CHECK(only(&r, 1, DT_PMD_YES, 0), "extent_too_short: the next window is whole");

	CHECK(analyse("{\"size\":4194304,\"extents\":["
		"{\"offset\":1048576,\"length\":3145728,\"type\":\"mapped\",\"phys\":1074790400}]}",
		dax_read, &r) == 0 && only(&r, 0, DT_PMD_NO, R(DT_R_MIXED_HOLE_DATA)) &&
	      only(&r, 1, DT_PMD_YES, 0), "mixed_hole_data");

	CHECK(analyse("{\"extents\":[{\"offset\":0,\"length\":4194304,\"type\":\"mapped\",\"phys\":4096}]}",
		dax_read, &r) == 0 && only(&r, 0, DT_PMD_NO, R(DT_R_MISALIGNED_PHYSICAL)) &&
	      only(&r, 1, DT_PMD_NO, R(DT_R_MISALIGNED_PHYSICAL)), "misaligned_physical");
	CHECK(analyse("{\"extents\":[{\"offset\":0,\"length\":4194304,\"type\":\"mapped\",\"addr\":0,\"phys\":4096}]}",
		dax_read, &r) == 0 && only(&r, 0, DT_PMD_NO, R(DT_R_MISALIGNED_PHYSICAL)),
	      "misaligned_physical: phys decides, not the aligned disk offset");

	const char *hole = "{\"size\":4194304,\"extents\":[]}";

	CHECK(analyse(hole, dax_read, &r) == 0 && only(&r, 0, DT_PMD_ZERO, 0) &&
	      only(&r, 1, DT_PMD_ZERO, 0), "hole, read: the huge zero page");
	CHECK(analyse(hole, dax_write, &r) == 0 &&
	      only(&r, 0, DT_PMD_NO, R(DT_R_UNALIGNED_ALLOCATION)),
	      "unaligned_allocation: a write to a hole where the fs does not align");
	p = dax_write; p.aligned_alloc = true;
	CHECK(analyse(hole, p, &r) == 0 && only(&r, 0, DT_PMD_YES, 0),
	      "hole, write, aligned allocation: a PMD");

	const char *unw = "{\"extents\":[{\"offset\":0,\"length\":2097152,\"type\":\"unwritten\",\"phys\":4096}]}";

	CHECK(analyse(unw, dax_read, &r) == 0 && only(&r, 0, DT_PMD_ZERO, 0),
	      "unwritten, read: the huge zero page, whatever the alignment");
	CHECK(analyse(unw, dax_write, &r) == 0 && only(&r, 0, DT_PMD_NO, R(DT_R_MISALIGNED_PHYSICAL)),
	      "unwritten, write: its physical alignment decides");

	const char *shared = "{\"extents\":[{\"offset\":0,\"length\":2097152,\"type\":\"mapped\",\"phys\":2097152,\"flags\":[\"shared\"]}]}";

	CHECK(analyse(shared, dax_write, &r) == 0 && only(&r, 0, DT_PMD_NO, R(DT_R_SHARED_EXTENT)),
	      "shared_extent: a write must copy");
	CHECK(analyse(shared, dax_read, &r) == 0 && only(&r, 0, DT_PMD_YES, 0),
	      "shared_extent: a read is fine");
	CHECK(analyse("{\"extents\":[{\"offset\":0,\"length\":2097152,\"type\":\"delalloc\"}]}",
		dax_read, &r) == 0 && only(&r, 0, DT_PMD_NO, R(DT_R_DELALLOC)), "delalloc");
	CHECK(analyse("{\"size\":2097152,\"extents\":[{\"offset\":0,\"length\":2097152,\"type\":\"inline\"}]}",
		dax_read, &r) == 0 && only(&r, 0, DT_PMD_NO, R(DT_R_INLINE)), "inline");

	CHECK(analyse("{\"size\":0,\"extents\":[]}", dax_read, &r) == 0 && r.nr == 0,
	      "an empty file has no windows");
}

static void test_per_extent(void)
{
	struct result r;

	/* 1 GiB in one extent: 512 windows from one call to the source */
	CHECK(analyse("{\"extents\":[{\"offset\":0,\"length\":1073741824,\"type\":\"mapped\",\"phys\":1073741824}]}",
		dax_write, &r) == 0 && r.nr == 512 && begins == 1,
	      "one source call for 512 windows of one extent (got %d calls)", begins);
	for (int i = 0; i < r.nr && i < 64; i++)
		if (r.w[i].offset != (uint64_t)i * 2 * M) {
			CHECK(0, "windows in order");
			return;
		}
	CHECK(1, "windows in order");
}

/* The extents a window holds, clipped to it, before it is reported. */
struct seen { unsigned nr; uint64_t off[8], len[8], phys[8]; };

static void seen_extent(const struct dt_extent *ext, void *arg)
{
	struct seen *s = arg;

	if (s->nr < 8) {
		s->off[s->nr] = ext->offset;
		s->len[s->nr] = ext->length;
		s->phys[s->nr] = ext->phys;
	}
	s->nr++;
}

static void test_extent_fn(void)
{
	/* 3 MiB mapped, a hole, 1 MiB mapped: windows [0,2M) [2M,4M) */
	static const char json[] = "{\"size\":4194304,\"extents\":["
		"{\"offset\":0,\"length\":3145728,\"type\":\"mapped\",\"phys\":1073741824},"
		"{\"offset\":3145728,\"length\":1048576,\"type\":\"mapped\",\"phys\":2147483648}]}";
	struct dt_pmd_params p = dax_write;
	struct seen s = { 0 };
	struct result r;

	p.extent_fn = seen_extent;
	p.extent_arg = &s;
	CHECK(analyse(json, p, &r) == 0 && r.nr == 2, "two windows");
	CHECK(s.nr == 3 && s.off[0] == 0 && s.len[0] == 2 * M &&
	      s.phys[0] == 1ULL << 30 && s.off[1] == 2 * M && s.len[1] == M &&
	      s.phys[1] == (1ULL << 30) + 2 * M && s.off[2] == 3 * M &&
	      s.len[2] == M && s.phys[2] == 2ULL << 30,
	      "extent_fn sees each window's extents clipped to it, phys moved along (%u)", s.nr);
}

int main(void)
{
	test_reasons();
	test_extent_fn();
	test_per_extent();
	for (int i = 0; i < DT_NR_REASONS; i++)
		CHECK(strcmp(dt_reason_name(i), "?") && strcmp(dt_reason_text(i), "?"),
		      "reason %d has a name and a text", i);
	TAP_EXIT();
}
