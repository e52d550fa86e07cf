// SPDX-License-Identifier: GPL-2.0-only
/* A streaming JSON writer; see include/daxtool/json-writer.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxtool/fmt.h"
#include "daxtool/json-writer.h"

void dt_jw_init(struct dt_jw *w, struct dt_outbuf *ob, bool lines)
{
	w->ob = ob;
	w->lines = lines;
	w->depth = 0;
	w->st[0].first = true;
	w->st[0].inline_ = lines;
	w->st[0].close = 0;
}

/* The length of the valid UTF-8 sequence at p, or 0 (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF). */
static size_t utf8_len(const unsigned char *p)
{
	unsigned c = p[0], lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		lo = c == 0xe0 ? 0xa0 : lo;
		hi = c == 0xed ? 0x9f : hi;
		return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		lo = c == 0xf0 ? 0x90 : lo;
		hi = c == 0xf4 ? 0x8f : hi;
		return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 &&
		       (p[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

/* What a byte below 0x20 (and DEL) becomes; 0: \u00XX. */
static const char short_escape[0x20] = {
	['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n', ['\f'] = 'f', ['\r'] = 'r',
};

/* Bytes that go into a JSON string as they are: printable ASCII but the
 * quote and the backslash. */
static const bool plain[256] = {
	[0x20 ... 0x21] = true, [0x23 ... 0x5b] = true, [0x5d ... 0x7e] = true,
};

void dt_jw_string(struct dt_outbuf *ob, const char *str)
{
	const unsigned char *s = (const unsigned char *)str, *run = s;
	char *b;

	while (plain[*s])
		s++;
	if (!*s) {	/* the common case: nothing to escape */
		size_t n = (size_t)(s - run);

		dt_ob_reserve(ob, n + 2);
		b = ob->buf + ob->len;
		*b++ = '"';
		dt_copy_short(b, (const char *)run, n);
		b[n] = '"';
		ob->len += n + 2;
		return;
	}
	dt_ob_putc(ob, '"');
	for (;;) {
		while (plain[*s])
			s++;
		dt_ob_put(ob, (const char *)run, (size_t)(s - run));
		if (!*s)
			break;
		if (*s == '"' || *s == '\\') {
			char e[2] = { '\\', (char)*s };

			dt_ob_put(ob, e, 2);
			s++;
		} else if (*s < 0x20 || *s == 0x7f) {
			char e[7];

			if (*s < 0x20 && short_escape[*s]) {
				dt_ob_putc(ob, '\\');
				dt_ob_putc(ob, short_escape[*s]);
			} else {
				snprintf(e, sizeof(e), "\\u%04x", *s);
				dt_ob_put(ob, e, 6);
			}
			s++;
		} else {
			size_t n = utf8_len(s);

			if (n)
				dt_ob_put(ob, (const char *)s, n);
			else
				dt_ob_put(ob, "\\ufffd", 6);
			s += n ? n : 1;
		}
		run = s;
	}
	dt_ob_putc(ob, '"');
}

static const char indent[1 + 2 * DT_JW_MAX_DEPTH] = "\n"
	"                                ";

/* A new line, indented to the depth, at b, where there is room. */
static inline char *newline_at(const struct dt_jw *w, char *b)
{
	size_t n = 1 + (size_t)w->depth * 2;

	dt_copy_short(b, indent, n);
	return b + n;
}

static void newline(struct dt_jw *w)
{
	dt_ob_reserve(w->ob, sizeof(indent));
	w->ob->len = (size_t)(newline_at(w, w->ob->buf + w->ob->len) -
			      w->ob->buf);
}

/* Separator, indentation and "key": before a value. The hot path of a
 * long map: the bytes go straight into the buffer, room made once. */
static inline __attribute__((always_inline)) void member(struct dt_jw *w,
							const char *key, size_t n)
{
	struct dt_outbuf *ob = w->ob;
	bool first = w->st[w->depth].first;
	char *b;

	w->st[w->depth].first = false;
	if (w->depth == 0) {
		if (!first && !w->lines)
			dt_ob_putc(ob, '\n');	/* a second top-level value */
		return;
	}
	dt_ob_reserve(ob, 1 + sizeof(indent) + n + 3);
	b = ob->buf + ob->len;
	if (!first)
		*b++ = ',';
	if (!w->st[w->depth].inline_)
		b = newline_at(w, b);
	if (key) {
		/* keys are the program's identifiers: no escaping */
		*b++ = '"';
		dt_copy_short(b, key, n);
		b += n;
		*b++ = '"';
		*b++ = ':';
	}
	ob->len = (size_t)(b - ob->buf);
}

/* After a value: at the top level, in lines, a line ends. */
static inline void after(struct dt_jw *w)
{
	if (w->depth == 0 && w->lines)
		dt_ob_putc(w->ob, '\n');
	dt_ob_maybe_flush(w->ob);
}

static void open_(struct dt_jw *w, const char *key, size_t klen, char open,
		  char close, bool inline_)
{
	member(w, key, klen);
	dt_ob_putc(w->ob, open);
	if (w->depth + 1 >= DT_JW_MAX_DEPTH)
		abort();	/* a programming error, not input */
	w->depth++;
	w->st[w->depth].first = true;
	w->st[w->depth].close = close;
	w->st[w->depth].inline_ = inline_ || w->st[w->depth - 1].inline_;
}

void dt_jw_begin_object_k(struct dt_jw *w, const char *key, size_t klen,
			  bool inline_)
{
	open_(w, key, klen, '{', '}', inline_);
}

void dt_jw_begin_array_k(struct dt_jw *w, const char *key, size_t klen,
			 bool inline_)
{
	open_(w, key, klen, '[', ']', inline_);
}

void dt_jw_end(struct dt_jw *w)
{
	bool empty = w->st[w->depth].first, inl = w->st[w->depth].inline_;
	char c = w->st[w->depth].close;

	if (w->depth == 0)
		abort();	/* more ends than begins: a programming error */
	w->depth--;
	if (!empty && !inl)
		newline(w);
	dt_ob_putc(w->ob, c);
	after(w);
}

void dt_jw_end_to(struct dt_jw *w, int depth)
{
	while (w->depth > depth)
		dt_jw_end(w);
}

/* Digits written in place, from the last: no copy. */
static void put_u64(struct dt_outbuf *ob, uint64_t v)
{
	size_t n = dt_udigits(v);

	dt_ob_reserve(ob, 20);
	dt_utoa(ob->buf + ob->len + n, v, 10);
	ob->len += n;
}

void dt_jw_u64_k(struct dt_jw *w, const char *key, size_t klen, uint64_t v)
{
	member(w, key, klen);
	put_u64(w->ob, v);
	after(w);
}

void dt_jw_i64_k(struct dt_jw *w, const char *key, size_t klen, int64_t v)
{
	member(w, key, klen);
	if (v < 0)
		dt_ob_putc(w->ob, '-');
	put_u64(w->ob, v < 0 ? -(uint64_t)v : (uint64_t)v);
	after(w);
}

void dt_jw_double_k(struct dt_jw *w, const char *key, size_t klen, double v)
{
	char tmp[40];

	if (!isfinite(v)) {
		dt_jw_null_k(w, key, klen);
		return;
	}
	member(w, key, klen);
	snprintf(tmp, sizeof(tmp), "%.9g", v);
	dt_ob_puts(w->ob, tmp);
	after(w);
}

void dt_jw_str_k(struct dt_jw *w, const char *key, size_t klen, const char *s)
{
	member(w, key, klen);
	dt_jw_string(w->ob, s);
	after(w);
}

void dt_jw_bool_k(struct dt_jw *w, const char *key, size_t klen, bool v)
{
	member(w, key, klen);
	if (v)
		dt_ob_put(w->ob, "true", 4);
	else
		dt_ob_put(w->ob, "false", 5);
	after(w);
}

void dt_jw_null_k(struct dt_jw *w, const char *key, size_t klen)
{
	member(w, key, klen);
	dt_ob_put(w->ob, "null", 4);
	after(w);
}
