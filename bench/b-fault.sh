#!/bin/sh
# daxtool bench fault against a hand-written fault loop (bench/tools/
# faultloop.c: mmap, touch one byte per page, clock and getrusage around
# the loop) on the same emulated targets, alternating, several runs of
# each. Prints:
#   - daxtool's measured time per fault (lat_ns.mean, per-fault timing on)
#     over the loop's (wall time / touches): target within 5%;
#   - the clock's own cost per sample against a 4 KiB fault: target < 3%;
#   - what a 2 MiB window costs as 512 4 KiB faults against one PMD fault
#     on this machine.
# Figures, not a test: nothing here fails on a missed target.
. "$(dirname "$0")/lib.sh"
LOOP=$TOOLS/faultloop
RUNS=${RUNS:-15}
MIB=${SIZE_MIB:-128}
need "$LOOP" jq
hp_saved=
bench_at_exit '[ -n "$hp_saved" ] && echo "$hp_saved" >/proc/sys/vm/nr_hugepages'
ns() { awk -v n="$1" 'BEGIN { if (n >= 1e6) printf "%.2fms", n / 1e6;
	else if (n >= 1e3) printf "%.2fus", n / 1e3; else printf "%.0fns", n }'; }

# compare LABEL "LOOP_ARGS" "DAXTOOL_ARGS": RUNS runs of each, alternating
compare() {
	label=$1 largs=$2 dargs=$3
	: >"$T/loop"; : >"$T/dt"; : >"$T/lf"; : >"$T/df"
	i=0
	while [ $i -lt "$RUNS" ]; do
		# shellcheck disable=SC2086
		"$LOOP" $largs "$MIB" >"$T/l" || return 1
		awk '{ print $8 }' "$T/l" >>"$T/loop"
		awk '{ print $4 }' "$T/l" >>"$T/lf"
		# shellcheck disable=SC2086
		"$DAXTOOL" bench fault --json --size "${MIB}M" $dargs >"$T/j" || return 1
		jq -r '.results[0].lat_ns.mean' "$T/j" >>"$T/dt"
		jq -r '.results[0].faults' "$T/j" >>"$T/df"
		i=$((i + 1))
	done
	l=$(median <"$T/loop") d=$(median <"$T/dt")
	lm=$(fastest <"$T/loop") dm=$(fastest <"$T/dt")
	printf '   %-24s %9s %9s %7sx   %9s %9s %7sx %9s %9s\n' "$label" "$(ns "$l")" \
		"$(ns "$d")" "$(div "$d" "$l")" "$(ns "$lm")" "$(ns "$dm")" \
		"$(div "$dm" "$lm")" "$(median <"$T/lf")" "$(median <"$T/df")"
	eval "loop_$4=$l dt_$4=$d"
}

echo "-- emulated targets, ${MIB} MiB, $RUNS runs of each, alternating"
echo "   per fault: daxtool's lat_ns.mean (per-fault timing on), faultloop's wall time / touches"
printf '   %-24s %9s %9s %8s   %9s %9s %8s %9s %9s\n' "" "median:" "" "" \
	"fastest:" "" "" "faults:" ""
printf '   %-24s %9s %9s %8s   %9s %9s %8s %9s %9s\n' target loop daxtool ratio \
	loop daxtool ratio loop daxtool
compare "anon 4K, prewarmed" "-p" "--prewarm -p 4k anon" a4
compare "anon 2M, prewarmed" "-p -2" "--prewarm -p 2m anon" a2
compare "anon 4K, cold" "" "-p 4k anon" c4

# hugetlb: only where 2 MiB pages can be reserved, and given back after
need=$((MIB / 2))
if [ "$(id -u)" = 0 ] && [ -w /proc/sys/vm/nr_hugepages ]; then
	hp_saved=$(cat /proc/sys/vm/nr_hugepages)
	free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
	echo $((hp_saved + need - free)) >/proc/sys/vm/nr_hugepages 2>/dev/null
	if [ "$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)" -ge "$need" ]; then
		compare "hugetlb 2M, preallocated" "-H" "-p 2m hugetlb" h2
	else
		echo "   hugetlb: skipped: could not reserve $need huge pages"
	fi
else
	echo "   hugetlb: skipped: reserving huge pages needs root"
fi
echo "   target: daxtool/loop within 1.05x"

# the clock's cost against a 4 KiB fault
"$DAXTOOL" bench fault --json --prewarm --size "${MIB}M" -p 4k anon >"$T/j"
oh=$(jq -r '.env.timer.overhead_ns' "$T/j")
f4=$(jq -r '.results[0].lat_ns.mean' "$T/j")
echo "-- timer: $(jq -r '.env.timer.clock' "$T/j"), $(ns "$oh") a reading, one per sample:" \
	"$(awk -v a="$oh" -v b="$f4" 'BEGIN { printf "%.2f%%", 100 * a / b }') of a" \
	"4 KiB fault ($(ns "$f4")); target < 3%"

# what a 2 MiB window costs both ways on this machine
"$DAXTOOL" bench pmd-fault --json --prewarm --size "${MIB}M" --runs "$RUNS" anon >"$T/p"
echo "-- 4K/2M on this machine (anonymous memory, prewarmed): a 2 MiB window as 512" \
	"4 KiB faults costs $(ns "$(jq -r '.comparison.window_4k_ns' "$T/p")"), as one PMD" \
	"fault $(ns "$(jq -r '.comparison.window_2m_ns' "$T/p")"):" \
	"$(jq -r '.comparison.window_ratio * 100 | round / 100' "$T/p")x" \
	"(faultloop: $(div "$(awk -v a="$loop_a4" 'BEGIN { print a * 512 }')" "$loop_a2")x);" \
	"2M pass pmd_ratio $(jq -r '.results[1].pmd_ratio' "$T/p")"
