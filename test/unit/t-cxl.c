// SPDX-License-Identifier: GPL-2.0-only
/*
 * The CXL interleave arithmetic: the CEDT's fixed memory windows, parsed
 * from a synthesized table, and dt_cxl_locate() over regions of 1 to 12
 * ways, in one host bridge and across several, checked against the
 * device decode worked out granule by granule (each position gets every
 * w-th granule, in HPA order, one after the other in its DPA).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "daxtool/cedt.h"
#include "daxtool/topology.h"
#include "tap.h"

static unsigned char table[512];
static size_t table_len;

static void put(size_t at, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		table[at + i] = (unsigned char)(v >> (8 * i));
}

/* a CEDT with a CHBS, then a CFMWS per window */
static void make_table(const struct dt_cedt_window *w, const unsigned *eniw,
		       unsigned nr)
{
	size_t at = 36;

	memset(table, 0, sizeof(table));
	memcpy(table, "CEDT", 4);
	table[0 + 8] = 1;			/* revision */
	/* CHBS: type 0, 32 bytes */
	table[at] = 0;
	put(at + 2, 32, 2);
	at += 32;
	for (unsigned i = 0; i < nr; i++) {
		unsigned ways = w[i].ways, len = 36 + 4 * ways, hbig = 0;

		while ((256u << hbig) < w[i].granularity)
			hbig++;
		table[at] = 1;
		put(at + 2, len, 2);
		put(at + 8, w[i].base, 8);
		put(at + 16, w[i].size, 8);
		table[at + 24] = (unsigned char)eniw[i];
		table[at + 25] = (unsigned char)w[i].arith;
		put(at + 28, hbig, 4);
		for (unsigned j = 0; j < ways; j++)
			put(at + 36 + 4 * j, j + 7, 4);
		at += len;
	}
	put(4, at, 4);
	table_len = at;
}

static void test_cedt(void)
{
	const struct dt_cedt_window w[] = {
		{ 0x290000000, 1ULL << 32, 1, 256, DT_CEDT_MODULO },
		{ 0x390000000, 3ULL << 30, 3, 4096, DT_CEDT_MODULO },
		{ 0x490000000, 8ULL << 30, 4, 8192, DT_CEDT_XOR },
	};
	const unsigned eniw[] = { 0, 8, 2 };
	struct dt_cedt_window got[4];
	int n;

	make_table(w, eniw, 3);
	n = dt_cedt_parse(table, table_len, got, 4);
	CHECK(n == 3, "three windows beside a CHBS (%d)", n);
	for (int i = 0; i < 3 && n == 3; i++)
		CHECK(got[i].base == w[i].base && got[i].size == w[i].size &&
		      got[i].ways == w[i].ways && got[i].granularity == w[i].granularity &&
		      got[i].arith == w[i].arith,
		      "window %d: base %#llx size %#llx ways %u granularity %u arith %u", i,
		      (unsigned long long)got[i].base, (unsigned long long)got[i].size,
		      got[i].ways, got[i].granularity, got[i].arith);
	CHECK(dt_cedt_parse(table, table_len, got, 1) == 3,
	      "room for one: all three counted");
	CHECK(!strcmp(dt_cedt_arith_name(DT_CEDT_XOR), "xor") &&
	      !strcmp(dt_cedt_arith_name(DT_CEDT_MODULO), "modulo") &&
	      !dt_cedt_arith_name(7), "arithmetic names");

	/* whatever is cut or wrong is refused, never read past (the
	 * sanitizer build checks the reads): a buffer shorter than the
	 * table's length, and a table whose length cuts a structure */
	unsigned bad = 0;
	for (size_t len = 0; len < table_len; len++) {
		/* the header, a CHBS of 32 bytes, CFMWS of 40 and 48 */
		int whole = len == 36 || len == 68 ? 0 : len == 108 ? 1 : len == 156 ? 2 : -1;

		bad += dt_cedt_parse(table, len, got, 4) != -EINVAL;
		put(4, len, 4);
		n = dt_cedt_parse(table, len, got, 4);
		put(4, table_len, 4);
		bad += len >= 36 && n != (whole < 0 ? -EINVAL : whole);
	}
	CHECK(!bad, "every table cut short is refused, or read to its last whole structure (%u wrong)",
	      bad);
	put(4, table_len + 4, 4);
	CHECK(dt_cedt_parse(table, table_len, got, 4) == -EINVAL,
	      "a length past the buffer is refused");
	put(4, table_len, 4);
	put(36 + 2, 2, 2);
	CHECK(dt_cedt_parse(table, table_len, got, 4) == -EINVAL,
	      "a structure shorter than its header is refused");
	put(36 + 2, 32, 2);
	put(36 + 32 + 2, 36 + 4 * 1 - 4, 2);	/* first CFMWS without its target */
	CHECK(dt_cedt_parse(table, table_len, got, 4) == -EINVAL,
	      "a window without room for its targets is refused");
	make_table(w, (const unsigned[]){ 5, 8, 2 }, 3);
	CHECK(dt_cedt_parse(table, table_len, got, 4) == -EINVAL,
	      "a window of ENIW 5 is refused");
	make_table(w, eniw, 3);
	put(36 + 32 + 28, 7, 4);
	CHECK(dt_cedt_parse(table, table_len, got, 4) == -EINVAL,
	      "a window of HBIG 7 is refused");
	memcpy(table, "APIC", 4);
	CHECK(dt_cedt_parse(table, table_len, got, 4) == -EINVAL,
	      "another table is refused");
}

