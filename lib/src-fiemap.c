// SPDX-License-Identifier: GPL-2.0-only
/*
 * FIEMAP source. One ioctl fetches a batch of extents; begin() answers
 * from the batch until pos runs past what the batch knows, then moves on
 * to the next batch. FIEMAP reports data only, so every gap between,
 * before and after the extents it returns is answered as a hole.
 *
 * For large files, a worker thread fetches up to AHEAD batches ahead, in
 * order, while the caller works through the current one, so the kernel's
 * share of the time and the caller's overlap: FIEMAP on a file of 100,000
 * extents costs about as much as printing them. A caller that jumps
 * (another range, a file that changed) gets its batch fetched there and
 * then, and the worker goes on from it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/magic.h>

#include "daxtool/sources.h"

#define BATCH 1024

struct batch {
	uint64_t start;		/* the batch describes [start, known_end) */
	uint64_t known_end;
	int ret;		/* of the ioctl: 0 or -errno */
	struct fiemap fm;	/* followed by BATCH extents */
};
#define BATCH_BYTES \
	(sizeof(struct batch) + BATCH * sizeof(struct fiemap_extent))

/*
 * The worker fetches ahead, in order, into up to AHEAD batches: a short
 * stall on either side costs nothing while the queue has some in it.
 */
#define AHEAD 4

struct prefetch {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool started;		/* the thread exists */
	bool running;		/* fetching from pos on */
	bool busy;		/* a fetch is under way, outside the lock */
	bool quit;
	uint64_t pos;		/* where the next fetch starts */
	struct batch *queue[AHEAD];	/* fetched, in file order */
	unsigned head, nr;
	struct batch *free_[AHEAD];
	unsigned nr_free;
};

struct fiemap_src {
	int fd;
	uint32_t sync;		/* FIEMAP_FLAG_SYNC on the first fetch */
	uint32_t extra_flags;	/* DT_F_* every mapped extent gets */
	dev_t dev;
	unsigned idx;		/* where the last answer was found */
	struct batch *cur;	/* answers come from here */
	struct prefetch pf;
};

static const struct { uint32_t fe; uint32_t dt; } flag_map[] = {
	{ FIEMAP_EXTENT_LAST,		DT_F_LAST },
	{ FIEMAP_EXTENT_UNKNOWN,	DT_F_UNKNOWN },
	{ FIEMAP_EXTENT_ENCODED,	DT_F_ENCODED },
	{ FIEMAP_EXTENT_DATA_ENCRYPTED,	DT_F_ENCRYPTED },
	{ FIEMAP_EXTENT_NOT_ALIGNED,	DT_F_NOT_ALIGNED },
	{ FIEMAP_EXTENT_DATA_TAIL,	DT_F_TAIL },
	{ FIEMAP_EXTENT_MERGED,		DT_F_MERGED },
	{ FIEMAP_EXTENT_SHARED,		DT_F_SHARED },
};

static enum dt_type fe_type(uint32_t fe)
{
	if (fe & FIEMAP_EXTENT_DELALLOC)
		return DT_DELALLOC;
	if (fe & FIEMAP_EXTENT_DATA_INLINE)
		return DT_INLINE;
	if (fe & FIEMAP_EXTENT_UNWRITTEN)
		return DT_UNWRITTEN;
	return DT_MAPPED;
}

/*
 * Fill @b from pos to the end of the address space, not just to the
 * range's end: filesystems trim the extents they return to the length
 * asked for, and only whole extents tell where they really end (past
 * EOF, say).
 */
static void fill(int fd, struct batch *b, uint64_t pos, uint32_t flags)
{
	struct fiemap *fm = &b->fm;
	struct fiemap_extent *last;

	memset(fm, 0, sizeof(*fm));
	fm->fm_start = pos;
	fm->fm_length = FIEMAP_MAX_OFFSET - pos;
	fm->fm_flags = flags;
	fm->fm_extent_count = BATCH;
	b->start = pos;
	b->known_end = FIEMAP_MAX_OFFSET;
	b->ret = 0;
	if (ioctl(fd, FS_IOC_FIEMAP, fm) < 0) {
		b->ret = errno == ENOTTY || errno == EOPNOTSUPP ||
			 errno == EINVAL ? -EOPNOTSUPP : -errno;
		fm->fm_mapped_extents = 0;
		return;
	}
	/* a full batch knows nothing past its last extent, unless that
	 * extent is the file's last */
	if (fm->fm_mapped_extents == BATCH) {
		last = &fm->fm_extents[BATCH - 1];
		if (!(last->fe_flags & FIEMAP_EXTENT_LAST))
			b->known_end = last->fe_logical + last->fe_length;
	}
}

