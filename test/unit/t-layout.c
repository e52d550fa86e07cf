// SPDX-License-Identifier: GPL-2.0-only
/*
 * The layout reader: strict JSON, bounded values, errors that say where,
 * a map --json document read back, and only regular files opened.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daxtool/sources.h"
#include "daxtool/util.h"
#include "collect.h"
#include "tap.h"

#define X(off, len, type) \
	"{\"offset\":" #off ",\"length\":" #len ",\"type\":\"" type "\"}"
#define DOC(...) "{\"extents\":[" __VA_ARGS__ "]}"

/* What a reader must refuse: the message and where it points. */
static const struct {
	const char *name, *json, *want, *at;
} refused[] = {
	{ "single quotes", "{'extents':[]}", "single quotes", "line 1, column 2" },
	{ "single-quoted value", DOC("{\"offset\":0,\"length\":1,\"type\":'hole'}"),
	  "single quotes", "line 1, column 43" },
	{ "trailing comma in an array",
	  "{\"extents\":[\n  " X(0, 1, "hole") ",\n]}", "a trailing comma",
	  "line 2, column 40" },
	{ "trailing comma in an object", "{\"extents\":[],}",
	  "a trailing comma", "line 1, column 14" },
	{ "leading zero", DOC("{\"offset\":00,\"length\":1,\"type\":\"hole\"}"),
	  "leading zero", "line 1, column 23" },
	{ "leading zero, negative", DOC("{\"offset\":-01,\"length\":1,\"type\":\"hole\"}"),
	  "leading zero", "line 1, column 24" },
	{ "block comment", "{\"extents\":[] /* none */}", "a comment",
	  "line 1, column 15" },
	{ "line comment", "// layout\n{\"extents\":[]}", "a comment",
	  "line 1, column 1" },
	{ "\\u0000 in a string", DOC("{\"offset\":0,\"length\":1,\"type\":\"mapped\\u0000junk\"}"),
	  "\\u0000 in a string", "line 1, column 50" },
	{ "\\u0000 in an ignored key", "{\"path\":\"a\\u0000b\",\"extents\":[]}",
	  "\\u0000", "line 1, column 11" },
	{ "duplicate key in an extent",
	  DOC("{\"offset\":0,\"length\":1,\n\"offset\":4096,\"type\":\"hole\"}"),
	  "duplicate key \"offset\", first at line 1, column 14",
	  "line 2, column 1" },
	{ "duplicate key at the top", "{\"size\":1,\"extents\":[],\"size\":2}",
	  "duplicate key \"size\"", "line 1, column 24" },
	{ "duplicate key, one escaped", "{\"extents\":[],\"\\u0065xtents\":[]}",
	  "duplicate key \"extents\"", "line 1, column 15" },
	{ "duplicate key in an ignored object",
	  "{\"backing\":{\"dev\":\"a\",\"dev\":\"b\"},\"extents\":[]}",
	  "duplicate key \"dev\"", "line 1, column 23" },
	{ "NaN", DOC("{\"offset\":NaN,\"length\":1,\"type\":\"hole\"}"),
	  "'NaN' is not a JSON value", "line 1, column 23" },
	{ "Infinity", "{\"size\":Infinity,\"extents\":[]}",
	  "'Infinity' is not a JSON value", "line 1, column 9" },
	{ "-Infinity", "{\"size\":-Infinity,\"extents\":[]}",
	  "expected a digit after '-', found 'I'", "line 1, column 10" },
	{ "fraction", DOC("{\"offset\":1.0,\"length\":1,\"type\":\"hole\"}"),
	  "extents[0]: \"offset\" is not an integer: 1.0", "line 1, column 23" },
	{ "exponent", "{\"size\":1e3,\"extents\":[]}",
	  "\"size\" is not an integer: 1e3", "line 1, column 9" },
	{ "string for an integer", DOC("{\"offset\":\"0\",\"length\":1,\"type\":\"hole\"}"),
	  "\"offset\" is not an integer", "line 1, column 23" },
	{ "2^64", DOC("{\"offset\":0,\"length\":18446744073709551616,\"type\":\"hole\"}"),
	  "\"length\" is 18446744073709551616, more than 2^64 - 1",
	  "line 1, column 34" },
	{ "negative", DOC("{\"offset\":-4096,\"length\":1,\"type\":\"hole\"}"),
	  "extents[0]: \"offset\" is negative", "line 1, column 23" },
	{ "negative zero", "{\"size\":-0,\"extents\":[]}", "\"size\" is negative",
	  "line 1, column 9" },
	{ "size 2^64 - 1", "{\"size\":18446744073709551615,\"extents\":[]}",
	  "\"size\" is 18446744073709551615, more than 2^63 - 1, the largest "
	  "file size", "line 1, column 9" },
	{ "size 2^63", "{\"size\":9223372036854775808,\"extents\":[]}",
	  "more than 2^63 - 1", "line 1, column 9" },
	{ "extent past 2^63 - 1", DOC(X(9223372036854775807, 1, "hole")),
	  "extents[0]: offset + length overflows the largest file size",
	  "line 1, column 13" },
	{ "extent wraps 2^64", DOC(X(18446744073709551615, 1, "hole")),
	  "overflows", "line 1, column 13" },
	{ "addr + length wraps",
	  DOC("{\"offset\":0,\"length\":2,\"type\":\"mapped\",\"addr\":18446744073709551614}"),
	  "extents[0]: addr + length overflows 2^64 - 1", "line 1, column 59" },
	{ "addr is the no-address sentinel",
	  DOC("{\"offset\":0,\"length\":1,\"type\":\"mapped\",\"addr\":18446744073709551615}"),
	  "addr + length overflows", "line 1, column 59" },
	{ "phys + length wraps",
	  DOC("{\"offset\":0,\"length\":4096,\"type\":\"mapped\",\"phys\":18446744073709551000}"),
	  "extents[0]: phys + length overflows", "line 1, column 62" },
	{ "length 0", DOC(X(0, 0, "hole")), "extents[0]: \"length\" is 0",
	  "line 1, column 34" },
	{ "missing length", DOC("{\"offset\":0,\"type\":\"hole\"}"),
	  "extents[0]: \"length\" is missing", "line 1, column 13" },
	{ "unknown type", DOC(X(0, 1, "cow")), "extents[0]: unknown type \"cow\"",
	  "line 1, column 43" },
	{ "unknown flag", DOC("{\"offset\":0,\"length\":1,\"type\":\"hole\",\"flags\":[\"cow\"]}"),
	  "extents[0]: unknown flag \"cow\"", "line 1, column 59" },
	{ "flag not a string", DOC("{\"offset\":0,\"length\":1,\"type\":\"hole\",\"flags\":[\"last\",7]}"),
	  "extents[0]: flags[1] is not a string", "line 1, column 66" },
	{ "overlap", DOC(X(0, 8192, "hole") ",\n" X(4096, 1, "mapped")),
	  "extents[1]: overlaps or comes before extents[0]", "line 2, column 1" },
	{ "lone surrogate", "{\"path\":\"\\ud800\",\"extents\":[]}",
	  "a high surrogate without its low one", "line 1, column 10" },
	{ "lone low surrogate", "{\"path\":\"\\udc00x\",\"extents\":[]}",
	  "a low surrogate without its high one", "line 1, column 10" },
	{ "invalid UTF-8", "{\"path\":\"\xff\",\"extents\":[]}",
	  "byte 0xff in a string is not UTF-8", "line 1, column 10" },
	{ "overlong UTF-8", "{\"path\":\"\xc0\xaf\",\"extents\":[]}",
	  "byte 0xc0 in a string is not UTF-8", "line 1, column 10" },
	{ "raw tab in a string", "{\"path\":\"a\tb\",\"extents\":[]}",
	  "control character 0x09 in a string", "line 1, column 11" },
	{ "bad escape", "{\"path\":\"\\x41\",\"extents\":[]}",
	  "a backslash then 'x': not an escape", "line 1, column 10" },
	{ "short \\u", "{\"path\":\"\\u12\",\"extents\":[]}",
	  "\\u takes 4 hex digits", "line 1, column 10" },
	{ "byte order mark", "\xef\xbb\xbf{\"extents\":[]}",
	  "expected a value, found byte 0xef", "line 1, column 1" },
	{ "empty", "", "expected a value, found the end of the input",
	  "line 1, column 1" },
	{ "cut short", "{\"extents\":[", "invalid JSON at byte 12 (line 1, column 13): "
	  "expected a value, found the end of the input", "" },
	{ "unterminated string", "{\"extents\":[],\"path\":\"abc",
	  "a string with no closing \"", "line 1, column 22" },
	{ "data after", "{\"extents\":[]} x", "expected the end after the "
	  "document, found 'x'", "line 1, column 16" },
	{ "two documents", "{\"extents\":[]}{\"extents\":[]}",
	  "expected the end after the document", "line 1, column 15" },
	{ "missing colon", "{\"extents\" []}", "expected ':' after the key",
	  "line 1, column 12" },
	{ "missing comma", DOC(X(0, 1, "hole") X(1, 1, "hole")),
	  "expected ',' or ']', found '{'", "line 1, column 50" },
	{ "unquoted key", "{extents:[]}", "expected a key in double quotes",
	  "line 1, column 2" },
	{ "true in caps", "{\"extents\":[],\"x\":True}", "'True' is not a JSON value",
	  "line 1, column 19" },
	{ "hex number", "{\"size\":0x10,\"extents\":[]}",
	  "expected ',' or '}', found 'x'", "line 1, column 10" },
	{ "plus sign", "{\"size\":+1,\"extents\":[]}", "a '+' sign",
	  "line 1, column 9" },
	{ "no digit after the point", "{\"x\":1.,\"extents\":[]}",
	  "expected a digit after '.', found ','", "line 1, column 8" },
	{ "two layouts", "[{\"extents\":[]},{\"extents\":[]}]",
	  "the document holds 2 layouts, give one", "line 1, column 1" },
	{ "no layout", "[]", "the document holds 0 layouts", "line 1, column 1" },
	{ "an array of a number", "[1]", "expected an object with \"extents\"",
	  "line 1, column 2" },
	{ "a number", "42", "expected an object with \"extents\"",
	  "line 1, column 1" },
	{ "no extents", "{\"size\":1}", "\"extents\" is missing", "line 1, column 1" },
	{ "extents not an array", "{\"extents\":{}}", "\"extents\" is not an array",
	  "line 1, column 12" },
	{ "extent not an object", "{\"extents\":[[]]}", "extents[0] is not an object",
	  "line 1, column 13" },
	{ "flags not an array", DOC("{\"offset\":0,\"length\":1,\"type\":\"hole\",\"flags\":\"last\"}"),
	  "extents[0]: \"flags\" is not an array", "line 1, column 58" },
	{ "CRLF lines", "{\r\n\"extents\":[\r\n1]}", "extents[0] is not an object",
	  "line 3, column 1" },
};

