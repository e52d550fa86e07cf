#!/bin/sh
# daxtool map against filefrag -v and xfs_io -c 'fiemap -v' on a file of
# 100,000 extents: median wall time over several runs, and peak memory.
# Target: daxtool at most 0.5x either tool's time; text-mode memory flat
# in the number of extents.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DAXTOOL=$ROOT/daxtool
MKFRAG=$ROOT/build/bench/tools/mkfrag
FLOOR=$ROOT/build/bench/tools/fiemap-floor
RUNS=${RUNS:-9}
N=${EXTENTS:-100000}
export LC_ALL=C

T=$(mktemp -d "$ROOT/build/bench.XXXXXX")
trap 'for m in "$T"/mnt-*; do umount "$m" 2>/dev/null; done
      [ -n "${dev:-}" ] && losetup -d "$dev"; rm -rf "$T"' EXIT

# median_ms CMD...: median wall time of RUNS runs, in ms (output discarded)
median_ms() {
	i=0
	while [ $i -lt "$RUNS" ]; do
		a=$(date +%s%N); "$@" >/dev/null 2>&1; b=$(date +%s%N)
		echo $(( (b - a) / 1000 ))
		i=$((i + 1))
	done | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] / 1000 }'
}

# peak_kb CMD...: peak resident memory, KiB
peak_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }

bench_on() {
	where=$1 f=$2
	"$MKFRAG" "$f" "$N" || return 1
	echo "-- $where: $(basename "$f"), $N data extents + $((N - 1)) holes, $RUNS runs, median"
	floor=$(median_ms "$FLOOR" "$f")
	dj=$(median_ms "$DAXTOOL" map --json "$f")
	dt=$(median_ms "$DAXTOOL" map "$f")
	ff=$(median_ms filefrag -v "$f")
	xi=$(median_ms xfs_io -r -c 'fiemap -v' "$f")
	printf '   %-34s %9s ms\n' "FIEMAP alone (the kernel's floor)" "$floor" \
		"daxtool map --json" "$dj" "daxtool map (text)" "$dt" \
		"filefrag -v" "$ff" "xfs_io -c 'fiemap -v'" "$xi"
	echo "   ratio daxtool --json / filefrag -v: $(ratio "$dj" "$ff")   / xfs_io: $(ratio "$dj" "$xi")   (target <= 0.50x)"
	echo "   ratio daxtool text   / filefrag -v: $(ratio "$dt" "$ff")   / xfs_io: $(ratio "$dt" "$xi")"
	echo "   the floor / filefrag -v: $(ratio "$floor" "$ff")   (no FIEMAP tool can go below it)"
}

bench_on "working tree ($(stat -f -c %T "$ROOT"))" "$T/frag"

if [ "$(id -u)" = 0 ] && command -v mkfs.xfs >/dev/null; then
	truncate -s 2G "$T/xfs.img"
	if dev=$(losetup -f --show "$T/xfs.img") && mkfs.xfs -q -f "$dev" &&
	   mkdir -p "$T/mnt-xfs" && mount "$dev" "$T/mnt-xfs"; then
		bench_on "xfs on a loop device" "$T/mnt-xfs/frag"
	fi
else
	echo "-- xfs: skipped (needs root and xfsprogs for a loop device)"
fi

# Memory: text output streams, so its peak must not grow with extents.
echo "-- peak memory (KiB), text and JSON, 10,000 vs $N extents"
"$MKFRAG" "$T/small" 10000
for mode in "" --json; do
	a=$(peak_kb "$DAXTOOL" map $mode "$T/small")
	b=$(peak_kb "$DAXTOOL" map $mode "$T/frag")
	printf '   daxtool map %-7s %8s -> %8s KiB  (%s)\n' "${mode:-text}" "$a" "$b" "$(ratio "$b" "$a")"
done
a=$(peak_kb filefrag -v "$T/small"); b=$(peak_kb filefrag -v "$T/frag")
printf '   filefrag -v         %8s -> %8s KiB  (%s)\n' "$a" "$b" "$(ratio "$b" "$a")"
echo "   (JSON is held whole until the end, so that an error never leaves half a document)"
