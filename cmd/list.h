/* SPDX-License-Identifier: GPL-2.0-only */
/* daxtool list: its options, and the CXL half (cmd/list-cxl.c). */
#ifndef DAXTOOL_CMD_LIST_H
#define DAXTOOL_CMD_LIST_H

#include <stdbool.h>

#include "daxtool/topology.h"

struct list_opts {
	bool json, human;
	const char *region, *ns, *dev, *mode, *memdev;
};

/* @name matches @filter given as the name or the number after
 * @prefix ("region1" or "1"); a NULL filter matches all */
bool list_match(const char *filter, const char *prefix, const char *name);

/* Whether the filters keep what is made of CXL region @name ("": none):
 * --memdev keeps only what lies on that memory device */
bool list_memdev_keeps(const struct dt_topology *t, const struct list_opts *o,
		       const char *cxl_region);

/* The four CXL arrays: memdevs, ports, decoders, regions. */
void list_cxl(const struct dt_topology *t, const struct list_opts *o);

#endif