static void test_refused(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
		struct dt_source src;
		char err[256] = "";
		int ret = dt_layout_source_string(&src, refused[i].json, err,
						  sizeof(err));
		bool ok = ret == -EINVAL && strstr(err, refused[i].want) &&
			  strstr(err, refused[i].at);

		CHECK(ok, "layout refused: %s: %s (%s)", refused[i].name,
		      refused[i].want, refused[i].at);
		if (!ok)
			printf("# got %d: '%s'\n", ret, err);
		if (!ret)
			dt_source_release(&src);
	}
}

/* Deeper than 64 levels is refused, not a stack overflow. */
static void test_depth(void)
{
	char doc[4096], err[256];
	struct dt_source src;
	size_t n = 0;

	n += (size_t)snprintf(doc, sizeof(doc), "{\"x\":");
	for (int i = 0; i < 1000; i++)
		doc[n++] = '[';
	doc[n] = '\0';
	CHECK(dt_layout_source_string(&src, doc, err, sizeof(err)) == -EINVAL &&
	      strstr(err, "nested deeper than 64 levels"),
	      "layout refused: nested deeper than 64 levels");
}

static int walk(const char *json, size_t len, struct walk *w, uint64_t *size)
{
	struct dt_source src;
	char err[256];
	int ret;

	memset(w, 0, sizeof(*w));
	ret = dt_layout_parse(&src, json, len, err, sizeof(err));
	if (ret) {
		printf("# layout: %s\n", err);
		return ret;
	}
	*size = src.size;
	ret = src.size ? dt_iomap_iter(&src, 0, src.size, collect, w) : 0;
	dt_source_release(&src);
	return ret;
}

