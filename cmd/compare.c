// SPDX-License-Identifier: GPL-2.0-only
/*
 * daxtool compare BASE.json NEW.json [NEW.json...]: did anything move
 * between two bench results, and was it the same thing measured?
 *
 * Each NEW is compared with BASE, row by row: a row is one result of a
 * workload (fault and pmd-fault: a pass; rw: a direction; latency: a
 * point of the curve), matched by everything that says what it ran (the
 * workload, the page size, the access or pattern, the thread count, the
 * working set...). For each row the change of each metric (latency mean,
 * median and 99th percentile, time per unit, bandwidth) with its
 * interval:
 *
 *   several runs     Welch's t interval on the runs' values (fault's
 *                    and rw's runs.*.values and runs.lat_ns, latency's
 *                    repeats: mean, stddev, N)
 *   one run          Welch's t interval on the batch means, medians or
 *                    99th percentiles (lat_ns.batches), else a bootstrap
 *                    from the samples' histogram (lat_ns.hist, a fixed
 *                    seed)
 *   bandwidth of     the latency mean's interval, turned over: the
 *   one run          runtime is the latencies added up
 *
 * and a change is significant only where its interval excludes zero and
 * holds run-to-run variation: one run a side cannot say that, so a
 * change beyond a one-run interval is "within-run only", no verdict,
 * never a regression (the same target twice moves that far in about a
 * third of the metrics on a busy machine).
 *
 * What was measured is checked before how fast: a target of another
 * fingerprint is refused without --force; another kernel, THP setting,
 * persistence domain, kind, alignment or emulation is said loudly, and
 * a row whose page-size mix (pmd_ratio) changed is no speed-up or
 * slow-down but a change of what was measured. A row whose huge pages
 * fell back is a regression whatever its speed.
 *
 * Exit status: 0; 1 with --fail-on regression where a significant
 * regression beyond --threshold was found; 2 for bad usage or input
 * that is not a daxtool bench result (nothing on stdout then).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "daxtool/fmt.h"
#include "daxtool/parse-options.h"
#include "daxtool/print.h"
#include "daxtool/stat.h"
#include "daxtool/util.h"
#include "bench.h"
#include "builtin.h"

#define BOOT_REPS	2000
#define BOOT_SEED	0x6461787463ULL		/* "daxtc" */
#define MAX_FILE	((size_t)256 << 20)
#define MAX_METRICS	6
#define PMD_EPS		0.005			/* pmd_ratio alike within */

/* ---- one side's document ---------------------------------------------------- */

struct doc {
	const char *path;
	json_object *root;
	const char *workload;
	bool one_run;		/* a bootstrap row of a single run */
};

/* Where bad input is said: "FILE: what", exit 2. */
static int bad(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int bad(const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dt_err("%s: %s", path, msg);
	return DT_EXIT_USAGE;
}

/* @o's member at a dotted @path ("env.thp.enabled"), or NULL. */
static json_object *jget(json_object *o, const char *path)
{
	char key[64];

	while (o && *path) {
		size_t n = strcspn(path, ".");

		if (n >= sizeof(key) || !json_object_is_type(o, json_type_object))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		path += n + (path[n] == '.');
	}
	return o;
}

static const char *jstr(json_object *o, const char *path)
{
	o = jget(o, path);
	return o && json_object_is_type(o, json_type_string) ?
	       json_object_get_string(o) : NULL;
}

static bool jis_num(json_object *o)
{
	return o && (json_object_is_type(o, json_type_int) ||
		     json_object_is_type(o, json_type_double));
}

/* A number, or NaN where it is null, absent or not a number. */
static double jnum(json_object *o, const char *path)
{
	o = jget(o, path);
	return jis_num(o) ? json_object_get_double(o) : NAN;
}

/* A value as JSON text, for "what was measured": "null" where absent. */
static const char *jtext(json_object *o, const char *path)
{
	o = jget(o, path);
	return o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) :
	       "null";
}

static const char *const workloads[] = { "fault", "pmd-fault", "rw",
					 "latency" };

/* Whether the first @len bytes of @buf are one whole JSON document: an
 * error at @len is then text after it. */
static bool whole_before(const char *buf, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *o;
	bool whole;

	if (!tok || !len)
		return false;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, buf, (int)len);
	whole = o && json_tokener_get_error(tok) == json_tokener_success;
	json_object_put(o);
	json_tokener_free(tok);
	return whole;
}

