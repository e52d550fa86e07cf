#!/bin/sh
# Run every test and count: each test prints "PASS name", "FAIL name: why"
# or "SKIP name: reason" lines; this prints them and ends with one line
# "N passed, N failed, N skipped". Exit 1 if anything failed.
#
#   test/check.sh             unit and command tests, plain and sanitizer
#                             builds, and the virtual-machine tests
#   test/check.sh --vm-only   only the virtual-machine tests
#
# The virtual-machine tests run beside the host tests: a guest changes
# nothing on the host, while the host tests change what the whole host
# shares (nr_hugepages, mounts, loop devices) and so run one at a time.
# A test file's lines are printed together: the host tests' as each file
# ends, then the virtual machines', in the order of their files.
# DAXTOOL_CHECK_VMS=N: at most N virtual machines at once (default: one
# per CPU, as memory allows, and one CPU left to the host tests while
# they run).
cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)
LOG=$ROOT/build/check.log
# the results of each virtual-machine test file, until they are printed
Q=$ROOT/build/check.vm
mkdir -p build
: >"$LOG"
rm -rf "$Q"
mkdir -p "$Q"

# run_test PREFIX CMD...: run one test program, print its result lines
# (with PREFIX) and below them anything else it said, indented; count a
# crash or silence as a failure. $OUT is the scratch file; with BG=1 the
# test runs in the background, so that a TERM stops it at once, and at
# the lowest priority (nice 19): a virtual machine then takes only the
# CPU time the host tests leave, and their timings stay as on an idle
# machine (t-compare's runs, measured beside a busy guest, varied too
# much for its checks). How long each took goes to build/check.times.
OUT=$ROOT/build/check.out
BG=
child=
: >"$ROOT/build/check.times"
run_test() {
	prefix=$1; shift
	t0=$(date +%s)
	if [ -n "$BG" ]; then
		nice -n 19 "$@" >"$OUT" 2>"$OUT.err" &
		child=$!
		wait "$child"
		rc=$?
		child=
	else
		"$@" >"$OUT" 2>"$OUT.err"
		rc=$?
	fi
	echo "$(($(date +%s) - t0)) s $prefix$*" >>"$ROOT/build/check.times"
	sed -n "s/^\(PASS\|FAIL\|SKIP\) /\1 $prefix/p" "$OUT"
	# anything else the test said goes with it, indented, for diagnosis
	grep -Ev '^(PASS|FAIL|SKIP) ' "$OUT" "$OUT.err" 2>/dev/null |
		sed 's/^[^:]*://; s/^/    /' | head -n 40
	n=$(grep -Ec '^(PASS|FAIL|SKIP) ' "$OUT")
	case $rc in
	0|1) [ "$n" -gt 0 ] || echo "FAIL $prefix$*: printed no results" ;;
	77) [ "$n" -gt 0 ] || echo "SKIP $prefix$*: skipped (exit 77)" ;;
	*) echo "FAIL $prefix$*: exited $rc" ;;
	esac
}

# show FILE: print one test file's lines and log its results
show() {
	cat "$1"
	grep -E '^(PASS|FAIL|SKIP) ' "$1" >>"$LOG"
}

# Sanitizers: any report is fatal and fails the test that triggered it.
export ASAN_OPTIONS=abort_on_error=0:halt_on_error=1:exitcode=99:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99

host_test() {
	run_test "$@" >"$Q/host"
	show "$Q/host"
}

host_tests() {
	b=$1 prefix=$2
	for t in "$b"/test/unit/t-*; do
		[ -x "$t" ] && host_test "$prefix" "$t"
	done
	for t in test/cli/t-*.sh; do
		DAXTOOL=$ROOT/$b/daxtool BUILD=$ROOT/build host_test "$prefix" sh "$t"
	done
}

# --- the virtual machines ----------------------------------------------------
# Test file number I of test/vm/t-*.sh leaves its lines in $Q/I when done;
# $Q/0 says why none ran. Lanes, each a background job running one virtual
# machine at a time, take the files ($Q/I.taken).

vm_prepare() {
	if [ ! -x test/vm/run ]; then
		echo "SKIP vm: the virtual-machine harness is missing" >"$Q/0"
	elif ! test/vm/prepare >build/vm-prepare.log 2>&1; then
		echo "SKIP vm: cannot prepare the virtual machine: $(tail -n 1 build/vm-prepare.log)" >"$Q/0"
	else
		: >"$Q/ready"
	fi
}

