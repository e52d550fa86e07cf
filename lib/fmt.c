// SPDX-License-Identifier: GPL-2.0-only
/* Integers, sizes and format specs; see include/daxtool/fmt.h. */
#include <stdio.h>
#include <string.h>

#include "daxtool/fmt.h"

/* Two decimal digits at a time: a map prints millions of numbers. */
static const char pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

char *dt_utoa(char *end, uint64_t v, unsigned base)
{
	static const char hex[] = "0123456789abcdef";

	if (base == 16) {
		do {
			*--end = hex[v & 15];
			v >>= 4;
		} while (v);
		return end;
	}
	while (v >= 100) {
		unsigned i = (unsigned)(v % 100) * 2;

		v /= 100;
		*--end = pairs[i + 1];
		*--end = pairs[i];
	}
	if (v >= 10) {
		*--end = pairs[v * 2 + 1];
		*--end = pairs[v * 2];
	} else {
		*--end = (char)('0' + v);
	}
	return end;
}

const char *dt_fmt_size(char *buf, size_t len, uint64_t v)
{
	static const char units[] = "KMGTPE";
	uint64_t div = 1;
	int u = -1;

	while (u < 5 && v / 1024 >= div) {
		div *= 1024;
		u++;
	}
	if (v % div == 0) {
		char tmp[24], *p;

		size_t n;

		tmp[22] = u < 0 ? '\0' : units[u];
		tmp[23] = '\0';
		p = dt_utoa(tmp + 22, v / div, 10);
		n = (size_t)(tmp + 24 - p);
		if (n > len)
			n = len;
		memcpy(buf, p, n);
		buf[n - 1] = '\0';
	} else {
		snprintf(buf, len, "%.1f%c", (double)v / (double)div, units[u]);
	}
	return buf;
}
