/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A streaming JSON writer: values go to an output buffer as they come,
 * with only the nesting (at most DT_JW_MAX_DEPTH levels) held. Strings
 * are escaped: control characters as \uXXXX (or \n, \t, ...), and bytes
 * that are not valid UTF-8 (paths can hold any byte) as U+FFFD, so every
 * document is valid JSON in UTF-8. Numbers that are not finite are null.
 *
 * Two layouts: a document (objects and arrays indented, "rows" on one
 * line), or lines (NDJSON: each top-level value on one line).
 */
#ifndef DAXTOOL_JSON_WRITER_H
#define DAXTOOL_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "daxtool/outbuf.h"

#define DT_JW_MAX_DEPTH 16

struct dt_jw {
	struct dt_outbuf *ob;
	bool lines;
	int depth;
	struct { bool first, inline_; char close; } st[DT_JW_MAX_DEPTH];
};

void dt_jw_init(struct dt_jw *w, struct dt_outbuf *ob, bool lines);

/* key: the member's name inside an object; NULL inside an array or at
 * the top. Keys are the program's own identifiers and are not escaped. */
/*
 * Each call that takes a key also takes its length; the macros below
 * pass strlen(key), which the compiler works out for a literal key, so
 * a row of a long map costs no string scan per key. A NULL key: an
 * array element.
 */
static inline __attribute__((always_inline)) size_t dt_klen(const char *k)
{
	return k ? __builtin_strlen(k) : 0;
}

void dt_jw_begin_object_k(struct dt_jw *w, const char *key, size_t klen,
			  bool inline_);
void dt_jw_begin_array_k(struct dt_jw *w, const char *key, size_t klen,
			 bool inline_);
void dt_jw_end(struct dt_jw *w);		/* the innermost one */
void dt_jw_end_to(struct dt_jw *w, int depth);

void dt_jw_u64_k(struct dt_jw *w, const char *key, size_t klen, uint64_t v);
void dt_jw_i64_k(struct dt_jw *w, const char *key, size_t klen, int64_t v);
void dt_jw_double_k(struct dt_jw *w, const char *key, size_t klen, double v);
void dt_jw_str_k(struct dt_jw *w, const char *key, size_t klen, const char *s);
void dt_jw_bool_k(struct dt_jw *w, const char *key, size_t klen, bool v);
void dt_jw_null_k(struct dt_jw *w, const char *key, size_t klen);

#define dt_jw_begin_object(w, k, i) dt_jw_begin_object_k(w, k, dt_klen(k), i)
#define dt_jw_begin_array(w, k, i) dt_jw_begin_array_k(w, k, dt_klen(k), i)
#define dt_jw_u64(w, k, v)	dt_jw_u64_k(w, k, dt_klen(k), v)
#define dt_jw_i64(w, k, v)	dt_jw_i64_k(w, k, dt_klen(k), v)
#define dt_jw_double(w, k, v)	dt_jw_double_k(w, k, dt_klen(k), v)
#define dt_jw_str(w, k, v)	dt_jw_str_k(w, k, dt_klen(k), v)
#define dt_jw_bool(w, k, v)	dt_jw_bool_k(w, k, dt_klen(k), v)
#define dt_jw_null(w, k)	dt_jw_null_k(w, k, dt_klen(k))

void dt_jw_string(struct dt_outbuf *ob, const char *s);

#endif
