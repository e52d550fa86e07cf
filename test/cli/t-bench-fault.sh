#!/bin/sh
# daxtool bench fault and pmd-fault on this machine's emulated targets
# (anonymous memory, hugetlb, tmpfs, the page cache): the page sizes they
# report against what the kernel did, the JSON shape, files created and
# removed, existing data left alone, and the errors.
. "$(dirname "$0")/../lib.sh"

D=$T/d; mkdir -p "$D"
M=1048576
thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)

# --- anonymous memory: the word anon, that memory and nothing else ---------
anon=anon
if [ "$thp" = never ]; then
	skip "anon pmd-fault" "transparent huge pages are off on this machine"
else
	expect "pmd-fault on anonymous memory" 0 "" \
		"$DAXTOOL" bench pmd-fault --json --size 32M $anon
	cp "$T/out" "$T/anon.json"
	jqok "anon: target is emulated-anon, labelled emulated, no emulation chosen" \
		'.workload == "pmd-fault" and .target.kind == "emulated-anon" and
		 .target.emulated == true and .target.path == null and .target.emulation == null and
		 .target.size == 33554432 and .target.access == "write"' "$T/anon.json" .target
	jqok "anon 4K pass: pmd_ratio 0, one fault per 4 KiB page" \
		'.results[0] | .page_size == 4096 and .pmd_ratio == 0 and .units == 8192 and
		 .faults >= 8192 and .faults <= 8192 + 90 and .windows == 16' \
		"$T/anon.json" '.results[0] | del(.lat_ns, .fallback_windows)'
	jqok "anon 2M pass: pmd_ratio 1, one fault per 2 MiB window, verified" \
		'.results[1] | .page_size == 2097152 and .pmd_ratio == 1 and .units == 16 and
		 .faults >= 16 and .faults <= 18 and .pmd_method == "touch" and
		 .touch_ratio == 1 and .fallback_windows == [] and .pmd_fallback == false' \
		"$T/anon.json" '.results[1] | del(.lat_ns)'
	jqok "anon 2M pass: smaps AnonHugePages agrees, 32 MiB" \
		'.results[1].smaps == {"field": "AnonHugePages", "kb": 32768, "ratio": 1, "note": null}
		 and .results[0].smaps.kb == 0' "$T/anon.json" '[.results[].smaps]'
	jqok "anon: the comparison says the 2 MiB pass got PMDs" \
		'.comparison.pmd_ok == true and .comparison.window_ratio > 0 and
		 .comparison.window_4k_ns > 0 and (.comparison.note | test("no (4K|2M) pass") | not)' \
		"$T/anon.json" .comparison
	# fio's names and default percentile list, exact ranks
	jqok "lat_ns: fio's names and its default percentile list" \
		'.results[0].lat_ns | (keys == ["N","batches","hist","max","mean","min","percentile","stddev"]) and
		 (.percentile | keys_unsorted) == ["1.000000","5.000000","10.000000","20.000000",
		 "30.000000","40.000000","50.000000","60.000000","70.000000","80.000000",
		 "90.000000","95.000000","99.000000","99.500000","99.900000","99.950000",
		 "99.990000"] and .N == 8192' "$T/anon.json" '.results[0].lat_ns'
	jqok "lat_ns: min <= percentiles (rising) <= max, mean inside" \
		'([.results[] | .lat_ns | . as $l | [$l.min] + [$l.percentile[]] + [$l.max] |
		   . == sort] | all) and
		 ([.results[] | .lat_ns | .min <= .mean and .mean <= .max] | all)' \
		"$T/anon.json" '[.results[].lat_ns]'
	jqok "env: kernel, THP, timer and its overhead, regime" \
		'.env | (.kernel | length) > 0 and .thp.enabled != null and
		 .timer.clock == "CLOCK_MONOTONIC" and .timer.overhead_ns > 0 and
		 .regime == "prewarmed" and .is_pmem == false and .auto_flush == null and
		 .persistence_domain == null and (.libpmem_env | type) == "object"' "$T/anon.json" .env

	expect "text: pmd-fault" 0 "" "$DAXTOOL" bench pmd-fault --size 16M $anon
	grep -q "EMULATED: anonymous memory, not DAX" "$T/out" &&
		grep -q "2M touch: 8 of 8 windows PMD-mapped, by second touch" "$T/out" &&
		grep -q "4K touch: 0 of 8 windows PMD-mapped" "$T/out" &&
		grep -Eq '^ +[0-9.]+[nmu]?s - [0-9.]+[nmu]?s +\|#+ *\| +[0-9]+ ' "$T/out" &&
		grep -q "per 2 MiB window: 512 4 KiB faults" "$T/out" &&
		pass "text: emulated label, verification, histogram, window cost" ||
		fail "text" "$(head -c 600 "$T/out")"
	[ ! -s "$T/err" ] && pass "text: nothing on stderr when it is not a terminal" ||
		fail "text: stderr" "$(cat "$T/err")"

	# the same keys, whatever the flags and the benchmark
	shape() { jq -c '[.. | objects | keys] | unique' "$1"; }
	shape "$T/anon.json" >"$T/k1"
	"$DAXTOOL" bench pmd-fault --json --size 8M --threads 2 --runs 2 --populate \
		--prewarm --trace --access write $anon >"$T/flags.json" 2>/dev/null
	shape "$T/flags.json" >"$T/k2"
	"$DAXTOOL" bench fault --json --size 8M -p 2m --access read $anon >"$T/fault.json"
	shape "$T/fault.json" >"$T/k3"
	same "json: the same keys with --threads --runs --populate --prewarm --trace" "$T/k1" "$T/k2"
	jq -c '.comparison = null | .skipped = [] | [.. | objects | keys] | unique' "$T/anon.json" >"$T/k1b"
	same "json: fault has the keys of pmd-fault (comparison null)" "$T/k1b" "$T/k3"

	jqok "--threads 2: per thread and in total" \
		'.results | map(select(.mode == "touch")) | all(.threads == 2 and
		 (.per_thread | length) == 2 and ([.per_thread[].faults] | add) == .faults and
		 ([.per_thread[].units] | add) == .units)' "$T/flags.json" '[.results[] | .per_thread]'
	jqok "--threads 2: the 2 MiB pass still PMD-mapped" \
		'.results[2].page_size == 2097152 and .results[2].mode == "touch" and
		 .results[2].pmd_ratio == 1' "$T/flags.json" '.results[2] | del(.lat_ns)'
	jqok "--runs 2: min <= median <= max, samples of both runs" \
		'.results | map(select(.mode == "touch")) | all(.runs.count == 2 and
		 .runs.runtime_ns.min <= .runs.runtime_ns.median and
		 .runs.runtime_ns.median <= .runs.runtime_ns.max and .lat_ns.N == 2 * .units)' \
		"$T/flags.json" '[.results[] | .runs, .lat_ns.N]'
	jqok "--populate: MADV_POPULATE_WRITE rows, page size from smaps" \
		'[.results[] | [.page_size, .mode, .method, .pmd_ratio, .pmd_method]] ==
		 [[4096,"touch","touch",0,"touch"], [4096,"populate","MADV_POPULATE_WRITE",0,"smaps"],
		  [2097152,"touch","touch",1,"touch"], [2097152,"populate","MADV_POPULATE_WRITE",1,"smaps"]]
		 and (.results[1] | .faults >= 2048 and .lat_ns.N == 0 and .lat_ns.mean == null)' \
		"$T/flags.json" '[.results[] | [.page_size, .mode, .method, .pmd_ratio, .pmd_method, .faults]]'
	jqok "--prewarm: the regime says so" '.env.regime == "prewarmed"' "$T/flags.json" .env.regime
	jqok "--access read: the huge zero page, verified by touch (smaps cannot)" \
		'.results[0] | .access == "read" and .pmd_ratio == 1 and .smaps.field == null and
		 (.smaps.note | test("huge zero page"))' "$T/fault.json" '.results[0].smaps'