#define MAXW 12
static struct dt_cxl_decoder decs[1 + MAXW];
static struct dt_cxl_region reg;
static struct dt_topology topo;

/* a region of @ways ways and granularity @g at 0x290000000 under a root
 * decoder of @root_ways; endpoint i has its DPA range at i MiB */
static void make_region(unsigned ways, unsigned g, unsigned root_ways)
{
	memset(decs, 0, sizeof(decs));
	memset(&reg, 0, sizeof(reg));
	strcpy(decs[0].devname, "decoder0.0");
	decs[0].kind = DT_CXL_ROOT;
	decs[0].resource = 0x290000000;
	decs[0].size = 1ULL << 32;
	decs[0].ways = root_ways;
	decs[0].granularity = g;
	strcpy(reg.devname, "region0");
	strcpy(reg.decoder, "decoder0.0");
	reg.resource = 0x290000000;
	reg.size = (uint64_t)ways << 28;
	reg.ways = ways;
	reg.granularity = g;
	reg.nr_targets = ways;
	for (unsigned i = 0; i < ways; i++) {
		struct dt_cxl_decoder *d = &decs[1 + i];

		snprintf(d->devname, sizeof(d->devname), "decoder%u.0", i + 2);
		d->kind = DT_CXL_ENDPOINT;
		d->dpa_resource = (uint64_t)i << 20;
		snprintf(d->memdev, sizeof(d->memdev), "mem%u", i);
		strcpy(reg.decoders[i], d->devname);
		strcpy(reg.memdevs[i], d->memdev);
	}
	topo = (struct dt_topology){ .cxl_decoders = decs, .nr_cxl_decoders = 1 + ways,
				     .cxl_regions = &reg, .nr_cxl_regions = 1 };
}

/* every granule of the first few hundred, and bytes inside them, land
 * where the device decode puts them: granule k on position k % w, as
 * that position's (k / w)-th granule */
static void check_decode(unsigned ways, unsigned g, const char *what)
{
	uint64_t next[MAXW] = { 0 };
	struct dt_cxl_loc loc;
	unsigned bad = 0;

	for (uint64_t k = 0; k < 40 * (uint64_t)ways; k++) {
		unsigned pos = (unsigned)(k % ways);
		uint64_t in = k * 37 % g;

		dt_cxl_locate(&topo, reg.resource + k * g + in, 1, &loc);
		if (!loc.memdev || strcmp(loc.memdev, reg.memdevs[pos]) || loc.pos != pos ||
		    loc.dpa != ((uint64_t)pos << 20) + next[pos] * g + in) {
			if (!bad++)
				CHECK(0, "%s: granule %llu +%llu: %s dpa %#llx (%s)", what,
				      (unsigned long long)k, (unsigned long long)in,
				      loc.memdev ? loc.memdev : "none",
				      (unsigned long long)loc.dpa, loc.why ? loc.why : "");
		}
		next[pos]++;
	}
	if (!bad)
		CHECK(1, "%s: %u granules each on its device and DPA", what, 40 * ways);
	/* a range over w + 1 granules from the last position spans every
	 * device, from that one on */
	dt_cxl_locate(&topo, reg.resource + (uint64_t)(ways - 1) * g + 1, (uint64_t)ways * g,
		      &loc);
	CHECK(loc.nr_memdevs == ways && loc.memdevs[0] == reg.memdevs[ways - 1] &&
	      (ways == 1 || loc.memdevs[1] == reg.memdevs[0]),
	      "%s: a range of %u granules spans all %u devices, in turn", what, ways + 1, ways);
}