/* Read and check one document: 0 or DT_EXIT_USAGE (said). */
static int load(struct doc *d, const char *path)
{
	struct json_tokener *tok;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	enum json_tokener_error jerr;
	FILE *f;
	int ret = 0;

	d->path = path;
	f = !strcmp(path, "-") ? stdin : fopen(path, "r");
	if (!f)
		return bad(path, "%s", strerror(errno));
	for (;;) {
		size_t got;

		if (len + 65536 > cap) {
			void *mem = buf;

			if (len + 65536 > MAX_FILE ||
			    dt_grow(&mem, &cap, len + 65536, 1)) {
				ret = bad(path, "larger than %zu MiB: not a "
					  "bench result", MAX_FILE >> 20);
				goto out;
			}
			buf = mem;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (!got)
			break;
	}
	if (ferror(f)) {
		ret = bad(path, "%s", strerror(errno));
		goto out;
	}
	if (!len) {
		ret = bad(path, "empty: not a daxtool bench result");
		goto out;
	}
	tok = json_tokener_new();
	if (!tok) {
		ret = bad(path, "%s", strerror(ENOMEM));
		goto out;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	d->root = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	if (jerr == json_tokener_continue || jerr != json_tokener_success ||
	    json_tokener_get_parse_end(tok) < len) {
		size_t at = json_tokener_get_parse_end(tok), line = 1, col = 1;
		bool trailing = jerr == json_tokener_success ||
				whole_before(buf, at);

		for (size_t i = 0; i < at && i < len; i++) {
			line += buf[i] == '\n';
			col = buf[i] == '\n' ? 1 : col + 1;
		}
		ret = bad(path, "invalid JSON at byte %zu (line %zu, column "
			  "%zu): %s", at, line, col,
			  jerr == json_tokener_continue ?
			  "the document ends early (truncated?)" : trailing ?
			  "text after the document" :
			  json_tokener_error_desc(jerr));
		json_object_put(d->root);
		d->root = NULL;
		json_tokener_free(tok);
		goto out;
	}
	json_tokener_free(tok);
	if (!json_object_is_type(d->root, json_type_object) ||
	    !jstr(d->root, "daxtool")) {
		ret = bad(path, "not a daxtool result: no \"daxtool\" version "
			  "in a top-level object");
		goto out;
	}
	if (!json_object_is_type(jget(d->root, "schema"), json_type_int) ||
	    json_object_get_int64(jget(d->root, "schema")) != DT_SCHEMA_VERSION) {
		ret = bad(path, "schema %s: compare reads schema %d",
			  jtext(d->root, "schema"), DT_SCHEMA_VERSION);
		goto out;
	}
	d->workload = jstr(d->root, "workload");
	if (!d->workload) {
		ret = bad(path, "not a bench result: no \"workload\" (compare "
			  "reads the JSON of daxtool bench)");
		goto out;
	}
	ret = -1;
	for (size_t i = 0; i < ARRAY_SIZE(workloads); i++)
		if (!strcmp(d->workload, workloads[i]))
			ret = 0;
	if (ret)
		ret = bad(path, "workload \"%s\": compare knows fault, "
			  "pmd-fault, rw and latency", d->workload);
out:
	if (f && f != stdin)
		fclose(f);
	free(buf);
	if (ret && d->root) {
		json_object_put(d->root);
		d->root = NULL;
	}
	return ret;
}

/* ---- rows and their metrics --------------------------------------------------- */

enum m_kind {
	M_HIST_MEAN,	/* bootstrap of lat_ns.hist: the mean */
	M_HIST_Q,	/* the same, a quantile */
	M_RUNS,		/* Welch on each run's value */
	M_SUMMARY,	/* Welch on mean, stddev, N */
	M_BATCH,	/* Welch on one run's batches (lat_ns.batches) */
	M_BW,		/* bandwidth of one run: the latency mean's, turned */
	M_POINT,	/* a value alone, no interval */
};

static const char *const kind_methods[] = {
	[M_HIST_MEAN] = "bootstrap", [M_HIST_Q] = "bootstrap",
	[M_RUNS] = "welch", [M_SUMMARY] = "welch", [M_BATCH] = "batch_means",
	[M_BW] = "from_latency",
	[M_POINT] = "none",
};

/* One side of a metric. */
struct side {
	double point;		/* the value the result says */
	json_object *hist;	/* lat_ns.hist, M_HIST_* */
	double runs[64];	/* M_RUNS: each run's; M_BATCH: each batch's */
	size_t nruns;
	double mean, sd, n;	/* M_SUMMARY */
};

struct metric {
	const char *name;	/* "lat_mean" */
	const char *unit;	/* "ns", "bytes/s" */
	bool higher_better;
	enum m_kind kind;
	double q;		/* M_HIST_Q: the quantile, (0, 1] */
	struct side s;
};

struct row {
	char key[256];		/* what matches it with the other side's */
	char label[96];
	uint64_t page_size;
	const char *access;
	unsigned threads;
	double pmd_ratio;	/* NaN unknown */
	unsigned nm;
	struct metric m[MAX_METRICS];
};

struct rows {
	struct row *r;
	size_t n, cap;
};

static struct row *row_new(struct rows *rs)
{
	void *mem = rs->r;

	if (dt_grow(&mem, &rs->cap, rs->n + 1, sizeof(*rs->r)))
		return NULL;
	rs->r = mem;
	memset(&rs->r[rs->n], 0, sizeof(*rs->r));
	rs->r[rs->n].pmd_ratio = NAN;
	return &rs->r[rs->n++];
}

static struct metric *metric_add(struct row *r, const char *name,
				 const char *unit, bool higher_better,
				 enum m_kind kind, double point)
{
	struct metric *m = &r->m[r->nm++];

	m->name = name;
	m->unit = unit;
	m->higher_better = higher_better;
	m->kind = kind;
	m->s.point = point;
	return m;
}

/* A percentile of lat_ns by its key ("99.000000"), or NaN. */
static double pct_of(json_object *lat, const char *key)
{
	json_object *p = jget(lat, "percentile"), *v;

	if (!p || !json_object_is_type(p, json_type_object) ||
	    !json_object_object_get_ex(p, key, &v))
		return NAN;
	return jis_num(v) ? json_object_get_double(v) : NAN;
}

struct hist;
static bool values_of(struct metric *m, json_object *a, double bytes);
static int hist_read(const char *path, const char *row, json_object *h,
		     struct hist *out);
static struct hist *scratch(void);

/*
 * The interval of a latency metric @m of lat_ns @lat (@bkey: its key in
 * lat_ns.batches and in runs.lat_ns, "mean", "p50", "p99"), by the best
 * this result allows:
 *   several runs (@res's runs.lat_ns, @runs > 1): Welch over the runs;
 *   one run with lat_ns.batches: Welch over the batches, where a batch
 *     holds enough samples for its quantile (for p99, 100);
 *   else the bootstrap of lat_ns.hist, which sees no drift in a run.
 */
static void lat_method(struct metric *m, json_object *res, json_object *lat,
		       json_object *hist, double runs, const char *bkey)
{
	json_object *bat = jget(lat, "batches");

	m->s.hist = hist;
	if (runs > 1 && values_of(m, jget(jget(jget(res, "runs"), "lat_ns"),
					   bkey), 0)) {
		m->kind = M_RUNS;
		return;
	}
	if (bat && json_object_is_type(bat, json_type_object) &&
	    jnum(bat, "size") * (1 - (m->q > 0 ? m->q : 0)) >= 1 - 1e-9 &&
	    values_of(m, jget(bat, bkey), 0)) {
		m->kind = M_BATCH;
		return;
	}
	m->s.nruns = 0;
}

/* The latency metrics of a lat_ns with samples: mean, p50, p99, their
 * histogram checked here, before anything is printed; false where it
 * has none, or *err (said) where it is not a histogram. @res: the
 * result, for its runs.lat_ns. */
static bool lat_metrics(struct doc *d, struct row *r, json_object *res,
			json_object *lat, double runs, int *err)
{
	json_object *hist = jget(lat, "hist");
	struct metric *m;

	if (!hist || !json_object_is_type(hist, json_type_object))
		return false;
	*err = hist_read(d->path, r->label, hist, scratch());
	if (*err)
		return false;
	if (!(runs > 1))
		d->one_run = true;
	m = metric_add(r, "lat_mean", "ns", false, M_HIST_MEAN,
		       jnum(lat, "mean"));
	lat_method(m, res, lat, hist, runs, "mean");
	m = metric_add(r, "lat_p50", "ns", false, M_HIST_Q,
		       pct_of(lat, "50.000000"));
	m->q = 0.5;
	lat_method(m, res, lat, hist, runs, "p50");
	m = metric_add(r, "lat_p99", "ns", false, M_HIST_Q,
		       pct_of(lat, "99.000000"));
	m->q = 0.99;
	lat_method(m, res, lat, hist, runs, "p99");
	return true;
}

/* The numbers of the array @a, into @m's values: false where there are
 * fewer than two, or one is not a number. @bytes > 0: the values are
 * runtimes, turned to bytes/s of @bytes. */
static bool values_of(struct metric *m, json_object *a, double bytes)
{
	size_t n;

	if (!a || !json_object_is_type(a, json_type_array))
		return false;
	n = json_object_array_length(a);
	if (n < 2)
		return false;
	m->s.nruns = 0;
	for (size_t i = 0; i < n && i < ARRAY_SIZE(m->s.runs); i++) {
		json_object *v = json_object_array_get_idx(a, i);
		double x = jis_num(v) ? json_object_get_double(v) : NAN;

		if (isnan(x) || (bytes > 0 && x <= 0))
			return false;
		m->s.runs[m->s.nruns++] = bytes > 0 ? bytes * 1e9 / x : x;
	}
	return true;
}

/* Each run's value of runs.@key.values, into @m, as values_of(). */
static bool runs_of(struct metric *m, json_object *res, const char *key,
		    double bytes)
{
	return values_of(m, jget(jget(jget(res, "runs"), key), "values"),
			 bytes);
}

static const char *size_name(char *buf, size_t len, uint64_t v)
{
	return dt_fmt_size(buf, len, v);
}

/* fault, pmd-fault: a row a pass. */
static int rows_fault(struct doc *d, struct rows *rs)
{
	json_object *a = jget(d->root, "results");

	if (!a || !json_object_is_type(a, json_type_array))
		return bad(d->path, "%s result without a \"results\" array",
			   d->workload);
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *res = json_object_array_get_idx(a, i);
		json_object *lat = jget(res, "lat_ns");
		const char *mode = jstr(res, "mode"), *method = jstr(res, "method");
		const char *access = jstr(res, "access");
		double ps = jnum(res, "page_size"), th = jnum(res, "threads");
		double units = jnum(res, "units");
		struct row *r;
		struct metric *m;
		char a1[16];
		bool lat_ok;
		int err = 0;

		if (!mode || !method || !access || isnan(ps) || isnan(th) ||
		    isnan(units))
			return bad(d->path, "results[%zu]: page_size, mode, "
				   "method, access, threads and units are "
				   "needed", i);
		r = row_new(rs);
		if (!r)
			return bad(d->path, "%s", strerror(ENOMEM));
		r->page_size = (uint64_t)ps;
		r->access = access;
		r->threads = (unsigned)th;
		r->pmd_ratio = jnum(res, "pmd_ratio");
		snprintf(r->key, sizeof(r->key), "%s|%.0f|%s|%s|%s|%.0f",
			 d->workload, ps, mode, method, access, th);
		snprintf(r->label, sizeof(r->label), "%s %s %s, %.0f thread%s",
			 size_name(a1, sizeof(a1), r->page_size),
			 strcmp(mode, "touch") ? method : "touch", access, th,
			 th == 1 ? "" : "s");
		lat_ok = lat_metrics(d, r, res, lat, jnum(res, "runs.count"),
				     &err);
		if (err)
			return err;
		m = metric_add(r, "unit_ns", "ns", false, M_RUNS,
			       jnum(res, "unit_ns"));
		if (!runs_of(m, res, "unit_ns", 0))
			r->nm--;	/* one run: the latency mean says it */
		m = metric_add(r, "bw_bytes", "bytes/s", true, M_RUNS,
			       jnum(res, "bw_bytes"));
		if (!runs_of(m, res, "runtime_ns", units * ps))
			m->kind = lat_ok ? M_BW : M_POINT;
	}
	return 0;
}

/* rw: a row a direction that ran. */
static int rows_rw(struct doc *d, struct rows *rs)
{
	static const char *const dirs[] = { "read", "write" };
	json_object *job = jget(d->root, "jobs");
	json_object *opt = jget(d->root, "options");
	const char *pattern = jstr(opt, "rw"), *copy = jstr(opt, "copy");
	const char *persist = jstr(opt, "persist");
	double ps = jnum(opt, "page_size"), bs = jnum(opt, "bs");
	double th = jnum(opt, "threads");

	if (!job || !json_object_is_type(job, json_type_array) ||
	    json_object_array_length(job) < 1)
		return bad(d->path, "rw result without a \"jobs\" array");
	if (!pattern || !copy || isnan(ps) || isnan(bs) || isnan(th))
		return bad(d->path, "rw result without options.rw, bs, "
			   "page_size, copy and threads");
	job = json_object_array_get_idx(job, 0);
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		json_object *dir = jget(job, dirs[i]);
		struct row *r;
		struct metric *m;
		char a1[16], a2[16];
		bool lat_ok;
		int err = 0;

		if (!(jnum(dir, "total_ios") > 0))
			continue;
		r = row_new(rs);
		if (!r)
			return bad(d->path, "%s", strerror(ENOMEM));
		r->page_size = (uint64_t)ps;
		r->access = dirs[i];
		r->threads = (unsigned)th;
		r->pmd_ratio = jnum(d->root, "pages.pmd_ratio");
		snprintf(r->key, sizeof(r->key), "rw|%s|%s|%.0f|%.0f|%s|%s|%.0f",
			 dirs[i], pattern, bs, ps, copy, persist ? persist : "",
			 th);
		snprintf(r->label, sizeof(r->label), "%s%s%s of %s, %s pages, "
			 "%s, %.0f thread%s", strcmp(pattern, dirs[i]) ?
			 pattern : "", strcmp(pattern, dirs[i]) ? " " : "",
			 dirs[i],
			 size_name(a1, sizeof(a1), (uint64_t)bs),
			 size_name(a2, sizeof(a2), r->page_size), copy, th,
			 th == 1 ? "" : "s");
		/* each run's values (runs{}) as fault's: the latency's
		 * runs.lat_ns, the bandwidth's runs.bw_bytes.values as they
		 * are (under --runtime the bytes differ from run to run) */
		lat_ok = lat_metrics(d, r, dir, jget(dir, "lat_ns"),
				     jnum(dir, "runs.count"), &err);
		if (err)
			return err;
		m = metric_add(r, "bw_bytes", "bytes/s", true, M_RUNS,
			       jnum(dir, "bw_bytes"));
		if (!runs_of(m, dir, "bw_bytes", 0))
			m->kind = lat_ok ? M_BW : M_POINT;
	}
	return 0;
}

