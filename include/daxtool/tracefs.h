/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tracefs instance of daxtool's own (instances/NAME): its own ring
 * buffer, events and filters, so the global trace buffer and whatever
 * another tool traces stay as they were. Events are switched on in the
 * instance only and off again at close; the instance is removed.
 *
 * Switching on an event whose tracepoint is off everywhere patches
 * kernel text (a static key); one already on elsewhere (the top-level
 * instance, e.g. trace_event= on the kernel command line) only gains a
 * probe. dt_tracefs_event_on() says which, before enabling.
 */
#ifndef DAXTOOL_TRACEFS_H
#define DAXTOOL_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DT_TRACEFS_MAX_ON 16

struct dt_tracefs {
	char root[64];			/* /sys/kernel/tracing */
	char dir[256];			/* root/instances/NAME */
	unsigned nr_on;
	char on[DT_TRACEFS_MAX_ON][64];	/* events this instance switched on */
};

/* The tracefs mount: 0, or -1 with @err saying what is missing. */
int dt_tracefs_root(char *root, size_t len, char *err, size_t errlen);
/* Make instances/@name, tracing off: 0, or -1 with @err (what, where). */
int dt_tracefs_open(struct dt_tracefs *t, const char *name, char *err,
		    size_t errlen);
/* Write @text to the instance's @file (@trunc: O_TRUNC): 0 or -errno. */
int dt_tracefs_write(const struct dt_tracefs *t, const char *file,
		     const char *text, bool trunc);
/* Does the kernel have @event ("fs_dax/dax_pmd_fault_done")? */
bool dt_tracefs_has_event(const struct dt_tracefs *t, const char *event);
/* Is @event on in the top-level instance: 1, 0, or -1 if unknown. */
int dt_tracefs_event_on(const struct dt_tracefs *t, const char *event);
/* Set @event's filter (NULL: none) in the instance and switch it on. */
int dt_tracefs_enable(struct dt_tracefs *t, const char *event,
		      const char *filter);
/* Events the ring buffer lost: overruns and drops, all CPUs. */
uint64_t dt_tracefs_lost(const struct dt_tracefs *t);
/* Switch off what open and enable switched on, remove the instance. */
void dt_tracefs_close(struct dt_tracefs *t);

#endif
