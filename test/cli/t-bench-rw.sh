#!/bin/sh
# daxtool bench rw on the emulated target: every pattern and copy method
# moves exactly the bytes it says, random offsets repeat with a seed, data
# is safe without --force, and fio runs the same job.
. "$(dirname "$0")/../lib.sh"

S=16777216	# 16 MiB: enough to cross several 2 MiB windows, quick
rw() { "$DAXTOOL" bench rw --size 16M "$@"; }

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

# --- the document: schema 2, the target, the options that apply ---------------
# jqok NAME FILTER FILE [SHOW]: pass if the jq filter is true on FILE
# (jq -en "input | ...": an empty FILE fails, as plain jq -e would not)
jqok() {
	if jq -en "input | ($2)" "$3" >/dev/null 2>&1; then pass "$1"
	else fail "$1" "$(jq -c "${4:-.}" "$3" 2>&1 | head -c 400)"; fi
}
expect "rw --json --rw read on memory" 0 "" \
	"$DAXTOOL" bench rw --json --size 4M --loops 1 --rw read emulated
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
	sh "$ROOT/test/doc-keys.sh" --check bench-rw "$T/read.json"
else
	skip "json doc: bench rw" "test/doc-keys.sh is not there"
fi
"$DAXTOOL" bench fault --json --size 4M emulated >"$T/fault.json"
jq -c '[.target, .env] | map(keys)' "$T/read.json" >"$T/k-rw"
jq -c '[.target, .env] | map(keys)' "$T/fault.json" >"$T/k-fault"
same "json: the target and env of rw have the keys of fault's" "$T/k-fault" "$T/k-rw"
expect "rw --json --no-prefault" 0 "" \
	"$DAXTOOL" bench rw --json --size 4M --loops 1 --rw write --no-prefault emulated
jqok "env.regime: not prefaulted, cold, as bench fault says of the same memory" \
	'.env.regime == "cold" and .options.prefault == false' "$T/out" .env.regime
jqok "bench fault on the same memory: cold too" '.env.regime == "cold"' "$T/fault.json" .env.regime
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
grep -q ", 1 thread, 1 loop$" "$T/one.txt" &&
	! grep -Eq '(^|[^0-9.])1 (threads|loops|blocks|cpus)([^a-z]|$)' "$T/one.txt" &&
	pass "text: 1 thread, 1 loop" || fail "text: plurals" "$(sed -n 4p "$T/one.txt")"

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

# fio: the job daxtool writes runs, and --fio shows both numbers.
if command -v fio >/dev/null; then
	"$DAXTOOL" bench rw --fio-job --size 16M --rw randwrite --bs 4k "$T/fiofile" >"$T/job.fio"
	grep -q '^ioengine=mmap$' "$T/job.fio" && grep -q "^filename=$T/fiofile$" "$T/job.fio" &&
		pass "--fio-job: the mmap engine on the file" || fail "--fio-job" "$(cat "$T/job.fio")"
	(cd "$T" && fio --output-format=json job.fio) >"$T/fio.json" 2>"$T/err"
	jq -en 'input | .jobs[0].error == 0 and .jobs[0].write.io_bytes > 0' "$T/fio.json" >/dev/null &&
		pass "--fio-job output runs under fio with error=0" ||
		fail "--fio-job run" "$(head -c 300 "$T/err")"
	out=$(rw --json --fio --rw write --bs 4k 2>"$T/err")
	echo "$out" | jq -en 'input | .fio.engine == "mmap" and .fio.write.bw_bytes > 0 and
		.jobs[0].write.bw_bytes > 0 and .fio.write.ratio > 0' >/dev/null &&
		pass "--fio on the emulated target: both numbers and their ratio" ||
		fail "--fio" "$(cat "$T/err") $(echo "$out" | jq -c .fio)"
	[ -z "$(ls /dev/shm/daxtool-fio-* 2>/dev/null)" ] && pass "--fio leaves no file in /dev/shm" ||
		fail "--fio cleanup" "$(ls /dev/shm/daxtool-fio-*)"
else
	skip "fio" "fio is not installed"
fi
