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

/* The format @fmt, parsed: the call site's own if it keeps one (@tf),
 * else @own. */
static inline const struct dt_tfmt *tfmt(const char *fmt, struct dt_tfmt *tf,
					 struct dt_tfmt *own)
{
	if (tf && tf->fmt == fmt)
		return tf;
	parse_fmt(fmt, own);
	if (tf)
		*tf = *own;
	return own;
}

/* The value @val, @n bytes, at w as @t says, with the text around it;
 * room for t->npre + t->width + n + t->npost + 64 bytes is there. A
 * value in the second half of a 48-byte buffer (@in_num: digits) moves
 * in one fixed-size copy. */
static inline __attribute__((always_inline)) char *
text_put(char *w, const struct dt_tfmt *t, const char *val, size_t n,
	 bool in_num)
{
	size_t pad = t->width > n ? t->width - n : 0;

	if (t->short_) {
		memcpy(w, t->pre_buf, sizeof(t->pre_buf));
		w += t->npre;
	} else {
		w = literal(w, t->pre, t->npre, t->pct);
	}
	if (!t->conv)
		return literal(w, t->post, t->npost, t->pct);
	if (!t->left && t->zero && n && *val == '-') {	/* -0042, not 00-42 */
		*w++ = *val++;
		n--;
	}
	if (!t->left)
		w = fill(w, t->zero ? '0' : ' ', pad);
	if (in_num)
		memcpy(w, val, 24);
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
	return w;
}

/* The value: the string @vs of @vn bytes (SIZE_MAX: not yet counted), or,
 * where @vs is NULL, the integer @vu. */
static void text_emit(const char *fmt, struct dt_tfmt *tf, const char *vs,
		      size_t vn, uint64_t vu)
{
	struct dt_outbuf *ob = &p.ob;
	struct dt_tfmt own;
	const struct dt_tfmt *t = tfmt(fmt, tf, &own);
	char num[48], *w;
	const char *val;
	size_t n;

	if (vs) {
		val = vs;
		n = vn != SIZE_MAX ? vn : strlen(val);
		if (t->str && t->prec >= 0 && (size_t)t->prec < n)
			n = (size_t)t->prec;
	} else {
		val = dt_utoa(num + 24, vu, t->hex ? 16 : 10);
		n = (size_t)(num + 24 - val);
	}
	w = room(ob->buf + ob->len, t->npre + t->width + n + t->npost + 64);
	w = text_put(w, t, val, n, !vs);
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
		text_emit(fmt, tf, val, (size_t)((const char *)c - val), 0);
		return;
	}
	n = dt_escape(NULL, 0, val) + 1;
	esc = n <= sizeof(small) ? small : malloc(n);
	if (!esc) {
		text_emit(fmt, tf, "?", 1, 0);
		return;
	}
	dt_escape(esc, n, val);
	text_emit(fmt, tf, esc, SIZE_MAX, 0);
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

/* A number's characters in text, as its type says: a size ("2M" where
 * @human), an address ("0x..."), or a count (hex where @hex): in @num,
 * with 24 bytes of it from the first one on. */
