// SPDX-License-Identifier: GPL-2.0-only
/* The print layer: text and JSON from the same calls; see
 * include/daxtool/print.h. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxtool/fmt.h"
#include "daxtool/iomap.h"
#include "daxtool/json-writer.h"
#include "daxtool/outbuf.h"
#include "daxtool/print.h"
#include "daxtool/util.h"

#ifndef DAXTOOL_VERSION
#define DAXTOOL_VERSION "unknown"
#endif

/* Write out past this much held output. */
#define FLUSH_AT (64 * 1024)

static struct {
	enum dt_pformat format;
	bool human;
	struct dt_outbuf ob;
	struct dt_jw jw;
} p = { .ob = { .threshold = FLUSH_AT } };

void dt_print_init(enum dt_pformat format, bool human)
{
	p.format = format;
	p.human = human;
	dt_ob_init(&p.ob, stdout, FLUSH_AT);
	dt_jw_init(&p.jw, &p.ob, format == DT_PF_NDJSON);
}

bool dt_print_json(void) { return p.format != DT_PF_TEXT; }
bool dt_print_ndjson(void) { return p.format == DT_PF_NDJSON; }
bool dt_print_human(void) { return p.human; }

static inline bool want_json(enum dt_pmode m)
{
	return (m & DT_JSON) && p.format != DT_PF_TEXT;
}

static inline bool want_text(enum dt_pmode m, const char *fmt)
{
	return (m & DT_TEXT) && fmt && p.format == DT_PF_TEXT;
}

/* --- text --- */

/*
 * @fmt with its one conversion filled by a value: a string, or an integer
 * rendered as the conversion says (x: hex, else decimal). One pass over
 * the format, straight into the buffer: a map prints millions of these.
 * Flags '-' and '0', a width and, for strings, a precision apply; length
 * modifiers are skipped; "%%" is '%'; a second conversion is text.
 */
struct tval {
	const char *s;		/* NULL: the integer u */
	uint64_t u;
};

/* Make room for @n more bytes at *w (a pointer into the buffer). */
static char *room(char *w, size_t n)
{
	struct dt_outbuf *ob = &p.ob;

	if ((size_t)(ob->buf + ob->cap - w) >= n)
		return w;
	ob->len = (size_t)(w - ob->buf);
	dt_ob_reserve(ob, n);
	return ob->buf + ob->len;
}

static void text_emit(const char *fmt, struct tval v)
{
	struct dt_outbuf *ob = &p.ob;
	const char *f = fmt;
	bool done = false;
	char *w = room(ob->buf + ob->len, 64);

	for (;;) {
		bool left = false, zero = false;
		unsigned width = 0;
		int prec = -1;
		char num[24];
		const char *val;
		size_t n, pad;

		/* the literal text, up to the conversion */
		while (*f && (*f != '%' || done || f[1] == '%')) {
			w = room(w, 1);
			*w++ = *f;
			f += *f == '%' && f[1] == '%' ? 2 : 1;
		}
		if (!*f)
			break;
		for (f++;; f++) {
			if (*f == '-')
				left = true;
			else if (*f == '0')
				zero = true;
			else if (*f != '+' && *f != ' ' && *f != '#')
				break;
		}
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (unsigned)(*f++ - '0');
		if (*f == '.')
			for (prec = 0, f++; *f >= '0' && *f <= '9'; f++)
				prec = prec * 10 + (*f - '0');
		while (*f == 'l' || *f == 'h' || *f == 'z' || *f == 'j' ||
		       *f == 'q' || *f == 'L' || *f == 't')
			f++;
		if (v.s) {
			val = v.s;
			n = strlen(val);
			if (*f == 's' && prec >= 0 && (size_t)prec < n)
				n = (size_t)prec;
		} else {
			val = dt_utoa(num + sizeof(num), v.u,
				      *f == 'x' || *f == 'X' ? 16 : 10);
			n = (size_t)(num + sizeof(num) - val);
		}
		if (*f)
			f++;
		done = true;
		if (width > 4096)
			width = 4096;
		pad = width > n ? width - n : 0;
		w = room(w, pad + n);
		if (!left && zero && *val == '-') {	/* -0042, not 00-42 */
			*w++ = *val++;
			n--;
		}
		if (!left) {
			memset(w, zero ? '0' : ' ', pad);
			w += pad;
			pad = 0;
		}
		memcpy(w, val, n);
		w += n;
		memset(w, ' ', pad);
		w += pad;
	}
	ob->len = (size_t)(w - ob->buf);
	dt_ob_maybe_flush(ob);
}

