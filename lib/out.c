// SPDX-License-Identifier: GPL-2.0-only
/* Text or JSON from the same calls; see include/daxtool/out.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>

#include "daxtool/out.h"

#define MAX_DEPTH 16
#define TEXT_FLUSH (64 * 1024)

static struct {
	bool json, human;
	char *buf;
	size_t len, cap;
	int depth;
	bool werr;	/* stdout failed */
	unsigned flushes;	/* text written out so far, in flushes */
	struct { bool first, inline_; char close; } stack[MAX_DEPTH];
} o;

static void grow(size_t n)
{
	size_t cap = o.cap ? o.cap : 65536;

	while (cap < o.len + n)
		cap *= 2;
	char *b = realloc(o.buf, cap);

	if (!b) {
		/* Nothing sane to print: fail loudly rather than truncate. */
		fputs("daxtool: out of memory building output\n", stderr);
		exit(1);
	}
	o.buf = b;
	o.cap = cap;
}

static inline void reserve(size_t n)
{
	if (__builtin_expect(o.len + n > o.cap, 0))
		grow(n);
}

static void put(const char *s, size_t n)
{
	reserve(n);
	memcpy(o.buf + o.len, s, n);
	o.len += n;
}

static void puts_(const char *s)
{
	put(s, strlen(s));
}

static void flush_text(bool force)
{
	if (o.json || (!force && o.len < TEXT_FLUSH))
		return;
	if (o.len && fwrite(o.buf, 1, o.len, stdout) != o.len)
		o.werr = true;	/* reported by dt_out_finish */
	if (o.len)
		o.flushes++;
	o.len = 0;
}

void dt_out_flush_text(void)
{
	flush_text(true);
	if (!o.json)
		fflush(stdout);
}

