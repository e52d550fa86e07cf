/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An ASCII chart of a latency curve, for the terminal: working-set size
 * across (a log2 scale, labelled 16K, 1M, 64M), ns per load up (linear
 * from 0, or log10), one mark per point and series:
 *
 *	ns per load, by working set
 *	   150 |                                        *   *  *   #
 *	       |                                    #   o   o  o
 *	       |                                 #
 *	       |
 *	    10 |                      #   #  #
 *	       |
 *	       |           #   #  #
 *	       |
 *	     1 |#   #  #
 *	       ++------+-------+------+------+------+-------+------+
 *	       16K    64K    256K    1M     4M     16M     64M  256M
 *	        * 4K pages  o 2M pages
 *
 * Lines go to a callback, one at a time, without a newline (the runner
 * passes them to dt_print_text), never to stdout.
 *
 * The layout, fixed so that a caller (and a test) knows where a point
 * lands: @title first if given; then @height plot rows, each a y label
 * (a round value, on the row where a point of that value lands; not on
 * every row) right-aligned in CHART_LABEL columns, a space and '|', the
 * plot from column CHART_GUTTER to @width - 1; then the axis, exactly @width
 * columns, '+' at the labelled sizes; then the size labels; then the
 * legend if a series has a label. No line is longer than @width; trailing
 * blanks are cut.
 */
#ifndef DAXTOOL_BENCH_CHART_H
#define DAXTOOL_BENCH_CHART_H

#include <stdbool.h>
#include <stddef.h>

#define CHART_LABEL	6	/* columns of a y label */
#define CHART_GUTTER	(CHART_LABEL + 2)	/* the plot's column 0 */
#define CHART_WIDTH	72
#define CHART_HEIGHT	16
#define CHART_MIN_WIDTH	(CHART_GUTTER + 16)
#define CHART_MAX_WIDTH	1024
#define CHART_MIN_HEIGHT 3
#define CHART_MAX_HEIGHT 200
/* where points of two series share a cell */
#define CHART_OVERLAP	'#'

struct chart_series {
	const char *label;	/* in the legend; NULL: not shown */
	char mark;		/* '*', 'o'; 0: '*' */
	const double *x;	/* working-set bytes; points at <= 0 or NaN */
	const double *y;	/* ns per load;	      are left out */
	size_t n;
};

struct chart_opts {
	unsigned width;		/* columns; 0: CHART_WIDTH */
	unsigned height;	/* plot rows; 0: CHART_HEIGHT */
	bool log_y;		/* log10 scale (y <= 0 left out) */
	const char *title;	/* a first line; NULL: none */
};

typedef void chart_line_fn(const char *s, void *arg);

/*
 * Draw @nseries series through @line. Returns the number of lines
 * written, or -EINVAL (a width or height out of range, no series) or
 * -ENOMEM. With no point to draw, the frame is drawn without labels.
 */
int chart_render(const struct chart_opts *o, const struct chart_series *s,
		 size_t nseries, chart_line_fn *line, void *arg);

/* "16K", "1M", "1.5G": a size as the x labels show it */
const char *chart_fmt_size(char *buf, size_t len, double bytes);

#endif