/* A string in text: control characters and bytes that are not UTF-8 (a
 * path can hold any) are escaped, so a value cannot drive the terminal. */
static void text_val(const char *fmt, const char *val)
{
	const unsigned char *c = (const unsigned char *)val;
	char small[256], *esc;
	size_t n;

	while (*c >= 0x20 && *c < 0x7f)
		c++;
	if (!*c) {
		text_emit(fmt, (struct tval){ .s = val });
		return;
	}
	n = dt_escape(NULL, 0, val) + 1;
	esc = n <= sizeof(small) ? small : malloc(n);
	if (!esc) {
		text_emit(fmt, (struct tval){ .s = "?" });
		return;
	}
	dt_escape(esc, n, val);
	text_emit(fmt, (struct tval){ .s = esc });
	if (esc != small)
		free(esc);
}

void dt_print_text(const char *fmt, ...)
{
	va_list ap, aq;
	int n;

	if (p.format != DT_PF_TEXT)
		return;
	if (!strchr(fmt, '%')) {
		dt_ob_puts(&p.ob, fmt);		/* the common case: no value */
		dt_ob_maybe_flush(&p.ob);
		return;
	}
	dt_ob_reserve(&p.ob, 256);
	va_start(ap, fmt);
	va_copy(aq, ap);
	n = vsnprintf(p.ob.buf + p.ob.len, p.ob.cap - p.ob.len, fmt, aq);
	va_end(aq);
	if (n >= 0 && (size_t)n >= p.ob.cap - p.ob.len) {
		dt_ob_reserve(&p.ob, (size_t)n + 1);
		vsnprintf(p.ob.buf + p.ob.len, (size_t)n + 1, fmt, ap);
	}
	va_end(ap);
	if (n > 0)
		p.ob.len += (size_t)n;
	dt_ob_maybe_flush(&p.ob);
}

/* --- containers --- */

void dt_print_begin_object(const char *key)
{
	if (want_json(DT_JSON))
		dt_jw_begin_object(&p.jw, key, false);
}

void dt_print_begin_row(const char *key)
{
	if (want_json(DT_JSON))
		dt_jw_begin_object(&p.jw, key, true);
}

void dt_print_begin_array(const char *key)
{
	if (want_json(DT_JSON))
		dt_jw_begin_array(&p.jw, key, false);
}

void dt_print_begin_inline_array(const char *key)
{
	if (want_json(DT_JSON))
		dt_jw_begin_array(&p.jw, key, true);
}

void dt_print_end_object(void)
{
	if (want_json(DT_JSON))
		dt_jw_end(&p.jw);
}

void dt_print_end_array(void)
{
	dt_print_end_object();
}

void dt_print_meta(void)
{
	if (!want_json(DT_JSON))
		return;
	dt_jw_str(&p.jw, "daxtool", DAXTOOL_VERSION);
	dt_jw_u64(&p.jw, "schema", DT_SCHEMA_VERSION);
}

/* --- values --- */

void dt_print_u64(enum dt_pmode m, const char *key, const char *fmt, uint64_t v)
{
	if (want_json(m))
		dt_jw_u64(&p.jw, key, v);
	else if (want_text(m, fmt))
		text_emit(fmt, (struct tval){ .u = v });
}

void dt_print_i64(enum dt_pmode m, const char *key, const char *fmt, int64_t v)
{
	char tmp[24], *s;

	if (want_json(m)) {
		dt_jw_i64(&p.jw, key, v);
	} else if (want_text(m, fmt)) {
		tmp[sizeof(tmp) - 1] = '\0';
		s = dt_utoa(tmp + sizeof(tmp) - 1,
			    v < 0 ? -(uint64_t)v : (uint64_t)v, 10);
		if (v < 0)
			*--s = '-';
		text_emit(fmt, (struct tval){ .s = s });
	}
}

void dt_print_double(enum dt_pmode m, const char *key, const char *fmt, double v)
{
	if (want_json(m)) {
		dt_jw_double(&p.jw, key, v);
	} else if (want_text(m, fmt)) {
		dt_print_text(fmt, v);	/* a double conversion: printf's own */
	}
}

void dt_print_str(enum dt_pmode m, const char *key, const char *fmt, const char *s)
{
	if (want_json(m))
		dt_jw_str(&p.jw, key, s);
	else if (want_text(m, fmt))
		text_val(fmt, s);
}

