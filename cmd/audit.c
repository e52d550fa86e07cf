// SPDX-License-Identifier: GPL-2.0-only
/*
 * daxtool audit: run a command (or attach to a process for a while) and
 * report, for every DAX mapping it touched, the faults the kernel took
 * per 2 MiB window, and why each fallback to 4 KiB pages happened.
 *
 * The faults come from the kernel's fs_dax tracepoints (and for
 * device-DAX, which has none, the user page fault event of x86,
 * exceptions/page_fault_user, placed by address), read through a
 * tracefs instance of audit's own (instances/daxtool-audit-PID), limited
 * to the workload with set_event_pid (and, unless --no-follow, the
 * children it forks: options/event-fork). Events already on elsewhere are
 * only joined; audit switches events on in its instance and off again,
 * and never touches the top-level instance.
 *
 * The mappings: a PMD fault event carries its VMA (start, end, the file
 * offset, shared or not) and its file (device and inode), so a workload
 * too short to be seen in /proc/PID/maps is still placed. The paths, and
 * device-DAX mappings (which have no tracepoints), come from snapshots of
 * /proc/PID/maps of every traced process, every 100 ms while it runs: a
 * zombie's maps are empty and nothing ptrace-free stops a process before
 * its exit, so a mapping made and dropped between two snapshots is known
 * by its events only (a file with no path found is reported by its device
 * and inode).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "daxtool/daxtrace.h"
#include "daxtool/iomap.h"
#include "daxtool/parse-options.h"
#include "daxtool/procmaps.h"
#include "daxtool/tracefs.h"
#include "daxtool/util.h"
#include "audit.h"
#include "builtin.h"

static const char *const audit_usage[] = {
	"daxtool audit [options] -- COMMAND [ARGS]",
	"daxtool audit [options] -p PID --duration SECONDS",
	"",
	"Runs COMMAND (or watches process PID for SECONDS) and reports, for",
	"each DAX file or device it mapped, the mappings, the faults per",
	"2 MiB window (PMD installed, PMD fell back, 4 KiB, huge zero page)",
	"from the kernel's fs_dax tracepoints, why each fallback happened,",
	"and the write-back its msync/fsync caused. Device-DAX: page sizes",
	"predicted from the alignments, user page faults per 2 MiB or 1 GiB",
	"window.",
	"Needs root (tracefs). Exit status: 0; 1 on failure, or with",
	"--fail-on-fallback when a PMD fault fell back; 2 on bad usage.",
	NULL
};

#define POLL_MS 100

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* --- the model ---------------------------------------------------------- */

struct audit_file *audit_file_get(struct audit *a, unsigned major,
				  unsigned minor, uint64_t ino)
{
	struct audit_file *f;

	for (size_t i = 0; i < a->nr_files; i++)
		if (a->files[i].ino == ino && a->files[i].major == major &&
		    a->files[i].minor == minor)
			return &a->files[i];
	if (dt_grow((void **)&a->files, &a->cap_files, a->nr_files + 1,
		    sizeof(*a->files)))
		return NULL;
	f = &a->files[a->nr_files++];
	memset(f, 0, sizeof(*f));
	f->major = major;
	f->minor = minor;
	f->ino = ino;
	return f;
}

/*
 * Field by field: memcmp would compare the padding after shared too.
 * Not by shared: a fault event says "shared" for VM_SHARED, which a
 * MAP_SHARED mapping of a file opened read-only lacks, where maps says
 * "s" (VM_MAYSHARE); the mapping is MAP_SHARED if either says so.
 */
static bool same_map(const struct audit_map *a, const struct audit_map *b)
{
	return a->start == b->start && a->end == b->end &&
	       a->offset == b->offset;
}

int audit_add_map(struct audit_file *f, const struct audit_map *m)
{
	for (size_t i = 0; i < f->nr_maps; i++)
		if (same_map(&f->maps[i], m)) {
			f->maps[i].shared |= m->shared;
			return 0;
		}
	if (dt_grow((void **)&f->maps, &f->cap_maps, f->nr_maps + 1,
		    sizeof(*f->maps)))
		return -ENOMEM;
	f->maps[f->nr_maps++] = *m;
	return 1;
}

