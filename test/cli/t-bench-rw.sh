#!/bin/sh
# daxtool bench rw on the emulated target: every pattern and copy method
# moves exactly the bytes it says, random offsets repeat with a seed, data
# is safe without --force, and fio runs the same job.
. "$(dirname "$0")/../lib.sh"

S=16777216	# 16 MiB: enough to cross several 2 MiB windows, quick
# rw ARGS: daxtool bench rw on 16 MiB, its pid kept in $T/pids (the fio
# file it makes, /dev/shm/daxtool-fio-PID, is this run's, whatever other
# runs on the machine make)
rw() {
	(exec "$DAXTOOL" bench rw --size 16M "$@") &
	rw_pid=$!
	echo "$rw_pid" >>"$T/pids"
	wait "$rw_pid"
}

# Patterns and copy methods: the bytes moved, and written data read back.
methods=$("$DAXTOOL" bench rw -h | sed -n 's/.*--copy \([a-z0-9|-]*\)\( .*\)\?$/\1/p' | tr '|' ' ')
[ -n "$methods" ] && pass "the copy methods are listed in -h ($methods)" ||
	fail "copy methods" "none in -h"
for m in $methods; do
	for p in read write randread randwrite rw randrw; do
		out=$(rw --json --bs 4k --rw $p --copy $m --loops 2 --seed 3 2>"$T/err")
		rc=$?
		if [ $rc != 0 ]; then
			if grep -q "which this CPU lacks" "$T/err"; then
				skip "$p with $m" "$(cat "$T/err")"; break
			fi
			fail "$p with $m" "exit $rc: $(cat "$T/err")"; continue
		fi
		echo "$out" | jq -en --argjson s $S 'input | .jobs[0] as $j |
			($j.read.io_bytes + $j.write.io_bytes) == 2 * $s and
			($j.read.total_ios + $j.write.total_ios) == 2 * $s / 4096 and
			(.verify_errors == 0 or .verify_errors == null)' >/dev/null &&
			pass "$p with $m: moved exactly 2 x 16 MiB, data verified" ||
			fail "$p with $m" "$(echo "$out" | jq -c '[.jobs[0].read.io_bytes, .jobs[0].write.io_bytes, .verify_errors]')"
	done
done
out=$(rw --json --rw write --bs 2m --copy memcpy --loops 1)
echo "$out" | jq -en --argjson s $S 'input | .jobs[0].write.io_bytes == $s and .jobs[0].read.io_bytes == 0 and
	.verify_errors == 0 and (.jobs[0].write.lat_ns.percentile | has("99.000000"))' >/dev/null &&
	pass "sequential write, 2M blocks: 16 MiB, verified, fio's percentile names" ||
	fail "write 2m" "$(echo "$out" | jq -c '.jobs[0].write')"
out=$(rw --json --rw read --bs 4k --no-lat)
echo "$out" | jq -en 'input | .jobs[0].read.lat_ns == null and .jobs[0].read.bw_bytes > 0' >/dev/null &&
	pass "--no-lat: bandwidth only, no latency" || fail "--no-lat" "$(echo "$out" | jq -c '.jobs[0].read')"
out=$(rw --json --rw randread --percentiles 50:99.9)
echo "$out" | jq -en 'input | .jobs[0].read.lat_ns.percentile | keys == ["50.000000", "99.900000"]' >/dev/null &&
	pass "--percentiles: the list asked for" || fail "--percentiles" "$(echo "$out" | jq -c '.jobs[0].read.lat_ns.percentile')"

# Random offsets repeat with the same seed, and differ with another.
d1=$(rw --json --rw randwrite --threads 2 --seed 42 | jq -c '[.jobs[0].threads[].offsets_digest]')
d2=$(rw --json --rw randwrite --threads 2 --seed 42 | jq -c '[.jobs[0].threads[].offsets_digest]')
d3=$(rw --json --rw randwrite --threads 2 --seed 43 | jq -c '[.jobs[0].threads[].offsets_digest]')
[ "$d1" = "$d2" ] && [ "$d1" != "$d3" ] && [ -n "$d1" ] &&
	pass "--seed: the same offsets with the same seed, others with another" ||
	fail "--seed" "$d1 / $d2 / $d3"

# Shape: the same keys whatever the options.
rw --json --rw read | jq -S 'keys' >"$T/k1"
rw --json --rw randrw --threads 2 --no-lat --copy memcpy --persist flush | jq -S 'keys' >"$T/k2"
same "json: the same top-level keys whatever the options" "$T/k1" "$T/k2"
rw --json --rw read | jq -en 'input | .env | has("kernel") and has("is_pmem") and has("auto_flush") and
	has("timer") and has("libpmem_env")' >/dev/null && rw --json | jq -en 'input | .libpmem_path.flush | length > 0' >/dev/null &&
	pass "json: the environment and libpmem's path" || fail "json env" "missing keys"

# An existing file: never written without --force.
f=$T/data
head -c 4194304 /dev/urandom >"$f"
sum=$(sha256sum <"$f")
expect "write to an existing file without --force: refused" 1 "force" \
	"$DAXTOOL" bench rw --rw write --copy memcpy "$f"
[ "$(sha256sum <"$f")" = "$sum" ] && pass "without --force the file is unchanged" ||
	fail "data safety" "the file changed"
expect "read of an existing file: allowed" 0 "" "$DAXTOOL" bench rw --json --rw read --bs 4k "$f"
[ "$(sha256sum <"$f")" = "$sum" ] && pass "a read leaves the file unchanged" ||
	fail "data safety: read" "the file changed"
expect "write with --force" 0 "" "$DAXTOOL" bench rw --json --rw write --force --bs 4k "$f"
[ "$(sha256sum <"$f")" != "$sum" ] && pass "--force writes the file" || fail "--force" "unchanged"

