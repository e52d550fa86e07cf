// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DAX topology, read once through libndctl and libdaxctl. Mounts come
 * from /proc/self/mountinfo and a block device's DAX support from its
 * queue/dax in sysfs: the libraries have no call for either.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <daxctl/libdaxctl.h>
#include <ndctl/libndctl.h>

#include "daxtool/dlib.h"
#include "daxtool/topology.h"
#include "daxtool/util.h"

#define COPY DT_COPY

void *dt_push(void **arr, unsigned *nr, size_t size)
{
	char *p = realloc(*arr, (*nr + 1) * size);

	if (!p)
		return NULL;
	*arr = p;
	memset(p + *nr * size, 0, size);
	return p + (*nr)++ * size;
}

/*
 * libndctl and libdaxctl are loaded only where there is something to list
 * (see daxtool/dlib.h): the functions called, and their pointers.
 */
#define ND_FNS(X) X(ndctl_bus_get_first) X(ndctl_bus_get_next) \
	 X(ndctl_dax_get_align) X(ndctl_dax_get_daxctl_region) \
	 X(ndctl_dax_get_size) X(ndctl_dax_is_enabled) \
	 X(ndctl_namespace_get_block_device) X(ndctl_namespace_get_dax) \
	 X(ndctl_namespace_get_devname) X(ndctl_namespace_get_first) \
	 X(ndctl_namespace_get_mode) X(ndctl_namespace_get_next) \
	 X(ndctl_namespace_get_numa_node) X(ndctl_namespace_get_pfn) \
	 X(ndctl_namespace_get_resource) X(ndctl_namespace_get_size) X(ndctl_namespace_get_uuid) \
	 X(ndctl_namespace_is_enabled) X(ndctl_new) X(ndctl_pfn_get_align) \
	 X(ndctl_pfn_get_block_device) X(ndctl_pfn_get_resource) \
	 X(ndctl_pfn_get_size) X(ndctl_pfn_is_enabled) X(ndctl_region_get_align) \
	 X(ndctl_region_get_devname) X(ndctl_region_get_first) \
	 X(ndctl_region_get_next) X(ndctl_region_get_numa_node) \
	 X(ndctl_region_get_persistence_domain) X(ndctl_region_get_resource) \
	 X(ndctl_region_get_size) X(ndctl_region_get_type_name) \
	 X(ndctl_region_is_enabled) X(ndctl_set_log_priority) X(ndctl_unref)
#define DX_FNS(X) X(daxctl_dev_get_align) X(daxctl_dev_get_devname) \
	 X(daxctl_dev_get_first) X(daxctl_dev_get_major) X(daxctl_dev_get_memory) \
	 X(daxctl_dev_get_minor) X(daxctl_dev_get_next) X(daxctl_dev_get_resource) \
	 X(daxctl_dev_get_size) X(daxctl_dev_get_target_node) \
	 X(daxctl_dev_has_online_memory) X(daxctl_dev_is_enabled) \
	 X(daxctl_mapping_get_first) X(daxctl_mapping_get_next) \
	 X(daxctl_mapping_get_size) X(daxctl_mapping_get_start) X(daxctl_new) \
	 X(daxctl_region_get_first) X(daxctl_region_get_id) \
	 X(daxctl_region_get_path) \
	 X(daxctl_region_get_next) X(daxctl_set_log_priority) X(daxctl_unref)

static struct { ND_FNS(DT_DLIB_PTR) } nd;
static struct { DX_FNS(DT_DLIB_PTR) } dx;
static struct dt_dlib nd_lib = DT_DLIB(DT_SO_NDCTL, ND_FNS, nd);
static struct dt_dlib dx_lib = DT_DLIB(DT_SO_DAXCTL, DX_FNS, dx);

static const char *persistence_name(enum ndctl_persistence_domain d)
{
	switch (d) {
	case PERSISTENCE_CPU_CACHE:	return "cpu_cache";
	case PERSISTENCE_MEM_CTRL:	return "memory_controller";
	case PERSISTENCE_NONE:		return "none";
	default:			return "unknown";
	}
}