struct audit_win *audit_win_get(struct audit_file *f, uint64_t off)
{
	struct audit_win *w;
	size_t i;

	/* kept in order of offset; faults come mostly in order */
	for (i = f->nr_wins; i > 0 && f->wins[i - 1].offset >= off; i--)
		if (f->wins[i - 1].offset == off)
			return &f->wins[i - 1];
	if (dt_grow((void **)&f->wins, &f->cap_wins, f->nr_wins + 1,
		    sizeof(*f->wins)))
		return NULL;
	memmove(&f->wins[i + 1], &f->wins[i],
		(f->nr_wins - i) * sizeof(*f->wins));
	f->nr_wins++;
	w = &f->wins[i];
	memset(w, 0, sizeof(*w));
	w->offset = off;
	w->fb_map = -1;
	return w;
}

/* --- /proc/PID/maps snapshots -------------------------------------------- */

static int snap_vma(const struct dt_vma *v, void *arg)
{
	struct audit *a = arg;
	struct audit_map m = { v->start, v->end, v->offset, v->shared };
	struct audit_file *f = audit_file_get(a, v->major, v->minor, v->ino);
	struct stat st;
	int ret;

	if (!f)
		return -ENOMEM;
	if (v->deleted)
		f->deleted = true;
	else if (!f->path) {
		f->path = strdup(v->path);
		if (!f->path)
			return -ENOMEM;
		f->chardev = !stat(v->path, &st) && S_ISCHR(st.st_mode);
	}
	ret = audit_add_map(f, &m);
	if (ret > 0)
		a->nr_maps_seen++;
	return ret < 0 ? ret : 0;
}

/* Snapshot every traced process: the pids set_event_pid holds now (forks
 * are added there by the kernel), or the one process. */
static void snapshot(struct audit *a, const struct dt_tracefs *t)
{
	char path[600], buf[4096];
	ssize_t n = 0;
	char *p, *end;
	int fd;

	a->snapshots++;
	snprintf(path, sizeof(path), "%s/set_event_pid", t->dir);
	fd = a->follow && t->dir[0] ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (n <= 0) {
		dt_maps_read(a->pid, snap_vma, a);
		return;
	}
	buf[n] = '\0';
	for (p = buf; *p; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (pid > 0)
			dt_maps_read((int)pid, snap_vma, a);
	}
}

/* --- events -------------------------------------------------------------- */

/* A dax_pmd_load_hole waits for its thread's dax_pmd_fault_done. */
struct pending { int pid; uint64_t address; };
#define NR_PENDING 64

struct reader {
	int fd;
	char buf[65536];
	size_t len;
	struct pending hole[NR_PENDING];
};

/*
 * A user page fault: counted in the window of the character device (a
 * device-DAX candidate) whose mapping holds the address; 1 if no known
 * mapping holds it (yet), 0 if placed or in another file's mapping.
 */
static int place_user_fault(struct audit *a, uint64_t address)
{
	for (size_t i = 0; i < a->nr_files; i++) {
		struct audit_file *f = &a->files[i];

		for (size_t m = 0; m < f->nr_maps; m++) {
			const struct audit_map *am = &f->maps[m];
			struct audit_win *w;
			uint64_t off;

			if (address < am->start || address >= am->end)
				continue;
			if (!f->chardev)
				return 0;
			off = address - am->start + am->offset;
			w = audit_win_get(f, off & ~(DT_PMD_SIZE - 1));
			if (w)
				w->user++;
			return 0;
		}
	}
	return 1;
}

static void pend_user_fault(struct audit *a, uint64_t address)
{
	if (a->nr_pending >= 1u << 20 ||
	    dt_grow((void **)&a->pending, &a->cap_pending, a->nr_pending + 1,
		    sizeof(*a->pending))) {
		a->user_unplaced++;
		return;
	}
	a->pending[a->nr_pending++] = address;
}

/* The faults read before their mapping was seen: place them now (at
 * the end, those still not placed are in no file's mapping). */
