/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A strict JSON pull-reader, json-writer.h's pair: the caller walks one
 * document in memory value by value, with a callback per object member
 * and per array element, and keeps only what it wants; the reader holds
 * the nesting and the string read last.
 *
 * Strict (RFC 8259, nothing more): no comments, single quotes, trailing
 * commas, leading zeros, '+' signs, NaN or Infinity; strings are UTF-8
 * with no raw control character, no lone surrogate and no \u0000; a
 * duplicate key in an object is an error; at most DT_JR_MAX_DEPTH levels.
 *
 * The calls that read return 0, -ENOMEM, or -EINVAL with one message in
 * the caller's buffer (the first error stops the walk), saying where:
 *   "invalid JSON at byte B (line L, column C): what"	not JSON
 *   "what (line L, column C)"				JSON, but not
 *							what the caller takes
 * Lines and columns count from 1, columns in bytes.
 *
 * Use: dt_jr_init() on the buffer; read the one top-level value with
 * the calls below; dt_jr_end(); dt_jr_release().
 */
#ifndef DAXTOOL_JSON_READER_H
#define DAXTOOL_JSON_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DT_JR_MAX_DEPTH 64

/* The reader's state: read only through the calls. */
struct dt_jr {
	const char *buf, *p, *end;	/* p: the next value's first byte */
	char *err;
	size_t errlen;
	unsigned depth;
	struct dt_jr_keys {		/* one open object's keys */
		struct dt_jr_key { size_t off, len; const char *at; } *key;
		size_t nr, cap;
		char *names;		/* decoded, NUL-ended, back to back */
		size_t used, size;
	} keys[DT_JR_MAX_DEPTH];
	char *str;			/* the string read last, decoded */
	size_t str_len, str_cap;
};

/* Read @len bytes at @buf (no NUL needed); errors go to @err (cleared). */
void dt_jr_init(struct dt_jr *r, const char *buf, size_t len, char *err,
		size_t errlen);
void dt_jr_release(struct dt_jr *r);

/* The next value's kind, by its first byte (reading it checks the rest). */
enum dt_jr_kind {
	DT_JR_END,			/* no more input */
	DT_JR_OBJECT, DT_JR_ARRAY, DT_JR_STRING, DT_JR_NUMBER,
	DT_JR_BOOL, DT_JR_NULL,
	DT_JR_OTHER,			/* not JSON: dt_jr_skip() says why */
};
enum dt_jr_kind dt_jr_peek(const struct dt_jr *r);
/* Where the next value starts: for dt_jr_error(), after it is read. */
const char *dt_jr_pos(const struct dt_jr *r);

/*
 * A callback reads exactly one value, the member's or the element's,
 * with one of the calls below (dt_jr_skip() to drop it), and returns 0
 * or that call's error, which ends the walk. @key holds until the
 * callback returns.
 */
typedef int (*dt_jr_member_fn)(struct dt_jr *r, const char *key, void *arg);
typedef int (*dt_jr_element_fn)(struct dt_jr *r, size_t i, void *arg);

/*
 * The readers of one value. @what names it in the error where it is of
 * another kind ("\"size\" is not an integer"); NULL: "the value". A
 * value of another kind that is not JSON either gets that error instead.
 */
/* { "key": value, ... }: @fn for each member (NULL: all skipped). */
int dt_jr_object(struct dt_jr *r, const char *what, dt_jr_member_fn fn,
		 void *arg);
/* [ value, ... ]: @fn for each element, @i from 0 (NULL: skipped). */
int dt_jr_array(struct dt_jr *r, const char *what, dt_jr_element_fn fn,
		void *arg);
/* *@s: decoded, NUL-ended, held until the next string is read. */
int dt_jr_string(struct dt_jr *r, const char *what, const char **s);
/* A whole number from 0 to @max; @max_is says @max in words. */
int dt_jr_u64(struct dt_jr *r, const char *what, uint64_t max,
	      const char *max_is, uint64_t *out);
int dt_jr_bool(struct dt_jr *r, const char *what, bool *v);
int dt_jr_null(struct dt_jr *r, const char *what);
/* Any value, checked and dropped. */
int dt_jr_skip(struct dt_jr *r);

/* After the top-level value: only whitespace may follow. */
int dt_jr_end(struct dt_jr *r);

/* JSON, but not what the caller takes: "what (line L, column C)" for
 * @at, a place in the buffer. Returns -EINVAL. */
int dt_jr_error(struct dt_jr *r, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
