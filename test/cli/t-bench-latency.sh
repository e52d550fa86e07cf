#!/bin/sh
# daxtool bench latency on emulated targets, with short runs: the sweep's
# points, the page sizes verified per pass, loaded points, the options'
# checks, data safety without --force, and the chart.
. "$(dirname "$0")/../lib.sh"

# quick: a 1M curve over 8 MiB, few loads
lat() { "$DAXTOOL" bench latency --size 8M --max-ws 1M --repeats 3 --max-loads 65536 "$@"; }

# --- the idle curve, a pass per page size -------------------------------------
run lat --json anon
[ $rc = 0 ] && pass "latency on anon: exit 0" || fail "latency on anon" "exit $rc: $(cat "$T/err")"
cp "$T/out" "$T/anon.json"
jqok "two passes, 4K then 2M; 1G skipped, with why" \
	'[.passes[].page_size] == [4096, 2097152] and [.skipped[].page_size] == [1073741824] and
	 (.skipped[0].why | test("device-DAX aligned 1G and hugetlb memory of 1 GiB pages only"))' "$T/anon.json" '[.passes[].page_size, .skipped]'
jqok "the sweep: 16K doubling to 1M, every pass" \
	'all(.passes[]; [.idle[].ws_bytes] == [16384, 32768, 65536, 131072, 262144, 524288, 1048576])' \
	"$T/anon.json" '[.passes[] | [.idle[].ws_bytes]]'
jqok "each point: fio's lat_ns over 3 repeats, min <= median <= max, loads a multiple of 16" \
	'all(.passes[].idle[]; .lat_ns.N == 3 and .lat_ns.min > 0 and
	     .lat_ns.min <= .lat_ns.percentile."50.000000" and
	     .lat_ns.percentile."50.000000" <= .lat_ns.max and
	     .lat_ns.min <= .lat_ns.mean and .lat_ns.mean <= .lat_ns.max and
	     .loads % 16 == 0 and .loads >= .lines and .lines == .ws_bytes / 64)' \
	"$T/anon.json" '[.passes[].idle[0]]'
jqok "4K pass: no window PMD-mapped, verified by second touch in 2 MiB windows" \
	'.passes[0].pages | .window_size == 2097152 and .windows == 4 and .pmd_windows == 0 and .pmd_method == "touch" and
	 .pmd_in_4k == false and .pmd_fallback == null' "$T/anon.json" '.passes[0].pages'
# 2 MiB: THP may be unavailable; then the fallback must be said, with reasons
jqok "2M pass: every window PMD-mapped, or the fallback said with its reasons" \
	'.passes[1].pages | (.pmd_windows == 4 and .pmd_fallback == false) or
	 (.pmd_fallback == true and (.fallback_reasons | length) > 0)' "$T/anon.json" '.passes[1].pages'
jqok "the options as used: stride 64, random, 3 repeats, seed 1, not loaded" \
	'.options | .stride == 64 and .group == 0 and .repeats == 3 and .seed == 1 and
	 .max_loads == 65536 and .min_ws == 16384 and .max_ws == 1048576 and .loaded == false and
	 .traffic == null and .loaded_ws == null' "$T/anon.json" '.options'
jqok "the regime: preallocated (the cycle is written before anything is timed)" \
	'.env.regime == "preallocated" and .workload == "latency" and .target.access == "write"' "$T/anon.json" '.env'

# text: a table per pass and the chart with a legend
run lat anon
grep -q "^  4K pages: 0 of 4 windows PMD-mapped, by second touch" "$T/out" &&
	grep -q "^    working set      min      max     mean   median (ns per load)$" "$T/out" &&
	grep -Eq "^ +1M +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+$" "$T/out" &&
	pass "text: the pass's pages, then its curve" || fail "text table" "$(head -c 800 "$T/out")"
grep -q "^  ns per load, by working set$" "$T/out" && grep -q "\* 4K pages  o 2M pages" "$T/out" &&
	pass "text: the chart, a series per page size" || fail "text chart" "$(tail -n 30 "$T/out")"
run lat --no-chart anon
! grep -q "ns per load, by working set" "$T/out" && [ $rc = 0 ] &&
	pass "--no-chart: no chart" || fail "--no-chart" "$(tail -n 5 "$T/out")"

# one page size; one point; grouped layout
run lat --json --page-size 2m --min-ws 256k --max-ws 256k --group 4k anon
jqok "--page-size 2m --min-ws = --max-ws: one pass, one point, groups of 4K" \
	'[.passes[].page_size] == [2097152] and [.passes[0].idle[].ws_bytes] == [262144] and
	 .options.group == 4096' "$T/out" '[.passes[] | [.page_size, [.idle[].ws_bytes]]]'