static void place_pending(struct audit *a, bool end)
{
	size_t n = 0;

	if (!end && a->nr_maps_placed == a->nr_maps_seen)
		return;		/* no new mapping to place them in */
	a->nr_maps_placed = a->nr_maps_seen;
	for (size_t i = 0; i < a->nr_pending; i++)
		if (place_user_fault(a, a->pending[i])) {
			if (end)
				a->user_unplaced++;
			else
				a->pending[n++] = a->pending[i];
		}
	a->nr_pending = n;
}

static void count_writeback(struct audit_file *f, const struct dt_dax_event *e)
{
	const uint64_t cap = UINT64_MAX / 2 / 4096;

	if (e->ev == DT_EV_WB_ONE) {
		f->wb_entries++;
		f->wb_bytes += e->pglen * 4096;
		return;
	}
	/* an fsync asks for all: pages 0 to LLONG_MAX >> PAGE_SHIFT */
	uint64_t lo = (e->pgoff < cap ? e->pgoff : cap) * 4096;
	uint64_t hi = ((e->pgend < cap ? e->pgend : cap) + 1) * 4096;

	if (!f->wb_calls++ || lo < f->wb_lo)
		f->wb_lo = lo;
	if (hi > f->wb_hi)
		f->wb_hi = hi;
}

static void count_event(struct audit *a, struct reader *r,
			const struct dt_dax_event *e)
{
	struct audit_file *f;
	struct audit_win *w;
	bool zero = false;
	int map = -1;

	if (e->ev == DT_EV_USER_FAULT) {
		if (place_user_fault(a, e->address))
			pend_user_fault(a, e->address);
		return;
	}
	f = audit_file_get(a, e->major, e->minor, e->ino);
	if (!f)
		return;
	f->traced = true;
	if (e->ev == DT_EV_WB_RANGE || e->ev == DT_EV_WB_ONE) {
		count_writeback(f, e);
		return;
	}
	if (e->ev == DT_EV_PMD_HOLE) {
		for (int i = 0; i < NR_PENDING; i++)
			if (!r->hole[i].pid) {
				r->hole[i] = (struct pending){ e->pid, e->address };
				break;
			}
		return;
	}
	if (e->ev == DT_EV_PMD_DONE && e->vm_end > e->vm_start &&
	    e->has_pgoff && e->pgoff * 4096 >= e->address - e->vm_start) {
		struct audit_map m = {
			e->vm_start, e->vm_end,
			e->pgoff * 4096 - (e->address - e->vm_start), e->shared,
		};

		audit_add_map(f, &m);
		for (size_t i = 0; i < f->nr_maps; i++)
			if (same_map(&f->maps[i], &m))
				map = (int)i;
		for (int i = 0; i < NR_PENDING; i++)
			if (r->hole[i].pid == e->pid &&
			    r->hole[i].address == e->address) {
				r->hole[i].pid = 0;
				zero = e->result == DT_RES_NOPAGE;
			}
	}
	if (!e->has_pgoff) {
		f->unplaced++;
		return;
	}
	w = audit_win_get(f, e->pgoff * 4096 & ~(DT_PMD_SIZE - 1));
	if (!w)
		return;
	if (e->ev == DT_EV_PTE_DONE) {
		w->pte++;
		w->mkwrite += e->mkwrite;
	} else if (e->result == DT_RES_FALLBACK) {
		if (!w->fallback++) {
			w->fb_map = map;
			w->fb_write = e->write;
		}
	} else if (e->result == DT_RES_NOPAGE) {
		w->pmd++;
		w->zero += zero;
	}
}

/* Read what trace_pipe holds now (it does not block). */
static void drain(struct audit *a, struct reader *r)
{
	for (;;) {
		ssize_t n = read(r->fd, r->buf + r->len, sizeof(r->buf) - 1 - r->len);
		char *line, *nl;

		if (n <= 0)
			return;
		r->len += (size_t)n;
		r->buf[r->len] = '\0';
		for (line = r->buf; (nl = strchr(line, '\n')); line = nl + 1) {
			struct dt_dax_event e;

			*nl = '\0';
			if (!dt_dax_event_parse(line, &e))
				count_event(a, r, &e);
		}
		r->len -= (size_t)(line - r->buf);
		memmove(r->buf, line, r->len);
		if (r->len == sizeof(r->buf) - 1)
			r->len = 0;	/* a line longer than the buffer */
	}
}

