// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sizes, offsets and ranges as users type them; options as the table
 * parses them; messages as they reach the terminal.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daxtool/fmt.h"
#include "daxtool/parse-options.h"
#include "daxtool/print.h"
#include "daxtool/util.h"
#include "tap.h"

static const char too_large[] = "too large: more than 2^64 - 1 (16E - 1)";

static void test_sizes(void)
{
	static const struct { const char *s; uint64_t v; } good[] = {
		{ "0", 0 }, { "4096", 4096 }, { "4k", 4096 }, { "4K", 4096 },
		{ "4KiB", 4096 }, { "2M", 2 << 20 }, { "2m", 2 << 20 },
		{ "1G", 1ULL << 30 }, { "1g", 1ULL << 30 }, { "3T", 3ULL << 40 },
		{ "0x200000", 0x200000 }, { "0X1000", 4096 }, { "0x2M", 2ULL << 20 },
		{ "010", 10 }, { "18446744073709551615", UINT64_MAX },
		{ "16383P", 16383ULL << 50 }, { "1E", 1ULL << 60 },
		{ "15e", 15ULL << 60 }, { "1EiB", 1ULL << 60 }, { "2eb", 2ULL << 60 },
		{ "17179869183G", 17179869183ULL << 30 },
		{ "0xffffffffffffffff", UINT64_MAX }, { "0x1E", 0x1e },
		{ "0x0000000000000000000001", 1 },
	};
	static const struct { const char *s, *why; } bad[] = {
		{ "", "empty" }, { "-1", "negative" }, { "-0x10", "negative" },
		{ "4kx", "trailing junk" }, { "4 k", "trailing junk" },
		{ "12abc", "trailing junk" }, { "0x", "not a number" },
		{ "k", "not a number" }, { " 4", "not a number" },
		{ "+4", "not a number" }, { "18446744073709551616", too_large },
		{ "16384P", too_large }, { "99999999999999999999G", too_large },
		{ "1.5M", "trailing junk" }, { "0xg", "not a number" },
		{ "0x0x10", "trailing junk" }, { "0x-1", "not a number" },
		{ "0x 1", "not a number" }, { "16E", too_large },
		{ "17179869184G", too_large }, { "0x10000000000000000", too_large },
		{ "0x1EiB", "trailing junk" }, { "4k\n", "trailing junk" },
		{ "1Z", "trailing junk" },
	};
	const char *why;
	uint64_t v;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK(dt_parse_size(good[i].s, &v, &why) == 0 && v == good[i].v,
		      "size '%s' is %" PRIu64, good[i].s, good[i].v);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char s[64];

		why = "";
		dt_escape(s, sizeof(s), bad[i].s);
		CHECK(dt_parse_size(bad[i].s, &v, &why) < 0 &&
		      !strcmp(why, bad[i].why), "size '%s' is refused: %s",
		      s, bad[i].why);
	}
}

static void test_ranges(void)
{
	uint64_t off, len;
	bool has_len;
	const char *why;

	CHECK(dt_parse_range("2M", &off, &len, &has_len, &why) == 0 &&
	      off == 2 << 20 && !has_len, "range 2M: offset only");
	CHECK(dt_parse_range("4k:1M", &off, &len, &has_len, &why) == 0 &&
	      off == 4096 && len == 1 << 20 && has_len, "range 4k:1M");
	CHECK(dt_parse_range("0:0", &off, &len, &has_len, &why) < 0,
	      "range 0:0 is refused (empty)");
	CHECK(dt_parse_range("1:18446744073709551615", &off, &len, &has_len,
			     &why) < 0, "range that overflows is refused");
	CHECK(dt_parse_range(":4k", &off, &len, &has_len, &why) < 0 &&
	      !strcmp(why, "offset: empty") &&
	      dt_parse_range("4k:", &off, &len, &has_len, &why) < 0 &&
	      !strcmp(why, "length: empty"),
	      "range with an empty side is refused, the side named");
	CHECK(dt_parse_range("1:0x0x10", &off, &len, &has_len, &why) < 0 &&
	      !strcmp(why, "length: trailing junk"), "range 1:0x0x10 is refused");
	CHECK(dt_parse_range("0:18446744073709551615", &off, &len, &has_len,
			     &why) == 0 && len == UINT64_MAX,
	      "range 0:2^64-1 ends at 2^64 - 1: accepted");
	CHECK(dt_parse_range("18446744073709551615:1", &off, &len, &has_len,
			     &why) < 0 && strstr(why, "overflows"),
	      "range 2^64-1:1 overflows, with the reason");
	CHECK(dt_parse_range("8E:8E", &off, &len, &has_len, &why) < 0 &&
	      strstr(why, "overflows"), "range 8E:8E overflows");
	CHECK(dt_parse_range("1:16E", &off, &len, &has_len, &why) < 0 &&
	      !strcmp(why, "length: too large: more than 2^64 - 1 (16E - 1)"),
	      "range 1:16E: the length is too large");
	CHECK(dt_parse_range("15E:1E", &off, &len, &has_len, &why) < 0 &&
	      strstr(why, "overflows"), "range 15E:1E ends at 2^64: refused");
}

