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

#include "daxtool/print.h"
#include "daxtool/util.h"
#include "bench.h"
#include "pmem.h"

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
	e->cpus_allowed = bench_cpus_allowed(NULL, 0);
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
		void *p = pm.pmem_map_file(t->path, 0, 0, 0, &len, &is_pmem);

		e->is_pmem = p ? !!is_pmem : -1;
		if (p)
			pm.pmem_unmap(p, len);
	} else if (t->map) {
		e->is_pmem = pm.pmem_is_pmem(t->map, t->map_len) ? 1 : 0;
	}
	if (bench_kinds[t->kind].emulated)
		return;		/* no persistence to speak of */
	for (size_t i = 0; i < ARRAY_SIZE(domains); i++) {
		if (!strcmp(t->tg.backing.persistence, domains[i].domain)) {
			e->auto_flush = domains[i].auto_flush;
			e->auto_flush_from = BENCH_AF_DOMAIN;
			return;
		}
	}
	e->auto_flush = pm.pmem_has_auto_flush();
	e->auto_flush_from = e->auto_flush >= 0 ? BENCH_AF_LIBPMEM :
			     BENCH_AF_UNKNOWN;
	if (e->auto_flush < 0)
		e->auto_flush = -1;
}

static const char *const auto_flush_from_names[BENCH_NR_AF] = {
	[BENCH_AF_UNKNOWN] = NULL, [BENCH_AF_DOMAIN] = "persistence_domain",
	[BENCH_AF_LIBPMEM] = "libpmem",
};

const char *const bench_regime_names[BENCH_NR_REGIMES] = {
	[BENCH_REGIME_NONE] = NULL, [BENCH_REGIME_COLD] = "cold",
	[BENCH_REGIME_PREWARMED] = "prewarmed",
	[BENCH_REGIME_PREALLOCATED] = "preallocated",
};

/* The text line of each regime: its name, then what it means. */
static const char *const regime_fmts[BENCH_NR_REGIMES] = {
	[BENCH_REGIME_COLD] = "       regime %s: the memory was not touched "
		"before the run; on a virtual machine the hypervisor may back "
		"it during the run\n",
	[BENCH_REGIME_PREWARMED] = "       regime %s: the same amount of "
		"memory was touched and freed just before each run\n",
	[BENCH_REGIME_PREALLOCATED] = "       regime %s: the pages exist "
		"before the run; a fault only maps one\n",
};

enum bench_regime bench_regime(const struct bench_target *t, bool prewarm,
			       bool prefaulted)
{
	if (!bench_kinds[t->kind].emulated)
		return BENCH_REGIME_NONE;	/* the memory is the device's */
	if (prefaulted || t->kind == BENCH_HUGETLB || t->prefilled)
		return BENCH_REGIME_PREALLOCATED;
	return prewarm ? BENCH_REGIME_PREWARMED : BENCH_REGIME_COLD;
}

bool bench_prewarm_applies(const struct bench_target *t)
{
	return bench_regime(t, false, false) == BENCH_REGIME_COLD;
}

void bench_env_print(const struct bench_env *e, const struct bench_target *t)
{
	dt_print_begin_object("env");
	dt_print_text("\n");
	dt_print_str_opt(DT_ANY, "kernel", "  env: kernel %s", e->kernel,
			 "unknown");
	dt_print_u64(DT_ANY, "cpus", e->cpus == 1 ? ", %" PRIu64 " cpu" :
		     ", %" PRIu64 " cpus", e->cpus);
	dt_print_u64(DT_ANY, "cpus_allowed", bench_when(e->cpus_allowed !=
		     e->cpus, " (%" PRIu64 " allowed)"), e->cpus_allowed);
	dt_print_begin_object("thp");
	dt_print_str_opt(DT_ANY, "enabled", ", THP enabled=%s", e->thp_enabled,
			 "?");
	dt_print_str_opt(DT_ANY, "defrag", " defrag=%s", e->thp_defrag, "?");
	dt_print_end_object();
	dt_print_size_opt(DT_JSON, "target_align", NULL, t->align, NULL);
	dt_print_text("\n");
	dt_print_bool_opt(DT_ANY, "is_pmem", "       is_pmem %s", e->is_pmem,
			  "unknown");
	dt_print_bool_opt(DT_ANY, "auto_flush", ", auto_flush %s",
			  e->auto_flush, "unknown");
	dt_print_str_opt(DT_ANY, "auto_flush_from", " (from %s)",
			 auto_flush_from_names[e->auto_flush_from], NULL);
	dt_print_str_opt(DT_ANY, "persistence_domain", ", persistence domain %s",
			 t->tg.backing.persistence, bench_kinds[t->kind].emulated ?
			 "none (emulated)" : "unknown");
	dt_print_text("\n");
	dt_print_begin_object("timer");
	dt_print_str(DT_ANY, "clock", "       timer %s", e->timer.clock);
	bench_print_ns(DT_ANY, "overhead_ns", ", %s a reading (in every sample)",
		       e->timer.overhead_ns, false, NULL);
	dt_print_u64(DT_ANY, "resolution_ns", ", resolution %" PRIu64 "ns\n",
		     e->timer.resolution_ns);
	dt_print_end_object();
	dt_print_str_opt(DT_ANY, "regime", regime_fmts[e->regime],
			 bench_regime_names[e->regime], NULL);
	dt_print_begin_object("libpmem_env");
	for (char **v = environ; *v; v++) {
		const char *eq = strchr(*v, '=');
		char name[128], fmt[160];

		if (strncmp(*v, "PMEM_", 5) || !eq ||
		    (size_t)(eq - *v) >= sizeof(name))
			continue;
		memcpy(name, *v, (size_t)(eq - *v));
		name[eq - *v] = '\0';
		/* a key, and in the format: only plain names from the
		 * environment (no '%', nothing to escape) */
		if (strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
		    strlen(name))
			continue;
		snprintf(fmt, sizeof(fmt), "       libpmem: %s=%%s\n", name);
		dt_print_str(DT_ANY, name, fmt, eq + 1);
	}
	dt_print_end_object();
	dt_print_end_object();
}