static void test_locate(void)
{
	static const unsigned ways[] = { 1, 2, 3, 4, 6, 8, 12 };
	struct dt_cxl_loc loc;
	char what[80];

	for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
		make_region(ways[i], i % 2 ? 4096 : 256, 1);
		snprintf(what, sizeof(what), "%u ways of %u bytes, one host bridge",
			 ways[i], reg.granularity);
		check_decode(ways[i], reg.granularity, what);
	}

	/* across host bridges: only where the CEDT says modulo */
	const struct dt_cedt_window win[] = {
		{ 0x190000000, 1ULL << 32, 2, 256, DT_CEDT_MODULO },
		{ 0x290000000, 1ULL << 32, 2, 256, DT_CEDT_MODULO },
	};
	make_region(4, 256, 2);
	dt_cxl_locate(&topo, reg.resource, 1, &loc);
	CHECK(!loc.memdev && loc.dpa == DT_CXL_NONE && loc.why && loc.region == &reg,
	      "two host bridges, the CEDT not read: not translated (%s)", loc.why);
	dt_cxl_set_windows(&topo, NULL, 0, -EACCES);
	dt_cxl_locate(&topo, reg.resource, 1, &loc);
	CHECK(!loc.memdev && loc.why && strstr(loc.why, "root only") && strstr(loc.why, "CEDT"),
	      "the CEDT readable by root only: that is why (%s)", loc.why);
	dt_cxl_set_windows(&topo, NULL, 0, -ENOENT);
	dt_cxl_locate(&topo, reg.resource, 1, &loc);
	CHECK(!loc.memdev && loc.why && strstr(loc.why, "no ACPI CEDT"),
	      "no CEDT: that is why (%s)", loc.why);
	dt_cxl_set_windows(&topo, win, 1, 0);
	dt_cxl_locate(&topo, reg.resource, 1, &loc);
	CHECK(!loc.memdev && loc.why && strstr(loc.why, "no window"),
	      "no CEDT window of the root decoder's range: not translated (%s)", loc.why);
	dt_cxl_set_windows(&topo, win, 2, 0);
	CHECK(!strcmp(decs[0].arith, "modulo") && !decs[0].arith_why[0],
	      "the root decoder's window found: modulo");
	check_decode(4, 256, "4 ways over two host bridges by modulo");
	make_region(6, 256, 2);
	dt_cxl_set_windows(&topo, win, 2, 0);
	check_decode(6, 256, "6 ways over two host bridges by modulo");
	make_region(12, 256, 4);
	dt_cxl_set_windows(&topo, win, 2, 0);
	dt_cxl_locate(&topo, reg.resource, 1, &loc);
	CHECK(!loc.memdev && loc.why && strstr(loc.why, "interleaves 2 ways, the decoder 4"),
	      "a CEDT window of other ways than the decoder's: not translated (%s)", loc.why);
	const struct dt_cedt_window xw = { 0x290000000, 1ULL << 32, 4, 256, DT_CEDT_XOR };
	dt_cxl_set_windows(&topo, &xw, 1, 0);
	dt_cxl_locate(&topo, reg.resource + 256, 1, &loc);
	CHECK(!loc.memdev && loc.dpa == DT_CXL_NONE && !strcmp(decs[0].arith, "xor") &&
	      loc.why && strstr(loc.why, "XOR"),
	      "XOR across host bridges: not translated (%s)", loc.why);

	/* a region not set up, an address outside any region */
	make_region(2, 256, 1);
	reg.nr_targets = 1;
	dt_cxl_locate(&topo, reg.resource, 1, &loc);
	CHECK(!loc.memdev && loc.why && strstr(loc.why, "not set up"), "a region not set up");
	dt_cxl_locate(&topo, reg.resource - 1, 1, &loc);
	CHECK(!loc.region && !loc.memdev && !loc.why, "off CXL memory: nothing");
}

int main(void)
{
	test_cedt();
	test_locate();
	TAP_EXIT();
}
