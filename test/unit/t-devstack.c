// SPDX-License-Identifier: GPL-2.0-only
/*
 * Translation through device stacks given as data: a namespace, a
 * partition, dm-linear and dm-stripe tables, a realtime file on a second
 * device, and layers that cannot be translated. Boundaries fall inside
 * the file's extents; the PMD analyser names them.
 */
#include <inttypes.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "daxtool/devstack.h"
#include "daxtool/pmd.h"
#include "daxtool/sources.h"
#include "daxtool/util.h"
#include "collect.h"
#include "tap.h"

#define M (1ULL << 20)
#define K (1ULL << 10)
#define S(bytes) ((bytes) / 512)	/* sectors */


/* Two pmem namespaces of 64M: pmem0 at 4G + 2M, pmem1 at 6G + 2M. */
static struct dt_devset *two_namespaces(void)
{
	struct dt_devset *set = dt_devset_new();
	struct dt_dev *a, *b;

	a = dt_devset_add_pmem(set, makedev(259, 0), "pmem0", 64 * M,
			       (4ULL << 30) + 2 * M, 2 * M);
	b = dt_devset_add_pmem(set, makedev(259, 1), "pmem1", 64 * M,
			       (6ULL << 30) + 2 * M, 2 * M);
	DT_COPY(a->namespace, "namespace0.0");
	DT_COPY(b->namespace, "namespace0.1");
	return set;
}

/* Walk @layout (a file's extents, device offsets in addr) stacked on
 * @dev. */
static int walk_on(const char *layout, const struct dt_dev *dev,
		   struct walk *w, struct dt_source *keep)
{
	struct dt_source file, lower, st;
	char err[256];
	int ret;

	memset(w, 0, sizeof(*w));
	ret = dt_layout_source_string(&file, layout, err, sizeof(err));
	if (ret) {
		printf("# layout: %s\n", err);
		return ret;
	}
	dt_devstack_source(&lower, dev);
	dt_stack_source(&st, &file, &lower);
	ret = dt_iomap_iter(&st, 0, st.size, collect, w);
	if (keep)
		*keep = st;
	else
		dt_source_release(&st);
	return ret;
}

/* The PMD verdicts on @layout stacked on @dev, into @v; the pieces in @w. */
static void analyse_on(const char *layout, const struct dt_dev *dev,
		       const struct dt_pmd_params *p, struct walk *w,
		       struct result *v)
{
	struct dt_source st;

	walk_on(layout, dev, w, &st);
	memset(v, 0, sizeof(*v));
	dt_pmd_analyse(&st, p, collect_window, v);
	dt_source_release(&st);
}

#define FILE_4M "{\"size\":4194304,\"extents\":[{\"offset\":0," \
	"\"length\":4194304,\"type\":\"mapped\",\"addr\":0}]}"

