/* SPDX-License-Identifier: GPL-2.0-only */
/* The commands: each is cmd_NAME(argc, argv) in cmd/NAME.c. */
#ifndef DAXTOOL_BUILTIN_H
#define DAXTOOL_BUILTIN_H

struct cmd_struct {
	const char *name;
	int (*fn)(int argc, const char **argv);
	const char *summary;
};

int cmd_bench(int argc, const char **argv);
int cmd_check(int argc, const char **argv);
int cmd_list(int argc, const char **argv);
int cmd_map(int argc, const char **argv);

#endif