/* latency: a row a point, idle and loaded. */
static int rows_latency(const struct doc *d, struct rows *rs)
{
	json_object *a = jget(d->root, "passes"), *opt = jget(d->root, "options");
	double stride = jnum(opt, "stride"), group = jnum(opt, "group");
	const char *traffic = jstr(opt, "traffic");

	if (!a || !json_object_is_type(a, json_type_array))
		return bad(d->path, "latency result without a \"passes\" array");
	for (size_t p = 0; p < json_object_array_length(a); p++) {
		json_object *pass = json_object_array_get_idx(a, p);
		double ps = jnum(pass, "page_size");
		static const char *const parts[] = { "idle", "loaded" };

		if (isnan(ps))
			return bad(d->path, "passes[%zu]: no page_size", p);
		for (size_t k = 0; k < ARRAY_SIZE(parts); k++) {
			json_object *pts = jget(pass, parts[k]);

			if (!pts || !json_object_is_type(pts, json_type_array))
				continue;
			for (size_t i = 0; i < json_object_array_length(pts); i++) {
				json_object *pt = json_object_array_get_idx(pts, i);
				json_object *lat = jget(pt, "lat_ns");
				double ws = jnum(pt, "ws_bytes");
				double delay = jnum(pt, "delay_ns");
				struct row *r = row_new(rs);
				struct metric *m;
				char a1[16], a2[16];

				if (!r)
					return bad(d->path, "%s", strerror(ENOMEM));
				if (isnan(ws))
					return bad(d->path, "passes[%zu].%s[%zu]: "
						   "no ws_bytes", p, parts[k], i);
				r->page_size = (uint64_t)ps;
				r->access = "read";
				r->threads = k ? (unsigned)jnum(opt, "threads") : 1;
				r->pmd_ratio = jnum(pass, "pages.pmd_ratio");
				snprintf(r->key, sizeof(r->key),
					 "latency|%.0f|%s|%.0f|%.0f|%.0f|%.0f|%s",
					 ps, parts[k], ws, k ? delay : -1.0,
					 stride, group, k && traffic ? traffic : "");
				if (k)
					snprintf(r->label, sizeof(r->label),
						 "%s pages, loaded, delay %.0fns",
						 size_name(a1, sizeof(a1), r->page_size),
						 delay);
				else
					snprintf(r->label, sizeof(r->label),
						 "%s pages, idle, ws %s",
						 size_name(a1, sizeof(a1), r->page_size),
						 size_name(a2, sizeof(a2), (uint64_t)ws));
				m = metric_add(r, "lat_mean", "ns", false,
					       M_SUMMARY, jnum(lat, "mean"));
				m->s.mean = m->s.point;
				m->s.sd = jnum(lat, "stddev");
				m->s.n = jnum(lat, "N");
				metric_add(r, "lat_p50", "ns", false, M_POINT,
					   pct_of(lat, "50.000000"));
				if (k)
					metric_add(r, "bw_bytes", "bytes/s", true,
						   M_POINT, jnum(pt, "bw_bytes"));
			}
		}
	}
	return 0;
}

