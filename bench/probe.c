// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the kernel says about a mapping after the fact: fault counters
 * (getrusage, per thread), /proc/vmstat, and /proc/self/smaps where its
 * fields are reliable. smaps is not the primary check (that is the second
 * touch in fault.c, which works on every target); it is the cross-check:
 *
 *   anonymous memory   AnonHugePages (writes: reads map the huge zero
 *                      page, which it does not count)
 *   tmpfs              ShmemPmdMapped
 *   page cache         FilePmdMapped
 *   hugetlb, devdax    KernelPageSize, the page size of the whole VMA
 *   fsdax              nothing: FilePmdMapped is always 0 for DAX
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench.h"

uint64_t bench_thread_faults(uint64_t *major)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru) < 0)
		return 0;
	if (major)
		*major = (uint64_t)ru.ru_majflt;
	/* a fault that allocates DAX blocks counts as major: count both */
	return (uint64_t)ru.ru_minflt + (uint64_t)ru.ru_majflt;
}

int64_t bench_vmstat(const char *name)
{
	FILE *f = fopen("/proc/vmstat", "re");
	char key[64];
	long long v;
	int64_t ret = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", key, &v) == 2) {
		if (!strcmp(key, name)) {
			ret = v;
			break;
		}
	}
	fclose(f);
	return ret;
}

static bool is_header(const char *line)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strspn(line, hex);

	if (!n || line[n] != '-')
		return false;
	line += n + 1;
	n = strspn(line, hex);
	return n && line[n] == ' ';
}

void bench_smaps(const struct bench_target *t, enum bench_access access,
		 struct bench_smaps *s)
{
	const struct bench_kind_info *ki = &bench_kinds[t->kind];
	const char *field = ki->smaps_field;
	uintptr_t lo = (uintptr_t)t->map, hi = lo + t->map_len;
	uint64_t kb = 0, kernel_page_kb = 0;
	bool inside = false, found = false;
	char line[512];
	FILE *f;

	memset(s, 0, sizeof(*s));
	if (!field) {
		s->why = "FilePmdMapped is always 0 for filesystem DAX";
		return;
	}
	if (t->kind == BENCH_ANON && access == BENCH_READ) {
		s->why = "reads of anonymous memory map the huge zero page, "
			 "which AnonHugePages does not count";
		return;
	}
	f = fopen("/proc/self/smaps", "re");
	if (!f) {
		s->why = "cannot read /proc/self/smaps";
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b;
		char name[64];
		unsigned long long v;

		/* a VMA header, "start-end perms ...": the mapping may have
		 * been split into several VMAs */
		if (is_header(line)) {
			sscanf(line, "%lx-%lx", &a, &b);
			inside = a >= lo && b <= hi;
			continue;
		}
		if (!inside || sscanf(line, "%63[^:]: %llu kB", name, &v) != 2)
			continue;
		if (!strcmp(name, field)) {
			kb += v;
			found = true;
		}
		if (!strcmp(name, "KernelPageSize"))
			kernel_page_kb = v;
	}
	fclose(f);
	if (!found) {
		s->why = "the field is missing from /proc/self/smaps";
		return;
	}
	s->field = field;
	s->kb = kb;
	if (ki->smaps_per_vma)
		/* a property of the VMA: all of it or none */
		s->ratio = kernel_page_kb * 1024 >= BENCH_2M ? 1.0 : 0.0;
	else
		s->ratio = t->map_len ? (double)(kb * 1024) / (double)t->map_len : 0;
}
