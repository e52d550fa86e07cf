// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DAX trace line parser against lines the test VM's kernel (Debian
 * 6.1.0-57-amd64, xfs -o dax on /dev/pmem1, device-DAX /dev/dax0.0)
 * wrote in its trace files, copied as they were: fs_dax faults, huge
 * zero page loads, write-back, user page faults; and lines that are no
 * such event.
 */
#include <inttypes.h>
#include <string.h>

#include "daxtool/daxtrace.h"
#include "tap.h"

/* fields of a parsed event, in test order; ~0 where not checked */
struct want {
	const char *line;
	enum dt_dax_ev ev;
	int pid;
	uint64_t ino, address, vm_start, vm_end, pgoff, pgend, pglen;
	bool has_pgoff, shared, write, mkwrite;
	enum dt_dax_result result;
};

static const struct want good[] = {
	/* a PMD write fault that fell back (mapping 64 KiB off 2 MiB) */
	{ "         dtprobe-208     [000] .....     8.387137: dax_pmd_fault_done: dev 259:0 ino 0x1003 shared WRITE|ALLOW_RETRY|KILLABLE|USER|INTERRUPTIBLE address 0x7fe29b610000 vm_start 0x7fe29b610000 vm_end 0x7fe29be10000 pgoff 0x0 max_pgoff 0x800 FALLBACK",
	  DT_EV_PMD_DONE, 208, 0x1003, 0x7fe29b610000, 0x7fe29b610000, 0x7fe29be10000, 0, 0, 0,
	  true, true, true, false, DT_RES_FALLBACK },
	/* a PMD installed */
	{ "         dtprobe-189     [001] .....    12.253773: dax_pmd_fault_done: dev 259:0 ino 0x1003 shared WRITE|ALLOW_RETRY|KILLABLE|USER|INTERRUPTIBLE address 0x7fdfcee00000 vm_start 0x7fdfcee00000 vm_end 0x7fdfcf600000 pgoff 0x0 max_pgoff 0x800 NOPAGE",
	  DT_EV_PMD_DONE, 189, 0x1003, 0x7fdfcee00000, 0x7fdfcee00000, 0x7fdfcf600000, 0, 0, 0,
	  true, true, true, false, DT_RES_NOPAGE },
	/* a 4 KiB fault; its flags end in a number (FAULT_FLAG_ORIG_PTE_VALID) */
	{ "         dtprobe-208     [000] .....     8.400865: dax_pte_fault_done: dev 259:0 ino 0x1003 shared WRITE|ALLOW_RETRY|KILLABLE|USER|INTERRUPTIBLE|0x800 address 0x7fe29b611000 pgoff 0x1 NOPAGE",
	  DT_EV_PTE_DONE, 208, 0x1003, 0x7fe29b611000, 0, 0, 1, 0, 0,
	  true, true, true, false, DT_RES_NOPAGE },
	/* a read through a MAP_SHARED mapping of a file opened read-only:
	 * no VM_SHARED, "private" */
	{ "         dtprobe-210     [001] .....     8.632030: dax_pte_fault_done: dev 259:0 ino 0x1003 private ALLOW_RETRY|KILLABLE|USER|INTERRUPTIBLE address 0x7f7942400000 pgoff 0x0 NOPAGE",
	  DT_EV_PTE_DONE, 210, 0x1003, 0x7f7942400000, 0, 0, 0, 0, 0,
	  true, false, false, false, DT_RES_NOPAGE },
	/* a read of a hole: the huge zero page, then its PMD fault NOPAGE */
	{ "         dtprobe-239     [001] .....    26.871379: dax_pmd_load_hole: dev 259:0 ino 0x1005 private address 0x7f69b4000000 zero_page 00000000fd62e72e radix_entry 0x213000d",
	  DT_EV_PMD_HOLE, 239, 0x1005, 0x7f69b4000000, 0, 0, 0, 0, 0,
	  false, false, false, false, DT_RES_OTHER },
	{ "         dtprobe-239     [001] .N...    26.877246: dax_pmd_fault_done: dev 259:0 ino 0x1005 private ALLOW_RETRY|KILLABLE|USER|INTERRUPTIBLE address 0x7f69b4200000 vm_start 0x7f69b4000000 vm_end 0x7f69b4800000 pgoff 0x200 max_pgoff 0x800 NOPAGE",
	  DT_EV_PMD_DONE, 239, 0x1005, 0x7f69b4200000, 0x7f69b4000000, 0x7f69b4800000, 0x200, 0, 0,
	  true, false, false, false, DT_RES_NOPAGE },
	/* msync of an 8 MiB mapping: the range, then each dirty entry */
	{ "         dtprobe-208     [000] .....     8.409307: dax_writeback_range: dev 259:0 ino 0x1003 pgoff 0x0-0x7ff",
	  DT_EV_WB_RANGE, 208, 0x1003, 0, 0, 0, 0, 0x7ff, 0,
	  true, false, false, false, DT_RES_NOPAGE },
	{ "         dtprobe-208     [000] d..1.     8.412074: dax_writeback_one: dev 259:0 ino 0x1003 pgoff 0x200 pglen 0x1",
	  DT_EV_WB_ONE, 208, 0x1003, 0, 0, 0, 0x200, 0, 1,
	  true, false, false, false, DT_RES_NOPAGE },
	{ "         dtprobe-269     [000] d..1.    32.270943: dax_writeback_one: dev 259:0 ino 0x1007 pgoff 0x200 pglen 0x200",
	  DT_EV_WB_ONE, 269, 0x1007, 0, 0, 0, 0x200, 0, 0x200,
	  true, false, false, false, DT_RES_NOPAGE },
	/* user page faults: a read of device-DAX, a write, an instruction
	 * fetch */
	{ "         dtprobe-225     [001] d....     9.718377: page_fault_user: address=0x7fb5d7800000 ip=0x55f733f9ae90 error_code=0x4",
	  DT_EV_USER_FAULT, 225, 0, 0x7fb5d7800000, 0, 0, 0, 0, 0,
	  false, false, false, false, DT_RES_NOPAGE },
	{ "              sh-138     [000] d....     7.907359: page_fault_user: address=0x7ffe67d390c8 ip=0x460c48 error_code=0x7",
	  DT_EV_USER_FAULT, 138, 0, 0x7ffe67d390c8, 0, 0, 0, 0, 0,
	  false, false, true, false, DT_RES_NOPAGE },
	{ "         dtprobe-206     [000] d....     7.908187: page_fault_user: address=0x4610d3 ip=0x4610d3 error_code=0x14",
	  DT_EV_USER_FAULT, 206, 0, 0x4610d3, 0, 0, 0, 0, 0,
	  false, false, false, false, DT_RES_NOPAGE },
	/* a write-protect upgrade: the line above with MKWRITE among the
	 * flags, as the 6.1 format's __print_flags spells it */
	{ "         dtprobe-208     [000] .....     8.400865: dax_pte_fault_done: dev 259:0 ino 0x1003 shared WRITE|MKWRITE|ALLOW_RETRY|KILLABLE|USER|INTERRUPTIBLE address 0x7fe29b611000 pgoff 0x1 NOPAGE",
	  DT_EV_PTE_DONE, 208, 0x1003, 0x7fe29b611000, 0, 0, 1, 0, 0,
	  true, true, true, true, DT_RES_NOPAGE },
	/* the mapping events: the arguments in hex without 0x */
	{ "         dtprobe-231     [000] .....    10.250001: sys_mmap(addr: 7f0a1c000000, len: 800000, prot: 3, flags: 11, fd: 3, off: 200000)",
	  DT_EV_MMAP_ENTER, 231, 0, 0, 0, 0, 0x200000, 0, 0,
	  false, false, false, false, DT_RES_NOPAGE },
	{ "         dtprobe-231     [000] .....    10.250042: sys_mmap -> 0x7f0a1c000000",
	  DT_EV_MMAP_EXIT, 231, 0, 0, 0, 0, 0, 0, 0,
	  false, false, false, false, DT_RES_NOPAGE },
	{ "         dtprobe-231     [000] .....    10.260001: sys_munmap -> 0x0",
	  DT_EV_MUNMAP_EXIT, 231, 0, 0, 0, 0, 0, 0, 0,
	  false, false, false, false, DT_RES_NOPAGE },
	/* a command with a dash and spaces in its name */
	{ " my-db worker-4242     [001] .....    12.253773: dax_pmd_fault_done: dev 259:0 ino 0x1003 shared WRITE|ALLOW_RETRY|KILLABLE|USER|INTERRUPTIBLE address 0x7fdfcee00000 vm_start 0x7fdfcee00000 vm_end 0x7fdfcf600000 pgoff 0x0 max_pgoff 0x800 SIGBUS",
	  DT_EV_PMD_DONE, 4242, 0x1003, 0x7fdfcee00000, 0x7fdfcee00000, 0x7fdfcf600000, 0, 0, 0,
	  true, true, true, false, DT_RES_OTHER },
};

