// SPDX-License-Identifier: GPL-2.0-only
/* daxtool: the command table and the top-level options. */
#include <stdio.h>
#include <string.h>

#include "daxtool/topology.h"
#include "daxtool/util.h"
#include "builtin.h"

#ifndef DAXTOOL_VERSION
#define DAXTOOL_VERSION "unknown"
#endif

static int cmd_help(int argc, const char **argv, struct dt_ctx *ctx);
static int cmd_version(int argc, const char **argv, struct dt_ctx *ctx);

static const struct cmd_struct commands[] = {
	{ "bench",   cmd_bench,   "benchmarks: 4 KiB and 2 MiB faults, with verified page sizes" },
	{ "check",   cmd_check,   "will this file or device get 2 MiB mappings? if not, why" },
	{ "list",    cmd_list,    "list DAX regions, namespaces, devices and mounts" },
	{ "map",     cmd_map,     "show a file's extents and holes, with 2 MiB alignment" },
	{ "help",    cmd_help,    "show help, for daxtool or one command" },
	{ "version", cmd_version, "show the version" },
};

static const char usage_line[] =
	"usage: daxtool [--version] [--help] COMMAND [ARGS]";

static const struct cmd_struct *find_cmd(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void list_commands(FILE *f)
{
	fprintf(f, "%s\n\ncommands:\n", usage_line);
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "    %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\nSee 'daxtool help COMMAND' or 'daxtool COMMAND -h'.\n"
		"Exit status: 0 success, 1 failure, 2 usage error.\n");
}

static int cmd_help(int argc, const char **argv, struct dt_ctx *ctx)
{
	const struct cmd_struct *c;
	const char *args[] = { NULL, "--help", NULL };

	if (argc < 2) {
		list_commands(stdout);
		return DT_EXIT_OK;
	}
	c = find_cmd(argv[1]);
	if (!c || c->fn == cmd_help) {
		dt_err("'%s' is not a daxtool command. See 'daxtool help'.",
		       argv[1]);
		return DT_EXIT_USAGE;
	}
	args[0] = c->name;
	dt_set_cmd(c->name);
	return c->fn(2, args, ctx);
}

static int cmd_version(int argc, const char **argv, struct dt_ctx *ctx)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	printf("daxtool %s\n", DAXTOOL_VERSION);
	return DT_EXIT_OK;
}

int main(int argc, const char **argv)
{
	const struct cmd_struct *c;
	struct dt_ctx ctx = { 0 };
	const char *name;
	int ret;

	if (argc < 2) {
		list_commands(stderr);
		return DT_EXIT_USAGE;
	}
	name = argv[1];
	if (!strcmp(name, "--version") || !strcmp(name, "-v"))
		name = "version";
	else if (!strcmp(name, "--help") || !strcmp(name, "-h"))
		name = "help";
	else if (!strcmp(name, "--list-cmds")) {
		for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
			printf("%s\n", commands[i].name);
		return DT_EXIT_OK;
	}
	c = find_cmd(name);
	if (!c) {
		dt_err("'%s' is not a daxtool command. See 'daxtool help'.",
		       name);
		return DT_EXIT_USAGE;
	}
	dt_set_cmd(c->fn == cmd_help || c->fn == cmd_version ? NULL : c->name);
	ret = c->fn(argc - 1, argv + 1, &ctx);
	dt_ctx_free(&ctx);
	return ret;
}
