/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DAXTOOL_FS_H
#define DAXTOOL_FS_H

#include <stdint.h>

/* "ext4", "xfs", "tmpfs", ... from statfs f_type; NULL if not known. */
const char *dt_fs_name(uint64_t f_type);

#endif
