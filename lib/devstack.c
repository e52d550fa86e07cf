// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device stacks: the devices of a set, their tables, and the translation
 * of a device offset through them. dt_devset_load (devstack-sys.c) fills
 * a set from the machine; tests fill it from data.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "daxtool/fmt.h"
#include "daxtool/devstack.h"
#include "daxtool/print.h"
#include "daxtool/sources.h"
#include "daxtool/util.h"

#define SECTOR 512ULL
#define MAX_DEVS 64
#define MAX_DEPTH 8

struct dt_devset {
	unsigned nr;
	struct dt_dev *devs[MAX_DEVS];
};

struct dt_devset *dt_devset_new(void)
{
	return calloc(1, sizeof(struct dt_devset));
}

void dt_devset_free(struct dt_devset *set)
{
	if (!set)
		return;
	for (unsigned i = 0; i < set->nr; i++) {
		struct dt_dev *d = set->devs[i];

		for (unsigned s = 0; s < d->nr_segs; s++)
			free(d->segs[s].legs);
		free(d->segs);
		free(d);
	}
	free(set);
}

const struct dt_dev *dt_devset_find(const struct dt_devset *set, dev_t devt)
{
	for (unsigned i = 0; set && i < set->nr; i++)
		if (set->devs[i]->devt == devt)
			return set->devs[i];
	return NULL;
}

static struct dt_dev *add(struct dt_devset *set, dev_t devt, const char *name,
			  uint64_t size, enum dt_dev_kind kind)
{
	struct dt_dev *d;

	if (set->nr == MAX_DEVS || dt_devset_find(set, devt))
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	DT_COPY(d->name, name);
	d->devt = devt;
	d->size = size;
	d->kind = kind;
	d->base = DT_NO_ADDR;
	set->devs[set->nr++] = d;
	return d;
}

struct dt_dev *dt_devset_add_pmem(struct dt_devset *set, dev_t devt,
				  const char *name, uint64_t size,
				  uint64_t base, uint64_t align)
{
	struct dt_dev *d = add(set, devt, name, size, DT_DEV_PMEM);

	if (d) {
		d->base = base;
		d->align = align;
	}
	return d;
}

struct dt_dev *dt_devset_add_opaque(struct dt_devset *set, dev_t devt,
				    const char *name, uint64_t size,
				    const char *why)
{
	struct dt_dev *d = add(set, devt, name, size, DT_DEV_OPAQUE);

	if (d)
		DT_COPY(d->why, why);
	return d;
}

/* "MAJ:MIN OFFSET" at *p: a leg on a device of the set. */
static int parse_leg(struct dt_devset *set, char **p, struct dt_leg *leg)
{
	unsigned maj, min;
	unsigned long long off;
	int n = 0;

	if (sscanf(*p, " %u:%u %llu%n", &maj, &min, &off, &n) != 3)
		return -1;
	*p += n;
	leg->dev = (struct dt_dev *)dt_devset_find(set, makedev(maj, min));
	leg->offset = off * SECTOR;
	return leg->dev ? 0 : -2;
}

#define TFAIL(...) do { snprintf(err, errlen, __VA_ARGS__); goto fail; } while (0)

static int parse_line(struct dt_devset *set, char *line, struct dt_seg *s,
		      char *err, size_t errlen)
{
	unsigned long long start, len, chunk;
	unsigned nr;
	char *p;
	int n = 0, r;

	if (sscanf(line, "%llu %llu %15s%n", &start, &len, s->target, &n) != 3)
		TFAIL("'%s': not START LEN TARGET ARGS", line);
	s->start = start * SECTOR;
	s->len = len * SECTOR;
	p = line + n;
	if (!strcmp(s->target, "linear") || !strcmp(s->target, "partition")) {
		s->type = DT_SEG_LINEAR;
		nr = 1;
	} else if (!strcmp(s->target, "striped")) {
		if (sscanf(p, " %u %llu%n", &nr, &chunk, &n) != 2 || !nr ||
		    nr > 256 || !chunk)
			TFAIL("'%s': striped needs NR CHUNK", line);
		s->type = DT_SEG_STRIPE;
		s->chunk = chunk * SECTOR;
		p += n;
	} else {
		s->type = DT_SEG_OPAQUE;
		return 0;
	}
	s->nr_legs = nr;
	s->legs = calloc(nr, sizeof(*s->legs));
	if (!s->legs)
		TFAIL("%s", strerror(ENOMEM));
	for (unsigned i = 0; i < nr; i++) {
		r = parse_leg(set, &p, &s->legs[i]);
		if (r == -2)
			TFAIL("'%s': leg %u is on a device not loaded", line, i);
		if (r)
			TFAIL("'%s': leg %u is not MAJ:MIN OFFSET", line, i);
	}
	return 0;
fail:
	return -1;
}

