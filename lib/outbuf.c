// SPDX-License-Identifier: GPL-2.0-only
/* The output buffer; see include/daxtool/outbuf.h. */
#include <errno.h>
#include <stdlib.h>

#include "daxtool/outbuf.h"

void dt_ob_init(struct dt_outbuf *ob, FILE *f, size_t threshold)
{
	dt_ob_free(ob);
	ob->f = f;
	ob->threshold = threshold;
	ob->written = 0;
	ob->err = 0;
}

void dt_ob_free(struct dt_outbuf *ob)
{
	free(ob->buf);
	ob->buf = NULL;
	ob->len = ob->cap = 0;
}

void dt_ob_grow(struct dt_outbuf *ob, size_t n)
{
	size_t cap = ob->cap ? ob->cap : 65536;
	char *b;

	while (cap < ob->len + n)
		cap *= 2;
	b = realloc(ob->buf, cap);
	if (!b) {
		/* nothing sane to print: fail loudly rather than truncate */
		fputs("daxtool: out of memory building output\n", stderr);
		exit(1);
	}
	ob->buf = b;
	ob->cap = cap;
}

void dt_ob_puts(struct dt_outbuf *ob, const char *s)
{
	dt_ob_put(ob, s, strlen(s));
}

void dt_ob_pad(struct dt_outbuf *ob, size_t n)
{
	dt_ob_reserve(ob, n);
	memset(ob->buf + ob->len, ' ', n);
	ob->len += n;
}

void dt_ob_write_out(struct dt_outbuf *ob)
{
	if (!ob->len)
		return;
	if (!ob->err && fwrite(ob->buf, 1, ob->len, ob->f) != ob->len)
		ob->err = errno ? errno : EIO;
	ob->written += ob->len;
	ob->len = 0;
}

int dt_ob_flush(struct dt_outbuf *ob)
{
	dt_ob_write_out(ob);
	if (fflush(ob->f) != 0 && !ob->err)
		ob->err = errno ? errno : EIO;
	return -ob->err;
}

bool dt_ob_truncate(struct dt_outbuf *ob, uint64_t pos)
{
	if (pos < ob->written || pos > dt_ob_pos(ob))
		return false;
	ob->len = (size_t)(pos - ob->written);
	return true;
}