static void test_locate(void)
{
	struct dt_devset *set = two_namespaces();
	const struct dt_dev *lin, *str, *part;
	struct dt_devloc loc;
	char err[256] = "", text[256];

	/* a partition at sector 2048 (1 MiB) of pmem0 */
	part = dt_devset_add_table(set, makedev(259, 2), "pmem0p1", false,
				   "0 32768 partition 259:0 2048", err, sizeof(err));
	CHECK(part != NULL, "partition: loads (%.100s)", err);
	dt_dev_locate(part, 4096, &loc);
	CHECK(loc.phys == (4ULL << 30) + 2 * M + M + 4096 && !loc.cut &&
	      loc.leaf && !strcmp(loc.leaf->name, "pmem0"),
	      "partition: offset 4K is pmem0's byte 1M + 4K");

	/* dm-linear: 60M of pmem0 from 4M, then 64M of pmem1 */
	lin = dt_devset_add_table(set, makedev(253, 0), "dm-0", true,
				  "0 122880 linear 259:0 8192\n"
				  "122880 131072 linear 259:1 0\n", err, sizeof(err));
	CHECK(lin != NULL && lin->size == 124 * M, "linear: loads, 124M (%.100s)", err);
	dt_dev_locate(lin, 59 * M, &loc);
	CHECK(loc.phys == (4ULL << 30) + 2 * M + 4 * M + 59 * M && loc.len == M &&
	      loc.cut, "linear: 1M before the segment's end, cut there");
	dt_dev_locate(lin, 60 * M + 4096, &loc);
	CHECK(loc.phys == (6ULL << 30) + 2 * M + 4096 && loc.len == 64 * M - 4096 &&
	      !loc.cut && !strcmp(loc.leaf->name, "pmem1"),
	      "linear: the second segment is on pmem1, to the device's end");
	dt_dev_describe(lin, text, sizeof(text));
	CHECK(!strcmp(text, "dm-0: linear over pmem0, pmem1"),
	      "linear: described (%.100s)", text);
	CHECK(dt_dev_min_cut(lin) == 0, "linear: a 2M-aligned segment cuts no window");

	/* dm-stripe, 2 legs, 64K chunks */
	str = dt_devset_add_table(set, makedev(253, 1), "dm-1", true,
				  "0 131072 striped 2 128 259:0 0 259:1 0", err,
				  sizeof(err));
	CHECK(str != NULL && str->size == 64 * M, "stripe: loads (%.100s)", err);
	dt_dev_locate(str, 0, &loc);
	CHECK(loc.phys == (4ULL << 30) + 2 * M && loc.len == 64 * K && loc.cut,
	      "stripe: chunk 0 is pmem0's first 64K");
	dt_dev_locate(str, 64 * K + 100, &loc);
	CHECK(loc.phys == (6ULL << 30) + 2 * M + 100 && loc.len == 64 * K - 100 &&
	      !strcmp(loc.leaf->name, "pmem1"), "stripe: chunk 1 is on pmem1");
	dt_dev_locate(str, 5 * 64 * K, &loc);
	CHECK(loc.phys == (6ULL << 30) + 2 * M + 2 * 64 * K,
	      "stripe: chunk 5 is pmem1's third chunk");
	CHECK(dt_dev_min_cut(str) == 64 * K, "stripe: 64K chunks cut windows");
	dt_dev_why_unknown(str, text, sizeof(text));
	CHECK(!text[0], "stripe: every layer translates");

	/* what cannot be translated says so */
	CHECK(dt_devset_add_opaque(set, makedev(9, 0), "md0", 64 * M,
				   "an md RAID device") != NULL, "opaque: loads");
	CHECK(dt_devset_add_table(set, makedev(253, 2), "dm-2", true,
				  "0 131072 linear 9:0 0\n131072 2048 crypt aes 0",
				  err, sizeof(err)) != NULL, "mixed: loads (%.100s)", err);
	dt_dev_locate(dt_devset_find(set, makedev(253, 2)), 4096, &loc);
	CHECK(loc.phys == DT_NO_ADDR && loc.why && strstr(loc.why, "md RAID"),
	      "opaque: no address, and why (%s)", loc.why ? loc.why : "");
	dt_dev_why_unknown(dt_devset_find(set, makedev(253, 2)), text, sizeof(text));
	CHECK(strstr(text, "md0: an md RAID device") &&
	      strstr(text, "dm-2: a crypt target"),
	      "opaque: every reason named (%.150s)", text);
	CHECK(dt_devset_add_table(set, makedev(253, 3), "dm-3", true,
				  "0 2048 linear 7:7 0", err, sizeof(err)) == NULL &&
	      strstr(err, "not loaded"), "table: a leg on an unknown device is refused (%.100s)", err);
	CHECK(dt_devset_add_table(set, makedev(253, 4), "dm-4", true,
				  "0 2048 linear 259:0 0\n4096 2048 linear 259:1 0",
				  err, sizeof(err)) == NULL && strstr(err, "starts at"),
	      "table: a gap is refused (%.100s)", err);
	dt_devset_free(set);
}

