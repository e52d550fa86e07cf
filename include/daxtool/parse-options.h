/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Option tables. Each command, and each benchmark workload beside its
 * code in bench/, declares its options once; the table drives parsing,
 * -h, and --list-opts (which the bash completion reads, so it cannot
 * drift from the code). The macros check the value's type at compile
 * time: a mismatch is a pointer-type warning, an error here. In
 * libdaxtool, as perf's is in libsubcmd: bench/ sees lib/, never cmd/.
 */
#ifndef DAXTOOL_PARSE_OPTIONS_H
#define DAXTOOL_PARSE_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

enum opt_type { OPTT_END, OPTT_BOOL, OPTT_STRING, OPTT_SIZE, OPTT_UINT,
		OPTT_CHOICE };

struct opt {
	enum opt_type type;
	int short_name;
	const char *long_name;
	void *value;
	const char *argh;		/* the argument's name in help */
	const char *help;
	const char *const *choices;	/* OPTT_CHOICE: NULL-terminated */
	bool *given;			/* set true when the option is given */
};

#define OPT_CHECK(v, T) ((void *)(1 ? (v) : (T)0))
#define OPT_END() { .type = OPTT_END }
#define OPT_BOOLEAN(s, l, v, h) \
	{ OPTT_BOOL, (s), (l), OPT_CHECK(v, bool *), NULL, (h), NULL, NULL }
#define OPT_STRING(s, l, v, a, h) \
	{ OPTT_STRING, (s), (l), OPT_CHECK(v, const char **), (a), (h), NULL, NULL }
#define OPT_SIZE(s, l, v, a, h) \
	{ OPTT_SIZE, (s), (l), OPT_CHECK(v, uint64_t *), (a), (h), NULL, NULL }
/* a size whose every value is valid: *g says whether it was given (no
 * in-band "not given" value such as UINT64_MAX, which a user can type) */
#define OPT_SIZE_GIVEN(s, l, v, g, a, h) \
	{ OPTT_SIZE, (s), (l), OPT_CHECK(v, uint64_t *), (a), (h), NULL, \
	  OPT_CHECK(g, bool *) }
#define OPT_UINT(s, l, v, a, h) \
	{ OPTT_UINT, (s), (l), OPT_CHECK(v, unsigned *), (a), (h), NULL, NULL }
/* *v is set to the index of the choice given */
#define OPT_CHOICE(s, l, v, c, a, h) \
	{ OPTT_CHOICE, (s), (l), OPT_CHECK(v, int *), (a), (h), (c), NULL }

/*
 * Parse argv[1..] against @opts. Returns the number of arguments left,
 * moved to argv[0..]. Prints help and exits 0 on -h/--help; lists long
 * options and exits 0 on --list-opts; reports a usage error and exits 2
 * on anything it cannot parse.
 */
int parse_options(int argc, const char **argv, const struct opt *opts,
		  const char *const *usage);
/* Print usage and options to stderr and exit 2 (a usage error). */
void usage_with_options(const char *const *usage, const struct opt *opts)
	__attribute__((noreturn));
/* Report a usage error ("daxtool: CMD: ...") and exit 2. */
void usage_error(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

#endif
