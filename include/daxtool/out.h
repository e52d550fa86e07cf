/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Output: one call per value prints it either as text (with a printf
 * format) or as a JSON member (with a key), so the two outputs cannot
 * disagree. JSON is held back until dt_out_finish(): a failure part-way
 * rolls back to a mark and stdout never gets half a document. Text is
 * streamed, so memory stays flat however many rows there are.
 */
#ifndef DAXTOOL_OUT_H
#define DAXTOOL_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void dt_out_init(bool json, bool human);
bool dt_out_json(void);
bool dt_out_human(void);

/* key is the JSON member name (NULL inside arrays); fmt the text format
 * (NULL: nothing in text). */
void dt_out_begin_object(const char *key);
void dt_out_begin_row(const char *key);	/* an object printed on one line */
void dt_out_end_object(void);
void dt_out_begin_array(const char *key);
void dt_out_begin_inline_array(const char *key);
void dt_out_end_array(void);

void dt_out_u64(const char *key, const char *fmt, uint64_t v);
void dt_out_i64(const char *key, const char *fmt, int64_t v);
void dt_out_double(const char *key, const char *fmt, double v);
void dt_out_str(const char *key, const char *fmt, const char *s);
void dt_out_bool(const char *key, const char *fmt, bool v);
void dt_out_null(const char *key);
/* Values that may be unknown: null in JSON, nothing in text. A string
 * is unknown when NULL or empty; a tristate (1, 0, -1) when negative; a
 * number when 0. */
void dt_out_str_opt(const char *key, const char *fmt, const char *s);
void dt_out_bool_opt(const char *key, const char *fmt, int v);
void dt_out_u64_opt(const char *key, const char *fmt, uint64_t v);
/* A size: an integer in JSON; in text, bytes, or 2M/4K/1.5G with -u.
 * fmt takes a string (e.g. "%-10s"). */
void dt_out_size(const char *key, const char *fmt, uint64_t v);
/* An address: an integer in JSON, 0x hex in text. fmt takes a string. */
void dt_out_addr(const char *key, const char *fmt, uint64_t v);
/* Text only. */
void dt_out_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Text only, one string: the fast path for table cells. */
void dt_out_text_str(const char *fmt, const char *s);

/* Marks and rollback (JSON): drop what was written since the mark. */
struct dt_out_mark { size_t len; int depth; bool first; unsigned flushes; };
struct dt_out_mark dt_out_mark(void);
/* False where text since the mark was already written out (a long text
 * output is streamed): then it stays. */
bool dt_out_rollback(struct dt_out_mark mark);
/* Write out the text held so far, so that what follows on stderr comes
 * after it (dt_err does this). */
void dt_out_flush_text(void);
/* Write what is held to stdout; returns 0, or -errno if stdout failed. */
int dt_out_finish(void);

/* A size as text shows it: bytes, or as dt_fmt_size with -u. */
const char *dt_fmt_num(char *buf, size_t len, uint64_t v);
/* Format a size: "2M", "4K", "1.5G", "123" (bytes below 1K). */
const char *dt_fmt_size(char *buf, size_t len, uint64_t v);

#endif
