#!/bin/sh
# daxtool map, text and --json, against filefrag -v (and xfs_io -c
# 'fiemap -v' where it is installed) and the bare FIEMAP loop
# (bench/tools/fiemap-floor), on files of 100,000 and 1,000,000 extents,
# on ext4 and on xfs, each on a loop device over a sparse image under
# build/, so the working tree's own filesystem does not matter (root).
# Wall time: the median of RUNS runs (RUNS_1M from a million extents up),
# the tools taking turns, each timed by bench/tools/walltime (spawn to
# exit, nothing of the shell's). Peak memory: /usr/bin/time -f %M.
# Targets: daxtool at most 0.50x filefrag -v and at most 1.30x the FIEMAP
# loop, text and JSON; peak memory flat in the number of extents (1M
# against 10k within 10%), text and JSON. Figures, not a test: a missed
# target says MISSED and fails nothing.
#
# The CPUs: daxtool fetches extents on one thread and prints on another,
# where the FIEMAP loop and filefrag use one. On a machine whose CPUs run
# at different speeds (a virtual machine sharing its host, say) the
# unpinned figures depend on where the scheduler puts each thread. So the
# FIEMAP loop is also timed pinned to each CPU, and the three tools once
# more all pinned to the fastest one: there, daxtool's time over the
# loop's is its whole cost over the kernel's, with no second CPU to hide
# it, the same work on the same CPU.
#
# Environment: DAXTOOL, MKFRAG, FLOOR, WALLTIME (the binaries), RUNS
# (default 9), RUNS_1M (default 5), COUNTS (default "100000 1000000").
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DAXTOOL=${DAXTOOL:-$ROOT/daxtool}
MKFRAG=${MKFRAG:-$ROOT/build/bench/tools/mkfrag}
FLOOR=${FLOOR:-$ROOT/build/bench/tools/fiemap-floor}
WALLTIME=${WALLTIME:-$ROOT/build/bench/tools/walltime}
RUNS=${RUNS:-9}
RUNS_1M=${RUNS_1M:-5}
COUNTS=${COUNTS:-100000 1000000}
SMALL=10000	# the memory comparison: SMALL against the largest of COUNTS
export LC_ALL=C
PATH=$PATH:/usr/sbin:/sbin
start=$(date +%s) status=0

for b in "$DAXTOOL" "$MKFRAG" "$FLOOR" "$WALLTIME"; do
	[ -x "$b" ] || { echo "-- $b missing: run make all unit"; exit 1; }
done
if [ "$(id -u)" != 0 ] || ! command -v losetup >/dev/null; then
	echo "-- skipped: needs root and losetup (ext4 and xfs on loop devices)"
	exit 0
fi
command -v filefrag >/dev/null || { echo "-- filefrag missing (e2fsprogs)"; exit 1; }
XFS_IO=$(command -v xfs_io)
TIME=/usr/bin/time
[ -x $TIME ] || TIME=

mkdir -p "$ROOT/build"
T=$(mktemp -d "$ROOT/build/bench.XXXXXX") || exit 1
DEVS=
# shellcheck disable=SC2317 # run by the trap
cleanup() {
	for m in "$T"/mnt-*; do
		mountpoint -q "$m" 2>/dev/null && { umount "$m" || umount -l "$m"; }
	done
	for d in $DEVS; do losetup -d "$d"; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM

max=0
for n in $COUNTS; do [ "$n" -gt "$max" ] && max=$n; done
# the image: room for every file's fallocate (2 blocks an extent) before
# its holes are punched, and a quarter more; sparse, so it costs only what
# the filesystem writes of its metadata
GIB=$(echo "$COUNTS $SMALL" | awk '{ for (i = 1; i <= NF; i++) b += 2 * $i
	printf "%d", b * 4096 * 1.25 / 2^30 + 2 }')

# k N: 100000 -> 100k, 1000000 -> 1M
k() { awk -v n="$1" 'BEGIN { if (n >= 1e6 && n % 1e6 == 0) printf "%dM", n / 1e6
	else if (n >= 1e3 && n % 1e3 == 0) printf "%dk", n / 1e3; else printf "%d", n }'; }

label() {
	case $1 in
	floor) echo "FIEMAP loop (the floor)" ;;
	json) echo "daxtool map --json" ;;
	text) echo "daxtool map (text)" ;;
	filefrag) echo "filefrag -v" ;;
	xfs_io) echo "xfs_io -c 'fiemap -v'" ;;
	esac
}

