// SPDX-License-Identifier: GPL-2.0-only
/*
 * Layout source: an extent list given as JSON. Gaps between the extents
 * are holes, as in FIEMAP; explicit hole extents are accepted too, so a
 * `daxtool map --json` document can be edited and fed back.
 *
 * The document is read in one pass by the strict reader of json-reader.h,
 * which says the line and column of every error; nothing but the extents
 * is kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daxtool/json-reader.h"
#include "daxtool/sources.h"
#include "daxtool/util.h"

/* the kernel's largest file size (loff_t): sizes and extent ends */
#define MAX_FILE_SIZE ((uint64_t)INT64_MAX)

struct layout {
	size_t nr;
	struct dt_extent *ext;
};

/* --- the layout -------------------------------------------------------- */

/* What a document gives: its size and extents, and how it held them. */
struct doc {
	uint64_t size;
	bool has_size, has_extents, has_layout;
	size_t nr_layouts;
	const char *first;	/* the first element of a map --json array */
	struct dt_extent *ext;	/* the extents read so far */
	size_t nr, cap;
};

enum { F_OFFSET, F_LENGTH, F_ADDR, F_PHYS, F_TYPE, F_FLAGS, NR_FIELDS };

static const struct field {
	const char *key;
	size_t off;		/* of the uint64_t, for offset to phys */
} extent_fields[NR_FIELDS] = {
	[F_OFFSET] = { "offset", offsetof(struct dt_extent, offset) },
	[F_LENGTH] = { "length", offsetof(struct dt_extent, length) },
	[F_ADDR] = { "addr", offsetof(struct dt_extent, addr) },
	[F_PHYS] = { "phys", offsetof(struct dt_extent, phys) },
	[F_TYPE] = { "type", 0 },
	[F_FLAGS] = { "flags", 0 },
};

struct extent_ctx {
	struct dt_extent e;
	const char *at[NR_FIELDS];	/* where each value is; NULL: absent */
	char where[40];			/* "extents[3]: " */
};

/* A name @parse knows (a type, a flag): its value, else "unknown @kind". */
static int read_name(struct dt_jr *r, const struct extent_ctx *x,
		     const char *what, const char *kind,
		     int (*parse)(const char *name), int *out)
{
	const char *at = dt_jr_pos(r), *s;
	int ret = dt_jr_string(r, what, &s);

	if (ret)
		return ret;
	*out = parse(s);
	if (*out < 0)
		return dt_jr_error(r, at, "%sunknown %s \"%.64s\"", x->where,
				   kind, s);
	return 0;
}

static int read_flag(struct dt_jr *r, size_t i, void *arg)
{
	struct extent_ctx *x = arg;
	char what[64];
	int ret, bit;

	snprintf(what, sizeof(what), "%sflags[%zu]", x->where, i);
	ret = read_name(r, x, what, "flag", dt_flag_parse, &bit);
	/* clipping is the iterator's to say, not the data's */
	if (!ret)
		x->e.flags |= (uint32_t)bit &
			~(uint32_t)(DT_F_CLIPPED | DT_F_PAST_EOF);
	return ret;
}

static int read_field(struct dt_jr *r, struct extent_ctx *x, int f)
{
	char what[64];
	int ret, t;

	snprintf(what, sizeof(what), "%s\"%s\"", x->where, extent_fields[f].key);
	switch (f) {
	case F_TYPE:
		ret = read_name(r, x, what, "type", dt_type_parse, &t);
		if (!ret)
			x->e.type = (enum dt_type)t;
		return ret;
	case F_FLAGS:
		return dt_jr_array(r, what, read_flag, x);
	case F_ADDR:
	case F_PHYS:
		/* null is "none", as absent is */
		if (dt_jr_peek(r) == DT_JR_NULL) {
			x->at[f] = NULL;
			return dt_jr_null(r, what);
		}
	}
	return dt_jr_u64(r, what, UINT64_MAX, "2^64 - 1",
			 (uint64_t *)((char *)&x->e + extent_fields[f].off));
}

static int extent_member(struct dt_jr *r, const char *key, void *arg)
{
	struct extent_ctx *x = arg;

	for (int f = 0; f < NR_FIELDS; f++) {
		if (strcmp(key, extent_fields[f].key))
			continue;
		x->at[f] = dt_jr_pos(r);
		return read_field(r, x, f);
	}
	return dt_jr_skip(r);	/* align, dev, phys_dev, ...: map's own */
}