/* What `daxtool map --json` printed for a file on ext4 and on pmem. */
static const char map_doc[] =
	"[\n  {\n    \"path\":\"/work/main/Makefile\",\n    \"size\":3667,\n"
	"    \"source\":\"fiemap\",\n    \"device\":\"254:0\",\n    \"fs\":\"ext4\",\n"
	"    \"backing\":{\n      \"dev\":\"vda\",\n      \"namespace\":null,\n"
	"      \"mode\":null,\n      \"align\":0,\n      \"size\":274877906944,\n"
	"      \"realtime\":false,\n      \"stack\":null,\n      \"base\":null\n    },\n"
	"    \"range\":{\n      \"offset\":0,\n      \"length\":3667\n    },\n"
	"    \"caveats\":[\"physical addresses unknown: vda: not a pmem namespace\"],\n"
	"    \"extents\":[\n"
	"      {\"offset\":0,\"length\":3667,\"type\":\"mapped\",\"addr\":17269211136,"
	"\"align\":1073741824,\"dev\":\"vda\",\"phys_dev\":null,"
	"\"flags\":[\"last\",\"clipped\",\"no_phys\"]}\n    ],\n"
	"    \"summary\":{\n      \"bytes\":3667,\n      \"extents\":1,\n"
	"      \"holes\":0,\n      \"unwritten\":0,\n      \"delalloc\":0,\n"
	"      \"data_bytes\":3667,\n      \"unwritten_bytes\":0,\n"
	"      \"hole_bytes\":0,\n      \"pmd_bytes\":0,\n"
	"      \"pmd_hole_bytes\":0,\n      \"past_eof_bytes\":0\n    }\n  }\n]\n";

