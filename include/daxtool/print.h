/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The print layer: each value is one call that serves both outputs, a
 * JSON member (by its key) and text (by its printf format), so text and
 * JSON cannot disagree:
 *
 *	dt_print_u64(DT_ANY, "holes", ", %" PRIu64 " holes", n);
 *
 * DT_JSON or DT_TEXT print a value in one output only; a NULL format
 * prints nothing in text. A format holds one conversion, which gets the
 * value; its flags and width apply ("%-12s", "%6" PRIu64).
 *
 * A value that may be unknown is printed by a _opt call: null in JSON,
 * and in text the stand-in given in the same call, in the value's place
 * (NULL: nothing at all). Unknown is: NULL or "" for a string, 0 for a
 * count or size, DT_NO_ADDR for an address, negative for a tristate or
 * a signed number, NaN for a double.
 *
 * Output streams through a buffer (include/daxtool/outbuf.h): memory
 * stays flat however long the output. A target that fails part-way is
 * dropped if none of it was written out yet, else closed with an
 * "error" member (dt_print_fail), so a JSON document is always valid.
 */
#ifndef DAXTOOL_PRINT_H
#define DAXTOOL_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daxtool/json-writer.h"	/* dt_klen() */

enum dt_pmode {
	DT_TEXT = 1, DT_JSON = 2, DT_ANY = 3,
	DT_HUMAN = 4,	/* or'ed in: a size in text as 2M even without -u */
};
enum dt_pformat {
	DT_PF_TEXT,
	DT_PF_JSON,	/* one document */
	DT_PF_NDJSON,	/* one JSON value per line */
};

/* The JSON schema's version: bumped when a key changes meaning or type
 * or goes away (adding keys does not). */
#define DT_SCHEMA_VERSION 2

/*
 * A text format, parsed the first time its call site prints and kept
 * there: a literal format's call site has one of these (DT_TFMT), any
 * other format is parsed each time.
 */
struct dt_tfmt {
	const char *fmt;	/* parsed from this; NULL: not yet */
	const char *pre, *post;	/* the text before and after the value */
	size_t npre, npost;
	unsigned width;
	int prec;		/* -1: none */
	bool conv, left, zero, hex, str;
	bool pct;		/* the text holds a '%' to unescape */
	bool short_;		/* pre and post fit their buffers */
	char pre_buf[16], post_buf[16];
};
#define DT_TFMT(f) (__builtin_constant_p(f) ?				\
	({ static struct dt_tfmt tf_; &tf_; }) : (struct dt_tfmt *)0)

void dt_print_init(enum dt_pformat format, bool human);
bool dt_print_json(void);	/* JSON or NDJSON */
bool dt_print_ndjson(void);
bool dt_print_human(void);

/* Containers exist in JSON only; text prints what their values print. */
void dt_print_begin_object_k(const char *key, size_t klen);
#define dt_print_begin_object(k) dt_print_begin_object_k(k, dt_klen(k))
void dt_print_begin_row_k(const char *key, size_t klen);
/* an object on one line */
#define dt_print_begin_row(k) dt_print_begin_row_k(k, dt_klen(k))
void dt_print_end_object(void);
/* the end of a line: a newline in text, the object's end in JSON */
void dt_print_end_row(void);
void dt_print_begin_array_k(const char *key, size_t klen);
#define dt_print_begin_array(k) dt_print_begin_array_k(k, dt_klen(k))
void dt_print_begin_inline_array_k(const char *key, size_t klen);
#define dt_print_begin_inline_array(k) dt_print_begin_inline_array_k(k, dt_klen(k))
void dt_print_end_array(void);

/* "daxtool" (the version) and "schema": first in every document's
 * top-level object. */
void dt_print_meta(void);

void dt_print_u64_k(enum dt_pmode m, const char *key, size_t klen,
		const char *fmt, struct dt_tfmt *tf,
		uint64_t v);
