/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the PMD analysis looks at: a file, a device-DAX device, a
 * directory (new files there) or a layout, opened with its extents
 * stacked down to physical addresses, its DAX state and the parameters
 * that follow from them. `daxtool check` and the fault benchmarks' own
 * explanations open it the same way.
 */
#ifndef DAXTOOL_SUBJECT_H
#define DAXTOOL_SUBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "daxtool/backing.h"
#include "daxtool/daxstate.h"
#include "daxtool/iomap.h"
#include "daxtool/pmd.h"
#include "daxtool/topology.h"

struct dt_subject {
	const char *path;
	const char *kind;		/* fsdax, devdax, file, directory, layout */
	int fd;				/* -1 for a layout */
	struct stat st;
	struct dt_source src;
	bool has_src;			/* no source for a directory */
	struct dt_backing backing;
	struct dt_dax_state ds;
	struct dt_pmd_params params;	/* dax, dev_align, size, aligned_alloc */
};

/*
 * Open @path (@layout: it is a layout file). On failure returns -1 with
 * @err saying why, path included.
 */
int dt_subject_open(struct dt_subject *s, const char *path, bool layout,
		    const struct dt_topology *t, char *err, size_t errlen);
void dt_subject_close(struct dt_subject *s);

#endif
