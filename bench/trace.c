// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's own account of DAX faults: the fs_dax:dax_pmd_fault_done
 * tracepoint says, for every PMD fault on filesystem DAX, whether a 2 MiB
 * entry was installed (NOPAGE) or the fault fell back to 4 KiB (FALLBACK);
 * dax_pte_fault_done marks the 4 KiB faults.
 *
 * Everything happens in a tracing instance of daxtool's own
 * (instances/daxtool-bench-PID), filtered to the benchmark's threads: the
 * global trace buffer, its events and whatever another tool is tracing
 * stay as they were, and the instance is removed afterwards, on signals
 * too.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "daxtool/util.h"
#include "bench.h"

static const char *const events[] = {
	"fs_dax/dax_pmd_fault_done",
	"fs_dax/dax_pte_fault_done",
};

struct bench_trace {
	char dir[256];
	int cleanup;
};

static int write_file(const struct bench_trace *tr, const char *name,
		      const char *text, bool trunc)
{
	char path[512];
	int fd, ret = 0;
	size_t len = strlen(text);

	snprintf(path, sizeof(path), "%s/%s", tr->dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC | (trunc ? O_TRUNC : 0));
	if (fd < 0)
		return -errno;
	if (len && write(fd, text, len) != (ssize_t)len)
		ret = -errno;
	close(fd);
	return ret;
}

struct bench_trace *bench_trace_open(const char **why)
{
	static const char *const roots[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	struct bench_trace *tr;
	const char *root = NULL;
	char path[512];

	for (size_t i = 0; i < ARRAY_SIZE(roots) && !root; i++) {
		snprintf(path, sizeof(path), "%s/instances", roots[i]);
		if (access(path, F_OK) == 0)
			root = roots[i];
	}
	if (!root) {
		*why = "tracefs is not mounted (mount -t tracefs nodev "
		       "/sys/kernel/tracing)";
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/events/%s", root, events[0]);
	if (access(path, F_OK)) {
		*why = "this kernel has no fs_dax:dax_pmd_fault_done tracepoint";
		return NULL;
	}
	tr = calloc(1, sizeof(*tr));
	if (!tr) {
		*why = strerror(ENOMEM);
		return NULL;
	}
	snprintf(tr->dir, sizeof(tr->dir), "%s/instances/daxtool-bench-%d",
		 root, (int)getpid());
	if (mkdir(tr->dir, 0700) < 0) {
		*why = errno == EACCES || errno == EPERM ?
		       "tracing needs root" : "cannot create a tracing instance";
		free(tr);
		return NULL;
	}
	tr->cleanup = bench_cleanup_add(tr->dir, BENCH_CLEAN_DIR);
	if (write_file(tr, "tracing_on", "0", false)) {
		*why = "cannot control the tracing instance";
		bench_trace_close(tr);
		return NULL;
	}
	return tr;
}

int bench_trace_start(struct bench_trace *tr, const pid_t *tids, unsigned n)
{
	char filter[1024] = "", name[160];
	size_t len = 0;
	int ret = 0;

	for (unsigned i = 0; i < n && len < sizeof(filter) - 40; i++)
		len += (size_t)snprintf(filter + len, sizeof(filter) - len,
					"%scommon_pid == %d", i ? " || " : "",
					(int)tids[i]);
	for (size_t i = 0; i < ARRAY_SIZE(events) && !ret; i++) {
		snprintf(name, sizeof(name), "events/%s/filter", events[i]);
		ret = write_file(tr, name, filter, true);
		snprintf(name, sizeof(name), "events/%s/enable", events[i]);
		if (!ret)
			ret = write_file(tr, name, "1", false);
	}
	if (!ret)
		ret = write_file(tr, "trace", "", true);	/* clear */
	if (!ret)
		ret = write_file(tr, "tracing_on", "1", false);
	return ret;
}

static void count_line(const char *line, struct bench_trace_counts *c)
{
	const char *res;

	if (strstr(line, "dax_pte_fault_done:")) {
		c->pte++;
		return;
	}
	if (!strstr(line, "dax_pmd_fault_done:"))
		return;
	/* the result flags are the last word: NOPAGE, FALLBACK, or e.g.
	 * SIGBUS; a fault may carry several, "|"-separated */
	res = strrchr(line, ' ');
	res = res ? res + 1 : line;
	if (strstr(res, "FALLBACK"))
		c->pmd_fallback++;
	else if (strstr(res, "NOPAGE"))
		c->pmd_nopage++;
	else
		c->pmd_other++;
}

int bench_trace_stop(struct bench_trace *tr, struct bench_trace_counts *c)
{
	char path[512], *line = NULL;
	size_t cap = 0;
	FILE *f;
	int ret = write_file(tr, "tracing_on", "0", false);

	memset(c, 0, sizeof(*c));
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/trace", tr->dir);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		unsigned long long in, written;

		if (sscanf(line, "# entries-in-buffer/entries-written: %llu/%llu",
			   &in, &written) == 2)
			c->lost = written > in ? written - in : 0;
		else if (line[0] != '#')
			count_line(line, c);
	}
	free(line);
	fclose(f);
	return 0;
}

void bench_trace_close(struct bench_trace *tr)
{
	char name[160];

	if (!tr)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(events); i++) {
		snprintf(name, sizeof(name), "events/%s/enable", events[i]);
		write_file(tr, name, "0", false);
	}
	/* removing the instance frees its buffer */
	bench_cleanup_done(tr->cleanup);
	free(tr);
}
