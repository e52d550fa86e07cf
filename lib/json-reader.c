// SPDX-License-Identifier: GPL-2.0-only
/*
 * A strict JSON pull-reader; see include/daxtool/json-reader.h.
 *
 * It is its own: json-c, even with JSON_TOKENER_STRICT, takes single
 * quotes, NaN and Infinity, \u0000 in strings and lone surrogates, keeps
 * the last of duplicate keys, clamps 18446744073709551616 to 2^64 - 1,
 * and cannot say where a value was. Here every error names its line and
 * column, and a document is read in one pass over the buffer, with
 * nothing kept but what the caller takes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxtool/json-reader.h"
#include "daxtool/util.h"

/* --- errors: the first one is kept, with where it is ------------------ */

static void line_col(const struct dt_jr *r, const char *at, size_t *line,
		     size_t *col)
{
	const char *bol = r->buf, *nl;

	*line = 1;
	while ((nl = memchr(bol, '\n', (size_t)(at - bol)))) {
		bol = nl + 1;
		++*line;
	}
	*col = (size_t)(at - bol) + 1;
}

/*
 * A message that starts with SYNTAX says the input is not JSON, as a
 * printk level starts a kernel message:
 *   "invalid JSON at byte B (line L, column C): what"
 * the others, that it is JSON but not what the caller takes:
 *   "what (line L, column C)"
 */
#define SYNTAX "\001"
#define syntax(r, at, fmt, ...) dt_jr_error(r, at, SYNTAX fmt, ##__VA_ARGS__)

int dt_jr_error(struct dt_jr *r, const char *at, const char *fmt, ...)
{
	bool is_syntax = fmt[0] == SYNTAX[0];
	const char *what = fmt + is_syntax;
	size_t line, col, n = 0;
	va_list ap;

	if (!r->errlen)
		return -EINVAL;
	line_col(r, at, &line, &col);
	if (is_syntax)
		n = (size_t)snprintf(r->err, r->errlen, "invalid JSON at byte "
				     "%zu (line %zu, column %zu): ",
				     (size_t)(at - r->buf), line, col);
	va_start(ap, fmt);
	if (n < r->errlen)
		n += (size_t)vsnprintf(r->err + n, r->errlen - n, what, ap);
	va_end(ap);
	if (!is_syntax && n < r->errlen)
		snprintf(r->err + n, r->errlen - n, " (line %zu, column %zu)",
			 line, col);
	return -EINVAL;
}

static const char *found(const struct dt_jr *r, const char *at, char *buf,
			 size_t len)
{
	unsigned char c = at < r->end ? (unsigned char)*at : 0;

	if (at >= r->end)
		return "the end of the input";
	if (c >= 0x20 && c < 0x7f)
		snprintf(buf, len, "'%c'", c);
	else
		snprintf(buf, len, "byte 0x%02x", c);
	return buf;
}

/* What JSON-like text that is not JSON usually is, by its first byte. */
static const struct { char c; const char *what; } not_json[] = {
	{ '\'', "single quotes: JSON strings take \"" },
	{ '/', "a comment: JSON has none" },
	{ '#', "a comment: JSON has none" },
	{ '+', "a '+' sign: JSON numbers have none" },
	{ '.', "a number without a digit before '.'" },
};

static int unexpected(struct dt_jr *r, const char *at, const char *want)
{
	char buf[16];

	for (size_t i = 0; at < r->end && i < ARRAY_SIZE(not_json); i++)
		if (*at == not_json[i].c)
			return syntax(r, at, "%s", not_json[i].what);
	return syntax(r, at, "expected %s, found %s", want,
		      found(r, at, buf, sizeof(buf)));
}

/* --- tokens ------------------------------------------------------------ */

static void skip_ws(struct dt_jr *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
				 *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static bool is_digit(const struct dt_jr *r, const char *p)
{
	return p < r->end && *p >= '0' && *p <= '9';
}

static int str_put(struct dt_jr *r, const char *s, size_t n)
{
	if (dt_grow((void **)&r->str, &r->str_cap, r->str_len + n + 1, 1))
		return -ENOMEM;
	memcpy(r->str + r->str_len, s, n);
	r->str_len += n;
	r->str[r->str_len] = '\0';
	return 0;
}

static int hex4(const struct dt_jr *r, const char *p, unsigned *v)
{
	*v = 0;
	if (r->end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			return -1;
		*v = *v << 4 | (unsigned)d;
	}
	return 0;
}

static size_t utf8_encode(unsigned cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static const struct { char name, value; } escapes[] = {
	{ '"', '"' }, { '\\', '\\' }, { '/', '/' }, { 'b', '\b' },
	{ 'f', '\f' }, { 'n', '\n' }, { 'r', '\r' }, { 't', '\t' },
};

/* \u: a code point; a high surrogate must have its low one after it */
static int parse_u_escape(struct dt_jr *r, const char *at)
{
	unsigned cp, lo;
	char out[4];

	if (hex4(r, at + 2, &cp))
		return syntax(r, at, "\\u takes 4 hex digits");
	r->p = at + 6;
	if (!cp)
		return dt_jr_error(r, at, "\\u0000 in a string: no NUL is "
				   "accepted");
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return dt_jr_error(r, at, "\\u%04x: a low surrogate without "
				   "its high one", cp);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' ||
		    hex4(r, r->p + 2, &lo) || lo < 0xdc00 || lo > 0xdfff)
			return dt_jr_error(r, at, "\\u%04x: a high surrogate "
					   "without its low one", cp);
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		r->p += 6;
	}
	return str_put(r, out, utf8_encode(cp, out));
}

