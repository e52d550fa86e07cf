/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ACPI CXL Early Discovery Table (CEDT): its CXL Fixed Memory
 * Window Structures (CFMWS), one per window of host physical addresses
 * the platform routes to CXL host bridges. A window is what the kernel
 * makes a root decoder of (the same base and size), and it is the one
 * place that says by which arithmetic the platform picks the host
 * bridge of an address when the window interleaves over several: modulo
 * (the same arithmetic as every HDM decoder below it) or XOR (which
 * needs the CXIMS xormaps as well). Neither libcxl nor sysfs says so.
 *
 * The table is in /sys/firmware/acpi/tables/CEDT, readable by root only.
 */
#ifndef DAXTOOL_CEDT_H
#define DAXTOOL_CEDT_H

#include <stddef.h>
#include <stdint.h>

#define DT_CEDT_PATH "/sys/firmware/acpi/tables/CEDT"

enum dt_cedt_arith { DT_CEDT_MODULO = 0, DT_CEDT_XOR = 1 };

struct dt_cedt_window {
	uint64_t base, size;		/* its host physical range */
	unsigned ways;			/* host bridges: 1, 2, 3, 4, 6, 8, 12, 16 */
	unsigned granularity;		/* bytes per host bridge in turn */
	unsigned arith;			/* enum dt_cedt_arith, or another
					 * value the table holds */
};

/*
 * The windows of the CEDT in @buf (@len bytes, the whole table with its
 * ACPI header), at most @max of them into @out, in table order. Returns
 * how many windows the table has (more than @max: only @max stored), or
 * -EINVAL where the table is not a CEDT or a structure does not fit in
 * it, or a window's ways or granularity are not valid codes. Every
 * length is checked against @len before it is used.
 */
int dt_cedt_parse(const void *buf, size_t len, struct dt_cedt_window *out,
		  unsigned max);

/*
 * The windows of the table at @path (DT_CEDT_PATH) into a new array
 * *@out (free() it), *@nr of them: 0, or -errno (-EACCES when not root,
 * -ENOENT on a machine without one, -EINVAL as dt_cedt_parse).
 */
int dt_cedt_read(const char *path, struct dt_cedt_window **out, unsigned *nr);

/* "modulo", "xor", or NULL for a value no arithmetic has */
const char *dt_cedt_arith_name(unsigned arith);

#endif