expect "rw --json --rw read on memory" 0 "" \
	"$DAXTOOL" bench rw --json --size 4M --loops 1 --rw read anon
cp "$T/out" "$T/read.json"
jqok "json: daxtool and schema come first" \
	'(keys_unsorted[:2]) == ["daxtool", "schema"] and (.daxtool | length) > 0 and
	 .schema == 2' "$T/read.json" '{daxtool, schema}'
jqok "--rw read: target.access is read, the workload's" \
	'.target.access == "read" and .target.kind == "emulated-anon"' "$T/read.json" .target
jqok "--loops: loops 1, runtime_s null; rwmixread and seed null for read" \
	'.options | .loops == 1 and .runtime_s == null and .rwmixread == null and
	 .seed == null and .ramp_time_s == 0' "$T/read.json" .options
jqok "env.regime: prefaulted memory is preallocated" \
	'.env.regime == "preallocated"' "$T/read.json" .env.regime
if [ -f "$ROOT/test/doc-keys.sh" ]; then
	# .fio is null here: the --fio tests below check its keys
	sh "$ROOT/test/doc-keys.sh" --check bench-rw "$T/read.json" | grep -v '^SKIP json doc: bench-rw \.fio'
else
	skip "json doc: bench rw" "test/doc-keys.sh is not there"
fi
"$DAXTOOL" bench fault --json --size 4M --cold anon >"$T/fault.json"
jq -c '[.target, .env] | map(keys)' "$T/read.json" >"$T/k-rw"
jq -c '[.target, .env] | map(keys)' "$T/fault.json" >"$T/k-fault"
same "json: the target and env of rw have the keys of fault's" "$T/k-fault" "$T/k-rw"
expect "rw --json --no-prefault" 0 "" \
	"$DAXTOOL" bench rw --json --size 4M --loops 1 --rw write --no-prefault anon
jqok "env.regime: not prefaulted, cold, as bench fault --cold says of the same memory" \
	'.env.regime == "cold" and .options.prefault == false' "$T/out" .env.regime
jqok "bench fault --cold on the same memory: cold too" '.env.regime == "cold"' "$T/fault.json" .env.regime

# --- "emulated", and no target: the most DAX-like emulation possible ---------
hp_nr() { cat /proc/sys/vm/nr_hugepages; }
before=$(hp_nr)
expect "rw on the emulation" 0 "" "$DAXTOOL" bench rw --json --size 8M --loops 1 --rw write emulated
cp "$T/out" "$T/emul.json"
jqok "rw on the emulation: what it chose is what it ran on, the regime preallocated" \
	'.target.emulated and .env.regime == "preallocated" and
	 (.target.emulation.chosen as $c | .target.kind ==
	  {"hugetlb": "emulated-hugetlb", "tmpfs-huge": "emulated-shmem", "anon": "emulated-anon"}[$c])' \
	"$T/emul.json" '[.target, .env.regime]'
[ "$(hp_nr)" = "$before" ] && pass "rw on the emulation: nr_hugepages as it was" ||
	fail "rw: nr_hugepages" "$(hp_nr), was $before"
if [ -f "$ROOT/test/doc-keys.sh" ]; then
	sh "$ROOT/test/doc-keys.sh" --check bench "$T/emul.json" |
		grep '\.target\.emulation' | sed 's/^\([A-Z]*\) json doc:/\1 json doc (rw):/'
fi
if jq -en 'input | .target.emulation.chosen == "hugetlb"' "$T/emul.json" >/dev/null; then
	expect "rw --no-prefault on hugetlb" 0 "" \
		"$DAXTOOL" bench rw --json --size 8M --loops 1 --rw write --no-prefault emulated
	jqok "rw --no-prefault on hugetlb: still preallocated, its pages exist" \
		'.target.emulation.chosen == "hugetlb" and .env.regime == "preallocated"' \
		"$T/out" '[.target.emulation, .env.regime]'
	expect "rw --size 3M: not a multiple of 2 MiB: not hugetlb" 0 "" \
		"$DAXTOOL" bench rw --json --size 3M --loops 1 emulated
	jqok "rw --size 3M: hugetlb passed over, and why" \
		'.target.emulation.chosen != "hugetlb" and .target.emulation.passed_over[0] ==
		 {"name": "hugetlb", "why": "--size 3M is not a multiple of its 2 MiB pages"}' \
		"$T/out" .target.emulation
else
	skip "rw --no-prefault on hugetlb" "the emulation here is $(jq -r .target.emulation.chosen "$T/emul.json")"
fi

# --- an existing file: the default size is capped ------------------------------
big=$T/big
if truncate -s 1T "$big" 2>/dev/null && [ "$(stat -c %b "$big")" = 0 ]; then
	expect "rw on a 1 TiB sparse file, no --size: capped, said" 0 \
		"^daxtool: bench rw: note: using the first 1G of $big \(1T\); give --size to use more$" \
		"$DAXTOOL" bench rw --json --loops 1 --bs 2m "$big"
	jqok "rw cap: 1 GiB read, size_capped, whole_size 1 TiB" \
		'.target.size == 1073741824 and .target.size_capped and .target.whole_size == 1099511627776 and
		 .jobs[0].read.io_bytes == 1073741824' "$T/out" '[.target, .jobs[0].read.io_bytes]'
	rm -f "$big"
else
	skip "rw: default-size cap" "cannot make a sparse 1 TiB file here"
fi
expect "rw --json --runtime 1" 0 "" \
	"$DAXTOOL" bench rw --json --size 4M --runtime 1 --rw randread emulated
jqok "--runtime: runtime_s 1, loops null; seed for random offsets" \
	'.options | .runtime_s == 1 and .loops == null and .seed == 1 and .rwmixread == null' \
	"$T/out" .options
