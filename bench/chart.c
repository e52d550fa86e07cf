// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ASCII chart of a latency curve: a grid of cells filled with the
 * series' marks, framed by the y labels, the axis and the size labels.
 * See chart.h for the layout.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"

const char *chart_fmt_size(char *buf, size_t len, double bytes)
{
	static const char unit[] = "KMGTPE";
	int u = -1;

	while (bytes >= 1024 && u < (int)sizeof(unit) - 2) {
		bytes /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%.0f", bytes);
	else if (bytes == floor(bytes))
		snprintf(buf, len, "%.0f%c", bytes, unit[u]);
	else
		snprintf(buf, len, "%.1f%c", bytes, unit[u]);
	return buf;
}

/* The y label: at most CHART_LABEL characters */
static void fmt_y(char *buf, size_t len, double v)
{
	if (v >= 999999.5)
		snprintf(buf, len, "%.0e", v);
	else if (v >= 100 || v == floor(v))
		snprintf(buf, len, "%.0f", v);
	else if (v >= 10)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.3g", v);
}

/* A round number at or above @v (@up), or at or below it: 1, 1.5, 2, 2.5,
 * 3, 4, 5, 6 or 8 times a power of ten. @v > 0. */
static double nice(double v, bool up)
{
	static const double m[] = { 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 };
	double p = pow(10, floor(log10(v)));
	int n = sizeof(m) / sizeof(m[0]);

	if (up) {
		for (int i = 0; i < n; i++)
			if (m[i] * p >= v * (1 - 1e-9))
				return m[i] * p;
		return 10 * p;
	}
	for (int i = n - 1; i >= 0; i--)
		if (m[i] * p <= v * (1 + 1e-9))
			return m[i] * p;
	return p / 10;
}

struct frame {
	unsigned width, height, pw;	/* pw: the plot's columns */
	bool log_y, any;
	double lx0, lx1;		/* log2 of the sizes at the edges */
	double lo, hi;			/* y at the edges (log10) */
};

static bool usable(const struct frame *f, double x, double y)
{
	return isfinite(x) && x > 0 && isfinite(y) &&
	       (f->log_y ? y > 0 : y >= 0);
}

static void ranges(struct frame *f, const struct chart_series *s, size_t ns)
{
	double xmin = INFINITY, xmax = 0, ymin = INFINITY, ymax = 0;

	for (size_t k = 0; k < ns; k++) {
		for (size_t i = 0; i < s[k].n; i++) {
			double x = s[k].x[i], y = s[k].y[i];

			if (!usable(f, x, y))
				continue;
			f->any = true;
			xmin = fmin(xmin, x);
			xmax = fmax(xmax, x);
			ymin = fmin(ymin, y);
			ymax = fmax(ymax, y);
		}
	}
	if (!f->any)
		return;
	f->lx0 = log2(xmin);
	f->lx1 = log2(xmax);
	if (f->log_y) {
		double lo = nice(ymin, false), hi = nice(ymax, true);

		if (hi <= lo)
			hi = nice(lo * 1.5, true);
		f->lo = log10(lo);
		f->hi = log10(hi);
	} else {
		f->lo = 0;
		f->hi = ymax > 0 ? nice(ymax, true) : 1;
	}
}

/* The plot column (0 at CHART_GUTTER) of size @x */
static unsigned column(const struct frame *f, double x)
{
	double t = f->lx1 > f->lx0 ? (log2(x) - f->lx0) / (f->lx1 - f->lx0) : 0;

	return (unsigned)lround(fmin(fmax(t, 0), 1) * (f->pw - 1));
}

static unsigned row(const struct frame *f, double y)
{
	double v = f->log_y ? log10(y) : y;
	double t = (v - f->lo) / (f->hi - f->lo);

	return f->height - 1 -
	       (unsigned)lround(fmin(fmax(t, 0), 1) * (f->height - 1));
}

/* Label the row of @v, unless a label is within two rows of it */
static void label(const struct frame *f, double *labels, double v)
{
	unsigned r = row(f, v);

	for (unsigned i = r > 2 ? r - 2 : 0; i <= r + 2 && i < f->height; i++)
		if (!isnan(labels[i]))
			return;
	labels[r] = v;
}

/*
 * The y labels: round values, each on the row where a point of that
 * value lands: the bottom and the top first, then powers of ten, then
 * 2 and 5 times them (log), or multiples of a 1, 2 or 5 step (linear),
 * wherever they stand clear of the others.
 */
static void y_labels(const struct frame *f, double *labels)
{
	for (unsigned r = 0; r < f->height; r++)
		labels[r] = NAN;
	if (!f->any)
		return;
	if (f->log_y) {
		static const double m[] = { 1, 2, 5 };

		label(f, labels, pow(10, f->lo));
		label(f, labels, pow(10, f->hi));
		for (int i = 0; i < 3; i++)
			for (double e = floor(f->lo); e <= ceil(f->hi); e++) {
				double v = m[i] * pow(10, e);

				if (log10(v) >= f->lo && log10(v) <= f->hi)
					label(f, labels, v);
			}
	} else {
		double step = f->hi / 5, p = pow(10, floor(log10(step)));

		step = step <= p ? p : step <= 2 * p ? 2 * p :
		       step <= 5 * p ? 5 * p : 10 * p;
		label(f, labels, 0);
		label(f, labels, f->hi);
		for (double v = step; v < f->hi; v += step)
			label(f, labels, v);
	}
}

static void emit(char *buf, chart_line_fn *line, void *arg, int *n)
{
	size_t len = strlen(buf);

	while (len && buf[len - 1] == ' ')
		buf[--len] = 0;
	line(buf, arg);
	(*n)++;
}

/* The axis and the size labels under it: a label every @step doublings
 * from the first power of two in range, the step as small as lets the
 * labels stand apart */
static void x_axis(const struct frame *f, char *axis, char *labels)
{
	double per = f->lx1 > f->lx0 ? (f->pw - 1) / (f->lx1 - f->lx0) : 0;
	long k0 = (long)ceil(f->lx0 - 1e-9), k1 = (long)floor(f->lx1 + 1e-9);
	long step = 1;
	unsigned next = 0;	/* the first column free for a label */

	memset(axis, ' ', CHART_GUTTER - 1);
	axis[CHART_GUTTER - 1] = '+';
	memset(axis + CHART_GUTTER, '-', f->pw);
	axis[f->width] = 0;
	memset(labels, ' ', f->width);
	labels[f->width] = 0;
	if (!f->any)
		return;
	if (k1 < k0)	/* no power of two in range: label the one size */
		k0 = k1 = lround(f->lx0);
	while (per && per * step < 6)	/* "512K" and a space or two */
		step++;
	for (long k = k0; k <= k1; k += step) {
		char text[16];
		unsigned col = CHART_GUTTER + column(f, ldexp(1, (int)k));
		size_t len = strlen(chart_fmt_size(text, sizeof(text),
						   ldexp(1, (int)k)));
		long start = (long)col - (long)len / 2;

		if (start < 0)
			start = 0;
		if (start + len > f->width)
			start = (long)(f->width - len);
		if (start < (long)next)
			continue;
		memcpy(labels + start, text, len);
		axis[col] = '+';
		next = (unsigned)(start + len + 1);
	}
}

int chart_render(const struct chart_opts *o, const struct chart_series *s,
		 size_t nseries, chart_line_fn *line, void *arg)
{
	struct frame f = {
		.width = o->width ? o->width : CHART_WIDTH,
		.height = o->height ? o->height : CHART_HEIGHT,
		.log_y = o->log_y,
	};
	double ylab[CHART_MAX_HEIGHT];
	char *grid, *buf, *labels;
	int n = 0;

	if (f.width < CHART_MIN_WIDTH || f.width > CHART_MAX_WIDTH ||
	    f.height < CHART_MIN_HEIGHT || f.height > CHART_MAX_HEIGHT ||
	    !nseries || !s || !line)
		return -EINVAL;
	f.pw = f.width - CHART_GUTTER;
	grid = malloc((size_t)f.height * f.pw);
	buf = malloc(2 * ((size_t)f.width + 1));
	if (!grid || !buf) {
		free(grid);
		free(buf);
		return -ENOMEM;
	}
	labels = buf + f.width + 1;
	ranges(&f, s, nseries);
	y_labels(&f, ylab);
	memset(grid, ' ', (size_t)f.height * f.pw);
	for (size_t k = 0; k < nseries && f.any; k++) {
		char mark = s[k].mark ? s[k].mark : '*';

		for (size_t i = 0; i < s[k].n; i++) {
			double x = s[k].x[i], y = s[k].y[i];
			char *cell;

			if (!usable(&f, x, y))
				continue;
			cell = grid + (size_t)row(&f, y) * f.pw + column(&f, x);
			*cell = *cell == ' ' || *cell == mark ? mark :
				CHART_OVERLAP;
		}
	}

	if (o->title) {
		snprintf(buf, f.width + 1, "%s", o->title);
		emit(buf, line, arg, &n);
	}
	for (unsigned r = 0; r < f.height; r++) {
		char text[32] = "";

		if (!isnan(ylab[r]))
			fmt_y(text, sizeof(text), ylab[r]);
		snprintf(buf, f.width + 1, "%*.*s |%.*s", CHART_LABEL,
			 CHART_LABEL, text, (int)f.pw, grid + (size_t)r * f.pw);
		emit(buf, line, arg, &n);
	}
	x_axis(&f, buf, labels);
	emit(buf, line, arg, &n);
	emit(labels, line, arg, &n);

	buf[0] = 0;
	for (size_t k = 0, at = 0; k < nseries; k++) {
		int w;

		if (!s[k].label)
			continue;
		w = snprintf(buf + at, f.width + 1 - at, "%*s%c %s",
			     at ? 2 : CHART_GUTTER, "",
			     s[k].mark ? s[k].mark : '*', s[k].label);
		if (w < 0 || at + (size_t)w >= f.width)
			break;	/* what did not fit is cut */
		at += (size_t)w;
	}
	if (buf[0])
		emit(buf, line, arg, &n);
	free(grid);
	free(buf);
	return n;
}
