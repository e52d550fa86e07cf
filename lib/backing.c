// SPDX-License-Identifier: GPL-2.0-only
/*
 * From a block device number to the physical address of its byte 0:
 * sysfs names the device and its partition offset (the libraries have no
 * call for that); the topology names the namespace and its data start.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/sysmacros.h>

#include "daxtool/backing.h"
#include "daxtool/util.h"

static int read_u64(const char *path, uint64_t *v)
{
	FILE *f = fopen(path, "re");
	unsigned long long x;
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%llu", &x) == 1;
	fclose(f);
	if (!ok)
		return -1;
	*v = x;
	return 0;
}

/* Does /sys/block/NAME/slaves list any device? */
static bool stacked(const char *name)
{
	char path[128];
	DIR *d;
	struct dirent *e;
	bool any = false;

	snprintf(path, sizeof(path), "/sys/block/%s/slaves", name);
	d = opendir(path);
	if (!d)
		return false;
	while (!any && (e = readdir(d)))
		any = e->d_name[0] != '.';
	closedir(d);
	return any;
}

static void why(struct dt_backing *b, const char *fmt, const char *arg)
{
	snprintf(b->why, sizeof(b->why), fmt, arg);
}

void dt_backing_of_file(const struct dt_topology *t, dev_t st_dev,
			bool btrfs, struct dt_backing *b)
{
	char sys[64], link[PATH_MAX], parent[DT_NAME], path[96];
	const struct dt_namespace *ns;
	uint64_t start = 0, sectors = 0;
	char *name, *slash;
	ssize_t n;

	memset(b, 0, sizeof(*b));
	b->base = DT_NO_ADDR;
	if (btrfs) {
		why(b, "%sbtrfs reports filesystem-logical addresses, not "
		    "device offsets", "");
		return;
	}
	snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u", major(st_dev),
		 minor(st_dev));
	n = readlink(sys, link, sizeof(link) - 1);
	if (n < 0) {
		snprintf(b->why, sizeof(b->why), "the filesystem has no block "
			 "device (%u:%u)", major(st_dev), minor(st_dev));
		return;
	}
	link[n] = '\0';
	name = strrchr(link, '/');
	name = name ? name + 1 : link;
	DT_COPY(b->dev, name);
	snprintf(path, sizeof(path), "%s/size", sys);
	if (!read_u64(path, &sectors))
		b->dev_size = sectors * 512;
	/* a partition: its parent is the directory above it in sysfs */
	snprintf(path, sizeof(path), "%s/partition", sys);
	DT_COPY(parent, name);
	if (access(path, F_OK) == 0) {
		snprintf(path, sizeof(path), "%s/start", sys);
		if (read_u64(path, &start)) {
			why(b, "cannot read the partition offset of %s", b->dev);
			return;
		}
		*strrchr(link, '/') = '\0';
		slash = strrchr(link, '/');
		DT_COPY(parent, slash ? slash + 1 : link);
	}
	/* a stacked device (device-mapper, md): its offsets are its own,
	 * spread over the devices under it */
	if (stacked(parent)) {
		why(b, "%s is built on other devices (device-mapper or md): "
		    "its offsets are not one namespace's", parent);
		return;
	}
	ns = dt_topology_ns_by_blockdev(t, parent);
	if (!ns) {
		why(b, "%s is not a pmem namespace", parent);
		return;
	}
	DT_COPY(b->namespace, ns->devname);
	DT_COPY(b->mode, ns->mode);
	b->align = ns->align;
	if (ns->data_resource == UINT64_MAX) {
		snprintf(b->why, sizeof(b->why), "%s is in %s mode: no direct "
			 "mapping to physical memory", ns->devname, ns->mode);
		return;
	}
	b->base = ns->data_resource + start * 512;
}

void dt_backing_of_daxdev(const struct dt_topology *t,
			  const struct dt_daxdev *d, struct dt_backing *b)
{
	memset(b, 0, sizeof(*b));
	DT_COPY(b->dev, d->devname);
	DT_COPY(b->mode, d->mode);
	b->align = d->align;
	b->dev_size = d->size;
	b->base = d->nr_mappings ? d->mappings[0].start : DT_NO_ADDR;
	for (unsigned i = 0; i < t->nr_namespaces; i++)
		if (!strcmp(t->namespaces[i].chardev, d->devname))
			DT_COPY(b->namespace, t->namespaces[i].devname);
}