static int rows_of(struct doc *d, struct rows *rs)
{
	if (!strcmp(d->workload, "rw"))
		return rows_rw(d, rs);
	if (!strcmp(d->workload, "latency"))
		return rows_latency(d, rs);
	return rows_fault(d, rs);
}

/* A histogram as weighted values: its buckets' middles and counts. Each
 * bucket is checked: a name that is no bucket's, or out of order, is bad
 * input. */
struct hist {
	double v[DT_HIST_BUCKETS], w[DT_HIST_BUCKETS];
	uint64_t c[DT_HIST_BUCKETS];
	struct dt_dist d;
};

static struct hist *scratch(void)
{
	static struct hist h;

	return &h;
}

/* Half the span of the buckets that hold each side's statistic, added:
 * what the histogram cannot tell apart. */
static double resolution(const struct hist *b, const struct hist *n,
			 const struct dt_ci *boot)
{
	double r = 0;

	for (int side = 0; side < 2; side++) {
		const struct hist *h = side ? n : b;
		double v = side ? boot->new : boot->base;

		for (size_t i = 0; i < h->d.n; i++)
			if (v <= h->v[i] + h->w[i] / 2) {
				r += h->w[i] / 2;
				break;
			}
	}
	return r;
}

static int hist_read(const char *path, const char *row, json_object *h,
		     struct hist *out)
{
	json_object *b = jget(h, "buckets");
	int last = -1;

	out->d = (struct dt_dist){ .v = out->v, .c = out->c, .w = out->w };
	if (json_object_get_int64(jget(h, "sub_buckets")) != DT_HIST_SUB ||
	    !b || !json_object_is_type(b, json_type_array))
		return bad(path, "%s: lat_ns.hist is not a histogram of %d "
			   "sub-buckets with \"buckets\"", row, DT_HIST_SUB);
	for (size_t i = 0; i < json_object_array_length(b); i++) {
		json_object *e = json_object_array_get_idx(b, i);
		json_object *lo = json_object_array_get_idx(e, 0);
		json_object *c = json_object_array_get_idx(e, 1);
		int idx;

		if (!json_object_is_type(e, json_type_array) ||
		    json_object_array_length(e) != 2 ||
		    !json_object_is_type(lo, json_type_int) ||
		    !json_object_is_type(c, json_type_int) ||
		    json_object_get_int64(c) <= 0 ||
		    (idx = dt_hist_find((uint64_t)json_object_get_int64(lo))) <= last)
			return bad(path, "%s: lat_ns.hist.buckets[%zu] is not "
				   "[lowest value of a bucket, count > 0] in "
				   "order", row, i);
		last = idx;
		out->v[out->d.n] = dt_hist_mid((unsigned)idx);
		out->w[out->d.n] = dt_hist_span((unsigned)idx);
		out->c[out->d.n++] = (uint64_t)json_object_get_int64(c);
	}
	if (!out->d.n)
		return bad(path, "%s: lat_ns.hist has no buckets", row);
	return 0;
}

/* ---- what was measured --------------------------------------------------------- */

/* The keys whose change means something else was measured. */
static const struct { const char *path, *what; } measured[] = {
	{ "target.kind", "target kind" },
	{ "target.emulated", "emulated or real memory" },
	{ "target.align", "target alignment" },
	{ "target.fs", "filesystem" },
	{ "target.fingerprint.namespace_uuid", "namespace" },
	{ "env.kernel", "kernel" },
	{ "env.thp.enabled", "THP enabled" },
	{ "env.thp.defrag", "THP defrag" },
	{ "env.persistence_domain", "persistence domain" },
	{ "env.is_pmem", "is_pmem" },
	{ "env.regime", "memory regime" },
	{ "env.cpus_allowed", "CPUs allowed" },
};

