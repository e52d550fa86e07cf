/* SPDX-License-Identifier: GPL-2.0-only */
/* Actors for the unit tests: keep the first 64 extents or windows seen. */
#ifndef DAXTOOL_TEST_COLLECT_H
#define DAXTOOL_TEST_COLLECT_H

#include "daxtool/iomap.h"
#include "daxtool/pmd.h"

struct walk {
	struct dt_extent ext[64];
	int nr;
	int begins;			/* calls into the source, where counted */
};

static inline int collect(const struct dt_extent *ext, void *arg)
{
	struct walk *w = arg;

	if (w->nr < 64)
		w->ext[w->nr] = *ext;
	w->nr++;
	return 0;
}

struct result {
	struct dt_pmd_window w[64];
	int nr;
};

static inline int collect_window(const struct dt_pmd_window *w, void *arg)
{
	struct result *r = arg;

	/* one entry per window, as if each were reported alone */
	for (uint64_t i = 0; i < w->count; i++, r->nr++) {
		if (r->nr >= 64)
			continue;
		r->w[r->nr] = *w;
		r->w[r->nr].offset += i * DT_PMD_SIZE;
		r->w[r->nr].count = 1;
		if (w->phys != DT_NO_ADDR)
			r->w[r->nr].phys += i * DT_PMD_SIZE;
	}
	return 0;
}

#endif
