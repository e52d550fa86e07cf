/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The commands: each is cmd_NAME(argc, argv, ctx) in cmd/NAME.c. The ctx
 * is the run's: made once in main, the topology read on first use.
 */
#ifndef DAXTOOL_BUILTIN_H
#define DAXTOOL_BUILTIN_H

struct dt_ctx;

struct cmd_struct {
	const char *name;
	int (*fn)(int argc, const char **argv, struct dt_ctx *ctx);
	const char *summary;
};

int cmd_audit(int argc, const char **argv, struct dt_ctx *ctx);
int cmd_bench(int argc, const char **argv, struct dt_ctx *ctx);
int cmd_check(int argc, const char **argv, struct dt_ctx *ctx);
int cmd_list(int argc, const char **argv, struct dt_ctx *ctx);
int cmd_map(int argc, const char **argv, struct dt_ctx *ctx);

#endif
