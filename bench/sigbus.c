// SPDX-License-Identifier: GPL-2.0-only
/*
 * SIGBUS from a touch of the mapping: the runner sets a guard around
 * every workload's touches and turns the signal into an error that names
 * the file and the cause, never a crash. A mapping past the end of its
 * file raises it (the file was truncated under the run), and so does
 * memory the kernel cannot provide (a sparse file on a full filesystem,
 * hugetlb pages run out, a media error).
 */
#include <inttypes.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "daxtool/util.h"
#include "bench.h"

__thread sigjmp_buf *bench_bus_jmp;
__thread volatile uintptr_t bench_bus_addr;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (!bench_bus_jmp) {
		/* not a touch of ours: die of it as usual */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	bench_bus_addr = (uintptr_t)si->si_addr;
	siglongjmp(*bench_bus_jmp, 1);
}

void bench_sigbus_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

void bench_sigbus_report(const struct bench_target *t, uintptr_t addr)
{
	uint64_t off = addr - (uintptr_t)t->map;
	struct stat st;

	if (t->fd >= 0 && fstat(t->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size <= off)
		dt_err("%s: bus error (SIGBUS) at offset %" PRIu64 ": the file "
		       "is now %" PRIu64 " bytes: truncated while the benchmark "
		       "ran", t->path, off, (uint64_t)st.st_size);
	else
		dt_err("%s: bus error (SIGBUS) at offset %" PRIu64 ": the "
		       "memory could not be provided (out of space for a sparse "
		       "file, out of huge pages, or a media error)", t->path[0] ?
		       t->path : bench_kinds[t->kind].name, off);
}
