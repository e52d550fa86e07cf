// SPDX-License-Identifier: GPL-2.0-only
/* A tracefs instance of daxtool's own: see include/daxtool/tracefs.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "daxtool/tracefs.h"
#include "daxtool/util.h"

int dt_tracefs_root(char *root, size_t len, char *err, size_t errlen)
{
	static const char *const roots[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[128];

	for (size_t i = 0; i < ARRAY_SIZE(roots); i++) {
		snprintf(path, sizeof(path), "%s/instances", roots[i]);
		if (access(path, F_OK) == 0) {
			dt_strlcpy(root, roots[i], len);
			return 0;
		}
	}
	snprintf(err, errlen, "tracefs is not mounted at %s (mount -t "
		 "tracefs nodev %s)", roots[0], roots[0]);
	return -1;
}

int dt_tracefs_open(struct dt_tracefs *t, const char *name, char *err,
		    size_t errlen)
{
	memset(t, 0, sizeof(*t));
	if (dt_tracefs_root(t->root, sizeof(t->root), err, errlen))
		return -1;
	snprintf(t->dir, sizeof(t->dir), "%s/instances/%s", t->root, name);
	if (mkdir(t->dir, 0700) < 0) {
		int e = errno;

		snprintf(err, errlen, "%s: cannot create a tracing instance: "
			 "%s%s", t->dir, strerror(e), e == EACCES || e == EPERM ?
			 " (tracing needs root)" : "");
		t->dir[0] = '\0';
		return -1;
	}
	if (dt_tracefs_write(t, "tracing_on", "0", false)) {
		snprintf(err, errlen, "%s/tracing_on: cannot switch tracing off",
			 t->dir);
		dt_tracefs_close(t);
		return -1;
	}
	return 0;
}

int dt_tracefs_write(const struct dt_tracefs *t, const char *file,
		     const char *text, bool trunc)
{
	char path[512];
	size_t len = strlen(text);
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", t->dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC | (trunc ? O_TRUNC : 0));
	if (fd < 0)
		return -errno;
	if (len && write(fd, text, len) != (ssize_t)len)
		ret = -errno;
	close(fd);
	return ret;
}

bool dt_tracefs_has_event(const struct dt_tracefs *t, const char *event)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/events/%s/enable", t->root, event);
	return access(path, F_OK) == 0;
}

int dt_tracefs_event_on(const struct dt_tracefs *t, const char *event)
{
	char path[512], c = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/events/%s/enable", t->root, event);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (read(fd, &c, 1) != 1)
		c = 0;
	close(fd);
	return c == '1' ? 1 : c == '0' ? 0 : -1;
}

int dt_tracefs_enable(struct dt_tracefs *t, const char *event,
		      const char *filter)
{
	char name[160];
	int ret;

	if (t->nr_on >= DT_TRACEFS_MAX_ON)
		return -ENOSPC;
	snprintf(name, sizeof(name), "events/%s/filter", event);
	ret = dt_tracefs_write(t, name, filter ? filter : "0", true);
	snprintf(name, sizeof(name), "events/%s/enable", event);
	if (!ret)
		ret = dt_tracefs_write(t, name, "1", false);
	if (!ret)
		DT_COPY(t->on[t->nr_on++], event);
	return ret;
}

uint64_t dt_tracefs_lost(const struct dt_tracefs *t)
{
	char path[800], line[128];
	uint64_t lost = 0;
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/per_cpu", t->dir);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		FILE *f;

		if (strncmp(d->d_name, "cpu", 3))
			continue;
		snprintf(path, sizeof(path), "%s/per_cpu/%s/stats", t->dir,
			 d->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			uint64_t v;

			if (sscanf(line, "overrun: %" SCNu64, &v) == 1 ||
			    sscanf(line, "commit overrun: %" SCNu64, &v) == 1 ||
			    sscanf(line, "dropped events: %" SCNu64, &v) == 1)
				lost += v;
		}
		fclose(f);
	}
	closedir(dir);
	return lost;
}

void dt_tracefs_close(struct dt_tracefs *t)
{
	char name[160];

	if (!t->dir[0])
		return;
	dt_tracefs_write(t, "tracing_on", "0", false);
	for (unsigned i = 0; i < t->nr_on; i++) {
		snprintf(name, sizeof(name), "events/%s/enable", t->on[i]);
		dt_tracefs_write(t, name, "0", false);
	}
	t->nr_on = 0;
	/* removing the instance frees its buffer */
	rmdir(t->dir);
	t->dir[0] = '\0';
}
