// SPDX-License-Identifier: GPL-2.0-only
/* daxtool list: DAX regions, namespaces, devices and mounts. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "daxtool/out.h"
#include "daxtool/topology.h"
#include "daxtool/util.h"
#include "builtin.h"
#include "parse-options.h"

static const char *const list_usage[] = {
	"daxtool list [options]",
	NULL
};

struct list_opts {
	bool json, human;
	const char *region, *ns, *dev, *mode;
};

/* "region1" matches -r region1 and -r 1, as in ndctl and daxctl */
static bool match(const char *filter, const char *prefix, const char *name)
{
	size_t n = strlen(prefix);

	if (!filter)
		return true;
	if (!strcmp(filter, name))
		return true;
	return !strncmp(name, prefix, n) && !strcmp(name + n, filter);
}

static void out_node(const char *key, const char *fmt, int node)
{
	if (node < 0)
		dt_out_null(key);
	else
		dt_out_i64(key, fmt, node);
}


static void list_regions(const struct dt_topology *t, const struct list_opts *o)
{
	dt_out_begin_array("regions");
	unsigned head = 0;
	for (unsigned i = 0; i < t->nr_regions; i++) {
		const struct dt_region *r = &t->regions[i];

		if (!match(o->region, "region", r->devname))
			continue;
		if (!head++)
			dt_out_text("regions:\n");
		dt_out_begin_object(NULL);
		dt_out_str("dev", "  %-12s", r->devname);
		dt_out_str("type", " %-5s", r->type);
		dt_out_size("size", " size %-8s", r->size);
		dt_out_size("align", " align %-5s", r->align);
		dt_out_addr("resource", " resource %s", r->resource);
		out_node("numa_node", " node %" PRId64, r->numa_node);
		dt_out_str("persistence_domain", " persistence %s", r->persistence);
		dt_out_bool("enabled", r->enabled ? NULL : " (disabled)", r->enabled);
		dt_out_text("\n");
		dt_out_end_object();
	}
	dt_out_end_array();
}

static void list_namespaces(const struct dt_topology *t,
			    const struct list_opts *o)
{
	dt_out_begin_array("namespaces");
	unsigned head = 0;
	for (unsigned i = 0; i < t->nr_namespaces; i++) {
		const struct dt_namespace *n = &t->namespaces[i];

		if (!match(o->region, "region", n->region) ||
		    !match(o->ns, "namespace", n->devname) ||
		    (o->dev && !match(o->dev, "dax", n->chardev)) ||
		    (o->mode && strcmp(o->mode, n->mode)))
			continue;
		if (!head++)
			dt_out_text("namespaces:\n");
		dt_out_begin_object(NULL);
		dt_out_str("dev", "  %-14s", n->devname);
		dt_out_str("region", " %-8s", n->region);
		dt_out_str("mode", " %-7s", n->mode);
		dt_out_size("size", " size %-8s", n->size);
		dt_out_size("align", " align %-5s", n->align);
		dt_out_addr("resource", " resource %s", n->resource);
		dt_out_str_opt("blockdev", " block %s", n->blockdev);
		dt_out_str_opt("chardev", " char %s", n->chardev);
		if (n->data_resource != UINT64_MAX)
			dt_out_addr("data_resource", " data at %s", n->data_resource);
		else
			dt_out_null("data_resource");
		out_node("numa_node", NULL, n->numa_node);
		dt_out_bool("enabled", n->enabled ? NULL : " (disabled)", n->enabled);
		dt_out_text("\n");
		dt_out_end_object();
	}
	dt_out_end_array();
}

