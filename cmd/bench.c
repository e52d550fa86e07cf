// SPDX-License-Identifier: GPL-2.0-only
/*
 * daxtool bench: benchmarks in two levels, as in perf bench. `daxtool
 * bench` lists them; `daxtool bench NAME [options] [TARGET]` runs one. A
 * benchmark is an entry of the table below; its options, its checks and
 * its code live in bench/, and the runner there (bench/runner.h) runs it.
 * This only dispatches, after loading libpmem.
 */
#include <stdio.h>
#include <string.h>

#include "daxtool/util.h"
#include "builtin.h"
#include "fault.h"
#include "latency.h"
#include "pmem.h"
#include "runner.h"
#include "rw.h"

static const struct bench_workload *const workloads[] = {
	&bench_fault, &bench_pmd_fault, &bench_rw, &bench_latency,
};

static const char targets_help[] =
	"\nTARGET: a device-DAX device (/dev/daxX.Y); a directory or a path that\n"
	"does not exist (a file is created there and removed afterwards); an\n"
	"existing file (read-only unless --force; without --size its first 1G\n"
	"at most); or emulated memory: anon (anonymous memory), hugetlb (2 MiB\n"
	"huge pages; 1 GiB with --page-size 1g), emulated (the most DAX-like\n"
	"possible: hugetlb, reserved for the run as root; else as root a file\n"
	"on a private tmpfs mounted huge=always; else anonymous memory; for\n"
	"--page-size 1g, hugetlb of 1 GiB pages only). Without one: the first\n"
	"device-DAX device, else emulated.\n"
	"\nExit status: 0 success; 1 failure, and with --fail-on-fallback a\n"
	"mapping that asked for 2 MiB pages and got 4 KiB pages somewhere;\n"
	"2 usage error; 130 interrupted (Ctrl-C), nothing printed.\n";

static void list_benchmarks(FILE *f)
{
	fprintf(f, "usage: daxtool bench BENCHMARK [options] [TARGET]\n\n"
		"benchmarks:\n");
	for (size_t i = 0; i < ARRAY_SIZE(workloads); i++)
		fprintf(f, "    %-10s %s\n", workloads[i]->name,
			workloads[i]->summary);
	fprintf(f, "%s\nSee 'daxtool bench BENCHMARK -h'.\n", targets_help);
}

bool cmd_bench_exists(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(workloads); i++)
		if (!strcmp(workloads[i]->name, name))
			return true;
	return false;
}

int cmd_bench(int argc, const char **argv, struct dt_ctx *ctx)
{
	static char cmd[64];

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		list_benchmarks(stdout);
		return DT_EXIT_OK;
	}
	/* for completion: the benchmarks, and the options at this level */
	if (!strcmp(argv[1], "--list-cmds")) {
		for (size_t i = 0; i < ARRAY_SIZE(workloads); i++)
			printf("%s\n", workloads[i]->name);
		return DT_EXIT_OK;
	}
	if (!strcmp(argv[1], "--list-opts")) {
		printf("--list-cmds\n--help\n");
		return DT_EXIT_OK;
	}
	for (size_t i = 0; i < ARRAY_SIZE(workloads); i++) {
		const char *why;

		if (strcmp(argv[1], workloads[i]->name))
			continue;
		snprintf(cmd, sizeof(cmd), "bench %s", workloads[i]->name);
		dt_set_cmd(cmd);
		if (!bench_pmem_load(&why)) {
			dt_err("%s (libpmem is needed for the benchmarks: "
			       "install libpmem1)", why);
			return DT_EXIT_FAIL;
		}
		return bench_run(workloads[i], argc - 1, argv + 1, ctx);
	}
	dt_err("'%s' is not a daxtool benchmark. See 'daxtool bench'.", argv[1]);
	return DT_EXIT_USAGE;
}
