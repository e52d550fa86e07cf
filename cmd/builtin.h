/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The commands: each is cmd_NAME(argc, argv, ctx) in cmd/NAME.c. The ctx
 * is the run's: made once in main, the topology read on first use.
 */
#ifndef DAXTOOL_BUILTIN_H
#define DAXTOOL_BUILTIN_H

#include <stdbool.h>
#include <stdio.h>

struct dt_ctx;

struct cmd_struct {
	const char *name;
	int (*fn)(int argc, const char **argv, struct dt_ctx *ctx);
	const char *summary;
};

int cmd_audit(int argc, const char **argv, struct dt_ctx *ctx);
int cmd_bench(int argc, const char **argv, struct dt_ctx *ctx);
int cmd_compare(int argc, const char **argv, struct dt_ctx *ctx);
int cmd_check(int argc, const char **argv, struct dt_ctx *ctx);
int cmd_list(int argc, const char **argv, struct dt_ctx *ctx);
int cmd_map(int argc, const char **argv, struct dt_ctx *ctx);
int cmd_help(int argc, const char **argv, struct dt_ctx *ctx);
/* Whether @name is one of bench's benchmarks (cmd/bench.c). */
bool cmd_bench_exists(const char *name);

/* The command table's (daxtool.c): a command by name, or NULL; the list
 * of commands, as "daxtool help" shows it. */
const struct cmd_struct *dt_find_cmd(const char *name);
void dt_list_commands(FILE *f);

#endif
