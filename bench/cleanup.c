// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a benchmark leaves behind is removed on every way out: a normal
 * return, exit() from a usage error, and SIGINT, SIGTERM or SIGHUP. On a
 * signal the handler also says what was interrupted, passes the signal on
 * to a child (fio) and then dies of the same signal as it would have (the
 * shell counts 130 after Ctrl-C). It calls only write(), kill(), unlink()
 * and rmdir(), which are async-signal-safe, and formats its message
 * itself. (SIGKILL cannot be caught: a file named in the output may then
 * stay.)
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

static volatile sig_atomic_t child;

/* What the interrupted message says; see bench.h. */
static struct {
	char cmd[64];
	volatile sig_atomic_t armed, runs, done, progress;
	const char *volatile stage;
} intr;

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

/* ---- the message, without stdio ---------------------------------------- */

struct msg {
	char buf[512];
	size_t n;
};

static void put(struct msg *m, const char *s)
{
	while (*s && m->n < sizeof(m->buf))
		m->buf[m->n++] = *s++;
}

static void put_u(struct msg *m, unsigned long v)
{
	char tmp[24], *p = tmp + sizeof(tmp);

	*--p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10));
	put(m, p);
}

static void say_interrupted(void)
{
	struct msg m = { .n = 0 };
	const char *stage = intr.stage;

	if (!intr.armed)
		return;
	if (intr.progress)
		put(&m, "\r\033[K");
	put(&m, intr.cmd);
	put(&m, ": interrupted");
	if (stage) {
		put(&m, " ");
		put(&m, stage);
	}
	put(&m, ": ");
	put_u(&m, (unsigned long)intr.done);
	put(&m, " of ");
	put_u(&m, (unsigned long)intr.runs);
	put(&m, intr.runs == 1 ? " run done" : " runs done");
	put(&m, ", nothing printed\n");
	if (write(STDERR_FILENO, m.buf, m.n) < 0)
		return;		/* nowhere to say it */
}

static void on_signal(int sig)
{
	if (child > 0)
		kill((pid_t)child, sig);
	say_interrupted();
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

void bench_cleanup_child(pid_t pid)
{
	install();
	child = pid;
}

void bench_interrupt_arm(const char *cmd, unsigned runs)
{
	install();
	DT_COPY(intr.cmd, cmd);
	intr.runs = (sig_atomic_t)runs;
	intr.done = 0;
	intr.stage = NULL;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	intr.armed = 1;
}

void bench_interrupt_disarm(void)
{
	intr.armed = 0;
}

void bench_interrupt_runs_done(unsigned done)
{
	intr.done = (sig_atomic_t)done;
}

void bench_interrupt_stage(const char *stage)
{
	intr.stage = stage;
}

void bench_interrupt_progress_shown(bool shown)
{
	intr.progress = shown;
}
