// SPDX-License-Identifier: GPL-2.0-only
/* Page sizes, verified for every workload: see pages.h. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "daxtool/fmt.h"
#include "daxtool/print.h"
#include "pages.h"

const char *const bench_pmd_by_names[BENCH_NR_BY] = {
	[BENCH_BY_NONE] = NULL, [BENCH_BY_TOUCH] = "touch",
	[BENCH_BY_SMAPS] = "smaps", [BENCH_BY_FAULTS] = "faults",
};

int bench_pages_init(struct bench_pages *p, uint64_t windows, bool asked)
{
	return bench_pages_init_window(p, BENCH_2M, windows, asked);
}

int bench_pages_init_window(struct bench_pages *p, uint64_t window,
			    uint64_t windows, bool asked)
{
	memset(p, 0, sizeof(*p));
	p->window = window;
	p->windows = windows;
	p->asked = asked;
	p->pmd = calloc(windows ? windows : 1, 1);
	return p->pmd ? 0 : -ENOMEM;
}

void bench_pages_free(struct bench_pages *p)
{
	free(p->pmd);
	p->pmd = NULL;
}

/* ---- the second touch ---------------------------------------------------- */

void bench_pages_smaps(const struct bench_target *t, enum bench_access access,
		       struct bench_pages *p)
{
	if (p->window <= BENCH_2M) {
		bench_smaps(t, access, &p->smaps);
		return;
	}
	memset(&p->smaps, 0, sizeof(p->smaps));
	p->smaps.why = "not read: reading smaps walks the page tables, which "
		       "splits a 1 GiB mapping (and for DAX zaps it)";
}

/* Fault window @w again: its entries dropped, then one touch at its start,
 * a write where the mapping allows it (one that keeps the data), as the
 * run's first touch was. */
static int BENCH_TOUCH_LOOP refault(char *win, uint64_t len, bool write)
{
	if (madvise(win, len, MADV_DONTNEED) < 0)
		return -errno;
	if (write)
		__atomic_fetch_add((uint64_t *)win, 0, __ATOMIC_RELAXED);
	else
		bench_consume(*(volatile const uint64_t *)win);
	return 0;
}

static int BENCH_TOUCH_LOOP
touch_windows(const struct bench_target *t, struct bench_pages *p,
	      bool refault_first)
{
	const bool write = t->access == BENCH_WRITE;

	for (uint64_t w = 0; w < p->windows; w++) {
		char *win = t->map + w * p->window;
		uint64_t f0;
		int ret;

		if (refault_first && (ret = refault(win, p->window, write)) < 0)
			return ret;
		f0 = bench_thread_faults(NULL);
		bench_consume(*(volatile const uint64_t *)(win + p->window -
							   BENCH_4K));
		p->pmd[w] = bench_thread_faults(NULL) == f0;
	}
	return 0;
}

enum bench_ret bench_pages_touch(const struct bench_target *t,
				 struct bench_pages *p, bool refault_first)
{
	sigjmp_buf jb;
	int ret;

	if (sigsetjmp(jb, 1)) {
		bench_bus_jmp = NULL;
		bench_sigbus_report(t, bench_bus_addr);
		return BENCH_FAIL;
	}
	bench_bus_jmp = &jb;
	ret = touch_windows(t, p, refault_first);
	bench_bus_jmp = NULL;
	if (ret < 0) {
		p->why = "the mapping's entries cannot be dropped to fault it "
			 "again (MADV_DONTNEED)";
		return BENCH_OK;
	}
	p->touched = true;
	p->touch_windows = 0;
	for (uint64_t w = 0; w < p->windows; w++)
		p->touch_windows += p->pmd[w];
	return BENCH_OK;
}

void bench_pages_count(struct bench_pages *p, const uint32_t *faults)
{
	p->touched = true;
	p->touch_windows = 0;
	for (uint64_t w = 0; w < p->windows; w++) {
		p->pmd[w] = faults[w] == 1;
		p->touch_windows += p->pmd[w];
	}
}

