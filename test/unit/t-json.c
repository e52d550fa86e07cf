// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON writer and the print layer: escaping, invalid UTF-8, nesting,
 * numbers at their limits, null, text formats and stand-ins, and a
 * target failing part-way (dropped while none of it was written out,
 * closed with an "error" member once some was).
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>

#include "daxtool/fmt.h"
#include "daxtool/json-writer.h"
#include "daxtool/print.h"
#include "tap.h"

/* A writer into memory: run @fn, return what it wrote (malloc'd). */
static char *jw_capture(void (*fn)(struct dt_jw *w, const void *arg),
			const void *arg, bool lines)
{
	struct dt_outbuf ob = { 0 };
	struct dt_jw w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	dt_ob_init(&ob, f, 1 << 20);
	dt_jw_init(&w, &ob, lines);
	fn(&w, arg);
	dt_ob_flush(&ob);
	dt_ob_free(&ob);
	fclose(f);
	return buf;
}

/* Strict parse, or NULL. */
static struct json_object *parse(const char *s)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, s, (int)strlen(s));
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    tok->char_offset != (int)strlen(s)) {
		/* trailing whitespace is fine */
		const char *rest = s + tok->char_offset;

		if (json_tokener_get_error(tok) != json_tokener_success ||
		    rest[strspn(rest, " \n")]) {
			json_object_put(o);
			o = NULL;
		}
	}
	json_tokener_free(tok);
	return o;
}

static void one_string(struct dt_jw *w, const void *arg)
{
	dt_jw_str(w, NULL, arg);
}

/* Whether @in comes back from JSON as @want, with only ASCII on the wire. */
static bool string_is(const char *in, const char *want, bool ascii)
{
	char *out = jw_capture(one_string, in, false);
	struct json_object *o = parse(out);
	bool ok = o && json_object_is_type(o, json_type_string) &&
		  !strcmp(json_object_get_string(o), want);

	for (const char *p = out; ascii && *p; p++)
		if ((unsigned char)*p >= 0x80 || (unsigned char)*p < 0x20)
			ok = false;
	if (!ok)
		printf("# %s\n", out);
	json_object_put(o);
	free(out);
	return ok;
}