# the same keys whatever the options
lat --json anon | jq -S '[paths | map(tostring) | join(".")] | map(sub("\\.[0-9]+"; ".N"; "g")) | unique' >"$T/k1"
lat --json --group 4k --stride 128 --repeats 1 anon |
	jq -S '[paths | map(tostring) | join(".")] | map(sub("\\.[0-9]+"; ".N"; "g")) | unique' >"$T/k2"
same "json: the same keys whatever the options" "$T/k1" "$T/k2"

# --- hugetlb: 2 MiB pages only, the 4K pass skipped with the reason ---------------
old=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)
free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
if [ "${free:-0}" -lt 4 ] && ! is_root; then
	skip "latency on hugetlb" "no 2 MiB huge pages free and not root to reserve them"
else
	if [ "${free:-0}" -lt 4 ]; then
		at_exit "echo $old >/proc/sys/vm/nr_hugepages"	# on any way out
		echo $((old + 4)) >/proc/sys/vm/nr_hugepages
	fi
	run lat --json hugetlb
	cp "$T/out" "$T/h.json"; cp "$T/err" "$T/h.err"
	run lat hugetlb
	cp "$T/out" "$T/h.txt"
	expect "--page-size 4k on hugetlb: usage, why" 2 "2 MiB pages only" lat --page-size 4k hugetlb
	expect "--page-size 1g on hugetlb (2 MiB pages reserved only): fails, why" 1 \
		"1 GiB pages" "$DAXTOOL" bench latency --page-size 1g --max-ws 64k --repeats 1 hugetlb
	echo "$old" >/proc/sys/vm/nr_hugepages
	if grep -q "huge page" "$T/h.err"; then
		skip "latency on hugetlb" "$(cat "$T/h.err")"
	else
		jqok "hugetlb: the 2M pass alone, the 4K pass skipped with its reason" \
			'[.passes[].page_size] == [2097152] and [.skipped[].page_size] == [4096, 1073741824] and
			 (.skipped[0].why | test("2 MiB pages only"))' "$T/h.json" '[.passes[].page_size, .skipped]'
		grep -q "^  4K pages: not run: hugetlb memory has 2 MiB pages only$" "$T/h.txt" &&
			pass "text: the skipped pass and why" || fail "text skipped" "$(grep -n 'not run' "$T/h.txt")"
	fi
fi

# --- loaded latency ----------------------------------------------------------------
for kind in read write mix; do
	run lat --json --loaded --threads 2 --traffic $kind --delays 0,20000 --loaded-ws 1M anon
	jqok "--loaded --traffic $kind: two points, traffic slower with the longer delay" \
		'.options.loaded == true and .options.traffic == "'$kind'" and .options.loaded_ws == 1048576 and
		 .options.ns_per_spin > 0 and
		 all(.passes[]; [.loaded[].delay_ns] == [0, 20000] and
		     all(.loaded[]; .lat_ns.N == 3 and .lat_ns.percentile."50.000000" > 0 and
			 .ws_bytes == 1048576 and .traffic_bytes > 0) and
		     .loaded[0].bw_bytes > .loaded[1].bw_bytes)' "$T/out" '[.passes[].loaded, .options]'
done
run lat --loaded --threads 2 --delays 0 --loaded-ws 1M anon
grep -q "^    loaded: the chase over 1M, read traffic from 1 thread over the rest$" "$T/out" &&
	grep -Eq "^ +0ns +[0-9.]+[KMGT]?/s +[0-9.]+$" "$T/out" &&
	pass "text: the loaded points under their heading" || fail "text loaded" "$(grep -A3 loaded "$T/out")"
jqok "--loaded without --threads: every allowed CPU, at least 2" \
	'.options.threads >= 2' "$(lat --json --loaded --delays 0 --loaded-ws 1M anon >"$T/l.json"; echo "$T/l.json")"

# --- the options' checks --------------------------------------------------------------
expect "--threads 2 without --loaded: usage" 2 "idle curve is one chasing thread" lat --threads 2 anon
expect "--loaded --threads 1: usage" 2 "give 2 or more" lat --loaded --threads 1 anon
expect "--delays without --loaded: usage" 2 "--delays is for --loaded" lat --delays 0 anon
expect "--delays junk: usage" 2 "give ns from 0 to" lat --loaded --threads 2 --delays 0,x anon
expect "--delays negative: usage" 2 "give ns from 0 to" lat --loaded --threads 2 --delays -5 anon
expect "--repeats 0: usage" 2 "give 1 to 1000" lat --repeats 0 anon
expect "--min-ws above --max-ws: usage" 2 "larger than --max-ws" lat --min-ws 2M --max-ws 1M anon
expect "--max-ws above the target: usage" 2 "larger than the target" "$DAXTOOL" bench latency --size 4M --max-ws 8M anon
expect "--stride 12: usage" 2 "multiple of the pointer size" lat --stride 12 anon
expect "--group not a multiple of the stride: usage" 2 "multiple of the stride" lat --group 100 anon
expect "--loaded-ws leaving no room for traffic: usage" 2 "leave the traffic" \
	lat --loaded --threads 2 --loaded-ws 8M anon