static int parse_escape(struct dt_jr *r)
{
	const char *at = r->p;
	char buf[16];

	for (size_t i = 0; at + 1 < r->end && i < ARRAY_SIZE(escapes); i++) {
		if (at[1] != escapes[i].name)
			continue;
		r->p += 2;
		return str_put(r, &escapes[i].value, 1);
	}
	if (at + 1 < r->end && at[1] == 'u')
		return parse_u_escape(r, at);
	return syntax(r, at, "a backslash then %s: not an escape",
		      found(r, at + 1, buf, sizeof(buf)));
}

/* A string, decoded into r->str. */
static int parse_string(struct dt_jr *r)
{
	const char *start = r->p++;
	int ret;

	r->str_len = 0;
	if (str_put(r, "", 0))
		return -ENOMEM;
	for (;;) {
		const char *at = r->p;
		unsigned char c = at < r->end ? (unsigned char)*at : 0;
		size_t n;

		if (at >= r->end)
			return syntax(r, start, "a string with no closing \"");
		if (c == '"')
			break;
		if (c == '\\') {
			ret = parse_escape(r);
			if (ret)
				return ret;
			continue;
		}
		if (c < 0x20)
			return syntax(r, at, "control character 0x%02x in a "
				      "string: write it as \\u%04x", c, c);
		n = dt_utf8_len((const unsigned char *)at, (size_t)(r->end - at));
		if (!n)
			return syntax(r, at, "byte 0x%02x in a string is not "
				      "UTF-8", c);
		if (str_put(r, at, n))
			return -ENOMEM;
		r->p += n;
	}
	r->p++;
	return 0;
}

struct number {
	const char *at;
	size_t len;
	bool negative, integer, over;
	uint64_t v;
};