/* ---- the comparison --------------------------------------------------------------- */

struct opts {
	double threshold, level;
	bool fail_on_regression, force, no_chart, json;
};

struct result {		/* of one metric */
	struct dt_ci ci;	/* absolute */
	double change, lo, hi;	/* percent of base; lo, hi NaN: none */
	/* 1: the interval excludes zero and holds run-to-run variation;
	 * 0: it holds zero; -1: no interval, or one of a single run that
	 * excludes zero (@moved): the runs differ by more than their own
	 * samples do, which says nothing of run-to-run noise */
	int significant;
	bool within_run;	/* the interval holds one run's spread */
	bool moved;		/* within_run, and it excludes zero */
	bool worse, regression;
};

static double pct(double diff, double base)
{
	return base != 0 && !isnan(base) ? 100 * diff / fabs(base) : NAN;
}

/* The interval of @m between @b and @n (their sides); @lat_mean: the same
 * row's latency mean, for M_BW. 0 or DT_EXIT_USAGE (said). */
static int compute(const struct opts *o, const char *pb, const char *pn,
		   const struct row *row, const struct metric *b,
		   const struct metric *n, const struct result *lat_mean,
		   struct result *res)
{
	struct dt_ci *ci = &res->ci;
	static struct hist hb, hn;
	int ret;

	ci->base = b->s.point;
	ci->new = n->s.point;
	ci->diff = ci->new - ci->base;
	ci->lo = ci->hi = NAN;
	switch (b->kind) {
	case M_HIST_MEAN:
	case M_HIST_Q:
		ret = hist_read(pb, row->label, b->s.hist, &hb);
		if (!ret)
			ret = hist_read(pn, row->label, n->s.hist, &hn);
		if (ret)
			return ret;
		{
			struct dt_ci boot;

			if (!dt_boot_diff(&hb.d, &hn.d, b->kind == M_HIST_MEAN ?
					  DT_STAT_MEAN : DT_STAT_QUANTILE, b->q,
					  BOOT_REPS, BOOT_SEED, o->level, &boot)) {
				/* the width of the bootstrap's, about the exact
				 * difference the results say */
				double tell = resolution(&hb, &hn, &boot);

				if (isnan(ci->diff)) {
					*ci = boot;
				} else {
					ci->lo = ci->diff + boot.lo - boot.diff;
					ci->hi = ci->diff + boot.hi - boot.diff;
				}
				/* never finer than the histogram can tell */
				ci->lo = fmin(ci->lo, ci->diff - tell);
				ci->hi = fmax(ci->hi, ci->diff + tell);
			}
		}
		break;
	case M_RUNS: {
		double m1, s1, m2, s2;

		dt_mean_sd(b->s.runs, b->s.nruns, &m1, &s1);
		dt_mean_sd(n->s.runs, n->s.nruns, &m2, &s2);
		dt_welch_diff(m1, s1, (double)b->s.nruns, m2, s2,
			      (double)n->s.nruns, o->level, ci);
		break;
	}
	case M_BATCH: {
		/* Welch on the batches' values, its width about the exact
		 * difference the results say: a batch's quantile is not the
		 * run's */
		double m1, s1, m2, s2, d = ci->diff;

		dt_mean_sd(b->s.runs, b->s.nruns, &m1, &s1);
		dt_mean_sd(n->s.runs, n->s.nruns, &m2, &s2);
		dt_welch_diff(m1, s1, (double)b->s.nruns, m2, s2,
			      (double)n->s.nruns, o->level, ci);
		ci->lo += d - ci->diff;		/* NaN stays NaN */
		ci->hi += d - ci->diff;
		ci->diff = d;
		ci->base = b->s.point;
		ci->new = n->s.point;
		break;
	}
	case M_SUMMARY:
		dt_welch_diff(b->s.mean, b->s.sd, b->s.n, n->s.mean, n->s.sd,
			      n->s.n, o->level, ci);
		break;
	case M_BW:
		if (lat_mean && !isnan(lat_mean->lo)) {
			/* bandwidth goes as 1 / latency: the latency's ratio
			 * new / base, at its interval's ends, turned over */
			double base = lat_mean->ci.base, d = lat_mean->ci.diff;
			double mid = base / (base + d) - 1;
			double at_hi = base / (base + lat_mean->ci.hi) - 1;
			double at_lo = base / (base + lat_mean->ci.lo) - 1;
			double chg = ci->diff / ci->base;

			if (base > 0 && base + lat_mean->ci.lo > 0 && ci->base > 0) {
				ci->lo = (chg + at_hi - mid) * ci->base;
				ci->hi = (chg + at_lo - mid) * ci->base;
			}
		}
		break;
	case M_POINT:
		break;
	}
	res->change = pct(ci->diff, ci->base);
	res->lo = pct(ci->lo, ci->base);
	res->hi = pct(ci->hi, ci->base);
	res->within_run = b->kind == M_HIST_MEAN || b->kind == M_HIST_Q ||
			  b->kind == M_BATCH || b->kind == M_BW;
	res->significant = isnan(ci->lo) || isnan(ci->hi) ? -1 :
			   dt_ci_significant(ci);
	res->moved = res->within_run && res->significant == 1;
	if (res->moved)
		res->significant = -1;	/* no verdict: see the note */
	res->worse = b->higher_better ? ci->diff < 0 : ci->diff > 0;
	res->regression = res->significant == 1 && res->worse &&
			  fabs(res->change) > o->threshold;
	return 0;
}

/* Sides of a metric measured in two ways (several runs against one,
 * batches against none): both taken the way both allow, into @cb and
 * @cn; false where there is none. */
static bool common_kind(const struct metric *b, const struct metric *n,
			struct metric *cb, struct metric *cn)
{
	*cb = *b;
	*cn = *n;
	if (b->s.hist && n->s.hist) {	/* a latency: its histograms */
		cb->kind = cn->kind = b->q > 0 ? M_HIST_Q : M_HIST_MEAN;
		return true;
	}
	if ((b->kind == M_BW || n->kind == M_BW) &&
	    (b->kind == M_RUNS || n->kind == M_RUNS)) {
		cb->kind = cn->kind = M_BW;	/* needs both latencies */
		return true;
	}
	return false;
}

static const struct row *find_row(const struct rows *rs, const char *key)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->r[i].key, key))
			return &rs->r[i];
	return NULL;
}

