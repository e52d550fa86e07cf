/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The iomap engine: a source answers "what is at offset pos?" with one
 * whole extent, holes included; the iterator walks a range extent by
 * extent and calls an actor once per extent, never once per page.
 */
#ifndef DAXTOOL_IOMAP_H
#define DAXTOOL_IOMAP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum dt_type {
	DT_HOLE,	/* nothing allocated: reads as zero */
	DT_DELALLOC,	/* reserved, location not chosen yet */
	DT_MAPPED,	/* allocated and written */
	DT_UNWRITTEN,	/* allocated, reads as zero until written */
	DT_INLINE,	/* data stored with the metadata ("stuffed") */
	DT_NR_TYPES
};

enum dt_flag {
	DT_F_SHARED	 = 1u << 0,	/* reflinked: shared with other files */
	DT_F_MERGED	 = 1u << 1,	/* the source merged smaller blocks */
	DT_F_LAST	 = 1u << 2,	/* the last extent of the file */
	DT_F_UNKNOWN	 = 1u << 3,	/* location unknown: addr is meaningless */
	DT_F_ENCODED	 = 1u << 4,	/* compressed or otherwise encoded */
	DT_F_ENCRYPTED	 = 1u << 5,	/* encrypted by the filesystem */
	DT_F_NOT_ALIGNED = 1u << 6,	/* offsets not block aligned */
	DT_F_TAIL	 = 1u << 7,	/* packed tail, shared block */
	DT_F_LOGICAL	 = 1u << 8,	/* addr is a filesystem-logical address,
					   not a device offset (btrfs) */
	DT_F_PAST_EOF	 = 1u << 9,	/* the extent goes on past end of file;
					   shown clipped */
	DT_F_CLIPPED	 = 1u << 10,	/* data clipped by the range asked for */
	DT_F_DEV_CUT	 = 1u << 11,	/* ends where a device-mapper segment or
					   stripe chunk ends, inside what the
					   filesystem gave as one extent */
	DT_F_NO_PHYS	 = 1u << 12,	/* addr cannot be translated to a physical
					   address: a device below does not say */
	DT_NR_FLAGS	 = 13
};

#define DT_NO_ADDR UINT64_MAX

struct dt_extent {
	uint64_t offset;	/* file (or device) offset, bytes */
	uint64_t length;	/* bytes */
	enum dt_type type;
	uint32_t flags;		/* enum dt_flag bits */
	uint64_t addr;		/* address at offset, or DT_NO_ADDR */
	uint64_t phys;		/* physical address at offset, where a
				   lower source translated addr; or DT_NO_ADDR */
	dev_t device;		/* the device addr refers to, 0 if none */
	const char *phys_dev;	/* the device phys is in (pmem1, dax0.0),
				   NULL if not translated */
	uint64_t max_io;	/* the most one DAX access maps here through
				   the device stack (device-mapper targets
				   that split I/O); 0: no such cap */
};

struct dt_source;

struct dt_source_ops {
	const char *name;	/* "fiemap", "seek", "layout", ... */
	/*
	 * Fill @ext with the extent containing @pos, looking no further
	 * than @pos + @len. The extent may start before @pos and end after
	 * @pos + @len: the iterator clips it. Returns 0 or -errno.
	 */
	int (*begin)(struct dt_source *src, uint64_t pos, uint64_t len,
		     struct dt_extent *ext);
	void (*release)(struct dt_source *src);
};

struct dt_source {
	const struct dt_source_ops *ops;
	uint64_t size;		/* end of file (i_size) */
	uint32_t caveats;	/* enum dt_caveat bits */
	void *priv;
};

/* What a source cannot tell: said in every output that uses it. */
enum dt_caveat {
	DT_CAVEAT_UNWRITTEN_AS_HOLE = 1u << 0,
	DT_CAVEAT_NO_ADDR	    = 1u << 1,
};

/* Called once per extent; a non-zero return stops the walk and is returned. */
typedef int (*dt_actor_fn)(const struct dt_extent *ext, void *arg);

/*
 * Walk [pos, pos + len) of @src extent by extent. Extents are clipped to
 * the range and contiguous: each starts where the last ended. Returns 0,
 * -errno from the source (-EIO for a source that broke its contract), or
 * the actor's non-zero return.
 */
int dt_iomap_iter(struct dt_source *src, uint64_t pos, uint64_t len,
		  dt_actor_fn actor, void *arg);

void dt_source_release(struct dt_source *src);

/* Names: table lookups, stable; they are the JSON vocabulary. */
const char *dt_type_name(enum dt_type type);
int dt_type_parse(const char *name);			/* -1 if unknown */
const char *dt_flag_name(unsigned bit);			/* bit index */
int dt_flag_parse(const char *name);			/* bit value, -1 */
const char *dt_caveat_text(unsigned bit);

/* The address that decides 2 MiB mappings: phys where known, else addr;
 * DT_NO_ADDR for holes and unknown or filesystem-logical locations. */
uint64_t dt_extent_pmd_addr(const struct dt_extent *ext);
/* Largest power of two dividing both offset and that address (1 GiB at
 * most; the offset alone where there is no address). */
uint64_t dt_extent_align(const struct dt_extent *ext);
/* Bytes of @ext in 2 MiB windows a PMD could map: whole windows, with
 * that address congruent to offset modulo 2 MiB. */
uint64_t dt_extent_pmd_bytes(const struct dt_extent *ext, uint64_t window);

#define DT_PMD_SIZE (2ULL << 20)
#define DT_PUD_SIZE (1ULL << 30)

#endif
