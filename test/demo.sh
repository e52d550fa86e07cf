#!/bin/sh
# make demo: the main job on this machine, no DAX hardware needed. Maps a
# sparse, partly preallocated file (and shows it as JSON for scripts),
# asks check about it, then runs the fault benchmark on the default
# target: device-DAX where there is one, else emulated memory.
DAXTOOL=${1:-./daxtool}
d=$(mktemp -d "${TMPDIR:-/tmp}/daxtool-demo.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT
f=$d/sample
# 16 MiB: a hole, 4 MiB of data, a hole, 4 MiB preallocated with 64 KiB
# written in its middle, and a trailing hole
truncate -s 16M "$f"
xfs_io -c 'pwrite -q -S 0x5a 2m 4m' -c 'falloc 8m 4m' \
	-c 'pwrite -q -S 0x5a 10m 64k' -c fsync "$f" || exit 1
set -x
"$DAXTOOL" map -u --graph "$f" || exit 1
"$DAXTOOL" map --json --range 8M:4M "$f" || exit 1
"$DAXTOOL" check "$f"	# exit 1 here: the file is not DAX, and it says why
"$DAXTOOL" bench pmd-fault --size 64M || exit 1
