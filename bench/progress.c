// SPDX-License-Identifier: GPL-2.0-only
/*
 * Progress on stderr, for runs longer than a couple of seconds, where
 * stderr is a terminal: one line, rewritten in place from a thread of its
 * own, from what the workers count as they go (bench_thread.done), and
 * cleared at the end. Nothing at all in a pipe or a file.
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"

#define SHOW_AFTER_NS 2000000000ULL

static uint64_t units_done(const struct bench_run *run)
{
	uint64_t done = 0;

	for (unsigned i = 0; i < run->nthreads; i++)
		done += atomic_load_explicit(&run->threads[i].done,
					     memory_order_relaxed);
	return done;
}

static void *progress_main(void *arg)
{
	struct bench_progress *pg = arg;
	const struct bench_run *run = pg->run;
	uint64_t start = bench_now();
	bool shown = false;

	while (!atomic_load(&pg->stop)) {
		struct timespec ts = { 0, 100 * 1000000L };
		uint64_t done;

		nanosleep(&ts, NULL);
		if (bench_now() - start < SHOW_AFTER_NS)
			continue;
		done = units_done(run);
		if (run->units)
			fprintf(stderr, "\r  %s: %3.0f%%", pg->label,
				100.0 * (double)done / (double)run->units);
		else
			fprintf(stderr, "\r  %s: %" PRIu64 " MiB moved",
				pg->label, done * run->unit_bytes >> 20);
		if (!shown)
			bench_interrupt_progress_shown(true);
		shown = true;
	}
	if (shown) {
		fputs("\r\033[K", stderr);
		bench_interrupt_progress_shown(false);
	}
	return NULL;
}

void bench_progress_start(struct bench_progress *pg, const struct bench *b,
			  const struct bench_run *run)
{
	pg->running = false;
	if (!isatty(STDERR_FILENO))
		return;
	pg->run = run;
	atomic_store(&pg->stop, false);
	if (b->nr_runs > 1)
		snprintf(pg->label, sizeof(pg->label), "daxtool bench %s: %s, "
			 "run %u of %u", b->w->name, run->label, run->index + 1,
			 b->nr_runs);
	else
		snprintf(pg->label, sizeof(pg->label), "daxtool bench %s: %s",
			 b->w->name, run->label);
	pg->running = !pthread_create(&pg->thread, NULL, progress_main, pg);
}

void bench_progress_stop(struct bench_progress *pg)
{
	if (!pg->running)
		return;
	atomic_store(&pg->stop, true);
	pthread_join(pg->thread, NULL);
	pg->running = false;
}
