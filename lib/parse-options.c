// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxtool/util.h"
#include "daxtool/parse-options.h"

enum { OPT_HELP = 256, OPT_LIST_OPTS, OPT_BASE };

/* The column where option descriptions start; a longer option puts its
 * description on the next line, there. */
#define HELP_COL 30

/*
 * Usage lines, "usage: ..." then "   or: ..."; an empty line ends them,
 * and what follows is a paragraph, printed as it is. Then the options.
 */
static void print_usage(FILE *f, const char *const *usage,
			const struct opt *opts)
{
	int i = 0;

	for (; usage[i] && usage[i][0]; i++)
		fprintf(f, "%s%s\n", i ? "   or: " : "usage: ", usage[i]);
	for (; usage[i]; i++)
		fprintf(f, "%s%s\n", usage[i][0] ? "    " : "", usage[i]);
	fputc('\n', f);
	for (const struct opt *o = opts; o->type != OPTT_END; o++) {
		char left[192];
		int n = 0;

		n += snprintf(left + n, sizeof(left) - n, "    ");
		if (o->short_name)
			n += snprintf(left + n, sizeof(left) - n, "-%c, ",
				      o->short_name);
		else
			n += snprintf(left + n, sizeof(left) - n, "    ");
		n += snprintf(left + n, sizeof(left) - n, "--%s%s%s",
			      o->long_name, o->argh ? " " : "",
			      o->argh ? o->argh : "");
		if (n >= HELP_COL)
			fprintf(f, "%s\n%*s %s\n", left, HELP_COL, "", o->help);
		else
			fprintf(f, "%-*s %s\n", HELP_COL, left, o->help);
	}
	fprintf(f, "%-*s %s\n", HELP_COL, "    -h, --help", "show this help");
}

void usage_with_options(const char *const *usage, const struct opt *opts)
{
	print_usage(stderr, usage, opts);
	exit(DT_EXIT_USAGE);
}

void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dt_verr(fmt, ap);	/* escapes what the user gave */
	va_end(ap);
	exit(DT_EXIT_USAGE);
}

static void set_value(const struct opt *o, const char *arg)
{
	const char *why = NULL;
	uint64_t v;

	if (o->given)
		*o->given = true;
	switch (o->type) {
	case OPTT_BOOL:
		*(bool *)o->value = true;
		return;
	case OPTT_STRING:
		*(const char **)o->value = arg;
		return;
	case OPTT_SIZE:
		if (dt_parse_size(arg, &v, &why))
			usage_error("--%s: invalid size '%s': %s",
				    o->long_name, arg, why);
		*(uint64_t *)o->value = v;
		return;
	case OPTT_UINT:
		if (!dt_parse_size(arg, &v, &why) && v > UINT32_MAX)
			why = "more than 4294967295";
		if (why)
			usage_error("--%s: invalid number '%s': %s",
				    o->long_name, arg, why);
		*(unsigned *)o->value = (unsigned)v;
		return;
	case OPTT_CHOICE:
		for (int i = 0; o->choices[i]; i++) {
			if (!strcmp(arg, o->choices[i])) {
				*(int *)o->value = i;
				return;
			}
		}
		char list[256] = "";

		for (int i = 0; o->choices[i]; i++) {
			strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
			strncat(list, o->choices[i], sizeof(list) - strlen(list) - 1);
		}
		usage_error("--%s: '%s' is not one of: %s", o->long_name, arg,
			    list);
	case OPTT_END:
		break;
	}
}

/* How the user would write option @val: "--size" or "-s". */
static const char *option_name(char *buf, size_t len,
			       const struct option *longopts, int val)
{
	for (const struct option *l = longopts; l->name; l++)
		if (l->val == val && val >= OPT_HELP) {
			snprintf(buf, len, "--%s", l->name);
			return buf;
		}
	snprintf(buf, len, "-%c", (char)val);
	return buf;
}

/*
 * getopt_long's '?': @optval is the option's value when a long option
 * that takes none was given one (--json=1), a short option's character
 * when it is unknown, and 0 for a long option that is unknown or an
 * ambiguous abbreviation (@arg, as typed).
 */
static void __attribute__((noreturn))
bad_option(const struct option *longopts, int optval, const char *arg)
{
	char name[80], list[256] = "";
	size_t len, n = 0;

	if (optval)
		usage_error(optval >= OPT_HELP ? "option '%s' takes no value" :
			    "unknown option '%s'",
			    option_name(name, sizeof(name), longopts, optval));
	arg += strspn(arg, "-");
	len = strcspn(arg, "=");
	for (const struct option *l = longopts; l->name; l++) {
		if (strncmp(l->name, arg, len))
			continue;
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s--%s", n++ ? ", " : "", l->name);
	}
	if (n > 1)
		usage_error("ambiguous option '--%.*s': %s?", (int)len, arg,
			    list);
	usage_error("unknown option '--%.*s'", (int)len, arg);
}

static void __attribute__((noreturn)) list_opts(const struct opt *opts)
{
	for (const struct opt *o = opts; o->type != OPTT_END; o++)
		printf("--%s%s\n", o->long_name, o->argh ? "=" : "");
	printf("--help\n");
	exit(DT_EXIT_OK);
}

int parse_options(int argc, const char **argv, const struct opt *opts,
		  const char *const *usage)
{
	struct option longopts[64];
	char shortopts[128] = ":h";
	size_t nl = 0, ns = 2;
	char name[80];
	int n = 0, c;

	for (const struct opt *o = opts; o->type != OPTT_END; o++, n++) {
		if (nl + 3 >= ARRAY_SIZE(longopts) || ns + 3 >= sizeof(shortopts))
			abort();	/* table too large: a programming error */
		longopts[nl++] = (struct option) {
			o->long_name, o->type == OPTT_BOOL ? no_argument :
			required_argument, NULL, OPT_BASE + n,
		};
		if (o->short_name) {
			shortopts[ns++] = (char)o->short_name;
			if (o->type != OPTT_BOOL)
				shortopts[ns++] = ':';
		}
	}
	longopts[nl++] = (struct option) { "help", no_argument, NULL, OPT_HELP };
	longopts[nl++] = (struct option) { "list-opts", no_argument, NULL,
					    OPT_LIST_OPTS };
	longopts[nl] = (struct option) { 0 };
	shortopts[ns] = '\0';

	optind = 0;	/* full reset: commands may parse more than once */
	opterr = 0;
	while ((c = getopt_long(argc, (char *const *)argv, shortopts, longopts,
				NULL)) != -1) {
		const struct opt *o = NULL;

		switch (c) {
		case 'h':
		case OPT_HELP:
			print_usage(stdout, usage, opts);
			exit(DT_EXIT_OK);
		case OPT_LIST_OPTS:
			list_opts(opts);
		case ':':
			usage_error("%s needs an argument",
				    option_name(name, sizeof(name), longopts,
						optopt));
		case '?':
			bad_option(longopts, optopt, argv[optind - 1]);
		}
		if (c >= OPT_BASE)
			o = &opts[c - OPT_BASE];
		else
			for (const struct opt *p = opts; p->type != OPTT_END; p++)
				if (p->short_name == c)
					o = p;
		if (!o)
			abort();
		set_value(o, optarg);
	}
	for (int i = optind; i < argc; i++)
		argv[i - optind] = argv[i];
	return argc - optind;
}