static void test_escaping(void)
{
	char in[2] = { 0 };
	bool all = true;

	for (int c = 1; c < 0x20; c++) {
		in[0] = (char)c;
		all &= string_is(in, in, true);
	}
	CHECK(all, "json: every control character is escaped and comes back");
	CHECK(string_is("\x7f", "\x7f", true), "json: DEL is escaped");
	CHECK(string_is("a\"b\\c/d", "a\"b\\c/d", true), "json: quote and backslash");
	CHECK(string_is("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
			"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", false),
	      "json: valid UTF-8 passes unchanged");

	static const struct { const char *in, *want, *name; } bad[] = {
		{ "a\xff" "b", "a\xef\xbf\xbd" "b", "a stray byte" },
		{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd", "an overlong form" },
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "a surrogate" },
		{ "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
		  "past U+10FFFF" },
		{ "x\xe2\x82", "x\xef\xbf\xbd\xef\xbf\xbd", "a sequence cut at the end" },
		{ "\xe2\x28\xa1", "\xef\xbf\xbd(\xef\xbf\xbd", "a bad continuation" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(string_is(bad[i].in, bad[i].want, false),
		      "json: invalid UTF-8 (%s) becomes U+FFFD", bad[i].name);
}

static void numbers(struct dt_jw *w, const void *arg)
{
	(void)arg;
	dt_jw_begin_object(w, NULL, false);
	dt_jw_u64(w, "umax", UINT64_MAX);
	dt_jw_u64(w, "zero", 0);
	dt_jw_i64(w, "imin", INT64_MIN);
	dt_jw_i64(w, "imax", INT64_MAX);
	dt_jw_double(w, "half", 0.5);
	dt_jw_double(w, "nan", NAN);
	dt_jw_double(w, "inf", -INFINITY);
	dt_jw_null(w, "null");
	dt_jw_bool(w, "t", true);
	dt_jw_end(w);
}

static void test_numbers(void)
{
	char *out = jw_capture(numbers, NULL, false);
	struct json_object *o = parse(out), *v;

	CHECK(o != NULL, "json: numbers: a valid document");
	CHECK(strstr(out, "\"umax\":18446744073709551615") != NULL,
	      "json: 2^64-1 printed exactly");
	CHECK(strstr(out, "\"imin\":-9223372036854775808") != NULL,
	      "json: -2^63 printed exactly");
	CHECK(o && json_object_object_get_ex(o, "nan", &v) && !v &&
	      json_object_object_get_ex(o, "inf", &v) && !v,
	      "json: NaN and infinity are null");
	CHECK(o && json_object_object_get_ex(o, "null", &v) && !v,
	      "json: null");
	CHECK(o && json_object_object_get_ex(o, "half", &v) &&
	      json_object_get_double(v) == 0.5, "json: a double");
	json_object_put(o);
	free(out);
}

/* Digits: every power of ten and its neighbours, against printf. */
static void test_digits(void)
{
	bool ok = true;
	char want[32], buf[32], *p;
	uint64_t t = 1;

	for (int i = 0; i < 20; i++, t *= 10) {
		uint64_t vs[] = { t - 1, t, t + 1 };

		for (int j = 0; j < 3; j++) {
			int n = snprintf(want, sizeof(want), "%" PRIu64, vs[j]);

			p = dt_utoa(buf + sizeof(buf), vs[j], 10);
			if (dt_udigits(vs[j]) != (size_t)n ||
			    (size_t)(buf + sizeof(buf) - p) != (size_t)n ||
			    memcmp(p, want, (size_t)n)) {
				fprintf(stderr, "digits of %s: %zu\n", want,
					dt_udigits(vs[j]));
				ok = false;
			}
		}
	}
	p = dt_utoa(buf + sizeof(buf), UINT64_MAX, 10);
	ok = ok && dt_udigits(UINT64_MAX) == 20 &&
	     !memcmp(p, "18446744073709551615", 20);
	p = dt_utoa(buf + sizeof(buf), UINT64_MAX, 16);
	ok = ok && !memcmp(p, "ffffffffffffffff", 16);
	CHECK(ok && dt_udigits(0) == 1, "fmt: digit counts and digits at every power of ten, 0 and 2^64-1");
}

/* Keys and strings of every length from 0 to 70, each copied whole. */
static void lengths(struct dt_jw *w, const void *arg)
{
	char s[72];

	(void)arg;
	dt_jw_begin_object(w, NULL, false);
	for (int n = 0; n <= 70; n++) {
		char key[8];

		memset(s, 'a' + n % 26, (size_t)n);
		s[n] = '\0';
		snprintf(key, sizeof(key), "s%d", n);
		dt_jw_str(w, key, s);
		dt_jw_u64(w, s[0] ? s : "empty", (uint64_t)n);
	}
	dt_jw_end(w);
}

static void test_lengths(void)
{
	char *out = jw_capture(lengths, NULL, false);
	struct json_object *o = parse(out), *v;
	bool ok = o != NULL;
	char s[72], key[8];

	for (int n = 0; ok && n <= 70; n++) {
		memset(s, 'a' + n % 26, (size_t)n);
		s[n] = '\0';
		snprintf(key, sizeof(key), "s%d", n);
		ok = json_object_object_get_ex(o, key, &v) &&
		     !strcmp(json_object_get_string(v), s) &&
		     json_object_object_get_ex(o, n ? s : "empty", &v) &&
		     json_object_get_uint64(v) == (uint64_t)n;
		if (!ok)
			fprintf(stderr, "length %d\n", n);
	}
	CHECK(ok, "json: keys and strings of 0 to 70 bytes written whole");
	json_object_put(o);
	free(out);
}

static void nesting(struct dt_jw *w, const void *arg)
{
	(void)arg;
	dt_jw_begin_array(w, NULL, false);
	dt_jw_begin_object(w, NULL, false);
	dt_jw_begin_array(w, "empty", false);
	dt_jw_end(w);
	dt_jw_begin_object(w, "none", false);
	dt_jw_end(w);
	dt_jw_begin_array(w, "rows", false);
	for (int i = 0; i < 3; i++) {
		dt_jw_begin_object(w, NULL, true);
		dt_jw_u64(w, "i", (uint64_t)i);
		dt_jw_begin_array(w, "flags", true);
		dt_jw_str(w, NULL, "a");
		dt_jw_str(w, NULL, "b");
		dt_jw_end(w);
		dt_jw_end(w);
	}
	dt_jw_end(w);
	dt_jw_end(w);
	dt_jw_begin_object(w, NULL, false);
	dt_jw_begin_object(w, "deep", false);
	dt_jw_begin_array(w, "deeper", false);
	dt_jw_u64(w, NULL, 1);
	dt_jw_end_to(w, 0);	/* close everything */
}

static void lines(struct dt_jw *w, const void *arg)
{
	(void)arg;
	for (int i = 0; i < 3; i++) {
		dt_jw_begin_object(w, NULL, false);
		dt_jw_u64(w, "i", (uint64_t)i);
		dt_jw_begin_array(w, "a", false);
		dt_jw_end(w);
		dt_jw_end(w);
	}
}

static void test_nesting(void)
{
	char *out = jw_capture(nesting, NULL, false);
	struct json_object *o = parse(out);

	CHECK(o && json_object_array_length(o) == 2, "json: nesting: a valid document");
	CHECK(strstr(out, "{\"i\":1,\"flags\":[\"a\",\"b\"]}") != NULL,
	      "json: a row is on one line");
	CHECK(strstr(out, "\"empty\":[]") && strstr(out, "\"none\":{}"),
	      "json: empty array and object");
	json_object_put(o);
	free(out);

	out = jw_capture(lines, NULL, true);
	bool ok = true;
	int n = 0;

	for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n"), n++) {
		struct json_object *x = parse(l);

		ok &= x != NULL;
		json_object_put(x);
	}
	CHECK(ok && n == 3, "json: lines: one valid value per line (%d)", n);
	free(out);
}

/* The print layer writes to stdout: point stdout at a file for a while. */
static FILE *cap;
static int saved_fd = -1;

static void capture_begin(void)
{
	fflush(stdout);
	cap = tmpfile();
	saved_fd = dup(STDOUT_FILENO);
	dup2(fileno(cap), STDOUT_FILENO);
}

static char *capture_end(void)
{
	long n;
	char *buf;

	fflush(stdout);
	dup2(saved_fd, STDOUT_FILENO);
	close(saved_fd);
	n = lseek(fileno(cap), 0, SEEK_END);
	buf = calloc(1, (size_t)n + 1);
	if (pread(fileno(cap), buf, (size_t)n, 0) != n)
		buf[0] = '\0';
	fclose(cap);
	return buf;
}

/* A target that prints @rows extents, then fails. */
static void failing_target(const char *path, int rows)
{
	struct dt_print_mark mark = dt_print_mark();

	dt_print_begin_object(NULL);
	dt_print_meta();
	dt_print_str(DT_ANY, "path", "%s:\n", path);
	dt_print_begin_array("extents");
	for (int i = 0; i < rows; i++) {
		dt_print_begin_row(NULL);
		dt_print_u64(DT_ANY, "offset", "  %12" PRIu64, (uint64_t)i * 4096);
		dt_print_str(DT_ANY, "type", " %s\n", "mapped");
		dt_print_end_object();
	}
	dt_print_fail(mark, path, "it failed");
}

static void good_target(const char *path)
{
	dt_print_begin_object(NULL);
	dt_print_meta();
	dt_print_str(DT_ANY, "path", "%s: ok\n", path);
	dt_print_end_object();
}

static void test_failure(void)
{
	struct json_object *o, *e, *v;
	char *out;

	capture_begin();
	dt_print_init(DT_PF_JSON, false);
	dt_print_begin_array(NULL);
	good_target("a");
	failing_target("small", 10);		/* dropped: still held */
	failing_target("large", 100000);	/* written out: closed */
	good_target("b");
	dt_print_end_array();
	dt_print_finish();
	out = capture_end();
	o = parse(out);
	CHECK(o && json_object_array_length(o) == 4,
	      "print: targets failing part-way leave a valid document");
	e = o ? json_object_array_get_idx(o, 1) : NULL;
	CHECK(e && json_object_object_length(e) == 4 &&
	      json_object_object_get_ex(e, "error", &v) &&
	      !strcmp(json_object_get_string(v), "it failed") &&
	      !json_object_object_get_ex(e, "extents", NULL),
	      "print: a failure before anything was written out: path and error only");
	e = o ? json_object_array_get_idx(o, 2) : NULL;
	CHECK(e && json_object_object_get_ex(e, "error", &v) &&
	      json_object_object_get_ex(e, "extents", &v) &&
	      json_object_array_length(v) > 0,
	      "print: a failure after output was written out: the object gets an error");
	e = o ? json_object_array_get_idx(o, 3) : NULL;
	CHECK(e && json_object_object_get_ex(e, "path", &v) &&
	      !strcmp(json_object_get_string(v), "b"),
	      "print: the next target follows");
	json_object_put(o);
	free(out);

	/* text: a failure drops what is held, keeps what was written out */
	capture_begin();
	dt_print_init(DT_PF_TEXT, false);
	failing_target("small", 2);
	good_target("b");
	dt_print_finish();
	out = capture_end();
	CHECK(!strcmp(out, "b: ok\n"), "print: text of a failed target is dropped while held");
	free(out);
}

/* Paddings past the short copies, a value longer than them, a literal
 * longer than the room asked for first, a second conversion as text. */
static void test_text_wide(void)
{
	char *out, want[512], lit[201];

	memset(lit, 'L', 200);
	lit[200] = '\0';
	capture_begin();
	dt_print_init(DT_PF_TEXT, false);
	dt_print_str(DT_ANY, "k", "[%40s]", "ab");
	dt_print_str(DT_ANY, "k", "[%-40s]", "ab");
	dt_print_u64(DT_ANY, "k", "[%040" PRIu64 "]", 7);
	dt_print_i64(DT_ANY, "k", "[%05" PRId64 "]", -42);
	dt_print_str(DT_ANY, "k", "[%s]", "0123456789abcdefghijklmnopqrstuvwxyz");
	dt_print_str(DT_ANY, "k", "[%.3s|%s %d]", "abcdef");
	dt_print_str(DT_ANY, "k", "%s", lit);
	dt_print_finish();
	out = capture_end();
	snprintf(want, sizeof(want), "[%40s][%-40s][%040d][%05d]"
		 "[0123456789abcdefghijklmnopqrstuvwxyz][abc|%%s %%d]%s",
		 "ab", "ab", 7, -42, lit);
	CHECK(!strcmp(out, want), "print: wide paddings, long values and literals: '%s'", out);
	free(out);
}

/* dt_print_cols prints what the per-value calls print, in every format,
 * inside a row and outside one. */
static const char *flag_name(unsigned bit)
{
	static const char *const names[] = { "a", "tab\there", "c" };

	/* bits past the names: long ones, so that a join outgrows 256 */
	return bit < 3 ? names[bit] : "a-name-of-forty-bytes-a-name-of-forty-by";
}

/* A FLAGS column by the per-value calls: an array of names in JSON, the
 * names joined by ',' in text. */
static void flags_by_values(const struct dt_col *c, const struct dt_cval *v)
{
	char text[4096] = "";

	if (!v->known) {
		dt_print_null(c->mode, c->key, c->fmt, c->standin);
		return;
	}
	if (c->mode & DT_JSON)
		dt_print_begin_inline_array(c->key);
	for (uint64_t f = v->u; f; f &= f - 1) {
		const char *name = flag_name((unsigned)__builtin_ctzll(f));

		if (c->mode & DT_JSON)
			dt_print_str(DT_JSON, NULL, NULL, name);
		if (text[0])
			strcat(text, ",");
		strcat(text, name);
	}
	if (c->mode & DT_JSON)
		dt_print_end_array();
	dt_print_str_opt((enum dt_pmode)(c->mode & DT_TEXT), c->key, c->fmt, text,
			 c->standin);
}
static const struct dt_col cols_col[] = {
	{ DT_ANY, DT_C_SIZE, "offset", "  %12s", NULL, NULL },
	{ DT_ANY | DT_HUMAN, DT_C_SIZE, "align", " %6s ", NULL, NULL },
	{ DT_ANY, DT_C_U64, "hex", " [%08" PRIx64 "]", "-", NULL },
	{ DT_ANY, DT_C_U64, "n", " %-4" PRIu64 "|", "-", NULL },
	{ DT_ANY, DT_C_STR, "type", " %-9s", NULL, NULL },
	{ DT_ANY, DT_C_ADDR, "addr", " %14s", "-", NULL },
	{ DT_JSON, DT_C_STR, "dev", NULL, NULL, NULL },
	{ DT_TEXT, DT_C_STR, "text_only", " <%s>", "?", NULL },
	{ DT_ANY, DT_C_STR, "a_key_of_twenty_eight_bytes_", " %.3s", "none", NULL },
	{ DT_ANY, DT_C_STR, "ctl", " 100%% %s %d", "", NULL },
	{ DT_ANY, DT_C_FLAGS, "flags", " (%-6s)", "-", .name = flag_name },
	{ DT_JSON, DT_C_FLAGS, "jflags", NULL, NULL, .name = flag_name },
};
static struct dt_cols cols_t = DT_COLS(cols_col);

static void cols_by_values(const struct dt_cval *v)
{
	const struct dt_col *c = cols_col;

	dt_print_size(c[0].mode, c[0].key, c[0].fmt, v[0].u);
	dt_print_size(c[1].mode, c[1].key, c[1].fmt, v[1].u);
	if (v[2].known)
		dt_print_u64(c[2].mode, c[2].key, c[2].fmt, v[2].u);
	else
		dt_print_null(c[2].mode, c[2].key, c[2].fmt, c[2].standin);
	if (v[3].known)
		dt_print_u64(c[3].mode, c[3].key, c[3].fmt, v[3].u);
	else
		dt_print_null(c[3].mode, c[3].key, c[3].fmt, c[3].standin);
	dt_print_str_opt(c[4].mode, c[4].key, c[4].fmt, v[4].s, c[4].standin);
	if (v[5].known)
		dt_print_addr(c[5].mode, c[5].key, c[5].fmt, v[5].u);
	else
		dt_print_null(c[5].mode, c[5].key, c[5].fmt, c[5].standin);
	for (int i = 6; i < 10; i++)
		dt_print_str_opt(c[i].mode, c[i].key, c[i].fmt,
				 v[i].known ? v[i].s : NULL, c[i].standin);
	flags_by_values(&c[10], &v[10]);
	flags_by_values(&c[11], &v[11]);
}

static char *cols_out(enum dt_pformat f, bool row, bool by_cols,
		      const struct dt_cval *v)
{
	capture_begin();
	dt_print_init(f, false);
	dt_print_begin_array(NULL);
	for (int r = 0; r < 3; r++) {	/* the second row on: formats kept */
		if (row)
			dt_print_begin_row(NULL);
		else
			dt_print_begin_object(NULL);
		if (r == 1)
			dt_print_str(DT_JSON, "before", NULL, "x");
		if (by_cols)
			dt_print_cols(&cols_t, v);
		else
			cols_by_values(v);
		dt_print_text("\n");
		dt_print_end_object();
	}
	dt_print_end_array();
	dt_print_finish();
	return capture_end();
}

static void test_cols(void)
{
	static const struct dt_cval sets[][12] = {
		{ { true, .u = 0 }, { true, .u = 2097152 }, { true, .u = 255 },
		  { true, .u = 7 }, { true, .s = "unwritten" },
		  { true, .u = 0x200000 }, { true, .s = "pmem0" },
		  { true, .s = "t" }, { true, .s = "abcdef" },
		  { true, .s = "tab\there" }, { true, .u = 1 },
		  { true, .u = 5 } },
		{ { true, .u = UINT64_MAX }, { true, .u = 3 << 20 | 512 },
		  { false }, { false }, { true, .s = "" }, { false },
		  { false, .s = "pmem0" }, { false }, { false },
		  { true, .s = "\x1b[31m\xff" }, { true, .u = 0 },
		  { false } },
		{ { true, .u = 1 }, { true, .u = 1 }, { true, .s = "x" },
		  { true, .u = 0 }, { true, .s = "x" }, { true, .u = 0 },
		  { true, .s = "x" }, { true, .s = "x" }, { true, .s = "x" },
		  { true, .s = "x" }, { true, .u = 2 }, { true, .u = 0 } },
		{ { true, .u = 1 }, { true, .u = 1 }, { true, .s = "x" },
		  { true, .u = 0 }, { true, .s = "x" }, { true, .u = 0 },
		  { true, .s = "x" }, { true, .s = "x" }, { true, .s = "x" },
		  { true, .s = "x" }, { true, .u = 0xffff },
		  { true, .u = 0x8000000000000003ull } },
	};
	bool ok = true;

	for (unsigned s = 0; s < sizeof(sets) / sizeof(sets[0]); s++)
		for (int f = DT_PF_TEXT; f <= DT_PF_NDJSON; f++)
			for (int row = 0; row < 2; row++) {
				char *a = cols_out(f, row, true, sets[s]);
				char *b = cols_out(f, row, false, sets[s]);

				if (strcmp(a, b)) {
					fprintf(stderr, "set %u format %d row %d:\n%s\n--- want\n%s\n",
						s, f, row, a, b);
					ok = false;
				}
				free(a);
				free(b);
			}
	CHECK(ok, "print: a row's columns in one call print what the per-value calls print, in text, JSON and NDJSON, in a row and out of one");
}

static void test_text(void)
{
	char *out;

	capture_begin();
	dt_print_init(DT_PF_TEXT, false);
	dt_print_str(DT_ANY, "k", "[%-6s]", "ab");
	dt_print_str(DT_ANY, "k", "[%6s]", "ab");
	dt_print_u64(DT_ANY, "k", "[%6" PRIu64 "]", 42);
	dt_print_u64(DT_ANY, "k", "[%06" PRIu64 "]", 42);
	dt_print_u64(DT_ANY, "k", "[%" PRIx64 "]", 255);
	dt_print_i64(DT_ANY, "k", "[%" PRId64 "]", -7);
	dt_print_addr(DT_ANY, "k", "[%s]", 0x200000);
	dt_print_size(DT_ANY, "k", "[%s]", 2097152);
	dt_print_size(DT_ANY | DT_HUMAN, "k", "[%s]", 2097152);
	dt_print_double(DT_ANY, "k", "[%.2f]", 1.005);
	dt_print_bool(DT_ANY, "k", "[%s]", true);
	dt_print_str(DT_ANY, "k", "[100%%: %s]", "x");
	dt_print_u64_opt(DT_ANY, "k", "[%6" PRIu64 "]", 0, "-");
	dt_print_str_opt(DT_ANY, "k", "[%s]", NULL, NULL);
	dt_print_addr_opt(DT_ANY, "k", "[%-4s]", UINT64_MAX, "?");
	dt_print_double_opt(DT_ANY, "k", "[%.1f]", NAN, "n/a");
	dt_print_u64(DT_JSON, "k", "[json only]", 1);
	dt_print_u64(DT_ANY, "k", NULL, 1);
	dt_print_text("\n");
	dt_print_finish();
	out = capture_end();
	CHECK(!strcmp(out, "[ab    ][    ab][    42][000042][ff][-7][0x200000]"
		      "[2097152][2M][1.00][yes][100%: x][     -][?   ][n/a]\n"),
	      "print: text formats, stand-ins, and one-sided values: '%s'", out);
	free(out);

	capture_begin();
	dt_print_init(DT_PF_JSON, false);
	dt_print_begin_object(NULL);
	dt_print_u64_opt(DT_ANY, "a", "%" PRIu64, 0, "-");
	dt_print_str(DT_TEXT, "b", "%s", "text only");
	dt_print_str(DT_ANY, "c", NULL, "x");
	dt_print_end_object();
	dt_print_finish();
	out = capture_end();
	CHECK(!strcmp(out, "{\n  \"a\":null,\n  \"c\":\"x\"\n}\n"),
	      "print: JSON: null for unknown, text-only values left out: '%s'", out);
	free(out);
}

int main(void)
{
	test_escaping();
	test_numbers();
	test_digits();
	test_lengths();
	test_nesting();
	test_failure();
	test_text();
	test_text_wide();
	test_cols();
	TAP_EXIT();
}
