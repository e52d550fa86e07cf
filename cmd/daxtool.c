// SPDX-License-Identifier: GPL-2.0-only
/* daxtool: the command table and the top-level options. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include "daxtool/dlib.h"
#include "daxtool/parse-options.h"
#include "daxtool/print.h"
#include "daxtool/topology.h"
#include "daxtool/util.h"
#include "builtin.h"

#ifndef DAXTOOL_VERSION
#define DAXTOOL_VERSION "unknown"
#endif

static int cmd_version(int argc, const char **argv, struct dt_ctx *ctx);

static const struct cmd_struct commands[] = {
	{ "audit",   cmd_audit,   "run a command and report its DAX faults: 2 MiB or 4 KiB, and why" },
	{ "bench",   cmd_bench,   "benchmarks: 4 KiB and 2 MiB faults, with verified page sizes" },
	{ "check",   cmd_check,   "will this file or device get 2 MiB mappings? if not, why" },
	{ "compare", cmd_compare, "compare bench results: changes with intervals, what was measured" },
	{ "list",    cmd_list,    "list DAX regions, namespaces, devices and mounts" },
	{ "map",     cmd_map,     "show a file's extents and holes, with 2 MiB alignment" },
	{ "help",    cmd_help,    "show a command's manual page, or the list of commands" },
	{ "version", cmd_version, "show the version" },
};

static const char usage_line[] =
	"usage: daxtool [--version] [--help] COMMAND [ARGS]";

const struct cmd_struct *dt_find_cmd(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

void dt_list_commands(FILE *f)
{
	fprintf(f, "%s\n\ncommands:\n", usage_line);
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "    %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\nSee 'daxtool help COMMAND' or 'daxtool COMMAND -h'.\n"
		"Exit status: 0 success, 1 failure, 2 usage error.\n");
}

static int cmd_version(int argc, const char **argv, struct dt_ctx *ctx)
{
	bool json = false;
	const struct opt opts[] = {
		OPT_BOOLEAN('j', "json", &json, "print JSON"),
		OPT_END(),
	};
	static const char *const usage[] = { "daxtool version [--json]", NULL };

	(void)ctx;
	argc = parse_options(argc, argv, opts, usage);
	if (argc)
		usage_error("unexpected argument '%s'", argv[0]);
	dt_print_init(json ? DT_PF_JSON : DT_PF_TEXT, false);
	dt_print_begin_object(NULL);
	dt_print_meta();
	dt_print_text("daxtool %s\n", DAXTOOL_VERSION);
	dt_print_end_object();
	if (dt_print_finish() < 0) {
		dt_err("writing output: %s", strerror(errno));
		return DT_EXIT_FAIL;
	}
	return DT_EXIT_OK;
}

/* ---- the options before a command ---------------------------------------- */

static void list_cmds(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		printf("%s\n", commands[i].name);
}

/* the libraries loaded when needed, for packaging */
static void list_libs(void)
{
	for (size_t i = 0; dt_dlib_sonames[i]; i++)
		printf("%s\n", dt_dlib_sonames[i]);
}

static void list_top_opts(void);

/* Each is a command by another name, or prints a list for scripts and
 * the completion. */
static const struct top_opt {
	const char *name, *alias;
	const char *cmd;
	void (*list)(void);
} top_opts[] = {
	{ "--help",      "-h", "help",    NULL },
	{ "--version",   "-v", "version", NULL },
	{ "--list-cmds", NULL, NULL,      list_cmds },
	{ "--list-opts", NULL, NULL,      list_top_opts },
	{ "--list-libs", NULL, NULL,      list_libs },
};

static void list_top_opts(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(top_opts); i++)
		printf("%s\n", top_opts[i].name);
}

static const struct top_opt *find_top_opt(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(top_opts); i++)
		if (!strcmp(top_opts[i].name, name) ||
		    (top_opts[i].alias && !strcmp(top_opts[i].alias, name)))
			return &top_opts[i];
	return NULL;
}

int main(int argc, const char **argv)
{
	const struct cmd_struct *c;
	const struct top_opt *t;
	struct dt_ctx ctx = { 0 };
	const char **line;
	const char *name;
	int ret;

	if (argc < 2) {
		dt_list_commands(stderr);
		return DT_EXIT_USAGE;
	}
	name = argv[1];
	t = find_top_opt(name);
	if (t && t->list) {
		t->list();
		return DT_EXIT_OK;
	}
	if (t)
		name = t->cmd;
	c = dt_find_cmd(name);
	if (!c) {
		dt_err("'%s' is not a daxtool command. See 'daxtool help'.",
		       name);
		return DT_EXIT_USAGE;
	}
	dt_set_cmd(c->fn == cmd_help || c->fn == cmd_version ? NULL : c->name);
	/* the command line as given, for results to record: the option
	 * parser reorders argv */
	line = malloc(sizeof(*line) * (size_t)(argc + 1));
	if (line) {
		memcpy(line, argv, sizeof(*line) * (size_t)(argc + 1));
		ctx.argc = argc;
		ctx.argv = line;
	}
	ret = c->fn(argc - 1, argv + 1, &ctx);
	dt_ctx_free(&ctx);
	free(line);
	return ret;
}