static void test_fmt_size(void)
{
	static const struct { uint64_t v; const char *s; } cases[] = {
		{ 0, "0" }, { 1023, "1023" }, { 4096, "4K" }, { 2 << 20, "2M" },
		{ 1ULL << 30, "1G" }, { 3 << 19, "1.5M" }, { 5000, "4.9K" },
		{ 1024, "1K" }, { 1ULL << 50, "1P" }, { 1ULL << 60, "1E" },
		{ 15ULL << 60, "15E" }, { 1ULL << 63 | 1ULL << 62, "12E" },
		{ UINT64_MAX, "16.0E" }, { (1ULL << 60) - 1, "1024.0P" },
	};
	char buf[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(!strcmp(dt_fmt_size(buf, sizeof(buf), cases[i].v),
			      cases[i].s), "human size %" PRIu64 " is %s",
		      cases[i].v, cases[i].s);
}

static void test_escape(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "plain /path: 2M", "plain /path: 2M" },
		{ "\x1b[31mred", "\\x1b[31mred" },
		{ "a\nb\tc\rd", "a\\x0ab\\x09c\\x0dd" },
		{ "del\x7f", "del\\x7f" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
		{ "csi\xc2\x9b" "2J", "csi\\xc2\\x9b2J" },	/* C1 CSI */
		{ "nbsp\xc2\xa0", "nbsp\xc2\xa0" },
		{ "bad\xff", "bad\\xff" },
		{ "overlong\xc0\xaf", "overlong\\xc0\\xaf" },
		{ "surrogate\xed\xa0\x80", "surrogate\\xed\\xa0\\x80" },
		{ "past\xf4\x90\x80\x80", "past\\xf4\\x90\\x80\\x80" },
		{ "cut\xe2\x82", "cut\\xe2\\x82" },
	};
	char buf[128];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t n = dt_escape(buf, sizeof(buf), cases[i].in);

		CHECK(!strcmp(buf, cases[i].out) && n == strlen(cases[i].out),
		      "escape %zu: '%s'", i, cases[i].out);
	}
	/* short of room: whole escapes or nothing, and the length needed */
	size_t n = dt_escape(buf, 6, "ab\x1b[c");

	CHECK(n == 8 && !strcmp(buf, "ab"), "escape: never cut an escape");
	n = dt_escape(buf, 4, "\xc3\xa9\xc3\xa9");
	CHECK(n == 4 && !strcmp(buf, "\xc3\xa9"), "escape: never cut a character");
	CHECK(dt_escape(NULL, 0, "\x01") == 4, "escape: measures with no buffer");
}

