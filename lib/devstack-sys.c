// SPDX-License-Identifier: GPL-2.0-only
/*
 * A device stack from the machine: sysfs names a block device and says
 * whether it is a partition, a device-mapper device, md or something else
 * stacked; libdevmapper reads a device-mapper table; the topology names
 * the pmem namespace at the bottom and where its data starts.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/sysmacros.h>
#include <libdevmapper.h>

#include "daxtool/devstack.h"
#include "daxtool/dlib.h"
#include "daxtool/util.h"

static bool exists(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* Does DIR/slaves list any device? */
static bool stacked(const char *sys)
{
	char path[PATH_MAX];
	struct dirent *e;
	bool any = false;
	DIR *d;

	snprintf(path, sizeof(path), "%s/slaves", sys);
	d = opendir(path);
	if (!d)
		return false;
	while (!any && (e = readdir(d)))
		any = e->d_name[0] != '.';
	closedir(d);
	return any;
}

/* libdevmapper's last error, kept for the reason; nothing on stderr. */
/* libdevmapper is loaded when a device-mapper device is met (see
 * daxtool/dlib.h). */
#define DM_FNS(X) X(dm_get_next_target) X(dm_log_with_errno_init) X(dm_task_create) X(dm_task_destroy) X(dm_task_run) X(dm_task_set_major) X(dm_task_set_minor)
static struct { DM_FNS(DT_DLIB_PTR) } dmf;
static struct dt_dlib dm_lib = DT_DLIB(DT_SO_DEVMAPPER, DM_FNS, dmf);

static char dm_error[160];

static void __attribute__((format(printf, 5, 6)))
dm_log(int level, const char *file, int line, int dm_errno, const char *f, ...)
{
	va_list ap;

	(void)file;
	(void)line;
	(void)dm_errno;
	if (level > 3)	/* _LOG_ERR: keep errors only */
		return;
	va_start(ap, f);
	vsnprintf(dm_error, sizeof(dm_error), f, ap);
	va_end(ap);
}

static const struct dt_dev *load(struct dt_devset *set,
				 const struct dt_topology *t, dev_t devt,
				 unsigned depth);

/* The table of device-mapper device @devt in dmsetup's form, its legs
 * loaded into the set first. 0, or -1 with @why. */
static int dm_table(struct dt_devset *set, const struct dt_topology *t,
		    dev_t devt, unsigned depth, char **table, char *why,
		    size_t whylen)
{
	struct dm_task *dmt;
	void *next = NULL;
	size_t cap = 0, n = 0;
	char *buf = NULL;

	if (!dt_dlib_load(&dm_lib)) {
		snprintf(why, whylen, "cannot read its device-mapper table: "
			 "%.120s", dm_lib.err);
		return -1;
	}
	dm_error[0] = '\0';
	dmf.dm_log_with_errno_init(dm_log);
	dmt = dmf.dm_task_create(DM_DEVICE_TABLE);
	if (!dmt || !dmf.dm_task_set_major(dmt, (int)major(devt)) ||
	    !dmf.dm_task_set_minor(dmt, (int)minor(devt)) || !dmf.dm_task_run(dmt)) {
		snprintf(why, whylen, "cannot read its device-mapper table: %s",
			 dm_error[0] ? dm_error : geteuid() ? "reading it "
			 "needs root" : "libdevmapper failed");
		if (dmt)
			dmf.dm_task_destroy(dmt);
		return -1;
	}
	do {
		uint64_t start, length;
		char *type = NULL, *params = NULL;
		size_t need;

		next = dmf.dm_get_next_target(dmt, next, &start, &length, &type,
					  &params);
		if (!type)
			break;
		need = strlen(type) + (params ? strlen(params) : 0) + 48;
		if (n + need > cap) {
			char *p = realloc(buf, cap = (n + need) * 2);

			if (!p) {
				free(buf);
				dmf.dm_task_destroy(dmt);
				snprintf(why, whylen, "%s", strerror(ENOMEM));
				return -1;
			}
			buf = p;
		}
		n += (size_t)snprintf(buf + n, cap - n, "%" PRIu64 " %" PRIu64
				      " %s %s\n", start, length, type,
				      params ? params : "");
		/* load every MAJ:MIN the target names */
		for (char *p = params; p && *p; p++) {
			unsigned maj, min;
			int len = 0;

			if ((p == params || p[-1] == ' ') &&
			    sscanf(p, "%u:%u%n", &maj, &min, &len) == 2 &&
			    (p[len] == ' ' || !p[len]))
				load(set, t, makedev(maj, min), depth + 1);
		}
	} while (next);
	dmf.dm_task_destroy(dmt);
	*table = buf ? buf : strdup("");
	return *table ? 0 : -1;
}

