// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PMD analyser. It follows what the kernel's DAX PMD fault path
 * checks (fs/dax.c, dax_iomap_pmd_fault): the virtual window must be
 * aligned and congruent to the file offset, lie inside the VMA and before
 * EOF, and one iomap extent must cover the whole 2 MiB with a physical
 * address aligned to 2 MiB. Holes and unwritten extents are read through
 * the huge zero page; a write to a hole allocates where the filesystem
 * chooses.
 */
#include <string.h>

#include "daxtool/pmd.h"

static const struct {
	const char *name, *text;
} reasons[DT_NR_REASONS] = {
	[DT_R_NOT_DAX] = { "not_dax",
		"DAX is off: the file is mapped through the page cache" },
	[DT_R_DEVICE_ALIGN] = { "device_align",
		"device-DAX aligned below 2 MiB maps only pages of its alignment" },
	[DT_R_MISALIGNED_VIRTUAL] = { "misaligned_virtual",
		"the virtual address is not congruent to the file offset modulo 2 MiB" },
	[DT_R_PRIVATE_WRITE] = { "private_write",
		"a private mapping copies written pages into anonymous memory" },
	[DT_R_BEYOND_EOF] = { "beyond_eof",
		"the window reaches past the end of the file" },
	[DT_R_EXTENT_TOO_SHORT] = { "extent_too_short",
		"no single extent covers the whole window" },
	[DT_R_MIXED_HOLE_DATA] = { "mixed_hole_data",
		"the window is part hole, part data" },
	[DT_R_MISALIGNED_PHYSICAL] = { "misaligned_physical",
		"the physical address is not congruent to the file offset modulo 2 MiB" },
	[DT_R_UNALIGNED_ALLOCATION] = { "unaligned_allocation",
		"a write allocates here, and the filesystem does not align allocations to 2 MiB" },
	[DT_R_SHARED_EXTENT] = { "shared_extent",
		"the extent is shared (reflinked): a write must copy it" },
	[DT_R_DELALLOC] = { "delalloc",
		"the allocation is pending: the data has no place yet" },
	[DT_R_INLINE] = { "inline",
		"the data is stored inside the inode" },
	[DT_R_DEVICE_MAX_IO] = { "device_max_io",
		"device-mapper caps one access to a striped target at its queue's "
		"max_sectors_kb, less than 2 MiB" },
	[DT_R_DEVICE_VMA_ALIGN] = { "device_vma_align",
		"device-DAX maps only at an address, and a length, that are "
		"multiples of its alignment: mmap fails with EINVAL" },
	[DT_R_DEVICE_OFFSET_ALIGN] = { "device_offset_align",
		"the file offset is not a multiple of the device-DAX alignment: "
		"the kernel maps the data at the offset rounded down, other "
		"bytes than asked" },
	[DT_R_DEVICE_BOUNDARY] = { "device_boundary",
		"a device-mapper segment or stripe chunk ends inside the window: "
		"the kernel maps at most to its end" },
};

static const char *const status_names[] = {
	[DT_PMD_YES] = "pmd", [DT_PMD_ZERO] = "zero_pmd", [DT_PMD_NO] = "pte",
	[DT_PMD_UNKNOWN] = "unknown", [DT_PMD_PUD] = "pud",
	[DT_PMD_REFUSED] = "refused",
};

/* The page each status maps with; 0: none, or unknown. */
static const uint64_t status_page[DT_NR_PMD_STATUS] = {
	[DT_PMD_YES] = DT_PMD_SIZE, [DT_PMD_ZERO] = DT_PMD_SIZE,
	[DT_PMD_NO] = 4096, [DT_PMD_PUD] = DT_PUD_SIZE,
};

const char *dt_reason_name(enum dt_reason r)
{
	return (unsigned)r < DT_NR_REASONS ? reasons[r].name : "?";
}

const char *dt_reason_text(enum dt_reason r)
{
	return (unsigned)r < DT_NR_REASONS ? reasons[r].text : "?";
}

const char *dt_pmd_status_name(enum dt_pmd_status s)
{
	return (unsigned)s < DT_NR_PMD_STATUS ? status_names[s] : "?";
}

#define R(x) (1u << (x))

