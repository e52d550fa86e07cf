/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Page sizes, verified for every workload: which 2 MiB windows of the
 * mapping were mapped by one PMD (or a larger entry), how that is known,
 * and whether it is what was asked for.
 *
 *   a window mapped by one PMD takes no fault on a second touch anywhere
 *   inside it; a window of 4 KiB entries takes one per page.
 *
 * The second touch reads the last page of each window, which a PMD maps
 * and a fault-around (64 KiB) does not reach, and counts the thread's
 * faults. Where the timed part touched every page already (bench rw), a
 * window's entries are dropped first (MADV_DONTNEED: a shared file
 * mapping keeps its data) and the window is faulted again by one touch
 * at its start, as the run's first touch faulted it; that is done after
 * the timed part, so it does not disturb the timing.
 *
 * /proc/self/smaps cross-checks where it is reliable (probe.c) and wins
 * where it disagrees: since Linux 6.x a fault may map a whole large folio
 * with 4 KiB entries at once (tmpfs, the page cache), and then a second
 * touch takes no fault without a PMD.
 */
#ifndef DAXTOOL_BENCH_PAGES_H
#define DAXTOOL_BENCH_PAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "bench.h"

/* How the PMD-mapped windows are known. */
enum bench_pmd_by {
	BENCH_BY_NONE,		/* not known */
	BENCH_BY_TOUCH,		/* the second touch */
	BENCH_BY_SMAPS,		/* /proc/self/smaps */
	BENCH_BY_FAULTS,	/* estimated from the fault count */
	BENCH_NR_BY
};
extern const char *const bench_pmd_by_names[];	/* NULL, "touch", ... */

struct bench_pages {
	/* the size of a window: 2 MiB (a PMD's), or 1 GiB (a PUD's) for a
	 * pass of 1 GiB pages; pmd_windows then counts windows that one PUD
	 * maps, and the output says "PUD-mapped" */
	uint64_t window;
	uint64_t windows;		/* whole windows mapped */
	uint64_t pmd_windows;		/* of them mapped by one entry, by @by */
	enum bench_pmd_by by;
	bool asked;			/* 2 MiB pages were asked for: fewer
					   is a fallback */
	bool small;			/* 4 KiB pages were asked for: a window
					   one entry maps is not what was asked
					   (pmd_in_4k) */
	bool touched;			/* the second touch ran: */
	uint64_t touch_windows;		/* the windows it found PMD-mapped */
	uint8_t *pmd;			/* per window, by the touch */
	const char *why;		/* the touch could not run: why */
	struct bench_smaps smaps;
};

/* Why a pass asked for 2 MiB pages and did not get them everywhere: one
 * sentence each, measured facts first (explain.c). */
#define BENCH_MAX_REASONS 16
struct bench_reasons {
	char text[BENCH_MAX_REASONS][320];
	unsigned n;
};

int bench_pages_init(struct bench_pages *p, uint64_t windows, bool asked);
/* The same with windows of @window bytes (BENCH_2M, BENCH_1G). */
int bench_pages_init_window(struct bench_pages *p, uint64_t window,
			    uint64_t windows, bool asked);
/* smaps as the run left it, into p->smaps, where reading it changes
 * nothing: on 1 GiB windows it is not read (the walk splits a PUD, and
 * for DAX zaps it), and p->smaps.why says so. */
void bench_pages_smaps(const struct bench_target *t, enum bench_access access,
		       struct bench_pages *p);
void bench_pages_free(struct bench_pages *p);

/*
 * The second touch of every window of the target's mapping; @refault:
 * drop and fault each window again first. BENCH_FAIL on SIGBUS (said,
 * with its cause); where the entries cannot be dropped, BENCH_OK with
 * @touched false and @why set.
 */
enum bench_ret bench_pages_touch(const struct bench_target *t,
				 struct bench_pages *p, bool refault);
/* From each window's fault count, taken while it was touched page by page
 * (the 4 KiB pass): a window whose first touch was its only fault took
 * none on its second. */
void bench_pages_count(struct bench_pages *p, const uint32_t *faults);
/* pmd_windows and how they are known, from the touch and smaps. */
void bench_pages_settle(struct bench_pages *p);
/* For a populated mapping, where no touch can tell: smaps where it is
 * reliable, else the fault count (one fault per PMD, one per 4 KiB page). */
void bench_pages_estimate(struct bench_pages *p, uint64_t faults);

/* pmd_windows / windows; NaN without a whole window. */
double bench_pages_ratio(const struct bench_pages *p);
/* 2 MiB pages were asked for and some window did not get one. */
bool bench_pages_fell_back(const struct bench_pages *p);

/*
 * The members every workload prints of its mapping (pmd_windows, windows,
 * pmd_method, touch_ratio, smaps), and in text "N of M windows
 * PMD-mapped, by second touch; smaps FIELD X kB (ratio R)".
 */
void bench_pages_print(const struct bench_pages *p);
/* The line after: where the touch and smaps disagree, a note. */
void bench_pages_print_note(const struct bench_pages *p);
/*
 * pmd_fallback, fallback_windows, fallback_reasons and pmd_in_4k; a
 * fallback said loudly in text: "!!! LABEL: NO 2 MiB MAPPINGS: ... !!!",
 * then why, and as loudly 4 KiB pages asked for and windows mapped by one
 * larger entry.
 */
void bench_pages_print_fallback(const struct bench_pages *p,
				const char *label,
				const struct bench_reasons *why);

/*
 * Whether a pass asking for pages of @size can run on the target: hugetlb
 * memory has pages of its one size only, device-DAX none smaller than its
 * alignment, and 1 GiB pages are had on device-DAX aligned 1G and hugetlb
 * memory of 1 GiB pages only. Unless @fallback (the pass is there to show
 * what the kernel falls back to), device-DAX has no page larger than its
 * alignment either. If not, *why says so (a static string, or @buf).
 */
bool bench_page_possible(const struct bench_target *t, uint64_t size,
			 bool fallback, const char **why, char *buf,
			 size_t len);

/* fallback_windows lists at most this many offsets */
#define BENCH_MAX_LISTED 4096

#endif
