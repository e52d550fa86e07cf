// SPDX-License-Identifier: GPL-2.0-only
/* The fio bridge: write the job, run fio, read its JSON with json-c. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <json-c/json.h>

#include "bench.h"
#include "fio.h"

const char *const fio_engine_names[FIO_NR_ENGINES] = {
	[FIO_DEVDAX] = "dev-dax", [FIO_LIBPMEM] = "libpmem", [FIO_MMAP] = "mmap",
};

void fio_job_write(FILE *f, const struct fio_job *j)
{
	unsigned n = j->numjobs ? j->numjobs : 1;

	fprintf(f, "# written by daxtool bench rw%s\n[global]\n",
		j->force_pmem ? "; run with PMEM_IS_PMEM_FORCE=1 in the "
		"environment, as daxtool did" : "");
	fprintf(f, "ioengine=%s\nfilename=%s\n", fio_engine_names[j->engine],
		j->filename);
	/* each job gets its own slice, as daxtool's threads do */
	fprintf(f, "size=%" PRIu64 "\noffset_increment=%" PRIu64 "\n",
		j->size / n, j->size / n);
	fprintf(f, "bs=%" PRIu64 "\nrw=%s\n", j->bs, j->rw);
	if (strstr(j->rw, "rw"))
		fprintf(f, "rwmixread=%u\n", j->rwmixread);
	fprintf(f, "numjobs=%u\nthread=1\ngroup_reporting=1\niodepth=1\n", n);
	fprintf(f, "direct=%d\nrandseed=%" PRIu64 "\nnorandommap=1\n",
		j->direct, j->seed);
	if (j->runtime_s)
		fprintf(f, "time_based=1\nruntime=%u\n", j->runtime_s);
	else
		fprintf(f, "loops=%u\n", j->loops ? j->loops : 1);
	if (j->ramp_s)
		fprintf(f, "ramp_time=%u\n", j->ramp_s);
	/* dev-dax and libpmem write in place; mmap needs the file as is */
	fprintf(f, "overwrite=1\nunlink=0\n\n[daxtool]\n");
}

bool fio_available(void)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (!path)
		path = "/usr/bin:/bin";
	for (const char *p = path; *p; ) {
		size_t n = strcspn(p, ":");

		snprintf(buf, sizeof(buf), "%.*s/fio", (int)n, p);
		if (access(buf, X_OK) == 0)
			return true;
		p += n + (p[n] == ':');
	}
	return false;
}

static int get_dir(struct json_object *job, const char *key,
		   struct fio_dir *d)
{
	struct json_object *o, *v, *lat;

	if (!json_object_object_get_ex(job, key, &o))
		return -1;
#define U64(name, field) \
	if (json_object_object_get_ex(o, name, &v)) d->field = (uint64_t)json_object_get_int64(v)
	U64("io_bytes", io_bytes);
	U64("bw_bytes", bw_bytes);
	U64("runtime", runtime_ms);
#undef U64
	if (json_object_object_get_ex(o, "iops", &v))
		d->iops = json_object_get_double(v);
	if (json_object_object_get_ex(o, "lat_ns", &lat) &&
	    json_object_object_get_ex(lat, "mean", &v))
		d->lat_mean_ns = json_object_get_double(v);
	return 0;
}

int fio_parse(const char *json, struct fio_result *r, char *err, size_t errlen)
{
	struct json_object *root, *jobs, *job, *v;
	const char *start = strchr(json, '{');	/* fio may print notes first */

	memset(r, 0, sizeof(*r));
	root = start ? json_tokener_parse(start) : NULL;
	if (!root) {
		snprintf(err, errlen, "fio's output is not JSON");
		return -1;
	}
	if (json_object_object_get_ex(root, "fio version", &v))
		snprintf(r->version, sizeof(r->version), "%s",
			 json_object_get_string(v));
	if (!json_object_object_get_ex(root, "jobs", &jobs) ||
	    !json_object_is_type(jobs, json_type_array) ||
	    json_object_array_length(jobs) < 1) {
		snprintf(err, errlen, "fio's JSON has no jobs");
		json_object_put(root);
		return -1;
	}
	job = json_object_array_get_idx(jobs, 0);
	if (json_object_object_get_ex(job, "error", &v))
		r->error = json_object_get_int(v);
	if (get_dir(job, "read", &r->read) || get_dir(job, "write", &r->write)) {
		snprintf(err, errlen, "fio's JSON has no read or write results");
		json_object_put(root);
		return -1;
	}
	json_object_put(root);
	return 0;
}

/* Run fio on a job file and collect its stdout. */
int fio_run(const struct fio_job *j, struct fio_result *r, char *err,
	    size_t errlen)
{
	char jobfile[] = "/tmp/daxtool-fio-XXXXXX";
	char *out = NULL;
	size_t len = 0, cap = 0;
	int fd, pipefd[2], status, cleanup;
	FILE *f;
	pid_t pid;

	if (!fio_available()) {
		snprintf(err, errlen, "fio is not installed (Debian: apt-get "
			 "install fio)");
		return -1;
	}
	fd = mkstemp(jobfile);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		snprintf(err, errlen, "job file: %s", strerror(errno));
		return -1;
	}
	cleanup = bench_cleanup_add(jobfile, BENCH_CLEAN_FILE);
	fio_job_write(f, j);
	fclose(f);
	if (pipe(pipefd) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		bench_cleanup_done(cleanup);
		unlink(jobfile);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		if (j->force_pmem)
			setenv("PMEM_IS_PMEM_FORCE", "1", 1);
		execlp("fio", "fio", "--output-format=json", jobfile, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	bench_cleanup_child(pid);	/* Ctrl-C stops fio too */
	for (;;) {
		if (len + 65536 > cap) {
			char *n = realloc(out, cap = cap ? cap * 2 : 131072);

			if (!n)
				break;
			out = n;
		}
		ssize_t got = read(pipefd[0], out + len, cap - len - 1);

		if (got <= 0)
			break;
		len += (size_t)got;
	}
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	bench_cleanup_child(0);
	bench_cleanup_done(cleanup);
	unlink(jobfile);
	if (pid < 0 || !out) {
		snprintf(err, errlen, "cannot run fio: %s", strerror(errno));
		free(out);
		return -1;
	}
	out[len] = '\0';
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(err, errlen, "fio failed (exit %d)%s", WIFEXITED(status) ?
			 WEXITSTATUS(status) : -1, j->engine == FIO_DEVDAX ?
			 "; its dev-dax engine says nothing when the path is "
			 "not a device-DAX device" : "");
		free(out);
		return -1;
	}
	int ret = fio_parse(out, r, err, errlen);

	free(out);
	if (!ret && r->error) {
		snprintf(err, errlen, "fio reported error=%d", r->error);
		return -1;
	}
	return ret;
}
