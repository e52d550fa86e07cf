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
 * The faults: an fs_dax event names its file (device, inode) and file
 * offset. A user page fault names an address only: it is placed by
 * (pid, address), in the mapping that process had there at the fault's
 * time (the instance's trace clock is set to CLOCK_MONOTONIC, the
 * snapshots' clock), so processes with different mappings at one
 * address are not mixed up.
 *
 * The mappings of each traced process: from its mmap calls
 * (syscalls/sys_enter_mmap and sys_exit_mmap: the address, length,
 * offset and flags, the file from the descriptor in /proc/PID/fd), from
 * snapshots of /proc/PID/maps, taken at once when its mmap or munmap
 * event is read and every 100 ms anyway (the only source where the
 * kernel has no syscall events), and from the PMD fault events, which
 * carry their VMA. Each is kept with the times it was known to exist:
 * a mapping gone by the end still places the faults taken while it was
 * there. A zombie's maps are empty and nothing ptrace-free stops a
 * process before its exit; a file with no path found is reported by its
 * device and inode.
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
#include <sys/sysmacros.h>
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

/* --- the processes' mappings --------------------------------------------- */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static struct audit_proc *proc_find(struct audit *a, int pid)
{
	for (size_t i = 0; i < a->nr_procs; i++)
		if (a->procs[i].pid == pid)
			return &a->procs[i];
	return NULL;
}

/* The process @pid, added if new. */
static struct audit_proc *proc_get(struct audit *a, int pid)
{
	struct audit_proc *p = proc_find(a, pid);

	if (p)
		return p;
	if (dt_grow((void **)&a->procs, &a->cap_procs, a->nr_procs + 1,
		    sizeof(*a->procs)))
		return NULL;
	p = &a->procs[a->nr_procs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	return p;
}

/*
 * @p maps @m of file @file, seen at @t (@exact: made at @t, by mmap).
 * A mapping made by mmap is a new one: whatever the process had in that
 * range before is gone by then, even one just like it (a map, touch and
 * unmap loop maps the same range again and again), and the faults after
 * @t are the new one's. A mapping seen in a snapshot is the newest one
 * like it that began by @t and was not gone then, or a new one.
 */
static int proc_add_vma(struct audit *a, struct audit_proc *p,
			const struct audit_map *m, size_t file, uint64_t t,
			bool exact)
{
	struct audit_vma *v, *same = NULL;

	for (size_t i = 0; i < p->nr_vmas; i++) {
		v = &p->vmas[i];
		if (exact) {
			if (v->born_exact && v->t_first == t &&
			    v->start == m->start && v->end == m->end &&
			    v->offset == m->offset && v->file == file)
				return 0;	/* this event, read again */
			/* replaced: what overlapped the range ends here */
			if (v->start < m->end && m->start < v->end &&
			    v->t_first < t && v->t_gone > t)
				v->t_gone = t;
			continue;
		}
		if (v->start != m->start || v->end != m->end ||
		    v->offset != m->offset || v->file != file ||
		    v->t_gone <= t || (v->born_exact && v->t_first > t))
			continue;
		if (!same || v->t_first > same->t_first)
			same = v;
	}
	if (same) {
		if (t > same->t_last)
			same->t_last = t;
		if (t < same->t_first)
			same->t_first = t;
		return 0;
	}
	if (dt_grow((void **)&p->vmas, &p->cap_vmas, p->nr_vmas + 1,
		    sizeof(*p->vmas)))
		return -ENOMEM;
	p->vmas[p->nr_vmas++] = (struct audit_vma){
		m->start, m->end, m->offset, file, t, t, UINT64_MAX, exact,
	};
	a->nr_maps_seen++;
	return 0;
}

/* A file of a mapping: by identity, its path and kind noted once. */
static struct audit_file *file_of(struct audit *a, unsigned major,
				  unsigned minor, uint64_t ino,
				  const char *path, bool deleted)
{
	struct audit_file *f = audit_file_get(a, major, minor, ino);
	struct stat st;

	if (!f)
		return NULL;
	if (deleted)
		f->deleted = true;
	else if (!f->path && path) {
		f->path = strdup(path);
		f->chardev = !stat(path, &st) && S_ISCHR(st.st_mode);
	}
	return f;
}

struct snap { struct audit *a; struct audit_proc *p; uint64_t t; };

static int snap_vma(const struct dt_vma *v, void *arg)
{
	struct snap *s = arg;
	struct audit *a = s->a;
	struct audit_map m = { v->start, v->end, v->offset, v->shared };
	struct audit_file *f = file_of(a, v->major, v->minor, v->ino, v->path,
				       v->deleted);
	int ret;

	if (!f)
		return -ENOMEM;
	ret = audit_add_map(f, &m);
	if (ret < 0)
		return ret;
	return s->p ? proc_add_vma(a, s->p, &m, (size_t)(f - a->files), s->t,
				   false) : 0;
}

/* Snapshot one process: its mappings now; those it had and has no more
 * are gone since. The reading takes time: a mapping in it was there when
 * it began (or after); one missing from it may have gone only just
 * before it ended, so that is when it is known gone. */
static void snapshot_pid(struct audit *a, int pid)
{
	struct snap s = { a, proc_get(a, pid), now_ns() };
	uint64_t done;

	if (!s.p || dt_maps_read(pid, snap_vma, &s))
		return;
	done = now_ns();
	a->snapshots++;
	for (size_t i = 0; i < s.p->nr_vmas; i++) {
		struct audit_vma *v = &s.p->vmas[i];

		if (v->t_last < s.t && v->t_gone == UINT64_MAX)
			v->t_gone = done;
	}
	s.p->t_snap = s.t;
}

/* Snapshot every traced process: the pids set_event_pid holds now (forks
 * are added there by the kernel), or the one process. */
static void snapshot(struct audit *a, const struct dt_tracefs *t)
{
	char path[600], buf[4096];
	ssize_t n = 0;
	char *p, *end;
	int fd;

	snprintf(path, sizeof(path), "%s/set_event_pid", t->dir);
	fd = a->follow && t->dir[0] ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (n <= 0) {
		snapshot_pid(a, a->pid);
		return;
	}
	buf[n] = '\0';
	for (p = buf; *p; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (pid > 0)
			snapshot_pid(a, (int)pid);
	}
}

/*
 * An mmap that returned: the mapping it made, at once (a snapshot read
 * later may find it gone): the file from its descriptor, if the process
 * has it open still.
 */
static void mmap_done(struct audit *a, const struct dt_dax_event *e)
{
	struct audit_proc *p = proc_get(a, e->pid);
	char path[64], target[4096];
	struct audit_file *f;
	struct audit_map m;
	struct stat st;
	ssize_t n;
	bool deleted = false;

	if (!p || !p->mmap_pending)
		return;
	p->mmap_pending = false;
	if (e->ret >= (uint64_t)-4095 || p->mmap_fd > INT32_MAX ||
	    !p->mmap_len)
		return;		/* failed, or anonymous */
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", e->pid, (int)p->mmap_fd);
	if (stat(path, &st) || !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)))
		return;
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0 || target[0] != '/')
		return;
	target[n] = '\0';
	if (n > 10 && !strcmp(target + n - 10, " (deleted)")) {
		target[n - 10] = '\0';
		deleted = true;
	}
	f = file_of(a, major(st.st_dev), minor(st.st_dev), st.st_ino, target,
		    deleted);
	if (!f)
		return;
	m = (struct audit_map){ e->ret, e->ret + ((p->mmap_len + 4095) & ~4095ull),
				p->mmap_off, (p->mmap_flags & 3) != 2 /* MAP_PRIVATE */ };
	/* listed unless a mapping of the file seen already holds it */
	bool held = false;

	for (size_t i = 0; i < f->nr_maps && !held; i++)
		held = f->maps[i].start <= m.start && m.end <= f->maps[i].end &&
		       f->maps[i].start - f->maps[i].offset == m.start - m.offset;
	if (!held)
		audit_add_map(f, &m);
	proc_add_vma(a, p, &m, (size_t)(f - a->files), e->ts_ns, a->mono);
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