/* A value in text as the metric's unit reads. */
static void print_value(const char *key, const char *fmt, const char *unit,
			double v)
{
	char buf[32];

	if (isnan(v)) {
		dt_print_null(DT_ANY, key, fmt, "-");
		return;
	}
	dt_print_double(DT_JSON, key, NULL, v);
	if (!strcmp(unit, "ns") && v < 100)	/* a load from cache: 1.23ns */
		snprintf(buf, sizeof(buf), v < 10 ? "%.2fns" : "%.1fns", v);
	else if (!strcmp(unit, "ns"))
		bench_fmt_ns(buf, sizeof(buf), v);
	else
		snprintf(buf, sizeof(buf), "%s/s", dt_fmt_size(buf + 16, 16,
			 v < 0 ? 0 : (uint64_t)v));
	dt_print_str(DT_TEXT, key, fmt, buf);
}

/* The changes of one comparison, for the chart. */
struct bar { char label[80]; double change, lo, hi; int significant;
	     bool moved, regression; };
struct bars { struct bar *b; size_t n, cap; };

static void bar_add(struct bars *bs, const struct row *r,
		    const struct metric *m, const struct result *res)
{
	void *mem = bs->b;

	if (isnan(res->change) || dt_grow(&mem, &bs->cap, bs->n + 1,
					  sizeof(*bs->b)))
		return;
	bs->b = mem;
	snprintf(bs->b[bs->n].label, sizeof(bs->b[0].label), "%.58s %s",
		 r->label, m->name);
	bs->b[bs->n].change = res->change;
	bs->b[bs->n].lo = res->lo;
	bs->b[bs->n].hi = res->hi;
	bs->b[bs->n].significant = res->significant;
	bs->b[bs->n].moved = res->moved;
	bs->b[bs->n].regression = res->regression;
	bs->n++;
}

/*
 * The chart of the changes, text only: a bar a metric from the zero line
 * in the middle, left is less, right is more, scaled to the largest
 * change (at least 10%); '#' where the change is significant, '-' where
 * not, '~' where one run a side moved beyond its own spread (no
 * verdict), '?' where there is no interval; '<' or '>' where a bar is cut.
 */
static void chart(const struct bars *bs)
{
	enum { HALF = 20 };
	double top = 10;
	int width = 0;

	if (dt_print_json() || !bs->n)
		return;
	for (size_t i = 0; i < bs->n; i++) {
		int len = (int)strlen(bs->b[i].label);

		top = fabs(bs->b[i].change) > top ? fabs(bs->b[i].change) : top;
		width = len > width ? len : width;
	}
	top = top > 100 ? 100 : top;
	dt_print_text("\n  change, %% of base (each side %.0f%%; # significant, "
		      "- not, ~ within-run only, ? no interval)\n", top);
	for (size_t i = 0; i < bs->n; i++) {
		const struct bar *b = &bs->b[i];
		char line[2 * HALF + 2];
		double c = b->change;
		int w = (int)(fabs(c) / top * HALF + 0.5);
		char mark = b->moved ? '~' : b->significant < 0 ? '?' :
			    b->significant ? '#' : '-';

		memset(line, ' ', sizeof(line) - 1);
		line[sizeof(line) - 1] = '\0';
		line[HALF] = '|';
		w = w > HALF ? HALF : w;
		for (int k = 1; k <= w; k++)
			line[c < 0 ? HALF - k : HALF + k] = mark;
		if (fabs(c) > top)
			line[c < 0 ? 0 : 2 * HALF] = c < 0 ? '<' : '>';
		dt_print_text("  %-*s %s %+7.1f%%%s\n", width, b->label, line, c,
			      b->regression ? "  REGRESSION" : "");
	}
}

static bool differs(const char *a, const char *b)
{
	return strcmp(a, b) != 0;
}

/* NEW against BASE: the "measured" changes, the rows, the unmatched. The
 * number of regressions, or -DT_EXIT_USAGE (said). */
