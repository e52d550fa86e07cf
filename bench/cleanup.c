// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a benchmark leaves behind is undone on every way out: a normal
 * return, exit() from a usage error, and SIGINT, SIGTERM or SIGHUP. What
 * there is to undo is a table of actions: remove a file or a directory,
 * unmount a private mount, lower a kernel setting the run raised (the
 * huge pages reserved for it). On a signal the handler also says what
 * was interrupted, passes the signal on to a child (fio) and then dies of
 * the same signal as it would have (the shell counts 130 after Ctrl-C).
 * It calls only open(), read(), write(), close(), kill(), unlink(),
 * rmdir() and umount2(), system calls that are safe there, and formats
 * its numbers itself. (SIGKILL cannot be caught: a file named in the
 * output, a mount or a raised setting may then stay.)
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>

#include "daxtool/util.h"
#include "bench.h"

#define MAX_CLEANUPS 16

struct cleanup {
	char path[4096];
	enum bench_cleanup_what what;
	/* BENCH_CLEAN_LOWER: by how much, and never below what */
	volatile sig_atomic_t by, floor;
	volatile sig_atomic_t armed;
};

static struct cleanup cleanups[MAX_CLEANUPS];

static volatile sig_atomic_t child;

/* What the interrupted message says; see bench.h. */
static struct {
	char cmd[64];
	volatile sig_atomic_t armed, runs, done, progress;
	const char *volatile stage;
} intr;

/* ---- numbers, without stdio --------------------------------------------- */

/* The decimal number at the start of @s; -1 if there is none. */
static long parse_u(const char *s)
{
	long v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	return v;
}

/* @v in decimal, at the end of @buf (of @len > 21): its start. */
static char *fmt_u(char *buf, size_t len, unsigned long v)
{
	char *p = buf + len;

	*--p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10));
	return p;
}

/* ---- the actions ------------------------------------------------------------ */

static void do_unlink(const struct cleanup *c)
{
	unlink(c->path);
}

static void do_rmdir(const struct cleanup *c)
{
	rmdir(c->path);
}

/* Detached: a mapping or a descriptor still open (a signal came while
 * the run used it) does not keep the mount point busy. */
static void do_umount(const struct cleanup *c)
{
	umount2(c->path, MNT_DETACH);
}

/*
 * Lower the number in c->path by c->by, but not below c->floor (its value
 * before the run raised it) and never where it is at or below that floor
 * already: what the run added is given back, and whatever else changed
 * the setting meanwhile keeps its change.
 */
static void do_lower(const struct cleanup *c)
{
	char buf[32], *p;
	long cur, want;	/* the setting is an int: these do not overflow */
	ssize_t n;
	int fd = open(c->path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	cur = parse_u(buf);
	if (cur <= c->floor)
		return;
	want = cur - c->floor < c->by ? c->floor : cur - c->by;
	p = fmt_u(buf, sizeof(buf), (unsigned long)want);
	fd = open(c->path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = write(fd, p, strlen(p));	/* if it fails, nothing more to do */
	close(fd);
}

static void (*const actions[BENCH_NR_CLEANUPS])(const struct cleanup *) = {
	[BENCH_CLEAN_FILE] = do_unlink, [BENCH_CLEAN_DIR] = do_rmdir,
	[BENCH_CLEAN_MOUNT] = do_umount, [BENCH_CLEAN_LOWER] = do_lower,
};

static void run_one(int i)
{
	if (!cleanups[i].armed)
		return;
	cleanups[i].armed = 0;
	actions[cleanups[i].what](&cleanups[i]);
}

static void run_all(void)
{
	/* the last added first: a file before its mount, a mount before
	 * its directory, an instance directory before its parent */
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
	char tmp[24];

	put(m, fmt_u(tmp, sizeof(tmp), v));
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

static int add(const char *path, enum bench_cleanup_what what, int by,
	       int floor)
{
	install();
	for (int i = 0; i < MAX_CLEANUPS; i++) {
		struct cleanup *c = &cleanups[i];

		if (c->armed)
			continue;
		DT_COPY(c->path, path);
		c->what = what;
		c->by = by;
		c->floor = floor;
		/* the handler must never see a half-written entry */
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		c->armed = 1;
		return i;
	}
	return -1;
}

int bench_cleanup_add(const char *path, enum bench_cleanup_what what)
{
	return add(path, what, 0, 0);
}

int bench_cleanup_lower(const char *path, int by, int floor)
{
	return add(path, BENCH_CLEAN_LOWER, by, floor);
}

void bench_cleanup_lower_by(int handle, int by)
{
	if (handle >= 0 && handle < MAX_CLEANUPS)
		cleanups[handle].by = by;
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