/* The windows PMD-mapped by smaps, or UINT64_MAX where it cannot say. */
static uint64_t by_smaps(const struct bench_pages *p)
{
	if (!p->smaps.field)
		return UINT64_MAX;
	return (uint64_t)(p->smaps.ratio * (double)p->windows + 0.5);
}

void bench_pages_settle(struct bench_pages *p)
{
	uint64_t s = by_smaps(p);

	p->pmd_windows = 0;
	p->by = BENCH_BY_NONE;
	if (!p->windows)
		return;
	if (p->touched) {
		p->pmd_windows = p->touch_windows;
		p->by = BENCH_BY_TOUCH;
	}
	if (s != UINT64_MAX && (!p->touched || s != p->touch_windows)) {
		p->pmd_windows = s;
		p->by = BENCH_BY_SMAPS;
	}
}

void bench_pages_estimate(struct bench_pages *p, uint64_t faults)
{
	/* each fault maps one window's entry or one 4 KiB page */
	const uint64_t per = p->window / BENCH_4K;
	uint64_t all = p->windows * per;
	uint64_t f = faults < p->windows ? p->windows :
		     faults > all ? all : faults;

	p->touched = false;
	bench_pages_settle(p);
	if (p->by != BENCH_BY_NONE || !p->windows)
		return;
	p->pmd_windows = (all - f) / (per - 1);
	p->by = BENCH_BY_FAULTS;
}

double bench_pages_ratio(const struct bench_pages *p)
{
	return p->windows ? (double)p->pmd_windows / (double)p->windows : NAN;
}

bool bench_pages_fell_back(const struct bench_pages *p)
{
	return p->asked && p->windows && p->by != BENCH_BY_NONE &&
	       p->pmd_windows < p->windows;
}

/* ---- output ----------------------------------------------------------------- */

/* "by second touch", "by smaps", "by the fault count", "by nothing" */
static const char *const by_fmts[BENCH_NR_BY] = {
	[BENCH_BY_NONE] = ", by %s", [BENCH_BY_TOUCH] = ", by second %s",
	[BENCH_BY_SMAPS] = ", by %s", [BENCH_BY_FAULTS] = ", by the %s count",
};

/* The words of each window size: its entry, and the window. */
static bool pud(const struct bench_pages *p)
{
	return p->window >= BENCH_1G;
}

void bench_pages_print(const struct bench_pages *p)
{
	const bool v = p->windows > 0;		/* a verification to show */
	const struct bench_smaps *s = &p->smaps;

	dt_print_size(DT_JSON, "window_size", NULL, p->window);
	dt_print_u64(DT_ANY, "pmd_windows", bench_when(v, "%" PRIu64 " of"),
		     p->pmd_windows);
	dt_print_u64(DT_ANY, "windows", !v ? pud(p) ?
		     "no whole 1 GiB window to verify" :
		     "no whole 2 MiB window to verify" : p->windows == 1 ?
		     pud(p) ? " %" PRIu64 " 1 GiB window PUD-mapped" :
		     " %" PRIu64 " window PMD-mapped" : pud(p) ?
		     " %" PRIu64 " 1 GiB windows PUD-mapped" :
		     " %" PRIu64 " windows PMD-mapped", p->windows);
	dt_print_str_opt(DT_ANY, "pmd_method", bench_when(v, by_fmts[p->by]),
			 bench_pmd_by_names[p->by], "nothing");
	dt_print_double_opt(DT_JSON, "touch_ratio", NULL, p->touched && v ?
			    (double)p->touch_windows / (double)p->windows : NAN,
			    NULL);
	dt_print_begin_object("smaps");
	dt_print_str_opt(DT_ANY, "field", bench_when(v, "; smaps %s"),
			 s->field, NULL);
	dt_print_i64_opt(DT_ANY, "kb", bench_when(v, " %" PRId64 " kB"),
			 s->field ? (int64_t)s->kb : -1, NULL);
	dt_print_double_opt(DT_ANY, "ratio", bench_when(v, " (ratio %.2f)"),
			    s->field ? s->ratio : NAN, NULL);
	dt_print_str_opt(DT_JSON, "note", NULL, s->why, NULL);
	dt_print_end_object();
}

