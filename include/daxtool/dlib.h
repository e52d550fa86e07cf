/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Libraries loaded when first needed. libndctl, libdaxctl, libcxl,
 * libdevmapper and libpmem bring a dozen more with them (libkmod, libcrypto,
 * libselinux, ...), and loading them all takes longer than most of
 * daxtool's runs: a map of a file on a machine without NVDIMMs needs none
 * of them. A user lists the functions it calls once, in an X-macro, and
 * gets a struct of pointers typed from the library's own header:
 *
 *	#define ND_FNS(X) X(ndctl_new) X(ndctl_unref)
 *	static struct { ND_FNS(DT_DLIB_PTR) } nd;
 *	static struct dt_dlib nd_lib = DT_DLIB(DT_SO_NDCTL, ND_FNS, nd);
 *
 *	if (!dt_dlib_load(&nd_lib)) ... nd_lib.err says why
 *	nd.ndctl_new(&ctx);
 *
 * The sonames come from the build (the Makefile reads them from the
 * libraries found with pkg-config), so they match the headers compiled
 * against.
 */
#ifndef DAXTOOL_DLIB_H
#define DAXTOOL_DLIB_H

#include <stdbool.h>
#include <stddef.h>

struct dt_dlib {
	const char *soname;
	const char *const *names;	/* the functions, in the struct's order */
	void **fns;			/* the struct, as an array of pointers */
	size_t nr;
	int state;			/* 0 not tried, 1 loaded, -1 failed */
	char err[160];
};

#define DT_DLIB_PTR(f) __typeof__(&f) f;
#define DT_DLIB_NAME(f) #f,
#define DT_DLIB(so, LIST, s) {						\
	.soname = (so),							\
	.names = (const char *const[]){ LIST(DT_DLIB_NAME) },		\
	.fns = (void **)&(s),						\
	.nr = sizeof(s) / sizeof(void *),				\
}

/* Load the library and every function, once: true if all are there. */
bool dt_dlib_load(struct dt_dlib *l);

/* The libraries daxtool may load, NULL-terminated (for the virtual
 * machine tests, which copy them into the guest). */
extern const char *const dt_dlib_sonames[];

#ifndef DT_SO_NDCTL
#define DT_SO_NDCTL "libndctl.so.6"
#endif
#ifndef DT_SO_DAXCTL
#define DT_SO_DAXCTL "libdaxctl.so.1"
#endif
#ifndef DT_SO_CXL
#define DT_SO_CXL "libcxl.so.1"
#endif
#ifndef DT_SO_DEVMAPPER
#define DT_SO_DEVMAPPER "libdevmapper.so.1.02.1"
#endif
#ifndef DT_SO_PMEM
#define DT_SO_PMEM "libpmem.so.1"
#endif

#endif