#define dt_print_u64(m, k, f, v) \
	dt_print_u64_k(m, k, dt_klen(k), f, DT_TFMT(f), v)
void dt_print_i64_k(enum dt_pmode m, const char *key, size_t klen,
		const char *fmt, struct dt_tfmt *tf,
		int64_t v);
#define dt_print_i64(m, k, f, v) \
	dt_print_i64_k(m, k, dt_klen(k), f, DT_TFMT(f), v)
void dt_print_double_k(enum dt_pmode m, const char *key, size_t klen,
		const char *fmt, struct dt_tfmt *tf,
		double v);
#define dt_print_double(m, k, f, v) \
	dt_print_double_k(m, k, dt_klen(k), f, DT_TFMT(f), v)
void dt_print_str_k(enum dt_pmode m, const char *key, size_t klen,
		const char *fmt, struct dt_tfmt *tf,
		const char *s);
#define dt_print_str(m, k, f, v) \
	dt_print_str_k(m, k, dt_klen(k), f, DT_TFMT(f), v)
/* text: "yes" or "no" */
void dt_print_bool_k(enum dt_pmode m, const char *key, size_t klen,
		const char *fmt, struct dt_tfmt *tf,
		bool v);
#define dt_print_bool(m, k, f, v) \
	dt_print_bool_k(m, k, dt_klen(k), f, DT_TFMT(f), v)
/* A size: an integer in JSON; in text, bytes, or 2M, 4K, 1.5G with -u. */
void dt_print_size_k(enum dt_pmode m, const char *key, size_t klen,
		const char *fmt, struct dt_tfmt *tf,
		uint64_t v);
#define dt_print_size(m, k, f, v) \
	dt_print_size_k(m, k, dt_klen(k), f, DT_TFMT(f), v)
/* An address: an integer in JSON, 0x hex in text. */
void dt_print_addr_k(enum dt_pmode m, const char *key, size_t klen,
		const char *fmt, struct dt_tfmt *tf,
		uint64_t v);
#define dt_print_addr(m, k, f, v) \
	dt_print_addr_k(m, k, dt_klen(k), f, DT_TFMT(f), v)
/* null in JSON; @standin in text, through @fmt */
void dt_print_null_k(enum dt_pmode m, const char *key, size_t klen,
		const char *fmt, struct dt_tfmt *tf,
		const char *standin);
#define dt_print_null(m, k, f, v) \
	dt_print_null_k(m, k, dt_klen(k), f, DT_TFMT(f), v)

void dt_print_str_opt_k(enum dt_pmode m, const char *key, size_t klen,
		const char *fmt, struct dt_tfmt *tf,
		const char *s, const char *standin);
#define dt_print_str_opt(m, k, f, v, s) \
	dt_print_str_opt_k(m, k, dt_klen(k), f, DT_TFMT(f), v, s)
void dt_print_u64_opt_k(enum dt_pmode m, const char *key, size_t klen,
		const char *fmt, struct dt_tfmt *tf,
		uint64_t v, const char *standin);
#define dt_print_u64_opt(m, k, f, v, s) \
	dt_print_u64_opt_k(m, k, dt_klen(k), f, DT_TFMT(f), v, s)
void dt_print_size_opt_k(enum dt_pmode m, const char *key, size_t klen,
		const char *fmt, struct dt_tfmt *tf,
		uint64_t v, const char *standin);
#define dt_print_size_opt(m, k, f, v, s) \
	dt_print_size_opt_k(m, k, dt_klen(k), f, DT_TFMT(f), v, s)
void dt_print_addr_opt_k(enum dt_pmode m, const char *key, size_t klen,
		const char *fmt, struct dt_tfmt *tf,
		uint64_t v, const char *standin);
#define dt_print_addr_opt(m, k, f, v, s) \
	dt_print_addr_opt_k(m, k, dt_klen(k), f, DT_TFMT(f), v, s)