/* --- the run ------------------------------------------------------------- */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Switch the events on in the instance, for @pid (and its forks). */
static int trace_setup(struct audit *a, struct dt_tracefs *t, char *err,
		       size_t errlen)
{
	char pid[24];
	int ret;

	snprintf(pid, sizeof(pid), "%d", a->pid);
	if ((ret = dt_tracefs_write(t, "set_event_pid", pid, true)) ||
	    (ret = dt_tracefs_write(t, "options/event-fork", a->follow ?
				    "1" : "0", false))) {
		snprintf(err, errlen, "%s: set_event_pid: %s", t->dir,
			 strerror(-ret));
		return -1;
	}
	for (int i = 0; i < DT_NR_DAX_EV; i++) {
		struct audit_event_state *s = &a->ev[i];

		s->available = dt_tracefs_has_event(t, s->name);
		s->was_on = s->available ? dt_tracefs_event_on(t, s->name) : -1;
		if (!s->available)
			continue;
		ret = dt_tracefs_enable(t, s->name, NULL);
		if (ret) {
			snprintf(err, errlen, "%s/events/%s: cannot switch it "
				 "on: %s", t->dir, s->name, strerror(-ret));
			return -1;
		}
		s->enabled = true;
		a->tracing = true;
	}
	ret = dt_tracefs_write(t, "tracing_on", "1", false);
	if (ret) {
		snprintf(err, errlen, "%s/tracing_on: %s", t->dir, strerror(-ret));
		return -1;
	}
	return 0;
}

/* Fork @argv stopped before its exec, so tracing starts before it does. */
static int spawn(struct audit *a, char *err, size_t errlen)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (!pid) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		raise(SIGSTOP);
		execvp(a->argv[0], (char *const *)a->argv);
		fprintf(stderr, "daxtool: audit: %s: %s\n", a->argv[0],
			strerror(errno));
		_exit(127);
	}
	a->pid = pid;
	if (waitpid(pid, &status, WUNTRACED) != pid || !WIFSTOPPED(status)) {
		snprintf(err, errlen, "%s: did not start", a->argv[0]);
		return -1;
	}
	return 0;
}

/* Has @pid exited, its parent not yet waited for it? */
static bool zombie(int pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	/* "PID (COMM) STATE ...": COMM may hold ") " */
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'Z';
}

/* Poll until the command ends (or the process goes, or the time is up). */
static void watch(struct audit *a, struct dt_tracefs *t, struct reader *r,
		  uint64_t until)
{
	for (;;) {
		int status;

		snapshot(a, t);
		place_pending(a, false);
		if (r->fd >= 0)
			drain(a, r);
		if (a->argv) {
			if (waitpid(a->pid, &status, WNOHANG) == a->pid) {
				a->status = status;
				return;
			}
		} else if ((kill(a->pid, 0) && errno == ESRCH) ||
			   zombie(a->pid)) {
			return;
		}
		if (stop) {
			if (a->argv)
				kill(a->pid, SIGTERM);
			else
				return;
		}
		if (until && now_ns() >= until)
			return;
		poll(NULL, 0, POLL_MS);
	}
}

static int run(struct audit *a, const char *duration_s, char *err,
	       size_t errlen)
{
	struct reader *r = calloc(1, sizeof(*r));
	struct dt_tracefs t;
	char name[64], path[600];
	uint64_t start, until = 0;
	int ret = -1;

	if (!r) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -1;
	}
	r->fd = -1;
	snprintf(name, sizeof(name), "daxtool-audit-%d", (int)getpid());
	/* without tracefs the mappings are still seen, the faults not */
	if (dt_tracefs_open(&t, name, a->no_trace, sizeof(a->no_trace)))
		t.dir[0] = '\0';
	if (a->argv && spawn(a, err, errlen))
		goto out;
	if (t.dir[0] && trace_setup(a, &t, err, errlen))
		goto out;
	snprintf(path, sizeof(path), "%s/trace_pipe", t.dir);
	if (a->tracing) {
		r->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (r->fd < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto out;
		}
	}
	start = now_ns();
	if (duration_s) {
		double s = strtod(duration_s, NULL);

		until = start + (uint64_t)(s * 1e9);
	}
	if (a->argv)
		kill(a->pid, SIGCONT);
	watch(a, &t, r, until);
	a->duration_ns = now_ns() - start;
	if (t.dir[0]) {
		dt_tracefs_write(&t, "tracing_on", "0", false);
		if (r->fd >= 0)
			drain(a, r);
		place_pending(a, true);
		a->lost = dt_tracefs_lost(&t);
	}
	ret = 0;