static void list_devices(const struct dt_topology *t, const struct list_opts *o)
{
	dt_out_begin_array("devices");
	unsigned head = 0;
	for (unsigned i = 0; i < t->nr_devs; i++) {
		const struct dt_daxdev *d = &t->devs[i];
		char devt[24];

		if (!match(o->region, "region", d->region) ||
		    !match(o->dev, "dax", d->devname) ||
		    (o->mode && strcmp(o->mode, d->mode)) || o->ns)
			continue;
		snprintf(devt, sizeof(devt), "%d:%d", d->major, d->minor);
		if (!head++)
			dt_out_text("devices:\n");
		dt_out_begin_object(NULL);
		dt_out_str("chardev", "  %-10s", d->devname);
		dt_out_str("region", " %-8s", d->region);
		dt_out_str("mode", " %-10s", d->mode);
		dt_out_size("size", " size %-8s", d->size);
		dt_out_size("align", " align %-5s", d->align);
		out_node("numa_node", " node %" PRId64, d->numa_node);
		dt_out_str("devt", " %s", devt);
		dt_out_bool("enabled", d->enabled ? NULL : " (disabled)", d->enabled);
		dt_out_text("\n");
		dt_out_begin_array("mappings");
		for (unsigned m = 0; m < d->nr_mappings; m++) {
			const struct dt_mapping *mp = &d->mappings[m];

			dt_out_begin_row(NULL);
			dt_out_size("offset", "    offset %-8s", mp->offset);
			dt_out_addr("start", " phys %s", mp->start);
			dt_out_addr("end", "-%s", mp->start + mp->size - 1);
			dt_out_size("size", " size %s\n", mp->size);
			dt_out_end_object();
		}
		dt_out_end_array();
		dt_out_end_object();
	}
	dt_out_end_array();
}

static void list_mounts(const struct dt_topology *t, const struct list_opts *o)
{
	dt_out_begin_array("mounts");
	unsigned head = 0;
	for (unsigned i = 0; i < t->nr_mounts; i++) {
		const struct dt_mount *m = &t->mounts[i];
		char devt[24];

		if (!m->dax_listed || o->region || o->ns || o->dev || o->mode)
			continue;	/* filters name DAX objects, not mounts */
		snprintf(devt, sizeof(devt), "%u:%u", m->major, m->minor);
		if (!head++)
			dt_out_text("mounts:\n");
		dt_out_begin_object(NULL);
		dt_out_str("path", "  %s", m->path);
		dt_out_str("source", " %s", m->source);
		dt_out_str("fstype", " %s", m->fstype);
		dt_out_str("dax", " dax=%s", m->dax);
		dt_out_str("devt", " %s", devt);
		dt_out_bool("dax_capable", m->dax_capable ? NULL :
			    " (device without DAX)", m->dax_capable);
		dt_out_text("\n");
		dt_out_end_object();
	}
	dt_out_end_array();
}

int cmd_list(int argc, const char **argv, struct dt_ctx *ctx)
{
	static const char *const modes[] = { "fsdax", "devdax", "raw",
		"sector", "system-ram", NULL };
	struct list_opts o = { 0 };
	int mode = -1;
	const struct opt opts[] = {
		OPT_BOOLEAN('j', "json", &o.json, "print JSON"),
		OPT_BOOLEAN('u', "human", &o.human, "sizes as 4K, 2M, 1G in text output"),
		OPT_STRING('r', "region", &o.region, "REGION", "only this region (region0 or 0)"),
		OPT_STRING('n', "namespace", &o.ns, "NAMESPACE", "only this namespace (namespace0.0 or 0.0)"),
		OPT_STRING('d', "dev", &o.dev, "DEV", "only this device-DAX device (dax0.0 or 0.0)"),
		OPT_CHOICE('m', "mode", &mode, modes, "fsdax|devdax|raw|sector|system-ram",
			   "only namespaces and devices in this mode"),
		OPT_END(),
	};
	const struct dt_topology *t;
	unsigned nr_mounts = 0;

	argc = parse_options(argc, argv, opts, list_usage);
	if (argc)
		usage_error("unexpected argument '%s'", argv[0]);
	if (mode >= 0)
		o.mode = modes[mode];
	t = dt_ctx_topology(ctx);
	if (ctx->load_err) {
		dt_err("reading the DAX topology: %s", strerror(-ctx->load_err));
		return DT_EXIT_FAIL;
	}
	for (unsigned i = 0; i < t->nr_mounts; i++)
		nr_mounts += t->mounts[i].dax_listed;
	if (!t->nr_regions && !t->nr_devs && !nr_mounts)
		dt_warn("no DAX regions, devices or mounts on this machine");
	dt_out_init(o.json, o.human);
	dt_out_begin_object(NULL);
	list_regions(t, &o);
	list_namespaces(t, &o);
	list_devices(t, &o);
	list_mounts(t, &o);
	dt_out_end_object();
	if (dt_out_finish() < 0) {
		dt_err("writing output: %s", strerror(errno));
		return DT_EXIT_FAIL;
	}
	return DT_EXIT_OK;
}
