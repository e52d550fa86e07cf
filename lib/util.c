// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "daxtool/out.h"
#include "daxtool/util.h"

static const char *cmd_name;

void dt_strlcpy(char *dst, const char *src, size_t n)
{
	size_t i = 0;

	for (; src && src[i] && i + 1 < n; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

void dt_set_cmd(const char *name)
{
	cmd_name = name;
}

static void vreport(const char *fmt, va_list ap)
{
	dt_out_flush_text();	/* what was printed before comes before */
	fputs("daxtool: ", stderr);
	if (cmd_name)
		fprintf(stderr, "%s: ", cmd_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void dt_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

void dt_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

static const struct { const char *suffix; unsigned shift; } suffixes[] = {
	{ "", 0 },
	{ "k", 10 }, { "kib", 10 }, { "kb", 10 },
	{ "m", 20 }, { "mib", 20 }, { "mb", 20 },
	{ "g", 30 }, { "gib", 30 }, { "gb", 30 },
	{ "t", 40 }, { "tib", 40 }, { "tb", 40 },
	{ "p", 50 }, { "pib", 50 }, { "pb", 50 },
};

int dt_parse_size(const char *s, uint64_t *out, const char **why)
{
	unsigned long long v;
	char *end;

	if (!s || !*s) {
		*why = "empty";
		return -EINVAL;
	}
	if (*s == '-') {
		*why = "negative";
		return -EINVAL;
	}
	if (!isdigit((unsigned char)*s)) {
		*why = "not a number";
		return -EINVAL;
	}
	/* decimal or 0x hex; no octal: 010 is ten */
	bool hex = s[0] == '0' && tolower((unsigned char)s[1]) == 'x';
	const char *digits = hex ? s + 2 : s;

	if (!isxdigit((unsigned char)*digits)) {
		*why = "not a number";
		return -EINVAL;
	}
	errno = 0;
	v = strtoull(digits, &end, hex ? 16 : 10);
	if (errno == ERANGE) {
		*why = "too large";
		return -ERANGE;
	}
	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++) {
		if (strcasecmp(end, suffixes[i].suffix))
			continue;
		if (suffixes[i].shift && v > (UINT64_MAX >> suffixes[i].shift)) {
			*why = "too large";
			return -ERANGE;
		}
		*out = (uint64_t)v << suffixes[i].shift;
		return 0;
	}
	*why = "trailing junk";
	return -EINVAL;
}

int dt_parse_range(const char *s, uint64_t *off, uint64_t *len,
		   bool *has_len, const char **why)
{
	const char *colon = strchr(s, ':');
	char head[64];
	int ret;

	*has_len = false;
	if (!colon)
		return dt_parse_size(s, off, why);
	if ((size_t)(colon - s) >= sizeof(head)) {
		*why = "offset too long";
		return -EINVAL;
	}
	memcpy(head, s, (size_t)(colon - s));
	head[colon - s] = '\0';
	ret = dt_parse_size(head, off, why);
	if (ret)
		return ret;
	ret = dt_parse_size(colon + 1, len, why);
	if (ret)
		return ret;
	if (!*len) {
		*why = "length 0";
		return -EINVAL;
	}
	if (*off + *len < *off) {
		*why = "offset + length overflows";
		return -ERANGE;
	}
	*has_len = true;
	return 0;
}