static inline __attribute__((always_inline)) const char *
num_text(enum dt_ctype type, bool human, bool hex, uint64_t u, char num[48],
	 size_t *n)
{
	char *val;

	if (type == DT_C_SIZE && human) {
		dt_fmt_size(num, 24, u);
		*n = strlen(num);
		return num;
	}
	val = dt_utoa(num + 24, u, type == DT_C_ADDR || hex ? 16 : 10);
	if (type == DT_C_ADDR) {
		*--val = 'x';
		*--val = '0';
	}
	*n = (size_t)(num + 24 - val);
	return val;
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

void dt_print_end_row(void)
{
	if (p.format == DT_PF_TEXT) {
		dt_ob_putc(&p.ob, '\n');
		dt_ob_maybe_flush(&p.ob);
	} else {
		dt_jw_end(&p.jw);
	}
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
		text_emit(fmt, tf, NULL, 0, v);
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
		text_emit(fmt, tf, s, SIZE_MAX, 0);
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
		text_emit(fmt, tf, v ? "yes" : "no", v ? 3 : 2, 0);
}

/* A size or an address: a number in JSON, as num_text() says in text. */
static void num_k(enum dt_ctype type, enum dt_pmode m, const char *key,
		  size_t klen, const char *fmt, struct dt_tfmt *tf, uint64_t v)
{
	char num[48];
	const char *s;
	size_t n;

	if (want_json(m)) {
		dt_jw_u64_k(&p.jw, key, klen, v);
	} else if (want_text(m, fmt)) {
		s = num_text(type, m & DT_HUMAN || p.human, false, v, num, &n);
		text_emit(fmt, tf, s, n, 0);
	}
}

void dt_print_size_k(enum dt_pmode m, const char *key, size_t klen,
		     const char *fmt, struct dt_tfmt *tf,
		     uint64_t v)
{
	num_k(DT_C_SIZE, m, key, klen, fmt, tf, v);
}

void dt_print_addr_k(enum dt_pmode m, const char *key, size_t klen,
		     const char *fmt, struct dt_tfmt *tf,
		     uint64_t v)
{
	num_k(DT_C_ADDR, m, key, klen, fmt, tf, v);
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

/* --- a row's values in one call --- */

static void cols_ready(struct dt_cols *cols)
{
	if (cols->n > DT_MAX_COLS)
		abort();	/* a programming error */
	for (unsigned i = 0; i < cols->n; i++) {
		const char *key = cols->col[i].key;
		size_t n = key ? strlen(key) : 0;

		if (n > sizeof(cols->c[i].key) - 4)
			abort();
		cols->c[i].key[0] = '"';
		memcpy(cols->c[i].key + 1, key, n);
		memcpy(cols->c[i].key + 1 + n, "\":", 2);
		cols->c[i].klen = n;
	}
	cols->ready = true;
}

/* A FLAGS value's names joined by ',' into @buf (@size bytes; a longer
 * one into memory of its own, the caller frees it, NULL where there is
 * none to be had); its length in @n. */
static char *flags_join(const struct dt_col *c, uint64_t u, char *buf,
			size_t size, size_t *n)
{
	size_t len = 0;
	char *out = buf;

	for (uint64_t f = u; f; f &= f - 1)
		len += strlen(c->name((unsigned)__builtin_ctzll(f))) + 1;
	if (len > size && !(out = malloc(len)))
		return NULL;
	len = 0;
	for (uint64_t f = u; f; f &= f - 1) {
		const char *name = c->name((unsigned)__builtin_ctzll(f));
		size_t k = strlen(name);

		if (len)
			out[len++] = ',';
		memcpy(out + len, name, k);
		len += k;
	}
	if (out)
		out[len] = '\0';
	*n = len;
	return out;
}

/* A FLAGS value by the per-value calls. */
static void flags_one(const struct dt_col *c, size_t klen,
		      struct dt_tfmt *tf, uint64_t u)
{
	char buf[256], *s;
	size_t n;

	if (want_json(c->mode)) {
		dt_jw_begin_array_k(&p.jw, c->key, klen, true);
		for (uint64_t f = u; f; f &= f - 1)
			dt_jw_str_k(&p.jw, NULL, 0,
				    c->name((unsigned)__builtin_ctzll(f)));
		dt_jw_end(&p.jw);
		return;
	}
	if (!want_text(c->mode, c->fmt))
		return;
	s = flags_join(c, u, buf, sizeof(buf), &n);
	if (!s)
		text_val(c->fmt, tf, "?");
	else if (n)
		text_val(c->fmt, tf, s);
	else if (c->standin)
		text_val(c->fmt, tf, c->standin);
	if (s != buf)
		free(s);
}

/* One value, by the per-value calls: text, and JSON outside a row. */
static void col_one(struct dt_cols *cols, unsigned i, const struct dt_cval *v)
{
	const struct dt_col *c = &cols->col[i];
	struct dt_tfmt *tf = &cols->c[i].tf;
	size_t klen = cols->c[i].klen;

	if (!v->known || (c->type == DT_C_STR && !(v->s && v->s[0]))) {
		dt_print_null_k(c->mode, c->key, klen, c->fmt, tf, c->standin);
		return;
	}
	switch (c->type) {
	case DT_C_U64:
		dt_print_u64_k(c->mode, c->key, klen, c->fmt, tf, v->u);
		break;
	case DT_C_SIZE:
		dt_print_size_k(c->mode, c->key, klen, c->fmt, tf, v->u);
		break;
	case DT_C_ADDR:
		dt_print_addr_k(c->mode, c->key, klen, c->fmt, tf, v->u);
		break;
	case DT_C_STR:
		dt_print_str_k(c->mode, c->key, klen, c->fmt, tf, v->s);
		break;
	case DT_C_FLAGS:
		flags_one(c, klen, tf, v->u);
		break;
	}
}

/* Text: each value's characters worked out here, the text around them
 * from the format parsed once. */
static void cols_text(struct dt_cols *cols, const struct dt_cval *v)
{
	struct dt_outbuf *ob = &p.ob;

	for (unsigned i = 0; i < cols->n; i++) {
		const struct dt_col *c = &cols->col[i];
		struct dt_tfmt own;
		const struct dt_tfmt *t;
		char num[48], fbuf[256], *w;
		const char *val;
		bool in_num = false;	/* val has 24 bytes of num after it */
		size_t n;

		if (!(c->mode & DT_TEXT) || !c->fmt)
			continue;
		t = tfmt(c->fmt, &cols->c[i].tf, &own);
		if (!v[i].known ||
		    (c->type == DT_C_STR && !(v[i].s && v[i].s[0]))) {
			if (!c->standin)
				continue;
			val = c->standin;
			n = strlen(val);
			if (t->str && t->prec >= 0 && (size_t)t->prec < n)
				n = (size_t)t->prec;
		} else if (c->type == DT_C_STR || c->type == DT_C_FLAGS) {
			const unsigned char *e;

			val = v[i].s;
			if (c->type == DT_C_FLAGS) {
				uint64_t u = v[i].u;

				if (!u)
					val = c->standin;
				else if (!(u & (u - 1)))	/* one */
					val = c->name((unsigned)
						      __builtin_ctzll(u));
				else if ((val = flags_join(c, u, fbuf,
							   sizeof(fbuf), &n))
					 != fbuf) {	/* long: the general path */
					free((char *)val);
					col_one(cols, i, &v[i]);
					continue;
				}
				if (!val)
					continue;
			}
			for (e = (const unsigned char *)val;
			     *e >= 0x20 && *e < 0x7f; e++)
				;
			if (*e) {	/* to be escaped: the general path */
				col_one(cols, i, &v[i]);
				continue;
			}
			n = (size_t)((const char *)e - val);
			if (t->str && t->prec >= 0 && (size_t)t->prec < n)
				n = (size_t)t->prec;
		} else {
			val = num_text(c->type, c->mode & DT_HUMAN || p.human,
				       c->type == DT_C_U64 && t->hex, v[i].u, num,
				       &n);
			in_num = true;
		}
		w = room(ob->buf + ob->len, t->npre + t->width + n +
			 t->npost + 64);
		w = text_put(w, t, val, n, in_num);
		ob->len = (size_t)(w - ob->buf);
	}
	dt_ob_maybe_flush(ob);
}

void dt_print_cols(struct dt_cols *cols, const struct dt_cval *v)
{
	struct dt_outbuf *ob = &p.ob;
	bool *first;
	char *b;

	if (!cols->ready)
		cols_ready(cols);
	if (p.format == DT_PF_TEXT) {
		cols_text(cols, v);
		return;
	}
	if (p.jw.depth == 0 || !p.jw.st[p.jw.depth].inline_) {
		for (unsigned i = 0; i < cols->n; i++)
			col_one(cols, i, &v[i]);
		return;
	}
	/* JSON inside a row: separator, key and number straight into the
	 * buffer; strings through the writer's escaping */
	first = &p.jw.st[p.jw.depth].first;
	for (unsigned i = 0; i < cols->n; i++) {
		const struct dt_col *c = &cols->col[i];

		if (!(c->mode & DT_JSON))
			continue;
		dt_ob_reserve(ob, 1 + sizeof(cols->c[i].key) + 24);
		b = ob->buf + ob->len;
		if (!*first)
			*b++ = ',';
		*first = false;
		memcpy(b, cols->c[i].key, sizeof(cols->c[i].key));
		b += cols->c[i].klen + 3;
		if (!v[i].known ||
		    (c->type == DT_C_STR && !(v[i].s && v[i].s[0]))) {
			memcpy(b, "null", 4);
			b += 4;
		} else if (c->type == DT_C_STR) {
			ob->len = (size_t)(b - ob->buf);
			dt_jw_string(ob, v[i].s);
			continue;
		} else if (c->type == DT_C_FLAGS) {
			*b++ = '[';
			ob->len = (size_t)(b - ob->buf);
			for (uint64_t f = v[i].u; f; f &= f - 1) {
				if (f != v[i].u)
					dt_ob_putc(ob, ',');
				dt_jw_string(ob, c->name((unsigned)
							 __builtin_ctzll(f)));
			}
			dt_ob_putc(ob, ']');
			continue;
		} else {
			size_t n = dt_udigits(v[i].u);

			dt_utoa(b + n, v[i].u, 10);
			b += n;
		}
		ob->len = (size_t)(b - ob->buf);
	}
	dt_ob_maybe_flush(ob);
}

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
