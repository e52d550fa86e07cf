#!/bin/sh
# daxtool bench rw on the emulated target: every pattern and copy method
# moves exactly the bytes it says, random offsets repeat with a seed, data
# is safe without --force, and fio runs the same job.
. "$(dirname "$0")/../lib.sh"

S=16777216	# 16 MiB: enough to cross several 2 MiB windows, quick
rw() { "$DAXTOOL" bench rw --size 16M "$@"; }

# Patterns and copy methods: the bytes moved, and written data read back.
methods=$("$DAXTOOL" bench rw -h | sed -n 's/.*--copy \([a-z0-9|-]*\) .*/\1/p' | tr '|' ' ')
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
		echo "$out" | jq -e --argjson s $S '.jobs[0] as $j |
			($j.read.io_bytes + $j.write.io_bytes) == 2 * $s and
			($j.read.total_ios + $j.write.total_ios) == 2 * $s / 4096 and
			(.verify_errors == 0 or .verify_errors == null)' >/dev/null &&
			pass "$p with $m: moved exactly 2 x 16 MiB, data verified" ||
			fail "$p with $m" "$(echo "$out" | jq -c '[.jobs[0].read.io_bytes, .jobs[0].write.io_bytes, .verify_errors]')"
	done
done
out=$(rw --json --rw write --bs 2m --copy memcpy --loops 1)
echo "$out" | jq -e --argjson s $S '.jobs[0].write.io_bytes == $s and .jobs[0].read.io_bytes == 0 and
	.verify_errors == 0 and (.jobs[0].write.lat_ns.percentile | has("99.000000"))' >/dev/null &&
	pass "sequential write, 2M blocks: 16 MiB, verified, fio's percentile names" ||
	fail "write 2m" "$(echo "$out" | jq -c '.jobs[0].write')"
out=$(rw --json --rw read --bs 4k --no-lat)
echo "$out" | jq -e '.jobs[0].read.lat_ns == null and .jobs[0].read.bw_bytes > 0' >/dev/null &&
	pass "--no-lat: bandwidth only, no latency" || fail "--no-lat" "$(echo "$out" | jq -c '.jobs[0].read')"
out=$(rw --json --rw randread --percentiles 50:99.9)
echo "$out" | jq -e '.jobs[0].read.lat_ns.percentile | keys == ["50.000000", "99.900000"]' >/dev/null &&
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
rw --json --rw read | jq -e '.env | has("kernel") and has("is_pmem") and has("auto_flush") and
	has("timer") and has("libpmem_env")' >/dev/null && rw --json | jq -e '.libpmem_path.flush | length > 0' >/dev/null &&
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

# Bad input.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	shm=/dev/shm/daxtool-test-rw-$$
	expect "rw: a new file under /dev/shm" 0 "" \
		"$DAXTOOL" bench rw --json --size 8M --loops 1 --rw write "$shm"
	jq -e '.target.kind == "emulated-shmem" and .target.created == true' "$T/out" >/dev/null &&
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
	jq -e '.jobs[0].error == 0 and .jobs[0].write.io_bytes > 0' "$T/fio.json" >/dev/null &&
		pass "--fio-job output runs under fio with error=0" ||
		fail "--fio-job run" "$(head -c 300 "$T/err")"
	out=$(rw --json --fio --rw write --bs 4k 2>"$T/err")
	echo "$out" | jq -e '.fio.engine == "mmap" and .fio.write.bw_bytes > 0 and
		.jobs[0].write.bw_bytes > 0 and .fio.write.ratio > 0' >/dev/null &&
		pass "--fio on the emulated target: both numbers and their ratio" ||
		fail "--fio" "$(cat "$T/err") $(echo "$out" | jq -c .fio)"
	[ -z "$(ls /dev/shm/daxtool-fio-* 2>/dev/null)" ] && pass "--fio leaves no file in /dev/shm" ||
		fail "--fio cleanup" "$(ls /dev/shm/daxtool-fio-*)"
else
	skip "fio" "fio is not installed"
fi