fi

# --- a file daxtool creates, and one it must not write -------------------------
expect "a directory: a file is created there" 0 "" \
	"$DAXTOOL" bench fault --json --size 8M -p 2m "$D"
fs=$(stat -f -c %T "$D")
if [ "$fs" = tmpfs ]; then kind=emulated-shmem; else kind=file; fi
jqok "directory on $fs: target kind $kind, created, write" \
	'.target.kind == "'$kind'" and .target.created == true and
	 .target.access == "write" and .target.emulated == true and
	 (.target.path | startswith("'"$D"'/.daxtool-bench."))' "$T/out" .target
[ -z "$(ls -A "$D")" ] && pass "directory: the created file is removed afterwards" ||
	fail "directory: left behind" "$(ls -A "$D")"
expect "a path that does not exist yet: created" 0 "" \
	"$DAXTOOL" bench fault --json --size 4M --sparse "$D/new"
jqok "new path: created sparse, used, removed" \
	'.target.path == "'"$D/new"'" and .target.sparse == true and .results[0].units == 1024' \
	"$T/out" .target
[ ! -e "$D/new" ] && pass "new path: removed afterwards" || fail "new path" "still there"
"$DAXTOOL" bench fault --size 4M "$D" | grep -q "page cache, NOT DAX\|tmpfs, not DAX" &&
	pass "text: an ordinary file is labelled not DAX" || fail "text: not DAX" "no label"

# removed on SIGTERM too: the test hook holds the run after mapping
DAXTOOL_TEST_BENCH_DELAY_MS=20000 "$DAXTOOL" bench fault --size 4M "$D" >/dev/null 2>&1 &
pid=$!
wait_mapped $pid "$D/.daxtool-bench"
kill -TERM $pid
wait $pid 2>/dev/null
[ -z "$(ls -A "$D")" ] && pass "SIGTERM: the created file is removed" ||
	fail "SIGTERM" "left behind: $(ls -A "$D")"

# an existing file: read by default; never written without --force
head -c $((4 * M)) /dev/urandom >"$D/data"
sum=$(sha1sum <"$D/data")
expect "existing file: read-only by default" 0 "" "$DAXTOOL" bench fault --json "$D/data"
jqok "existing file: access read, not created, whole file" \
	'.target.access == "read" and .target.created == false and .target.size == 4194304' \
	"$T/out" .target
for j in "" --json; do
	expect "existing file, --access write without --force${j:+ ($j)}" 1 \
		"$D/data: exists: --access write would overwrite its data; add --force" \
		"$DAXTOOL" bench pmd-fault $j --access write "$D/data"
	[ ! -s "$T/out" ] || fail "no --force: stdout" "$(head -c 200 "$T/out")"
done
[ "$(sha1sum <"$D/data")" = "$sum" ] && [ -e "$D/data" ] &&
	pass "existing file: checksum unchanged without --force" ||
	fail "existing file" "the data changed"
expect "existing file, --access write --force" 0 "" \
	"$DAXTOOL" bench fault --json --access write --force "$D/data"
jqok "--force: written, and the file kept" '.target.access == "write"' "$T/out" .target
[ -e "$D/data" ] && pass "--force: the file is not removed" || fail "--force" "file gone"

# SIGBUS: the file truncated under the benchmark, deterministically: the
# hook holds the run once mapped, until the file changes size
f=$D/shrink
head -c $((16 * M)) /dev/zero | tr '\0' x >"$f"
DAXTOOL_TEST_BENCH_DELAY_MS=20000 "$DAXTOOL" bench fault --json "$f" >"$T/bus.out" 2>"$T/bus.err" &
pid=$!
wait_mapped $pid "$f"
truncate -s 4096 "$f"
wait $pid; rc=$?
if [ $rc = 1 ] && grep -q "^daxtool: bench fault: $f: bus error (SIGBUS) at offset 4096: the file is now 4096 bytes: truncated while the benchmark ran$" "$T/bus.err"; then
	pass "SIGBUS: a clear error naming the file, exit 1"
else
	fail "SIGBUS" "exit $rc: $(cat "$T/bus.err")"
fi
[ ! -s "$T/bus.out" ] && pass "SIGBUS: no half JSON document" ||
	fail "SIGBUS: stdout" "$(head -c 200 "$T/bus.out")"