for c in "write 50 write" "randwrite 50 write" "rw 50 readwrite" "randrw 70 readwrite" \
	 "rw 100 read" "randrw 0 write"; do
	set -- $c
	out=$("$DAXTOOL" bench rw --json --size 4M --loops 1 --rw "$1" --rwmixread "$2" emulated)
	want_mix=null
	case $1 in rw|randrw) want_mix=$2 ;; esac
	echo "$out" | jq -en --arg a "$3" --argjson m "$want_mix" \
		'input | .target.access == $a and .options.rwmixread == $m' >/dev/null &&
		pass "--rw $1 --rwmixread $2: target.access $3" ||
		fail "--rw $1 --rwmixread $2" "$(echo "$out" | jq -c '[.target.access, .options.rwmixread]')"
done
expect "rw --size 18446744073709551615: too large, not the default" 2 \
	"^daxtool: bench rw: --size 18446744073709551615 \(16.0E\): too large" \
	"$DAXTOOL" bench rw --json --size 18446744073709551615
"$DAXTOOL" bench rw --size 4M --loops 1 --threads 1 emulated >"$T/one.txt"
grep -q ", 1 thread, 1 run, 1 loop$" "$T/one.txt" &&
	! grep -Eq '(^|[^0-9.])1 (threads|runs|loops|blocks|cpus)([^a-z]|$)' "$T/one.txt" &&
	pass "text: 1 thread, 1 run, 1 loop" || fail "text: plurals" "$(grep -m1 " thread" "$T/one.txt")"

# --- --percentiles: fio's keys, and nothing they cannot name ------------------
# NaN passed the range check and its rank read before the samples (ASan)
expect "--percentiles nan: a usage error" 2 \
	"^daxtool: bench rw: --percentiles: 'nan' is not a number in \(0, 100\]$" \
	"$DAXTOOL" bench rw --size 1M --loops 1 --percentiles nan anon
for p in inf -inf 0 -1 100.5 50:abc 5e; do
	expect "--percentiles $p: a usage error" 2 "--percentiles: '[^']*' is not a number in \(0, 100\]" \
		"$DAXTOOL" bench rw --json --size 1M --loops 1 --percentiles "$p" anon
done
expect "--percentiles 1e-7: more than 6 decimals" 2 \
	"--percentiles: '1e-7' has more than 6 decimals: fio's key for it, '0.000000', would name another percentile" \
	"$DAXTOOL" bench rw --size 1M --loops 1 --percentiles 50:1e-7:2e-7 anon
expect "--percentiles 99.9999999: more than 6 decimals" 2 \
	"'99.9999999' has more than 6 decimals: fio's key for it, '100.000000'" \
	"$DAXTOOL" bench rw --size 1M --loops 1 --percentiles 99.9999999 anon
expect "--percentiles 50:99:50.0: twice" 2 "--percentiles: 50.000000 is given twice" \
	"$DAXTOOL" bench rw --size 1M --loops 1 --percentiles 50:99:50.0 anon
for p in "" "50::99" "50:"; do
	expect "--percentiles '$p': an empty item" 2 "--percentiles: an empty item" \
		"$DAXTOOL" bench rw --size 1M --loops 1 --percentiles "$p" anon
done
expect "--percentiles: 65 of them" 2 "--percentiles: more than 64 percentiles" \
	"$DAXTOOL" bench rw --size 1M --loops 1 --percentiles "$(seq -s: 1 65)" anon
# past 511 bytes the list was cut short without a word: 64 of 10 characters
long=$(seq 1 64 | awk '{ printf "%s%.8f", (NR > 1 ? ":" : ""), $1 }')
out=$("$DAXTOOL" bench rw --json --size 1M --loops 1 --percentiles "$long" anon)
echo "$out" | jq -en --argjson n ${#long} 'input | $n > 511 and (.jobs[0].read.lat_ns.percentile |
	(keys | length) == 64 and has("64.000000") and has("1.000000"))' >/dev/null &&
	pass "--percentiles: a list of ${#long} bytes, all 64 kept" ||
	fail "--percentiles: long list" "$(echo "$out" | jq -c '.jobs[0].read.lat_ns.percentile | keys | length')"
out=$("$DAXTOOL" bench rw --json --size 1M --loops 1 --percentiles "0.000001:99.999999:100" anon)
echo "$out" | jq -en 'input | .jobs[0].read.lat_ns | (.percentile | keys_unsorted) ==
	["0.000001", "99.999999", "100.000000"] and .percentile["100.000000"] == .max and
	.percentile["0.000001"] == .min' >/dev/null &&
	pass "--percentiles: six decimals kept exactly, 100 is the max" ||
	fail "--percentiles: six decimals" "$(echo "$out" | jq -c '.jobs[0].read.lat_ns')"
"$DAXTOOL" bench rw --size 1M --loops 1 --percentiles 50:99.9 anon >"$T/pct.txt"
grep -Eq "latency mean [0-9.]+[nmu]?s p50 [0-9.]+[nmu]?s p99\.9 [0-9.]+[nmu]?s$" "$T/pct.txt" &&
	pass "text: the percentiles asked for" || fail "text: percentiles" "$(grep latency "$T/pct.txt")"

# --- the page sizes of the mapping, verified after the timed part ------------
thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
expect "rw --json on anonymous memory: pages" 0 "" \
	"$DAXTOOL" bench rw --json --size 16M --loops 1 --rw write anon
cp "$T/out" "$T/pages.json"
jqok "pages: the fault benchmarks' keys, by second touch, 8 windows" \
	'.pages | .windows == 8 and .pmd_method == "touch" and
	 .pmd_ratio == .pmd_windows / .windows and (.smaps | keys) == ["field","kb","note","ratio"] and
	 (.pmd_fallback | type) == "boolean" and (.fallback_reasons | type) == "array"' \
	"$T/pages.json" .pages
