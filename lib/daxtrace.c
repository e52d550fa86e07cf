// SPDX-License-Identifier: GPL-2.0-only
/*
 * fs_dax trace lines. A line is
 *
 *   COMM-PID [CPU] FLAGS TIMESTAMP: EVENT: dev 259:0 ino 0x83 shared
 *       WRITE|... address 0x7f... vm_start 0x... vm_end 0x... pgoff 0x...
 *       max_pgoff 0x... NOPAGE
 *
 * (the fields differ by event: include/trace/events/fs_dax.h); fields are
 * found by name, and the result is the last word.
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
	body += strlen(evs[e->ev].tag) - 1;	/* at the space before "dev" */
	if (sscanf(body, " dev %u:%u", &e->major, &e->minor) != 2 ||
	    !field(body + 1, "ino", &e->ino) ||
	    !field(body + 1, "address", &e->address))
		return -1;
	e->shared = strstr(body, " shared ") != NULL;
	e->write = strstr(body, "WRITE") != NULL;
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
