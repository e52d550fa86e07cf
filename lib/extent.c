// SPDX-License-Identifier: GPL-2.0-only
/* Extent vocabulary (the JSON names) and alignment arithmetic. */
#include <string.h>

#include "daxtool/iomap.h"

static const char *const type_names[DT_NR_TYPES] = {
	[DT_HOLE]	= "hole",
	[DT_DELALLOC]	= "delalloc",
	[DT_MAPPED]	= "mapped",
	[DT_UNWRITTEN]	= "unwritten",
	[DT_INLINE]	= "inline",
};

static const char *const flag_names[DT_NR_FLAGS] = {
	"shared", "merged", "last", "unknown", "encoded", "encrypted",
	"not_aligned", "tail", "logical", "past_eof", "clipped",
	"dev_boundary", "no_phys",
};

static const char *const caveat_texts[] = {
	"this source cannot tell unwritten (preallocated) ranges from holes: "
	"both are shown as holes",
	"this source does not know device addresses",
};

const char *dt_type_name(enum dt_type type)
{
	return (unsigned)type < DT_NR_TYPES ? type_names[type] : "?";
}

int dt_type_parse(const char *name)
{
	for (int i = 0; i < DT_NR_TYPES; i++)
		if (!strcmp(name, type_names[i]))
			return i;
	return -1;
}

const char *dt_flag_name(unsigned bit)
{
	return bit < DT_NR_FLAGS ? flag_names[bit] : "?";
}

int dt_flag_parse(const char *name)
{
	for (unsigned i = 0; i < DT_NR_FLAGS; i++)
		if (!strcmp(name, flag_names[i]))
			return 1 << i;
	return -1;
}

const char *dt_caveat_text(unsigned bit)
{
	return bit < sizeof(caveat_texts) / sizeof(caveat_texts[0]) ?
		caveat_texts[bit] : "?";
}

#define ALIGN_CAP (1ULL << 30)

uint64_t dt_extent_pmd_addr(const struct dt_extent *ext)
{
	if (ext->type == DT_HOLE)
		return DT_NO_ADDR;
	if (ext->phys != DT_NO_ADDR)
		return ext->phys;
	if (ext->flags & (DT_F_UNKNOWN | DT_F_LOGICAL | DT_F_NO_PHYS))
		return DT_NO_ADDR;
	return ext->addr;
}

uint64_t dt_extent_align(const struct dt_extent *ext)
{
	uint64_t bits = ext->offset, addr = dt_extent_pmd_addr(ext);

	if (addr != DT_NO_ADDR)
		bits |= addr;
	if (!bits)
		return ALIGN_CAP;
	bits &= -bits;
	return bits < ALIGN_CAP ? bits : ALIGN_CAP;
}

uint64_t dt_extent_pmd_bytes(const struct dt_extent *ext, uint64_t window)
{
	uint64_t first, last, addr = dt_extent_pmd_addr(ext);

	if (ext->type == DT_MAPPED || ext->type == DT_UNWRITTEN) {
		if (addr == DT_NO_ADDR || ((ext->offset ^ addr) & (window - 1)))
			return 0;
	} else if (ext->type != DT_HOLE) {
		return 0;
	}
	first = (ext->offset + window - 1) & ~(window - 1);
	last = (ext->offset + ext->length) & ~(window - 1);
	return last > first ? last - first : 0;
}
