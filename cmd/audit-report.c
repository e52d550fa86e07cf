// SPDX-License-Identifier: GPL-2.0-only
/*
 * daxtool audit's report: which of the files the workload mapped are DAX
 * (the one target model), the faults per 2 MiB window as the kernel
 * counted them, the PMD analyser's reason for each window that fell back
 * (as check --vaddr ADDR --offset OFF FILE gives it, for the mapping of
 * the window's first fallback), and for device-DAX, which has no
 * tracepoints, what the device's and the mapping's alignment decide,
 * labelled predicted.
 */
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "daxtool/pmd.h"
#include "daxtool/print.h"
#include "daxtool/target.h"
#include "daxtool/topology.h"
#include "daxtool/util.h"
#include "audit.h"

/* What a window got, for the report. */
struct verdict {
	uint64_t page_size;	/* 4096, 2 MiB, 1 GiB; 0 unknown */
	uint32_t reasons;	/* the analyser's, for a fallback */
	int status;		/* the analyser's, -1 not analysed */
};

/* --- a path for an inode seen only in events ----------------------------- */

static dev_t want_dev;
static ino_t want_ino;
static char *found;
static unsigned long walked;

static int find_fn(const char *path, const struct stat *st, int type,
		   struct FTW *ftw)
{
	(void)type; (void)ftw;
	if (++walked > 200000)
		return 1;	/* bounded: give up */
	if (st->st_ino == want_ino && st->st_dev == want_dev) {
		found = strdup(path);
		return 1;
	}
	return 0;
}

static char *path_by_inode(struct dt_ctx *ctx, struct audit_file *f)
{
	const struct dt_topology *topo = dt_ctx_topology(ctx);

	found = NULL;
	if (!topo)
		return NULL;
	want_dev = makedev(f->major, f->minor);
	want_ino = (ino_t)f->ino;
	for (size_t i = 0; i < topo->nr_mounts && !found; i++) {
		if (topo->mounts[i].major != f->major ||
		    topo->mounts[i].minor != f->minor)
			continue;
		walked = 0;
		nftw(topo->mounts[i].path, find_fn, 16, FTW_PHYS | FTW_MOUNT);
	}
	return found;
}

/* --- analysis ------------------------------------------------------------ */

struct lookup {
	const struct audit_file *f;
	int map;		/* the mapping analysed */
	uint64_t lo, hi;	/* device-DAX: the mapping's windows */
	struct verdict *v;	/* one per window of f, or per predicted one */
	/* device-DAX: windows predicted, by page size and reason */
	uint64_t by_size[3], by_reason[DT_NR_REASONS], refused;
};

static int size_index(uint64_t ps)
{
	return ps == 4096 ? 0 : ps == DT_PMD_SIZE ? 1 : 2;
}

static int fsdax_fn(const struct dt_pmd_window *w, void *arg)
{
	struct lookup *l = arg;
	uint64_t end = w->offset + w->count * DT_PMD_SIZE;

	for (size_t i = 0; i < l->f->nr_wins; i++) {
		const struct audit_win *aw = &l->f->wins[i];

		if (aw->fb_map == l->map && aw->offset >= w->offset &&
		    aw->offset < end) {
			l->v[i].reasons = w->reasons;
			l->v[i].status = (int)w->status;
		}
	}
	return 0;
}

static int devdax_fn(const struct dt_pmd_window *w, void *arg)
{
	struct lookup *l = arg;
	uint64_t lo = w->offset > l->lo ? w->offset : l->lo;
	uint64_t end = w->offset + w->count * DT_PMD_SIZE;
	uint64_t hi = end < l->hi ? end : l->hi, n;

	if (lo >= hi)
		return 0;
	n = (hi - lo + DT_PMD_SIZE - 1) / DT_PMD_SIZE;
	if (w->page_size)
		l->by_size[size_index(w->page_size)] += n;
	else
		l->refused += n;
	for (int r = 0; r < DT_NR_REASONS; r++)
		if (w->reasons & (1u << r))
			l->by_reason[r] += n;
	return 0;
}

static void set_params(struct dt_target *t, const struct audit_map *m,
		       bool write)
{
	t->params.dax = t->ds.on;
	t->params.write = write;
	t->params.private_map = !m->shared;
	t->params.vaddr_delta = (m->start - m->offset) & (DT_PUD_SIZE - 1);
	t->params.map_offset = m->offset;
}

/* --- printing ------------------------------------------------------------ */