static int compare_one(const struct opts *o, const struct doc *base,
		       const struct rows *rb, const struct doc *nd,
		       const struct rows *rn)
{
	int regressions = 0, improvements = 0, loud = 0;
	struct bars bars = { 0 };

	dt_print_begin_object(NULL);
	dt_print_str(DT_ANY, "path", "\n  %s", nd->path);
	dt_print_str(DT_ANY, "workload", " (%s", nd->workload);
	dt_print_str(DT_ANY, "daxtool", ", daxtool %s", jstr(nd->root, "daxtool"));
	dt_print_str_opt(DT_ANY, "hostname", ", host %s)\n",
			 jstr(nd->root, "context.hostname"), "?)\n");
	dt_print_str_opt(DT_JSON, "fingerprint", NULL,
			 jstr(nd->root, "target.fingerprint.hash"), NULL);

	/* what was measured, before how fast */
	dt_print_begin_array("measured");
	{
		const char *fb = jstr(base->root, "target.fingerprint.hash");
		const char *fn = jstr(nd->root, "target.fingerprint.hash");

		if (!fb || !fn || differs(fb, fn)) {
			dt_print_begin_row(NULL);
			dt_print_str(DT_ANY, "what", "  !! %s changed:",
				     "target fingerprint");
			dt_print_str(DT_JSON, "key", NULL, "target.fingerprint.hash");
			dt_print_str_opt(DT_ANY, "base", " %s", fb, "none");
			dt_print_str_opt(DT_ANY, "new", " -> %s", fn, "none");
			dt_print_text("%s\n", o->force ? " (compared: --force)" : "");
			dt_print_end_object();
			loud++;
		}
		if (differs(base->workload, nd->workload)) {
			dt_print_begin_row(NULL);
			dt_print_str(DT_ANY, "what", "  !! %s changed:", "workload");
			dt_print_str(DT_JSON, "key", NULL, "workload");
			dt_print_str(DT_ANY, "base", " %s", base->workload);
			dt_print_str(DT_ANY, "new", " -> %s\n", nd->workload);
			dt_print_end_object();
			loud++;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(measured); i++) {
		const char *a = jtext(base->root, measured[i].path);
		const char *b;

		a = strdupa(a);
		b = jtext(nd->root, measured[i].path);
		if (!differs(a, b))
			continue;
		dt_print_begin_row(NULL);
		dt_print_str(DT_ANY, "what", "  !! %s changed:", measured[i].what);
		dt_print_str(DT_JSON, "key", NULL, measured[i].path);
		dt_print_str(DT_ANY, "base", " %s", a);
		dt_print_str(DT_ANY, "new", " -> %s\n", b);
		dt_print_end_object();
		loud++;
	}
	dt_print_end_array();
	dt_print_str_opt(DT_ANY, "note", "  note: %s\n", base->one_run ||
			 nd->one_run ? "one run a side: the intervals hold "
			 "the spread within a run, not from run to run, which "
			 "is larger; a change beyond them is \"within-run "
			 "only\", no verdict, never a regression; for "
			 "verdicts, bench --runs N (3 or more) on both sides" :
			 NULL, NULL);
	if (loud)
		dt_print_text("  !! WHAT WAS MEASURED CHANGED: the speeds below "
			      "are of different things\n");

	dt_print_text("\n  %-9s %10s %10s %8s  %-20s %s\n", "METRIC", "BASE",
		      "NEW", "CHANGE", "INTERVAL", "VERDICT");
	dt_print_begin_array("rows");
	for (size_t i = 0; i < rb->n; i++) {
		const struct row *b = &rb->r[i], *n = find_row(rn, b->key);
		bool mix;
		int row_reg = 0, row_imp = 0, row_moved = 0, row_open = 0;
		struct result lat_mean = { .lo = NAN };
		const char *verdict;

		if (!n)
			continue;
		mix = !isnan(b->pmd_ratio) && !isnan(n->pmd_ratio) ?
		      fabs(b->pmd_ratio - n->pmd_ratio) > PMD_EPS :
		      isnan(b->pmd_ratio) != isnan(n->pmd_ratio);
		dt_print_begin_object(NULL);
		dt_print_str(DT_ANY, "row", "  %s", b->label);
		dt_print_size(DT_JSON, "page_size", NULL, b->page_size);
		dt_print_str(DT_JSON, "access", NULL, b->access);
		dt_print_u64(DT_JSON, "threads", NULL, b->threads);
		dt_print_begin_object("pmd_ratio");
		dt_print_double_opt(DT_ANY, "base", ": pmd_ratio %.2f", b->pmd_ratio,
				    "-");
		dt_print_double_opt(DT_ANY, "new", " -> %.2f", n->pmd_ratio, "-");
		dt_print_bool(DT_JSON, "changed", NULL, mix);
		dt_print_end_object();
		if (mix)
			dt_print_text("  !! PAGE-SIZE MIX CHANGED: not a speed-up "
				      "or a slow-down");
		dt_print_text("\n");
		dt_print_begin_array("metrics");
		for (unsigned k = 0; k < b->nm; k++) {
			const struct metric *mb = &b->m[k], *mn = NULL;
			struct metric cb, cn;
			struct result res;
			char ivl[48] = "";
			int ret;

			for (unsigned j = 0; j < n->nm; j++)
				if (!strcmp(n->m[j].name, mb->name))
					mn = &n->m[j];
			if (!mn || (mn->kind != mb->kind &&
				    !common_kind(mb, mn, &cb, &cn)))
				continue;
			if (mn->kind != mb->kind) {
				mb = &cb;
				mn = &cn;
			}
			ret = compute(o, base->path, nd->path, b, mb, mn,
				      &lat_mean, &res);
			if (ret) {
				free(bars.b);
				return -ret;
			}
			if (!strcmp(mb->name, "lat_mean"))
				lat_mean = res;
			if (mix)	/* a change of what, not of how fast */
				res.regression = false;
			row_reg += res.regression;
			row_imp += res.significant == 1 && !res.worse && !mix;
			row_moved += res.moved;
			row_open += isnan(res.lo);
			bar_add(&bars, b, mb, &res);
			dt_print_begin_row(NULL);
			dt_print_str(DT_ANY, "metric", "    %-9s", mb->name);
			dt_print_str(DT_JSON, "unit", NULL, mb->unit);
			print_value("base", " %10s", mb->unit, res.ci.base);
			print_value("new", " %10s", mb->unit, res.ci.new);
			dt_print_double_opt(DT_ANY, "change_pct", " %+7.1f%%",
					    res.change, "       -");
			if (!isnan(res.lo))
				snprintf(ivl, sizeof(ivl), "[%+.1f%%, %+.1f%%]",
					 res.lo, res.hi);
			dt_print_text("  %-20s", ivl[0] ? ivl : "no interval");
			dt_print_double_opt(DT_JSON, "ci_low_pct", NULL, res.lo, NULL);
			dt_print_double_opt(DT_JSON, "ci_high_pct", NULL, res.hi, NULL);
			dt_print_str(DT_JSON, "method", NULL, kind_methods[mb->kind]);
			dt_print_str_opt(DT_JSON, "scope", NULL,
					 mb->kind == M_POINT ? NULL :
					 res.within_run ? "within_run" : "runs",
					 NULL);
			dt_print_bool_opt(DT_JSON, "significant", NULL,
					  res.significant, NULL);
			dt_print_bool_opt(DT_JSON, "within_run_only", NULL,
					  res.within_run ? res.moved : -1, NULL);
			dt_print_str_opt(DT_JSON, "direction", NULL,
					 res.significant == 1 ? res.worse ?
					 "worse" : "better" : NULL, NULL);
			dt_print_bool(DT_JSON, "regression", NULL, res.regression);
			dt_print_text(" %s\n", res.regression ? "REGRESSION" :
				      mix && res.significant == 1 ? "changed "
				      "(other page sizes)" :
				      res.significant == 1 ? res.worse ? "worse" :
				      "better" : res.significant == 0 ?
				      "no significant change" : res.moved ?
				      res.worse ? "slower within-run only" :
				      "faster within-run only" : "");
			dt_print_end_object();
		}
		dt_print_end_array();
		/* fewer huge pages than the base got: the regression the
		 * kernel's silent fallback looks like, whatever the speed */
		if (mix && !isnan(b->pmd_ratio) && !isnan(n->pmd_ratio) &&
		    n->pmd_ratio < b->pmd_ratio) {
			row_reg++;
			dt_print_text("    REGRESSION: fewer huge pages than the "
				      "base got\n");
		}
		verdict = mix ? (row_reg ? "regression" : "measured_changed") :
			  row_reg ? "regression" : row_imp ? "improvement" :
			  row_moved ? "within_run_only" : row_open ? "undetermined" :
			  "no_change";
		dt_print_str(DT_JSON, "verdict", NULL, verdict);
		dt_print_end_object();
		regressions += row_reg ? 1 : 0;
		improvements += row_imp ? 1 : 0;
	}
	dt_print_end_array();

	dt_print_begin_array("unmatched");
	for (int side = 0; side < 2; side++) {
		const struct rows *a = side ? rn : rb, *other = side ? rb : rn;

		for (size_t i = 0; i < a->n; i++) {
			if (find_row(other, a->r[i].key))
				continue;
			dt_print_begin_row(NULL);
			dt_print_str(DT_ANY, "side", "  unmatched, only in %s:",
				     side ? "new" : "base");
			dt_print_str(DT_ANY, "row", " %s\n", a->r[i].label);
			dt_print_end_object();
		}
	}
	dt_print_end_array();
	dt_print_u64(DT_ANY, "regressions", "  %" PRIu64 " row(s) regressed",
		     (uint64_t)regressions);
	dt_print_u64(DT_ANY, "improvements", ", %" PRIu64 " improved\n",
		     (uint64_t)improvements);
	if (!o->no_chart)
		chart(&bars);
	free(bars.b);
	dt_print_end_object();
	return regressions;
}

static const char *const fail_on_choices[] = { "regression", NULL };

int cmd_compare(int argc, const char **argv, struct dt_ctx *ctx)
{
	struct opts o = { .level = 0.95 };
	const char *threshold = NULL, *level = NULL;
	int fail_on = -1, ret = DT_EXIT_OK, total = 0;
	struct doc *docs;
	struct rows *rows;
	const struct opt opts[] = {
		OPT_STRING(0, "threshold", &threshold, "PCT",
			   "a regression counts when it is more than PCT% (default 0)"),
		OPT_CHOICE(0, "fail-on", &fail_on, fail_on_choices, "regression",
			   "exit 1 on a significant regression past the threshold"),
		OPT_STRING(0, "level", &level, "PCT",
			   "the intervals' confidence level (default 95)"),
		OPT_BOOLEAN(0, "force", &o.force,
			    "compare results of targets with other fingerprints"),
		OPT_BOOLEAN(0, "no-chart", &o.no_chart, "no chart of the changes"),
		OPT_BOOLEAN('j', "json", &o.json, "print JSON"),
		OPT_END(),
	};
	static const char *const usage[] = {
		"daxtool compare [options] BASE.json NEW.json [NEW.json...]",
		"",
		"    Compare bench results (fault, pmd-fault, rw, latency) row by",
		"    row: the change of each metric with its interval, significant",
		"    where the interval excludes zero; what was measured first.",
		"",
		"    Exit status: 0; 1 with --fail-on regression where a row",
		"    regressed significantly past --threshold (or got fewer huge",
		"    pages); 2 usage error or input that is not a bench result.",
		NULL,
	};

	(void)ctx;
	argc = parse_options(argc, argv, opts, usage);
	if (argc < 2)
		usage_error("give a base result and at least one to compare");
	if (threshold) {
		char *end;

		o.threshold = strtod(threshold, &end);
		if (end == threshold || *end || !isfinite(o.threshold) ||
		    o.threshold < 0)
			usage_error("--threshold: '%s' is not a percentage of 0 "
				    "or more", threshold);
	}
	if (level) {
		char *end;

		o.level = strtod(level, &end) / 100;
		if (end == level || *end || !(o.level >= 0.5 && o.level < 1))
			usage_error("--level: '%s' is not a percentage in [50, "
				    "100)", level);
	}
	o.fail_on_regression = fail_on == 0;
	docs = calloc((size_t)argc, sizeof(*docs));
	rows = calloc((size_t)argc, sizeof(*rows));
	if (!docs || !rows) {
		dt_err("%s", strerror(ENOMEM));
		free(docs);
		free(rows);
		return DT_EXIT_FAIL;
	}
	/* every file read and checked before anything is printed: bad input
	 * prints nothing on stdout */
	for (int i = 0; i < argc && ret == DT_EXIT_OK; i++) {
		ret = load(&docs[i], argv[i]);
		if (!ret)
			ret = rows_of(&docs[i], &rows[i]);
	}
	for (int i = 1; i < argc && ret == DT_EXIT_OK; i++) {
		const char *fb = jstr(docs[0].root, "target.fingerprint.hash");
		const char *fn = jstr(docs[i].root, "target.fingerprint.hash");

		if (!o.force && (!fb || !fn || strcmp(fb, fn)))
			ret = bad(docs[i].path, "its target's fingerprint %s is "
				  "not the base's %s (%s): results of unlike "
				  "targets; --force compares them anyway",
				  fn ? fn : "(none)", fb ? fb : "(none)",
				  docs[0].path);
	}
	if (ret == DT_EXIT_OK) {
		dt_print_init(o.json ? DT_PF_JSON : DT_PF_TEXT, false);
		dt_print_begin_object(NULL);
		dt_print_meta();
		dt_print_begin_object("base");
		dt_print_str(DT_ANY, "path", "base %s", docs[0].path);
		dt_print_str(DT_ANY, "workload", " (%s", docs[0].workload);
		dt_print_str(DT_ANY, "daxtool", ", daxtool %s",
			     jstr(docs[0].root, "daxtool"));
		dt_print_str_opt(DT_ANY, "hostname", ", host %s)\n",
				 jstr(docs[0].root, "context.hostname"), "?)\n");
		dt_print_str_opt(DT_JSON, "fingerprint", NULL,
				 jstr(docs[0].root, "target.fingerprint.hash"),
				 NULL);
		dt_print_end_object();
		dt_print_double(DT_ANY, "level", "intervals %.0f%%", o.level * 100);
		dt_print_double(DT_ANY, "threshold_pct", ", threshold %g%%",
				o.threshold);
		dt_print_begin_object("bootstrap");
		dt_print_u64(DT_ANY, "replicates", ", bootstrap %" PRIu64
			     " replicates", BOOT_REPS);
		dt_print_u64(DT_ANY, "seed", ", seed %" PRIu64 "\n", BOOT_SEED);
		dt_print_end_object();
		dt_print_begin_array("comparisons");
		for (int i = 1; i < argc; i++) {
			int r = compare_one(&o, &docs[0], &rows[0], &docs[i],
					    &rows[i]);

			if (r < 0) {
				/* not met: the input was checked when read */
				ret = -r;
				break;
			}
			total += r;
		}
		if (ret == DT_EXIT_OK) {
			dt_print_end_array();
			dt_print_u64(DT_ANY, "regressions", "\n%" PRIu64
				     " regression(s) in all", (uint64_t)total);
			dt_print_str(DT_ANY, "verdict", ": %s\n", total ?
				     "regression" : "ok");
			dt_print_end_object();
			if (dt_print_finish() < 0) {
				dt_err("writing output: %s", strerror(errno));
				ret = DT_EXIT_FAIL;
			} else if (o.fail_on_regression && total) {
				ret = DT_EXIT_FAIL;
			}
		}
	}
	for (int i = 0; i < argc; i++) {
		json_object_put(docs[i].root);
		free(rows[i].r);
	}
	free(docs);
	free(rows);
	return ret;
}
