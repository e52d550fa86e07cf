// SPDX-License-Identifier: GPL-2.0-only
/*
 * The CXL fixed memory windows of the ACPI CEDT (see daxtool/cedt.h).
 *
 * Layout (ACPI 6.5, 5.2.28; CXL 3.0, 9.17.1): the 36-byte ACPI table
 * header (signature "CEDT", u32 length at 4), then structures, each with
 * u8 type, u8 reserved, u16 record length. A CFMWS (type 1):
 *	 4 u32 reserved		 8 u64 base HPA		16 u64 window size
 *	24 u8 ENIW (ways)	25 u8 arithmetic	26 u16 reserved
 *	28 u32 HBIG: granularity 256 << HBIG, HBIG 0-6	32 u16 restrictions
 *	34 u16 QTG id
 *	36 u32 target[]: one per way
 * Little-endian throughout.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daxtool/cedt.h"

#define ACPI_HEADER 36
#define CEDT_CFMWS 1
#define CFMWS_TARGETS 36

static uint64_t le(const unsigned char *p, unsigned bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

/* ENIW: 0-4 for 1 to 16 ways, 8-10 for 3, 6 and 12; 0 if invalid */
static unsigned eniw_ways(unsigned eniw)
{
	if (eniw <= 4)
		return 1u << eniw;
	if (eniw >= 8 && eniw <= 10)
		return 3u << (eniw - 8);
	return 0;
}

int dt_cedt_parse(const void *buf, size_t len, struct dt_cedt_window *out,
		  unsigned max)
{
	const unsigned char *t = buf;
	size_t at, end;
	int n = 0;

	if (len < ACPI_HEADER || memcmp(t, "CEDT", 4))
		return -EINVAL;
	end = le(t + 4, 4);
	if (end < ACPI_HEADER || end > len)
		return -EINVAL;
	for (at = ACPI_HEADER; at < end; ) {
		const unsigned char *s = t + at;
		size_t rec;
		unsigned ways, hbig;

		if (end - at < 4)
			return -EINVAL;
		rec = le(s + 2, 2);
		if (rec < 4 || rec > end - at)
			return -EINVAL;
		at += rec;
		if (s[0] != CEDT_CFMWS)
			continue;
		if (rec < CFMWS_TARGETS)
			return -EINVAL;
		ways = eniw_ways(s[24]);
		hbig = (unsigned)le(s + 28, 4);
		if (!ways || hbig > 6 || rec < CFMWS_TARGETS + 4 * (size_t)ways)
			return -EINVAL;
		if ((unsigned)n < max)
			out[n] = (struct dt_cedt_window){
				.base = le(s + 8, 8), .size = le(s + 16, 8),
				.ways = ways, .granularity = 256u << hbig,
				.arith = s[25],
			};
		if (n == INT16_MAX)
			return -EINVAL;
		n++;
	}
	return n;
}

/* ACPI tables are small; a CEDT holds a few dozen structures at most */
#define CEDT_MAX (1 << 20)

int dt_cedt_read(const char *path, struct dt_cedt_window **out, unsigned *nr)
{
	unsigned char *buf = malloc(CEDT_MAX);
	size_t len = 0;
	ssize_t got;
	int fd, n, ret = 0;

	*out = NULL;
	*nr = 0;
	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	while (len < CEDT_MAX && (got = read(fd, buf + len, CEDT_MAX - len)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		len += (size_t)got;
	}
	close(fd);
	n = ret ? ret : dt_cedt_parse(buf, len, NULL, 0);
	if (n > 0) {
		*out = calloc((size_t)n, sizeof(**out));
		n = *out ? dt_cedt_parse(buf, len, *out, (unsigned)n) : -ENOMEM;
	}
	free(buf);
	if (n < 0) {
		free(*out);
		*out = NULL;
		return n;
	}
	*nr = (unsigned)n;
	return 0;
}

const char *dt_cedt_arith_name(unsigned arith)
{
	switch (arith) {
	case DT_CEDT_MODULO:
		return "modulo";
	case DT_CEDT_XOR:
		return "xor";
	}
	return NULL;
}
