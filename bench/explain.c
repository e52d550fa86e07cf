// SPDX-License-Identifier: GPL-2.0-only
/*
 * Why a mapping that asked for 2 MiB pages did not get them everywhere
 * (a fault workload's 2 MiB pass, bench rw's mapping). This is the one
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
#include "explain.h"

/* What is explained: the pass's pages, in its worst run. */
struct why {
	const struct bench *b;
	const struct bench_pages *p;
	const struct bench_run *run;
	enum bench_access access;
	struct bench_reasons *out;
};

static void __attribute__((format(printf, 2, 3)))
add(struct why *y, const char *fmt, ...)
{
	struct bench_reasons *r = y->out;
	va_list ap;

	if (r->n >= BENCH_MAX_REASONS)
		return;
	va_start(ap, fmt);
	vsnprintf(r->text[r->n++], sizeof(r->text[0]), fmt, ap);
	va_end(ap);
}

static const char *const how_seen[BENCH_NR_BY] = {
	[BENCH_BY_NONE] = "how, unknown",
	[BENCH_BY_TOUCH] = "a second touch inside each of them took a new "
			   "fault",
	[BENCH_BY_SMAPS] = "from /proc/self/smaps",
	[BENCH_BY_FAULTS] = "estimated from the fault count: one per PMD, one "
			    "per 4 KiB page",
};

static void measured(struct why *y)
{
	const struct bench_pages *p = y->p;
	uint64_t bad = p->windows - p->pmd_windows;
	char list[160] = "";
	size_t n = 0;
	unsigned shown = 0;

	for (uint64_t w = 0; p->by == BENCH_BY_TOUCH && w < p->windows &&
	     shown < 4; w++) {
		if (p->pmd[w])
			continue;
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%#" PRIx64,
				      shown++ ? ", " : "; at offsets ",
				      w * p->window);
	}
	if (shown && bad > shown)
		snprintf(list + n, sizeof(list) - n, ", ...");
	add(y, "%" PRIu64 " of %" PRIu64 " %swindow%s %s mapped with %s "
	    "pages: %s%s", bad, p->windows, p->window > BENCH_2M ? "1 GiB " :
	    "", bench_s(p->windows), bad == 1 ? "was" : "were",
	    p->window > BENCH_2M ? "smaller" : "4 KiB", how_seen[p->by], list);
	if (p->touched && p->touch_windows != p->pmd_windows)
		add(y, "a second touch took no fault in %" PRIu64 " window%s: "
		    "the kernel mapped whole large folios with 4 KiB entries "
		    "in one fault", p->touch_windows,
		    bench_s(p->touch_windows));
}

static void not_dax(struct why *y)
{
	const struct bench_target *t = &y->b->target;

	add(y, "%s is not DAX: the kernel does not report STATX_ATTR_DAX for "
	    "it%s%s%s, so its faults go through the page cache, which maps "
	    "2 MiB only where it happens to hold a 2 MiB folio", t->path,
	    bench_target_fs(t)[0] ? " (" : "", bench_target_fs(t),
	    bench_target_fs(t)[0] ? ")" : "");
	if (bench_target_mount_opts(t)[0])
		add(y, "the filesystem's options: %s (DAX needs dax or "
		    "dax=always, or dax=inode with the file's DAX flag)",
		    bench_target_mount_opts(t));
}

static void devdax(struct why *y)
{
	const struct bench_target *t = &y->b->target;
	char a[16], w[16];

	if (t->align && t->align < y->p->window)
		add(y, "%s is aligned %s: device-DAX maps only in pages of its "
		    "alignment (daxctl reconfigure-device --align %s changes "
		    "it)", t->dev, dt_fmt_size(a, sizeof(a), t->align),
		    dt_fmt_size(w, sizeof(w), y->p->window));
}

static void tmpfs(struct why *y)
{
	const struct bench_target *t = &y->b->target;
	const char *huge = strstr(bench_target_mount_opts(t), "huge=");
	char shmem[32];

	if (!huge || !strncmp(huge, "huge=never", 10))
		add(y, "the tmpfs is mounted %s: it allocates 4 KiB pages "
		    "(mount it with -o huge=always)", huge ? "huge=never" :
		    "without huge=");
	bench_read_choice("/sys/kernel/mm/transparent_hugepage/shmem_enabled",
			  shmem, sizeof(shmem));
	if (!strcmp(shmem, "deny"))
		add(y, "/sys/kernel/mm/transparent_hugepage/shmem_enabled is "
		    "deny: no huge pages for tmpfs at all");
}

