#!/bin/sh
# Run every test and count: each test prints "PASS name", "FAIL name: why"
# or "SKIP name: reason" lines; this prints them and ends with one line
# "N passed, N failed, N skipped". Exit 1 if anything failed.
#
#   test/check.sh             unit and command tests, plain and sanitizer
#                             builds, then the virtual-machine tests
#   test/check.sh --vm-only   only the virtual-machine tests
cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)
LOG=$ROOT/build/check.log
mkdir -p build
: >"$LOG"

# run_test PREFIX CMD...: run one test program, pass its result lines on
# (with PREFIX), and count a crash or silence as a failure.
run_test() {
	prefix=$1; shift
	out=$ROOT/build/check.out
	"$@" >"$out" 2>"$out.err"
	rc=$?
	sed -n "s/^\(PASS\|FAIL\|SKIP\) /\1 $prefix/p" "$out" | tee -a "$LOG"
	# anything else the test said goes with it, indented, for diagnosis
	grep -Ev '^(PASS|FAIL|SKIP) ' "$out" "$out.err" 2>/dev/null |
		sed 's/^[^:]*://; s/^/    /' | head -n 40
	n=$(grep -Ec '^(PASS|FAIL|SKIP) ' "$out")
	case $rc in
	0|1) [ "$n" -gt 0 ] || echo "FAIL $prefix$*: printed no results" | tee -a "$LOG" ;;
	77) [ "$n" -gt 0 ] || echo "SKIP $prefix$*: skipped (exit 77)" | tee -a "$LOG" ;;
	*) echo "FAIL $prefix$*: exited $rc" | tee -a "$LOG" ;;
	esac
}

# Sanitizers: any report is fatal and fails the test that triggered it.
export ASAN_OPTIONS=abort_on_error=0:halt_on_error=1:exitcode=99:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99

host_tests() {
	b=$1 prefix=$2
	for t in "$b"/test/unit/t-*; do
		[ -x "$t" ] && run_test "$prefix" "$t"
	done
	for t in test/cli/t-*.sh; do
		DAXTOOL=$ROOT/$b/daxtool BUILD=$ROOT/build run_test "$prefix" sh "$t"
	done
}

vm_tests() {
	if [ ! -x test/vm/run ]; then
		echo "SKIP vm: the virtual-machine harness is missing" | tee -a "$LOG"
		return
	fi
	if ! test/vm/prepare >build/vm-prepare.log 2>&1; then
		echo "SKIP vm: cannot prepare the virtual machine: $(tail -n 1 build/vm-prepare.log)" |
			tee -a "$LOG"
		return
	fi
	# every guest test gets the probe and the oracles in /host
	for t in test/vm/t-*.sh; do
		# a test may ask for its own machine: "# vm-options: ..."
		# shellcheck disable=SC2046
		[ -f "$t" ] && DAXTOOL=$ROOT/daxtool run_test "vm: " test/vm/run \
			$(sed -n 's/^# vm-options: //p' "$t") "$t" \
			build/test/tools/dtprobe test/oracles.sh test/doc-keys.sh doc/json.md
	done
}

start=$(date +%s)
if [ "${1:-}" != --vm-only ]; then
	host_tests build ""
	if [ -x build/asan/daxtool ]; then
		host_tests build/asan "asan: "
	else
		echo "FAIL asan: the sanitizer build is missing" | tee -a "$LOG"
	fi
fi
vm_tests

p=$(grep -c '^PASS ' "$LOG")
f=$(grep -c '^FAIL ' "$LOG")
s=$(grep -c '^SKIP ' "$LOG")
echo "# $(($(date +%s) - start)) s"
if [ "$f" -gt 0 ]; then
	echo "# failed:"
	grep '^FAIL ' "$LOG" | sed 's/^/#   /'
fi
echo "$p passed, $f failed, $s skipped"
[ "$f" = 0 ]