static const char *const mode_names[] = {
	[NDCTL_NS_MODE_FSDAX]	= "fsdax",
	[NDCTL_NS_MODE_SECTOR]	= "sector",
	[NDCTL_NS_MODE_RAW]	= "raw",
	[NDCTL_NS_MODE_DEVDAX]	= "devdax",
	[NDCTL_NS_MODE_UNKNOWN]	= "unknown",
};

/* The namespace's uuid as text, "" where it is all zero (no label). */
static void uuid_text(struct ndctl_namespace *ndns, char out[37])
{
	unsigned char u[16] = { 0 };
	bool zero = true;
	size_t n = 0;

	nd.ndctl_namespace_get_uuid(ndns, u);
	for (unsigned i = 0; i < 16; i++)
		zero &= !u[i];
	out[0] = '\0';
	if (zero)
		return;
	for (unsigned i = 0; i < 16; i++)
		n += (size_t)snprintf(out + n, 37 - n, "%s%02x",
				      i == 4 || i == 6 || i == 8 || i == 10 ?
				      "-" : "", u[i]);
}

static int load_namespace(struct dt_topology *t, struct ndctl_region *region,
			  struct ndctl_namespace *ndns)
{
	struct dt_namespace *n;
	enum ndctl_namespace_mode mode = nd.ndctl_namespace_get_mode(ndns);
	struct ndctl_pfn *pfn = nd.ndctl_namespace_get_pfn(ndns);
	struct ndctl_dax *dax = nd.ndctl_namespace_get_dax(ndns);

	/* an empty seed namespace is no namespace */
	if (!nd.ndctl_namespace_get_size(ndns) && !pfn && !dax)
		return 0;
	n = dt_push((void **)&t->namespaces, &t->nr_namespaces, sizeof(*n));
	if (!n)
		return -ENOMEM;
	COPY(n->devname, nd.ndctl_namespace_get_devname(ndns));
	COPY(n->region, nd.ndctl_region_get_devname(region));
	COPY(n->mode, (unsigned)mode <= NDCTL_NS_MODE_UNKNOWN ?
	     mode_names[mode] : "unknown");
	n->resource = nd.ndctl_namespace_get_resource(ndns);
	n->size = nd.ndctl_namespace_get_size(ndns);
	n->numa_node = nd.ndctl_namespace_get_numa_node(ndns);
	n->enabled = nd.ndctl_namespace_is_enabled(ndns) > 0;
	n->data_resource = UINT64_MAX;
	uuid_text(ndns, n->uuid);
	/* an fsdax or devdax namespace is claimed by its pfn or dax device:
	 * that one is bound to a driver, not the namespace itself */
	if (pfn)
		n->enabled = nd.ndctl_pfn_is_enabled(pfn) > 0;
	else if (dax)
		n->enabled = nd.ndctl_dax_is_enabled(dax) > 0;
	if (pfn) {
		n->align = nd.ndctl_pfn_get_align(pfn);
		n->size = nd.ndctl_pfn_get_size(pfn);
		COPY(n->blockdev, nd.ndctl_pfn_get_block_device(pfn));
		/* pfn's resource is where the data starts: block offset 0 */
		n->data_resource = nd.ndctl_pfn_get_resource(pfn);
	} else if (dax) {
		struct daxctl_region *dr = nd.ndctl_dax_get_daxctl_region(dax);
		struct daxctl_dev *dev = dr ? dx.daxctl_dev_get_first(dr) : NULL;

		n->align = nd.ndctl_dax_get_align(dax);
		n->size = nd.ndctl_dax_get_size(dax);
		COPY(n->chardev, dev ? dx.daxctl_dev_get_devname(dev) : "");
	} else {
		COPY(n->blockdev, nd.ndctl_namespace_get_block_device(ndns));
		if (mode == NDCTL_NS_MODE_RAW && n->blockdev[0])
			n->data_resource = n->resource;
	}
	if (n->data_resource == ULLONG_MAX)
		n->data_resource = UINT64_MAX;
	return 0;
}