/* What the extents seen in one window add up to. */
struct window_state {
	struct dt_pmd_window w;
	unsigned nr_ext;
	bool hole, data;	/* data: anything that is not a hole */
	bool file_cut, dev_cut;	/* extents change inside: where the file's
				   extents do, where a device's table does */
	uint32_t last_flags;	/* of the extent seen last */
	bool unknown;		/* the verdict needs an unknown address */
	struct dt_extent first;	/* the extent at the window's start */
};

struct walk {
	const struct dt_pmd_params *p;
	dt_pmd_fn fn;
	void *arg;
	uint64_t next;		/* the next window to report */
	struct window_state cur;
};

/* The verdict on a window covered by a single extent. */
static void single_extent(const struct dt_pmd_params *p, struct window_state *s)
{
	const struct dt_extent *e = &s->first;
	uint64_t addr = dt_extent_pmd_addr(e);
	struct dt_pmd_window *w = &s->w;

	switch (e->type) {
	case DT_HOLE:
		if (!p->write)
			w->status = DT_PMD_ZERO;
		else if (!p->aligned_alloc)
			w->reasons |= R(DT_R_UNALIGNED_ALLOCATION);
		if (p->write && p->max_io && p->max_io < DT_PMD_SIZE)
			w->reasons |= R(DT_R_DEVICE_MAX_IO);
		return;
	case DT_UNWRITTEN:
		if (!p->write) {
			w->status = DT_PMD_ZERO;
			return;
		}
		break;
	case DT_DELALLOC:
		w->reasons |= R(DT_R_DELALLOC);
		return;
	case DT_INLINE:
		w->reasons |= R(DT_R_INLINE);
		return;
	case DT_MAPPED:
	case DT_NR_TYPES:
		break;
	}
	/* a read of unwritten space maps the zero page (above); the rest
	 * goes through the device, one access for the window */
	if (e->max_io && e->max_io < DT_PMD_SIZE)
		w->reasons |= R(DT_R_DEVICE_MAX_IO);
	if (e->flags & DT_F_NO_PHYS)
		s->unknown = true;	/* no address to judge: say so */
	if (addr != DT_NO_ADDR) {
		w->phys = addr + (w->offset - e->offset);
		w->physical = e->phys != DT_NO_ADDR;
		if (w->phys & (DT_PMD_SIZE - 1))
			w->reasons |= R(DT_R_MISALIGNED_PHYSICAL);
	}
	if ((e->flags & DT_F_SHARED) && p->write)
		w->reasons |= R(DT_R_SHARED_EXTENT);
}

static int report(struct walk *wk)
{
	struct dt_pmd_window *w = &wk->cur.w;

	w->page_size = status_page[w->status];
	return wk->fn(w, wk->arg);
}

static int finish_window(struct walk *wk)
{
	const struct dt_pmd_params *p = wk->p;
	struct window_state *s = &wk->cur;
	struct dt_pmd_window *w = &s->w;
	uint64_t page_end = (p->size + 4095) & ~4095ULL;

	w->status = DT_PMD_YES;
	w->type = s->first.type;
	w->phys = DT_NO_ADDR;
	if (!p->dax) {		/* nothing else matters */
		w->reasons = R(DT_R_NOT_DAX);
		w->status = DT_PMD_NO;
		return report(wk);
	}
	if (p->dev_align && (p->vaddr_delta | p->map_offset) % p->dev_align) {
		/* device-DAX never falls back below its alignment: it
		 * refuses the address, or maps the wrong data */
		w->reasons = R(p->map_offset % p->dev_align ?
			       DT_R_DEVICE_OFFSET_ALIGN : DT_R_DEVICE_VMA_ALIGN);
		w->status = DT_PMD_REFUSED;
		return report(wk);
	}
	if (p->dev_align && p->dev_align < DT_PMD_SIZE)
		w->reasons |= R(DT_R_DEVICE_ALIGN);
	if (p->vaddr_delta % DT_PMD_SIZE)
		w->reasons |= R(DT_R_MISALIGNED_VIRTUAL);
	if (p->private_map && p->write)
		w->reasons |= R(DT_R_PRIVATE_WRITE);
	if (w->offset + DT_PMD_SIZE > page_end)
		w->reasons |= R(DT_R_BEYOND_EOF);	/* extents past EOF do not count */
	else if (s->nr_ext > 1) {
		if (s->file_cut)
			w->reasons |= R(s->hole && s->data ?
					DT_R_MIXED_HOLE_DATA :
					DT_R_EXTENT_TOO_SHORT);
		if (s->dev_cut)
			w->reasons |= R(DT_R_DEVICE_BOUNDARY);
	} else if (!w->reasons)
		single_extent(p, s);
	if (w->reasons)
		w->status = DT_PMD_NO;
	else if (s->unknown)
		w->status = DT_PMD_UNKNOWN;
	else if (p->dev_align >= DT_PUD_SIZE)
		w->status = DT_PMD_PUD;	/* the whole GiB in one entry */
	return report(wk);
}