static void print_maps(const struct audit_file *f)
{
	dt_print_begin_array("mappings");
	for (size_t i = 0; i < f->nr_maps; i++) {
		const struct audit_map *m = &f->maps[i];

		dt_print_begin_row(NULL);
		dt_print_addr(DT_ANY, "start", "  mapping %s", m->start);
		dt_print_addr(DT_ANY, "end", "-%s", m->end);
		dt_print_size(DT_ANY, "offset", " offset %s", m->offset);
		dt_print_size(DT_ANY, "size", " size %s", m->end - m->start);
		dt_print_bool(DT_JSON, "shared", NULL, m->shared);
		dt_print_text(m->shared ? " shared\n" : " private\n");
		dt_print_end_object();
	}
	dt_print_end_array();
}

static void print_reasons(uint32_t reasons)
{
	unsigned n = 0;

	dt_print_begin_inline_array("reasons");
	for (int r = 0; r < DT_NR_REASONS; r++)
		if (reasons & (1u << r))
			dt_print_str(DT_ANY, NULL, n++ ? ",%s" : " %s",
				     dt_reason_name(r));
	dt_print_end_array();
}

/* An fsdax file: the kernel's counts, window by window. */
/* Without tracing the fault counts are not known: null, "unknown". */
static void print_count(bool known, const char *key, const char *fmt,
			uint64_t v)
{
	if (known)
		dt_print_u64(DT_ANY, key, fmt, v);
	else
		dt_print_null(DT_ANY, key, fmt, "unknown");
}

/* What the workload's msync/fsync flushed of the file. */
static void print_writeback(const struct audit_file *f, bool known)
{
	if (!known) {
		dt_print_null(DT_JSON, "writeback", NULL, NULL);
		return;
	}
	dt_print_begin_object("writeback");
	dt_print_u64(DT_JSON, "calls", NULL, f->wb_calls);
	dt_print_size(f->wb_calls ? DT_ANY : DT_JSON, "bytes",
		      "  write-back: %s flushed", f->wb_bytes);
	dt_print_u64(f->wb_calls ? DT_ANY : DT_JSON, "entries",
		     " (%" PRIu64 " entries)", f->wb_entries);
	if (f->wb_calls) {
		dt_print_u64(DT_TEXT, NULL, " by %" PRIu64 " msync/fsync",
			     f->wb_calls);
		dt_print_addr(DT_ANY, "range_start", ", asked for %s", f->wb_lo);
		dt_print_addr(DT_ANY, "range_end", "-%s\n", f->wb_hi);
	} else {
		dt_print_null(DT_JSON, "range_start", NULL, NULL);
		dt_print_null(DT_JSON, "range_end", NULL, NULL);
	}
	dt_print_end_object();
}

