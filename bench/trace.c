// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's own account of DAX faults during a benchmark: the
 * fs_dax:dax_pmd_fault_done tracepoint says, for every PMD fault on
 * filesystem DAX, whether a 2 MiB entry was installed (NOPAGE) or the
 * fault fell back to 4 KiB (FALLBACK); dax_pte_fault_done marks the
 * 4 KiB faults.
 *
 * Everything happens in a tracing instance of daxtool's own
 * (instances/daxtool-bench-PID, lib/tracefs.c), filtered to the
 * benchmark's threads, and removed afterwards, on signals too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daxtool/daxtrace.h"
#include "daxtool/tracefs.h"
#include "daxtool/util.h"
#include "bench.h"

static const enum dt_dax_ev events[] = { DT_EV_PMD_DONE, DT_EV_PTE_DONE };

struct bench_trace {
	struct dt_tracefs t;
	char why[300];
	int cleanup;
};

struct bench_trace *bench_trace_open(const char **why)
{
	struct bench_trace *tr = calloc(1, sizeof(*tr));
	char name[64];

	if (!tr) {
		*why = strerror(ENOMEM);
		return NULL;
	}
	snprintf(name, sizeof(name), "daxtool-bench-%d", (int)getpid());
	if (dt_tracefs_open(&tr->t, name, tr->why, sizeof(tr->why)))
		goto fail;
	if (!dt_tracefs_has_event(&tr->t, dt_dax_ev_name(events[0]))) {
		dt_tracefs_close(&tr->t);
		DT_COPY(tr->why, "this kernel has no fs_dax:dax_pmd_fault_done "
			"tracepoint");
		goto fail;
	}
	tr->cleanup = bench_cleanup_add(tr->t.dir, BENCH_CLEAN_DIR);
	return tr;
fail: {
	/* the reason outlives tr */
	static char saved[300];

	DT_COPY(saved, tr->why);
	*why = saved;
	free(tr);
	return NULL;
}
}

int bench_trace_start(struct bench_trace *tr, const pid_t *tids, unsigned n)
{
	char filter[1024] = "";
	size_t len = 0;
	int ret = 0;

	for (unsigned i = 0; i < n && len < sizeof(filter) - 40; i++)
		len += (size_t)snprintf(filter + len, sizeof(filter) - len,
					"%scommon_pid == %d", i ? " || " : "",
					(int)tids[i]);
	for (size_t i = 0; i < ARRAY_SIZE(events) && !ret; i++)
		ret = dt_tracefs_enable(&tr->t, dt_dax_ev_name(events[i]),
					filter);
	if (!ret)
		ret = dt_tracefs_write(&tr->t, "trace", "", true);	/* clear */
	if (!ret)
		ret = dt_tracefs_write(&tr->t, "tracing_on", "1", false);
	return ret;
}

int bench_trace_stop(struct bench_trace *tr, struct bench_trace_counts *c)
{
	char path[512], *line = NULL;
	size_t cap = 0;
	FILE *f;
	int ret = dt_tracefs_write(&tr->t, "tracing_on", "0", false);

	memset(c, 0, sizeof(*c));
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/trace", tr->t.dir);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		unsigned long long in, written;
		struct dt_dax_event e;

		if (sscanf(line, "# entries-in-buffer/entries-written: %llu/%llu",
			   &in, &written) == 2)
			c->lost = written > in ? written - in : 0;
		else if (dt_dax_event_parse(line, &e))
			continue;
		else if (e.ev == DT_EV_PTE_DONE)
			c->pte++;
		else if (e.ev != DT_EV_PMD_DONE)
			continue;
		else if (e.result == DT_RES_FALLBACK)
			c->pmd_fallback++;
		else if (e.result == DT_RES_NOPAGE)
			c->pmd_nopage++;
		else
			c->pmd_other++;
	}
	free(line);
	fclose(f);
	return 0;
}

void bench_trace_close(struct bench_trace *tr)
{
	if (!tr)
		return;
	dt_tracefs_close(&tr->t);
	bench_cleanup_done(tr->cleanup);	/* removed already: forget it */
	free(tr);
}
