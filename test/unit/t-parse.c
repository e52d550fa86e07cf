// SPDX-License-Identifier: GPL-2.0-only
/* Sizes, offsets and ranges as users type them. */
#include <inttypes.h>
#include <string.h>

#include "daxtool/out.h"
#include "daxtool/util.h"
#include "tap.h"

static void test_sizes(void)
{
	static const struct { const char *s; uint64_t v; } good[] = {
		{ "0", 0 }, { "4096", 4096 }, { "4k", 4096 }, { "4K", 4096 },
		{ "4KiB", 4096 }, { "2M", 2 << 20 }, { "2m", 2 << 20 },
		{ "1G", 1ULL << 30 }, { "1g", 1ULL << 30 }, { "3T", 3ULL << 40 },
		{ "0x200000", 0x200000 }, { "0X1000", 4096 }, { "0x2M", 2ULL << 20 },
		{ "010", 10 }, { "18446744073709551615", UINT64_MAX },
		{ "16383P", 16383ULL << 50 },
	};
	static const struct { const char *s, *why; } bad[] = {
		{ "", "empty" }, { "-1", "negative" }, { "-0x10", "negative" },
		{ "4kx", "trailing junk" }, { "4 k", "trailing junk" },
		{ "12abc", "trailing junk" }, { "0x", "not a number" },
		{ "k", "not a number" }, { " 4", "not a number" },
		{ "+4", "not a number" }, { "18446744073709551616", "too large" },
		{ "16384P", "too large" }, { "99999999999999999999G", "too large" },
		{ "1.5M", "trailing junk" }, { "0xg", "not a number" },
	};
	const char *why;
	uint64_t v;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK(dt_parse_size(good[i].s, &v, &why) == 0 && v == good[i].v,
		      "size '%s' is %" PRIu64, good[i].s, good[i].v);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = "";
		CHECK(dt_parse_size(bad[i].s, &v, &why) < 0 &&
		      !strcmp(why, bad[i].why), "size '%s' is refused: %s",
		      bad[i].s, bad[i].why);
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
	      dt_parse_range("4k:", &off, &len, &has_len, &why) < 0,
	      "range with an empty side is refused");
}

static void test_fmt_size(void)
{
	static const struct { uint64_t v; const char *s; } cases[] = {
		{ 0, "0" }, { 1023, "1023" }, { 4096, "4K" }, { 2 << 20, "2M" },
		{ 1ULL << 30, "1G" }, { 3 << 19, "1.5M" }, { 5000, "4.9K" },
	};
	char buf[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(!strcmp(dt_fmt_size(buf, sizeof(buf), cases[i].v),
			      cases[i].s), "human size %" PRIu64 " is %s",
		      cases[i].v, cases[i].s);
}

int main(void)
{
	test_sizes();
	test_ranges();
	test_fmt_size();
	TAP_EXIT();
}