/* Without an entry in sysfs, the library that lists those objects would
 * find nothing, and need not start (libndctl loads the module
 * configuration, a large part of a short run). */
bool dt_dir_has(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d)))
		found = !strncmp(e->d_name, prefix, strlen(prefix));
	closedir(d);
	return found;
}

static int load_ndctl(struct dt_topology *t)
{
	struct ndctl_ctx *ctx;
	struct ndctl_bus *bus;
	int ret = 0;

	if (!dt_dir_has("/sys/bus/nd/devices", "region"))
		return 0;	/* no libnvdimm here: nothing to list */
	if (!dt_dlib_load(&nd_lib) || !dt_dlib_load(&dx_lib)) {
		dt_warn("NVDIMM regions not listed: %s", nd_lib.err[0] ?
			nd_lib.err : dx_lib.err);
		return 0;
	}
	if (nd.ndctl_new(&ctx) < 0)
		return 0;
	nd.ndctl_set_log_priority(ctx, 0);
	for (bus = nd.ndctl_bus_get_first(ctx); bus; bus = nd.ndctl_bus_get_next(bus)) {
		struct ndctl_region *region;

		for (region = nd.ndctl_region_get_first(bus); region; region = nd.ndctl_region_get_next(region)) {
			struct ndctl_namespace *ndns;
			struct dt_region *r = dt_push((void **)&t->regions,
						   &t->nr_regions, sizeof(*r));

			if (!r) {
				ret = -ENOMEM;
				goto out;
			}
			COPY(r->devname, nd.ndctl_region_get_devname(region));
			COPY(r->type, nd.ndctl_region_get_type_name(region));
			r->resource = nd.ndctl_region_get_resource(region);
			r->size = nd.ndctl_region_get_size(region);
			r->align = nd.ndctl_region_get_align(region);
			r->numa_node = nd.ndctl_region_get_numa_node(region);
			r->enabled = nd.ndctl_region_is_enabled(region) > 0;
			COPY(r->persistence, persistence_name(
				nd.ndctl_region_get_persistence_domain(region)));
			for (ndns = nd.ndctl_namespace_get_first(region); ndns; ndns = nd.ndctl_namespace_get_next(ndns)) {
				ret = load_namespace(t, region, ndns);
				if (ret)
					goto out;
			}
		}
	}
out:
	nd.ndctl_unref(ctx);
	return ret;
}

/* ".../region0/dax_region0": the dax region is a device of its own,
 * child of region0 */
static void dax_region_parent(struct dt_dax_region *r, const char *path)
{
	const char *last = path ? strrchr(path, '/') : NULL;
	const char *prev = last;

	if (!last || strncmp(last + 1, "dax_region", 10))
		return;
	while (prev > path && prev[-1] != '/')
		prev--;
	snprintf(r->parent, sizeof(r->parent), "%.*s", (int)(last - prev), prev);
}