# timed TOOL FILE [PIN...]: one run under walltime, its ms on stdout; PIN
# a command to run walltime under (taskset -c N), which the tool inherits
timed() {
	tool=$1 file=$2
	shift 2
	case $tool in
	floor) "$@" "$WALLTIME" "$FLOOR" "$file" ;;
	json) "$@" "$WALLTIME" "$DAXTOOL" map --json "$file" ;;
	text) "$@" "$WALLTIME" "$DAXTOOL" map "$file" ;;
	filefrag) "$@" "$WALLTIME" filefrag -v "$file" ;;
	xfs_io) "$@" "$WALLTIME" "$XFS_IO" -r -c 'fiemap -v' "$file" ;;
	esac
}

# peak TOOL FILE: peak resident memory of one run, KiB
peak() {
	case $1 in
	json) $TIME -q -f %M "$DAXTOOL" map --json "$2" ;;
	text) $TIME -q -f %M "$DAXTOOL" map "$2" ;;
	esac >/dev/null 2>"$T/mem" && tail -n 1 "$T/mem" || echo failed
}

# cpus: the online CPUs, one number each
cpus() {
	awk -F, '{ for (i = 1; i <= NF; i++) { n = split($i, r, "-")
		for (c = r[1]; c <= (n == 2 ? r[2] : r[1]); c++) printf "%d ", c } }' \
		/sys/devices/system/cpu/online
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) printf "%.1f", v[int((NR + 1) / 2)]; else print "failed" }'; }

# ratios TARGET A/B...: "0.42x  0.45x ... (<= TARGETx) ok|MISSED"
verdict() {
	awk -v t="$1" -v w="$2" 'BEGIN { ok = 1 } { for (i = 1; i <= NF; i++) {
		split($i, q, "/")
		if (q[1] + 0 > 0 && q[2] + 0 > 0) { r = q[1] / q[2]; s = sprintf("%.2fx", r); if (r > t) ok = 0 }
		else { s = "-"; ok = 0 }
		printf "%" w "s", s } }
		END { printf "   (<= %.2fx) %s\n", t, ok ? "ok" : "MISSED" }'
}

bench_fs() {
	fs=$1 mnt=$T/mnt-$1 img=$T/$1.img
	truncate -s "${GIB}G" "$img" || return 1
	dev=$(losetup -f --show "$img") || return 1
	DEVS="$DEVS $dev"
	case $fs in
	ext4) mkfs.ext4 -q -F -N 4096 -E lazy_itable_init=0 "$dev" ;;
	xfs) mkfs.xfs -q -f "$dev" ;;
	esac || return 1
	mkdir -p "$mnt" && mount "$dev" "$mnt" || return 1

	t0=$(date +%s)
	for n in $SMALL $COUNTS; do
		[ -e "$mnt/f$n" ] || "$MKFRAG" --punch "$mnt/f$n" "$n" || return 1
	done
	t1=$(date +%s)
	tools="floor json text filefrag"
	[ -n "$XFS_IO" ] && tools="$tools xfs_io"

	echo "-- $fs, loop device over a ${GIB}G sparse image: files of N 4 KiB extents (unwritten)"
	echo "   and N - 1 holes, made in $((t1 - t0)) s by one fallocate and a hole punched every other block"
	printf '   %-28s' "wall time, median ms"
	for n in $COUNTS; do
		r=$RUNS; [ "$n" -ge 1000000 ] && r=$RUNS_1M
		printf '%12s' "$(k "$n") x$r"
		"$FLOOR" "$mnt/f$n" >/dev/null	# warm, untimed
		i=0
		while [ $i -lt "$r" ]; do
			for t in $tools; do
				timed "$t" "$mnt/f$n" >>"$T/$fs.$t.$n" 2>"$T/err" ||
					{ [ -s "$T/$fs.err" ] || cp "$T/err" "$T/$fs.err"; }
			done
			i=$((i + 1))
		done
		for t in $tools; do median <"$T/$fs.$t.$n" >"$T/$fs.$t.$n.m"; done
	done
	echo
	for t in $tools; do
		printf '   %-28s' "$(label "$t")"
		for n in $COUNTS; do printf '%12s' "$(cat "$T/$fs.$t.$n.m")"; done
		echo
	done
	for ref in filefrag floor; do
		case $ref in filefrag) tgt=0.50 rl="filefrag -v" ;; floor) tgt=1.30 rl="FIEMAP loop" ;; esac
		for t in json text; do
			case $t in json) l="map --json" ;; text) l="map (text)" ;; esac
			printf '   %-28s' "$l / $rl"
			for n in $COUNTS; do
				printf '%s/%s ' "$(cat "$T/$fs.$t.$n.m")" "$(cat "$T/$fs.$ref.$n.m")"
			done | verdict "$tgt" 12
		done
	done
	[ -s "$T/$fs.err" ] && sed 's/^/   error: /' "$T/$fs.err" | head -n 3
	pinned "$fs" "$mnt"

	if [ -z "$TIME" ]; then
		echo "   peak memory: skipped (/usr/bin/time missing: apt-get install time)"
		return 0
	fi
	printf '   %-28s%12s%12s%12s\n' "peak RSS, KiB" "$(k $SMALL)" "$(k "$max")" "$(k "$max")/$(k $SMALL)"
	for t in text json; do
		a=$(peak $t "$mnt/f$SMALL") b=$(peak $t "$mnt/f$max")
		printf '   %-28s%12s%12s' "$(label "$t")" "$a" "$b"
		echo "$b/$a" | verdict 1.10 12
	done
}

