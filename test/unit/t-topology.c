// SPDX-License-Identifier: GPL-2.0-only
/* What mount options say about DAX. */
#include <string.h>
#include <sys/sysmacros.h>

#include "daxtool/topology.h"
#include "tap.h"

int main(void)
{
	static const struct {
		const char *fs, *opts; bool capable; const char *mode;
	} cases[] = {
		{ "xfs", "rw,attr2,dax=always,inode64", true, "always" },
		{ "ext4", "rw,relatime,stripe=512,dax=always", true, "always" },
		{ "ext4", "rw,dax", true, "always" },
		{ "ext2", "rw,dax", true, "always" },
		{ "xfs", "rw,dax=never", true, "never" },
		{ "xfs", "rw,dax=inode", true, "inode" },
		{ "xfs", "rw,attr2", true, "inode" },	/* the default */
		{ "ext4", "rw", false, "never" },
		{ "tmpfs", "rw,size=4k", true, "never" },
		{ "xfs", "rw,daxx,nodax", true, "inode" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(!strcmp(dt_dax_mode(cases[i].fs, cases[i].opts,
					  cases[i].capable), cases[i].mode),
		      "dax mode of %s '%s'%s is %s", cases[i].fs, cases[i].opts,
		      cases[i].capable ? " on a DAX device" : "", cases[i].mode);
	TAP_EXIT();
}