void dt_print_bool(enum dt_pmode m, const char *key, const char *fmt, bool v)
{
	if (want_json(m))
		dt_jw_bool(&p.jw, key, v);
	else if (want_text(m, fmt))
		text_emit(fmt, (struct tval){ .s = v ? "yes" : "no" });
}

void dt_print_size(enum dt_pmode m, const char *key, const char *fmt, uint64_t v)
{
	char tmp[32];

	if (want_json(m)) {
		dt_jw_u64(&p.jw, key, v);
	} else if (want_text(m, fmt)) {
		tmp[sizeof(tmp) - 1] = '\0';
		text_emit(fmt, (struct tval){ .s = m & DT_HUMAN || p.human ?
			  dt_fmt_size(tmp, sizeof(tmp), v) :
			  dt_utoa(tmp + sizeof(tmp) - 1, v, 10) });
	}
}

void dt_print_addr(enum dt_pmode m, const char *key, const char *fmt, uint64_t v)
{
	char tmp[24], *s;

	if (want_json(m)) {
		dt_jw_u64(&p.jw, key, v);
	} else if (want_text(m, fmt)) {
		tmp[sizeof(tmp) - 1] = '\0';
		s = dt_utoa(tmp + sizeof(tmp) - 1, v, 16);
		*--s = 'x';
		*--s = '0';
		text_emit(fmt, (struct tval){ .s = s });
	}
}

void dt_print_null(enum dt_pmode m, const char *key, const char *fmt,
		   const char *standin)
{
	if (want_json(m))
		dt_jw_null(&p.jw, key);
	else if (standin && want_text(m, fmt))
		text_val(fmt, standin);
}

/* A value that may be unknown: the value's call when @known, else null
 * with the stand-in. One line per kind: what "unknown" means for it. */
#define PRINT_OPT(kind, type, known)					\
void dt_print_##kind##_opt(enum dt_pmode m, const char *key,		\
			   const char *fmt, type v, const char *standin)\
{									\
	if (known)							\
		dt_print_##kind(m, key, fmt, v);			\
	else								\
		dt_print_null(m, key, fmt, standin);			\
}

PRINT_OPT(str, const char *, v && v[0])
PRINT_OPT(u64, uint64_t, v != 0)
PRINT_OPT(size, uint64_t, v != 0)
PRINT_OPT(addr, uint64_t, v != DT_NO_ADDR)
PRINT_OPT(bool, int, v >= 0)
PRINT_OPT(i64, int64_t, v >= 0)
PRINT_OPT(double, double, !isnan(v))

/* --- failures and the end --- */

struct dt_print_mark dt_print_mark(void)
{
	return (struct dt_print_mark) {
		.pos = dt_ob_pos(&p.ob), .depth = p.jw.depth,
		.first = p.jw.st[p.jw.depth].first,
	};
}

bool dt_print_rollback(struct dt_print_mark mark)
{
	if (mark.depth > p.jw.depth || !dt_ob_truncate(&p.ob, mark.pos))
		return false;
	p.jw.depth = mark.depth;
	p.jw.st[mark.depth].first = mark.first;
	return true;
}

bool dt_print_fail(struct dt_print_mark mark, const char *path,
		   const char *error)
{
	bool dropped = dt_print_rollback(mark);

	if (!dt_print_json())
		return dropped;
	if (dropped || p.format == DT_PF_NDJSON) {
		dt_jw_end_to(&p.jw, mark.depth);
		dt_jw_begin_object(&p.jw, NULL, p.format == DT_PF_NDJSON);
		if (p.format == DT_PF_NDJSON)
			dt_jw_str(&p.jw, "record", "error");
		dt_print_meta();
		dt_jw_str(&p.jw, "path", path);
	} else {
		dt_jw_end_to(&p.jw, mark.depth + 1);
	}
	dt_jw_str(&p.jw, "error", error);
	dt_jw_end(&p.jw);
	return dropped;
}

void dt_print_flush(void)
{
	dt_ob_flush(&p.ob);
}

int dt_print_finish(void)
{
	if (p.format == DT_PF_JSON && dt_ob_pos(&p.ob))
		dt_ob_putc(&p.ob, '\n');
	return dt_ob_flush(&p.ob);
}

const char *dt_fmt_num(char *buf, size_t len, uint64_t v)
{
	if (p.human)
		return dt_fmt_size(buf, len, v);
	snprintf(buf, len, "%" PRIu64, v);
	return buf;
}