/* An address and the length after it must fit: no wrap, no sentinel. */
static int check_addr(struct dt_jr *r, struct extent_ctx *x, int f)
{
	uint64_t *a = (uint64_t *)((char *)&x->e + extent_fields[f].off);

	if (!x->at[f] || x->e.type == DT_HOLE) {
		*a = DT_NO_ADDR;
		return 0;
	}
	if (*a > UINT64_MAX - x->e.length)
		return dt_jr_error(r, x->at[f], "%s%s + length overflows "
				   "2^64 - 1", x->where, extent_fields[f].key);
	return 0;
}

static int check_extent(struct dt_jr *r, const struct doc *d,
			struct extent_ctx *x, const char *at, size_t i)
{
	static const int needed[] = { F_OFFSET, F_LENGTH, F_TYPE };
	const struct dt_extent *prev = i ? &d->ext[d->nr - 1] : NULL;
	int ret;

	for (size_t k = 0; k < ARRAY_SIZE(needed); k++)
		if (!x->at[needed[k]])
			return dt_jr_error(r, at, "%s\"%s\" is missing",
					   x->where,
					   extent_fields[needed[k]].key);
	if (!x->e.length)
		return dt_jr_error(r, x->at[F_LENGTH], "%s\"length\" is 0",
				   x->where);
	if (x->e.offset > MAX_FILE_SIZE ||
	    x->e.length > MAX_FILE_SIZE - x->e.offset)
		return dt_jr_error(r, at, "%soffset + length overflows the "
				   "largest file size, 2^63 - 1", x->where);
	if ((ret = check_addr(r, x, F_ADDR)) || (ret = check_addr(r, x, F_PHYS)))
		return ret;
	if (prev && x->e.offset < prev->offset + prev->length)
		return dt_jr_error(r, at, "%soverlaps or comes before "
				   "extents[%zu]; extents must be sorted and "
				   "disjoint", x->where, i - 1);
	return 0;
}

static int read_extent(struct dt_jr *r, size_t i, void *arg)
{
	struct extent_ctx x = { .e.type = DT_HOLE };
	struct doc *d = arg;
	const char *at = dt_jr_pos(r);
	char what[32];
	int ret;

	snprintf(what, sizeof(what), "extents[%zu]", i);
	snprintf(x.where, sizeof(x.where), "%s: ", what);
	ret = dt_jr_object(r, what, extent_member, &x);
	if (!ret)
		ret = check_extent(r, d, &x, at, i);
	if (!ret)
		ret = dt_grow((void **)&d->ext, &d->cap, d->nr + 1,
				 sizeof(x.e));
	if (!ret)
		d->ext[d->nr++] = x.e;
	return ret;
}

static int layout_member(struct dt_jr *r, const char *key, void *arg)
{
	struct doc *d = arg;

	if (!strcmp(key, "size")) {
		d->has_size = true;
		return dt_jr_u64(r, "\"size\"", MAX_FILE_SIZE,
				 "2^63 - 1, the largest file size", &d->size);
	}
	if (!strcmp(key, "extents")) {
		d->has_extents = true;
		return dt_jr_array(r, "\"extents\"", read_extent, d);
	}
	return dt_jr_skip(r);	/* path, source, backing, summary, ... */
}

static int read_layout(struct dt_jr *r, struct doc *d)
{
	const char *at = dt_jr_pos(r);
	int ret = dt_jr_object(r, NULL, layout_member, d);

	if (!ret && !d->has_extents)
		ret = dt_jr_error(r, at, "\"extents\" is missing");
	d->has_layout = true;
	return ret;
}

/* `daxtool map --json`: an array of one layout */
static int read_map_element(struct dt_jr *r, size_t i, void *arg)
{
	struct doc *d = arg;

	d->nr_layouts++;
	if (i)
		return dt_jr_skip(r);
	d->first = dt_jr_pos(r);
	return dt_jr_peek(r) == DT_JR_OBJECT ? read_layout(r, d) :
		dt_jr_skip(r);
}

static int read_document(struct dt_jr *r, struct doc *d)
{
	const char *at = dt_jr_pos(r);
	int ret;

	switch (dt_jr_peek(r)) {
	case DT_JR_OBJECT:
		ret = read_layout(r, d);
		break;
	case DT_JR_ARRAY:
		ret = dt_jr_array(r, NULL, read_map_element, d);
		if (!ret && d->nr_layouts != 1)
			ret = dt_jr_error(r, at, "the document holds %zu "
					  "layouts, give one", d->nr_layouts);
		if (!ret && !d->has_layout)
			ret = dt_jr_error(r, d->first, "expected an object "
					  "with \"extents\"");
		break;
	default:
		ret = dt_jr_skip(r);
		if (!ret)
			ret = dt_jr_error(r, at, "expected an object with "
					  "\"extents\"");
	}
	return ret ? ret : dt_jr_end(r);
}

