/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DAXTOOL_UTIL_H
#define DAXTOOL_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit codes of every command. */
enum { DT_EXIT_OK = 0, DT_EXIT_FAIL = 1, DT_EXIT_USAGE = 2 };

#include <stdarg.h>
#include <stddef.h>

/* Copy a string, truncating to fit @n bytes with its NUL. */
void dt_strlcpy(char *dst, const char *src, size_t n);
#define DT_COPY(dst, src) dt_strlcpy((dst), (src), sizeof(dst))

/*
 * "daxtool: CMD: message" on stderr; CMD as set by dt_set_cmd(). The
 * message is escaped whole (dt_escape), so what it quotes cannot drive
 * the terminal.
 */
void dt_set_cmd(const char *name);
void dt_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void dt_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void dt_verr(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* The length of the valid UTF-8 character at @s (@n bytes there): 1 to
 * 4, or 0 where it is not UTF-8 (overlong, surrogate, cut short). */
size_t dt_utf8_len(const unsigned char *s, size_t n);
/*
 * Copy @src into @dst (@n bytes, NUL included) with control characters
 * (C0, DEL, C1) and bytes that are not UTF-8 written as \xNN. An escape
 * or a character is never cut. Returns the length the whole copy needs,
 * as snprintf does; @dst may be NULL when @n is 0.
 */
size_t dt_escape(char *dst, size_t n, const char *src);

/*
 * Sizes and offsets: 4096, 4k, 2M, 1G, 1GiB, 1E, 0x200000 (a hex number
 * takes no E suffix: e is a hex digit). At most 2^64 - 1. Negative
 * numbers, overflow and trailing junk are errors; *why says which.
 */
int dt_parse_size(const char *s, uint64_t *out, const char **why);
/*
 * OFF[:LEN]; *has_len says whether LEN was given. LEN is not 0 and
 * OFF + LEN is at most 2^64 - 1. *why names the side that is wrong
 * ("length too large: ..."); it holds until the thread's next call.
 */
int dt_parse_range(const char *s, uint64_t *off, uint64_t *len,
		   bool *has_len, const char **why);

/*
 * Room for @need elements of @unit bytes in *@mem, which has room for
 * *@cap: doubled from 16. -ENOMEM leaves *@mem as it was.
 */
int dt_grow(void **mem, size_t *cap, size_t need, size_t unit);

/* The number a sysfs or procfs file holds: 0, or -1 with errno set (EINVAL
 * where it holds no number); *v is left alone on failure. */
int dt_read_u64(const char *path, uint64_t *v);

#endif
