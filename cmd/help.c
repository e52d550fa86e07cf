// SPDX-License-Identifier: GPL-2.0-only
/*
 * daxtool help [COMMAND [BENCHMARK]]: the command's manual page,
 * daxtool-COMMAND(1), opened with man as git and ndctl open theirs; where
 * man is missing or has no such page, what 'daxtool COMMAND -h' says.
 * Without a command, the list of commands.
 *
 * The page is looked for beside the running binary first, so that a
 * binary in a build tree shows the pages built with it (man -l), and one
 * installed under a prefix the pages installed with it; then on man's
 * own path (man -w).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/wait.h>

#include "daxtool/parse-options.h"
#include "daxtool/util.h"
#include "builtin.h"

#ifndef DT_BUILD_MAN
#define DT_BUILD_MAN "build/man"
#endif

/* Where the pages are, from the directory of the binary: the build's
 * beside it ($(B)/daxtool and $(B)/man), the build's under the top of
 * the tree (./daxtool and $(B)/man), an installation's (bin/ and
 * share/man/man1). */
static const char *const page_dirs[] = {
	"man", DT_BUILD_MAN, "../share/man/man1",
};

/* The page file @page (daxtool-map) beside the binary, into @path. */
static bool page_beside(const char *page, char *path, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return false;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(page_dirs); i++) {
		const char *d = page_dirs[i];

		if ((size_t)snprintf(path, len, "%s%s%s/%s.1", d[0] == '/' ?
				     "" : exe, d[0] == '/' ? "" : "/", d,
				     page) < len && access(path, R_OK) == 0)
			return true;
	}
	return false;
}

/* Run man with @args; @quiet: its output to /dev/null. Its exit status,
 * or -1 where it cannot be run (not installed). */
static int run_man(const char *const *args, bool quiet)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (quiet) {
			int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

			if (fd >= 0) {
				dup2(fd, STDOUT_FILENO);
				dup2(fd, STDERR_FILENO);
			}
		}
		execvp("man", (char *const *)args);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127)
		return -1;
	return WEXITSTATUS(status);
}

/* Show page @page: man's exit status, or -1 with @why where there is no
 * page to show. */
static int show_page(const char *page, const char **why)
{
	const char *find[] = { "man", "-w", page, NULL };
	const char *show[] = { "man", page, NULL, NULL };
	char path[PATH_MAX];
	int ret;

	if (page_beside(page, path, sizeof(path))) {
		show[1] = "-l";
		show[2] = path;
		ret = run_man(show, false);
		*why = "man cannot be run";
		return ret;
	}
	ret = run_man(find, true);
	if (ret < 0) {
		*why = "man cannot be run";
		return -1;
	}
	if (ret) {
		*why = "man finds no such page";
		return -1;
	}
	ret = run_man(show, false);
	*why = "man cannot be run";
	return ret;
}

int cmd_help(int argc, const char **argv, struct dt_ctx *ctx)
{
	static const char *const usage[] = {
		"daxtool help [COMMAND [BENCHMARK]]",
		"",
		"Open daxtool-COMMAND(1) with man; where man or the page is",
		"missing, show what 'daxtool COMMAND [BENCHMARK] -h' shows.",
		"Without a command, list the commands.",
		NULL,
	};
	const struct opt opts[] = { OPT_END() };
	const char *args[4] = { NULL }, *why = NULL;
	const struct cmd_struct *c;
	char page[64];
	int n = 0, ret;

	argc = parse_options(argc, argv, opts, usage);
	if (!argc) {
		dt_list_commands(stdout);
		return DT_EXIT_OK;
	}
	if (argc > 2)
		usage_error("unexpected argument '%s'", argv[2]);
	c = dt_find_cmd(argv[0]);
	if (!c) {
		dt_err("'%s' is not a daxtool command. See 'daxtool help'.",
		       argv[0]);
		return DT_EXIT_USAGE;
	}
	if (argc == 2 && c->fn != cmd_bench)
		usage_error("unexpected argument '%s': only bench has "
			    "benchmarks", argv[1]);
	if (argc == 2 && !cmd_bench_exists(argv[1])) {
		dt_err("'%s' is not a daxtool benchmark. See 'daxtool bench'.",
		       argv[1]);
		return DT_EXIT_USAGE;
	}
	snprintf(page, sizeof(page), "daxtool-%s", c->name);
	ret = show_page(page, &why);
	if (ret >= 0)
		return ret ? DT_EXIT_FAIL : DT_EXIT_OK;
	dt_warn("note: no manual page %s(1) to show: %s; 'daxtool %s%s%s -h' "
		"follows", page, why, c->name, argc == 2 ? " " : "",
		argc == 2 ? argv[1] : "");
	args[n++] = c->name;
	if (argc == 2)
		args[n++] = argv[1];
	args[n++] = "--help";
	dt_set_cmd(c->fn == cmd_help ? NULL : c->name);
	return c->fn(n, args, ctx);
}