/* the first of the mapping events in good[] */
#define NR_GOOD_MMAP 13

static const char *const bad[] = {
	"# tracer: nop",
	"#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION",
	/* a fault's start, not its result */
	"         dtprobe-208     [000] .....     8.386228: dax_pmd_fault: dev 259:0 ino 0x1003 shared WRITE|ALLOW_RETRY|KILLABLE|USER|INTERRUPTIBLE address 0x7fe29b610000 vm_start 0x7fe29b610000 vm_end 0x7fe29be10000 pgoff 0x0 max_pgoff 0x800 ",
	"         dtprobe-208     [000] .....     8.387702: dax_pte_fault: dev 259:0 ino 0x1003 shared WRITE|ALLOW_RETRY|KILLABLE|USER|INTERRUPTIBLE address 0x7fe29b610000 pgoff 0x0 ",
	"         dtprobe-208     [000] .....     8.412122: dax_writeback_range_done: dev 259:0 ino 0x1003 pgoff 0x1000-0x7ff",
	"         dtprobe-225     [001] d....     9.715680: page_fault_kernel: address=0x55f74a8fa2a8 ip=0x7fb5d80f8109 error_code=0x6",
	/* cut short */
	"         dtprobe-208     [000] .....     8.409307: dax_writeback_range: dev 259:0 ino 0x1003 pgoff 0x0",
	"         dtprobe-208     [000] d..1.     8.412074: dax_writeback_one: dev 259:0 ino 0x1003 pgoff 0x200",
	"         dtprobe-208     [000] .....     8.387137: dax_pmd_fault_done: dev 259:0",
	"         dtprobe-225     [001] d....     9.718377: page_fault_user: ip=0x55f733f9ae90",
	"         dtprobe-231     [000] .....    10.250001: sys_mmap(addr: 7f0a1c000000, len: 800000)",
	"         dtprobe-231     [000] .....    10.250042: sys_mmap -> ",
	"",
};