static const char pmem_doc[] =
	"[{\"path\":\"/mnt/xfs/data\",\"size\":8388608,\"source\":\"fiemap\","
	"\"device\":\"259:0\",\"fs\":\"xfs\",\"backing\":{\"dev\":\"pmem1\","
	"\"namespace\":\"namespace1.0\",\"mode\":\"fsdax\",\"align\":2097152,"
	"\"size\":1056964608,\"realtime\":false,\"stack\":null,\"base\":5379194880},"
	"\"range\":{\"offset\":0,\"length\":8388608},\"caveats\":[],\"extents\":["
	"{\"offset\":0,\"length\":1048576,\"type\":\"unwritten\",\"addr\":4194304,"
	"\"phys\":5383389184,\"align\":2097152,\"dev\":\"pmem1\",\"phys_dev\":\"pmem1\",\"flags\":[]},"
	"{\"offset\":1048576,\"length\":65536,\"type\":\"mapped\",\"addr\":5242880,"
	"\"phys\":5384437760,\"align\":1048576,\"dev\":\"pmem1\",\"phys_dev\":\"pmem1\",\"flags\":[]},"
	"{\"offset\":1114112,\"length\":7274496,\"type\":\"unwritten\",\"addr\":5308416,"
	"\"phys\":5384503296,\"align\":65536,\"dev\":\"pmem1\",\"phys_dev\":\"pmem1\",\"flags\":[\"last\"]}],"
	"\"summary\":{\"bytes\":8388608,\"extents\":3,\"holes\":0,\"unwritten\":2,"
	"\"delalloc\":0,\"data_bytes\":65536,\"unwritten_bytes\":8323072,\"hole_bytes\":0,"
	"\"pmd_bytes\":6291456,\"pmd_hole_bytes\":0,\"past_eof_bytes\":0}}]";

static void test_map_documents(void)
{
	struct walk w;
	uint64_t size;

	CHECK(walk(map_doc, strlen(map_doc), &w, &size) == 0 && size == 3667 &&
	      w.nr == 1 && w.ext[0].type == DT_MAPPED &&
	      w.ext[0].addr == 17269211136ULL && w.ext[0].phys == DT_NO_ADDR &&
	      w.ext[0].flags == (DT_F_LAST | DT_F_NO_PHYS),
	      "layout: a map --json document of an ext4 file reads back");
	CHECK(walk(pmem_doc, strlen(pmem_doc), &w, &size) == 0 &&
	      size == 8 << 20 && w.nr == 3 && w.ext[1].type == DT_MAPPED &&
	      w.ext[1].phys == 5384437760ULL && w.ext[2].flags == DT_F_LAST,
	      "layout: a map --json document of a pmem file reads back");
}

