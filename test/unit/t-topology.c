// SPDX-License-Identifier: GPL-2.0-only
/* What mount options say about DAX. */
#include <string.h>
#include <sys/sysmacros.h>

#include "daxtool/backing.h"
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
	/* where the translation cannot be made, the reason, not a guess */
	struct dt_topology none = { 0 };
	struct dt_backing b;

	dt_backing_of_file(&none, makedev(8, 0), true, &b);
	CHECK(b.base == DT_NO_ADDR && strstr(b.why, "btrfs reports filesystem-logical"),
	      "backing: btrfs addresses are not translated (%s)", b.why);
	dt_backing_of_file(&none, makedev(0, 4242), false, &b);
	CHECK(b.base == DT_NO_ADDR && strstr(b.why, "no block device"),
	      "backing: a filesystem without a block device (%s)", b.why);
	TAP_EXIT();
}