if [ "$thp" = never ]; then
	skip "pages: anonymous memory PMD-mapped" "transparent huge pages are off on this machine"
else
	jqok "pages: anonymous memory asked for 2 MiB and got it, smaps agrees" \
		'.pages | .pmd_windows == 8 and .pmd_ratio == 1 and .pmd_fallback == false and
		 .smaps.field == "AnonHugePages" and .smaps.kb == 16384 and .fallback_windows == []' \
		"$T/pages.json" .pages
	"$DAXTOOL" bench rw --size 16M --loops 1 --rw write anon >"$T/pages.txt"
	grep -q "^  pages: 8 of 8 windows PMD-mapped, by second touch; smaps AnonHugePages 16384 kB (ratio 1.00)$" "$T/pages.txt" &&
		pass "text: the page sizes on one line" || fail "text: pages" "$(grep pages "$T/pages.txt")"
	expect "--fail-on-fallback where 2 MiB was got: exit 0" 0 "" \
		"$DAXTOOL" bench rw --size 4M --loops 1 --fail-on-fallback emulated
fi
expect "rw: less than a 2 MiB window" 0 "" "$DAXTOOL" bench rw --json --size 1M --loops 1 emulated
jqok "pages: no whole window, nothing to verify, null ratio" \
	'.pages | .windows == 0 and .pmd_ratio == null and .pmd_method == null and
	 .pmd_fallback == null' "$T/out" .pages
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	expect "rw on a new /dev/shm file: pages" 0 "" \
		"$DAXTOOL" bench rw --json --size 8M --loops 1 --rw write /dev/shm/daxtool-test-pages-$$
	jqok "pages on tmpfs: 2 MiB asked for only where the tmpfs allows it" \
		'(.target.align >= 2097152) == (.pages.pmd_fallback != null) and
		 .pages.smaps.field == "ShmemPmdMapped"' "$T/out" '[.target.align, .pages]'
	rm -f /dev/shm/daxtool-test-pages-$$
fi

# A file written with 4 KiB pages on a tmpfs remounted huge=always: the
# mapping asks for 2 MiB pages and cannot have them, loudly
if ! is_root; then
	skip "rw fallback" "mounting tmpfs needs root"
else
	P=$T/pmnt; mkdir -p "$P"
	if mount -t tmpfs -o size=32m,huge=never tmpfs "$P" 2>"$T/merr"; then
		at_exit "umount '$P'"
		# 4 KiB pages written, then a mount that asks for 2 MiB: done
		# afresh before each run, as khugepaged may collapse the file
		# into huge pages between runs
		refresh() {
			mount -o remount,huge=never "$P"
			head -c 16777216 /dev/urandom >"$P/data"
			mount -o remount,huge=always "$P"
		}
		# collapsed: khugepaged (rw asks MADV_HUGEPAGE) made huge
		# pages of the file during the run; the fallback did not happen
		collapsed() { jq -en 'input | .pages.pmd_windows == .pages.windows' "$1" >/dev/null 2>&1; }
		refresh
		expect "rw on 4 KiB pages where 2 MiB was asked for" 0 "" \
			"$DAXTOOL" bench rw --json --loops 1 "$P/data"
		if collapsed "$T/out"; then
			skip "rw fallback: pmd_fallback, the windows, the measured reason" \
				"khugepaged collapsed the file into 2 MiB pages during the run"
		else
			jqok "rw fallback: pmd_fallback, the windows, the measured reason" \
				'.target.align == 2097152 and (.pages | .pmd_fallback == true and
				 .pmd_windows == 0 and (.fallback_windows | length) == 8 and
				 (.fallback_reasons[0] | startswith("8 of 8 windows were mapped with 4 KiB pages")))' \
				"$T/out" .pages
		fi
		refresh
		"$DAXTOOL" bench rw --loops 1 "$P/data" >"$T/loud" 2>&1
		if grep -q "pages: 8 of 8 windows PMD-mapped" "$T/loud"; then
			skip "rw fallback: said loudly, with why" \
				"khugepaged collapsed the file into 2 MiB pages during the run"
		else
			grep -q '^  !!! rw: NO 2 MiB MAPPINGS: 8 of 8 windows fell back to 4 KiB pages (pmd_ratio 0.00) !!!$' "$T/loud" &&
				grep -q "^    - 8 of 8 windows were mapped with 4 KiB pages" "$T/loud" &&
				pass "rw fallback: said loudly, with why" || fail "rw loud" "$(grep -A3 pages "$T/loud")"
		fi
		# --fail-on-fallback: exit 1 exactly when the pages say it fell back
		refresh
		run "$DAXTOOL" bench rw --json --loops 1 --fail-on-fallback "$P/data"
		if collapsed "$T/out"; then
			[ $rc = 0 ] && pass "rw --fail-on-fallback: all 2 MiB (collapsed by khugepaged): exit 0" ||
				fail "rw --fail-on-fallback, collapsed" "exit $rc"
		else
			[ $rc = 1 ] && grep -q "^daxtool: bench rw: --fail-on-fallback: rw: 8 of 8 windows fell back to 4 KiB pages$" "$T/err" &&
				pass "rw --fail-on-fallback --json: exit 1 after the output" ||
				fail "rw --fail-on-fallback --json" "exit $rc: $(cat "$T/err")"
			jqok "rw --fail-on-fallback: the document is whole" \
				'.pages.pmd_fallback == true and (.env | has("kernel")) and .libpmem_path != null' \
				"$T/out" .pages.pmd_fallback
		fi
	else
		skip "rw fallback" "mount failed: $(cat "$T/merr")"
	fi
fi