static uint64_t print_fsdax(struct dt_ctx *ctx, const struct audit_file *f,
			    bool known)
{
	struct verdict *v = calloc(f->nr_wins ? f->nr_wins : 1, sizeof(*v));
	uint64_t tot[5] = { 0 }, by_size[3] = { 0 }, by_reason[DT_NR_REASONS] = { 0 };
	uint64_t fb_wins = 0, unknown = 0;
	struct dt_target t;
	char err[512];
	bool open_ok;

	if (!v)
		return 0;
	for (size_t i = 0; i < f->nr_wins; i++)
		v[i].status = -1;
	/* the analyser, once per mapping that had a fallback */
	open_ok = f->path && !dt_target_open(&t, ctx, f->path, 0, err, sizeof(err)) &&
		  !dt_target_source(&t, DT_SRC_AUTO, false, err, sizeof(err));
	for (size_t m = 0; open_ok && m < f->nr_maps; m++) {
		struct lookup l = { .f = f, .map = (int)m, .v = v };
		bool write = false, any = false;

		for (size_t i = 0; i < f->nr_wins; i++)
			if (f->wins[i].fb_map == (int)m) {
				any = true;
				write |= f->wins[i].fb_write;
			}
		if (!any)
			continue;
		set_params(&t, &f->maps[m], write);
		dt_pmd_analyse(&t.src, &t.params, fsdax_fn, &l);
	}
	if (f->path)
		dt_target_close(&t);

	dt_print_begin_array("windows");
	for (size_t i = 0; i < f->nr_wins; i++) {
		const struct audit_win *w = &f->wins[i];

		tot[0] += w->pmd; tot[1] += w->fallback;
		tot[2] += w->pte; tot[3] += w->zero; tot[4] += w->mkwrite;
		v[i].page_size = w->fallback || w->pte ? 4096 :
				 w->pmd ? DT_PMD_SIZE : 0;
		if (v[i].page_size)
			by_size[size_index(v[i].page_size)]++;
		if (!w->fallback)
			continue;
		fb_wins++;
		if (v[i].status < 0 || !v[i].reasons)
			unknown++;
		for (int r = 0; r < DT_NR_REASONS; r++)
			if (v[i].reasons & (1u << r))
				by_reason[r]++;
	}
	for (size_t i = 0; i < f->nr_wins; i++) {
		const struct audit_win *w = &f->wins[i];

		dt_print_begin_row(NULL);
		dt_print_addr(DT_ANY, "offset", "    %-12s", w->offset);
		dt_print_size(DT_JSON, "size", NULL, DT_PMD_SIZE);
		dt_print_u64(DT_ANY, "pmd", " pmd %-4" PRIu64, w->pmd);
		dt_print_u64(DT_ANY, "fallback", " fallback %-4" PRIu64, w->fallback);
		dt_print_u64(DT_ANY, "pte", " pte %-5" PRIu64, w->pte);
		dt_print_u64(DT_ANY, "zero_pmd", " zero %-4" PRIu64, w->zero);
		dt_print_u64(w->mkwrite ? DT_ANY : DT_JSON, "mkwrite",
			     " mkwrite %-4" PRIu64, w->mkwrite);
		dt_print_null(DT_JSON, "user_faults", NULL, NULL);
		dt_print_size_opt(DT_JSON, "page_size", NULL, v[i].page_size, NULL);
		dt_print_bool(DT_JSON, "predicted", NULL, false);
		print_reasons(w->fallback ? v[i].reasons : 0);
		if (w->fallback && !v[i].reasons)
			dt_print_text(v[i].status < 0 ? " (reason unknown: "
				      "not analysed)" : " (reason unknown: "
				      "check predicts a 2 MiB page now)");
		dt_print_end_row();
	}
	dt_print_end_array();

	dt_print_begin_object("faults");
	print_count(known, "pmd", "  faults: %" PRIu64 " PMD", tot[0]);
	print_count(known, "zero_pmd", " (%" PRIu64 " of them the huge zero "
		    "page)", tot[3]);
	print_count(known, "fallback", ", %" PRIu64 " PMD fell back", tot[1]);
	print_count(known, "pte", ", %" PRIu64 " PTE (4 KiB)", tot[2]);
	print_count(known, "mkwrite", " (%" PRIu64 " write-protect upgrades)",
		    tot[4]);
	dt_print_null(DT_JSON, "user_faults", NULL, NULL);
	dt_print_u64(f->unplaced ? DT_ANY : DT_JSON, "unplaced",
		     ", %" PRIu64 " not placed in a window", f->unplaced);
	dt_print_end_row();
	print_writeback(f, known);
	dt_print_begin_object("windows_by_page_size");
	dt_print_text("  windows by page size:");
	print_count(known, "4096", " 4 KiB %" PRIu64, by_size[0]);
	print_count(known, "2097152", ", 2 MiB %" PRIu64, by_size[1]);
	if (known)
		dt_print_u64(DT_JSON, "1073741824", NULL, by_size[2]);
	else
		dt_print_null(DT_JSON, "1073741824", NULL, NULL);
	dt_print_end_row();
	dt_print_begin_object("fallbacks_by_reason");
	if (fb_wins)
		dt_print_text("  windows that fell back, by reason (daxtool "
			      "check's analysis of the file now):\n");
	for (int r = 0; r < DT_NR_REASONS; r++) {
		if (!by_reason[r])
			continue;
		dt_print_text("    %-22s ", dt_reason_name(r));
		dt_print_u64(DT_ANY, dt_reason_name(r), "%6" PRIu64, by_reason[r]);
		dt_print_text(" %s\n", dt_reason_text(r));
	}
	dt_print_end_object();
	dt_print_u64(unknown ? DT_ANY : DT_JSON, "fallbacks_unexplained",
		     "    %" PRIu64 " windows: reason unknown\n", unknown);
	free(v);
	return tot[1];
}

/* Device-DAX: a window of the device's page size, its user faults and
 * the page the analyser predicts for it. */
struct dwin {
	uint64_t offset, faults, page_size;
	uint32_t reasons;
	bool analysed;
};

