#!/bin/sh
# Build the fuzz targets against the libdaxtool.a in $1 (built by clang
# with the sanitizers: make fuzz does that) and run each one for $2
# seconds, from its seed corpus (test/fuzz/corpus-NAME, read only; what
# the fuzzer finds goes to $1/corpus-NAME). A crash, a leak, a sanitizer
# report or a timeout fails, and the input is kept as $1/crash-NAME-*:
# replay it with $1/fuzz-NAME FILE.
#   $FUZZ_CFLAGS, $FUZZ_LIBS: json-c's and the other libraries' flags.
set -eu
B=$1 secs=$2
san="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
cd "$(dirname "$0")/../.."
fail=0
for t in layout size; do
	# shellcheck disable=SC2086
	clang -std=gnu11 -D_GNU_SOURCE -pthread -g -O1 $san -Iinclude \
		${FUZZ_CFLAGS:-} -o "$B/fuzz-$t" "test/fuzz/fuzz-$t.c" \
		"$B/libdaxtool.a" ${FUZZ_LIBS:-}
	mkdir -p "$B/corpus-$t"
	echo "fuzz-$t: $secs seconds" >&2
	"$B/fuzz-$t" -max_total_time="$secs" -timeout=10 -max_len=16384 \
		-print_final_stats=1 -dict="test/fuzz/$t.dict" \
		-artifact_prefix="$B/crash-$t-" \
		"$B/corpus-$t" "test/fuzz/corpus-$t" >"$B/fuzz-$t.log" 2>&1 ||
		{ fail=1; tail -40 "$B/fuzz-$t.log" >&2; }
	grep -E '^(Done|stat::number_of_executed_units|stat::new_units_added)' \
		"$B/fuzz-$t.log" >&2 || true
done
[ $fail = 0 ] && echo "fuzz: no crash" >&2
exit $fail