# --- the document: schema 2, its keys as doc/json.md lists them -----------------
expect "fault --runs 3 --threads 2 on memory" 0 "" \
	"$DAXTOOL" bench fault --json --size 8M --runs 3 --threads 2 emulated
cp "$T/out" "$T/runs.json"
jqok "json: daxtool and schema come first" \
	'(keys_unsorted[:2]) == ["daxtool", "schema"] and (.daxtool | type) == "string" and
	 (.daxtool | length) > 0 and .schema == 2' "$T/runs.json" '{daxtool, schema}'
# runtimes are clock differences: integers, the same figure wherever they
# are (runs.runtime_ns.median is the result's runtime_ns), never rounded
jqok "json: runs.runtime_ns min/median/max are integers, the median is runtime_ns" \
	'.results | all(.runs.count == 3 and
	 ([.runs.runtime_ns | .min, .median, .max, .values[]] | all(type == "number" and . == floor)) and
	 (.runs.runtime_ns.values | length) == 3 and
	 .runs.runtime_ns.median == .runtime_ns and
	 .runs.runtime_ns.min <= .runs.runtime_ns.median and
	 .runs.runtime_ns.median <= .runs.runtime_ns.max and
	 ([.per_thread[].runtime_ns] | all(. == floor)) and
	 ([.lat_ns.min, .lat_ns.max, .lat_ns.percentile[]] | all(. == floor)))' \
	"$T/runs.json" '[.results[] | .runtime_ns, .runs.runtime_ns]'
jqok "json: the regime of the emulation: preallocated, or prewarmed on anonymous memory" \
	'.target.emulated and (if .target.emulation.chosen == "anon" then .env.regime == "prewarmed"
	 else .env.regime == "preallocated" end)' "$T/runs.json" '[.target.emulation, .env.regime]'
DOCKEYS=$ROOT/test/doc-keys.sh
if [ -f "$DOCKEYS" ]; then
	# fault's comparison is null: pmd-fault's is checked below
	sh "$DOCKEYS" --check bench "$T/runs.json" | grep -v '^SKIP json doc: bench .comparison:'
	# anon.json is of the word anon: its emulation is null, checked above
	[ -s "$T/anon.json" ] && sh "$DOCKEYS" --check bench "$T/anon.json" |
		grep -v '^SKIP json doc: bench .target.emulation:' |
		sed 's/^\([A-Z]*\) json doc:/\1 json doc (pmd-fault):/'
else
	skip "json doc: bench" "test/doc-keys.sh is not there"
fi

# the target's device under both names: dev as map and check name it,
# device as schema 1 did
expect "fault on a file in a directory" 0 "" "$DAXTOOL" bench fault --json --size 4M "$D"
jqok "json: target.dev, and target.device the same (schema 1's name)" \
	'.target | has("dev") and has("device") and .dev == .device and
	 ((.dev | type) == "string" or .dev == null)' "$T/out" .target
dev=$(jq -r '.target.dev // empty' "$T/out")
if [ -n "$dev" ]; then
	"$DAXTOOL" bench fault --size 4M "$D" | grep -q ", on $dev " &&
		pass "text: the target's device ($dev)" || fail "text: device" "no ', on $dev'"
fi

# --size: every value judged on its own, none taken for "not given"
for w in fault pmd-fault; do
	expect "$w --size 18446744073709551615: too large, not the default" 2 \
		"^daxtool: bench $w: --size 18446744073709551615 \(16.0E\): too large: no process can map more than 64P$" \
		"$DAXTOOL" bench $w --json --size 18446744073709551615
	[ ! -s "$T/out" ] && pass "$w --size 2^64 - 1: nothing on stdout" ||
		fail "$w --size 2^64 - 1: stdout" "$(head -c 200 "$T/out")"
done
expect "--size just past 64P" 2 "--size 72057594037927938 \(64.0P\): too large" \
	"$DAXTOOL" bench fault --size 72057594037927938

# text: singular for one, plural for more
"$DAXTOOL" bench pmd-fault --size 2M emulated >"$T/one.txt" 2>&1
if [ "$thp" = never ]; then
	skip "text: singular for one" "transparent huge pages are off on this machine"
elif grep -q "  1 thread, 1 run$" "$T/one.txt" &&
     grep -q "2M touch: 1 of 1 window PMD-mapped" "$T/one.txt" &&
     ! grep -Eq '(^|[^0-9.])1 (windows|threads|runs|loops|faults|events|times|pages|blocks|cpus)([^a-z]|$)' "$T/one.txt"; then
	pass "text: singular for one (1 thread, 1 run, 1 of 1 window)"
else
	fail "text: plurals" "$(grep -E '(^|[^0-9.])1 [a-z]+' "$T/one.txt" | head -n 5)"
fi
"$DAXTOOL" bench fault --size 8M --runs 3 --threads 2 emulated >"$T/runs.txt"
grep -q "  2 threads, 3 runs$" "$T/runs.txt" &&
	grep -Eq "^      4K touch, 3 runs, min/median/max: runtime [0-9.]+[nmu]?s / " "$T/runs.txt" &&
	grep -Eq "^      4K touch, per thread: thread 0 \(cpu [0-9]+\) [0-9]+ faults in " "$T/runs.txt" &&
	pass "text: plural for more, runs and threads under their row" ||
	fail "text: runs and threads" "$(head -c 600 "$T/runs.txt")"

# --- interrupted: what was done said on stderr, nothing printed, files gone ----
# the hook holds the third run (the 2M pass's first) once it is mapped
DAXTOOL_TEST_BENCH_HOLD_RUN=3 DAXTOOL_TEST_BENCH_DELAY_MS=20000 DAXTOOL_TEST_BENCH_HELD=$T/held.int \
	"$DAXTOOL" bench pmd-fault --json --size 4M --runs 2 "$D" >"$T/int.out" 2>"$T/int.err" &
pid=$!
held "$T/held.int" $pid
kill -INT $pid
wait $pid; rc=$?
if [ $rc = 130 ] && grep -q "^daxtool: bench pmd-fault: interrupted: 2 of 4 runs done, nothing printed$" "$T/int.err"; then
	pass "SIGINT: 'interrupted: 2 of 4 runs done' on stderr, exit 130"