# --- silent misconfigurations, said ---------------------------------------------
for p in "read" "randread" "rw --rwmixread 100"; do
	for m in msync flush drain; do
		# shellcheck disable=SC2086
		expect "--persist $m with --rw $p: a usage error" 2 \
			"^daxtool: bench rw: --persist $m: persist applies to writes, and --rw $p only reads$" \
			"$DAXTOOL" bench rw --size 1M --loops 1 --persist $m --rw $p anon
	done
done
expect "--persist none with --rw read: fine" 0 "" \
	"$DAXTOOL" bench rw --size 1M --loops 1 --persist none --rw read anon
expect "--persist flush with --rw rw: it writes" 0 "" \
	"$DAXTOOL" bench rw --size 1M --loops 1 --persist flush --rw rw anon
if command -v taskset >/dev/null; then
	last=$(taskset -cp $$ | sed 's/.*[,: -]//')
	run taskset -c "$last" "$DAXTOOL" bench rw --json --size 4M --loops 1 --threads 3 anon
	jqok "taskset -c $last: every thread pinned inside the mask" \
		'[.jobs[0].threads[].cpu] == ['"$last, $last, $last"'] and .env.cpus_allowed == 1' \
		"$T/out" '.jobs[0].threads'
	grep -q "^daxtool: bench rw: note: 3 threads on 1 allowed CPU: threads share CPUs$" "$T/err" &&
		pass "rw: more threads than allowed CPUs, said" || fail "rw threads note" "$(cat "$T/err")"
else
	skip "rw pinning" "no taskset"
fi

# --- SIGBUS: the file truncated under the run, said with its cause ---------------
f=$T/shrink
head -c 16777216 /dev/zero | tr '\0' x >"$f"
DAXTOOL_TEST_BENCH_DELAY_MS=20000 "$DAXTOOL" bench rw --json "$f" >"$T/bus.out" 2>"$T/bus.err" &
pid=$!
wait_mapped $pid "$f"
truncate -s 4096 "$f"
wait $pid; rc=$?
[ $rc = 1 ] && grep -Eq "^daxtool: bench rw: $f: bus error \(SIGBUS\) at offset [0-9]+: the file is now 4096 bytes: truncated while the benchmark ran$" "$T/bus.err" &&
	[ ! -s "$T/bus.out" ] &&
	pass "rw, SIGBUS: the file named, truncated said, exit 1, nothing printed" ||
	fail "rw SIGBUS" "exit $rc: $(cat "$T/bus.err")"

# --- interrupted ----------------------------------------------------------------
I=$T/int; mkdir -p "$I"
DAXTOOL_TEST_BENCH_DELAY_MS=20000 "$DAXTOOL" bench rw --size 4M --rw write "$I" >"$T/int.out" 2>"$T/int.err" &
pid=$!
wait_mapped $pid "$I/.daxtool-bench"
kill -INT $pid
wait $pid; rc=$?
[ $rc = 130 ] && grep -q "^daxtool: bench rw: interrupted: 0 of 2 runs done, nothing printed$" "$T/int.err" &&
	pass "rw, SIGINT: said, exit 130" || fail "rw SIGINT" "exit $rc: $(cat "$T/int.err")"
[ ! -s "$T/int.out" ] && [ -z "$(ls -A "$I")" ] &&
	pass "rw, SIGINT: nothing printed, the created file removed" ||
	fail "rw SIGINT: leftovers" "$(head -c 100 "$T/int.out") $(ls -A "$I")"

# Bad input.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	shm=/dev/shm/daxtool-test-rw-$$
	expect "rw: a new file under /dev/shm" 0 "" \
		"$DAXTOOL" bench rw --json --size 8M --loops 1 --rw write "$shm"
	jq -en 'input | .target.kind == "emulated-shmem" and .target.created == true' "$T/out" >/dev/null &&
		pass "rw: /dev/shm file is emulated-shmem, created" ||
		fail "rw: /dev/shm target" "$(jq -c .target "$T/out" | head -c 300)"
	[ ! -e "$shm" ] && pass "rw: the /dev/shm file is removed" ||
		{ fail "rw: /dev/shm file left" "$shm"; rm -f "$shm"; }
else
	skip "rw: /dev/shm target" "no writable /dev/shm"
fi
expect "bs larger than the size" 2 "too small" "$DAXTOOL" bench rw --size 1M --bs 2M
expect "bs not a multiple of 64" 2 "multiple of 64" "$DAXTOOL" bench rw --bs 100
expect "unknown copy method" 1 "unknown copy method 'fast'" "$DAXTOOL" bench rw --copy fast
expect "a copy method the CPU lacks" 1 "needs AVX-512F, which this CPU lacks" \
	env DAXTOOL_TEST_CPU_LACKS=avx512f "$DAXTOOL" bench rw --copy avx512-nt
expect "map_sync on memory that is not a DAX file" 1 "map_sync needs a file on a DAX filesystem" \
	"$DAXTOOL" bench rw --rw write --persist map_sync
expect "bad --percentiles" 2 "percentiles" "$DAXTOOL" bench rw --percentiles 0:150
expect "bad --rw" 2 "'readwrite' is not one of" "$DAXTOOL" bench rw --rw readwrite
expect "fio missing" 1 "fio is not installed" env PATH=/nonexistent "$DAXTOOL" bench rw --fio

