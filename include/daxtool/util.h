/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DAXTOOL_UTIL_H
#define DAXTOOL_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit codes of every command. */
enum { DT_EXIT_OK = 0, DT_EXIT_FAIL = 1, DT_EXIT_USAGE = 2 };

#include <stddef.h>

/* Copy a string, truncating to fit @n bytes with its NUL. */
void dt_strlcpy(char *dst, const char *src, size_t n);
#define DT_COPY(dst, src) dt_strlcpy((dst), (src), sizeof(dst))

/* "daxtool: CMD: message" on stderr; CMD as set by dt_set_cmd(). */
void dt_set_cmd(const char *name);
void dt_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void dt_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Sizes and offsets: 4096, 4k, 2M, 1G, 1GiB, 0x200000. Negative numbers,
 * overflow and trailing junk are errors; *why says which.
 */
int dt_parse_size(const char *s, uint64_t *out, const char **why);
/* OFF[:LEN]; *has_len says whether LEN was given. */
int dt_parse_range(const char *s, uint64_t *off, uint64_t *len,
		   bool *has_len, const char **why);

#endif