struct dt_dev *dt_devset_add_table(struct dt_devset *set, dev_t devt,
				   const char *name, bool dm,
				   const char *table, char *err, size_t errlen)
{
	char *copy = strdup(table), *line, *save = NULL;
	struct dt_dev *d = add(set, devt, name, 0, DT_DEV_TABLE);
	uint64_t end = 0;

	if (!copy || !d) {
		snprintf(err, errlen, "%s: %s", name, !copy ? strerror(ENOMEM) :
			 "already in the set, or too many devices");
		free(copy);
		if (d)
			set->nr--, free(d);
		return NULL;
	}
	d->dm = dm;
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct dt_seg *segs = realloc(d->segs, (d->nr_segs + 1) *
					      sizeof(*segs));

		if (!segs) {
			snprintf(err, errlen, "%s", strerror(ENOMEM));
			goto fail;
		}
		d->segs = segs;
		memset(&segs[d->nr_segs], 0, sizeof(segs[0]));
		if (parse_line(set, line, &segs[d->nr_segs++], err, errlen))
			goto fail;
		if (segs[d->nr_segs - 1].start != end) {
			snprintf(err, errlen, "'%s': starts at sector %" PRIu64
				 ", the table so far ends at %" PRIu64, line,
				 (uint64_t)(segs[d->nr_segs - 1].start / SECTOR),
				 (uint64_t)(end / SECTOR));
			goto fail;
		}
		end += segs[d->nr_segs - 1].len;
	}
	d->size = end;
	free(copy);
	return d;
fail:
	free(copy);
	for (unsigned s = 0; s < d->nr_segs; s++)
		free(d->segs[s].legs);
	free(d->segs);
	set->nr--;
	free(d);
	return NULL;
}

/* --- translation --- */

static void locate(const struct dt_dev *dev, uint64_t off, unsigned depth,
		   struct dt_devloc *loc)
{
	const struct dt_seg *s = NULL;
	uint64_t in, leg_off, len;
	unsigned lo = 0, hi;