/* How far the fault at @ts is from the time @v is known to have
 * existed; UINT64_MAX: it cannot be @v's. */
static uint64_t vma_distance(const struct audit_vma *v, uint64_t ts)
{
	if (ts >= v->t_gone || (v->born_exact && ts < v->t_first))
		return UINT64_MAX;
	if (ts < v->t_first)
		return v->t_first - ts;
	return ts > v->t_last ? ts - v->t_last : 0;
}

/*
 * A user page fault of process @pid at @address, time @ts: counted in the
 * window of the character device (a device-DAX candidate) that process
 * mapped there then: of its mappings that hold the address, the one
 * known nearest that time. 1 if none holds it (yet), 0 if placed or in
 * another file's mapping. @end: the run is over; a fault of a process
 * never snapshotted (gone too soon) is placed by address alone, if only
 * one file's mapping holds it in all the processes.
 */
static int place_user_fault(struct audit *a, int pid, uint64_t address,
			    uint64_t ts, bool end)
{
	struct audit_proc *p = proc_find(a, pid);
	const struct audit_vma *best = NULL;
	uint64_t best_d = UINT64_MAX;
	struct audit_file *f;
	struct audit_win *w;

	for (size_t i = 0; p && i < p->nr_vmas; i++) {
		const struct audit_vma *v = &p->vmas[i];
		uint64_t d;

		if (address < v->start || address >= v->end)
			continue;
		d = vma_distance(v, ts);
		if (d < best_d || (d == best_d && d != UINT64_MAX &&
				   v->t_last > best->t_last)) {
			best = v;
			best_d = d;
		}
	}
	if (!best && end && (!p || !p->nr_vmas)) {
		/* by address alone, if that is unambiguous */
		for (size_t q = 0; q < a->nr_procs; q++)
			for (size_t i = 0; i < a->procs[q].nr_vmas; i++) {
				const struct audit_vma *v = &a->procs[q].vmas[i];

				if (address < v->start || address >= v->end)
					continue;
				if (best && best->file != v->file)
					return 1;
				best = v;
			}
	}
	if (!best)
		return 1;
	f = &a->files[best->file];
	if (!f->chardev)
		return 0;
	w = audit_win_get(f, (address - best->start + best->offset) &
			  ~(DT_PMD_SIZE - 1));
	if (w)
		w->user++;
	return 0;
}