# fio: the job daxtool writes runs, and --fio shows both numbers, warm
# (a ramp that covers a cold pass, so fio's measured part takes no page
# faults) unless --fio-cold, and says when fio was fault-bound.
if command -v fio >/dev/null; then
	"$DAXTOOL" bench rw --fio-job --size 16M --rw randwrite --bs 4k "$T/fiofile" >"$T/job.fio"
	grep -q '^ioengine=mmap$' "$T/job.fio" && grep -q "^filename=$T/fiofile$" "$T/job.fio" &&
		pass "--fio-job: the mmap engine on the file" || fail "--fio-job" "$(cat "$T/job.fio")"
	grep -q '^# warm: time_based' "$T/job.fio" && grep -q '^time_based=1$' "$T/job.fio" &&
		grep -q '^ramp_time=10000ms$' "$T/job.fio" && grep -q '^runtime=1000ms$' "$T/job.fio" &&
		! grep -q '^loops=' "$T/job.fio" &&
		pass "--fio-job: warm, time_based, the ramp a guess with no cold pass run" ||
		fail "--fio-job warm" "$(cat "$T/job.fio")"
	"$DAXTOOL" bench rw --fio-job --fio-cold --size 16M --rw randwrite --bs 4k "$T/fiofile" >"$T/cold.fio"
	grep -q '^loops=4$' "$T/cold.fio" && ! grep -Eq '^(time_based|ramp_time|# warm)' "$T/cold.fio" &&
		pass "--fio-job --fio-cold: the loops, no ramp" || fail "--fio-job --fio-cold" "$(cat "$T/cold.fio")"
	"$DAXTOOL" bench rw --fio-job --ramp-time 1 --size 16M --rw randwrite --bs 4k "$T/fiofile" >"$T/job.fio"
	grep -q '^ramp_time=1000ms$' "$T/job.fio" &&
		pass "--fio-job --ramp-time 1: the ramp given, not the guess" ||
		fail "--fio-job --ramp-time" "$(grep ramp "$T/job.fio")"
	(cd "$T" && fio --output-format=json job.fio) >"$T/fio.json" 2>"$T/err"
	jq -en 'input | .jobs[0].error == 0 and .jobs[0].write.io_bytes > 0' "$T/fio.json" >/dev/null &&
		pass "--fio-job output runs under fio with error=0" ||
		fail "--fio-job run" "$(head -c 300 "$T/err")"
	out=$(rw --json --fio --rw write --bs 4k 2>"$T/err")
	echo "$out" | jq -en 'input | .fio.engine == "mmap" and .fio.write.bw_bytes > 0 and
		.jobs[0].write.bw_bytes > 0 and .fio.write.ratio > 0' >/dev/null &&
		pass "--fio on the emulated target: both numbers and their ratio" ||
		fail "--fio" "$(cat "$T/err") $(echo "$out" | jq -c .fio)"
	echo "$out" >"$T/fio-warm.json"
	jqok "--fio: warm by default, the ramp longer than fio's cold pass" \
		'.fio | .warmup == true and .cold_pass_ms > 0 and .ramp_time_ms > .cold_pass_ms and
		 .write.runtime >= 1000' "$T/fio-warm.json" .fio
	jqok "--fio: fio's faults and CPU time, numbers; fault_bound a boolean" \
		'.fio | (.minf, .majf, .usr_cpu, .sys_cpu | type == "number") and
		 (.fault_bound | type == "boolean") and
		 (.fault_bound_why == null) == (.fault_bound | not)' "$T/fio-warm.json" .fio
	jqok "--fio warm: less than a fault per page moved, not fault-bound" \
		'.fio | .minf * 4096 < .write.io_bytes and .fault_bound == false' "$T/fio-warm.json" .fio
	out=$(rw --json --fio-cold --rw read --bs 4k --loops 1 2>"$T/err")
	echo "$out" >"$T/fio-cold.json"
	jqok "--fio-cold: no warm-up; no cold pass or ramp of its own" \
		'.fio | .warmup == false and .cold_pass_ms == null and .ramp_time_ms == 0' \
		"$T/fio-cold.json" .fio
	jqok "--fio-cold on a new tmpfs file: a fault per page, fault-bound, and why" \
		'.fio | .minf >= 4096 and .fault_bound == true and
		 (.fault_bound_why | test("page faults for 4096 4 KiB pages moved"))' "$T/fio-cold.json" .fio
	wm=$(jq '.fio.minf' "$T/fio-warm.json") cm=$(jq '.fio.minf' "$T/fio-cold.json")
	[ -n "$wm" ] && [ -n "$cm" ] && [ "$wm" -lt "$cm" ] &&
		pass "--fio: the warm-up takes fio's faults out of its measured part ($cm cold, $wm warm)" ||
		fail "--fio warm-up" "minf $cm cold, $wm warm"
	if [ -f "$ROOT/test/doc-keys.sh" ]; then
		sh "$ROOT/test/doc-keys.sh" --check bench-rw "$T/fio-warm.json" | grep ' bench-rw \.fio'
	fi
	rw --fio-cold --rw read --bs 4k --loops 1 >"$T/cold.txt" 2>"$T/err"
	grep -q '^  !!! fio WAS FAULT-BOUND: the ratio is not like for like !!!$' "$T/cold.txt" &&
		grep -q 'daxtool/fio [0-9.]*x, not like for like$' "$T/cold.txt" &&
		grep -q '^  why: [0-9]* page faults for 4096 4 KiB pages moved' "$T/cold.txt" &&
		grep -Eq '^  fio: [0-9]+ minor faults, [0-9]+ major, [0-9.]+% user, [0-9.]+% system time$' "$T/cold.txt" &&
		grep -q 'cold (--fio-cold): its page faults are measured' "$T/cold.txt" &&
		pass "text, --fio-cold: fio's faults, loudly fault-bound, the ratio marked" ||
		fail "text --fio-cold" "$(grep -A6 'fio mmap' "$T/cold.txt")"
	rw --fio --rw read --bs 4k --loops 1 >"$T/warm.txt" 2>"$T/err"
	grep -Eq 'the same workload, warm: a cold pass took [0-9]+ ms, then [0-9]+ ms unmeasured \(ramp_time\)$' "$T/warm.txt" &&
		grep -Eq '^  fio, measured part: [0-9]+ minor faults' "$T/warm.txt" &&
		pass "text, --fio: the warm-up said, fio's faults of its measured part" ||
		fail "text --fio" "$(grep -A6 'fio mmap' "$T/warm.txt")"
	left=$(while read -r p; do
		[ -e "/dev/shm/daxtool-fio-$p" ] && echo "/dev/shm/daxtool-fio-$p"
	done <"$T/pids")
	[ -s "$T/pids" ] && [ -z "$left" ] && pass "--fio leaves no file in /dev/shm" ||
		fail "--fio cleanup" "${left:-no run recorded}"
	# Ctrl-C while fio runs: passed on to fio, every file removed, said
	"$DAXTOOL" bench rw --size 16M --fio --rw write --runtime 2 emulated >"$T/fint.out" 2>"$T/fint.err" &
	pid=$!
	i=0
	until pgrep -P $pid -x fio >/dev/null || [ $i -ge 200 ]; do
		sleep 0.05; i=$((i + 1))
	done
	fpid=$(pgrep -P $pid -x fio)
	kill -INT $pid
	wait $pid; rc=$?
	[ $rc = 130 ] && grep -q "^daxtool: bench rw: interrupted while fio ran: 2 of 2 runs done, nothing printed$" "$T/fint.err" &&
		pass "--fio, SIGINT while fio runs: said, exit 130" ||
		fail "--fio SIGINT" "exit $rc: $(cat "$T/fint.err")"
	i=0
	while [ -n "$fpid" ] && kill -0 "$fpid" 2>/dev/null && [ $i -lt 200 ]; do
		sleep 0.05; i=$((i + 1))
	done
	[ -n "$fpid" ] && ! kill -0 "$fpid" 2>/dev/null && [ ! -s "$T/fint.out" ] &&
		[ ! -e "/dev/shm/daxtool-fio-$pid" ] &&
		pass "--fio, SIGINT: fio stopped too, nothing printed, its file removed" ||
		fail "--fio SIGINT: leftovers" "fio $fpid; $(ls /dev/shm/daxtool-fio-* 2>/dev/null)"
