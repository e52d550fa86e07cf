/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Formatting without printf for the values a map prints millions of:
 * integers, sizes, and one printf-style conversion filled with a string
 * the caller already rendered.
 */
#ifndef DAXTOOL_FMT_H
#define DAXTOOL_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Write v in base 10 or 16 so that it ends just before @end; returns
 * its first character. 20 characters are enough. */
char *dt_utoa(char *end, uint64_t v, unsigned base);

/* "2M", "4K", "1.5G", "123" (bytes below 1K). */
const char *dt_fmt_size(char *buf, size_t len, uint64_t v);

/*
 * A format with at most one conversion, split around it: "  %-12s\n" is
 * prefix "  ", left-aligned, width 12, conv 's', suffix "\n". Any
 * length modifier (l, ll, z, j, PRIu64's) is accepted and ignored: the
 * value arrives rendered. A second conversion is taken as text.
 */
struct dt_fmt_spec {
	const char *prefix, *suffix;
	size_t prefix_len;
	unsigned width;
	int prec;		/* -1: none */
	bool left, zero, plus;
	char conv;		/* 's', 'u', 'd', 'x', 'f', 'g', ...; 0: none */
};
void dt_fmt_parse(const char *fmt, struct dt_fmt_spec *spec);

#endif
