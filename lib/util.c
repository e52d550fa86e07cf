// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "daxtool/print.h"
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

/*
 * UTF-8 as RFC 3629 has it: the lead byte decides the length and the range
 * of the second byte (no overlong forms, no surrogates, nothing past
 * U+10FFFF); the bytes after that are 0x80-0xbf.
 */
static const struct {
	unsigned char lead_lo, lead_hi, len, next_lo, next_hi;
} utf8_leads[] = {
	{ 0x00, 0x7f, 1, 0, 0 },
	{ 0xc2, 0xdf, 2, 0x80, 0xbf },
	{ 0xe0, 0xe0, 3, 0xa0, 0xbf },
	{ 0xe1, 0xec, 3, 0x80, 0xbf },
	{ 0xed, 0xed, 3, 0x80, 0x9f },
	{ 0xee, 0xef, 3, 0x80, 0xbf },
	{ 0xf0, 0xf0, 4, 0x90, 0xbf },
	{ 0xf1, 0xf3, 4, 0x80, 0xbf },
	{ 0xf4, 0xf4, 4, 0x80, 0x8f },
};

size_t dt_utf8_len(const unsigned char *s, size_t n)
{
	for (size_t i = 0; n && i < ARRAY_SIZE(utf8_leads); i++) {
		size_t len = utf8_leads[i].len;

		if (s[0] < utf8_leads[i].lead_lo || s[0] > utf8_leads[i].lead_hi)
			continue;
		if (len == 1)
			return 1;
		if (n < len || s[1] < utf8_leads[i].next_lo ||
		    s[1] > utf8_leads[i].next_hi)
			return 0;
		for (size_t k = 2; k < len; k++)
			if (s[k] < 0x80 || s[k] > 0xbf)
				return 0;
		return len;
	}
	return 0;
}

/* C0 controls, DEL, and the C1 controls U+0080-U+009F (CSI is U+009B) */
static bool is_control(const unsigned char *s, size_t len)
{
	return (len == 1 && (s[0] < 0x20 || s[0] == 0x7f)) ||
	       (len == 2 && s[0] == 0xc2 && s[1] < 0xa0);
}

size_t dt_escape(char *dst, size_t n, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t left = strlen(src), need = 0, used = 0;
	bool full = false;

	while (left) {
		size_t len = dt_utf8_len(s, left);
		char esc[4 * 4 + 1];
		const char *piece = (const char *)s;
		size_t plen = len;

		if (!len || is_control(s, len)) {
			len = len ? len : 1;
			for (size_t i = 0; i < len; i++)
				snprintf(esc + 4 * i, 5, "\\x%02x", s[i]);
			piece = esc;
			plen = 4 * len;
		}
		/* a piece goes in whole or not at all, nor anything after */
		full = full || used + plen >= n;
		if (!full) {
			memcpy(dst + used, piece, plen);
			used += plen;
		}
		need += plen;
		s += len;
		left -= len;
	}
	if (n)
		dst[used] = '\0';
	return need;
}

/*
 * Every message goes through here: what it quotes (paths, values given
 * on the command line, strings read from a file) may hold anything, so
 * it is escaped whole, once, and written with one call.
 */
void dt_verr(const char *fmt, va_list ap)
{
	char *msg, *safe = NULL;
	size_t n;

	dt_print_flush();	/* what was printed before comes before */
	if (vasprintf(&msg, fmt, ap) < 0) {
		fputs("daxtool: out of memory formatting a message\n", stderr);
		return;
	}
	n = dt_escape(NULL, 0, msg) + 1;
	safe = malloc(n);
	if (safe)
		dt_escape(safe, n, msg);
	fprintf(stderr, "daxtool: %s%s%s\n", cmd_name ? cmd_name : "",
		cmd_name ? ": " : "",
		safe ? safe : "out of memory escaping a message");
	free(safe);
	free(msg);
}

void dt_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dt_verr(fmt, ap);
	va_end(ap);
}

void dt_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dt_verr(fmt, ap);
	va_end(ap);
}