static const struct dt_dev *load_pmem(struct dt_devset *set,
				      const struct dt_topology *t, dev_t devt,
				      const char *name, uint64_t size)
{
	const struct dt_namespace *ns = dt_topology_ns_by_blockdev(t, name);
	struct dt_dev *d;
	char why[256];

	if (!ns) {
		snprintf(why, sizeof(why), "not a pmem namespace that libndctl "
			 "knows (not persistent memory, or a device such as "
			 "virtio-pmem without an NVDIMM namespace)");
		return dt_devset_add_opaque(set, devt, name, size, why);
	}
	d = dt_devset_add_pmem(set, devt, name, size, ns->data_resource,
			       ns->align);
	if (!d)
		return NULL;
	DT_COPY(d->namespace, ns->devname);
	DT_COPY(d->mode, ns->mode);
	DT_COPY(d->region, ns->region);
	if (ns->data_resource == UINT64_MAX) {
		d->base = DT_NO_ADDR;
		snprintf(d->why, sizeof(d->why), "%s is in %s mode: no direct "
			 "mapping to physical memory", ns->devname, ns->mode);
	}
	return d;
}

static const struct dt_dev *load(struct dt_devset *set,
				 const struct dt_topology *t, dev_t devt,
				 unsigned depth)
{
	char sys[64], link[PATH_MAX], path[PATH_MAX + 16], why[192];
	char err[256], name[DT_NAME], *base, *table = NULL;
	const struct dt_dev *d = dt_devset_find(set, devt);
	uint64_t sectors = 0, start = 0;
	ssize_t n;

	if (d)
		return d;
	snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u", major(devt),
		 minor(devt));
	n = readlink(sys, link, sizeof(link) - 1);
	if (n < 0) {
		char nm[32];
		struct dt_dev *none;

		snprintf(nm, sizeof(nm), "%u:%u", major(devt), minor(devt));
		none = dt_devset_add_opaque(set, devt, nm, 0, "no block device: "
					    "the filesystem has no device under it");
		if (none)
			none->nodev = true;
		return none;
	}
	link[n] = '\0';
	base = strrchr(link, '/');
	DT_COPY(name, base ? base + 1 : link);
	snprintf(path, sizeof(path), "%s/size", sys);
	dt_read_u64(path, &sectors);
	if (depth > 8)
		return dt_devset_add_opaque(set, devt, name, sectors * 512,
					    "devices stacked too deep");
	if (exists(sys, "partition")) {
		/* the parent is the directory above it in sysfs */
		char parent[PATH_MAX], *slash;
		unsigned maj, min;
		FILE *f;

		snprintf(path, sizeof(path), "%s/start", sys);
		dt_read_u64(path, &start);
		DT_COPY(parent, link);
		*strrchr(parent, '/') = '\0';
		slash = strrchr(parent, '/');
		snprintf(path, sizeof(path), "/sys/block/%s/dev",
			 slash ? slash + 1 : parent);
		f = fopen(path, "re");
		if (!f || fscanf(f, "%u:%u", &maj, &min) != 2) {
			if (f)
				fclose(f);
			snprintf(why, sizeof(why), "cannot read the device "
				 "%s is a partition of", name);
			return dt_devset_add_opaque(set, devt, name,
						    sectors * 512, why);
		}
		fclose(f);
		load(set, t, makedev(maj, min), depth + 1);
		snprintf(path, sizeof(path), "0 %" PRIu64 " partition %u:%u %"
			 PRIu64 "\n", sectors, maj, min, start);
		d = dt_devset_add_table(set, devt, name, false, path, err,
					sizeof(err));
		return d ? d : dt_devset_add_opaque(set, devt, name,
						    sectors * 512, err);
	}
	if (exists(sys, "dm")) {
		if (dm_table(set, t, devt, depth, &table, why, sizeof(why)))
			return dt_devset_add_opaque(set, devt, name,
						    sectors * 512, why);
		struct dt_dev *dm = dt_devset_add_table(set, devt, name, true,
							table, err, sizeof(err));
		uint64_t kb = 0;

		free(table);
		if (dm) {
			snprintf(path, sizeof(path), "%s/queue/max_sectors_kb", sys);
			if (!dt_read_u64(path, &kb))
				dm->max_io = kb << 10;
			return dm;
		}
		snprintf(why, sizeof(why), "its device-mapper table: %.160s", err);
		return dt_devset_add_opaque(set, devt, name, sectors * 512, why);
	}
	if (exists(sys, "md"))
		return dt_devset_add_opaque(set, devt, name, sectors * 512,
					    "an md RAID device: daxtool does "
					    "not translate md layouts");
	if (stacked(sys))
		return dt_devset_add_opaque(set, devt, name, sectors * 512,
					    "built on other devices in a way "
					    "daxtool does not translate");
	return load_pmem(set, t, devt, name, sectors * 512);
}

const struct dt_dev *dt_devset_load(struct dt_devset *set,
				    const struct dt_topology *t, dev_t devt)
{
	return load(set, t, devt, 0);
}
