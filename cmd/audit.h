/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * daxtool audit: what a workload's DAX mappings got. The model, filled by
 * cmd/audit.c (the run: workload, tracepoints, /proc/PID/maps snapshots)
 * and reported by cmd/audit-report.c (windows, fallback reasons, text and
 * JSON).
 */
#ifndef DAXTOOL_AUDIT_H
#define DAXTOOL_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daxtool/daxtrace.h"

struct dt_ctx;

/* A mapping of a file, as a snapshot of maps or a PMD event showed it. */
struct audit_map {
	uint64_t start, end, offset;
	bool shared;
};

/* One 2 MiB window of a file (by file offset), what faults it took. */
struct audit_win {
	uint64_t offset;
	uint64_t pmd, fallback, pte, zero;	/* zero: of pmd, huge zero page */
	uint64_t mkwrite;	/* of pte: write-protect upgrades (MKWRITE) */
	uint64_t user;		/* device-DAX: user page faults in it */
	int fb_map;		/* the mapping of its first fallback, or -1 */
	bool fb_write;		/* that fallback was a write fault */
};

struct audit_file {
	unsigned major, minor;
	uint64_t ino;
	char *path;		/* NULL: none found */
	int kind;		/* AUDIT_FSDAX, AUDIT_DEVDAX, AUDIT_NOT_DAX,
				   AUDIT_UNKNOWN (not classified yet) */
	bool traced;		/* events were seen for it */
	struct audit_map *maps;
	size_t nr_maps, cap_maps;
	struct audit_win *wins;
	size_t nr_wins, cap_wins;
	uint64_t unplaced;	/* events whose file offset is unknown */
	bool chardev;		/* the path is a character device */
	bool deleted;		/* maps said " (deleted)" */
	/* write-back: what the workload's msync/fsync flushed */
	uint64_t wb_calls;		/* dax_writeback_range events */
	uint64_t wb_lo, wb_hi;		/* the span they asked for, bytes */
	uint64_t wb_entries, wb_bytes;	/* dax_writeback_one: flushed */
};
enum { AUDIT_UNKNOWN, AUDIT_FSDAX, AUDIT_DEVDAX, AUDIT_NOT_DAX };

/*
 * A mapping of one process, to place its user page faults by (pid,
 * address): seen in a snapshot of its /proc/PID/maps, or made by an mmap
 * its events showed. Times are CLOCK_MONOTONIC ns, the trace clock's.
 */
struct audit_vma {
	uint64_t start, end, offset;
	size_t file;			/* index in audit.files */
	uint64_t t_first, t_last;	/* seen from, to */
	uint64_t t_gone;		/* a later snapshot lacked it; or ~0 */
	bool born_exact;		/* t_first is its mmap's time */
};

/* A traced process (a thread: the events' common_pid), its mappings. */
struct audit_proc {
	int pid;
	struct audit_vma *vmas;
	size_t nr_vmas, cap_vmas;
	uint64_t t_snap;		/* its last snapshot, 0: none */
	bool mmap_pending;		/* its sys_enter_mmap awaits its exit */
	uint64_t mmap_fd, mmap_off, mmap_len, mmap_flags;
};

/* A user page fault not placed yet. */
struct audit_fault { int pid; uint64_t address, ts; };

struct audit_event_state {
	const char *name;	/* fs_dax/... */
	bool available;		/* the kernel has it */
	int was_on;		/* on in the top-level instance: 1, 0, -1 */
	bool enabled;		/* audit switched it on in its instance */
};

struct audit {
	/* the run */
	const char *const *argv;	/* the command, or NULL (attached) */
	int pid;			/* the command's, or the one attached to */
	int status;			/* wait status; -1: not known */
	bool follow;
	uint64_t duration_ns;
	struct audit_event_state ev[DT_NR_DAX_EV];
	bool tracing;			/* events are being recorded */
	char no_trace[300];		/* why there is no tracing, or "" */
	uint64_t lost;
	uint64_t snapshots;
	uint64_t mmap_events;		/* mmap/munmap calls seen in events */
	bool mono;			/* event times are CLOCK_MONOTONIC */
	struct audit_proc *procs;
	size_t nr_procs, cap_procs;
	/* user page faults not in a mapping known when they were read */
	struct audit_fault *pending;
	uint64_t nr_maps_seen, nr_maps_placed;	/* mappings known: all, and
						   when pending was last placed */
	size_t nr_pending, cap_pending;
	uint64_t user_unplaced;		/* in no device-DAX mapping at all */
	/* what was seen */
	struct audit_file *files;
	size_t nr_files, cap_files;
};

/* The file @major:@minor ino @ino, added if new (path NULL: unknown). */
struct audit_file *audit_file_get(struct audit *a, unsigned major,
				  unsigned minor, uint64_t ino);
/* Add a mapping to @f unless it has it: 1 if added, 0 if not, -errno. */
int audit_add_map(struct audit_file *f, const struct audit_map *m);
/* The window of @f at file offset @off (2 MiB aligned), added if new. */
struct audit_win *audit_win_get(struct audit_file *f, uint64_t off);

/* Classify, analyse and print: the exit status. */
int audit_report(struct audit *a, struct dt_ctx *ctx, bool json, bool human,
		 bool fail_on_fallback);

#endif