else
	skip "fio" "fio is not installed"
fi

# --- the limit: a bare streaming loop over the same mapping, same threads ----------
run rw --json --rw read --bs 2m --loops 1
jqok "limit: read, the widest loads, daxtool's bandwidth as a fraction of it" \
	'.limit.write == null and (.limit.read | (.copy | IN("avx512", "avx2", "memcpy")) and
	 .io_bytes == 16777216 and .bw_bytes > 0 and .ratio > 0) and
	 (.limit.read.ratio - .jobs[0].read.bw_bytes / .limit.read.bw_bytes | fabs) < 0.01' "$T/out" '.limit'
run rw --json --rw randrw --bs 4k --loops 1 --threads 2
jqok "limit: a mix measures both directions, writes with non-temporal stores where the CPU has them" \
	'(.limit.read.bw_bytes > 0) and (.limit.write | .bw_bytes > 0 and
	 (.copy | IN("avx512-nt", "avx2-nt", "memcpy"))) and .verify_errors == 0' "$T/out" '.limit'
run rw --json --rw read --no-limit
jqok "--no-limit: limit null" '.limit == null' "$T/out" '.limit'
run rw --rw write --bs 2m --loops 1
grep -Eq "^  limit write [a-z0-9-]+ sequential, same mapping and threads: [0-9.]+[KMGT]?/s; daxtool/limit: [0-9.]+$" "$T/out" &&
	pass "text: the limit and the fraction" || fail "text limit" "$(grep limit "$T/out")"
expect "--fio --threads 2: refused, fio would not run the same workload" 2 \
	"fio's mmap, dev-dax and libpmem engines map every job at the start of the file" \
	rw --fio --threads 2
if command -v fio >/dev/null; then
	run rw --json --fio --loops 1 --size 16M anon
	jqok "--fio on anonymous memory: not the same memory, said" '.fio.same_memory == false' "$T/out" '.fio'
	shm=/dev/shm/daxtool-test-rw-$$
	head -c 16777216 /dev/zero >"$shm"
	run rw --json --fio --loops 1 --size 16M "$shm"
	rm -f "$shm"
	jqok "--fio on a tmpfs file: fio runs on the same file" \
		'.fio.same_memory == true and .target.kind == "emulated-shmem"' "$T/out" '[.target.kind, .fio.same_memory]'
else
	skip "--fio same memory" "fio is not installed"
fi

# --- --page-size: the pages asked for, verified --------------------------------------
run rw --json --page-size 4k --loops 1
jqok "--page-size 4k on anon: 4 KiB pages asked, none PMD-mapped, the limit on the same mapping" \
	'.options.page_size == 4096 and (.pages | .pmd_windows == 0 and .pmd_in_4k == false and
	 .pmd_fallback == null) and .limit.read.bw_bytes > 0' "$T/out" '[.options.page_size, .pages]'
run rw --json --page-size 2m --loops 1
jqok "--page-size 2m on anon: 2 MiB windows, each PMD-mapped or a fallback with its reasons" \
	'.options.page_size == 2097152 and .pages.window_size == 2097152 and
	 ((.pages.pmd_windows == 8 and .pages.pmd_fallback == false) or
	  (.pages.pmd_fallback == true and (.pages.fallback_reasons | length) > 0))' "$T/out" '.pages'
expect "--page-size 1g on anon: usage, why" 2 "anonymous memory has no 1 GiB pages" rw --page-size 1g anon