static void vtext(const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	/* one pass when it fits in what is reserved, which it nearly
	 * always does */
	reserve(256);
	va_copy(aq, ap);
	n = vsnprintf(o.buf + o.len, o.cap - o.len, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	if ((size_t)n >= o.cap - o.len) {
		reserve((size_t)n + 1);
		vsnprintf(o.buf + o.len, (size_t)n + 1, fmt, ap);
	}
	o.len += (size_t)n;
	flush_text(false);
}

static void text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *utoa(char *end, uint64_t v, unsigned base)
{
	static const char digits[] = "0123456789abcdef";

	do {
		*--end = digits[v % base];
		v /= base;
	} while (v);
	return end;
}

/*
 * The rows of a large map are millions of fields: format the one
 * conversion a field has ("%-12s", "%6" PRIu64, "0x%lx") by hand, and
 * leave anything fancier to vsnprintf. Returns false if it did not.
 */
static bool fast_text(const char *fmt, const char *str, uint64_t v)
{
	const char *pct = strchr(fmt, '%'), *p;
	char num[24], *val;
	size_t width = 0, vlen;
	bool left = false;

	if (!pct)
		return false;
	p = pct + 1;
	if (*p == '-') {
		left = true;
		p++;
	}
	while (*p >= '0' && *p <= '9')
		width = width * 10 + (size_t)(*p++ - '0');
	while (*p == 'l')
		p++;
	if (*p == 's' && str) {
		val = (char *)str;
		vlen = strlen(str);
	} else if ((*p == 'u' || *p == 'x') && !str) {
		val = utoa(num + sizeof(num), v, *p == 'x' ? 16 : 10);
		vlen = (size_t)(num + sizeof(num) - val);
	} else {
		return false;
	}
	if (strchr(p + 1, '%') || width > 64)
		return false;
	size_t pad = width > vlen ? width - vlen : 0, tail = strlen(p + 1);
	char *w;

	reserve((size_t)(pct - fmt) + pad + vlen + tail);
	w = o.buf + o.len;
	memcpy(w, fmt, (size_t)(pct - fmt));
	w += pct - fmt;
	if (!left) {
		memset(w, ' ', pad);
		w += pad;
	}
	memcpy(w, val, vlen);
	w += vlen;
	if (left) {
		memset(w, ' ', pad);
		w += pad;
	}
	memcpy(w, p + 1, tail);
	o.len = (size_t)(w + tail - o.buf);
	flush_text(false);
	return true;
}

void dt_out_text(const char *fmt, ...)
{
	va_list ap;

	if (o.json)
		return;
	va_start(ap, fmt);
	vtext(fmt, ap);
	va_end(ap);
}

void dt_out_text_str(const char *fmt, const char *s)
{
	if (!o.json && !fast_text(fmt, s, 0))
		text(fmt, s);
}

static void text(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vtext(fmt, ap);
	va_end(ap);
}

void dt_out_init(bool json, bool human)
{
	o.json = json;
	o.human = human;
	o.len = 0;
	o.depth = 0;
	o.stack[0].first = true;
	o.stack[0].inline_ = false;
}

bool dt_out_json(void)
{
	return o.json;
}

bool dt_out_human(void)
{
	return o.human;
}

static void newline(void)
{
	static const char spaces[] = "                                ";
	int n = o.depth * 2;

	put("\n", 1);
	put(spaces, n < 32 ? (size_t)n : 32);
}

/* Strings that need no escaping go out as they are; json-c escapes the
 * rest (paths can hold anything). */
static void json_string(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
		p++;
	if (!*p) {
		put("\"", 1);
		put(s, (size_t)(p - (const unsigned char *)s));
		put("\"", 1);
		return;
	}

	struct json_object *js = json_object_new_string(s);

	if (!js) {
		puts_("null");
		return;
	}
	puts_(json_object_to_json_string_ext(js, JSON_C_TO_STRING_PLAIN |
					     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(js);
}

/* Separator, indentation and "key": before a JSON value. */
static void member(const char *key)
{
	if (o.depth > 0) {
		if (!o.stack[o.depth].first)
			put(",", 1);
		o.stack[o.depth].first = false;
		if (!o.stack[o.depth].inline_)
			newline();
	}
	if (key && o.depth > 0) {
		/* keys are the program's own identifiers: no escaping */
		size_t n = strlen(key);

		reserve(n + 3);
		o.buf[o.len++] = '"';
		memcpy(o.buf + o.len, key, n);
		o.len += n;
		o.buf[o.len++] = '"';
		o.buf[o.len++] = ':';
	}
}

static void open_(const char *key, char open, char close, bool inline_)
{
	if (!o.json)
		return;
	member(key);
	put(&open, 1);
	if (o.depth + 1 >= MAX_DEPTH)
		abort();	/* a programming error, not input */
	o.depth++;
	o.stack[o.depth].first = true;
	o.stack[o.depth].close = close;
	o.stack[o.depth].inline_ = inline_ || o.stack[o.depth - 1].inline_;
}

static void close_(void)
{
	if (!o.json)
		return;
	bool empty = o.stack[o.depth].first, inl = o.stack[o.depth].inline_;
	char c = o.stack[o.depth].close;

	o.depth--;
	if (!empty && !inl)
		newline();
	put(&c, 1);
}

void dt_out_begin_object(const char *key) { open_(key, '{', '}', false); }
void dt_out_begin_row(const char *key) { open_(key, '{', '}', true); }
void dt_out_end_object(void) { close_(); }
void dt_out_begin_array(const char *key) { open_(key, '[', ']', false); }
void dt_out_begin_inline_array(const char *key) { open_(key, '[', ']', true); }
void dt_out_end_array(void) { close_(); }

static void put_u64(uint64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(p, (size_t)(tmp + sizeof(tmp) - p));
}

void dt_out_u64(const char *key, const char *fmt, uint64_t v)
{
	if (o.json) {
		member(key);
		put_u64(v);
	} else if (fmt && !fast_text(fmt, NULL, v)) {
		text(fmt, v);
	}
}

void dt_out_i64(const char *key, const char *fmt, int64_t v)
{
	if (o.json) {
		member(key);
		if (v < 0)
			put("-", 1);
		put_u64(v < 0 ? -(uint64_t)v : (uint64_t)v);
	} else if (fmt) {
		text(fmt, v);
	}
}

void dt_out_double(const char *key, const char *fmt, double v)
{
	if (o.json) {
		char tmp[64];

		member(key);
		snprintf(tmp, sizeof(tmp), "%.6g", v);
		puts_(tmp);
	} else if (fmt) {
		text(fmt, v);
	}
}

void dt_out_str(const char *key, const char *fmt, const char *s)
{
	if (o.json) {
		member(key);
		json_string(s);
	} else if (fmt && !fast_text(fmt, s, 0)) {
		text(fmt, s);
	}
}

void dt_out_bool(const char *key, const char *fmt, bool v)
{
	if (o.json) {
		member(key);
		puts_(v ? "true" : "false");
	} else if (fmt) {
		text(fmt, v ? "yes" : "no");
	}
}

void dt_out_null(const char *key)
{
	if (o.json) {
		member(key);
		puts_("null");
	}
}

void dt_out_str_opt(const char *key, const char *fmt, const char *s)
{
	if (s && s[0])
		dt_out_str(key, fmt, s);
	else
		dt_out_null(key);
}

void dt_out_bool_opt(const char *key, const char *fmt, int v)
{
	if (v >= 0)
		dt_out_bool(key, fmt, v);
	else
		dt_out_null(key);
}

void dt_out_u64_opt(const char *key, const char *fmt, uint64_t v)
{
	if (v)
		dt_out_u64(key, fmt, v);
	else
		dt_out_null(key);
}

const char *dt_fmt_size(char *buf, size_t len, uint64_t v)
{
	static const char units[] = "KMGTPE";
	int u = -1;
	uint64_t div = 1;

	while (u < 5 && v >= div * 1024) {
		div *= 1024;
		u++;
	}
	if (v % div == 0) {
		char tmp[24], *p = utoa(tmp + 22, v / div, 10);

		tmp[22] = u < 0 ? '\0' : units[u];
		tmp[23] = '\0';
		snprintf(buf, len, "%s", p);	/* rare: only buf's copy */
	} else
		snprintf(buf, len, "%.1f%c", (double)v / (double)div, units[u]);
	return buf;
}

const char *dt_fmt_num(char *buf, size_t len, uint64_t v)
{
	if (o.human)
		return dt_fmt_size(buf, len, v);
	snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

void dt_out_size(const char *key, const char *fmt, uint64_t v)
{
	char tmp[32];

	if (o.json) {
		member(key);
		put_u64(v);
	} else if (fmt) {
		const char *t = o.human ? dt_fmt_size(tmp, sizeof(tmp), v) :
			utoa(tmp + sizeof(tmp) - 1, v, 10);

		tmp[sizeof(tmp) - 1] = '\0';
		if (!fast_text(fmt, t, 0))
			text(fmt, t);
	}
}

void dt_out_addr(const char *key, const char *fmt, uint64_t v)
{
	char tmp[24];

	if (o.json) {
		member(key);
		put_u64(v);
	} else if (fmt) {
		char *t = utoa(tmp + sizeof(tmp) - 1, v, 16);

		tmp[sizeof(tmp) - 1] = '\0';
		*--t = 'x';
		*--t = '0';
		if (!fast_text(fmt, t, 0))
			text(fmt, t);
	}
}

struct dt_out_mark dt_out_mark(void)
{
	return (struct dt_out_mark) {
		.len = o.len, .depth = o.depth, .first = o.stack[o.depth].first,
		.flushes = o.flushes,
	};
}

bool dt_out_rollback(struct dt_out_mark mark)
{
	if (mark.flushes != o.flushes || mark.len > o.len)
		return false;	/* text already written out */
	o.len = mark.len;
	o.depth = mark.depth;
	o.stack[o.depth].first = mark.first;
	return true;
}

int dt_out_finish(void)
{
	if (o.json && o.len)
		put("\n", 1);
	if (o.len && fwrite(o.buf, 1, o.len, stdout) != o.len)
		o.werr = true;
	o.len = 0;
	if (fflush(stdout) != 0 || o.werr)
		return errno ? -errno : -EIO;
	return 0;
}