static int load_daxctl(struct dt_topology *t)
{
	struct daxctl_region *region;
	struct daxctl_ctx *ctx;

	if (!dt_dir_has("/sys/bus/dax/devices", "dax"))
		return 0;	/* no device-DAX here */
	if (!dt_dlib_load(&dx_lib)) {
		dt_warn("device-DAX devices not listed: %s", dx_lib.err);
		return 0;
	}
	if (dx.daxctl_new(&ctx) < 0)
		return 0;
	dx.daxctl_set_log_priority(ctx, 0);
	for (region = dx.daxctl_region_get_first(ctx); region; region = dx.daxctl_region_get_next(region)) {
		struct daxctl_dev *dev;
		struct dt_dax_region *r = dt_push((void **)&t->dax_regions,
						  &t->nr_dax_regions, sizeof(*r));

		if (!r)
			goto oom;
		snprintf(r->devname, sizeof(r->devname), "region%d",
			 dx.daxctl_region_get_id(region));
		dax_region_parent(r, dx.daxctl_region_get_path(region));

		for (dev = dx.daxctl_dev_get_first(region); dev; dev = dx.daxctl_dev_get_next(dev)) {
			struct daxctl_mapping *m;
			struct dt_daxdev *d;
			uint64_t off = 0;

			if (!dx.daxctl_dev_get_size(dev))
				continue;	/* the seed device */
			d = dt_push((void **)&t->devs, &t->nr_devs, sizeof(*d));
			if (!d)
				goto oom;
			COPY(d->devname, dx.daxctl_dev_get_devname(dev));
			snprintf(d->region, sizeof(d->region), "region%d",
				 dx.daxctl_region_get_id(region));
			d->resource = dx.daxctl_dev_get_resource(dev);
			d->size = dx.daxctl_dev_get_size(dev);
			d->align = dx.daxctl_dev_get_align(dev);
			d->numa_node = dx.daxctl_dev_get_target_node(dev);
			d->major = dx.daxctl_dev_get_major(dev);
			d->minor = dx.daxctl_dev_get_minor(dev);
			d->enabled = dx.daxctl_dev_is_enabled(dev) > 0;
			COPY(d->mode, dx.daxctl_dev_get_memory(dev) &&
			     dx.daxctl_dev_has_online_memory(dev) > 0 ?
			     "system-ram" : "devdax");
			for (m = dx.daxctl_mapping_get_first(dev); m; m = dx.daxctl_mapping_get_next(m)) {
				struct dt_mapping *dm = dt_push(
					(void **)&d->mappings, &d->nr_mappings,
					sizeof(*dm));

				if (!dm)
					goto oom;
				dm->start = dx.daxctl_mapping_get_start(m);
				dm->size = dx.daxctl_mapping_get_size(m);
				dm->offset = off;
				off += dm->size;
			}
			/* older kernels have no mappings: one linear range */
			if (!d->nr_mappings && d->resource != ULLONG_MAX) {
				struct dt_mapping *dm = dt_push(
					(void **)&d->mappings, &d->nr_mappings,
					sizeof(*dm));

				if (!dm)
					goto oom;
				*dm = (struct dt_mapping) {
					.offset = 0, .start = d->resource,
					.size = d->size,
				};
			}
		}
	}
	dx.daxctl_unref(ctx);
	return 0;
oom:
	dx.daxctl_unref(ctx);
	return -ENOMEM;
}

const char *dt_dax_mode(const char *fstype, const char *opts, bool capable)
{
	static const struct { const char *opt, *mode; } table[] = {
		{ "dax", "always" }, { "dax=always", "always" },
		{ "dax=inode", "inode" }, { "dax=never", "never" },
	};
	char buf[1024], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", opts);
	for (char *o = strtok_r(buf, ",", &save); o;
	     o = strtok_r(NULL, ",", &save))
		for (size_t i = 0; i < ARRAY_SIZE(table); i++)
			if (!strcmp(o, table[i].opt))
				return table[i].mode;
	/* no option: ext4 and xfs default to per-inode DAX where they can */
	if (capable && (!strcmp(fstype, "ext4") || !strcmp(fstype, "xfs")))
		return "inode";
	return "never";
}

bool dt_bdev_dax_capable(unsigned maj, unsigned min)
{
	char path[96];
	FILE *f;
	int v = 0;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/queue/dax", maj, min);
	f = fopen(path, "re");
	if (!f) {	/* a partition: its disk's queue */
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/../queue/dax",
			 maj, min);
		f = fopen(path, "re");
	}
	if (!f)
		return false;
	if (fscanf(f, "%d", &v) != 1)
		v = 0;
	fclose(f);
	return v == 1;
}