static void *worker(void *arg)
{
	struct fiemap_src *f = arg;
	struct prefetch *pf = &f->pf;

	pthread_mutex_lock(&pf->lock);
	for (;;) {
		struct batch *b;
		uint64_t pos;

		while (!pf->quit && !(pf->running && pf->nr_free))
			pthread_cond_wait(&pf->cond, &pf->lock);
		if (pf->quit)
			break;
		b = pf->free_[--pf->nr_free];
		pos = pf->pos;
		pf->busy = true;
		pthread_mutex_unlock(&pf->lock);
		fill(f->fd, b, pos, 0);
		pthread_mutex_lock(&pf->lock);
		pf->busy = false;
		if (!pf->running) {		/* called off meanwhile */
			pf->free_[pf->nr_free++] = b;
		} else {
			pf->queue[(pf->head + pf->nr++) % AHEAD] = b;
			pf->pos = b->known_end;
			/* the file ends here, or the caller has to see why */
			if (b->ret || b->known_end == FIEMAP_MAX_OFFSET)
				pf->running = false;
		}
		pthread_cond_broadcast(&pf->cond);
	}
	pthread_mutex_unlock(&pf->lock);
	return NULL;
}

/* Fetch ahead from cur's end on, if the file goes on past it. With the
 * lock held. */
static void run_ahead(struct fiemap_src *f)
{
	struct prefetch *pf = &f->pf;

	if (f->cur->known_end == FIEMAP_MAX_OFFSET)
		return;
	if (!pf->started) {
		/* the queue's batches, made when a file needs them */
		for (; pf->nr_free < AHEAD; pf->nr_free++) {
			pf->free_[pf->nr_free] = calloc(1, BATCH_BYTES);
			if (!pf->free_[pf->nr_free])
				return;	/* no worker: fetch when needed */
		}
		if (pthread_create(&pf->thread, NULL, worker, f))
			return;
		pf->started = true;
	}
	pf->pos = f->cur->known_end;
	pf->running = true;
	pthread_cond_broadcast(&pf->cond);
}

/* Make cur the batch that starts at pos: the next one fetched, when the
 * caller goes on in order, else fetched now. */
static int move_to(struct fiemap_src *f, uint64_t pos)
{
	struct prefetch *pf = &f->pf;
	struct batch *b = NULL;

	pthread_mutex_lock(&pf->lock);
	while (!pf->nr && (pf->running || pf->busy))
		pthread_cond_wait(&pf->cond, &pf->lock);
	if (pf->nr && pf->queue[pf->head]->start == pos &&
	    !pf->queue[pf->head]->ret) {
		b = pf->queue[pf->head];
		pf->head = (pf->head + 1) % AHEAD;
		pf->nr--;
		pf->free_[pf->nr_free++] = f->cur;
		f->cur = b;
		pthread_cond_broadcast(&pf->cond);
	} else {
		/* out of order, or the fetch failed: call the worker off,
		 * forget what it fetched, and fetch here */
		pf->running = false;
		while (pf->busy)
			pthread_cond_wait(&pf->cond, &pf->lock);
		for (; pf->nr; pf->nr--, pf->head = (pf->head + 1) % AHEAD)
			pf->free_[pf->nr_free++] = pf->queue[pf->head];
		pf->head = 0;
	}
	pthread_mutex_unlock(&pf->lock);
	if (!b) {
		fill(f->fd, f->cur, pos, f->sync);
		if (f->cur->ret)
			return f->cur->ret;
		f->sync = 0;
		pthread_mutex_lock(&pf->lock);
		run_ahead(f);
		pthread_mutex_unlock(&pf->lock);
	}
	f->idx = 0;
	return 0;
}

