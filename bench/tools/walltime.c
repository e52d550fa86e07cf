// SPDX-License-Identifier: GPL-2.0-only
/*
 * walltime CMD [ARG...]: run CMD once, its output to /dev/null, and print
 * its wall time in milliseconds: from just before posix_spawn to the end
 * of waitpid, so a benchmark's figures hold the command's own start-up and
 * none of the shell's (a shell's fork and a date(1) on each side cost
 * several ms on a virtual machine, as much as some of what is measured).
 * Exit status: 0, or 1 when CMD could not run or did not exit 0.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

extern char **environ;

int main(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	struct timespec a, b;
	pid_t pid;
	int st, err;

	if (argc < 2) {
		fprintf(stderr, "usage: walltime CMD [ARG...]\n");
		return 2;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	err = posix_spawnp(&pid, argv[1], &fa, NULL, argv + 1, environ);
	if (err) {
		fprintf(stderr, "walltime: %s: %s\n", argv[1], strerror(err));
		return 1;
	}
	if (waitpid(pid, &st, 0) < 0) {
		perror("walltime: waitpid");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "walltime: %s failed (%s %d)\n", argv[1],
			WIFEXITED(st) ? "exit" : "signal",
			WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		return 1;
	}
	printf("%.3f\n", (double)(b.tv_sec - a.tv_sec) * 1e3 +
	       (double)(b.tv_nsec - a.tv_nsec) / 1e6);
	return 0;
}
