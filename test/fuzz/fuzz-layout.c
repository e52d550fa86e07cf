// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz the layout reader: any bytes in, and for what it accepts, a walk
 * of the source from 0 to its size. Checked: no crash or sanitizer
 * report; an error names its line and column; what is
 * accepted is JSON json-c also reads (its strict mode is laxer than
 * ours, never stricter); the walk is contiguous and stays in bounds.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "daxtool/iomap.h"
#include "daxtool/sources.h"
#include "daxtool/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct walk {
	uint64_t next;
	unsigned long nr;
};

static int step(const struct dt_extent *ext, void *arg)
{
	struct walk *w = arg;

	if (ext->offset != w->next || !ext->length ||
	    ext->offset + ext->length < ext->offset)
		abort();
	if (ext->type != DT_HOLE && ext->addr != DT_NO_ADDR &&
	    ext->addr + ext->length < ext->addr)
		abort();
	w->next = ext->offset + ext->length;
	/* a walk takes at most two steps per extent: bounded by the input */
	if (++w->nr > 1000000)
		abort();
	return 0;
}

/* json-c must take what we take: it is the laxer reader. */
static void json_c_agrees(const char *buf, size_t len)
{
	struct json_tokener *tok = json_tokener_new_ex(128);
	struct json_object *o;

	if (!tok)
		return;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
			       JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, buf, (int)len);
	if (!o || json_tokener_get_parse_end(tok) != len) {
		fprintf(stderr, "accepted, json-c refuses at %zu: %s\n",
			json_tokener_get_parse_end(tok),
			json_tokener_error_desc(json_tokener_get_error(tok)));
		abort();
	}
	json_object_put(o);
	json_tokener_free(tok);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dt_source src;
	struct walk w = { 0 };
	char err[256] = "";
	int ret;

	if (size > (1 << 20))
		return -1;
	ret = dt_layout_parse(&src, (const char *)data, size, err, sizeof(err));
	if (ret) {
		if (ret != -EINVAL && ret != -ENOMEM)
			abort();
		/* said where (what it quotes, dt_err escapes) */
		if (ret == -EINVAL && (!strstr(err, "line ") ||
				       !strstr(err, "column ")))
			abort();
		return 0;
	}
	json_c_agrees((const char *)data, size);
	if (src.size > (uint64_t)INT64_MAX)
		abort();
	ret = dt_iomap_iter(&src, 0, src.size, step, &w);
	if (ret || w.next != src.size)
		abort();
	dt_source_release(&src);
	return 0;
}
