/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The test protocol of daxtool: one line per check on stdout,
 * "PASS name", "FAIL name: why" or "SKIP name: reason". test/check.sh
 * counts them. A unit test's exit status is 1 if anything failed.
 */
#ifndef DAXTOOL_TAP_H
#define DAXTOOL_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_failed;

static inline void __attribute__((format(printf, 2, 3)))
check_(int ok, const char *fmt, ...)
{
	va_list ap;

	fputs(ok ? "PASS " : "FAIL ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	if (!ok)
		tap_failed = 1;
}

/* CHECK(cond, "name %d", i): the condition is part of a failure's text */
#define CHECK(cond, ...) do {						\
	int ok_ = !!(cond);						\
	if (ok_)							\
		check_(1, __VA_ARGS__);					\
	else {								\
		char name_[256];					\
		snprintf(name_, sizeof(name_), __VA_ARGS__);		\
		check_(0, "%s: %s is false (%s:%d)", name_, #cond,	\
		       __FILE__, __LINE__);				\
	}								\
} while (0)

#define TAP_EXIT() return tap_failed

#endif
