// SPDX-License-Identifier: GPL-2.0-only
/*
 * Layout source: an extent list given as JSON. Gaps between the extents
 * are holes, as in FIEMAP; explicit hole extents are accepted too, so a
 * `daxtool map --json` document can be edited and fed back.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "daxtool/sources.h"

struct layout {
	size_t nr;
	struct dt_extent ext[];
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A non-negative integer member; *present says whether it was there. */
static int get_u64(struct json_object *obj, const char *key, uint64_t *out,
		   bool *present, char *where, char *err, size_t errlen)
{
	struct json_object *v;

	*present = json_object_object_get_ex(obj, key, &v);
	if (!*present)
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return fail(err, errlen, "%s\"%s\" is not an integer",
			    where, key);
	errno = 0;
	if (json_object_get_int64(v) < 0)
		return fail(err, errlen, "%s\"%s\" is negative", where, key);
	*out = json_object_get_uint64(v);
	if (errno)
		return fail(err, errlen, "%s\"%s\" is out of range", where, key);
	return 0;
}

static int parse_extent(struct json_object *jx, struct dt_extent *ext,
			char *where, char *err, size_t errlen)
{
	struct json_object *jt, *jf;
	bool has_off, has_len, has_addr, has_phys;
	int ret, t;

	if (!json_object_is_type(jx, json_type_object))
		return fail(err, errlen, "%snot an object", where);
	if ((ret = get_u64(jx, "offset", &ext->offset, &has_off, where, err, errlen)) ||
	    (ret = get_u64(jx, "length", &ext->length, &has_len, where, err, errlen)) ||
	    (ret = get_u64(jx, "addr", &ext->addr, &has_addr, where, err, errlen)) ||
	    (ret = get_u64(jx, "phys", &ext->phys, &has_phys, where, err, errlen)))
		return ret;
	if (!has_off || !has_len)
		return fail(err, errlen, "%s\"%s\" is missing", where,
			    has_off ? "length" : "offset");
	if (!ext->length)
		return fail(err, errlen, "%s\"length\" is 0", where);
	if (ext->offset + ext->length < ext->offset ||
	    ext->offset + ext->length > (uint64_t)INT64_MAX)
		return fail(err, errlen, "%soffset + length overflows", where);
	if (!has_addr)
		ext->addr = DT_NO_ADDR;
	if (!has_phys)
		ext->phys = DT_NO_ADDR;
	if (!json_object_object_get_ex(jx, "type", &jt) ||
	    !json_object_is_type(jt, json_type_string))
		return fail(err, errlen, "%s\"type\" is missing or not a string",
			    where);
	t = dt_type_parse(json_object_get_string(jt));
	if (t < 0)
		return fail(err, errlen, "%sunknown type \"%s\"", where,
			    json_object_get_string(jt));
	ext->type = t;
	if (t == DT_HOLE)
		ext->addr = ext->phys = DT_NO_ADDR;
	if (!json_object_object_get_ex(jx, "flags", &jf))
		return 0;
	if (!json_object_is_type(jf, json_type_array))
		return fail(err, errlen, "%s\"flags\" is not an array", where);
	for (size_t i = 0; i < json_object_array_length(jf); i++) {
		struct json_object *s = json_object_array_get_idx(jf, i);
		int bit = json_object_is_type(s, json_type_string) ?
			dt_flag_parse(json_object_get_string(s)) : -1;

		if (bit < 0)
			return fail(err, errlen, "%sunknown flag %s", where,
				    json_object_to_json_string(s));
		/* clipping is the iterator's to say, not the data's */
		ext->flags |= bit & ~(DT_F_CLIPPED | DT_F_PAST_EOF);
	}
	return 0;
}

static int parse_layout(struct json_object *root, struct dt_source *src,
			struct layout **out, char *err, size_t errlen)
{
	struct json_object *jext;
	struct layout *l;
	bool has_size;
	char where[64];
	size_t nr;
	int ret;

	if (json_object_is_type(root, json_type_array)) {
		if (json_object_array_length(root) != 1)
			return fail(err, errlen, "the document holds %zu "
				    "layouts, give one",
				    json_object_array_length(root));
		root = json_object_array_get_idx(root, 0);
	}
	if (!json_object_is_type(root, json_type_object))
		return fail(err, errlen, "expected an object with \"extents\"");
	if (!json_object_object_get_ex(root, "extents", &jext) ||
	    !json_object_is_type(jext, json_type_array))
		return fail(err, errlen, "\"extents\" is missing or not an array");
	nr = json_object_array_length(jext);
	l = calloc(1, sizeof(*l) + nr * sizeof(l->ext[0]));
	if (!l)
		return -ENOMEM;
	l->nr = nr;
	ret = get_u64(root, "size", &src->size, &has_size, "", err, errlen);
	for (size_t i = 0; !ret && i < nr; i++) {
		snprintf(where, sizeof(where), "extents[%zu]: ", i);
		ret = parse_extent(json_object_array_get_idx(jext, i),
				   &l->ext[i], where, err, errlen);
		if (!ret && i && l->ext[i].offset <
		    l->ext[i - 1].offset + l->ext[i - 1].length)
			ret = fail(err, errlen, "%soverlaps or comes before "
				   "extents[%zu]; extents must be sorted and "
				   "disjoint", where, i - 1);
	}
	if (ret) {
		free(l);
		return ret;
	}
	if (!has_size)
		src->size = nr ? l->ext[nr - 1].offset + l->ext[nr - 1].length : 0;
	*out = l;
	return 0;
}

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
	free(src->priv);
}

static const struct dt_source_ops layout_ops = {
	.name = "layout",
	.begin = layout_begin,
	.release = layout_release,
};

int dt_layout_source_string(struct dt_source *src, const char *json,
			    char *err, size_t errlen)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *root;
	struct layout *l = NULL;
	size_t n = strlen(json);
	int ret;

	if (!tok)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, json, (int)n);
	if (!root || json_tokener_get_parse_end(tok) < n) {
		enum json_tokener_error e = json_tokener_get_error(tok);
		size_t at = json_tokener_get_parse_end(tok);

		ret = fail(err, errlen, "invalid JSON at byte %zu: %s", at,
			   e == json_tokener_success ? "trailing data" :
			   e == json_tokener_continue ? "unexpected end" :
			   json_tokener_error_desc(e));
		json_object_put(root);
		json_tokener_free(tok);
		return ret;
	}
	json_tokener_free(tok);
	*src = (struct dt_source) { .ops = &layout_ops };
	ret = parse_layout(root, src, &l, err, errlen);
	json_object_put(root);
	if (ret)
		return ret;
	src->priv = l;
	return 0;
}

int dt_layout_source(struct dt_source *src, const char *path,
		     char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, n;
	int ret;

	if (!f)
		return -errno;
	for (;;) {
		char *nb = realloc(buf, len + 65536 + 1);

		if (!nb) {
			free(buf);
			fclose(f);
			return -ENOMEM;
		}
		buf = nb;
		n = fread(buf + len, 1, 65536, f);
		len += n;
		if (n < 65536)
			break;
	}
	ret = ferror(f) ? -EIO : 0;
	fclose(f);
	if (!ret) {
		buf[len] = '\0';
		if (strlen(buf) != len)
			ret = fail(err, errlen, "NUL byte in the file");
		else
			ret = dt_layout_source_string(src, buf, err, errlen);
	}
	free(buf);
	return ret;
}
