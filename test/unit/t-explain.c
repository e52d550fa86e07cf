// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fallback explanations (bench/explain.c), on synthetic results: a
 * mapping that asked for 2 MiB pages, which windows fell back and how
 * that was seen, and what is known of each kind of target. Each reason
 * is checked word for word where the words are the point.
 */
#include <stdio.h>
#include <string.h>

#include "daxtool/topology.h"
#include "explain.h"
#include "tap.h"

static struct dt_ctx ctx;
static struct bench b;
static struct bench_run run;
static struct bench_pages p;
static struct bench_reasons why;
static uint8_t pmd[64];

/* A fresh synthetic result: @windows windows, those in @mapped PMD-mapped
 * by the touch, on a target of @kind. */
static void result(enum bench_kind kind, uint64_t windows, const char *mapped)
{
	memset(&b, 0, sizeof(b));
	b.ctx = &ctx;
	memset(&run, 0, sizeof(run));
	memset(&p, 0, sizeof(p));
	memset(pmd, 0, sizeof(pmd));
	b.target.kind = kind;
	b.target.fd = -1;
	DT_COPY(b.env.thp_enabled, "always");
	DT_COPY(b.env.thp_defrag, "madvise");
	run.thp_alloc = run.thp_fallback = -1;
	p.window = BENCH_2M;
	p.windows = windows;
	p.asked = true;
	p.pmd = pmd;
	p.touched = true;
	for (uint64_t w = 0; w < windows; w++) {
		pmd[w] = mapped[w] == '1';
		p.touch_windows += pmd[w];
	}
	p.pmd_windows = p.touch_windows;
	p.by = BENCH_BY_TOUCH;
}

static void explain(void)
{
	bench_explain(&b, &p, &run, BENCH_WRITE, &why);
}

/* Is @want one of the reasons, whole? */
static bool has(const char *want)
{
	for (unsigned i = 0; i < why.n; i++)
		if (!strcmp(why.text[i], want))
			return true;
	return false;
}

static bool has_prefix(const char *want)
{
	for (unsigned i = 0; i < why.n; i++)
		if (!strncmp(why.text[i], want, strlen(want)))
			return true;
	return false;
}

static void test_measured(void)
{
	result(BENCH_ANON, 4, "1001");
	explain();
	CHECK(why.n == 1 && !strcmp(why.text[0], "2 of 4 windows were mapped "
	      "with 4 KiB pages: a second touch inside each of them took a new "
	      "fault; at offsets 0x200000, 0x400000"),
	      "measured first: which windows, how seen, where");

	result(BENCH_ANON, 8, "00000001");
	explain();
	CHECK(has("7 of 8 windows were mapped with 4 KiB pages: a second touch "
		  "inside each of them took a new fault; at offsets 0, 0x200000, "
		  "0x400000, 0x600000, ..."),
	      "measured: four offsets at most, then ...");

	result(BENCH_ANON, 1, "0");
	explain();
	CHECK(has("1 of 1 window was mapped with 4 KiB pages: a second touch "
		  "inside each of them took a new fault; at offsets 0"),
	      "measured: one window, singular");

	/* smaps won: the touch saw PMDs where there were large folios */
	result(BENCH_SHMEM, 4, "1111");
	p.pmd_windows = 1;
	p.by = BENCH_BY_SMAPS;
	explain();
	CHECK(!strcmp(why.text[0], "3 of 4 windows were mapped with 4 KiB "
		      "pages: from /proc/self/smaps") &&
	      has("a second touch took no fault in 4 windows: the kernel mapped "
		  "whole large folios with 4 KiB entries in one fault"),
	      "smaps against the touch: both said, no offsets");

	result(BENCH_ANON, 4, "0000");
	p.touched = false;
	p.by = BENCH_BY_FAULTS;
	explain();
	CHECK(has("4 of 4 windows were mapped with 4 KiB pages: estimated from "
		  "the fault count: one per PMD, one per 4 KiB page"),
	      "a populated pass: estimated from the faults");
}

