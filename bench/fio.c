// SPDX-License-Identifier: GPL-2.0-only
/* The fio bridge: write the job, run fio, read its JSON with json-c. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
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

	fprintf(f, "# written by daxtool bench rw%s\n",
		j->force_pmem ? "; run with PMEM_IS_PMEM_FORCE=1 in the "
		"environment, as daxtool did" : "");
	if (j->warm)
		fprintf(f, "# warm: time_based, so that one mapping serves the "
			"whole run (loops re-map\n# the file on every pass), "
			"and ramp_time long enough for a first pass that\n"
			"# faults every page; fio measures only after it\n");
	fprintf(f, "[global]\n");
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
	if (j->runtime_ms)
		fprintf(f, "time_based=1\nruntime=%ums\n", j->runtime_ms);
	else
		fprintf(f, "loops=%u\n", j->loops ? j->loops : 1);
	if (j->ramp_ms)
		fprintf(f, "ramp_time=%ums\n", j->ramp_ms);
	/* dev-dax and libpmem write in place; mmap needs the file as is */
	fprintf(f, "overwrite=1\nunlink=0\n\n[daxtool]\n");
}

static unsigned clamp_ms(uint64_t ms)
{
	return ms > UINT_MAX ? UINT_MAX : (unsigned)ms;
}

void fio_job_warm(struct fio_job *j, uint64_t cold_pass_ms,
		  uint64_t measured_ms)
{
	uint64_t ramp = cold_pass_ms ? cold_pass_ms * 3 / 2 + FIO_RAMP_EXTRA_MS :
			j->ramp_ms ? 0 : FIO_RAMP_GUESS_MS;
	uint64_t run = j->runtime_ms ? j->runtime_ms : measured_ms;

	j->ramp_ms = clamp_ms(ramp > j->ramp_ms ? ramp : j->ramp_ms);
	j->runtime_ms = clamp_ms(run > FIO_MIN_RUNTIME_MS ? run :
				 FIO_MIN_RUNTIME_MS);
	j->warm = true;
}

/* The measures of fio_fault_bound(), in the order they are said. */
typedef bool fault_rule(const struct fio_result *r, char *why, size_t len);

static bool fault_per_page(const struct fio_result *r, char *why, size_t len)
{
	uint64_t pages = (r->read.io_bytes + r->write.io_bytes + 4095) / 4096;
	uint64_t faults = r->minf + r->majf;

	if (!pages || faults < pages)
		return false;
	snprintf(why, len, "%" PRIu64 " page fault%s for %" PRIu64 " 4 KiB "
		 "page%s moved: one fault or more per page", faults,
		 bench_s(faults), pages, bench_s(pages));
	return true;
}

static bool fault_sys_cpu(const struct fio_result *r, char *why, size_t len)
{
	if (!(r->sys_cpu >= FIO_SYS_CPU_BOUND))
		return false;
	snprintf(why, len, "%.0f%% of its time in the kernel (%.0f%% or more; "
		 "its engine makes no system call per operation: that is page "
		 "faults)", r->sys_cpu, FIO_SYS_CPU_BOUND);
	return true;
}

static fault_rule *const fault_rules[] = { fault_per_page, fault_sys_cpu };

bool fio_fault_bound(const struct fio_result *r, char *why, size_t len)
{
	for (size_t i = 0; i < sizeof(fault_rules) / sizeof(fault_rules[0]); i++)
		if (fault_rules[i](r, why, len))
			return true;
	if (len)
		why[0] = '\0';
	return false;
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

/* The job's own numbers, beside its directions: its page faults and
 * CPU time. */
static void get_job_numbers(struct json_object *job, struct fio_result *r)
{
	const struct { const char *key; uint64_t *u; double *d; } num[] = {
		{ "minf", &r->minf, NULL }, { "majf", &r->majf, NULL },
		{ "usr_cpu", NULL, &r->usr_cpu }, { "sys_cpu", NULL, &r->sys_cpu },
	};
	struct json_object *v;

	for (size_t i = 0; i < sizeof(num) / sizeof(num[0]); i++) {
		if (!json_object_object_get_ex(job, num[i].key, &v))
			continue;
		if (num[i].u)
			*num[i].u = (uint64_t)json_object_get_int64(v);
		else
			*num[i].d = json_object_get_double(v);
	}
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
	get_job_numbers(job, r);
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