else
	fail "SIGINT" "exit $rc: $(cat "$T/int.err")"
fi
[ ! -s "$T/int.out" ] && pass "SIGINT: nothing on stdout" || fail "SIGINT: stdout" "$(head -c 200 "$T/int.out")"
[ -z "$(ls -A "$D" | grep daxtool-bench)" ] && pass "SIGINT: the created file is removed" ||
	fail "SIGINT: left behind" "$(ls -A "$D")"

# --- pinning from the affinity mask --------------------------------------------
if ! command -v taskset >/dev/null; then
	skip "pinning under taskset" "no taskset"
else
	last=$(taskset -cp $$ | sed 's/.*[,: -]//')
	run taskset -c "$last" "$DAXTOOL" bench fault --json --size 8M --threads 2 emulated
	jqok "taskset -c $last: both threads pinned to CPU $last, cpus_allowed 1" \
		'[.results[0].per_thread[].cpu] == ['"$last, $last"'] and .env.cpus_allowed == 1' \
		"$T/out" '[.results[0].per_thread, .env]'
	grep -q "^daxtool: bench fault: note: 2 threads on 1 allowed CPU: threads share CPUs$" "$T/err" &&
		pass "more threads than allowed CPUs: a note says they share" ||
		fail "threads note" "$(cat "$T/err")"
	run "$DAXTOOL" bench fault --json --size 8M --threads 1 emulated
	[ ! -s "$T/err" ] && pass "one thread: no note" || fail "one thread: stderr" "$(cat "$T/err")"
fi

# --- --fail-on-fallback and the exit status, documented -------------------------
"$DAXTOOL" bench pmd-fault -h >"$T/h" 2>&1
grep -q -- "--fail-on-fallback  *exit 1 if a window that asked for 2 MiB got 4 KiB pages" "$T/h" &&
	grep -q "Exit status: 0 success; 1 failure, and with --fail-on-fallback" "$T/h" &&
	pass "-h: --fail-on-fallback and the exit status" || fail "-h" "$(head -c 600 "$T/h")"
if [ "$thp" != never ]; then
	expect "--fail-on-fallback where 2 MiB was got: exit 0" 0 "" \
		"$DAXTOOL" bench pmd-fault --size 8M --fail-on-fallback $anon
fi

# --- bad input -----------------------------------------------------------------
expect "--size not a multiple of the page size" 2 \
	"^daxtool: bench fault: --size 2.9K: not a multiple of 4K, the page size$" \
	"$DAXTOOL" bench fault --json --size 3000
expect "pmd-fault: --size not a multiple of 2M" 2 "--size 3M: not a multiple of 2M" \
	"$DAXTOOL" bench pmd-fault --size 3M
expect "--size 0" 2 "^daxtool: bench fault: --size 0: give more than 0$" "$DAXTOOL" bench fault --size 0
expect "a character device that is not DAX" 1 \
	"^daxtool: bench fault: /dev/null: is a character device, not a device-DAX device(;|$)" \
	"$DAXTOOL" bench fault --json /dev/null
expect "a missing path" 1 "^daxtool: bench fault: /nonexistent-daxtool/x: No such file or directory$" \
	"$DAXTOOL" bench fault --json /nonexistent-daxtool/x
expect "a device that does not exist is not created" 1 "/dev/dax-nonexistent: no such device" \
	"$DAXTOOL" bench fault /dev/dax-nonexistent
[ ! -e /dev/dax-nonexistent ] && pass "nothing created in /dev" || fail "/dev" "file created"
grep -q "daxtool list" "$T/err" && pass "a missing device points to daxtool list" ||
	fail "missing device hint" "$(cat "$T/err")"

# --- a new file under /dev/shm: tmpfs, not a device ---------------------------
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	shm=/dev/shm/daxtool-test-$$
	for w in fault pmd-fault; do
		expect "$w: a new file under /dev/shm" 0 "" \
			"$DAXTOOL" bench $w --json --size 8M "$shm"
		jqok "$w: /dev/shm file is emulated-shmem, created" \
			'.target.kind == "emulated-shmem" and .target.created == true and
			 .target.fs == "tmpfs"' "$T/out" .target
		[ ! -e "$shm" ] && pass "$w: the /dev/shm file is removed" ||
			{ fail "$w: /dev/shm file left" "$shm"; rm -f "$shm"; }
	done
else
	skip "/dev/shm targets" "no writable /dev/shm"
fi
expect "--threads 0" 2 "--threads: give 1 to 1024" "$DAXTOOL" bench fault --threads 0
expect "--runs 0" 2 "--runs: give 1 to 1000" "$DAXTOOL" bench fault --runs 0
expect "more threads than 2 MiB windows" 2 "--threads 4: .* give --size 8M or more" \
	"$DAXTOOL" bench fault --threads 4 --size 4M
expect "two targets" 2 "unexpected argument" "$DAXTOOL" bench fault a b
expect "unknown benchmark" 2 "'frob' is not a daxtool benchmark" "$DAXTOOL" bench frob
expect "bad --page-size" 2 "'3m' is not one of: 4k, 2m, 1g" "$DAXTOOL" bench fault -p 3m
expect "pmd-fault has no --page-size" 2 "unknown option" "$DAXTOOL" bench pmd-fault -p 4k
expect "bench lists the benchmarks" 0 "" "$DAXTOOL" bench
grep -q '^    fault ' "$T/out" && grep -q '^    pmd-fault ' "$T/out" &&
	pass "bench: fault and pmd-fault listed" || fail "bench list" "$(cat "$T/out")"
"$DAXTOOL" bench --list-cmds >"$T/cmds"
printf 'fault\npmd-fault\nrw\nlatency\n' | cmp -s - "$T/cmds" && pass "bench --list-cmds" ||
	fail "bench --list-cmds" "$(cat "$T/cmds")"
"$DAXTOOL" --list-cmds | grep -qx bench && pass "--list-cmds lists bench" ||
	fail "--list-cmds" "no bench"