struct dlookup {
	struct dwin *w;
	size_t n;
	uint64_t lo, hi;	/* the mapping's file range */
};

static int dwin_fn(const struct dt_pmd_window *pw, void *arg)
{
	struct dlookup *l = arg;
	uint64_t end = pw->offset + pw->count * DT_PMD_SIZE;

	for (size_t i = 0; i < l->n; i++) {
		struct dwin *w = &l->w[i];

		if (w->analysed || w->offset < pw->offset || w->offset >= end ||
		    w->offset + DT_PMD_SIZE <= l->lo || w->offset >= l->hi)
			continue;
		w->analysed = true;
		w->page_size = pw->page_size;
		w->reasons = pw->reasons;
	}
	return 0;
}

/*
 * The device's windows that took user page faults (exceptions/
 * page_fault_user: device-DAX has no fs_dax events), in windows of the
 * page size its alignment allows (1 GiB for a 1G device, else 2 MiB),
 * each with the page the analyser predicts there.
 */
static uint64_t print_devdax_windows(struct dt_target *t,
				     const struct audit_file *f, bool measured,
				     bool ok)
{
	uint64_t wsize = t->params.dev_align >= DT_PUD_SIZE ? DT_PUD_SIZE :
			 DT_PMD_SIZE, total = 0;
	struct dwin *w = calloc(f->nr_wins ? f->nr_wins : 1, sizeof(*w));
	size_t n = 0;

	dt_print_begin_array("windows");
	if (!w) {
		dt_print_end_array();
		return 0;
	}
	for (size_t i = 0; i < f->nr_wins; i++) {
		uint64_t off = f->wins[i].offset & ~(wsize - 1);

		if (!f->wins[i].user)
			continue;
		if (!n || w[n - 1].offset != off)
			w[n++].offset = off;
		w[n - 1].faults += f->wins[i].user;
		total += f->wins[i].user;
	}
	for (size_t m = 0; ok && m < f->nr_maps; m++) {
		const struct audit_map *am = &f->maps[m];
		struct dlookup l = { w, n, am->offset,
				     am->offset + (am->end - am->start) };

		set_params(t, am, true);
		dt_pmd_analyse(&t->src, &t->params, dwin_fn, &l);
	}
	if (n)
		dt_print_text("  windows that faulted (%s pages predicted):\n",
			      wsize == DT_PUD_SIZE ? "1 GiB" : "by alignment");
	for (size_t i = 0; i < n; i++) {
		dt_print_begin_row(NULL);
		dt_print_addr(DT_ANY, "offset", "    %-12s", w[i].offset);
		dt_print_size(DT_ANY, "size", " size %-4s", wsize);
		dt_print_null(DT_JSON, "pmd", NULL, NULL);
		dt_print_null(DT_JSON, "fallback", NULL, NULL);
		dt_print_null(DT_JSON, "pte", NULL, NULL);
		dt_print_null(DT_JSON, "zero_pmd", NULL, NULL);
		dt_print_null(DT_JSON, "mkwrite", NULL, NULL);
		dt_print_u64(DT_ANY, "user_faults", " faults %-5" PRIu64,
			     w[i].faults);
		dt_print_size_opt(DT_ANY, "page_size", " page %s (predicted)",
				  w[i].analysed ? w[i].page_size : 0,
				  "? (predicted)");
		dt_print_bool(DT_JSON, "predicted", NULL, true);
		print_reasons(w[i].page_size < wsize ? w[i].reasons : 0);
		dt_print_end_row();
	}
	dt_print_end_array();
	free(w);

	dt_print_begin_object("faults");
	dt_print_null(DT_JSON, "pmd", NULL, NULL);
	dt_print_null(DT_JSON, "zero_pmd", NULL, NULL);
	dt_print_null(DT_JSON, "fallback", NULL, NULL);
	dt_print_null(DT_JSON, "pte", NULL, NULL);
	dt_print_null(DT_JSON, "mkwrite", NULL, NULL);
	print_count(measured, "user_faults", "  faults: %" PRIu64 " user page "
		    "faults (exceptions/page_fault_user; device-DAX has no "
		    "fs_dax events: page sizes are predicted)\n", total);
	dt_print_u64(DT_JSON, "unplaced", NULL, 0);
	dt_print_end_object();
	return total;
}

