// SPDX-License-Identifier: GPL-2.0-only
/* What mount options say about DAX; which CXL region holds a range. */
#include <string.h>
#include <sys/sysmacros.h>

#include "daxtool/topology.h"
#include "tap.h"

int main(void)
{
	static const struct {
		const char *fs, *opts; bool capable; const char *mode;
	} cases[] = {
		{ "xfs", "rw,attr2,dax=always,inode64", true, "always" },
		{ "ext4", "rw,relatime,stripe=512,dax=always", true, "always" },
		{ "ext4", "rw,dax", true, "always" },
		{ "ext2", "rw,dax", true, "always" },
		{ "xfs", "rw,dax=never", true, "never" },
		{ "xfs", "rw,dax=inode", true, "inode" },
		{ "xfs", "rw,attr2", true, "inode" },	/* the default */
		{ "ext4", "rw", false, "never" },
		{ "tmpfs", "rw,size=4k", true, "never" },
		{ "xfs", "rw,daxx,nodax", true, "inode" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(!strcmp(dt_dax_mode(cases[i].fs, cases[i].opts,
					  cases[i].capable), cases[i].mode),
		      "dax mode of %s '%s'%s is %s", cases[i].fs, cases[i].opts,
		      cases[i].capable ? " on a DAX device" : "", cases[i].mode);

	/* region0 at 4 GiB + 256 MiB, 1 GiB; region1 not set up yet */
	struct dt_cxl_region regions[2] = {
		{ .devname = "region0", .resource = 0x110000000, .size = 1ULL << 30,
		  .nr_targets = 2, .memdevs = { "mem0", "mem1" } },
		{ .devname = "region1", .resource = DT_CXL_NONE, .size = DT_CXL_NONE },
	};
	struct dt_topology t = { .cxl_regions = regions, .nr_cxl_regions = 2 };
	static const struct {
		uint64_t start, size; const char *region;
	} at[] = {
		{ 0x110000000, 1ULL << 30, "region0" },		/* all of it */
		{ 0x111200000, 0x3ee00000, "region0" },		/* to its end */
		{ 0x14fffffff, 1, "region0" },			/* its last byte */
		{ 0x111200000, 0x3ee00001, NULL },		/* one past */
		{ 0x10fffffff, 2, NULL },			/* across its start */
		{ 0x150000000, 4096, NULL },			/* after it */
		{ DT_CXL_NONE, 4096, NULL },			/* unknown */
	};
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		const struct dt_cxl_region *r = dt_cxl_region_at(&t, at[i].start, at[i].size);

		CHECK(at[i].region ? r && !strcmp(r->devname, at[i].region) : !r,
		      "%#llx +%#llx is in %s", (unsigned long long)at[i].start,
		      (unsigned long long)at[i].size, at[i].region ? at[i].region : "no region");
	}
	CHECK(dt_cxl_region_has(&regions[0], "mem1") && !dt_cxl_region_has(&regions[0], "mem2"),
	      "region0 interleaves over mem1, not mem2");
	CHECK(dt_cxl_region_by_name(&t, "region1") == &regions[1] &&
	      !dt_cxl_region_by_name(&t, "region2") && !dt_cxl_region_by_name(&t, NULL),
	      "regions by name");

	/* how many devices a range spans: one per granule, up to the ways */
	regions[0].ways = 2;
	regions[0].granularity = 256;
	static const struct { uint64_t len; unsigned devs; } span[] = {
		{ 1, 1 }, { 256, 1 }, { 257, 2 }, { 4096, 2 }, { 2ULL << 20, 2 },
		{ 1ULL << 30, 2 },
	};
	for (size_t i = 0; i < sizeof(span) / sizeof(span[0]); i++)
		CHECK(dt_cxl_span(&regions[0], span[i].len) == span[i].devs,
		      "%llu bytes of a 2-way region of 256-byte granules span %u devices",
		      (unsigned long long)span[i].len, span[i].devs);
	CHECK(dt_cxl_span(&regions[1], 4096) == 0, "a region not set up spans none");
	TAP_EXIT();
}