	loc->phys = DT_NO_ADDR;
	loc->leaf = NULL;
	loc->why = NULL;
	if (off >= dev->size || depth > MAX_DEPTH) {
		loc->len = UINT64_MAX - off;
		loc->why = "past the end of the device";
		return;
	}
	loc->len = dev->size - off;
	switch (dev->kind) {
	case DT_DEV_OPAQUE:
		loc->why = dev->why;
		return;
	case DT_DEV_PMEM:
		loc->leaf = dev;
		if (dev->base == DT_NO_ADDR)
			loc->why = dev->why;
		else
			loc->phys = dev->base + off;
		return;
	case DT_DEV_TABLE:
		break;
	}
	for (hi = dev->nr_segs; lo < hi;) {	/* the segment holding off */
		unsigned mid = lo + (hi - lo) / 2;

		if (dev->segs[mid].start + dev->segs[mid].len <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == dev->nr_segs) {
		loc->why = "past the end of the table";
		return;
	}
	s = &dev->segs[lo];
	in = off - s->start;
	len = s->len - in;
	if (s->type == DT_SEG_OPAQUE) {
		loc->len = len;
		loc->cut = dev->dm && lo + 1 < dev->nr_segs;
		loc->why = dev->why[0] ? dev->why : s->target;
		return;
	}
	if (s->type == DT_SEG_LINEAR) {
		leg_off = s->legs[0].offset + in;
		locate(s->legs[0].dev, leg_off, depth + 1, loc);
	} else {
		/* dm-stripe: chunk k of the segment is chunk k / nr of leg
		 * k % nr */
		uint64_t chunk = in / s->chunk, within = in % s->chunk;
		const struct dt_leg *leg = &s->legs[chunk % s->nr_legs];

		leg_off = leg->offset + chunk / s->nr_legs * s->chunk + within;
		if (len > s->chunk - within)
			len = s->chunk - within;
		locate(leg->dev, leg_off, depth + 1, loc);
		/* dm splits an access to a striped target at the queue's
		 * max_sectors too, DAX included (max_io_len) */
		if (dev->max_io && (!loc->max_io || dev->max_io < loc->max_io))
			loc->max_io = dev->max_io;
	}
	/* a cut is where this table's piece ends before the lower answer
	 * does, and it is not the device's own end */
	if (len < loc->len) {
		loc->len = len;
		loc->cut = dev->dm && off + len < dev->size;
	} else if (len == loc->len && dev->dm && off + len < dev->size) {
		loc->cut = true;
	}
}

void dt_dev_locate(const struct dt_dev *dev, uint64_t off,
		   struct dt_devloc *loc)
{
	memset(loc, 0, sizeof(*loc));
	locate(dev, off, 0, loc);
}

/* Visit every device under @dev once, depth first, @dev last. */
typedef void (*visit_fn)(const struct dt_dev *d, void *arg);

static void walk(const struct dt_dev *dev, visit_fn fn, void *arg,
		 const struct dt_dev **seen, unsigned *nr, unsigned depth)
{
	for (unsigned i = 0; i < *nr; i++)
		if (seen[i] == dev)
			return;
	if (*nr == MAX_DEVS || depth > MAX_DEPTH)
		return;
	seen[(*nr)++] = dev;
	for (unsigned s = 0; s < dev->nr_segs; s++)
		for (unsigned l = 0; l < dev->segs[s].nr_legs; l++)
			walk(dev->segs[s].legs[l].dev, fn, arg, seen, nr,
			     depth + 1);
	fn(dev, arg);
}

static void visit(const struct dt_dev *dev, visit_fn fn, void *arg)
{
	const struct dt_dev *seen[MAX_DEVS];
	unsigned nr = 0;

	walk(dev, fn, arg, seen, &nr, 0);
}

struct text { char *buf; size_t len, n; };

static void append(struct text *t, const char *fmt, const char *a,
		   const char *b)
{
	int n;

	if (t->n >= t->len)
		return;
	n = snprintf(t->buf + t->n, t->len - t->n, fmt, a, b);
	if (n > 0)
		t->n += (size_t)n;
}

static void why_one(const struct dt_dev *d, void *arg)
{
	struct text *t = arg;

	if (d->kind == DT_DEV_OPAQUE ||
	    (d->kind == DT_DEV_PMEM && d->base == DT_NO_ADDR))
		append(t, t->n ? "; %s: %s" : "%s: %s", d->name, d->why);
	for (unsigned s = 0; s < d->nr_segs; s++)
		if (d->segs[s].type == DT_SEG_OPAQUE)
			append(t, t->n ? "; %s: a %s target, which daxtool "
			       "cannot translate (linear and striped only)" :
			       "%s: a %s target, which daxtool cannot "
			       "translate (linear and striped only)",
			       d->name, d->segs[s].target);
}

void dt_dev_why_unknown(const struct dt_dev *dev, char *buf, size_t len)
{
	struct text t = { buf, len, 0 };

	buf[0] = '\0';
	visit(dev, why_one, &t);
}

static void leaf_names(const struct dt_dev *d, void *arg)
{
	struct text *t = arg;

	if (d->kind == DT_DEV_PMEM)
		append(t, t->n ? ", %s%s" : "%s%s", d->name, "");
}

void dt_dev_describe(const struct dt_dev *dev, char *buf, size_t len)
{
	char leaves[160] = "", a[24], chunk[48] = "";
	struct text t = { leaves, sizeof(leaves), 0 };
	const char *what = NULL;

	if (dev->kind != DT_DEV_TABLE) {
		snprintf(buf, len, "%s", dev->name);
		return;
	}
	for (unsigned s = 0; s < dev->nr_segs; s++) {
		if (dev->segs[s].type == DT_SEG_STRIPE)
			snprintf(chunk, sizeof(chunk), ", chunk %s",
				 dt_fmt_size(a, sizeof(a), dev->segs[s].chunk));
		if (!what)
			what = dev->segs[s].target;
		else if (strcmp(what, dev->segs[s].target))
			what = "mixed";
	}
	visit(dev, leaf_names, &t);
	if (chunk[0] && dev->max_io)
		snprintf(chunk + strlen(chunk), sizeof(chunk) - strlen(chunk),
			 ", max I/O %s", dt_fmt_size(a, sizeof(a), dev->max_io));
	snprintf(buf, len, "%s: %s%s over %s", dev->name,
		 dev->dm ? (what ? what : "empty") : "partition", chunk,
		 leaves[0] ? leaves : "no pmem");
}

struct cut { uint64_t min; };

static void cut_one(const struct dt_dev *d, void *arg)
{
	struct cut *c = arg;

	if (!d->dm)
		return;
	for (unsigned s = 0; s < d->nr_segs; s++) {
		const struct dt_seg *g = &d->segs[s];
		uint64_t v = g->type == DT_SEG_STRIPE ? g->chunk : 0;

		if (v && v % DT_PMD_SIZE && (!c->min || v < c->min))
			c->min = v;
		/* a segment that starts off a 2 MiB boundary */
		v = g->start & -g->start;
		if (g->start && v < DT_PMD_SIZE && (!c->min || v < c->min))
			c->min = v;
	}
}

uint64_t dt_dev_min_cut(const struct dt_dev *dev)
{
	struct cut c = { 0 };

	visit(dev, cut_one, &c);
	return c.min;
}

struct capped { const struct dt_dev *dev; };

static void capped_one(const struct dt_dev *d, void *arg)
{
	struct capped *c = arg;
	bool striped = false;

	for (unsigned s = 0; s < d->nr_segs; s++)
		striped |= d->segs[s].type == DT_SEG_STRIPE;
	if (striped && d->max_io && (!c->dev || d->max_io < c->dev->max_io))
		c->dev = d;
}

const struct dt_dev *dt_dev_capped(const struct dt_dev *dev)
{
	struct capped c = { 0 };

	visit(dev, capped_one, &c);
	return c.dev;
}

struct single { const struct dt_dev *leaf; unsigned nr; };

static void single_one(const struct dt_dev *d, void *arg)
{
	struct single *s = arg;

	if (d->kind == DT_DEV_PMEM) {
		s->leaf = d;
		s->nr++;
	}
}

const struct dt_dev *dt_dev_single_leaf(const struct dt_dev *dev)
{
	struct single s = { 0 };

	visit(dev, single_one, &s);
	return s.nr == 1 ? s.leaf : NULL;
}

/* --- the source --- */

static int devstack_begin(struct dt_source *src, uint64_t pos, uint64_t len,
			  struct dt_extent *ext)
{
	const struct dt_dev *dev = src->priv;
	struct dt_devloc loc;

	(void)len;
	dt_dev_locate(dev, pos, &loc);
	memset(ext, 0, sizeof(*ext));
	ext->offset = pos;
	ext->length = loc.len ? loc.len : 1;
	ext->type = DT_MAPPED;
	ext->addr = ext->phys = loc.phys;
	ext->device = dev->devt;
	ext->phys_dev = loc.leaf && loc.phys != DT_NO_ADDR ? loc.leaf->name : NULL;
	ext->max_io = loc.max_io;
	if (loc.cut)
		ext->flags |= DT_F_DEV_CUT;
	if (loc.phys == DT_NO_ADDR)
		ext->flags |= DT_F_UNKNOWN;
	return 0;
}

static void devstack_release(struct dt_source *src)
{
	(void)src;	/* the set owns the device */
}

static const struct dt_source_ops devstack_ops = {
	.name = "devstack", .begin = devstack_begin, .release = devstack_release,
};

int dt_devstack_source(struct dt_source *src, const struct dt_dev *dev)
{
	*src = (struct dt_source) {
		.ops = &devstack_ops, .size = dev->size, .priv = (void *)dev,
	};
	return 0;
}