/* --- the source -------------------------------------------------------- */

static int layout_begin(struct dt_source *src, uint64_t pos, uint64_t len,
			struct dt_extent *ext)
{
	const struct layout *l = src->priv;
	size_t lo = 0, hi = l->nr;

	/* the first extent ending after pos */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->ext[mid].offset + l->ext[mid].length <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < l->nr && l->ext[lo].offset <= pos) {
		*ext = l->ext[lo];
		return 0;
	}
	ext->offset = pos;
	ext->length = (lo < l->nr && l->ext[lo].offset - pos < len) ?
		l->ext[lo].offset - pos : len;
	ext->type = DT_HOLE;
	ext->addr = DT_NO_ADDR;
	return 0;
}

static void layout_release(struct dt_source *src)
{
	struct layout *l = src->priv;

	if (l)
		free(l->ext);
	free(l);
}

static const struct dt_source_ops layout_ops = {
	.name = "layout",
	.begin = layout_begin,
	.release = layout_release,
};

int dt_layout_parse(struct dt_source *src, const char *buf, size_t len,
		    char *err, size_t errlen)
{
	struct dt_jr r;
	struct doc d = { 0 };
	struct layout *l;
	int ret;

	dt_jr_init(&r, buf, len, err, errlen);
	ret = read_document(&r, &d);
	dt_jr_release(&r);
	l = ret ? NULL : calloc(1, sizeof(*l));
	if (!ret && !l)
		ret = -ENOMEM;
	if (ret) {
		free(d.ext);
		return ret;
	}
	l->nr = d.nr;
	l->ext = d.ext;
	if (!d.has_size)
		d.size = l->nr ? l->ext[l->nr - 1].offset +
			l->ext[l->nr - 1].length : 0;
	*src = (struct dt_source) { .ops = &layout_ops, .size = d.size,
				    .priv = l };
	return 0;
}

int dt_layout_source_string(struct dt_source *src, const char *json,
			    char *err, size_t errlen)
{
	return dt_layout_parse(src, json, strlen(json), err, errlen);
}

/* --- the file ---------------------------------------------------------- */

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const struct { mode_t type; const char *name; } file_types[] = {
	{ S_IFDIR, "a directory" }, { S_IFIFO, "a fifo" },
	{ S_IFCHR, "a character device" }, { S_IFBLK, "a block device" },
	{ S_IFSOCK, "a socket" },
};

/* A layout is a regular file of at most DT_LAYOUT_MAX_BYTES. */
static int check_file(const struct stat *st, char *err, size_t errlen)
{
	const char *what = "not a regular file";

	if (S_ISREG(st->st_mode) && st->st_size <= DT_LAYOUT_MAX_BYTES)
		return 0;
	if (S_ISREG(st->st_mode))
		return fail(err, errlen, "%jd bytes: a layout is read only up "
			    "to 1 GiB", (intmax_t)st->st_size);
	for (size_t i = 0; i < ARRAY_SIZE(file_types); i++)
		if ((st->st_mode & S_IFMT) == file_types[i].type)
			what = file_types[i].name;
	return fail(err, errlen, "%s: a layout must be a regular file", what);
}

static int read_all(int fd, char **out, size_t *len, char *err, size_t errlen)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;
	ssize_t got;

	do {
		/* one byte past the limit tells a file that grew past it */
		if (n == cap && dt_grow((void **)&buf, &cap, n + 65536, 1)) {
			free(buf);
			return -ENOMEM;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(buf);
			return -errno;
		}
		n += (size_t)got;
		if (n > DT_LAYOUT_MAX_BYTES) {
			free(buf);
			return fail(err, errlen, "more than 1 GiB: a layout "
				    "is read only up to 1 GiB");
		}
	} while (got);
	*out = buf;
	*len = n;
	return 0;
}

int dt_layout_source(struct dt_source *src, const char *path,
		     char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int fd, flags, ret;

	if (errlen)
		err[0] = '\0';
	/* look before opening: opening a device can do things */
	if (stat(path, &st) < 0)
		return -errno;
	ret = check_file(&st, err, errlen);
	if (ret)
		return ret;
	/* and again after, on what was opened: a fifo does not block */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		ret = -errno;
	else
		ret = check_file(&st, err, errlen);
	flags = ret ? 0 : fcntl(fd, F_GETFL);
	if (!ret && (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0))
		ret = -errno;
	if (!ret)
		ret = read_all(fd, &buf, &len, err, errlen);
	close(fd);
	if (!ret)
		ret = dt_layout_parse(src, buf, len, err, errlen);
	free(buf);
	return ret;
}