/* Unescape mountinfo's \040-style octal escapes in place. */
static void unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				      (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static int load_mounts(struct dt_topology *t)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;

	if (!f)
		return 0;
	while (getline(&line, &cap, f) > 0) {
		/* id parent maj:min root mountpoint opts [tags] - fstype source superopts */
		char root[512], mnt[512], fstype[64], src[512], sopts[1024];
		unsigned maj, min;
		char *dash = strstr(line, " - ");
		const char *mode;
		bool capable;
		struct dt_mount *m;

		if (!dash || sscanf(line, "%*u %*u %u:%u %511s %511s", &maj,
				    &min, root, mnt) != 4 ||
		    sscanf(dash + 3, "%63s %511s %1023s", fstype, src, sopts) != 3)
			continue;
		capable = dt_bdev_dax_capable(maj, min);
		mode = dt_dax_mode(fstype, sopts, capable);
		m = dt_push((void **)&t->mounts, &t->nr_mounts, sizeof(*m));
		if (!m) {
			free(line);
			fclose(f);
			return -ENOMEM;
		}
		unescape(mnt);
		unescape(src);
		COPY(m->path, mnt);
		COPY(m->source, src);
		COPY(m->fstype, fstype);
		COPY(m->dax, mode);
		COPY(m->options, sopts);
		m->major = maj;
		m->minor = min;
		m->dax_capable = capable;
		/* DAX mounts: asked for in the options, or on a DAX device */
		m->dax_listed = capable || strcmp(mode, "never");
	}
	free(line);
	fclose(f);
	return 0;
}

int dt_topology_load(struct dt_topology *t)
{
	int ret;

	memset(t, 0, sizeof(*t));
	ret = load_ndctl(t);
	if (!ret)
		ret = load_daxctl(t);
	if (!ret)
		ret = load_mounts(t);
	if (!ret)
		ret = dt_cxl_load(t);
	if (ret)
		dt_topology_free(t);
	return ret;
}

const struct dt_topology *dt_ctx_topology(struct dt_ctx *ctx)
{
	if (!ctx->loaded) {
		ctx->loaded = true;
		ctx->load_err = dt_topology_load(&ctx->topo);
		if (ctx->load_err)
			memset(&ctx->topo, 0, sizeof(ctx->topo));
	}
	return &ctx->topo;
}

void dt_ctx_free(struct dt_ctx *ctx)
{
	if (ctx->loaded)
		dt_topology_free(&ctx->topo);
	ctx->loaded = false;
}

void dt_topology_free(struct dt_topology *t)
{
	for (unsigned i = 0; i < t->nr_devs; i++)
		free(t->devs[i].mappings);
	dt_cxl_free(t);
	free(t->regions);
	free(t->namespaces);
	free(t->devs);
	free(t->dax_regions);
	free(t->mounts);
	memset(t, 0, sizeof(*t));
}

const struct dt_daxdev *dt_topology_dev_by_devt(const struct dt_topology *t,
						dev_t devt)
{
	for (unsigned i = 0; i < t->nr_devs; i++)
		if ((unsigned)t->devs[i].major == major(devt) &&
		    (unsigned)t->devs[i].minor == minor(devt))
			return &t->devs[i];
	return NULL;
}

const struct dt_namespace *
dt_topology_ns_by_blockdev(const struct dt_topology *t, const char *name)
{
	for (unsigned i = 0; i < t->nr_namespaces; i++)
		if (t->namespaces[i].blockdev[0] &&
		    !strcmp(t->namespaces[i].blockdev, name))
			return &t->namespaces[i];
	return NULL;
}

const struct dt_mount *dt_topology_mount_by_devt(const struct dt_topology *t,
						 dev_t devt)
{
	for (unsigned i = 0; i < t->nr_mounts; i++)
		if (t->mounts[i].major == major(devt) &&
		    t->mounts[i].minor == minor(devt))
			return &t->mounts[i];
	return NULL;
}
