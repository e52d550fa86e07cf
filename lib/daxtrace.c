// SPDX-License-Identifier: GPL-2.0-only
/*
 * DAX trace lines. A line is
 *
 *   COMM-PID [CPU] FLAGS TIMESTAMP: EVENT: dev 259:0 ino 0x83 shared
 *       WRITE|... address 0x7f... vm_start 0x... vm_end 0x... pgoff 0x...
 *       max_pgoff 0x... NOPAGE
 *
 * (the fields differ by event: include/trace/events/fs_dax.h); fields are
 * found by name, and the result is the last word. The write-back events:
 *
 *   ...: dax_writeback_range: dev 259:0 ino 0x1003 pgoff 0x0-0x7ff
 *   ...: dax_writeback_one: dev 259:0 ino 0x1003 pgoff 0x200 pglen 0x1
 *
 * and a user page fault (arch/x86/include/asm/trace/exceptions.h):
 *
 *   ...: page_fault_user: address=0x7fb5d7800000 ip=0x55f7... error_code=0x4
 *
 * where error_code bit 1 is a write. The syscall events (kernel/trace/
 * trace_syscalls.c prints them itself, without the event's name):
 *
 *   ...: sys_mmap(addr: 0, len: 800000, prot: 3, flags: 1, fd: 3, off: 0)
 *   ...: sys_mmap -> 0x7f45e6a00000
 *   ...: sys_munmap -> 0x0
 *
 * (the arguments in hex, with or without 0x as kernels differ).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxtool/daxtrace.h"
#include "daxtool/util.h"

static const struct {
	const char *event;	/* system/name */
	const char *tag;	/* as a trace line shows it */
} evs[DT_NR_DAX_EV] = {
	[DT_EV_PMD_DONE] = { "fs_dax/dax_pmd_fault_done", " dax_pmd_fault_done: " },
	[DT_EV_PTE_DONE] = { "fs_dax/dax_pte_fault_done", " dax_pte_fault_done: " },
	[DT_EV_PMD_HOLE] = { "fs_dax/dax_pmd_load_hole", " dax_pmd_load_hole: " },
	[DT_EV_WB_RANGE] = { "fs_dax/dax_writeback_range", " dax_writeback_range: " },
	[DT_EV_WB_ONE] = { "fs_dax/dax_writeback_one", " dax_writeback_one: " },
	[DT_EV_USER_FAULT] = { "exceptions/page_fault_user", " page_fault_user: " },
	[DT_EV_MMAP_ENTER] = { "syscalls/sys_enter_mmap", " sys_mmap(" },
	[DT_EV_MMAP_EXIT] = { "syscalls/sys_exit_mmap", " sys_mmap -> " },
	[DT_EV_MUNMAP_EXIT] = { "syscalls/sys_exit_munmap", " sys_munmap -> " },
};

const char *dt_dax_ev_name(enum dt_dax_ev ev)
{
	return ev < DT_NR_DAX_EV ? evs[ev].event : "?";
}

/* The number after " NAME " in @s, hex with 0x: true if there is one. */
static bool field(const char *s, const char *name, uint64_t *v)
{
	char key[24];
	const char *p;
	char *end;

	snprintf(key, sizeof(key), " %s ", name);
	p = strstr(s - 1, key);
	if (!p)
		return false;
	*v = strtoull(p + strlen(key), &end, 0);
	return end != p + strlen(key);
}

/* The pid in "COMM-PID [CPU]", the part of the line before @body. */
static int line_pid(const char *line, const char *body)
{
	const char *p = body;

	while (p > line && p[0] != '[')
		p--;
	while (p > line && p[-1] == ' ')
		p--;
	while (p > line && p[-1] >= '0' && p[-1] <= '9')
		p--;
	if (p == line || p[-1] != '-')
		return -1;
	return atoi(p);
}

/* The time stamp before @body, "SECONDS.FRACTION:", in ns; 0 if none. */
static uint64_t line_ts(const char *line, const char *body)
{
	const char *p = body, *dot = NULL;
	uint64_t ns = 0, scale = 1000000000;

	if (p == line || p[-1] != ':')
		return 0;
	p--;
	while (p > line && ((p[-1] >= '0' && p[-1] <= '9') || p[-1] == '.')) {
		p--;
		if (*p == '.')
			dot = p;
	}
	for (; *p >= '0' && *p <= '9'; p++)
		ns = ns * 10 + (uint64_t)(*p - '0');
	ns *= 1000000000;
	if (dot)
		for (p = dot + 1; *p >= '0' && *p <= '9' && scale > 1; p++) {
			scale /= 10;
			ns += (uint64_t)(*p - '0') * scale;
		}
	return ns;
}

