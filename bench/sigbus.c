// SPDX-License-Identifier: GPL-2.0-only
/*
 * SIGBUS from a touch of a mapping whose file shrank: the workloads set
 * a guard around their touch loops and turn the signal into an error
 * that names the file, never a crash.
 */
#include <signal.h>
#include <string.h>

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
