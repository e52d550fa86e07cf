/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A snapshot of the machine's DAX topology, from libndctl, libdaxctl and
 * libcxl: NVDIMM regions and namespaces, device-DAX devices with their
 * physical ranges, CXL memory devices, ports, decoders and regions
 * (daxtool/cxl.h), and the mounted filesystems with their DAX mode. Plain
 * data, so that commands and tests need not hold the libraries' objects.
 */
#ifndef DAXTOOL_TOPOLOGY_H
#define DAXTOOL_TOPOLOGY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "daxtool/cxl.h"

#define DT_NAME 64

struct dt_region {
	char devname[DT_NAME];		/* region0 */
	char type[16];			/* pmem, blk */
	uint64_t resource, size;
	unsigned long align;
	int numa_node;			/* -1 if unknown */
	char persistence[24];		/* cpu_cache, memory_controller, none, unknown */
	bool enabled;
	char cxl_region[DT_NAME];	/* the CXL region it is made of, or "" */
};

struct dt_namespace {
	char devname[DT_NAME];		/* namespace0.0 */
	char region[DT_NAME];
	char mode[16];			/* fsdax, devdax, sector, raw, unknown */
	uint64_t resource, size;	/* the namespace's own range */
	unsigned long align;		/* of the fsdax/devdax info block, 0 if none */
	char blockdev[DT_NAME];		/* pmem0, or "" */
	char chardev[DT_NAME];		/* dax0.0, or "" */
	/* the namespace's label uuid, "xxxxxxxx-xxxx-..."; "" where it has
	 * none (a label-less namespace: e820, legacy NVDIMMs) */
	char uuid[37];
	/* the physical address of byte 0 of the block device (fsdax: after
	 * the info block and reserve), or UINT64_MAX if it has none */
	uint64_t data_resource;
	int numa_node;
	bool enabled;
};

struct dt_mapping {
	uint64_t offset;		/* device offset */
	uint64_t start, size;		/* physical range */
};

struct dt_daxdev {
	char devname[DT_NAME];		/* dax0.0 */
	char region[DT_NAME];		/* region0 (the dax region's id) */
	char mode[16];			/* devdax, system-ram */
	uint64_t resource, size;
	unsigned long align;
	int numa_node;			/* target node, -1 if unknown */
	int major, minor;
	bool enabled;
	unsigned nr_mappings;
	struct dt_mapping *mappings;
	char cxl_region[DT_NAME];	/* the CXL region its memory is in, or "" */
};

/* A device-DAX region (libdaxctl's), where it hangs in the device tree. */
struct dt_dax_region {
	char devname[DT_NAME];		/* region0, as dt_daxdev.region says */
	/* the device whose child it is, where it is a dax_regionN of its
	 * own (a CXL ram region's: region0 on the CXL bus); else "" */
	char parent[DT_NAME];
};

struct dt_mount {
	char path[512];
	char source[512];		/* /dev/pmem0 */
	char fstype[64];
	char dax[8];			/* always, inode, never */
	char options[512];		/* the filesystem's own options */
	unsigned major, minor;
	bool dax_capable;		/* the block device supports DAX */
	bool dax_listed;		/* a DAX mount: asked for, or on a
					   DAX device (what list shows) */
};

struct dt_topology {
	struct dt_region *regions;
	unsigned nr_regions;
	struct dt_namespace *namespaces;
	unsigned nr_namespaces;
	struct dt_daxdev *devs;
	unsigned nr_devs;
	struct dt_dax_region *dax_regions;
	unsigned nr_dax_regions;
	struct dt_mount *mounts;
	unsigned nr_mounts;
	struct dt_cxl_memdev *cxl_memdevs;
	unsigned nr_cxl_memdevs;
	struct dt_cxl_port *cxl_ports;
	unsigned nr_cxl_ports;
	struct dt_cxl_decoder *cxl_decoders;
	unsigned nr_cxl_decoders;
	struct dt_cxl_region *cxl_regions;
	unsigned nr_cxl_regions;
};

/* Append one zeroed element to a growing array: NULL if out of memory. */
void *dt_push(void **arr, unsigned *nr, size_t size);
/* Whether directory @dir holds an entry named PREFIX... */
bool dt_dir_has(const char *dir, const char *prefix);

/* Read it all; 0 or -errno. A machine without NVDIMMs or DAX is not an
 * error: its lists are empty. */
int dt_topology_load(struct dt_topology *t);
void dt_topology_free(struct dt_topology *t);
/*
 * A run's context, made once by main and passed down to every command
 * (as daxctl passes its ctx): the topology, read on first use. If it
 * cannot be read, it is empty and load_err says why (-errno).
 */
struct dt_ctx {
	struct dt_topology topo;
	bool loaded;
	int load_err;
	/* the command line as main got it, for results to record */
	int argc;
	const char *const *argv;
};

const struct dt_topology *dt_ctx_topology(struct dt_ctx *ctx);
void dt_ctx_free(struct dt_ctx *ctx);

const struct dt_daxdev *dt_topology_dev_by_devt(const struct dt_topology *t,
						dev_t devt);
/* The namespace whose block device is @name ("pmem0"). */
const struct dt_namespace *
dt_topology_ns_by_blockdev(const struct dt_topology *t, const char *name);
/* Every mount is kept: a file's own mount is found on any filesystem. */
const struct dt_mount *dt_topology_mount_by_devt(const struct dt_topology *t,
						 dev_t devt);

/* Whether block device MAJ:MIN supports DAX (its queue/dax). */
bool dt_bdev_dax_capable(unsigned maj, unsigned min);

/* mountinfo's super options -> always/inode/never; for tests too. */
const char *dt_dax_mode(const char *fstype, const char *super_opts,
			bool dax_capable);

#endif
