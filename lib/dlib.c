// SPDX-License-Identifier: GPL-2.0-only
/* Libraries loaded when first needed; see include/daxtool/dlib.h. */
#include <dlfcn.h>
#include <stdio.h>

#include "daxtool/dlib.h"

const char *const dt_dlib_sonames[] = {
	DT_SO_NDCTL, DT_SO_DAXCTL, DT_SO_CXL, DT_SO_DEVMAPPER, DT_SO_PMEM, NULL
};

bool dt_dlib_load(struct dt_dlib *l)
{
	void *h;

	if (l->state)
		return l->state > 0;
	l->state = -1;
	h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(l->err, sizeof(l->err), "cannot load %s: %s",
			 l->soname, dlerror());
		return false;
	}
	for (size_t i = 0; i < l->nr; i++) {
		l->fns[i] = dlsym(h, l->names[i]);
		if (!l->fns[i]) {
			snprintf(l->err, sizeof(l->err), "%s has no %s",
				 l->soname, l->names[i]);
			return false;	/* the handle stays: harmless */
		}
	}
	l->state = 1;
	return true;
}