# --- hugetlb: 2 MiB pages reserved for the test, given back after ------------
if ! is_root; then
	skip "hugetlb" "reserving huge pages needs root"
elif [ ! -w /proc/sys/vm/nr_hugepages ]; then
	skip "hugetlb" "/proc/sys/vm/nr_hugepages is not writable"
else
	saved=$(cat /proc/sys/vm/nr_hugepages)
	at_exit "echo $saved >/proc/sys/vm/nr_hugepages"
	free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
	echo $((saved + 8 - free)) >/proc/sys/vm/nr_hugepages 2>/dev/null
	if [ "$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)" -lt 8 ]; then
		skip "hugetlb" "could not reserve 8 huge pages of 2 MiB"
	else
		expect "hugetlb: fault --page-size 2m" 0 "" \
			"$DAXTOOL" bench fault --json -p 2m --size 16M hugetlb
		jqok "hugetlb: pmd_ratio 1, KernelPageSize 2 MiB, preallocated, no emulation chosen" \
			'.target.kind == "emulated-hugetlb" and .target.emulated and .target.emulation == null and
			 .results[0].pmd_ratio == 1 and .results[0].faults == 8 and
			 .results[0].smaps.field == "KernelPageSize" and .results[0].smaps.ratio == 1 and
			 .env.regime == "preallocated"' "$T/out" '[.target, (.results[0] | del(.lat_ns)), .env.regime]'
		expect "hugetlb: pmd-fault runs the 2 MiB pass only, and says why" 0 "" \
			"$DAXTOOL" bench pmd-fault --json --size 16M hugetlb
		jqok "hugetlb: no 4K pass, noted" \
			'(.results | length) == 1 and .results[0].page_size == 2097152 and
			 (.comparison.note | test("no 4K pass: hugetlb memory has 2 MiB pages only")) and
			 .comparison.window_ratio == null and .comparison.pmd_ok == true' "$T/out" .comparison
		expect "hugetlb: --page-size 4k is a usage error" 2 "hugetlb memory has 2 MiB pages only" \
			"$DAXTOOL" bench fault -p 4k --size 16M hugetlb
		expect "hugetlb: --cold is a usage error: no cold regime" 2 \
			"^daxtool: bench fault: --cold: hugetlb: its pages exist before the run, so there is no cold regime to measure \(anon has one\)$" \
			"$DAXTOOL" bench fault --json --cold -p 2m --size 16M hugetlb
	fi
	if [ "$saved" = 0 ] && [ "$(awk '/^HugePages_Total:/ { print $2 }' /proc/meminfo)" -le 8 ]; then
		echo 0 >/proc/sys/vm/nr_hugepages
		expect "hugetlb without free pages: names nr_hugepages" 1 \
			"hugetlb: 8 free 2 MiB huge pages needed, 0 free; reserve them with: echo 8 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages" \
			"$DAXTOOL" bench fault --json -p 2m --size 16M hugetlb
	else
		skip "hugetlb without free pages" "huge pages are reserved on this machine already"
	fi
fi

# --- tmpfs: with huge=always, and without --------------------------------------
shmem=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/shmem_enabled 2>/dev/null)
if ! is_root; then
	skip "tmpfs huge=always" "mounting tmpfs needs root"
elif [ "$shmem" = deny ]; then
	skip "tmpfs huge=always" "shmem_enabled is deny on this machine"
else
	H=$T/huge; N=$T/nohuge; mkdir -p "$H" "$N"
	if mount -t tmpfs -o size=64m,huge=always tmpfs "$H" 2>"$T/merr" &&
	   mount -t tmpfs -o size=64m,huge=never tmpfs "$N" 2>>"$T/merr"; then
		at_exit "umount '$H'"; at_exit "umount '$N'"
		expect "tmpfs huge=always: pmd-fault" 0 "" \
			"$DAXTOOL" bench pmd-fault --json --size 16M "$H"
		jqok "tmpfs huge=always: emulated-shmem, 2M pass PMD-mapped, smaps agrees" \
			'.target.kind == "emulated-shmem" and .target.align == 2097152 and
			 .results[1].pmd_ratio == 1 and .results[1].smaps.field == "ShmemPmdMapped" and
			 .results[1].smaps.ratio == 1 and .results[0].pmd_ratio == 0' \
			"$T/out" '[.target, [.results[] | del(.lat_ns)]]'
		[ -z "$(ls -A "$H")" ] && pass "tmpfs: the created file is removed" ||
			fail "tmpfs: left behind" "$(ls -A "$H")"
		expect "tmpfs huge=never: pmd-fault" 0 "" \
			"$DAXTOOL" bench pmd-fault --json --size 16M "$N"
		jqok "tmpfs huge=never: 2M pass falls back, the reasons say huge=" \
			'.results[1].pmd_ratio == 0 and .results[1].pmd_fallback == true and
			 .comparison.pmd_ok == false and (.results[1].fallback_windows | length) == 8 and
			 (.results[1].fallback_reasons | any(test("8 of 8 windows were mapped with 4 KiB pages"))) and
			 (.results[1].fallback_reasons | any(test("mounted (huge=never|without huge=)")))' \
			"$T/out" '[.results[1].fallback_reasons, .comparison]'
		"$DAXTOOL" bench pmd-fault --size 16M "$N" >"$T/loud"
		grep -q '!!! 2M touch: NO 2 MiB MAPPINGS: 8 of 8 windows fell back' "$T/loud" &&
			pass "tmpfs huge=never: said loudly in text" ||
			fail "loud" "$(head -c 400 "$T/loud")"
		# the ratios are what was measured, not a PMD's: marked so
		mark='(ratio of what was measured: the 2M pass fell back)'
		grep -Fq "one 2 MiB fault " "$T/loud" &&
			[ "$(grep -Fc "x $mark" "$T/loud")" = 2 ] &&
			pass "tmpfs huge=never: both ratios marked as what was measured" ||
			fail "ratio mark" "$(grep -F 'x' "$T/loud" | grep pass | head -c 300)"
		# --fail-on-fallback: the whole output, then exit 1
		for j in "" --json; do
			expect "--fail-on-fallback${j:+ $j}: the 2M pass fell back, exit 1" 1 \
				"^daxtool: bench pmd-fault: --fail-on-fallback: 2M touch: 8 of 8 windows fell back to 4 KiB pages$" \
				"$DAXTOOL" bench pmd-fault $j --size 16M --fail-on-fallback "$N"
		done
		jqok "--fail-on-fallback: the JSON document is whole" \
			'.comparison.pmd_ok == false and .results[1].pmd_fallback == true and
			 (.env | has("kernel"))' "$T/out" .comparison
		expect "--fail-on-fallback, fault -p 4k: nothing asked for 2M, exit 0" 0 "" \
			"$DAXTOOL" bench fault --size 16M --fail-on-fallback "$N"
		expect "--fail-on-fallback on huge=always: no fallback, exit 0" 0 "" \
			"$DAXTOOL" bench pmd-fault --size 16M --fail-on-fallback "$H"
	else
		skip "tmpfs huge=always" "mount failed: $(cat "$T/merr")"
	fi