expect "--page-size 1g on anon: usage, why" 2 "anonymous memory has no 1 GiB pages" lat --page-size 1g anon
expect "--json on a usage error: nothing on stdout" 2 "" lat --json --repeats 0 anon
[ ! -s "$T/out" ] && pass "a usage error prints no document" || fail "usage error stdout" "$(head -c 200 "$T/out")"

# --- data: an existing file is written only with --force ---------------------------
f=$T/data
head -c 8388608 /dev/urandom >"$f"
sum=$(md5sum <"$f")
expect "an existing file without --force: refused, says why" 1 \
	"exists: building the chase's cycle would overwrite its data; add --force" lat "$f"
[ "$(md5sum <"$f")" = "$sum" ] && pass "the file is untouched" || fail "data" "the file changed"
run lat --json --force --page-size 4k "$f"
jqok "--force: runs on the file (the page cache), says it is not DAX" \
	'.target.kind == "file" and .target.emulated == true and .target.created == false and
	 (.passes | length) == 1' "$T/out" '.target'
[ -f "$f" ] && pass "--force: the file is kept" || fail "--force" "the file is gone"

# --- a new file under /dev/shm: created, run on, removed ----------------------------
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	shm=/dev/shm/daxtool-test-lat-$$
	run lat --json "$shm"
	jqok "/dev/shm/NEW: a tmpfs file created and run on" \
		'.target.kind == "emulated-shmem" and .target.created == true and (.passes | length) >= 1' \
		"$T/out" '.target'
	[ ! -e "$shm" ] && pass "/dev/shm/NEW: removed afterwards" || { fail "/dev/shm" "$shm left"; rm -f "$shm"; }
else
	skip "/dev/shm target" "no writable /dev/shm"
fi

# --- interrupted --------------------------------------------------------------------
DAXTOOL_TEST_BENCH_HOLD_RUN=2 DAXTOOL_TEST_BENCH_DELAY_MS=20000 DAXTOOL_TEST_BENCH_HELD=$T/held.int \
	"$DAXTOOL" bench latency --json --size 4M --max-ws 64k --repeats 1 anon >"$T/int.out" 2>"$T/int.err" &
pid=$!
held "$T/held.int" $pid
kill -INT $pid
wait $pid; rc=$?
[ $rc = 130 ] && grep -q "^daxtool: bench latency: interrupted: 1 of 2 runs done, nothing printed$" "$T/int.err" &&
	[ ! -s "$T/int.out" ] && pass "SIGINT: 'interrupted: 1 of 2 runs done', exit 130, nothing on stdout" ||
	fail "SIGINT" "exit $rc: $(cat "$T/int.err")"

# --- help and completion ---------------------------------------------------------------
"$DAXTOOL" bench -h | grep -q "^    latency  *load-to-use latency" && pass "bench -h lists latency" ||
	fail "bench -h" "$("$DAXTOOL" bench -h | head -n 8)"
comp daxtool bench lat | grep -qx latency && pass "completion: bench lat -> latency" ||
	fail "completion" "$(comp daxtool bench lat)"
comp daxtool bench latency --tr | grep -qx -- --traffic= && pass "completion: latency's options" ||
	fail "completion options" "$(comp daxtool bench latency --tr)"

# --- the keys are the doc's -------------------------------------------------------------
sh "$ROOT/test/doc-keys.sh" --check bench-latency "$T/anon.json"

# --- SIGBUS in a loaded run: the file truncated while the threads wait on each
# other; the run ends, says why, prints nothing --------------------------------------
f=$T/shrink
head -c 16777216 /dev/zero | tr '\0' x >"$f"
DAXTOOL_TEST_BENCH_HOLD_RUN=2 DAXTOOL_TEST_BENCH_DELAY_MS=20000 DAXTOOL_TEST_BENCH_HELD=$T/held.bus \
	timeout 60 "$DAXTOOL" bench latency --json \
	--force --page-size 4k --max-ws 64k --repeats 1 --loaded --threads 2 --delays 0 "$f" \
	>"$T/bus.out" 2>"$T/bus.err" &
pid=$!
held "$T/held.bus" $pid	# the loaded run, held: the idle run is over
truncate -s 4096 "$f"
wait $pid; rc=$?
[ $rc = 1 ] && grep -q "bus error (SIGBUS) at offset .*truncated while the benchmark ran" "$T/bus.err" &&
	[ ! -s "$T/bus.out" ] && pass "SIGBUS in a loaded run: exit 1, why, no half document, no hang" ||
	fail "SIGBUS loaded" "exit $rc: $(cat "$T/bus.err")"