/* Run @fn in a child with stderr to a pipe: its exit status and stderr. */
static int in_child(void (*fn)(const void *), const void *arg, char *err,
		    size_t len)
{
	int pfd[2], status = -1;
	size_t n = 0;
	ssize_t got;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 2);
		if (!freopen("/dev/null", "w", stdout))
			_exit(99);
		fn(arg);
		exit(0);
	}
	close(pfd[1]);
	while (n + 1 < len && (got = read(pfd[0], err + n, len - n - 1)) > 0)
		n += (size_t)got;
	err[n] = '\0';
	close(pfd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void say_err(const void *arg)
{
	dt_set_cmd("map");
	dt_err("--range: invalid range '%s': %s", (const char *)arg, "bad");
}

/* One line, its newline taken off: what the test compares. */
static bool one_line(char *err)
{
	size_t n = strlen(err);

	if (!n)
		return true;
	if (err[n - 1] != '\n' || strchr(err, '\n') != err + n - 1)
		return false;
	err[n - 1] = '\0';
	return true;
}

static void test_err_escapes(void)
{
	char err[128];

	in_child(say_err, "\x1b[31m\x07\xff\xc2\x9b", err, sizeof(err));
	CHECK(one_line(err) && !strcmp(err, "daxtool: map: --range: invalid "
		"range '\\x1b[31m\\x07\\xff\\xc2\\x9b': bad"),
	      "dt_err: control characters and bad UTF-8 escaped");
	if (tap_failed)
		printf("# got '%s'\n", err);
}

/* map's options, as cmd/map.c declares them */
static void parse_map(const void *arg)
{
	static const char *const choices[] = { "auto", "fiemap", "seek", NULL };
	static const char *const usage[] = { "daxtool map [options] FILE", NULL };
	const char *const *args = arg;
	const char *argv[8] = { "map" }, *range = NULL;
	bool json = false, sparse = false, sync = false;
	uint64_t size = 0;
	unsigned n = 0;
	int source = 0, argc = 1;
	const struct opt opts[] = {
		OPT_BOOLEAN('j', "json", &json, "print JSON"),
		OPT_STRING('r', "range", &range, "OFF[:LEN]", "a range"),
		OPT_CHOICE('s', "source", &source, choices, "auto|fiemap|seek", "source"),
		OPT_SIZE(0, "size", &size, "SIZE", "a size"),
		OPT_BOOLEAN(0, "sparse", &sparse, "sparse"),
		OPT_BOOLEAN(0, "sync", &sync, "sync"),
		OPT_UINT('t', "threads", &n, "N", "threads"),
		OPT_END(),
	};

	while (*args && argc < 7)
		argv[argc++] = *args++;
	dt_set_cmd("map");
	parse_options(argc, argv, opts, usage);
}

static void test_options(void)
{
	static const struct { const char *args[4]; int status; const char *err; } cases[] = {
		{ { "--json=1", "f" }, 2, "daxtool: map: option '--json' takes no value" },
		{ { "--help=1" }, 2, "daxtool: map: option '--help' takes no value" },
		{ { "--list-opts=x" }, 2, "daxtool: map: option '--list-opts' takes no value" },
		{ { "--json", "f" }, 0, "" },
		{ { "--bogus=3" }, 2, "daxtool: map: unknown option '--bogus'" },
		{ { "-Q" }, 2, "daxtool: map: unknown option '-Q'" },
		{ { "-\x1b" }, 2, "daxtool: map: unknown option '-\\x1b'" },
		{ { "--\x1b[2J" }, 2, "daxtool: map: unknown option '--\\x1b[2J'" },
		{ { "--s", "1" }, 2, "daxtool: map: ambiguous option '--s': --source, --size, --sparse, --sync?" },
		{ { "--si", "1" }, 0, "" },
		{ { "--range" }, 2, "daxtool: map: --range needs an argument" },
		{ { "-r" }, 2, "daxtool: map: -r needs an argument" },
		{ { "--size", "16E" }, 2, "daxtool: map: --size: invalid size '16E': too large: more than 2^64 - 1 (16E - 1)" },
		{ { "--size", "\x1b]0;x\x07" }, 2, "daxtool: map: --size: invalid size '\\x1b]0;x\\x07': not a number" },
		{ { "-t", "4294967296" }, 2, "daxtool: map: --threads: invalid number '4294967296': more than 4294967295" },
		{ { "-t", "4x" }, 2, "daxtool: map: --threads: invalid number '4x': trailing junk" },
		{ { "-s", "\x1b" }, 2, "daxtool: map: --source: '\\x1b' is not one of: auto, fiemap, seek" },
	};
	char err[160];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int st = in_child(parse_map, cases[i].args, err, sizeof(err));

		bool ok = st == cases[i].status && one_line(err) &&
			  !strcmp(err, cases[i].err);

		CHECK(ok, "options %zu: exit %d, '%.90s'", i, cases[i].status,
		      cases[i].err);
		if (!ok)
			printf("# got exit %d, '%s'\n", st, err);
	}
}

/* --size with OPT_SIZE_GIVEN: 2^64 - 1 is a value like any other */
static void test_given(void)
{
	static const char *const usage[] = { "t", NULL };
	uint64_t size = 0;
	bool given = false;
	const struct opt opts[] = {
		OPT_SIZE_GIVEN('s', "size", &size, &given, "SIZE", "a size"),
		OPT_END(),
	};
	const char *argv[] = { "t", "--size", "18446744073709551615" };

	CHECK(parse_options(1, argv, opts, usage) == 0 && !given,
	      "OPT_SIZE_GIVEN: not given");
	CHECK(parse_options(3, argv, opts, usage) == 0 && given &&
	      size == UINT64_MAX, "OPT_SIZE_GIVEN: 2^64 - 1 given");
}

int main(void)
{
	test_sizes();
	test_ranges();
	test_fmt_size();
	test_escape();
	test_err_escapes();
	test_options();
	test_given();
	TAP_EXIT();
}