out:
	if (ret && a->argv && a->pid > 0) {
		kill(a->pid, SIGKILL);
		waitpid(a->pid, NULL, 0);
	}
	if (r->fd >= 0)
		close(r->fd);
	free(r);
	dt_tracefs_close(&t);
	return ret;
}

int cmd_audit(int argc, const char **argv, struct dt_ctx *ctx)
{
	struct audit a = { .status = -1, .follow = true };
	const char *pid_s = NULL, *duration_s = NULL;
	bool json = false, human = false, no_follow = false, fail_fb = false;
	const struct opt opts[] = {
		OPT_BOOLEAN('j', "json", &json, "print JSON"),
		OPT_STRING('p', "pid", &pid_s, "PID", "watch this running process"),
		OPT_STRING('d', "duration", &duration_s, "SECONDS", "how long to watch it (with -p)"),
		OPT_BOOLEAN(0, "no-follow", &no_follow, "do not follow the children it forks"),
		OPT_BOOLEAN(0, "fail-on-fallback", &fail_fb, "exit 1 if any PMD fault fell back to 4 KiB"),
		OPT_BOOLEAN('u', "human", &human, "sizes as 4K, 2M, 1G in text output"),
		OPT_END(),
	};
	const char **cmd = NULL;
	char err[700];
	int n = argc, left, ret;

	/* the command after "--" is not ours to parse */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			n = i;
			cmd = argv + i + 1;
			break;
		}
	left = parse_options(n, argv, opts, audit_usage);
	if (left)
		usage_error("unexpected argument '%s': give the command after --",
			    argv[0]);
	if (cmd && !*cmd)
		usage_error("no command after --");
	if (!cmd && !pid_s)
		usage_with_options(audit_usage, opts);
	if (cmd && (pid_s || duration_s))
		usage_error("give a command after -- or -p PID --duration S, "
			    "not both");
	if (pid_s) {
		char *end;
		long pid = strtol(pid_s, &end, 10);
		double d;

		if (*end || pid <= 0 || pid > 0x3fffffff)
			usage_error("--pid: '%s' is not a process id", pid_s);
		if (!duration_s)
			usage_error("-p needs --duration SECONDS");
		d = strtod(duration_s, &end);
		if (*end || !(d > 0) || d > 1e6)
			usage_error("--duration: '%s' is not a number of seconds",
				    duration_s);
		a.pid = (int)pid;
		if (kill(a.pid, 0) && errno == ESRCH) {
			dt_err("process %d: no such process", a.pid);
			return DT_EXIT_FAIL;
		}
	} else if (duration_s) {
		usage_error("--duration goes with -p PID");
	}
	a.argv = cmd;
	a.follow = !no_follow;
	for (int i = 0; i < DT_NR_DAX_EV; i++) {
		a.ev[i].name = dt_dax_ev_name(i);
		a.ev[i].was_on = -1;
	}

	if (geteuid() != 0) {
		dt_err("needs root: the fault counts come from the kernel's "
		       "fs_dax tracepoints, through tracefs (/sys/kernel/"
		       "tracing), which only root may use");
		return DT_EXIT_FAIL;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if (run(&a, duration_s, err, sizeof(err))) {
		dt_err("%s", err);
		ret = DT_EXIT_FAIL;
	} else if (a.argv && WIFEXITED(a.status) && WEXITSTATUS(a.status) == 127) {
		/* the exec failed (it said why) */
		ret = DT_EXIT_FAIL;
	} else {
		ret = audit_report(&a, ctx, json, human, fail_fb);
	}
	for (size_t i = 0; i < a.nr_files; i++) {
		free(a.files[i].path);
		free(a.files[i].maps);
		free(a.files[i].wins);
	}
	free(a.files);
	free(a.pending);
	return ret;
}