/* Case does not matter: 4k, 4K, 4KiB and 4kb are all 4096. */
static const struct { const char *suffix; unsigned shift; } suffixes[] = {
	{ "", 0 },
	{ "k", 10 }, { "kib", 10 }, { "kb", 10 },
	{ "m", 20 }, { "mib", 20 }, { "mb", 20 },
	{ "g", 30 }, { "gib", 30 }, { "gb", 30 },
	{ "t", 40 }, { "tib", 40 }, { "tb", 40 },
	{ "p", 50 }, { "pib", 50 }, { "pb", 50 },
	{ "e", 60 }, { "eib", 60 }, { "eb", 60 },
};

static const char too_large[] = "too large: more than 2^64 - 1 (16E - 1)";

static int digit_value(char c, unsigned base)
{
	int v = isdigit((unsigned char)c) ? c - '0' :
		isxdigit((unsigned char)c) ? tolower((unsigned char)c) - 'a' + 10 :
		-1;

	return v >= 0 && (unsigned)v < base ? v : -1;
}

/* s[0..n): digits in @base, then a suffix; no sign, no blanks, no NUL */
static int parse_size_n(const char *s, size_t n, uint64_t *out,
			const char **why)
{
	bool hex = n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	unsigned base = hex ? 16 : 10;
	size_t i = hex ? 2 : 0, first = i;
	uint64_t v = 0;
	bool over = false;
	int d;

	if (!n) {
		*why = "empty";
		return -EINVAL;
	}
	if (s[0] == '-') {
		*why = "negative";
		return -EINVAL;
	}
	/* decimal or 0x hex; no octal: 010 is ten */
	for (; i < n && (d = digit_value(s[i], base)) >= 0; i++) {
		over = over || v > (UINT64_MAX - (unsigned)d) / base;
		v = v * base + (unsigned)d;
	}
	if (i == first) {
		*why = "not a number";
		return -EINVAL;
	}
	for (size_t k = 0; k < ARRAY_SIZE(suffixes); k++) {
		const char *sfx = suffixes[k].suffix;
		unsigned shift = suffixes[k].shift;

		if (strlen(sfx) != n - i || strncasecmp(s + i, sfx, n - i))
			continue;
		if (over || (shift && v > (UINT64_MAX >> shift))) {
			*why = too_large;
			return -ERANGE;
		}
		*out = v << shift;
		return 0;
	}
	*why = "trailing junk";
	return -EINVAL;
}

int dt_parse_size(const char *s, uint64_t *out, const char **why)
{
	return parse_size_n(s ? s : "", s ? strlen(s) : 0, out, why);
}

/* Which side of OFF:LEN was wrong, for the reason; one per thread. */
static const char *range_why(const char *side, const char *why)
{
	static __thread char buf[96];

	snprintf(buf, sizeof(buf), "%s: %s", side, why);
	return buf;
}

int dt_parse_range(const char *s, uint64_t *off, uint64_t *len,
		   bool *has_len, const char **why)
{
	const char *colon = strchr(s, ':');
	int ret;

	*has_len = false;
	if (!colon)
		return dt_parse_size(s, off, why);
	ret = parse_size_n(s, (size_t)(colon - s), off, why);
	if (ret) {
		*why = range_why("offset", *why);
		return ret;
	}
	ret = dt_parse_size(colon + 1, len, why);
	if (ret) {
		*why = range_why("length", *why);
		return ret;
	}
	if (!*len) {
		*why = "length 0";
		return -EINVAL;
	}
	if (*len > UINT64_MAX - *off) {
		*why = "offset + length overflows: the end is past 2^64 - 1";
		return -ERANGE;
	}
	*has_len = true;
	return 0;
}

int dt_grow(void **mem, size_t *cap, size_t need, size_t unit)
{
	size_t n = *cap ? *cap : 16;
	void *m;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	m = realloc(*mem, n * unit);
	if (!m)
		return -ENOMEM;
	*mem = m;
	*cap = n;
	return 0;
}

int dt_read_u64(const char *path, uint64_t *v)
{
	FILE *f = fopen(path, "re");
	unsigned long long n;
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%llu", &n) == 1;
	fclose(f);
	if (!ok) {
		errno = EINVAL;
		return -1;
	}
	*v = n;
	return 0;
}