# pinned FS MNT: the FIEMAP loop on each CPU, then the tools on the
# fastest CPU alone
pinned() {
	fs=$1 mnt=$2
	command -v taskset >/dev/null || {
		echo "   pinned runs: skipped (taskset missing: apt-get install util-linux)"
		return 0
	}
	printf '   %-28s' "FIEMAP loop, $(k "$max") on cpu"
	fast='' fastms='' slowms=''
	for c in $(cpus); do
		: >"$T/cpu"
		for i in 1 2 3; do
			timed floor "$mnt/f$max" taskset -c "$c" >>"$T/cpu" 2>/dev/null
		done
		m=$(median <"$T/cpu")
		printf '%12s' "$c: $m"
		[ "$m" = failed ] && continue
		if [ -z "$fast" ] || awk -v a="$m" -v b="$fastms" 'BEGIN { exit !(a < b) }'; then
			fast=$c fastms=$m
		fi
		if [ -z "$slowms" ] || awk -v a="$m" -v b="$slowms" 'BEGIN { exit !(a > b) }'; then
			slowms=$m
		fi
	done
	echo
	[ -n "$fast" ] || return 0
	awk -v a="$slowms" -v b="$fastms" 'BEGIN { r = a / b
		if (r > 1.15) printf "   !! the CPUs differ by %.2fx here: unpinned figures depend on where each thread runs\n", r }'
	printf '   %-28s' "all on cpu $fast, median ms"
	for n in $COUNTS; do
		r=$RUNS; [ "$n" -ge 1000000 ] && r=$RUNS_1M
		printf '%12s' "$(k "$n") x$r"
		i=0
		while [ $i -lt "$r" ]; do
			for t in floor json text; do
				timed "$t" "$mnt/f$n" taskset -c "$fast" \
					>>"$T/$fs.one.$t.$n" 2>/dev/null
			done
			i=$((i + 1))
		done
		for t in floor json text; do median <"$T/$fs.one.$t.$n" >"$T/$fs.one.$t.$n.m"; done
	done
	echo
	for t in json text; do
		case $t in json) l="map --json" ;; text) l="map (text)" ;; esac
		printf '   %-28s' "$l / FIEMAP loop"
		for n in $COUNTS; do
			printf '%12s' "$(awk -v a="$(cat "$T/$fs.one.$t.$n.m")" \
				-v b="$(cat "$T/$fs.one.floor.$n.m")" \
				'BEGIN { if (a > 0 && b > 0) printf "%.2fx", a / b; else print "-" }')"
		done
		echo "   (one CPU: the whole cost)"
	done
}

for fs in ext4 xfs; do
	if ! command -v "mkfs.$fs" >/dev/null; then
		echo "-- $fs: skipped (mkfs.$fs missing)"
	elif ! bench_fs $fs; then
		echo "-- $fs: could not set up the loop device, filesystem or files"
		status=1
	fi
done
echo "-- $(( $(date +%s) - start )) s"
exit "$status"
