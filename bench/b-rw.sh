#!/bin/sh
# daxtool bench rw against fio on the same memory, and against a plain
# streaming loop (the memory's limit), in one invocation: medians of
# several runs, and the ratios. The memory is a tmpfs file (emulated: there
# is no DAX here), which both tools map. fio reads with its mmap engine and
# writes with its libpmem engine, direct=1 (non-temporal stores); libpmem
# refuses memory that is not pmem, so PMEM_IS_PMEM_FORCE=1 is set for
# fio's runs, here only. Targets: daxtool >= 1.0x fio on every row,
# >= 0.9x the streaming limit for 2 MiB sequential reads and writes, on
# the same kind of mapping: a tmpfs file against a tmpfs file, anonymous
# 2 MiB pages against anonymous 2 MiB pages, each row with its pages.
. "$(dirname "$0")/lib.sh"
STREAM=$TOOLS/streamloop
RUNS=${RUNS:-3}
SIZE=$((256 * 1048576))

command -v fio >/dev/null || { echo "fio is not installed: skipped"; exit 0; }
F=$(mktemp /dev/shm/daxtool-bench-rw.XXXXXX)
bench_at_exit 'rm -f "$F"'
head -c $SIZE /dev/zero | tr '\0' 'Z' >"$F"

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

# like LABEL TARGET STREAM_TARGET [--force]: 2 MiB sequential reads and
# writes, one thread, daxtool on TARGET against streamloop on the same kind
# of mapping, and daxtool's own limit (the same mapping, in the same run)
like() {
	label=$1 tgt=$2 st=$3 force=${4:-}
	for dir in read write; do
		copy=avx512; [ $dir = write ] && copy=avx512-nt
		: >"$T/d"; : >"$T/dl"; : >"$T/s"
		i=0; while [ $i -lt "$RUNS" ]; do
			# shellcheck disable=SC2086
			"$DAXTOOL" bench rw --json $force --no-lat --rw $dir --bs 2m --loops 8 \
				--size $SIZE --copy $copy "$tgt" >"$T/j" || return 1
			jq ".jobs[0].$dir.bw_bytes" "$T/j" >>"$T/d"
			jq ".limit.$dir.bw_bytes" "$T/j" >>"$T/dl"
			"$STREAM" $dir $SIZE 8 "$st" >"$T/sl" || return 1
			awk '{ print $1 }' "$T/sl" >>"$T/s"
			i=$((i + 1))
		done
		d=$(median <"$T/d") dl=$(median <"$T/dl") sl=$(median <"$T/s")
		pages=$(jq -r '.pages | "\(.pmd_windows)/\(.windows)"' "$T/j")
		spages=$(awk '{ print $3 / 2048 }' "$T/sl")/$((SIZE >> 21))
		printf '   %-10s %-6s %8s %-7s %8s %8s %-7s %8s %8s\n' "$label" $dir "$(gbs "$d")" "$pages" \
			"$(gbs "$dl")" "$(ratio "$d" "$dl")" "$spages" "$(gbs "$sl")" "$(ratio "$d" "$sl")"
	done
}

if [ -x "$STREAM" ] && "$STREAM" read 4096 1 >/dev/null 2>&1; then
	echo "-- against the streaming limit, like for like: 2m sequential, 1 thread, $RUNS runs, median GiB/s"
	echo "   (daxtool's limit: its own streaming loop on the same mapping right after the run;"
	echo "   streamloop: AVX-512 loads, or non-temporal stores from a cold 64 MiB source, on the same kind of mapping)"
	printf '   %-10s %-6s %8s %-7s %8s %8s %-7s %8s %8s\n' "" "" daxtool pages limit ratio pages streamloop ratio
	# fio's jobs may have cut the file down to their share: whole again
	head -c $SIZE /dev/zero | tr '\0' 'Z' >"$F"
	like "tmpfs" "$F" "$F" --force
	like "anon 2M" anon anon-2m
	echo "   target: ratio >= 0.90x; PMD windows shown as mapped/of all (2 MiB windows)"
else
	echo "-- streaming limit: skipped (needs AVX-512F)"
fi