static void digits(struct dt_jr *r, const char **p, struct number *n)
{
	for (; is_digit(r, *p); ++*p) {
		unsigned d = (unsigned)(**p - '0');

		n->over = n->over || n->v > (UINT64_MAX - d) / 10;
		n->v = n->v * 10 + d;
	}
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int parse_number(struct dt_jr *r, struct number *n)
{
	const char *p = r->p;
	struct number frac = { 0 };

	*n = (struct number) { .at = p, .integer = true };
	if (*p == '-') {
		n->negative = true;
		p++;
	}
	if (!is_digit(r, p))
		return unexpected(r, p, "a digit after '-'");
	if (*p == '0' && is_digit(r, p + 1))
		return syntax(r, p, "a number with a leading zero");
	digits(r, &p, n);
	if (p < r->end && *p == '.') {
		if (!is_digit(r, ++p))
			return unexpected(r, p, "a digit after '.'");
		digits(r, &p, &frac);
		n->integer = false;
	}
	if (p < r->end && (*p == 'e' || *p == 'E')) {
		if (++p < r->end && (*p == '+' || *p == '-'))
			p++;
		if (!is_digit(r, p))
			return unexpected(r, p, "a digit in the exponent");
		digits(r, &p, &frac);
		n->integer = false;
	}
	n->len = (size_t)(p - n->at);
	r->p = p;
	return 0;
}

static const char *const literals[] = { "true", "false", "null" };

static int parse_literal(struct dt_jr *r)
{
	const char *at = r->p;
	size_t n = 0;

	while (at + n < r->end && ((at[n] >= 'a' && at[n] <= 'z') ||
				   (at[n] >= 'A' && at[n] <= 'Z')))
		n++;
	for (size_t i = 0; i < ARRAY_SIZE(literals); i++) {
		if (n == strlen(literals[i]) && !memcmp(at, literals[i], n)) {
			r->p += n;
			return 0;
		}
	}
	if (!n)
		return unexpected(r, at, "a value");
	return syntax(r, at, "'%.*s' is not a JSON value", n > 32 ? 32 : (int)n,
		      at);
}

/* --- the reader -------------------------------------------------------- */

void dt_jr_init(struct dt_jr *r, const char *buf, size_t len, char *err,
		size_t errlen)
{
	*r = (struct dt_jr) { .buf = buf, .p = buf, .end = buf + len,
			      .err = err, .errlen = errlen };
	if (errlen)
		err[0] = '\0';
	skip_ws(r);
}

void dt_jr_release(struct dt_jr *r)
{
	for (size_t i = 0; i < ARRAY_SIZE(r->keys); i++) {
		free(r->keys[i].key);
		free(r->keys[i].names);
	}
	free(r->str);
	*r = (struct dt_jr) { 0 };
}

enum dt_jr_kind dt_jr_peek(const struct dt_jr *r)
{
	if (r->p >= r->end)
		return DT_JR_END;
	switch (*r->p) {
	case '{':
		return DT_JR_OBJECT;
	case '[':
		return DT_JR_ARRAY;
	case '"':
		return DT_JR_STRING;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return DT_JR_NUMBER;
	case 't': case 'f':
		return DT_JR_BOOL;
	case 'n':
		return DT_JR_NULL;
	}
	return DT_JR_OTHER;
}

const char *dt_jr_pos(const struct dt_jr *r)
{
	return r->p;
}

int dt_jr_skip(struct dt_jr *r)
{
	struct number n;

	switch (dt_jr_peek(r)) {
	case DT_JR_END:
		return unexpected(r, r->p, "a value");
	case DT_JR_OBJECT:
		return dt_jr_object(r, NULL, NULL, NULL);
	case DT_JR_ARRAY:
		return dt_jr_array(r, NULL, NULL, NULL);
	case DT_JR_STRING:
		return parse_string(r);
	case DT_JR_NUMBER:
		return parse_number(r, &n);
	default:
		return parse_literal(r);
	}
}

/*
 * 0 if the next value is of @kind. Else, if it is not JSON either, that
 * is the error to report; if it is, "@what is not @kind_is" where it
 * starts.
 */
static int want(struct dt_jr *r, enum dt_jr_kind kind, const char *what,
		const char *kind_is)
{
	const char *at = r->p;
	int ret;

	if (dt_jr_peek(r) == kind)
		return 0;
	ret = dt_jr_skip(r);
	return ret ? ret : dt_jr_error(r, at, "%s is not %s",
				       what ? what : "the value", kind_is);
}

int dt_jr_end(struct dt_jr *r)
{
	skip_ws(r);
	if (r->p < r->end)
		return unexpected(r, r->p, "the end after the document");
	return 0;
}

/* --- objects and arrays ----------------------------------------------- */

static int enter(struct dt_jr *r)
{
	if (r->depth == DT_JR_MAX_DEPTH)
		return dt_jr_error(r, r->p, "nested deeper than %d levels",
				   DT_JR_MAX_DEPTH);
	/* an object's keys start empty (an array's set is unused) */
	r->keys[r->depth].nr = r->keys[r->depth].used = 0;
	r->depth++;
	r->p++;
	skip_ws(r);
	return 0;
}

static int add_key(struct dt_jr *r, struct dt_jr_keys *ks, const char *at)
{
	if (dt_grow((void **)&ks->key, &ks->cap, ks->nr + 1,
		       sizeof(*ks->key)) ||
	    dt_grow((void **)&ks->names, &ks->size,
		       ks->used + r->str_len + 1, 1))
		return -ENOMEM;
	memcpy(ks->names + ks->used, r->str, r->str_len + 1);
	ks->key[ks->nr++] = (struct dt_jr_key) { ks->used, r->str_len, at };
	ks->used += r->str_len + 1;
	return 0;
}

static int cmp_key(const void *a, const void *b, void *names)
{
	const struct dt_jr_key *x = a, *y = b;
	int c = memcmp((char *)names + x->off, (char *)names + y->off,
		       x->len < y->len ? x->len : y->len);

	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* RFC 8259 leaves duplicate keys to the reader: here they are an error. */
static int check_duplicates(struct dt_jr *r, struct dt_jr_keys *ks)
{
	size_t line, col;

	if (ks->nr < 2)
		return 0;
	qsort_r(ks->key, ks->nr, sizeof(*ks->key), cmp_key, ks->names);
	for (size_t i = 1; i < ks->nr; i++) {
		const struct dt_jr_key *a = &ks->key[i - 1], *b = &ks->key[i];

		if (a->len != b->len ||
		    memcmp(ks->names + a->off, ks->names + b->off, a->len))
			continue;
		line_col(r, a->at, &line, &col);
		return dt_jr_error(r, b->at, "duplicate key \"%.64s\", first "
				   "at line %zu, column %zu",
				   ks->names + b->off, line, col);
	}
	return 0;
}

/* The members of an object or the elements of an array, each read by
 * @item, up to @close. */
static int walk(struct dt_jr *r, char close,
		int (*item)(struct dt_jr *r, size_t i, void *ctx), void *ctx)
{
	const char *comma = NULL;
	int ret = enter(r);

	if (ret)
		return ret;
	for (size_t i = 0; r->p >= r->end || *r->p != close || comma; i++) {
		if (comma && r->p < r->end && *r->p == close)
			return syntax(r, comma, "a trailing comma");
		ret = item(r, i, ctx);
		if (ret)
			return ret;
		skip_ws(r);
		comma = NULL;
		if (r->p < r->end && *r->p == ',') {
			comma = r->p++;
			skip_ws(r);
		} else if (r->p >= r->end || *r->p != close) {
			return unexpected(r, r->p, close == '}' ? "',' or '}'" :
					  "',' or ']'");
		}
	}
	r->p++;
	r->depth--;
	return 0;
}

struct members { dt_jr_member_fn fn; void *arg; };

/* "key": value, the key kept to find duplicates */
static int member(struct dt_jr *r, size_t i, void *ctx)
{
	const struct members *m = ctx;
	struct dt_jr_keys *ks = &r->keys[r->depth - 1];
	const char *at = r->p;
	int ret;

	(void)i;
	if (at >= r->end || *at != '"')
		return unexpected(r, at, "a key in double quotes");
	ret = parse_string(r);
	if (!ret)
		ret = add_key(r, ks, at);
	if (ret)
		return ret;
	skip_ws(r);
	if (r->p >= r->end || *r->p != ':')
		return unexpected(r, r->p, "':' after the key");
	r->p++;
	skip_ws(r);
	if (r->p >= r->end)
		return unexpected(r, r->p, "a value");
	return m->fn ? m->fn(r, ks->names + ks->key[ks->nr - 1].off, m->arg) :
		dt_jr_skip(r);
}

int dt_jr_object(struct dt_jr *r, const char *what, dt_jr_member_fn fn,
		 void *arg)
{
	struct members m = { fn, arg };
	int ret = want(r, DT_JR_OBJECT, what, "an object");

	if (!ret)
		ret = walk(r, '}', member, &m);
	/* back at the object's depth: its keys are those one level in */
	return ret ? ret : check_duplicates(r, &r->keys[r->depth]);
}

struct elements { dt_jr_element_fn fn; void *arg; };

static int element(struct dt_jr *r, size_t i, void *ctx)
{
	const struct elements *e = ctx;

	if (r->p >= r->end)
		return unexpected(r, r->p, "a value");
	return e->fn ? e->fn(r, i, e->arg) : dt_jr_skip(r);
}

int dt_jr_array(struct dt_jr *r, const char *what, dt_jr_element_fn fn,
		void *arg)
{
	struct elements e = { fn, arg };
	int ret = want(r, DT_JR_ARRAY, what, "an array");

	return ret ? ret : walk(r, ']', element, &e);
}

/* --- scalars ----------------------------------------------------------- */

int dt_jr_string(struct dt_jr *r, const char *what, const char **s)
{
	int ret = want(r, DT_JR_STRING, what, "a string");

	if (!ret && !(ret = parse_string(r)))
		*s = r->str;
	return ret;
}

int dt_jr_u64(struct dt_jr *r, const char *what, uint64_t max,
	      const char *max_is, uint64_t *out)
{
	const char *at = r->p;
	struct number n;
	int ret;

	if (!what)
		what = "the value";
	ret = want(r, DT_JR_NUMBER, what, "an integer");
	if (!ret)
		ret = parse_number(r, &n);
	if (ret)
		return ret;
	if (n.negative)
		return dt_jr_error(r, at, "%s is negative", what);
	if (!n.integer)
		return dt_jr_error(r, at, "%s is not an integer: %.*s%s", what,
				   n.len > 24 ? 24 : (int)n.len, at,
				   n.len > 24 ? "..." : "");
	if (n.over || n.v > max)
		return dt_jr_error(r, at, "%s is %.*s%s, more than %s", what,
				   n.len > 24 ? 24 : (int)n.len, at,
				   n.len > 24 ? "..." : "", max_is);
	*out = n.v;
	return 0;
}

int dt_jr_bool(struct dt_jr *r, const char *what, bool *v)
{
	const char *at = r->p;
	int ret = want(r, DT_JR_BOOL, what, "true or false");

	if (!ret && !(ret = parse_literal(r)))
		*v = *at == 't';
	return ret;
}

int dt_jr_null(struct dt_jr *r, const char *what)
{
	int ret = want(r, DT_JR_NULL, what, "null");

	return ret ? ret : parse_literal(r);
}
