/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The output buffer: what a command prints waits here and goes to the
 * stream in large writes, so millions of rows cost few system calls.
 * Memory stays flat: past a threshold the buffer is written out. A
 * mark remembers a place; going back to it is possible only while
 * nothing since has been written out.
 */
#ifndef DAXTOOL_OUTBUF_H
#define DAXTOOL_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct dt_outbuf {
	FILE *f;
	char *buf;
	size_t len, cap;
	size_t threshold;	/* write out when this much is held */
	uint64_t written;	/* bytes written out so far */
	int err;		/* the first write error (errno), or 0 */
};

void dt_ob_init(struct dt_outbuf *ob, FILE *f, size_t threshold);
void dt_ob_free(struct dt_outbuf *ob);

void dt_ob_grow(struct dt_outbuf *ob, size_t n);
static inline void dt_ob_reserve(struct dt_outbuf *ob, size_t n)
{
	if (__builtin_expect(ob->len + n > ob->cap, 0))
		dt_ob_grow(ob, n);
}
static inline void dt_ob_put(struct dt_outbuf *ob, const char *s, size_t n)
{
	dt_ob_reserve(ob, n);
	memcpy(ob->buf + ob->len, s, n);
	ob->len += n;
}
static inline void dt_ob_putc(struct dt_outbuf *ob, char c)
{
	dt_ob_reserve(ob, 1);
	ob->buf[ob->len++] = c;
}
/* Copy @n bytes, as memcpy, without a call for the short strings a
 * document is made of: two overlapping fixed-size moves. */
static inline void dt_copy_short(char *dst, const char *src, size_t n)
{
	if (n > 16 && n <= 32) {
		memcpy(dst, src, 16);
		memcpy(dst + n - 16, src + n - 16, 16);
	} else if (n >= 8 && n <= 16) {
		memcpy(dst, src, 8);
		memcpy(dst + n - 8, src + n - 8, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(dst, src, 4);
		memcpy(dst + n - 4, src + n - 4, 4);
	} else if (n < 4) {
		for (size_t i = 0; i < n; i++)
			dst[i] = src[i];
	} else {
		memcpy(dst, src, n);
	}
}
void dt_ob_puts(struct dt_outbuf *ob, const char *s);
void dt_ob_pad(struct dt_outbuf *ob, size_t n);	/* n spaces */

/* Write out what is held once past the threshold; dt_ob_flush always
 * (and flushes the stream). Return the first error, as -errno. */
static inline void dt_ob_maybe_flush(struct dt_outbuf *ob);
int dt_ob_flush(struct dt_outbuf *ob);

/* A place in the output: the number of bytes before it. */
static inline uint64_t dt_ob_pos(const struct dt_outbuf *ob)
{
	return ob->written + ob->len;
}
/* Drop what follows @pos. False (and nothing dropped) where some of it
 * was already written out. */
bool dt_ob_truncate(struct dt_outbuf *ob, uint64_t pos);

void dt_ob_write_out(struct dt_outbuf *ob);
static inline void dt_ob_maybe_flush(struct dt_outbuf *ob)
{
	if (ob->len >= ob->threshold)
		dt_ob_write_out(ob);
}

#endif
