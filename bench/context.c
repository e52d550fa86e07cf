// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a result carries so that it can be compared with another later:
 * the run's context (the command line, as an array, and the host) and
 * the target's fingerprint, its identity as fields and a hash of them.
 * Two runs with the same fingerprint ran on like targets: the same kind,
 * device, namespace (by name, and by its label's uuid where it has one)
 * and region, alignment, filesystem and its options.
 * The path is not part of it (a file daxtool creates has a new name each
 * run), nor the size mapped (a workload's choice), nor the host (two
 * machines configured alike have like targets; context.hostname tells
 * them apart).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daxtool/print.h"
#include "daxtool/topology.h"
#include "daxtool/util.h"
#include "bench.h"

/* Mount options that say how big a filesystem is or who owns it, not how
 * it maps: tmpfs's size= changes with the emulation's --size. */
static const char *const unlike_opts[] = {
	"size", "nr_inodes", "nr_blocks", "mode", "uid", "gid",
};

/* @opts without the options above, into @buf. */
static const char *mount_identity(const char *opts, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (const char *o = opts; *o; ) {
		size_t olen = strcspn(o, ","), klen = strcspn(o, ",=");
		bool skip = false;

		for (size_t i = 0; i < ARRAY_SIZE(unlike_opts); i++)
			skip |= strlen(unlike_opts[i]) == klen &&
				!strncmp(o, unlike_opts[i], klen);
		if (!skip && olen && n + olen + 2 <= len) {
			n += (size_t)snprintf(buf + n, len - n, "%s%.*s",
					      n ? "," : "", (int)olen, o);
		}
		o += olen + (o[olen] == ',');
	}
	return buf;
}

/* The identity, field by field: a string, or a size (0: unknown). */
struct fp_field {
	const char *key;
	const char *str;
	uint64_t size;
	bool is_size;
	/* hashed only where known: a field added later leaves the hash of
	 * targets without it as it was */
	bool hash_known;
};

#define FP_STR(k, v) (struct fp_field){ .key = (k), .str = (v) }
#define FP_SIZE(k, v) (struct fp_field){ .key = (k), .size = (v), .is_size = true }

enum { FP_KIND, FP_DEV, FP_NAMESPACE, FP_REGION, FP_MODE, FP_DEV_SIZE,
       FP_STACK, FP_ALIGN, FP_FS, FP_MOUNT_OPTIONS, FP_NS_UUID, FP_NR };

/* Why a target has no namespace uuid; NULL where it has one. */
static const char *ns_uuid_why(const struct bench_target *t)
{
	const struct dt_backing *bk = &t->tg.backing;

	if (t->kind == BENCH_ANON || t->kind == BENCH_HUGETLB ||
	    t->kind == BENCH_SHMEM)
		return "emulated memory: no namespace";
	if (!bk->namespace[0])
		return "not on an NVDIMM namespace";
	if (!bk->ns_uuid[0])
		return "a label-less namespace: it has no uuid";
	return NULL;
}

static void fingerprint_fields(const struct bench_target *t,
			       struct fp_field f[FP_NR], char *opts,
			       size_t optslen)
{
	const struct dt_backing *bk = &t->tg.backing;

	f[FP_KIND] = FP_STR("kind", bench_kinds[t->kind].name);
	f[FP_DEV] = FP_STR("dev", t->dev);
	f[FP_NAMESPACE] = FP_STR("namespace", bk->namespace);
	f[FP_REGION] = FP_STR("region", bk->region);
	f[FP_MODE] = FP_STR("mode", bk->mode);
	f[FP_DEV_SIZE] = FP_SIZE("dev_size", bk->dev_size);
	f[FP_STACK] = FP_STR("stack", bk->stack);
	f[FP_ALIGN] = FP_SIZE("align", t->align);
	f[FP_FS] = FP_STR("fs", bench_target_fs(t));
	f[FP_MOUNT_OPTIONS] = FP_STR("mount_options",
		mount_identity(bench_target_mount_opts(t), opts, optslen));
	f[FP_NS_UUID] = FP_STR("namespace_uuid", bk->ns_uuid);
	f[FP_NS_UUID].hash_known = true;
}

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

/*
 * The hash of the fields, in their order: "key=value\n" for a known
 * value, "key\n" for an unknown one; FNV-1a, 64 bits, as 16 hex digits.
 * The same target gives the same hash on every run and every version
 * that has these fields.
 */
static void fingerprint_hash(const struct fp_field f[FP_NR], char hex[17])
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (unsigned i = 0; i < FP_NR; i++) {
		char num[24] = "";
		const char *v = f[i].is_size ? num : f[i].str;

		if (f[i].is_size && f[i].size)
			snprintf(num, sizeof(num), "%" PRIu64, f[i].size);
		if (f[i].hash_known && !(v && v[0]))
			continue;
		h = fnv1a(h, f[i].key, strlen(f[i].key));
		if (v && v[0]) {
			h = fnv1a(h, "=", 1);
			h = fnv1a(h, v, strlen(v));
		}
		h = fnv1a(h, "\n", 1);
	}
	snprintf(hex, 17, "%016" PRIx64, h);
}

void bench_fingerprint_print(const struct bench_target *t)
{
	struct fp_field f[FP_NR];
	char opts[512], hex[17];

	fingerprint_fields(t, f, opts, sizeof(opts));
	fingerprint_hash(f, hex);
	dt_print_begin_object("fingerprint");
	dt_print_str(DT_ANY, "hash", "  fingerprint %s\n", hex);
	for (unsigned i = 0; i < FP_NR; i++) {
		if (f[i].is_size)
			dt_print_size_opt(DT_JSON, f[i].key, NULL, f[i].size, NULL);
		else
			dt_print_str_opt(DT_JSON, f[i].key, NULL, f[i].str, NULL);
	}
	dt_print_str_opt(DT_JSON, "namespace_uuid_why", NULL, ns_uuid_why(t),
			 NULL);
	dt_print_end_object();
}

/* An argument as a shell would need it in text: quoted unless plain. */
static const char *arg_fmt(const char *a)
{
	if (!a[0])
		return " ''";
	if (a[strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		     "0123456789-_=+:,./@%")] == '\0')
		return " %s";
	return strchr(a, '\'') ? " \"%s\"" : " '%s'";
}

void bench_context_print(const struct dt_ctx *ctx)
{
	char host[256] = "";

	if (gethostname(host, sizeof(host)) < 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	dt_print_begin_object("context");
	dt_print_str_opt(DT_ANY, "hostname", "  ran on %s:", host, "an unknown host:");
	dt_print_begin_inline_array("argv");
	for (int i = 0; i < ctx->argc; i++)
		dt_print_str(DT_ANY, NULL, arg_fmt(ctx->argv[i]), ctx->argv[i]);
	dt_print_end_array();
	dt_print_end_row();
}