# --- --runs: the same workload N times, each run's figures kept -----------------------
expect "rw --runs 3 --json" 0 "" rw --json --runs 3 --rw read --bs 4k --loops 1 anon
cp "$T/out" "$T/runs.json"
# 16 MiB of 4 KiB blocks, one loop: 4096 operations a run
jqok "--runs 3: 3 values of bandwidth, runtime and latency; the figures the median run's" \
	'.options.runs == 3 and (.jobs[0].read | .runs.count == 3 and
	 ([.runs.bw_bytes.values, .runs.runtime_ns.values, .runs.lat_ns.mean, .runs.lat_ns.p50,
	   .runs.lat_ns.p99] | all(length == 3)) and
	 ([.runs.bw_bytes.values[], .runs.runtime_ns.values[]] | all(type == "number" and . > 0 and . == floor)) and
	 .runs.bw_bytes.median == .bw_bytes and .runs.runtime_ns.median == .runtime_ns and
	 (.runs.bw_bytes.values | sort)[1] == .runs.bw_bytes.median and
	 .runs.bw_bytes.min == (.runs.bw_bytes.values | min) and
	 .runs.bw_bytes.max == (.runs.bw_bytes.values | max) and
	 .io_bytes == 16777216 and .total_ios == 4096 and .lat_ns.N == 3 * 4096 and
	 ([.runs.lat_ns.p50, .runs.lat_ns.p99] | transpose | all(.[0] > 0 and .[0] <= .[1])))' \
	"$T/runs.json" '[.options.runs, .jobs[0].read.runs, .jobs[0].read.lat_ns.N]'
jqok "--runs 3: a direction not run keeps the shape: 3 zero bandwidths, lat_ns null" \
	'.jobs[0].write.runs | .count == 3 and .bw_bytes.values == [0, 0, 0] and .lat_ns == null' \
	"$T/runs.json" '.jobs[0].write.runs'
jqok "--runs 3: the threads of the median run, the limit and the pages after every run" \
	'(.jobs[0].threads | length) == 1 and .jobs[0].threads[0].read_bytes == 16777216 and
	 .limit.read.bw_bytes > 0 and .pages.windows == 8' "$T/runs.json" '[.jobs[0].threads, .limit, .pages.windows]'
# the same keys as one run: the shape does not depend on --runs
paths='[paths | map(if type == "number" then "#" else . end) | join(".")] | unique | .[]'
rw --json --rw read --bs 4k --loops 1 anon | jq -r "$paths" >"$T/p1"
jq -r "$paths" "$T/runs.json" >"$T/p3"
same "--runs 3: the keys of one run, no others" "$T/p1" "$T/p3"
if [ -f "$ROOT/test/doc-keys.sh" ]; then
	sh "$ROOT/test/doc-keys.sh" --check bench-rw "$T/runs.json" | grep 'bench-rw \.\(jobs\|options\)'
fi
# write: every run writes, the data checked once all have
expect "rw --runs 2 --rw write" 0 "" rw --json --runs 2 --rw randwrite --bs 4k --loops 1 --seed 5 anon
jqok "--runs 2 --rw randwrite: the data verified after both runs, the same offsets each run" \
	'.verify_errors == 0 and (.jobs[0].write.runs.bw_bytes.values | length) == 2 and
	 .jobs[0].write.lat_ns.N == 2 * 4096' "$T/out" '[.verify_errors, .jobs[0].write.runs]'
d1=$(jq -r '.jobs[0].threads[0].offsets_digest' "$T/out")
d2=$(rw --json --rw randwrite --bs 4k --loops 1 --seed 5 anon | jq -r '.jobs[0].threads[0].offsets_digest')
[ -n "$d1" ] && [ "$d1" = "$d2" ] && pass "--runs 2: each run visits the offsets one run visits" ||
	fail "--runs offsets" "$d1 / $d2"
expect "rw --runs 2 --no-lat" 0 "" rw --json --runs 2 --no-lat --loops 1 anon
jqok "--runs 2 --no-lat: bandwidth per run, no latency" \
	'.jobs[0].read | .lat_ns == null and .runs.lat_ns == null and (.runs.bw_bytes.values | length) == 2' \
	"$T/out" '.jobs[0].read'
# text: the runs, and a line of min/median/max under each direction
run rw --runs 3 --rw rw --bs 4k --loops 1 anon
grep -q ", 3 runs, 1 loop, seed 1$" "$T/out" &&
	grep -Eq "^  read  3 runs, min/median/max: bw [0-9.]+[KMGT]?/s / [0-9.]+[KMGT]?/s / [0-9.]+[KMGT]?/s, runtime [0-9.]+[nmu]?s / [0-9.]+[nmu]?s / [0-9.]+[nmu]?s$" "$T/out" &&
	grep -Eq "^  write 3 runs, min/median/max: bw " "$T/out" &&
	pass "text: --runs 3 said with the options, and a runs line under each direction" ||
	fail "text: --runs" "$(head -c 900 "$T/out")"
run rw --rw read --loops 1 anon
grep -q ", 1 thread, 1 run, 1 loop$" "$T/out" && ! grep -q "runs, min/median/max" "$T/out" &&
	pass "text: one run, no runs line" || fail "text: one run" "$(head -c 600 "$T/out")"
expect "--runs 0: usage" 2 "--runs: give 1 to 1000" "$DAXTOOL" bench rw --runs 0 anon
expect "--runs 1001: usage" 2 "--runs: give 1 to 1000" "$DAXTOOL" bench rw --runs 1001 anon
if command -v fio >/dev/null; then
	expect "--fio --runs 2: fio once, beside the median run" 0 "" \
		rw --json --fio --runs 2 --loops 1 --no-limit anon
	jqok "--fio --runs 2: daxtool's two runs, fio's one cross-check and its ratio" \
		'(.jobs[0].read.runs.bw_bytes.values | length) == 2 and .fio.read.bw_bytes > 0 and .fio.read.ratio > 0' \
		"$T/out" '[.jobs[0].read.runs, .fio.read]'
else
	skip "--fio --runs" "fio is not installed"
fi