/* A device-DAX mapping: predicted from the alignments. */
static void print_devdax(struct dt_ctx *ctx, const struct audit_file *f,
			 bool measured)
{
	struct dt_target t;
	char err[512];
	bool ok;

	ok = !dt_target_open(&t, ctx, f->path, 0, err, sizeof(err)) &&
	     !dt_target_source(&t, DT_SRC_AUTO, false, err, sizeof(err));
	if (!ok)
		memset(&t.params, 0, sizeof(t.params));
	print_devdax_windows(&t, f, measured, ok);
	dt_print_begin_array("predicted");
	if (ok) {
		for (size_t m = 0; m < f->nr_maps; m++) {
			const struct audit_map *am = &f->maps[m];
			struct lookup l = { .f = f, .map = (int)m,
				.lo = am->offset & ~(DT_PMD_SIZE - 1),
				.hi = am->offset + (am->end - am->start) };

			set_params(&t, am, true);
			dt_pmd_analyse(&t.src, &t.params, devdax_fn, &l);
			dt_print_begin_row(NULL);
			dt_print_addr(DT_ANY, "start", "  predicted for %s:", am->start);
			dt_print_size_opt(DT_ANY, "align", " device align %s",
					  t.params.dev_align, "?");
			dt_print_u64(DT_ANY, "4096", ", 2 MiB windows in 4 KiB pages %" PRIu64,
				     l.by_size[0]);
			dt_print_u64(DT_ANY, "2097152", ", in 2 MiB %" PRIu64, l.by_size[1]);
			dt_print_u64(DT_ANY, "1073741824", ", in 1 GiB %" PRIu64, l.by_size[2]);
			dt_print_u64(l.refused ? DT_ANY : DT_JSON, "refused",
				     ", refused %" PRIu64, l.refused);
			dt_print_begin_object("reasons");
			for (int r = 0; r < DT_NR_REASONS; r++)
				if (l.by_reason[r]) {
					dt_print_text(r ? ", " : "; ");
					dt_print_u64(DT_ANY, dt_reason_name(r),
						     "%" PRIu64, l.by_reason[r]);
					dt_print_text(" %s", dt_reason_name(r));
				}
			dt_print_end_object();
			dt_print_end_row();
		}
	} else {
		dt_print_text("  cannot predict: %s\n", err);
	}
	dt_target_close(&t);
	dt_print_end_array();
}

/* Which files are DAX: the one target model decides. */
static void classify(struct dt_ctx *ctx, struct audit_file *f)
{
	struct dt_target t;
	char err[512];

	if (!f->path && f->traced)
		f->path = path_by_inode(ctx, f);
	if (!f->path) {
		/* only fs_dax events name a file without a path */
		f->kind = f->traced ? AUDIT_FSDAX : AUDIT_NOT_DAX;
		return;
	}
	if (dt_target_open(&t, ctx, f->path, 0, err, sizeof(err)))
		f->kind = f->traced ? AUDIT_FSDAX : AUDIT_NOT_DAX;
	else if (t.kind == DT_TARGET_DEVDAX)
		f->kind = AUDIT_DEVDAX;
	else if (f->traced || (t.kind == DT_TARGET_FILE && t.ds.on))
		f->kind = AUDIT_FSDAX;
	else
		f->kind = AUDIT_NOT_DAX;
	dt_target_close(&t);
}