fi

# --- "emulated", and no target: the most DAX-like emulation possible ---------
# the pool of 2 MiB huge pages (/proc/sys/vm/nr_hugepages where 2 MiB is
# the default huge page size), and the pages in it with the surplus
HP=/sys/kernel/mm/hugepages/hugepages-2048kB
hp_nr() { cat $HP/nr_hugepages; }
hp_total() { echo $(($(cat $HP/nr_hugepages) + $(cat $HP/surplus_hugepages))); }
# tmpfs mounts and directories the emulation left behind
tmpfs_left() { grep -F "$TD/.daxtool-tmpfs" /proc/mounts; ls -A "$TD" 2>/dev/null; }
TD=$T/tmpdir; mkdir -p "$TD"
if ls /dev/dax* >/dev/null 2>&1; then
	skip "emulation: no target" "this machine has device-DAX devices: they are the default"
	dflt=emulated
else
	dflt=
fi
# the pool is left as it is: other users of it may be running; the runs
# here reserve only where no 2 MiB page is free
hp_free=$(cat $HP/free_hugepages 2>/dev/null || echo none)
if ! is_root || [ ! -w $HP/nr_hugepages ]; then
	skip "emulation: hugetlb reservation" "needs root and a writable pool of 2 MiB huge pages"
elif [ "$hp_free" != 0 ]; then
	skip "emulation: hugetlb reservation" "$hp_free 2 MiB huge pages are free already: nothing to reserve"
else
	[ "$(awk '/^Hugepagesize:/ { print $2 }' /proc/meminfo)" = 2048 ] &&
		[ "$(cat /proc/sys/vm/nr_hugepages)" = "$(hp_nr)" ] &&
		pass "emulation: /proc/sys/vm/nr_hugepages is the pool of 2 MiB pages here"
	before=$(hp_nr)
	# restored_or_fail NAME: the pool as it was, else say so and put it back
	restored_or_fail() {
		if [ "$(hp_nr)" = "$before" ] && [ "$(hp_total)" = "$before" ]; then
			pass "$1"
		else
			fail "$1" "nr_hugepages $(hp_nr) (with surplus $(hp_total)), was $before"
			echo "$before" >$HP/nr_hugepages
		fi
	}
	expect "emulation: fault -p 2m, no target, as root" 0 "" \
		env TMPDIR="$TD" "$DAXTOOL" bench fault --json -p 2m --size 16M $dflt
	jqok "emulation: hugetlb, 8 huge pages reserved for the run, preallocated" \
		'.target.kind == "emulated-hugetlb" and .target.emulated and
		 .target.emulation == {"chosen": "hugetlb", "hugepages_reserved": 8, "passed_over": []} and
		 .results[0].pmd_ratio == 1 and .env.regime == "preallocated"' \
		"$T/out" '[.target, .env.regime]'
	restored_or_fail "emulation: nr_hugepages restored afterwards ($before)"
	"$DAXTOOL" bench fault -p 2m --size 16M emulated >"$T/e.txt" 2>&1
	grep -q "^  emulation: hugetlb, the most DAX-like one possible here; 8 huge pages of 2 MiB reserved for the run, given back at exit$" "$T/e.txt" &&
		grep -q "EMULATED: hugetlb memory, not DAX" "$T/e.txt" &&
		pass "emulation: text names the emulation and the pages reserved" ||
		fail "emulation: text" "$(head -n 4 "$T/e.txt")"
	# interrupted: the pages given back by the signal handler
	DAXTOOL_TEST_BENCH_DELAY_MS=20000 "$DAXTOOL" bench fault -p 2m --size 16M emulated \
		>"$T/hint.out" 2>"$T/hint.err" &
	pid=$!
	wait_mapped $pid daxtool-bench
	during=$(hp_nr)
	kill -INT $pid
	wait $pid; rc=$?
	[ "$during" = $((before + 8)) ] && [ $rc = 130 ] &&
		pass "emulation, SIGINT: nr_hugepages raised to $during for the run, exit 130" ||
		fail "emulation, SIGINT" "exit $rc; during $during, was $before: $(cat "$T/hint.err")"
	restored_or_fail "emulation, SIGINT: nr_hugepages restored to $before"
	# the same on an error after the target was opened
	expect "emulation: a usage error after the reservation" 2 "--threads 16: the threads split" \
		"$DAXTOOL" bench fault -p 2m --size 16M --threads 16 emulated
	restored_or_fail "emulation: nr_hugepages restored after the error"
fi

# pmd-fault maps the same memory with 4 KiB pages too: not hugetlb
shmem=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/shmem_enabled 2>/dev/null)
if ! is_root; then
	skip "emulation: tmpfs huge=always" "mounting a tmpfs needs root"
elif [ "$shmem" = deny ] || [ -z "$shmem" ]; then
	skip "emulation: tmpfs huge=always" "no huge pages for tmpfs (shmem_enabled '$shmem')"