/* A file extent that crosses a segment end is split there; its pieces
 * carry their own device and physical address. */
static void test_file_on_stack(void)
{
	struct dt_devset *set = two_namespaces();
	const struct dt_dev *lin, *str;
	struct walk w;
	char err[256];
	int ret;

	lin = dt_devset_add_table(set, makedev(253, 0), "dm-0", true,
				  "0 122880 linear 259:0 8192\n"
				  "122880 131072 linear 259:1 0\n", err, sizeof(err));
	/* 8M of data at device offset 56M: 4M on each side of the end */
	ret = walk_on("{\"size\":8388608,\"extents\":[{\"offset\":0,"
		      "\"length\":8388608,\"type\":\"mapped\",\"addr\":58720256}]}",
		      lin, &w, NULL);
	CHECK(ret == 0 && w.nr == 2, "linear file: split in two (%d)", w.nr);
	CHECK(w.ext[0].length == 4 * M && (w.ext[0].flags & DT_F_DEV_CUT) &&
	      w.ext[0].phys == (4ULL << 30) + 2 * M + 4 * M + 56 * M &&
	      !strcmp(w.ext[0].phys_dev, "pmem0"),
	      "linear file: the first 4M on pmem0, cut at the segment end");
	CHECK(w.ext[1].offset == 4 * M && w.ext[1].length == 4 * M &&
	      !(w.ext[1].flags & DT_F_DEV_CUT) &&
	      w.ext[1].phys == (6ULL << 30) + 2 * M &&
	      !strcmp(w.ext[1].phys_dev, "pmem1") && w.ext[1].addr == 60 * M,
	      "linear file: the rest at pmem1's start");

	/* stripe with 2M chunks: each 2M window on one leg, PMD-able */
	str = dt_devset_add_table(set, makedev(253, 1), "dm-1", true,
				  "0 131072 striped 2 4096 259:0 0 259:1 0", err,
				  sizeof(err));
	ret = walk_on("{\"size\":8388608,\"extents\":[{\"offset\":0,"
		      "\"length\":8388608,\"type\":\"mapped\",\"addr\":0}]}",
		      str, &w, NULL);
	CHECK(ret == 0 && w.nr == 4 && !strcmp(w.ext[1].phys_dev, "pmem1") &&
	      w.ext[2].phys == (4ULL << 30) + 4 * M,
	      "stripe 2M file: four chunks, alternating (%d)", w.nr);
	dt_devset_free(set);
}


/* The analyser on stacks: a window crossing a table boundary cannot be
 * one PMD; windows inside one piece can. */
