// SPDX-License-Identifier: GPL-2.0-only
/*
 * The environment that shaped a result, recorded with it: the kernel and
 * its THP settings, what libpmem thinks of the mapping (is_pmem, and
 * whether CPU caches are flushed on power loss), the persistence domain,
 * the memory regime of an emulated target, the clock and its cost, and
 * the PMEM_* variables that change libpmem's behaviour.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <libpmem.h>

#include "daxtool/out.h"
#include "daxtool/util.h"
#include "bench.h"

extern char **environ;

void bench_read_choice(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	char line[256], *a, *b;

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(line, sizeof(line), f) && (a = strchr(line, '[')) &&
	    (b = strchr(a, ']'))) {
		*b = '\0';
		dt_strlcpy(buf, a + 1, len);
	}
	fclose(f);
}

void bench_env_load(struct bench_env *e)
{
	struct utsname u;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(e, 0, sizeof(*e));
	e->is_pmem = -1;
	e->auto_flush = -1;
	if (uname(&u) == 0)
		DT_COPY(e->kernel, u.release);
	e->cpus = n > 0 ? (unsigned)n : 0;
	bench_read_choice("/sys/kernel/mm/transparent_hugepage/enabled",
			  e->thp_enabled, sizeof(e->thp_enabled));
	bench_read_choice("/sys/kernel/mm/transparent_hugepage/defrag",
			  e->thp_defrag, sizeof(e->thp_defrag));
	bench_timer_calibrate(&e->timer);
}

void bench_env_target(struct bench_env *e, const struct bench_target *t)
{
	static const struct { const char *domain; int auto_flush; } domains[] = {
		{ "cpu_cache", 1 },		/* eADR: caches are flushed */
		{ "memory_controller", 0 },	/* ADR: caches are not */
		{ "none", 0 },
	};

	/*
	 * pmem_is_pmem() knows only the mappings libpmem made itself, so ask
	 * it to map the file or device its own way (MAP_SYNC where it can)
	 * and say; memory daxtool made is asked as it is.
	 */
	if (t->path[0]) {
		size_t len = 0;
		int is_pmem = 0;
		void *p = pmem_map_file(t->path, 0, 0, 0, &len, &is_pmem);

		e->is_pmem = p ? !!is_pmem : -1;
		if (p)
			pmem_unmap(p, len);
	} else if (t->map) {
		e->is_pmem = pmem_is_pmem(t->map, t->map_len) ? 1 : 0;
	}
	if (bench_kinds[t->kind].emulated)
		return;		/* no persistence to speak of */
	for (size_t i = 0; i < ARRAY_SIZE(domains); i++) {
		if (!strcmp(t->tg.backing.persistence, domains[i].domain)) {
			e->auto_flush = domains[i].auto_flush;
			e->auto_flush_from = "persistence_domain";
			return;
		}
	}
	e->auto_flush = pmem_has_auto_flush();
	e->auto_flush_from = e->auto_flush >= 0 ? "libpmem" : NULL;
	if (e->auto_flush < 0)
		e->auto_flush = -1;
}

static void out_tristate(const char *key, const char *fmt, int v)
{
	if (v < 0) {
		dt_out_null(key);
		dt_out_text(fmt, "unknown");
	} else {
		dt_out_bool(key, fmt, v);
	}
}

static void out_str_or_null(const char *key, const char *fmt, const char *s,
			    const char *text_if_null)
{
	if (s && s[0])
		dt_out_str(key, fmt, s);
	else {
		dt_out_null(key);
		if (text_if_null)
			dt_out_text(fmt, text_if_null);
	}
}

static const char *regime_text(const char *regime)
{
	static const struct { const char *name, *text; } texts[] = {
		{ "cold", "cold: the memory was not touched before the run; "
		  "on a virtual machine the hypervisor may back it during the "
		  "run (compare --prewarm)" },
		{ "prewarmed", "prewarmed: the same amount of memory was "
		  "touched and freed just before each run" },
		{ "preallocated", "preallocated: the pages exist before the "
		  "run; a fault only maps one" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
		if (!strcmp(regime, texts[i].name))
			return texts[i].text;
	return regime;
}

void bench_env_print(const struct bench_env *e, const struct bench_target *t)
{
	char ns[16];

	dt_out_begin_object("env");
	dt_out_text("\n");
	out_str_or_null("kernel", "  env: kernel %s", e->kernel, "unknown");
	dt_out_u64("cpus", ", %" PRIu64 " cpus", e->cpus);
	dt_out_begin_object("thp");
	out_str_or_null("enabled", ", THP enabled=%s", e->thp_enabled, "?");
	out_str_or_null("defrag", " defrag=%s", e->thp_defrag, "?");
	dt_out_end_object();
	if (t->align)
		dt_out_size("target_align", NULL, t->align);
	else
		dt_out_null("target_align");
	dt_out_text("\n");
	out_tristate("is_pmem", "       is_pmem %s", e->is_pmem);
	out_tristate("auto_flush", ", auto_flush %s", e->auto_flush);
	out_str_or_null("auto_flush_from", " (from %s)", e->auto_flush_from, NULL);
	out_str_or_null("persistence_domain", ", persistence domain %s",
			t->tg.backing.persistence, bench_kinds[t->kind].emulated ?
			"none (emulated)" : "unknown");
	dt_out_text("\n");
	dt_out_begin_object("timer");
	dt_out_str("clock", "       timer %s", e->timer.clock);
	dt_out_double("overhead_ns", NULL, e->timer.overhead_ns);
	dt_out_text(", %s a reading (in every sample)",
		    bench_fmt_ns(ns, sizeof(ns), e->timer.overhead_ns));
	dt_out_u64("resolution_ns", ", resolution %" PRIu64 "ns\n",
		   e->timer.resolution_ns);
	dt_out_end_object();
	if (e->regime) {
		dt_out_str("regime", NULL, e->regime);
		dt_out_text("       regime %s\n", regime_text(e->regime));
	} else {
		dt_out_null("regime");
	}
	dt_out_begin_object("libpmem_env");
	for (char **v = environ; *v; v++) {
		const char *eq = strchr(*v, '=');
		char name[128];

		if (strncmp(*v, "PMEM_", 5) || !eq ||
		    (size_t)(eq - *v) >= sizeof(name))
			continue;
		memcpy(name, *v, (size_t)(eq - *v));
		name[eq - *v] = '\0';
		/* keys are identifiers of the program's own in out.c: these
		 * names come from the environment, so only plain ones */
		if (strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
		    strlen(name))
			continue;
		dt_out_text("       libpmem: %s=", name);
		dt_out_str(name, "%s\n", eq + 1);
	}
	dt_out_end_object();
	dt_out_end_object();
}
