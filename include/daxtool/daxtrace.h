/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's DAX events, as a tracefs trace line shows them:
 * fs_dax/dax_pmd_fault_done (a PMD fault's result: NOPAGE when a 2 MiB
 * entry was installed, FALLBACK when it fell back to 4 KiB),
 * fs_dax/dax_pte_fault_done (a 4 KiB fault; MKWRITE among its flags is a
 * write-protect upgrade, pfn_mkwrite), fs_dax/dax_pmd_load_hole (a read of
 * a hole mapped with the huge zero page; its PMD fault is NOPAGE too),
 * fs_dax/dax_writeback_range (an msync/fsync asked to write back pages
 * START-END of a file) with fs_dax/dax_writeback_one (one dirty entry of
 * PGLEN pages flushed), and, where there is one (x86),
 * exceptions/page_fault_user: a user page fault at an address, the only
 * event that sees device-DAX faults (device-DAX has no events of its own).
 *
 * And the mapping changes, where the kernel has syscall events:
 * syscalls/sys_enter_mmap (the file descriptor, offset, length and
 * flags asked for), syscalls/sys_exit_mmap (the address it got, or
 * -errno) and syscalls/sys_exit_munmap. Each event carries its time
 * (the trace clock's, seconds as the line shows them, in ns).
 */
#ifndef DAXTOOL_DAXTRACE_H
#define DAXTOOL_DAXTRACE_H

#include <stdbool.h>
#include <stdint.h>

enum dt_dax_ev {
	DT_EV_PMD_DONE,		/* fs_dax/dax_pmd_fault_done */
	DT_EV_PTE_DONE,		/* fs_dax/dax_pte_fault_done */
	DT_EV_PMD_HOLE,		/* fs_dax/dax_pmd_load_hole */
	DT_EV_WB_RANGE,		/* fs_dax/dax_writeback_range */
	DT_EV_WB_ONE,		/* fs_dax/dax_writeback_one */
	DT_EV_USER_FAULT,	/* exceptions/page_fault_user */
	DT_EV_MMAP_ENTER,	/* syscalls/sys_enter_mmap */
	DT_EV_MMAP_EXIT,	/* syscalls/sys_exit_mmap */
	DT_EV_MUNMAP_EXIT,	/* syscalls/sys_exit_munmap */
	DT_NR_DAX_EV
};

enum dt_dax_result { DT_RES_NOPAGE, DT_RES_FALLBACK, DT_RES_OTHER };

struct dt_dax_event {
	enum dt_dax_ev ev;
	int pid;			/* the thread (common_pid) */
	uint64_t ts_ns;			/* the event's time stamp */
	unsigned major, minor;		/* the filesystem's device (fs_dax) */
	uint64_t ino;
	uint64_t address;		/* the faulting address */
	uint64_t vm_start, vm_end;	/* the VMA (PMD faults only, else 0) */
	uint64_t pgoff;			/* the address's page in the file;
					   writeback: the first page */
	bool has_pgoff;			/* not for dax_pmd_load_hole */
	uint64_t pgend;			/* writeback_range: the last page */
	uint64_t pglen;			/* writeback_one: pages flushed */
	uint64_t fd, len, flags;	/* sys_enter_mmap: fd, len, flags;
					   its off is in pgoff, in bytes */
	uint64_t ret;			/* sys_exit_*: the return value */
	bool shared, write, mkwrite;
	enum dt_dax_result result;	/* the *_done events */
};

/* "fs_dax/dax_pmd_fault_done", ... */
const char *dt_dax_ev_name(enum dt_dax_ev ev);
/* Parse one line of a trace file: 0, or -1 if it is no such event. */
int dt_dax_event_parse(const char *line, struct dt_dax_event *e);

#endif