static void start_window(struct walk *wk, uint64_t offset,
			 const struct dt_extent *ext)
{
	memset(&wk->cur, 0, sizeof(wk->cur));
	wk->cur.w.offset = offset;
	wk->cur.first = *ext;
}

static void add_extent(struct window_state *s, const struct dt_extent *ext)
{
	if (s->nr_ext && s->w.nr_bounds < DT_MAX_BOUNDS)
		s->w.bounds[s->w.nr_bounds] = ext->offset;
	if (s->nr_ext) {
		s->w.nr_bounds++;
		if (s->last_flags & DT_F_DEV_CUT)
			s->dev_cut = true;
		else
			s->file_cut = true;
	}
	s->last_flags = ext->flags;
	s->nr_ext++;
	if (ext->type == DT_HOLE)
		s->hole = true;
	else
		s->data = true;
}

/*
 * One call per extent: the extent may close the open window, fill any
 * number of whole windows (reported without looking at them again), and
 * open the next one.
 */
static int pmd_actor(const struct dt_extent *ext, void *arg)
{
	struct walk *wk = arg;
	uint64_t pos = ext->offset, end = ext->offset + ext->length;
	int ret;

	while (pos < end) {
		uint64_t win = pos & ~(DT_PMD_SIZE - 1);

		if (win != wk->next - DT_PMD_SIZE || !wk->cur.nr_ext) {
			/* a new window starts at pos (always at its start) */
			start_window(wk, win, ext);
			wk->next = win + DT_PMD_SIZE;
		}
		add_extent(&wk->cur, ext);
		if (wk->p->extent_fn) {
			struct dt_extent part = *ext;
			uint64_t to = end < wk->next ? end : wk->next;

			if (part.addr != DT_NO_ADDR)
				part.addr += pos - ext->offset;
			if (part.phys != DT_NO_ADDR)
				part.phys += pos - ext->offset;
			part.offset = pos;
			part.length = to - pos;
			wk->p->extent_fn(&part, wk->p->extent_arg);
		}
		if (end < wk->next)
			return 0;		/* the window stays open */
		if (wk->cur.nr_ext == 1 && end >= wk->next + DT_PMD_SIZE) {
			/* whole windows of one extent are alike, up to the
			 * last window before EOF, which is judged alone */
			uint64_t last = wk->p->size & ~(DT_PMD_SIZE - 1);
			uint64_t stop = (end < last ? end : last) &
					~(DT_PMD_SIZE - 1);

			if (stop > wk->next)
				wk->next = stop;
		}
		wk->cur.w.count = (wk->next - wk->cur.w.offset) / DT_PMD_SIZE;
		ret = finish_window(wk);
		if (ret)
			return ret;
		wk->cur.nr_ext = 0;
		pos = wk->next;
	}
	return 0;
}

int dt_pmd_analyse(struct dt_source *src, const struct dt_pmd_params *p,
		   dt_pmd_fn fn, void *arg)
{
	struct walk wk = { .p = p, .fn = fn, .arg = arg };
	uint64_t end = (p->size + DT_PMD_SIZE - 1) & ~(DT_PMD_SIZE - 1);
	uint64_t have = src->size;
	int ret;

	/* the last window may reach past the source's size: walk it too,
	 * it is a hole there (and beyond_eof) */
	src->size = p->size;
	ret = dt_iomap_iter(src, 0, end, pmd_actor, &wk);
	src->size = have;
	if (!ret && wk.cur.nr_ext) {
		wk.cur.w.count = 1;
		ret = finish_window(&wk);
	}
	return ret;
}
