// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz what users type: sizes and ranges, and the escaping of messages
 * that quote them. Checked against a plain reference (strtoull for
 * digits alone) and against the promises of util.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxtool/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_size(const char *s)
{
	const char *why = NULL;
	uint64_t v = 0, again = 0;
	char buf[32];
	int ret = dt_parse_size(s, &v, &why);

	if (ret && (!why || !*why || (ret != -EINVAL && ret != -ERANGE)))
		abort();
	if (ret)
		return;
	/* what was read is what it prints as */
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	if (dt_parse_size(buf, &again, &why) || again != v)
		abort();
	/* plain decimal digits agree with strtoull */
	if (strspn(s, "0123456789") == strlen(s) &&
	    strtoull(s, NULL, 10) != v)
		abort();
}

static void check_range(const char *s)
{
	uint64_t off = 0, len = 0;
	bool has_len = false;
	const char *why = NULL;
	int ret = dt_parse_range(s, &off, &len, &has_len, &why);

	if (ret && (!why || !*why))
		abort();
	if (!ret && has_len && (!len || off + len < off))
		abort();
	if (!ret && has_len != !!strchr(s, ':'))
		abort();
}

static void check_escape(const char *s)
{
	size_t n = dt_escape(NULL, 0, s), cut;
	char *out = malloc(n + 1), *part;

	if (!out)
		return;
	if (dt_escape(out, n + 1, s) != n || strlen(out) != n)
		abort();
	for (const unsigned char *p = (const unsigned char *)out; *p;) {
		size_t len = dt_utf8_len(p, strlen((const char *)p));

		/* valid UTF-8, and no control character left */
		if (!len || (len == 1 && (*p < 0x20 || *p == 0x7f)) ||
		    (len == 2 && p[0] == 0xc2 && p[1] < 0xa0))
			abort();
		p += len;
	}
	/* a short buffer holds a prefix of the whole */
	cut = n / 2 + 1;
	part = malloc(cut);
	if (part) {
		dt_escape(part, cut, s);
		if (strncmp(part, out, strlen(part)) || strlen(part) >= cut)
			abort();
	}
	free(part);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_size(s);
	check_range(s);
	check_escape(s);
	free(s);
	return 0;
}
