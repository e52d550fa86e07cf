#!/bin/sh
# daxtool bench latency against a bare pointer-chase loop (bench/tools/
# chaseloop.c: the same random cycle of 64-byte lines, written again in
# the plainest way) on the same mapping: anonymous memory of 2 MiB pages,
# at three working sets (L1, the caches, memory), alternating, several
# runs of each. Prints daxtool's median ns per load over the loop's, with
# a target within 5%; then the idle curve of 4 KiB against 2 MiB pages at
# a working set far beyond the TLB's reach, as this machine gives it.
# Figures, not a test: nothing here fails on a missed target.
. "$(dirname "$0")/lib.sh"
LOOP=$TOOLS/chaseloop
RUNS=${RUNS:-5}
MIB=${SIZE_MIB:-256}
need "$LOOP" jq

within() { awk -v r="$1" 'BEGIN { print (r >= 0.95 && r <= 1.05) ? "yes" : "NO" }'; }

# compare WS_BYTES LABEL: RUNS runs of each, alternating, the same seed,
# stride, repeats and loads per repeat (max(lines, 2^20))
compare() {
	: >"$T/loop"; : >"$T/dt"
	i=0
	while [ $i -lt "$RUNS" ]; do
		"$LOOP" --size $((MIB << 20)) --ws "$1" --seed 1 --pages 2m anon >"$T/l" || return 1
		awk '{ for (i = 1; i < NF; i++) if ($i == "ns_per_load") print $(i + 1) }' "$T/l" >>"$T/loop"
		"$DAXTOOL" bench latency --json --size "${MIB}M" --page-size 2m --min-ws "$1" \
			--max-ws "$1" --max-loads 0 --seed 1 anon >"$T/j" || return 1
		jq -r '.passes[0].idle[0].lat_ns.percentile."50.000000"' "$T/j" >>"$T/dt"
		i=$((i + 1))
	done
	l=$(median <"$T/loop") d=$(median <"$T/dt") r=$(div "$(median <"$T/dt")" "$(median <"$T/loop")")
	pmd=$(jq -r '.passes[0].pages | "\(.pmd_windows)/\(.windows)"' "$T/j")
	printf '   %-12s %10.2f %10.2f %8sx %8s   %s\n' "$2" "$l" "$d" "$r" "$(within "$r")" "$pmd"
}

echo "-- idle latency, anonymous memory of 2 MiB pages, ${MIB} MiB mapped, $RUNS runs of each, alternating"
echo "   median ns per load: chaseloop's and daxtool's; target: within 5%"
printf '   %-12s %10s %10s %9s %8s   %s\n' "working set" chaseloop daxtool ratio "in 5%" "daxtool's PMD windows"
compare 32768 "32K (L1)"
compare 1048576 "1M (caches)"
compare $((MIB << 20)) "${MIB}M (memory)"

echo
echo "-- TLB reach: 4 KiB against 2 MiB pages, anonymous memory, a random chase over ${MIB} MiB"
"$DAXTOOL" bench latency --json --size "${MIB}M" --min-ws "${MIB}M" anon >"$T/tlb" || exit 1
jq -r 'def sz: if . >= 1048576 then "\(. / 1048576)M" else "\(. / 1024)K" end;
	.passes[] | "   \(.page_size | sz) pages: \(.idle[0].lat_ns.percentile."50.000000" * 100 | round / 100) ns per load (\(.pages.pmd_windows) of \(.pages.windows) windows PMD-mapped)"' "$T/tlb"
jq -r '"   4K / 2M: \((.passes[0].idle[0].lat_ns.percentile."50.000000" / .passes[1].idle[0].lat_ns.percentile."50.000000") * 1000 | round / 1000)x"' "$T/tlb"
echo "   (on a virtual machine, the host's page size counts too: a guest's 2 MiB page"
echo "   backed by the host's 4 KiB pages walks a 4 KiB page's tables there)"