int main(void)
{
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const struct want *w = &good[i];
		struct dt_dax_event e;
		bool fs = w->ev < DT_EV_USER_FAULT;
		bool fault = w->ev == DT_EV_PMD_DONE || w->ev == DT_EV_PTE_DONE;

		CHECK(dt_dax_event_parse(w->line, &e) == 0 && e.ev == w->ev &&
		      e.pid == w->pid && (!fs || (e.major == 259 && e.minor == 0 &&
		      e.ino == w->ino)) && e.address == w->address &&
		      e.vm_start == w->vm_start && e.vm_end == w->vm_end &&
		      e.has_pgoff == w->has_pgoff && e.pgoff == w->pgoff &&
		      e.pgend == w->pgend && e.pglen == w->pglen &&
		      e.shared == w->shared && e.write == w->write &&
		      e.mkwrite == w->mkwrite && (!fault || e.result == w->result),
		      "trace line %zu: %s of pid %d", i, dt_dax_ev_name(w->ev),
		      w->pid);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dt_dax_event e;

		CHECK(dt_dax_event_parse(bad[i], &e) == -1,
		      "trace line %zu is none of audit's events", i);
	}
	{
		struct dt_dax_event e;

		CHECK(dt_dax_event_parse(good[0].line, &e) == 0 &&
		      e.ts_ns == 8387137000ull,
		      "the time stamp, in ns: %" PRIu64, e.ts_ns);
		CHECK(dt_dax_event_parse("            sh-90      [001] ..... 123.000000042: sys_mmap(addr: 0, len: 1000, prot: 1, flags: 2, fd: ffffffffffffffff, off: 0)", &e) == 0 &&
		      e.ev == DT_EV_MMAP_ENTER && e.ts_ns == 123000000042ull &&
		      e.len == 0x1000 && e.flags == 2 && e.fd == UINT64_MAX &&
		      e.pgoff == 0, "sys_enter_mmap: an anonymous mapping, a ns clock");
		CHECK(dt_dax_event_parse(good[NR_GOOD_MMAP].line, &e) == 0 &&
		      e.len == 0x800000 && e.flags == 0x11 && e.fd == 3,
		      "sys_enter_mmap: length, flags, descriptor");
		CHECK(dt_dax_event_parse(good[NR_GOOD_MMAP + 1].line, &e) == 0 &&
		      e.ret == 0x7f0a1c000000ull, "sys_exit_mmap: the address");
		CHECK(dt_dax_event_parse("         dtprobe-231     [000] .....    10.250042: sys_mmap -> 0xfffffffffffffff4", &e) == 0 &&
		      e.ret == (uint64_t)-12, "sys_exit_mmap: -ENOMEM");
	}
	CHECK(!strcmp(dt_dax_ev_name(DT_EV_WB_ONE), "fs_dax/dax_writeback_one") &&
	      !strcmp(dt_dax_ev_name(DT_EV_USER_FAULT), "exceptions/page_fault_user") &&
	      !strcmp(dt_dax_ev_name(DT_EV_MUNMAP_EXIT), "syscalls/sys_exit_munmap") &&
	      !strcmp(dt_dax_ev_name(DT_NR_DAX_EV), "?"),
	      "event names as tracefs has them");
	TAP_EXIT();
}
