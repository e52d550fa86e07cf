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
	uint32_t x;

	/* four digits a round, two pairs from the table */
	while (v > UINT32_MAX) {
		uint64_t q = v / 10000;
		unsigned r = (unsigned)(v - q * 10000);

		end -= 4;
		memcpy(end, pairs + r / 100 * 2, 2);
		memcpy(end + 2, pairs + r % 100 * 2, 2);
		v = q;
	}
	for (x = (uint32_t)v; x >= 10000; x /= 10000) {	/* 32-bit */
		unsigned r = x % 10000;

		end -= 4;
		memcpy(end, pairs + r / 100 * 2, 2);
		memcpy(end + 2, pairs + r % 100 * 2, 2);
	}
	if (x >= 100) {
		end -= 2;
		memcpy(end, pairs + x % 100 * 2, 2);
		x /= 100;
	}
	if (x >= 10) {
		end -= 2;
		memcpy(end, pairs + x * 2, 2);
	} else {
		*--end = (char)('0' + x);
	}
	return end;
}

size_t dt_udigits(uint64_t v)
{
	static const uint64_t pow10[20] = {
		1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
		10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
		100000000000ULL, 1000000000000ULL, 10000000000000ULL,
		100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
		100000000000000000ULL, 1000000000000000000ULL,
		10000000000000000000ULL,
	};
	/* log10(2) ~ 1233 / 4096: the digits of 2^bits, maybe one too many */
	unsigned t = (unsigned)(64 - __builtin_clzll(v | 1)) * 1233 >> 12;

	return t + 1 - ((v | 1) < pow10[t]);
}

const char *dt_fmt_size(char *buf, size_t len, uint64_t v)
{
	static const char units[] = "KMGTPE";
	uint64_t div = 1;	/* 1024^(u + 1): shifts, not divisions */
	unsigned shift = 0;
	int u = -1;

	while (u < 5 && v >= div << 10) {
		div <<= 10;
		shift += 10;
		u++;
	}
	if ((v & (div - 1)) == 0) {
		char tmp[24], *p;

		size_t n;

		tmp[22] = u < 0 ? '\0' : units[u];
		tmp[23] = '\0';
		p = dt_utoa(tmp + 22, v >> shift, 10);
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