else
	expect "emulation: pmd-fault, no target, as root" 0 "" \
		env TMPDIR="$TD" "$DAXTOOL" bench pmd-fault --json --size 16M $dflt
	jqok "emulation: tmpfs huge=always, prefilled; hugetlb passed over, and why" \
		'.target | .kind == "emulated-shmem" and .label == "EMULATED: tmpfs huge=always, not DAX" and
		 .created and .prefilled and .sparse == false and .fs == "tmpfs" and .align == 2097152 and
		 (.path | startswith("'"$TD"'/.daxtool-tmpfs.")) and .emulation.chosen == "tmpfs-huge" and
		 .emulation.hugepages_reserved == 0 and (.emulation.passed_over | length) == 1 and
		 .emulation.passed_over[0].name == "hugetlb" and
		 (.emulation.passed_over[0].why | test("2 MiB pages only, and this benchmark maps the same memory with 4 KiB pages too"))' \
		"$T/out" .target
	jqok "emulation: tmpfs: the 2M pass PMD-mapped, the regime preallocated" \
		'.results[1].pmd_ratio == 1 and .results[1].smaps.field == "ShmemPmdMapped" and
		 .results[0].pmd_ratio == 0 and .env.regime == "preallocated"' \
		"$T/out" '[[.results[] | del(.lat_ns)], .env.regime]'
	[ -z "$(tmpfs_left)" ] && pass "emulation: tmpfs unmounted and its directory removed" ||
		fail "emulation: tmpfs left behind" "$(tmpfs_left)"
	env TMPDIR="$TD" "$DAXTOOL" bench pmd-fault --size 4M emulated >"$T/e.txt" 2>&1
	grep -q "^  emulation: tmpfs-huge, the most DAX-like one possible here$" "$T/e.txt" &&
		grep -q "^    not hugetlb: it has 2 MiB pages only" "$T/e.txt" &&
		grep -q "(created, prefilled, removed afterwards)" "$T/e.txt" &&
		pass "emulation: text names tmpfs-huge and why not hugetlb" ||
		fail "emulation: tmpfs text" "$(head -n 6 "$T/e.txt")"
	DAXTOOL_TEST_BENCH_DELAY_MS=20000 TMPDIR="$TD" "$DAXTOOL" bench pmd-fault \
		--size 16M emulated >/dev/null 2>"$T/tint.err" &
	pid=$!
	wait_mapped $pid "$TD/.daxtool-tmpfs"
	mounted=$(grep -c "$TD/.daxtool-tmpfs" /proc/mounts)
	kill -INT $pid
	wait $pid; rc=$?
	[ $rc = 130 ] && [ "$mounted" = 1 ] && [ -z "$(tmpfs_left)" ] &&
		pass "emulation, SIGINT: the tmpfs unmounted and its directory removed" ||
		fail "emulation, SIGINT: tmpfs" "exit $rc, mounted $mounted; left: $(tmpfs_left)"
	# --cold: memory the faults allocate: hugetlb cannot, tmpfs sparse
	expect "emulation: --cold" 0 "" \
		env TMPDIR="$TD" "$DAXTOOL" bench fault --json -p 2m --cold --size 8M emulated
	jqok "emulation: --cold: a sparse tmpfs file, regime cold, hugetlb passed over" \
		'.target.emulation.chosen == "tmpfs-huge" and .target.sparse and
		 .target.prefilled == false and .env.regime == "cold" and
		 (.target.emulation.passed_over[0].why | test("--cold asks for memory the faults allocate")) and
		 .results[0].pmd_ratio == 1' "$T/out" '[.target, .env.regime]'
fi

# not root: anonymous memory, and why not the others
if ! is_root; then
	expect "emulation: pmd-fault, not root" 0 "" "$DAXTOOL" bench pmd-fault --json --size 8M emulated
	cp "$T/out" "$T/nr-pmd-fault.json"
	nobody=
elif ! command -v setpriv >/dev/null; then
	skip "emulation: not root" "no setpriv to run as another user"
	nobody=skip
elif ! setpriv --reuid=65534 --regid=65534 --clear-groups "$DAXTOOL" --version >/dev/null 2>&1; then
	skip "emulation: not root" "user 65534 cannot run $DAXTOOL"
	nobody=skip
else
	nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
	for w in "fault -p 2m" "pmd-fault"; do
		# shellcheck disable=SC2086
		expect "emulation: $w, not root" 0 "" $nobody "$DAXTOOL" bench $w --json --size 8M emulated
		cp "$T/out" "$T/nr-${w%% *}.json"
	done
fi
if [ "$nobody" != skip ]; then
	jqok "emulation, not root: pmd-fault: anon, prewarmed; not hugetlb (4 KiB pass), not tmpfs (root)" \
		'.target.kind == "emulated-anon" and .target.emulation.chosen == "anon" and
		 [.target.emulation.passed_over[].name] == ["hugetlb", "tmpfs-huge"] and
		 (.target.emulation.passed_over[0].why | test("2 MiB pages only")) and
		 .target.emulation.passed_over[1].why == "mounting a tmpfs needs root" and
		 .env.regime == "prewarmed"' "$T/nr-pmd-fault.json" '[.target.emulation, .env.regime]'
fi
if [ -n "$nobody" ] && [ "$nobody" != skip ]; then
	if [ "$(cat $HP/free_hugepages 2>/dev/null)" = 0 ]; then
		jqok "emulation, not root: fault -p 2m: hugetlb cannot reserve: not root" \
			'.target.emulation.chosen == "anon" and .target.emulation.passed_over[0] ==
			 {"name": "hugetlb", "why": "0 free 2 MiB huge pages, 4 needed, and cannot reserve more: not root"}' \
			"$T/nr-fault.json" .target.emulation
	else
		skip "emulation, not root: cannot reserve" "2 MiB huge pages are free on this machine"
	fi
fi

# --- the regime: prewarmed by default where it applies, --cold for cold -------
expect "--cold on anonymous memory" 0 "" "$DAXTOOL" bench fault --json --size 8M --cold anon
jqok "--cold: the regime is cold" '.env.regime == "cold"' "$T/out" .env.regime
"$DAXTOOL" bench fault --size 4M --cold anon | grep -q "^       regime cold: the memory was not touched before the run" &&
	pass "--cold: text names the regime" || fail "--cold: text" "no regime line"
