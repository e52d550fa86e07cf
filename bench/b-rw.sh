#!/bin/sh
# daxtool bench rw against fio on the same memory, and against a plain
# streaming loop (the memory's limit), in one invocation: medians of
# several runs, and the ratios. The memory is a tmpfs file (emulated: there
# is no DAX here), which both tools map. fio reads with its mmap engine and
# writes with its libpmem engine, direct=1 (non-temporal stores); libpmem
# refuses memory that is not pmem, so PMEM_IS_PMEM_FORCE=1 is set for
# fio's runs, here only. Targets: daxtool >= 1.0x fio on every row,
# >= 0.9x the streaming limit for 2 MiB sequential reads and writes.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DAXTOOL=$ROOT/daxtool
STREAM=$ROOT/build/bench/tools/streamloop
RUNS=${RUNS:-3}
SIZE=$((256 * 1048576))
export LC_ALL=C

command -v fio >/dev/null || { echo "fio is not installed: skipped"; exit 0; }
F=$(mktemp /dev/shm/daxtool-bench-rw.XXXXXX)
trap 'rm -f "$F"' EXIT
head -c $SIZE /dev/zero | tr '\0' 'Z' >"$F"

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
gbs() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1073741824 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }'; }

# loops for about a quarter second at a few GiB/s
loops() { [ "$1" = 4k ] && echo 4 || echo 8; }

dax() {	# dir bs threads: bytes/s, median
	copy=avx512; [ "$1" = write ] && copy=avx512-nt
	i=0; while [ $i -lt "$RUNS" ]; do
		"$DAXTOOL" bench rw --json --force --no-lat --rw "$1" --bs "$2" \
			--threads "$3" --loops "$(loops "$2")" --copy $copy "$F" |
			jq ".jobs[0].$1.bw_bytes"
		i=$((i + 1))
	done | median
}

fio_() {	# dir bs threads
	engine=mmap direct=0
	[ "$1" = write ] && engine=libpmem direct=1
	per=$((SIZE / $3))
	i=0; while [ $i -lt "$RUNS" ]; do
		PMEM_IS_PMEM_FORCE=1 fio --output-format=json --name=daxtool \
			--ioengine=$engine --direct=$direct --filename="$F" \
			--size=$per --offset_increment=$per --bs="$2" --rw="$1" \
			--numjobs="$3" --thread --group_reporting \
			--loops="$(loops "$2")" --overwrite=1 --unlink=0 |
			jq ".jobs[0].$1.bw_bytes"
		i=$((i + 1))
	done | median
}

echo "-- daxtool bench rw vs fio, $RUNS runs each, median GiB/s (tmpfs, emulated; PMEM_IS_PMEM_FORCE=1 for fio's libpmem)"
printf '   %-6s %-4s %-8s %10s %10s %8s\n' DIR BS THREADS daxtool fio ratio
for dir in read write; do
	for bs in 4k 2m; do
		for t in 1 2; do
			a=$(dax $dir $bs $t); b=$(fio_ $dir $bs $t)
			printf '   %-6s %-4s %-8s %10s %10s %8s\n' $dir $bs $t \
				"$(gbs "$a")" "$(gbs "$b")" "$(ratio "$a" "$b")"
			[ "$bs" = 2m ] && [ $t = 1 ] && eval "seq_$dir=$a"
		done
	done
done

if [ -x "$STREAM" ] && "$STREAM" read 4096 1 >/dev/null 2>&1; then
	echo "-- against the streaming limit, 1 thread: AVX-512 loads; non-temporal stores copying a cold 64 MiB source"
	for dir in read write; do
		l=$(i=0; while [ $i -lt "$RUNS" ]; do "$STREAM" $dir $SIZE 8; i=$((i + 1)); done | median)
		eval "d=\$seq_$dir"
		printf '   %-6s 2m sequential: daxtool %s GiB/s, limit %s GiB/s: %s (target >= 0.90x)\n' \
			$dir "$(gbs "$d")" "$(gbs "$l")" "$(ratio "$d" "$l")"
	done
else
	echo "-- streaming limit: skipped (needs AVX-512F)"
fi