static void test_pmd_on_stack(void)
{
	struct dt_devset *set = two_namespaces();
	const struct dt_dev *lin, *str;
	struct dt_pmd_params p = { .dax = true, .write = true,
				   .aligned_alloc = true, .size = 8 * M };
	struct result v = { 0 };
	struct walk w;
	char err[256];

	/* linear, the segment end at 61M of the device: the file's data at
	 * 56M..64M, so its window 4M..6M crosses it */
	lin = dt_devset_add_table(set, makedev(253, 0), "dm-0", true,
				  "0 124928 linear 259:0 4096\n"
				  "124928 131072 linear 259:1 0\n", err, sizeof(err));
	analyse_on("{\"size\":8388608,\"extents\":[{\"offset\":0,"
		"\"length\":8388608,\"type\":\"mapped\",\"addr\":58720256}]}", lin, &p, &w, &v);
	CHECK(v.nr == 4, "pmd linear: 4 windows (%d)", v.nr);
	CHECK(v.w[0].status == DT_PMD_YES && v.w[1].status == DT_PMD_YES,
	      "pmd linear: the windows on pmem0 get PMDs");
	CHECK(v.w[2].status == DT_PMD_NO &&
	      v.w[2].reasons == (1u << DT_R_DEVICE_BOUNDARY),
	      "pmd linear: the window over the segment end: device_boundary only "
	      "(%#x)", v.w[2].reasons);
	CHECK(v.w[3].status == DT_PMD_NO &&
	      (v.w[3].reasons & (1u << DT_R_MISALIGNED_PHYSICAL)),
	      "pmd linear: after it, pmem1's offsets are 1M off: misaligned_physical");

	/* stripe, 64K chunks: every window cut */
	str = dt_devset_add_table(set, makedev(253, 1), "dm-1", true,
				  "0 131072 striped 2 128 259:0 0 259:1 0", err,
				  sizeof(err));
	p.size = 4 * M;
	analyse_on(FILE_4M, str, &p, &w, &v);
	CHECK(v.nr == 2 && v.w[0].reasons == (1u << DT_R_DEVICE_BOUNDARY) &&
	      v.w[1].reasons == (1u << DT_R_DEVICE_BOUNDARY),
	      "pmd stripe 64K: every window crosses chunks");
	CHECK(w.nr == 64, "pmd stripe 64K: one piece per chunk (%d)", w.nr);

	/* stripe, 2M chunks: each window on one leg, but dm caps one access
	 * to a striped target at the queue's max_sectors */
	str = dt_devset_add_table(set, makedev(253, 5), "dm-5", true,
				  "0 131072 striped 2 4096 259:0 0 259:1 0", err,
				  sizeof(err));
	((struct dt_dev *)str)->max_io = 1280 * K;
	analyse_on(FILE_4M, str, &p, &w, &v);
	CHECK(v.nr == 2 && v.w[0].reasons == (1u << DT_R_DEVICE_MAX_IO) &&
	      v.w[1].reasons == (1u << DT_R_DEVICE_MAX_IO),
	      "pmd stripe 2M, max_sectors 1280K: device_max_io only");
	CHECK(dt_dev_capped(str) == str, "pmd stripe 2M: the capping device is dm-5");
	((struct dt_dev *)str)->max_io = 2048 * K;
	analyse_on(FILE_4M, str, &p, &w, &v);
	CHECK(v.nr == 2 && v.w[0].status == DT_PMD_YES && v.w[1].status == DT_PMD_YES,
	      "pmd stripe 2M, max_sectors 2048K: PMDs");
	CHECK(dt_dev_capped(lin) == NULL, "pmd linear: nothing caps a linear table");

	/* a layer that cannot be translated: the verdict is unknown, not a
	 * guess from the device offset */
	analyse_on(FILE_4M, dt_devset_add_opaque(set, makedev(9, 0), "md0", 64 * M,
						 "an md RAID device"), &p, &w, &v);
	CHECK(v.nr == 2 && v.w[0].status == DT_PMD_UNKNOWN && !v.w[0].reasons &&
	      (w.ext[0].flags & DT_F_NO_PHYS) && w.ext[0].phys == DT_NO_ADDR,
	      "opaque: the windows are unknown, the extents no_phys (%d %#x)",
	      v.w[0].status, v.w[0].reasons);

	/* a realtime file: the same extents on a second device, whose
	 * namespace is where the addresses are */
	analyse_on("{\"size\":4194304,\"extents\":[{\"offset\":0,"
		   "\"length\":4194304,\"type\":\"mapped\",\"addr\":2097152}]}",
		   dt_devset_find(set, makedev(259, 1)), &p, &w, &v);
	CHECK(w.nr == 1 && w.ext[0].phys == (6ULL << 30) + 4 * M &&
	      !strcmp(w.ext[0].phys_dev, "pmem1") &&
	      w.ext[0].device == makedev(259, 1),
	      "realtime: addresses translate through the realtime device");
	CHECK(v.nr == 2 && v.w[0].status == DT_PMD_YES && v.w[1].status == DT_PMD_YES,
	      "realtime: 2M-aligned realtime extents get PMDs");
	dt_devset_free(set);
}

int main(void)
{
	test_locate();
	test_file_on_stack();
	test_pmd_on_stack();
	TAP_EXIT();
}