static void test_accepted(void)
{
	static const struct { const char *name, *json; uint64_t size; int nr; } ok[] = {
		{ "empty extents", "{\"extents\":[]}", 0, 0 },
		{ "whitespace everywhere", " \t\r\n{ \"extents\" : [ ] } \n", 0, 0 },
		{ "size without extents", "{\"size\":8192,\"extents\":[]}", 8192, 1 },
		{ "size 2^63 - 1", "{\"size\":9223372036854775807,\"extents\":[]}",
		  INT64_MAX, -1 },
		{ "an extent ending at 2^63 - 1",
		  DOC(X(9223372036854771712, 4095, "mapped")), INT64_MAX, -1 },
		{ "addr + length at 2^64 - 1",
		  DOC("{\"offset\":0,\"length\":1,\"type\":\"mapped\",\"addr\":18446744073709551614}"),
		  1, 1 },
		{ "null addr and phys",
		  DOC("{\"offset\":0,\"length\":1,\"type\":\"mapped\",\"addr\":null,\"phys\":null}"),
		  1, 1 },
		{ "escapes and UTF-8 in ignored strings",
		  "{\"path\":\"caf\xc3\xa9 \\u00e9 \\ud83d\\ude00 \\\" \\\\ \\/ \\b\\f\\n\\r\\t\","
		  "\"extents\":[]}", 0, 0 },
		{ "numbers of every form where they are ignored",
		  "{\"x\":[-0,-1.5e-3,1E+9,0.0,123456789012345678901234567890],"
		  "\"extents\":[]}", 0, 0 },
		{ "the same key in two objects", "{\"extents\":[" X(0, 1, "hole") ","
		  X(1, 1, "hole") "],\"a\":{\"extents\":1}}", 2, 2 },
		{ "literals", "{\"a\":true,\"b\":false,\"c\":null,\"extents\":[]}", 0, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		struct walk w;
		uint64_t size = 0;
		int ret = walk(ok[i].json, strlen(ok[i].json), &w, &size);

		CHECK(ret == 0 && size == ok[i].size &&
		      (ok[i].nr < 0 || w.nr == ok[i].nr),
		      "layout accepted: %s", ok[i].name);
	}
}

/* A buffer is read for its length: no NUL needed, a NUL inside refused */
static void test_buffer(void)
{
	static const char doc[] = "{\"extents\":[]}garbage";
	static const char nul[] = "{\"extents\":[]}\0";
	struct walk w;
	uint64_t size;
	struct dt_source src;
	char err[256];

	CHECK(walk(doc, 14, &w, &size) == 0, "layout: read for its length");
	CHECK(dt_layout_parse(&src, nul, sizeof(nul) - 1, err, sizeof(err)) ==
	      -EINVAL && strstr(err, "found byte 0x00") &&
	      strstr(err, "line 1, column 15"), "layout: a NUL byte is refused, where");
	CHECK(dt_layout_parse(&src, "{", 1, NULL, 0) == -EINVAL,
	      "layout: no room for the message is no crash");
}

static void on_alarm(int sig)
{
	(void)sig;
	printf("FAIL layout file: blocked\n");
	_exit(1);
}

static void test_files(void)
{
	static const struct { const char *name, *want; } special[] = {
		{ "fifo", "a fifo: a layout must be a regular file" },
		{ "dir", "a directory: a layout must be a regular file" },
		{ "/dev/zero", "a character device: a layout must be a regular file" },
		{ "big", "1073741825 bytes: a layout is read only up to 1 GiB" },
	};
	char dir[] = "/tmp/t-layout.XXXXXX", path[64], err[256];
	struct dt_source src;
	int fd;

	if (!mkdtemp(dir)) {
		printf("SKIP layout files: mkdtemp: %s\n", strerror(errno));
		return;
	}
	signal(SIGALRM, on_alarm);
	alarm(10);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	mkfifo(path, 0600);
	snprintf(path, sizeof(path), "%s/dir", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/big", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	if (fd >= 0 && ftruncate(fd, DT_LAYOUT_MAX_BYTES + 1))
		printf("# ftruncate: %s\n", strerror(errno));
	close(fd);
	for (size_t i = 0; i < ARRAY_SIZE(special); i++) {
		if (special[i].name[0] == '/')
			snprintf(path, sizeof(path), "%s", special[i].name);
		else
			snprintf(path, sizeof(path), "%s/%s", dir, special[i].name);
		err[0] = '\0';
		CHECK(dt_layout_source(&src, path, err, sizeof(err)) == -EINVAL &&
		      !strcmp(err, special[i].want), "layout file %s: %s",
		      special[i].name, special[i].want);
	}
	snprintf(path, sizeof(path), "%s/nope", dir);
	CHECK(dt_layout_source(&src, path, err, sizeof(err)) == -ENOENT,
	      "layout file missing: -ENOENT");
	snprintf(path, sizeof(path), "%s/good.json", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	if (fd >= 0 && write(fd, pmem_doc, strlen(pmem_doc)) < 0)
		printf("# write: %s\n", strerror(errno));
	close(fd);
	CHECK(dt_layout_source(&src, path, err, sizeof(err)) == 0 &&
	      src.size == 8 << 20, "layout file: a regular file reads");
	dt_source_release(&src);
	alarm(0);
	for (size_t i = 0; i < ARRAY_SIZE(special); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, special[i].name);
		remove(path);
	}
	snprintf(path, sizeof(path), "%s/good.json", dir);
	remove(path);
	rmdir(dir);
}

int main(void)
{
	test_refused();
	test_depth();
	test_map_documents();
	test_accepted();
	test_buffer();
	test_files();
	TAP_EXIT();
}
