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
 * rendered as the conversion says (x: hex, else decimal). Flags '-' and
 * '0', a width and, for strings, a precision apply; length modifiers are
 * skipped; "%%" is '%'; a second conversion is text. A map prints
 * millions of these, so a format is parsed once where its call site can
 * keep it (struct dt_tfmt, a literal's) and the bytes go straight into
 * the buffer.
 */
struct tval {
	const char *s;		/* NULL: the integer u */
	size_t n;		/* strlen(s), or SIZE_MAX: not yet known */
	uint64_t u;
};

static void parse_fmt(const char *fmt, struct dt_tfmt *t)
{
	const char *f = fmt;

	*t = (struct dt_tfmt){ .pre = fmt, .prec = -1 };
	while (*f && (*f != '%' || f[1] == '%')) {
		t->pct |= *f == '%';
		f += *f == '%' ? 2 : 1;
	}
	t->npre = (size_t)(f - fmt);
	if (*f) {
		t->conv = true;
		for (f++;; f++) {
			if (*f == '-')
				t->left = true;
			else if (*f == '0')
				t->zero = true;
			else if (*f != '+' && *f != ' ' && *f != '#')
				break;
		}
		while (*f >= '0' && *f <= '9' && t->width < 4096)
			t->width = t->width * 10 + (unsigned)(*f++ - '0');
		while (*f >= '0' && *f <= '9')
			f++;
		if (t->width > 4096)
			t->width = 4096;
		if (*f == '.')
			for (t->prec = 0, f++; *f >= '0' && *f <= '9'; f++)
				if (t->prec < 100000)
					t->prec = t->prec * 10 + (*f - '0');
		while (*f == 'l' || *f == 'h' || *f == 'z' || *f == 'j' ||
		       *f == 'q' || *f == 'L' || *f == 't')
			f++;
		t->hex = *f == 'x' || *f == 'X';
		t->str = *f == 's';
		if (*f)
			f++;
	}
	t->post = f;
	t->npost = strlen(f);
	t->pct |= memchr(f, '%', t->npost) != NULL;
	/* short literals kept whole, to go out in one fixed-size move */
	t->short_ = !t->pct && t->npre <= sizeof(t->pre_buf) &&
		    t->npost <= sizeof(t->post_buf);
	if (t->short_) {
		memcpy(t->pre_buf, t->pre, t->npre);
		memcpy(t->post_buf, t->post, t->npost);
	}
	t->fmt = fmt;	/* last: the parse is whole */
}

/* Make room for @n more bytes at w, a place in the buffer. */
static inline char *room(char *w, size_t n)
{
	struct dt_outbuf *ob = &p.ob;

	if (__builtin_expect((size_t)(ob->buf + ob->cap - w) >= n, 1))
		return w;
	ob->len = (size_t)(w - ob->buf);
	dt_ob_reserve(ob, n);
	return ob->buf + ob->len;
}

static const char spaces[32] = "                                ";

/* @n copies of @c at w, with 32 bytes of room past them */
static inline char *fill(char *w, char c, size_t n)
{
	if (c == ' ' && n <= sizeof(spaces))
		memcpy(w, spaces, sizeof(spaces));
	else
		memset(w, c, n);
	return w + n;
}

/* Literal text at w: "%%" and a lone '%' are '%', where @pct says the
 * text holds any. */
static inline char *literal(char *w, const char *s, size_t n, bool pct)
{
	if (!pct) {
		dt_copy_short(w, s, n);
		return w + n;
	}
	for (size_t i = 0; i < n; i++) {
		*w++ = s[i];
		i += s[i] == '%' && s[i + 1] == '%';
	}
	return w;
}

static void text_emit(const char *fmt, struct dt_tfmt *tf, struct tval v)
{
	struct dt_outbuf *ob = &p.ob;
	struct dt_tfmt own;
	const struct dt_tfmt *t = tf && tf->fmt == fmt ? tf : &own;
	char num[48], *w;
	const char *val;
	size_t n, pad;

	if (t == &own) {
		parse_fmt(fmt, &own);
		if (tf)
			*tf = own;
	}
	if (!t->conv) {
		w = room(ob->buf + ob->len, t->npre + t->npost);
		w = literal(w, t->pre, t->npre, t->pct);
		ob->len = (size_t)(w - ob->buf);
		dt_ob_maybe_flush(ob);
		return;
	}
	if (v.s) {
		val = v.s;
		n = v.n != SIZE_MAX ? v.n : strlen(val);
		if (t->str && t->prec >= 0 && (size_t)t->prec < n)
			n = (size_t)t->prec;
	} else {
		val = dt_utoa(num + 24, v.u, t->hex ? 16 : 10);
		n = (size_t)(num + 24 - val);
	}
	pad = t->width > n ? t->width - n : 0;
	/* room for fixed-size moves past each piece, too */
	w = room(ob->buf + ob->len, t->npre + pad + n + t->npost + 64);
	if (t->short_) {
		memcpy(w, t->pre_buf, sizeof(t->pre_buf));
		w += t->npre;
	} else {
		w = literal(w, t->pre, t->npre, t->pct);
	}
	if (!t->left && t->zero && n && *val == '-') {	/* -0042, not 00-42 */
		*w++ = *val++;
		n--;
	}
	if (!t->left)
		w = fill(w, t->zero ? '0' : ' ', pad);
	if (!v.s)
		memcpy(w, val, 24);	/* the digits, in num's second half */
	else
		dt_copy_short(w, val, n);
	w += n;
	if (t->left)
		w = fill(w, ' ', pad);
	if (t->short_) {
		memcpy(w, t->post_buf, sizeof(t->post_buf));
		w += t->npost;
	} else {
		w = literal(w, t->post, t->npost, t->pct);
	}
	ob->len = (size_t)(w - ob->buf);
	dt_ob_maybe_flush(ob);
}

/* A string in text: control characters and bytes that are not UTF-8 (a
 * path can hold any) are escaped, so a value cannot drive the terminal. */
static void text_val(const char *fmt, struct dt_tfmt *tf, const char *val)
{
	const unsigned char *c = (const unsigned char *)val;
	char small[256], *esc;
	size_t n;

	while (*c >= 0x20 && *c < 0x7f)
		c++;
	if (!*c) {
		text_emit(fmt, tf, (struct tval){ .s = val,
			  .n = (size_t)((const char *)c - val) });
		return;
	}
	n = dt_escape(NULL, 0, val) + 1;
	esc = n <= sizeof(small) ? small : malloc(n);
	if (!esc) {
		text_emit(fmt, tf, (struct tval){ .s = "?", .n = 1 });
		return;
	}
	dt_escape(esc, n, val);
	text_emit(fmt, tf, (struct tval){ .s = esc, .n = SIZE_MAX });
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

void dt_print_begin_object_k(const char *key, size_t klen)
{
	if (want_json(DT_JSON))
		dt_jw_begin_object_k(&p.jw, key, klen, false);
}

void dt_print_begin_row_k(const char *key, size_t klen)
{
	if (want_json(DT_JSON))
		dt_jw_begin_object_k(&p.jw, key, klen, true);
}

void dt_print_begin_array_k(const char *key, size_t klen)
{
	if (want_json(DT_JSON))
		dt_jw_begin_array_k(&p.jw, key, klen, false);
}

void dt_print_begin_inline_array_k(const char *key, size_t klen)
{
	if (want_json(DT_JSON))
		dt_jw_begin_array_k(&p.jw, key, klen, true);
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

void dt_print_u64_k(enum dt_pmode m, const char *key, size_t klen,
		     const char *fmt, struct dt_tfmt *tf,
		     uint64_t v)
{
	if (want_json(m))
		dt_jw_u64_k(&p.jw, key, klen, v);
	else if (want_text(m, fmt))
		text_emit(fmt, tf, (struct tval){ .u = v });
}

void dt_print_i64_k(enum dt_pmode m, const char *key, size_t klen,
		     const char *fmt, struct dt_tfmt *tf,
		     int64_t v)
{
	char tmp[24], *s;

	if (want_json(m)) {
		dt_jw_i64_k(&p.jw, key, klen, v);
	} else if (want_text(m, fmt)) {
		tmp[sizeof(tmp) - 1] = '\0';
		s = dt_utoa(tmp + sizeof(tmp) - 1,
			    v < 0 ? -(uint64_t)v : (uint64_t)v, 10);
		if (v < 0)
			*--s = '-';
		text_emit(fmt, tf, (struct tval){ .s = s, .n = SIZE_MAX });
	}
}

void dt_print_double_k(enum dt_pmode m, const char *key, size_t klen,
		     const char *fmt, struct dt_tfmt *tf,
		     double v)
{
	(void)tf;	/* a double goes to printf */
	if (want_json(m)) {
		dt_jw_double_k(&p.jw, key, klen, v);
	} else if (want_text(m, fmt)) {
		dt_print_text(fmt, v);	/* a double conversion: printf's own */
	}
}

void dt_print_str_k(enum dt_pmode m, const char *key, size_t klen,
		     const char *fmt, struct dt_tfmt *tf,
		     const char *s)
{
	if (want_json(m))
		dt_jw_str_k(&p.jw, key, klen, s);
	else if (want_text(m, fmt))
		text_val(fmt, tf, s);
}

void dt_print_bool_k(enum dt_pmode m, const char *key, size_t klen,
		     const char *fmt, struct dt_tfmt *tf,
		     bool v)
{
	if (want_json(m))
		dt_jw_bool_k(&p.jw, key, klen, v);
	else if (want_text(m, fmt))
		text_emit(fmt, tf, (struct tval){ .s = v ? "yes" : "no",
			  .n = v ? 3 : 2 });
}

void dt_print_size_k(enum dt_pmode m, const char *key, size_t klen,
		     const char *fmt, struct dt_tfmt *tf,
		     uint64_t v)
{
	char tmp[32], *end = tmp + sizeof(tmp) - 1;

	if (want_json(m)) {
		dt_jw_u64_k(&p.jw, key, klen, v);
	} else if (want_text(m, fmt) && (m & DT_HUMAN || p.human)) {
		text_emit(fmt, tf, (struct tval){ .n = SIZE_MAX,
			  .s = dt_fmt_size(tmp, sizeof(tmp), v) });
	} else if (want_text(m, fmt)) {
		const char *s = dt_utoa(end, v, 10);

		*end = '\0';
		text_emit(fmt, tf, (struct tval){ .s = s,
			  .n = (size_t)(end - s) });
	}
}

void dt_print_addr_k(enum dt_pmode m, const char *key, size_t klen,
		     const char *fmt, struct dt_tfmt *tf,
		     uint64_t v)
{
	char tmp[24], *s;

	if (want_json(m)) {
		dt_jw_u64_k(&p.jw, key, klen, v);
	} else if (want_text(m, fmt)) {
		tmp[sizeof(tmp) - 1] = '\0';
		s = dt_utoa(tmp + sizeof(tmp) - 1, v, 16);
		*--s = 'x';
		*--s = '0';
		text_emit(fmt, tf, (struct tval){ .s = s,
			  .n = (size_t)(tmp + sizeof(tmp) - 1 - s) });
	}
}

void dt_print_null_k(enum dt_pmode m, const char *key, size_t klen,
		     const char *fmt, struct dt_tfmt *tf, const char *standin)
{
	if (want_json(m))
		dt_jw_null_k(&p.jw, key, klen);
	else if (standin && want_text(m, fmt))
		text_val(fmt, tf, standin);
}

/* A value that may be unknown: the value's call when @known, else null
 * with the stand-in. One line per kind: what "unknown" means for it. */
#define PRINT_OPT(kind, type, known)					\
void dt_print_##kind##_opt_k(enum dt_pmode m, const char *key,		\
			     size_t klen, const char *fmt,		\
			     struct dt_tfmt *tf, type v,		\
			     const char *standin)			\
{									\
	if (known)							\
		dt_print_##kind##_k(m, key, klen, fmt, tf, v);		\
	else								\
		dt_print_null_k(m, key, klen, fmt, tf, standin);	\
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