void dt_print_bool_opt_k(enum dt_pmode m, const char *key, size_t klen,
		const char *fmt, struct dt_tfmt *tf,
		int v, const char *standin);
#define dt_print_bool_opt(m, k, f, v, s) \
	dt_print_bool_opt_k(m, k, dt_klen(k), f, DT_TFMT(f), v, s)
void dt_print_i64_opt_k(enum dt_pmode m, const char *key, size_t klen,
		const char *fmt, struct dt_tfmt *tf,
		int64_t v, const char *standin);
#define dt_print_i64_opt(m, k, f, v, s) \
	dt_print_i64_opt_k(m, k, dt_klen(k), f, DT_TFMT(f), v, s)
void dt_print_double_opt_k(enum dt_pmode m, const char *key, size_t klen,
		const char *fmt, struct dt_tfmt *tf,
		double v, const char *standin);
#define dt_print_double_opt(m, k, f, v, s) \
	dt_print_double_opt_k(m, k, dt_klen(k), f, DT_TFMT(f), v, s)

/* Text only, printf. */
/*
 * A row's values in one call: dt_print_cols(&cols, v) prints v[i] as
 * dt_print_<type>_opt(col[i].mode, col[i].key, col[i].fmt, v[i], col[i].
 * standin) would, in order, each unknown one (known false, or a NULL or
 * empty string) as null and its stand-in. A FLAGS value is a set of bits
 * (v.u): in JSON an array of their names (col.name(bit), the lowest bit
 * first), [] where none is set; in text the names joined by ',' as one
 * string in the format, the stand-in where none is set. The columns are
 * a table, made ready once (keys quoted, formats parsed); inside a row
 * (dt_print_begin_row) the JSON goes out in one pass. For the long
 * tables a map prints.
 */
enum dt_ctype { DT_C_U64, DT_C_SIZE, DT_C_ADDR, DT_C_STR, DT_C_FLAGS };

struct dt_col {
	enum dt_pmode mode;	/* | DT_HUMAN for a size */
	enum dt_ctype type;
	const char *key, *fmt, *standin;
	const char *(*name)(unsigned bit);	/* FLAGS: a bit's name */
};

struct dt_cval {
	bool known;
	union {
		uint64_t u;		/* U64, SIZE, ADDR, FLAGS */
		const char *s;		/* STR */
	};
};

#define DT_MAX_COLS 16
struct dt_cols {
	const struct dt_col *col;
	unsigned n;		/* at most DT_MAX_COLS */
	bool ready;
	struct {
		char key[32];	/* "key": (a key of 28 bytes at most) */
		size_t klen;
		struct dt_tfmt tf;
	} c[DT_MAX_COLS];
};
#define DT_COLS(table) { .col = (table), \
	.n = sizeof(table) / sizeof((table)[0]) }

void dt_print_cols(struct dt_cols *cols, const struct dt_cval *v);

void dt_print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Failures. Take a mark before a target's object; on failure,
 * dt_print_fail() drops what was printed since, where none of it was
 * written out, and prints {"path": ..., "error": ...} in its place;
 * else it closes what is open, adds "error" to the target's object and
 * closes it. Returns true where the output was dropped (text: the part
 * printed stays, false). dt_print_rollback() only drops.
 */
struct dt_print_mark { uint64_t pos; int depth; bool first; };
struct dt_print_mark dt_print_mark(void);
bool dt_print_rollback(struct dt_print_mark mark);
bool dt_print_fail(struct dt_print_mark mark, const char *path,
		   const char *error);

/* Write out what is held, so that what comes next on stderr comes after
 * it (dt_err does this). */
void dt_print_flush(void);
/* End the document and write it out: 0, or -errno if stdout failed. */
int dt_print_finish(void);

/* A size as text shows it: bytes, or as dt_fmt_size with -u. */
const char *dt_fmt_num(char *buf, size_t len, uint64_t v);

#endif