static void pend_user_fault(struct audit *a, const struct dt_dax_event *e)
{
	if (a->nr_pending >= 1u << 20 ||
	    dt_grow((void **)&a->pending, &a->cap_pending, a->nr_pending + 1,
		    sizeof(*a->pending))) {
		a->user_unplaced++;
		return;
	}
	a->pending[a->nr_pending++] = (struct audit_fault){
		e->pid, e->address, e->ts_ns,
	};
}

/* The faults read before their mapping was seen: place them now (at
 * the end, those still not placed are in no file's mapping). */
static void place_pending(struct audit *a, bool end)
{
	size_t n = 0;

	if (!end && a->nr_maps_placed == a->nr_maps_seen)
		return;		/* no new mapping to place them in */
	a->nr_maps_placed = a->nr_maps_seen;
	for (size_t i = 0; i < a->nr_pending; i++) {
		const struct audit_fault *u = &a->pending[i];

		if (place_user_fault(a, u->pid, u->address, u->ts, end)) {
			if (end)
				a->user_unplaced++;
			else
				a->pending[n++] = *u;
		}
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
		if (place_user_fault(a, e->pid, e->address, e->ts_ns, false))
			pend_user_fault(a, e);
		return;
	}
	if (e->ev == DT_EV_MMAP_ENTER) {
		struct audit_proc *p = proc_get(a, e->pid);

		if (p) {
			p->mmap_pending = true;
			p->mmap_fd = e->fd;
			p->mmap_off = e->pgoff;
			p->mmap_len = e->len;
			p->mmap_flags = e->flags;
		}
		return;
	}
	if (e->ev == DT_EV_MMAP_EXIT || e->ev == DT_EV_MUNMAP_EXIT) {
		struct audit_proc *p;

		a->mmap_events++;
		if (e->ev == DT_EV_MMAP_EXIT)
			mmap_done(a, e);
		/* the mapping set changed: a snapshot, unless one was
		 * taken since */
		p = proc_find(a, e->pid);
		if (!p || p->t_snap < e->ts_ns)
			snapshot_pid(a, e->pid);
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

/* Read what trace_pipe holds now (it does not block): bytes read. */
static size_t drain(struct audit *a, struct reader *r)
{
	size_t total = 0;

	for (;;) {
		ssize_t n = read(r->fd, r->buf + r->len, sizeof(r->buf) - 1 - r->len);
		char *line, *nl;

		uint64_t now = a->mono ? 0 : now_ns();

		if (n <= 0)
			return total;
		total += (size_t)n;
		r->len += (size_t)n;
		r->buf[r->len] = '\0';
		for (line = r->buf; (nl = strchr(line, '\n')); line = nl + 1) {
			struct dt_dax_event e;

			*nl = '\0';
			if (dt_dax_event_parse(line, &e))
				continue;
			if (!a->mono)
				e.ts_ns = now;	/* the trace clock is not ours */
			count_event(a, r, &e);
		}
		r->len -= (size_t)(line - r->buf);
		memmove(r->buf, line, r->len);
		if (r->len == sizeof(r->buf) - 1)
			r->len = 0;	/* a line longer than the buffer */
	}
}

/* --- the run ------------------------------------------------------------- */

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
		if (ret && i >= DT_EV_MMAP_ENTER) {
			/* the mapping events only hasten the snapshots */
			continue;
		} else if (ret) {
			snprintf(err, errlen, "%s/events/%s: cannot switch it "
				 "on: %s", t->dir, s->name, strerror(-ret));
			return -1;
		}
		s->enabled = true;
		a->tracing = true;
	}
	/* event times on the clock of the snapshots (CLOCK_MONOTONIC); and
	 * trace_pipe readable (poll) from the first event on */
	a->mono = !dt_tracefs_write(t, "trace_clock", "mono", false);
	dt_tracefs_write(t, "buffer_percent", "0", false);
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

/* Poll until the command ends (or the process goes, or the time is up):
 * the events as they come, a snapshot of every process every POLL_MS. */
static void watch(struct audit *a, struct dt_tracefs *t, struct reader *r,
		  uint64_t until)
{
	uint64_t next_snap = 0;
	bool idle = false;

	for (;;) {
		struct pollfd pfd = { r->fd, POLLIN, 0 };
		uint64_t now = now_ns();
		int status, ms;

		if (now >= next_snap) {
			snapshot(a, t);
			next_snap = now + POLL_MS * 1000000ull;
		}
		if (r->fd >= 0)
			idle = !drain(a, r) && idle;
		place_pending(a, false);
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
		now = now_ns();
		if (until && now >= until)
			return;
		ms = next_snap > now ? (int)((next_snap - now) / 1000000) + 1 : 1;
		/* a trace_pipe that says readable and gives nothing is not
		 * waited on again until the next snapshot */
		if (r->fd >= 0 && !idle)
			idle = poll(&pfd, 1, ms) > 0;
		else
			poll(NULL, 0, ms);
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
	for (size_t i = 0; i < a.nr_procs; i++)
		free(a.procs[i].vmas);
	free(a.procs);
	free(a.pending);
	return ret;
}
