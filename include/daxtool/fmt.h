/* SPDX-License-Identifier: GPL-2.0-only */
/* Formatting without printf for the values a map prints millions of:
 * integers and sizes. */
#ifndef DAXTOOL_FMT_H
#define DAXTOOL_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Write v in base 10 or 16 so that it ends just before @end; returns
 * its first character. 20 characters are enough. */
char *dt_utoa(char *end, uint64_t v, unsigned base);

/* How many decimal digits v has (1 for 0). */
size_t dt_udigits(uint64_t v);

/* "2M", "4K", "1.5G", "123" (bytes below 1K). */
const char *dt_fmt_size(char *buf, size_t len, uint64_t v);

#endif
