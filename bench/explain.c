// SPDX-License-Identifier: GPL-2.0-only
/*
 * Why a 2 MiB pass did not get 2 MiB mappings everywhere. This is the one
 * place that gathers the reasons; everything a benchmark prints about a
 * fallback comes from here. It states what was measured first (which
 * windows fell back, and how that was seen), then what is known about the
 * target that decides PMD mappings: whether it is DAX at all, the device's
 * alignment, the THP and tmpfs settings, the kernel's own fallback
 * counters; and for a file or device, the reasons daxtool check gives for
 * the very windows that fell back, from the same analysis.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "daxtool/fmt.h"
#include "daxtool/print.h"
#include "daxtool/pmd.h"
#include "daxtool/target.h"
#include "daxtool/util.h"
#include "fault.h"

static void __attribute__((format(printf, 2, 3)))
add(struct fault_result *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nr_reasons >= FAULT_MAX_REASONS)
		return;
	va_start(ap, fmt);
	vsnprintf(r->reasons[r->nr_reasons++], sizeof(r->reasons[0]), fmt, ap);
	va_end(ap);
}

static const char *how_seen(const struct fault_result *r)
{
	static const struct { const char *method, *text; } how[] = {
		{ "touch", "a second touch inside each of them took a new fault" },
		{ "smaps", "from /proc/self/smaps" },
		{ "faults", "estimated from the fault count: one per PMD, one "
		  "per 4 KiB page" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(how); i++)
		if (r->pmd_method && !strcmp(r->pmd_method, how[i].method))
			return how[i].text;
	return "how, unknown";
}

static void measured(struct fault_result *r)
{
	const struct fault_run *run = &r->runs[r->worst];
	uint64_t bad = r->windows - run->pmd_windows;
	char list[160] = "";
	size_t n = 0;
	unsigned shown = 0;

	for (uint64_t w = 0; r->pmd_method && !strcmp(r->pmd_method, "touch") &&
	     w < r->windows && shown < 4; w++) {
		if (run->pmd[w])
			continue;
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%#" PRIx64,
				      shown++ ? ", " : "; at offsets ",
				      w * BENCH_2M);
	}
	if (shown && bad > shown)
		snprintf(list + n, sizeof(list) - n, ", ...");
	add(r, "%" PRIu64 " of %" PRIu64 " window%s %s mapped with 4 KiB "
	    "pages: %s%s", bad, r->windows, bench_s(r->windows),
	    bad == 1 ? "was" : "were", how_seen(r), list);
	if (run->touched && run->touch_windows != run->pmd_windows)
		add(r, "a second touch took no fault in %" PRIu64 " window%s: "
		    "the kernel mapped whole large folios with 4 KiB entries "
		    "in one fault", run->touch_windows,
		    bench_s(run->touch_windows));
}

static void not_dax(const struct fault_bench *b, struct fault_result *r)
{
	const struct bench_target *t = &b->target;

	add(r, "%s is not DAX: the kernel does not report STATX_ATTR_DAX for "
	    "it%s%s%s, so its faults go through the page cache, which maps "
	    "2 MiB only where it happens to hold a 2 MiB folio", t->path,
	    bench_target_fs(t)[0] ? " (" : "", bench_target_fs(t),
	    bench_target_fs(t)[0] ? ")" : "");
	if (bench_target_mount_opts(t)[0])
		add(r, "the filesystem's options: %s (DAX needs dax or "
		    "dax=always, or dax=inode with the file's DAX flag)",
		    bench_target_mount_opts(t));
}

static void devdax(const struct fault_bench *b, struct fault_result *r)
{
	const struct bench_target *t = &b->target;
	char a[16];

	if (t->align && t->align < BENCH_2M)
		add(r, "%s is aligned %s: device-DAX maps only in pages of its "
		    "alignment (daxctl reconfigure-device --align 2M changes "
		    "it)", t->dev, dt_fmt_size(a, sizeof(a), t->align));
}

static void tmpfs(const struct fault_bench *b, struct fault_result *r)
{
	const struct bench_target *t = &b->target;
	const char *huge = strstr(bench_target_mount_opts(t), "huge=");
	char shmem[32];

	if (!huge || !strncmp(huge, "huge=never", 10))
		add(r, "the tmpfs is mounted %s: it allocates 4 KiB pages "
		    "(mount it with -o huge=always)", huge ? "huge=never" :
		    "without huge=");
	bench_read_choice("/sys/kernel/mm/transparent_hugepage/shmem_enabled",
			  shmem, sizeof(shmem));
	if (!strcmp(shmem, "deny"))
		add(r, "/sys/kernel/mm/transparent_hugepage/shmem_enabled is "
		    "deny: no huge pages for tmpfs at all");
}

static void thp(const struct fault_bench *b, struct fault_result *r)
{
	const struct bench_env *e = &b->env;
	const struct fault_run *run = &r->runs[r->worst];

	if (!strcmp(e->thp_enabled, "never"))
		add(r, "transparent huge pages are off: "
		    "/sys/kernel/mm/transparent_hugepage/enabled is never");
	if (run->thp_fallback > 0)
		add(r, "the kernel could not allocate a 2 MiB page %" PRId64
		    " time%s (/proc/vmstat thp_fault_fallback): memory is short "
		    "or fragmented; THP defrag is %s", run->thp_fallback,
		    bench_s((uint64_t)run->thp_fallback),
		    e->thp_defrag[0] ? e->thp_defrag : "unknown");
}

static void traced(struct fault_result *r)
{
	const struct fault_run *run = &r->runs[r->worst];

	if (run->traced && run->trace.pmd_fallback)
		add(r, "the kernel's fs_dax:dax_pmd_fault_done reported "
		    "FALLBACK %" PRIu64 " time%s (NOPAGE %" PRIu64 ")",
		    run->trace.pmd_fallback, bench_s(run->trace.pmd_fallback),
		    run->trace.pmd_nopage);
}

/* What daxtool check says of the windows that fell back. */
struct tally {
	const struct fault_result *r;
	const uint8_t *pmd;		/* measured, per window */
	uint64_t by_reason[DT_NR_REASONS], disagree, windows;
};