/* The hex number after "NAME: " in a syscall's arguments. */
static bool sys_arg(const char *s, const char *name, uint64_t *v)
{
	char key[24];
	const char *p;
	char *end;

	snprintf(key, sizeof(key), "%s: ", name);
	for (p = strstr(s, key); p; p = strstr(p + 1, key))
		if (p[-1] == '(' || p[-1] == ' ')
			break;
	if (!p)
		return false;
	*v = strtoull(p + strlen(key), &end, 16);
	return end != p + strlen(key);
}

/* A user page fault: "address=0x... ip=0x... error_code=0x..." */
static int parse_user_fault(const char *body, struct dt_dax_event *e)
{
	const char *p = strstr(body, " address=");
	unsigned long long code;
	char *end;

	if (!p)
		return -1;
	p += strlen(" address=");
	e->address = strtoull(p, &end, 16);
	if (end == p)
		return -1;
	p = strstr(end, " error_code=");
	if (p && sscanf(p, " error_code=%llx", &code) == 1)
		e->write = code & 2;
	return 0;
}

/* The fault flags, the word before " address ": WRITE|MKWRITE|... */
static void fault_flags(const char *body, struct dt_dax_event *e)
{
	const char *a = strstr(body, " address "), *p = a;
	char word[160], *tok, *save;

	if (!a)
		return;
	while (p > body && p[-1] != ' ')
		p--;
	if ((size_t)(a - p) >= sizeof(word))
		return;
	memcpy(word, p, (size_t)(a - p));
	word[a - p] = '\0';
	for (tok = strtok_r(word, "|", &save); tok;
	     tok = strtok_r(NULL, "|", &save)) {
		if (!strcmp(tok, "WRITE"))
			e->write = true;
		else if (!strcmp(tok, "MKWRITE"))
			e->mkwrite = true;
	}
}

int dt_dax_event_parse(const char *line, struct dt_dax_event *e)
{
	const char *body = NULL, *res;
	uint64_t v;
	int ev;

	if (line[0] == '#')
		return -1;
	for (ev = 0; ev < DT_NR_DAX_EV && !body; ev++)
		body = strstr(line, evs[ev].tag);
	if (!body)
		return -1;
	memset(e, 0, sizeof(*e));
	e->ev = (enum dt_dax_ev)(ev - 1);
	e->pid = line_pid(line, body);
	e->ts_ns = line_ts(line, body);
	body += strlen(evs[e->ev].tag) - 1;	/* at the space before "dev" */
	if (e->ev == DT_EV_USER_FAULT)
		return parse_user_fault(body, e);
	if (e->ev == DT_EV_MMAP_ENTER) {
		/* body is at the "(" */
		return sys_arg(body, "len", &e->len) &&
		       sys_arg(body, "flags", &e->flags) &&
		       sys_arg(body, "fd", &e->fd) &&
		       sys_arg(body, "off", &e->pgoff) ? 0 : -1;
	}
	if (e->ev == DT_EV_MMAP_EXIT || e->ev == DT_EV_MUNMAP_EXIT) {
		char *end;

		e->ret = strtoull(body + 1, &end, 16);
		return end == body + 1 ? -1 : 0;
	}
	if (sscanf(body, " dev %u:%u", &e->major, &e->minor) != 2 ||
	    !field(body + 1, "ino", &e->ino))
		return -1;
	if (e->ev == DT_EV_WB_RANGE) {
		/* "pgoff START-END" */
		const char *p = strstr(body, " pgoff ");
		char *end;

		if (!p)
			return -1;
		p += strlen(" pgoff ");
		e->pgoff = strtoull(p, &end, 0);
		if (end == p || *end != '-')
			return -1;
		p = end + 1;
		e->pgend = strtoull(p, &end, 0);
		if (end == p)
			return -1;
		e->has_pgoff = true;
		return 0;
	}
	if (e->ev == DT_EV_WB_ONE) {
		e->has_pgoff = field(body + 1, "pgoff", &e->pgoff);
		return e->has_pgoff && field(body + 1, "pglen", &e->pglen) ? 0 : -1;
	}
	if (!field(body + 1, "address", &e->address))
		return -1;
	e->shared = strstr(body, " shared ") != NULL;
	fault_flags(body, e);
	if (field(body + 1, "vm_start", &v))
		e->vm_start = v;
	if (field(body + 1, "vm_end", &v))
		e->vm_end = v;
	e->has_pgoff = field(body + 1, "pgoff", &e->pgoff);
	/* the result flags are the last word: NOPAGE, FALLBACK, or e.g.
	 * SIGBUS; a fault may carry several, "|"-separated */
	res = strrchr(body, ' ');
	res = res ? res + 1 : body;
	e->result = strstr(res, "FALLBACK") ? DT_RES_FALLBACK :
		    strstr(res, "NOPAGE") ? DT_RES_NOPAGE : DT_RES_OTHER;
	return 0;
}