void bench_pages_print_note(const struct bench_pages *p)
{
	/* smaps and the touches measure differently: disagreeing is news */
	if (p->windows && p->touched && p->touch_windows != p->pmd_windows)
		dt_print_text("        note: a second touch took no fault in %"
			      PRIu64 " window%s, but smaps counts %" PRIu64
			      ": the kernel mapped whole large folios with "
			      "4 KiB entries in one fault\n", p->touch_windows,
			      bench_s(p->touch_windows), p->pmd_windows);
	else if (p->windows && !p->touched && p->why)
		dt_print_text("        note: no second touch: %s\n", p->why);
}

void bench_pages_print_fallback(const struct bench_pages *p,
				const char *label,
				const struct bench_reasons *why)
{
	const bool fell = bench_pages_fell_back(p);
	unsigned listed = 0;

	dt_print_bool_opt(DT_JSON, "pmd_fallback", NULL,
			  p->asked && p->windows ? fell : -1, NULL);
	if (fell)
		dt_print_text("\n  !!! %s: %s %s MAPPINGS: %" PRIu64 " of %"
			      PRIu64 " window%s fell back to %s pages "
			      "(pmd_ratio %.2f) !!!\n  why:\n", label,
			      p->pmd_windows ? "NOT ALL" : "NO",
			      pud(p) ? "1 GiB" : "2 MiB",
			      p->windows - p->pmd_windows, p->windows,
			      bench_s(p->windows), pud(p) ? "smaller" : "4 KiB",
			      bench_pages_ratio(p));
	if (p->by == BENCH_BY_TOUCH) {
		dt_print_begin_inline_array("fallback_windows");
		for (uint64_t i = 0; i < p->windows && listed < BENCH_MAX_LISTED;
		     i++)
			if (!p->pmd[i]) {
				dt_print_u64(DT_JSON, NULL, NULL, i * p->window);
				listed++;
			}
		dt_print_end_array();
	} else {
		dt_print_null(DT_JSON, "fallback_windows", NULL, NULL);
	}
	dt_print_begin_array("fallback_reasons");
	for (unsigned i = 0; why && i < why->n; i++)
		dt_print_str(DT_ANY, NULL, "    - %s\n", why->text[i]);
	dt_print_end_array();
	/* a 4 KiB mapping that got PMDs is not of 4 KiB pages either */
	dt_print_bool(DT_JSON, "pmd_in_4k", NULL, p->small && p->pmd_windows);
	if (p->small && p->pmd_windows)
		dt_print_text("\n  !!! %s: %" PRIu64 " of %" PRIu64 " windows "
			      "were mapped with 2 MiB pages: not 4 KiB pages "
			      "alone !!!\n", label, p->pmd_windows, p->windows);
}

bool bench_page_possible(const struct bench_target *t, uint64_t size,
			 bool fallback, const char **why, char *buf,
			 size_t len)
{
	char a[16];

	*why = NULL;
	if (size >= BENCH_1G && t->kind != BENCH_DEVDAX &&
	    !(t->kind == BENCH_HUGETLB && t->align >= BENCH_1G)) {
		*why = "1 GiB pages map device-DAX aligned 1G and hugetlb "
		       "memory of 1 GiB pages only: the kernel has no 1 GiB "
		       "page for files or for anonymous, shared or 2 MiB "
		       "hugetlb memory";
		return false;
	}
	if (t->kind == BENCH_HUGETLB && size != t->align) {
		*why = t->align >= BENCH_1G ? "hugetlb memory of 1 GiB pages "
		       "has those only" : "hugetlb memory has 2 MiB pages only";
		return false;
	}
	if (t->kind == BENCH_DEVDAX && t->align &&
	    (t->align > size || (!fallback && t->align < size))) {
		snprintf(buf, len, "%s is aligned %s: device-DAX maps %s", t->dev,
			 dt_fmt_size(a, sizeof(a), t->align), t->align > size ?
			 "only in pages of its alignment" :
			 "no page larger than its alignment");
		*why = buf;
		return false;
	}
	return true;
}