static void thp(struct why *y)
{
	const struct bench_env *e = &y->b->env;

	if (!strcmp(e->thp_enabled, "never"))
		add(y, "transparent huge pages are off: "
		    "/sys/kernel/mm/transparent_hugepage/enabled is never");
	if (y->run && y->run->thp_fallback > 0)
		add(y, "the kernel could not allocate a 2 MiB page %" PRId64
		    " time%s (/proc/vmstat thp_fault_fallback): memory is short "
		    "or fragmented; THP defrag is %s", y->run->thp_fallback,
		    bench_s((uint64_t)y->run->thp_fallback),
		    e->thp_defrag[0] ? e->thp_defrag : "unknown");
}

static void traced(struct why *y)
{
	const struct bench_run *run = y->run;

	if (run && run->traced && run->trace.pmd_fallback)
		add(y, "the kernel's fs_dax:dax_pmd_fault_done reported "
		    "FALLBACK %" PRIu64 " time%s (NOPAGE %" PRIu64 ")",
		    run->trace.pmd_fallback, bench_s(run->trace.pmd_fallback),
		    run->trace.pmd_nopage);
}

/* What daxtool check says of the windows that fell back. */
struct tally {
	const struct bench_pages *p;	/* measured, per window */
	uint64_t by_reason[DT_NR_REASONS], disagree, windows;
};

static int tally_window(const struct dt_pmd_window *w, void *arg)
{
	struct tally *t = arg;
	bool predicted_pmd = w->page_size >= DT_PMD_SIZE;

	for (uint64_t i = w->offset / BENCH_2M; i < w->offset / BENCH_2M + w->count;
	     i++) {
		if (i >= t->p->windows)
			return 1;	/* past what the benchmark mapped */
		t->windows++;
		if (w->status != DT_PMD_UNKNOWN &&
		    predicted_pmd != !!t->p->pmd[i])
			t->disagree++;
		if (!t->p->pmd[i])
			for (int r = 0; r < DT_NR_REASONS; r++)
				if (w->reasons & (1u << r))
					t->by_reason[r]++;
	}
	return 0;
}

static void predicted(struct why *y)
{
	const struct bench_target *t = &y->b->target;
	struct tally tl = { .p = y->p };
	struct dt_target s;
	char err[512];
	int ret;

	if (!t->path[0] || y->p->by != BENCH_BY_TOUCH || y->p->window != BENCH_2M ||
	    (t->kind != BENCH_FSDAX && t->kind != BENCH_DEVDAX))
		return;		/* only files and devices have extents; the
				   analysis is of 2 MiB windows */
	/* opened afresh: the extents are those after the run */
	if (dt_target_open(&s, y->b->ctx, t->path, 0, err, sizeof(err)) ||
	    dt_target_source(&s, DT_SRC_AUTO, false, err, sizeof(err))) {
		add(y, "daxtool check could not look: %s", err);
		dt_target_close(&s);
		return;
	}
	s.params.write = y->access != BENCH_READ;
	s.params.size = t->size;
	ret = dt_pmd_analyse(&s.src, &s.params, tally_window, &tl);
	if (ret < 0) {
		add(y, "daxtool check could not walk %s", t->path);
	} else {
		for (int i = 0; i < DT_NR_REASONS; i++)
			if (tl.by_reason[i])
				add(y, "daxtool check: %" PRIu64 " window%s: %s (%s)",
				    tl.by_reason[i], bench_s(tl.by_reason[i]),
				    dt_reason_text(i), dt_reason_name(i));
		if (tl.disagree)
			add(y, "daxtool check predicted otherwise for %" PRIu64
			    " of %" PRIu64 " window%s", tl.disagree, tl.windows,
			    bench_s(tl.windows));
	}
	dt_target_close(&s);
}

/* What is known of each kind of target, that decides PMD mappings. */
static void (*const by_kind[BENCH_NR_KINDS][2])(struct why *) = {
	[BENCH_FILE] = { not_dax },
	[BENCH_DEVDAX] = { devdax },
	[BENCH_SHMEM] = { tmpfs, thp },
	[BENCH_ANON] = { thp },
};

void bench_explain(const struct bench *b, const struct bench_pages *p,
		   const struct bench_run *run, enum bench_access access,
		   struct bench_reasons *out)
{
	const struct bench_target *t = &b->target;
	struct why y = { .b = b, .p = p, .run = run, .access = access,
			 .out = out };

	out->n = 0;
	measured(&y);
	for (size_t i = 0; i < ARRAY_SIZE(by_kind[0]) && by_kind[t->kind][i]; i++)
		by_kind[t->kind][i](&y);
	traced(&y);
	predicted(&y);
	if (t->kind == BENCH_FSDAX || t->kind == BENCH_DEVDAX)
		add(&y, "'daxtool check %s' tells the fix for each reason", t->path);
}
