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

void dt_fmt_parse(const char *fmt, struct dt_fmt_spec *s)
{
	const char *p = fmt;

	memset(s, 0, sizeof(*s));
	s->prec = -1;
	s->prefix = fmt;
	for (;;) {
		p = strchr(p, '%');
		if (!p) {
			s->prefix_len = strlen(fmt);
			s->suffix = fmt + s->prefix_len;
			return;
		}
		if (p[1] != '%')
			break;
		p += 2;		/* "%%": text, kept for the writer */
	}
	s->prefix_len = (size_t)(p - fmt);
	for (p++;; p++) {
		if (*p == '-')
			s->left = true;
		else if (*p == '0')
			s->zero = true;
		else if (*p == '+')
			s->plus = true;
		else if (*p != ' ' && *p != '#')
			break;
	}
	while (*p >= '0' && *p <= '9' && s->width < 1000)
		s->width = s->width * 10 + (unsigned)(*p++ - '0');
	if (*p == '.') {
		s->prec = 0;
		for (p++; *p >= '0' && *p <= '9' && s->prec < 100; p++)
			s->prec = s->prec * 10 + (*p - '0');
	}
	while (*p == 'l' || *p == 'h' || *p == 'L' || *p == 'q' || *p == 'j' ||
	       *p == 'z' || *p == 't')
		p++;
	s->conv = *p;
	s->suffix = *p ? p + 1 : p;
}
