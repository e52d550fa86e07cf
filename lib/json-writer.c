// SPDX-License-Identifier: GPL-2.0-only
/* A streaming JSON writer; see include/daxtool/json-writer.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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

void dt_jw_string(struct dt_outbuf *ob, const char *str)
{
	const unsigned char *s = (const unsigned char *)str, *run = s;

	dt_ob_putc(ob, '"');
	for (;;) {
		/* the common case: a run of printable ASCII */
		while (*s >= 0x20 && *s < 0x7f && *s != '"' && *s != '\\')
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

static void newline(struct dt_jw *w)
{
	dt_ob_putc(w->ob, '\n');
	dt_ob_pad(w->ob, (size_t)w->depth * 2);
}

/* Separator, indentation and "key": before a value. The hot path of a
 * long map: the bytes go straight into the buffer. */
static inline void member(struct dt_jw *w, const char *key)
{
	struct dt_outbuf *ob = w->ob;

	if (w->depth > 0) {
		char *b;

		if (!w->st[w->depth].inline_) {
			if (!w->st[w->depth].first)
				dt_ob_putc(ob, ',');
			newline(w);
		} else if (!w->st[w->depth].first) {
			dt_ob_putc(ob, ',');
		}
		if (key) {
			/* keys are the program's identifiers: short, no
			 * escaping */
			char *lim;

			dt_ob_reserve(ob, 64);
			b = ob->buf + ob->len;
			lim = b + 60;	/* local: the stores below alias ob */
			*b++ = '"';
			while (*key && b < lim)
				*b++ = *key++;
			if (*key) {		/* a long one: rare */
				ob->len = (size_t)(b - ob->buf);
				dt_ob_puts(ob, key);
				b = ob->buf + ob->len;
			}
			*b++ = '"';
			*b++ = ':';
			ob->len = (size_t)(b - ob->buf);
		}
	} else if (!w->st[0].first && !w->lines) {
		dt_ob_putc(ob, '\n');	/* a second top-level value */
	}
	w->st[w->depth].first = false;
}

/* After a value: at the top level, in lines, a line ends. */
static inline void after(struct dt_jw *w)
{
	if (w->depth == 0 && w->lines)
		dt_ob_putc(w->ob, '\n');
	dt_ob_maybe_flush(w->ob);
}

static void open_(struct dt_jw *w, const char *key, char open, char close,
		  bool inline_)
{
	member(w, key);
	dt_ob_putc(w->ob, open);
	if (w->depth + 1 >= DT_JW_MAX_DEPTH)
		abort();	/* a programming error, not input */
	w->depth++;
	w->st[w->depth].first = true;
	w->st[w->depth].close = close;
	w->st[w->depth].inline_ = inline_ || w->st[w->depth - 1].inline_;
}

void dt_jw_begin_object(struct dt_jw *w, const char *key, bool inline_)
{
	open_(w, key, '{', '}', inline_);
}

void dt_jw_begin_array(struct dt_jw *w, const char *key, bool inline_)
{
	open_(w, key, '[', ']', inline_);
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

/* Digits written in place: no copy, no call. */
static void put_u64(struct dt_outbuf *ob, uint64_t v)
{
	char tmp[24], *p = dt_utoa(tmp + sizeof(tmp), v, 10), *b;
	size_t n = (size_t)(tmp + sizeof(tmp) - p);

	dt_ob_reserve(ob, sizeof(tmp));
	b = ob->buf + ob->len;
	for (size_t i = 0; i < n; i++)
		b[i] = p[i];
	ob->len += n;
}

void dt_jw_u64(struct dt_jw *w, const char *key, uint64_t v)
{
	member(w, key);
	put_u64(w->ob, v);
	after(w);
}

void dt_jw_i64(struct dt_jw *w, const char *key, int64_t v)
{
	member(w, key);
	if (v < 0)
		dt_ob_putc(w->ob, '-');
	put_u64(w->ob, v < 0 ? -(uint64_t)v : (uint64_t)v);
	after(w);
}

void dt_jw_double(struct dt_jw *w, const char *key, double v)
{
	char tmp[40];

	if (!isfinite(v)) {
		dt_jw_null(w, key);
		return;
	}
	member(w, key);
	snprintf(tmp, sizeof(tmp), "%.9g", v);
	dt_ob_puts(w->ob, tmp);
	after(w);
}

void dt_jw_str(struct dt_jw *w, const char *key, const char *s)
{
	member(w, key);
	dt_jw_string(w->ob, s);
	after(w);
}

void dt_jw_bool(struct dt_jw *w, const char *key, bool v)
{
	member(w, key);
	if (v)
		dt_ob_put(w->ob, "true", 4);
	else
		dt_ob_put(w->ob, "false", 5);
	after(w);
}

void dt_jw_null(struct dt_jw *w, const char *key)
{
	member(w, key);
	dt_ob_put(w->ob, "null", 4);
	after(w);
}