static void test_thp(void)
{
	result(BENCH_ANON, 2, "00");
	DT_COPY(b.env.thp_enabled, "never");
	run.thp_fallback = 3;
	explain();
	CHECK(why.n == 3 &&
	      has("transparent huge pages are off: "
		  "/sys/kernel/mm/transparent_hugepage/enabled is never") &&
	      has("the kernel could not allocate a 2 MiB page 3 times "
		  "(/proc/vmstat thp_fault_fallback): memory is short or "
		  "fragmented; THP defrag is madvise"),
	      "anonymous memory: THP off, and the kernel's fallback count");

	result(BENCH_ANON, 2, "00");
	explain();
	CHECK(why.n == 1, "anonymous memory, THP on, no fallback counted: only "
	      "what was measured");

	result(BENCH_ANON, 2, "00");
	run.thp_fallback = 1;
	bench_explain(&b, &p, NULL, BENCH_WRITE, &why);
	CHECK(why.n == 1, "no run (its counters unknown): nothing made up");
}

static void test_kinds(void)
{
	struct dt_mount m;

	result(BENCH_DEVDAX, 4, "0000");
	DT_COPY(b.target.path, "/dev/dax0.0");
	DT_COPY(b.target.dev, "dax0.0");
	b.target.align = 4096;
	p.by = BENCH_BY_SMAPS;		/* no extents to ask check about */
	explain();
	CHECK(has("dax0.0 is aligned 4K: device-DAX maps only in pages of its "
		  "alignment (daxctl reconfigure-device --align 2M changes it)") &&
	      !strcmp(why.text[why.n - 1], "'daxtool check /dev/dax0.0' tells "
		      "the fix for each reason"),
	      "device-DAX aligned 4K: the alignment, then where the fix is");

	result(BENCH_FILE, 2, "00");
	memset(&m, 0, sizeof(m));
	DT_COPY(m.options, "rw,relatime");
	DT_COPY(b.target.path, "/srv/data");
	b.target.tg.kind = DT_TARGET_FILE;
	DT_COPY(b.target.tg.ds.fs, "ext4");
	b.target.tg.mount = &m;
	explain();
	CHECK(has("/srv/data is not DAX: the kernel does not report "
		  "STATX_ATTR_DAX for it (ext4), so its faults go through the "
		  "page cache, which maps 2 MiB only where it happens to hold a "
		  "2 MiB folio") &&
	      has("the filesystem's options: rw,relatime (DAX needs dax or "
		  "dax=always, or dax=inode with the file's DAX flag)"),
	      "the page cache: not DAX, and the mount's options");

	result(BENCH_SHMEM, 2, "00");
	DT_COPY(m.options, "rw,size=65536k,huge=never");
	b.target.tg.mount = &m;
	explain();
	CHECK(has("the tmpfs is mounted huge=never: it allocates 4 KiB pages "
		  "(mount it with -o huge=always)"),
	      "tmpfs huge=never: the mount option named");

	result(BENCH_HUGETLB, 2, "00");
	explain();
	CHECK(why.n == 1, "hugetlb: only what was measured");
}

static void test_trace_and_check(void)
{
	result(BENCH_FSDAX, 2, "10");
	DT_COPY(b.target.path, "/nonexistent-daxtool/f");
	run.traced = true;
	run.trace.pmd_fallback = 1;
	run.trace.pmd_nopage = 1;
	explain();
	CHECK(has("the kernel's fs_dax:dax_pmd_fault_done reported FALLBACK 1 "
		  "time (NOPAGE 1)"),
	      "fsdax, traced: the tracepoint's count");
	CHECK(has_prefix("daxtool check could not look: ") &&
	      !strcmp(why.text[why.n - 1], "'daxtool check "
		      "/nonexistent-daxtool/f' tells the fix for each reason"),
	      "fsdax: check's analysis asked for, and its failure said");
}

static void test_cap(void)
{
	result(BENCH_ANON, 2, "00");
	why.n = BENCH_MAX_REASONS - 1;
	bench_explain(&b, &p, &run, BENCH_WRITE, &why);
	CHECK(why.n >= 1 && why.n <= BENCH_MAX_REASONS,
	      "explain starts afresh, never past %d reasons", BENCH_MAX_REASONS);
}

int main(void)
{
	test_measured();
	test_thp();
	test_kinds();
	test_trace_and_check();
	test_cap();
	dt_ctx_free(&ctx);
	TAP_EXIT();
}