static int fiemap_begin(struct dt_source *src, uint64_t pos, uint64_t len,
			struct dt_extent *ext)
{
	struct fiemap_src *f = src->priv;
	struct fiemap *fm;
	int ret;

	(void)len;	/* the iterator clips; a batch runs to the end */
	if (pos < f->cur->start || pos >= f->cur->known_end) {
		ret = move_to(f, pos);
		if (ret)
			return ret;
	}
	fm = &f->cur->fm;
	if (f->idx >= fm->fm_mapped_extents ||
	    fm->fm_extents[f->idx].fe_logical > pos)
		f->idx = 0;
	/* Skip extents that end at or before pos (the file may have changed,
	 * and some filesystems return the extent before fm_start). */
	while (f->idx < fm->fm_mapped_extents &&
	       fm->fm_extents[f->idx].fe_logical +
	       fm->fm_extents[f->idx].fe_length <= pos)
		f->idx++;

	ext->device = f->dev;
	ext->offset = pos;
	ext->addr = DT_NO_ADDR;
	ext->type = DT_HOLE;
	if (f->idx == fm->fm_mapped_extents) {
		/* nothing more in the batch: a hole to what the batch knows */
		ext->length = f->cur->known_end - pos;
		return 0;
	}

	const struct fiemap_extent *fe = &fm->fm_extents[f->idx];

	if (fe->fe_logical > pos) {
		ext->length = fe->fe_logical - pos;
		return 0;
	}
	ext->offset = fe->fe_logical;
	ext->length = fe->fe_length;
	ext->type = fe_type(fe->fe_flags);
	ext->flags = f->extra_flags;
	for (size_t i = 0; i < sizeof(flag_map) / sizeof(flag_map[0]); i++)
		if (fe->fe_flags & flag_map[i].fe)
			ext->flags |= flag_map[i].dt;
	if (!(fe->fe_flags & (FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DELALLOC)))
		ext->addr = fe->fe_physical;
	return 0;
}

static void fiemap_release(struct dt_source *src)
{
	struct fiemap_src *f = src->priv;
	struct prefetch *pf = &f->pf;

	if (pf->started) {
		pthread_mutex_lock(&pf->lock);
		pf->quit = true;
		pthread_cond_broadcast(&pf->cond);
		pthread_mutex_unlock(&pf->lock);
		pthread_join(pf->thread, NULL);
	}
	pthread_mutex_destroy(&pf->lock);
	pthread_cond_destroy(&pf->cond);
	for (unsigned i = 0; i < pf->nr; i++)
		free(pf->queue[(pf->head + i) % AHEAD]);
	for (unsigned i = 0; i < pf->nr_free; i++)
		free(pf->free_[i]);
	free(f->cur);
	free(f);
}

static const struct dt_source_ops fiemap_ops = {
	.name = "fiemap",
	.begin = fiemap_begin,
	.release = fiemap_release,
};

int dt_fiemap_source(struct dt_source *src, int fd, bool sync)
{
	struct fiemap_src *f;
	struct statfs sfs;
	struct stat st;
	int ret;

	if (fstat(fd, &st) < 0)
		return -errno;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->cur = calloc(1, BATCH_BYTES);
	if (!f->cur) {
		free(f);
		return -ENOMEM;
	}
	pthread_mutex_init(&f->pf.lock, NULL);
	pthread_cond_init(&f->pf.cond, NULL);
	f->fd = fd;
	f->dev = st.st_dev;
	f->sync = sync ? FIEMAP_FLAG_SYNC : 0;
	/* btrfs answers with its own logical addresses, not device offsets */
	if (fstatfs(fd, &sfs) == 0 && sfs.f_type == BTRFS_SUPER_MAGIC)
		f->extra_flags = DT_F_LOGICAL;
	*src = (struct dt_source) {
		.ops = &fiemap_ops, .size = st.st_size, .priv = f,
	};
	/* Probe now, so that a caller can fall back before printing. */
	ret = move_to(f, 0);
	if (ret) {
		fiemap_release(src);
		*src = (struct dt_source) { 0 };
	}
	return ret;
}