"$DAXTOOL" bench fault --size 4M anon | grep -q "^       regime prewarmed: " &&
	pass "default on anonymous memory: text names the regime prewarmed" || fail "prewarmed: text" "no regime line"
expect "--prewarm, as before: accepted" 0 "" "$DAXTOOL" bench fault --json --size 4M --prewarm anon
jqok "--prewarm: prewarmed" '.env.regime == "prewarmed"' "$T/out" .env.regime
expect "--cold and --prewarm: a usage error" 2 "^daxtool: bench fault: --cold and --prewarm: give one" \
	"$DAXTOOL" bench fault --size 4M --cold --prewarm anon
"$DAXTOOL" bench pmd-fault -h >"$T/h" 2>&1
grep -q -- "--cold  *emulated targets: do not prewarm" "$T/h" && pass "-h: --cold" ||
	fail "-h: --cold" "$(grep -- --cold "$T/h")"
expect "--cold on a created file in a directory: cold" 0 "" \
	"$DAXTOOL" bench fault --json --size 4M --cold "$D"
jqok "--cold on a created file: cold" '.env.regime == "cold"' "$T/out" .env.regime

# --- an existing file or device: the default size is capped -----------------
big=$T/big
if ! truncate -s 1T "$big" 2>"$T/terr"; then
	skip "default-size cap" "cannot make a 1 TiB sparse file here: $(cat "$T/terr")"
elif [ "$(stat -c %b "$big")" != 0 ]; then
	skip "default-size cap" "the 1 TiB file is not sparse on $(stat -f -c %T "$big")"
	rm -f "$big"
else
	pass "a sparse file of 1 TiB, no block allocated"
	expect "1 TiB sparse file, no --size: capped, said on stderr" 0 \
		"^daxtool: bench fault: note: using the first 1G of $big \(1T\); give --size to use more$" \
		"$DAXTOOL" bench fault --json -p 2m --cold "$big"
	jqok "cap: target.size 1 GiB, size_capped, whole_size 1 TiB, 512 windows" \
		'.target.size == 1073741824 and .target.size_capped == true and
		 .target.whole_size == 1099511627776 and .results[0].units == 512' "$T/out" .target
	expect "1 TiB sparse file, --size 8M: not capped" 0 "" \
		"$DAXTOOL" bench fault --json -p 2m --size 8M "$big"
	jqok "--size 8M: size_capped false, whole_size still said" \
		'.target.size == 8388608 and .target.size_capped == false and
		 .target.whole_size == 1099511627776' "$T/out" .target
	[ ! -s "$T/err" ] && pass "--size given: no note" || fail "--size: stderr" "$(cat "$T/err")"
	"$DAXTOOL" bench fault -p 2m --cold "$big" 2>/dev/null | grep -q "^  target $big, 1G (the default cap, of 1T), read" &&
		pass "cap: text says the size is the default cap, of 1T" || fail "cap: text" "no cap on the target line"
	[ "$(stat -c %b "$big")" = 0 ] && pass "cap: the file is still sparse: nothing written" ||
		fail "cap: file" "$(stat -c %b "$big") blocks"
	rm -f "$big"
fi
expect "a small existing file: not capped" 0 "" "$DAXTOOL" bench fault --json "$D/data"
jqok "a small file: size_capped false, whole_size its size" \
	'.target.size_capped == false and .target.whole_size == 4194304' "$T/out" .target

# --- bash completion of the two levels ----------------------------------------
if command -v bash >/dev/null && [ "$(basename "$DAXTOOL")" = daxtool ]; then
	[ "$(comp daxtool bench "" | tr '\n' ' ')" = "fault pmd-fault rw latency " ] &&
		pass "completion: bench lists its benchmarks" ||
		fail "completion: bench" "$(comp daxtool bench "" | tr '\n' ' ')"
	comp daxtool bench fault --pa >"$T/c"
	grep -qx -- "--page-size=" "$T/c" && pass "completion: a benchmark's options" ||
		fail "completion: options" "$(tr '\n' ' ' <"$T/c")"
	[ "$(comp daxtool bench fault --page-size "" | sort | tr '\n' ' ')" = "1g 2m 4k " ] &&
		pass "completion: --page-size values" ||
		fail "completion: values" "$(comp daxtool bench fault --page-size "" | tr '\n' ' ')"
else
	skip "completion: bench" "no bash, or the binary is not named daxtool"
fi

# --- 1 GiB pages: hugetlb's, reserved as root; else skipped with the reason --------
expect "fault -p 1g on anon: usage, why" 2 "anonymous memory has no 1 GiB pages" \
	"$DAXTOOL" bench fault -p 1g anon
pool1g=/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
before=$(cat $pool1g 2>/dev/null)
run "$DAXTOOL" bench fault --json -p 1g --size 1G emulated
if [ $rc = 0 ]; then
	jqok "fault -p 1g: hugetlb memory of 1 GiB pages, the window PUD-mapped by second touch" \
		'.target.kind == "emulated-hugetlb" and .target.align == 1073741824 and
		 (.results[0] | .page_size == 1073741824 and .window_size == 1073741824 and
		  .windows == 1 and .pmd_windows == 1 and .pmd_method == "touch")' "$T/out" '[.target, .results[0]]'
	[ "$(cat $pool1g)" = "$before" ] && pass "fault -p 1g: the 1 GiB pool as it was ($before)" ||
		fail "1G pool" "$before before, $(cat $pool1g) after"
elif grep -Eq "1G huge page|1 GiB pages|pdpe1gb" "$T/err"; then
	skip "fault -p 1g on hugetlb" "$(cat "$T/err")"
else
	fail "fault -p 1g" "exit $rc: $(cat "$T/err")"
fi
run "$DAXTOOL" bench pmd-fault --json --size 8M anon
jqok "pmd-fault on anon: 4K and 2M run, 1G skipped with why" \
	'[.results[].page_size] == [4096, 2097152] and [.skipped[].page_size] == [1073741824] and
	 (.comparison.note | test("no 1G pass"))' "$T/out" '[[.results[].page_size], .skipped]'