int audit_report(struct audit *a, struct dt_ctx *ctx, bool json, bool human,
		 bool fail_on_fallback)
{
	uint64_t fallbacks = 0, nr_dax = 0;
	char devt[32];

	for (size_t i = 0; i < a->nr_files; i++) {
		classify(ctx, &a->files[i]);
		nr_dax += a->files[i].kind != AUDIT_NOT_DAX;
	}

	dt_print_init(json ? DT_PF_JSON : DT_PF_TEXT, human);
	dt_print_begin_object(NULL);
	dt_print_meta();
	dt_print_begin_inline_array("command");
	for (size_t i = 0; a->argv && a->argv[i]; i++)
		dt_print_str(DT_JSON, NULL, NULL, a->argv[i]);
	dt_print_end_array();
	dt_print_i64(DT_JSON, "pid", NULL, a->pid);
	dt_print_i64_opt(DT_JSON, "exit_status", NULL,
			 a->status >= 0 && WIFEXITED(a->status) ?
			 WEXITSTATUS(a->status) : -1, NULL);
	dt_print_i64_opt(DT_JSON, "signal", NULL,
			 a->status >= 0 && WIFSIGNALED(a->status) ?
			 WTERMSIG(a->status) : -1, NULL);
	dt_print_bool(DT_JSON, "follow_forks", NULL, a->follow);
	dt_print_u64(DT_JSON, "duration_ns", NULL, a->duration_ns);
	dt_print_str_opt(DT_ANY, "trace_unavailable", "note: no fault counts: "
			 "%s\n", a->no_trace, NULL);
	dt_print_begin_array("tracepoints");
	for (int i = 0; i < DT_NR_DAX_EV; i++) {
		const struct audit_event_state *s = &a->ev[i];

		dt_print_begin_row(NULL);
		dt_print_str(DT_JSON, "event", NULL, s->name);
		dt_print_bool(DT_JSON, "available", NULL, s->available);
		dt_print_bool_opt(DT_JSON, "was_on", NULL, s->was_on, NULL);
		dt_print_end_object();
		if (s->available || a->no_trace[0])
			continue;
		if (i < DT_EV_MMAP_ENTER)
			dt_print_text("note: this kernel has no %s tracepoint: "
				      "its faults are not counted\n", s->name);
		else if (i == DT_EV_MMAP_ENTER)
			dt_print_text("note: this kernel has no %s tracepoint: "
				      "mappings are seen in snapshots of "
				      "/proc/PID/maps only\n", s->name);
	}
	dt_print_end_array();
	dt_print_u64(DT_JSON, "snapshots", NULL, a->snapshots);
	dt_print_u64(DT_JSON, "mmap_events", NULL, a->mmap_events);
	dt_print_u64(DT_JSON, "user_faults_unplaced", NULL, a->user_unplaced);
	dt_print_u64(a->lost ? DT_ANY : DT_JSON, "events_lost",
		     "warning: the trace buffer lost %" PRIu64 " events: the "
		     "counts below are short\n", a->lost);

	dt_print_begin_array("files");
	for (size_t i = 0; i < a->nr_files; i++) {
		struct audit_file *f = &a->files[i];

		if (f->kind == AUDIT_NOT_DAX)
			continue;
		snprintf(devt, sizeof(devt), "%u:%u", f->major, f->minor);
		dt_print_begin_object(NULL);
		dt_print_str_opt(DT_ANY, "path", "%s", f->path, NULL);
		if (!f->path)
			dt_print_text("(no path found: dev %s inode %" PRIu64 ")",
				      devt, f->ino);
		dt_print_str(DT_ANY, "kind", " (%s)\n", f->kind == AUDIT_DEVDAX ?
			     "devdax" : "fsdax");
		dt_print_str(DT_JSON, "devt", NULL, devt);
		dt_print_u64(DT_JSON, "ino", NULL, f->ino);
		print_maps(f);
		if (f->kind == AUDIT_DEVDAX) {
			print_devdax(ctx, f, a->ev[DT_EV_USER_FAULT].enabled);
			dt_print_null(DT_JSON, "writeback", NULL, NULL);
		} else {
			fallbacks += print_fsdax(ctx, f, a->tracing);
			dt_print_null(DT_JSON, "predicted", NULL, NULL);
		}
		dt_print_end_object();
	}
	dt_print_end_array();
	if (!nr_dax)
		dt_print_text("nothing DAX was mapped: no file on a DAX "
			      "filesystem and no device-DAX device in %s "
			      "mappings (%" PRIu64 " snapshots of /proc/PID/maps)%s\n", a->argv ? "the command's" :
			      "the process's", a->snapshots, a->tracing ?
			      " and no fs_dax fault" : "");
	dt_print_begin_object("summary");
	dt_print_u64(DT_JSON, "files", NULL, nr_dax);
	if (a->tracing || !nr_dax)
		dt_print_u64(nr_dax ? DT_ANY : DT_JSON, "fallbacks",
			     "PMD faults that fell back: %" PRIu64 "\n", fallbacks);
	else
		dt_print_null(DT_ANY, "fallbacks", "PMD faults that fell back: "
			      "%s (no tracing)\n", "unknown");
	dt_print_end_object();
	dt_print_end_object();
	if (dt_print_finish() < 0) {
		dt_err("writing output: %s", strerror(errno));
		return DT_EXIT_FAIL;
	}
	if (fail_on_fallback && nr_dax && !a->tracing) {
		/* no count is no pass: it could not be told */
		dt_err("--fail-on-fallback: DAX was mapped, but there are no "
		       "fault counts: %s", a->no_trace);
		return DT_EXIT_FAIL;
	}
	return fail_on_fallback && fallbacks ? DT_EXIT_FAIL : DT_EXIT_OK;
}
