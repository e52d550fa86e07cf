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
void dt_jw_begin_object(struct dt_jw *w, const char *key, bool inline_);
void dt_jw_begin_array(struct dt_jw *w, const char *key, bool inline_);
void dt_jw_end(struct dt_jw *w);		/* the innermost one */
/* Close everything opened deeper than @depth. */
void dt_jw_end_to(struct dt_jw *w, int depth);

void dt_jw_u64(struct dt_jw *w, const char *key, uint64_t v);
void dt_jw_i64(struct dt_jw *w, const char *key, int64_t v);
void dt_jw_double(struct dt_jw *w, const char *key, double v);
void dt_jw_str(struct dt_jw *w, const char *key, const char *s);
void dt_jw_bool(struct dt_jw *w, const char *key, bool v);
void dt_jw_null(struct dt_jw *w, const char *key);

/* A string's JSON form, quotes included, into @ob. */
void dt_jw_string(struct dt_outbuf *ob, const char *s);

#endif