# vm_lane N: run the test files no lane has taken yet, one by one; TERM
# stops the running one (test/vm/run then stops its machine). Lane 1
# prepares the machine first, the others wait for it.
vm_lane() {
	OUT=$Q/lane$1.out BG=1
	trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null && wait "$child"; exit 143' TERM
	if [ "$1" = 1 ]; then
		vm_prepare
	else
		until [ -f "$Q/ready" ] || [ -f "$Q/0" ] || ! kill -0 "$lane1" 2>/dev/null; do
			sleep 1
		done
	fi
	[ -f "$Q/ready" ] || return
	for it in $vm_order; do
		i=${it%%:*} t=${it#*:}
		# the checker itself is gone: start nothing more
		kill -0 $$ 2>/dev/null || break
		mkdir "$Q/$i.taken" 2>/dev/null || continue
		# every guest test gets the probe and the oracles in /host; a
		# test may ask for its own machine: "# vm-options: ..."; twice
		# the default time limit, as the machine shares the CPUs (the
		# longest took 110 s of the 180 so beside the host tests)
		# shellcheck disable=SC2046
		DAXTOOL=$ROOT/daxtool run_test "vm: " test/vm/run --timeout 360 \
			$(sed -n 's/^# vm-options: //p' "$t") "$t" \
			build/test/tools/dtprobe test/oracles.sh test/doc-keys.sh doc/json.md \
			>"$Q/$i.part"
		mv "$Q/$i.part" "$Q/$i"
	done
}

# The lanes take the files largest first: as a rule the longest to run,
# so that those that finish last are short. "NUMBER:FILE" each.
vm_order=$(i=0
	for t in test/vm/t-*.sh; do
		i=$((i + 1))
		[ -f "$t" ] && echo "$(wc -c <"$t") $i:$t"
	done | sort -rn | cut -d' ' -f2)

lanes=
nlanes=0
lane1=
# vm_lanes N: have N lanes (a lane started when all files are taken ends)
vm_lanes() {
	while [ "$nlanes" -lt "$1" ]; do
		nlanes=$((nlanes + 1))
		vm_lane "$nlanes" &
		lanes="$lanes $!"
		[ -n "$lane1" ] || lane1=$!
	done
}

lanes_alive() {
	for p in $lanes; do
		kill -0 "$p" 2>/dev/null && return 0
	done
	return 1
}

# Stop the lanes (Ctrl-C, TERM, an error): each stops its machine.
stop_lanes() {
	for p in $lanes; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $lanes; do
		wait "$p" 2>/dev/null
	done
	lanes=
}
trap stop_lanes EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# How many machines at once: one per CPU (a guest keeps about one busy),
# no more than memory holds at 5 GiB a guest.
max_vms=${DAXTOOL_CHECK_VMS:-}
if [ -z "$max_vms" ]; then
	max_vms=$(nproc 2>/dev/null || echo 1)
	mem=$(awk '$1 == "MemAvailable:" { print int($2 / 5242880) }' /proc/meminfo 2>/dev/null)
	[ -n "$mem" ] && [ "$mem" -lt "$max_vms" ] && max_vms=$mem
fi
case $max_vms in ''|*[!0-9]*|0) max_vms=1 ;; esac

# vm_results: print each test file's lines, in order, as soon as they are
# there, with $max_vms lanes. A file left without lines (its lane stopped
# or killed) counts as failed.
vm_results() {
	vm_lanes "$max_vms"
	until [ -f "$Q/ready" ] || [ -f "$Q/0" ] || ! lanes_alive; do
		sleep 1
	done
	if [ -f "$Q/0" ]; then
		show "$Q/0"
		return
	fi
	if [ ! -f "$Q/ready" ]; then
		echo "FAIL vm: the preparation of the virtual machine stopped" | tee -a "$LOG"
		return
	fi
	i=0
	for t in test/vm/t-*.sh; do
		i=$((i + 1))
		[ -f "$t" ] || continue
		until [ -f "$Q/$i" ] || ! lanes_alive; do
			sleep 1
		done
		if [ -f "$Q/$i" ]; then
			show "$Q/$i"
		else
			echo "FAIL vm: $t: no result, its run was stopped" | tee -a "$LOG"
		fi
	done
}

start=$(date +%s)
if [ "${1:-}" != --vm-only ]; then
	# a CPU for the host tests, the others for virtual machines, and
	# one machine at least
	vm_lanes $((max_vms > 1 ? max_vms - 1 : 1))
	host_tests build ""
	if [ -x build/asan/daxtool ]; then
		host_tests build/asan "asan: "
	else
		echo "FAIL asan: the sanitizer build is missing" | tee -a "$LOG"
	fi
	host_end=$(date +%s)
fi
vm_results
stop_lanes

p=$(grep -c '^PASS ' "$LOG")
f=$(grep -c '^FAIL ' "$LOG")
s=$(grep -c '^SKIP ' "$LOG")
end=$(date +%s)
if [ -n "${host_end:-}" ]; then
	echo "# $((end - start)) s: host tests $((host_end - start)) s, virtual machines beside them"
else
	echo "# $((end - start)) s"
fi
if [ "$f" -gt 0 ]; then
	echo "# failed:"
	grep '^FAIL ' "$LOG" | sed 's/^/#   /'
fi
echo "$p passed, $f failed, $s skipped"
[ "$f" = 0 ]
