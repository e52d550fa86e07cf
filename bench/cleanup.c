// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a benchmark leaves behind is removed on every way out: a normal
 * return, exit() from a usage error, and SIGINT, SIGTERM or SIGHUP. The
 * signal handler only calls unlink() and rmdir(), which are
 * async-signal-safe, then dies of the same signal as it would have.
 * (SIGKILL cannot be caught: a file named in the output may then stay.)
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daxtool/util.h"
#include "bench.h"

#define MAX_CLEANUPS 8

static struct {
	char path[4096];
	bool dir;
	volatile sig_atomic_t armed;
} cleanups[MAX_CLEANUPS];

static void run_one(int i)
{
	if (!cleanups[i].armed)
		return;
	cleanups[i].armed = 0;
	if (cleanups[i].dir)
		rmdir(cleanups[i].path);
	else
		unlink(cleanups[i].path);
}

static void run_all(void)
{
	/* the last added first: an instance directory before its parent */
	for (int i = MAX_CLEANUPS - 1; i >= 0; i--)
		run_one(i);
}

static void on_signal(int sig)
{
	run_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	static bool done;
	struct sigaction sa = { .sa_handler = on_signal };

	if (done)
		return;
	done = true;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
	atexit(run_all);
}

int bench_cleanup_add(const char *path, bool dir)
{
	install();
	for (int i = 0; i < MAX_CLEANUPS; i++) {
		if (cleanups[i].armed)
			continue;
		DT_COPY(cleanups[i].path, path);
		cleanups[i].dir = dir;
		/* the handler must never see a half-written path */
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		cleanups[i].armed = 1;
		return i;
	}
	return -1;
}

void bench_cleanup_done(int handle)
{
	if (handle >= 0 && handle < MAX_CLEANUPS)
		run_one(handle);
}