static int tally_window(const struct dt_pmd_window *w, void *arg)
{
	struct tally *t = arg;
	bool predicted_pmd = w->status == DT_PMD_YES || w->status == DT_PMD_ZERO;

	for (uint64_t i = w->offset / BENCH_2M; i < w->offset / BENCH_2M + w->count;
	     i++) {
		if (i >= t->r->windows)
			return 1;	/* past what the benchmark mapped */
		t->windows++;
		if (w->status != DT_PMD_UNKNOWN && predicted_pmd != !!t->pmd[i])
			t->disagree++;
		if (!t->pmd[i])
			for (int r = 0; r < DT_NR_REASONS; r++)
				if (w->reasons & (1u << r))
					t->by_reason[r]++;
	}
	return 0;
}

static void predicted(const struct fault_bench *b, struct fault_result *r)
{
	const struct bench_target *t = &b->target;
	const struct fault_run *run = &r->runs[r->worst];
	struct dt_target s;
	struct tally tl = { .r = r, .pmd = run->pmd };
	char err[512];
	int ret;

	if (!t->path[0] || !r->pmd_method || strcmp(r->pmd_method, "touch") ||
	    !run->pmd || (t->kind != BENCH_FSDAX && t->kind != BENCH_DEVDAX))
		return;		/* only files and devices have extents */
	/* opened afresh: the extents are those after the run */
	if (dt_target_open(&s, b->ctx, t->path, 0, err, sizeof(err)) ||
	    dt_target_source(&s, DT_SRC_AUTO, false, err, sizeof(err))) {
		add(r, "daxtool check could not look: %s", err);
		dt_target_close(&s);
		return;
	}
	s.params.write = r->access == BENCH_WRITE;
	s.params.size = t->size;
	ret = dt_pmd_analyse(&s.src, &s.params, tally_window, &tl);
	if (ret < 0) {
		add(r, "daxtool check could not walk %s", t->path);
	} else {
		for (int i = 0; i < DT_NR_REASONS; i++)
			if (tl.by_reason[i])
				add(r, "daxtool check: %" PRIu64 " window%s: %s (%s)",
				    tl.by_reason[i], bench_s(tl.by_reason[i]),
				    dt_reason_text(i), dt_reason_name(i));
		if (tl.disagree)
			add(r, "daxtool check predicted otherwise for %" PRIu64
			    " of %" PRIu64 " window%s", tl.disagree, tl.windows,
			    bench_s(tl.windows));
	}
	dt_target_close(&s);
}

void explain_fallback(const struct fault_bench *b, struct fault_result *r)
{
	const struct bench_target *t = &b->target;

	r->nr_reasons = 0;
	measured(r);
	switch (t->kind) {
	case BENCH_FILE:
		not_dax(b, r);
		break;
	case BENCH_DEVDAX:
		devdax(b, r);
		break;
	case BENCH_SHMEM:
		tmpfs(b, r);
		thp(b, r);
		break;
	case BENCH_ANON:
		thp(b, r);
		break;
	case BENCH_FSDAX:
	case BENCH_HUGETLB:
	case BENCH_NR_KINDS:
		break;
	}
	traced(r);
	predicted(b, r);
	if (t->kind == BENCH_FSDAX || t->kind == BENCH_DEVDAX)
		add(r, "'daxtool check %s' tells the fix for each reason", t->path);
}
